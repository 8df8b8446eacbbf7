"""Claiming and recording the outbox's alerts on a ``sqlite3`` connection: how ``check`` delivers the
alerts of a cycle it recorded on a SQLite store opened without SQLAlchemy (:mod:`monitor.store.lite`),
with the statements :func:`monitor.alerts.outbox.claim` and :func:`~monitor.alerts.outbox.finish` make
through the ORM: the same conditions (due, pending, not leased to a live worker), the same lease and
the same outcome (:func:`monitor.alerts.sending.settle`). Only ``check`` sends this way; ``run`` and
``alerts send`` go through SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from monitor.alerts import sending
from monitor.alerts.sending import LEASE, LOST, Attempt, DeliveryReport, settle
from monitor.store import lease
from monitor.store.lite import marks, stamp, transaction

if TYPE_CHECKING:
    import sqlite3

    from monitor.alerts.channels import Outbound
    from monitor.config import Alerting
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist


@dataclass(frozen=True, slots=True)
class Row:
    """An outbox row as sending reads it (the columns of ``AlertRow`` it needs)."""

    id: str
    channel: str
    operator_id: str
    event: str
    created_at: datetime
    attempts: int
    payload: dict[str, Any]


def _conn(store: Store) -> sqlite3.Connection:
    assert store.lite is not None, "a store opened without SQLAlchemy (monitor.store.lite)"
    return store.lite


def _when(value: str) -> datetime:
    """A datetime as SQLAlchemy's ``UTCDateTime`` reads it back from SQLite (aware, UTC)."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def claim(store: Store, owner: str, limit: int, ids: Iterable[str] | None, due_by: datetime) -> list[Row]:
    """Lease up to ``limit`` pending alerts due by ``due_by`` that no live worker holds to ``owner``."""
    now = datetime.now(UTC)
    conn = _conn(store)
    with transaction(conn):
        held = conn.execute(
            "SELECT DISTINCT lease_owner FROM alerts WHERE status = 'pending' AND lease_expires_at > ?",
            (stamp(now),),
        ).fetchall()
        dead = [o for (o,) in held if o is not None and lease.is_dead(o)]
        sql = (
            "SELECT id, channel, operator_id, event, created_at, attempts, payload FROM alerts "
            "WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_expires_at IS NULL "
            f"OR lease_expires_at <= ? OR lease_owner IN ({marks(len(dead))}))"
        )
        params: list[Any] = [stamp(due_by), stamp(now), *dead]
        if ids is not None:
            wanted = list(ids)
            sql += f" AND id IN ({marks(len(wanted))})"
            params += wanted
        sql += " ORDER BY created_at, id LIMIT ?"
        rows = [
            Row(i, ch, op, ev, _when(at), n, json.loads(payload))
            for i, ch, op, ev, at, n, payload in conn.execute(sql, [*params, limit])
        ]
        conn.executemany(
            "UPDATE alerts SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND channel = ?",
            [(owner, stamp(now + LEASE), r.id, r.channel) for r in rows],
        )
    return rows


def finish(store: Store, row: Outbound, owner: str, error: str | None, alerting: Alerting) -> Attempt:
    """Record one attempt's outcome (unless the lease was lost to another worker meanwhile)."""
    now = datetime.now(UTC)
    conn = _conn(store)
    with transaction(conn):
        cur = conn.execute(
            "SELECT status, lease_owner, attempts FROM alerts WHERE id = ? AND channel = ?",
            (row.id, row.channel),
        ).fetchone()
        if cur is None or cur[0] != "pending" or cur[1] != owner:
            status = cur[0] if cur is not None else "dead"
            return Attempt(row.id, row.channel, row.operator_id, row.event, status, row.attempts, LOST)
        after = settle(int(cur[2]), error, alerting, now)
        conn.execute(
            "UPDATE alerts SET status = ?, attempts = ?, last_error = ?, lease_owner = NULL, "
            "lease_expires_at = NULL, delivered_at = coalesce(?, delivered_at), "
            "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ? AND channel = ?",
            (
                after.status,
                after.attempts,
                after.last_error,
                stamp(after.delivered_at) if after.delivered_at else None,
                stamp(after.next_attempt_at) if after.next_attempt_at else None,
                row.id,
                row.channel,
            ),
        )
    return Attempt(row.id, row.channel, row.operator_id, row.event, after.status, after.attempts, error)


class _Lite:
    claim = staticmethod(claim)
    finish = staticmethod(finish)

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


def deliver(
    store: Store, watchlist: Watchlist, *, on_attempt: Callable[[Attempt], None] | None = None
) -> DeliveryReport:
    """:func:`monitor.alerts.sending.deliver` on the store's ``sqlite3`` connection."""
    return sending.deliver(store, watchlist, _Lite(), on_attempt=on_attempt)
