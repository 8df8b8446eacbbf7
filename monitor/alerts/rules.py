"""Which alerts a check raises, and writing them to the outbox in the check's own transaction.

    decide   Recorded + AlertPolicy → [(event, channels)]     pure: the trigger rules below
    enqueue  one ``alerts`` row per channel, the payload ready to send (CONTRACT.md "Webhook delivery")

Trigger rules (``trigger:`` in the watchlist, per operator over ``defaults``):

* ``policy.changed``: a new version with a comparison, when ``changes`` is ``all``, or ``material``
  (the default) and the comparison is material in one of ``categories`` (any, when not given). A
  first version is a baseline, not news: it raises nothing.
* ``policy.check_failed``: once, when an operator's consecutive failed (or suspicious) checks reach
  ``failures`` (default 3; 0: never), to the ``errors`` channels (default: the change channels).
* ``policy.recovered``: once, at the first good check after a failure alert, to the same channels.

One alert has one id for all its channels and every attempt (``X-Policy-Monitor-Delivery``), so a
receiver can drop a duplicate. Sending is :mod:`monitor.alerts.outbox`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor import timefmt
from monitor.alerts import links

if TYPE_CHECKING:
    from sqlmodel import Session

    from monitor.store.tables import AlertRow, OperatorRow
    from monitor.store.writes import Recorded
    from monitor.watchlist import OperatorSpec, Watchlist

CHANGED = "policy.changed"
FAILED = "policy.check_failed"
RECOVERED = "policy.recovered"
TEST = "policy.test"
EVENTS = (CHANGED, FAILED, RECOVERED, TEST)
GOOD_OUTCOMES = ("changed", "unchanged", "not_modified")
BAD_OUTCOMES = ("failed", "suspicious")


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """An operator's trigger settings, resolved from the watchlist."""

    channels: tuple[str, ...] = ("files",)
    changes: str = "material"  # material | all | none
    categories: frozenset[str] | None = None
    basis: str = "any"  # any | policy: only material changes the policy's own list covers
    failures: int = 3
    error_channels: tuple[str, ...] = ("files",)
    report_url: str | None = None
    web_url: str | None = None  # the web view's base URL (watchlist ``web.base_url``)

    @classmethod
    def of(cls, spec: OperatorSpec, watchlist: Watchlist) -> AlertPolicy:
        trigger = watchlist.trigger(spec)
        channels = tuple(watchlist.alerts(spec))
        return cls(
            channels=channels,
            changes=trigger.changes or "material",
            categories=frozenset(trigger.categories) if trigger.categories is not None else None,
            basis=trigger.basis or "any",
            failures=trigger.failures if trigger.failures is not None else 3,
            error_channels=tuple(trigger.errors) if trigger.errors is not None else channels,
            report_url=watchlist.alerting.report_url,
            web_url=watchlist.web.base_url,
        )


@dataclass(frozen=True, slots=True)
class Facts:
    """What :func:`decide` looks at: a check's result and its operator's failure state."""

    outcome: str
    has_comparison: bool
    material: bool
    categories: frozenset[str]
    failures: int  # consecutive bad checks, this one included
    failure_alerted: bool  # a failure alert went out for the current run of failures
    policy_categories: frozenset[str] | None = None  # categories of changes the policy's own list covers


def decide(facts: Facts, policy: AlertPolicy) -> list[tuple[str, tuple[str, ...]]]:
    """The alerts one check raises: (event, channels) pairs."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if facts.has_comparison and policy.channels:
        categories = facts.categories
        if policy.basis == "policy":  # only what the policy's own list covers counts
            categories = facts.policy_categories or frozenset()
        wanted = policy.changes == "all" or (
            policy.changes == "material"
            and facts.material
            and (policy.basis != "policy" or bool(categories))
            and (policy.categories is None or bool(policy.categories & categories))
        )
        if wanted:
            out.append((CHANGED, policy.channels))
    if policy.error_channels:
        if (
            facts.outcome in BAD_OUTCOMES
            and policy.failures > 0
            and facts.failures >= policy.failures
            and not facts.failure_alerted
        ):
            out.append((FAILED, policy.error_channels))
        elif facts.outcome in GOOD_OUTCOMES and facts.failure_alerted:
            out.append((RECOVERED, policy.error_channels))
    return out


def _policy_categories(result: dict[str, Any]) -> frozenset[str]:
    """The categories of the material changes that the policy's own list covers (basis ``policy``)."""
    return frozenset(
        cat
        for change in result.get("changes", [])
        if change.get("material") and change.get("basis") == "policy"
        for cat in change.get("categories", [])
    )


def operator_json(op: OperatorRow) -> dict[str, str]:
    return {"id": op.id, "name": op.name, "url": op.url}


@dataclass(frozen=True, slots=True)
class Compared:
    """The comparison a check stored, as the alerts read it."""

    from_version_id: int
    to_version_id: int
    material: bool
    categories: tuple[str, ...]
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Subject:
    """What the alerts of one recorded check say, read from the rows either store wrote (the
    SQLAlchemy session's here, :mod:`monitor.watch.record_lite`'s without it)."""

    operator: dict[str, str]  # id, name, url
    current_version_id: int | None
    failures: int  # consecutive bad checks, this one included
    failure_alerted: bool
    previous_failures: int
    outcome: str
    reason: str | None
    http_status: int | None
    observed_at: datetime
    comparison: Compared | None

    def facts(self) -> Facts:
        cmp = self.comparison
        return Facts(
            outcome=self.outcome,
            has_comparison=cmp is not None,
            material=bool(cmp and cmp.material),
            categories=frozenset(cmp.categories if cmp else ()),
            failures=self.failures,
            failure_alerted=self.failure_alerted,
            policy_categories=_policy_categories(cmp.result) if cmp is not None else None,
        )

    def version_ids(self) -> list[int]:
        """The versions the alerts name (numbered in one query by the caller)."""
        cmp = self.comparison
        ids = [self.current_version_id] + ([cmp.from_version_id, cmp.to_version_id] if cmp else [])
        return [i for i in ids if i is not None]


@dataclass(frozen=True, slots=True)
class Raised:
    """One alert to write to the outbox: a row per channel, one id and payload for all."""

    id: str
    event: str
    channels: tuple[str, ...]
    payload: dict[str, Any]


def raise_alerts(
    subject: Subject,
    events: list[tuple[str, tuple[str, ...]]],
    policy: AlertPolicy,
    numbers: dict[int, int],
    failing_since: Callable[[], str | None],
    digest: Callable[[int], str | None],
) -> tuple[list[Raised], bool]:
    """The alerts of ``events`` (from :func:`decide`) with their payloads (CONTRACT.md "Webhook
    delivery"), and the operator's failure-alert flag after them. ``numbers``: version id → number;
    ``failing_since`` and ``digest`` (a version's SHA-256) read the store, only when a payload needs
    them."""
    cmp = subject.comparison
    alerted = subject.failure_alerted
    out: list[Raised] = []
    for event, channels in events:
        alert_id = str(uuid.uuid4())
        at = subject.observed_at
        current = subject.current_version_id
        payload: dict[str, Any] = {
            "event": event,
            "id": alert_id,
            "operator": subject.operator,
            "from_version": None,
            "to_version": numbers.get(current) if current is not None else None,
            "detected_at": timefmt.iso(at),
            "material": False,
            "categories": [],
            "changes": [],
            "check": {
                "outcome": subject.outcome,
                "reason": subject.reason,
                "http_status": subject.http_status,
            },
        }
        if event == CHANGED and cmp is not None:
            result = dict(cmp.result)
            payload.update(
                {
                    "from_version": numbers.get(cmp.from_version_id),
                    "to_version": numbers.get(cmp.to_version_id),
                    "material": cmp.material,
                    "categories": list(cmp.categories),
                    "changes": result.pop("changes", []),
                }
            )
            payload.update({k: v for k, v in result.items() if k not in payload})
        elif event == FAILED:
            alerted = True
            payload["failures"] = subject.failures
            payload["failing_since"] = failing_since()
        elif event == RECOVERED:
            alerted = False
            payload["failures"] = subject.previous_failures
        op_id = subject.operator["id"]
        if policy.report_url:
            base = policy.report_url.rstrip("/")
            payload["report_url"] = f"{base}/{op_id}/{timefmt.stamp(at)}-{alert_id}.html"
        if policy.web_url:  # the web view's stable page: the diff, or the operator's timeline
            payload["web_url"] = payload["report_url"] = _web_url(policy.web_url, op_id, cmp, event, digest)
        out.append(Raised(alert_id, event, channels, payload))
    return out, alerted


def enqueue(session: Session, rec: Recorded, policy: AlertPolicy | None) -> list[AlertRow]:
    """Write the check's alerts to the outbox (inside the check's transaction) and update the
    operator's failure-alert flag. Imports and reprocessing (``rec.alert`` false) raise nothing."""
    if not rec.alert or policy is None:
        return []
    op, check, cmp = rec.operator, rec.check, rec.comparison
    subject = Subject(
        operator=operator_json(op),
        current_version_id=op.current_version_id,
        failures=op.failures,
        failure_alerted=op.failure_alerted,
        previous_failures=rec.previous_failures,
        outcome=check.outcome,
        reason=check.reason,
        http_status=check.http_status,
        observed_at=check.observed_at,
        comparison=Compared(
            cmp.from_version_id, cmp.to_version_id, cmp.material, tuple(cmp.categories), cmp.result
        )
        if cmp is not None
        else None,
    )
    events = decide(subject.facts(), policy)
    if not events:
        return []
    # deferred: planning a check reads AlertPolicy, which needs neither (monitor.store.lite)
    from monitor.store.queries import version_numbers
    from monitor.store.tables import AlertRow, VersionRow

    def digest(version_id: int) -> str | None:
        row = session.get(VersionRow, version_id)
        return row.sha256 if row is not None else None

    numbers = version_numbers(session, subject.version_ids())
    raised, op.failure_alerted = raise_alerts(
        subject, events, policy, numbers, lambda: _failing_since(session, op), digest
    )
    rows: list[AlertRow] = []
    for alert in raised:
        for channel in alert.channels:
            row = AlertRow(
                id=alert.id,
                channel=channel,
                operator_id=op.id,
                event=alert.event,
                created_at=check.observed_at,
                next_attempt_at=check.observed_at,
                check_id=check.id,
                payload=alert.payload,
            )
            session.add(row)
            rows.append(row)
    if rows:
        session.add(op)
    return rows


def _web_url(
    base: str, op_id: str, cmp: Compared | None, event: str, digest: Callable[[int], str | None]
) -> str:
    if event == CHANGED and cmp is not None:
        old, new = digest(cmp.from_version_id), digest(cmp.to_version_id)
        if old is not None and new is not None:
            return links.absolute(base, links.diff_path(op_id, old, new))
    return links.absolute(base, links.operator_path(op_id))


def _failing_since(session: Session, op: OperatorRow) -> str | None:
    """When the current run of failures began: the start of its first check."""
    from sqlmodel import col, select  # deferred: see enqueue

    from monitor.store.tables import CheckRow

    stmt = (
        select(CheckRow.started_at)
        .where(CheckRow.operator_id == op.id, CheckRow.trigger == "check")
        .order_by(col(CheckRow.id).desc())
        .offset(max(op.failures - 1, 0))
        .limit(1)
    )
    first = session.exec(stmt).first()
    return timefmt.iso(first)
