"""``validate --fetch``: fetch every page twice, some time apart, and report what would go wrong in
service: a fetch that fails, a selector that matches nothing, a page that is not the policy, or
content that differs between the two fetches (a page that would alert on noise). Stores nothing.

A page fetched over plain HTTP that turns out to be an empty shell built by scripts is fetched once
more in the browser: when that gets the policy, the report says the page needs ``fetcher: browser``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from monitor.compare.comparison import compare
from monitor.errors import UserError
from monitor.model import Candidate
from monitor.watch import vet
from monitor.watch.browser import BrowserSettings, require
from monitor.watch.fetch import FetchSettings
from monitor.watch.fetchers import Fetchers
from monitor.watch.judge import read_capture, shell_hint
from monitor.watch.target import Target

if TYPE_CHECKING:
    from monitor.watchlist import Watchlist


@dataclass(slots=True)
class ProbeReport:
    operator_id: str
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    http_status: int | None = None
    characters: int | None = None
    clauses: int | None = None

    def problem(self, text: str) -> None:
        self.ok = False
        self.problems.append(text)

    def to_json(self) -> dict[str, Any]:
        return {
            "operator": self.operator_id,
            "ok": self.ok,
            "problems": self.problems,
            "http_status": self.http_status,
            "characters": self.characters,
            "clauses": self.clauses,
        }


async def _read(fetchers: Fetchers, target: Target, report: ProbeReport, which: str) -> Candidate | None:
    cand = await _candidate(fetchers, target, report)
    if isinstance(cand, str):
        if cand.startswith(vet.SHELL) and target.fetcher == "http":
            cand = await _in_browser(fetchers, target, cand)
        report.problem(f"{which} fetch: {shell_hint(cand, target)}")
        return None
    counts = cand.doc.counts()
    report.characters, report.clauses = counts["characters"], counts["clauses"]
    return cand


async def _candidate(fetchers: Fetchers, target: Target, report: ProbeReport) -> Candidate | str:
    """The page read as a document, or why it is none."""
    fetched = await fetchers.fetch(target)
    report.http_status = fetched.http_status
    if fetched.status != "ok":
        return fetched.reason or fetched.status
    cand = await asyncio.to_thread(
        read_capture, fetched.body, fetched.content_type, fetched.charset, target, fetched.final_url
    )
    if isinstance(cand, str):
        return cand
    return vet.check_document(cand.doc, fetched.body, None) or cand


async def _in_browser(fetchers: Fetchers, target: Target, shell: str) -> str:
    """A plain fetch got an empty shell: what a browser fetch gets instead, as the problem to report."""
    try:
        require(fetchers.pool.settings)
    except UserError as exc:
        return f"{shell}: set `fetcher: browser` (a browser fetch was not tried: {exc})"
    rendered = await _candidate(fetchers, replace(target, fetcher="browser"), ProbeReport(target.operator_id))
    if isinstance(rendered, str):
        return f"{shell}; a browser fetch did not get the policy either: {rendered}"
    counts = rendered.doc.counts()
    found = shell.removeprefix(vet.SHELL).strip(" ()")
    return (
        f"this page needs `fetcher: browser`: a plain fetch gets an empty shell ({found}), "
        f"a browser fetch gets the policy ({counts['characters']} characters, {counts['clauses']} clauses)"
    )


async def probe(
    watchlist: Watchlist, ids: list[str], settings: FetchSettings, wait: float
) -> list[ProbeReport]:

    specs = watchlist.select(ids)
    targets = [Target.of(spec, watchlist) for spec in specs]
    reports = [ProbeReport(t.operator_id) for t in targets]
    async with Fetchers(settings, BrowserSettings.from_config(watchlist.browser)) as fetcher:
        first = await asyncio.gather(
            *(_read(fetcher, t, r, "first") for t, r in zip(targets, reports, strict=True))
        )
        if any(c is not None for c in first) and wait > 0:
            await asyncio.sleep(wait)
        pending = [(t, r, c) for t, r, c in zip(targets, reports, first, strict=True) if c is not None]
        second = await asyncio.gather(*(_read(fetcher, t, r, "second") for t, r, _ in pending))
    for (_t, report, a), b in zip(pending, second, strict=True):
        if b is None or a.doc.sha256 == b.doc.sha256:
            continue
        cmp = await asyncio.to_thread(compare, a.doc, b.doc)
        paths = [
            c.new.path if c.new is not None else c.old.path if c.old is not None else "?" for c in cmp.changes
        ]
        shown = "; ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        report.problem(
            f"the text differs between two fetches {wait:g} s apart ({len(paths)} clause"
            f"{'s' if len(paths) != 1 else ''}: {shown}): add a `remove:` selector for the changing part"
        )
    return reports
