"""monitor.store.lite: a SQLite store at the head read and written with sqlite3 reads, numbers and
stamps exactly as the SQLAlchemy store does, and anything else is left to SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from monitor.errors import UserError
from monitor.store import lite
from monitor.store.db import open_store, sqlite_path
from monitor.store.queries import version_numbers
from monitor.store.tables import OperatorRow, VersionRow


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///monitor.db",
        "sqlite:///snapshots/monitor.db",
        "sqlite:////tmp/x/monitor.db",
        "sqlite:////tmp/a b/m@n:1.db",
        "sqlite:///:memory:",
        "sqlite://",
        "sqlite:///",
        "sqlite:///x.db?mode=ro",
        "sqlite+pysqlite:///x.db",
        "sqlite:///a%20b.db",
        "postgresql+psycopg://u@127.0.0.1/db",
    ],
)
def test_a_plain_sqlite_url_is_read_as_sqlalchemy_reads_it(url: str) -> None:
    u = make_url(url)
    expected = (
        Path(u.database)
        if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:"
        else None
    )
    assert lite.sqlite_file(url) == sqlite_path(url) == expected
    plain = lite.plain_sqlite_file(url)
    assert plain is None or plain == expected  # the fast reading, or none (then SQLAlchemy reads it)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 2, 7, 1, 44, 680379, tzinfo=UTC),
        datetime(2026, 12, 2, 7, 1, 44, tzinfo=UTC),
        datetime(2026, 12, 2, 15, 1, 44, 5, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_stamps_are_what_sqlalchemy_writes(tmp_path: Path, value: datetime) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    store = open_store(url, raw=tmp_path / "raw")
    with store.session() as s, s.begin():
        s.add(OperatorRow(id="a", name="a", url="http://x/", last_check_at=value))
    conn = lite.open_at_head(url)
    assert conn is not None
    (written,) = conn.execute("SELECT last_check_at FROM operators").fetchone()
    assert written == lite.stamp(value)
    conn.close()
    store.dispose()


def test_only_an_existing_store_at_the_head_opens_without_sqlalchemy(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert lite.open_at_head(f"sqlite:///{missing}") is None and not missing.exists()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert lite.open_at_head(f"sqlite:///{garbage}") is None
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    open_store(url).dispose()
    conn = lite.open_at_head(url)
    assert conn is not None
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert lite.open_at_head(url) is None  # another schema: Alembic decides, and says what is wrong
    with pytest.raises(UserError, match="newer policy-monitor"):
        open_store(url, lite=True)
    conn.execute(f"UPDATE alembic_version SET version_num = '{lite.SCHEMA_HEAD}'")
    conn.close()
    store = open_store(url, lite=True)
    assert store.lite is not None
    store.dispose()
    assert store.lite is None


def test_version_numbers_and_operator_states_match_the_orm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    store = open_store(url, raw=tmp_path / "raw")
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    with store.session() as s, s.begin():
        for op in ("a", "b"):
            s.add(
                OperatorRow(
                    id=op, name=op.upper(), url=f"http://{op}/", etag='"e"', failure_alerted=op == "b"
                )
            )
        s.flush()
        # first seen out of id order, and two versions seen at the same time (ties by id)
        for i, (op, days) in enumerate([("a", 3), ("a", 1), ("b", 2), ("a", 1), ("b", 0)]):
            s.add(
                VersionRow(
                    operator_id=op,
                    sha256=f"{i:064d}",
                    first_seen=t0 + timedelta(days=days),
                    last_seen=t0 + timedelta(days=days),
                    characters=1,
                    clauses=1,
                )
            )
    conn = lite.open_at_head(url)
    assert conn is not None
    with store.session() as s:
        ids = [v.id for v in s.exec(select(VersionRow)).all() if v.id is not None]
        expected = version_numbers(s, ids)
        digests = {v.id: v.sha256 for v in s.exec(select(VersionRow)).all()}
    assert lite.version_numbers(conn, ids) == {vid: (n, digests[vid]) for vid, n in expected.items()}
    assert lite.version_numbers(conn, ids[:1]) == {ids[0]: (expected[ids[0]], digests[ids[0]])}

    states = lite.operator_states(conn, [("a", "A", "http://a/"), ("b", "B", "http://b/")])
    assert states == {
        "a": lite.OperatorState(None, None, False, '"e"', None),
        "b": lite.OperatorState(None, None, True, '"e"', None),
    }
    assert lite.operator_states(conn, [("a", "A", "http://a/moved")]) is None  # sync_operators writes
    assert lite.operator_states(conn, [("a", "A", "http://a/"), ("c", "C", "http://c/")]) is None
    conn.close()
    store.dispose()


def test_alerts_due(tmp_path: Path) -> None:
    from monitor.store.tables import AlertRow

    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    store = open_store(url, raw=tmp_path / "raw")
    now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    conn = lite.open_at_head(url)
    assert conn is not None
    assert not lite.alerts_due(conn, now)
    with store.session() as s, s.begin():
        s.add(OperatorRow(id="a", name="a", url="http://a/"))
        s.flush()
        s.add(
            AlertRow(id="1", channel="files", operator_id="a", event="x", next_attempt_at=now, status="dead")
        )
        s.add(
            AlertRow(
                id="2",
                channel="files",
                operator_id="a",
                event="x",
                next_attempt_at=now + timedelta(seconds=1),
            )
        )
    assert not lite.alerts_due(conn, now)  # dead, or not due yet
    assert lite.alerts_due(conn, now + timedelta(seconds=1))
    conn.close()
    store.dispose()
