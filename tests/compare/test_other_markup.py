"""The same policy text in other markup gives no material change against its .txt: every corpus
policy as Markdown (headings from its own clause tree), as a plain page, as a page of tables (one row
per clause: heading cell, text cell) and with its second-level sections merged into their parents."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import load
from monitor.model import Document
from tests.helpers.corpus import CORPUS, CORPUS_FILES
from tests.helpers.edits import to_html
from tests.helpers.forms import as_markdown, as_tables
from tests.helpers.real_pairs import documents


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


# yunju.txt "merged" deletes the words of two unnumbered second-level headings, so their sections'
# text runs on into the lettered items before them and is read as one clause: the comparison pairs
# old (c) + the headed section with new (c). It gives no material change because a heading line is
# no statement (fact_findings._still_there leaves the clauses' headings out of its sentence check).
PARAMS = [pytest.param(name, form) for name in CORPUS_FILES for form in sorted(FORMS)]


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


def test_a_run_on_page_given_paragraphs_is_no_material_change() -> None:
    """小决定 (tests/real/batch27): a page whose text ran on without markup (one clause), given paragraphs
    and line breaks: its sections are added clauses whose every sentence the old page states."""
    old, new = documents("batch27", "xiaojueding--2021-06-21--2021-06-21")
    assert len(list(old.clauses())) == 1 and len(list(new.clauses())) > 5
    cmp = compare(old, new)
    assert any(c.kind == "added" for c in cmp.changes)
    assert [c.evidence for c in cmp.changes if c.material] == []
