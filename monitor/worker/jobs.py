"""The periodic jobs of a worker on its asyncio loop (APScheduler 3.x, ``AsyncIOScheduler``).

Each job runs at most once at a time (``max_instances=1``), a run late because the machine slept
runs once (``coalesce=True``), and a job that fails is logged and runs again at its next time.
:meth:`Jobs.wake` runs a job now, or again right after the run in progress.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.worker.runlog import first_line, log

Job = Callable[[], Awaitable[None]]


class Jobs:
    """``stopping()``: once true, no job is woken any more."""

    def __init__(self, stopping: Callable[[], bool]) -> None:
        self._stopping = stopping
        self.running: set[str] = set()
        self.rerun: set[str] = set()  # woken while running: run again when done
        self.sched = AsyncIOScheduler(  # on the running loop, from start()
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def add(self, name: str, fn: Job, every: float, at_once: bool = False) -> None:
        """Run ``fn`` every ``every`` seconds (``at_once``: the first time at start)."""
        first: dict[str, Any] = {"next_run_time": datetime.now(UTC)} if at_once else {}
        self.sched.add_job(self._guarded(name, fn), "interval", seconds=every, id=name, **first)

    def start(self) -> None:
        self.sched.start()

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            self.sched.shutdown(wait=False)

    def wake(self, name: str) -> None:
        """Run job ``name`` now (or again right after the run in progress)."""
        if self._stopping():
            return
        if name in self.running:
            self.rerun.add(name)
            return
        with contextlib.suppress(Exception):
            self.sched.modify_job(name, next_run_time=datetime.now(UTC))

    def _guarded(self, name: str, fn: Job) -> Job:
        async def run() -> None:
            self.running.add(name)
            try:
                await fn()
            except Exception as exc:  # a job must not die: log, and the next run tries again
                log("job failed", logging.ERROR, job=name, error=first_line(exc), exc_info=True)
            finally:
                self.running.discard(name)
                if name in self.rerun and not self._stopping():
                    self.rerun.discard(name)
                    self.wake(name)

        run.__name__ = name
        return run
