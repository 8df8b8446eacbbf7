"""Text from the outside world (policy pages, files, the database) made safe to print to a terminal or
write into Markdown: control characters that a terminal obeys are removed.

Removed: escape sequences whole (``ESC ] 0 ; … BEL`` retitles the window, ``ESC c`` resets the
terminal), then C0 controls but tab and line feed (CR overwrites the line), DEL, C1 controls
(U+0080–U+009F, among them the 8-bit CSI and OSC), and the bidi embeddings, overrides and isolates
(U+202A–U+202E, U+2066–U+2069) that make text read differently from what it is ("Trojan Source").
JSON output does not use this: it escapes control characters and must stay exact.
"""

from __future__ import annotations

import re

# whole escape sequences go, not only their ESC (which would leave "]0;PWNED" behind): OSC (ESC ] …
# BEL or ST, when terminated), CSI (ESC [ … final byte), the 8-bit CSI, and two-character escapes
_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)"
    r"|\x1b\[[0-?]{0,64}[ -/]{0,8}[@-~]"
    r"|\x9b[0-?]{0,64}[ -/]{0,8}[@-~]"
    r"|\x1b[ -/]{0,8}[0-~]"
)
_CONTROLS = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_REMOVE: dict[int, str | None] = dict.fromkeys(_CONTROLS)


def printable(text: str) -> str:
    """``text`` without terminal control characters and bidi overrides."""
    if "\x1b" in text or "\x9b" in text:
        text = _SEQUENCE.sub("", text)
    return text.translate(_REMOVE)
