"""The watchlist of a running worker: read at start, read again on SIGHUP and when the file changes.

A file that cannot be read or does not validate is logged and rejected (each bad content once, not
at every look): the worker goes on with the last good watchlist. An accepted one replaces the
operators at once and is reconciled with the schedule; new fetch settings give new checks a new
fetcher, and the old one closes when the checks that use it end. The browser (``fetcher: browser``)
is one for the worker's life, launched at the first browser check; only new ``browser:`` settings
replace it (the old one closes when its checks end).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.store.schedule import Reconciled
from monitor.watch.browser import BrowserPool, BrowserSettings
from monitor.watch.fetch import FetchSettings
from monitor.watch.fetchers import Fetchers
from monitor.watchlist import OperatorSpec, Watchlist, WatchlistError, loads
from monitor.worker.runlog import log

if TYPE_CHECKING:
    from monitor.worker.health import Health

FileStat = tuple[int, int, int]
KEEPING = "the last good watchlist"


def file_stat(path: Path) -> FileStat | None:
    """What tells that the file changed: modification time, size, inode; None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def read_watchlist(path: Path) -> tuple[Watchlist, str]:
    """At start: the watchlist and the SHA-256 of its bytes. Raises :class:`WatchlistError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WatchlistError([f"{path}: no such watchlist (create one, or pass --watchlist FILE)"]) from None
    except OSError as exc:
        raise WatchlistError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        wl = loads(data.decode("utf-8"), str(path))
    except UnicodeDecodeError:
        raise WatchlistError([f"{path}: not UTF-8 text"]) from None
    return wl, hashlib.sha256(data).hexdigest()


def fetch_settings(wl: Watchlist, concurrency: int | None = None) -> FetchSettings:
    """The watchlist's ``fetch:`` block, ``concurrency`` (--concurrency) over its own."""
    overrides: dict[str, int] = {}
    if concurrency:
        overrides["concurrency"] = concurrency
    return FetchSettings.from_config(wl.fetch, **overrides)


class Reloader:
    """The watchlist, its operators by id, and the fetchers its settings make.

    ``reconcile(watchlist, during)`` makes the schedule follow an accepted watchlist (None when the
    database failed); ``running()`` lists the checks in flight, which keep the fetcher they started
    with.
    """

    def __init__(
        self,
        path: Path,
        watchlist: Watchlist,
        digest: str,
        *,
        concurrency: int | None,
        health: Health,
        reconcile: Callable[[Watchlist, str], Awaitable[Reconciled | None]],
        running: Callable[[], list[asyncio.Task[None]]],
    ) -> None:
        self.path = path
        self.concurrency = concurrency
        self.health = health
        self._reconcile = reconcile
        self._running = running
        self.watchlist = watchlist
        self.specs: dict[str, OperatorSpec] = {s.id: s for s in watchlist.operators}
        self.digest: str | None = digest  # of the watchlist in use
        self.bad_digest: str | None = None  # of the last rejected content: logged once
        self.stat = file_stat(path)
        self.settings = fetch_settings(watchlist, concurrency)
        self.browser = BrowserPool(BrowserSettings.from_config(watchlist.browser))
        self.fetchers = Fetchers(self.settings, self.browser)
        self.retired: list[Fetchers | BrowserPool] = []  # replaced, waiting for their checks to end
        self._lock = asyncio.Lock()  # SIGHUP and the file watch: one reload at a time

    async def open(self) -> None:
        await self.fetchers.__aenter__()

    async def close(self) -> None:
        for old in [self.fetchers, self.browser, *self.retired]:
            with contextlib.suppress(Exception):
                await _close(old)

    async def watch(self) -> bool:
        """Reload when the file changed; True when the schedule changed."""
        if file_stat(self.path) == self.stat:
            return False
        return await self.reload("file changed")

    async def reload(self, why: str, force: bool = False) -> bool:
        """Read the file again (``force``: even when its content is the same, and log it again when
        bad); True when the schedule changed."""
        async with self._lock:
            found = self._read(why, force)
            if found is None:
                return False
            return await self._apply(*found, why)

    def _read(self, why: str, force: bool) -> tuple[Watchlist, str] | None:
        """The file's watchlist and digest when they are new and valid; None after logging why not."""
        path = self.path
        self.stat = file_stat(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            digest = f"unreadable: {exc.strerror}"
            if digest != self.bad_digest or force:
                self.bad_digest = digest
                log(
                    "watchlist unreadable", logging.ERROR, file=str(path), error=exc.strerror, keeping=KEEPING
                )
                self.health.reloaded("error")
            return None
        digest = hashlib.sha256(data).hexdigest()
        if not force and digest in (self.digest, self.bad_digest):
            return None
        try:
            return loads(data.decode("utf-8"), str(path)), digest
        except UnicodeDecodeError:
            problems = [f"{path}: not UTF-8 text"]
        except WatchlistError as exc:
            problems = exc.problems
        except Exception as exc:  # a loader bug must not kill the reload task: reject like any bad file
            problems = [f"{path}: cannot load: {type(exc).__name__}: {exc}"]
        self.bad_digest = digest
        for problem in problems:
            log("watchlist invalid", logging.ERROR, problem=problem)
        log(
            "watchlist rejected",
            logging.ERROR,
            file=str(path),
            trigger=why,
            problems=len(problems),
            keeping=KEEPING,
        )
        self.health.reloaded("error")
        return None

    async def _apply(self, wl: Watchlist, digest: str, why: str) -> bool:
        old = self.specs
        self.watchlist, self.specs = wl, {s.id: s for s in wl.operators}
        self.digest, self.bad_digest = digest, None
        changed = sorted(i for i, s in self.specs.items() if i in old and old[i] != s)
        settings = fetch_settings(wl, self.concurrency)
        browser = BrowserSettings.from_config(wl.browser)
        if settings != self.settings or browser != self.browser.settings:
            await self.swap_fetcher(settings, browser)
        rec = await self._reconcile(wl, "reload") or Reconciled()
        log(
            "watchlist reloaded",
            file=str(self.path),
            trigger=why,
            operators=len(wl.operators),
            added=sorted(set(self.specs) - set(old)) or None,
            removed=sorted(set(old) - set(self.specs)) or None,
            changed=changed or None,
            scheduled=len(rec.added) or None,
        )
        self.health.reloaded("ok")
        return bool(rec)

    async def swap_fetcher(self, settings: FetchSettings, browser: BrowserSettings | None = None) -> None:
        """New fetch settings: new checks use new fetchers; the old ones close when their checks end
        (and the browser with them when its settings changed)."""
        old: list[Fetchers | BrowserPool] = [self.fetchers]
        running = self._running()
        if browser is not None and browser != self.browser.settings:
            old.append(self.browser)
            self.browser = BrowserPool(browser)
        self.settings = settings
        self.fetchers = await Fetchers(settings, self.browser).__aenter__()
        self.retired.extend(old)

        async def close_later() -> None:
            await asyncio.gather(*running, return_exceptions=True)
            for item in old:
                with contextlib.suppress(Exception):
                    await _close(item)
                with contextlib.suppress(ValueError):
                    self.retired.remove(item)

        asyncio.get_running_loop().create_task(close_later())


async def _close(item: Fetchers | BrowserPool) -> None:
    if isinstance(item, BrowserPool):
        await item.close()
    else:
        await item.__aexit__(None, None, None)
