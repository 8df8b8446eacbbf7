"""One check of the worker after its fetch: judged and recorded in the record thread, then one log line."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from monitor.watch.quick import quick_verdict, record_quick
from monitor.watch.record import process_safely
from monitor.watch.run import number_versions
from monitor.watch.target import CheckReport, LeaseLostError, Target
from monitor.worker.runlog import log

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watch.fetch import FetchResult


class Recorder:
    """Judges and records fetched pages; remembers each operator's current version number, so that
    a check that stores no new version costs no query for the number in its log line."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.numbers: dict[str, tuple[int, int]] = {}  # operator → (version id, its number)

    def forget_numbers(self) -> None:
        """An import may have renumbered versions."""
        self.numbers.clear()

    def record(self, target: Target, fetched: FetchResult) -> CheckReport | None:
        """In the record thread: judge and record; the report with its version number, None when
        the claim was lost (another worker took the operator over)."""
        try:
            verdict = quick_verdict(target, fetched)
            if verdict is None:
                report = process_safely(self.store, target, fetched)
            else:  # nothing new: a few plain statements (monitor.watch.quick)
                (result,) = record_quick(self.store, [(target, fetched, verdict)])
                if isinstance(result, LeaseLostError):
                    raise result
                report = result
        except LeaseLostError as exc:
            log(
                "claim lost",
                logging.WARNING,
                operator=target.operator_id,
                detail=str(exc),
                note="result dropped",
            )
            return None
        if report.version_id is None:
            return report
        known = self.numbers.get(report.operator_id)
        if known is not None and known[0] == report.version_id:
            return replace(report, version=known[1])
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
