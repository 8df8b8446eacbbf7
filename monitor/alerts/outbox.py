"""Delivering the outbox: claim due alerts, send them, record the outcome.

    claim    due pending rows → leased to this worker       one short transaction
                                                           (FOR UPDATE SKIP LOCKED on PostgreSQL)
    send     each through its channel (:mod:`monitor.alerts.channels`), outside any transaction
    finish   delivered; or retried later with exponential backoff and jitter; or, after
             ``alerting.attempts``, dead (``policy-monitor alerts retry`` revives it)

Several workers can deliver from one database: a row is leased before it is sent, so two workers
never send it at once, and a worker that dies mid-send leaves a lease that expires (at once, when
the dead worker ran on this host: :func:`monitor.store.lease.is_dead`). A crash between sending and
recording the success sends the alert again, with the same delivery id: receivers drop duplicates
by ``X-Policy-Monitor-Delivery``. No alert is ever dropped without being marked dead.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from monitor import failpoints
from monitor.errors import UserError
from monitor.redact import mask_secrets
from monitor.store import lease
from monitor.store.tables import AlertRow, utcnow

if TYPE_CHECKING:
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


def claim(
    store: Store, owner: str, limit: int, ids: Iterable[str] | None = None, due_by: datetime | None = None
) -> list[AlertRow]:
    """Lease up to ``limit`` alerts due by ``due_by`` (default now) to ``owner``."""
    now = utcnow()
    with store.session() as session, session.begin():
        pending = col(AlertRow.status) == "pending"
        due = col(AlertRow.next_attempt_at) <= (due_by or now)
        stmt = select(AlertRow).where(pending, due, lease.free(session, AlertRow, pending, now))
        if ids is not None:
            stmt = stmt.where(col(AlertRow.id).in_(list(ids)))
        stmt = stmt.order_by(col(AlertRow.created_at), col(AlertRow.id)).limit(limit)
        rows = list(session.exec(stmt.with_for_update(skip_locked=True)))
        for row in rows:
            row.lease_owner, row.lease_expires_at = owner, now + LEASE
            session.add(row)
    return rows


def finish(store: Store, row: AlertRow, owner: str, error: str | None, alerting: Alerting) -> Attempt:
    """Record one attempt's outcome (unless the lease was lost to another worker meanwhile)."""
    now = utcnow()
    with store.session() as session, session.begin():
        cur = session.get(AlertRow, (row.id, row.channel), with_for_update=True)
        if cur is None or cur.status != "pending" or cur.lease_owner != owner:
            status = cur.status if cur is not None else "dead"
            lost = "lease lost to another worker"
            return Attempt(row.id, row.channel, row.operator_id, row.event, status, row.attempts, lost)
        cur.attempts += 1
        cur.lease_owner = cur.lease_expires_at = None
        if error is None:
            cur.status, cur.delivered_at, cur.last_error = "delivered", now, None
        else:
            cur.last_error = error
            if cur.attempts >= alerting.attempts:
                cur.status = "dead"
            else:
                cur.next_attempt_at = now + timedelta(seconds=backoff(cur.attempts, alerting))
        session.add(cur)
        return Attempt(cur.id, cur.channel, cur.operator_id, cur.event, cur.status, cur.attempts, error)


def deliver(
    store: Store,
    watchlist: Watchlist,
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
    start = utcnow()
    while True:
        rows = claim(store, owner, batch, wanted, due_by=start)
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
            attempt = finish(store, row, owner, error, watchlist.alerting)
            report.attempts.append(attempt)
            if on_attempt is not None:
                on_attempt(attempt)


# ---------------------------------------------------------------------------------------------
# reading and reviving (the `alerts` command)


def find(session: Session, prefix: str, channel: str | None = None) -> list[AlertRow]:
    """The rows of the alert whose id starts with ``prefix`` (one per channel)."""
    prefix = prefix.strip().lower()
    if len(prefix) < 4:
        raise UserError(f"alert id {prefix!r} is too short: give at least 4 characters")
    stmt = select(AlertRow).where(col(AlertRow.id).startswith(prefix))
    if channel is not None:
        stmt = stmt.where(AlertRow.channel == channel)
    rows = list(session.exec(stmt.order_by(col(AlertRow.channel))))
    found = sorted({r.id for r in rows})
    if not found:
        on = f" on channel {channel!r}" if channel else ""
        raise UserError(f"no alert {prefix!r}{on} (see `policy-monitor alerts list`)")
    if len(found) > 1:
        raise UserError(f"alert id {prefix!r} is ambiguous: {', '.join(i[:8] for i in found[:5])}")
    return rows


def listing(
    session: Session, status: str | None = None, operator: str | None = None, limit: int = 50
) -> list[AlertRow]:
    stmt = select(AlertRow)
    if status is not None:
        stmt = stmt.where(AlertRow.status == status)
    if operator is not None:
        stmt = stmt.where(AlertRow.operator_id == operator)
    stmt = stmt.order_by(col(AlertRow.created_at).desc(), col(AlertRow.id), col(AlertRow.channel))
    return list(session.exec(stmt.limit(limit)))


def counts(session: Session) -> dict[str, dict[str, int]]:
    """operator id → {status: number of alerts}."""
    stmt = select(AlertRow.operator_id, AlertRow.status, func.count()).group_by(
        col(AlertRow.operator_id), col(AlertRow.status)
    )
    out: dict[str, dict[str, int]] = {}
    for op_id, status, n in session.exec(stmt):
        out.setdefault(op_id, dict.fromkeys(STATUSES, 0))[status] = int(n)
    return out


def revive(store: Store, prefix: str | None = None, channel: str | None = None) -> list[AlertRow]:
    """Make alerts due now with a fresh count of attempts: the named one (dead or still pending),
    else every dead one. Returns the rows revived."""
    now = utcnow()
    with store.session() as session, session.begin():
        if prefix is not None:
            rows = [r for r in find(session, prefix, channel) if r.status != "delivered"]
            if not rows:
                raise UserError(f"alert {prefix!r} was already delivered")
        else:
            stmt = select(AlertRow).where(AlertRow.status == "dead")
            if channel is not None:
                stmt = stmt.where(AlertRow.channel == channel)
            rows = list(session.exec(stmt))
        for row in rows:
            row.status, row.attempts, row.next_attempt_at = "pending", 0, now
            row.lease_owner = row.lease_expires_at = None
            session.add(row)
    return rows
