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
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANGE_LINE = "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。"


def _texts() -> list[str]:
    from tests.helpers.corpus import CORPUS

    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


def _page(i: int, texts: list[str], changed: bool) -> bytes:
    from tests.helpers.edits import to_html

    text = texts[i % len(texts)]
    if changed:
        text = text.rstrip("\n") + "\n" + CHANGE_LINE
    if i % 4 == 3:
        return to_html(text, charset="gbk", variant=i % 5).encode("gbk", "xmlcharrefreplace")
    return to_html(text, variant=i % 5).encode("utf-8")


def _serve(hosts: list[str], n: int, conn: mp.connection.Connection) -> None:
    """The child process: serve the pages; change some when told; stop when told."""
    from tests.helpers.policy_server import Page, PolicyServer

    texts = _texts()
    server = PolicyServer(hosts=tuple(hosts))
    server.keep_log = False
    for i in range(n):
        server.pages[f"/p{i}"] = Page(_page(i, texts, False))
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
        conn.send("ok")
    server.stop()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=1000)
    ap.add_argument("--per-host", type=int, default=4, help="operators per loopback host")
    ap.add_argument("--changed", type=float, default=0.10, help="share of pages edited in the last cycle")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight (watchlist default 16)")
    ap.add_argument("--delay", type=float, default=1.0, help="per-host delay, seconds (watchlist default 1)")
    ap.add_argument("--db", help="SQLAlchemy URL (default: SQLite in a temporary directory)")
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
    proc = ctx.Process(target=_serve, args=(hosts, n, child), daemon=True)
    proc.start()
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
    finally:
        parent.send("stop")
        proc.join(10)
        store.dispose()
        tmp.cleanup()


if __name__ == "__main__":
    main()
