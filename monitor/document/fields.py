"""Form fields a page uses to show text: a read-only ``<textarea>`` holding the whole policy
(穀得遊戲's page: ``<textarea readonly rows="26">本《隱私政策》…</textarea>``) is text the reader sees, not
a field to fill in. Written out as paragraphs, one a line, before the fields are dropped with the
page's forms. Pure: rewrites a parsed tree in place.
"""

from __future__ import annotations

import html

from selectolax.lexbor import LexborHTMLParser


def write_out_fields(tree: LexborHTMLParser) -> None:
    """Replace each read-only or disabled ``<textarea>`` by its lines, as paragraphs."""
    for node in tree.css("textarea[readonly], textarea[disabled]"):
        lines = [line.strip() for line in (node.text() or "").split("\n") if line.strip()]
        if not lines:
            continue
        shown = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        block = LexborHTMLParser(f"<div>{shown}</div>").css_first("div")
        if block is not None:
            node.replace_with(block)
