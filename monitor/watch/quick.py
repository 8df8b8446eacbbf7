"""The quick path of a check: a fetch that brings nothing new, judged from what the operator held when
its check was planned (:attr:`Target.held`) and recorded with others in one transaction
(:mod:`monitor.store.unchanged`), instead of reading and writing the operator alone.

A check takes it when its operator holds a version, no failure alert is out for it, and the fetch is
a 304 or a 200 with the same bytes as the capture that version was last read from. Everything else,
and any check whose operator moved on meanwhile, goes the full way (:func:`record.process_safely`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor import failpoints
from monitor.store.due import next_due
from monitor.store.lite import transaction
from monitor.store.raw import sha256
from monitor.store.unchanged import Unchanged, record_unchanged, record_unchanged_sqlite
from monitor.watch import record_lite
from monitor.watch.fetch import FetchResult
from monitor.watch.judge import SAME_BYTES
from monitor.watch.reading import vet_body
from monitor.watch.target import CheckReport, LeaseLostError, Target, Verdict

if TYPE_CHECKING:
    from monitor.model import Candidate
    from monitor.store.db import Store
    from monitor.watch.edited import Compared

Item = tuple[Target, FetchResult, Verdict]


def quick_verdict(target: Target, fetched: FetchResult) -> Verdict | None:
    """``not_modified`` or ``unchanged`` when the fetch brings nothing new and the check can raise
    no alert; None when it must go the full way."""
    held = target.held
    if held is None or held.failure_alerted:
        return None
    if fetched.status == "not_modified":
        return Verdict("not_modified")
    if fetched.status == "ok" and fetched.body:
        digest = sha256(fetched.body)
        # the bytes we read before, and still vetted alike: the same headers may no longer fit them
        if digest == held.capture_sha256 and not vet_body(fetched.body, fetched.content_type)[1]:
            return Verdict("unchanged", SAME_BYTES, raw_sha256=digest)
    return None


def _unchanged(target: Target, fetched: FetchResult, verdict: Verdict, now: datetime) -> Unchanged:
    held = target.held
    assert held is not None
    return Unchanged(
        operator_id=target.operator_id,
        version_id=held.version_id,
        capture_sha256=held.capture_sha256,
        outcome=verdict.outcome,
        reason=verdict.reason,
        started_at=fetched.started_at,
        elapsed=fetched.elapsed,
        http_status=fetched.http_status,
        url=fetched.final_url or fetched.url,
        attempts=fetched.attempts,
        next_due_at=next_due(now, target.interval, target.jitter),
        lease_owner=target.lease_owner,
        same_bytes=verdict.outcome == "unchanged",
        etag=fetched.etag,
        last_modified=fetched.last_modified,
    )


def full_way() -> Callable[..., CheckReport]:
    """:func:`monitor.watch.record.process_safely`. On a store opened without SQLAlchemy
    (:mod:`monitor.store.lite`) a check imports it, with SQLAlchemy, SQLModel and the tables, only when
    one of its checks must go the full way, in the middle of the cycle: then, in a process that set
    aside what its start-up made from the collector's work (``gc.freeze``,
    ``monitor.cli.common.collector_paused``), with the collector held off and what the import made set
    aside too; otherwise each full collection of an edited cycle would go over those tens of
    thousands of objects again (0.36 and 0.44 s of full collections against 0.16 and 0.15 s, in an
    edited cycle of 1,000 pages)."""
    if "monitor.watch.record" not in sys.modules and gc.isenabled() and gc.get_freeze_count():
        gc.disable()
        try:
            import monitor.watch.record  # noqa: F401
        finally:
            gc.freeze()
            gc.enable()
    from monitor.watch.record import process_safely

    return process_safely


def go_full_way(
    store: Store,
    target: Target,
    fetched: FetchResult,
    read: Candidate | str | None = None,
    compared: Compared | None = None,
) -> CheckReport:
    """One check the full way, in the thread that calls this: an edited page compared in a reader, on
    a store opened without SQLAlchemy, by :mod:`monitor.watch.record_lite`; any other check, or one
    that hands back, by :func:`full_way`. The imports the full way needs, the first time, are
    made there rather than in the thread that fetches; and, at the first
    version compared with an earlier one, those of sending its alert
    (:func:`monitor.alerts.render.warm`), made while this thread would otherwise wait for the next
    comparison rather than after the cycle."""
    report = None
    if record_lite.takes(store, target, fetched, read, compared):
        assert read is not None and not isinstance(read, str)
        try:
            report = record_lite.process(store, target, fetched, read, compared)
        except Exception as exc:  # recorded as the full way records an error: a failed check
            fetched, read, compared = record_lite.failed_safely(exc, target, fetched), None, None
    if report is None:
        report = full_way()(store, target, fetched, read, compared)
    if report.material is not None and "monitor.alerts.channels" not in sys.modules:  # compared: news
        with contextlib.suppress(Exception):  # only a head start: sending loads them all the same
            import monitor.alerts.channels  # noqa: F401  (the channels' modules, sending's)
            from monitor.alerts.render import warm

            warm()
    return report


def record_quick(store: Store, items: Sequence[Item]) -> list[CheckReport | LeaseLostError]:
    """Record ``items`` in one transaction; those it could not (their operator moved on, or the
    transaction failed) go the full way one by one. A check whose claim passed to another worker
    gives its :class:`LeaseLostError`."""
    now = datetime.now(UTC)
    batch = [_unchanged(t, f, v, now) for t, f, v in items]
    try:
        if store.lite is not None:  # a SQLite store opened without SQLAlchemy (monitor.store.lite)
            with transaction(store.lite):
                recorded = record_unchanged_sqlite(store.lite, batch, now)
                failpoints.hit("before-commit")
        else:
            with store.session() as session, session.begin():
                recorded = record_unchanged(session, batch, now)
                failpoints.hit("before-commit")
        failpoints.hit("after-commit")
    except Exception:  # a database error: the full way records each check, or its failure
        recorded = [False] * len(items)
    out: list[CheckReport | LeaseLostError] = []
    for (target, fetched, verdict), ok in zip(items, recorded, strict=True):
        if ok:
            assert target.held is not None
            out.append(
                CheckReport(
                    operator_id=target.operator_id,
                    outcome=verdict.outcome,
                    reason=verdict.reason,
                    http_status=fetched.http_status,
                    attempts=fetched.attempts,
                    elapsed=fetched.elapsed,
                    version_id=target.held.version_id,
                )
            )
            continue
        try:
            out.append(full_way()(store, target, fetched))
        except LeaseLostError as exc:
            out.append(exc)
    return out


# how the batcher runs a blocking call in the record thread: ``run(fn, *args)`` awaitable
Run = Callable[..., Awaitable[list[CheckReport | LeaseLostError]]]


class Batcher:
    """Gathers quick checks in the event loop and records them in the record thread (``run``, which
    runs one call at a time), ``size`` at a time or ``linger`` seconds after the first one came,
    whichever is sooner. ``policy-monitor check`` lingers 0.25 s: a cycle's checks then go some
    two hundred to a transaction (fewer, larger batches were measurably faster: BENCHMARKS.md); a
    worker of ``policy-monitor run`` lingers less, as each of its checks holds a slot while it waits."""

    def __init__(self, store: Store, run: Run, size: int = 200, linger: float = 0.25) -> None:
        self.store, self.run, self.size, self.linger = store, run, size, linger
        self._items: list[tuple[Item, asyncio.Future[CheckReport]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Future[list[CheckReport | LeaseLostError]]] = set()

    def offer(self, target: Target, fetched: FetchResult) -> asyncio.Future[CheckReport] | None:
        """The future report of a quick check, or None when the check must go the full way."""
        verdict = quick_verdict(target, fetched)
        if verdict is None:
            return None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[CheckReport] = loop.create_future()
        self._items.append(((target, fetched, verdict), future))
        if len(self._items) >= self.size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.linger, self.flush)
        return future

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._items = self._items, []
        if not batch:
            return
        items = [item for item, _ in batch]
        done = asyncio.ensure_future(self.run(record_quick, self.store, items))
        self._flushing.add(done)  # held: a task nobody holds may be collected before it ran
        done.add_done_callback(self._flushing.discard)

        def settle(task: asyncio.Future[list[CheckReport | LeaseLostError]]) -> None:
            exc = task.exception()
            for n, (_, future) in enumerate(batch):
                if future.done():
                    continue
                result = exc if exc is not None else task.result()[n]
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)

        done.add_done_callback(settle)
