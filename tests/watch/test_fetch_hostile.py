"""The fetcher against hostile servers on 127.0.0.1: a redirect to an impossible port, a redirect from
a "public" host to a private address, a server trickling its answer, and a library that raises
something unexpected. Every one is a failed fetch with a reason, never an exception."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from monitor.watch.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings
from monitor.watch.netguard import is_private
from tests.helpers.policy_server import Page, PolicyServer
from tests.helpers.trickle import TrickleServer

FAST = FetchSettings(per_host_delay=0, timeout=1.0, retries=1, backoff=0.01, max_backoff=0.02)
PUBLIC_IP = "93.184.216.34"  # only ever handed to the guard as a DNS answer, never connected to


class MapHosts(httpx.AsyncBaseTransport):
    """Connects to 127.0.0.1 for the names in ``hosts``: plays public hosts on loopback. The
    fetcher's guard sees the name (and asks the test's resolver), the socket goes to loopback."""

    def __init__(self, hosts: set[str]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.hosts = hosts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host in self.hosts:
            request.url = request.url.copy_with(host="127.0.0.1")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def fetch(
    req: FetchRequest | str,
    settings: FetchSettings = FAST,
    transport: httpx.AsyncBaseTransport | None = None,
    dns: dict[str, str] | None = None,
) -> FetchResult:
    async def resolver(host: str, port: int) -> list[str]:
        if dns is not None and host in dns:
            return [dns[host]]
        raise OSError(f"unknown host {host}")

    async def go() -> FetchResult:
        async with Fetcher(settings, transport=transport, resolver=resolver) as f:
            return await f.fetch(req if isinstance(req, FetchRequest) else FetchRequest(req))

    return asyncio.run(go())


def test_a_redirect_to_a_port_above_65535_is_a_failed_fetch(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(status=302, location="http://127.0.0.1:99999/admin")
    r = fetch(policy_server.url("/p"))
    assert r.status == "failed"
    assert "port 99999 is out of range" in (r.reason or "")


def test_a_url_with_a_port_above_65535_is_a_failed_fetch() -> None:
    r = fetch("http://127.0.0.1:99999/")
    assert r.status == "failed" and "port 99999" in (r.reason or "")


class Boom(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise OverflowError("getsockaddrarg: port must be 0-65535.")


def test_an_unexpected_exception_is_a_failed_fetch_with_its_reason() -> None:
    r = fetch("http://127.0.0.1:8/", transport=Boom())
    assert r.status == "failed"
    assert r.reason == "internal error: OverflowError: getsockaddrarg: port must be 0-65535."


@pytest.mark.parametrize(
    ("ip", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.1.1", True),
        ("172.16.0.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", True),
        (PUBLIC_IP, False),
        ("2606:4700::1111", False),
    ],
)
def test_private_addresses(ip: str, private: bool) -> None:
    assert is_private(ip) is private


def test_a_public_page_redirecting_to_loopback_is_refused(policy_server: PolicyServer) -> None:
    policy_server.pages["/admin"] = Page(b"<p>admin secrets</p>")
    policy_server.pages["/go"] = Page(status=302, location=policy_server.url("/admin"))
    url = f"http://public.test:{policy_server.port}/go"
    transport, dns = MapHosts({"public.test"}), {"public.test": PUBLIC_IP}
    r = fetch(url, transport=transport, dns=dns)
    assert r.status == "failed" and r.body == b""
    assert "redirect from a public address to the private address 127.0.0.1 refused" in (r.reason or "")
    assert policy_server.requests("/admin") == []
    # allowed for this operator: followed
    r = fetch(FetchRequest(url, allow_private=True), transport=MapHosts({"public.test"}), dns=dns)
    assert r.status == "ok" and r.body == b"<p>admin secrets</p>"


def test_a_watched_name_resolving_to_a_private_address_is_refused(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(b"<p>intranet</p>")
    url = f"http://intranet.test:{policy_server.port}/p"
    dns = {"intranet.test": "10.0.0.5"}
    r = fetch(url, transport=MapHosts({"intranet.test"}), dns=dns)
    assert r.status == "failed"
    assert "intranet.test resolves to the private address 10.0.0.5" in (r.reason or "")
    assert "allow_private: true" in (r.reason or "")
    r = fetch(FetchRequest(url, allow_private=True), transport=MapHosts({"intranet.test"}), dns=dns)
    assert r.status == "ok"


def test_a_watched_literal_loopback_url_and_its_redirects_are_fetched(policy_server: PolicyServer) -> None:
    """What the whole test suite does: the URL names 127.0.0.1 itself."""
    policy_server.pages["/new"] = Page(b"<p>new</p>")
    policy_server.pages["/old"] = Page(status=301, location=policy_server.url("/new"))
    r = fetch(policy_server.url("/old"))
    assert r.status == "ok" and r.body == b"<p>new</p>"


def test_a_trickling_server_holds_its_host_for_one_deadline_only(policy_server: PolicyServer) -> None:
    """Each read gets a byte in time (0.3 s < the 1 s read timeout) but the answer never ends: the
    whole attempt gives up at the 1.5 s deadline, is not retried, and the host's other operator
    (same address, waiting for the per-host lock) is fetched right after."""
    settings = FetchSettings(per_host_delay=0, timeout=1.0, deadline=1.5, retries=2, backoff=0.01)
    policy_server.pages["/fast"] = Page(b"<p>fast</p>")
    with TrickleServer(every=0.3) as slow:
        fast_url = policy_server.url("/fast")  # another port of the same host: the same politeness lock
        done: dict[str, float] = {}

        async def go() -> list[FetchResult]:
            async with Fetcher(settings) as f:
                t0 = time.monotonic()

                async def one(url: str) -> FetchResult:
                    r = await f.fetch(FetchRequest(url))
                    done[url] = time.monotonic() - t0
                    return r

                return await asyncio.gather(one(slow.url()), one(fast_url))

        slow_r, fast_r = asyncio.run(go())
    assert slow_r.status == "failed" and slow_r.attempts == 1
    assert "no complete answer in 1.5 s (deadline)" in (slow_r.reason or "")
    assert fast_r.status == "ok"
    assert done[slow.url()] < 2.5 and done[fast_url] < 2.5


def test_a_failed_fetch_reason_shows_no_credentials(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(status=302, location="http://admin:SECRETPW@127.0.0.1:99999/")
    r = fetch(policy_server.url("/p"))
    assert r.status == "failed" and "admin:***@127.0.0.1:99999" in (r.reason or "")
    assert "SECRETPW" not in (r.reason or "")


def test_the_connection_goes_to_the_address_the_guard_approved(policy_server: PolicyServer) -> None:
    """No second DNS lookup to connect (DNS rebinding): ``pinned.test`` exists only in the guard's
    resolver, so the page is fetched only if the connection used the address the guard approved."""
    policy_server.pages["/p"] = Page(b"<p>pinned</p>")
    url = f"http://pinned.test:{policy_server.port}/p"
    r = fetch(FetchRequest(url, allow_private=True), dns={"pinned.test": "127.0.0.1"})
    assert r.status == "ok" and r.body == b"<p>pinned</p>"
    # and a redirect from a page the watchlist names by address to such a name
    policy_server.pages["/go"] = Page(status=302, location=url)
    r = fetch(policy_server.url("/go"), dns={"pinned.test": "127.0.0.1"})
    assert r.status == "ok" and r.body == b"<p>pinned</p>"
