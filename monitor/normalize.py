"""Normalization for comparison, keeping a display form.

Two forms of a piece of text:

* ``canon(s)``: NFKC (full-width letters, digits and punctuation become half-width), one kind of
  quote/dash/dot, no zero-width characters, runs of white space collapsed and dropped next to CJK
  characters or punctuation. Readable; word diffs are computed on it.
* ``norm(s)``: ``canon`` without any white space. Equal for texts that differ only in layout; hashes
  and equality use it.

``unwrap`` joins lines that a hard wrap split inside a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

# Characters NFKC leaves alone but that are the same punctuation for our purposes.
_TRANSLATE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "＂": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "〝": '"',
        "〞": '"',
        "—": "-",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "―": "-",
        "－": "-",
        "〜": "~",
        "～": "~",
        "・": "·",
        "•": "·",
        "●": "·",
        "▪": "·",
        "◦": "·",
        "‧": "·",
        "∙": "·",
        "﹒": ".",
        "．": ".",
        "｡": "。",
        "〔": "[",
        "〕": "]",
        "〈": "<",
        "〉": ">",
    }
)

# zero-width and other invisible characters: removed outright
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_WS = re.compile(r"\s+")
# a space is kept only between two characters that are both ASCII letters/digits/symbols
_SPACE_NOT_BETWEEN_ASCII = re.compile(r"(?<=[^\x21-\x7e]) | (?=[^\x21-\x7e])")
# Chinese-text punctuation that has no half-width form; a space around it is layout
_CJK_PUNCT = "。、《》【】「」『』〈〉〖〗…·"


def canon(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _INVISIBLE.sub("", s).translate(_TRANSLATE)
    s = _WS.sub(" ", s).strip()
    if " " in s:
        s = _SPACE_NOT_BETWEEN_ASCII.sub("", s)
        s = _strip_space_around_punct(s)
    return s


def _strip_space_around_punct(s: str) -> str:
    # "Cookie , 和" and "Cookie,和" are the same text: drop spaces next to punctuation.
    out: list[str] = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            prev = s[i - 1] if i else ""
            nxt = s[i + 1] if i + 1 < n else ""
            if _is_punct(prev) or _is_punct(nxt):
                continue
        out.append(ch)
    return "".join(out)


def _is_punct(ch: str) -> bool:
    if not ch:
        return True
    if ch in _CJK_PUNCT:
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("P") or cat.startswith("S")


def norm(s: str) -> str:
    return _WS.sub("", canon(s))


def norm_lines(lines: Sequence[str]) -> str:
    return "".join(norm(line) for line in lines)


# ---------------------------------------------------------------------------------------------
# Hard-wrap detection

# A line that ends like this closes a paragraph (or introduces a list).
_PARA_END = tuple("。.;；!！?？:：")


def unwrap(lines: Sequence[str]) -> list[str]:
    """Join lines that a hard wrap (a fixed line width) split inside a paragraph.

    Documents copied from a page have one paragraph per line; a text wrapped at a fixed width has
    no line wider than that width and many lines of about that width that end mid-sentence. When at
    least three lines come within 3 characters (normalized) of the widest line without ending a
    sentence, each such line is joined with the next non-blank one. Otherwise nothing is joined, so a
    short heading line is never glued to its body.
    """
    widths = [len(norm(line)) for line in lines]
    if not widths:
        return []
    width = max(widths)
    ends = [norm(line).endswith(_PARA_END) for line in lines]
    wrapped = [w >= max(width - 3, 12) and not end for w, end in zip(widths, ends, strict=True)]
    if sum(wrapped) < 3:
        return list(lines)
    out: list[str] = []
    joining = False
    for line, w, cont in zip(lines, widths, wrapped, strict=True):
        if joining and w:
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
        joining = cont if w else False
    return out


_SENTENCE = re.compile(r"[^。；;！!？?]+(?:[。；;！!？?]+|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause, each with its closing mark (。；！？ and their ASCII forms)."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text.replace("\n", "")) if m.group(0).strip()]
