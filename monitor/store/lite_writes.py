"""The writes of a check that stores a new version, on a ``sqlite3`` connection (:mod:`monitor.store.lite`)
rather than a SQLAlchemy session: what :mod:`monitor.watch.record_lite` records an edited page with in
``policy-monitor check`` on a SQLite store at the head, without importing SQLAlchemy, SQLModel and the
tables (about half a second of CPU, a third of an edited cycle of 100 pages).

Each function makes the statements its namesake in :mod:`monitor.store.writes` (or
:mod:`monitor.watch.record`) makes through the ORM, in the caller's transaction
(:func:`monitor.store.lite.transaction`), and writes values as SQLAlchemy writes them to SQLite:
datetimes with :func:`~monitor.store.lite.stamp`, booleans as 0 and 1, JSON columns with
:func:`json.dumps` (SQLAlchemy's ``JSON`` type serializes with it). tests/store/test_lite_writes.py
stores one check both ways and compares the rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor.store.lite import stamp

if TYPE_CHECKING:
    import sqlite3

    from monitor.compare.summarised import Summarised
    from monitor.model import Candidate
    from monitor.store.raw import RawStore


@dataclass(frozen=True, slots=True)
class HeldRow:
    """The columns of an operator's row that a check reads before it writes."""

    name: str
    url: str
    current_version_id: int | None
    capture_sha256: str | None
    last_outcome: str | None
    failures: int
    failure_alerted: bool
    lease_owner: str | None


def operator_row(conn: sqlite3.Connection, operator_id: str) -> HeldRow | None:
    row = conn.execute(
        "SELECT name, url, current_version_id, capture_sha256, last_outcome, failures, failure_alerted, "
        "lease_owner FROM operators WHERE id = ?",
        (operator_id,),
    ).fetchone()
    if row is None:
        return None
    name, url, version_id, digest, outcome, failures, alerted, owner = row
    return HeldRow(name, url, version_id, digest, outcome, int(failures), bool(alerted), owner)


def version_columns(conn: sqlite3.Connection, version_id: int) -> tuple[str, int, str, str] | None:
    """A version's digest, characters, extractor and media type (``record.current_state``'s columns)."""
    row = conn.execute(
        "SELECT sha256, characters, extractor, media_type FROM versions WHERE id = ?", (version_id,)
    ).fetchone()
    return (row[0], int(row[1]), row[2], row[3]) if row is not None else None


def version_digest(conn: sqlite3.Connection, version_id: int) -> str | None:
    row = conn.execute("SELECT sha256 FROM versions WHERE id = ?", (version_id,)).fetchone()
    return row[0] if row is not None else None


def save_capture(
    conn: sqlite3.Connection,
    raw: RawStore,
    operator_id: str,
    body: bytes,
    *,
    media_type: str,
    url: str,
    content_type: str | None,
    charset: str | None,
    etag: str | None,
    last_modified: str | None,
    digest: str | None,
    now: datetime,
) -> tuple[int, str]:
    """:func:`monitor.store.writes.save_capture`: the body in the raw store, its row (id, digest)."""
    digest = raw.put(body, digest)
    found = conn.execute(
        "SELECT id FROM captures WHERE operator_id = ? AND sha256 = ?", (operator_id, digest)
    ).fetchone()
    if found is not None:
        return int(found[0]), digest
    row = (operator_id, digest, len(body), media_type, content_type, charset, url, etag, last_modified)
    cur = conn.execute(
        "INSERT INTO captures (operator_id, sha256, size, media_type, content_type, charset, url, etag, "
        "last_modified, captured_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'fetch')",
        (*row, stamp(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid, digest


def add_version(
    conn: sqlite3.Connection,
    operator_id: str,
    cand: Candidate,
    *,
    seen: datetime,
    extraction: str,
    capture_id: int | None,
    source: str,
) -> int:
    """:func:`monitor.store.writes.add_version` (origin ``fetch``): a version with its text and
    clauses, or the row already holding this text with its dates widened to ``seen``."""
    doc, at = cand.doc, stamp(seen)
    found = conn.execute(
        "SELECT id FROM versions WHERE operator_id = ? AND sha256 = ?", (operator_id, doc.sha256)
    ).fetchone()
    if found is not None:
        conn.execute(
            "UPDATE versions SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?) WHERE id = ?",
            (at, at, found[0]),
        )
        return int(found[0])
    counts = doc.counts()
    cur = conn.execute(
        "INSERT INTO versions (operator_id, sha256, first_seen, last_seen, title, policy_operator, updated, "
        "effective, encoding, media_type, html_title, characters, clauses, capture_id, extractor, origin, "
        "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'fetch', ?)",
        (
            operator_id,
            doc.sha256,
            at,
            at,
            doc.title,
            doc.operator,
            doc.updated,
            doc.effective,
            cand.encoding,
            cand.media_type,
            cand.html_title,
            counts["characters"],
            counts["clauses"],
            capture_id,
            extraction,
            source,
        ),
    )
    version_id = cur.lastrowid
    assert version_id is not None
    text = "\n".join(cand.lines)
    conn.execute("INSERT INTO version_texts (version_id, text) VALUES (?, ?)", (version_id, text))
    conn.executemany(
        "INSERT INTO clauses (version_id, idx, level, path, heading, text, norm_sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (version_id, i, c.level, c.path, c.heading, c.text, hashlib.sha256(c.norm.encode()).hexdigest())
            for i, c in enumerate(doc.clauses())
        ],
    )
    return version_id


def add_comparison(
    conn: sqlite3.Connection, operator_id: str, from_id: int, to_id: int, stored: Summarised, at: datetime
) -> int:
    """:func:`monitor.store.writes.add_comparison` (origin ``check``) of a comparison as it is stored."""
    cur = conn.execute(
        "INSERT INTO comparisons (operator_id, from_version_id, to_version_id, created_at, origin, material, "
        "categories, summary, result) VALUES (?, ?, ?, ?, 'check', ?, ?, ?, ?)",
        (
            operator_id,
            from_id,
            to_id,
            stamp(at),
            int(stored.material),
            json.dumps(sorted(stored.summary["categories"])),
            json.dumps(stored.summary),
            json.dumps(stored.result),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def update_operator(conn: sqlite3.Connection, operator_id: str, values: dict[str, Any]) -> None:
    """Set these columns of the operator's row (datetimes stamped, booleans as 0 and 1)."""
    names = sorted(values)
    params = [_value(values[n]) for n in names]
    sql = f"UPDATE operators SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"
    conn.execute(sql, [*params, operator_id])


def add_check(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """A row of ``checks`` (its columns by name); its id."""
    names = list(values)
    quoted = ", ".join(f'"{n}"' for n in names)  # "trigger" is an SQL keyword
    cur = conn.execute(
        f"INSERT INTO checks ({quoted}) VALUES ({', '.join('?' * len(names))})",
        [_value(values[n]) for n in names],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def add_alerts(
    conn: sqlite3.Connection,
    operator_id: str,
    check_id: int,
    at: datetime,
    alerts: Sequence[tuple[str, str, str, dict[str, Any]]],
) -> None:
    """Rows of the outbox, pending and due at ``at``: (alert id, channel, event, payload) each."""
    conn.executemany(
        "INSERT INTO alerts (id, channel, operator_id, event, created_at, status, attempts, next_attempt_at, "
        "check_id, payload) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        [
            (alert_id, channel, operator_id, event, stamp(at), stamp(at), check_id, json.dumps(payload))
            for alert_id, channel, event, payload in alerts
        ],
    )


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return stamp(v)
    if isinstance(v, bool):
        return int(v)
    return v
