"""A stored version's :class:`Document`, rebuilt from its extracted lines, without SQLAlchemy.

:func:`document_of` is how :func:`monitor.store.queries.version_document` rebuilds a version's
document from its row's columns; :func:`read_version` reads those columns with the standard
library's ``sqlite3`` (one query), for a process that compares an edited page beside the one that
records it (:mod:`monitor.watch.edited`) and must not import the store's tables. Both give the same
document for the same version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from monitor.model import Extracted

if TYPE_CHECKING:
    from monitor.model import Document


def document_of(
    operator_id: str,
    sha256: str,
    encoding: str,
    media_type: str,
    html_title: str | None,
    text: str,
    seq: int | None = None,
) -> Document:
    """The document of a version from its columns and its text (``version_texts.text``)."""
    kind: Literal["text", "html"] = "html" if media_type in ("html", "markdown") else "text"
    ex = Extracted(lines=text.split("\n"), encoding=encoding, media_type=kind, html_title=html_title)
    label = f"{operator_id}@{seq}" if seq is not None else f"{operator_id}@{sha256[:12]}"
    from monitor.document.parse import parse_extracted  # deferred: a check reads a document rarely

    return parse_extracted(ex, label)


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A version as a comparison with it needs it: the columns that say how its text was read, and
    its document."""

    version_id: int
    sha256: str
    extractor: str
    media_type: str
    doc: Document


_QUERY = (
    "SELECT v.operator_id, v.sha256, v.encoding, v.media_type, v.html_title, v.extractor, t.text "
    "FROM versions v LEFT JOIN version_texts t ON t.version_id = v.id WHERE v.id = ?"
)


def read_version(conn: sqlite3.Connection, version_id: int) -> StoredVersion | None:
    """The version ``version_id`` of a SQLite store, read with ``conn``; None when there is none."""
    row = conn.execute(_QUERY, (version_id,)).fetchone()
    if row is None:
        return None
    operator_id, digest, encoding, media_type, html_title, extractor, text = row
    doc = document_of(operator_id, digest, encoding, media_type, html_title, text or "")
    return StoredVersion(version_id, digest, extractor, media_type, doc)


def connect_reader(path: str) -> sqlite3.Connection:
    """A connection that only reads (``query_only``): a reader process never writes the store."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    return conn
