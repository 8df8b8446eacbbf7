"""The ``text`` view of a comparison: like ``git diff --word-diff`` (``[-deleted-]{+inserted+}``),
ANSI colours on request. Terminal escapes and bidi overrides in policy text are removed
(:mod:`monitor.textsafe`)."""

from __future__ import annotations

from monitor.compare.render_common import (
    FACTS_HEADING,
    NO_CHANGES,
    Diff,
    categories_line,
    counts_line,
    criteria_source,
    diff_lines,
    elide,
    fact_summary,
    note_lines,
    ordered,
    path_label,
    side_facts,
    summary,
)
from monitor.model import Comparison
from monitor.textsafe import printable

_clean = printable  # no terminal escapes or bidi overrides from policy text


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def label(self, text: str) -> str:
        return self._sgr("33", text)

    def deleted(self, text: str) -> str:
        return self._sgr("31", f"[-{text}-]")

    def inserted(self, text: str) -> str:
        return self._sgr("32", f"{{+{text}+}}")

    def dim(self, text: str) -> str:
        return self._sgr("2", text)


def _text_diff(diff: Diff, st: _Style, indent: str) -> list[str]:
    """Word diff lines; a deleted or inserted run over a line break is marked on each line."""
    out = []
    for line in diff_lines(diff):
        parts = []
        for op, text in line:
            text = _clean(text)
            parts.append(text if op == 0 else st.deleted(text) if op < 0 else st.inserted(text))
        out.append(indent + "".join(parts))
    return out


def _head(cmp: Comparison, st: _Style) -> list[str]:
    """The two sides, the counts, the criteria, the notes and the privacy facts' delta."""
    s = summary(cmp)
    out = [st.bold("Policy comparison")]
    for name, doc in (("old", cmp.old), ("new", cmp.new)):
        f = side_facts(doc)
        out.append(f"  {st.label(name)}  {_clean(f['source'])}")
        out.append(
            f"       title {_clean(f['title'])}  operator {_clean(f['operator'])}  "
            f"updated {f['updated']}  effective {f['effective']}  {f['clauses']} clauses"
        )
    out.append(f"{st.label('changes:')} {counts_line(s, len(cmp.changes))}")
    if s["categories"]:
        out.append(f"{st.label('material categories:')} {categories_line(s)}")
    if cmp.criteria is not None:
        out.append(f"{st.label('criteria:')} {criteria_source(cmp)}, {len(cmp.criteria.items)} items")
    for key, value in cmp.notes.items():
        out.append(st.label(f"{_clean(str(key))}:"))
        out.extend(f"  - {_clean(line)}" for line in note_lines(value))
    facts = fact_summary(cmp)
    if facts:
        out.append(st.label(f"{FACTS_HEADING}:"))
        out.extend(f"  - {_clean(line)}" for line in facts)
    out.append("")
    return out


def text(cmp: Comparison, *, color: bool) -> str:
    st = _Style(color)
    out = _head(cmp, st)
    if not cmp.changes:
        out.append(NO_CHANGES)
        return "\n".join(out) + "\n"
    changes = ordered(cmp)
    material = [c for c in changes if c.material]
    groups = [("Material changes (重大变更)", material), ("Other changes", changes[len(material) :])]
    no = 0
    for title, group in groups:
        if not group:
            continue
        out.append(st.bold(f"{title}: {len(group)}"))
        out.append("")
        for change in group:
            no += 1
            out.append(f"[{no}] {st.label(change.kind)}  {st.bold(_clean(path_label(change)))}")
            if change.material:
                if change.categories:
                    out.append(f"    {st.label('categories:')} {', '.join(change.categories)}")
                out.extend(f"    {st.label('criteria:')} {_clean(c)}" for c in change.criteria)
                out.extend(f"    {st.label('evidence:')} {_clean(e)}" for e in change.evidence)
            out.extend(_text_diff(elide(change.diff), st, "    "))
            if not change.material:
                out.extend("    " + st.dim(f"reason: {_clean(e)}") for e in change.evidence)
            out.append("")
    return "\n".join(out)
