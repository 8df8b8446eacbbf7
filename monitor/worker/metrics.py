"""``policy-monitor run --metrics-port``: Prometheus metrics and ``/healthz`` over HTTP.

Metrics of this worker (counters since it started):

    policy_monitor_checks_total{outcome}            checks recorded, by outcome
    policy_monitor_check_duration_seconds           fetch + judge + record (histogram)
    policy_monitor_checks_in_flight                 claimed and not yet recorded
    policy_monitor_alert_attempts_total{status}     delivery attempts: delivered | pending (retry) | dead
    policy_monitor_watchlist_reloads_total{result}  ok | error

Metrics of the whole database (every worker reports the same values; refreshed every 15 s):

    policy_monitor_alerts{status}                   pending | dead alerts in the outbox
    policy_monitor_operators{state}                 watched | overdue (due and not claimed)
    policy_monitor_last_success_timestamp_seconds{operator}   last good check (changed, unchanged, 304)

``/healthz`` answers 200 with a JSON body while the worker claims work and reaches its database,
503 otherwise (and while it stops). Exposition is prometheus-client's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from monitor.alerts.outbox import counts
from monitor.alerts.rules import GOOD_OUTCOMES
from monitor.store.tables import CheckRow, OperatorRow, utcnow

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@dataclass(slots=True)
class Snapshot:
    """What the database says, as of ``at`` (read by :func:`read_snapshot`)."""

    at: datetime | None = None
    alerts: dict[str, int] = field(default_factory=lambda: {"pending": 0, "dead": 0})
    watched: int = 0
    overdue: int = 0
    last_success: dict[str, float] = field(default_factory=dict)  # operator → Unix time


def read_snapshot(
    session: Session, watched: set[str], cache: dict[str, float], overdue_after: float
) -> Snapshot:
    """Alerts by status, watched and overdue operators, and each watched operator's last success.
    ``cache`` keeps the last success of failing operators between calls (it cannot change while
    they fail), so that only operators newly failing cost a query."""
    now = utcnow()
    snap = Snapshot(at=now, watched=len(watched))
    for per_status in counts(session).values():
        for status in ("pending", "dead"):
            snap.alerts[status] += per_status.get(status, 0)
    late = now - timedelta(seconds=overdue_after)
    rows = session.execute(
        sa_select(
            col(OperatorRow.id),
            col(OperatorRow.last_check_at),
            col(OperatorRow.last_outcome),
            col(OperatorRow.next_due_at),
            col(OperatorRow.lease_owner),
        )
    ).all()
    for op_id, last_at, outcome, due, owner in rows:
        if op_id not in watched:
            continue
        if due is not None and due <= late and owner is None:
            snap.overdue += 1
        if last_at is None:
            continue
        if outcome in GOOD_OUTCOMES:
            snap.last_success[op_id] = last_at.timestamp()
            cache.pop(op_id, None)
            continue
        if op_id not in cache:
            stmt = select(func.max(CheckRow.started_at)).where(
                CheckRow.operator_id == op_id, col(CheckRow.outcome).in_(GOOD_OUTCOMES)
            )
            best = session.exec(stmt).one()
            cache[op_id] = best.timestamp() if best is not None else 0.0
        if cache[op_id]:
            snap.last_success[op_id] = cache[op_id]
    return snap


class _DatabaseCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        snap = self._metrics.snapshot
        alerts = GaugeMetricFamily(
            "policy_monitor_alerts", "Alerts in the outbox by status (whole database)", labels=["status"]
        )
        for status, n in sorted(snap.alerts.items()):
            alerts.add_metric([status], n)
        yield alerts
        ops = GaugeMetricFamily(
            "policy_monitor_operators",
            "Operators in the watchlist, and those due but not yet claimed by any worker",
            labels=["state"],
        )
        ops.add_metric(["watched"], snap.watched)
        ops.add_metric(["overdue"], snap.overdue)
        yield ops
        last = GaugeMetricFamily(
            "policy_monitor_last_success_timestamp_seconds",
            "Unix time of the operator's last good check (changed, unchanged or not modified)",
            labels=["operator"],
        )
        for op_id, ts in sorted(snap.last_success.items()):
            last.add_metric([op_id], ts)
        yield last
        if snap.at is not None:
            at = GaugeMetricFamily(
                "policy_monitor_snapshot_timestamp_seconds", "When the database metrics were read"
            )
            at.add_metric([], snap.at.timestamp())
            yield at
        info = InfoMetricFamily("policy_monitor_worker", "This worker")
        info.add_metric([], {"worker": self._metrics.worker})
        yield info


class Metrics:
    def __init__(self, worker: str, in_flight: Callable[[], int]) -> None:
        self.worker = worker
        self.registry = CollectorRegistry(auto_describe=True)
        self.snapshot = Snapshot()
        self.success_cache: dict[str, float] = {}
        r = self.registry
        self.checks = Counter(
            "policy_monitor_checks", "Checks recorded by this worker", ["outcome"], registry=r
        )
        self.duration = Histogram(
            "policy_monitor_check_duration_seconds",
            "Duration of a check: fetch, judge and record",
            buckets=DURATION_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge(
            "policy_monitor_checks_in_flight",
            "Operators claimed by this worker, not yet recorded",
            registry=r,
        )
        self.in_flight.set_function(lambda: float(in_flight()))
        self.attempts = Counter(
            "policy_monitor_alert_attempts", "Alert delivery attempts by this worker", ["status"], registry=r
        )
        self.reloads = Counter(
            "policy_monitor_watchlist_reloads", "Watchlist reloads by result", ["result"], registry=r
        )
        for outcome in ("changed", "unchanged", "not_modified", "failed", "suspicious"):
            self.checks.labels(outcome)
        for status in ("delivered", "pending", "dead"):
            self.attempts.labels(status)
        for result in ("ok", "error"):
            self.reloads.labels(result)
        r.register(_DatabaseCollector(self))

    def refresh(self, session: Session, watched: set[str], overdue_after: float) -> None:
        """Read the database's figures (:func:`read_snapshot`)."""
        self.snapshot = read_snapshot(session, watched, self.success_cache, overdue_after)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class MetricsServer:
    """``/metrics`` and ``/healthz`` on ``host:port`` (port 0: any free port), in a thread."""

    def __init__(
        self, metrics: Metrics, health: Callable[[], tuple[bool, dict[str, Any]]], host: str, port: int
    ) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in ("/metrics", "/"):
                    self._send(200, CONTENT_TYPE_LATEST, metrics.exposition())
                elif path in ("/healthz", "/health"):
                    ok, detail = health()
                    body = json.dumps({"status": "ok" if ok else "unhealthy", **detail}, default=str)
                    self._send(200 if ok else 503, "application/json", body.encode() + b"\n")
                else:
                    self._send(404, "text/plain; charset=utf-8", b"not found: try /metrics or /healthz\n")

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # scrapes every 15 s are not news

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.host, self.port = host, int(self.server.server_address[1])
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="policy-monitor-metrics", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
