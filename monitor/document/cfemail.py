"""Addresses a page holds outside its text: Cloudflare's e-mail protection, and links to write or call.

A site behind Cloudflare may have every e-mail address of its pages replaced, at the edge, by
``<span class="__cf_email__" data-cfemail="0b6564…">[email protected]</span>`` and a script that
writes the address back in a browser. A fetcher that runs no script reads "[email protected]", and a
policy's contact address would seem to come and go with the setting. The attribute holds the
address: hex bytes, the first the key every other one is XORed with.

A link ``<a href="mailto:support@example.com">📧 邮箱</a>`` (or ``tel:``) shows a label and holds the
address a reader's click opens: a contact channel that changes with the link's target alone. Its
address is read after the label, as if written ``📧 邮箱 (support@example.com)``, unless the label
already shows it; a label that shows another address (``hello@<span class="decoy">null.</span>
keeply.work``, hidden by a stylesheet against harvesters) is read as the address the link opens.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

# an e-mail address as written (read from a page's chrome here, from a policy's text by facts_base)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NOT_DIGIT = re.compile(r"\D")


def cf_email(encoded: str) -> str | None:
    """The address in a ``data-cfemail`` value, or None when it holds none."""
    try:
        key, *rest = bytes.fromhex(encoded)
        return bytes(b ^ key for b in rest).decode("utf-8")
    except ValueError:  # not hex, empty, or not UTF-8 once decoded
        return None


def link_address(href: str, label: str) -> str | None:
    """The address of a ``mailto:`` or ``tel:`` link that its label does not show, else None.

    >>> link_address("mailto:a%40b.com?subject=hi", "📧 邮箱")
    'a@b.com'
    >>> link_address("mailto:a@b.com", "写信给 A@B.com") is None
    True
    >>> link_address("tel:+86-10-1234-5678", "+86 10 1234 5678") is None
    True
    """
    scheme, _, rest = href.strip().partition(":")
    address = unquote(rest.split("?", 1)[0]).strip().lstrip("/")  # mailto://a@b.com is common
    if not address or scheme.lower() not in ("mailto", "tel"):
        return None
    if scheme.lower() == "mailto":
        shown = address.lower() in label.lower()
    else:
        digits = _NOT_DIGIT.sub("", address)
        shown = not digits or digits[-7:] in _NOT_DIGIT.sub("", label)
    return None if shown else address


def write_out_addresses(tree: LexborHTMLParser) -> None:
    """Write the hidden addresses into ``tree``'s text: Cloudflare's, then those of links."""
    for node in tree.css("[data-cfemail]"):  # shown as "[email protected]" where scripts do not run
        node.replace_with(cf_email(node.attributes.get("data-cfemail") or "") or "[email protected]")
    for node in tree.css('a[href^="mailto:" i], a[href^="tel:" i]'):
        label = node.text(deep=True)
        address = link_address(node.attributes.get("href") or "", label)
        if address and "@" in address and _AN_ADDRESS.search(label):
            node.replace_with(address)  # a label showing another address: a decoy (hello@null.keeply.work)
        elif address:
            node.insert_child(f" ({address})")


_AN_ADDRESS = re.compile(r"\S@\S")
