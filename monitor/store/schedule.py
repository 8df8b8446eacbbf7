"""When operators are due, and which worker checks them: the schedule lives in the database.

Every ``policy-monitor run`` process (a *worker*) works from the same table, so that any number of
them can share one PostgreSQL database (APScheduler's own job stores must not be shared between
schedulers, so they only drive each worker's periodic jobs: :mod:`monitor.worker.daemon`).

    operators.next_due_at       when the operator is due; NULL: not scheduled (not in the watchlist)
    operators.lease_owner       the worker that claimed it (``monitor.store.lease.worker_id()``) …
    operators.lease_expires_at  … until then; renewed while its check runs

claim      due, unclaimed rows → leased to this worker: ``SELECT … FOR UPDATE SKIP LOCKED`` in one
           short transaction, so two workers never claim the same row. A lease that expired, or
           whose owner ran on this host and is gone (:func:`monitor.store.lease.is_dead`), is free.
record     :func:`monitor.watch.record.record`, in the check's own transaction: next_due_at = now +
           interval + up to ``jitter`` × interval at random (:func:`next_interval`), and the
           claim ends. A check whose claim passed to another worker meanwhile records nothing.
reconcile  the watchlist into the table: new operators are scheduled (spread over a short
           window), removed ones unscheduled (their rows and history stay), a shortened interval
           pulls the due time in.

Coalescing falls out of the one due time per operator: an operator missed for ten intervals
while no worker ran is due once, checked once, and its next due time counts from that check.

SQLite is single-process: :class:`SqliteWorkerLock` holds an OS file lock beside the database
file, and a second worker is refused with a message that says so.
"""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, text, update
from sqlmodel import Session, col, select

from monitor.store import lease
from monitor.store.due import next_interval as next_interval  # its home before store/due.py
from monitor.store.lite import SqliteWorkerLock as SqliteWorkerLock  # its home before store/lite.py
from monitor.store.tables import OperatorRow, WorkerRow, utcnow
from monitor.store.writes import sync_operators

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist

FIRST_SPREAD = 60.0  # seconds: the longest wait for the first check of an operator just added
_CHUNK = 500  # ids per IN list
_RECONCILE_LOCK = 5120536  # pg_advisory_xact_lock key: workers reconcile one at a time
_ops = OperatorRow.__table__  # type: ignore[attr-defined]


def first_delay(interval: float, jitter: float, rng: random.Random | None = None) -> float:
    """Seconds to the first check of an operator just added: a thousand added at once are spread
    over ``jitter`` × ``interval``, at most :data:`FIRST_SPREAD`."""
    draw = rng.random() if rng is not None else random.random()
    return min(interval * max(jitter, 0.0), FIRST_SPREAD) * draw


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield list(items[i : i + _CHUNK])


# ---------------------------------------------------------------------------------------------
# claiming


def claim(store: Store, owner: str, limit: int, lease_seconds: float) -> list[OperatorRow]:
    """Lease up to ``limit`` due operators to ``owner``, the most overdue first."""
    if limit <= 0:
        return []
    now = utcnow()
    with store.session() as session, session.begin():
        due = col(OperatorRow.next_due_at) <= now
        stmt = (
            select(OperatorRow)
            .where(due, lease.free(session, OperatorRow, due, now))
            .order_by(col(OperatorRow.next_due_at), col(OperatorRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(session.exec(stmt))
        until = now + timedelta(seconds=lease_seconds)
        for row in rows:
            row.lease_owner, row.lease_expires_at = owner, until
            session.add(row)
    return rows


def renew(store: Store, owner: str, ids: Iterable[str], lease_seconds: float) -> int:
    """Extend ``owner``'s leases on ``ids`` (its checks still running); returns how many it holds."""
    ids = sorted(ids)
    until = utcnow() + timedelta(seconds=lease_seconds)
    n = 0
    with store.session() as session, session.begin():
        for chunk in _chunks(ids):
            result = session.execute(
                update(_ops)
                .where(_ops.c.lease_owner == owner, _ops.c.id.in_(chunk))
                .values(lease_expires_at=until)
            )
            n += result.rowcount  # type: ignore[attr-defined]
    return n


def release(store: Store, owner: str, ids: Iterable[str] | None = None) -> int:
    """End ``owner``'s claims (all, or on ``ids``) without checking: the operators stay due, for
    any worker to take at once (a stopping worker hands back what it could not finish)."""
    cond = _ops.c.lease_owner == owner
    with store.session() as session, session.begin():
        if ids is None:
            stmt = update(_ops).where(cond).values(lease_owner=None, lease_expires_at=None)
            return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
        n = 0
        for chunk in _chunks(sorted(ids)):
            stmt = (
                update(_ops).where(cond, _ops.c.id.in_(chunk)).values(lease_owner=None, lease_expires_at=None)
            )
            n += session.execute(stmt).rowcount  # type: ignore[attr-defined]
        return n


def unschedule(store: Store, owner: str, ids: Iterable[str]) -> None:
    """Operators that are no longer watched: no due time, no claim (rows and history stay)."""
    with store.session() as session, session.begin():
        for chunk in _chunks(sorted(ids)):
            session.execute(
                update(_ops)
                .where(_ops.c.id.in_(chunk))
                .values(next_due_at=None, lease_owner=None, lease_expires_at=None)
            )


# ---------------------------------------------------------------------------------------------
# the watchlist into the table


@dataclass(slots=True)
class Reconciled:
    added: list[str] = field(default_factory=list)  # scheduled (new, or back in the watchlist)
    removed: list[str] = field(default_factory=list)  # unscheduled: no longer in the watchlist
    pulled_in: list[str] = field(default_factory=list)  # due sooner: the interval was shortened

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.pulled_in)


def reconcile(
    store: Store, watchlist: Watchlist, jitter: float, rng: random.Random | None = None
) -> Reconciled:
    """Make the operators table follow the watchlist (see the module's docstring). Idempotent, and
    safe while other workers run: each update is conditional on what it read."""

    out = Reconciled()
    now = utcnow()
    with store.session() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({_RECONCILE_LOCK})"))
        sync_operators(session, watchlist)
        session.flush()
        intervals = {spec.id: watchlist.interval(spec) for spec in watchlist.operators}
        stmt = select(OperatorRow.id, OperatorRow.next_due_at, OperatorRow.last_check_at)
        schedule: list[dict[str, Any]] = []
        pull: list[dict[str, Any]] = []
        drop: list[str] = []
        for op_id, due, last in session.exec(stmt.order_by(col(OperatorRow.id))):
            interval = intervals.get(op_id)
            if interval is None:
                if due is not None:
                    drop.append(op_id)
                continue
            if due is None:
                at = now + timedelta(seconds=first_delay(interval, jitter, rng))
                schedule.append({"b_id": op_id, "b_at": at})
                continue
            ref = last or now
            latest = ref + timedelta(seconds=interval * (1 + max(jitter, 0.0)) + 1)
            if due > latest:
                at = max(now, ref + timedelta(seconds=next_interval(interval, jitter, rng)))
                pull.append({"b_id": op_id, "b_at": at, "b_old": due})
        if schedule:
            session.execute(
                update(_ops)
                .where(_ops.c.id == bindparam("b_id"), _ops.c.next_due_at.is_(None))
                .values(next_due_at=bindparam("b_at")),
                schedule,
            )
        if pull:
            session.execute(
                update(_ops)
                .where(_ops.c.id == bindparam("b_id"), _ops.c.next_due_at == bindparam("b_old"))
                .values(next_due_at=bindparam("b_at")),
                pull,
            )
        for chunk in _chunks(drop):
            session.execute(
                update(_ops)
                .where(_ops.c.id.in_(chunk))
                .values(next_due_at=None, lease_owner=None, lease_expires_at=None)
            )
    out.added = [p["b_id"] for p in schedule]
    out.pulled_in = [p["b_id"] for p in pull]
    out.removed = drop
    return out


# ---------------------------------------------------------------------------------------------
# workers


def register_worker(store: Store, owner: str, lease_seconds: float, keep_days: float = 7.0) -> None:
    """Record this worker as running; forget workers stopped or silent for ``keep_days``."""
    from importlib.metadata import PackageNotFoundError, version  # deferred: once per worker start

    try:
        ours = version("policy-monitor")
    except PackageNotFoundError:
        ours = ""
    now = utcnow()
    old = now - timedelta(days=keep_days)
    with store.session() as session, session.begin():
        session.execute(delete(WorkerRow).where(col(WorkerRow.heartbeat_at) < old))
        session.merge(
            WorkerRow(
                id=owner,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=now,
                heartbeat_at=now,
                lease=lease_seconds,
                version=ours,
            )
        )


def beat(store: Store, owner: str, checks: int, in_flight: int, stopped: bool = False) -> None:
    now = utcnow()
    values: dict[str, Any] = {"heartbeat_at": now, "checks": checks, "in_flight": in_flight}
    if stopped:
        values["stopped_at"] = now
    with store.session() as session, session.begin():
        session.execute(update(WorkerRow).where(col(WorkerRow.id) == owner).values(**values))


@dataclass(frozen=True, slots=True)
class WorkerState:
    row: WorkerRow
    state: str  # running | stopped | gone (no heartbeat for a lease, or its process is dead)


def workers(session: Session, since: timedelta = timedelta(days=1)) -> list[WorkerState]:
    """Workers running now, and those that stopped or vanished within ``since``."""
    now = utcnow()
    rows = session.exec(
        select(WorkerRow)
        .where(col(WorkerRow.heartbeat_at) >= now - since)
        .order_by(col(WorkerRow.started_at), col(WorkerRow.id))
    ).all()
    out = []
    for row in rows:
        if row.stopped_at is not None:
            state = "stopped"
        elif lease.is_dead(row.id) or row.heartbeat_at < now - timedelta(seconds=row.lease):
            state = "gone"
        else:
            state = "running"
        out.append(WorkerState(row, state))
    return out
