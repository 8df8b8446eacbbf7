"""Addresses hidden by Cloudflare's e-mail protection.

A site behind Cloudflare may have every e-mail address of its pages replaced, at the edge, by
``<span class="__cf_email__" data-cfemail="0b6564…">[email protected]</span>`` and a script that
writes the address back in a browser. A fetcher that runs no script reads "[email protected]", and a
policy's contact address would seem to come and go with the setting. The attribute holds the
address: hex bytes, the first the key every other one is XORed with.
"""

from __future__ import annotations


def cf_email(encoded: str) -> str | None:
    """The address in a ``data-cfemail`` value, or None when it holds none."""
    try:
        key, *rest = bytes.fromhex(encoded)
        return bytes(b ^ key for b in rest).decode("utf-8")
    except ValueError:  # not hex, empty, or not UTF-8 once decoded
        return None
