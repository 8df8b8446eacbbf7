"""The fixed cost of one ``policy-monitor check`` of one page, unchanged or edited, this tree beside a
baseline.

    .venv/bin/python bench/fixed_cost.py --baseline e85d738 [--rounds 20] [--page 0]

One corpus policy (tests/corpus, as HTML like bench/check.py's pages) is served on 127.0.0.1 by
tests/helpers/policy_server.py (in a thread of this process) at three paths: one with an ETag, one
without, and one per tree whose text changes before every check. Each tree gets its own watchlist
and SQLite store per path in a temporary directory, and one ``check`` first stores the version.
Then ``--rounds`` rounds, each running a ``check`` of every path in both trees, alternating which
tree goes first:

    304     the page answers the conditional request with 304 Not Modified
    200     no ETag: the same bytes again, read and found unchanged
    edited  no ETag: a sentence appended to the policy, then removed, in turn (bench/peers.py's
            CHANGE_LINE): each check stores a new version (or widens the dates of the one with that
            text) with the comparison from the current one, and writes its alert to a file

Each run is a child ``python -m monitor --watchlist W --db sqlite:///D check --format json`` started
in the tree's directory (so that it imports that tree's package) with PYTHONDONTWRITEBYTECODE=1, after
``python -m compileall -q monitor`` in both trees: the bytecode is there and nothing is written.
Measured per run: wall time (perf_counter around the child), the child's CPU time (user + sys) and
peak RSS (both from os.wait4). Prints the median wall ms with p10/p90, the median CPU ms and peak
RSS, and the ratios this ÷ baseline. On a shared machine CPU time is the steadier figure: wall
time also counts the time the child waited for a core.

The baseline revision is checked out as a git worktree in bench/.baseline-<rev> (as bench/startup.py
does); without --baseline only this tree runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from baseline import prepare

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = ("304", "200", "edited")
# bench/peers.py's edit of a page in its 10 % edited cycle
CHANGE_LINE = "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。"
LABELS = {
    "304": "ETag → 304",
    "200": "no ETag → 200, same bytes",
    "edited": "edited → 200, a sentence appended or removed: a new version, its comparison and alert",
}


def worktree(rev: str) -> Path:
    """The checkout of ``rev`` (bench/baseline.py: a git worktree, made once and reused)."""
    return prepare(rev).root


def page_body(index: int, edited: bool = False) -> bytes:
    from tests.helpers.corpus import CORPUS
    from tests.helpers.edits import to_html

    texts = sorted(CORPUS.glob("*.txt"))
    text = texts[index % len(texts)].read_text(encoding="utf-8")
    return to_html(text + ("\n" + CHANGE_LINE if edited else "")).encode("utf-8")


def child_env(home: Path) -> dict[str, str]:
    """No proxies (loopback only), nothing from the caller's policy-monitor settings, no .pyc written."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for key in ("POLICY_MONITOR_WATCHLIST", "POLICY_MONITOR_DB", "POLICY_MONITOR_RAW", "PYTHONPATH"):
        env.pop(key, None)
    env.update({"HOME": str(home), "NO_PROXY": "*", "PYTHONDONTWRITEBYTECODE": "1"})
    return env


@dataclass
class Run:
    wall_ms: float
    cpu_ms: float
    rss_mb: float
    rc: int
    stdout: str
    stderr: str


@dataclass
class Setup:
    """One tree checking one path: its own watchlist and store."""

    tree: Path
    work: Path
    url: str

    def __post_init__(self) -> None:
        self.work.mkdir(parents=True)
        self.watchlist = self.work / "watchlist.yaml"
        self.watchlist.write_text(
            f"operators:\n  - id: bench\n    name: bench\n    url: {self.url}\n", encoding="utf-8"
        )
        self.env = child_env(self.work)

    def run(self) -> Run:
        cmd = [sys.executable, "-m", "monitor", "--watchlist", str(self.watchlist)]
        cmd += ["--db", f"sqlite:///{self.work / 'monitor.db'}", "check", "--format", "json"]
        out_path, err_path = self.work / "last.stdout", self.work / "last.stderr"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=self.tree, stdout=out, stderr=err, env=self.env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        return Run(
            wall_ms=wall * 1000,
            cpu_ms=(usage.ru_utime + usage.ru_stime) * 1000,
            rss_mb=usage.ru_maxrss / 1024,
            rc=os.waitstatus_to_exitcode(status),
            stdout=out_path.read_text(encoding="utf-8", errors="replace"),
            stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        )

    def check(self, expect: str) -> Run:
        run = self.run()
        outcome = None
        if run.rc == 0:
            with contextlib.suppress(ValueError, LookupError, TypeError):
                outcome = json.loads(run.stdout)[0]["outcome"]
        if outcome != expect:
            raise SystemExit(
                f"{self.tree.name} {self.url}: expected {expect}, got rc {run.rc}, outcome {outcome}:\n"
                f"{run.stderr[-2000:]}"
            )
        return run


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def report(
    runs: dict[tuple[str, str], list[Run]], names: list[str], rounds: int, size: int, baseline: str | None
) -> None:
    print(
        f"policy-monitor check, one page ({size:,} bytes), {rounds} alternating rounds"
        + (f"; baseline {baseline}" if baseline else "")
    )
    for case in CASES:
        print(f"  {LABELS[case]}")
        med: dict[str, float] = {}
        cpu: dict[str, float] = {}
        rss: dict[str, float] = {}
        for name in names:
            walls = [r.wall_ms for r in runs[name, case]]
            med[name] = statistics.median(walls)
            cpu[name] = statistics.median(r.cpu_ms for r in runs[name, case])
            rss[name] = statistics.median(r.rss_mb for r in runs[name, case])
            print(
                f"    {name:<9} wall median {med[name]:7.1f} ms (p10 {pct(walls, 0.1):7.1f}, "
                f"p90 {pct(walls, 0.9):7.1f})   CPU {cpu[name]:6.1f} ms   peak RSS {rss[name]:5.1f} MB"
            )
        if "baseline" in med:
            print(
                f"    ratio this ÷ baseline: wall {med['this'] / med['baseline']:.2f}, "
                f"CPU {cpu['this'] / cpu['baseline']:.2f}, peak RSS {rss['this'] / rss['baseline']:.2f}"
            )
    print(f"load average after the runs: {os.getloadavg()[0]:.1f} (2 cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", help="git revision to compare with (e.g. HEAD~5, a tag)")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--page", type=int, default=0, help="which corpus policy to serve (sorted by name)")
    a = ap.parse_args()

    from tests.helpers.policy_server import Page, PolicyServer

    trees = {"this": ROOT}
    if a.baseline:
        trees["baseline"] = worktree(a.baseline)
    for tree in trees.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", "monitor"], cwd=tree, check=True)

    body = page_body(a.page)
    bodies = (body, page_body(a.page, edited=True))
    server = PolicyServer(hosts=("127.0.0.1",))
    server.keep_log = False
    server.pages["/etag"] = Page(body)
    server.pages["/plain"] = Page(body, etag=False)
    paths = {"304": "/etag", "200": "/plain"}
    for name in trees:
        paths[f"edited-{name}"] = f"/edited-{name}"
        server.pages[f"/edited-{name}"] = Page(body, etag=False)
    expect = {"304": "not_modified", "200": "unchanged", "edited": "changed"}
    flips: dict[str, int] = {}

    def check(name: str, case: str) -> Run:
        if case == "edited":  # the other text than the last check saw
            flips[name] = flips.get(name, 0) + 1
            server.pages[f"/edited-{name}"].body = bodies[flips[name] % 2]
        return setups[name, case].check(expect[case])

    with server, tempfile.TemporaryDirectory(prefix="fixed-cost-") as tmp:
        setups = {
            (name, case): Setup(
                tree,
                Path(tmp) / f"{name}-{case}",
                server.url(paths[f"edited-{name}" if case == "edited" else case]),
            )
            for name, tree in trees.items()
            for case in CASES
        }
        for setup in setups.values():
            setup.check("changed")  # the first version
        for name, case in setups:
            check(name, case)  # warms the file cache (and jieba's, for an edit)
        runs: dict[tuple[str, str], list[Run]] = {key: [] for key in setups}
        names = list(trees)
        for i in range(a.rounds):
            order = names if i % 2 == 0 else names[::-1]
            for case in CASES:
                for name in order:
                    runs[name, case].append(check(name, case))

    report(runs, names, a.rounds, len(body), a.baseline)


if __name__ == "__main__":
    main()
