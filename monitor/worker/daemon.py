"""``policy-monitor run``: one long-running worker. Any number of them can share a PostgreSQL database.

The schedule is in the database (:mod:`monitor.store.schedule`); APScheduler (3.x, ``AsyncIOScheduler``)
drives this worker's periodic jobs on one asyncio loop, each with ``max_instances=1`` and
``coalesce=True`` (a job late because the machine slept runs once):

    dispatch   every --poll s (and at once when slots free up with work waiting): claim due
               operators, up to the free slots, and start their checks
    deliver    every 2 s, and at once after a check that may have raised an alert: the outbox
               (:func:`monitor.alerts.outbox.deliver`; rows are leased, so workers never send one twice)
    watch      every --reload-every s: re-read the watchlist when the file changed (and on SIGHUP)
    heartbeat  every --lease/3 s (at most 10 s): renew the leases of running checks; the worker's
               row in ``workers`` (checks done, in flight)
    resync     every minute: reconcile the watchlist and the table again (self-healing)
    summary    every minute: one progress line (checks by outcome, overdue operators, alerts)
    metrics    every 15 s with --metrics-port: the database figures for /metrics

A check is fetch (asyncio, one :class:`monitor.watch.fetch.Fetcher` for the worker's life, so per-host
politeness holds across checks) → judge and record (:func:`monitor.watch.record.process_safely`, one at
a time in the "record" thread). Database calls of the jobs run in a "control" thread, deliveries in
a "deliver" thread, so that neither a slow SMTP server nor a long comparison stalls the loop.

Stopping (SIGTERM, SIGINT): no new claims; running checks get --grace seconds to finish (then they
are cancelled and their claims handed back, still due, for the next worker or start); pending
alerts are delivered (again at most --grace seconds); the worker's row is marked stopped; exit 0.
A second signal cuts the waits short.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import queue
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from monitor.store import lease
from monitor.worker import runlog
from monitor.worker.runlog import log

if TYPE_CHECKING:
    from monitor.alerts.outbox import Attempt
    from monitor.store.db import Store
    from monitor.watch.fetch import Fetcher, FetchResult, FetchSettings
    from monitor.watch.target import CheckReport, Target
    from monitor.watchlist import OperatorSpec, Watchlist
    from monitor.worker.metrics import Metrics, MetricsServer

T = TypeVar("T")
RESYNC_EVERY = 60.0
METRICS_EVERY = 15.0
WAKE_OUTCOMES = ("changed", "failed", "suspicious")  # outcomes that may have raised an alert
GOOD_OUTCOMES = ("changed", "unchanged", "not_modified")


def heartbeat_every(lease: float) -> float:
    """Seconds between heartbeats: a third of the lease, at most 10 s (status shows fresh counts)."""
    return max(min(lease / 3, 10.0), 0.5)


@dataclass(frozen=True, slots=True)
class Options:
    watchlist: Path
    db: str | None = None
    poll: float = 1.0  # seconds between looks for due operators
    lease: float = 60.0  # seconds a claim lasts unless renewed (renewed every third of it)
    jitter: float = 0.1  # share of the interval added at random to each next due time
    grace: float = 30.0  # seconds to let running checks (and then deliveries) finish on stop
    reload_every: float = 2.0  # seconds between looks at the watchlist file; 0: SIGHUP only
    deliver_every: float = 2.0
    summary_every: float = 60.0
    capacity: int | None = None  # checks in flight; default 4 × the fetch concurrency
    concurrency: int | None = None  # overrides the watchlist's fetch.concurrency
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"


class Lane:
    """One daemon thread running blocking calls in order, awaited from the loop. A daemon thread,
    so that a hung database or SMTP server cannot keep a stopping process alive."""

    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], asyncio.Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._work, name=f"policy-monitor-{name}", daemon=True)
        self._thread.start()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((lambda: fn(*args, **kwargs), fut))
        return await fut

    async def drain(self) -> None:
        """Return when every call queued so far has finished."""
        await self.run(lambda: None)

    def close(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            call, fut = item
            loop = fut.get_loop()
            try:
                result = call()
            except BaseException as exc:
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                    loop.call_soon_threadsafe(_settle, fut, None, exc)
            else:
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_settle, fut, result, None)


def _settle(fut: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if fut.done():  # cancelled meanwhile
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(result)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class Daemon:
    def __init__(self, opts: Options, store: Store, watchlist: Watchlist, digest: str) -> None:
        self.opts = opts
        self.store = store
        self.owner = lease.worker_id()
        self.watchlist = watchlist
        self.specs: dict[str, OperatorSpec] = {s.id: s for s in watchlist.operators}
        self.wl_digest: str | None = digest
        self.wl_stat: tuple[int, int, int] | None = self._stat()
        self.bad_digest: str | None = None
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        self.checks_done = 0
        self.outcomes: Counter[str] = Counter()  # since the last summary
        self.delivered = 0
        self.numbers: dict[str, tuple[int, int]] = {}  # operator → (version id, its number)
        self.stopping = False
        self.backlog = False
        self.running_jobs: set[str] = set()
        self.rerun: set[str] = set()
        self.last_tick: float | None = None
        self.db_error: str | None = None
        self.db_error_logged = 0.0
        self.metrics: Metrics | None = None
        self.metrics_server: MetricsServer | None = None
        self.retired: list[Fetcher] = []
        self.signame = ""

    # -- settings -------------------------------------------------------------------------------

    def fetch_settings(self, wl: Watchlist) -> FetchSettings:
        from monitor.watch.fetch import FetchSettings

        overrides: dict[str, int] = {}
        if self.opts.concurrency:
            overrides["concurrency"] = self.opts.concurrency
        return FetchSettings.from_config(wl.fetch, **overrides)

    @property
    def capacity(self) -> int:
        return self.opts.capacity or self.settings.concurrency * 4

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.opts.watchlist)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    # -- life -----------------------------------------------------------------------------------

    async def main(self, stop_early: threading.Event | None = None) -> int:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        from monitor.store import schedule
        from monitor.watch.fetch import Fetcher

        loop = asyncio.get_running_loop()
        self.stop_event = asyncio.Event()
        self.hurry = asyncio.Event()
        self.reloading = asyncio.Lock()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.on_stop_signal, sig.name)
        loop.add_signal_handler(signal.SIGHUP, self.on_hup)
        if stop_early is not None and stop_early.is_set():
            self.on_stop_signal("signal before start")

        self.control, self.record, self.sender = Lane("control"), Lane("record"), Lane("deliver")
        self.settings = self.fetch_settings(self.watchlist)
        await self.control.run(schedule.register_worker, self.store, self.owner, self.opts.lease)
        rec = await self.control.run(schedule.reconcile, self.store, self.watchlist, self.opts.jitter)
        self.fetcher = await Fetcher(self.settings).__aenter__()
        if self.opts.metrics_port is not None:
            self.start_metrics()

        sched = self.sched = AsyncIOScheduler(
            event_loop=loop,
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        now = datetime.now(UTC)
        o = self.opts
        sched.add_job(
            self.job("dispatch", self.dispatch), "interval", seconds=o.poll, id="dispatch", next_run_time=now
        )
        sched.add_job(
            self.job("deliver", self.deliver),
            "interval",
            seconds=o.deliver_every,
            id="deliver",
            next_run_time=now,
        )
        sched.add_job(
            self.job("heartbeat", self.heartbeat),
            "interval",
            seconds=heartbeat_every(o.lease),
            id="heartbeat",
        )
        sched.add_job(self.job("resync", self.resync), "interval", seconds=RESYNC_EVERY, id="resync")
        sched.add_job(self.job("summary", self.summary), "interval", seconds=o.summary_every, id="summary")
        if o.reload_every > 0:
            sched.add_job(self.job("watch", self.watch), "interval", seconds=o.reload_every, id="watch")
        if self.metrics is not None:
            sched.add_job(
                self.job("metrics", self.refresh_metrics),
                "interval",
                seconds=METRICS_EVERY,
                id="metrics",
                next_run_time=now,
            )
        sched.start()
        log(
            "started",
            worker=self.owner,
            pid=os.getpid(),
            db=_safe_url(self.store.url),
            watchlist=str(o.watchlist),
            operators=len(self.watchlist.operators),
            scheduled=len(rec.added) or None,
            concurrency=self.settings.concurrency,
            capacity=self.capacity,
            metrics=self.metrics_server.url + "/metrics" if self.metrics_server else None,
        )
        await self.stop_event.wait()
        await self.shutdown()
        return 0

    def on_stop_signal(self, name: str) -> None:
        if not self.stop_event.is_set():
            self.signame = name
            self.stop_event.set()
        elif not self.hurry.is_set():
            log("stopping now", logging.WARNING, signal=name, reason="second signal")
            self.hurry.set()

    def on_hup(self) -> None:
        if not self.stopping:
            asyncio.get_running_loop().create_task(self.reload("SIGHUP", force=True))

    async def shutdown(self) -> None:
        from monitor.alerts import outbox
        from monitor.store import schedule

        self.stopping = True
        grace = self.opts.grace
        running = list(self.in_flight.values())
        log("stopping", signal=self.signame or None, running=len(running), grace=grace)
        pending = await self._wait(running, grace)
        if pending:
            log(
                "checks cut short",
                logging.WARNING,
                operators=sorted(k for k, t in self.in_flight.items() if t in pending),
                after=f"{grace:g}s",
                note="handed back, still due",
            )
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        # a record already in the record thread finishes (one transaction); then the claims of
        # checks that did not finish go back, still due, for another worker or the next start
        await self._wait([asyncio.ensure_future(self.record.drain())], grace)
        try:
            released = await self.control.run(schedule.release, self.store, self.owner)
        except Exception as exc:
            released = 0
            log("could not hand back claims", logging.ERROR, error=_first_line(exc), note="they expire")
        flushed: Any = None
        if not self.hurry.is_set():
            flush = asyncio.ensure_future(
                self.sender.run(
                    outbox.deliver, self.store, self.watchlist, owner=self.owner, on_attempt=self.on_attempt
                )
            )
            if await self._wait([flush], grace):
                log(
                    "alert delivery cut short",
                    logging.WARNING,
                    after=f"{grace:g}s",
                    note="retried at next start",
                )
            elif (error := flush.exception()) is not None:
                log("alert delivery failed", logging.ERROR, error=_first_line(error))
            else:
                flushed = flush.result()
        with contextlib.suppress(Exception):
            self.sched.shutdown(wait=False)
        await asyncio.sleep(0)
        for fetcher in [self.fetcher, *self.retired]:
            with contextlib.suppress(Exception):
                await fetcher.__aexit__(None, None, None)
        if self.metrics_server is not None:
            self.metrics_server.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.control.run(schedule.beat, self.store, self.owner, self.checks_done, 0, stopped=True), 10
            )
        for lane in (self.control, self.record, self.sender):
            lane.close()
        log(
            "stopped",
            worker=self.owner,
            checks=self.checks_done,
            handed_back=released or None,
            alerts_delivered=self.delivered,
            alerts_to_retry=(flushed.retrying or None) if flushed is not None else None,
        )

    async def _wait(self, futures: Sequence[asyncio.Future[Any]], timeout: float) -> set[asyncio.Future[Any]]:
        """Wait for all ``futures`` up to ``timeout`` seconds, or until a second stop signal."""
        pending = {f for f in futures if not f.done()}
        if not pending:
            return set()
        hurry = asyncio.ensure_future(self.hurry.wait())
        deadline = time.monotonic() + timeout
        try:
            while pending and not self.hurry.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                _, pending = await asyncio.wait(
                    {*pending, hurry}, timeout=left, return_when=asyncio.FIRST_COMPLETED
                )
                pending.discard(hurry)
        finally:
            hurry.cancel()
        return {f for f in pending if not f.done()}

    # -- jobs -----------------------------------------------------------------------------------

    def job(self, name: str, fn: Callable[[], Any]) -> Callable[[], Any]:
        async def run() -> None:
            self.running_jobs.add(name)
            try:
                await fn()
            except Exception as exc:  # a job must not die: log, and the next run tries again
                log("job failed", logging.ERROR, job=name, error=_first_line(exc), exc_info=True)
            finally:
                self.running_jobs.discard(name)
                if name in self.rerun and not self.stopping:
                    self.rerun.discard(name)
                    self.wake(name)

        run.__name__ = name
        return run

    def wake(self, name: str) -> None:
        """Run job ``name`` now (or again right after the run in progress)."""
        if self.stopping:
            return
        if name in self.running_jobs:
            self.rerun.add(name)
            return
        with contextlib.suppress(Exception):
            self.sched.modify_job(name, next_run_time=datetime.now(UTC))

    def db_ok(self) -> None:
        if self.db_error is not None:
            log("database reachable again", db=_safe_url(self.store.url))
        self.db_error = None

    def db_failed(self, what: str, exc: BaseException) -> None:
        self.db_error = _first_line(exc)
        now = time.monotonic()
        if now - self.db_error_logged > 60:  # once a minute while it lasts
            self.db_error_logged = now
            log("database error", logging.ERROR, during=what, error=self.db_error, note="retrying")

    async def dispatch(self) -> None:
        from monitor.store import schedule

        if self.stopping:
            return
        free = self.capacity - len(self.in_flight)
        if free <= 0:
            self.backlog = True
            self.last_tick = time.monotonic()
            return
        try:
            rows = await self.control.run(schedule.claim, self.store, self.owner, free, self.opts.lease)
        except Exception as exc:
            self.db_failed("claim", exc)
            return
        self.db_ok()
        self.last_tick = time.monotonic()
        if self.stopping:  # the stop came while claiming: hand them back
            await self.control.run(schedule.release, self.store, self.owner, [r.id for r in rows])
            return
        from monitor.watch.target import Target

        if rows and runlog.enabled(logging.DEBUG):
            log("claimed", logging.DEBUG, operators=[r.id for r in rows], in_flight=len(self.in_flight))
        unwatched = [r.id for r in rows if r.id not in self.specs]
        if unwatched:  # removed from the watchlist (another worker may have rescheduled it)
            await self.control.run(schedule.unschedule, self.store, self.owner, unwatched)
        loop = asyncio.get_running_loop()
        for row in rows:
            spec = self.specs.get(row.id)
            if spec is None or row.id in self.in_flight:
                continue
            target = replace(
                Target.of(spec, self.watchlist, row), jitter=self.opts.jitter, lease_owner=self.owner
            )
            self.in_flight[row.id] = loop.create_task(self.check(target), name=f"check {row.id}")
        self.backlog = len(rows) >= free

    async def check(self, target: Target) -> None:
        t0 = time.monotonic()
        fetcher = self.fetcher
        try:
            fetched = await fetcher.fetch(target.request())
            report = await self.record.run(self.record_one, target, fetched)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log(
                "check error",
                logging.ERROR,
                operator=target.operator_id,
                error=_first_line(exc),
                exc_info=True,
            )
            return
        finally:
            self.in_flight.pop(target.operator_id, None)
            if self.backlog and self.capacity - len(self.in_flight) >= max(1, self.capacity // 4):
                self.backlog = False
                self.wake("dispatch")
        if report is None:
            return
        duration = time.monotonic() - t0
        self.checks_done += 1
        self.outcomes[report.outcome] += 1
        if self.metrics is not None:
            self.metrics.checks.labels(report.outcome).inc()
            self.metrics.duration.observe(duration)
            if report.outcome in GOOD_OUTCOMES:  # at once; the database's view comes every 15 s
                self.metrics.snapshot.last_success[report.operator_id] = time.time()
        log(
            "check",
            logging.WARNING if report.outcome in ("failed", "suspicious") else logging.INFO,
            operator=report.operator_id,
            outcome=report.outcome,
            duration=round(duration, 3),
            version=report.version,
            http=report.http_status,
            attempts=report.attempts if report.attempts > 1 else None,
            material=report.material,
            changes=_changes(report.summary),
            reason=report.reason,
            worker=self.owner,
        )
        if report.outcome in WAKE_OUTCOMES:
            self.wake("deliver")

    def record_one(self, target: Target, fetched: FetchResult) -> CheckReport | None:
        """In the record thread: judge and record; the report with its version number."""
        from monitor.watch.record import process_safely
        from monitor.watch.run import number_versions
        from monitor.watch.target import LeaseLostError

        try:
            report = process_safely(self.store, target, fetched)
        except LeaseLostError as exc:
            log(
                "claim lost",
                logging.WARNING,
                operator=target.operator_id,
                detail=str(exc),
                note="result dropped",
            )
            return None
        if report.version_id is None:
            return report
        known = self.numbers.get(report.operator_id)
        if known is not None and known[0] == report.version_id:
            return replace(report, version=known[1])
        try:
            report = number_versions(self.store, [report])[0]
        except Exception:  # only the log line's version number is missing
            return report
        if report.version is not None and report.version_id is not None:
            self.numbers[report.operator_id] = (report.version_id, report.version)
        return report

    async def deliver(self) -> None:
        from monitor.alerts import outbox

        if self.stopping:
            return
        try:
            await self.sender.run(
                outbox.deliver, self.store, self.watchlist, owner=self.owner, on_attempt=self.on_attempt
            )
        except Exception as exc:
            self.db_failed("alert delivery", exc)

    def on_attempt(self, a: Attempt) -> None:
        """In the deliver thread: one line per attempt."""
        if a.status == "delivered":
            self.delivered += 1
        if self.metrics is not None:
            self.metrics.attempts.labels(a.status).inc()
        log(
            "alert",
            logging.INFO if a.status == "delivered" else logging.WARNING,
            id=a.id,
            operator=a.operator_id,
            event_type=a.event,
            channel=a.channel,
            status=a.status,
            attempts=a.attempts,
            error=a.error,
            worker=self.owner,
        )

    async def heartbeat(self) -> None:
        from monitor.store import schedule

        ids = list(self.in_flight)

        def beat() -> None:
            if ids:
                schedule.renew(self.store, self.owner, ids, self.opts.lease)
            schedule.beat(self.store, self.owner, self.checks_done, len(ids))

        try:
            await self.control.run(beat)
        except Exception as exc:
            self.db_failed("heartbeat", exc)

    async def resync(self) -> None:
        from monitor.store import schedule

        self.numbers.clear()  # an import may have renumbered versions
        try:
            rec = await self.control.run(schedule.reconcile, self.store, self.watchlist, self.opts.jitter)
        except Exception as exc:
            self.db_failed("resync", exc)
            return
        if rec:
            log(
                "schedule repaired",
                added=rec.added or None,
                removed=rec.removed or None,
                pulled_in=rec.pulled_in or None,
            )
            self.wake("dispatch")

    async def summary(self) -> None:
        from sqlalchemy import func
        from sqlmodel import col, select

        from monitor.alerts.outbox import counts
        from monitor.store.tables import OperatorRow, utcnow

        def read() -> tuple[int, int, int, datetime | None]:
            with self.store.session() as session:
                now = utcnow()
                overdue = session.exec(
                    select(func.count())
                    .select_from(OperatorRow)
                    .where(col(OperatorRow.next_due_at) <= now, col(OperatorRow.lease_owner).is_(None))
                ).one()
                next_due = session.exec(select(func.min(OperatorRow.next_due_at))).one()
                per_op = counts(session).values()
                return (
                    int(overdue),
                    sum(c["pending"] for c in per_op),
                    sum(c["dead"] for c in per_op),
                    next_due,
                )

        try:
            overdue, pending, dead, next_due = await self.control.run(read)
        except Exception as exc:
            self.db_failed("summary", exc)
            return
        window, self.outcomes = self.outcomes, Counter()
        fields: dict[str, Any] = {"checked": sum(window.values()), **dict(sorted(window.items()))}
        fields.update(
            in_flight=len(self.in_flight),
            due_unclaimed=overdue,
            next_due=next_due.strftime("%Y-%m-%dT%H:%M:%SZ") if next_due else None,
            alerts_pending=pending,
            alerts_dead=dead or None,
            total=self.checks_done,
        )
        log("progress", **fields)

    # -- the watchlist ------------------------------------------------------------------------

    async def watch(self) -> None:
        if self._stat() == self.wl_stat:
            return
        await self.reload("file changed")

    async def reload(self, why: str, force: bool = False) -> None:
        async with self.reloading:  # SIGHUP and the file watch: one at a time
            await self._reload(why, force)

    async def _reload(self, why: str, force: bool) -> None:
        from monitor.store import schedule
        from monitor.watchlist import WatchlistError, loads

        path = self.opts.watchlist
        self.wl_stat = self._stat()
        try:
            data = path.read_bytes()
        except OSError as exc:
            digest = f"unreadable: {exc.strerror}"
            if digest != self.bad_digest or force:
                self.bad_digest = digest
                log(
                    "watchlist unreadable",
                    logging.ERROR,
                    file=str(path),
                    error=exc.strerror,
                    keeping="the last good watchlist",
                )
                self._count_reload("error")
            return
        digest = hashlib.sha256(data).hexdigest()
        if not force and digest in (self.wl_digest, self.bad_digest):
            return
        try:
            wl = loads(data.decode("utf-8"), str(path))
        except UnicodeDecodeError:
            exc_problems = [f"{path}: not UTF-8 text"]
            wl = None
        except WatchlistError as exc:
            exc_problems = exc.problems
            wl = None
        if wl is None:
            self.bad_digest = digest
            for problem in exc_problems:
                log("watchlist invalid", logging.ERROR, problem=problem)
            log(
                "watchlist rejected",
                logging.ERROR,
                file=str(path),
                trigger=why,
                problems=len(exc_problems),
                keeping="the last good watchlist",
            )
            self._count_reload("error")
            return
        old = self.specs
        self.watchlist, self.specs = wl, {s.id: s for s in wl.operators}
        self.wl_digest, self.bad_digest = digest, None
        changed = sorted(i for i, s in self.specs.items() if i in old and old[i] != s)
        settings = self.fetch_settings(wl)
        if settings != self.settings:
            await self.swap_fetcher(settings)
        try:
            rec = await self.control.run(schedule.reconcile, self.store, wl, self.opts.jitter)
        except Exception as exc:
            self.db_failed("reload", exc)
            rec = schedule.Reconciled()
        log(
            "watchlist reloaded",
            file=str(path),
            trigger=why,
            operators=len(wl.operators),
            added=sorted(set(self.specs) - set(old)) or None,
            removed=sorted(set(old) - set(self.specs)) or None,
            changed=changed or None,
            scheduled=len(rec.added) or None,
        )
        self._count_reload("ok")
        if rec:
            self.wake("dispatch")

    def _count_reload(self, result: str) -> None:
        if self.metrics is not None:
            self.metrics.reloads.labels(result).inc()

    async def swap_fetcher(self, settings: FetchSettings) -> None:
        """New fetch settings: new checks use a new fetcher; the old one closes when its checks end."""
        from monitor.watch.fetch import Fetcher

        old, running = self.fetcher, list(self.in_flight.values())
        self.settings = settings
        self.fetcher = await Fetcher(settings).__aenter__()
        self.retired.append(old)

        async def close_later() -> None:
            await asyncio.gather(*running, return_exceptions=True)
            with contextlib.suppress(Exception):
                await old.__aexit__(None, None, None)
            with contextlib.suppress(ValueError):
                self.retired.remove(old)

        asyncio.get_running_loop().create_task(close_later())

    # -- metrics and health ------------------------------------------------------------------

    def start_metrics(self) -> None:
        from monitor.worker.metrics import Metrics, MetricsServer

        self.metrics = Metrics(self.owner, lambda: len(self.in_flight))
        assert self.opts.metrics_port is not None
        try:
            self.metrics_server = MetricsServer(
                self.metrics, self.health, self.opts.metrics_host, self.opts.metrics_port
            ).start()
        except OSError as exc:
            from monitor.errors import UserError

            raise UserError(
                f"--metrics-port {self.opts.metrics_port}: cannot listen on "
                f"{self.opts.metrics_host}:{self.opts.metrics_port}: {exc.strerror}"
            ) from None

    def health(self) -> tuple[bool, dict[str, Any]]:
        """In the metrics server's thread: is this worker doing its job?"""
        limit = max(30.0, 10 * self.opts.poll)
        since = time.monotonic() - self.last_tick if self.last_tick is not None else None
        detail: dict[str, Any] = {
            "worker": self.owner,
            "in_flight": len(self.in_flight),
            "checks": self.checks_done,
            "last_dispatch_seconds_ago": round(since, 1) if since is not None else None,
        }
        problem = None
        if self.stopping:
            problem = "stopping"
        elif self.db_error is not None:
            problem = f"database: {self.db_error}"
        elif since is None:
            problem = "starting"
        elif since > limit:
            problem = f"no dispatch for {since:.0f} s"
        if problem:
            detail["problem"] = problem
        return problem is None, detail

    async def refresh_metrics(self) -> None:
        from monitor.worker.metrics import read_snapshot

        assert self.metrics is not None
        metrics = self.metrics
        watched = set(self.specs)

        def read() -> None:
            with self.store.session() as session:
                metrics.snapshot = read_snapshot(
                    session, watched, metrics.success_cache, overdue_after=max(2 * self.opts.poll, 5.0)
                )

        try:
            await self.control.run(read)
        except Exception as exc:
            self.db_failed("metrics", exc)


def _changes(summary: dict[str, Any] | None) -> str | None:
    if not summary:
        return None
    parts = [f"{summary.get(k, 0)} {k}" for k in ("added", "removed", "modified", "moved") if summary.get(k)]
    cats = summary.get("categories") or {}
    if cats:
        parts.append("material: " + ",".join(sorted(cats)))
    return "; ".join(parts) or None


# ---------------------------------------------------------------------------------------------
# the command's body


def run(opts: Options, log_format: str = "text", log_level: str = "info") -> int:
    """``policy-monitor run``: returns the exit status (0 after a clean stop). Raises
    :class:`monitor.errors.UserError` for what stops it from starting (an invalid watchlist, an
    unreachable database, a second worker on SQLite)."""
    from monitor.store.db import open_store, resolve_url
    from monitor.store.schedule import SqliteWorkerLock
    from monitor.watchlist import WatchlistError, loads

    runlog.setup(log_format, log_level)
    stop_early = threading.Event()

    def early(signum: int, _frame: Any) -> None:
        stop_early.set()

    previous = {sig: signal.signal(sig, early) for sig in (signal.SIGTERM, signal.SIGINT)}
    previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, lambda *_: None)  # read at start anyway
    try:
        path = opts.watchlist
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise WatchlistError(
                [f"{path}: no such watchlist (create one, or pass --watchlist FILE)"]
            ) from None
        except OSError as exc:
            raise WatchlistError([f"{path}: cannot read: {exc.strerror}"]) from None
        try:
            wl = loads(data.decode("utf-8"), str(path))
        except UnicodeDecodeError:
            raise WatchlistError([f"{path}: not UTF-8 text"]) from None
        if not wl.operators:
            log(
                "no operators",
                logging.WARNING,
                file=str(path),
                note="add some and the running worker picks them up",
            )
        lock = SqliteWorkerLock(resolve_url(opts.db))
        lock.acquire()
        try:
            store = open_store(opts.db)
            try:
                daemon = Daemon(opts, store, wl, hashlib.sha256(data).hexdigest())
                return asyncio.run(daemon.main(stop_early))
            finally:
                store.dispose()
        finally:
            lock.release()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
