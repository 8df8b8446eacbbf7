"""Form fields a page uses to show text: a read-only ``<textarea>`` holding the whole policy
(穀得遊戲's page: ``<textarea readonly rows="26">本《隱私政策》…</textarea>``) is text the reader sees, not
a field to fill in. Written out as paragraphs, one a line, before the fields are dropped with the
page's forms. So is a hidden field that holds the policy as Markdown for the page's script to render
(心率监测仪's page: ``<input type="hidden" id="data" value="…">`` and ``showdown.Converter().makeHtml``),
read as Markdown. Pure: rewrites a parsed tree in place.
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser

from monitor.document.markdown import to_html

_HAN = re.compile(r"[\u4e00-\u9fff]")
_RENDERED_MIN = 200  # Chinese characters: a hidden field that long holds text to show, not a token


def write_out_fields(tree: LexborHTMLParser) -> None:
    """Replace each read-only or disabled ``<textarea>`` by its lines, as paragraphs, and each hidden
    field holding a long Chinese text by that text read as Markdown."""
    for node in tree.css("textarea[readonly], textarea[disabled]"):
        lines = [line.strip() for line in (node.text() or "").split("\n") if line.strip()]
        if not lines:
            continue
        shown = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        block = LexborHTMLParser(f"<div>{shown}</div>").css_first("div")
        if block is not None:
            node.replace_with(block)
    for node in tree.css("input[type=hidden][value]"):
        value = node.attributes.get("value") or ""
        if len(_HAN.findall(value)) < _RENDERED_MIN:
            continue
        body = LexborHTMLParser(to_html(value)).body
        if body is not None:
            block = LexborHTMLParser(f"<div>{body.html}</div>").css_first("div")
            if block is not None:
                node.replace_with(block)
