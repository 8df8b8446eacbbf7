"""``fetcher: browser``: pages whose text is built by JavaScript, rendered in the system's Chromium.

Playwright (the optional extra ``pip install 'policy-monitor[browser]'``) drives a Chromium found on
the machine (``browser.executable_path``, else the first of :data:`CHROMIUM_NAMES` on PATH:
``chromium-headless-shell``, ``chromium`` …); Playwright's own browser download is never needed.

A browser fetch is two steps:

1. the page is fetched by the HTTP fetcher (:mod:`monitor.watch.fetch`), so retries, politeness per
   host, timeouts, the size cap and the status checks apply as to any page; a failure ends the
   check there, without a browser. It is conditional only with ``browser: {conditional: true}``
   (then a 304 is "not modified" and nothing is rendered): the HTML shell of a script-built page
   rarely changes when the policy, in a script or an API answer, does, so by default every browser
   check renders;
2. Chromium opens the page itself (a second request for it: the browser must know the page's real
   address, or its protections against pages reaching local addresses misjudge every request the
   page makes), its scripts and data load, and once ``wait_for`` (a CSS selector) is in the page,
   or else the page has loaded and the network gone quiet, the rendered DOM is the capture.

The result is the same :class:`~monitor.watch.fetch.FetchResult` as an HTTP fetch (the body is the
rendered DOM as UTF-8), so vetting, raw capture and recording apply unchanged.

:class:`BrowserPool` keeps one Chromium for its life (a daemon's, or one ``check``'s), launched on
the first browser fetch and again after a crash; a semaphore caps the pages rendered at once, and
each page gets a fresh context (no cookies or cache carried from one check to the next).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from monitor.document.extract import sniff_media_type
from monitor.errors import UserError
from monitor.watch.fetch import USER_AGENT, Fetcher, FetchResult
from monitor.watch.netguard import browser_refusal, origin_is_private

if TYPE_CHECKING:
    from monitor.config import BrowserConfig
    from monitor.watch.target import Target

Guard = Callable[[str], Awaitable[str | None]]  # a request's URL → why it is refused, or None

logger = logging.getLogger("policy_monitor.browser")  # a child of the worker's log (runlog)

BROWSER_EXTRA = "pip install 'policy-monitor[browser]'"
# chromium-headless-shell first (Debian's package of the headless-only build made for automation:
# on a 2-core machine about 4x the pages per second of `chromium --headless`, and 40% less memory)
CHROMIUM_NAMES = (
    "chromium-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
# a headless Chromium that calls nowhere by itself (a closed network refuses those connections); the
# tests and bench/screenshot.py start theirs with these flags too
QUIET_CHROMIUM = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_ARGS = (
    *QUIET_CHROMIUM,
    "--disable-dev-shm-usage",
    "--blink-settings=imagesEnabled=false",
)
QUIET = 5.0  # seconds: without wait_for, how long to wait at most for the network to go quiet
BACKSTOP = 15.0  # seconds past the browser timeout after which a render is abandoned outright


class BrowserUnavailableError(UserError):
    """Playwright is not installed, or no Chromium can be found."""


@dataclass(frozen=True, slots=True)
class BrowserSettings:
    executable_path: str | None = None
    max_pages: int = 4
    conditional: bool = False
    extra_args: tuple[str, ...] = ()  # more Chromium flags (the tests map host names to loopback)

    @classmethod
    def from_config(cls, cfg: BrowserConfig) -> BrowserSettings:
        return cls(cfg.executable_path, cfg.max_pages, cfg.conditional)


def playwright_api() -> Any:
    """``playwright.async_api``; :class:`BrowserUnavailableError` naming the extra when it is missing."""
    try:
        import playwright.async_api as api
    except ImportError:
        raise BrowserUnavailableError(
            f"`fetcher: browser` needs Playwright, an optional extra: {BROWSER_EXTRA}"
        ) from None
    return api


def find_chromium(configured: str | None = None) -> str:
    """The Chromium binary to drive: ``configured`` (``browser.executable_path``) or the first of
    :data:`CHROMIUM_NAMES` on PATH; :class:`BrowserUnavailableError` when there is none."""
    if configured:
        path = shutil.which(configured) or configured
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise BrowserUnavailableError(f"browser.executable_path {configured!r}: no such executable")
        return path
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailableError(
        "`fetcher: browser` needs Chromium: install it (Debian: apt-get install chromium-headless-shell) "
        "or set browser.executable_path in the watchlist"
    )


def require(settings: BrowserSettings) -> str:
    """Check before a run that browser fetches can work: the Chromium path, or a one-line error."""
    playwright_api()
    return find_chromium(settings.executable_path)


class RenderError(Exception):
    """A page that could not be rendered; the message is the check's reason."""


class BrowserPool:
    """One Chromium, launched on first use and again after it died; at most ``max_pages`` pages."""

    def __init__(self, settings: BrowserSettings | None = None) -> None:
        self.settings = settings or BrowserSettings()
        self.launches = 0
        self._slots = asyncio.Semaphore(self.settings.max_pages)
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    async def close(self) -> None:
        browser, pw = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 10)
        if pw is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pw.stop(), 10)

    async def _up(self) -> Any:
        """The running browser, launched when there is none or it died."""
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if self._browser is not None:
                logger.warning("browser died", extra={"fields": {"note": "starting it again"}})
                await self.close()
            api = playwright_api()
            path = find_chromium(self.settings.executable_path)
            self._playwright = await api.async_playwright().start()
            try:
                self._browser = await self._playwright.chromium.launch(
                    executable_path=path,
                    headless=True,
                    args=[*CHROMIUM_ARGS, *self.settings.extra_args],
                    timeout=60_000,
                )
            except Exception as exc:
                await self.close()
                raise RenderError(f"could not start the browser {path}: {_first_line(exc)}") from None
            self.launches += 1
            fields = {"executable": path, "version": self._browser.version, "launches": self.launches}
            logger.info("browser started", extra={"fields": fields})
            return self._browser

    async def _restart(self, browser: Any) -> None:
        async with self._lock:
            if self._browser is browser:
                logger.warning("browser hung", extra={"fields": {"note": "starting it again"}})
                await self.close()

    async def render(
        self,
        url: str,
        headers: dict[str, str],
        wait_for: str | None,
        timeout: float,
        guard: Guard | None = None,
    ) -> tuple[str, str]:
        """Open ``url`` in the browser: the rendered DOM and the page's URL at the end (a script may
        have moved it). With ``guard``, every request the page makes (the page itself, a redirect,
        a script's) is first asked of it, and refused when it gives a reason. Raises
        :class:`RenderError`."""
        async with self._slots:
            browser = await self._up()
            try:
                return await asyncio.wait_for(
                    self._render(browser, url, headers, wait_for, timeout, guard),
                    timeout + BACKSTOP,
                )
            except TimeoutError:
                await self._restart(browser)  # hung: the next check gets a new one
                raise RenderError(
                    f"the browser did not answer within {timeout + BACKSTOP:g} s (started again)"
                ) from None
            except RenderError:
                raise
            except Exception as exc:
                if not browser.is_connected():
                    raise RenderError("the browser crashed (started again for the next check)") from None
                raise RenderError(f"browser: {_first_line(exc)}") from None

    async def _render(
        self,
        browser: Any,
        url: str,
        headers: dict[str, str],
        wait_for: str | None,
        timeout: float,
        guard: Guard | None,
    ) -> tuple[str, str]:
        api = playwright_api()
        context = await browser.new_context(
            user_agent=USER_AGENT, locale="zh-CN", extra_http_headers=headers, service_workers="block"
        )
        screen = _Screen(guard) if guard is not None else None
        if screen is not None:
            await context.route("**/*", screen.route)
        try:
            page = await context.new_page()
            deadline = time.monotonic() + timeout

            def left_ms() -> float:
                return max(1.0, (deadline - time.monotonic()) * 1000)

            try:
                resp = await page.goto(
                    url, wait_until="domcontentloaded" if wait_for else "load", timeout=left_ms()
                )
            except api.TimeoutError:
                raise RenderError(f"the page did not load within {timeout:g} s (browser)") from None
            except api.Error:
                if screen is not None and screen.refused:
                    raise RenderError(screen.refused[0]) from None
                raise
            if screen is not None:
                await screen.check(resp)
            if resp is not None and resp.status >= 400:
                raise RenderError(f"HTTP {resp.status} {resp.status_text} (browser)".strip())
            if wait_for:
                try:
                    await page.wait_for_selector(wait_for, state="attached", timeout=left_ms())
                except api.TimeoutError:
                    raise RenderError(f"{wait_for!r} did not appear within {timeout:g} s (browser)") from None
            else:
                with contextlib.suppress(api.TimeoutError):
                    await page.wait_for_load_state("networkidle", timeout=min(left_ms(), QUIET * 1000))
            return await page.content(), page.url
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(context.close(), 10)


class _Screen:
    """Every request a page makes, asked of the guard first (refused: aborted). Playwright routes a
    request once and the browser follows its redirects unasked, so the chain a navigation took is
    checked afterwards: a page that went where it must not is a :class:`RenderError`, never a
    capture. (The HTTP fetch before the browser's already refused such a redirect; this catches a
    server that answers the browser otherwise.)"""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.refused: list[str] = []  # reasons for refused navigations (the page, a frame)

    async def route(self, route: Any) -> None:
        reason = await self.guard(route.request.url)
        if reason is None:
            await route.continue_()
            return
        if route.request.is_navigation_request():
            self.refused.append(reason)
        logger.warning("browser request refused", extra={"fields": {"reason": reason}})
        await route.abort("blockedbyclient")

    async def check(self, response: Any) -> None:
        """Raise when the page was refused, or its redirect chain passed a refused address."""
        if self.refused:
            raise RenderError(self.refused[0])
        request = response.request if response is not None else None
        while request is not None:
            if (reason := await self.guard(request.url)) is not None:
                raise RenderError(reason)
            request = request.redirected_from


class BrowserFetcher:
    """Fetch the page over HTTP, then open it in the pool's browser: a :class:`FetchResult` whose body
    is the rendered DOM."""

    def __init__(self, http: Fetcher, pool: BrowserPool) -> None:
        self.http = http
        self.pool = pool

    def _guard(self, target: Target) -> Guard | None:
        """What screens the browser's requests: the same rule as the HTTP fetch's (no loopback,
        private or link-local address from a public page), unless the operator allows them or the
        watched URL is such an address itself."""
        if target.allow_private or origin_is_private(target.url):
            return None
        resolver = self.http.resolver

        async def guard(url: str) -> str | None:
            return await browser_refusal(url, resolver)

        return guard

    async def fetch(self, target: Target) -> FetchResult:
        req = target.request()
        if not self.pool.settings.conditional:
            req = replace(req, etag=None, last_modified=None)
        fetched = await self.http.fetch(req)
        if fetched.status != "ok" or sniff_media_type(fetched.body, fetched.content_type) != "html":
            return fetched  # failed, truncated, 304 (conditional), or no HTML: nothing to render
        t0 = time.monotonic()
        try:
            dom, final_url = await self.pool.render(
                fetched.final_url or target.url,
                target.headers,
                target.wait_for,
                target.browser_timeout,
                self._guard(target),
            )
        except (RenderError, BrowserUnavailableError) as exc:
            elapsed = fetched.elapsed + time.monotonic() - t0
            return replace(fetched, status="failed", body=b"", reason=str(exc), elapsed=elapsed)
        body = dom.encode("utf-8")
        cap = self.http.settings.max_bytes
        if len(body) > cap:
            reason = f"rendered page of {len(body)} bytes is over the {cap} byte cap (fetch.max_bytes)"
            return replace(fetched, status="failed", body=b"", reason=reason)
        return replace(
            fetched,
            final_url=final_url,
            body=body,
            content_type="text/html; charset=utf-8",
            charset="utf-8",
            elapsed=fetched.elapsed + time.monotonic() - t0,
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
