"""What the web view's routes share: the :class:`Web` state, templates, JSON and error responses,
and the :class:`Guard` (``monitor.web.routes.create_app`` puts the app together).

Every response passes the Guard: the token check (when ``POLICY_MONITOR_TOKEN`` is set, on every
request, in constant time) and the security headers (a Content-Security-Policy without scripts, no
sniffing, no referrer). Handlers are plain functions: Starlette runs them in its thread pool, so the
database and the comparisons never block the event loop (the daemon's, with ``run --serve``).
"""

from __future__ import annotations

import hmac
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from monitor.errors import UserError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from monitor.model import Comparison
    from monitor.store.db import Store

TOKEN_ENV = "POLICY_MONITOR_TOKEN"
TOKEN_COOKIE = "policy_monitor_token"
COOKIE_SAFE = re.compile(r"[A-Za-z0-9._~+/=-]+")  # a token the cookie can carry as it is
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class NotFoundError(UserError):
    """An unknown operator, version or page: 404."""


@dataclass(slots=True)
class Web:
    """What the routes share: the store, the public address, the comparisons computed lately."""

    store: Store
    public_url: str | None = None  # watchlist web.base_url or --public-url; else the request's own
    diff_cache: OrderedDict[tuple[int, int], Comparison] = field(default_factory=OrderedDict)
    cache_size: int = 32
    lock: threading.Lock = field(default_factory=threading.Lock)
    # rendered feeds by their validator: a body changes only when its ETag does (monitor.web.feeds)
    feed_cache: OrderedDict[tuple[str, ...], str] = field(default_factory=OrderedDict)

    def base(self, request: Request) -> str:
        return self.public_url or str(request.base_url).rstrip("/")

    def comparison(self, key: tuple[int, int], make: Callable[[], Comparison]) -> Comparison:
        """The comparison of two versions, computed once for the last ``cache_size`` pairs asked for
        (versions never change, so neither does their comparison)."""
        cmp: Comparison = cached(self.diff_cache, key, make, self.cache_size, self.lock)
        return cmp

    def feed(self, key: tuple[str, ...], make: Callable[[], str]) -> str:
        """A feed's body for its validator (and address): built once per change of the feed."""
        body: str = cached(self.feed_cache, key, make, 64, self.lock)
        return body


@lru_cache(maxsize=1)
def code_version() -> str:
    """policy-monitor's version (read once: importlib.metadata scans the path)."""
    from importlib.metadata import version

    return version("policy-monitor")


def cached(
    cache: OrderedDict[Any, Any], key: Any, make: Callable[[], Any], size: int, lock: threading.Lock
) -> Any:
    """``make()``, kept in ``cache`` (least recently used out beyond ``size``)."""
    with lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


@lru_cache(maxsize=1)
def templates() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=True,  # every template: policy text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    context.setdefault("crumbs", [])
    context.setdefault("alternates", [])
    context.setdefault("generated", "")
    return HTMLResponse(templates().get_template(name).render(**context), status)


def wants_json(request: Request) -> bool:
    """``?format=json``, or an Accept header that asks for JSON rather than HTML."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON as the CLI prints it: UTF-8, not \\u escapes."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, status, headers=headers, media_type="application/json")


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    try:
        page = int(raw)
    except ValueError:
        raise NotFoundError(f"page {raw!r}: not a number") from None
    if page < 1:
        raise NotFoundError(f"page {page}: pages start at 1")
    return page


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return json_response({"error": message, "status": status}, status)
    return render("web_error.html.j2", status=status, code=status, message=message)


# ---------------------------------------------------------------------------------------------
# the guard: token and security headers on every response


class Guard:
    """ASGI middleware: with a token, a request must carry it (``Authorization: Bearer …``, the cookie
    set after a ``?token=`` link, or ``?token=`` itself); every response gets the security headers."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given, from_query = self._given(scope)
        cookie: bytes | None = None
        if self.token is not None:
            # always compare (constant time), whatever was given, so timing says nothing
            ok = hmac.compare_digest(given or b"\0", self.token) and given is not None
            if not ok:
                await _unauthorized(scope, receive, send)
                return
            value = self.token.decode("latin-1")
            if from_query and COOKIE_SAFE.fullmatch(value):  # the next pages need no ?token=
                cookie = f"{TOKEN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *SECURITY_HEADERS]
                if cookie is not None:
                    headers.append((b"set-cookie", cookie))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _given(scope: Scope) -> tuple[bytes | None, bool]:
        """The token the request carries, and whether it came in the query string."""
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            return auth[7:].strip(), False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("token"):
            return query["token"][0].encode(), True
        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        if TOKEN_COOKIE in cookie:
            return cookie[TOKEN_COOKIE].value.encode(), False
        return None, False


async def _unauthorized(scope: Scope, receive: Receive, send: Send) -> None:
    response = Response(
        "401: this policy-monitor needs its token (Authorization: Bearer …, or ?token=…)\n",
        401,
        headers={"WWW-Authenticate": 'Bearer realm="policy-monitor"'},
        media_type="text/plain",
    )
    await response(scope, receive, _with_security_headers(send))


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
        await send(message)

    return wrapped
