"""Cells that span rows (``<td rowspan="3">``), written out in every row they span.

The extractor puts each table cell on a line of its own, so that a row is its cells, one after
another (:mod:`monitor.document.facts_tables` reads them back as records). A cell spanning rows, the
SDK's name beside each of its permissions, is written once in HTML: without it the rows below have
a cell fewer and every later cell is read under the wrong header. :class:`Spans` keeps the open
spans of the tables the walk is in and writes them into the walk's lines before a cell and at a row's end.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _count(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 1000))
    except ValueError:
        return 1


@dataclass(slots=True)
class _Span:
    text: str
    left: int  # rows below still to write it in


@dataclass(slots=True)
class _Table:
    col: int = 0
    spans: dict[int, _Span] = field(default_factory=dict)  # by column
    width: int = 0  # the most columns a row had
    start: int = 0  # where the current row's lines begin
    row: dict[int, str] = field(default_factory=dict)  # the current row's cells by column
    carried: set[int] = field(default_factory=set)  # its columns that spans from above fill
    own: int = 0  # the columns its own cells cover
    above: dict[int, str] = field(default_factory=dict)  # the previous row's


@dataclass(slots=True)
class Spans:
    """Call :meth:`enter` and :meth:`leave` for each element of the walk, with its list of lines."""

    tables: list[_Table] = field(default_factory=list)

    def enter(self, tag: str, out: list[str]) -> None:
        if tag == "table":
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            t = self.tables[-1]
            t.col, t.start, t.row, t.carried, t.own = 0, len(out), {}, set(), 0
        elif tag in ("td", "th"):
            self._carry(out)

    def leave(self, tag: str, attrs: dict[str, str | None], out: list[str], wrote: bool) -> None:
        """An element ends (``wrote``: its line is the last of ``out``)."""
        if not self.tables:
            return
        t = self.tables[-1]
        if tag in ("td", "th"):
            rows = _count(attrs.get("rowspan"))
            if wrote:
                t.row[t.col] = out[-1]
                if rows > 1:
                    t.spans[t.col] = _Span(out[-1], rows - 1)
            t.col += (columns := _count(attrs.get("colspan")))
            t.own += columns
        elif tag == "tr":
            self._carry(out, to_end=True)
            self._fill_short_row(t, out)
        elif tag == "table":
            self.tables.pop()

    def _carry(self, out: list[str], to_end: bool = False) -> None:
        """Write the spans open at the current column (``to_end``: at every column left in the row)."""
        if not self.tables:
            return
        t = self.tables[-1]
        while t.col in t.spans or (to_end and any(c >= t.col for c in t.spans)):
            if (span := t.spans.get(t.col)) is not None:
                out.append(span.text)
                t.row[t.col] = span.text
                t.carried.add(t.col)
                span.left -= 1
                if not span.left:
                    del t.spans[t.col]
            t.col += 1

    @staticmethod
    def _fill_short_row(t: _Table, out: list[str]) -> None:
        """A row with fewer cells than the rows above, below a row that had them all, is a row whose
        first cells a span left short (rows added under an SDK's name, its rowspan not raised): they
        are the cells above, and its own cells move right to the columns after them."""
        free = [c for c in range(max(t.width, t.col)) if c not in t.carried]
        own = [t.row[c] for c in sorted(t.row) if c not in t.carried]
        lead = free[: len(free) - t.own]
        if own and lead and len(t.above) >= t.width and all(c in t.above for c in lead):
            t.row = {c: t.row[c] for c in t.carried} | {c: t.above[c] for c in lead}
            t.row |= dict(zip(free[len(lead) :], own, strict=True))
            out[t.start :] = [t.row[c] for c in sorted(t.row)]
            t.col = max(t.row) + 1
        t.width = max(t.width, t.col)
        t.above = t.row
