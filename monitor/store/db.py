"""The database: an engine for a SQLAlchemy URL (SQLite under ``snapshots/`` by default, PostgreSQL by
URL), the :class:`Store` that pairs it with the raw captures, and the Alembic migrations every open
applies in place. A database already at :data:`SCHEMA_HEAD` costs one query to open, and a new (empty)
SQLite database is created at it from the migrations' own statements: Alembic (some 150 ms of
imports) is loaded only when an existing schema must change, or for a new PostgreSQL database.

``check`` opens a SQLite store at the head with ``lite=True``: :class:`Store` then holds a plain
``sqlite3`` connection (:mod:`monitor.store.lite`) and makes its SQLAlchemy engine, importing
SQLAlchemy, only when something asks for it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.errors import UserError
from monitor.redact import mask_secrets
from monitor.store import lite as _lite
from monitor.store.lite import DEFAULT_DIR as DEFAULT_DIR
from monitor.store.lite import SCHEMA_HEAD as SCHEMA_HEAD
from monitor.store.lite import resolve_url as resolve_url
from monitor.store.lite import sqlite_file as sqlite_path
from monitor.store.raw import RawStore

if TYPE_CHECKING:
    import sqlite3

    from alembic.config import Config
    from sqlalchemy import Engine
    from sqlmodel import Session


MIGRATIONS = Path(__file__).parent / "migrations"

# the schema the migrations make on an empty SQLite database, at SCHEMA_HEAD (create_fresh_sqlite)
FRESH_SQLITE = MIGRATIONS / "sqlite_head.sql"


class Store:
    """The database (its SQLAlchemy engine, made on first use) and the raw captures; ``lite``, when
    opened so, a ``sqlite3`` connection to the same SQLite file at the head (:mod:`monitor.store.lite`)."""

    __slots__ = ("_engine", "lite", "raw", "url")

    def __init__(
        self, url: str, raw: RawStore, engine: Engine | None = None, lite: sqlite3.Connection | None = None
    ) -> None:
        self.url, self.raw, self._engine, self.lite = url, raw, engine, lite

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def session(self) -> Session:
        from sqlmodel import Session  # deferred: a lite store may never need it

        return Session(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        if self.lite is not None:
            self.lite.close()
            self.lite = None


def raw_root(url: str) -> Path:
    """``POLICY_MONITOR_RAW``, else ``raw/`` beside a SQLite file, else ``snapshots/raw``."""
    env = os.environ.get("POLICY_MONITOR_RAW")
    if env:
        return Path(env)
    path = sqlite_path(url)
    if path is not None:
        return path.parent / "raw"
    return DEFAULT_DIR / "raw"


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event  # deferred: see Store
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"check_same_thread": False, "timeout": _lite.LOCK_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            for pragma in _lite.PRAGMAS:
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        return engine
    if u.get_backend_name() == "postgresql" and u.get_driver_name() in ("", "psycopg2"):
        u = u.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    return create_engine(u, pool_pre_ping=True)


def open_store(
    db: str | None = None,
    *,
    raw: str | Path | None = None,
    upgrade: bool = True,
    create: bool = True,
    lite: bool = False,
) -> Store:
    """The store at ``db`` (a SQLAlchemy URL or a SQLite path; None: the default), its schema upgraded.
    With ``create=False`` (the commands that only read) a SQLite file that does not exist is a
    :class:`UserError`, not a new empty database; a file that is not a SQLite database always is.
    With ``lite=True`` a plain SQLite file at the head opens with ``sqlite3`` only (``Store.lite``)."""
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise UserError(
            f"no database at {path}: `policy-monitor check` or `import` creates it "
            "(--db or POLICY_MONITOR_DB names another)"
        )
    raw_store = RawStore(raw if raw is not None else raw_root(url))
    if lite and upgrade and (conn := _lite.open_at_head(url)) is not None:
        return Store(url, raw_store, lite=conn)
    try:
        engine = make_engine(url)
    except Exception as exc:  # a malformed URL, an unknown dialect
        raise UserError(mask_secrets(f"--db {url!r}: {exc}")) from None
    store = Store(url, raw_store, engine=engine)
    if upgrade:
        try:
            upgrade_schema(engine)
        except UserError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            message = db_error(exc) or schema_error(exc)
            if message is not None:
                where = engine.url.render_as_string(hide_password=True)
                raise UserError(f"cannot open the database {where}: {message}") from None
            raise
    if lite and upgrade:  # a database made or upgraded just now is at the head too
        store.lite = _lite.open_at_head(url)
    return store


def db_error(exc: BaseException) -> str | None:
    """A database error in one short line: the driver's error class and first line of its message,
    without the SQL statement or its parameters (which may hold a whole policy). None when ``exc``
    is not a database error. A ``sqlite3`` error raised without SQLAlchemy (:mod:`monitor.store.lite`)
    is named as SQLAlchemy's wrapper of it would be."""
    import sqlite3

    if isinstance(exc, sqlite3.Error):  # before SQLAlchemy's import: a lite store may never load it
        return _short(exc)
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError  # deferred: only on a failure

    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return _short(exc.orig)
    if isinstance(exc, SQLAlchemyError):
        return _short(exc)
    return None


def _short(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else 'no message'}"[:300]


def schema_error(exc: BaseException) -> str | None:
    """Alembic's refusal of a schema in one line (a revision it does not know: the database of a newer
    policy-monitor, which this one must not touch); None for another exception."""
    if type(exc).__module__.startswith("alembic."):
        return f"schema revision: {exc} (written by a newer policy-monitor?)"
    return None


def alembic_config() -> Config:
    from alembic.config import Config  # deferred: Alembic loads only when a schema must change

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # deferred: as above

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext  # deferred: as above

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def at_head(engine: Engine) -> bool:
    """Whether the schema is at :data:`SCHEMA_HEAD`, read with one query and without Alembic. False
    for anything else (no alembic_version table yet, an older or a newer revision, several rows, an
    error reading it): then Alembic decides, and raises what it raises, as without this shortcut."""
    from sqlalchemy.exc import SQLAlchemyError  # loaded with sqlalchemy already

    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except SQLAlchemyError:
        return False
    return list(rows) == [SCHEMA_HEAD]


def create_fresh_sqlite(engine: Engine) -> bool:
    """On an empty SQLite database (no table, no index), create the schema at :data:`SCHEMA_HEAD` from
    :data:`FRESH_SQLITE`, the statements the migrations leave in ``sqlite_master``, in one
    transaction and without Alembic (whose import and six migrations were a tenth of a first
    ``check`` of 100 pages). False, with nothing done, for any other database."""
    if engine.dialect.name != "sqlite":
        return False
    lines = FRESH_SQLITE.read_text(encoding="utf-8").splitlines()
    sql = "\n".join(line for line in lines if not line.startswith("--"))
    statements = [s for s in sql.split(";\n") if s.strip()]
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cur.execute("BEGIN IMMEDIATE")  # no other writer between the look and the creation
            if cur.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                cur.execute("ROLLBACK")
                return False
            for statement in statements:
                cur.execute(statement)
            cur.execute("COMMIT")
        except BaseException:
            if cur.connection.in_transaction:
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
    return True


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the latest) in place; a no-op when it is there."""
    if revision == "head" and (at_head(engine) or create_fresh_sqlite(engine)):
        return
    if revision == "head" and current_revision(engine) == head_revision():
        return
    _migrate(engine, "upgrade", revision)


def downgrade_schema(engine: Engine, revision: str) -> None:
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command  # deferred: as above
    from sqlalchemy import text

    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # batch migrations copy a table and drop the old one: with foreign keys on, that drop would
            # cascade into the rows that refer to it (the pragma only works outside a transaction)
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":  # several workers may start at once: one migrates
                    conn.execute(text("SELECT pg_advisory_xact_lock(5120535)"))
                cfg.attributes["connection"] = conn
                getattr(command, direction)(cfg, revision)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
