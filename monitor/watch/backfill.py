"""History that does not come from a live check: ``import`` an archived version, ``reprocess``
the raw captures when extraction improves. Neither alerts (``Recorded.alert`` is False / no hook):
what they find is history, and differences that come only from the extractor are not news.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from monitor.compare.comparison import compare
from monitor.document.extract import media_type_for
from monitor.document.parse import Candidate
from monitor.errors import UserError
from monitor.localfile import read_local
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
from monitor.store.writes import Recorded, add_comparison, save_capture, sync_operators, write_version
from monitor.timefmt import iso
from monitor.timefmt import text as when
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
    seen = check_import_date(date or utcnow())
    data = read_local(path)  # a regular file under the size cap
    with store.session() as session, session.begin():
        op, target = _target(session, watchlist, operator_id)
        if selector is not None:
            target = replace(target, selector=selector)
        if encoding is not None:
            target = replace(target, encoding=encoding)
        content_type = "text/html" if media_type == "html" else "text/plain"
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


@dataclass(slots=True)
class Lost:
    """A stored version that no capture backs any more: every capture of its checks is missing,
    corrupt or no longer accepted. ``reprocess`` keeps it as stored; ``--prune --yes`` removes it."""

    number: int
    sha256: str
    first_seen: datetime
    last_seen: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "sha256": self.sha256,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
        }

    def line(self) -> str:
        seen = f"{when(self.first_seen)} – {when(self.last_seen)}"
        return f"version {self.number} ({self.sha256[:12]}, seen {seen})"


@dataclass(slots=True)
class ReprocessReport:
    operator_id: str
    before: int  # versions before
    after: int  # versions after
    captures: int  # distinct captures read
    rejected: list[str] = field(default_factory=list)  # captures not accepted as versions, with reasons
    missing: int = 0  # captures whose raw bytes are gone or corrupt
    lost: list[Lost] = field(default_factory=list)  # versions no capture backs (kept unless pruned)
    pruned: bool = False  # the lost versions were removed (--prune --yes)
    dry_run: bool = False  # nothing was written (--prune without --yes)

    def to_json(self) -> dict[str, Any]:
        key = "removed" if self.pruned else "would_remove" if self.dry_run else "kept"
        return {
            "operator": self.operator_id,
            "versions_before": self.before,
            "versions_after": self.after,
            "captures": self.captures,
            "rejected": self.rejected,
            "missing": self.missing,
            key: [v.to_json() for v in self.lost],
        }


def reprocess(
    store: Store, watchlist: Watchlist | None, ids: list[str], *, prune: bool = False, dry_run: bool = False
) -> list[ReprocessReport]:
    """Rebuild each operator's versions, clauses and comparisons from its raw captures, in the order
    they were seen, with today's extraction and the watchlist's selectors. No alerts.

    A stored version none of whose captures can be read and accepted any more (a raw folder moved
    or mistyped, a selector that now matches nothing) is kept as stored, its text re-read from the
    database, and listed in the report's ``lost``. Only ``prune`` removes such versions; with
    ``dry_run`` nothing is written and the report says what would go.

    Checks keep their recorded outcome (what was decided at the time); only their links to versions
    and comparisons are redone."""

    with store.session() as session:
        all_ids = operator_ids(session)
        for op_id in ids:
            get_operator(session, op_id, watchlist.ids if watchlist else None)
    return [
        _reprocess_one(store, watchlist, op_id, prune=prune, dry_run=dry_run) for op_id in (ids or all_ids)
    ]


@dataclass(slots=True)
class _Plan:
    """What today's extraction makes of an operator's checks, decided before anything is written."""

    checks: list[CheckRow]
    links: dict[int, int | None]  # check id → the version it was linked to
    accepted: dict[int, Candidate]  # check id → the version its capture reads as now
    lost: dict[int, VersionRow]  # version id → a stored version no accepted check backs


def _read(store: Store, target: Target, cap: CaptureRow, report: ReprocessReport) -> Candidate | str:
    try:
        body = store.raw.get(cap.sha256)
    except UserError:  # missing or corrupt: the version it backs is kept from the database
        report.missing += 1
        return "raw capture missing" if not store.raw.has(cap.sha256) else "raw capture corrupt"
    report.captures += 1
    cand = read_capture(body, cap.content_type, cap.charset, target, cap.url)
    if isinstance(cand, str):
        return cand
    return vet.check_document(cand.doc, body, None) or cand


def _plan(session: Session, store: Store, target: Target, op_id: str, report: ReprocessReport) -> _Plan:
    checks = list(
        session.exec(
            select(CheckRow)
            .where(CheckRow.operator_id == op_id)
            .order_by(col(CheckRow.observed_at), col(CheckRow.id))
        )
    )
    plan = _Plan(checks, {c.id or 0: c.version_id for c in checks}, {}, {})
    read: dict[int, tuple[CaptureRow, Candidate | str]] = {}
    current_doc: Document | None = None
    for chk in checks:
        if chk.capture_id is None:
            continue
        if chk.capture_id not in read:
            cap = session.get(CaptureRow, chk.capture_id)
            assert cap is not None
            read[chk.capture_id] = (cap, _read(store, target, cap, report))
        cap, cand = read[chk.capture_id]
        if not isinstance(cand, str) and (
            current_doc is not None
            and chk.trigger != "import"
            and cand.doc.counts()["characters"] < vet.MIN_KEPT * current_doc.counts()["characters"]
        ):
            cand = "lost most of the text"
        if isinstance(cand, str):
            report.rejected.append(f"{chk.observed_at:%Y-%m-%d %H:%M} {cap.sha256[:12]}: {cand}")
            continue
        plan.accepted[chk.id or 0] = cand
        current_doc = cand.doc
    backed = {plan.links[i] for i in plan.accepted}
    stored = versions(session, op_id)
    numbers = {v.id: n for n, v in enumerate(stored, 1)}
    plan.lost = {v.id or 0: v for v in stored if v.id not in backed}
    report.lost = [Lost(numbers[v.id], v.sha256, v.first_seen, v.last_seen) for v in plan.lost.values()]
    return plan


def _reprocess_one(
    store: Store, watchlist: Watchlist | None, operator_id: str, *, prune: bool, dry_run: bool
) -> ReprocessReport:

    with store.session() as session, session.begin() as tx:
        op, target = _target(session, watchlist, operator_id)
        before = len(list(session.exec(select(VersionRow.id).where(VersionRow.operator_id == op.id))))
        report = ReprocessReport(op.id, before, before, 0, pruned=prune and not dry_run, dry_run=dry_run)
        plan = _plan(session, store, target, op.id, report)
        if dry_run:
            tx.rollback()
            return report
        kept = {} if prune else plan.lost
        _forget(session, op.id, keep=set(kept))
        current, last_capture = _replay(session, op.id, target, plan, kept)
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


def _forget(session: Session, op_id: str, keep: set[int]) -> None:
    """Forget the operator's comparisons and the versions (with clauses and text) not in ``keep``;
    checks and captures stay, unlinked."""
    session.execute(
        update(CheckRow).where(col(CheckRow.operator_id) == op_id).values(version_id=None, comparison_id=None)
    )
    gone = select(VersionRow.id).where(VersionRow.operator_id == op_id, col(VersionRow.id).not_in(keep))
    session.execute(delete(ComparisonRow).where(col(ComparisonRow.operator_id) == op_id))
    session.execute(delete(ClauseRow).where(col(ClauseRow.version_id).in_(gone)))
    session.execute(delete(VersionTextRow).where(col(VersionTextRow.version_id).in_(gone)))
    session.execute(
        delete(VersionRow).where(col(VersionRow.operator_id) == op_id, col(VersionRow.id).not_in(keep))
    )
    session.flush()
    session.expire_all()


def _replay(
    session: Session, op_id: str, target: Target, plan: _Plan, kept: dict[int, VersionRow]
) -> tuple[VersionRow | None, CaptureRow | None]:
    """Link the checks, in order, to the versions their captures read as now (or, for a capture that
    cannot be read, to the kept version it was linked to), comparing each version with the one before."""
    current: VersionRow | None = None
    current_doc: Document | None = None
    last_capture: CaptureRow | None = None
    for chk in plan.checks:
        cand = plan.accepted.get(chk.id or 0)
        old = plan.links.get(chk.id or 0)
        if cand is not None:
            cap = session.get(CaptureRow, chk.capture_id)
            assert cap is not None
            prev, prev_doc = current, current_doc
            written = write_version(
                session,
                op_id,
                cand,
                seen=chk.observed_at,
                origin="reprocess",
                extraction=target.extraction_for(cand.media_type),
                capture_id=cap.id,
                source=cap.url,
                compare_from=(prev.id or 0, functools.partial(compare, prev_doc, cand.doc))
                if prev is not None and prev_doc is not None
                else None,
            )
            if written.comparison is not None:
                chk.comparison_id = written.comparison.id
            current, current_doc, last_capture = written.version, cand.doc, cap
        elif chk.capture_id is not None and old is not None and old in kept:
            version = session.get(VersionRow, old)
            assert version is not None
            if current is None or current.id != version.id:
                doc = version_document(session, version)
                if current is not None and current_doc is not None:
                    cmp = add_comparison(
                        session,
                        op_id,
                        current.id or 0,
                        old,
                        compare(current_doc, doc),
                        "reprocess",
                        chk.observed_at,
                    )
                    chk.comparison_id = cmp.id
                current, current_doc = version, doc
        elif chk.capture_id is None and current is not None and chk.outcome in ("not_modified", "unchanged"):
            current.last_seen = max(current.last_seen, chk.observed_at)
        chk.version_id = current.id if current is not None else None
        session.add(chk)
    return current, last_capture
