"""Atom feeds (RFC 4287) of material changes: all operators, one operator, one category.

Each entry is one material comparison: its id a UUID derived from the operator and the two versions'
digests (the same entry on every request and every host), its link the stable diff page, its summary
the delta of the privacy facts (``fact_delta.summary_lines``). A feed's validators are read before it
is built (count, newest id and time of its changes: one indexed query), so a feed reader polling
with ``If-None-Match`` or ``If-Modified-Since`` gets a 304 without the entries being read, and a
feed is built once per change of its validator (then served from memory).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from monitor.alerts import links
from monitor.compare.render_common import CATEGORY_ZH
from monitor.store.queries import get_operator
from monitor.web import queries
from monitor.web.app import NotFoundError, code_version, templates, web_of

ENTRIES = 50
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
NAMESPACE = uuid.UUID("6f1b9a52-3c1e-4d0e-9f57-2f7d1f0c8a11")  # policy-monitor's UUID namespace
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def all_changes(request: Request) -> Response:
    category = request.query_params.get("category") or None
    return _feed(request, None, _category(category))


def category_changes(request: Request) -> Response:
    return _feed(request, None, _category(request.path_params["category"]))


def operator_changes(request: Request) -> Response:
    web = web_of(request)
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
    category = request.query_params.get("category") or None
    return _feed(request, (op.id, op.name), _category(category))


def _category(category: str | None) -> str | None:
    if category is not None and category not in CATEGORY_ZH:
        raise NotFoundError(f"unknown category {category!r} (known: {', '.join(CATEGORY_ZH)})")
    return category


def _feed(request: Request, operator: tuple[str, str] | None, category: str | None) -> Response:
    web = web_of(request)
    op_id = operator[0] if operator else None
    with web.store.session() as session:
        count, newest_id, newest_at = queries.feed_stamp(session, op_id, category)
        scope = f"{op_id or '*'}/{category or '*'}"
        tag = hashlib.sha256(f"{scope}:{count}:{newest_id}".encode()).hexdigest()[:24]
        etag = f'"{tag}"'
        updated = (newest_at or EPOCH).replace(microsecond=0)
        headers = {
            "ETag": etag,
            "Last-Modified": format_datetime(updated, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if _not_modified(request, etag, updated):
            return Response(status_code=304, headers=headers)
    base = web.base(request)

    def build() -> str:
        with web.store.session() as session:
            entries = queries.feed_entries(session, op_id, category, ENTRIES)
        template = templates().get_template("feed.atom.j2")
        body: str = template.render(
            feed=_feed_head(request, base, scope, operator, category, updated),
            entries=[_entry(base, e) for e in entries],
            category_zh=CATEGORY_ZH,
        )
        return body

    key = (etag, base, request.url.path, request.query_params.get("category") or "")
    return Response(web.feed(key, build), headers=headers, media_type=MEDIA_TYPE)


def _not_modified(request: Request, etag: str, updated: datetime) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return inm.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in inm.split(",")]
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and updated <= since
    return False


def _feed_head(
    request: Request,
    base: str,
    scope: str,
    operator: tuple[str, str] | None,
    category: str | None,
    updated: datetime,
) -> dict[str, Any]:
    title = "隐私政策重大变更 Material changes"
    if operator:
        title = f"{operator[1]} ({operator[0]}): {title}"
    if category:
        title += f" · {category} {CATEGORY_ZH[category]}"
    query = f"?category={category}" if category and request.query_params.get("category") else ""
    return {
        "id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed:' + scope)}",
        "title": title,
        "updated": _iso(updated),
        "self_href": base + request.url.path + query,
        "alternate_href": base + (links.operator_path(operator[0]) if operator else "/"),
        "generator_version": code_version(),
    }


def _entry(base: str, e: queries.FeedEntry) -> dict[str, Any]:
    cats = ", ".join(e.categories)
    lines = e.facts_summary or [f"{cat}: {CATEGORY_ZH.get(cat, cat)}" for cat in e.categories]
    counts = e.summary
    lines = [*lines, f"{counts.get('material', 0)} material of {_total(counts)} changed clauses"]
    return {
        "id": f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{e.operator_id}:{e.from_sha256}:{e.to_sha256}')}",
        "title": f"{e.operator_name}: 重大变更 v{e.from_number} → v{e.to_number} ({cats})",
        "updated": _iso(e.at),
        "href": links.absolute(base, links.diff_path(e.operator_id, e.from_sha256, e.to_sha256)),
        "categories": e.categories,
        "summary": "\n".join(lines),
    }


def _total(summary: dict[str, Any]) -> int:
    return sum(int(summary.get(k, 0)) for k in ("added", "removed", "modified", "moved"))


def _iso(at: datetime) -> str:
    """RFC 3339 in UTC, as Atom wants it."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
