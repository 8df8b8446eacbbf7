"""One check of one operator, as a few plain steps:

    plan    → Target            what to fetch, conditional on the capture we hold   (reads the store)
    fetch   → FetchResult       monitor.fetch                                        (network)
    judge   → Verdict           body → document, sanity checks, compare with current (pure; may ask
                                for the current version's document through a callback)
    record  → CheckReport       check row, capture, version, comparison, operator state: one
                                transaction, ending in :func:`on_recorded`, the place where alerts
                                are enqueued (issue 6) so that a crash cannot lose one

The record step also sets when the operator is due next (its interval plus jitter) and ends the
claim of the worker that checked it (``policy-monitor run``, :mod:`monitor.schedule`).

``run_checks`` runs many checks: fetches concurrently (asyncio), judges and records one at a time in
a worker thread, each in its own transaction holding the operator's row lock.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from monitor.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings
from monitor.raw import sha256
from monitor.tables import (
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
    from monitor.alert import AlertPolicy
    from monitor.model import Comparison, Document
    from monitor.raw import RawStore
    from monitor.store import Store
    from monitor.watchlist import OperatorSpec, Watchlist

Outcome = Literal["changed", "unchanged", "not_modified", "failed", "suspicious"]
OUTCOMES: tuple[Outcome, ...] = ("changed", "unchanged", "not_modified", "failed", "suspicious")
_EXTRACTION_MODULES = ("extract", "segment", "normalize", "meta", "document")


@functools.cache
def extractor_code() -> str:
    """Fingerprint of the code that turns bytes into a document's text."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _EXTRACTION_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    return h.hexdigest()[:16]


def extraction_key(selector: str | None, remove: str | None, encoding: str | None) -> str:
    """Fingerprint of the extraction code and an operator's settings: equal keys give equal text."""
    raw = "\x1f".join([extractor_code(), selector or "", remove or "", (encoding or "").lower()])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# the values the steps hand each other


@dataclass(frozen=True, slots=True)
class Target:
    operator_id: str
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    selector: str | None = None
    remove: str | None = None
    encoding: str | None = None
    interval: float | None = None  # seconds between checks: sets the operator's next_due_at
    alerts: AlertPolicy | None = None  # what this operator's checks alert on (None: nothing)
    # scheduling by `policy-monitor run` (monitor.schedule): up to this share of ``interval`` is added
    # at random to the next due time, and the worker that claimed the operator; a check that carries
    # a claim records only while the claim is still its own, and ends it in the same transaction
    jitter: float = 0.0
    lease_owner: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def extraction(self) -> str:
        return self.extraction_for("html")

    def extraction_for(self, media_type: str) -> str:
        """CSS selectors apply to HTML only: a text capture's key ignores them."""
        if media_type == "html":
            return extraction_key(self.selector, self.remove, self.encoding)
        return extraction_key(None, None, self.encoding)

    def for_media(self, media_type: str) -> Target:
        if media_type == "html" or (self.selector is None and self.remove is None):
            return self
        return replace(self, selector=None, remove=None)

    def request(self) -> FetchRequest:
        return FetchRequest(self.url, self.headers, etag=self.etag, last_modified=self.last_modified)

    @classmethod
    def of(cls, spec: OperatorSpec, watchlist: Watchlist, op: OperatorRow | None = None) -> Target:
        from monitor.alert import AlertPolicy

        held = op is not None and op.current_version_id is not None and op.capture_sha256 is not None
        return cls(
            operator_id=spec.id,
            name=spec.name,
            url=spec.url,
            headers=watchlist.headers(spec),
            selector=spec.selector,
            remove=spec.remove,
            encoding=spec.encoding,
            interval=watchlist.interval(spec),
            alerts=AlertPolicy.of(spec, watchlist),
            etag=op.etag if held and op is not None else None,
            last_modified=op.last_modified if held and op is not None else None,
        )


class LeaseLostError(Exception):
    """The operator's claim passed to another worker while this one fetched (its lease expired, or
    it was taken as dead): the other worker checks it, so this result is dropped, not recorded."""


@dataclass(frozen=True, slots=True)
class Current:
    """The operator's current version, as far as judging a new capture needs it."""

    version_id: int
    sha256: str
    characters: int
    extraction: str
    capture_sha256: str | None
    media_type: str = "html"


@dataclass(slots=True)
class Candidate:
    """A body read as a document."""

    doc: Document
    lines: list[str]
    media_type: str
    encoding: str
    html_title: str | None
    raw_sha256: str


@dataclass(slots=True)
class Verdict:
    outcome: Outcome
    reason: str | None = None
    candidate: Candidate | None = None
    comparison: Comparison | None = None  # None for a first version
    raw_sha256: str | None = None  # of the body, when already computed


@dataclass(frozen=True, slots=True)
class CheckReport:
    operator_id: str
    outcome: Outcome
    reason: str | None = None
    http_status: int | None = None
    attempts: int = 0
    elapsed: float = 0.0
    version: int | None = None  # number of the current version after the check
    version_sha256: str | None = None
    version_id: int | None = None
    material: bool | None = None
    summary: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "operator": self.operator_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "http_status": self.http_status,
            "attempts": self.attempts,
            "elapsed": round(self.elapsed, 3),
            "version": self.version,
            "sha256": self.version_sha256,
            "material": self.material,
            "summary": self.summary,
        }


@dataclass(slots=True)
class Recorded:
    """What one transaction wrote: handed to :func:`on_recorded` before it commits."""

    operator: OperatorRow
    check: CheckRow
    previous_outcome: str | None
    version: VersionRow | None = None  # the new version (outcome changed), else None
    comparison: ComparisonRow | None = None  # from the previous current version to ``version``
    alert: bool = True  # False for imports and reprocessing: history, not news
    policy: AlertPolicy | None = None  # the operator's trigger settings
    previous_failures: int = 0  # consecutive bad checks before this one


def on_recorded(session: Session, rec: Recorded) -> None:
    """Called inside the check's transaction, after its rows are flushed and before it commits:
    the alerts it raises go to the outbox in the same transaction as the version they report, so
    that a crash can lose neither without the other (:mod:`monitor.alert`)."""
    from monitor import alert, failpoints

    alert.enqueue(session, rec, rec.policy)
    failpoints.hit("before-commit")


# ---------------------------------------------------------------------------------------------
# plan


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


def plan(store: Store, watchlist: Watchlist, ids: Iterable[str] = ()) -> list[Target]:
    specs = watchlist.select(list(ids))
    with store.session() as session, session.begin():
        rows = sync_operators(session, watchlist)
        return [Target.of(spec, watchlist, rows.get(spec.id)) for spec in specs]


# ---------------------------------------------------------------------------------------------
# judge


def read_capture(
    body: bytes, content_type: str | None, charset: str | None, target: Target, source: str | None = None
) -> Candidate | str:
    """Extract and parse a body; a string is the reason it is not a usable capture."""
    from monitor import vet
    from monitor.document import parse_extracted
    from monitor.extract import ExtractError, extract, sniff_media_type

    media_type = sniff_media_type(body, content_type)
    reason = vet.check_body(body, content_type, media_type)
    if reason:
        return reason
    target = target.for_media(media_type)
    src = source or target.url
    try:
        ex = extract(
            body,
            media_type=media_type,
            encoding=target.encoding,
            header_charset=charset,
            selector=target.selector,
            remove=target.remove,
            source=src,
        )
    except ExtractError as exc:
        return str(exc).removeprefix(f"{src}: ")
    doc = parse_extracted(ex, src)
    if not any(c.norm for c in doc.clauses()):
        return "no text found" + (f" under {target.selector!r}" if target.selector else "")
    return Candidate(
        doc=doc,
        lines=ex.lines,
        media_type=ex.media_type,
        encoding=ex.encoding,
        html_title=ex.html_title,
        raw_sha256=sha256(body),
    )


def judge(
    target: Target, fetched: FetchResult, current: Current | None, load_current: Callable[[], Document]
) -> Verdict:
    """Decide what a fetch means. ``load_current`` gives the current version's document, read with
    today's extraction, and is called only when the new text differs from the stored one."""
    from monitor import vet

    if fetched.status == "failed":
        return Verdict("failed", fetched.reason)
    if fetched.status == "truncated":
        return Verdict("suspicious", fetched.reason)
    if fetched.status == "not_modified":
        if current is None:
            return Verdict("failed", "HTTP 304 for a page we hold no capture of")
        return Verdict("not_modified")
    from monitor.extract import sniff_media_type

    reason = vet.check_body(
        fetched.body, fetched.content_type, sniff_media_type(fetched.body, fetched.content_type)
    )
    if reason:
        return Verdict("suspicious", reason)
    digest = sha256(fetched.body)
    if current is not None and current.capture_sha256 == digest:
        return Verdict("unchanged", "same bytes as the last capture", raw_sha256=digest)
    cand = read_capture(fetched.body, fetched.content_type, fetched.charset, target, fetched.final_url)
    if isinstance(cand, str):
        return Verdict("suspicious", cand)
    reason = vet.check_document(cand.doc, fetched.body, current.characters if current else None)
    if reason:
        return Verdict("suspicious", reason, candidate=cand)
    if current is None:
        return Verdict("changed", "first version", candidate=cand)
    if cand.doc.sha256 == current.sha256:
        return Verdict("unchanged", candidate=cand)
    old = load_current()
    if old.sha256 == cand.doc.sha256:
        return Verdict(
            "unchanged",
            f"differs from the stored text only by extraction "
            f"(run `policy-monitor reprocess {target.operator_id}`)",
            candidate=cand,
        )
    from monitor.compare import compare

    return Verdict("changed", candidate=cand, comparison=compare(old, cand.doc))


# ---------------------------------------------------------------------------------------------
# record


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
    from monitor.store import version_document

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
) -> VersionRow:
    """Insert a version and its clauses (or return the row already holding this text)."""
    doc = cand.doc
    existing = session.exec(
        select(VersionRow).where(VersionRow.operator_id == operator_id, VersionRow.sha256 == doc.sha256)
    ).first()
    if existing is not None:
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
        session.execute(insert(ClauseRow), rows)  # one executemany, not an ORM object per clause
    return v


def add_comparison(
    session: Session,
    operator_id: str,
    from_id: int,
    to_id: int,
    cmp: Comparison,
    origin: str,
    at: datetime | None = None,
) -> ComparisonRow:
    from monitor.compare import summary, to_json

    s = summary(cmp)
    row = ComparisonRow(
        operator_id=operator_id,
        from_version_id=from_id,
        to_version_id=to_id,
        origin=origin,
        material=cmp.material,
        categories=sorted(s["categories"]),
        summary=s,
        result=to_json(cmp),
        created_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def version_number(session: Session, v: VersionRow) -> int:
    earlier = (col(VersionRow.first_seen) < v.first_seen) | (
        (col(VersionRow.first_seen) == v.first_seen) & (col(VersionRow.id) <= v.id)
    )
    stmt = (
        select(func.count()).select_from(VersionRow).where(VersionRow.operator_id == v.operator_id, earlier)
    )
    return int(session.exec(stmt).one())


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
        new_version = add_version(
            session,
            op.id,
            verdict.candidate,
            seen=now,
            extraction=target.extraction_for(verdict.candidate.media_type),
            capture_id=capture.id if capture else None,
            origin="fetch",
            source=fetched.final_url or fetched.url,
        )
        if verdict.comparison is not None and current is not None:
            comparison = add_comparison(
                session, op.id, current.version_id, new_version.id or 0, verdict.comparison, "check", now
            )
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
    if target.interval is not None:
        from monitor.schedule import next_interval

        op.next_due_at = now + timedelta(seconds=next_interval(target.interval, target.jitter))
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
            policy=target.alerts,
            previous_failures=previous_failures,
        ),
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


def process(store: Store, target: Target, fetched: FetchResult) -> CheckReport:
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
        verdict = judge(target, fetched, current, load)
        report = record(session, store.raw, op, target, fetched, verdict, current)
    from monitor import failpoints

    failpoints.hit("after-commit")
    return report


def _no_current() -> Document:
    raise AssertionError("no current version to load")


def process_safely(store: Store, target: Target, fetched: FetchResult) -> CheckReport:
    """:func:`process`; an internal error is recorded as a failed check (a lost claim is raised)."""
    try:
        return process(store, target, fetched)
    except LeaseLostError:
        raise
    except Exception as exc:  # a bug or a database error: record it and go on with the others
        reason = f"internal error: {type(exc).__name__}: {exc}"
        print(f"policy-monitor: {target.operator_id}: {reason}", file=sys.stderr)
        try:
            failed = FetchResult(
                "failed",
                fetched.url,
                http_status=fetched.http_status,
                reason=reason,
                attempts=fetched.attempts,
                started_at=fetched.started_at,
                elapsed=fetched.elapsed,
            )
            return process(store, target, failed)
        except Exception:
            return CheckReport(
                target.operator_id, "failed", reason, fetched.http_status, fetched.attempts, fetched.elapsed
            )


# ---------------------------------------------------------------------------------------------
# many checks


async def run_checks(
    store: Store,
    targets: list[Target],
    settings: FetchSettings,
    on_done: Callable[[CheckReport], None] | None = None,
) -> list[CheckReport]:
    """Fetch concurrently; judge and record one check at a time in a worker thread. Reports come in
    the order of ``targets``; fetches go round-robin over hosts, so that waiting for one host's
    politeness delay does not hold up the others."""
    loop = asyncio.get_running_loop()
    window = asyncio.Semaphore(settings.concurrency * 8)  # bounds bodies waiting to be judged
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policy-monitor-record") as pool:
        async with Fetcher(settings) as fetcher:

            async def one(target: Target) -> CheckReport:
                async with window:
                    fetched = await fetcher.fetch(target.request())
                    report = await loop.run_in_executor(pool, process_safely, store, target, fetched)
                if on_done is not None:
                    on_done(report)
                return report

            order = interleave_hosts(targets)
            done = await asyncio.gather(*(one(targets[i]) for i in order))
            reports: list[CheckReport | None] = [None] * len(targets)
            for i, report in zip(order, done, strict=True):
                reports[i] = report
            return [r for r in reports if r is not None]


def interleave_hosts(targets: list[Target]) -> list[int]:
    """Indexes of ``targets`` taking one per host in turn: a, b, c, a, b, a …"""
    by_host: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        by_host.setdefault((urlsplit(t.url).hostname or "").lower(), []).append(i)
    queues = list(by_host.values())
    order: list[int] = []
    depth = 0
    while len(order) < len(targets):
        order.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return order


def number_versions(store: Store, reports: list[CheckReport]) -> list[CheckReport]:
    """Fill in the reports' version numbers (1, 2 … per operator, by first seen) and digests: one query."""
    ids = sorted({r.operator_id for r in reports if r.version_id is not None})
    if not ids:
        return reports
    stmt = (
        select(VersionRow.id, VersionRow.operator_id, VersionRow.sha256)
        .where(col(VersionRow.operator_id).in_(ids))
        .order_by(col(VersionRow.operator_id), col(VersionRow.first_seen), col(VersionRow.id))
    )
    seq: dict[int, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    with store.session() as session:
        for vid, op_id, digest in session.exec(stmt):
            counts[op_id] = counts.get(op_id, 0) + 1
            seq[vid or 0] = (counts[op_id], digest)
    out = []
    for r in reports:
        if r.version_id is not None and r.version_id in seq:
            n, digest = seq[r.version_id]
            r = replace(r, version=n, version_sha256=digest)
        out.append(r)
    return out


def check(
    store: Store,
    watchlist: Watchlist,
    ids: Iterable[str] = (),
    settings: FetchSettings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[CheckReport], None] | None = None,
) -> list[CheckReport]:
    """``policy-monitor check``: one cycle over the named operators (all when none is named)."""
    targets = plan(store, watchlist, ids)
    if on_start is not None:
        on_start(len(targets))
    settings = settings or FetchSettings.from_config(watchlist.fetch)
    return number_versions(store, asyncio.run(run_checks(store, targets, settings, on_done)))
