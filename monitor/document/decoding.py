"""Bytes → text: which charset a document is in.

Order of evidence: an explicit override, a byte-order mark, the HTTP header's charset, the HTML
``<meta charset>`` / ``http-equiv`` declaration, strict UTF-8, then charset-normalizer's guess. GB2312
and GBK are read as GB18030 (a superset: pages labelled GB2312 routinely use GBK characters).
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

from monitor.errors import ExtractError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _canonical_codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def decode(
    data: bytes,
    *,
    media_type: Literal["text", "html"],
    encoding: str | None = None,
    header_charset: str | None = None,
    source: str = "input",
) -> tuple[str, str]:
    """Return (text, encoding used)."""
    candidates = _declared_codecs(
        data, media_type=media_type, encoding=encoding, header_charset=header_charset, source=source
    )
    candidates.append("utf-8")
    for codec in candidates:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    for codec in candidates:  # a few bad bytes in a declared (or UTF-8) page: replaced, not fatal
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= _tolerated(text):
            return text, codec
    return _guess(data, source)


def _tolerated(text: str) -> int:
    """How many undecodable bytes a page may have and still be read: a few, one in a thousand
    characters at most (garbage in the wrong codec has far more)."""
    return max(8, len(text) // 1000)


def _declared_codecs(
    data: bytes,
    *,
    media_type: Literal["text", "html"],
    encoding: str | None,
    header_charset: str | None,
    source: str,
) -> list[str]:
    """The codecs the evidence names, in the order of trust: the override, a BOM, the header, <meta>."""
    candidates: list[str] = []
    if encoding:
        codec = _canonical_codec(encoding)
        if codec is None:
            raise ExtractError(f"{source}: unknown encoding {encoding!r}")
        candidates.append(codec)
    candidates += [codec for bom, codec in _BOMS if data.startswith(bom)]
    declared = [header_charset]
    if media_type == "html":
        m = _META_CHARSET.search(data[:4096])
        declared.append(m.group(1).decode("ascii", "replace") if m else None)
    for name in declared:
        codec = _canonical_codec(name) if name else None
        if codec:
            candidates.append(codec)
    return candidates


def _guess(data: bytes, source: str) -> tuple[str, str]:
    """charset-normalizer's guess, when it reads as text."""
    from charset_normalizer import from_bytes  # deferred: only bytes no declared codec decodes need it

    best = from_bytes(data, cp_isolation=["gb18030", "big5hkscs", "utf_16", "utf_8"]).best()
    if best is None or best.chaos > 0.3:
        raise ExtractError(f"{source}: cannot decode the bytes as text in any known encoding")
    codec = _canonical_codec(best.encoding) or best.encoding
    return str(best), codec


# ---------------------------------------------------------------------------------------------
# HTML

# dropped with everything inside
