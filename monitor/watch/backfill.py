"""History that does not come from a live check: ``import`` an archived version, ``reprocess``
the raw captures when extraction improves. Neither alerts (``Recorded.alert`` is False / no hook):
what they find is history, and differences that come only from the extractor are not news.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from monitor.compare.comparison import compare
from monitor.document.extract import media_type_for
from monitor.document.parse import Candidate
from monitor.errors import UserError
from monitor.store.queries import get_operator, operator_ids, version_document, version_number, versions
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
from monitor.store.writes import Recorded, save_capture, sync_operators, write_version
from monitor.watch import vet
from monitor.watch.judge import read_capture
from monitor.watch.record import on_recorded
from monitor.watch.target import CheckReport, Outcome, Target

if TYPE_CHECKING:
    from monitor.model import Document
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist


def _target(session: Session, watchlist: Watchlist | None, operator_id: str) -> tuple[OperatorRow, Target]:
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    seen = date or utcnow()
    with store.session() as session, session.begin():
        op, target = _target(session, watchlist, operator_id)
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
        )
        v, comparison = written.version, written.comparison
        if cand.doc.sha256 in known:
            outcome, why = "unchanged", f"already stored as version {version_number(session, v.id)}"
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


@dataclass(slots=True)
class ReprocessReport:
    operator_id: str
    before: int  # versions before
    after: int  # versions after
    captures: int  # distinct captures read
    rejected: list[str] = field(default_factory=list)  # captures not accepted as versions, with reasons
    missing: int = 0  # captures whose raw bytes are gone

    def to_json(self) -> dict[str, Any]:
        return {
            "operator": self.operator_id,
            "versions_before": self.before,
            "versions_after": self.after,
            "captures": self.captures,
            "rejected": self.rejected,
            "missing": self.missing,
        }


def reprocess(store: Store, watchlist: Watchlist | None, ids: list[str]) -> list[ReprocessReport]:
    """Rebuild each operator's versions, clauses and comparisons from its raw captures, in the order
    they were seen, with today's extraction and the watchlist's selectors. No alerts.

    Checks keep their recorded outcome (what was decided at the time); only their links to versions
    and comparisons are redone."""

    with store.session() as session:
        all_ids = operator_ids(session)
        for op_id in ids:
            get_operator(session, op_id, watchlist.ids if watchlist else None)
    return [_reprocess_one(store, watchlist, op_id) for op_id in (ids or all_ids)]


def _reprocess_one(store: Store, watchlist: Watchlist | None, operator_id: str) -> ReprocessReport:

    with store.session() as session, session.begin():
        op, target = _target(session, watchlist, operator_id)
        checks = list(
            session.exec(
                select(CheckRow)
                .where(CheckRow.operator_id == op.id)
                .order_by(col(CheckRow.observed_at), col(CheckRow.id))
            )
        )
        before = len(list(session.exec(select(VersionRow.id).where(VersionRow.operator_id == op.id))))
        report = ReprocessReport(op.id, before, 0, 0)
        # start from scratch: forget versions, clauses and comparisons (checks and captures stay)
        session.execute(
            update(CheckRow)
            .where(col(CheckRow.operator_id) == op.id)
            .values(version_id=None, comparison_id=None)
        )
        version_ids = select(VersionRow.id).where(VersionRow.operator_id == op.id)
        session.execute(delete(ComparisonRow).where(col(ComparisonRow.operator_id) == op.id))
        session.execute(delete(ClauseRow).where(col(ClauseRow.version_id).in_(version_ids)))
        session.execute(delete(VersionTextRow).where(col(VersionTextRow.version_id).in_(version_ids)))
        session.execute(delete(VersionRow).where(col(VersionRow.operator_id) == op.id))
        session.flush()
        session.expire_all()

        read: dict[int, tuple[CaptureRow, Candidate | str]] = {}
        current: VersionRow | None = None
        current_doc: Document | None = None
        last_capture: CaptureRow | None = None
        for chk in checks:
            if chk.capture_id is not None:
                if chk.capture_id not in read:
                    cap = session.get(CaptureRow, chk.capture_id)
                    assert cap is not None
                    if not store.raw.has(cap.sha256):
                        report.missing += 1
                        read[chk.capture_id] = (cap, "raw capture missing")
                    else:
                        body = store.raw.get(cap.sha256)
                        cand = read_capture(body, cap.content_type, cap.charset, target, cap.url)
                        if not isinstance(cand, str):
                            why = vet.check_document(cand.doc, body, None)
                            cand = why if why else cand
                        read[chk.capture_id] = (cap, cand)
                        report.captures += 1
                cap, cand = read[chk.capture_id]
                if isinstance(cand, str):
                    report.rejected.append(f"{chk.observed_at:%Y-%m-%d %H:%M} {cap.sha256[:12]}: {cand}")
                elif (
                    current_doc is not None
                    and chk.trigger != "import"
                    and cand.doc.counts()["characters"] < vet.MIN_KEPT * current_doc.counts()["characters"]
                ):
                    report.rejected.append(
                        f"{chk.observed_at:%Y-%m-%d %H:%M} {cap.sha256[:12]}: lost most of the text"
                    )
                else:
                    prev_doc = current_doc
                    written = write_version(
                        session,
                        op.id,
                        cand,
                        seen=chk.observed_at,
                        origin="reprocess",
                        extraction=target.extraction_for(cand.media_type),
                        capture_id=cap.id,
                        source=cap.url,
                        compare_from=(current.id or 0, functools.partial(compare, prev_doc, cand.doc))
                        if current is not None and prev_doc is not None
                        else None,
                    )
                    v = written.version
                    if written.comparison is not None:
                        chk.comparison_id = written.comparison.id
                    current, current_doc, last_capture = v, cand.doc, cap
            elif current is not None and chk.outcome in ("not_modified", "unchanged"):
                current.last_seen = max(current.last_seen, chk.observed_at)
            chk.version_id = current.id if current is not None else None
            session.add(chk)
        op.current_version_id = current.id if current is not None else None
        if last_capture is not None:
            op.capture_sha256, op.etag, op.last_modified = (
                last_capture.sha256,
                last_capture.etag,
                last_capture.last_modified,
            )
        session.add(op)
        session.flush()
        report.after = len(list(session.exec(select(VersionRow.id).where(VersionRow.operator_id == op.id))))
        return report
