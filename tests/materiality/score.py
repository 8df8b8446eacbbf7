#!/usr/bin/env python3
# Copied from the team's shared materiality benchmark (its score.py); these four comment lines
# are the only addition (kept byte for byte otherwise, hence no lint and no formatting).
# ruff: noqa
# fmt: off
"""Score `policy-monitor compare --format json` against a folder of labelled cases.

usage: score.py CASES_DIR [--cmd 'policy-monitor compare {old} {new} --format json'] [--json]
Prints one line per metric and, last, a summary line. Exit 0 always.
"""
import argparse
import json
import shlex
import subprocess
import sys
import time
import unicodedata
from pathlib import Path


def norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def run_case(cmd: str, d: Path, label: dict, timeout: float):
    ext = label["ext"]
    argv = [a.format(old=str(d / f"old.{ext}"), new=str(d / f"new.{ext}")) for a in shlex.split(cmd)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, capture_output=True, timeout=timeout, text=True)
    except subprocess.TimeoutExpired:
        return None, timeout, "timeout"
    dt = time.perf_counter() - t0
    try:
        return json.loads(p.stdout), dt, None
    except json.JSONDecodeError:
        return None, dt, f"rc={p.returncode} no JSON: {(p.stderr or p.stdout)[-300:]}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--cmd", default="policy-monitor compare {old} {new} --format json")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()
    root = Path(a.cases)
    labels = json.loads((root / "index.json").read_text(encoding="utf-8"))
    m = dict(cases=0, errors=0, format_n=0, format_clean=0, benign_n=0, benign_ok=0, mat_n=0, mat_hit=0,
             cat_hit=0, loc_hit=0, flags=0, flags_ok=0)
    times, fails = [], []
    for lab in labels:
        out, dt, err = run_case(a.cmd, root / lab["id"], lab, a.timeout)
        m["cases"] += 1
        times.append(dt)
        if err or not isinstance(out, dict):
            m["errors"] += 1
            fails.append(f"{lab['id']}: {err}")
            if lab["material"]:
                m["mat_n"] += 1
            else:
                m["benign_n"] += 1
                m["format_n"] += lab["kind"] == "format"
            continue
        changes = out.get("changes") or []
        material_changes = [c for c in changes if c.get("material")]
        flagged = set()
        for c in material_changes:
            flagged.update(c.get("categories") or [])
        is_material = bool(out.get("material")) or bool(material_changes)
        if lab["material"]:
            m["mat_n"] += 1
            m["mat_hit"] += is_material
            hit = bool(flagged & set(lab["expect_any"]))
            m["cat_hit"] += hit
            if lab["marker"]:
                side = "new_text" if lab["marker_in"] == "new" else "old_text"
                mk = norm(lab["marker"])
                loc = any(mk in norm(c.get(side) or "") for c in material_changes)
            else:
                loc = is_material
            m["loc_hit"] += loc
            if not (is_material and hit and loc):
                fails.append(f"{lab['id']}: material={is_material} flagged={sorted(flagged)} "
                             f"want={lab['expect_any']} located={loc}")
        else:
            m["benign_n"] += 1
            m["benign_ok"] += not is_material
            if lab["kind"] == "format":
                m["format_n"] += 1
                m["format_clean"] += not changes
                if changes:
                    fails.append(f"{lab['id']}: {len(changes)} changes reported on a formatting-only edit")
            if is_material:
                fails.append(f"{lab['id']}: flagged material {sorted(flagged)} on a cosmetic edit")
        m["flags"] += len(flagged)
        m["flags_ok"] += len(flagged & set(lab["allow"]))

    def pct(x, n):
        return 100.0 * x / n if n else 0.0

    times.sort()
    res = {
        "cases": m["cases"],
        "errors": m["errors"],
        "sensitivity": pct(m["mat_hit"], m["mat_n"]),
        "category_recall": pct(m["cat_hit"], m["mat_n"]),
        "category_precision": pct(m["flags_ok"], m["flags"]) if m["flags"] else 0.0,
        "localized": pct(m["loc_hit"], m["mat_n"]),
        "specificity": pct(m["benign_ok"], m["benign_n"]),
        "format_clean": pct(m["format_clean"], m["format_n"]),
        "median_s": times[len(times) // 2] if times else 0.0,
    }
    if a.json:
        print(json.dumps(res))
        return
    if a.verbose:
        for f in fails:
            print("  miss:", f)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in res.items()))


if __name__ == "__main__":
    main()
