"""An edited page compared in a reader process (:mod:`monitor.watch.readers`), beside the process
that records it.

In a cycle with edited pages, the comparison (alignment, word diff, both versions' privacy facts)
is most of an edited page's cost, and one Python process uses one core. A reader process reads the
new body (:func:`monitor.watch.reading.read_body`), reads the version the operator held when the
cycle was planned from the SQLite store (:func:`monitor.store.stored_doc.read_version`, a
connection that only reads) and compares the two with :func:`monitor.compare.comparison.compare`,
the function the judge compares with. It writes nothing: the recording process judges and records
as before, and uses the comparison only when the operator's current version is still the one
compared and its stored text is read with today's extraction (:func:`usable`); otherwise it compares
again itself. A crash of either process therefore loses nothing the serial way would keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.watch.reading import read_body

if TYPE_CHECKING:
    import sqlite3

    from monitor.compare.summarised import Summarised
    from monitor.model import Candidate, MediaType
    from monitor.watch.target import Current, Target


@dataclass(frozen=True, slots=True)
class Compared:
    """The new body compared with the stored version ``version_id`` (its document's digest
    ``old_sha256``, stored with extraction ``extractor`` from a ``media_type`` capture).
    ``comparison``, as it is stored, is None when the two documents have the same digest (nothing to
    compare)."""

    version_id: int
    old_sha256: str
    extractor: str
    media_type: str
    comparison: Summarised | None


def usable(compared: Compared | None, current: Current, target: Target) -> Compared | None:
    """``compared`` when it is what the judge would compute now: the operator's current version is
    the one compared, and its stored text is what the judge would load (the same extraction)."""
    if compared is None or compared.version_id != current.version_id:
        return None
    if compared.extractor != current.extraction or compared.media_type != current.media_type:
        return None
    if current.extraction != target.extraction_for(current.media_type):
        return None  # the judge re-reads the raw capture with today's extraction instead
    return compared


_connections: dict[str, sqlite3.Connection] = {}  # one per store file, for the life of the process


def read_and_compare(
    db_path: str,
    version_id: int,
    body: bytes,
    content_type: str | None,
    charset: str | None,
    source: str,
    selector: str | None,
    remove: str | None,
    encoding: str | None,
    vetted: MediaType | None,
) -> tuple[Candidate | str, Compared | None]:
    """Read ``body`` as :func:`read_body` does and, when it is a document, compare it with the stored
    version ``version_id`` (None when that version is gone)."""
    cand = read_body(body, content_type, charset, source, selector, remove, encoding, vetted)
    if isinstance(cand, str):
        return cand, None
    from monitor.store.stored_doc import connect_reader, read_version  # deferred: only an edited page

    conn = _connections.get(db_path)
    if conn is None:
        conn = _connections[db_path] = connect_reader(db_path)
    conn.execute("BEGIN")
    try:
        stored = read_version(conn, version_id)
    finally:
        conn.execute("COMMIT")
    if stored is None:
        return cand, None
    comparison = None
    if stored.doc.sha256 != cand.doc.sha256:
        from monitor.compare.comparison import compare  # deferred: as in the judge
        from monitor.compare.summarised import summarise

        comparison = summarise(compare(stored.doc, cand.doc))
    return cand, Compared(version_id, stored.doc.sha256, stored.extractor, stored.media_type, comparison)
