"""A browser fetch of a public page may not reach loopback, private or link-local addresses: not by a
redirect of the page, not by a request of its scripts (the HTTP fetch's rule, monitor.watch.netguard,
applied to every request Chromium makes). The public host names are played on loopback: Chromium maps
them to 127.0.0.1 (--host-resolver-rules), while the guard asks the test's resolver, which answers
with a public address for ``public.example`` and with loopback for ``evil.example``."""

from __future__ import annotations

import asyncio

import pytest

from monitor.watch.browser import BrowserPool, BrowserSettings, Guard, RenderError
from monitor.watch.netguard import browser_refusal, origin_is_private
from tests.helpers import js_pages
from tests.helpers.policy_server import Page, PolicyServer

PUBLIC_IP = "93.184.216.34"  # only ever a DNS answer given to the guard, never connected to
DNS = {"public.example": PUBLIC_IP, "evil.example": "127.0.0.1", "lan.example": "192.168.1.20"}


async def resolver(host: str, port: int) -> list[str]:
    if host in DNS:
        return [DNS[host]]
    raise OSError(f"unknown host {host}")


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://public.example/policy", None),
        ("https://public.example:8443/api", None),
        ("http://evil.example/admin", "private address 127.0.0.1"),
        ("http://lan.example/", "private address 192.168.1.20"),
        ("http://127.0.0.1:8080/admin", "private address 127.0.0.1"),
        ("http://[::1]/", "private address ::1"),
        ("http://169.254.169.254/latest/meta-data/", "private address 169.254.169.254"),
        ("http://localhost/", "to localhost refused"),
        ("http://nowhere.example/", None),  # no DNS answer: the browser fails to connect by itself
        ("data:text/plain,hello", None),
        ("blob:https://public.example/1234", None),
    ],
)
def test_browser_refusal(url: str, refused: str | None) -> None:
    reason = asyncio.run(browser_refusal(url, resolver))
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and refused in reason


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://127.0.0.1:8000/p", True),
        ("http://localhost/p", True),
        ("http://10.0.0.5/p", True),
        ("https://www.example.com/privacy", False),
        ("http://93.184.216.34/p", False),
    ],
)
def test_origin_is_private(url: str, private: bool) -> None:
    assert origin_is_private(url) is private


SECRET = "INTERNAL-ADMIN-SECRET"


def _site(server: PolicyServer) -> None:
    """/page: a public page whose script reads an internal address and shows what it got."""
    port = server.port
    script = (
        f"fetch('http://evil.example:{port}/secret')"
        ".then(r => r.text()).catch(() => 'blocked')"
        ".then(t => { document.getElementById('leak').textContent = t;"
        " document.body.insertAdjacentHTML('beforeend', '<i id=done></i>'); });"
    )
    server.pages["/page"] = Page(
        (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>隐私政策</title></head><body>"
            "<div id='app'>我们如何收集和使用您的个人信息</div><p id='leak'></p>"
            f"<script>{script}</script></body></html>"
        ).encode()
    )
    server.pages["/secret"] = Page(
        SECRET.encode(), content_type="text/plain", headers={"Access-Control-Allow-Origin": "*"}
    )
    server.pages["/go"] = Page(status=302, location=f"http://127.0.0.1:{port}/secret")


def _render(url: str, guard: Guard | None) -> str:
    async def go() -> str:
        pool = BrowserPool(BrowserSettings(extra_args=("--host-resolver-rules=MAP *.example 127.0.0.1",)))
        try:
            dom, _ = await pool.render(url, {}, "#done", 15, guard)
            return dom
        finally:
            await pool.close()

    return asyncio.run(go())


async def _guard(url: str) -> str | None:
    return await browser_refusal(url, resolver)


@pytest.mark.parametrize("guarded", [False, True], ids=["unguarded", "guarded"])
@pytest.mark.slow
@pytest.mark.skipif(js_pages.chromium_missing() is not None, reason=str(js_pages.chromium_missing()))
def test_a_script_of_a_public_page_cannot_read_an_internal_address(
    policy_server: PolicyServer, guarded: bool
) -> None:
    _site(policy_server)
    dom = _render(f"http://public.example:{policy_server.port}/page", _guard if guarded else None)
    if guarded:
        assert SECRET not in dom and ">blocked<" in dom
    else:  # what the guard is for: without it the page reads the internal address
        assert SECRET in dom


@pytest.mark.slow
@pytest.mark.skipif(js_pages.chromium_missing() is not None, reason=str(js_pages.chromium_missing()))
def test_a_public_page_redirecting_to_loopback_is_refused_in_the_browser(policy_server: PolicyServer) -> None:
    _site(policy_server)
    with pytest.raises(RenderError, match=r"private address 127\.0\.0\.1 refused"):
        _render(f"http://public.example:{policy_server.port}/go", _guard)
