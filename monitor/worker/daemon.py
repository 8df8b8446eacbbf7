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
politeness holds across checks; for ``fetcher: browser`` one Chromium, :mod:`monitor.watch.browser`,
started at the first browser check and again if it dies) → judge and record
(:func:`monitor.watch.record.process_safely`, one at a time in the "record" thread). Database calls
of the jobs run in a "control" thread, deliveries in a "deliver" thread, so that neither a slow SMTP
server nor a long comparison stalls the loop.

Stopping (SIGTERM, SIGINT): no new claims; running checks get --grace seconds to finish (then they
are cancelled and their claims handed back, still due, for the next worker or start); pending
alerts are delivered (again at most --grace seconds); the worker's row is marked stopped; exit 0.
A second signal cuts the waits short.

Beside this loop: :mod:`~monitor.worker.reload` (the watchlist and the fetcher its settings make),
:mod:`~monitor.worker.jobs` (the scheduler), :mod:`~monitor.worker.lanes` (the threads),
:mod:`~monitor.worker.checks` (recording a check, its log line) and :mod:`~monitor.worker.health`
(counts, the progress line, ``/healthz`` and the metrics).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from monitor.alerts import outbox
from monitor.store import lease, schedule
from monitor.store.db import Store, open_store, resolve_url
from monitor.watch.fetchers import preflight
from monitor.watch.target import Target
from monitor.watchlist import Watchlist
from monitor.web import server as web_view
from monitor.worker import runlog
from monitor.worker.checks import Recorder, log_check
from monitor.worker.health import Health, read_progress
from monitor.worker.jobs import Jobs
from monitor.worker.lanes import Lane
from monitor.worker.reload import Reloader, read_watchlist
from monitor.worker.runlog import first_line, log, safe_url

RESYNC_EVERY = 60.0
METRICS_EVERY = 15.0
WAKE_OUTCOMES = ("changed", "failed", "suspicious")  # outcomes that may have raised an alert


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
    serve_port: int | None = None  # `run --serve PORT`: the web view (monitor.web) in this loop
    serve_host: str = "127.0.0.1"


class Daemon:
    def __init__(self, opts: Options, store: Store, watchlist: Watchlist, digest: str) -> None:
        self.opts = opts
        self.store = store
        self.owner = lease.worker_id()
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        self.stopping = False
        self.backlog = False
        self.signame = ""
        self.stop_event = asyncio.Event()
        self.hurry = asyncio.Event()  # a second signal: cut the waits short
        self.control, self.record, self.sender = Lane("control"), Lane("record"), Lane("deliver")
        self.health = Health(
            self.owner,
            store.url,
            opts.poll,
            in_flight=lambda: len(self.in_flight),
            stopping=lambda: self.stopping,
        )
        self.reloader = Reloader(
            opts.watchlist,
            watchlist,
            digest,
            concurrency=opts.concurrency,
            health=self.health,
            reconcile=self.reconcile,
            running=lambda: list(self.in_flight.values()),
        )
        self.recorder = Recorder(store, self.record)
        self.jobs = Jobs(stopping=lambda: self.stopping)
        self.web: web_view.Embedded | None = None  # `run --serve`

    @property
    def capacity(self) -> int:
        return self.opts.capacity or self.reloader.settings.concurrency * 4

    # -- life -----------------------------------------------------------------------------------

    async def main(self, stop_early: threading.Event | None = None) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.on_stop_signal, sig.name)
        loop.add_signal_handler(signal.SIGHUP, self.on_hup)
        if stop_early is not None and stop_early.is_set():
            self.on_stop_signal("signal before start")

        o, wl = self.opts, self.reloader.watchlist
        if o.serve_port is not None:  # first: a port in use stops the start before anything is claimed
            self.web = await web_view.start_in_daemon(self.store, o.serve_host, o.serve_port, wl)
        await self.control.run(schedule.register_worker, self.store, self.owner, o.lease)
        rec = await self.control.run(schedule.reconcile, self.store, wl, o.jitter)
        await self.reloader.open()
        if o.metrics_port is not None:
            self.health.start_metrics(o.metrics_host, o.metrics_port)
        self.add_jobs()
        self.jobs.start()
        log(
            "started",
            worker=self.owner,
            pid=os.getpid(),
            db=safe_url(self.store.url),
            watchlist=str(o.watchlist),
            operators=len(wl.operators),
            scheduled=len(rec.added) or None,
            concurrency=self.reloader.settings.concurrency,
            capacity=self.capacity,
            metrics=self.health.metrics_url,
        )
        await self.stop_event.wait()
        await self.shutdown()
        return 0

    def add_jobs(self) -> None:
        o, add = self.opts, self.jobs.add
        add("dispatch", self.dispatch, o.poll, at_once=True)
        add("deliver", self.deliver, o.deliver_every, at_once=True)
        add("heartbeat", self.heartbeat, heartbeat_every(o.lease))
        add("resync", self.resync, RESYNC_EVERY)
        add("summary", self.summary, o.summary_every)
        if o.reload_every > 0:
            add("watch", self.watch, o.reload_every)
        if self.health.metrics is not None:
            add("metrics", self.refresh_metrics, METRICS_EVERY, at_once=True)

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
            log("could not hand back claims", logging.ERROR, error=first_line(exc), note="they expire")
        flushed = None if self.hurry.is_set() else await self._flush(grace)
        self.jobs.shutdown()
        await asyncio.sleep(0)
        await self.reloader.close()
        self.health.stop_metrics()
        if self.web is not None:
            await self.web.stop()
        done = self.health.checks_done
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.control.run(schedule.beat, self.store, self.owner, done, 0, stopped=True), 10
            )
        for lane in (self.control, self.record, self.sender):
            lane.close()
        log(
            "stopped",
            worker=self.owner,
            checks=done,
            handed_back=released or None,
            alerts_delivered=self.health.delivered,
            alerts_to_retry=(flushed.retrying or None) if flushed is not None else None,
        )

    async def _flush(self, grace: float) -> outbox.DeliveryReport | None:
        """On stop: deliver the pending alerts, for at most ``grace`` seconds."""
        flush = asyncio.ensure_future(self._send_outbox())
        if await self._wait([flush], grace):
            log(
                "alert delivery cut short", logging.WARNING, after=f"{grace:g}s", note="retried at next start"
            )
        elif (error := flush.exception()) is not None:
            log("alert delivery failed", logging.ERROR, error=first_line(error))
        else:
            return flush.result()
        return None

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

    async def dispatch(self) -> None:
        if self.stopping:
            return
        free = self.capacity - len(self.in_flight)
        if free <= 0:
            self.backlog = True
            self.health.tick()
            return
        try:
            rows = await self.control.run(schedule.claim, self.store, self.owner, free, self.opts.lease)
        except Exception as exc:
            self.health.db_failed("claim", exc)
            return
        self.health.db_ok()
        self.health.tick()
        if self.stopping:  # the stop came while claiming: hand them back
            await self.control.run(schedule.release, self.store, self.owner, [r.id for r in rows])
            return
        if rows and runlog.enabled(logging.DEBUG):
            log("claimed", logging.DEBUG, operators=[r.id for r in rows], in_flight=len(self.in_flight))
        specs = self.reloader.specs
        unwatched = [r.id for r in rows if r.id not in specs]
        if unwatched:  # removed from the watchlist (another worker may have rescheduled it)
            await self.control.run(schedule.unschedule, self.store, self.owner, unwatched)
        loop = asyncio.get_running_loop()
        for row in rows:
            spec = specs.get(row.id)
            if spec is None or row.id in self.in_flight:
                continue
            target = replace(
                Target.of(spec, self.reloader.watchlist, row), jitter=self.opts.jitter, lease_owner=self.owner
            )
            self.in_flight[row.id] = loop.create_task(self.check(target), name=f"check {row.id}")
        self.backlog = len(rows) >= free

    async def check(self, target: Target) -> None:
        t0 = time.monotonic()
        fetchers = self.reloader.fetchers
        try:
            fetched = await fetchers.fetch(target)  # never raises but CancelledError: a failure is a result
            report = await self.recorder.check(target, fetched)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log(
                "check error",
                logging.ERROR,
                operator=target.operator_id,
                error=first_line(exc),
                exc_info=True,
            )
            return
        finally:
            self.in_flight.pop(target.operator_id, None)
            if self.backlog and self.capacity - len(self.in_flight) >= max(1, self.capacity // 4):
                self.backlog = False
                self.jobs.wake("dispatch")
        if report is None:
            return
        duration = time.monotonic() - t0
        self.health.checked(report, duration)
        log_check(report, duration, self.owner)
        if report.outcome in WAKE_OUTCOMES:
            self.jobs.wake("deliver")

    def _send_outbox(self) -> Awaitable[outbox.DeliveryReport]:
        """What is due in the outbox, sent in the deliver thread."""
        return self.sender.run(
            outbox.deliver,
            self.store,
            self.reloader.watchlist,
            owner=self.owner,
            on_attempt=self.health.attempted,
        )

    async def deliver(self) -> None:
        if self.stopping:
            return
        try:
            await self._send_outbox()
        except Exception as exc:
            self.health.db_failed("alert delivery", exc)

    async def heartbeat(self) -> None:
        ids = list(self.in_flight)

        def beat() -> None:
            if ids:
                schedule.renew(self.store, self.owner, ids, self.opts.lease)
            schedule.beat(self.store, self.owner, self.health.checks_done, len(ids))

        try:
            await self.control.run(beat)
        except Exception as exc:
            self.health.db_failed("heartbeat", exc)

    async def reconcile(self, wl: Watchlist, during: str) -> schedule.Reconciled | None:
        """Make the schedule follow ``wl``; None when the database failed."""
        try:
            return await self.control.run(schedule.reconcile, self.store, wl, self.opts.jitter)
        except Exception as exc:
            self.health.db_failed(during, exc)
            return None

    async def resync(self) -> None:
        self.recorder.forget_numbers()
        rec = await self.reconcile(self.reloader.watchlist, "resync")
        if rec:
            log(
                "schedule repaired",
                added=rec.added or None,
                removed=rec.removed or None,
                pulled_in=rec.pulled_in or None,
            )
            self.jobs.wake("dispatch")

    async def summary(self) -> None:
        try:
            progress = await self.control.run(read_progress, self.store)
        except Exception as exc:
            self.health.db_failed("summary", exc)
            return
        self.health.log_progress(progress)

    async def watch(self) -> None:
        if await self.reloader.watch():
            self.jobs.wake("dispatch")

    async def reload(self, why: str, force: bool = False) -> None:
        if await self.reloader.reload(why, force):
            self.jobs.wake("dispatch")

    async def refresh_metrics(self) -> None:
        try:
            await self.control.run(self.health.read_metrics, self.store, set(self.reloader.specs))
        except Exception as exc:
            self.health.db_failed("metrics", exc)


# ---------------------------------------------------------------------------------------------
# the command's body


def run(opts: Options, log_format: str = "text", log_level: str = "info") -> int:
    """``policy-monitor run``: returns the exit status (0 after a clean stop). Raises
    :class:`monitor.errors.UserError` for what stops it from starting (an invalid watchlist, an
    unreachable database, a second worker on SQLite)."""
    runlog.setup(log_format, log_level)
    stop_early = threading.Event()

    def early(signum: int, _frame: Any) -> None:
        stop_early.set()

    previous = {sig: signal.signal(sig, early) for sig in (signal.SIGTERM, signal.SIGINT)}
    previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, lambda *_: None)  # read at start anyway
    try:
        wl, digest = read_watchlist(opts.watchlist)
        preflight(wl)  # browser fetches need Playwright and a Chromium: say so now, not at each check
        if not wl.operators:
            log(
                "no operators",
                logging.WARNING,
                file=str(opts.watchlist),
                note="add some and the running worker picks them up",
            )
        lock = schedule.SqliteWorkerLock(resolve_url(opts.db))
        lock.acquire()
        try:
            store = open_store(opts.db)
            try:
                return asyncio.run(Daemon(opts, store, wl, digest).main(stop_early))
            finally:
                store.dispose()
        finally:
            lock.release()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
