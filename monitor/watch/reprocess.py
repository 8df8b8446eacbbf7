"""``reprocess``: rebuild an operator's versions from its raw captures when extraction improves or a
selector changes, without ever losing a stored version no capture backs any more (unless pruned).
No alerts: differences that come only from the extractor are not news."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from monitor.compare.comparison import compare
from monitor.errors import UserError
from monitor.model import Candidate
from monitor.store.queries import get_operator, operator_ids, version_document, versions
from monitor.store.tables import CaptureRow, CheckRow, ClauseRow, ComparisonRow, VersionRow, VersionTextRow
from monitor.store.writes import add_comparison, write_version
from monitor.timefmt import iso
from monitor.timefmt import text as when
from monitor.watch import vet
from monitor.watch.backfill import target_row
from monitor.watch.judge import read_capture

if TYPE_CHECKING:
    from monitor.model import Document
    from monitor.store.db import Store
    from monitor.watch.target import Target
    from monitor.watchlist import Watchlist


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
        op, target = target_row(session, watchlist, operator_id)
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
