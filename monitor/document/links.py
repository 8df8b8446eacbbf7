"""The web links of a page: the extractor writes a link's target after its text between two
:data:`~monitor.model.LINK_MARK` characters; :func:`split_links` takes them out of the lines, so that
the text is the page's text alone, and keeps them beside it. A link's target is read as a fact (a
contact section's ``GitHub Issues`` that now opens another repository), never compared as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from monitor.model import LINK_MARK

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

__all__ = ["Link", "annotation", "split_links", "write_out_targets"]

_ANNOTATION = re.compile(f"{LINK_MARK}([^{LINK_MARK}]*){LINK_MARK}")


def annotation(href: str, text: str) -> str:
    """What the extractor writes after a link's text: its web target, unless there is none (an
    anchor on the page, mailto:) or the text shows it already."""
    href = href.strip()
    shown = re.sub(r"^https?://(?:www\.)?", "", href.split("#")[0], flags=re.I).rstrip("/").lower()
    if not re.match(r"https?://", href, re.I) or shown in text.lower():
        return ""
    return f"{LINK_MARK}{href.replace(LINK_MARK, '')}{LINK_MARK}"


def write_out_targets(tree: LexborHTMLParser) -> None:
    """Write each web link's target after it, between marks (:func:`annotation`)."""
    for node in tree.css("a[href]"):
        written = annotation(node.attributes.get("href") or "", node.text(deep=True))
        if written:
            node.insert_after(written)


Link = tuple[str, int, str]  # (the line that holds the link, where its text ends in it, its target)


def split_links(lines: Sequence[str]) -> tuple[list[str], list[Link]]:
    """The lines without link targets, and each link, in order."""
    out: list[str] = []
    links: list[Link] = []
    for line in lines:
        if LINK_MARK not in line:
            out.append(line)
            continue
        parts: list[str] = []  # the line's text, up to each target
        targets: list[tuple[int, str]] = []  # where each link's text ends in the line, its target
        at = 0
        for m in _ANNOTATION.finditer(line):
            parts.append(line[at : m.start()].replace(LINK_MARK, ""))
            targets.append((sum(map(len, parts)), m.group(1)))
            at = m.end()
        parts.append(line[at:].replace(LINK_MARK, ""))
        text = "".join(parts)
        out.append(text)
        links.extend((text, end, target) for end, target in targets)
    return out, links
