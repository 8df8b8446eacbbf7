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


def record_unchanged(session: Session, items: Sequence[Unchanged], now: datetime) -> list[bool]:
    """Record ``items`` in the caller's transaction; per item, whether it was recorded."""
    recorded: list[bool] = []
    for it in items:
        cond = [
            _ops.c.id == it.operator_id,
            _ops.c.current_version_id == it.version_id,
            _ops.c.capture_sha256 == it.capture_sha256,
            _ops.c.failure_alerted.is_(False),
        ]
        values: dict[str, Any] = {
            "last_check_at": now,
            "last_outcome": it.outcome,
            "last_reason": it.reason,
            "failures": 0,
        }
        if it.lease_owner is not None:
            cond.append(_ops.c.lease_owner == it.lease_owner)
            values.update(lease_owner=None, lease_expires_at=None)
        if it.next_due_at is not None:
            values["next_due_at"] = it.next_due_at
        if it.same_bytes:
            values.update(etag=it.etag, last_modified=it.last_modified)
        done = session.execute(update(_ops).where(and_(*cond)).values(**values))
        recorded.append(done.rowcount == 1)  # type: ignore[attr-defined]
    mine = [it for it, ok in zip(items, recorded, strict=True) if ok]
    if not mine:
        return recorded
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
