"""Bodies read in worker processes (monitor.watch.readers) make exactly the versions that reading
them in the checking process makes; a pool that cannot read leaves the reading to that process."""

from __future__ import annotations

import asyncio
import os
import resource
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.store.db import Store, open_store
from monitor.store.tables import VersionRow
from monitor.watch import readers as readers_module
from monitor.watch.fetch import FetchResult
from monitor.watch.readers import MIN_PAGES, Readers, workers_for
from monitor.watch.run import check
from monitor.watch.target import Held, Target
from tests.helpers.checks import html, watch
from tests.helpers.corpus import corpus_text
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer

NAMES = ["cainiao", "jd-express", "jiapin", "liqun", "onewo", "yunju"]


def _serve(server: PolicyServer) -> list[str]:
    ids = []
    for i in range(MIN_PAGES):
        op_id = f"op{i:02d}"
        charset = "gbk" if i % 4 == 3 else "utf-8"
        body = html(corpus_text(f"{NAMES[i % len(NAMES)]}.txt"), charset, variant=i % 5)
        server.pages[f"/{op_id}"] = Page(body, content_type=f"text/html; charset={charset}")
        ids.append(op_id)
    return ids


def _versions(store: Store) -> dict[str, tuple[str, int, str | None]]:
    with store.session() as s:
        return {v.operator_id: (v.sha256, v.clauses, v.title) for v in s.exec(select(VersionRow))}


def test_workers_read_what_this_process_reads(
    policy_server: PolicyServer, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _serve(policy_server)
    wl = watch(policy_server, *ids)
    stores = {name: open_store(f"sqlite:///{tmp_path / name}.db", raw=tmp_path / name) for name in ("w", "i")}
    read_there: list[bool] = []
    real_read = Readers.read

    async def spy(self: Readers, target: Target, fetched: FetchResult) -> readers_module.Read:
        got = await real_read(self, target, fetched)
        read_there.append(got[0] is not None)
        return got

    monkeypatch.setattr(Readers, "read", spy)
    try:
        monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path: 2)
        with_workers = check(stores["w"], wl, ids, FAST)
        monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path: 0)
        inline = check(stores["i"], wl, ids, FAST)
        assert read_there == [True] * len(ids)  # every page was read by a worker
        assert [r.outcome for r in with_workers] == ["changed"] * len(ids)
        assert [(r.outcome, r.reason) for r in with_workers] == [(r.outcome, r.reason) for r in inline]
        assert _versions(stores["w"]) == _versions(stores["i"]) and len(_versions(stores["w"])) == len(ids)
    finally:
        for s in stores.values():
            s.dispose()


def test_who_gets_workers() -> None:
    new = [Target(f"op{i}", "x", "http://127.0.0.1/") for i in range(MIN_PAGES)]
    held = [Target(t.operator_id, "x", t.url, held=Held(1, "0" * 64, False)) for t in new]
    assert workers_for(held) == 0  # unchanged checks are not read
    cores = len(readers_module.os.sched_getaffinity(0))
    many = min(cores, readers_module.MAX_WORKERS) if cores > 1 else 0
    assert workers_for(held, "x.db") == many  # on SQLite, edited pages are compared there
    assert workers_for(held[:-1], "x.db") == 0
    assert workers_for(new[:-1]) == 0  # too few to pay for starting the workers
    assert workers_for(new) == many


def test_a_pool_that_cannot_read_leaves_it_to_this_process() -> None:
    body = html(corpus_text("jd-express.txt"))
    fetched = FetchResult("ok", "http://127.0.0.1/jd", http_status=200, body=body, content_type="text/html")

    async def go() -> object:
        readers = Readers(1)
        readers._pool().shutdown()  # as if its workers had died
        try:
            return await readers.read(Target("jd", "jd", fetched.url), fetched)
        finally:
            await readers.close()

    assert asyncio.run(go()) == (None, None)


def _children() -> set[int]:
    """The pids of this process's children (every thread's), from /proc."""
    out: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        out.update(int(pid) for pid in (task / "children").read_text().split())
    return out


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc (Linux)")
def test_workers_are_forks_of_one_warm_server_that_ends_with_the_cycle() -> None:
    """The workers start from a fork server that imported the reading and comparing modules (their
    parent is that server, not this process); once the readers are closed, no process of theirs is
    left: the server was stopped and waited for, its CPU time counted in this process's children."""
    body = html(corpus_text("jd-express.txt"))
    fetched = FetchResult("ok", "http://127.0.0.1/jd", http_status=200, body=body, content_type="text/html")
    before = _children()

    async def go() -> tuple[set[int], int]:
        readers = Readers(2, compares=True)
        try:
            got = await readers.read(Target("jd", "jd", fetched.url), fetched)
            assert got[0] is not None and not isinstance(got[0], str)
            pool = readers._pool()
            parents = {
                int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                for pid in pool._processes
            }  # type: ignore[attr-defined]
            return parents, len(_children() - before)
        finally:
            await readers.close()

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    parents, running = asyncio.run(go())
    if readers_module.start_method() == "forkserver":
        assert parents.isdisjoint({os.getpid()}) and len(parents) == 1  # forks of the one server
        assert running == 1  # the server, its workers being its children
    assert _children() == before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_utime + after.ru_stime > children_before.ru_utime + children_before.ru_stime
