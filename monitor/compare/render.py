"""Human views of a :class:`~monitor.model.Comparison`: ``text``, ``markdown`` and ``html``.

* ``text`` reads like ``git diff --word-diff``: ``[-deleted-]{+inserted+}``, ANSI colours on request;
* ``markdown`` is a GitHub-flavoured report for a ticket (``~~deleted~~`` / ``**inserted**``);
* ``html`` is one self-contained page (inline CSS, no scripts) with old and new side by side.

Material changes (重大变更) come first in every view. Policy text is untrusted input: the markdown view
escapes every character Markdown gives a meaning to, the html view escapes everything (autoescape).
The json form is :func:`monitor.compare.comparison.to_json`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from monitor.compare.comparison import summary
from monitor.model import Change, Comparison, Document

FORMATS: tuple[str, ...] = ("text", "markdown", "html")

NO_CHANGES = "No changes: the two versions are the same policy (differences of layout are ignored)."

KIND_ZH = {"added": "新增", "removed": "删除", "modified": "修改", "moved": "移动"}

# the contract's category ids → the 重大变更 item of GB/T 35273-2020 they stand for, in short
CATEGORY_ZH = {
    "processing": "处理目的、类型或方式",
    "controller": "所有者或控制者",
    "recipients": "共享、转让、公开披露对象",
    "rights": "个人信息权利及行使方式",
    "contact": "责任部门、联络方式、投诉渠道",
    "risk": "影响评估表明高风险",
    "other": "其他重大影响",
}

Diff = list[tuple[int, str]]


def render(cmp: Comparison, fmt: str, *, color: bool = False) -> str:
    """``cmp`` as ``text``, ``markdown`` or ``html``; ``color`` (ANSI) applies to ``text`` only."""
    if fmt == "text":
        return _text(cmp, color=color)
    if fmt == "markdown":
        return _markdown(cmp)
    if fmt == "html":
        return _html(cmp)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# what every view shows


def ordered(cmp: Comparison) -> list[Change]:
    """Material changes first, each group in document order."""
    return [c for c in cmp.changes if c.material] + [c for c in cmp.changes if not c.material]


def side_paths(change: Change) -> tuple[str | None, str | None]:
    """(old path, new path); a clause split or merged lists all its parts joined by `` + ``."""
    old = " + ".join(c.path for c in [change.old, *change.old_extra]) if change.old else None
    new = " + ".join(c.path for c in [change.new, *change.new_extra]) if change.new else None
    return old, new


def path_label(change: Change) -> str:
    """One path, or ``old → new`` when they differ (always for a move)."""
    old, new = side_paths(change)
    if old is None or new is None:
        return old or new or ""
    if old == new and change.kind != "moved":
        return old
    return f"{old} → {new}"


def old_new_segments(diff: Diff) -> tuple[Diff, Diff]:
    """The diff as the old text (kept + deleted) and the new text (kept + inserted)."""
    return [(op, t) for op, t in diff if op <= 0], [(op, t) for op, t in diff if op >= 0]


ELLIPSIS = "[…]"


def elide(diff: Diff, context: int = 60) -> Diff:
    """Unchanged runs cut to ``context`` characters beside each change, ``[…]`` for the rest.

    A clause with nothing marked (a move) keeps its first ``2 * context`` characters. The text and
    markdown views elide; the html view shows whole clauses.
    """
    if all(op == 0 for op, _ in diff):
        text = "".join(t for _, t in diff)
        return diff if len(text) <= 2 * context + len(ELLIPSIS) else [(0, text[: 2 * context] + ELLIPSIS)]
    out: Diff = []
    for i, (op, text) in enumerate(diff):
        head = 0 if i == 0 else context  # what follows a change
        tail = 0 if i == len(diff) - 1 else context  # what precedes the next one
        if op != 0 or len(text) <= head + tail + 2 * len(ELLIPSIS):
            out.append((op, text))
        else:
            out.append((0, text[:head] + ELLIPSIS + text[len(text) - tail :]))
    return out


def _lines(diff: Diff) -> list[Diff]:
    """Split a diff at line breaks: one list of (op, text) per line, texts without ``\\n``."""
    lines: list[Diff] = [[]]
    for op, text in diff:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append((op, part))
    return [line for line in lines if line]


def _criteria_source(cmp: Comparison) -> str:
    if cmp.criteria is None:
        return "not determined"
    if cmp.criteria.source == "policy":
        return "the policy's own 重大变更 list"
    return "the six standard items of GB/T 35273-2020 (the policy has no list of its own)"


def _note_lines(value: Any) -> list[str]:
    """A note's value as lines of text, whatever its shape (a list: one line per item)."""

    def one(v: Any) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)

    if isinstance(value, list | tuple):
        return [one(v) for v in value]
    if isinstance(value, dict):
        return [f"{k}: {one(v)}" for k, v in value.items()]
    return [one(value)]


def _side_facts(doc: Document) -> dict[str, str]:
    return {
        "source": doc.source,
        "title": doc.title or "—",
        "operator": doc.operator or "—",
        "updated": doc.updated or "—",
        "effective": doc.effective or "—",
        "clauses": str(sum(1 for _ in doc.clauses())),
    }


def _counts_line(s: dict[str, Any], total: int) -> str:
    parts = ", ".join(f"{s[k]} {k}" for k in ("added", "removed", "modified", "moved"))
    return f"{total} change{'' if total == 1 else 's'} ({parts}); {s['material']} material"


def _categories_line(s: dict[str, Any]) -> str:
    return ", ".join(f"{cat} ({n})" for cat, n in s["categories"].items())


# ---------------------------------------------------------------------------------------------
# text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    """No terminal escapes or bidi overrides from policy text: they become U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


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
    for line in _lines(diff):
        parts = []
        for op, text in line:
            text = _clean(text)
            parts.append(text if op == 0 else st.deleted(text) if op < 0 else st.inserted(text))
        out.append(indent + "".join(parts))
    return out


def _text(cmp: Comparison, *, color: bool) -> str:
    st = _Style(color)
    s = summary(cmp)
    out = [st.bold("Policy comparison")]
    for name, doc in (("old", cmp.old), ("new", cmp.new)):
        f = _side_facts(doc)
        out.append(f"  {st.label(name)}  {_clean(f['source'])}")
        out.append(
            f"       title {_clean(f['title'])}  operator {_clean(f['operator'])}  "
            f"updated {f['updated']}  effective {f['effective']}  {f['clauses']} clauses"
        )
    out.append(f"{st.label('changes:')} {_counts_line(s, len(cmp.changes))}")
    if s["categories"]:
        out.append(f"{st.label('material categories:')} {_categories_line(s)}")
    if cmp.criteria is not None:
        out.append(f"{st.label('criteria:')} {_criteria_source(cmp)}, {len(cmp.criteria.items)} items")
    for key, value in cmp.notes.items():
        out.append(st.label(f"{_clean(str(key))}:"))
        out.extend(f"  - {_clean(line)}" for line in _note_lines(value))
    out.append("")
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


# ---------------------------------------------------------------------------------------------
# markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#!])")
_MD_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
_HAIR = "\u200a"  # Unicode white space: lets ** and ~~ open/close next to CJK punctuation


def md_escape(text: str) -> str:
    """Inline text with every character that could start Markdown (or HTML, math) backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", "").replace("\n", " "))


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
    lines = [_md_diff_line(line) for line in _lines(diff)]
    return [f"> {line}" + ("\\" if i + 1 < len(lines) else "") for i, line in enumerate(lines)]


def _markdown(cmp: Comparison) -> str:
    s = summary(cmp)
    title = cmp.new.title or cmp.old.title or "privacy policy"
    out = [f"# Policy comparison: {md_escape(title)}", ""]
    if not cmp.changes:
        out += [f"**{NO_CHANGES}**", ""]
    elif cmp.material:
        out += [f"**Material change (重大变更): {s['material']} of {len(cmp.changes)} changes.**", ""]
    else:
        out += [f"No material change (重大变更) among {len(cmp.changes)} changes.", ""]
    old, new = _side_facts(cmp.old), _side_facts(cmp.new)
    out += ["| | Old | New |", "|---|---|---|"]
    out += [f"| {key.capitalize()} | {md_escape(old[key])} | {md_escape(new[key])} |" for key in old]
    out += ["", "## Summary", ""]
    out += ["| Material | Added | Removed | Modified | Moved |", "|---:|---:|---:|---:|---:|"]
    out += [f"| {s['material']} | {s['added']} | {s['removed']} | {s['modified']} | {s['moved']} |", ""]
    if s["categories"]:
        cats = ", ".join(f"`{cat}` {CATEGORY_ZH.get(cat, '')} ({n})" for cat, n in s["categories"].items())
        out += [f"Material categories: {cats}", ""]
    out += ["## Criteria (重大变更)", "", f"Source: {_criteria_source(cmp)}.", ""]
    if cmp.criteria is not None:
        for item in cmp.criteria.items:
            cats = ", ".join(f"`{c}`" for c in item.categories)
            out.append(f"{item.no}. {_md_line_start(md_escape(item.text))}" + (f" — {cats}" if cats else ""))
        out.append("")
    if cmp.notes:
        out += ["## Notes", ""]
        for key, value in cmp.notes.items():
            out.append(f"- **{md_escape(str(key))}**")
            out.extend(f"  - {_md_line_start(md_escape(line))}" for line in _note_lines(value))
        out.append("")
    if not cmp.changes:
        return "\n".join(out)
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
            out += [f"### {no}. {change.kind} · {md_escape(path_label(change))}", ""]
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
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# html


@dataclass(frozen=True, slots=True)
class _HtmlChange:
    no: int
    anchor: str
    kind: str
    kind_zh: str
    material: bool
    path: str
    section: str  # the path's first element, a heading of the table of contents
    rest: str  # the path below it, " › "-separated
    old_path: str | None
    new_path: str | None
    categories: list[tuple[str, str]]
    criteria: list[str]
    evidence: list[str]
    old_html: Markup | None
    new_html: Markup | None


def segments_html(diff: Diff, tag: str) -> Markup:
    parts = [escape(t) if op == 0 else Markup(f"<{tag}>{escape(t)}</{tag}>") for op, t in diff]
    return Markup("").join(parts)


def _html_change(no: int, change: Change) -> _HtmlChange:
    old_path, new_path = side_paths(change)
    old_diff, new_diff = old_new_segments(change.diff)
    first = (new_path or old_path or "").split(" + ")[0]
    section, _, rest = first.partition(" > ")
    return _HtmlChange(
        no=no,
        anchor=f"change-{no}",
        kind=change.kind,
        kind_zh=KIND_ZH.get(change.kind, change.kind),
        material=change.material,
        path=path_label(change),
        section=section,
        rest=rest.replace(" > ", " › "),
        old_path=old_path,
        new_path=new_path,
        categories=[(c, CATEGORY_ZH.get(c, "")) for c in change.categories],
        criteria=list(change.criteria),
        evidence=list(change.evidence),
        old_html=segments_html(old_diff, "del") if change.old is not None else None,
        new_html=segments_html(new_diff, "ins") if change.new is not None else None,
    )


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=True,  # the template is compare.html.j2: select_autoescape would not match it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _iter_html_changes(cmp: Comparison) -> Iterator[_HtmlChange]:
    for no, change in enumerate(ordered(cmp), start=1):
        yield _html_change(no, change)


def _html(cmp: Comparison) -> str:
    s = summary(cmp)
    changes = list(_iter_html_changes(cmp))
    template = _environment().get_template("compare.html.j2")
    result: str = template.render(
        title=cmp.new.title or cmp.old.title or "隐私政策",
        operator=cmp.new.operator or cmp.old.operator,
        old=_side_facts(cmp.old),
        new=_side_facts(cmp.new),
        summary=s,
        total=len(cmp.changes),
        material=[c for c in changes if c.material],
        other=[c for c in changes if not c.material],
        criteria=cmp.criteria,
        criteria_source=_criteria_source(cmp),
        category_zh=CATEGORY_ZH,
        notes=[(str(k), _note_lines(v)) for k, v in cmp.notes.items()],
        no_changes=NO_CHANGES,
    )
    return result
