"""One check of the worker after its fetch: judged and recorded in the record thread, then one log line."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from monitor.watch.quick import Batcher
from monitor.watch.record import process_safely
from monitor.watch.run import number_versions
from monitor.watch.target import CheckReport, LeaseLostError, Target
from monitor.worker.runlog import log

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watch.fetch import FetchResult
    from monitor.worker.lanes import Lane


class Recorder:
    """Judges and records fetched pages in the record lane: a check that brings nothing new with
    others, many to a transaction (:mod:`monitor.watch.quick`), any other alone. Remembers each
    operator's current version number, so that a check that stores no new version costs no query
    for the number in its log line."""

    def __init__(self, store: Store, lane: Lane) -> None:
        self.store, self.lane = store, lane
        self.batcher = Batcher(store, lane.run, linger=0.05)  # each waiting check holds a slot
        self.numbers: dict[str, tuple[int, int]] = {}  # operator → (version id, its number)

    def forget_numbers(self) -> None:
        """An import may have renumbered versions."""
        self.numbers.clear()

    async def check(self, target: Target, fetched: FetchResult) -> CheckReport | None:
        """The report with its version number, None when the claim was lost (another worker took
        the operator over)."""
        quick = self.batcher.offer(target, fetched)
        try:
            if quick is None:
                report = await self.lane.run(process_safely, self.store, target, fetched)
            else:
                report = await quick
        except LeaseLostError as exc:
            log(
                "claim lost",
                logging.WARNING,
                operator=target.operator_id,
                detail=str(exc),
                note="result dropped",
            )
            return None
        known = self.numbers.get(report.operator_id)
        if report.version_id is None or (known is not None and known[0] == report.version_id):
            return replace(report, version=known[1]) if known is not None and report.version_id else report
        return await self.lane.run(self._number, report)

    def _number(self, report: CheckReport) -> CheckReport:
        """In the record lane: the report's version number (one query), remembered."""
        try:
            report = number_versions(self.store, [report])[0]
        except Exception:  # only the log line's version number is missing
            return report
        if report.version is not None and report.version_id is not None:
            self.numbers[report.operator_id] = (report.version_id, report.version)
        return report


def log_check(report: CheckReport, duration: float, worker: str) -> None:
    log(
        "check",
        logging.WARNING if report.outcome in ("failed", "suspicious") else logging.INFO,
        operator=report.operator_id,
        outcome=report.outcome,
        duration=round(duration, 3),
        version=report.version,
        http=report.http_status,
        attempts=report.attempts if report.attempts > 1 else None,
        material=report.material,
        changes=_changes(report.summary),
        reason=report.reason,
        worker=worker,
    )


def _changes(summary: dict[str, Any] | None) -> str | None:
    if not summary:
        return None
    parts = [f"{summary.get(k, 0)} {k}" for k in ("added", "removed", "modified", "moved") if summary.get(k)]
    cats = summary.get("categories") or {}
    if cats:
        parts.append("material: " + ",".join(sorted(cats)))
    return "; ".join(parts) or None
