"""A SQLite store through the standard library's ``sqlite3``, without SQLAlchemy: what a ``check``
whose pages bring nothing new reads and writes, and the one-writer lock beside the file.

Importing SQLAlchemy, SQLModel and the tables takes some 150 ms, a third of a ``check`` of 100
unchanged pages. A plain ``sqlite:///PATH`` store already at :data:`SCHEMA_HEAD` is opened here
(:func:`open_at_head`, the same pragmas as :func:`monitor.store.db.make_engine`); the check plans
from :func:`operator_states` when the watchlist's operators are in the table as they are in the
file, records its quick checks with :func:`monitor.store.unchanged.record_unchanged_sqlite`, numbers
versions with :func:`version_numbers` and looks for alerts to send with :func:`alerts_due`. Anything
else (an operator to add or rename, a page that changed, an alert due, another database) goes through
the SQLAlchemy store as before, loaded the first time it is needed.

Datetimes are written as SQLAlchemy writes them to SQLite (``UTCDateTime``: naive UTC with
microseconds, :func:`stamp`), so that both read and compare them alike.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.errors import UserError

DEFAULT_DIR = Path("snapshots")

# The newest revision under migrations/versions, known without importing Alembic: a store whose
# alembic_version holds exactly this one opens without Alembic. A new migration changes it too
# (tests/store/test_migrations.py checks it against Alembic's own head, so the two cannot drift).
SCHEMA_HEAD = "0006"

CHUNK = 500  # values per IN list

# every SQLite connection, SQLAlchemy's (monitor.store.db.make_engine) or sqlite3's (connect)
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")
LOCK_TIMEOUT = 30  # seconds a connection waits for another writer's lock


def resolve_url(db: str | None) -> str:
    if db is None:
        return f"sqlite:///{DEFAULT_DIR / 'monitor.db'}"
    if "://" not in db:  # a plain path: SQLite
        return f"sqlite:///{db}"
    return db


_PLAIN = "sqlite:///"


def _plain(url: str) -> bool:
    return url.startswith(_PLAIN) and "?" not in url and "%" not in url


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (no driver, no query, nothing %-escaped), read
    without SQLAlchemy; None for any other URL, and for an in-memory database."""
    name = url[len(_PLAIN) :] if _plain(url) else ""
    return Path(name) if name and name != ":memory:" else None


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    if _plain(url):
        return plain_sqlite_file(url)
    from sqlalchemy.engine import make_url  # deferred: only for a URL of another form

    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def stamp(value: datetime) -> str:
    """``value`` as SQLAlchemy's ``UTCDateTime`` stores it in SQLite: naive UTC, with microseconds."""
    v = value.astimezone(UTC) if value.tzinfo is not None else value
    day = f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    return f"{day} {v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"


def connect(path: Path) -> sqlite3.Connection:
    """A connection with :data:`PRAGMAS` and :data:`LOCK_TIMEOUT`, as the SQLAlchemy engine's, in
    autocommit mode: a transaction is :func:`transaction`, begun explicitly."""
    conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def open_at_head(url: str) -> sqlite3.Connection | None:
    """A connection to the existing SQLite file of a plain ``sqlite:///`` URL whose schema is at
    :data:`SCHEMA_HEAD`; None for anything else (no file yet, another schema, not a database,
    another URL): then SQLAlchemy and Alembic open it, and say what is wrong."""
    path = plain_sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = connect(path)
    except sqlite3.Error:
        return None
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        rows = []
    if rows != [(SCHEMA_HEAD,)]:
        conn.close()
        return None
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``: no other writer between its reads and its
    writes); committed when the block ends, rolled back when it raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield list(values[i : i + CHUNK])


def marks(n: int) -> str:
    return ", ".join("?" * n)


@dataclass(frozen=True, slots=True)
class OperatorState:
    """What planning a check reads of an operator (the attributes of ``OperatorRow`` it reads)."""

    current_version_id: int | None
    capture_sha256: str | None
    failure_alerted: bool
    etag: str | None
    last_modified: str | None


def operator_states(
    conn: sqlite3.Connection, operators: Sequence[tuple[str, str, str]]
) -> dict[str, OperatorState] | None:
    """The state of ``operators`` (id, name, URL), or None when one of them has no row or another name
    or URL: :func:`monitor.store.writes.sync_operators` must write it first."""
    wanted = {op_id: (name, url) for op_id, name, url in operators}
    out: dict[str, OperatorState] = {}
    for chunk in chunks(list(wanted)):
        sql = (
            "SELECT id, name, url, current_version_id, capture_sha256, failure_alerted, etag, "
            f"last_modified FROM operators WHERE id IN ({marks(len(chunk))})"
        )
        for op_id, name, url, version_id, digest, alerted, etag, modified in conn.execute(sql, chunk):
            if wanted.get(op_id) != (name, url):
                return None
            out[op_id] = OperatorState(version_id, digest, bool(alerted), etag, modified)
    return out if len(out) == len(wanted) else None


def version_numbers(conn: sqlite3.Connection, version_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """The number and digest of these versions, numbered as :func:`monitor.store.queries.version_numbers`
    numbers them (1, 2, 3 … per operator by ``first_seen``, then id)."""
    ids = sorted(set(version_ids))
    out: dict[int, tuple[int, str]] = {}
    for chunk in chunks(ids):
        sql = (
            "SELECT id, n, sha256 FROM (SELECT id, sha256, row_number() OVER "
            "(PARTITION BY operator_id ORDER BY first_seen, id) AS n FROM versions WHERE operator_id IN "
            f"(SELECT operator_id FROM versions WHERE id IN ({marks(len(chunk))}))) "
            f"WHERE id IN ({marks(len(chunk))})"
        )
        out.update({int(vid): (int(n), digest) for vid, n, digest in conn.execute(sql, chunk + chunk)})
    return out


def alerts_due(conn: sqlite3.Connection, now: datetime) -> bool:
    """Whether an alert of the outbox is pending and due by ``now`` (a superset of what
    :func:`monitor.alerts.outbox.claim` would take: it also leaves out alerts another worker holds)."""
    sql = "SELECT 1 FROM alerts WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1"
    return conn.execute(sql, (stamp(now),)).fetchone() is not None


# ---------------------------------------------------------------------------------------------
# one writer at a time


class SqliteWorkerLock:
    """An exclusive OS lock on ``<database>.run.lock`` beside a SQLite file: SQLite has no row
    locks to share work by, so one process at a time writes the history (``run``, ``check``,
    ``import``, ``reprocess``); a second one is refused with a message naming the holder.
    No-op for other databases and for in-memory SQLite."""

    def __init__(self, url: str, command: str = "run") -> None:
        database = sqlite_file(url)
        self.path: Path | None = None
        self.command = command
        if database is not None:
            self.path = database.with_name(database.name + ".run.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.path is None:
            return
        import fcntl  # deferred: POSIX only, and only for a SQLite worker lock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = ""
            with contextlib.suppress(OSError):
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            db = self.path.with_name(self.path.name.removesuffix(".run.lock"))
            advice = (
                "SQLite allows one worker; to run several, use PostgreSQL "
                "(--db postgresql+psycopg://USER@HOST/DB)"
                if self.command == "run"
                else "SQLite allows one writer at a time; try again when it has finished "
                "(a running `policy-monitor run` already checks every operator on schedule)"
            )
            raise UserError(
                f"another policy-monitor process is writing to {db}"
                + (f" ({holder})" if holder else "")
                + f": {advice}"
            ) from None
        os.ftruncate(fd, 0)
        since = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
        note = f"`policy-monitor {self.command}`, pid {os.getpid()} on {socket.gethostname()} since {since}\n"
        os.pwrite(fd, note.encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock; the file stays (removing it would race)
            self._fd = None

    def __enter__(self) -> SqliteWorkerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
