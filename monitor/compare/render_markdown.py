"""The ``markdown`` view of a comparison: a GitHub-flavoured report (``~~deleted~~`` /
``**inserted**``). Policy text is untrusted: every character Markdown (or HTML, math) gives a meaning
to is escaped."""

from __future__ import annotations

import re
import unicodedata

from monitor.compare.render_common import (
    CATEGORY_ZH,
    ELLIPSIS,
    FACTS_HEADING,
    NO_CHANGES,
    Diff,
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
from monitor.model import Change, Comparison
from monitor.textsafe import printable

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#!])")
_MD_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
_HAIR = "\u200a"  # Unicode white space: lets ** and ~~ open/close next to CJK punctuation


def md_escape(text: str) -> str:
    """Inline text with every character that could start Markdown (or HTML, math) backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text).replace("\n", " "))


def _md_line_start(line: str) -> str:
    """Escape what would make a list item or a setext underline at the start of a line."""
    m = _MD_LINE_START.match(line)
    if m is None:
        return line
    if m.group(1):
        return "\\" + line
    return f"{m.group(2)}\\{line[len(m.group(2)) :]}"


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Zs"


def _is_punct(ch: str, *, symbols: bool) -> bool:
    cat = unicodedata.category(ch)
    return (
        (ch.isascii() and not ch.isalnum() and not ch.isspace())
        or cat[0] == "P"
        or (symbols and cat[0] == "S")
    )


def _md_diff_line(line: Diff) -> str:
    """One line of a word diff with ``~~deleted~~`` / ``**inserted**``.

    CommonMark opens (closes) emphasis only where the delimiter is left- (right-) flanking: next to
    Chinese text, a run that begins or ends with punctuation ("；", "）") would print its asterisks
    literally, so a hair space goes between such a delimiter and the text outside it.
    """
    out = ""
    for i, (op, raw) in enumerate(line):
        if op == 0:
            out += md_escape(raw)
            continue
        core = raw.strip()
        if not core:
            continue
        lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]
        out += md_escape(lead)
        mark = "~~" if op < 0 else "**"
        prev = out[-1] if out else " "
        nxt = trail[:1] or (line[i + 1][1][:1] if i + 1 < len(line) and line[i + 1][0] == 0 else "*")
        if _is_punct(core[0], symbols=True) and not (_is_space(prev) or _is_punct(prev, symbols=False)):
            out += _HAIR
        out += f"{mark}{md_escape(core)}{mark}"
        if _is_punct(core[-1], symbols=True) and not (_is_space(nxt) or _is_punct(nxt, symbols=False)):
            out += _HAIR
        out += md_escape(trail)
    return _md_line_start(out)


def md_quote(diff: Diff) -> list[str]:
    """The diff as a block quote, one hard line break per line of the clause."""
    lines = [_md_diff_line(line) for line in diff_lines(diff)]
    return [f"> {line}" + ("\\" if i + 1 < len(lines) else "") for i, line in enumerate(lines)]


def markdown(cmp: Comparison) -> str:
    out = [*_md_head(cmp), *_md_facts(cmp), *_md_criteria(cmp), *_md_notes(cmp)]
    if not cmp.changes:
        return printable("\n".join(out))
    out += [f"<sub>Long unchanged passages are shortened to {md_escape(ELLIPSIS)}.</sub>", ""]
    changes = ordered(cmp)
    material = [c for c in changes if c.material]
    groups = [("Material changes (重大变更)", material), ("Other changes", changes[len(material) :])]
    no = 0
    for heading, group in groups:
        if not group:
            continue
        out += [f"## {heading} ({len(group)})", ""]
        for change in group:
            no += 1
            out += _md_change(no, change)
    return printable("\n".join(out))  # every piece is escaped; this catches what a future one is not


def _md_head(cmp: Comparison) -> list[str]:
    """Title, verdict, the two sides' facts and the summary table."""
    s = summary(cmp)
    title = cmp.new.title or cmp.old.title or "privacy policy"
    out = [f"# Policy comparison: {md_escape(title)}", ""]
    if not cmp.changes:
        out += [f"**{NO_CHANGES}**", ""]
    elif cmp.material:
        out += [f"**Material change (重大变更): {s['material']} of {len(cmp.changes)} changes.**", ""]
    else:
        out += [f"No material change (重大变更) among {len(cmp.changes)} changes.", ""]
    old, new = side_facts(cmp.old), side_facts(cmp.new)
    out += ["| | Old | New |", "|---|---|---|"]
    out += [f"| {key.capitalize()} | {md_escape(old[key])} | {md_escape(new[key])} |" for key in old]
    out += ["", "## Summary", ""]
    out += ["| Material | Added | Removed | Modified | Moved |", "|---:|---:|---:|---:|---:|"]
    out += [f"| {s['material']} | {s['added']} | {s['removed']} | {s['modified']} | {s['moved']} |", ""]
    if s["categories"]:
        cats = ", ".join(f"`{cat}` {CATEGORY_ZH.get(cat, '')} ({n})" for cat, n in s["categories"].items())
        out += [f"Material categories: {cats}", ""]
    return out


def _md_facts(cmp: Comparison) -> list[str]:
    lines = fact_summary(cmp)
    if not lines:
        return []
    return [f"## {FACTS_HEADING}", "", *(f"- {_md_line_start(md_escape(line))}" for line in lines), ""]


def _md_criteria(cmp: Comparison) -> list[str]:
    out = ["## Criteria (重大变更)", "", f"Source: {criteria_source(cmp)}.", ""]
    if cmp.criteria is not None:
        for item in cmp.criteria.items:
            cats = ", ".join(f"`{c}`" for c in item.categories)
            out.append(f"{item.no}. {_md_line_start(md_escape(item.text))}" + (f" — {cats}" if cats else ""))
        out.append("")
    return out


def _md_notes(cmp: Comparison) -> list[str]:
    if not cmp.notes:
        return []
    out = ["## Notes", ""]
    for key, value in cmp.notes.items():
        out.append(f"- **{md_escape(str(key))}**")
        out.extend(f"  - {_md_line_start(md_escape(line))}" for line in note_lines(value))
    out.append("")
    return out


def _md_change(no: int, change: Change) -> list[str]:
    out = [f"### {no}. {change.kind} · {md_escape(path_label(change))}", ""]
    if change.material:
        cats = ", ".join(f"`{c}` {CATEGORY_ZH.get(c, '')}".rstrip() for c in change.categories)
        out.append(f"**Material (重大变更)**: {cats or 'uncategorised'}")
        out.append("")
        out.extend(f"- Criterion: {md_escape(c)}" for c in change.criteria)
        out.extend(f"- Evidence: {md_escape(e)}" for e in change.evidence)
        if change.criteria or change.evidence:
            out.append("")
    out += [*md_quote(elide(change.diff)), ""]
    if not change.material and change.evidence:
        out += ["<sub>Reason: " + md_escape("; ".join(change.evidence)) + "</sub>", ""]
    return out
