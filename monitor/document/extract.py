"""Bytes → display lines: the charset read (:mod:`decoding`), then HTML text extraction (selectolax),
a component's or a module's source read as its page shows it (:mod:`sfc`)."""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from monitor.document import pdf2html, sfc
from monitor.document.cfemail import EMAIL, write_out_addresses
from monitor.document.decoding import decode as decode  # used here; tests and bench import it from here
from monitor.document.fields import write_out_fields
from monitor.document.links import write_out_targets
from monitor.document.markdown import looks_like_markdown, to_html
from monitor.document.table_spans import Spans
from monitor.errors import ExtractError as ExtractError  # raised here, and imported from here
from monitor.model import HEADING_MARK, Extracted, MediaType

TEXT_SUFFIXES: dict[str, MediaType] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def media_type_for(path: str | Path) -> MediaType:
    suffix = Path(path).suffix.lower()
    kind = TEXT_SUFFIXES.get(suffix)
    if kind is None:
        known = ", ".join(sorted(TEXT_SUFFIXES))
        raise ExtractError(f"{path}: unknown document type {suffix or '(none)'!r} (known: {known})")
    return kind


def sniff_media_type(data: bytes, content_type: str | None = None) -> MediaType:
    """PDF (by its ``%PDF-`` signature under any Content-Type), HTML, Markdown or plain text, by the
    Content-Type header, else by the body's first bytes. A ``text/plain`` body that is Markdown source
    (served raw from a repository) is Markdown."""
    declared = (content_type or "").lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if "html" in declared:
        return "html"
    if "markdown" in declared:
        return "markdown"
    head = data[:2048].lstrip().lower()
    html_head = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<template")
    if not declared.startswith("text/plain") and head.startswith(html_head):
        return "html"
    return "markdown" if looks_like_markdown(data) else "text"


_DROP = (
    "script, style, noscript, template, iframe, object, embed, svg, canvas, nav, "
    "form, button, select, input, textarea, [hidden], [aria-hidden=true], [role=navigation]"
)
# the page's chrome, dropped too unless it holds the page's text: a policy written into the <header>
# of a landing-page template leaves next to nothing outside it (less than _CHROME_MIN_CHARS, and a
# third of what the page holds with its chrome); then the chrome is read as any element
_CHROME = "header, footer, aside"
_CHROME_MIN_CHARS = 200
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BLOCK_TAGS = (
    "address article blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 hgroup hr html li main menu ol p pre section summary table tbody td tfoot th "
    "thead tr ul caption legend"
)
# and a WeChat mini-program's blocks (.wxml, uni-app)
_BLOCK = frozenset(_BLOCK_TAGS.split()) | {"view", "scroll-view", "cover-view", "swiper-item"}
_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")


# lexbor's tree builder scans the stack of open elements when a block element opens (to close a
# <p> "in button scope"): a block opened under n open elements costs n, and 100k nested <div> took
# 27 s. Before parsing, one linear pass over the tags estimates that cost (open elements counted
# by their tags; void elements and those closed implicitly left out) and refuses a page whose
# parse would take more than a second or two. Real pages cost a few hundred thousand.
MAX_PARSE_COST = 50_000_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_VOID = "area base br col embed hr img input link meta source track wbr param keygen"
_IMPLICIT = "a p li dt dd option optgroup tr td th rb rt rp rtc h1 h2 h3 h4 h5 h6 button nobr"
_UNCOUNTED = frozenset(f"{_VOID} {_IMPLICIT} html head body script style".split())
_SCOPED_TAGS = (
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer"
    " header hgroup main menu nav ol pre listing section summary ul table form search"
)
_SCOPED = frozenset(_SCOPED_TAGS.split())


def parse_cost(html: str, limit: int = MAX_PARSE_COST) -> tuple[int, int]:
    """(the estimated cost of parsing ``html``, the deepest nesting seen); stops past ``limit``."""
    depth = deepest = cost = 0
    for close, name in _TAG.findall(html):
        name = name.lower()
        if name in _UNCOUNTED:
            continue
        if close:
            depth = depth - 1 if depth else 0
            continue
        if name in _SCOPED:
            cost += depth
            if cost > limit:
                break
        depth += 1
        if depth > deepest:
            deepest = depth
    return cost, deepest


def html_to_lines(
    html: str, selector: str | None = None, remove: str | None = None, source: str = "input"
) -> tuple[list[str], str | None]:
    """The text of ``html`` (under ``selector``, without ``remove``) as lines, and the page's title;
    without the page's chrome (header, footer, aside) unless next to nothing is left without it."""
    lines, title = _html_lines(html, selector, remove, source, chrome=False)
    short = sum(len(line) for line in lines)
    if short < _CHROME_MIN_CHARS and sfc.is_component(html):
        shown = _component_lines(html, selector, remove, source)
        if sum(len(line) for line in shown) > short:
            return shown, title
    if short < _CHROME_MIN_CHARS and _HAS_CHROME.search(html):
        kept = _html_lines(html, selector, remove, source, chrome=True)[0]
        if sum(len(line) for line in kept) >= max(_CHROME_MIN_CHARS, 3 * short):
            return kept, title
    return lines, title


def _html_lines(
    html: str, selector: str | None, remove: str | None, source: str, chrome: bool
) -> tuple[list[str], str | None]:
    cost, deepest = parse_cost(html)
    if cost > MAX_PARSE_COST:
        raise ExtractError(
            f"{source}: HTML nested too deep to parse in reasonable time (over {deepest} levels): "
            "a hostile or broken page, not parsed"
        )
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _WS_RUN.sub(" ", title_node.text()).strip() if title_node is not None else None
    root = tree.body if tree.body is not None else tree.root
    if selector:
        try:
            matches = tree.css(selector)
        except Exception as exc:  # selectolax raises its own error type for a bad selector
            raise ExtractError(f"{source}: bad CSS selector {selector!r}: {exc}") from exc
        if not matches:
            raise ExtractError(f"{source}: the selector {selector!r} matches nothing")
        roots = matches
    else:
        roots = [root] if root is not None else []
    kept = _prune(tree, chrome, remove)
    lines: list[str] = []
    for r in roots:
        lines.extend(_block_lines(r))
    if selector:  # the container the user chose, and nothing else
        return lines, title
    return lines + [line for line in kept if line not in lines], title


def _component_lines(html: str, selector: str | None, remove: str | None, source: str) -> list[str]:
    """A component's source (sfc.py) read as its page shows it: its template, and where that is
    placeholders only, the strings of its script that the template loops over, or where it renders
    markup it is given (v-html), the page that the script's markup makes."""
    lines = _html_lines(sfc.as_shown(html), selector, remove, source, chrome=True)[0]
    bound = sfc.binds_markup(html) and sum(len(line) for line in lines) < _CHROME_MIN_CHARS
    strings = sfc.script_strings(html)
    if (bound or sfc.placeholders_only(lines, strings)) and strings:
        if sfc.markup(strings):  # v-html="content", content = ['<p>…</p>', …]: the page it renders
            return _html_lines("\n".join(strings), None, remove, source, chrome=True)[0]
        return [line for text in strings for line in text.split("\n") if line.strip()]
    return lines


def _prune(tree: LexborHTMLParser, chrome: bool, remove: str | None) -> list[str]:
    """Drop what no reader sees (scripts, navigation, hidden text; the chrome unless ``chrome``; what
    ``remove`` selects); write out the addresses Cloudflare's e-mail protection hid, and those of
    links to write or call whose label does not show them (cfemail.py), and the targets of web links
    (links.py); a read-only text area is read as the text it shows (fields.py). Returns the lines of
    the chrome dropped that give an e-mail address (<footer>Contact: a@example.com</footer>): the
    operator's channel, read after the page's text."""
    write_out_fields(tree)
    for node in tree.css(_DROP):
        node.decompose()
    dropped = [] if chrome else tree.css(_CHROME)
    kept = [line for node in dropped for line in _block_lines(node) if EMAIL.search(line)]
    for node in dropped:
        node.decompose()
    for node in tree.css("[style]"):
        if node.tag in ("html", "body"):
            continue  # a page that hides itself until its script has loaded (<body style="display: none;">)
        if _HIDDEN_STYLE.search(node.attributes.get("style") or "") and not _chinese_variant(node):
            node.decompose()
    if remove:
        for node in tree.css(remove):
            node.decompose()
    write_out_addresses(tree)
    write_out_targets(tree)
    return list(dict.fromkeys(kept))


# a language variant a page's language switch hides until chosen (<div id="zh-content" style="display:
# none">): the Chinese policy, read as shown
_CHINESE = re.compile(r"(?:^|[-_\s])(?:zh|cn|chinese)(?:$|[-_\s])", re.IGNORECASE)


def _chinese_variant(node: object) -> bool:
    attrs = node.attributes  # type: ignore[attr-defined]
    return any(_CHINESE.search(attrs.get(name) or "") for name in ("lang", "id", "class"))


_HAS_CHROME = re.compile(r"<(?:header|footer|aside)\b", re.IGNORECASE)


_CELL = frozenset(("td", "th"))
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"))


def _block_lines(root: object) -> list[str]:
    """Walk the DOM: inline text is concatenated, block elements and <br> end a line. A table cell is
    one line: a <br> or a paragraph inside it is a space (``contextMenus<br>menus``), so that every
    row keeps one line per cell, a cell spanning rows in each (:mod:`table_spans`). A heading
    element's line begins with :data:`HEADING_MARK`, once per level (<h2>: twice)."""
    out: list[str] = []
    buf: list[str] = []
    cells = 0  # how many table cells the walk is in
    spans = Spans()  # cells spanning rows, written in each

    def flush() -> bool:
        """End the line being built; whether it had text (and is now the last of ``out``)."""
        text = _WS_RUN.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text.lstrip(HEADING_MARK).strip():
            out.append(text)
            return True
        return False

    # iterative DFS with explicit "leave" markers so deep pages cannot overflow the stack
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag  # type: ignore[attr-defined]
        if leaving:
            cells -= tag in _CELL
            spans.leave(tag, node.attributes, out, flush())  # type: ignore[attr-defined]
            continue
        if tag == "-text":
            buf.append(node.text_content or "")  # type: ignore[attr-defined]
            continue
        if tag in ("-comment", "-doctype") or tag is None:
            continue
        # links side by side are two words (…@gmail.com</a><a>GitHub</a>, laid out by a style sheet)
        buf.append(" " if tag == "a" == getattr(node.prev, "tag", None) else "")  # type: ignore[attr-defined]
        if tag == "br" or (cells and tag in _BLOCK and tag not in _TABLE_PARTS):
            if cells:
                buf.append(" ")
            else:
                flush()
            if tag == "br":
                continue
        elif tag in _BLOCK:
            cells += tag in _CELL
            flush()
            spans.enter(tag, out)
            if tag in _HEADING_TAGS and not cells:
                buf.append(HEADING_MARK * int(tag[1]))  # <h3>: three marks, its level
            stack.append((node, True))
        stack.extend((c, False) for c in reversed(_children(node)))
    flush()
    return out


def _children(node: object) -> list[object]:
    children = []
    child = node.child  # type: ignore[attr-defined]
    while child is not None:
        children.append(child)
        child = child.next
    return children


def extract(
    data: bytes,
    *,
    media_type: MediaType,
    encoding: str | None = None,
    header_charset: str | None = None,
    selector: str | None = None,
    remove: str | None = None,
    source: str = "input",
) -> Extracted:
    if media_type == "pdf":
        return read_pdf_extracted(data, source=source, selector=selector)
    text, used = decode(
        data,
        media_type="html" if media_type == "html" else "text",
        encoding=encoding,
        header_charset=header_charset,
        source=source,
    )
    if "\x00" in text:
        raise ExtractError(f"{source}: binary data, not a text document")
    source_text = text  # a module of code read as Markdown or as a page: its strings are read from this
    if media_type != "html" and sfc.astro_component(text):
        media_type = "html"  # its markup is a page's, not Markdown (nor its fence YAML front matter)
    if media_type == "markdown":
        text, media_type = to_html(text), "html"
    if media_type == "html":
        # a pdf2htmlEX page's lines, a source's front matter, its {"\n"}, its self-closing <style … />
        shown = sfc.raw_text_closed(sfc.with_breaks(sfc.without_front_matter(pdf2html.rejoined(text))))
        lines, title = html_to_lines(shown, selector=selector, remove=remove, source=source)
        return _or_module(
            Extracted(lines=lines, encoding=used, media_type="html", html_title=title), source_text
        )
    if selector:
        raise ExtractError(f"{source}: --selector applies to HTML documents only")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _or_module(Extracted(lines=lines, encoding=used, media_type="text"), source_text)


def _or_module(ex: Extracted, text: str) -> Extracted:
    """``ex``, or where ``text`` is a module of code whose strings hold the policy (a PHP language file,
    ``$lang[…] = '…';``) and ``ex`` read not half their Chinese, those strings: what the page the module
    feeds shows."""
    if (values := sfc.json_strings(text)) is not None:  # a locale file: its strings, never a page
        return _module_extracted(values, ex.encoding)
    strings = sfc.module_strings(text)
    if strings is None or 2 * sfc.han_count("".join(ex.lines)) >= sfc.han_count("".join(strings)):
        return ex
    return _module_extracted(strings, ex.encoding)


def module_reading(data: bytes, ex: Extracted) -> Extracted | None:
    """For a source read to no text at all (a TypeScript module exporting the policy's paragraphs, read
    as one line of code), its strings, where it is a module of code whose strings hold its Chinese."""
    strings = sfc.module_strings(data.decode(ex.encoding, "replace"))
    return None if strings is None else _module_extracted(strings, ex.encoding)


def _module_extracted(strings: list[str], encoding: str) -> Extracted:
    if sfc.markup(strings):
        return Extracted(lines=html_to_lines("\n".join(strings))[0], encoding=encoding, media_type="html")
    lines = [line for value in strings for line in value.split("\n") if line.strip()]
    return Extracted(lines=lines, encoding=encoding, media_type="text")


def read_pdf_extracted(data: bytes, *, source: str, selector: str | None = None) -> Extracted:
    if selector:
        raise ExtractError(f"{source}: --selector applies to HTML documents only")
    # deferred: pdf.py pulls segment (rapidfuzz, the numbering patterns), which sniffing a body
    # (every check) does not need
    from monitor.document.pdf import PdfError, read_pdf

    try:
        lines, title = read_pdf(data, source)
    except PdfError as exc:
        raise ExtractError(str(exc)) from None
    return Extracted(lines=lines, encoding="pdf", media_type="pdf", html_title=title)
