"""Many checks at once (``policy-monitor check``): plan the targets from the watchlist, fetch
concurrently (asyncio, one host after another in turn), judge and record one at a time in a worker
thread, then number the versions the reports name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from monitor.store import lite
from monitor.watch.browser import BrowserSettings
from monitor.watch.fetch import FetchSettings
from monitor.watch.fetchers import Fetchers, preflight
from monitor.watch.quick import Batcher, full_way, go_full_way
from monitor.watch.readers import Readers, workers_for
from monitor.watch.target import CheckReport, Target

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist


def plan(store: Store, watchlist: Watchlist, ids: Iterable[str] = ()) -> list[Target]:
    specs = watchlist.select(list(ids))
    if store.lite is not None:  # the operators' rows as the watchlist has them: nothing to write
        held = lite.operator_states(store.lite, [(op.id, op.name, op.url) for op in watchlist.operators])
        if held is not None:
            return [Target.of(spec, watchlist, held.get(spec.id)) for spec in specs]
    from monitor.store.writes import sync_operators  # deferred: loads SQLAlchemy and the tables

    with store.session() as session, session.begin():
        rows = sync_operators(session, watchlist)
        return [Target.of(spec, watchlist, rows.get(spec.id)) for spec in specs]


async def run_checks(
    store: Store,
    targets: list[Target],
    settings: FetchSettings,
    on_done: Callable[[CheckReport], None] | None = None,
    browser: BrowserSettings | None = None,
) -> list[CheckReport]:
    """Fetch concurrently (each target with its ``fetcher``; one browser for all, started at the
    first browser fetch); judge and record one check at a time in a worker thread, those that bring
    nothing new many to a transaction (:mod:`monitor.watch.quick`). Reports come in
    the order of ``targets``; fetches go round-robin over hosts, so that waiting for one host's
    politeness delay does not hold up the others."""
    loop = asyncio.get_running_loop()
    window = asyncio.Semaphore(settings.concurrency * 8)  # bounds bodies waiting to be judged
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policy-monitor-record") as pool:
        async with Fetchers(settings, browser) as fetchers:
            batcher = Batcher(store, lambda fn, *args: loop.run_in_executor(pool, fn, *args))
            db_path = reader_db(store)
            workers = workers_for(targets, db_path)
            compares = db_path is not None and any(t.held is not None for t in targets)
            readers = Readers(workers, db_path, compares) if workers else None

            unfetched = len(targets)
            importing: list[asyncio.Future[object]] = []

            async def one(target: Target) -> CheckReport:
                nonlocal unfetched
                async with window:
                    fetched = await fetchers.fetch(target)
                    quick = batcher.offer(target, fetched)
                    unfetched -= 1
                    if not unfetched:  # the last fetch: no more checks will join the batch
                        batcher.flush()
                    if quick is None:
                        # the full way's imports, in the recording thread, while a worker reads;
                        # not for an edited page on a lite store, which it records without them
                        if not importing and (store.lite is None or target.held is None):
                            importing.append(loop.run_in_executor(pool, full_way))
                        read, compared = await readers.read(target, fetched) if readers else (None, None)
                        report = await loop.run_in_executor(
                            pool, go_full_way, store, target, fetched, read, compared
                        )
                if quick is not None:  # recorded with others (monitor.watch.quick)
                    report = await quick
                if on_done is not None:
                    on_done(report)
                return report

            order = interleave_hosts(targets)
            try:
                done = await asyncio.gather(*(one(targets[i]) for i in order))
            finally:
                if readers is not None:
                    await readers.close()
            reports: list[CheckReport | None] = [None] * len(targets)
            for i, report in zip(order, done, strict=True):
                reports[i] = report
            return [r for r in reports if r is not None]


def reader_db(store: Store) -> str | None:
    """The file of a SQLite store, which reader processes may read (monitor.watch.edited)."""
    path = lite.sqlite_file(store.url)
    return str(path) if path is not None else None


def interleave_hosts(targets: list[Target]) -> list[int]:
    """Indexes of ``targets`` taking one per host in turn: a, b, c, a, b, a …"""
    by_host: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        by_host.setdefault((urlsplit(t.url).hostname or "").lower(), []).append(i)
    queues = list(by_host.values())
    order: list[int] = []
    depth = 0
    while len(order) < len(targets):
        order.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return order


def number_versions(store: Store, reports: list[CheckReport]) -> list[CheckReport]:
    """Fill in the reports' version numbers and digests (two queries; one on a lite store)."""
    ids = [r.version_id for r in reports if r.version_id is not None]
    if not ids:
        return reports
    digests: dict[int | None, str]
    if store.lite is not None:
        found = lite.version_numbers(store.lite, ids)
        numbers = {vid: n for vid, (n, _) in found.items()}
        digests = {vid: digest for vid, (_, digest) in found.items()}
    else:
        from sqlmodel import col, select  # deferred: as in plan

        from monitor.store.queries import version_numbers
        from monitor.store.tables import VersionRow

        with store.session() as session:
            numbers = version_numbers(session, ids)
            stmt = select(VersionRow.id, VersionRow.sha256).where(col(VersionRow.id).in_(ids))
            digests = {vid: digest for vid, digest in session.exec(stmt)}
    return [
        replace(r, version=numbers[r.version_id], version_sha256=digests.get(r.version_id))
        if r.version_id is not None and r.version_id in numbers
        else r
        for r in reports
    ]


def check(
    store: Store,
    watchlist: Watchlist,
    ids: Iterable[str] = (),
    settings: FetchSettings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[CheckReport], None] | None = None,
) -> list[CheckReport]:
    """``policy-monitor check``: one cycle over the named operators (all when none is named).
    Raises :class:`monitor.errors.UserError` when browser fetches are needed but cannot work."""
    ids = list(ids)
    preflight(watchlist, watchlist.select(ids))
    targets = plan(store, watchlist, ids)
    if on_start is not None:
        on_start(len(targets))
    settings = settings or FetchSettings.from_config(watchlist.fetch)
    browser = BrowserSettings.from_config(watchlist.browser)
    return number_versions(store, asyncio.run(run_checks(store, targets, settings, on_done, browser)))
