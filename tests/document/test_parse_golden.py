"""Parsing is pinned: every corpus policy in every form (tests/document/parse_inputs.py) and every
text of tests/real/ parses to exactly the Document it parsed to when golden/parse_sha256.json was
written (the sha256 of document_to_json and of every clause field, as canonical JSON). A change of
parse output, however small, fails here; when it is intended, regenerate the file with
``python -m tests.document.parse_inputs`` and say why in the commit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.document.parse_inputs import corpus_inputs, digests, real_inputs

GOLDEN = json.loads((Path(__file__).parent / "golden" / "parse_sha256.json").read_text(encoding="utf-8"))


def _changed(found: dict[str, str], prefix: str) -> list[str]:
    expected = {k: v for k, v in GOLDEN.items() if k.startswith(prefix)}
    assert set(found) == set(expected), "the inputs changed: regenerate the golden file"
    return sorted(name for name, sha in found.items() if sha != expected[name])


def test_corpus_forms_parse_as_pinned() -> None:
    assert _changed(digests(corpus_inputs()), "corpus/") == []


def test_real_texts_parse_as_pinned() -> None:
    assert _changed(digests(real_inputs()), "real/") == []
