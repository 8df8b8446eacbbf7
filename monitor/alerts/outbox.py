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

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from monitor.alerts import sending
from monitor.alerts.sending import (
    LEASE,
    LOST,
    STATUSES,
    Attempt,
    DeliveryReport,
    backoff,
    settle,
)
from monitor.errors import UserError
from monitor.store import lease
from monitor.store.tables import AlertRow, utcnow

if TYPE_CHECKING:
    from monitor.alerts.channels import Outbound
    from monitor.config import Alerting
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist

__all__ = ["LEASE", "STATUSES", "Attempt", "DeliveryReport", "backoff", "claim", "deliver", "finish"]


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


def finish(store: Store, row: Outbound, owner: str, error: str | None, alerting: Alerting) -> Attempt:
    """Record one attempt's outcome (unless the lease was lost to another worker meanwhile)."""
    now = utcnow()
    with store.session() as session, session.begin():
        cur = session.get(AlertRow, (row.id, row.channel), with_for_update=True)
        if cur is None or cur.status != "pending" or cur.lease_owner != owner:
            status = cur.status if cur is not None else "dead"
            return Attempt(row.id, row.channel, row.operator_id, row.event, status, row.attempts, LOST)
        after = settle(cur.attempts, error, alerting, now)
        cur.status, cur.attempts, cur.last_error = after.status, after.attempts, after.last_error
        cur.lease_owner = cur.lease_expires_at = None
        if after.delivered_at is not None:
            cur.delivered_at = after.delivered_at
        if after.next_attempt_at is not None:
            cur.next_attempt_at = after.next_attempt_at
        session.add(cur)
        return Attempt(cur.id, cur.channel, cur.operator_id, cur.event, cur.status, cur.attempts, error)


class _Orm:
    """Claiming and recording through SQLAlchemy (:func:`claim`, :func:`finish`)."""

    def claim(
        self, store: Store, owner: str, limit: int, ids: Iterable[str] | None, due_by: datetime
    ) -> list[AlertRow]:
        return claim(store, owner, limit, ids, due_by)

    def finish(
        self, store: Store, row: Outbound, owner: str, error: str | None, alerting: Alerting
    ) -> Attempt:
        return finish(store, row, owner, error, alerting)

    def now(self) -> datetime:
        return utcnow()


def deliver(
    store: Store,
    watchlist: Watchlist,
    *,
    owner: str | None = None,
    ids: Iterable[str] | None = None,
    batch: int = 50,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> DeliveryReport:
    """:func:`monitor.alerts.sending.deliver` through SQLAlchemy: every alert that is due now (or
    only ``ids``), one attempt each."""
    return sending.deliver(store, watchlist, _Orm(), owner=owner, ids=ids, batch=batch, on_attempt=on_attempt)


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
