"""A soak: ``policy-monitor run`` over hundreds of operators for half an hour, some pages hostile.

    .venv/bin/python bench/soak.py                          # 500 operators, 30 minutes, 5 % hostile
    .venv/bin/python bench/soak.py --operators 100 --minutes 4 --interval 60    # a quick look

The pages are bench/check.py's (the corpus policies as HTML, every fourth one GBK) on loopback
hosts 127.0.0.2 …, four operators per host, served by a child process. One operator in twenty is
hostile, and shares its host with three healthy ones (so politeness per host is exercised too):

    slow        headers, then the body one byte a second, for ever (a slow-loris)
    huge        an 8 MiB page (over the 5 MiB cap), half of them chunked
    broken      a 500 for ever, or a body cut short after its headers promised more
    redirect    a redirect to port 99999, or a redirect loop
    flapping    every other answer is a captcha page instead of the policy

Every five minutes (--edit-every) 1 % of the healthy pages are edited (a sentence added, once per
page). The worker is a real ``policy-monitor run`` subprocess (watchlist defaults apart from
``interval``, ``--jitter 0``) with the built-in ``file`` channel. At the end it prints, and checks:

* no crash: the worker is alive at the end, stops on SIGTERM with status 0, and wrote no traceback;
* no stuck operator: every operator has a check that started in the last interval + 3 minutes;
* RSS flat: the worker's RSS over the last third of the run is within 10 % of the middle third;
* on time: for healthy operators, how late each check started after it was due (the previous
  check's end + interval), median / p99 / max, for operators sharing a host with a hostile one and
  for the others; late means more than --late seconds;
* alerts: every failing operator (slow, huge, broken, redirect) got exactly one
  ``policy.check_failed``; healthy and flapping ones none; every edit made exactly one
  ``policy.changed``; no captcha page became a version.

Exit status 1 when a check fails. Figures depend on the machine; the checks do not.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

KINDS = ("slow", "huge", "broken", "redirect", "flapping")
FAILING = {"slow", "huge", "broken", "redirect"}
CAPTCHA = "<html><head><title>安全验证</title></head><body>请完成安全验证 滑动验证码 captcha</body></html>"
EDIT = "我们会与新的广告合作伙伴共享您的设备标识符,用于向您推送个性化广告。"


def kind_of(i: int, every: int) -> str | None:
    """The hostile kind of operator ``i``, or None for a healthy one."""
    if every <= 0 or i % every != every // 2:
        return None
    return KINDS[(i // every) % len(KINDS)]


def _serve(hosts: list[str], n: int, every: int, conn: Any) -> None:  # noqa: C901  one branch per hostile kind
    """The child process: serve healthy and hostile pages; edit healthy ones when told."""
    from check import _page, _texts  # bench/check.py

    from tests.helpers.policy_server import Page, PolicyServer, Request

    texts = _texts()
    special: dict[str, str] = {}
    flips: dict[str, int] = {}

    class Hostile(PolicyServer):
        async def _answer(self, req: Request, writer: asyncio.StreamWriter) -> bool:
            kind = special.get(req.path)
            if kind == "slow":
                req.status = 200
                writer.write(self._head(200, {"Content-Type": "text/html", "Content-Length": "100000"}))
                for _ in range(3600):
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(1.0)
                return False
            if kind == "flapping":
                flips[req.path] = flips.get(req.path, 0) + 1
                if flips[req.path] % 2 == 0:
                    return self._send(writer, req, 200, {"Content-Type": "text/html"}, CAPTCHA.encode())
            return await super()._answer(req, writer)

    server = Hostile(hosts=tuple(hosts))
    server.keep_log = False
    for i in range(n):
        path, kind = f"/p{i}", kind_of(i, every)
        page = Page(_page(i, texts, False))
        if kind is not None:
            special[path] = kind
            variant = (i // every // len(KINDS)) % 2
            if kind == "huge":
                filler = ("<p>" + "本隐私政策适用于我们的全部产品和服务。" * 40 + "</p>\n").encode()
                page = Page(page.body + filler * (8 * 2**20 // len(filler)), chunked=bool(variant))
            elif kind == "broken":
                page = Page(page.body, status=500) if variant else Page(page.body, truncate=2000)
            elif kind == "redirect":
                target = "http://127.0.0.1:99999/policy" if variant else f"/p{i}"
                page = Page(b"", status=302, location=target)
            elif kind == "flapping":
                page.etag = False
        server.pages[path] = page
    server.start()
    conn.send(server.port)
    while True:
        msg = conn.recv()
        if msg == "stop":
            break
        if msg[0] == "change":
            for i in msg[1]:  # a sentence at the end of the policy (inside '#policy')
                server.pages[f"/p{i}"].body = _page(i, texts, True, EDIT + msg[2])
        conn.send("ok")
    server.stop()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Soak:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.tmp = tmp
        self.n = args.operators
        self.every = round(1 / args.hostile) if args.hostile > 0 else 0
        n_hosts = -(-self.n // 4)
        self.hosts = [f"127.0.{2 + h // 250}.{1 + h % 250}" for h in range(n_hosts)]
        self.kinds = {f"op{i:04d}": kind_of(i, self.every) for i in range(self.n)}
        hostile_hosts = {i % n_hosts for i in range(self.n) if kind_of(i, self.every)}
        self.neighbour = {f"op{i:04d}" for i in range(self.n) if i % n_hosts in hostile_hosts}
        self.edits: list[int] = []

    def serve(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.server = ctx.Process(target=_serve, args=(self.hosts, self.n, self.every, child), daemon=True)
        self.server.start()
        self.port = self.conn.recv()

    def watchlist(self) -> Path:
        lines = [f"defaults: {{interval: {self.args.interval}s}}", "operators:"]
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

    def start(self) -> subprocess.Popen[bytes]:
        self.db = f"sqlite:///{self.tmp}/monitor.db"
        env = {**os.environ, "POLICY_MONITOR_RAW": str(self.tmp / "raw"), "PYTHONPATH": str(ROOT)}
        cmd = [
            sys.executable, "-m", "monitor", "--watchlist", str(self.watchlist()), "--db", self.db,
            "run", "--jitter", "0", "--log-format", "json",
        ]  # fmt: skip
        self.log = self.tmp / "worker.log"
        with open(self.log, "ab") as err:
            return subprocess.Popen(cmd, cwd=self.tmp, env=env, stdout=subprocess.DEVNULL, stderr=err)

    def edit(self, round_no: int) -> None:
        done = set(self.edits)  # a page is edited once: each edit is one material change
        healthy = [i for i in range(self.n) if kind_of(i, self.every) is None and i not in done]
        k = max(1, len(healthy) // 100)
        chosen = healthy[round_no * 7 % len(healthy) :: max(1, len(healthy) // k)][:k]
        self.conn.send(("change", chosen, f"(第{round_no}次修订)"))
        self.conn.recv()
        self.edits += chosen

    def sample(self, proc: subprocess.Popen[bytes]) -> list[tuple[float, float]]:
        total = self.args.minutes * 60
        every_edit = self.args.edit_every
        rss: list[tuple[float, float]] = []
        t0 = time.monotonic()
        next_edit, round_no = every_edit, 1
        while (now := time.monotonic() - t0) < total:
            if proc.poll() is not None:
                print(f"CRASH: the worker exited with {proc.returncode} after {now:.0f} s; see {self.log}")
                return rss
            rss.append((now, _rss_mb(proc.pid)))
            if now >= next_edit and now < total - self.args.interval - 60:
                self.edit(round_no)
                next_edit, round_no = next_edit + every_edit, round_no + 1
            if len(rss) % 20 == 0:
                print(
                    f"  {now / 60:5.1f} min  RSS {rss[-1][1]:6.1f} MB  checks {self.count('checks')}",
                    flush=True,
                )
            time.sleep(self.args.sample)
        return rss

    def count(self, table: str) -> int:
        return int(self.query(f"SELECT count(*) FROM {table}")[0][0])

    def query(self, sql: str) -> list[Any]:
        import sqlite3

        con = sqlite3.connect(f"file:{self.tmp}/monitor.db?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def report(soak: Soak, rss: list[tuple[float, float]], stopped: int | None, t_end: float) -> list[str]:  # noqa: C901  one block per figure
    args, problems = soak.args, []
    from datetime import datetime

    def ts(v: str) -> float:
        return datetime.fromisoformat(v).timestamp()

    if stopped != 0:
        problems.append(f"the worker stopped with {stopped}")
    log = soak.log.read_text(errors="replace")
    if "Traceback" in log:
        problems.append("a traceback in the worker's log")

    # no stuck operator
    last = dict(soak.query("SELECT operator_id, max(started_at) FROM checks GROUP BY operator_id"))
    stale = [op for op in soak.kinds if op not in last or t_end - ts(last[op]) > args.interval + 180]
    print(
        f"\nstuck: {len(stale)} operator(s) without a check in the last {args.interval + 180} s {stale[:5]}"
    )
    if stale:
        problems.append(f"{len(stale)} stuck operator(s)")

    # RSS flat
    third = args.minutes * 60 / 3
    mid = [r for t, r in rss if third <= t < 2 * third]
    end = [r for t, r in rss if t >= 2 * third]
    if mid and end:
        ratio = statistics.mean(end) / statistics.mean(mid)
        print(
            f"RSS: {rss[0][1]:.0f} MB at start, peak {max(r for _, r in rss):.0f} MB; mean over the "
            f"middle third {statistics.mean(mid):.1f} MB, over the last third {statistics.mean(end):.1f} MB: "
            f"ratio {ratio:.3f}"
        )
        if ratio > 1.10:
            problems.append(f"RSS grew by {ratio - 1:.0%}")

    # on time
    rows = soak.query(
        "SELECT operator_id, started_at, elapsed, outcome FROM checks ORDER BY operator_id, started_at"
    )
    by_op: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    for op, started, elapsed, outcome in rows:
        by_op[op].append((ts(started), float(elapsed), outcome))
        outcomes[soak.kinds[op] or "healthy"][outcome] += 1
    lateness: dict[str, list[float]] = {"beside a hostile page": [], "others": []}
    for op, checks in by_op.items():
        if soak.kinds[op] is not None:
            continue
        group = "beside a hostile page" if op in soak.neighbour else "others"
        for (s0, e0, _), (s1, _, _) in itertools.pairwise(checks):
            lateness[group].append(s1 - (s0 + e0 + args.interval))
    print(f"on time (healthy operators; seconds late after due; late means > {args.late:g} s):")
    for group, values in lateness.items():
        late = sum(v > args.late for v in values)
        print(
            f"  {group:<22} {len(values):>6} checks  median {_quantile(values, 0.5):6.1f}  "
            f"p99 {_quantile(values, 0.99):6.1f}  max {max(values, default=0):6.1f}  late {late}"
        )
        if late:
            problems.append(f"{late} late check(s) {group}")
    print("outcomes by kind: " + "; ".join(f"{k} {dict(v)}" for k, v in sorted(outcomes.items())))

    # alerts
    alerts = soak.query("SELECT operator_id, event, status FROM alerts")
    failed = Counter(op for op, ev, _ in alerts if ev == "policy.check_failed")
    changed = Counter(op for op, ev, _ in alerts if ev == "policy.changed")
    undelivered = sum(st != "delivered" for _, _, st in alerts)
    for op, kind in soak.kinds.items():
        want = 1 if kind in FAILING else 0
        if failed[op] != want:
            problems.append(f"{op} ({kind or 'healthy'}): {failed[op]} failure alert(s), expected {want}")
    edits = Counter(f"op{i:04d}" for i in soak.edits)
    wrong = {op: (changed[op], n) for op, n in edits.items() if changed[op] != n}
    extra = [op for op in changed if op not in edits]
    print(
        f"alerts: {sum(failed.values())} check_failed over {sum(k in FAILING for k in soak.kinds.values())} "
        f"failing operators; {sum(changed.values())} changed for {sum(edits.values())} edits "
        f"({len(wrong)} mismatched, {len(extra)} unexpected); {undelivered} not delivered at the end"
    )
    if wrong or extra:
        problems.append(f"change alerts: {len(wrong)} mismatched, {len(extra)} unexpected")
    flapping = [op for op, k in soak.kinds.items() if k == "flapping"]
    if flapping:
        marks = ",".join(f"'{op}'" for op in flapping)
        versions = soak.query(f"SELECT count(*) FROM versions WHERE operator_id IN ({marks})")[0][0]
        print(f"flapping: {versions} version(s) for {len(flapping)} operators (the captcha page never one)")
        if versions != len(flapping):
            problems.append(f"flapping operators have {versions} versions")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=500)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--hostile", type=float, default=0.05, help="share of hostile operators")
    ap.add_argument("--interval", type=int, default=120, help="seconds between two checks of an operator")
    ap.add_argument("--edit-every", type=float, default=300.0, help="seconds between two rounds of edits")
    ap.add_argument("--late", type=float, default=60.0, help="seconds after due that count as late")
    ap.add_argument("--sample", type=float, default=5.0, help="seconds between two RSS samples")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="pm-soak-") as tmp_name:
        soak = Soak(args, Path(tmp_name))
        soak.serve()
        kinds = Counter(k for k in soak.kinds.values() if k)
        print(
            f"{args.operators} operators ({dict(kinds)} hostile) on {len(soak.hosts)} loopback hosts, "
            f"interval {args.interval} s, {args.minutes:g} minutes, {os.cpu_count()} CPUs"
        )
        proc = soak.start()
        stopped: int | None = None
        try:
            rss = soak.sample(proc)
            t_end = time.time()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                stopped = proc.wait(300)
            else:
                stopped = proc.returncode
            problems = report(soak, rss, stopped, t_end)
        finally:
            if proc.poll() is None:
                proc.kill()
            soak.conn.send("stop")
            soak.server.join(10)
        print("\n" + ("PASS" if not problems else "FAIL:\n  " + "\n  ".join(problems[:40])))
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
