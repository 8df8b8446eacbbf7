"""The schedule in the database (monitor/store/schedule.py) on SQLite and PostgreSQL: jitter, reconciling
the watchlist, claiming with leases (expired, and held by a dead process), the check's transaction
ending its claim, a lost claim recording nothing, concurrent claimers never overlapping, the
workers registry, and one worker per SQLite file."""

from __future__ import annotations

import random
import socket
import subprocess
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from monitor.errors import UserError
from monitor.store import schedule
from monitor.store.db import Store
from monitor.store.tables import CheckRow, OperatorRow, WorkerRow, utcnow
from monitor.watch.fetch import FetchResult
from monitor.watch.record import process
from monitor.watch.target import LeaseLostError, Target
from monitor.watchlist import Watchlist, loads


def wl(*ids: str, interval: str = "100s", **per_op: str) -> Watchlist:
    lines = ["defaults:", f"  interval: {interval}", "operators:"]
    for op_id in ids:
        lines += [f"  - id: {op_id}", f"    name: {op_id}", f"    url: http://127.0.0.1:9/{op_id}"]
        if op_id in per_op:
            lines.append(f"    interval: {per_op[op_id]}")
    return loads("\n".join(lines) + "\n", "w.yaml")


def rows(store: Store) -> dict[str, OperatorRow]:
    with store.session() as s:
        return {r.id: r for r in s.exec(select(OperatorRow))}


def set_rows(store: Store, ids: list[str], **values: object) -> None:
    with store.session() as s, s.begin():
        s.execute(update(OperatorRow).where(OperatorRow.id.in_(ids)).values(**values))  # type: ignore[attr-defined]


def dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_next_interval_only_lengthens_and_first_checks_are_spread() -> None:
    rng = random.Random(7)
    draws = [schedule.next_interval(100, 0.1, rng) for _ in range(1000)]
    assert all(100 <= d <= 110 for d in draws) and max(draws) - min(draws) > 8
    assert schedule.next_interval(100, 0.0, rng) == 100
    firsts = [schedule.first_delay(3600, 0.1, rng) for _ in range(1000)]
    assert all(0 <= d <= schedule.FIRST_SPREAD for d in firsts) and max(firsts) > 50
    assert all(0 <= schedule.first_delay(10, 0.1, rng) <= 1 for _ in range(100))


def test_reconcile_schedules_new_operators_unschedules_removed_ones_and_keeps_rows(store: Store) -> None:
    before = utcnow()
    rec = schedule.reconcile(store, wl("a", "b"), 0.1)
    assert sorted(rec.added) == ["a", "b"] and not rec.removed
    r = rows(store)
    for op in ("a", "b"):
        due = r[op].next_due_at
        assert due is not None and before <= due <= utcnow() + timedelta(seconds=10)
    b_due = r["b"].next_due_at

    rec = schedule.reconcile(store, wl("b", "c"), 0.1)
    assert rec.added == ["c"] and rec.removed == ["a"]
    r = rows(store)
    assert r["a"].next_due_at is None  # kept, not scheduled
    assert r["b"].next_due_at == b_due and r["c"].next_due_at is not None
    assert not schedule.reconcile(store, wl("b", "c"), 0.1)  # idempotent

    assert schedule.reconcile(store, wl("a", "b", "c"), 0.1).added == ["a"]
    assert rows(store)["a"].next_due_at is not None


def test_reconcile_pulls_in_the_due_time_of_a_shortened_interval(store: Store) -> None:
    schedule.reconcile(store, wl("a", "b", interval="1h"), 0.1)
    now = utcnow()
    set_rows(store, ["a", "b"], last_check_at=now, next_due_at=now + timedelta(hours=1))
    rec = schedule.reconcile(store, wl("a", "b", interval="1h", a="60s"), 0.1)
    assert rec.pulled_in == ["a"]
    r = rows(store)
    assert r["a"].next_due_at is not None and r["a"].next_due_at <= now + timedelta(seconds=67)
    assert r["b"].next_due_at == now + timedelta(hours=1)


def test_claim_takes_due_unclaimed_operators_once_most_overdue_first(store: Store) -> None:
    ids = [f"op{i}" for i in range(7)]
    schedule.reconcile(store, wl(*ids), 0.0)
    now = utcnow()
    for i, op in enumerate(ids):
        set_rows(store, [op], next_due_at=now - timedelta(seconds=10 * (i + 1)))
    set_rows(store, ["op0", "op1"], next_due_at=now + timedelta(hours=1))  # not due

    first = schedule.claim(store, "host:1:aaaa", 3, 60)
    assert [r.id for r in first] == ["op6", "op5", "op4"]
    assert all(r.lease_owner == "host:1:aaaa" for r in first)
    second = schedule.claim(store, "host:2:bbbb", 10, 60)
    assert [r.id for r in second] == ["op3", "op2"]
    assert schedule.claim(store, "host:3:cccc", 10, 60) == []

    # an expired lease is free again; renewing keeps one
    set_rows(store, ["op6", "op5"], lease_expires_at=now - timedelta(seconds=1))
    assert schedule.renew(store, "host:1:aaaa", ["op5"], 60) == 1
    assert [r.id for r in schedule.claim(store, "host:3:cccc", 10, 60)] == ["op6"]
    assert schedule.release(store, "host:1:aaaa") == 2  # op5, op4: due again for anyone
    assert sorted(r.id for r in schedule.claim(store, "host:3:cccc", 10, 60)) == ["op4", "op5"]


def test_a_lease_held_by_a_dead_process_on_this_host_is_taken_at_once(store: Store) -> None:
    schedule.reconcile(store, wl("a", "b"), 0.0)
    now = utcnow()
    later = now + timedelta(minutes=10)
    set_rows(store, ["a", "b"], next_due_at=now - timedelta(seconds=1), lease_expires_at=later)
    set_rows(store, ["a"], lease_owner=f"{socket.gethostname()}:{dead_pid()}:deadbeef")
    set_rows(store, ["b"], lease_owner="another-host:1:cafe0000")  # cannot tell: wait for the lease
    assert [r.id for r in schedule.claim(store, "me:1:x", 10, 60)] == ["a"]


def _target(op_id: str, owner: str, jitter: float = 0.5) -> Target:
    return Target(op_id, op_id, f"http://127.0.0.1:9/{op_id}", interval=100, jitter=jitter, lease_owner=owner)


def test_the_checks_transaction_ends_its_claim_and_sets_a_jittered_due_time(store: Store) -> None:
    schedule.reconcile(store, wl("a"), 0.0)
    set_rows(store, ["a"], next_due_at=utcnow() - timedelta(seconds=1))
    assert [r.id for r in schedule.claim(store, "me:1:x", 10, 60)] == ["a"]
    before = utcnow()
    report = process(
        store, _target("a", "me:1:x"), FetchResult("failed", "http://127.0.0.1:9/a", reason="down")
    )
    assert report.outcome == "failed"
    op = rows(store)["a"]
    assert op.lease_owner is None and op.lease_expires_at is None
    assert op.next_due_at is not None
    assert before + timedelta(seconds=100) <= op.next_due_at <= utcnow() + timedelta(seconds=150)


def test_a_check_whose_claim_passed_to_another_worker_records_nothing(store: Store) -> None:
    schedule.reconcile(store, wl("a"), 0.0)
    set_rows(store, ["a"], next_due_at=utcnow() - timedelta(seconds=1))
    schedule.claim(store, "slow:1:x", 10, 60)
    set_rows(store, ["a"], lease_owner="fast:2:y")  # the lease expired and another worker took it
    with pytest.raises(LeaseLostError, match="passed to fast:2:y"):
        process(store, _target("a", "slow:1:x"), FetchResult("failed", "http://127.0.0.1:9/a", reason="x"))
    with store.session() as s:
        assert s.exec(select(func.count()).select_from(CheckRow)).one() == 0
    assert rows(store)["a"].lease_owner == "fast:2:y"


@pytest.mark.pg
def test_concurrent_claimers_never_share_an_operator(pg_url: str, tmp_path) -> None:
    from monitor.store.db import open_store

    store = open_store(pg_url, raw=tmp_path / "raw")
    try:
        ids = [f"op{i:03d}" for i in range(300)]
        schedule.reconcile(store, wl(*ids), 0.0)
        set_rows(store, ids, next_due_at=utcnow() - timedelta(seconds=1))
        got: dict[str, list[str]] = {}
        errors: list[BaseException] = []

        def claimer(owner: str) -> None:
            try:
                mine = got.setdefault(owner, [])
                while True:
                    batch = schedule.claim(store, owner, 7, 60)
                    if not batch:
                        return
                    mine.extend(r.id for r in batch)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=claimer, args=(f"h:{i}:w",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors
        claimed = [op for ops in got.values() for op in ops]
        assert sorted(claimed) == ids  # every one, none twice
        assert sum(1 for ops in got.values() if ops) >= 2
    finally:
        store.dispose()


def test_workers_register_beat_and_stop(store: Store) -> None:
    schedule.register_worker(store, "h:1:a", 30.0)
    schedule.register_worker(store, "h:2:b", 30.0)
    schedule.beat(store, "h:1:a", checks=5, in_flight=2)
    schedule.beat(store, "h:2:b", checks=1, in_flight=0, stopped=True)
    with store.session() as s:
        s.add(
            WorkerRow(
                id="h:3:c",
                host="h",
                pid=3,
                started_at=utcnow() - timedelta(hours=2),
                heartbeat_at=utcnow() - timedelta(hours=1),
            )
        )
        s.commit()
        states = {w.row.id: (w.state, w.row.checks) for w in schedule.workers(s)}
    assert states == {"h:1:a": ("running", 5), "h:2:b": ("stopped", 1), "h:3:c": ("gone", 0)}


def test_one_worker_per_sqlite_file(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'snapshots' / 'monitor.db'}"
    first = schedule.SqliteWorkerLock(url)
    first.acquire()
    try:
        with pytest.raises(
            UserError,
            match=r"another policy-monitor process is writing to .*monitor\.db \(`policy-monitor run`, pid \d+",
        ):
            schedule.SqliteWorkerLock(url).acquire()
    finally:
        first.release()
    with schedule.SqliteWorkerLock(url):
        pass
    schedule.SqliteWorkerLock("postgresql+psycopg://u@127.0.0.1/db").acquire()  # nothing to lock
