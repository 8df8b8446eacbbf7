"""The store: a SQL database (sqlmodel/SQLAlchemy, migrated with Alembic) and the raw captures.

``open_store(None)`` is SQLite at ``snapshots/monitor.db`` (WAL mode) with raw captures in
``snapshots/raw``; any SQLAlchemy URL works (``postgresql+psycopg://…``). Opening a store upgrades
its schema in place to the latest migration.

Versions are numbered per operator 1, 2, 3 … in the order they were first seen (an imported older
version takes its place by its date). A version is named by that number, ``latest``/``current``,
``previous``, a negative number (``-1`` the last), a date (the version current on that day) or a
prefix of its SHA-256.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from monitor import timefmt
from monitor.errors import UserError
from monitor.store.db import Store, open_store, resolve_url
from monitor.store.stored_doc import document_of
from monitor.store.tables import CheckRow, ComparisonRow, OperatorRow, VersionRow, VersionTextRow
from monitor.watchlist import WatchlistError
from monitor.watchlist import load as load_watchlist

if TYPE_CHECKING:
    from monitor.model import Document


VERSION_ORDER = (col(VersionRow.first_seen), col(VersionRow.id))  # how versions are numbered


class UnknownVersionError(UserError):
    pass


# ---------------------------------------------------------------------------------------------
# migrations


# ---------------------------------------------------------------------------------------------
# operators and versions


def operator_ids(session: Session) -> list[str]:
    return list(session.exec(select(OperatorRow.id).order_by(OperatorRow.id)))


def get_operator(session: Session, operator_id: str, known: list[str] | None = None) -> OperatorRow:
    """The operator's row; an unknown id is a :class:`UserError` listing the known ones."""
    row = session.get(OperatorRow, operator_id)
    if row is None:
        names = sorted(set(known or []) | set(operator_ids(session)))
        raise UserError(f"unknown operator {operator_id!r} (known: {', '.join(names) or 'none'})")
    return row


def versions(session: Session, operator_id: str) -> list[VersionRow]:
    """The operator's versions, oldest first: version n is ``versions(...)[n - 1]``."""
    stmt = select(VersionRow).where(VersionRow.operator_id == operator_id).order_by(*VERSION_ORDER)
    return list(session.exec(stmt))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def resolve_version(session: Session, operator: OperatorRow, spec: str | None = None) -> VersionRow:
    """A version named by number, ``latest``/``current``, ``previous``, ``-N``, a date or a SHA-256 prefix."""
    vs = versions(session, operator.id)
    if not vs:
        raise UnknownVersionError(
            f"{operator.id} has no stored version yet (run `policy-monitor check {operator.id}`)"
        )
    by_id = {v.id: v for v in vs}
    current = by_id.get(operator.current_version_id) or vs[-1]
    token = (spec or "current").strip().lower()
    if re.fullmatch(r"v\d+", token):
        token = token[1:]
    if token in ("current", "latest", "head"):
        found: VersionRow | None = current
    elif token == "previous":
        found = previous_version(session, current, vs)
    else:
        found = _by_number(vs, token) or _by_date(vs, token) or _by_digest(vs, token)
    if found is None:
        listing = ", ".join(f"{i} ({v.first_seen:%Y-%m-%d} {v.sha256[:8]})" for i, v in enumerate(vs, 1))
        raise UnknownVersionError(
            f"unknown version {spec!r} of {operator.id} (versions: {listing}; or latest, previous)"
        )
    return found


def _by_number(vs: list[VersionRow], token: str) -> VersionRow | None:
    """``3`` (the third) or ``-1`` (the last); not a date, not a long digit run (a digest prefix)."""
    if not re.fullmatch(r"-?\d+", token) or _DATE.fullmatch(token) or len(token.lstrip("-")) >= 7:
        return None
    n = int(token)
    if 1 <= n <= len(vs):
        return vs[n - 1]
    return vs[n] if -len(vs) <= n <= -1 else None


def _by_date(vs: list[VersionRow], token: str) -> VersionRow | None:
    """The version current at the end of that day."""
    if not _DATE.fullmatch(token):
        return None
    try:
        day_end = datetime.combine(datetime.fromisoformat(token).date(), time.max, tzinfo=UTC)
    except ValueError:
        return None
    seen = [v for v in vs if v.first_seen <= day_end]
    return seen[-1] if seen else None


def _by_digest(vs: list[VersionRow], token: str) -> VersionRow | None:
    """The one version whose SHA-256 starts with ``token`` (4 hex digits or more)."""
    if not re.fullmatch(r"[0-9a-f]{4,64}", token):
        return None
    hits = [v for v in vs if v.sha256.startswith(token)]
    return hits[0] if len(hits) == 1 else None


def previous_version(
    session: Session, version: VersionRow, vs: list[VersionRow] | None = None
) -> VersionRow | None:
    """The version that was current before ``version``: the last recorded change into it, else the one
    before it in order."""
    stmt = (
        select(ComparisonRow)
        .where(ComparisonRow.to_version_id == version.id)
        .order_by(col(ComparisonRow.created_at).desc(), col(ComparisonRow.id).desc())
    )
    cmp = session.exec(stmt).first()
    if cmp is not None:
        prev = session.get(VersionRow, cmp.from_version_id)
        if prev is not None:
            return prev
    vs = vs if vs is not None else versions(session, version.operator_id)
    i = [v.id for v in vs].index(version.id)
    return vs[i - 1] if i > 0 else None


def version_text(session: Session, version_id: int) -> str:
    row = session.get(VersionTextRow, version_id)
    return row.text if row is not None else ""


def version_document(session: Session, version: VersionRow, seq: int | None = None) -> Document:
    """Rebuild the :class:`Document` of a stored version from its extracted lines (no network, no raw)."""
    return document_of(
        version.operator_id,
        version.sha256,
        version.encoding,
        version.media_type,
        version.html_title,
        version_text(session, version.id or 0),
        seq,
    )


def load_version_document(
    store: Store, operator_id: str, version: str | None = None, known: list[str] | None = None
) -> Document:
    """The document of one stored version (``show OPERATOR [VERSION]``); unknown names are UserErrors."""
    with store.session() as session:
        op = get_operator(session, operator_id, known)
        v = resolve_version(session, op, version)
        return version_document(session, v, version_number(session, v.id))


def operator_document(
    db: str | None, watchlist: Path, name: str, version: str | None = None
) -> Document | None:
    """For ``show NAME [VERSION]`` when NAME is not a file: the stored version's document when NAME is
    a watched or stored operator; None when NAME has a file suffix (the caller reports the missing
    file); otherwise a UserError listing the known operators."""

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return None
    known: list[str] = []
    if watchlist.is_file():
        try:
            known = load_watchlist(watchlist).ids
        except WatchlistError:
            known = []
    url = resolve_url(db)
    no_db = url.startswith("sqlite:///") and not Path(make_url(url).database or "").exists()
    if name not in known and no_db:
        names = ", ".join(known) or "none"
        raise UserError(f"{name}: no such file, nor a known operator (operators: {names})")
    store = open_store(db, create=False)
    try:
        with store.session() as session:
            if name not in known and session.get(OperatorRow, name) is None:
                names = ", ".join(sorted(set(known) | set(operator_ids(session)))) or "none"
                raise UserError(f"{name}: no such file, nor a known operator (operators: {names})")
        return load_version_document(store, name, version, known)
    finally:
        store.dispose()


def version_json(v: VersionRow, number: int, current: bool) -> dict[str, Any]:
    """A stored version as ``history --format json`` and the web view's timeline show it."""
    return {
        "version": number,
        "current": current,
        "sha256": v.sha256,
        "first_seen": timefmt.iso(v.first_seen),
        "last_seen": timefmt.iso(v.last_seen),
        "title": v.title,
        "updated": v.updated,
        "effective": v.effective,
        "characters": v.characters,
        "clauses": v.clauses,
        "origin": v.origin,
        "source": v.source,
    }


def last_checks(session: Session, operator_id: str, limit: int = 20) -> list[CheckRow]:
    stmt = (
        select(CheckRow)
        .where(CheckRow.operator_id == operator_id)
        .order_by(col(CheckRow.started_at).desc(), col(CheckRow.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


def comparison_into(session: Session, version_id: int) -> ComparisonRow | None:
    """The last recorded comparison that led to this version."""
    stmt = (
        select(ComparisonRow)
        .where(ComparisonRow.to_version_id == version_id)
        .order_by(col(ComparisonRow.created_at).desc(), col(ComparisonRow.id).desc())
    )
    return session.exec(stmt).first()


# ---------------------------------------------------------------------------------------------
# version numbers: the one definition


def version_numbers(session: Session, version_ids: Iterable[int]) -> dict[int, int]:
    """The numbers of these versions: 1, 2, 3 … per operator in the order first seen (ties by id),
    the order of :func:`versions`. Every command and every alert numbers versions with this query."""
    ids = sorted({i for i in version_ids if i is not None})
    numbers: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        owners = select(VersionRow.operator_id).where(col(VersionRow.id).in_(chunk))
        seq = (
            select(
                VersionRow.id,
                func.row_number()
                .over(partition_by=col(VersionRow.operator_id), order_by=VERSION_ORDER)
                .label("n"),
            ).where(col(VersionRow.operator_id).in_(owners))
        ).subquery()
        stmt = select(seq.c.id, seq.c.n).where(seq.c.id.in_(chunk))
        numbers.update({int(vid): int(n) for vid, n in session.execute(stmt)})
    return numbers


def version_number(session: Session, version_id: int | None) -> int | None:
    """The number of one version (see :func:`version_numbers`); None for no or an unknown version."""
    if version_id is None:
        return None
    return version_numbers(session, [version_id]).get(version_id)
