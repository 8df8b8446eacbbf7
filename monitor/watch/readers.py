"""Reading fetched bodies into documents in other processes, for a cycle with many pages to read.

Extraction and segmentation are pure CPU work, and one Python process uses one core: in a first
cycle, where every page must be read, the bodies are read by worker processes (one per core, at
most :data:`MAX_WORKERS`) while this process fetches and records. A worker runs
:func:`monitor.watch.reading.read_body`, the function :func:`monitor.watch.judge.read_capture`
reads with in this process, and is handed plain values (bytes and strings, not a Target): it
imports the document room only, not the store's tables, httpx or pydantic, so starting one costs
a fresh interpreter and the parser's modules. Judging and recording stay here and unchanged. A
worker that fails (or a pool that broke) only means the body is read here instead.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from typing import TYPE_CHECKING

from monitor.store.raw import sha256
from monitor.watch.reading import read_body, vet_body

if TYPE_CHECKING:
    from monitor.document.parse import Candidate
    from monitor.watch.fetch import FetchResult
    from monitor.watch.target import Target

MIN_PAGES = 24  # fewer new pages than this are read in this process: a worker costs ~0.15 s to start
MAX_WORKERS = 4


def workers_for(targets: list[Target]) -> int:
    """How many reader processes a cycle over ``targets`` gets: none on one core or with few new
    pages (an operator without a version is certain to be read)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    new = sum(1 for t in targets if t.held is None and t.fetcher == "http")
    if cores < 2 or new < MIN_PAGES:
        return 0
    return min(cores, MAX_WORKERS)


class Readers:
    """``readers = Readers(n)``, ``await readers.read(target, fetched)`` …, ``await readers.close()``."""

    def __init__(self, workers: int) -> None:
        import multiprocessing  # deferred: a cycle without new pages to read has no workers
        from concurrent.futures import ProcessPoolExecutor

        # spawn: a fresh interpreter, not a fork of this process and its threads; and the workers are
        # this process's own children, so that its resource usage (os.wait4, time) includes theirs
        ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.pool.shutdown(wait=True, cancel_futures=True)
        )

    async def read(self, target: Target, fetched: FetchResult) -> Candidate | str | None:
        """The body read in a worker; None when it is not to be read there (not a body the judge
        reads: a failure, a block page, the bytes of the version held) or the worker failed."""
        if fetched.status != "ok" or not fetched.body:
            return None
        if target.held is not None and sha256(fetched.body) == target.held.capture_sha256:
            return None
        media_type, reason = vet_body(fetched.body, fetched.content_type)
        if reason:
            return None
        read = partial(
            read_body,
            fetched.body,
            fetched.content_type,
            fetched.charset,
            fetched.final_url or target.url,
            target.selector,
            target.remove,
            target.encoding,
            media_type,
        )
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, read)
        except Exception:  # a broken pool, a body it could not pickle …: read it in this process
            return None
