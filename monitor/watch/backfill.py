"""History that does not come from a live check: ``import`` an archived version (``reprocess``,
which rebuilds versions from the raw captures, is :mod:`monitor.watch.reprocess`). Neither alerts
(``Recorded.alert`` is False / no hook): what they find is history, and differences that come only
from the extractor are not news.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from monitor.compare.comparison import compare
from monitor.document.extract import media_type_for
from monitor.errors import UserError
from monitor.localfile import read_local
from monitor.store.queries import get_operator, version_document, version_number, versions
from monitor.store.tables import (
    CheckRow,
    ComparisonRow,
    OperatorRow,
    VersionRow,
    utcnow,
)
from monitor.store.writes import Recorded, save_capture, sync_operators, write_version
from monitor.timefmt import text as when
from monitor.watch import vet
from monitor.watch.judge import read_capture
from monitor.watch.record import on_recorded
from monitor.watch.target import CheckReport, Outcome, Target

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist


def target_row(session: Session, watchlist: Watchlist | None, operator_id: str) -> tuple[OperatorRow, Target]:
    """The operator's row (locked) and how to read its pages; unknown ids are a UserError."""

    spec = None
    if watchlist is not None and operator_id in watchlist.ids:
        sync_operators(session, watchlist)
        spec = watchlist.get(operator_id)
    session.flush()
    op = session.get(OperatorRow, operator_id, with_for_update=True)
    if op is None:
        get_operator(session, operator_id, watchlist.ids if watchlist else None)  # raises with the known ids
        raise AssertionError
    if spec is not None and watchlist is not None:
        return op, Target.of(spec, watchlist)
    return op, Target(op.id, op.name, op.url)


def import_file(
    store: Store,
    watchlist: Watchlist | None,
    operator_id: str,
    path: Path,
    date: datetime | None = None,
    *,
    selector: str | None = None,
    encoding: str | None = None,
) -> CheckReport:
    """Load an archived copy of the policy as a version of OPERATOR seen on ``date`` (default now)."""

    media_type = media_type_for(path)
    seen = check_import_date(date or utcnow())
    data = read_local(path)  # a regular file under the size cap
    with store.session() as session, session.begin():
        op, target = target_row(session, watchlist, operator_id)
        if selector is not None:
            target = replace(target, selector=selector)
        if encoding is not None:
            target = replace(target, encoding=encoding)
        content_type = {"html": "text/html", "pdf": "application/pdf"}.get(media_type, "text/plain")
        cand = read_capture(data, content_type, None, target, str(path))
        if isinstance(cand, str):
            raise UserError(f"{path}: cannot import: {cand}")
        reason = vet.check_document(cand.doc, data, None)
        if reason:
            raise UserError(f"{path}: cannot import: {reason}")
        capture = save_capture(
            session,
            store.raw,
            op.id,
            data,
            media_type=cand.media_type,
            url=str(path),
            content_type=content_type,
            charset=None,
            origin="import",
            captured_at=seen,
        )
        before = versions(session, op.id)
        known = {v.sha256: v for v in before}
        comparison: ComparisonRow | None = None
        outcome: Outcome
        new_version: VersionRow | None = None
        earlier = [x for x in before if x.first_seen <= seen]
        compare_from = None
        blocker = _between(before, known.get(cand.doc.sha256), seen)
        if cand.doc.sha256 not in known and earlier:
            prior = earlier[-1]
            compare_from = (prior.id or 0, lambda: compare(version_document(session, prior), cand.doc))
        written = write_version(
            session,
            op.id,
            cand,
            seen=seen,
            extraction=target.extraction_for(cand.media_type),
            capture_id=capture.id,
            origin="import",
            source=str(path),
            compare_from=compare_from,
            widen=blocker is None,
        )
        v, comparison = written.version, written.comparison
        if cand.doc.sha256 in known:
            outcome, why = "unchanged", f"already stored as version {version_number(session, v.id)}"
            if blocker is not None:
                why += (
                    f"; its dates kept ({when(v.first_seen)} – {when(v.last_seen)}): version "
                    f"{version_number(session, blocker.id)} was first seen between them and {when(seen)}"
                )
        else:
            outcome, why, new_version = "changed", "imported", v
        current = session.get(VersionRow, op.current_version_id) if op.current_version_id else None
        if current is None or (new_version is not None and v.first_seen >= current.first_seen):
            op.current_version_id = v.id
            op.capture_sha256, op.etag, op.last_modified = capture.sha256, None, None
            session.add(op)
        check = CheckRow(
            operator_id=op.id,
            trigger="import",
            started_at=utcnow(),
            observed_at=seen,
            outcome=outcome,
            reason=why,
            url=str(path),
            capture_id=capture.id,
            version_id=v.id,
            comparison_id=comparison.id if comparison else None,
        )
        session.add(check)
        session.flush()
        on_recorded(session, Recorded(op, check, op.last_outcome, new_version, comparison, alert=False), None)
        return CheckReport(
            op.id,
            outcome,
            why,
            version=version_number(session, v.id),
            version_sha256=v.sha256,
            material=comparison.material if comparison else None,
            summary=comparison.summary if comparison else None,
        )


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before any Chinese web privacy policy
CLOCK_SKEW = timedelta(days=1)  # a date given as YYYY-MM-DD is noon UTC: today east of UTC is ahead


def check_import_date(seen: datetime) -> datetime:
    """An import's date: not in the future (beyond a day of clock skew; a future date would make the
    import the current version and the next check report a change), not before 1990."""
    aware = seen if seen.tzinfo is not None else seen.replace(tzinfo=UTC)
    day = aware.date().isoformat()
    if aware > datetime.now(UTC) + CLOCK_SKEW:
        raise UserError(f"--date {day}: is in the future: give the date the copy was published or seen")
    if aware < EARLIEST:
        raise UserError(f"--date {day}: is before {EARLIEST.date()}: no policy here is that old")
    return seen


def _between(stored: list[VersionRow], same: VersionRow | None, seen: datetime) -> VersionRow | None:
    """When ``seen`` widens the dates of ``same`` (the stored version with the imported text), the other
    version first seen in the widened part, if any: then the dates are kept, or the two versions'
    spans would overlap and their order (the version numbers) change."""
    if same is None or same.first_seen <= seen <= same.last_seen:
        return None
    lo, hi = (seen, same.first_seen) if seen < same.first_seen else (same.last_seen, seen)
    return next((v for v in stored if v.id != same.id and lo <= v.first_seen <= hi), None)
