#!/usr/bin/env python3
"""Draw bench/peers.py's throughput points: checks/s of one cycle against the number of pages.

usage: bench/.peers-venv/bin/python bench/plot.py POINTS.json OUT.png

bench/peers.py --plot writes POINTS.json ({"points": [...], "meta": {...}}) and runs this script
with the peers' Python (matplotlib lives there, not in the project). One panel per cycle, one line
per tool: policy-monitor, urlwatch and, with --baseline, policy-monitor@<sha> (dashed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

CYCLES = {
    "first": "first cycle (every page new)",
    "unchanged-304": "unchanged (ETag → 304)",
    "unchanged-200": "unchanged, no ETag (same bytes, 200)",
    "changed": "{pct} of the pages edited (200)",
}
STYLE = {"policy-monitor": ("tab:blue", "o", "-"), "urlwatch": ("tab:orange", "s", "-")}
BASELINE_STYLE = ("tab:green", "^", "--")  # policy-monitor@<sha>


def draw(data: dict[str, Any], out: Path) -> None:
    points = sorted(data["points"], key=lambda p: p["operators"])
    meta = data.get("meta", {})
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    xs = [p["operators"] for p in points]
    pct = f"{meta.get('changed', 0.1):.0%}"
    tools: list[str] = []  # every tool of any point (a baseline may be measured at some sizes only)
    for p in points:
        tools += [t for t in p.get("tools", list(STYLE)) if t not in tools]
    for ax, (cycle, title) in zip(axes.flat, CYCLES.items(), strict=True):
        top = 0.0
        for tool in tools:
            color, marker, line = STYLE.get(tool, BASELINE_STYLE)
            have = [p for p in points if tool in p["cycles"][cycle]]
            txs = [p["operators"] for p in have]
            ys = [p["cycles"][cycle][tool]["checks_per_s"] for p in have]
            top = max(top, *ys)
            ax.plot(txs, ys, marker=marker, color=color, linestyle=line, label=tool)
            for x, y in zip(txs, ys, strict=True):
                ax.annotate(
                    f"{y:.0f}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    fontsize=7,
                    ha="center",
                    color=color,
                )
        ax.set_title(title.format(pct=pct), fontsize=10)
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{x:,}" for x in xs])
        ax.set_ylim(0, top * 1.15)
        ax.grid(True, alpha=0.3)
        ax.set_ylabel("checks/s (one cycle, whole process)")
    for ax in axes[1]:
        ax.set_xlabel("pages (operators), one per loopback address")
    axes[0][0].legend()
    versions = meta.get("versions", {})
    bases = "".join(f" and {t}" for t in tools if t not in STYLE)
    fig.suptitle(
        f"policy-monitor {versions.get('policy-monitor', '')}{bases} vs urlwatch "
        f"{versions.get('urlwatch', '')}: "
        f"checks per second of one cycle\n{meta.get('cores', '?')} cores ({meta.get('cpu', '?')}), "
        f"Python {meta.get('python', '?')}, {meta.get('date', '')}, commit {meta.get('commit', '')}",
        fontsize=10,
    )
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    draw(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
