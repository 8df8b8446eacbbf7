#!/usr/bin/env python3
"""policy-monitor beside urlwatch, on the same pages, in one run: time, CPU, memory, and alerts.

    .venv/bin/python bench/peers.py                 # throughput (1,000 pages, twice) and alerts
    .venv/bin/python bench/peers.py --plot          # also checks/s for 100 … 10,000 pages, as a PNG
    .venv/bin/python bench/peers.py --quick         # a smoke run: 200 pages once, a third of the cases
    .venv/bin/python bench/peers.py --baseline e85d738   # also an earlier policy-monitor, side by side

Setup: the peers are installed into their own virtual environment, bench/.peers-venv (created with
`python3 -m venv` and bench/requirements-peers.txt the first time; --setup does only that). Nothing
is added to the project's dependencies. policy-monitor runs as `.venv/bin/policy-monitor`.

--baseline REV (any git revision) adds that revision of policy-monitor as a third tool, labelled
policy-monitor@<sha>: bench/baseline.py checks it out as a git worktree in bench/.baseline-<sha>
with its own virtualenv (bench/.baseline-<sha>/.venv), created the first time and reused, and runs
as bench/.baseline-<sha>/.venv/bin/policy-monitor. It runs
in the throughput cycles, the one-page fixed cost and the --plot sizes, with the same watchlist,
pages, server state and concurrency as this tree; the ratio tables then give policy-monitor ÷
urlwatch, policy-monitor@<sha> ÷ urlwatch and policy-monitor ÷ policy-monitor@<sha>. The alert
table compares this tree with urlwatch only.

Before measuring, peers.py runs `python -m compileall -q monitor` for this tree (with the
interpreter of .venv/bin/policy-monitor) and for the baseline's worktree: the tools run with
PYTHONDONTWRITEBYTECODE=1, so an editable install without .pyc files would compile its package at
every start (urlwatch's pip install has its .pyc files).

The tools run as subprocesses, one full cycle per invocation, each with its own files in a
temporary directory:

    policy-monitor --watchlist W --db sqlite:///D check --format json
    urlwatch --urls U --config C --cache K --hooks H

and each invocation is measured the same way: wall time (perf_counter around the process), CPU time
(user + sys of that child, from os.wait4) and peak memory (the child's max RSS, from os.wait4).

Pages: the seven corpus policies as HTML (tests/helpers/edits.to_html, five markup variants, every fourth
page in GBK with a matching Content-Type), served by tests/helpers/policy_server.py in a child process on
loopback addresses only (127.0.2.1, 127.0.2.2, …), --per-host pages per address, with ETags; every
answer closes its connection (`Connection: close`).
All tools get exactly the same URLs, and all read the same container: policy-monitor with
`selector: '#policy'`, urlwatch with the filters `css: '#policy'` then `html2text` (method `re`,
urlwatch's default, unless --method).

Fairness: requests in flight are --concurrency for every tool (default 10: urlwatch 2.29 has no setting for
it, its worker pool is the module constant urlwatch.worker.MAX_WORKERS = 10; another value runs
urlwatch's CLI through a two-line shim that sets that constant). policy-monitor's politeness
(--delay seconds between two requests to one host, default 1 s as in its watchlist default) has no
counterpart in urlwatch; with the default of one page per host it never delays a request within a
cycle, so neither tool waits on politeness. With --per-host K > 1, policy-monitor cannot finish a
cycle in less than (K - 1) * delay seconds while urlwatch sends several requests to one host at once.

1. Throughput (--operators pages, --repeat runs, each on a fresh server and fresh tool state).
   Cycles: first (every page new), unchanged (ETag → 304), unchanged without ETag (the same bytes
   again, 200), and --changed of the pages edited (a sentence added, all 200). In each cycle the
   tools run one after the other on the same server state; which one goes first alternates (with
   --baseline the order of the three rotates). The fixed cost: the same cycles on one page, three
   runs.
2. Alerts: the labelled edits of the materiality benchmark (tests/materiality/build.py, specs in
   tests/materiality/cases/*.yaml, edits from tests/helpers/edits.py), one page per case, every case served
   as an HTML page. Cycle 1 serves each case's old side, cycle 2 its new side. Cosmetic and
   layout-only edits (width, white space, markup, encoding, wrapping, typo, wording, reorder,
   renumbering, table of contents, date) should raise no alert; material edits should, and the
   alert should say which clause changed and under which 重大变更 item.
   urlwatch: an alert is a job reported as CHANGED. policy-monitor: what its default alerting sends,
   a new version whose comparison is material (trigger `material`): counted from the outbox
   (`policy-monitor alerts list --format json`, event policy.changed) when that command exists,
   else from `check --format json` (outcome changed and material true); the output says which.
   What an alert carries is read from what each tool prints: urlwatch's unified diff in its report,
   policy-monitor's comparison (`policy-monitor diff OPERATOR --format json`, which an alert carries).
3. --plot: checks/s of one cycle for --sizes pages, every tool, written as a PNG by bench/plot.py
   (matplotlib, run with the peers' Python).

Tables are printed on stdout (Markdown), progress on stderr; --json FILE keeps every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from baseline import Baseline, compile_package, prepare

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEERS_VENV = ROOT / "bench" / ".peers-venv"
REQUIREMENTS = ROOT / "bench" / "requirements-peers.txt"
PLOT_SCRIPT = ROOT / "bench" / "plot.py"
DEFAULT_PNG = ROOT / "docs" / "benchmarks" / "throughput.png"
# the sentence bench/check.py adds to a page in its `changed` cycle
CHANGE_LINE = "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。"
URLWATCH_WORKERS = 10  # urlwatch.worker.MAX_WORKERS in urlwatch 2.29 (not configurable)
URLWATCH_SHIM = (
    "import sys, urlwatch.worker as w; w.MAX_WORKERS = int(sys.argv.pop(1)); "
    "from urlwatch.cli import main; main()"
)
PM, UW = "policy-monitor", "urlwatch"


def log(msg: str) -> None:
    print(f"[peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# setup


def ensure_peers_venv(venv: Path) -> Path:
    """The peers' virtual environment, created and filled from requirements-peers.txt when missing."""
    py = venv / "bin" / "python"
    ok = (
        py.exists()
        and subprocess.run(
            [str(py), "-c", "import urlwatch, html2text, matplotlib"], capture_output=True
        ).returncode
        == 0
    )
    if not ok:
        log(f"creating {venv} with {REQUIREMENTS.name} (urlwatch, html2text, matplotlib)")
        base = shutil.which("python3") or sys.executable
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
            check=True,
            stdout=sys.stderr,
        )
    return venv


def pm_executable() -> str:
    exe = ROOT / ".venv" / "bin" / "policy-monitor"
    if exe.exists():
        return str(exe)
    found = shutil.which("policy-monitor")
    if not found:
        sys.exit("peers.py: .venv/bin/policy-monitor not found (run `bash .ci/run` first)")
    return found


def compile_trees(base: Baseline | None) -> None:
    """The .pyc files of this tree's package and the baseline's (the tools run without writing any)."""
    python = Path(pm_executable()).parent / "python"
    log(f"compiling {ROOT.name}/monitor (python -m compileall -q)")
    compile_package(python if python.exists() else sys.executable, ROOT)
    if base is not None:
        compile_package(base.python, base.root)


def _pm_version(exe: Path | str) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    return out.rsplit(" ", 1)[-1]


def versions(venv: Path, base: Baseline | None = None) -> dict[str, str]:
    code = "import importlib.metadata as m; print(m.version('urlwatch'), m.version('html2text'))"
    uw, h2t = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    found = {"urlwatch": uw, "html2text": h2t, PM: _pm_version(pm_executable())}
    if base is not None:
        found[base.label] = _pm_version(base.exe)
    return found


# ---------------------------------------------------------------------------------------------
# the server (a child process)

Pages = dict[str, tuple[bytes, str]]  # path → (body, Content-Type)


def _serve(hosts: list[str], conn: Connection) -> None:
    """Serve pages on the loopback hosts; replace pages or switch ETags when told; stop when told."""
    import asyncio
    import resource

    from tests.helpers.policy_server import Page, PolicyServer, Request

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * len(hosts) + 4096
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(want, hard)))
        except (ValueError, OSError):  # not allowed to raise the hard limit
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    etags: dict[bytes, str] = {}

    class CachedPage(Page):
        """A page whose ETag is computed once per body (bodies are shared between pages)."""

        @property
        def etag_value(self) -> str:
            value = etags.get(self.body)
            if value is None:
                value = etags[self.body] = Page(self.body).etag_value
            return value

    class OneRequestServer(PolicyServer):
        """Closes every connection after its answer (which says `Connection: close`).

        Each host is asked once per cycle, so keep-alive saves neither tool anything; but urlwatch
        keeps the socket of every 304 answer open until it exits (the response stays referenced by
        the job's NotModifiedError), and a server that waited for it to hang up would need a
        descriptor per page on top of one listening socket per host (over 20,000 at 10,000 pages).
        """

        async def _answer(self, req: Request, writer: asyncio.StreamWriter) -> bool:
            await super()._answer(req, writer)
            return False

    server = OneRequestServer(hosts=tuple(hosts))
    server.keep_log = False
    server.start()
    conn.send(server.port)
    use_etag = True
    while True:
        msg = conn.recv()
        if msg == "stop":
            break
        if msg[0] == "pages":
            pages: Pages = msg[1]
            for path, (body, ctype) in pages.items():
                server.pages[path] = CachedPage(
                    body, content_type=ctype, etag=use_etag, headers={"Connection": "close"}
                )
        elif msg[0] == "etag":
            use_etag = msg[1]
            for page in server.pages.values():
                page.etag = use_etag
        conn.send("ok")
    server.stop()


class Server:
    """The page server in a child process, on ``n_hosts`` loopback addresses."""

    def __init__(self, n_hosts: int) -> None:
        if n_hosts > 250 * 250:
            sys.exit("peers.py: too many hosts")
        self.hosts = [f"127.0.{2 + h // 250}.{1 + h % 250}" for h in range(n_hosts)]
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(self.hosts, child), daemon=True)
        self._proc.start()
        self.port: int = self._conn.recv()

    def url(self, i: int, path: str) -> str:
        return f"http://{self.hosts[i % len(self.hosts)]}:{self.port}{path}"

    def tell(self, *msg: object) -> None:
        self._conn.send(msg)
        self._conn.recv()

    def stop(self) -> None:
        self._conn.send("stop")
        self._proc.join(15)
        if self._proc.is_alive():
            self._proc.terminate()


# ---------------------------------------------------------------------------------------------
# measuring a process


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the child
    rss_mb: float  # the child's peak RSS
    rc: int
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd`` to completion; wall time, and the child's own CPU time and peak RSS (os.wait4)."""
    out_path, err_path = cwd / "last.stdout", cwd / "last.stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        cpu=ru.ru_utime + ru.ru_stime,
        rss_mb=ru.ru_maxrss / 1024,
        rc=proc.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def child_env(home: Path) -> dict[str, str]:
    """The environment of both tools: no proxies (loopback only), config and cache dirs in ``home``."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.pop("POLICY_MONITOR_WATCHLIST", None)
    env.pop("POLICY_MONITOR_DB", None)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "NO_PROXY": "*",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


# ---------------------------------------------------------------------------------------------
# the tools


@dataclass
class Job:
    id: str  # [a-z0-9-]: an operator id for policy-monitor, a job name for urlwatch
    url: str


@dataclass
class Result:
    """One cycle of one tool: the measurement and what the tool reported, per job id."""

    tool: str
    run: Run
    outcomes: Counter[str]
    alerts: set[str]  # job ids the tool would alert on
    detail: dict[str, Any]  # per job id: the tool's own record (report entry / diff block)


class PolicyMonitor:
    name = PM

    def __init__(
        self, work: Path, jobs: list[Job], concurrency: int, delay: float, base: Baseline | None = None
    ) -> None:
        """This tree's policy-monitor, or the ``base`` revision's (named policy-monitor@<sha>)."""
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.watchlist = work / "watchlist.yaml"
        self.db = f"sqlite:///{work / 'monitor.db'}"
        self.env = child_env(work)
        self.exe = str(base.exe) if base else pm_executable()
        if base:
            self.name = base.label
        self.alert_source = "check"  # or "outbox", see alerts_by_operator
        lines = [
            "fetch:",
            f"  concurrency: {concurrency}",
            f"  per_host_delay: {delay:g}",
            "operators:",
        ]
        for job in jobs:
            lines += [
                f"  - id: {job.id}",
                f"    name: {job.id}",
                f"    url: {job.url}",
                "    selector: '#policy'",
            ]
        self.watchlist.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def base(self) -> list[str]:
        return [self.exe, "--watchlist", str(self.watchlist), "--db", self.db]

    def cycle(self) -> Result:
        run = measure([*self.base(), "check", "--format", "json"], self.work, self.env)
        if run.rc not in (0, 1):
            raise RuntimeError(f"{self.name} check failed ({run.rc}): {run.stderr[-2000:]}")
        reports = json.loads(run.stdout)
        outcomes = Counter(r["outcome"] for r in reports)
        alerts = {r["operator"] for r in reports if r["outcome"] == "changed" and r["material"] is True}
        return Result(self.name, run, outcomes, alerts, {r["operator"]: r for r in reports})

    def outbox(self) -> Counter[str] | None:
        """policy.changed alerts per operator in the alert outbox, or None without an alerts command."""
        if not (ROOT / "monitor" / "alerts").is_dir():
            return None
        proc = subprocess.run(
            [*self.base(), "alerts", "list", "--limit", "1000000", "--format", "json"],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            log(f"`policy-monitor alerts list` failed ({proc.returncode}); counting from check output")
            return None
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            return None
        items = (data.get("alerts") or data.get("items") or []) if isinstance(data, dict) else data
        counts: Counter[str] = Counter()
        for item in items:
            if not isinstance(item, dict) or item.get("event") != "policy.changed":
                continue
            op = item.get("operator")
            op_id = op.get("id") if isinstance(op, dict) else (op or item.get("operator_id"))
            counts[str(op_id)] += 1
        return counts

    def diff(self, op: str) -> dict[str, Any]:
        proc = subprocess.run(
            [*self.base(), "diff", op, "--format", "json"],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"policy-monitor diff {op} failed: {proc.stderr.strip()}")
        result: dict[str, Any] = json.loads(proc.stdout)
        return result


_SEP = "-" * 75
_HEAD = re.compile(r"^(NEW|CHANGED|ERROR|UNCHANGED): (\S+) \( (.*) \)$")
_SUMMARY = re.compile(r"^\d+\. (NEW|CHANGED|ERROR|UNCHANGED): (\S+)$", re.MULTILINE)


def parse_urlwatch_report(text: str) -> dict[str, tuple[str, list[str]]]:
    """urlwatch's text report → {job name: (verb, content lines)} (the diff of a CHANGED job)."""
    lines = text.split("\n")
    jobs: dict[str, tuple[str, list[str]]] = {}
    i = 0
    while i < len(lines):
        m = _HEAD.match(lines[i + 1]) if i + 2 < len(lines) and lines[i] == _SEP else None
        if m and lines[i + 2] == _SEP:
            j = i + 3
            # a job with nothing to show (NEW) is followed by blank lines, not by content and a rule
            while j < len(lines) and lines[j] != _SEP and not (j == i + 3 and lines[j] == ""):
                j += 1
            jobs[m.group(2)] = (m.group(1), lines[i + 3 : j])
            i = j
        i += 1
    return jobs


class Urlwatch:
    name = UW

    def __init__(self, work: Path, jobs: list[Job], concurrency: int, method: str, venv: Path) -> None:
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.env = child_env(work)
        self.n = len(jobs)
        docs = [
            f"name: {job.id}\nurl: {job.url}\nfilter:\n  - css: '#policy'\n  - html2text: {method}\n"
            for job in jobs
        ]
        (work / "urls.yaml").write_text("---\n".join(docs), encoding="utf-8")
        (work / "urlwatch.yaml").write_text(
            "display: {new: true, error: true, unchanged: false, empty-diff: true}\n"
            "report:\n"
            "  text: {line_length: 75, details: true, footer: false, minimal: false, separate: false}\n"
            "  stdout: {enabled: true, color: false}\n",
            encoding="utf-8",
        )
        files = [
            "--urls",
            str(work / "urls.yaml"),
            "--config",
            str(work / "urlwatch.yaml"),
            "--cache",
            str(work / "cache.db"),
            "--hooks",
            str(work / "hooks.py"),  # absent: no hooks
        ]
        if concurrency == URLWATCH_WORKERS:
            self.cmd = [str(venv / "bin" / "urlwatch"), *files]
        else:
            self.cmd = [str(venv / "bin" / "python"), "-c", URLWATCH_SHIM, str(concurrency), *files]

    def cycle(self) -> Result:
        run = measure(self.cmd, self.work, self.env)
        if run.rc != 0:
            raise RuntimeError(f"urlwatch failed ({run.rc}): {run.stderr[-2000:]}")
        jobs = parse_urlwatch_report(run.stdout)
        summary = dict((name, verb) for verb, name in _SUMMARY.findall(run.stdout))
        if summary != {name: verb for name, (verb, _) in jobs.items()}:
            raise RuntimeError("urlwatch's report: its summary and its details disagree")
        outcomes = Counter(verb.lower() for verb, _ in jobs.values())
        outcomes["unchanged"] = self.n - sum(outcomes.values())
        alerts = {name for name, (verb, _) in jobs.items() if verb == "CHANGED"}
        return Result(UW, run, +outcomes, alerts, {k: v[1] for k, v in jobs.items()})


# ---------------------------------------------------------------------------------------------
# pages


def corpus_texts() -> list[str]:
    from tests.materiality.build import corpus_dir

    return [p.read_text(encoding="utf-8") for p in sorted(corpus_dir().glob("*.txt"))]


def throughput_pages(n: int, changed: Iterable[int] = ()) -> Pages:
    """bench/check.py's pages: corpus policy i % 7, markup variant i % 5, every fourth page GBK.

    A changed page has CHANGE_LINE appended. Equal pages share one bytes object (one ETag hash,
    one copy through the pipe)."""
    from tests.helpers.edits import to_html

    texts = corpus_texts()
    changed = set(changed)
    cache: dict[tuple[int, int, bool, bool], tuple[bytes, str]] = {}
    pages: Pages = {}
    for i in range(n):
        key = (i % len(texts), i % 5, i % 4 == 3, i in changed)
        if key not in cache:
            t, variant, gbk, edited = key
            text = texts[t] + ("\n" + CHANGE_LINE if edited else "")
            if gbk:
                body = to_html(text, charset="gbk", variant=variant).encode("gbk", "xmlcharrefreplace")
                cache[key] = (body, "text/html; charset=gbk")
            else:
                cache[key] = (to_html(text, variant=variant).encode("utf-8"), "text/html; charset=utf-8")
        pages[f"/p{i}"] = cache[key]
    return pages


# ---------------------------------------------------------------------------------------------
# 1. throughput

CYCLES = ("first", "unchanged-304", "unchanged-200", "changed")
CYCLE_LABELS = {
    "first": "first (all new)",
    "unchanged-304": "unchanged (ETag → 304)",
    "unchanged-200": "unchanged, no ETag (200)",
    "changed": "{pct} edited (200)",
}


def run_throughput(n: int, args: argparse.Namespace, venv: Path, run_no: int = 0) -> dict[str, Any]:
    """One fresh server with ``n`` pages, every tool through the four cycles (args.base: the baseline
    policy-monitor as a third tool). Figures per cycle and tool."""
    n_hosts = max(1, -(-n // args.per_host))
    log(f"throughput: {n} pages on {n_hosts} loopback hosts (run {run_no + 1})")
    server = Server(n_hosts)
    tmp = tempfile.TemporaryDirectory(prefix="pm-peers-")
    out: dict[str, Any] = {"operators": n, "hosts": n_hosts, "cycles": {}}
    try:
        server.tell("pages", throughput_pages(n))
        jobs = [Job(f"op{i:05d}", server.url(i, f"/p{i}")) for i in range(n)]
        tools: list[PolicyMonitor | Urlwatch] = [
            PolicyMonitor(Path(tmp.name) / "pm", jobs, args.concurrency, args.delay),
            Urlwatch(Path(tmp.name) / "uw", jobs, args.concurrency, args.method, venv),
        ]
        if args.base is not None:
            tools.append(
                PolicyMonitor(Path(tmp.name) / "base", jobs, args.concurrency, args.delay, args.base)
            )
        out["tools"] = [t.name for t in tools]
        k = round(n * args.changed)
        edited = list(range(0, n, max(1, n // k)))[:k] if k else []
        for c, cycle in enumerate(CYCLES):
            if cycle == "unchanged-200":
                server.tell("etag", False)
            elif cycle == "changed":
                server.tell("pages", throughput_pages(n, edited))
            first = (run_no + c) % len(tools)  # with two tools: alternate; with three: rotate
            order = tools[first:] + tools[:first]
            row: dict[str, Any] = {}
            for tool in order:
                res = tool.cycle()
                row[tool.name] = {
                    "wall": res.run.wall,
                    "cpu": res.run.cpu,
                    "rss_mb": res.run.rss_mb,
                    "checks_per_s": n / res.run.wall,
                    "outcomes": dict(res.outcomes),
                    "alerts": len(res.alerts),
                }
                log(
                    f"  {cycle:<14} {tool.name:<22} {res.run.wall:7.2f} s wall {res.run.cpu:7.2f} s CPU "
                    f"{res.run.rss_mb:6.0f} MB  {dict(res.outcomes)}"
                )
            row["order"] = [t.name for t in order]
            out["cycles"][cycle] = row
    finally:
        server.stop()
        tmp.cleanup()
    return out


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def tools_of(run: dict[str, Any]) -> list[str]:
    """The tools of a throughput run, in the order of the tables (runs before --baseline: two)."""
    tools: list[str] = run.get("tools", [PM, UW])
    return tools


def ratio_pairs(tools: list[str]) -> list[tuple[str, str]]:
    """(numerator, denominator): policy-monitor ÷ urlwatch, and with a baseline b: b ÷ urlwatch and
    policy-monitor ÷ b."""
    pairs = [(PM, UW)]
    for base in tools[2:]:
        pairs += [(base, UW), (PM, base)]
    return pairs


def fixed_cost_table(runs: list[dict[str, Any]]) -> str:
    """Every tool on a single page: what a process costs before the pages do (median of the runs)."""
    lines = [
        f"| one page, median of {len(runs)} runs | tool | wall s | CPU s | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for cycle, label in (
        ("unchanged-304", CYCLE_LABELS["unchanged-304"]),
        ("changed", "the page edited (200)"),
    ):
        for tool in tools_of(runs[0]):
            rows = [r["cycles"][cycle][tool] for r in runs]
            lines.append(
                f"| {label} | {tool} | {_median([x['wall'] for x in rows]):.2f} "
                f"| {_median([x['cpu'] for x in rows]):.2f} | {_median([x['rss_mb'] for x in rows]):.0f} |"
            )
    return "\n".join(lines)


def throughput_table(runs: list[dict[str, Any]], changed: float) -> str:
    n = runs[0]["operators"]
    lines = [
        f"| cycle ({n:,} pages) | tool | wall s per run | checks/s (median) | CPU s per run "
        "| peak RSS MB per run | what the tool reported |",
        "|---|---|---|---|---|---|---|",
    ]
    tools = tools_of(runs[0])
    pairs = ratio_pairs(tools)
    several = len(pairs) > 1
    ratio_lines = [
        "| cycle |" + (" ratio |" if several else "") + " wall time | CPU time | peak RSS |",
        "|---|" + ("---|" if several else "") + "---|---|---|",
    ]
    for cycle in CYCLES:
        label = CYCLE_LABELS[cycle].format(pct=f"{changed:.0%}")
        med: dict[str, dict[str, float]] = {}
        for tool in tools:
            rows = [r["cycles"][cycle][tool] for r in runs]
            walls = [x["wall"] for x in rows]
            cpus = [x["cpu"] for x in rows]
            rss = [x["rss_mb"] for x in rows]
            med[tool] = {"wall": _median(walls), "cpu": _median(cpus), "rss": _median(rss)}
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(rows[0]["outcomes"].items()))
            lines.append(
                f"| {label} | {tool} | {' / '.join(f'{w:.2f}' for w in walls)} | {n / _median(walls):.0f} "
                f"| {' / '.join(f'{c:.2f}' for c in cpus)} | {' / '.join(f'{m:.0f}' for m in rss)} "
                f"| {outcomes} |"
            )
        for a, b in pairs:
            p, u = med[a], med[b]
            ratio_lines.append(
                f"| {label} |"
                + (f" {a} ÷ {b} |" if several else "")
                + f" {p['wall'] / u['wall']:.2f} | {p['cpu'] / u['cpu']:.2f} | {p['rss'] / u['rss']:.2f} |"
            )
    title = (
        "policy-monitor ÷ urlwatch (medians; below 1: policy-monitor takes less)"
        if not several
        else "Ratios of the medians (below 1: the first tool takes less)"
    )
    return "\n".join(lines) + f"\n\n{title}\n\n" + "\n".join(ratio_lines)


# ---------------------------------------------------------------------------------------------
# 2. alerts on the materiality edits

NOISE_TYPES = (  # (keyword in the case id, type), first match wins
    ("width", "width (full/half)"),
    ("rewrap", "line wrapping"),
    ("whitespace", "white space"),
    ("squeeze", "white space"),
    ("crlf", "line endings, BOM"),
    ("gbk-txt", "encoding (UTF-8 → GBK)"),
    ("utf8-to-gbk", "markup + encoding"),
    ("html", "markup (page template)"),
    ("typo", "typo"),
    ("date", "date"),
    ("footer-year", "date"),
    ("reorder", "reorder"),
    ("renumber", "renumbering"),
    ("toc", "table of contents"),
    ("wording", "wording"),
    ("dedup", "wording"),
    ("stray", "stray page text"),
)


def noise_type(case_id: str) -> str:
    slug = case_id.split("--", 1)[1]
    return next((t for key, t in NOISE_TYPES if key in slug), "other")


def norm(s: str) -> str:
    """As tests/materiality/score.py: NFKC, white space removed."""
    return "".join(unicodedata.normalize("NFKC", s or "").split()).replace("\u200b", "")


@dataclass
class Case:
    id: str
    kind: str
    group: str
    marker: str | None
    marker_in: str
    expect_any: list[str]
    allow: list[str]
    old: tuple[bytes, str]
    new: tuple[bytes, str]


def _ctype(encoding: str) -> str:
    return f"text/html; charset={'gbk' if encoding == 'gbk' else 'utf-8'}"


def load_cases(set_name: str, every: int = 1) -> tuple[list[Case], list[tuple[str, str]]]:
    """The benchmark's cases as served HTML pages; those that become identical as HTML are skipped."""
    from tests.materiality.build import SpecError, render, specs_for

    cases: list[Case] = []
    skipped: list[tuple[str, str]] = []
    for spec in specs_for(set_name)[::every]:
        as_html = dict(spec, ext="html", encoding=spec.get("encoding", "utf-8"))
        try:
            old, new, label = render(as_html)
        except SpecError as e:
            skipped.append((spec["id"], str(e).split(": ", 1)[-1]))
            continue
        new_enc = as_html["encoding"]
        old_enc = spec.get("old_encoding", new_enc)
        kind = label["kind"]
        cases.append(
            Case(
                id=spec["id"],
                kind=kind,
                group=noise_type(spec["id"]) if kind in ("format", "cosmetic") else kind,
                marker=label["marker"],
                marker_in=label["marker_in"],
                expect_any=label["expect_any"],
                allow=label["allow"],
                old=(old, _ctype(old_enc)),
                new=(new, _ctype(new_enc)),
            )
        )
    return cases, skipped


def uw_alert_facts(case: Case, lines: list[str]) -> dict[str, Any]:
    """What urlwatch's alert (its unified diff) carries about the edit."""
    hunks = [ln for ln in lines if ln.startswith("@@")]
    plus = [ln[1:] for ln in lines if ln.startswith("+") and not ln.startswith("+++")]
    minus = [ln[1:] for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    shown = plus if case.marker_in == "new" else minus
    return {
        "hunks": len(hunks),
        "changed_lines": len(plus) + len(minus),
        "marker_shown": bool(case.marker) and norm(case.marker or "") in norm("".join(shown)),
        "where": hunks[:3],  # a unified diff locates a change by line numbers only
        "clause_named": False,  # no field for it: hunk headers are `@@ -a,b +c,d @@`
        "item_named": False,  # no field for it
    }


def pm_alert_facts(case: Case, comparison: dict[str, Any]) -> dict[str, Any]:
    """What policy-monitor's alert (the comparison of the two versions) carries about the edit."""
    changes = comparison.get("changes") or []
    material = [c for c in changes if c.get("material")]
    side, path_key = ("new_text", "new_path") if case.marker_in == "new" else ("old_text", "old_path")
    hit = [c for c in material if case.marker and norm(case.marker) in norm(c.get(side) or "")]
    categories = sorted({cat for c in material for cat in c.get("categories") or []})
    return {
        "changes": len(changes),
        "material_changes": len(material),
        "marker_shown": bool(hit),
        "clause_named": any(c.get(path_key) for c in hit),
        "item_named": any(
            set(c.get("categories") or []) & set(case.expect_any) and c.get("criteria") for c in hit
        ),
        "paths": [c.get(path_key) for c in hit][:3],
        "categories": categories,
        "criteria": sorted({k for c in hit for k in c.get("criteria") or []})[:3],
        "evidence": [e for c in material for e in c.get("evidence") or []][:3],
    }


def run_cases(args: argparse.Namespace, venv: Path) -> dict[str, Any]:
    every = 3 if args.quick else 1
    cases, skipped = load_cases(args.cases, every)
    log(
        f"alerts: {len(cases)} cases of set {args.cases} served as HTML "
        f"({len(skipped)} skipped: identical as HTML)"
    )
    server = Server(len(cases))
    tmp = tempfile.TemporaryDirectory(prefix="pm-peers-cases-")
    try:
        jobs = [Job(c.id, server.url(i, f"/{c.id}")) for i, c in enumerate(cases)]
        pm = PolicyMonitor(Path(tmp.name) / "pm", jobs, args.concurrency, args.delay)
        uws = {
            method: Urlwatch(Path(tmp.name) / f"uw-{method}", jobs, args.concurrency, method, venv)
            for method in ("re", "pyhtml2text")
        }
        server.tell("pages", {f"/{c.id}": c.old for c in cases})
        first: list[PolicyMonitor | Urlwatch] = [pm, *uws.values()]
        for tool in first:
            res = tool.cycle()
            log(f"  old side  {tool.name:<15} {res.run.wall:6.2f} s  {dict(res.outcomes)}")
        before = pm.outbox()
        server.tell("pages", {f"/{c.id}": c.new for c in cases})
        pm_res = pm.cycle()
        log(f"  new side  {PM:<15} {pm_res.run.wall:6.2f} s  {dict(pm_res.outcomes)}")
        uw_res = {}
        for method, tool in uws.items():
            uw_res[method] = tool.cycle()
            log(
                f"  new side  {UW} ({method}) {uw_res[method].run.wall:6.2f} s  "
                f"{dict(uw_res[method].outcomes)}"
            )
        after = pm.outbox()
        if before is not None and after is not None:
            pm_alerts = {op for op in after if after[op] > before.get(op, 0)}
            source = "outbox: `policy-monitor alerts list --format json`, event policy.changed"
        else:
            pm_alerts = pm_res.alerts
            source = (
                "`policy-monitor check --format json`: outcome changed with material true "
                "(no alerting subsystem in this checkout)"
            )
        # what policy-monitor's alerts would carry: the comparison of every new version
        changed_ops = [c.id for c in cases if pm_res.detail.get(c.id, {}).get("outcome") == "changed"]
        log(f"  reading {len(changed_ops)} comparisons (policy-monitor diff OPERATOR --format json)")
        with ThreadPoolExecutor(2) as pool:
            comparisons = dict(zip(changed_ops, pool.map(pm.diff, changed_ops), strict=True))
        rows = []
        for c in cases:
            report = pm_res.detail.get(c.id, {})
            row: dict[str, Any] = {
                "id": c.id,
                "kind": c.kind,
                "group": c.group,
                "pm_outcome": report.get("outcome"),
                "pm_alert": c.id in pm_alerts,
                "pm": pm_alert_facts(c, comparisons[c.id]) if c.id in comparisons else None,
            }
            for method, res in uw_res.items():
                row[f"uw_{method}_alert"] = c.id in res.alerts
                row[f"uw_{method}"] = uw_alert_facts(c, res.detail[c.id]) if c.id in res.alerts else None
            rows.append(row)
        sample_id = next(
            (r["id"] for r in rows if r["kind"] == "material" and r["pm_alert"] and r["uw_re_alert"]), None
        )
        sample = None
        if sample_id:
            sample = {
                "id": sample_id,
                "urlwatch": "\n".join(uw_res["re"].detail[sample_id]),
                "policy-monitor": comparisons[sample_id],
            }
        return {
            "set": args.cases,
            "cases": len(cases),
            "skipped": skipped,
            "pm_alert_source": source,
            "rows": rows,
            "sample": sample,
            "timing": {
                PM: asdict(pm_res.run) | {"stdout": None, "stderr": None},
                **{
                    f"{UW} ({m})": asdict(r.run) | {"stdout": None, "stderr": None} for m, r in uw_res.items()
                },
            },
        }
    finally:
        server.stop()
        tmp.cleanup()


def _count(rows: list[dict[str, Any]], pred: Callable[[dict[str, Any]], bool]) -> int:
    return sum(1 for r in rows if pred(r))


def cases_tables(res: dict[str, Any]) -> str:
    rows: list[dict[str, Any]] = res["rows"]
    benign = [r for r in rows if r["kind"] in ("format", "cosmetic")]
    out = [
        f"Alerts per kind of edit ({res['cases']} cases of set `{res['set']}`, each one page; "
        "an alert is a CHANGED job for urlwatch, a new version with a material comparison for "
        "policy-monitor; 'versions' are new versions policy-monitor recorded without alerting)",
        "",
        "| edit (benign: should not alert) | kind | cases | urlwatch alerts (html2text re) "
        "| urlwatch alerts (html2text pyhtml2text) | policy-monitor alerts | policy-monitor versions |",
        "|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in benign:
        groups.setdefault((r["kind"], r["group"]), []).append(r)
    for (kind, group), rs in sorted(groups.items()):
        out.append(
            f"| {group} | {kind} | {len(rs)} | {_count(rs, lambda r: r['uw_re_alert'])} "
            f"| {_count(rs, lambda r: r['uw_pyhtml2text_alert'])} | {_count(rs, lambda r: r['pm_alert'])} "
            f"| {_count(rs, lambda r: r['pm_outcome'] == 'changed')} |"
        )
    out.append(
        f"| **all benign** | | {len(benign)} | **{_count(benign, lambda r: r['uw_re_alert'])}** "
        f"| **{_count(benign, lambda r: r['uw_pyhtml2text_alert'])}** "
        f"| **{_count(benign, lambda r: r['pm_alert'])}** "
        f"| {_count(benign, lambda r: r['pm_outcome'] == 'changed')} |"
    )
    mat = [r for r in rows if r["kind"] in ("material", "real")]

    def uw(key: str) -> Callable[[dict[str, Any]], bool]:
        return lambda r: bool(r["uw_re"] and r["uw_re"][key])

    def pm(key: str) -> Callable[[dict[str, Any]], bool]:
        return lambda r: bool(r["pm_alert"] and r["pm"] and r["pm"][key])

    uw_lines = [r["uw_re"]["changed_lines"] for r in mat if r["uw_re"]]
    pm_changes = [r["pm"]["changes"] for r in mat if r["pm_alert"] and r["pm"]]
    out += [
        "",
        f"Material edits ({len(mat)} cases: {_count(mat, lambda r: r['kind'] == 'material')} made, "
        f"{_count(mat, lambda r: r['kind'] == 'real')} real revision)",
        "",
        "| | urlwatch (html2text re) | policy-monitor |",
        "|---|---|---|",
        f"| alerts | {_count(mat, lambda r: r['uw_re_alert'])} | {_count(mat, lambda r: r['pm_alert'])} |",
        f"| alert shows the edited text (the case's marker) | {_count(mat, uw('marker_shown'))} "
        f"| {_count(mat, pm('marker_shown'))} |",
        f"| alert names the clause (section path) of the edit | {_count(mat, uw('clause_named'))} "
        "(its diff locates by line numbers: `@@ -a,b +c,d @@`) "
        f"| {_count(mat, pm('clause_named'))} |",
        f"| alert names the expected 重大变更 item | {_count(mat, uw('item_named'))} (no such field) "
        f"| {_count(mat, pm('item_named'))} |",
        f"| size of an alert (median / largest) | {_median([float(x) for x in uw_lines]):.0f} / "
        f"{max(uw_lines, default=0)} changed lines "
        f"| {_median([float(x) for x in pm_changes]):.0f} / {max(pm_changes, default=0)} changed clauses |",
    ]
    out += ["", f"policy-monitor's alerts counted from {res['pm_alert_source']}."]
    if res["skipped"]:
        out.append(
            "Skipped (the edit leaves the served HTML page byte-identical): "
            + ", ".join(f"`{i}`" for i, _ in res["skipped"])
        )
    missed = [r["id"] for r in mat if not r["pm_alert"]]
    false = [
        f"`{r['id']}` ({', '.join(r['pm']['categories']) if r['pm'] else '?'})"
        for r in benign
        if r["pm_alert"]
    ]
    if false:
        out.append("policy-monitor alerts on benign edits: " + ", ".join(false))
    if missed:
        out.append(
            "policy-monitor misses (no alert on a material edit): " + ", ".join(f"`{m}`" for m in missed)
        )
    uw_missed = [r["id"] for r in mat if not r["uw_re_alert"]]
    if uw_missed:
        out.append("urlwatch misses: " + ", ".join(f"`{m}`" for m in uw_missed))
    return "\n".join(out)


def sample_alerts(sample: dict[str, Any], max_lines: int = 14) -> str:
    """The alerts of both tools on one material edit, as they print them (trimmed)."""
    uw_lines = sample["urlwatch"].split("\n")
    uw_text = "\n".join(
        uw_lines[:max_lines]
        + ([f"… ({len(uw_lines) - max_lines} more lines)"] if len(uw_lines) > max_lines else [])
    )
    changes = [c for c in sample["policy-monitor"].get("changes", []) if c.get("material")]
    keep = ("kind", "old_path", "new_path", "material", "categories", "criteria", "evidence")
    pm = [{k: c.get(k) for k in keep} for c in changes]
    return (
        f"What each alert carries, case `{sample['id']}` (urlwatch's report, and the material changes "
        "of the comparison policy-monitor's alert carries, texts and word diff left out):\n\n"
        f"```diff\n{uw_text}\n```\n\n```json\n{json.dumps(pm, ensure_ascii=False, indent=1)}\n```"
    )


# ---------------------------------------------------------------------------------------------
# 3. the plot


def plot(points: list[dict[str, Any]], png: Path, venv: Path, meta: dict[str, Any]) -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"points": points, "meta": meta}, f)
    try:
        subprocess.run([str(venv / "bin" / "python"), str(PLOT_SCRIPT), f.name, str(png)], check=True)
    finally:
        os.unlink(f.name)


def plot_table(points: list[dict[str, Any]]) -> str:
    lines = [
        "| pages | hosts | tool | "
        + " | ".join(f"{CYCLE_LABELS[c].format(pct='10%')} checks/s" for c in CYCLES)
        + " | peak RSS MB (max) |",
        "|---|---|---|" + "---|" * (len(CYCLES) + 1),
    ]
    for p in points:
        for tool in tools_of(p):
            cells = [f"{p['cycles'][c][tool]['checks_per_s']:.0f}" for c in CYCLES]
            rss = max(p["cycles"][c][tool]["rss_mb"] for c in CYCLES)
            lines.append(
                f"| {p['operators']:,} | {p['hosts']:,} | {tool} | {' | '.join(cells)} | {rss:.0f} |"
            )
    pairs = ratio_pairs(tools_of(points[0])) if points else []
    if len(pairs) > 1:  # with a baseline: the wall-time ratios per size
        lines += [
            "",
            "Wall time of one cycle, ratios (below 1: the first tool takes less)",
            "",
            "| pages | ratio | " + " | ".join(CYCLE_LABELS[c].format(pct="10%") for c in CYCLES) + " |",
            "|---|---|" + "---|" * len(CYCLES),
        ]
        for p in points:
            for a, b in pairs:
                cells = [f"{p['cycles'][c][a]['wall'] / p['cycles'][c][b]['wall']:.2f}" for c in CYCLES]
                lines.append(f"| {p['operators']:,} | {a} ÷ {b} | {' | '.join(cells)} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def dict_args(args: argparse.Namespace, **changes: Any) -> argparse.Namespace:
    return argparse.Namespace(**(vars(args) | changes))


def machine() -> dict[str, Any]:
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
        "commit": commit,
        "load": os.getloadavg(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--operators", type=int, default=1000, help="pages in the throughput table (default 1000)"
    )
    ap.add_argument("--repeat", type=int, default=2, help="runs of the throughput table (default 2)")
    ap.add_argument(
        "--changed", type=float, default=0.10, help="share of pages edited in the last cycle (0.10)"
    )
    ap.add_argument("--per-host", type=int, default=1, help="pages per loopback address (default 1)")
    ap.add_argument(
        "--concurrency",
        type=int,
        default=URLWATCH_WORKERS,
        help="requests in flight, both tools (default 10)",
    )
    ap.add_argument(
        "--delay", type=float, default=1.0, help="policy-monitor's per-host delay, seconds (default 1)"
    )
    ap.add_argument(
        "--method",
        default="re",
        choices=("re", "pyhtml2text"),
        help="urlwatch's html2text method in the throughput runs (default re, urlwatch's default); "
        "the alert table runs both",
    )
    ap.add_argument(
        "--cases", default="all", choices=("tuning", "holdout", "all"), help="materiality set (default all)"
    )
    ap.add_argument("--no-throughput", action="store_true", help="skip the throughput table")
    ap.add_argument("--no-alerts", action="store_true", help="skip the alert table")
    ap.add_argument(
        "--plot",
        nargs="?",
        const=str(DEFAULT_PNG),
        metavar="PNG",
        help="also measure --sizes and draw checks/s per cycle "
        f"(default file {DEFAULT_PNG.relative_to(ROOT)})",
    )
    ap.add_argument(
        "--sizes", default="100,300,1000,3000,10000", help="page counts of the plot (default 100,…,10000)"
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 200 pages once, a third of the cases, plot sizes 100,300",
    )
    ap.add_argument(
        "--baseline",
        metavar="REV",
        help="also run this git revision of policy-monitor (e.g. e85d738, a tag) in the throughput, "
        "fixed-cost and plot runs, as policy-monitor@<sha> (bench/.baseline-<sha>, its own virtualenv)",
    )
    ap.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    ap.add_argument("--peers-venv", default=str(PEERS_VENV), help="the peers' virtualenv (bench/.peers-venv)")
    ap.add_argument(
        "--setup",
        action="store_true",
        help="only create the peers' virtualenv (and --baseline's), then exit",
    )
    args = ap.parse_args()
    if args.quick:
        args.operators, args.repeat = min(args.operators, 200), 1
        if args.sizes == ap.get_default("sizes"):
            args.sizes = "100,300"

    venv = ensure_peers_venv(Path(args.peers_venv))
    args.base = prepare(args.baseline) if args.baseline else None
    if args.setup:
        print(f"{venv}: ready" + (f"; {args.base.root}: ready" if args.base else ""))
        return
    compile_trees(args.base)
    info = machine() | {"versions": versions(venv, args.base)}
    pool = "its fixed" if args.concurrency == URLWATCH_WORKERS else "a shim-set"
    settings = (
        f"concurrency {args.concurrency} for {'all three' if args.base else 'both'} "
        f"(urlwatch: {pool} worker pool); "
        f"policy-monitor per_host_delay {args.delay:g} s, retries 3, timeout 30 s (watchlist "
        f"defaults); urlwatch has no per-host delay; {args.per_host} page(s) per loopback address; "
        "filters: policy-monitor `selector: '#policy'`, urlwatch `css: '#policy'` + "
        f"`html2text: {args.method}`"
    )
    if args.base is not None:
        settings += (
            f"; {args.base.label}: the same watchlist and pages, run as "
            f"{args.base.exe.relative_to(ROOT)} (a worktree of {args.base.rev} with its own virtualenv)"
        )
    v = info["versions"]
    print(
        f"# bench/peers.py — {info['date']}, commit {info['commit']}, {info['cores']} cores ({info['cpu']}), "
        f"Python {info['python']}, policy-monitor {v['policy-monitor']}, urlwatch {v['urlwatch']} "
        f"(html2text {v['html2text']}); load average at start {info['load'][0]:.2f}"
        + (f"; baseline {args.base.label} ({v[args.base.label]})" if args.base else "")
        + "\n"
    )
    print(f"Settings: {settings}\n", flush=True)
    results: dict[str, Any] = {
        "machine": info,
        "settings": settings,
        "args": vars(args) | {"base": str(args.base.root) if args.base else None},
    }
    if not args.no_throughput:
        runs = [run_throughput(args.operators, args, venv, r) for r in range(args.repeat)]
        results["throughput"] = runs
        print(f"## Throughput: one cycle over {args.operators:,} pages, {args.repeat} run(s)\n")
        print(throughput_table(runs, args.changed) + "\n", flush=True)
        one = [run_throughput(1, dict_args(args, changed=1.0), venv, r) for r in range(3)]
        results["one_page"] = one
        print("Fixed cost of one invocation (start-up, opening the store, the report):\n")
        print(fixed_cost_table(one) + "\n", flush=True)
    if not args.no_alerts:
        res = run_cases(args, venv)
        results["alerts"] = res
        print("## Alerts on the materiality benchmark's edits\n")
        print(cases_tables(res) + "\n", flush=True)
        if res["sample"]:
            print(sample_alerts(res["sample"]) + "\n", flush=True)
    if args.plot:
        sizes = [int(s) for s in args.sizes.split(",")]
        points = []
        for n in sizes:
            reuse = results.get("throughput", [])
            points.append(reuse[0] if reuse and n == args.operators else run_throughput(n, args, venv))
        results["plot"] = points
        png = Path(args.plot)
        plot(points, png, venv, {"settings": settings, "changed": args.changed, **info})
        print(f"## Checks/s of one cycle against the number of pages ({png})\n")
        print(plot_table(points) + "\n", flush=True)
    if args.json:
        Path(args.json).write_text(
            json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        log(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
