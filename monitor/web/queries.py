"""What the web view reads: one query per list, limited to the page it shows.

Pages never load a version's text or a comparison's changes to list them: the dashboard reads the
operators of one page, their current versions' metadata and their last material change; a timeline
reads one page of versions and the small keys of the comparisons into them; a feed reads the newest
material changes and their fact summaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, case, cast, func, or_
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from monitor.store.queries import VERSION_ORDER, version_numbers
from monitor.store.tables import ComparisonRow, OperatorRow, VersionRow

BAD = ("failed", "suspicious")
_RESULT = ComparisonRow.__table__.c.result  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class LastChange:
    """An operator's last material change."""

    at: datetime
    categories: list[str]
    from_sha256: str
    to_sha256: str
    to_version: int


@dataclass(slots=True)
class OperatorLine:
    op: OperatorRow
    current: VersionRow | None
    current_number: int | None
    versions: int
    last_material: LastChange | None

    @property
    def failing(self) -> bool:
        return self.op.failures > 0 or self.op.last_outcome in BAD


@dataclass(slots=True)
class Listing:
    lines: list[OperatorLine]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_category(category: str) -> Any:
    """A material comparison flagged with ``category`` (its JSON list, read as text on every backend)."""
    return and_(
        col(ComparisonRow.material).is_(True),
        cast(ComparisonRow.categories, Text).like(_like(f'"{category}"'), escape="\\"),
    )


def dashboard(
    session: Session, *, q: str = "", category: str | None = None, page: int = 1, per_page: int = 50
) -> Listing:
    """One page of operators, failing ones first, then by id; ``q`` matches id or name, ``category``
    keeps operators with a material change in that category."""
    where: list[Any] = []
    if q:
        pattern = _like(q.lower())
        where.append(
            or_(
                func.lower(col(OperatorRow.id)).like(pattern, escape="\\"),
                func.lower(col(OperatorRow.name)).like(pattern, escape="\\"),
            )
        )
    if category:  # one pass over the material comparisons, not one per operator
        flagged = columns(col(ComparisonRow.operator_id)).where(has_category(category)).distinct()
        where.append(col(OperatorRow.id).in_(flagged))
    total = int(session.exec(select(func.count()).select_from(OperatorRow).where(*where)).one())
    failing = case((or_(col(OperatorRow.failures) > 0, col(OperatorRow.last_outcome).in_(BAD)), 0), else_=1)
    stmt = (
        select(OperatorRow)
        .where(*where)
        .order_by(failing, col(OperatorRow.id))
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    ops = list(session.exec(stmt))
    ids = [op.id for op in ops]
    current_ids = [op.current_version_id for op in ops if op.current_version_id is not None]
    currents = {v.id: v for v in session.exec(select(VersionRow).where(col(VersionRow.id).in_(current_ids)))}
    numbers = version_numbers(session, current_ids)
    counts = dict(
        session.exec(
            select(VersionRow.operator_id, func.count())
            .where(col(VersionRow.operator_id).in_(ids))
            .group_by(col(VersionRow.operator_id))
        ).all()
    )
    last = last_material(session, ids)
    lines = [
        OperatorLine(
            op=op,
            current=currents.get(op.current_version_id),
            current_number=numbers.get(op.current_version_id or 0),
            versions=int(counts.get(op.id, 0)),
            last_material=last.get(op.id),
        )
        for op in ops
    ]
    return Listing(lines=lines, total=total, page=page, per_page=per_page)


def last_material(session: Session, operator_ids: list[str]) -> dict[str, LastChange]:
    """Each operator's newest material comparison (without its changes)."""
    if not operator_ids:
        return {}
    ranked = (
        columns(
            col(ComparisonRow.operator_id).label("op"),
            col(ComparisonRow.created_at).label("at"),
            col(ComparisonRow.categories).label("categories"),
            col(ComparisonRow.from_version_id).label("from_id"),
            col(ComparisonRow.to_version_id).label("to_id"),
            func.row_number()
            .over(
                partition_by=col(ComparisonRow.operator_id),
                order_by=(col(ComparisonRow.created_at).desc(), col(ComparisonRow.id).desc()),
            )
            .label("n"),
        ).where(col(ComparisonRow.operator_id).in_(operator_ids), col(ComparisonRow.material).is_(True))
    ).subquery()
    rows = list(session.execute(columns(ranked).where(ranked.c.n == 1)))
    digests = _digests(session, [r.from_id for r in rows] + [r.to_id for r in rows])
    numbers = version_numbers(session, [r.to_id for r in rows])
    return {
        r.op: LastChange(
            at=_aware(r.at),
            categories=list(r.categories or []),
            from_sha256=digests.get(r.from_id, ""),
            to_sha256=digests.get(r.to_id, ""),
            to_version=numbers.get(r.to_id, 0),
        )
        for r in rows
    }


def _aware(value: Any) -> datetime:
    """A datetime from a raw column (SQLite gives it naive; every time in the store is UTC)."""
    from monitor.store.tables import UTCDateTime

    out = UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type]
    assert out is not None
    return out


def _digests(session: Session, version_ids: list[int]) -> dict[int, str]:
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    stmt = select(VersionRow.id, VersionRow.sha256).where(col(VersionRow.id).in_(ids))
    return {int(i): s for i, s in session.exec(stmt).all() if i is not None}


# ---------------------------------------------------------------------------------------------
# an operator's timeline


@dataclass(slots=True)
class TimelineEntry:
    version: VersionRow
    number: int
    current: bool
    from_sha256: str | None = None  # the version the recorded change came from
    from_number: int | None = None
    material: bool | None = None
    categories: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    declared_changes: Any = None
    silent_change: str | None = None
    undeclared_categories: list[str] = field(default_factory=list)
    facts_summary: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Timeline:
    entries: list[TimelineEntry]  # newest first
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def timeline(session: Session, op: OperatorRow, *, page: int = 1, per_page: int = 20) -> Timeline:
    """One page of the operator's versions, newest first, each with the comparison that led into it."""
    total = int(
        session.exec(
            select(func.count()).select_from(VersionRow).where(VersionRow.operator_id == op.id)
        ).one()
    )
    offset = (page - 1) * per_page
    stmt = (
        select(VersionRow)
        .where(VersionRow.operator_id == op.id)
        .order_by(*(c.desc() for c in VERSION_ORDER))
        .offset(offset)
        .limit(per_page)
    )
    vs = list(session.exec(stmt))
    entries = [
        TimelineEntry(version=v, number=total - offset - i, current=v.id == op.current_version_id)
        for i, v in enumerate(vs)
    ]
    into = _comparisons_into(session, [v.id for v in vs if v.id is not None])
    from_ids = [row.from_version_id for row in into.values()]
    digests = _digests(session, from_ids)
    numbers = version_numbers(session, from_ids)
    for e in entries:
        row = into.get(e.version.id or 0)
        if row is None:
            continue
        e.from_sha256 = digests.get(row.from_version_id)
        e.from_number = numbers.get(row.from_version_id)
        e.material, e.categories, e.summary = bool(row.material), list(row.categories or []), row.summary
        e.declared_changes = row.declared
        e.silent_change = row.silent
        e.undeclared_categories = list(row.undeclared or [])
        e.facts_summary = list((row.facts or {}).get("summary") or [])
    return Timeline(entries=entries, total=total, page=page, per_page=per_page)


def _comparisons_into(session: Session, version_ids: list[int]) -> dict[int, Any]:
    """The last recorded comparison into each version: its small keys, not its changes."""
    if not version_ids:
        return {}
    stmt = (
        columns(
            col(ComparisonRow.to_version_id),
            col(ComparisonRow.from_version_id),
            col(ComparisonRow.material),
            col(ComparisonRow.categories),
            col(ComparisonRow.summary),
            _RESULT["declared_changes"].label("declared"),
            _RESULT["silent_change"].as_string().label("silent"),
            _RESULT["undeclared_categories"].label("undeclared"),
            _RESULT["facts"].label("facts"),
        )
        .where(col(ComparisonRow.to_version_id).in_(version_ids))
        .order_by(col(ComparisonRow.created_at), col(ComparisonRow.id))
    )
    return {row.to_version_id: row for row in session.execute(stmt)}  # the last one wins


# ---------------------------------------------------------------------------------------------
# feeds


@dataclass(frozen=True, slots=True)
class FeedEntry:
    operator_id: str
    operator_name: str
    at: datetime
    categories: list[str]
    from_sha256: str
    to_sha256: str
    from_number: int
    to_number: int
    facts_summary: list[str]
    summary: dict[str, Any]


def _feed_filter(operator_id: str | None, category: str | None) -> list[Any]:
    where: list[Any] = [col(ComparisonRow.material).is_(True)]
    if operator_id is not None:
        where.append(col(ComparisonRow.operator_id) == operator_id)
    if category is not None:
        where.append(has_category(category))
    return where


def feed_stamp(
    session: Session, operator_id: str | None = None, category: str | None = None
) -> tuple[int, int, datetime | None]:
    """(count, newest id, newest time) of the feed's material changes: its validator, cheap to read."""
    where = _feed_filter(operator_id, category)
    row = session.execute(
        select(func.count(), func.max(col(ComparisonRow.id)), func.max(col(ComparisonRow.created_at))).where(
            *where
        )
    ).one()
    count, newest_id, newest_at = row
    return int(count), int(newest_id or 0), _aware(newest_at) if newest_at is not None else None


def feed_entries(
    session: Session, operator_id: str | None = None, category: str | None = None, limit: int = 50
) -> list[FeedEntry]:
    """The newest material changes (all operators, one, or one category), newest first."""
    stmt = (
        columns(
            col(ComparisonRow.operator_id),
            col(OperatorRow.name),
            col(ComparisonRow.created_at),
            col(ComparisonRow.categories),
            col(ComparisonRow.from_version_id),
            col(ComparisonRow.to_version_id),
            col(ComparisonRow.summary),
            _RESULT["facts"].label("facts"),
        )
        .join(OperatorRow, col(OperatorRow.id) == col(ComparisonRow.operator_id))
        .where(*_feed_filter(operator_id, category))
        .order_by(col(ComparisonRow.created_at).desc(), col(ComparisonRow.id).desc())
        .limit(limit)
    )
    rows = list(session.execute(stmt))
    ids = [r.from_version_id for r in rows] + [r.to_version_id for r in rows]
    digests = _digests(session, ids)
    numbers = version_numbers(session, ids)
    return [
        FeedEntry(
            operator_id=r.operator_id,
            operator_name=r.name,
            at=_aware(r.created_at),
            categories=list(r.categories or []),
            from_sha256=digests.get(r.from_version_id, ""),
            to_sha256=digests.get(r.to_version_id, ""),
            from_number=numbers.get(r.from_version_id, 0),
            to_number=numbers.get(r.to_version_id, 0),
            facts_summary=list((r.facts or {}).get("summary") or []),
            summary=dict(r.summary or {}),
        )
        for r in rows
    ]
