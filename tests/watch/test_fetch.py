"""The fetcher against a real HTTP server on 127.0.0.1: outcomes, retries, politeness, limits."""

from __future__ import annotations

import asyncio
import gzip
from email.utils import formatdate

import pytest

from monitor.watch.fetch import Fetcher, FetchRequest, FetchResult, FetchSettings, parse_retry_after
from tests.helpers.policy_server import Page, PolicyServer

FAST = FetchSettings(
    concurrency=4,
    per_host_delay=0,
    timeout=0.5,
    retries=2,
    backoff=0.01,
    max_backoff=0.05,
    max_retry_after=1.0,
    max_bytes=200_000,
)
HTML = "<!DOCTYPE html><html><body><p>个人信息保护政策</p></body></html>".encode()


def fetch(req: FetchRequest | str, settings: FetchSettings = FAST) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings) as f:
            return await f.fetch(req if isinstance(req, FetchRequest) else FetchRequest(req))

    return asyncio.run(go())


def test_ok_with_headers_and_gzip(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, gzip=True, content_type="text/html; charset=gbk")
    r = fetch(policy_server.url("/p"))
    assert (r.status, r.http_status, r.body, r.attempts) == ("ok", 200, HTML, 1)
    assert r.charset == "gbk" and r.content_type == "text/html; charset=gbk"
    assert r.etag == policy_server.pages["/p"].etag_value
    req = policy_server.requests("/p")[0]
    assert "gzip" in req.headers["accept-encoding"] and "policy-monitor" in req.headers["user-agent"]


def test_custom_headers_are_sent(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML)
    fetch(FetchRequest(policy_server.url("/p"), {"Cookie": "consent=1"}))
    assert policy_server.requests("/p")[0].headers["cookie"] == "consent=1"


def test_etag_makes_the_request_conditional(policy_server: PolicyServer) -> None:
    page = policy_server.pages["/p"] = Page(HTML)
    r = fetch(FetchRequest(policy_server.url("/p"), etag=page.etag_value))
    assert (r.status, r.http_status, r.body) == ("not_modified", 304, b"")
    assert policy_server.requests("/p")[0].headers["if-none-match"] == page.etag_value
    page.body = HTML.replace(b"</p>", b"!</p>")
    r = fetch(FetchRequest(policy_server.url("/p"), etag=r.etag))
    assert r.status == "ok" and r.body == page.body


def test_last_modified_makes_the_request_conditional(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, etag=False, last_modified=1_700_000_000)
    first = fetch(policy_server.url("/p"))
    assert first.last_modified == formatdate(1_700_000_000, usegmt=True)
    again = fetch(FetchRequest(policy_server.url("/p"), last_modified=first.last_modified))
    assert again.status == "not_modified"


def test_404_fails_at_once(policy_server: PolicyServer) -> None:
    r = fetch(policy_server.url("/missing"))
    assert (r.status, r.http_status, r.reason, r.attempts) == ("failed", 404, "HTTP 404 Not Found", 1)


def test_500_is_retried_then_fails(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, fail_first=99, fail_status=500)
    r = fetch(policy_server.url("/p"))
    assert (r.status, r.http_status, r.attempts) == ("failed", 500, 3)
    assert r.reason == "HTTP 500 Internal Server Error (after 3 attempts)"
    assert len(policy_server.requests("/p")) == 3


def test_a_transient_503_recovers(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, fail_first=1)
    r = fetch(policy_server.url("/p"))
    assert (r.status, r.attempts, r.body) == ("ok", 2, HTML)


def test_429_honours_a_short_retry_after(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, fail_first=1, fail_status=429, retry_after="0")
    r = fetch(policy_server.url("/p"))
    assert (r.status, r.attempts) == ("ok", 2)


def test_429_with_a_long_retry_after_gives_up_at_once(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, fail_first=99, fail_status=429, retry_after="3600")
    r = fetch(policy_server.url("/p"))
    assert (r.status, r.http_status, r.attempts) == ("failed", 429, 1)
    assert "Retry-After 3600 s is too long" in (r.reason or "")


def test_timeout(policy_server: PolicyServer) -> None:
    policy_server.pages["/p"] = Page(HTML, delay=5)
    r = fetch(policy_server.url("/p"), FetchSettings(timeout=0.2, retries=0, per_host_delay=0))
    assert r.status == "failed" and r.reason == "timeout (response, 0.2 s)"


def test_redirects_are_followed(policy_server: PolicyServer) -> None:
    policy_server.pages["/old"] = Page(status=301, location="/new")
    policy_server.pages["/new"] = Page(HTML)
    r = fetch(policy_server.url("/old"))
    assert r.status == "ok" and r.final_url == policy_server.url("/new") and r.body == HTML


def test_a_redirect_loop_fails(policy_server: PolicyServer) -> None:
    policy_server.pages["/loop"] = Page(status=302, location="/loop")
    r = fetch(policy_server.url("/loop"))
    assert r.status == "failed" and "more than 5 redirects" in (r.reason or "")
    assert len(policy_server.requests("/loop")) == 6


def test_an_oversized_body_is_refused_by_its_length(policy_server: PolicyServer) -> None:
    policy_server.pages["/big"] = Page(b"x" * 300_000)
    r = fetch(policy_server.url("/big"))
    assert r.status == "failed" and "over the 195 KiB cap" in (r.reason or "") and r.body == b""


def test_an_oversized_decoded_body_is_abandoned(policy_server: PolicyServer) -> None:
    # 3 MB of zeros gzip to a few KB: only the decoded size can tell
    policy_server.pages["/bomb"] = Page(b"0" * 3_000_000, gzip=True, chunked=True)
    assert len(gzip.compress(b"0" * 3_000_000)) < FAST.max_bytes
    r = fetch(policy_server.url("/bomb"))
    assert r.status == "failed" and "cap (decoded)" in (r.reason or "")


def test_a_body_cut_short_is_truncated(policy_server: PolicyServer) -> None:
    policy_server.pages["/cut"] = Page(HTML * 50, truncate=200)
    r = fetch(policy_server.url("/cut"))
    assert r.status == "truncated" and "body cut short" in (r.reason or "") and r.attempts == 3


def test_connection_refused_fails(policy_server: PolicyServer) -> None:
    with PolicyServer() as other:
        url = other.url("/p")
    r = fetch(url)  # the server is gone: nothing listens on that port
    assert r.status == "failed" and (r.reason or "").startswith("connection error") and r.attempts == 3


def test_one_request_at_a_time_per_host_and_a_global_limit() -> None:
    settings = FetchSettings(concurrency=3, per_host_delay=0.01, timeout=2, retries=0)
    with PolicyServer(hosts=("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")) as srv:
        for i in range(5):
            srv.pages[f"/p{i}"] = Page(HTML, delay=0.05)

        async def go() -> list[FetchResult]:
            async with Fetcher(settings) as f:
                reqs = [FetchRequest(srv.url(f"/p{i}", host)) for i in range(5) for host in srv.hosts]
                return await asyncio.gather(*(f.fetch(r) for r in reqs))

        results = asyncio.run(go())
    assert all(r.status == "ok" for r in results) and len(results) == 25
    assert set(srv.max_active.values()) == {1}  # never two at once on one host
    assert srv.max_active_total <= 3  # the global limit
    assert srv.max_active_total > 1  # but hosts are fetched in parallel


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("0", 0.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0)],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(value, now=now) == seconds


def test_the_ca_certificates_load_at_the_first_https_request(policy_server: PolicyServer) -> None:
    """netguard.LazyTLS: httpx's default TLS context, its certificates loaded only when a request is
    https (the first one or a redirect); before that it trusts nothing rather than everything."""
    import ssl

    import httpx

    from monitor.watch.netguard import LazyTLS

    tls = LazyTLS()
    assert tls.context.cert_store_stats()["x509_ca"] == 0
    assert (tls.context.verify_mode, tls.context.check_hostname) == (ssl.CERT_REQUIRED, True)
    tls.load()
    httpx_default = httpx.create_ssl_context(trust_env=False)
    assert tls.context.cert_store_stats() == httpx_default.cert_store_stats()
    assert tls.context.cert_store_stats()["x509_ca"] > 50
    for attr in ("options", "verify_mode", "verify_flags", "check_hostname", "minimum_version", "protocol"):
        assert getattr(tls.context, attr) == getattr(httpx_default, attr), attr

    policy_server.pages["/p"] = Page(HTML)

    async def go() -> tuple[bool, bool, FetchResult]:
        async with Fetcher(FAST) as f:
            plain = await f.fetch(FetchRequest(policy_server.url("/p")))
            assert plain.status == "ok"
            after_http = f._tls.loaded
            https = await f.fetch(FetchRequest("https://127.0.0.1:9/"))  # nothing listens: fails
            return after_http, f._tls.loaded, https

    after_http, after_https, https = asyncio.run(go())
    assert (after_http, after_https, https.status) == (False, True, "failed")
