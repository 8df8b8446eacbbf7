"""``policy-monitor run`` under load: memory of one worker over many cycles, and throughput of one, two
and three workers sharing one PostgreSQL database.

    .venv/bin/python bench/daemon.py                      # 1,000 operators, 50 cycles, 1-3 workers
    .venv/bin/python bench/daemon.py --operators 200 --cycles 10 --seconds 15    # a quick look
    .venv/bin/python bench/daemon.py --baseline e85d738   # also an earlier revision, same run

The pages are bench/check.py's (the corpus policies as HTML, every fourth one GBK), served by
tests/helpers/policy_server.py in a child process on 127.0.0.2 …, four operators per host, with ETags.
The workers are real ``policy-monitor run`` subprocesses with ``interval: 0s`` (an operator is due
again as soon as it was checked) and no jitter, so they run flat out; a *cycle* is one check per
operator. The per-host delay is 0 by default (--delay): the figures are the worker's, not the
politeness limit's.

1. baseline   one ``policy-monitor check`` cycle in this process (pipeline.check), all unchanged
2. memory     one worker for --cycles cycles after its first (ETag on and off every 10 cycles,
              1% of the pages edited at cycle 2 and at half-time): its RSS at each cycle, which
              must not grow from cycle 5 on (the first edit loads jieba's dictionary)
3. scale-out  1, 2, 3 workers for --seconds each (after a warm-up): checks/s, and the ratio to one
              worker and to the baseline

--baseline REV (any git revision; not to be confused with the in-process baseline of step 1) runs
that revision of policy-monitor too, labelled policy-monitor@<sha>: bench/baseline.py checks it out
as a git worktree in bench/.baseline-<sha> with its own virtualenv, whose interpreter runs its
workers. It gets its own page server (the same pages), its own database (a second schema, or SQLite
file) first filled by one `check` of its own, and then the memory run (2) and the one-worker
throughput (3), the latter in the order this, baseline, baseline, this; the ratios this ÷ baseline
of RSS and of checks/s are printed.

PostgreSQL: POLICY_MONITOR_TEST_PG or postgresql+psycopg://postgres@127.0.0.1:5432/test, in a
schema of its own that is dropped at the end (--db to give another URL; without PostgreSQL the
memory run uses SQLite and the scale-out is skipped). Figures depend on the machine: compare the
ratios, which this run measures against its own baseline.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baseline import Baseline, prepare  # noqa: E402  (bench/baseline.py)

PG_DEFAULT = os.environ.get("POLICY_MONITOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _pg_schema(base: str) -> tuple[str, Callable[[], None]] | None:
    """A fresh schema on ``base`` (a URL whose search_path points at it) and its cleanup; None when
    PostgreSQL cannot be reached."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(base)
    info: dict[str, Any] = {"host": u.host, "port": u.port or 5432, "user": u.username, "dbname": u.database}
    schema = f"pm_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(**info, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:
        print(f"PostgreSQL not reachable ({str(exc).strip().splitlines()[0]})")
        return None

    def drop() -> None:
        with psycopg.connect(**info, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


class Bench:
    watchlist: Path

    def __init__(self, args: argparse.Namespace, tmp: Path, tree: Baseline | None = None) -> None:
        """This tree's policy-monitor, or the ``tree`` revision's (workers run by its interpreter)."""
        self.args = args
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.label = tree.label if tree else "policy-monitor"
        self.python = str(tree.python) if tree else sys.executable
        self.package_root = tree.root if tree else ROOT
        self.n = args.operators
        n_hosts = max(1, -(-self.n // args.per_host))
        self.hosts = [f"127.0.{2 + h // 250}.{1 + h % 250}" for h in range(n_hosts)]
        self.procs: list[subprocess.Popen[bytes]] = []

    # -- the page server (bench/check.py's) ------------------------------------------------------

    def serve(self) -> None:
        from check import _serve  # bench/check.py

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.server = ctx.Process(target=_serve, args=(self.hosts, self.n, 0, child), daemon=True)
        self.server.start()
        self.port = self.conn.recv()

    def tell(self, *msg: object) -> None:
        self.conn.send(msg)
        self.conn.recv()

    def write_watchlist(self) -> Path:
        lines = [
            f"fetch: {{per_host_delay: {self.args.delay}, retries: 1, timeout: 30s, "
            f"concurrency: {self.args.concurrency}}}",
            "defaults: {interval: 0s}",
            "operators:",
        ]
        for i in range(self.n):
            lines += [
                f"  - id: op{i:04d}",
                f"    name: op{i}",
                f"    url: http://{self.hosts[i % len(self.hosts)]}:{self.port}/p{i}",
                "    selector: '#policy'",
            ]
        path = self.tmp / "watchlist.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    # -- workers ---------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "POLICY_MONITOR_RAW": str(self.tmp / "raw"),
            "PYTHONPATH": str(self.package_root),
        }

    def start_worker(self, name: str, db: str) -> subprocess.Popen[bytes]:
        env = self.env()
        cmd = [
            self.python, "-m", "monitor", "--watchlist", str(self.watchlist), "--db", db,
            "run", "--jitter", "0", "--poll", "0.2", "--log-format", "json", "--grace", "60",
        ]  # fmt: skip
        with open(self.tmp / f"{name}.log", "ab") as err:
            proc = subprocess.Popen(cmd, cwd=self.tmp, env=env, stdout=subprocess.DEVNULL, stderr=err)
        self.procs.append(proc)
        return proc

    def stop(self, procs: list[subprocess.Popen[bytes]]) -> None:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            code = p.wait(120)
            if code != 0:
                sys.exit(f"a worker exited with {code}: see {self.tmp}")

    def checks(self, db: str) -> int:
        from sqlalchemy import text

        from monitor.store.db import make_engine

        if not hasattr(self, "_engines"):
            self._engines: dict[str, Any] = {}
        engine = self._engines.setdefault(db, make_engine(db))
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM checks")).scalar_one())

    # -- 1. baseline -----------------------------------------------------------------------------

    def baseline(self, db: str) -> float:
        from collections import Counter

        from monitor.store.db import open_store
        from monitor.watch.fetch import FetchSettings
        from monitor.watch.run import check
        from monitor.watchlist import load

        wl = load(self.watchlist)
        store = open_store(db, raw=self.tmp / "raw")
        settings = FetchSettings.from_config(wl.fetch)
        t0 = time.perf_counter()
        first = check(store, wl, (), settings)  # first versions: not the figure
        print(f"first versions of {self.n} operators: {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        reports = check(store, wl, (), settings)
        dt = time.perf_counter() - t0
        store.dispose()
        rate = len(reports) / dt
        outcomes = dict(Counter(r.outcome for r in reports))
        print(f"baseline: one `check` cycle in-process: {dt:.1f} s, {rate:.0f} checks/s {outcomes}")
        assert len(first) == self.n
        return rate

    def seed(self, db: str) -> None:
        """First versions of every operator, by one `check` of this Bench's policy-monitor."""
        t0 = time.perf_counter()
        cmd = [self.python, "-m", "monitor", "--watchlist", str(self.watchlist), "--db", db, "check"]
        with open(self.tmp / "seed.log", "ab") as err:
            code = subprocess.run(cmd, cwd=self.tmp, env=self.env(), stdout=subprocess.DEVNULL, stderr=err)
        if code.returncode not in (0, 1):
            sys.exit(f"{self.label} check exited with {code.returncode}: see {self.tmp / 'seed.log'}")
        print(f"{self.label}: first versions of {self.n} operators: {time.perf_counter() - t0:.1f} s")

    # -- 2. memory -------------------------------------------------------------------------------

    def memory(self, db: str) -> dict[int, float]:
        cycles = self.args.cycles
        tag = "" if self.label == "policy-monitor" else f" ({self.label})"
        print(f"\nmemory{tag}: one worker, {cycles} cycles of {self.n} operators after its first")
        print(f"{'cycle':>6} {'checks':>8} {'seconds':>8} {'checks/s':>9} {'RSS MB':>8}  note")
        start_count = self.checks(db)
        proc = self.start_worker("memory", db)
        rss: dict[int, float] = {}
        t_prev = t0 = time.monotonic()
        done_prev = 0
        note = ""
        etag = True
        for cycle in range(cycles + 1):
            target = (cycle + 1) * self.n
            while True:
                if proc.poll() is not None:
                    sys.exit(f"the worker exited with {proc.returncode}: see {self.tmp / 'memory.log'}")
                done = self.checks(db) - start_count
                if done >= target:
                    break
                time.sleep(0.2)
            now = time.monotonic()
            rss[cycle] = _rss_mb(proc.pid)
            if cycle == 0 or cycle % 5 == 0 or cycle == cycles:
                rate = (done - done_prev) / (now - t_prev) if now > t_prev else 0.0
                print(
                    f"{cycle:>6} {done:>8} {now - t0:>8.1f} {rate:>9.0f} {rss[cycle]:>8.1f}  {note}",
                    flush=True,
                )
                t_prev, done_prev, note = now, done, ""
            if cycle and cycle % 10 == 0 and cycle < cycles:
                etag = not etag
                self.tell("etag", etag)
                note = "ETag " + ("on: 304s" if etag else "off: 200s, same bytes")
            if cycle in (2, cycles // 2):  # the first edit loads the comparison's models: early
                k, first = max(1, self.n // 100), 0 if cycle == 2 else 1  # other pages the second time
                self.tell("change", list(range(first, self.n, self.n // k))[:k])
                note = f"{k} pages edited" + (f"; {note}" if note else "")
        self.stop([proc])
        self.tell("etag", True)
        return rss

    # -- 3. scale-out ----------------------------------------------------------------------------

    def throughput(self, db: str, workers: int) -> tuple[float, float]:
        """Checks/s and worker CPU ms per check of ``workers`` workers over --seconds after --warmup
        (printed, with this Bench's label when it runs a baseline revision)."""
        procs = [self.start_worker(f"scale{workers}-{i}", db) for i in range(workers)]
        time.sleep(self.args.warmup)
        c0, t0, cpu0, m0 = self.checks(db), time.monotonic(), _cpu(procs), _machine()
        time.sleep(self.args.seconds)
        c1, t1, cpu1, m1 = self.checks(db), time.monotonic(), _cpu(procs), _machine()
        rss = [_rss_mb(p.pid) for p in procs]
        self.stop(procs)
        n = c1 - c0
        rate = n / (t1 - t0)
        busy = (m1[0] - m0[0]) / max(m1[1] - m0[1], 1)
        cpu_ms = (cpu1 - cpu0) / max(n, 1) * 1000
        tag = "" if self.label == "policy-monitor" else f"{self.label}: "
        print(
            f"{tag}{workers} worker{'s' if workers > 1 else ' '}  {n:>7} checks in {t1 - t0:5.1f} s: "
            f"{rate:7.0f} checks/s, worker CPU {cpu_ms:5.2f} ms/check, "
            f"machine busy {busy:4.0%}, RSS MB {', '.join(f'{r:.0f}' for r in rss)}",
            flush=True,
        )
        return rate, cpu_ms


def _cpu(procs: list[subprocess.Popen[bytes]]) -> float:
    """CPU seconds (user + system) used so far by the processes."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in procs:
        fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def rss_report(rss: dict[int, float], operators: int) -> str:
    """The memory run's figures: RSS after the first cycle, at cycle 5, at the last, and the growth."""
    last = max(rss)
    if last < 10:
        return f"RSS by cycle: {', '.join(f'{c}: {r:.1f} MB' for c, r in rss.items())}"
    half = 5 + (last - 5) // 2
    first_half = max(r for c, r in rss.items() if 5 <= c <= half)
    second_half = max(r for c, r in rss.items() if c > half)
    return (
        f"RSS: {rss[0]:.1f} MB after the first cycle, {rss[5]:.1f} MB at cycle 5 (the first edit "
        f"loaded jieba), {rss[last]:.1f} MB at cycle {last}; peak over cycles 5-{half} "
        f"{first_half:.1f} MB, over cycles {half + 1}-{last} {second_half:.1f} MB: "
        f"ratio {second_half / first_half:.3f}; cycle {last} / cycle 5 = {rss[last] / rss[5]:.3f} "
        f"({rss[last] - rss[5]:+.1f} MB over {(last - 5) * operators} checks)"
    )


def rss_ratios(this: dict[int, float], base: dict[int, float], label: str) -> str:
    """RSS of this tree's worker ÷ the baseline revision's, after the first cycle, at the last, peak."""
    last = max(this)
    return (
        f"RSS this ÷ {label}: after the first cycle {this[0]:.1f} / {base[0]:.1f} MB = "
        f"{this[0] / base[0]:.3f}; cycle {last} {this[last]:.1f} / {base[last]:.1f} MB = "
        f"{this[last] / base[last]:.3f}; peak {max(this.values()):.1f} / {max(base.values()):.1f} MB = "
        f"{max(this.values()) / max(base.values()):.3f}"
    )


def one_worker_ratio(bench: Bench, db: str, other: Bench, other_db: str, first: tuple[float, float]) -> None:
    """One worker of each tree, in the order this (``first``, already measured), baseline, baseline,
    this: mean checks/s and worker CPU per check, and this ÷ baseline of both."""
    print(f"\none worker, this beside {other.label} (order: this, {other.label}, {other.label}, this)")
    b1 = other.throughput(other_db, 1)
    b2 = other.throughput(other_db, 1)
    t2 = bench.throughput(db, 1)
    this = [(first[k] + t2[k]) / 2 for k in (0, 1)]
    base = [(b1[k] + b2[k]) / 2 for k in (0, 1)]
    print(
        f"  one worker: this {this[0]:.0f} checks/s (mean of {first[0]:.0f}, {t2[0]:.0f}), {other.label} "
        f"{base[0]:.0f} checks/s (mean of {b1[0]:.0f}, {b2[0]:.0f}): this ÷ {other.label} = "
        f"{this[0] / base[0]:.2f} (above 1: this is faster)\n"
        f"  worker CPU per check: this {this[1]:.2f} ms, {other.label} {base[1]:.2f} ms: "
        f"this ÷ {other.label} = {this[1] / base[1]:.2f} (below 1: this needs less)"
    )


def databases(args: argparse.Namespace, tmp: Path, name: str) -> tuple[str, bool, Callable[[], None] | None]:
    """(URL, PostgreSQL?, cleanup) of the database ``name``: this tree's ("monitor") is --db when given;
    otherwise a fresh schema on the PostgreSQL server of --db or the default, else ``name``.db in
    ``tmp``."""
    if args.db and name == "monitor":
        return args.db, args.db.startswith("postgresql"), None
    if args.db and not args.db.startswith("postgresql"):
        return f"sqlite:///{tmp}/{name}.db", False, None
    made = _pg_schema(args.db or PG_DEFAULT)
    if made is not None:
        return made[0], True, made[1]
    return f"sqlite:///{tmp}/{name}.db", False, None


def shutdown(benches: list[Bench], cleanups: list[Callable[[], None]]) -> None:
    """Workers killed, page servers stopped, engines disposed, schemas dropped."""
    for b in benches:
        for p in b.procs:
            if p.poll() is None:
                p.kill()
        b.conn.send("stop")
        b.server.join(10)
        for engine in getattr(b, "_engines", {}).values():
            engine.dispose()
    for cleanup in cleanups:
        cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=1000)
    ap.add_argument("--per-host", type=int, default=4, help="operators per loopback host")
    ap.add_argument("--cycles", type=int, default=50, help="memory run: cycles after the first")
    ap.add_argument("--seconds", type=float, default=30.0, help="scale-out: measured seconds per run")
    ap.add_argument("--warmup", type=float, default=8.0, help="scale-out: seconds before measuring")
    ap.add_argument("--workers", default="1,2,3", help="scale-out: numbers of workers")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight per worker")
    ap.add_argument("--delay", type=float, default=0.0, help="per-host delay, seconds")
    ap.add_argument("--db", help=f"SQLAlchemy URL (default: a fresh schema on {PG_DEFAULT})")
    ap.add_argument(
        "--baseline",
        metavar="REV",
        help="also measure this git revision of policy-monitor (memory, one worker) and print this ÷ it",
    )
    args = ap.parse_args()

    tree = prepare(args.baseline) if args.baseline else None
    tmp = tempfile.TemporaryDirectory(prefix="pm-bench-daemon-")
    bench = Bench(args, Path(tmp.name))
    other = Bench(args, Path(tmp.name) / "baseline", tree) if tree else None
    cleanups: list[Callable[[], None]] = []
    db, pg, cleanup = databases(args, Path(tmp.name), "monitor")
    cleanups += [cleanup] if cleanup else []
    other_db = ""
    if other is not None:
        other_db, _, cleanup = databases(args, other.tmp, "baseline")
        cleanups += [cleanup] if cleanup else []
    benches = [bench] + ([other] if other else [])
    for b in benches:
        b.serve()
        b.watchlist = b.write_watchlist()
    from sqlalchemy.engine import make_url

    print(
        f"{args.operators} operators on {len(bench.hosts)} loopback hosts ({args.per_host} each), "
        f"concurrency {args.concurrency} per worker, per-host delay {args.delay:g} s, "
        f"{make_url(db).get_backend_name()}, {os.cpu_count()} CPUs"
        + (f"; beside {other.label} (its own page server and database)" if other else "")
    )
    try:
        base = bench.baseline(db)
        rss = bench.memory(db)
        print(rss_report(rss, args.operators))
        if other is not None:
            other.seed(other_db)
            other_rss = other.memory(other_db)
            print(f"{other.label}: {rss_report(other_rss, args.operators)}")
            print(rss_ratios(rss, other_rss, other.label))
        if pg:
            print(f"\nscale-out on PostgreSQL, {args.seconds:g} s each after {args.warmup:g} s of warm-up")
            runs = {w: bench.throughput(db, w) for w in (int(x) for x in args.workers.split(","))}
            rates = {w: run[0] for w, run in runs.items()}
            one = rates.get(1)
            for w, r in rates.items():
                vs_one = f"{r / one:.2f}x one worker, " if one else ""
                print(f"  {w} worker{'s' if w > 1 else ''}: {vs_one}{r / base:.2f}x the in-process baseline")
            if other is not None:
                one_worker_ratio(bench, db, other, other_db, runs.get(1) or bench.throughput(db, 1))
        else:
            print("\nscale-out skipped: it needs PostgreSQL (--db postgresql+psycopg://…)")
    finally:
        shutdown(benches, cleanups)
        tmp.cleanup()


if __name__ == "__main__":
    main()
