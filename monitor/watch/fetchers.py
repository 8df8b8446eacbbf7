"""The ways to fetch a page, by the name an operator's ``fetcher:`` gives: a registry dict.

Each kind takes a :class:`~monitor.watch.target.Target` and returns the same
:class:`~monitor.watch.fetch.FetchResult`, so judging, vetting, raw capture and recording never
know which one fetched. :class:`Fetchers` holds one of each for a run (a ``check``, or a daemon's
settings): the HTTP fetcher always, the browser (:mod:`monitor.watch.browser`) from its first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from monitor.watch.browser import BrowserFetcher, BrowserPool, BrowserSettings, require
from monitor.watch.fetch import Fetcher, FetchResult, FetchSettings, internal_failure

if TYPE_CHECKING:
    from monitor.watch.target import Target
    from monitor.watchlist import OperatorSpec, Watchlist


class PageFetcher(Protocol):
    async def fetch(self, target: Target) -> FetchResult: ...


class HttpPages:
    """``fetcher: http`` (the default): the HTTP answer as it came."""

    def __init__(self, http: Fetcher) -> None:
        self.http = http

    async def fetch(self, target: Target) -> FetchResult:
        return await self.http.fetch(target.request())


# name → how to make it from the run's HTTP fetcher and browser pool
FETCHERS: dict[str, Callable[[Fetcher, BrowserPool], PageFetcher]] = {
    "http": lambda http, pool: HttpPages(http),
    "browser": BrowserFetcher,
}


class Fetchers:
    """``async with Fetchers(settings, browser) as f: result = await f.fetch(target)``.

    ``browser`` is the browser's settings (the pool is this object's, closed with it) or a pool
    shared with other :class:`Fetchers` (a daemon's, which outlives them: its owner closes it)."""

    def __init__(self, settings: FetchSettings, browser: BrowserSettings | BrowserPool | None = None) -> None:
        self.settings = settings
        self.http = Fetcher(settings)
        self._own_pool = not isinstance(browser, BrowserPool)
        self.pool = browser if isinstance(browser, BrowserPool) else BrowserPool(browser)
        self._kinds: dict[str, PageFetcher] = {}

    async def __aenter__(self) -> Fetchers:
        await self.http.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._own_pool:
                await self.pool.close()
        finally:
            await self.http.__aexit__(None, None, None)

    async def fetch(self, target: Target) -> FetchResult:
        kind = self._kinds.get(target.fetcher)
        if kind is None:
            kind = self._kinds[target.fetcher] = FETCHERS[target.fetcher](self.http, self.pool)
        try:
            return await kind.fetch(target)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a fetcher returns failures; a bug is still this one check's failure
            return internal_failure(target.url, exc)


def uses_browser(watchlist: Watchlist, specs: Iterable[OperatorSpec] | None = None) -> bool:
    return any(watchlist.fetcher(s) == "browser" for s in (watchlist.operators if specs is None else specs))


def preflight(watchlist: Watchlist, specs: Iterable[OperatorSpec] | None = None) -> None:
    """Before a run: when any of ``specs`` (all operators by default) is fetched with the browser,
    Playwright and a Chromium must be there; else a one-line :class:`~monitor.errors.UserError`."""
    if uses_browser(watchlist, specs):
        require(BrowserSettings.from_config(watchlist.browser))
