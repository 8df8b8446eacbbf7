"""Human views of a :class:`~monitor.model.Comparison`: ``text``, ``markdown`` and ``html``.

* ``text`` reads like ``git diff --word-diff``: ``[-deleted-]{+inserted+}``, ANSI colours on request;
* ``markdown`` is a GitHub-flavoured report for a ticket (``~~deleted~~`` / ``**inserted**``);
* ``html`` is one self-contained page (inline CSS, no scripts) with old and new side by side.

Material changes (重大变更) come first in every view. Policy text is untrusted input: the markdown view
escapes every character Markdown gives a meaning to, the html view escapes everything (autoescape).
The json form is :func:`monitor.compare.comparison.to_json`.
"""

from __future__ import annotations

from monitor.compare import render_html, render_markdown, render_text
from monitor.compare.render_common import NO_CHANGES, elide, path_label
from monitor.compare.render_markdown import md_escape
from monitor.model import Comparison

__all__ = ["FORMATS", "NO_CHANGES", "elide", "md_escape", "path_label", "render"]

FORMATS: tuple[str, ...] = ("text", "markdown", "html")


def render(cmp: Comparison, fmt: str, *, color: bool = False) -> str:
    """``cmp`` as ``text``, ``markdown`` or ``html``; ``color`` (ANSI) applies to ``text`` only."""
    if fmt == "text":
        return render_text.text(cmp, color=color)
    if fmt == "markdown":
        return render_markdown.markdown(cmp)
    if fmt == "html":
        return render_html.html(cmp)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
