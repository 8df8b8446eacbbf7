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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor import timefmt
from monitor.alerts import links

if TYPE_CHECKING:
    from sqlmodel import Session

    from monitor.store.tables import AlertRow, ComparisonRow, OperatorRow
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


def enqueue(session: Session, rec: Recorded, policy: AlertPolicy | None) -> list[AlertRow]:
    """Write the check's alerts to the outbox (inside the check's transaction) and update the
    operator's failure-alert flag. Imports and reprocessing (``rec.alert`` false) raise nothing."""
    if not rec.alert or policy is None:
        return []
    op, check, cmp = rec.operator, rec.check, rec.comparison
    facts = Facts(
        outcome=check.outcome,
        has_comparison=cmp is not None,
        material=bool(cmp and cmp.material),
        categories=frozenset(cmp.categories if cmp else ()),
        failures=op.failures,
        failure_alerted=op.failure_alerted,
        policy_categories=_policy_categories(cmp.result) if cmp is not None else None,
    )
    rows: list[AlertRow] = []
    events = list(decide(facts, policy))
    if not events:
        return rows
    # deferred: planning a check reads AlertPolicy, which needs neither (monitor.store.lite)
    from monitor.store.queries import version_numbers
    from monitor.store.tables import AlertRow

    # the numbers of the versions the alerts name, in one query
    ids = [op.current_version_id] + ([cmp.from_version_id, cmp.to_version_id] if cmp is not None else [])
    numbers = version_numbers(session, [i for i in ids if i is not None])
    for event, channels in events:
        alert_id = str(uuid.uuid4())
        at = check.observed_at
        payload: dict[str, Any] = {
            "event": event,
            "id": alert_id,
            "operator": operator_json(op),
            "from_version": None,
            "to_version": numbers.get(op.current_version_id) if op.current_version_id is not None else None,
            "detected_at": timefmt.iso(at),
            "material": False,
            "categories": [],
            "changes": [],
            "check": {"outcome": check.outcome, "reason": check.reason, "http_status": check.http_status},
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
            op.failure_alerted = True
            payload["failures"] = op.failures
            payload["failing_since"] = _failing_since(session, op)
        elif event == RECOVERED:
            op.failure_alerted = False
            payload["failures"] = rec.previous_failures
        if policy.report_url:
            base = policy.report_url.rstrip("/")
            payload["report_url"] = f"{base}/{op.id}/{timefmt.stamp(at)}-{alert_id}.html"
        if policy.web_url:  # the web view's stable page: the diff, or the operator's timeline
            payload["web_url"] = payload["report_url"] = _web_url(session, policy.web_url, op, cmp, event)
        for channel in channels:
            row = AlertRow(
                id=alert_id,
                channel=channel,
                operator_id=op.id,
                event=event,
                created_at=at,
                next_attempt_at=at,
                check_id=check.id,
                payload=payload,
            )
            session.add(row)
            rows.append(row)
    if rows:
        session.add(op)
    return rows


def _web_url(session: Session, base: str, op: OperatorRow, cmp: ComparisonRow | None, event: str) -> str:
    from monitor.store.tables import VersionRow  # deferred: see enqueue

    if event == CHANGED and cmp is not None:
        old = session.get(VersionRow, cmp.from_version_id)
        new = session.get(VersionRow, cmp.to_version_id)
        if old is not None and new is not None:
            return links.absolute(base, links.diff_path(op.id, old.sha256, new.sha256))
    return links.absolute(base, links.operator_path(op.id))


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
