"""The two documents of a pair of tests/real (see tests/real/README.md), read as `compare` reads files."""

from __future__ import annotations

from pathlib import Path

from monitor.document.parse import load
from monitor.model import Document

REAL = Path(__file__).resolve().parents[1] / "real"


def documents(split: str, pair_id: str) -> tuple[Document, Document]:
    """The old and the new document of the pair ``pair_id`` of the set ``split``."""
    folder = REAL / split / pair_id
    old, new = (load(next(folder.glob(f"{side}.*"))) for side in ("old", "new"))
    return old, new
