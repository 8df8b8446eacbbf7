"""Reading a fetched body into a :class:`Candidate`: vetting (block pages, captchas …), extraction and
parsing. This module imports the document room and :mod:`monitor.watch.vet` only (no store tables, no
httpx, no pydantic), so that a reader process (:mod:`monitor.watch.readers`) starts in a fraction of
the time one importing the whole check would take; :func:`monitor.watch.judge.read_capture` reads
with the same function, so a body read there is read exactly as here."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from monitor.document.extract import ExtractError, sniff_media_type
from monitor.watch import vet

if TYPE_CHECKING:
    from monitor.model import Candidate, MediaType


def vet_body(body: bytes, content_type: str | None) -> tuple[MediaType, str | None]:
    """The body's media type, and the reason it is no policy page (a block page, a captcha …) or None."""
    media_type = sniff_media_type(body, content_type)
    return media_type, vet.check_body(body, content_type, media_type)


def read_body(
    body: bytes,
    content_type: str | None,
    charset: str | None,
    source: str,
    selector: str | None,
    remove: str | None,
    encoding: str | None,
    vetted: MediaType | None = None,
) -> Candidate | str:
    """Extract and parse a body (``source``: its URL); a string is the reason it is not a usable
    capture. CSS selectors apply to HTML only. ``vetted`` is the media type :func:`vet_body` found
    for a body it passed (the body is then not sniffed again)."""
    # deferred: parsing (segment, meta, rapidfuzz …) loads only for a body that is not the last one
    from monitor.document.parse import no_text, read
    from monitor.model import Candidate

    if vetted is None:
        media_type, reason = vet_body(body, content_type)
        if reason:
            return reason
    else:
        media_type = vetted
    if media_type != "html":
        selector = remove = None
    try:
        ex, doc = read(
            body,
            media_type=media_type,
            encoding=encoding,
            header_charset=charset,
            selector=selector,
            remove=remove,
            source=source,
        )
    except ExtractError as exc:
        return str(exc).removeprefix(f"{source}: ")
    if not any(c.norm for c in doc.clauses()):
        shell = vet.script_shell(body, 0) if media_type == "html" else None
        return shell or no_text(body, media_type, selector)
    return Candidate(
        doc=doc,
        lines=ex.lines,
        media_type=media_type,  # as sniffed: a Markdown capture stays Markdown
        encoding=ex.encoding,
        html_title=ex.html_title,
        raw_sha256=hashlib.sha256(body).hexdigest(),  # not store.raw's: its imports cost 10 ms
    )
