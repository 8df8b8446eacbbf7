"""Web pages of the operator's that only moved: the same path on another of the product's domains, or
on another domain of its own (a site that moved: mysit.life/contact → xiaoying.life/contact), is the
same channel, not one gone and one new, as is a page whose link is now written relative to the site
(/support-zh). On a host many owners share (github.io, vercel.app) only a host named by the other's
name is the same owner's. A new controller shows in its entity, its e-mail and its phone, not in a
page's path."""

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
            if named_by(host_a, host_b) or named_by(host_b, host_a) or _own_page(host_a, host_b, path_a):
                moved |= {a, b}
    return gone - moved, came - moved


def named_by(host: str, other: str) -> bool:
    """Whether ``other`` holds ``host``'s name, its first label (betweenus in betweenus-site.vercel.app)."""
    name = re.split(r"[.-]", host)[0]
    return len(name) >= 4 and name in re.split(r"[.-]", other)


# hosts shared by many owners: a page there is its owner's by the first label alone
_SHARED = re.compile(r"\.(?:github\.io|gitee\.io|vercel\.app|netlify\.app|pages\.dev|web\.app|notion\.site)$")


def _own_page(host_a: str, host_b: str, path: str) -> bool:
    """A page of the site's own at the same path on a domain of its own (mysit.life/contact →
    xiaoying.life/contact: the site moved its domain)."""
    return len(path) >= 4 and not (_SHARED.search(host_a) or _SHARED.search(host_b))


def linked_relative(pages: frozenset[str], other_text: str) -> frozenset[str]:
    """The web pages ``other_text`` still links to by their path alone, written relative to the site
    (https://iscript.dev/support-zh → /support-zh): the same page of the policy's own site."""
    kept = set()
    for page in pages:
        host, _, path = page.partition("/")
        if "@" in page or "." not in host or len(path) < 4:
            continue
        if re.search(rf"(?<![\w./:-])/{re.escape(path)}(?![\w/-])", other_text):
            kept.add(page)
    return frozenset(kept)
