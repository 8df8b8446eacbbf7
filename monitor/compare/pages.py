"""Web pages of the operator's that only moved: the same path on another of the product's domains is
the same channel, not one gone and one new."""

from __future__ import annotations

import re


def moved_pages(gone: frozenset[str], came: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Without the web pages that only moved to their owner's other domain: the same path on a host
    named by the other host's name (betweenus-site.vercel.app/support → betweenus.app/support, a preview
    domain left for the product's own; not foo.github.io → bar.github.io, another owner's)."""
    moved = set()
    for a in gone:
        for b in came:
            (host_a, _, path_a), (host_b, _, path_b) = a.partition("/"), b.partition("/")
            if "@" in a + b or path_a != path_b or "." not in host_a + host_b:
                continue
            if named_by(host_a, host_b) or named_by(host_b, host_a):
                moved |= {a, b}
    return gone - moved, came - moved


def named_by(host: str, other: str) -> bool:
    """Whether ``other`` holds ``host``'s name, its first label (betweenus in betweenus-site.vercel.app)."""
    name = re.split(r"[.-]", host)[0]
    return len(name) >= 4 and name in re.split(r"[.-]", other)
