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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlmodel import Session

from monitor.store.tables import CaptureRow, CheckRow, OperatorRow, VersionRow

_ops = OperatorRow.__table__  # type: ignore[attr-defined]
_checks = CheckRow.__table__  # type: ignore[attr-defined]
_versions = VersionRow.__table__  # type: ignore[attr-defined]
_captures = CaptureRow.__table__  # type: ignore[attr-defined]


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


def record_unchanged(session: Session, items: Sequence[Unchanged], now: datetime) -> list[bool]:
    """Record ``items`` in the caller's transaction; per item, whether it was recorded. Raises
    :class:`Moved` (the caller rolls back) when an operator read as unchanged moved on before the
    write: one statement per shape of update, each row conditional, and their counts checked."""
    if not items:
        return []
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
    recorded = [
        (it.version_id, it.capture_sha256, False) == held.get(it.operator_id, (None, None, None, None))[:3]
        and (it.lease_owner is None or held[it.operator_id][3] == it.lease_owner)
        for it in items
    ]
    mine = [it for it, ok in zip(items, recorded, strict=True) if ok]
    if not mine:
        return recorded
    shapes: dict[tuple[bool, bool, bool], list[Unchanged]] = {}
    for it in mine:
        shapes.setdefault((it.lease_owner is not None, it.next_due_at is not None, it.same_bytes), []).append(
            it
        )
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
    stmt = select(_captures.c.operator_id, _captures.c.sha256, _captures.c.id).where(
        _captures.c.operator_id.in_({it.operator_id for it in items}),
        _captures.c.sha256.in_({it.capture_sha256 for it in items}),
    )
    return {(op, digest): cid for op, digest, cid in session.execute(stmt)}
