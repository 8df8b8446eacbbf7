"""What ``compare`` flags between two versions of a small policy built from one template."""

from __future__ import annotations

from monitor.compare.comparison import compare
from monitor.document.parse import parse


def flagged(body: str, old: str, new: str, media_type: str = "text") -> set[str]:
    """The categories of the material changes between ``body`` filled with ``old`` and with ``new``
    (``body`` holds one ``{}``)."""
    a, b = (parse(body.format(t).encode(), media_type=media_type, source="c") for t in (old, new))
    return {cat for c in compare(a, b).changes if c.material for cat in c.categories}
