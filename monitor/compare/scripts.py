"""Two versions of a policy written in two scripts: one in simplified characters, the other in
traditional ones (a page converted for Taiwan or Hong Kong readers, or back). Clause by clause nothing
would match, and every clause would be "removed" and "added" again; such a pair is compared in
simplified characters, both versions converted with opencc's ``t2s`` character by character (the
texts of its changes then read so). Words a localisation changed (使用者 for 用户, 資訊 for 信息) stay
words that changed. Versions in one script, whichever, are compared as written.

Which script a version is in is counted on the characters only one script writes so
(``monitor/data/scripts.txt``: those opencc's ``s2t``, and those its ``t2s``, turns into another one,
one at a time), not by converting the whole text both ways: opencc's ``s2t`` alone holds about 28 MB
of dictionaries in every process that compares. ``python -m monitor.compare.scripts`` writes the file
again from opencc."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files

from monitor.document.normalize import simplified, traditional
from monitor.model import Clause, Document

MIN_CHARS = 20  # characters that only one script writes so, for a document to be in that script
DOMINANCE = 4  # … and this many times as many as those of the other script


# the unified ideographs and extension A (the compatibility ideographs are normalized away by both)
_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))


@lru_cache(maxsize=1)
def _only() -> tuple[frozenset[str], frozenset[str]]:
    """(the characters only simplified text writes so, those only traditional text writes so)."""
    simp, trad = files("monitor").joinpath("data/scripts.txt").read_text(encoding="utf-8").splitlines()[1:3]
    return frozenset(simp), frozenset(trad)


def script(doc: Document) -> str | None:
    """``simplified``, ``traditional``, ``mixed`` (both, neither dominating: a page holding the policy
    in both scripts), or None (no Chinese, or too little to say)."""
    simp_only, trad_only = _only()
    counts = Counter("".join(c.norm for c in doc.clauses()))  # each character once, not each place
    trad = sum(n for ch, n in counts.items() if ch in trad_only)
    simp = sum(n for ch, n in counts.items() if ch in simp_only)
    if trad >= MIN_CHARS and trad > DOMINANCE * simp:
        return "traditional"
    if simp >= MIN_CHARS and simp > DOMINANCE * trad:
        return "simplified"
    return "mixed" if min(simp, trad) >= MIN_CHARS else None


def differ(old: Document, new: Document) -> bool:
    """Whether one version is in simplified characters and the other in traditional ones, or one in
    traditional characters and the other in both (the policy's simplified copy added beside it)."""
    _, trad_only = _only()
    if all(trad_only.isdisjoint(c.norm) for doc in (old, new) for c in doc.clauses()):
        return False  # neither writes a character only traditional text writes so (most pairs): no count
    return {script(old), script(new)} in ({"simplified", "traditional"}, {"traditional", "mixed"})


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


def from_opencc() -> tuple[str, str]:
    """(the simplified-only, the traditional-only characters) as opencc converts them one at a time."""
    chars = [chr(c) for lo, hi in _RANGES for c in range(lo, hi)]
    simp = "".join(c for c, t in zip(chars, traditional("\n".join(chars)).split("\n"), strict=True) if t != c)
    trad = "".join(c for c, s in zip(chars, simplified("\n".join(chars)).split("\n"), strict=True) if s != c)
    return simp, trad


def _write() -> None:
    """Write ``monitor/data/scripts.txt`` from opencc (run as ``python -m monitor.compare.scripts``)."""
    simp, trad = from_opencc()
    head = "# written by python -m monitor.compare.scripts: simplified-only, then traditional-only characters"
    path = files("monitor").joinpath("data/scripts.txt")
    with open(str(path), "w", encoding="utf-8") as out:
        out.write(f"{head}\n{simp}\n{trad}\n")
    print(f"{path}: {len(simp)} simplified-only, {len(trad)} traditional-only characters", file=sys.stderr)


if __name__ == "__main__":
    _write()
