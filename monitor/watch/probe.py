"""``validate --fetch``: fetch every page twice, some time apart, and report what would go wrong in
service: a fetch that fails, a selector that matches nothing, a page that is not the policy, or
content that differs between the two fetches (a page that would alert on noise). Stores nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.compare.comparison import compare
from monitor.document.parse import Candidate
from monitor.watch import vet
from monitor.watch.fetch import Fetcher, FetchRequest, FetchSettings
from monitor.watch.judge import read_capture
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


async def _read(fetcher: Fetcher, target: Target, report: ProbeReport, which: str) -> Candidate | None:

    fetched = await fetcher.fetch(FetchRequest(target.url, target.headers))
    report.http_status = fetched.http_status
    if fetched.status != "ok":
        report.problem(f"{which} fetch: {fetched.reason}")
        return None
    cand = await asyncio.to_thread(
        read_capture, fetched.body, fetched.content_type, fetched.charset, target, fetched.final_url
    )
    if isinstance(cand, str):
        report.problem(f"{which} fetch: {cand}")
        return None
    reason = vet.check_document(cand.doc, fetched.body, None)
    if reason:
        report.problem(f"{which} fetch: {reason}")
        return None
    counts = cand.doc.counts()
    report.characters, report.clauses = counts["characters"], counts["clauses"]
    return cand


async def probe(
    watchlist: Watchlist, ids: list[str], settings: FetchSettings, wait: float
) -> list[ProbeReport]:

    specs = watchlist.select(ids)
    targets = [Target.of(spec, watchlist) for spec in specs]
    reports = [ProbeReport(t.operator_id) for t in targets]
    async with Fetcher(settings) as fetcher:
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
