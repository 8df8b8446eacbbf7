"""Pages made by pdf2htmlEX (a PDF published as HTML): one visual line, one line of text.

pdf2htmlEX places text in absolutely positioned ``<div class="t … yN …">`` boxes. A line set in
several fonts, or letter-spaced, becomes several boxes side by side, down to one box per character
(``隐`` ``私`` ``政`` ``策``), which read as block elements would be as many lines: a heading cut into
characters, a number parted from its title. Boxes next to each other in the source that share their
vertical position class (``yN``) are one line on the page, and are joined here into one box before
the page is read. Other pages are returned as they are.
"""

from __future__ import annotations

import re

_MADE_BY = re.compile(r"<meta[^>]+content=[\"']?pdf2htmlEX|Created by pdf2htmlEX", re.IGNORECASE)
_HEAD = 4096  # where the generator's comment and meta tag stand
# a text box: pdf2htmlEX puts spans in it, never another div
_TEXT_BOX = re.compile(r'<div class="t ([^"]*)">((?:(?!</?div\b).)*)</div>', re.DOTALL)
_Y = re.compile(r"(?<![\w-])y[0-9a-f]+(?![\w-])")
_TAGS = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[A-Za-z0-9]")


def is_pdf2htmlex(html: str) -> bool:
    return _MADE_BY.search(html[:_HEAD]) is not None


def _joint(left: str, right: str) -> str:
    """What goes between two boxes of one line: nothing, but a space between two Latin words or
    numbers that the boxes had kept apart."""
    a, b = _TAGS.sub("", left).rstrip()[-1:], _TAGS.sub("", right).lstrip()[:1]
    return " " if _WORD.fullmatch(a) and _WORD.fullmatch(b) else ""


def _line(box: re.Match[str]) -> str | None:
    y = _Y.search(box.group(1))
    return y.group(0) if y else None


def rejoined(html: str) -> str:
    """``html`` with the text boxes of each visual line of a pdf2htmlEX page joined into one."""
    if not is_pdf2htmlex(html):
        return html
    out: list[str] = []
    pos = 0
    run: list[re.Match[str]] = []

    def flush() -> None:
        if not run:
            return
        body = run[0].group(2)
        for m in run[1:]:
            body += _joint(body, m.group(2)) + m.group(2)
        out.append(f'<div class="t {run[0].group(1)}">{body}</div>')
        run.clear()

    for m in _TEXT_BOX.finditer(html):
        if run and run[-1].end() == m.start() and _line(run[-1]) == _line(m) is not None:
            run.append(m)
        else:
            flush()
            out.append(html[pos : m.start()])
            run.append(m)
        pos = m.end()
    flush()
    out.append(html[pos:])
    return "".join(out)
