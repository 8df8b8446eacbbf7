"""Edits applied to policy texts in tests and benchmarks: layout-only transforms and content edits.

Layout-only transforms (a reader sees the same policy; nothing may be reported):
``flip_width``, ``rewrap``, ``add_whitespace``, ``to_html``.
Content edits: ``replace_once``, ``insert_line_after``, ``swap_lines``.
All are deterministic given their arguments (a ``seed`` where randomness is involved).
"""

from __future__ import annotations

import html
import random
import unicodedata

_HALF_TO_FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_FULL_TO_HALF = {v: k for k, v in _HALF_TO_FULL.items()}
_PUNCT_HALF = set(",;:!?().")
_IDEOGRAPHIC_SPACE = "\u3000"
_NBSP = "\u00a0"
_ZWSP = "\u200b"


def flip_width(text: str, *, letters: bool = True) -> str:
    """Half-width punctuation (and, with ``letters``, digits and Latin letters) ↔ full-width."""
    out = []
    for ch in text:
        if ch in _FULL_TO_HALF:
            out.append(_FULL_TO_HALF[ch])
        elif ch in _PUNCT_HALF or (letters and ch.isascii() and ch.isalnum()):
            out.append(_HALF_TO_FULL[ch])
        else:
            out.append(ch)
    return "".join(out)


def rewrap(text: str, width: int) -> str:
    """Hard-wrap every line longer than ``width`` characters, as a text editor would."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def add_whitespace(text: str, seed: int = 0) -> str:
    """Blank lines, leading ideographic spaces, trailing spaces, NBSP and zero-width spaces."""
    rng = random.Random(seed)
    out: list[str] = []
    for line in text.split("\n"):
        if rng.random() < 0.3:
            out.append(rng.choice(["", " ", _IDEOGRAPHIC_SPACE, "\t"]))
        lead = rng.choice(["", "  ", _IDEOGRAPHIC_SPACE * 2, "\t"])
        trail = rng.choice(["", " ", _NBSP, "  "])
        if line and rng.random() < 0.3:
            pos = rng.randrange(len(line) + 1)
            # a zero-width space can go anywhere; a visible space only between Chinese characters
            pad = _ZWSP if rng.random() < 0.5 else " "
            if pad == " " and not (_is_cjk(line[pos - 1 : pos]) and _is_cjk(line[pos : pos + 1])):
                pad = _ZWSP
            line = line[:pos] + pad + line[pos:]
        out.append(lead + line + trail)
    return "\n".join(out)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and unicodedata.name(ch, "").startswith("CJK UNIFIED")


def to_html(text: str, *, variant: int = 0, charset: str = "utf-8", title: str = "隐私政策") -> str:
    """The text as a web page: one block per line, with page furniture that must be ignored.

    ``variant`` changes the markup (tags, attributes, scripts, navigation, inline emphasis) but never
    the policy's words, so two variants of one text are the same policy.
    """
    rng = random.Random(variant)
    block = ["p", "div", "section"][variant % 3]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="{charset}"><title>{html.escape(title)}</title>',
        f"<style>.x{variant}{{color:#{variant:03d}}}</style>",
        f"<script>var build = {variant}; document.title += '';</script>",
        "</head><body>",
        f'<nav class="top"><a href="/">首页</a> | <a href="/about">关于我们 v{variant}</a></nav>',
        f'<div id="policy" class="policy v{variant}">',
    ]
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            if variant % 2:
                parts.append("<br>")
            continue
        escaped = html.escape(line.strip())
        if variant and rng.random() < 0.2 and len(escaped) > 8:
            cut = rng.randrange(2, len(escaped) - 2)
            while "&" in escaped[max(0, cut - 6) : cut]:  # never cut inside an entity
                cut += 1
            escaped = (
                f"{escaped[:cut]}<b>{escaped[cut:]}</b>"
                if rng.random() < 0.5
                else f"<span>{escaped[:cut]}</span>{escaped[cut:]}"
            )
        if variant and i % 7 == 3:
            parts.append(f'<{block} data-i="{i}" class="c{variant}">\n  {escaped}\n</{block}>')
        else:
            parts.append(f"<{block}>{escaped}</{block}>")
    parts.append("</div>")
    parts.append(f'<div style="display:none">隐藏的统计代码 {variant}</div>')
    parts.append(f"<footer>版权所有 © 2024 示例 v{variant}</footer>")
    parts.append(f"<script>console.log({variant})</script></body></html>")
    return "\n".join(parts)


def replace_once(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once) with ``new``."""
    count = text.count(old)
    if count != 1:
        raise ValueError(f"expected exactly one occurrence of {old!r}, found {count}")
    return text.replace(old, new)


def insert_line_after(text: str, anchor: str, line: str) -> str:
    """Insert a new line after the (single) line containing ``anchor``."""
    lines = text.split("\n")
    hits = [i for i, ln in enumerate(lines) if anchor in ln]
    if len(hits) != 1:
        raise ValueError(f"expected exactly one line containing {anchor!r}, found {len(hits)}")
    lines.insert(hits[0] + 1, line)
    return "\n".join(lines)


def swap_lines(text: str, first: str, second: str) -> str:
    """Swap the (single) lines containing ``first`` and ``second``."""
    lines = text.split("\n")
    a = [i for i, ln in enumerate(lines) if first in ln]
    b = [i for i, ln in enumerate(lines) if second in ln]
    if len(a) != 1 or len(b) != 1:
        raise ValueError(f"expected one line each for {first!r} and {second!r}")
    lines[a[0]], lines[b[0]] = lines[b[0]], lines[a[0]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Added for the materiality benchmark (tests/materiality): line-level content edits and one more
# layout-only transform. Like the functions above, each fails loudly when its anchor is not unique.


def _single_line(lines: list[str], anchor: str, start: int = 0) -> int:
    hits = [i for i in range(start, len(lines)) if anchor in lines[i]]
    if len(hits) != 1:
        raise ValueError(f"expected exactly one line containing {anchor!r}, found {len(hits)}")
    return hits[0]


def insert_line_before(text: str, anchor: str, line: str) -> str:
    """Insert a new line before the (single) line containing ``anchor``."""
    lines = text.split("\n")
    lines.insert(_single_line(lines, anchor), line)
    return "\n".join(lines)


def delete_line(text: str, anchor: str) -> str:
    """Delete the (single) line containing ``anchor``."""
    lines = text.split("\n")
    del lines[_single_line(lines, anchor)]
    return "\n".join(lines)


def delete_block(text: str, first: str, last: str) -> str:
    """Delete the lines from the (single) line containing ``first`` to the next line containing ``last``.

    ``last`` is looked up from the ``first`` line on (the nearest match wins), so a heading that is
    repeated later in the text (a table of contents, for instance) can still end the block.
    """
    lines = text.split("\n")
    i = _single_line(lines, first)
    ends = [j for j in range(i, len(lines)) if last in lines[j]]
    if not ends:
        raise ValueError(f"no line containing {last!r} after the line containing {first!r}")
    del lines[i : ends[0] + 1]
    return "\n".join(lines)


def squeeze_blank_lines(text: str) -> str:
    """Drop every line that is empty or white space only (NBSP and ideographic spaces included)."""
    return "\n".join(line for line in text.split("\n") if line.strip())


def crlf(text: str) -> str:
    """Windows line endings (CR LF) instead of LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
