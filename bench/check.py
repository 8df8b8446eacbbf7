"""One ``check`` cycle over many operators served by a local server: checks per second and peak memory.

    .venv/bin/python bench/check.py                   # 1,000 operators on 250 loopback hosts
    .venv/bin/python bench/check.py --operators 200 --db postgresql+psycopg://postgres@127.0.0.1/test

The pages are the corpus policies as HTML (every fourth one GBK), served by tests/helpers/policy_server.py in
a child process on 127.0.0.2 … (loopback only), four operators per host, with ETags. Cycles:

1. first   every operator new: a version each
2. 304     all unchanged, conditional requests answered 304
3. 200     all unchanged, no validators: the same bytes again
4. changed 10% of the pages edited (a clause added): 10% new versions with their comparison

Politeness is the watchlist default (one request at a time per host, 1 s apart), so a cycle cannot
be faster than (operators per host - 1) s. Peak RSS is this process's (the server is another one).
Goal: >= 200 unchanged checks/s and peak RSS < 200 MB on a 2-core machine.

Then ``fetcher: browser`` (skipped with ``--browser-operators 0``, or without Playwright/Chromium):
50 operators whose pages are empty shells that a script fills with the policy
(tests/helpers/js_pages.py), on the same hosts, ``wait_for: '#policy'``, ``browser.max_pages`` 4:

1. first    every page rendered, a version each
2. same     rendered again, the same DOM: unchanged
3. changed  10% of the scripts edited: 10% new versions
4. 304      ``browser: {conditional: true}``: the HTML is not modified, nothing is rendered

Peak memory here counts this process and the browser's: the sum of RSS over this process and its
Chromium processes (shared pages counted once per process, as ``ps`` would add them) and the sum of
PSS (shared pages split between the processes: what the machine actually gives them), sampled
every 0.2 s from /proc.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.store.db import Store

Tell = Callable[..., None]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANGE_LINE = "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。"


def _texts() -> list[str]:
    from tests.helpers.corpus import CORPUS

    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


def _page(i: int, texts: list[str], changed: bool, line: str = CHANGE_LINE) -> bytes:
    from tests.helpers.edits import to_html

    text = texts[i % len(texts)]
    if changed:
        text = text.rstrip("\n") + "\n" + line
    if i % 4 == 3:
        return to_html(text, charset="gbk", variant=i % 5).encode("gbk", "xmlcharrefreplace")
    return to_html(text, variant=i % 5).encode("utf-8")


def _script(i: int, texts: list[str], changed: bool) -> bytes:
    from tests.helpers.js_pages import script

    text = texts[i % len(texts)]
    return script(text.rstrip("\n") + "\n" + CHANGE_LINE if changed else text)


def _serve(hosts: list[str], n: int, nb: int, conn: mp.connection.Connection) -> None:
    """The child process: serve the pages; change some when told; stop when told."""
    from tests.helpers.js_pages import JS_TYPE, shell
    from tests.helpers.policy_server import Page, PolicyServer

    texts = _texts()
    server = PolicyServer(hosts=tuple(hosts))
    server.keep_log = False
    for i in range(n):
        server.pages[f"/p{i}"] = Page(_page(i, texts, False))
    for i in range(nb):
        server.pages[f"/b{i}"] = Page(shell(f"b{i}.js"))
        server.pages[f"/b{i}.js"] = Page(_script(i, texts, False), content_type=JS_TYPE)
    server.start()
    conn.send(server.port)
    while True:
        msg = conn.recv()
        if msg == "stop":
            break
        if msg[0] == "etag":
            for page in server.pages.values():
                page.etag = msg[1]
        elif msg[0] == "change":
            for i in msg[1]:
                server.pages[f"/p{i}"].body = _page(i, texts, True)
        elif msg[0] == "change-scripts":
            for i in msg[1]:
                server.pages[f"/b{i}.js"].body = _script(i, texts, True)
        conn.send("ok")
    server.stop()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree(root: int, skip: int) -> list[int]:
    """``root`` and its descendants, without ``skip`` and its own (the page server)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out = []
    for pid in parents:
        p, depth = pid, 0
        while p > 1 and p != skip and depth < 64:
            if p == root:
                out.append(pid)
                break
            p, depth = parents.get(p, 0), depth + 1
    return out


def _memory_kb(pids: list[int]) -> tuple[int, int]:
    """Sum of RSS and of PSS (kB) over ``pids``."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return rss, pss


class PeakMemory:
    """Samples this process's tree (Chromium included, the page server not) every 0.2 s."""

    def __init__(self, skip: int) -> None:
        self.skip = skip
        self.rss = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[int, int]:
        return _memory_kb(_tree(os.getpid(), self.skip))

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss, pss = self.sample()
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def browser_cycles(args: argparse.Namespace, store: Store, hosts: list[str], port: int, tell: Tell) -> None:
    """The ``fetcher: browser`` cycles (see the module's docstring)."""
    from monitor.watch.fetch import FetchSettings
    from monitor.watch.run import check
    from monitor.watchlist import loads
    from tests.helpers.js_pages import chromium_missing

    nb = args.browser_operators
    missing = chromium_missing()
    if not nb or missing:
        print(f"\nbrowser cycles skipped: {missing or '--browser-operators 0'}")
        return
    lines = ["defaults: {fetcher: browser}", f"browser: {{max_pages: {args.max_pages}}}", "operators:"]
    for i in range(nb):
        lines += [
            f"  - id: br{i:03d}",
            f"    name: br{i}",
            f"    url: http://{hosts[i % len(hosts)]}:{port}/b{i}",
            "    wait_for: '#policy'",
            "    selector: '#policy'",
        ]
    wl = loads("\n".join(lines) + "\n", "bench-browser.yaml")
    wl_304 = loads("\n".join(lines).replace("browser: {", "browser: {conditional: true, ") + "\n")
    settings = FetchSettings(concurrency=args.concurrency, per_host_delay=args.delay, timeout=30, retries=1)
    n_hosts = min(nb, len(hosts))
    memory = PeakMemory(skip=args.server_pid)
    rss, pss = memory.sample()
    print(
        f"\nfetcher: browser, {nb} operators on {n_hosts} loopback hosts, "
        f"browser.max_pages {args.max_pages}; before: {rss / 1024:.0f} MB RSS, "
        f"{pss / 1024:.0f} MB PSS (this process, no browser yet); load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'cycle':<10} {'seconds':>8} {'pages/s':>9} {'peak RSS MB':>12} {'peak PSS MB':>12}  outcomes")
    for name, watchlist in (("first", wl), ("same", wl), ("changed", wl), ("304", wl_304)):
        if name == "changed":
            k = max(1, round(nb * args.changed))
            tell("change-scripts", list(range(0, nb, max(1, nb // k)))[:k])
        with PeakMemory(skip=args.server_pid) as memory:
            t0 = time.perf_counter()
            reports = check(store, watchlist, (), settings)
            dt = time.perf_counter() - t0
        outcomes = Counter(r.outcome for r in reports)
        print(
            f"{name:<10} {dt:8.2f} {len(reports) / dt:9.1f} {memory.rss / 1024:12.0f} "
            f"{memory.pss / 1024:12.0f}  {dict(outcomes)}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=1000)
    ap.add_argument("--per-host", type=int, default=4, help="operators per loopback host")
    ap.add_argument("--changed", type=float, default=0.10, help="share of pages edited in the last cycle")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight (watchlist default 16)")
    ap.add_argument("--delay", type=float, default=1.0, help="per-host delay, seconds (watchlist default 1)")
    ap.add_argument("--db", help="SQLAlchemy URL (default: SQLite in a temporary directory)")
    ap.add_argument(
        "--browser-operators", type=int, default=50, help="operators with fetcher: browser (0: skip them)"
    )
    ap.add_argument("--max-pages", type=int, default=4, help="browser.max_pages (pages rendered at once)")
    ap.add_argument(
        "--profile", metavar="CYCLE", help="print a cProfile summary of one cycle (first, 304, 200, changed)"
    )
    args = ap.parse_args()

    from monitor.store.db import open_store
    from monitor.watch.fetch import FetchSettings
    from monitor.watch.run import check
    from monitor.watchlist import loads

    n = args.operators
    n_hosts = max(1, -(-n // args.per_host))
    if n_hosts > 250 * 250:
        sys.exit("too many hosts")
    hosts = [f"127.0.{2 + h // 250}.{1 + h % 250}" for h in range(n_hosts)]

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(hosts, n, args.browser_operators, child), daemon=True)
    proc.start()
    args.server_pid = proc.pid
    port = parent.recv()

    def tell(*msg: object) -> None:
        parent.send(msg)
        parent.recv()

    tmp = tempfile.TemporaryDirectory(prefix="pm-bench-")
    db = args.db or f"sqlite:///{tmp.name}/monitor.db"
    lines = ["operators:"]
    for i in range(n):
        lines += [
            f"  - id: op{i:04d}",
            f"    name: op{i}",
            f"    url: http://{hosts[i % n_hosts]}:{port}/p{i}",
            "    selector: '#policy'",
        ]
    wl = loads("\n".join(lines) + "\n", "bench-watchlist.yaml")
    settings = FetchSettings(concurrency=args.concurrency, per_host_delay=args.delay, timeout=30, retries=1)
    store = open_store(db, raw=Path(tmp.name) / "raw")
    if args.db:  # a shared database: start from empty tables
        from sqlmodel import SQLModel

        SQLModel.metadata.drop_all(store.engine)
        from sqlalchemy import text

        with store.engine.begin() as c:
            c.execute(text("DROP TABLE IF EXISTS alembic_version"))
        store = open_store(db, raw=Path(tmp.name) / "raw")

    print(
        f"{n} operators on {n_hosts} loopback hosts ({args.per_host} each), concurrency {args.concurrency}, "
        f"per-host delay {args.delay:g} s, {store.engine.url.get_backend_name()}; "
        f"politeness bound per cycle: {(args.per_host - 1) * args.delay:g} s"
    )
    print(f"{'cycle':<10} {'seconds':>8} {'checks/s':>9} {'CPU ms/chk':>10} {'peak RSS MB':>12}  outcomes")

    def cycle(name: str) -> None:
        import cProfile
        import pstats

        prof = cProfile.Profile() if args.profile == name else None
        t0 = time.perf_counter()
        c0 = time.process_time()
        if prof is not None:
            prof.enable()
        reports = check(store, wl, (), settings)
        dt = time.perf_counter() - t0
        cpu = time.process_time() - c0
        if prof is not None:
            prof.disable()
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        outcomes = Counter(r.outcome for r in reports)
        print(
            f"{name:<10} {dt:8.2f} {len(reports) / dt:9.1f} {cpu / len(reports) * 1000:10.2f} "
            f"{_rss_mb():12.1f}  "
            f"{dict(outcomes)}",
            flush=True,
        )

    try:
        cycle("first")
        cycle("304")
        tell("etag", False)
        cycle("200")
        k = round(n * args.changed)
        tell("change", list(range(0, n, max(1, n // k)))[:k] if k else [])
        cycle("changed")
        tell("etag", True)  # the browser's 304 cycle needs them back
        browser_cycles(args, store, hosts, port, tell)
    finally:
        parent.send("stop")
        proc.join(10)
        store.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main()
