"""The web view's pages: dashboard, operator timeline, version (facts, raw capture), diff.

Each is HTML, or JSON with ``?format=json`` (or ``Accept: application/json``): the dashboard's rows
are those of ``policy-monitor list --format json``, a timeline's versions those of ``history``, a
version's facts those of ``show --facts``, a diff the comparison document of ``diff --format json``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from monitor import timefmt
from monitor.alerts import links
from monitor.compare.render_common import CATEGORY_ZH, note_lines
from monitor.store import queries as store_queries
from monitor.store.queries import get_operator, previous_version, resolve_version, version_number
from monitor.store.tables import CaptureRow, VersionRow
from monitor.web import queries
from monitor.web.app import (
    NotFoundError,
    code_version,
    json_response,
    page_number,
    render,
    wants_json,
    web_of,
)

DASHBOARD_PAGE = 50
TIMELINE_PAGE = 20


def _text(at: Any) -> str:
    iso = timefmt.iso(at) if at is not None else None
    return iso[:16].replace("T", " ") if iso else ""


def _pager(request: Request, page: int, pages: int) -> dict[str, Any]:
    def link(n: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k not in ("page", "token")}
        return f"{request.url.path}?{urlencode({**params, 'page': n})}"

    return {
        "page": page,
        "pages": pages,
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


def _json_href(request: Request) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "token"}
    return f"{request.url.path}?{urlencode({**params, 'format': 'json'})}"


# ---------------------------------------------------------------------------------------------
# dashboard


def dashboard(request: Request) -> Response:
    web = web_of(request)
    q = request.query_params.get("q", "").strip()[:200]
    category = request.query_params.get("category") or None
    if category is not None and category not in CATEGORY_ZH:
        raise NotFoundError(f"unknown category {category!r} (known: {', '.join(CATEGORY_ZH)})")
    page = page_number(request)
    with web.store.session() as session:
        listing = queries.dashboard(session, q=q, category=category, page=page, per_page=DASHBOARD_PAGE)
    rows = [_operator_json(line) for line in listing.lines]
    if wants_json(request):
        return json_response(
            {
                "operators": rows,
                "total": listing.total,
                "page": listing.page,
                "pages": listing.pages,
                "per_page": listing.per_page,
                "q": q,
                "category": category,
            }
        )
    lines = [
        {
            "op": line.op,
            "current": line.current,
            "current_number": line.current_number,
            "versions": line.versions,
            "failing": line.failing,
            "last_material": line.last_material,
            "last_check": _text(line.op.last_check_at),
            "since": _text(line.current.first_seen)[:10] if line.current else "",
            "material_at": _text(line.last_material.at)[:10] if line.last_material else "",
            "href": links.operator_path(line.op.id),
            "diff_href": row["last_material"]["diff"] if row["last_material"] else None,
        }
        for line, row in zip(listing.lines, rows, strict=True)
    ]
    return render(
        "web_dashboard.html.j2",
        listing=listing,
        lines=lines,
        q=q,
        category=category or "",
        categories=list(CATEGORY_ZH.items()),
        pager=_pager(request, listing.page, listing.pages),
        crumbs=[("operators", None)],
        alternates=[("JSON", _json_href(request)), ("Atom feed", "/feeds/changes.atom")],
    )


def _operator_json(line: queries.OperatorLine) -> dict[str, Any]:
    op, cur, last = line.op, line.current, line.last_material
    return {
        "operator": op.id,
        "name": op.name,
        "url": op.url,
        "last_check": timefmt.iso(op.last_check_at),
        "next_due": timefmt.iso(op.next_due_at),
        "outcome": op.last_outcome,
        "reason": op.last_reason,
        "versions": line.versions,
        "current_version": line.current_number,
        "current_since": timefmt.iso(cur.first_seen) if cur else None,
        "current_sha256": cur.sha256 if cur else None,
        "updated": cur.updated if cur else None,
        "failing": line.failing,
        "failures": op.failures,
        "last_material": {
            "at": timefmt.iso(last.at),
            "categories": last.categories,
            "version": last.to_version,
            "diff": links.diff_path(op.id, last.from_sha256, last.to_sha256),
        }
        if last
        else None,
    }


# ---------------------------------------------------------------------------------------------
# an operator: its timeline


def operator(request: Request) -> Response:
    web = web_of(request)
    page = page_number(request)
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
        tl = queries.timeline(session, op, page=page, per_page=TIMELINE_PAGE)
        checks = store_queries.last_checks(session, op.id, 10) if page == 1 else []
    if page > tl.pages:
        raise NotFoundError(f"{op.id} has {tl.pages} page(s) of versions, not {page}")
    entries = [_entry_json(op.id, e) for e in tl.entries]
    feed = f"{links.operator_path(op.id)}/changes.atom"
    if wants_json(request):
        return json_response(
            {
                "operator": op.id,
                "name": op.name,
                "url": op.url,
                "versions": entries,
                "total": tl.total,
                "page": tl.page,
                "pages": tl.pages,
                "per_page": tl.per_page,
            }
        )
    view = [
        {
            **j,
            "number": e.number,
            "from_number": e.from_number,
            "version": e.version,
            "href": j["page"],
            "diff_href": j["diff"],
            "first_seen": _text(e.version.first_seen),
            "last_seen": _text(e.version.last_seen),
            "changes": _changes_line(e.summary),
            "declared": note_lines(e.declared_changes) if e.declared_changes else [],
        }
        for e, j in zip(tl.entries, entries, strict=True)
    ]
    return render(
        "web_operator.html.j2",
        op=op,
        timeline=tl,
        entries=view,
        failing=op.failures > 0 or op.last_outcome in queries.BAD,
        last_check=_text(op.last_check_at),
        checks=[{"row": c, "started": _text(c.started_at)} for c in checks],
        category_zh=CATEGORY_ZH,
        feed_href=feed,
        diff_form_href=f"{links.operator_path(op.id)}/diff",
        pager=_pager(request, tl.page, tl.pages),
        crumbs=[("operators", "/"), (op.id, None)],
        alternates=[
            ("JSON", _json_href(request)),
            ("Atom feed", f"{links.operator_path(op.id)}/changes.atom"),
        ],
    )


def _entry_json(operator_id: str, e: queries.TimelineEntry) -> dict[str, Any]:
    return {
        **store_queries.version_json(e.version, e.number, e.current),
        "material": e.material,
        "categories": e.categories,
        "summary": e.summary,
        "declared_changes": e.declared_changes,
        "silent_change": e.silent_change,
        "undeclared_categories": e.undeclared_categories,
        "facts_summary": e.facts_summary,
        "page": links.version_path(operator_id, e.version.sha256),
        "diff": links.diff_path(operator_id, e.from_sha256, e.version.sha256) if e.from_sha256 else None,
    }


def _changes_line(summary: dict[str, Any] | None) -> str:
    if not summary:
        return ""
    return ", ".join(f"{summary[k]} {k}" for k in ("added", "removed", "modified", "moved") if summary.get(k))


# ---------------------------------------------------------------------------------------------
# a version: its facts and its raw capture


def version(request: Request) -> Response:
    from monitor.document.facts import facts_of, to_json
    from monitor.store.queries import version_document

    web = web_of(request)
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
        v = resolve_version(session, op, request.path_params["version"])
        n = version_number(session, v.id) or 0
        prev = previous_version(session, v)
        doc = version_document(session, v, n)
    inventory = facts_of(doc)
    raw_href = f"{links.version_path(op.id, v.sha256)}/raw" if v.capture_id else None
    diff_href = links.diff_path(op.id, prev.sha256, v.sha256) if prev is not None else None
    if wants_json(request):
        return json_response(
            {
                "operator": op.id,
                "version": n,
                "current": v.id == op.current_version_id,
                "sha256": v.sha256,
                "first_seen": timefmt.iso(v.first_seen),
                "last_seen": timefmt.iso(v.last_seen),
                "source": doc.source,
                "title": doc.title,
                "updated": v.updated,
                "effective": v.effective,
                "facts": to_json(inventory),
                "raw": raw_href,
                "diff": diff_href,
            }
        )
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in inventory:
        groups.setdefault(f.category, []).append(
            {"kind": f.kind, "value": f.value, "attrs": list(f.attrs), "paths": list(f.paths)}
        )
    return render(
        "web_version.html.j2",
        op=op,
        version=v,
        number=n,
        current=v.id == op.current_version_id,
        first_seen=_text(v.first_seen),
        last_seen=_text(v.last_seen),
        raw_href=raw_href,
        prev_diff_href=diff_href,
        op_href=links.operator_path(op.id),
        fact_count=len(inventory),
        groups=[(f"{cat} · {CATEGORY_ZH.get(cat, '')}".rstrip(" ·"), fs) for cat, fs in groups.items()],
        crumbs=[("operators", "/"), (op.id, links.operator_path(op.id)), (f"v{n}", None)],
        alternates=[("JSON", _json_href(request))],
    )


def raw(request: Request) -> Response:
    """The bytes the page served, as an attachment (never rendered here: it is someone else's page)."""
    web = web_of(request)
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
        v = resolve_version(session, op, request.path_params["version"])
        capture = session.get(CaptureRow, v.capture_id) if v.capture_id else None
        n = version_number(session, v.id) or 0
    if capture is None:
        raise NotFoundError(f"{op.id} v{n} has no raw capture (imported from text, or reprocessed)")
    data = web.store.raw.get(capture.sha256)
    suffix = {"html": "html", "text": "txt", "markdown": "md"}.get(capture.media_type, "bin")
    name = f"{op.id}-v{n}-{v.sha256[:12]}.{suffix}"
    return Response(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": "sandbox",
            "ETag": f'"{capture.sha256[:32]}"',
        },
        media_type="application/octet-stream",
    )


# ---------------------------------------------------------------------------------------------
# a diff: two versions side by side


def diff(request: Request) -> Response:
    from monitor.compare.comparison import compare, to_json
    from monitor.compare.render_html import html
    from monitor.store.queries import version_document

    web = web_of(request)
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
        old = resolve_version(session, op, request.path_params["old"])
        new = resolve_version(session, op, request.path_params["new"])
        numbers = {old.id: version_number(session, old.id), new.id: version_number(session, new.id)}
        stable = links.diff_path(op.id, old.sha256, new.sha256)
        if request.url.path != stable:  # named by number or a shorter digest: the stable address
            from starlette.responses import RedirectResponse

            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(stable + query, 308)
        etag = f'"{old.sha256[:16]}-{new.sha256[:16]}-{code_version()}"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})

        def make() -> Any:
            with web.store.session() as s:
                old_doc = version_document(s, _fresh(s, old), numbers[old.id])
                new_doc = version_document(s, _fresh(s, new), numbers[new.id])
            return compare(old_doc, new_doc)

    cmp = web.comparison((old.id or 0, new.id or 0), make)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if wants_json(request):
        return json_response(to_json(cmp), headers=headers)
    page = html(cmp)
    nav = _diff_nav(op.id, numbers[old.id] or 0, numbers[new.id] or 0, _json_href(request))
    return HTMLResponse(page.replace("<body>", "<body>\n" + nav, 1), headers=headers)


def diff_form(request: Request) -> Response:
    """``/operators/ID/diff?from=1&to=3`` (the timeline's form): to the comparison's stable address."""
    from starlette.responses import RedirectResponse

    web = web_of(request)
    spec_old, spec_new = request.query_params.get("from"), request.query_params.get("to")
    if not spec_old or not spec_new:
        raise NotFoundError("name two versions: ?from=1&to=2 (numbers, dates or digests)")
    with web.store.session() as session:
        op = get_operator(session, request.path_params["operator"])
        old = resolve_version(session, op, spec_old)
        new = resolve_version(session, op, spec_new)
    return RedirectResponse(links.diff_path(op.id, old.sha256, new.sha256), 303)


def _fresh(session: Session, v: VersionRow) -> VersionRow:
    row = session.get(VersionRow, v.id)
    if row is None:
        raise NotFoundError(f"version {v.sha256[:12]} is gone")
    return row


def _diff_nav(op_id: str, old: int, new: int, json_href: str) -> str:
    """The site bar above the report (the report itself is the page ``diff --format html`` prints)."""
    from monitor.web.app import templates

    css = templates().get_template("web_nav.css.j2").render()
    bar = (
        templates()
        .get_template("web_nav.html.j2")
        .render(
            crumbs=[("operators", "/"), (op_id, links.operator_path(op_id)), (f"v{old} → v{new}", None)],
            alternates=[("JSON", json_href), ("Atom feed", f"{links.operator_path(op_id)}/changes.atom")],
        )
    )
    return str(Markup("<style>{}</style>\n{}").format(Markup(css), Markup(bar)))
