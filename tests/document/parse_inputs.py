"""The policies whose parse is pinned by tests/document/golden/ (test_parse_golden.py) and timed by
bench/parse.py: every corpus policy in several forms, and every text of tests/real/.

Forms of a corpus policy (all deterministic): the .txt as is; layout edits of it (full width ↔ half
width, hard wraps at 40 and 64 characters, extra white space with zero-width spaces); Markdown and a
page of tables built from its clause tree; and three web pages (tests/helpers/edits.to_html), one of
them in GBK. The PDFs printed by Chromium are left out: their header carries the date of printing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from monitor.model import Clause, Document, MediaType

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
REAL = ROOT / "tests" / "real"
_MEDIA: dict[str, MediaType] = {".txt": "text", ".md": "markdown", ".html": "html"}


def corpus_inputs() -> list[tuple[str, bytes, MediaType]]:
    """(name, bytes, media type) of every form of every corpus policy."""
    from monitor.document.parse import parse
    from tests.helpers.edits import add_whitespace, flip_width, rewrap, to_html
    from tests.helpers.forms import as_markdown, as_tables

    out: list[tuple[str, bytes, MediaType]] = []
    for path in sorted(CORPUS.glob("*.txt")):
        stem, text = path.stem, path.read_text(encoding="utf-8")
        doc = parse(text.encode("utf-8"), media_type="text", source=path.name)
        forms: list[tuple[str, str, MediaType]] = [
            ("txt", text, "text"),
            ("flip.txt", flip_width(text), "text"),
            ("wrap40.txt", rewrap(text, 40), "text"),
            ("wrap64.txt", rewrap(text, 64), "text"),
            ("space.txt", add_whitespace(text, seed=3), "text"),
            ("md", as_markdown(doc), "markdown"),
            ("tables.html", as_tables(doc), "html"),
            ("html", to_html(text), "html"),
            ("v1.html", to_html(text, variant=1), "html"),
        ]
        out += [(f"corpus/{stem}.{form}", body.encode("utf-8"), kind) for form, body, kind in forms]
        gbk = to_html(text, variant=2, charset="gbk").encode("gb18030")
        out.append((f"corpus/{stem}.v2-gbk.html", gbk, "html"))
    return out


def real_inputs() -> list[tuple[str, bytes, MediaType]]:
    """(name, bytes, media type) of every old and new text of the tuning sets of tests/real."""
    out: list[tuple[str, bytes, MediaType]] = []
    for split in (
        "cases",
        "batch4",
        "batch5",
        "batch6",
        "batch7",
        "batch8",
        "batch9",
        "batch10",
        "batch11",
        "batch12",
        "batch13",
        "batch14",
        "batch15",
        "batch16",
        "holdout",
    ):
        for path in sorted((REAL / split).glob("*/*")):
            if path.suffix in _MEDIA and path.stem in ("old", "new"):
                name = f"real/{split}/{path.parent.name}/{path.name}"
                out.append((name, path.read_bytes(), _MEDIA[path.suffix]))
    return out


def _clause_dump(c: Clause) -> dict[str, Any]:
    return {
        "marker": c.marker,
        "title": c.title,
        "lines": c.lines,
        "style": c.style,
        "level": c.level,
        "label": c.label,
        "path": c.path,
        "norm": c.norm,
        "index": c.index,
        "ordinal": c.ordinal,
        "children": [_clause_dump(child) for child in c.children],
    }


def canonical_dump(doc: Document) -> str:
    """``document_to_json`` and every field of every clause, as one canonical JSON text."""
    from monitor.document.parse import document_to_json

    full = {
        "json": document_to_json(doc),
        "criteria_items": doc.criteria_items,
        "clauses": [_clause_dump(s) for s in doc.sections],
    }
    return json.dumps(full, ensure_ascii=False, sort_keys=True, indent=None)


def digest(doc: Document) -> str:
    return hashlib.sha256(canonical_dump(doc).encode("utf-8")).hexdigest()


def digests(inputs: list[tuple[str, bytes, MediaType]]) -> dict[str, str]:
    """name → sha256 of the canonical dump of its parse (or of the error it raises)."""
    from monitor.document.parse import parse

    out: dict[str, str] = {}
    for name, data, kind in inputs:
        try:
            out[name] = digest(parse(data, media_type=kind, source=name))
        except Exception as exc:  # an input the parser refuses is pinned by its message
            out[name] = "error: " + hashlib.sha256(f"{type(exc).__name__}: {exc}".encode()).hexdigest()
    return out


if __name__ == "__main__":  # regenerate the golden file (only from a revision whose output is right)
    golden = {**digests(corpus_inputs()), **digests(real_inputs())}
    target = ROOT / "tests" / "document" / "golden" / "parse_sha256.json"
    target.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(golden)} documents → {target}")
