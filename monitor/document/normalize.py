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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from monitor.model import split_sentences as split_sentences  # defined beside the Clause it serves

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

# zero-width and other invisible characters: removed outright; and the private use area, where no
# character has a meaning of its own: an icon font's glyphs, a symbol font's bullet as a PDF export
# writes it (\uf0b7IP地址)
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
    "\ue000-\uf8ff]"
)
_WS = re.compile(r"\s+")
# str.translate looks every character of a non-ASCII string up in the dict; a regex finds the few
# characters to replace far faster, with the same result (one character for one, all at once)
_TRANSLATED = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")
_TRANSLATE_STR = {chr(c): v for c, v in _TRANSLATE.items()}
# A space is kept only between two characters that are both ASCII letters or digits: it is dropped
# next to any character outside ASCII (CJK, full-width forms) and next to punctuation or a symbol,
# because "Cookie , 和" and "Cookie,和" are the same text. (Every printable ASCII character that is
# not a letter or digit is punctuation or a symbol.)
# (written space first, so that the regex engine looks for spaces only)
_SPACE_NOT_BETWEEN_ALNUM = re.compile(r" (?:(?<![0-9A-Za-z] )|(?![0-9A-Za-z]))")

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}
_FOLDED = re.compile("[\uff01-\uff5e\u3000\xa0]")
_FOLD_STR = {chr(c): chr(v) for c, v in _FOLD.items()}
_FOLD_COMMON = tuple((wide, _FOLD_STR[wide]) for wide in "，：；（）！？％\u3000")


def _fold_one(m: re.Match[str]) -> str:
    return _FOLD_STR[m.group()]


def fold_width(s: str) -> str:
    """Full-width ASCII forms and the ideographic space → ASCII, one character for one."""
    if not _FOLDED.search(s):
        return s
    for wide, narrow in _FOLD_COMMON:  # str.replace is cheaper than a call per match
        if wide in s:
            s = s.replace(wide, narrow)
    return _FOLDED.sub(_fold_one, s)


# canon's results within one parse (see ``memo``): a document's lines are normalized again and again
_MEMO: ContextVar[tuple[dict[str, str], dict[str, str]] | None] = ContextVar("canon_memo", default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Within the block, ``canon`` and ``norm`` remember their results (for one document's parse;
    never across documents: the dict is dropped when the block ends)."""
    token = _MEMO.set(({}, {}))
    try:
        yield
    finally:
        _MEMO.reset(token)


def _translate_one(m: re.Match[str]) -> str:
    return _TRANSLATE_STR[m.group()]


def _canon(s: str) -> str:
    # Full-width forms and the ideographic space replaced by their compatibility decompositions first
    # give the same NFKC (NFKD decomposes them so anyway), and a Chinese line then passes NFKC's
    # quick check instead of going through decomposition and composition (several times slower).
    s = unicodedata.normalize("NFKC", fold_width(s))
    s = _TRANSLATED.sub(_translate_one, _INVISIBLE.sub("", s))
    s = _WS.sub(" ", s).strip()
    if " " in s:
        s = _SPACE_NOT_BETWEEN_ALNUM.sub("", s)
    return s


def canon(s: str) -> str:
    memos = _MEMO.get()
    if memos is None:
        return _canon(s)
    cache = memos[0]
    out = cache.get(s)
    if out is None:
        out = cache[s] = _canon(s)
    return out


def strip_invisible(s: str) -> str:
    return _INVISIBLE.sub("", s)


def norm(s: str) -> str:
    memos = _MEMO.get()
    if memos is None:
        return _canon(s).replace(" ", "")  # canon leaves no white space but single spaces
    cache = memos[1]
    out = cache.get(s)
    if out is None:
        out = cache[s] = canon(s).replace(" ", "")
    return out


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    import opencc  # deferred: only a comparison's judgement folds the script

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=1)
def _to_traditional() -> Callable[[str], str]:
    import opencc  # deferred: only writing monitor/data/scripts.txt asks (about 28 MB of dictionaries)

    return opencc.OpenCC("s2t").convert


def traditional(s: str) -> str:
    """``s`` in traditional characters (opencc's s2t), for monitor.compare.scripts' table of the
    characters only one script writes; no comparison converts a text so."""
    return s if s.isascii() else _to_traditional()(s)


def simplified(s: str) -> str:
    """``s`` in simplified characters (東京都鶯谷町 → 东京都莺谷町, 隱私權 → 隐私权; opencc's t2s): two
    versions that write the same name in two scripts name the same thing."""
    return s if s.isascii() else _to_simplified()(s)


def chinese_simplified(s: str) -> str:
    """``s`` in simplified characters, but for a line in Japanese (kana in it: チャット記録 is no Chinese,
    and 記録 is no 记录), left as it is."""
    return s if _KANA.search(s) else simplified(s)


_KANA = re.compile(r"[\u3040-\u30ff]")
_NOT_WORDS = re.compile(r"[\W_]+")


@lru_cache(maxsize=8)
def words_only(s: str) -> str:
    """The letters, digits and CJK characters of ``s``, nothing else: what two texts that differ in
    punctuation and markup only have in common (使用数据。**我们的 and 使用数据:我们的). Cached: the
    comparison asks again and again for its two documents' texts."""
    return _NOT_WORDS.sub("", s)


def norm_lines(lines: Sequence[str]) -> str:
    return "".join(norm(line) for line in lines)


# ---------------------------------------------------------------------------------------------
# Hard-wrap detection

# A line that ends like this closes a paragraph (or introduces a list).
_PARA_END = tuple("。.;；!！?？:：")


_SPACE_IN_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_ANY_SPACE = re.compile(r"\s")  # found far faster than _SPACE_IN_CJK, which tries every position


def _ends_paragraph(line: str) -> bool:
    text = norm(line)
    # an ASCII full stop ends a sentence after Chinese, not inside "cainiao.com" or "1."
    return text.endswith(_PARA_END) and not (text.endswith(".") and text[-2:-1].isascii())


def squeeze_cjk_spaces(line: str) -> str:
    return _SPACE_IN_CJK.sub("", line) if _ANY_SPACE.search(line) else line


def _width(line: str) -> int:
    """Characters a wrapping tool counted: indentation included, trailing space not, and no space
    between two Chinese characters (a wrapped text has none; it is layout)."""
    text = fold_width(strip_invisible(line)).rstrip()
    return len(squeeze_cjk_spaces(text)) if text.strip() else 0


def unwrap(lines: Sequence[str], starts_item: Callable[[str], bool] | None = None) -> list[str]:
    """Join lines that a hard wrap (a fixed line width) split inside a paragraph.

    Documents copied from a page have one paragraph per line; a text wrapped at a fixed width W has
    no line wider than W and many lines of exactly W characters that end mid-sentence. When at least
    three lines of the widest width do not end a sentence, every line of (about) that width that does
    not end a sentence is joined with the next one, unless the next one starts a numbered heading
    (``starts_item``). In a document that was not hard-wrapped nothing is joined, so a short heading
    is never glued to its body. In a hard-wrapped one, a line that was already within two characters
    of the wrap width and does not end a sentence (a long heading) is indistinguishable from a
    wrapped piece and is joined: a known limitation.

    Widths are counted as a wrapping tool counts them (``_width``); the tolerance allows for white
    space the tool counted and we do not.
    """
    widths = [_width(line) for line in lines]
    if not widths:
        return []
    ends = [_ends_paragraph(line) for line in lines]
    open_widths = Counter(w for w, end in zip(widths, ends, strict=True) if w >= 12 and not end)
    if not open_widths:
        return list(lines)
    width, exact = max(open_widths.items(), key=lambda kv: (kv[1], kv[0]))
    wider = sum(1 for w in widths if w > width + 1)
    if exact < 3 or wider > 0.05 * len([w for w in widths if w]):
        return list(lines)
    out: list[str] = []
    joining = False
    for line, w, end in zip(lines, widths, ends, strict=True):
        # (whether the line starts an item matters only to a line that would be joined)
        if joining and w and not (starts_item and starts_item(line)):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
        joining = bool(w) and not end and w >= width - 2
    return out


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> float | None:
    """The value of a number written in Arabic or Chinese numerals (十五 → 15, 一百二十 → 120)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current) if s else None
