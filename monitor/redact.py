"""Secrets out of what is shown or stored: one helper for every URL in an error, a log line, an
alert's ``last_error`` or ``alerts list``.

:func:`mask_url` keeps what tells a URL apart (scheme, host, port, the shape of the path) and
masks what may be a credential: a password (``user:***@host``), the value of a query parameter
named like a secret (``token``, ``key``, ``sig``, ``access_token`` …) or shaped like one, and a path
segment shaped like a token (long, letters and digits mixed: webhook URLs carry theirs there, as
``/services/T0/B0/XXXX…`` or ``/hook/<uuid>``). :func:`mask_secrets` applies it to each URL in a text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s'\"<>`]+")
_SLUG = re.compile(r"[a-z]+(?:[-_][a-z]+)*(?:\.[a-z0-9]+)?")  # privacy-policy.html: words, not a token
_SECRET_NAME = re.compile(r"token|key|secret|sig|pass|pwd|auth|access|ticket|session|code", re.IGNORECASE)


def _looks_secret(value: str) -> bool:
    """A token's shape: long, with letters and digits mixed (a word, a date, an id number is not)."""
    if _SLUG.fullmatch(value):
        return False
    letters = sum(ch.isalpha() for ch in value)
    digits = sum(ch.isdigit() for ch in value)
    return len(value) >= 24 or (len(value) >= 16 and letters >= 4 and digits >= 4)


def mask_url(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url.split(':', 1)[0]}://{MASK}"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if has_password else f"{MASK}@{host}"
    path = "/".join(MASK if _looks_secret(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(_mask_param(p) for p in parts.query.split("&")) if parts.query else ""
    fragment = parts.fragment and MASK
    if (netloc, path, query, fragment) == (parts.netloc, parts.path, parts.query, parts.fragment):
        return url
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def _mask_param(param: str) -> str:
    name, eq, value = param.partition("=")
    if value and (_SECRET_NAME.search(name) or _looks_secret(value)):
        return f"{name}{eq}{MASK}"
    return param


def mask_secrets(text: str) -> str:
    """``text`` with every URL in it masked (:func:`mask_url`)."""

    def one(m: re.Match[str]) -> str:
        url = m.group()
        core = url.rstrip(".,:;)]")  # the sentence's punctuation, not the URL's
        return mask_url(core) + url[len(core) :]

    return _URL.sub(one, text)
