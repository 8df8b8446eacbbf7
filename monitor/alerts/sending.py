"""Sending the outbox, whichever way the store is open: claim due alerts, send each through its
channel outside any transaction, record the outcome (:func:`deliver`).

Claiming and recording are a :class:`Backend`'s: :mod:`monitor.alerts.outbox` through SQLAlchemy
(every database, several workers), :mod:`monitor.alerts.outbox_lite` through ``sqlite3`` on the SQLite
store ``check`` opened without SQLAlchemy (:mod:`monitor.store.lite`). Both record an attempt as
:func:`settle` says and lease a row for :data:`LEASE` before it is sent.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from monitor import failpoints
from monitor.redact import mask_secrets
from monitor.store import lease

if TYPE_CHECKING:
    from monitor.alerts.channels import Outbound
    from monitor.config import Alerting
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist

LEASE = timedelta(minutes=5)  # longer than any channel's timeout
STATUSES = ("pending", "delivered", "dead")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One send: what happened to one alert on one channel."""

    id: str
    channel: str
    operator_id: str
    event: str
    status: str  # the alert's status after the attempt: delivered | pending | dead
    attempts: int
    error: str | None = None


@dataclass(slots=True)
class DeliveryReport:
    attempts: list[Attempt] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for a in self.attempts if a.status == status)

    @property
    def delivered(self) -> int:
        return self.count("delivered")

    @property
    def retrying(self) -> int:
        return self.count("pending")

    @property
    def dead(self) -> int:
        return self.count("dead")

    def line(self) -> str:
        return f"alerts: {self.delivered} delivered, {self.retrying} to retry, {self.dead} dead"


def backoff(attempts: int, alerting: Alerting, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt after ``attempts`` failed ones: doubling from
    ``alerting.backoff`` up to ``max_backoff``, then a random 50–100 % of it (so that alerts that
    failed together do not all come back at the same second)."""
    base = min(alerting.max_backoff, alerting.backoff * 2.0 ** max(attempts - 1, 0))
    draw: float = rng.random() if rng is not None else random.random()
    return base * (0.5 + 0.5 * draw)


@dataclass(frozen=True, slots=True)
class Settled:
    """A pending alert's columns after one more attempt."""

    status: str
    attempts: int
    last_error: str | None
    delivered_at: datetime | None
    next_attempt_at: datetime | None  # None: left as it was


def settle(attempts: int, error: str | None, alerting: Alerting, now: datetime) -> Settled:
    """One more attempt on an alert that had ``attempts``: delivered, else retried after
    :func:`backoff`, else (``alerting.attempts`` reached) dead."""
    attempts += 1
    if error is None:
        return Settled("delivered", attempts, None, now, None)
    if attempts >= alerting.attempts:
        return Settled("dead", attempts, error, None, None)
    return Settled("pending", attempts, error, None, now + timedelta(seconds=backoff(attempts, alerting)))


LOST = "lease lost to another worker"


class Backend(Protocol):
    def claim(
        self, store: Store, owner: str, limit: int, ids: Iterable[str] | None, due_by: datetime
    ) -> Sequence[Outbound]: ...

    def finish(
        self, store: Store, row: Outbound, owner: str, error: str | None, alerting: Alerting
    ) -> Attempt: ...

    def now(self) -> datetime: ...


def deliver(
    store: Store,
    watchlist: Watchlist,
    backend: Backend,
    *,
    owner: str | None = None,
    ids: Iterable[str] | None = None,
    batch: int = 50,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> DeliveryReport:
    """Send every alert that is due now (or only ``ids``); one attempt each: an alert that fails
    is due again only after this call (its next attempt is later than the call's start)."""

    owner = owner or lease.worker_id()
    wanted = list(ids) if ids is not None else None
    report = DeliveryReport()
    start = backend.now()
    while True:
        rows = backend.claim(store, owner, batch, wanted, start)
        if not rows:
            return report
        # deferred: the channels and their renderers (Jinja2) load only when there is an alert to send
        from monitor.alerts.channels import send

        for row in rows:
            try:
                send(watchlist, row)
                error = None
            except Exception as exc:  # every failure is recorded on the alert and retried
                error = mask_secrets(str(exc)) or type(exc).__name__  # stored and shown: no credentials
            failpoints.hit("before-delivered")
            attempt = backend.finish(store, row, owner, error, watchlist.alerting)
            report.attempts.append(attempt)
            if on_attempt is not None:
                on_attempt(attempt)
