"""Reading fetched bodies into documents in other processes, for a cycle with many pages to read.

Extraction and segmentation are pure CPU work, and one Python process uses one core: in a first
cycle, where every page must be read, the bodies are read by worker processes (one per core, at
most :data:`MAX_WORKERS`) while this process fetches and records. A worker runs
:func:`monitor.watch.reading.read_body`, the function :func:`monitor.watch.judge.read_capture`
reads with in this process, and is handed plain values (bytes and strings, not a Target): it
imports the document and compare rooms only, not the store's tables, httpx or pydantic. The
workers are forks of one fork server (``multiprocessing``'s ``forkserver``: a fresh interpreter,
not a fork of this process and its threads) that imported those modules and compared two small
documents once (:mod:`monitor.watch.warm`), so that a second worker costs milliseconds, not a
fresh interpreter's ~0.4 s of CPU; the server is stopped and waited for when the cycle ends. In a
cycle where no operator has a version yet (a first cycle) the workers only read: they start as
fresh interpreters side by side, sooner than behind a server that must start first.
Judging and recording stay here and unchanged. A worker that fails (or a pool that broke) only
means the body is read here instead.

On a SQLite store, an edited page (a body other than the capture its operator held when the cycle
was planned) is also compared there with the version held (:mod:`monitor.watch.edited`): the
comparison is most of an edited page's cost. The workers then start at the first edited body, in a
cycle of at least :data:`MIN_PAGES` operators with a version.

The fork server takes a fresh interpreter's start, the imports and a first comparison (~0.2 s)
before it can fork a worker. ``policy-monitor check`` therefore starts it as the command starts,
when the store already holds versions (:func:`monitor.watch.forking.forkserver_early`), while it
loads the watchlist and fetches: the first edited page then finds it ready. A cycle that compares
nothing stops it without waiting for it (it holds nothing but imports).
"""

from __future__ import annotations

import asyncio
import os
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from monitor.store.raw import sha256
from monitor.watch.edited import read_and_compare
from monitor.watch.forking import (
    MIN_PAGES,
    PRELOAD,
    cores,
    end_with_parent,
    start_method,
    stop_forkserver_soon,
)
from monitor.watch.reading import read_body, vet_body

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future, ProcessPoolExecutor

    from monitor.model import Candidate
    from monitor.watch.edited import Compared
    from monitor.watch.fetch import FetchResult
    from monitor.watch.target import Target

MAX_WORKERS = 4


def workers_for(targets: list[Target], db_path: str | None = None) -> int:
    """How many reader processes a cycle over ``targets`` gets: none on one core, or with few new
    pages (an operator without a version is certain to be read) and, on a SQLite store at
    ``db_path`` (where edited pages are compared in them), few operators with a version."""
    n_cores = cores()
    new = sum(1 for t in targets if t.held is None and t.fetcher == "http")
    held = sum(1 for t in targets if t.held is not None) if db_path is not None else 0
    if n_cores < 2 or (new < MIN_PAGES and held < MIN_PAGES):
        return 0
    return min(n_cores, MAX_WORKERS)


Read = tuple["Candidate | str | None", "Compared | None"]


class Readers:
    """``readers = Readers(n, db_path, compares)``, ``await readers.read(target, fetched)`` …, ``await
    readers.close()``. The worker processes start at the first body to read. ``db_path``: the file of
    a SQLite store, whose edited pages are then compared in the workers too; ``compares``: whether the
    cycle has operators with a version, whose edited pages the workers may compare (they are then
    forks of a fork server, see the module's text)."""

    def __init__(self, workers: int, db_path: str | None = None, compares: bool = False) -> None:
        self.workers, self.db_path, self.compares = workers, db_path, compares
        self.pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._submitted = 0  # submissions made: the first ``workers`` start the workers

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            import multiprocessing  # deferred: a cycle without pages to read has no workers
            from concurrent.futures import ProcessPoolExecutor

            # forkserver, in a cycle whose workers compare: one fresh interpreter (not a fork of this
            # process and its threads) imports the reading and comparing modules once (PRELOAD); each
            # worker is a fork of it, and starts in milliseconds instead of the ~0.4 s of CPU a fresh
            # interpreter costs. Workers that only read (a first cycle) import little, and start
            # sooner as fresh interpreters side by side than behind a server that must start first.
            method = start_method() if self.compares else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(PRELOAD)
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=ctx, initializer=end_with_parent, initargs=(os.getpid(),)
            )
        return self.pool

    async def close(self) -> None:
        pool = self.pool
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: pool.shutdown(wait=True, cancel_futures=True)
            )
            stop_forkserver_soon()

    async def read(self, target: Target, fetched: FetchResult) -> Read:
        """The body read in a worker and, for an edited page on a SQLite store, compared there with
        the version held (:mod:`monitor.watch.edited`); ``(None, None)`` when it is not to be read
        there (not a body the judge reads: a failure, a block page, the bytes of the version held)
        or the worker failed."""
        if fetched.status != "ok" or not fetched.body:
            return None, None
        if target.held is not None and sha256(fetched.body) == target.held.capture_sha256:
            return None, None
        media_type, reason = vet_body(fetched.body, fetched.content_type)
        if reason:
            return None, None
        args = (
            fetched.body,
            fetched.content_type,
            fetched.charset,
            fetched.final_url or target.url,
            target.selector,
            target.remove,
            target.encoding,
            media_type,
        )
        job: Callable[[], Read] = (
            partial(read_and_compare, self.db_path, target.held.version_id, *args)
            if target.held is not None and self.db_path is not None
            else partial(_read_only, *args)
        )
        loop = asyncio.get_running_loop()
        try:
            if self._submitted < self.workers:
                # off the event loop until the workers are started: a submission may start one (it
                # waits until the fork server has imported and compared, ~0.25 s, holding the pool's
                # lock), while the loop goes on fetching
                future = await loop.run_in_executor(None, self._submit, job)
            else:  # the workers run: a submission only queues the job
                future = self._submit(job)
            return await asyncio.wrap_future(future)
        except Exception:  # a broken pool, a body it could not pickle …: read it in this process
            return None, None

    def _submit(self, job: Callable[[], Read]) -> Future[Read]:
        with self._lock:  # one pool, whichever thread submits first
            pool = self._pool()
        future = pool.submit(job)  # one of the first ``workers`` may start a worker
        with self._lock:
            self._submitted += 1
        return future


def _read_only(*args: Any) -> Read:
    """:func:`read_body` in a worker, as a :data:`Read`."""
    return read_body(*args), None
