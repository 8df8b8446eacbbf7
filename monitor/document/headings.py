"""The heading elements of a page (<h1>…<h6>, Markdown ``#`` titles), as the extractor marks them:
which texts they were, how many times, at which level, and which cleaned lines they are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from monitor.document.normalize import norm, strip_invisible
from monitor.document.numbering import Line
from monitor.model import HEADING_MARK

__all__ = ["MARKS_ALL", "heading_marks", "marked_lines"]

# heading elements enough for a page to be taken to mark every unnumbered heading it has
MARKS_ALL = 3


def heading_marks(raw: Sequence[str]) -> tuple[Counter[str], dict[str, int]]:
    """The normalized texts of the extracted lines that were heading elements (:data:`HEADING_MARK`),
    each with how many lines it was, and each text's level by its marks (<h3>: 3; the last, where
    one text was a heading at two levels)."""
    counts: Counter[str] = Counter()
    levels: dict[str, int] = {}
    for line in raw:
        if line.startswith(HEADING_MARK):
            key = norm(strip_invisible(line))
            counts[key] += 1
            levels[key] = len(line) - len(line.lstrip(HEADING_MARK))
    return counts, levels


def marked_lines(lines: list[Line], title_index: int | None, headings: Counter[str]) -> set[int]:
    """Which lines were heading elements. Each text is matched as many times as it was one: the title
    first, then the last lines that have it (a table of contents, an earlier mention, come before the
    heading; a table cell that repeats the page's <h1>, 隐私政策 over a column of links, is a cell)."""
    left = Counter(headings)
    if title_index is not None:
        left[norm(lines[title_index].text)] -= 1
    marked = set()
    for i in reversed(range(len(lines))):
        key = norm(lines[i].text)
        if i != title_index and not lines[i].toc and left[key] > 0:
            marked.add(i)
            left[key] -= 1
    return marked
