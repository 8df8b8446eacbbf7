"""The numbering of a line: which marker starts it (``一、`` ``（二）`` ``1.2`` ``①`` ``第三章`` …), the
style that marker belongs to (``STYLES``, ranked), its ordinal, and whether the line is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.document.normalize import canon, cn_number, fold_width, norm

_D = "[0-9０-９]"
_CN = "[一二三四五六七八九十百零〇两]"
_LP = "[(（〔［]"
_RP = "[)）〕］]"
_SEP = "[.．、]"

# style id → (rank, pattern). A lower rank is a higher level. Ties are siblings.
STYLES: dict[str, tuple[int, re.Pattern[str]]] = {
    "part": (0, re.compile(rf"^\s*第\s*(?:{_CN}+|{_D}+)\s*(?:部分|章|篇|节|条)(?:\s+|[:：、.．]\s*|$)")),
    "appendix": (0, re.compile(rf"^\s*附\s*[件录表]\s*(?:{_CN}+|{_D}+)?\s*[:：、.．]?\s*")),
    "cn": (1, re.compile(rf"^\s*{_CN}+\s*[、.．]\s*")),
    "lost": (1, re.compile(r"^\s*、\s*(?=\S)")),  # a 一、 heading whose number was lost
    "bracket": (1, re.compile(r"^\s*【(?=[^】]{1,24}】\s*$)")),
    "paren_cn": (2, re.compile(rf"^\s*{_LP}\s*{_CN}+\s*{_RP}\s*")),
    "num": (3, re.compile(rf"^\s*{_D}{{1,3}}\s*{_SEP}(?!\s*{_D})\s*(?![)）\]】,，;；:：%])")),
    # a decimal number before 条 refers to a clause (本政策第\n6.4条的描述, hard-wrapped), it heads none
    "dec2": (
        4,
        re.compile(
            rf"^\s*{_D}{{1,2}}\s*[.．]\s*{_D}{{1,3}}(?!\s*[.．]\s*{_D})\s*{_SEP}?\s*(?![)）\]】,，;；:：%])(?!\s*条(?![件例款目形]))"
        ),
    ),
    "dec3": (
        5,
        re.compile(
            rf"^\s*{_D}{{1,2}}(?:\s*[.．]\s*{_D}{{1,3}}){{2}}(?!\s*[.．]\s*{_D})\s*{_SEP}?\s*(?![)）\]】,，;；:：%])(?!\s*条(?![件例款目形]))"
        ),
    ),
    "dec4": (
        6,
        re.compile(
            rf"^\s*{_D}{{1,2}}(?:\s*[.．]\s*{_D}{{1,3}}){{3,}}\s*{_SEP}?\s*(?![)）\]】,，;；:：%])(?!\s*条(?![件例款目形]))"
        ),
    ),
    "paren_num": (8, re.compile(rf"^\s*{_LP}\s*{_D}{{1,3}}\s*{_RP}\s*")),
    "num_paren": (9, re.compile(rf"^\s*{_D}{{1,2}}\s*{_RP}\s*")),
    "circled": (10, re.compile(r"^\s*[①-⑳]\s*")),
    "alpha": (11, re.compile(rf"^\s*(?:{_LP}\s*[a-zA-Z]\s*{_RP}|[a-z]\s*[、)）])\s*")),
    "bullet": (12, re.compile(r"^\s*[-•·●▪◦‧∙*]\s*(?=\S)")),
}
# The first character (after white space) of every marker STYLES and _WEAK_NUM match: a line that
# starts otherwise, as most body text does, has no numbering (checked before trying the patterns).
MAYBE_MARKER = re.compile(r"^\s*[第附一二三四五六七八九十百零〇两、【(（〔［0-9０-９\d①-⑳a-zA-Z\-•·●▪◦‧∙*]")
# "第一部分 " before its title: the space after it separates, the others are layout
PART_HEAD = re.compile(rf"^\s*第\s*(?:{_CN}|{_D})+\s*(?:部\s*分|章|篇|节|条)\s+")
# a number without punctuation, accepted only in sequence with its neighbours
_WEAK_NUM = re.compile(rf"^\s*({_D}{{1,2}})(?=[\u4e00-\u9fff])(?![年月日号个周天岁次元倍家项条])")
SENTENCE_END = tuple("。;；!！,，:：")  # a heading may end with a question mark
HEADING_MAX = 40  # a numbered line with at most this many characters and no sentence end is a heading
_IN_SENTENCE = re.compile("[。,，;；]")  # a title has none of these


@dataclass(slots=True)
class Line:
    """A display line and its numbering (set by :func:`classify`, revised by the segmenter)."""

    text: str  # display text
    style: str | None = None  # numbering style, None for body text
    marker: str = ""  # the marker as written (display)
    rest: str = ""  # display text after the marker
    ordinal: int | None = None
    heading: bool = False  # short title (as opposed to a numbered paragraph)
    toc: bool = False


def _ordinal(marker: str) -> int | None:
    digits = re.findall(r"\d+", canon(marker))
    if digits:
        return int(digits[-1])
    m = re.search(f"{_CN}+", marker)
    if m:
        return _cn_value(m.group(0))
    m = re.search(r"[①-⑳]", marker)
    if m:
        return ord(m.group(0)) - ord("①") + 1
    return None


def _cn_value(s: str) -> int | None:
    value = cn_number(s)
    return int(value) if value is not None else None


def classify(text: str) -> Line:
    """The line's numbering style, marker and ordinal, and whether it reads as a heading."""
    line = Line(text=text)
    body = fold_width(text)  # one character for one: positions in body are positions in text
    if not MAYBE_MARKER.match(body):
        return line
    bullet = STYLES["bullet"][1].match(body)
    if bullet:  # "- (一)与国家安全…": the bullet carries a number; the number wins
        inner = body[bullet.end() :]
        if any(p.match(inner) for st, (_, p) in STYLES.items() if st not in ("bullet", "bracket")):
            body, text = inner, text[bullet.end() :]
    for style, (_, pattern) in STYLES.items():
        m = pattern.match(body)
        if not m:
            continue
        rest = text[m.end() :].strip()
        if style == "bracket":
            rest = text.strip()
        if not rest and style not in ("appendix", "bracket"):
            continue
        line.style, line.marker, line.rest = style, text[: m.end()].strip(), rest
        line.ordinal = _ordinal(line.marker)
        break
    else:
        weak = _WEAK_NUM.match(body)
        if weak:
            line.style, line.marker, line.rest = (
                "weak",
                text[: weak.end()].strip(),
                text[weak.end() :].strip(),
            )
            line.ordinal = int(canon(weak.group(1)))
    if line.style:
        rest_norm = norm(line.rest)
        line.heading = line.style in ("bracket", "appendix", "part") or (
            len(rest_norm) <= HEADING_MAX
            and not rest_norm.endswith(SENTENCE_END)
            and not _IN_SENTENCE.search(rest_norm)
        )
        if line.style == "lost" and not line.heading:  # "、复制、更正…": a sentence running on, not a section
            line.style, line.marker, line.rest = None, "", ""
    return line


def rank(style: str, top: str | None = None) -> float:
    """Default rank of a style; unnumbered and bracketed headings sit at the level of the body's top style."""
    top_rank = STYLES[top][0] if top else 1
    if style in ("plain_top", "bracket", "lost"):
        return top_rank
    if style == "plain_sub":
        return top_rank + 0.5
    return STYLES[style][0]
