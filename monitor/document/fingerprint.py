"""Fingerprints of the extraction code, stored with each version so that an upgrade of the extractor
is recognised as such (the text is re-read, nothing is reported) rather than as a change of policy.

The fingerprint is taken from the code's syntax tree without its import statements, so moving or
renaming modules (which changes paths and imports, not behaviour) keeps it. Parsing the modules costs
~60 ms, paid by every process that records a version: the fingerprint of the sources' exact bytes is
kept in a small file of the user's cache directory (``$XDG_CACHE_HOME/policy-monitor``, else
``~/.cache/policy-monitor``), named after a digest of those bytes, so an edited module is never read
through a stale entry; a cache that cannot be read or written only means parsing again.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import os
import re
from collections.abc import Iterable
from pathlib import Path

# the modules that turn bytes into a document's text
EXTRACTION_MODULES = (
    "monitor.document.extract",
    "monitor.document.cfemail",
    "monitor.document.sfc",
    "monitor.document.normalize",
    "monitor.document.segment",
    "monitor.document.numbering",
    "monitor.document.markdown",
    "monitor.document.pdf",
    "monitor.document.meta",
    "monitor.document.parse",
)


class _DropImports(ast.NodeTransformer):
    def visit_Import(self, node: ast.Import) -> None:
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return None


def code_fingerprint(sources: Iterable[str]) -> str:
    """A digest of Python sources that ignores their file names, order, comments, layout and imports."""
    digests = sorted(
        hashlib.sha256(ast.dump(_DropImports().visit(ast.parse(src))).encode()).hexdigest() for src in sources
    )
    return hashlib.sha256("".join(digests).encode()).hexdigest()[:16]


@functools.cache
def extractor_code() -> str:
    """Fingerprint of the code that turns bytes into a document's text."""
    sources = []
    for name in EXTRACTION_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        with open(spec.origin, encoding="utf-8") as f:
            sources.append(f.read())
    raw = hashlib.sha256("\x00".join(sources).encode()).hexdigest()[:32]
    entry = cache_dir() / f"extractor-{raw}"
    try:
        kept = entry.read_text(encoding="ascii").strip()
        if _FINGERPRINT.fullmatch(kept):
            return kept
    except (OSError, UnicodeDecodeError):
        pass
    fingerprint = code_fingerprint(sources)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        part = entry.with_name(f"{entry.name}.{os.getpid()}.part")
        part.write_text(fingerprint + "\n", encoding="ascii")
        part.replace(entry)  # atomic: a reader sees the whole entry or none
    except OSError:
        pass
    return fingerprint


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def cache_dir() -> Path:
    """policy-monitor's directory in the user's cache (XDG Base Directory: $XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policy-monitor"


def extraction_key(selector: str | None, remove: str | None, encoding: str | None) -> str:
    """Fingerprint of the extraction code and an operator's settings: equal keys give equal text."""
    raw = "\x1f".join([extractor_code(), selector or "", remove or "", (encoding or "").lower()])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
