"""The record step of a check: one transaction writes the check row, the raw capture, the version and
its comparison, and the operator's state, then hands what it wrote to :func:`on_recorded` (where alerts
are enqueued, so a crash loses neither without the other). The transaction also sets when the operator
is due next and ends the claim of the worker that checked it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, col, select

from monitor import failpoints
from monitor.alerts import rules as alert
from monitor.store.due import next_due
from monitor.store.queries import version_document
from monitor.store.tables import (
    CaptureRow,
    CheckRow,
    ComparisonRow,
    OperatorRow,
    VersionRow,
    utcnow,
)
from monitor.store.writes import Recorded, save_capture, write_version
from monitor.watch.fetch import FetchResult
from monitor.watch.judge import judge, read_capture
from monitor.watch.record_lite import failed_safely
from monitor.watch.target import CheckReport, Current, LeaseLostError, Target, Verdict

if TYPE_CHECKING:
    from monitor.alerts.rules import AlertPolicy
    from monitor.model import Candidate, Document
    from monitor.store.db import Store
    from monitor.store.raw import RawStore
    from monitor.watch.edited import Compared


def on_recorded(session: Session, rec: Recorded, policy: AlertPolicy | None) -> None:
    """Called inside the check's transaction, after its rows are flushed and before it commits:
    the alerts it raises go to the outbox in the same transaction as the version they report, so
    that a crash can lose neither without the other (:mod:`monitor.alerts.rules`)."""

    alert.enqueue(session, rec, policy)
    failpoints.hit("before-commit")


def current_state(session: Session, op: OperatorRow) -> Current | None:
    """A few columns of the current version (not its text: most checks never need it)."""
    if op.current_version_id is None:
        return None
    stmt = select(
        VersionRow.sha256, VersionRow.characters, VersionRow.extractor, VersionRow.media_type
    ).where(VersionRow.id == op.current_version_id)
    row = session.exec(stmt).first()
    if row is None:
        return None
    digest, characters, extractor, media_type = row
    return Current(op.current_version_id, digest, characters, extractor, op.capture_sha256, media_type)


def current_loader(
    session: Session, raw: RawStore, op: OperatorRow, current: Current, target: Target
) -> Callable[[], Document]:
    """The current version's document with today's extraction: its stored text when that was made
    with the same extraction, else re-read from the raw capture it was last seen in."""

    def load() -> Document:
        if current.extraction != target.extraction_for(current.media_type) and op.capture_sha256:
            cap = session.exec(
                select(CaptureRow).where(
                    CaptureRow.operator_id == op.id, CaptureRow.sha256 == op.capture_sha256
                )
            ).first()
            if cap is not None and raw.has(cap.sha256):
                cand = read_capture(raw.get(cap.sha256), cap.content_type, cap.charset, target, cap.url)
                if not isinstance(cand, str):
                    return cand.doc
        version = session.get(VersionRow, current.version_id)
        assert version is not None
        return version_document(session, version)

    return load


def record(
    session: Session,
    raw: RawStore,
    op: OperatorRow,
    target: Target,
    fetched: FetchResult,
    verdict: Verdict,
    current: Current | None,
) -> CheckReport:
    now = utcnow()
    capture: CaptureRow | None = None
    if fetched.status == "ok" and fetched.body and verdict.outcome in ("changed", "unchanged", "suspicious"):
        media_type = verdict.candidate.media_type if verdict.candidate else "html"
        capture = save_capture(
            session,
            raw,
            op.id,
            fetched.body,
            media_type=media_type,
            url=fetched.final_url or fetched.url,
            content_type=fetched.content_type,
            charset=fetched.charset,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            digest=verdict.raw_sha256 or (verdict.candidate.raw_sha256 if verdict.candidate else None),
        )
    new_version: VersionRow | None = None
    comparison: ComparisonRow | None = None
    if verdict.outcome == "changed" and verdict.candidate is not None:
        cmp = verdict.comparison
        written = write_version(
            session,
            op.id,
            verdict.candidate,
            seen=now,
            extraction=target.extraction_for(verdict.candidate.media_type),
            capture_id=capture.id if capture else None,
            origin="check",
            source=fetched.final_url or fetched.url,
            compare_from=(current.version_id, lambda: cmp)
            if cmp is not None and current is not None
            else None,
        )
        new_version, comparison = written.version, written.comparison
        op.current_version_id = new_version.id
    elif verdict.outcome in ("unchanged", "not_modified") and op.current_version_id is not None:
        session.execute(
            update(VersionRow).where(col(VersionRow.id) == op.current_version_id).values(last_seen=now)
        )
    if verdict.outcome in ("changed", "unchanged") and capture is not None:
        op.capture_sha256 = capture.sha256
        op.etag, op.last_modified = fetched.etag, fetched.last_modified
    previous = op.last_outcome
    op.last_check_at, op.last_outcome, op.last_reason = now, verdict.outcome, verdict.reason
    due = next_due(now, target.interval, target.jitter)
    if due is not None:
        op.next_due_at = due
    if target.lease_owner is not None and op.lease_owner == target.lease_owner:
        op.lease_owner = op.lease_expires_at = None  # the claim ends with the check that made it
    previous_failures = op.failures
    op.failures = op.failures + 1 if verdict.outcome in ("failed", "suspicious") else 0
    session.add(op)
    check = CheckRow(
        operator_id=op.id,
        trigger="check",
        started_at=fetched.started_at,
        observed_at=fetched.started_at,
        elapsed=fetched.elapsed,
        outcome=verdict.outcome,
        reason=verdict.reason,
        http_status=fetched.http_status,
        url=fetched.final_url or fetched.url,
        attempts=fetched.attempts,
        capture_id=capture.id if capture else None,
        version_id=op.current_version_id,
        comparison_id=comparison.id if comparison else None,
    )
    session.add(check)
    session.flush()
    on_recorded(
        session,
        Recorded(
            op,
            check,
            previous,
            new_version,
            comparison,
            previous_failures=previous_failures,
        ),
        target.alerts,
    )
    return CheckReport(
        operator_id=op.id,
        outcome=verdict.outcome,
        reason=verdict.reason,
        http_status=fetched.http_status,
        attempts=fetched.attempts,
        elapsed=fetched.elapsed,
        version_id=op.current_version_id,
        material=comparison.material if comparison else None,
        summary=comparison.summary if comparison else None,
    )


def process(
    store: Store,
    target: Target,
    fetched: FetchResult,
    read: Candidate | str | None = None,
    compared: Compared | None = None,
) -> CheckReport:
    """Judge and record one fetch in one transaction, holding the operator's row lock. The
    transaction also sets the operator's next due time (interval plus jitter) and, for a check made
    under a claim (``target.lease_owner``, by ``policy-monitor run``), ends the claim; a claim that
    passed to another worker meanwhile raises :class:`LeaseLostError` and nothing is written."""
    with store.session() as session, session.begin():
        op = session.get(OperatorRow, target.operator_id, with_for_update=True)
        if target.lease_owner is not None and (op is None or op.lease_owner != target.lease_owner):
            holder = op.lease_owner if op is not None else None
            raise LeaseLostError(
                f"{target.operator_id}: the claim of {target.lease_owner} passed to {holder or 'nobody'}"
            )
        if op is None:
            op = OperatorRow(id=target.operator_id, name=target.name, url=target.url)
            session.add(op)
            session.flush()
        if fetched.status == "ok":
            current = current_state(session, op)
        else:  # nothing to read: whether there is a current version is all judge needs
            held = op.current_version_id is not None
            current = Current(op.current_version_id or 0, "", 0, "", op.capture_sha256) if held else None
        load = current_loader(session, store.raw, op, current, target) if current is not None else _no_current
        verdict = judge(target, fetched, current, load, read, compared)
        report = record(session, store.raw, op, target, fetched, verdict, current)

    failpoints.hit("after-commit")
    return report


def _no_current() -> Document:
    raise AssertionError("no current version to load")


def process_safely(
    store: Store,
    target: Target,
    fetched: FetchResult,
    read: Candidate | str | None = None,
    compared: Compared | None = None,
) -> CheckReport:
    """:func:`process`; an internal error is recorded as a failed check (a lost claim is raised)."""
    try:
        return process(store, target, fetched, read, compared)
    except LeaseLostError:
        raise
    except Exception as exc:  # a bug or a database error: record it and go on with the others
        failed = failed_safely(exc, target, fetched)  # never the statement and its values (a policy)
        try:
            return process(store, target, failed)
        except Exception:
            status, attempts, elapsed = fetched.http_status, fetched.attempts, fetched.elapsed
            return CheckReport(target.operator_id, "failed", failed.reason, status, attempts, elapsed)
