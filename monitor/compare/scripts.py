"""Two versions of a policy written in two scripts: one in simplified characters, the other in
traditional ones (a page converted for Taiwan or Hong Kong readers, or back). Clause by clause nothing
would match, and every clause would be "removed" and "added" again; such a pair is compared in
simplified characters, both versions converted with opencc's ``t2s`` character by character (the
texts of its changes then read so). Words a localisation changed (使用者 for 用户, 資訊 for 信息) stay
words that changed. Versions in one script, whichever, are compared as written."""

from __future__ import annotations

from dataclasses import replace

from monitor.document.normalize import simplified, traditional
from monitor.model import Clause, Document

MIN_CHARS = 20  # characters that only one script writes so, for a document to be in that script
DOMINANCE = 4  # … and this many times as many as those of the other script


def script(doc: Document) -> str | None:
    """``simplified``, ``traditional``, or None (no Chinese, or both scripts mixed)."""
    text = "\n".join(c.norm for c in doc.clauses())
    trad = sum(a != b for a, b in zip(text, simplified(text), strict=False))
    simp = sum(a != b for a, b in zip(text, traditional(text), strict=False))
    if trad >= MIN_CHARS and trad > DOMINANCE * simp:
        return "traditional"
    if simp >= MIN_CHARS and simp > DOMINANCE * trad:
        return "simplified"
    return None


def differ(old: Document, new: Document) -> bool:
    """Whether one version is in simplified characters and the other in traditional ones."""
    return {script(old), script(new)} == {"simplified", "traditional"}


def in_simplified(doc: Document) -> Document:
    """A copy of ``doc`` with its titles, lines, labels and paths in simplified characters."""

    def copy(clause: Clause, parent: Clause | None) -> Clause:
        new = replace(
            clause,
            title=simplified(clause.title) if clause.title else clause.title,
            lines=[simplified(line) for line in clause.lines],
            label=simplified(clause.label),
            path=simplified(clause.path),
            norm=simplified(clause.norm),
            children=[],
            parent=parent,
        )
        new.children = [copy(child, new) for child in clause.children]
        return new

    return replace(
        doc,
        title=simplified(doc.title) if doc.title else doc.title,
        criteria_items=[simplified(item) for item in doc.criteria_items],
        declared_changes=[simplified(item) for item in doc.declared_changes],
        sections=[copy(section, None) for section in doc.sections],
    )
