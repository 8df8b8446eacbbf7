"""Schema migrations: a database made by the first migration upgrades in place with its data intact,
and the latest migration matches the models exactly (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from monitor.document.parse import parse
from monitor.errors import UserError
from monitor.store.db import (
    SCHEMA_HEAD,
    current_revision,
    head_revision,
    make_engine,
    open_store,
    upgrade_schema,
)
from monitor.store.queries import load_version_document
from tests.helpers.corpus import corpus_text

SEEN = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def _insert(conn: sa.Connection, table: str, **values: object) -> None:
    cols = [
        sa.column(k, sa.DateTime(timezone=True) if isinstance(v, datetime) else None)
        for k, v in values.items()
    ]
    conn.execute(sa.table(table, *cols).insert().values(**values))


def _fill_first_schema(engine: sa.Engine) -> str:
    """Rows as a 0001 database holds them (plain SQL: today's models have more columns)."""
    text = corpus_text("onewo.txt")
    doc = parse(text.encode(), media_type="text", source="onewo.txt")
    counts = doc.counts()
    raw = "a" * 64
    with engine.begin() as conn:
        _insert(
            conn,
            "operators",
            id="onewo",
            name="万物云",
            url="https://example.com/p",
            created_at=SEEN,
            current_version_id=1,
            etag='"abc"',
            capture_sha256=raw,
            last_check_at=SEEN,
            last_outcome="changed",
            failures=0,
        )
        _insert(
            conn,
            "captures",
            id=1,
            operator_id="onewo",
            sha256=raw,
            size=100,
            media_type="text",
            url="onewo.txt",
            captured_at=SEEN,
            origin="import",
        )
        _insert(
            conn,
            "versions",
            id=1,
            operator_id="onewo",
            sha256=doc.sha256,
            first_seen=SEEN,
            last_seen=SEEN,
            title=doc.title,
            updated=doc.updated,
            effective=doc.effective,
            encoding="utf-8",
            media_type="text",
            text=text,
            characters=counts["characters"],
            clauses=counts["clauses"],
            capture_id=1,
            extractor="x",
            origin="import",
            source="onewo.txt",
        )
        _insert(
            conn,
            "clauses",
            version_id=1,
            idx=0,
            level=1,
            path="lead",
            heading=None,
            text="x",
            norm_sha256=raw,
        )
        _insert(
            conn,
            "checks",
            operator_id="onewo",
            trigger="import",
            started_at=SEEN,
            observed_at=SEEN,
            elapsed=0.5,
            outcome="changed",
            attempts=1,
            capture_id=1,
            version_id=1,
        )
    return doc.sha256


def test_a_first_migration_database_upgrades_with_its_data(db_url: str, tmp_path) -> None:
    engine = make_engine(db_url)
    upgrade_schema(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "next_due_at" not in {c["name"] for c in sa.inspect(engine).get_columns("operators")}
    sha = _fill_first_schema(engine)

    store = open_store(db_url, raw=tmp_path / "raw")  # opening upgrades in place
    try:
        assert current_revision(store.engine) == head_revision() != "0001"
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("operators")}
        assert {"next_due_at", "lease_owner", "lease_expires_at"} <= columns
        with store.engine.connect() as conn:
            op = conn.execute(sa.text("SELECT name, etag, last_check_at, next_due_at FROM operators")).one()
            assert (op.name, op.etag, op.next_due_at) == ("万物云", '"abc"', None)
            counts = {
                t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("operators", "captures", "versions", "version_texts", "clauses", "checks")
            }
            assert counts == {
                "operators": 1,
                "captures": 1,
                "versions": 1,
                "version_texts": 1,
                "clauses": 1,
                "checks": 1,
            }
        doc = load_version_document(store, "onewo", "1")
        assert doc.sha256 == sha and doc.source == "onewo@1"
        with store.session() as s:
            from monitor.store.tables import OperatorRow, VersionRow

            row = s.get(OperatorRow, "onewo")
            assert row is not None and row.last_check_at == SEEN  # timezone-aware on every backend
            v = s.get(VersionRow, 1)
            assert v is not None and v.first_seen == SEEN
    finally:
        store.dispose()
        engine.dispose()


def test_the_latest_migration_matches_the_models(db_url: str, tmp_path) -> None:
    store = open_store(db_url, raw=tmp_path / "raw")
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
            )
        assert diff == []
    finally:
        store.dispose()


def test_downgrade_and_upgrade_again_keep_the_data(db_url: str) -> None:
    from monitor.store.db import downgrade_schema

    engine = make_engine(db_url)
    try:
        upgrade_schema(engine, "0001")
        _fill_first_schema(engine)
        upgrade_schema(engine)
        upgrade_schema(engine)  # a no-op at head
        downgrade_schema(engine, "0002")  # the text goes back into versions
        with engine.connect() as conn:
            text = conn.execute(sa.text("SELECT text FROM versions")).scalar_one()
            assert text == corpus_text("onewo.txt")
            assert conn.execute(sa.text("SELECT count(*) FROM clauses")).scalar_one() == 1
        downgrade_schema(engine, "0001")
        assert current_revision(engine) == "0001"
        upgrade_schema(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT text FROM version_texts")).scalar_one() == text
            assert conn.execute(sa.text("SELECT count(*) FROM clauses")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_schema_head_constant_is_alembics_head() -> None:
    """open_store skips Alembic when the database is at SCHEMA_HEAD: a new migration must move it."""
    assert head_revision() == SCHEMA_HEAD


def test_a_store_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    db = tmp_path / "monitor.db"
    open_store(str(db)).dispose()  # a new database: created from migrations/sqlite_head.sql
    probe = (
        "import sys; from monitor.store.db import open_store; open_store(sys.argv[1]).dispose(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe, str(db)], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_newer_schema_is_refused_and_left_alone(db_url: str, tmp_path: Path) -> None:
    open_store(db_url, raw=tmp_path / "raw").dispose()
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(UserError, match="newer policy-monitor"):
            open_store(db_url, raw=tmp_path / "raw")
        assert current_revision(engine) == "9999"
        assert "operators" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
