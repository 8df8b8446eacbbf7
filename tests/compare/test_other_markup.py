"""The same policy text in other markup gives no material change against its .txt: every corpus
policy as Markdown (headings from its own clause tree), as a plain page, as a page of tables (one row
per clause: heading cell, text cell) and with its second-level sections merged into their parents."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import load
from monitor.model import Document
from tests.helpers.corpus import CORPUS, CORPUS_FILES
from tests.helpers.edits import to_html


def as_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""] if doc.title else []
    for c in doc.clauses():
        if c.heading and c.level >= 1:
            out += ["#" * min(c.level + 1, 6) + " " + c.heading, ""]
        out += [line.replace("*", "\\*").replace("#", "\\#") + "\n" for line in c.lines]
    return "\n".join(out)


def as_tables(doc: Document) -> str:
    rows = [
        f"<tr><th>{html.escape(c.heading or '')}</th><td>{'<br>'.join(html.escape(x) for x in c.lines)}</td></tr>"
        for c in doc.clauses()
    ]
    title = f"<h1>{html.escape(doc.title)}</h1>" if doc.title else ""
    return f"<!doctype html><html><body>{title}<table>{''.join(rows)}</table></body></html>"


def merged(text: str, doc: Document) -> str:
    """Second-level headings become the first words of their section's text (no heading of their own)."""
    lines = text.split("\n")
    for c in doc.clauses():
        if c.level == 2 and c.heading and c.lines:
            for i, line in enumerate(lines):
                if line.strip() == c.heading:
                    lines[i] = ""
                    break
    return "\n".join(lines)


FORMS = {
    "markdown": ("md", lambda text, doc: as_markdown(doc)),
    "page": ("html", lambda text, doc: to_html(text, variant=1)),
    "tables": ("html", lambda text, doc: as_tables(doc)),
    "merged": ("txt", merged),
}


# Known gaps, each failing today (strict: a fix makes the test fail until the entry is removed): the
# other form cuts these policies into clauses differently, and a heading glued to the next sentence
# makes that sentence "new", so its types and purposes are read as added.
KNOWN_GAPS = {
    ("cainiao.txt", "markdown"),
    ("cainiao.txt", "tables"),
    ("jd-express.txt", "markdown"),
    ("jd-express.txt", "tables"),
    ("yunju.txt", "merged"),
}
PARAMS = [
    pytest.param(
        name,
        form,
        marks=[pytest.mark.xfail(strict=True, reason="re-segmented headings glue into sentences")]
        if (name, form) in KNOWN_GAPS
        else [],
    )
    for name in CORPUS_FILES
    for form in sorted(FORMS)
]


@pytest.mark.parametrize(("name", "form"), PARAMS)
def test_no_material_change_in_other_markup(tmp_path: Path, name: str, form: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    original = load(CORPUS / name)
    ext, render = FORMS[form]
    other = tmp_path / f"{Path(name).stem}.{ext}"
    other.write_text(render(text, original), encoding="utf-8")
    cmp = compare(original, load(other))
    flagged = [
        (c.new_path if hasattr(c, "new_path") else None, c.categories, c.evidence[:2])
        for c in cmp.changes
        if c.material
    ]
    assert not flagged
