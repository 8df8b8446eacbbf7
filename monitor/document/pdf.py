"""PDF policies: text read by pypdf, then made into the display lines an HTML page of the same policy
gives (one line per paragraph or heading).

A PDF holds positioned lines, not paragraphs. Three repairs make the same policy as PDF and as HTML
read alike:

1. page furniture goes: a line at the top or bottom of a page that comes back on most pages with only
   its digits changed (a browser's date/title header and URL footer, "1/12", "第 3 页 共 9 页"), and a
   page number standing alone at a page's edge;
2. glyphs mapped to radicals ("⾸⻚" for 首页: fonts that share one glyph between a radical and its
   ideograph, as Noto CJK does, make the PDF's text map name the radical) are read as the ideographs;
3. lines that fill the text width and do not end a sentence are joined with the next one (a
   paragraph wrapped by the page, also across a page break), a word hyphenated at the line's end is
   rejoined; a short line ends its paragraph, so a heading is never glued to its text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from monitor.document.normalize import canon, norm
from monitor.document.segment import starts_item

if TYPE_CHECKING:
    from pypdf import PdfReader


class PdfError(ValueError):
    """The bytes are no readable PDF (cut short, damaged, encrypted, or without a text layer)."""


# CJK Radicals Supplement characters (U+2E80–U+2EFF) that fonts draw with their ideograph's glyph,
# paired with that ideograph (taken from the Noto Sans/Serif CJK cmaps, where the two share a glyph).
# The other Kangxi radicals (U+2F00–U+2FD5) are folded by NFKC.
_RADICAL_PAIRS = (
    "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩"
    "⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶"
    "⻎辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄"
    "⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)
_RADICALS = {ord(a): b for a, b in zip(_RADICAL_PAIRS[::2], _RADICAL_PAIRS[1::2], strict=True)}
_RADICALS[0x2F3E] = "户"  # KANGXI RADICAL DOOR: NFKC gives the traditional 戶; the simplified fonts draw 户
_KANGXI = re.compile("[\u2f00-\u2fd5]")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})

EDGE = 3  # lines at the top and at the bottom of a page that may be furniture
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*of\s*\d{1,4})$",
    re.IGNORECASE,
)
_SENTENCE_END = tuple("。；;！!？?：:")
# a line cannot break after an opening mark, inside a Latin word, or before a closing mark
_UNIT = re.compile(r"[（(【「『《〈“‘\[]*(?:[\x21-\x7e]+|.)[）)」』】》〉”’，,。；;：:、！!？?…]*")


def read_pdf(data: bytes, source: str) -> tuple[list[str], str | None]:
    """(display lines, the document's title from its metadata)."""
    reader = _open(data, source)
    try:
        pages = [_clean(page.extract_text()).split("\n") for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on damaged content streams
        raise PdfError(f"{source}: unreadable PDF page content: {exc}") from None
    if not any(line.strip() for page in pages for line in page):
        raise PdfError(f"{source}: the PDF has no text layer (a scanned image?); nothing to read")
    lines = join_lines(strip_furniture(pages), starts_item)
    return lines, _title(reader)


def _open(data: bytes, source: str) -> PdfReader:
    from pypdf import PdfReader  # deferred: only PDF documents need it
    from pypdf.errors import PdfReadError

    if b"%%EOF" not in data[-2048:]:
        raise PdfError(f"{source}: truncated PDF: it ends without %%EOF ({len(data)} bytes)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(f"{source}: the PDF is encrypted with a password; cannot read its text")
        _ = len(reader.pages)
    except PdfError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfError(f"{source}: unreadable PDF: {exc}") from None
    except Exception as exc:  # a missing AES backend, a broken object stream …
        raise PdfError(f"{source}: unreadable PDF: {type(exc).__name__}: {exc}") from None
    return reader


_PRODUCER_TITLE = re.compile(r"^Microsoft (?:Word|PowerPoint) - |\.(?:docx?|wps|pdf|html?)$", re.IGNORECASE)


def _title(reader: PdfReader) -> str | None:
    """The title in the PDF's metadata (a browser writes the page's <title>; Word a file name)."""
    try:
        meta = reader.metadata
        title = meta.title if meta is not None else None
    except Exception:  # a damaged info dictionary is no reason to lose the text
        return None
    if not isinstance(title, str):
        return None
    return canon(_PRODUCER_TITLE.sub("", _clean(title))) or None


def _clean(text: str) -> str:
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text.translate(_RADICALS))
    return text.translate(_LIGATURES).replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------------------------
# Page furniture


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", norm(line))


def strip_furniture(pages: Sequence[Sequence[str]]) -> list[str]:
    """The pages' lines in order, without headers, footers and page numbers. A line is a header (a
    footer) when, digits aside, it comes back among the top (bottom) lines of most pages."""
    bodies = [[line for line in page if line.strip()] for page in pages]
    seen: Counter[tuple[str, str]] = Counter()
    for body in bodies:
        seen.update({(side, _furniture_key(body[i])) for side, i in _edges(body)})
    need = max(2, (len(bodies) + 1) // 2)
    repeated = {k for k, n in seen.items() if n >= need and _wordy(k[1])} if len(bodies) >= 2 else set()
    out: list[str] = []
    for number, body in enumerate(bodies, start=1):
        sides: dict[int, set[str]] = {}
        for side, i in _edges(body):
            sides.setdefault(i, set()).add(side)
        for i, line in enumerate(body):
            if i in sides:
                again = any((side, _furniture_key(line)) in repeated for side in sides[i])
                if _is_furniture(line, again, number, len(bodies)):
                    continue
            out.append(line)
    return out


def _wordy(key: str) -> bool:
    """A repeated line is furniture only with some words in it: a lone bullet may recur at page edges."""
    return sum(ch.isalnum() for ch in key.replace("#", "")) >= 2


def _edges(body: list[str]) -> list[tuple[str, int]]:
    """(side, index) of the lines at the top and at the bottom of a page (on a short page, both)."""
    n = len(body)
    return [("top", i) for i in range(min(EDGE, n))] + [("bottom", i) for i in range(max(0, n - EDGE), n)]


def _is_furniture(line: str, repeated: bool, number: int, total: int) -> bool:
    text = canon(line)
    if repeated or _PAGE_NUMBER.match(text):
        return True
    # "file:///…/policy.html 3/12": ends with this page's number out of the document's pages
    m = re.search(r"(\d{1,4})\s*/\s*(\d{1,4})$", text)
    return bool(m and int(m.group(1)) == number and int(m.group(2)) == total and total > 1)


# ---------------------------------------------------------------------------------------------
# Paragraphs


def _char_width(ch: str) -> float:
    """Width in ems, as a proportional font draws it: CJK (and the quotes a CJK font draws, East Asian
    width "ambiguous") one em, Latin letters and digits about half."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch == " ":
        return 0.28
    if ch.isupper() or ch in "mwMW@%&":
        return 0.68
    if ch in "il.,:;'|!ftrj()[]":
        return 0.32
    return 0.55


def text_width(line: str) -> float:
    return sum(_char_width(ch) for ch in line.strip())


def _first_unit(line: str) -> float:
    """What the line break had to carry over: the first word of a Latin line, else the first
    character (and the one before a closing mark that may not start a line)."""
    m = _UNIT.match(line.strip())
    return text_width(m.group(0)) if m else 0.0


def join_lines(lines: Sequence[str], starts_item: Callable[[str], bool]) -> list[str]:
    """Rejoin paragraphs the page width wrapped: a line is wrapped when the first word of the next
    line would not have fitted after it within the widest lines' width."""
    widths = [text_width(line) for line in lines]
    if not widths:
        return []
    full = _measure(widths)
    out: list[str] = []
    for i, line in enumerate(lines):
        text = line.strip()
        if out and _wrapped(lines[i - 1], widths[i - 1], text, full) and not starts_item(text):
            out[-1] = _glue(out[-1], text)
        else:
            out.append(text)
    return out


def _measure(widths: list[float]) -> float:
    """The text width: what most long lines reach (the widest few may be Latin estimated too wide)."""
    ranked = sorted(widths, reverse=True)
    return ranked[min(len(ranked) - 1, len(ranked) // 20)]


def _wrapped(prev: str, prev_width: float, nxt: str, full: float) -> bool:
    text = norm(prev)
    if not text or text.endswith(_SENTENCE_END):
        return False
    return prev_width + _first_unit(nxt) > full * 0.97


_HYPHENATED = re.compile(r"(?:^|[^\x21-\x7e])[a-z]{2,}-$")
_WORD_REST = re.compile(r"[a-z]{2,}(?=[\s,.;:!?)]|[^\x00-\x7f]|$)")


def _glue(left: str, right: str) -> str:
    if _HYPHENATED.search(left) and _WORD_REST.match(right):
        return left[:-1] + right  # "infor-" + "mation,": a word the layout hyphenated
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right
