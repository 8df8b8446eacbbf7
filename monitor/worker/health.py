"""The state of one worker as people and monitoring see it: checks and alert attempts counted, the
database reachable or not, the one-minute progress line, ``/healthz``, and with --metrics-port the
Prometheus metrics of :mod:`monitor.worker.metrics` (imported only then: prometheus_client is not
needed otherwise).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import col, select

from monitor.alerts.outbox import counts
from monitor.alerts.rules import GOOD_OUTCOMES
from monitor.errors import UserError
from monitor.store.tables import OperatorRow, utcnow
from monitor.worker.runlog import first_line, log, safe_url

if TYPE_CHECKING:
    from monitor.alerts.outbox import Attempt
    from monitor.store.db import Store
    from monitor.watch.target import CheckReport
    from monitor.worker.metrics import Metrics, MetricsServer

DB_ERROR_LOG_EVERY = 60.0  # seconds between two log lines of a database error that lasts


@dataclass(frozen=True, slots=True)
class Progress:
    """What the database says for the progress line."""

    overdue: int  # due and claimed by no worker
    alerts_pending: int
    alerts_dead: int
    next_due: datetime | None


def read_progress(store: Store) -> Progress:
    """In the control thread: overdue operators, the next due time and the alerts in the outbox."""
    with store.session() as session:
        now = utcnow()
        overdue = session.exec(
            select(func.count())
            .select_from(OperatorRow)
            .where(col(OperatorRow.next_due_at) <= now, col(OperatorRow.lease_owner).is_(None))
        ).one()
        next_due = session.exec(select(func.min(OperatorRow.next_due_at))).one()
        per_op = counts(session).values()
        return Progress(
            overdue=int(overdue),
            alerts_pending=sum(c["pending"] for c in per_op),
            alerts_dead=sum(c["dead"] for c in per_op),
            next_due=next_due,
        )


class Health:
    """Counts and state of one worker. ``in_flight`` and ``stopping`` read the worker's own."""

    def __init__(
        self,
        owner: str,
        db_url: str,
        poll: float,
        *,
        in_flight: Callable[[], int],
        stopping: Callable[[], bool],
    ) -> None:
        self.owner = owner
        self.db_url = db_url
        self.poll = poll
        self._in_flight = in_flight
        self._stopping = stopping
        self.checks_done = 0
        self.outcomes: Counter[str] = Counter()  # since the last progress line
        self.delivered = 0
        self.last_tick: float | None = None  # when a dispatch last ran (monotonic)
        self.db_error: str | None = None
        self.db_error_logged = 0.0
        self.metrics: Metrics | None = None
        self.metrics_server: MetricsServer | None = None

    # -- what the worker reports -------------------------------------------------------------

    def tick(self) -> None:
        """A dispatch ran: the worker is claiming work."""
        self.last_tick = time.monotonic()

    def db_ok(self) -> None:
        if self.db_error is not None:
            log("database reachable again", db=safe_url(self.db_url))
        self.db_error = None

    def db_failed(self, what: str, exc: BaseException) -> None:
        self.db_error = first_line(exc)
        now = time.monotonic()
        if now - self.db_error_logged > DB_ERROR_LOG_EVERY:  # once a minute while it lasts
            self.db_error_logged = now
            log("database error", logging.ERROR, during=what, error=self.db_error, note="retrying")

    def checked(self, report: CheckReport, duration: float) -> None:
        self.checks_done += 1
        self.outcomes[report.outcome] += 1
        if self.metrics is not None:
            self.metrics.checks.labels(report.outcome).inc()
            self.metrics.duration.observe(duration)
            if report.outcome in GOOD_OUTCOMES:  # at once; the database's view comes every 15 s
                self.metrics.snapshot.last_success[report.operator_id] = time.time()

    def attempted(self, a: Attempt) -> None:
        """In the deliver thread: one line per delivery attempt."""
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

    def reloaded(self, result: str) -> None:
        """A watchlist reload: ``ok`` or ``error``."""
        if self.metrics is not None:
            self.metrics.reloads.labels(result).inc()

    def log_progress(self, p: Progress) -> None:
        """The progress line: checks by outcome since the last one, and the database's figures."""
        window, self.outcomes = self.outcomes, Counter()
        fields: dict[str, Any] = {"checked": sum(window.values()), **dict(sorted(window.items()))}
        fields.update(
            in_flight=self._in_flight(),
            due_unclaimed=p.overdue,
            next_due=p.next_due.strftime("%Y-%m-%dT%H:%M:%SZ") if p.next_due else None,
            alerts_pending=p.alerts_pending,
            alerts_dead=p.alerts_dead or None,
            total=self.checks_done,
        )
        log("progress", **fields)

    # -- /healthz and /metrics ---------------------------------------------------------------

    def status(self) -> tuple[bool, dict[str, Any]]:
        """In the metrics server's thread: is this worker doing its job?"""
        limit = max(30.0, 10 * self.poll)
        since = time.monotonic() - self.last_tick if self.last_tick is not None else None
        detail: dict[str, Any] = {
            "worker": self.owner,
            "in_flight": self._in_flight(),
            "checks": self.checks_done,
            "last_dispatch_seconds_ago": round(since, 1) if since is not None else None,
        }
        problem = None
        if self._stopping():
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

    def start_metrics(self, host: str, port: int) -> None:
        """Serve ``/metrics`` and ``/healthz``; a port that cannot be listened on is a :class:`UserError`."""
        from monitor.worker.metrics import Metrics, MetricsServer  # deferred: only with --metrics-port

        self.metrics = Metrics(self.owner, self._in_flight)
        try:
            self.metrics_server = MetricsServer(self.metrics, self.status, host, port).start()
        except OSError as exc:
            raise UserError(
                f"--metrics-port {port}: cannot listen on {host}:{port}: {exc.strerror}"
            ) from None

    @property
    def metrics_url(self) -> str | None:
        return self.metrics_server.url + "/metrics" if self.metrics_server is not None else None

    def stop_metrics(self) -> None:
        if self.metrics_server is not None:
            self.metrics_server.stop()

    def read_metrics(self, store: Store, watched: set[str]) -> None:
        """In the control thread: the database's figures for /metrics."""
        assert self.metrics is not None
        with store.session() as session:
            self.metrics.refresh(session, watched, overdue_after=max(2 * self.poll, 5.0))
