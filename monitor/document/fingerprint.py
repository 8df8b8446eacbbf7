"""Fingerprints of the extraction code, stored with each version so that an upgrade of the extractor
is recognised as such (the text is re-read, nothing is reported) rather than as a change of policy.

The fingerprint is taken from the code's syntax tree without its import statements, so moving or
renaming modules (which changes paths and imports, not behaviour) keeps it.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from collections.abc import Iterable

# the modules that turn bytes into a document's text
EXTRACTION_MODULES = (
    "monitor.document.extract",
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
    return code_fingerprint(sources)


def extraction_key(selector: str | None, remove: str | None, encoding: str | None) -> str:
    """Fingerprint of the extraction code and an operator's settings: equal keys give equal text."""
    raw = "\x1f".join([extractor_code(), selector or "", remove or "", (encoding or "").lower()])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
