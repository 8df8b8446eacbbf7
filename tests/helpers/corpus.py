"""The corpus of real privacy policies, kept in the repository (tests/corpus/, see its README)."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.txt"))


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")
