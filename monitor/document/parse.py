"""One policy document: bytes or a file → :class:`~monitor.model.Document` (extract → segment → meta)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from monitor.document import meta
from monitor.document.criteria import criteria_for
from monitor.document.extract import ExtractError, extract, media_type_for, module_reading, sniff_media_type
from monitor.document.headings import heading_marks
from monitor.document.links import split_links
from monitor.document.normalize import memo
from monitor.document.segment import clean_lines, segment_lines
from monitor.model import Clause, Document, Extracted, MediaType

__all__ = ["ExtractError", "document_to_json", "load", "parse", "parse_extracted"]


def parse_extracted(ex: Extracted, source: str) -> Document:
    with memo():  # one document's lines are normalized many times over: once each is enough
        return _parse_extracted(ex, source)


def _parse_extracted(ex: Extracted, source: str) -> Document:
    raw, links = split_links(ex.lines)
    lines = clean_lines(raw)
    sections = segment_lines(lines, *heading_marks(raw))
    digest = hashlib.sha256("\n".join(c.norm for s in sections for c in s.walk()).encode("utf-8")).hexdigest()
    updated, effective = meta.find_dates(lines)
    return Document(
        source=source,
        sha256=digest,
        title=meta.find_title(lines, ex.html_title),
        operator=meta.find_operator(lines),
        updated=updated,
        effective=effective,
        criteria_items=meta.find_criteria(lines),
        sections=sections,
        declared_changes=meta.find_declared_changes(lines),
        encoding=ex.encoding,
        links=links,
    )


def parse(
    data: bytes,
    *,
    media_type: MediaType,
    source: str = "input",
    encoding: str | None = None,
    header_charset: str | None = None,
    selector: str | None = None,
    remove: str | None = None,
) -> Document:
    _, doc = read(
        data,
        media_type=media_type,
        source=source,
        encoding=encoding,
        header_charset=header_charset,
        selector=selector,
        remove=remove,
    )
    if not any(c.norm for c in doc.clauses()):
        raise ExtractError(f"{source}: {no_text(data, media_type, selector)}")
    return doc


def read(
    data: bytes,
    *,
    media_type: MediaType,
    source: str = "input",
    encoding: str | None = None,
    header_charset: str | None = None,
    selector: str | None = None,
    remove: str | None = None,
) -> tuple[Extracted, Document]:
    """The lines and the Document of ``data``, which may hold no clause (shared by :func:`parse` and the
    watcher's reading of a fetch): a module of code whose strings hold the policy, read as a page to no
    text, is read from its strings; an extraction error says where a redirect-only page sends the browser."""
    try:
        ex = extract(
            data,
            media_type=media_type,
            encoding=encoding,
            header_charset=header_charset,
            selector=selector,
            remove=remove,
            source=source,
        )
    except ExtractError as exc:
        raise ExtractError(f"{exc}{redirect_hint(data, media_type)}") from None
    doc = parse_extracted(ex, source)
    if not any(c.norm for c in doc.clauses()) and (module := module_reading(data, ex)) is not None:
        ex, doc = module, parse_extracted(module, source)
    return ex, doc


def no_text(data: bytes, media_type: MediaType, selector: str | None = None) -> str:
    """Why a page gave no clause: 'no text found', with the selector that found nothing and where a
    page that is only a redirect sends the browser (shared with the watcher's reading of a fetch)."""
    where = f" under {selector!r}" if selector else ""
    return f"no text found{where}{redirect_hint(data, media_type)}"


def redirect_hint(data: bytes, media_type: MediaType) -> str:
    """Where a page that is only a redirect sends the browser (' (the page only sends …, to /#privacy)'),
    said beside why it gave no text or why its selector matched nothing; else ''."""
    hop = _REFRESH.search(data[:4096]) if media_type == "html" else None
    return f" (the page only sends the browser on, to {hop.group(1).decode(errors='replace')})" if hop else ""


# a page that is nothing but a redirect: <meta http-equiv="refresh" content="0;url=/#privacy">
_REFRESH = re.compile(rb"""http-equiv=["']?refresh["']?[^>]*?url=([^"'>\s]+)""", re.IGNORECASE)


_TAG = re.compile(rb"<[A-Za-z!/?]")


def load(path: str | Path, *, selector: str | None = None, encoding: str | None = None) -> Document:
    from monitor.localfile import read_local  # deferred: its size setting loads pydantic, not needed to parse

    p = Path(path)
    media_type = media_type_for(p)
    data = read_local(p)  # a regular file under the size cap, else a one-line UserError
    if media_type == "text":  # a .txt file of Markdown source, or of a page's or a component's
        media_type = sniff_media_type(data)  # source, is read as a fetched one is
    elif media_type == "html" and not _TAG.search(data):  # a page file without one tag: text saved
        media_type = sniff_media_type(data, "text/plain")  # under a page's name, its lines its own
    return parse(data, media_type=media_type, source=str(p), encoding=encoding, selector=selector)


def clause_to_json(c: Clause) -> dict[str, Any]:
    return {
        "heading": c.heading,
        "path": c.path,
        "text": c.text,
        "children": [clause_to_json(child) for child in c.children],
    }


def metadata_json(doc: Document) -> dict[str, Any]:
    """What identifies a version: the keys CONTRACT.md gives both `show` and a comparison's sides."""
    return {
        "source": doc.source,
        "sha256": doc.sha256,
        "title": doc.title,
        "operator": doc.operator,
        "updated": doc.updated,
        "effective": doc.effective,
    }


def document_to_json(doc: Document) -> dict[str, Any]:

    return {
        **metadata_json(doc),
        "encoding": doc.encoding,
        "criteria": criteria_for(doc).to_json(),
        "declared_changes": doc.declared_changes,
        "counts": doc.counts(),
        "sections": [clause_to_json(s) for s in doc.sections],
    }
