"""Recording many unchanged checks in one transaction (the quick path of :mod:`monitor.watch.quick`).

Most checks find nothing new: a 304, or the same bytes as the capture the current version was read
from. Such a check writes its check row, the operator's state (when it was checked, its outcome,
when it is due next, the end of its claim) and the current version's ``last_seen``, and raises no
alert while no failure alert is out. Here those writes are plain statements, many checks to a
transaction, and each is conditional: it is recorded only if the operator still holds what the check
was judged against (the same version, read from the same capture, no failure alert out, and the
claim still the checker's). One that is not recorded must go the full way (monitor.watch.record),
which reads the operator and decides afresh. A crash before the commit loses the record of these
checks (the operators are simply due again), never a version or an alert: they carry none.

:func:`record_unchanged` writes through a SQLAlchemy session; :func:`record_unchanged_sqlite` makes the
same statements on a ``sqlite3`` connection, for ``check`` on a SQLite store opened without
SQLAlchemy (:mod:`monitor.store.lite`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor.store.lite import chunks, marks, stamp

if TYPE_CHECKING:
    import sqlite3

    from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class Unchanged:
    """One unchanged check, and what its operator held when it was judged."""

    operator_id: str
    version_id: int  # the operator's current version …
    capture_sha256: str  # … last read from this capture
    outcome: str  # unchanged | not_modified
    reason: str | None
    started_at: datetime
    elapsed: float
    http_status: int | None
    url: str
    attempts: int
    next_due_at: datetime | None  # None: leave it as it is
    lease_owner: str | None  # the claim the check was made under; None: no claim
    # a 200 with the same bytes: the check read the capture, and its validators become the operator's
    same_bytes: bool = False
    etag: str | None = None
    last_modified: str | None = None


class Moved(Exception):
    """An operator changed between the batch's read and its write: the whole batch rolls back."""


Held = dict[str, tuple[int | None, str | None, bool, str | None]]
Shapes = dict[tuple[bool, bool, bool], list[Unchanged]]


def _still_held(items: Sequence[Unchanged], held: Held) -> tuple[list[bool], list[Unchanged], Shapes]:
    """Per item, whether its operator is still as the check found it (the same version and capture,
    no failure alerted, its lease still this worker's; ``held``: per operator id, those four as
    stored); the items that are, in order; and those grouped by the shape of their UPDATE (leased,
    due, same bytes)."""
    recorded = [
        (it.version_id, it.capture_sha256, False) == held.get(it.operator_id, (None, None, None, None))[:3]
        and (it.lease_owner is None or held[it.operator_id][3] == it.lease_owner)
        for it in items
    ]
    mine = [it for it, ok in zip(items, recorded, strict=True) if ok]
    shapes: Shapes = {}
    for it in mine:
        shapes.setdefault((it.lease_owner is not None, it.next_due_at is not None, it.same_bytes), []).append(
            it
        )
    return recorded, mine, shapes


def record_unchanged(session: Session, items: Sequence[Unchanged], now: datetime) -> list[bool]:
    """Record ``items`` in the caller's transaction; per item, whether it was recorded. Raises
    :class:`Moved` (the caller rolls back) when an operator read as unchanged moved on before the
    write: one statement per shape of update, each row conditional, and their counts checked."""
    if not items:
        return []
    from sqlalchemy import and_, bindparam, insert, select, update  # deferred: see record_unchanged_sqlite

    from monitor.store.tables import CheckRow, OperatorRow, VersionRow

    _ops = OperatorRow.__table__  # type: ignore[attr-defined]
    _checks = CheckRow.__table__  # type: ignore[attr-defined]
    _versions = VersionRow.__table__  # type: ignore[attr-defined]
    held = {
        op_id: (version_id, digest, alerted, owner)
        for op_id, version_id, digest, alerted, owner in session.execute(
            select(
                _ops.c.id,
                _ops.c.current_version_id,
                _ops.c.capture_sha256,
                _ops.c.failure_alerted,
                _ops.c.lease_owner,
            ).where(_ops.c.id.in_({it.operator_id for it in items}))
        )
    }
    recorded, mine, shapes = _still_held(items, held)
    if not mine:
        return recorded
    for (leased, due, same_bytes), group in shapes.items():
        cond = [
            _ops.c.id == bindparam("op"),
            _ops.c.current_version_id == bindparam("vid"),
            _ops.c.capture_sha256 == bindparam("sha"),
            _ops.c.failure_alerted.is_(False),
        ]
        values: dict[str, Any] = {
            "last_check_at": now,
            "last_outcome": bindparam("outcome"),
            "last_reason": bindparam("reason"),
            "failures": 0,
        }
        if leased:
            cond.append(_ops.c.lease_owner == bindparam("owner"))
            values.update(lease_owner=None, lease_expires_at=None)
        if due:
            values["next_due_at"] = bindparam("due")
        if same_bytes:
            values.update(etag=bindparam("etag"), last_modified=bindparam("modified"))
        params = [
            {
                "op": it.operator_id,
                "vid": it.version_id,
                "sha": it.capture_sha256,
                "outcome": it.outcome,
                "reason": it.reason,
                "owner": it.lease_owner,
                "due": it.next_due_at,
                "etag": it.etag,
                "modified": it.last_modified,
            }
            for it in group
        ]
        done = session.execute(update(_ops).where(and_(*cond)).values(**values), params)
        if done.rowcount != len(group):  # type: ignore[attr-defined]
            raise Moved(f"{len(group) - done.rowcount} of {len(group)} operators moved on")  # type: ignore[attr-defined]
    captures = _capture_ids(session, [it for it in mine if it.same_bytes])
    session.execute(
        insert(_checks),
        [
            {
                "operator_id": it.operator_id,
                "trigger": "check",
                "started_at": it.started_at,
                "observed_at": it.started_at,
                "elapsed": it.elapsed,
                "outcome": it.outcome,
                "reason": it.reason,
                "http_status": it.http_status,
                "url": it.url,
                "attempts": it.attempts,
                "capture_id": captures.get((it.operator_id, it.capture_sha256)) if it.same_bytes else None,
                "version_id": it.version_id,
                "comparison_id": None,
            }
            for it in mine
        ],
    )
    session.execute(
        update(_versions).where(_versions.c.id == bindparam("vid")).values(last_seen=bindparam("seen")),
        [{"vid": it.version_id, "seen": now} for it in mine],
    )
    return recorded


def _capture_ids(session: Session, items: Sequence[Unchanged]) -> dict[tuple[str, str], int]:
    """(operator, digest) → the capture's id, for the checks that read one."""
    if not items:
        return {}
    from sqlalchemy import select

    from monitor.store.tables import CaptureRow

    _captures = CaptureRow.__table__  # type: ignore[attr-defined]
    stmt = select(_captures.c.operator_id, _captures.c.sha256, _captures.c.id).where(
        _captures.c.operator_id.in_({it.operator_id for it in items}),
        _captures.c.sha256.in_({it.capture_sha256 for it in items}),
    )
    return {(op, digest): cid for op, digest, cid in session.execute(stmt)}


# ---------------------------------------------------------------------------------------------
# the same on a sqlite3 connection (monitor.store.lite: a check of a SQLite store at the head)


def record_unchanged_sqlite(
    conn: sqlite3.Connection, items: Sequence[Unchanged], now: datetime
) -> list[bool]:
    """:func:`record_unchanged` on a ``sqlite3`` connection, in the caller's transaction
    (:func:`monitor.store.lite.transaction`): the same reads, conditions, writes and checked counts,
    without SQLAlchemy."""
    if not items:
        return []
    held: Held = {}
    for chunk in chunks(sorted({it.operator_id for it in items})):
        sql = (
            "SELECT id, current_version_id, capture_sha256, failure_alerted, lease_owner FROM operators "
            f"WHERE id IN ({marks(len(chunk))})"
        )
        for op_id, version_id, digest, alerted, owner in conn.execute(sql, chunk):
            held[op_id] = (version_id, digest, bool(alerted), owner)
    recorded, mine, shapes = _still_held(items, held)
    if not mine:
        return recorded
    for (leased, due, same_bytes), group in shapes.items():
        cond = ["id = :op", "current_version_id = :vid", "capture_sha256 = :sha", "failure_alerted IS 0"]
        values = ["last_check_at = :now", "last_outcome = :outcome", "last_reason = :reason", "failures = 0"]
        if leased:
            cond.append("lease_owner = :owner")
            values += ["lease_owner = NULL", "lease_expires_at = NULL"]
        if due:
            values.append("next_due_at = :due")
        if same_bytes:
            values += ["etag = :etag", "last_modified = :modified"]
        params = [
            {
                "op": it.operator_id,
                "vid": it.version_id,
                "sha": it.capture_sha256,
                "now": stamp(now),
                "outcome": it.outcome,
                "reason": it.reason,
                "owner": it.lease_owner,
                "due": stamp(it.next_due_at) if it.next_due_at is not None else None,
                "etag": it.etag,
                "modified": it.last_modified,
            }
            for it in group
        ]
        sql = f"UPDATE operators SET {', '.join(values)} WHERE {' AND '.join(cond)}"
        done = conn.executemany(sql, params).rowcount
        if done != len(group):
            raise Moved(f"{len(group) - done} of {len(group)} operators moved on")
    captures = _capture_ids_sqlite(conn, [it for it in mine if it.same_bytes])
    conn.executemany(
        'INSERT INTO checks (operator_id, "trigger", started_at, observed_at, elapsed, outcome, reason, '
        "http_status, url, attempts, capture_id, version_id, comparison_id) "
        "VALUES (?, 'check', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (
                it.operator_id,
                stamp(it.started_at),
                stamp(it.started_at),
                it.elapsed,
                it.outcome,
                it.reason,
                it.http_status,
                it.url,
                it.attempts,
                captures.get((it.operator_id, it.capture_sha256)) if it.same_bytes else None,
                it.version_id,
            )
            for it in mine
        ],
    )
    conn.executemany(
        "UPDATE versions SET last_seen = ? WHERE id = ?", [(stamp(now), it.version_id) for it in mine]
    )
    return recorded


def _capture_ids_sqlite(conn: sqlite3.Connection, items: Sequence[Unchanged]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    digests = sorted({it.capture_sha256 for it in items})
    for chunk in chunks(sorted({it.operator_id for it in items})):
        for sha_chunk in chunks(digests):
            sql = (
                f"SELECT operator_id, sha256, id FROM captures WHERE operator_id IN ({marks(len(chunk))}) "
                f"AND sha256 IN ({marks(len(sha_chunk))})"
            )
            out.update({(op, digest): cid for op, digest, cid in conn.execute(sql, chunk + sha_chunk)})
    return out
