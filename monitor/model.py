"""The small typed values the pipeline stages hand to each other.

watchlist → fetch → extract → normalize → segment → store → align → diff → classify → alert

* ``extract`` turns bytes into :class:`Extracted` (display lines);
* ``segment`` turns those lines into a :class:`Document` (metadata + a tree of :class:`Clause`);
* ``align``/``diff``/``classify`` turn two documents into a :class:`Comparison` of :class:`Change`.

Everything here is plain data: no I/O, no heavy imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

_SENTENCE = re.compile(r"[^。；;！!？?]+(?:[。；;！!？?]+|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause, each with its closing mark (。；！？ and their ASCII forms)."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text.replace("\n", "")) if m.group(0).strip()]


ChangeKind = Literal["added", "removed", "modified", "moved"]
# what a body is: Markdown is rendered to HTML and read as HTML (its Extracted lines are "html")
MediaType = Literal["text", "html", "markdown", "pdf"]

CATEGORIES: tuple[str, ...] = ("processing", "controller", "recipients", "rights", "contact", "risk", "other")


# The first character of a line that was a heading element (<h1>…<h6>, a Markdown ``#`` title), written
# once per level (<h3>: three times, so that headings nest as the page nests them): an invisible
# separator, so that the mark is kept wherever the extracted lines are (a stored version's text too)
# and gone from every text shown or compared (``clean_lines`` drops invisible characters)
HEADING_MARK = "\u2063"
# Around the target of a link written after the link's text (``GitHub 仓库⁤https://github.com/a/b⁤``):
# kept in a stored version's text, taken out of the lines before anything else reads them
# (:mod:`monitor.document.links`), so that a link's target is a fact and never text shown or compared
LINK_MARK = "\u2064"


@dataclass(frozen=True, slots=True)
class Extracted:
    """Text pulled out of a file or an HTTP body, one display line per block; a line that was a
    heading element begins with :data:`HEADING_MARK`, once per level."""

    lines: list[str]
    encoding: str
    media_type: Literal["text", "html", "pdf"]
    html_title: str | None = None  # the HTML <title>, or a PDF's metadata title


@dataclass(slots=True, eq=False)
class Clause:
    """One node of the clause tree: a heading or a numbered/bulleted item and its own text.

    ``lines`` holds the node's own display text (for an item such as ``5、与授权合作伙伴共享: …``
    the first line is what follows the number); text of child clauses is not included.
    """

    marker: (
        str | None
    )  # normalized number as written: "一、", "(一)", "1.1", "(1)", "①", "-"; None for lead text
    title: str | None  # a short heading line's words (without the marker); None for paragraph items
    lines: list[str]
    style: str  # numbering style id, see numbering.STYLES; "lead" for text before the first heading
    level: int  # depth in the tree, 1 = top-level section
    label: str = ""  # this node's element of the path
    path: str = ""  # labels from the root joined by " > "
    norm: str = ""  # normalized (title + text), what comparisons use
    children: list[Clause] = field(default_factory=list)
    parent: Clause | None = field(default=None, repr=False)
    index: int = 0  # position in document (pre-order)
    ordinal: int | None = None  # the number's value (三 → 3, (2) → 2, 1.1.4 → 4)

    @property
    def heading(self) -> str | None:
        if self.marker is None and self.title is None:
            return None
        if self.title is None:
            return self.marker
        if self.marker is None:
            return self.title
        # "第一部分 定义": the space after a part's number separates it from its title (as written)
        sep = " " if self.style == "part" and self.marker[-1:] not in ":：、.．" else ""
        return f"{self.marker}{sep}{self.title}"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def full_text(self) -> str:
        """Title and text, as a reader would quote the clause (without its number)."""
        parts = ([self.title] if self.title else []) + self.lines
        return "\n".join(parts)

    @property
    def sentences(self) -> list[str]:
        return split_sentences(self.text)

    def walk(self) -> Iterator[Clause]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class CriteriaItem:
    no: int
    text: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criteria:
    source: Literal["policy", "default"]
    items: tuple[CriteriaItem, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "items": [{"no": i.no, "text": i.text, "categories": list(i.categories)} for i in self.items],
        }


@dataclass(slots=True)
class Document:
    source: str
    sha256: str  # of the normalized text: equal for documents that differ only in layout
    title: str | None
    operator: str | None
    updated: str | None  # ISO date
    effective: str | None
    criteria_items: list[str]  # the policy's own 重大变更 list, as written (markers stripped)
    sections: list[Clause]  # top-level clauses, in order
    declared_changes: list[str] = field(default_factory=list)  # "本版政策更新内容主要如下: …"
    encoding: str = "utf-8"
    # the web links of a page: (the line that holds the link, where its text ends in the line, its
    # target), in order; none for a text or a PDF, which cannot hold one
    links: list[tuple[str, int, str]] = field(default_factory=list)

    def clauses(self) -> Iterator[Clause]:
        """All clauses in document order (pre-order)."""
        for section in self.sections:
            yield from section.walk()

    def counts(self) -> dict[str, int]:
        all_clauses = list(self.clauses())
        return {
            "sections": len(self.sections),
            "clauses": len(all_clauses),
            "sentences": sum(c.text.count("。") for c in all_clauses),
            "characters": sum(len(c.norm) for c in all_clauses),
        }


@dataclass(slots=True)
class Change:
    kind: ChangeKind
    old: Clause | None
    new: Clause | None
    diff: list[tuple[int, str]] = field(default_factory=list)
    material: bool = False
    categories: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    # on what list a material change is material: "policy" (the policy's own 重大变更 list covers one of
    # its categories) or "standard" (only GB/T 35273-2020 does); None when not material
    basis: str | None = None
    # a clause split in two or two merged into one: the extra clauses on either side
    old_extra: list[Clause] = field(default_factory=list)
    new_extra: list[Clause] = field(default_factory=list)

    @property
    def old_text(self) -> str | None:
        if self.old is None:
            return None
        return "\n".join(c.full_text for c in [self.old, *self.old_extra])

    @property
    def new_text(self) -> str | None:
        if self.new is None:
            return None
        return "\n".join(c.full_text for c in [self.new, *self.new_extra])


@dataclass(slots=True)
class Comparison:
    old: Document
    new: Document
    changes: list[Change]
    criteria: Criteria | None = None
    notes: dict[str, Any] = field(default_factory=dict)  # declared changes, silent change …
    facts: list[Any] = field(default_factory=list)  # the fact delta (compare.fact_delta.FactChange)

    @property
    def material(self) -> bool:
        return any(c.material for c in self.changes)


@dataclass(slots=True)
class Candidate:
    """A body read as a document (:mod:`monitor.document.parse` reads it). Defined here, with the
    values it holds, so that a process that receives one from a reader (pickled) does not import the
    parsing modules to rebuild it."""

    doc: Document
    lines: list[str]
    media_type: str
    encoding: str
    html_title: str | None
    raw_sha256: str
