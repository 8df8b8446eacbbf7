"""Claiming and recording alerts through ``sqlite3`` (monitor.alerts.outbox_lite, what ``check`` sends
with on a SQLite store opened without SQLAlchemy) behaves as through the ORM (monitor.alerts.outbox):
the same alerts claimed (due, pending, not leased to a live worker, in order), the same leases, and the
same rows after a success, a failure to retry and a last failure."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from monitor.alerts import outbox, outbox_lite
from monitor.config import Alerting
from monitor.store.db import Store, open_store
from monitor.store.lease import worker_id
from monitor.store.tables import AlertRow, OperatorRow

NOW = datetime.now(UTC)
DEAD = "nohost-at-all:1:deadbeef"  # another host's worker: its lease holds until it expires
GONE = f"{worker_id().rsplit(':', 2)[0]}:999999999:cafe0000"  # this host, no such process: gone

# id, status, due in (s), lease owner, lease expires in (s)
ALERTS: list[tuple[str, str, float, str | None, float | None]] = [
    ("a-due", "pending", -60, None, None),
    ("b-later", "pending", 3600, None, None),
    ("c-delivered", "delivered", -60, None, None),
    ("d-held", "pending", -60, DEAD, 300),
    ("e-expired", "pending", -30, DEAD, -1),
    ("f-gone", "pending", -10, GONE, 300),
    ("g-dead", "dead", -60, None, None),
]


def _store(path: Path, lite: bool) -> Store:
    return open_store(f"sqlite:///{path}", raw=path.parent / "raw", lite=lite)


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "orm.db"
    store = _store(first, lite=False)
    with store.session() as s, s.begin():
        s.add(OperatorRow(id="op", name="op", url="http://127.0.0.1/op"))
        s.flush()
        for n, (alert_id, status, due, owner, expires) in enumerate(ALERTS):
            s.add(
                AlertRow(
                    id=alert_id,
                    channel="files",
                    operator_id="op",
                    event="policy.changed",
                    created_at=NOW - timedelta(seconds=100 - n),
                    status=status,
                    next_attempt_at=NOW + timedelta(seconds=due),
                    lease_owner=owner,
                    lease_expires_at=NOW + timedelta(seconds=expires) if expires is not None else None,
                    attempts=1,
                    payload={"n": n},
                )
            )
    store.dispose()
    second = tmp_path / "lite.db"
    shutil.copy(first, second)
    return first, second


def _rows(path: Path) -> list[tuple[Any, ...]]:
    store = _store(path, lite=False)
    try:
        with store.session() as s:
            rows = s.exec(select(AlertRow).order_by(AlertRow.id)).all()
            return [
                (
                    r.id,
                    r.status,
                    r.attempts,
                    r.last_error,
                    r.lease_owner,
                    r.lease_expires_at is not None,
                    r.delivered_at is not None,
                    r.next_attempt_at > NOW + timedelta(seconds=1) and r.status == "pending",
                )
                for r in rows
            ]
    finally:
        store.dispose()


Claim = Callable[[Store, str, int, Sequence[str] | None, datetime], Sequence[Any]]


@pytest.mark.parametrize(
    ("limit", "ids", "want"),
    [
        (50, None, ["a-due", "e-expired", "f-gone"]),
        (2, None, ["a-due", "e-expired"]),
        (50, ["f-gone", "b-later", "d-held"], ["f-gone"]),
    ],
)
def test_claim_takes_what_the_orm_takes(
    dbs: tuple[Path, Path], limit: int, ids: list[str] | None, want: list[str]
) -> None:
    got: dict[str, list[str]] = {}
    claims: dict[str, tuple[Path, bool, Claim]] = {
        "orm": (dbs[0], False, outbox.claim),
        "lite": (dbs[1], True, outbox_lite.claim),
    }
    for name, (path, lite, claim) in claims.items():
        store = _store(path, lite=lite)
        assert (store.lite is not None) == lite
        try:
            got[name] = [r.id for r in claim(store, "me:1:aaaa", limit, ids, NOW)]
        finally:
            store.dispose()
    assert got["orm"] == got["lite"] == want
    assert _rows(dbs[0]) == _rows(dbs[1])
    assert [r[4] for r in _rows(dbs[1]) if r[0] in want] == ["me:1:aaaa"] * len(want)


@pytest.mark.parametrize("error", [None, "HTTP 500"])
@pytest.mark.parametrize("attempts", [2, 8])
def test_finish_records_what_the_orm_records(
    dbs: tuple[Path, Path], error: str | None, attempts: int
) -> None:
    alerting = Alerting(attempts=attempts, backoff=60)
    outcomes = []
    for path, lite, mod in ((dbs[0], False, outbox), (dbs[1], True, outbox_lite)):
        store = _store(path, lite=lite)
        try:
            rows = mod.claim(store, "me:1:aaaa", 50, None, NOW)  # type: ignore[attr-defined]
            done = [mod.finish(store, r, "me:1:aaaa", error, alerting) for r in rows]  # type: ignore[attr-defined]
            stolen = mod.finish(store, rows[0], "other:1:bbbb", error, alerting)  # type: ignore[attr-defined]
            outcomes.append(([(a.id, a.status, a.attempts, a.error) for a in done], stolen))
        finally:
            store.dispose()
    assert outcomes[0] == outcomes[1]
    statuses = {a[1] for a in outcomes[0][0]}
    assert statuses == {"delivered" if error is None else "dead" if attempts <= 2 else "pending"}
    assert outcomes[0][1].error == outbox_lite.LOST
    assert _rows(dbs[0]) == _rows(dbs[1])
