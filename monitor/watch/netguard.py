"""Where a fetch may go: every request of a fetch (the first and each redirect) passes :func:`check_request`.

* a port outside 1–65535 (a ``Location:`` pointing there) is a failed fetch, not a crash;
* a watched URL whose *host name* resolves to a loopback, private or link-local address is refused,
  and so is a redirect from a public address to such an address: a public page must not make the
  monitor read (and store, and mail around) an admin page on the monitor's own network. A watched
  URL that names such an address itself (``http://127.0.0.1:8080/``, ``http://localhost/``) is what
  the operator asked for and is fetched; ``allow_private: true`` (per operator or in ``defaults:``)
  lifts the rule.

The host is resolved here, once, with ``resolver`` (the system's ``getaddrinfo`` unless a test hands
in another), and the connection goes to the address this check approved (:class:`PinnedBackend`):
a name whose DNS answer changes between the check and the connection (DNS rebinding) cannot slip
a private address in.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import ssl
import sys
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

Resolver = Callable[[str, int], Awaitable[list[str]]]
EXTENSION = "policy_monitor_guard"
# host → the address its check approved, for the request being made (set per request, in its task)
PINNED: ContextVar[dict[str, str] | None] = ContextVar("policy_monitor_pinned", default=None)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting to the address :func:`check_request` approved for the
    host (when there is one) instead of resolving the name again."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pinned = (PINNED.get() or {}).get(host, host)
        return await self.inner.connect_tcp(
            pinned, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await self.inner.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class LazyTLS:
    """The TLS context of :func:`pinning_transport`: httpx's default (certifi's CA certificates, host
    names checked; ``SSLKEYLOGFILE`` as :func:`ssl.create_default_context` reads it), its certificates
    loaded by :meth:`load` at the first https request (the fetcher's request hook, which sees the
    first request and each redirect) instead of when the transport is made: that takes some 20 ms, a
    twentieth of a check of 100 pages served over http. Until then it trusts no certificate, so a
    handshake could only fail, never pass unverified."""

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            self.context.keylog_filename = keylog
        self.loaded = False

    def load(self) -> None:
        if not self.loaded:
            import certifi  # deferred: with the certificates

            self.context.load_verify_locations(certifi.where())
            self.loaded = True


def pinning_transport(limits: httpx.Limits, tls: LazyTLS) -> httpx.AsyncHTTPTransport:
    """httpx's transport whose connections go to the pinned addresses (httpx offers no parameter
    for the network backend: it is set on the pool the transport builds), with ``tls``'s context."""
    transport = httpx.AsyncHTTPTransport(verify=tls.context, limits=limits, trust_env=False)
    pool = transport._pool
    pool._network_backend = PinnedBackend(pool._network_backend)
    return transport


class RefusedError(Exception):
    """The request goes somewhere the watchlist does not allow; the message is the fetch's reason."""


@dataclass(slots=True)
class GuardState:
    """One fetch's journey: whether private addresses are allowed, and what the first hop was."""

    allow_private: bool = False
    hops: int = 0
    origin_private: bool = False


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def is_private(ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private (RFC 1918, ULA), link-local, unspecified or otherwise not globally routable."""
    addr = literal_ip(ip) if isinstance(ip, str) else ip
    if addr is None:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return not addr.is_global or addr.is_loopback or addr.is_link_local or addr.is_private


def port_problem(url: httpx.URL) -> str | None:
    port = url.port
    if port is not None and not 0 < port < 65536:
        return f"bad URL: port {port} is out of range (1-65535): {url}"
    return None


async def check_request(request: httpx.Request, resolver: Resolver) -> None:
    """httpx's request hook: raises :class:`RefusedError` for a request the fetch must not make, and
    pins the host to the address it approved."""
    problem = port_problem(request.url)
    if problem is not None:
        raise RefusedError(problem)
    state = request.extensions.get(EXTENSION)
    if not isinstance(state, GuardState):
        return
    first = state.hops == 0
    state.hops += 1
    host = request.url.host
    named = literal_ip(host)
    if named is not None or host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
        private = named is None or is_private(named)
        if first:
            state.origin_private = private  # the watchlist names it: the operator's choice
        elif private and not (state.origin_private or state.allow_private):
            raise RefusedError(_redirect_refused(request.url, host))
        return
    try:
        addresses = await resolver(host, request.url.port or (443 if request.url.scheme == "https" else 80))
    except OSError:
        return  # httpx fails to connect and says why
    private_ip = next((ip for ip in addresses if is_private(ip)), None)
    if private_ip is not None and not state.allow_private:
        if first:
            raise RefusedError(
                f"{host} resolves to the private address {private_ip} "
                "(set `allow_private: true` for this operator to watch it)"
            )
        if not state.origin_private:
            raise RefusedError(_redirect_refused(request.url, private_ip))
    _pin(host, addresses)


async def browser_refusal(url: str, resolver: Resolver) -> str | None:
    """Why a browser rendering a public page must not request ``url`` (None: it may): its host is,
    or resolves to, a loopback, private or link-local address. A browser fetch's page and every
    request its scripts make pass here, unless the watched URL is itself such an address or the
    operator has ``allow_private: true``."""
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return f"bad URL {url!r}"
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return None  # data:, blob:, about: stay inside the browser
    problem = port_problem(parts)
    if problem is not None:
        return problem
    host = parts.host
    if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
        return f"request from a public page to {host} refused ({url})"
    named = literal_ip(host)
    if named is not None:
        addresses = [str(named)]
    else:
        try:
            addresses = await resolver(host, parts.port or (443 if parts.scheme in ("https", "wss") else 80))
        except OSError:
            return None  # the browser fails to connect and says why
    private_ip = next((ip for ip in addresses if is_private(ip)), None)
    if private_ip is None:
        return None
    return (
        f"request from a public page to the private address {private_ip} refused ({url}; "
        "set `allow_private: true` for this operator to allow it)"
    )


def origin_is_private(url: str) -> bool:
    """Whether a watched URL names a loopback or private address itself (the operator's choice)."""
    host = httpx.URL(url).host
    named = literal_ip(host)
    if named is not None:
        return is_private(named)
    return host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost")


def _pin(host: str, addresses: list[str]) -> None:
    pins = PINNED.get()
    if pins is not None and addresses:
        pins[host] = addresses[0]


def _redirect_refused(url: httpx.URL, address: str) -> str:
    return (
        f"redirect from a public address to the private address {address} refused ({url}; "
        "set `allow_private: true` for this operator to follow it)"
    )
