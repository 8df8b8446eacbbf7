"""Start-up time of `policy-monitor --help` (and other quick commands), this tree beside a baseline.

    .venv/bin/python bench/startup.py --baseline HEAD~5 [--rounds 30] [--cmd "--help"] [--cmd "show X"]

The baseline revision is checked out as a git worktree in bench/.baseline-<sha> with a virtualenv
of its own (bench/baseline.py) and run with that interpreter (`python -m monitor` from that
directory); this tree runs with this interpreter from the repository root. Both packages are
compiled (`compileall`) first. Runs
alternate between the two trees, so that load on the machine affects both alike. Prints the median,
the 10th and 90th percentiles in milliseconds and the ratio this ÷ baseline.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from baseline import Baseline, compile_package, prepare

ROOT = Path(__file__).resolve().parents[1]


def once(tree: Path, args: list[str], python: Path | str = sys.executable) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(python), "-m", "monitor", *args], cwd=tree, capture_output=True, check=False)
    return (time.perf_counter() - t0) * 1000


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", required=True, help="git revision to compare with (e.g. HEAD~5, a tag)")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--cmd", action="append", help="arguments after `policy-monitor` (default: --help)")
    a = ap.parse_args()
    base: Baseline = prepare(a.baseline)
    compile_package(sys.executable, ROOT)
    for cmd in a.cmd or ["--help"]:
        args = shlex.split(cmd)
        once(ROOT, args), once(base.root, args, base.python)  # warm the file cache
        times: dict[str, list[float]] = {"this": [], "baseline": []}
        for _ in range(a.rounds):
            times["this"].append(once(ROOT, args))
            times["baseline"].append(once(base.root, args, base.python))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"policy-monitor {cmd}  ({a.rounds} alternating rounds; baseline {a.baseline} = {base.sha})")
        for k, v in times.items():
            print(f"  {k:<9} median {med[k]:6.1f} ms   p10 {pct(v, 0.1):6.1f}   p90 {pct(v, 0.9):6.1f}")
        print(f"  ratio this ÷ baseline: {med['this'] / med['baseline']:.2f}")


if __name__ == "__main__":
    main()
