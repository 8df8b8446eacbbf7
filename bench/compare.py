#!/usr/bin/env python3
"""Benchmark: clause-level comparison against Python's difflib, and whole-process start-up times.

usage: .venv/bin/python bench/compare.py [--repeat N] [--baseline REV]

For every corpus policy, the pair (policy, edited policy) where the edit changes one word in a long
clause and adds a sentence elsewhere (a typical revision's size). Prints, per pair:
- policy-monitor: median time of `compare(old, new)` on parsed documents (in-process, jieba loaded),
  and of parse + compare;
- difflib: median time of `difflib.SequenceMatcher` over the same lines plus `get_opcodes()`
  (what a line-level page watcher does), and the ratio;
then the whole-process wall time of `policy-monitor --help`, `show` and `compare` on the largest pair.
Goals: compare < 50 ms for jd-express.txt; --help and show < 0.6 s; compare < 2 s.
With --baseline REV that revision (a git worktree with its own virtualenv, bench/baseline.py) is
measured too: the per-policy table gets its in-process compare time and the ratio this ÷ baseline
(the same pairs, timed by this script run with the baseline's interpreter and package), and the
whole-process rows run it alternating with this tree.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# PM_TREE: the tree whose package is measured (--baseline runs this script so, on the same corpus)
sys.path.insert(0, os.environ.get("PM_TREE", str(ROOT)))
sys.path.insert(1, str(ROOT / "bench"))

from monitor.compare.comparison import compare  # noqa: E402
from monitor.document.parse import parse  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def edited(text: str) -> str:
    """Change one word in the longest line and add a sentence a third of the way in."""
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    line = lines[longest]
    mid = len(line) // 2
    lines[longest] = line[:mid] + "第三方合作伙伴" + line[mid + 2 :]
    lines.insert(len(lines) // 3, "我们会将您的设备信息共享给巨量引擎用于广告投放。")
    return "\n".join(lines)


def median_ms(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def wall(cmd: list[str], repeat: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def policy_rows(files: list[Path], repeat: int) -> dict[str, list[float]]:
    """Per corpus policy: KB, changes, compare ms, parse + compare ms, difflib ms."""
    parse(b"warm up", media_type="text")  # imports
    compare(parse(b"1.a", media_type="text"), parse(b"1.b", media_type="text"))  # loads jieba
    out = {}
    for path in files:
        old_text = path.read_text(encoding="utf-8")
        new_text = edited(old_text)
        old_b, new_b = old_text.encode(), new_text.encode()
        old_doc = parse(old_b, media_type="text", source=path.name)
        new_doc = parse(new_b, media_type="text", source=path.name)
        n = len(compare(old_doc, new_doc).changes)

        def ours(o: object = old_doc, w: object = new_doc) -> None:
            from monitor.compare import diff

            diff.tokenize.cache_clear()  # no help from an earlier run
            compare(o, w)  # type: ignore[arg-type]

        def ours_with_parse(a: bytes = old_b, b: bytes = new_b) -> None:
            compare(parse(a, media_type="text"), parse(b, media_type="text"))

        def difflib_lines(a: str = old_text, b: str = new_text) -> None:
            difflib.SequenceMatcher(None, a.split("\n"), b.split("\n"), autojunk=False).get_opcodes()

        out[path.name] = [
            len(old_b) / 1024,
            n,
            median_ms(ours, repeat),
            median_ms(ours_with_parse, repeat),
            median_ms(difflib_lines, repeat),
        ]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--baseline", metavar="REV", help="also time these commands at REV (e.g. a release tag)")
    ap.add_argument("--rows-json", action="store_true", help=argparse.SUPPRESS)  # the baseline's table
    args = ap.parse_args()
    files = sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
    if args.rows_json:
        print(json.dumps(policy_rows(files, args.repeat)))
        return
    base = None
    if args.baseline:
        from baseline import compile_package, prepare

        base = prepare(args.baseline)
        compile_package(sys.executable, ROOT)

    table = policy_rows(files, args.repeat)
    header = ["policy", "KB", "changes", "compare ms", "parse+cmp ms", "difflib ms", "ratio"]
    widths = [16, 6, 9, 12, 14, 12, 8]
    if base is not None:
        env = {**os.environ, "PM_TREE": str(base.root)}
        cmd = [str(base.python), __file__, "--rows-json", "--repeat", str(args.repeat)]
        theirs = json.loads(subprocess.run(cmd, check=True, capture_output=True, env=env).stdout)
        header += [f"@{base.sha} ms", "this÷base"]
        widths += [14, 11]
    print(
        header[0].ljust(widths[0]) + "".join(h.rjust(w) for h, w in zip(header[1:], widths[1:], strict=True))
    )
    for name, (kb, n, t_ours, t_full, t_diff) in table.items():
        line = f"{name:<16}{kb:>6.1f}{n:>9.0f}{t_ours:>12.1f}{t_full:>14.1f}{t_diff:>12.2f}"
        line += f"{t_ours / t_diff:>7.1f}x"
        if base is not None:
            t_base = theirs[name][2]
            line += f"{t_base:>14.1f}{t_ours / t_base:>11.2f}"
        print(line)

    largest = files[-1]
    exe = [sys.executable, "-m", "monitor"]
    with tempfile.TemporaryDirectory() as tmp:
        new_path = Path(tmp) / f"edited-{largest.name}"
        new_path.write_text(edited(largest.read_text(encoding="utf-8")), encoding="utf-8")
        runs = max(3, args.repeat // 3)
        print()
        print(f"whole process (median of {runs}), largest policy {largest.name}:")
        rows = [
            ("policy-monitor --help", [*exe, "--help"], "goal < 0.6 s"),
            ("policy-monitor show FILE", [*exe, "show", str(largest)], "goal < 0.6 s"),
            (
                "policy-monitor compare OLD NEW",
                [*exe, "compare", str(largest), str(new_path), "--format", "json"],
                "goal < 2 s",
            ),
            ("python -c pass (interpreter)", [sys.executable, "-c", "pass"], "baseline"),
        ]
        for label, cmd, goal in rows:
            if base is None or cmd[1:3] != ["-m", "monitor"]:
                print(f"  {label:<32} {wall(cmd, runs):6.2f} s   ({goal})")
                continue
            ours, theirs = [], []
            for _ in range(runs):  # alternating, so that load on the machine affects both alike
                ours.append(wall(cmd, 1))
                theirs.append(wall([str(base.python), *cmd[1:]], 1, cwd=base.root))
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"  {label:<32} {a:6.2f} s   ({goal});  {base.label} {b:6.2f} s, ratio {a / b:.2f}")


if __name__ == "__main__":
    main()
