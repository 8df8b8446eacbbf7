"""Markdown policies (most policies kept in git are ``.md``): rendered to HTML by a real Markdown parser
(markdown-it-py, CommonMark with tables and strikethrough) and then read like any HTML page, so
headings, lists and tables keep their structure and emphasis markers, link targets and escapes are
gone. A YAML front matter block (``---`` … ``---`` at the top) is metadata of the site, not policy
text, and is dropped.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# "##2.信息使用": many Chinese Markdown files omit the space CommonMark wants after the #s of a heading
_TIGHT_HEADING = re.compile(r"^(#{1,6})(?=[^#\s])", re.M)
_ATX_HEADING = re.compile(rb"^#{1,6}[ \t]*[^#\s]", re.M)
_MD_FEATURE = re.compile(rb"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S|\*\*\S|\]\(|^\|.*\|\s*$|^>\s", re.M)


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # deferred: only Markdown documents need the parser

    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def to_html(text: str) -> str:
    """The HTML page a Markdown text renders to (a whole document, UTF-8)."""
    text = _TIGHT_HEADING.sub(r"\1 ", _FRONT_MATTER.sub("", text, count=1))
    body = _parser().render(text)
    return f'<!doctype html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def looks_like_markdown(data: bytes) -> bool:
    """A plain-text body that is Markdown source: ATX headings (``## 一、…``) and other Markdown marks."""
    head = data[:65536]
    return len(_ATX_HEADING.findall(head)) >= 2 and len(_MD_FEATURE.findall(head)) >= 2
