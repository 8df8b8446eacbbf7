"""Display lines → clause tree.

1. clean: drop page furniture (copyright, ICP numbers), join a bullet standing alone on its line
   with the line after it, undo hard wrapping, drop blank lines;
2. classify each line by its numbering style (:mod:`monitor.document.numbering`); a number
   written without punctuation (``1为实现…``) counts only when its neighbours continue the sequence;
3. find a table of contents (three or more heading-like lines in a row whose titles come back later
   as headings) and keep it as plain text, and demote an "附件一" that the main body continues after;
4. in a document without numbered sections, short unnumbered lines are headings;
5. build the tree: a heading closes every open heading of the same or a lower rank.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from monitor.document.headings import MARKS_ALL, marked_lines
from monitor.document.normalize import (
    canon,
    fold_width,
    norm,
    norm_lines,
    squeeze_cjk_spaces,
    strip_invisible,
    unwrap,
)
from monitor.document.numbering import (
    HEADING_MAX,
    MAYBE_MARKER,
    PART_HEAD,
    SENTENCE_END,
    STYLES,
    Line,
    classify,
    rank,
)
from monitor.model import Clause

# classify: from numbering
__all__ = ["classify", "clean_lines", "find_title", "segment_lines", "starts_item"]

_BULLET_ALONE = re.compile(r"^\s*[-•·●▪◦‧∙*]\s*$")
_RULE_LINE = re.compile(r"^\s*[-=_*~·—]{3,}\s*$")
_FURNITURE = re.compile(
    # 技术支持: names who built the site (a footer), but not when an address follows: then it is the
    # way to reach support (技术支持:https://…/support/, in a policy's 联系我们)
    r"copyright|all rights reserved|ICP备|ICP证|公网安备|技术支持[:：](?!\s*(?:https?://|[\w.+-]+@|[\d-]{7}))|版权所有|©",
    re.IGNORECASE,
)
# a line without any of these characters has none of the words _FURNITURE finds (P and R are the
# only characters that match p and r ignoring case; a class without IGNORECASE is searched faster)
_FURNITURE_HINT = re.compile("[pPrR公技版©]")
# titles that are headings even without a number (an introduction, a definitions part …)
_LEXICON = frozenset(
    norm(w)
    for w in [
        "引言",
        "前言",
        "导言",
        "导读",
        "提示条款",
        "特别提示",
        "重要提示",
        "审慎阅读",
        "概述",
        "总则",
        "适用范围",
        "定义",
        "名词定义",
        "名词解释",
        "联系我们",
        "如何联系我们",
        "通知和修订",
        "附则",
        "其他",
        "声明",
        "您的权利",
    ]
)
_TOP_TOPIC = re.compile(r"如何|^(?:适用范围|联系我们|通知和修订|定义|名词定义|引言|前言|您的权利|附则|其他)$")
_TITLE_HINT = re.compile(r"隐私|政策|协议|指引|声明|规则")
_SECTION_STYLES = frozenset({"part", "cn", "paren_cn", "num", "dec2"})


def clean_lines(raw: Sequence[str]) -> list[str]:
    # invisible characters (zero-width spaces, BOMs, direction marks) would hide a line's number
    lines = [strip_invisible(line) for line in raw]
    lines = unwrap([line for line in lines if not _RULE_LINE.match(line)], starts_item=starts_item)
    lines = [_squeeze(line) for line in lines if not _furniture(canon(line))]
    out: list[str] = []
    pending_marker = ""
    for line in lines:
        stripped = line.strip()
        if _BULLET_ALONE.match(line) or _marker_alone(stripped):
            pending_marker = f"{pending_marker} {stripped}".strip()
            continue
        if not norm(stripped):
            continue
        if pending_marker:
            bare = _BARE_NUMBER.fullmatch(fold_width(pending_marker))
            if bare and fold_width(stripped)[:1].isdigit():
                out.append(pending_marker)  # a number before a number numbers nothing: two cells (1 | 10000)
            else:
                # a bare number is written against its text ("2根据…"), as a weak number is read
                stripped = f"{pending_marker}{'' if bare else ' '}{stripped}"
            pending_marker = ""
        out.append(stripped)
    return out


def _furniture(text: str) -> bool:
    return bool(_FURNITURE_HINT.search(text) and _FURNITURE.search(text))


_ALONE_STYLES = tuple(
    p for st, (_, p) in STYLES.items() if st not in ("appendix", "bracket", "bullet", "lost")
)


def _marker_alone(text: str) -> bool:
    """A number standing alone on its line ("(一)" as a Markdown heading, "3." in a cell of its own)
    numbers the line after it, as a lone bullet does. A bare "2" is joined too: the joined line is a
    weak number, an item only when its neighbours continue the sequence."""
    body = fold_width(text)
    if not body or not MAYBE_MARKER.match(body):
        return False
    return bool(_BARE_NUMBER.fullmatch(body)) or any(
        (m := p.match(body)) is not None and m.end() == len(body) for p in _ALONE_STYLES
    )


_BARE_NUMBER = re.compile(r"\d{1,2}")


def _squeeze(line: str) -> str:
    """A space between two Chinese characters is layout ("十 二、" is 十二、), except the one that
    separates 第一部分 from its title."""
    head = PART_HEAD.match(line)
    if head:
        return squeeze_cjk_spaces(line[: head.end()].rstrip()) + " " + squeeze_cjk_spaces(line[head.end() :])
    return squeeze_cjk_spaces(line)


_UNWRAP_STOPS = frozenset(
    {"part", "appendix", "cn", "paren_cn", "num", "dec2", "dec3", "dec4", "paren_num", "circled"}
)


def starts_item(text: str) -> bool:
    """A line with a section number: a hard-wrapped paragraph never runs on into it."""
    return classify(text).style in _UNWRAP_STOPS


def _resolve_weak(lines: list[Line]) -> None:
    """A number without punctuation is an item only if a neighbouring item continues its sequence."""
    nums = [i for i, ln in enumerate(lines) if ln.style in ("num", "weak")]
    changed = True
    while changed:
        changed = False
        for pos, i in enumerate(nums):
            ln = lines[i]
            if ln.style != "weak" or ln.ordinal is None:
                continue
            neighbours = [
                lines[j]
                for j in (nums[pos - 1] if pos else None, nums[pos + 1] if pos + 1 < len(nums) else None)
                if j is not None and abs(j - i) <= 40
            ]
            if any(n.ordinal is not None and abs(n.ordinal - ln.ordinal) == 1 for n in neighbours):
                ln.style = "num"
                changed = True
    for ln in lines:
        if ln.style == "weak":
            ln.style, ln.marker, ln.rest, ln.heading, ln.ordinal = None, "", "", False, None


def _title_key(ln: Line) -> str:
    return norm(ln.rest if ln.style else ln.text)


def _mark_toc(lines: list[Line], headings: Counter[str]) -> None:
    """A run of ≥3 heading-like lines whose titles come back later as headings (numbered ones, or
    heading elements: ``headings``) is a table of contents."""

    def heading_like(ln: Line) -> bool:
        key = _title_key(ln)
        return (ln.style is not None and ln.heading) or (
            ln.style is None and 2 <= len(key) <= HEADING_MAX and not key.endswith(SENTENCE_END)
        )

    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and heading_like(lines[j]):
            # a title that repeats one of the run's own is the body starting right after the contents
            if any(fuzz.ratio(_title_key(lines[j]), _title_key(earlier)) >= 85 for earlier in lines[i:j]):
                break
            j += 1
        if j - i >= 3:
            later = [
                _title_key(ln)
                for ln in lines[j:]
                if (ln.style is not None and ln.heading) or norm(ln.text) in headings
            ]
            run = lines[i:j]
            hits = sum(1 for ln in run if any(fuzz.ratio(_title_key(ln), k) >= 85 for k in later))
            if later and hits >= 0.6 * len(run):
                for ln in run:
                    ln.toc = True
                    ln.style, ln.heading = None, False
        i = max(j, i + 1)


def _top_style(lines: list[Line]) -> str | None:
    styles = [
        ln.style
        for ln in lines
        if ln.style and ln.heading and ln.style not in ("appendix", "bracket", "lost")
    ]
    if not styles:
        return None
    counts = Counter(styles)
    best = min(counts, key=lambda s: (STYLES[s][0], -counts[s]))
    return best if counts[best] >= 2 else None


def _demote_false_appendices(lines: list[Line], top: str | None) -> None:
    """'附件一' is a part of its own only when the main body does not continue after it."""
    for i, ln in enumerate(lines):
        if ln.style != "appendix":
            continue
        if top and any(later.style == top for later in lines[i + 1 :]):
            ln.style, ln.heading = None, False


def _lead_labels(lines: list[Line]) -> None:
    """A 【label】 line before the first numbered heading (【审慎阅读】) labels the lead text."""
    for ln in lines:
        if ln.style == "bracket":
            ln.style, ln.heading = None, False
        elif ln.style is not None and ln.heading:
            return


def _plain_headings(
    lines: list[Line],
    numbered: bool,
    title_index: int | None,
    headings: Counter[str],
    levels: dict[str, int],
    marks: set[int],
    by_page: bool = False,
) -> None:
    """Unnumbered lines that are headings (``marks``: the lines that were heading elements); ``by_page``:
    the page's marks give the levels of a numbered document's headings (:func:`_page_levels`), so its
    marked lines below <h1> are headings too."""
    # a page that marks its headings says how they nest: the highest level of its headings (<h2>
    # under an <h1> title) are sections, the lower ones (<h3>) their parts
    nests = len(headings) >= MARKS_ALL and bool(levels)
    top_level = min((levels.get(norm(lines[i].text), 9) for i in marks), default=9)
    for i, ln in enumerate(lines):
        if ln.style is not None or ln.toc or i == title_index:
            continue
        key, marked = norm(ln.text), i in marks
        if by_page and marked and levels.get(key, 1) > 1:
            ln.style = "plain_top"  # its rank is its level (_build)
            ln.heading, ln.rest = True, ln.text
            continue
        if numbered:
            if key in _LEXICON:
                ln.style, ln.heading, ln.rest = "plain_top", True, ln.text
            continue
        if not (2 <= len(key) <= 30) or key.endswith(SENTENCE_END) or re.search("[，,。；;:]", key):
            continue
        if len(headings) >= MARKS_ALL and not marked:
            continue  # a page that marks its headings (<h2>, ##) marks them all: this line is a list item
        if i + 1 >= len(lines):
            continue
        prev = lines[i - 1] if i else None
        if (
            not marked  # a heading element is one, whatever the line before it ends with
            and prev is not None
            and prev.style is None
            and i - 1 != title_index
            and not norm(prev.text).endswith(SENTENCE_END)
        ):
            continue  # the previous line runs on into this one
        if nests and marked:
            ln.style = "plain_top" if levels.get(key, top_level) <= top_level else "plain_sub"
        else:
            ln.style = "plain_top" if _TOP_TOPIC.search(key) or key in _LEXICON else "plain_sub"
        ln.heading, ln.rest = True, ln.text


def find_title(lines: Sequence[str]) -> int | None:
    """Index of the line that is the document's title, if the first few lines have one."""
    for i, text in enumerate(lines[:6]):
        key = norm(text)
        if len(key) <= 30 and _TITLE_HINT.search(key) and not key.endswith(SENTENCE_END):
            return i
    return None


def segment_lines(
    texts: Sequence[str], headings: Counter[str] | None = None, levels: dict[str, int] | None = None
) -> list[Clause]:
    """The clause tree of lines already cleaned (:func:`clean_lines`); ``headings``: the normalized
    texts of the lines that were heading elements, ``levels`` their levels (:mod:`headings`)."""
    headings = headings or Counter()
    lines = [classify(t) for t in texts]
    _resolve_weak(lines)
    _mark_toc(lines, headings)
    top = _top_style(lines)
    _demote_false_appendices(lines, top)
    title_index = find_title(texts)
    numbered = sum(1 for ln in lines if ln.heading and ln.style in _SECTION_STYLES) >= 3
    _lead_labels(lines)
    levels = levels or {}
    marks = marked_lines(lines, title_index, headings)
    marked = _page_levels(lines, top, marks, levels) if len(headings) >= MARKS_ALL else {}
    # where the page's marks give the levels, its unnumbered headings are headings too (一 使用许可)
    _plain_headings(lines, numbered, title_index, headings, levels, marks, bool(marked))
    return _build(lines, top, {i: level for i, level in marked.items() if lines[i].heading})


def _page_levels(
    lines: list[Line], top: str | None, marks: set[int], levels: dict[str, int]
) -> dict[int, int]:
    """Where a page marks its headings, numbered ones too (its sections' numbers, 1.收集…, each a
    heading element), the level of each marked line by its marks: the page says how they nest, and
    an unmarked numbered line is an item of the heading above it. Else nothing (numbers decide)."""
    if not levels or top is None:
        return {}
    sections = [i for i, ln in enumerate(lines) if ln.heading and ln.style == top]
    if not sections or not all(i in marks for i in sections):
        return {}
    at = {i: levels.get(norm(lines[i].text), 9) for i in marks}
    # only where the numbers leave out headings above the numbered ones (### 一 使用许可 over #### 1.…),
    # a title (<h1>) aside
    above = min(at[k] for k in sections)
    if not any(1 < at[i] < above for i in marks if not lines[i].toc and i not in sections):
        return {}
    return at


_SPACES = re.compile(r"\s+")
_MARKED = 10  # a marked heading's rank is its level less this: above every rank a style gives


@dataclass(slots=True)
class _Open:
    rank: float
    clause: Clause
    style: str
    ordinal: int | None


def _build(lines: list[Line], top: str | None, page_levels: dict[int, int] | None = None) -> list[Clause]:
    """The clause tree: each heading under the nearest open one of higher rank (its style's, or, where
    the page gives it, its level: ``page_levels``, by line index)."""
    page_levels = page_levels or {}
    sections: list[Clause] = []
    stack: list[_Open] = []
    lead: Clause | None = None
    for i, ln in enumerate(lines):
        if ln.style is None:
            if stack:
                stack[-1].clause.lines.append(ln.text)
            else:
                if lead is None:
                    lead = Clause(marker=None, title=None, lines=[], style="lead", level=1)
                    sections.append(lead)
                lead.lines.append(ln.text)
            continue
        r = page_levels[i] - _MARKED if i in page_levels else rank(ln.style, top)
        same = [k for k, o in enumerate(stack) if o.style == ln.style]
        if same and ln.ordinal is not None and stack[same[-1]].ordinal == ln.ordinal - 1:
            del stack[same[-1] :]  # the next number of an open list: its sibling
        elif same and ln.ordinal == 1 and (stack[same[-1]].ordinal or 0) > 1:
            r = stack[-1].rank + 0.5  # a list restarting at 1 inside an item: a nested list
        else:
            while stack and stack[-1].rank >= r:
                stack.pop()
        parent = stack[-1].clause if stack else None
        marker = _SPACES.sub("", fold_width(ln.marker)) if ln.marker else None
        if ln.style in ("plain_top", "plain_sub", "bracket"):
            marker = None
        title = ln.rest or None if ln.heading else None
        body = [] if (ln.heading or not ln.rest) else [ln.rest]
        clause = Clause(
            marker=marker,
            title=title,
            lines=body,
            style=ln.style,
            level=len(stack) + 1,
            parent=parent,
            ordinal=ln.ordinal,
        )
        (parent.children if parent else sections).append(clause)
        stack.append(_Open(r, clause, ln.style, ln.ordinal))
    _finish(sections)
    return sections


def _label(c: Clause, bullet_no: int) -> str:
    if c.style == "lead":
        return "(开头)"
    if c.style == "bullet":
        return f"·{bullet_no}" if not c.title else f"·{_short(c.title)}"
    marker = (c.marker or "").replace(" ", "")
    if c.title:
        return f"{marker}{_short(c.title)}"
    return marker.rstrip("、.") or "?"


def _short(title: str, n: int = 16) -> str:
    t = canon(title)
    return t if len(t) <= n else t[:n] + "…"


def _finish(sections: list[Clause]) -> None:
    index = 0

    def visit(siblings: list[Clause], prefix: str) -> None:
        nonlocal index
        seen: Counter[str] = Counter()
        bullets = 0
        for c in siblings:
            if c.style == "bullet":
                bullets += 1
            label = _label(c, bullets)
            seen[label] += 1
            if seen[label] > 1:
                label = f"{label}#{seen[label]}"
            c.label = label
            c.path = f"{prefix} > {label}" if prefix else label
            c.norm = norm(c.title or "") + norm_lines(c.lines)
            c.index = index
            index += 1
            visit(c.children, c.path)

    visit(sections, "")
