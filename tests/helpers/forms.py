"""Other forms of one policy, built from its clause tree: Markdown (headings from the tree) and a page
of tables (one row per clause: heading cell, text cell). With ``edits.to_html`` (a page) and
``pdf.print_pdfs`` (a PDF printed by Chromium) they are the forms a policy must read alike in."""

from __future__ import annotations

import html

from monitor.document.normalize import canon
from monitor.model import Document


def _is_title(doc: Document, line: str) -> bool:
    return doc.title is not None and canon(line) == doc.title


def as_markdown(doc: Document) -> str:
    """The clause tree as Markdown: the title line an ``#`` heading, each clause's heading a heading of
    its level, its lines paragraphs."""
    out: list[str] = []
    for c in doc.clauses():
        if c.heading and c.level >= 1:
            out += ["#" * min(c.level + 1, 6) + " " + c.heading, ""]
        for line in c.lines:
            title = c.style == "lead" and _is_title(doc, line)
            out.append(("# " if title else "") + line.replace("*", "\\*").replace("#", "\\#") + "\n")
    return "\n".join(out)


def as_tables(doc: Document) -> str:
    rows = [
        f"<tr><th>{html.escape(c.heading or '')}</th><td>{'<br>'.join(html.escape(x) for x in c.lines)}</td></tr>"
        for c in doc.clauses()
    ]
    in_text = any(_is_title(doc, line) for c in doc.clauses() if c.style == "lead" for line in c.lines)
    title = f"<h1>{html.escape(doc.title)}</h1>" if doc.title and not in_text else ""
    return f"<!doctype html><html><body>{title}<table>{''.join(rows)}</table></body></html>"
