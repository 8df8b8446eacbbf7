"""The record step of a page read in a reader process, on a SQLite store opened without SQLAlchemy
(:mod:`monitor.store.lite`): the same transaction as :func:`monitor.watch.record.process`, made with
``sqlite3`` (:mod:`monitor.store.lite_writes`), for the two cases edited and first cycles are made of.

It takes a check when ``check`` opened the store lite, the check holds no claim (``run`` takes
claims, and has no lite store), and a reader process read the body and, when the operator holds a
version, compared it with that version (:mod:`monitor.watch.edited`). In one ``BEGIN IMMEDIATE``
transaction it reads the operator's row and its current version's columns, judges
(:func:`monitor.watch.judge.judge`, pure), and, when the verdict is a new version (a first one, or one
with that comparison), writes what :func:`monitor.watch.record.record` writes: the capture, the
version with its text and clauses, the comparison, the check, the operator's state and the alerts it
raises (:mod:`monitor.alerts.rules`), then commits. Anything else (no operator row, the comparison no
longer usable, another verdict) rolls back and returns None: the check then goes the full way
through SQLAlchemy, as before. An error is recorded as the full way records one
(:func:`failed_safely`). A crash loses what it would lose the full way: the transaction, whole.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor import failpoints
from monitor.alerts import rules
from monitor.store import lite, lite_writes
from monitor.store.due import next_due
from monitor.watch.fetch import FetchResult
from monitor.watch.judge import judge
from monitor.watch.target import CheckReport, Current, Target

if TYPE_CHECKING:
    import sqlite3

    from monitor.compare.summarised import Summarised
    from monitor.model import Candidate, Document
    from monitor.store.db import Store
    from monitor.store.raw import RawStore
    from monitor.watch.edited import Compared


class NotHere(Exception):
    """This check needs the full way: nothing was written."""


def takes(
    store: Store, target: Target, fetched: FetchResult, read: object, compared: Compared | None
) -> bool:
    """Whether :func:`process` may record this check (it may still hand it back): a body read in a
    reader process and, for an operator that holds a version, compared there with it."""
    if store.lite is None or target.lease_owner is not None or fetched.status != "ok":
        return False
    if read is None or isinstance(read, str):
        return False
    if target.held is None:  # a first version: nothing to compare
        return True
    return compared is not None and compared.comparison is not None


def process(
    store: Store, target: Target, fetched: FetchResult, read: Candidate, compared: Compared | None
) -> CheckReport | None:
    """Judge and record one page in one transaction; None when it must go the full way."""
    conn = store.lite
    assert conn is not None
    try:
        with lite.transaction(conn):
            report = _judge_and_record(conn, store.raw, target, fetched, read, compared)
            failpoints.hit("before-commit")
    except NotHere:
        return None
    failpoints.hit("after-commit")
    return report


def failure_reason(exc: BaseException) -> str:
    """How the full way names an error it records as a failed check (never the SQL and its values)."""
    from monitor.store.db import db_error  # deferred: only on a failure

    short = db_error(exc)
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"database error: {short}" if short else f"internal error: {type(exc).__name__}: {first}"


def failed_safely(exc: BaseException, target: Target, fetched: FetchResult) -> FetchResult:
    """The failed fetch the full way records for ``exc`` (the error said once on stderr)."""
    reason = failure_reason(exc)
    print(f"policy-monitor: {target.operator_id}: {reason}", file=sys.stderr)
    return FetchResult(
        "failed",
        fetched.url,
        http_status=fetched.http_status,
        reason=reason,
        attempts=fetched.attempts,
        started_at=fetched.started_at,
        elapsed=fetched.elapsed,
    )


def _not_here() -> Document:
    raise NotHere("the current version must be loaded: the comparison made in the reader is stale")


def _judge_and_record(
    conn: sqlite3.Connection,
    raw: RawStore,
    target: Target,
    fetched: FetchResult,
    read: Candidate,
    compared: Compared | None,
) -> CheckReport:
    op_id = target.operator_id
    held = lite_writes.operator_row(conn, op_id)
    if held is None:
        raise NotHere("no operator row")
    current = None
    if held.current_version_id is not None:
        columns = lite_writes.version_columns(conn, held.current_version_id)
        if columns is None:
            raise NotHere("the current version is gone")
        current = Current(held.current_version_id, *columns[:3], held.capture_sha256, columns[3])
    verdict = judge(target, fetched, current, _not_here, read, compared)
    cand = verdict.candidate
    if verdict.outcome != "changed" or cand is None or (current is None) != (verdict.comparison is None):
        raise NotHere(f"verdict {verdict.outcome}")
    stored = _summarised(verdict.comparison) if verdict.comparison is not None else None
    now = datetime.now(UTC)
    url = fetched.final_url or fetched.url
    capture_id, capture_sha = lite_writes.save_capture(
        conn,
        raw,
        op_id,
        fetched.body,
        media_type=cand.media_type,
        url=url,
        content_type=fetched.content_type,
        charset=fetched.charset,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        digest=verdict.raw_sha256 or cand.raw_sha256,
        now=now,
    )
    extraction = target.extraction_for(cand.media_type)
    version_id = lite_writes.add_version(
        conn, op_id, cand, seen=now, extraction=extraction, capture_id=capture_id, source=url
    )
    comparison_id, compared_row = None, None  # the comparison stored into this version, if any
    if current is not None and stored is not None and version_id != current.version_id:
        comparison_id = lite_writes.add_comparison(conn, op_id, current.version_id, version_id, stored, now)
        categories = tuple(sorted(stored.summary["categories"]))
        compared_row = rules.Compared(
            current.version_id, version_id, stored.material, categories, stored.result
        )
    state: dict[str, object] = {
        "current_version_id": version_id,
        "capture_sha256": capture_sha,
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
        "last_check_at": now,
        "last_outcome": verdict.outcome,
        "last_reason": verdict.reason,
        "failures": 0,
    }
    due = next_due(now, target.interval, target.jitter)
    if due is not None:
        state["next_due_at"] = due
    check = {
        "operator_id": op_id,
        "trigger": "check",
        "started_at": fetched.started_at,
        "observed_at": fetched.started_at,
        "elapsed": fetched.elapsed,
        "outcome": verdict.outcome,
        "reason": verdict.reason,
        "http_status": fetched.http_status,
        "url": url,
        "attempts": fetched.attempts,
        "capture_id": capture_id,
        "version_id": version_id,
        "comparison_id": comparison_id,
    }
    check_id = lite_writes.add_check(conn, check)
    if target.alerts is not None:
        subject = rules.Subject(
            operator={"id": op_id, "name": held.name, "url": held.url},
            current_version_id=version_id,
            failures=0,
            failure_alerted=held.failure_alerted,
            previous_failures=held.failures,
            outcome=verdict.outcome,
            reason=verdict.reason,
            http_status=fetched.http_status,
            observed_at=fetched.started_at,
            comparison=compared_row,
        )
        state["failure_alerted"] = _enqueue(conn, subject, target.alerts, check_id)
    lite_writes.update_operator(conn, op_id, state)
    return CheckReport(
        operator_id=op_id,
        outcome=verdict.outcome,
        reason=verdict.reason,
        http_status=fetched.http_status,
        attempts=fetched.attempts,
        elapsed=fetched.elapsed,
        version_id=version_id,
        material=compared_row.material if compared_row is not None else None,
        summary=stored.summary if compared_row is not None and stored is not None else None,
    )


def _enqueue(
    conn: sqlite3.Connection, subject: rules.Subject, policy: rules.AlertPolicy, check_id: int
) -> bool:
    """:func:`monitor.alerts.rules.enqueue` on this connection; the operator's failure-alert flag
    after it."""
    events = rules.decide(subject.facts(), policy)
    if not events:
        return subject.failure_alerted
    numbers = {vid: n for vid, (n, _) in lite.version_numbers(conn, subject.version_ids()).items()}
    raised, alerted = rules.raise_alerts(
        subject, events, policy, numbers, _no_failure, lambda vid: lite_writes.version_digest(conn, vid)
    )
    rows = [(a.id, channel, a.event, a.payload) for a in raised for channel in a.channels]
    lite_writes.add_alerts(conn, subject.operator["id"], check_id, subject.observed_at, rows)
    return alerted


def _no_failure() -> str | None:
    raise AssertionError("a new version raises no failure alert")


def _summarised(cmp: object) -> Summarised:
    from monitor.compare.summarised import Summarised  # light: no module of the compare stage

    assert isinstance(cmp, Summarised)  # a reader's comparison is what this path takes
    return cmp
