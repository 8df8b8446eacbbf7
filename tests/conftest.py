"""Shared fixtures. Sections: corpus (here); others add theirs below with a heading comment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# ---------------------------------------------------------------------------------------------
# corpus: ../shared/corpus beside the repository (POLICY_MONITOR_SHARED overrides the shared dir)

SHARED = Path(os.environ.get("POLICY_MONITOR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS} (set POLICY_MONITOR_SHARED)")
    return CORPUS
