"""One policy in four forms reads as one policy: every corpus policy as .txt, as Markdown (from its
clause tree), as a web page and as a PDF printed from that page by Chromium (header and footer on)
gives ZERO changes, not only no material one, between any two forms."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import load
from monitor.model import Document
from tests.helpers.corpus import CORPUS, CORPUS_FILES, corpus_text
from tests.helpers.edits import to_html
from tests.helpers.forms import as_markdown


def _forms(tmp_path: Path, name: str) -> dict[str, Document]:
    stem = Path(name).stem
    txt = load(CORPUS / name)
    (tmp_path / f"{stem}.md").write_text(as_markdown(txt), encoding="utf-8")
    (tmp_path / f"{stem}.html").write_text(to_html(corpus_text(name)), encoding="utf-8")
    return {
        "txt": txt,
        "md": load(tmp_path / f"{stem}.md"),
        "html": load(tmp_path / f"{stem}.html"),
    }


def _differences(a: Document, b: Document) -> list[str]:
    return [
        f"{c.kind} {c.old.path if c.old else '-'} → {c.new.path if c.new else '-'}"
        for c in compare(a, b).changes
    ]


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_text_markdown_and_page_give_zero_changes(tmp_path: Path, name: str) -> None:
    forms = _forms(tmp_path, name)
    for a, b in combinations(forms, 2):
        assert _differences(forms[a], forms[b]) == [], f"{name}: {a} → {b}"


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_pdf_gives_zero_changes_against_every_other_form(
    tmp_path: Path, corpus_pdfs: dict[str, Path], name: str
) -> None:
    forms = _forms(tmp_path, name)
    pdf = load(corpus_pdfs[Path(name).stem])
    for form, doc in forms.items():
        assert _differences(doc, pdf) == [], f"{name}: {form} → pdf"
    assert pdf.sha256 == forms["txt"].sha256  # the same normalized text, clause for clause
    assert pdf.title == forms["html"].title  # its metadata title is the page's <title>


@pytest.mark.slow
def test_pdf_without_header_on_other_paper_gives_zero_changes(corpus_pdfs: dict[str, Path]) -> None:
    txt = load(CORPUS / "cainiao.txt")
    assert _differences(txt, load(corpus_pdfs["cainiao-a5"])) == []


@pytest.mark.slow
def test_pdf_page_furniture_is_gone(corpus_pdfs: dict[str, Path]) -> None:
    """Chromium's header (date, title) and footer (file URL, "3/11") are on every page of the PDF,
    and in none of the lines read from it."""
    from pypdf import PdfReader

    path = corpus_pdfs["cainiao"]
    pages = PdfReader(path).pages
    assert len(pages) > 3 and f"2/{len(pages)}" in pages[1].extract_text()
    text = "\n".join(c.full_text for c in load(path).clauses())
    assert "file:" not in text
    assert not re.search(rf"\d/{len(pages)}\b|\d{{1,2}}/\d{{1,2}}/\d{{2}}, \d{{1,2}}:\d{{2}}", text)
