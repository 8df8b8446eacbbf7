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
from monitor.watch import forking
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
    """The pids of this process's children (every thread's), from /proc. A thread that ends between
    the listing and the reading (another test's server thread) has no children left to count."""
    out: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            out.update(int(pid) for pid in (task / "children").read_text().split())
        except FileNotFoundError:
            continue
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


def _file_with_versions(path: Path, operators: int = MIN_PAGES) -> str:
    """A SQLite file whose ``versions`` table holds a version of each of ``operators`` operators."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE versions (id INTEGER PRIMARY KEY, operator_id TEXT)")
    conn.executemany("INSERT INTO versions (operator_id) VALUES (?)", [(f"op{i}",) for i in range(operators)])
    conn.commit()
    conn.close()
    return str(path)


def test_the_fork_server_starts_early_only_for_a_store_that_holds_versions(tmp_path: Path) -> None:
    """``check`` starts the readers' fork server as it starts (forking.forkserver_early) only where a
    cycle may compare edited pages in workers: a SQLite file that holds versions of at least
    MIN_PAGES operators, on two cores or more."""
    empty = tmp_path / "empty.db"
    open_store(f"sqlite:///{empty}").dispose()  # the schema, no version
    can = forking.cores() >= 2 and forking.start_method() == "forkserver"
    for db_file, expected in (
        (None, False),
        (str(tmp_path / "missing.db"), False),
        (str(empty), False),
        (str(tmp_path / "not-sqlite.db"), False),
        (_file_with_versions(tmp_path / "few.db", MIN_PAGES - 1), False),
        (_file_with_versions(tmp_path / "held.db"), can),
    ):
        if db_file is not None and db_file.endswith("not-sqlite.db"):
            Path(db_file).write_text("not a database")
        with forking.forkserver_early(db_file) as started:
            assert started is expected, db_file
    assert not (tmp_path / "missing.db").exists()  # only read, never created


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc (Linux)")
def test_an_early_fork_server_is_the_one_the_workers_fork_from_and_ends_with_the_check(
    tmp_path: Path,
) -> None:
    """The workers of a cycle are forks of the server started early; a server that no worker used is
    ended at once (killed while it imports), and none of its processes is left either way."""
    if not (forking.cores() >= 2 and forking.start_method() == "forkserver"):
        pytest.skip("needs two cores and the forkserver start method (Linux 5.3+)")
    from multiprocessing import forkserver

    held = _file_with_versions(tmp_path / "held.db")
    before = _children()
    with forking.forkserver_early(held) as started:  # unused: killed on leaving
        assert started
        assert len(_children() - before) >= 1  # the server (and multiprocessing's resource tracker)
    assert _children() <= before | _tracker()

    body = html(corpus_text("jd-express.txt"))
    fetched = FetchResult("ok", "http://127.0.0.1/jd", http_status=200, body=body, content_type="text/html")

    async def go() -> set[int]:
        readers = Readers(2, compares=True)
        try:
            got = await readers.read(Target("jd", "jd", fetched.url), fetched)
            assert got[0] is not None and not isinstance(got[0], str)
            pool = readers._pool()
            return {
                int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                for pid in pool._processes
            }
        finally:
            await readers.close()

    with forking.forkserver_early(held):
        server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
        parents = asyncio.run(go())
        assert parents == {server}
    assert _children() <= before | _tracker()


def _tracker() -> set[int]:
    """multiprocessing's resource tracker, which lives as long as this process once started."""
    from multiprocessing import resource_tracker

    pid = resource_tracker._resource_tracker._pid  # type: ignore[attr-defined]
    return {pid} if pid is not None else set()
