"""A new SQLite store is created from monitor/store/migrations/sqlite_head.sql, without Alembic: the
same schema as the migrations make on an empty database (tables, columns with their types, defaults
and keys, foreign keys with their actions, indexes, in SQLite's own words), so test_migrations'
comparison of the models with a new store still compares them with the migrations' schema. The
text of a table Alembic rebuilt (batch_alter_table) lists its constraints in an order that varies
from run to run, so the schemas are compared as SQLite describes them, not as text. Run as a
script, this module rewrites that file from the migrations:

    .venv/bin/python tests/store/test_fresh_schema.py
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.store.db import FRESH_SQLITE, SCHEMA_HEAD, _migrate, create_fresh_sqlite, make_engine, open_store

ROOT = Path(__file__).resolve().parents[2]
HEADER = """\
-- The schema every migration under versions/ makes on an empty SQLite database, as SQLite stores it
-- (sqlite_master, in order), and the revision it is at. monitor.store.db creates a new SQLite store
-- from it without Alembic; tests/store/test_fresh_schema.py checks it against the migrations and
-- rewrites it when run as a script.

"""


def migrated(path: Path) -> Path:
    """An empty SQLite database brought to the head by Alembic's migrations."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        _migrate(engine, "upgrade", "head")
    finally:
        engine.dispose()
    return path


def dump(path: Path) -> str:
    """What FRESH_SQLITE should hold for the database at ``path``."""
    with sqlite3.connect(path) as conn:
        statements = [
            sql
            for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        ]
        (head,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    inserts = f"INSERT INTO alembic_version (version_num) VALUES ('{head}');\n"
    return HEADER + "".join(f"{sql};\n\n" for sql in statements) + inserts


def schema(path: Path) -> dict[str, object]:
    """The database's schema as SQLite describes it (pragmas), in an order of its own, and its revision."""
    out: dict[str, object] = {}
    with sqlite3.connect(path) as conn:
        tables = [
            n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        for t in tables:
            indexes = []
            for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{t}')"):
                columns = [row[2] for row in conn.execute(f"PRAGMA index_info('{name}')")]
                indexes.append(
                    (None if name.startswith("sqlite_autoindex") else name, unique, origin, partial, columns)
                )
            fks = [row[2:] for row in conn.execute(f"PRAGMA foreign_key_list('{t}')")]
            out[t] = {
                "columns": conn.execute(f"PRAGMA table_xinfo('{t}')").fetchall(),
                "indexes": sorted(indexes, key=repr),
                "foreign_keys": sorted(fks, key=repr),
            }
        out["revision"] = conn.execute("SELECT * FROM alembic_version").fetchall()
    return out


def test_the_file_is_what_the_migrations_make(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    engine = make_engine(f"sqlite:///{fresh}")
    try:
        assert create_fresh_sqlite(engine)
    finally:
        engine.dispose()
    assert schema(fresh) == schema(migrated(tmp_path / "m.db")), (
        "a migration changed the schema: run `.venv/bin/python tests/store/test_fresh_schema.py`"
    )
    assert schema(fresh)["revision"] == [(SCHEMA_HEAD,)]


def test_a_new_store_has_the_migrations_schema_without_alembic(tmp_path: Path) -> None:
    probe = (
        "import sys; from monitor.store.db import open_store; open_store(sys.argv[1]).dispose(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))"
    )
    db = tmp_path / "new" / "monitor.db"
    out = subprocess.run([sys.executable, "-c", probe, str(db)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert schema(db) == schema(migrated(tmp_path / "m.db"))


def test_a_database_with_tables_is_left_to_alembic(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('kept')")
    open_store(str(db), raw=tmp_path / "raw").dispose()  # Alembic creates its tables beside it
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"notes", "operators", "versions", "alembic_version"} <= tables


def test_a_failed_creation_leaves_the_database_empty(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text(FRESH_SQLITE.read_text(encoding="utf-8") + "CREATE TABLE broken (;\n", encoding="utf-8")
    monkeypatch.setattr("monitor.store.db.FRESH_SQLITE", bad)
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(sqlite3.Error):
            create_fresh_sqlite(engine)
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        FRESH_SQLITE.write_text(dump(migrated(Path(tmp) / "m.db")), encoding="utf-8")
    print(f"wrote {FRESH_SQLITE.relative_to(ROOT)}")
