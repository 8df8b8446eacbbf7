"""Every write of the store's history in one place: operators from the watchlist, raw captures, and
versions with the comparison into them. A live check, an ``import`` and a ``reprocess`` all store a
version through :func:`write_version`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlmodel import Session, col, select

from monitor.compare.summarised import Summarised, summarise
from monitor.store.tables import (
    CaptureRow,
    CheckRow,
    ClauseRow,
    ComparisonRow,
    OperatorRow,
    VersionRow,
    VersionTextRow,
    utcnow,
)

if TYPE_CHECKING:
    from monitor.model import Candidate, Comparison
    from monitor.store.raw import RawStore
    from monitor.watchlist import Watchlist


@dataclass(slots=True)
class Recorded:
    """What one transaction wrote: handed to :func:`on_recorded` before it commits."""

    operator: OperatorRow
    check: CheckRow
    previous_outcome: str | None
    version: VersionRow | None = None  # the new version (outcome changed), else None
    comparison: ComparisonRow | None = None  # from the previous current version to ``version``
    alert: bool = True  # False for imports and reprocessing: history, not news
    previous_failures: int = 0  # consecutive bad checks before this one


def sync_operators(session: Session, watchlist: Watchlist) -> dict[str, OperatorRow]:
    """Create or update the rows of the watchlist's operators (name and URL follow the file)."""
    rows = {r.id: r for r in session.exec(select(OperatorRow).where(col(OperatorRow.id).in_(watchlist.ids)))}
    for spec in watchlist.operators:
        row = rows.get(spec.id)
        if row is None:
            row = rows[spec.id] = OperatorRow(id=spec.id, name=spec.name, url=spec.url)
            session.add(row)
        elif (row.name, row.url) != (spec.name, spec.url):
            row.name, row.url = spec.name, spec.url
            session.add(row)
    return rows


def save_capture(
    session: Session,
    raw: RawStore,
    operator_id: str,
    body: bytes,
    *,
    media_type: str,
    url: str,
    content_type: str | None,
    charset: str | None,
    etag: str | None = None,
    last_modified: str | None = None,
    origin: str = "fetch",
    captured_at: datetime | None = None,
    digest: str | None = None,
) -> CaptureRow:
    digest = raw.put(body, digest)
    row = session.exec(
        select(CaptureRow).where(CaptureRow.operator_id == operator_id, CaptureRow.sha256 == digest)
    ).first()
    if row is None:
        row = CaptureRow(
            operator_id=operator_id,
            sha256=digest,
            size=len(body),
            media_type=media_type,
            url=url,
            content_type=content_type,
            charset=charset,
            etag=etag,
            last_modified=last_modified,
            origin=origin,
            captured_at=captured_at or utcnow(),
        )
        session.add(row)
        session.flush()
    return row


def add_version(
    session: Session,
    operator_id: str,
    cand: Candidate,
    *,
    seen: datetime,
    extraction: str,
    capture_id: int | None,
    origin: str,
    source: str,
    widen: bool = True,
) -> VersionRow:
    """Insert a version and its clauses (or return the row already holding this text, its dates
    widened to ``seen`` unless ``widen`` is False)."""
    doc = cand.doc
    existing = session.exec(
        select(VersionRow).where(VersionRow.operator_id == operator_id, VersionRow.sha256 == doc.sha256)
    ).first()
    if existing is not None:
        if not widen:
            return existing
        existing.first_seen = min(existing.first_seen, seen)
        existing.last_seen = max(existing.last_seen, seen)
        session.add(existing)
        return existing
    counts = doc.counts()
    v = VersionRow(
        operator_id=operator_id,
        sha256=doc.sha256,
        first_seen=seen,
        last_seen=seen,
        title=doc.title,
        policy_operator=doc.operator,
        updated=doc.updated,
        effective=doc.effective,
        encoding=cand.encoding,
        media_type=cand.media_type,
        html_title=cand.html_title,
        characters=counts["characters"],
        clauses=counts["clauses"],
        capture_id=capture_id,
        extractor=extraction,
        origin=origin,
        source=source,
    )
    session.add(v)
    session.flush()
    session.add(VersionTextRow(version_id=v.id or 0, text="\n".join(cand.lines)))
    rows = [
        {
            "version_id": v.id,
            "idx": i,
            "level": c.level,
            "path": c.path,
            "heading": c.heading,
            "text": c.text,
            "norm_sha256": hashlib.sha256(c.norm.encode()).hexdigest(),
        }
        for i, c in enumerate(doc.clauses())
    ]
    if rows:
        # one executemany on the table: neither an ORM object per clause nor the ORM's bulk insert
        session.execute(insert(ClauseRow.__table__), rows)  # type: ignore[attr-defined]
    return v


def add_comparison(
    session: Session,
    operator_id: str,
    from_id: int,
    to_id: int,
    cmp: Comparison | Summarised,
    origin: str,
    at: datetime | None = None,
) -> ComparisonRow:
    # the compare stage (facts, jieba …) loads only when a comparison made here is stored
    stored = summarise(cmp)
    s = stored.summary
    row = ComparisonRow(
        operator_id=operator_id,
        from_version_id=from_id,
        to_version_id=to_id,
        origin=origin,
        material=stored.material,
        categories=sorted(s["categories"]),
        summary=s,
        result=stored.result,
        created_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(slots=True)
class Written:
    """A version as stored by :func:`write_version`."""

    version: VersionRow
    comparison: ComparisonRow | None  # from ``compare_from``'s version into this one


def write_version(
    session: Session,
    operator_id: str,
    cand: Candidate,
    *,
    seen: datetime,
    extraction: str,
    capture_id: int | None,
    origin: str,
    source: str,
    compare_from: tuple[int, Callable[[], Comparison | Summarised]] | None = None,
    widen: bool = True,
) -> Written:
    """Store the version ``cand`` holds (or widen the dates of the one already holding its text) and,
    given ``compare_from`` (an earlier version's id and how to compare it with this text), the
    comparison from that version when it is another one. ``origin`` is ``check``, ``import`` or
    ``reprocess``; the comparison is made only when it is recorded."""
    version = add_version(
        session,
        operator_id,
        cand,
        seen=seen,
        extraction=extraction,
        capture_id=capture_id,
        origin="fetch" if origin == "check" else origin,
        source=source,
        widen=widen,
    )
    comparison = None
    if compare_from is not None and compare_from[0] != version.id:
        from_id, make = compare_from
        comparison = add_comparison(session, operator_id, from_id, version.id or 0, make(), origin, seen)
    return Written(version, comparison)
