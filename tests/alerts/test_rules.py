"""The pure parts of alerting, table-driven: trigger rules, trigger merging, backoff, channel
settings in the watchlist, and the rendering of untrusted text."""

from __future__ import annotations

import random

import pytest

from monitor.alerts.outbox import backoff
from monitor.alerts.render import render_alert, subject
from monitor.alerts.rules import CHANGED, FAILED, RECOVERED, AlertPolicy, Facts, decide
from monitor.watchlist import Alerting, WatchlistError, loads

CH = ("hook",)
ERR = ("ops",)


def facts(outcome: str = "changed", **kw: object) -> Facts:
    base: dict[str, object] = {
        "outcome": outcome,
        "has_comparison": outcome == "changed",
        "material": False,
        "categories": frozenset(),
        "failures": 0,
        "failure_alerted": False,
    }
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


RULES = [
    # (case, facts, policy, expected events)
    (
        "material change, default trigger",
        facts(material=True, categories=frozenset({"rights"})),
        {},
        [CHANGED],
    ),
    ("non-material change, default trigger", facts(), {}, []),
    ("first version (no comparison)", facts(has_comparison=False, material=True), {}, []),
    ("non-material change, changes: all", facts(), {"changes": "all"}, [CHANGED]),
    ("material change, changes: none", facts(material=True), {"changes": "none"}, []),
    (
        "material in a wanted category",
        facts(material=True, categories=frozenset({"recipients", "processing"})),
        {"categories": frozenset({"recipients", "contact"})},
        [CHANGED],
    ),
    (
        "material only in other categories",
        facts(material=True, categories=frozenset({"processing"})),
        {"categories": frozenset({"recipients", "contact"})},
        [],
    ),
    ("no channels", facts(material=True), {"channels": (), "error_channels": ()}, []),
    (
        "basis: policy, the policy's own list covers the change",
        facts(material=True, categories=frozenset({"rights"}), policy_categories=frozenset({"rights"})),
        {"basis": "policy"},
        [CHANGED],
    ),
    (
        "basis: policy, only GB/T 35273 covers the change",
        facts(material=True, categories=frozenset({"contact"}), policy_categories=frozenset()),
        {"basis": "policy"},
        [],
    ),
    (
        "basis: any (default), only GB/T 35273 covers the change",
        facts(material=True, categories=frozenset({"contact"}), policy_categories=frozenset()),
        {},
        [CHANGED],
    ),
    (
        "basis: policy and categories: the covered change is in another category",
        facts(
            material=True,
            categories=frozenset({"rights", "contact"}),
            policy_categories=frozenset({"rights"}),
        ),
        {"basis": "policy", "categories": frozenset({"contact"})},
        [],
    ),
    ("2nd failure of 3", facts("failed", failures=2), {}, []),
    ("3rd failure of 3", facts("failed", failures=3), {}, [FAILED]),
    ("suspicious counts as failure", facts("suspicious", failures=3), {}, [FAILED]),
    ("4th failure, already alerted", facts("failed", failures=4, failure_alerted=True), {}, []),
    ("failures: 0 never alerts", facts("failed", failures=50), {"failures": 0}, []),
    ("success after a failure alert", facts("unchanged", failure_alerted=True), {}, [RECOVERED]),
    ("304 after a failure alert", facts("not_modified", failure_alerted=True), {}, [RECOVERED]),
    (
        "material change that also recovers",
        facts(material=True, failure_alerted=True),
        {},
        [CHANGED, RECOVERED],
    ),
    ("success without a failure alert", facts("unchanged", failures=0), {}, []),
]


@pytest.mark.parametrize(("case", "f", "overrides", "expected"), RULES, ids=[r[0] for r in RULES])
def test_trigger_rules(case: str, f: Facts, overrides: dict[str, object], expected: list[str]) -> None:
    policy = AlertPolicy(**{"channels": CH, "error_channels": ERR, **overrides})  # type: ignore[arg-type]
    got = decide(f, policy)
    assert [event for event, _ in got] == expected
    for event, channels in got:
        assert channels == (CH if event == CHANGED else ERR)


def test_triggers_merge_operator_over_defaults_over_built_in() -> None:
    wl = loads(
        """
channels:
  ops: {type: file, dir: ops}
defaults:
  trigger: {categories: [recipients], failures: 5, errors: [ops]}
operators:
  - {id: a, name: A, url: "http://127.0.0.1/a"}
  - {id: b, name: B, url: "http://127.0.0.1/b", alerts: [], trigger: {changes: all, failures: 0}}
"""
    )
    a, b = (AlertPolicy.of(op, wl) for op in wl.operators)
    assert (a.changes, a.categories, a.failures, a.channels, a.error_channels) == (
        "material",
        frozenset({"recipients"}),
        5,
        ("files",),
        ("ops",),
    )
    assert (b.changes, b.categories, b.failures, b.channels, b.error_channels) == (
        "all",
        frozenset({"recipients"}),
        0,
        (),
        ("ops",),
    )


BAD = [
    (
        "secret written in the file",
        "  h: {type: webhook, url: 'http://127.0.0.1/', secret: x}",
        "w.yaml:2: channels.h",
        "secret_env",
    ),
    ("unknown channel type", "  h:\n    type: pigeon", "w.yaml:3: channels.h.type", "'pigeon'"),
    ("webhook without url", "  h: {type: webhook}", "w.yaml:2: channels.h.url", "Field required"),
    (
        "email both tls modes",
        "  m: {type: email, host: h, from: a@b, to: [c@d], ssl: true, starttls: true}",
        "w.yaml:2: channels.m",
        "exclude each other",
    ),
    (
        "email without recipients",
        "  m: {type: email, host: h, from: a@b, to: []}",
        "w.yaml:2: channels.m.to",
        "at least 1",
    ),
    ("unknown key", "  h: {type: file, folder: x}", "w.yaml:2: channels.h.folder", "unknown key"),
]


@pytest.mark.parametrize(("case", "channels", "where", "what"), BAD, ids=[b[0] for b in BAD])
def test_bad_channel_settings_name_file_line_and_field(
    case: str, channels: str, where: str, what: str
) -> None:
    with pytest.raises(WatchlistError) as err:
        loads(f"channels:\n{channels}\noperators: []\n", "w.yaml")
    assert err.value.problems[0].startswith(where), err.value.problems
    assert what in err.value.problems[0]


def test_unknown_error_channels_are_reported_with_their_line() -> None:
    text = "defaults:\n  trigger:\n    errors: [nope]\noperators: []\n"
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    assert err.value.problems == [
        "w.yaml:3: defaults.trigger.errors[0]: unknown alert channel 'nope' (known: files)"
    ]


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [(1, 15.0, 30.0), (2, 30.0, 60.0), (3, 60.0, 120.0), (20, 1800.0, 3600.0)],
)
def test_backoff_doubles_with_jitter_up_to_the_cap(attempts: int, low: float, high: float) -> None:
    alerting = Alerting(backoff=30, max_backoff=3600)
    rng = random.Random(7)
    waits = [backoff(attempts, alerting, rng) for _ in range(200)]
    assert all(low <= w <= high for w in waits)
    assert max(waits) - min(waits) > (high - low) / 2  # spread out, not all at once


HOSTILE = '<script>alert("x")</script><img src=x onerror=y>*bold* [link](http://evil) `code`'


def test_untrusted_policy_text_is_escaped_in_markdown_and_html() -> None:
    payload = {
        "event": "policy.changed",
        "id": "0000",
        "operator": {"id": "x", "name": "<b>X</b>", "url": "http://127.0.0.1/"},
        "from_version": 1,
        "to_version": 2,
        "detected_at": "2026-11-21T00:00:00+00:00",
        "material": True,
        "categories": ["recipients"],
        "changes": [
            {
                "kind": "added",
                "old_path": None,
                "new_path": "4 > " + HOSTILE,
                "old_text": None,
                "new_text": HOSTILE,
                "diff": [[1, HOSTILE]],
                "material": True,
                "categories": ["recipients"],
                "criteria": [HOSTILE],
                "evidence": [HOSTILE],
            }
        ],
        "criteria": {"source": "policy", "items": []},
    }
    html = render_alert(payload, "html")
    assert "<script>" not in html and "<img" not in html and "<b>X" not in html
    assert "&lt;script&gt;" in html
    md = render_alert(payload, "markdown")
    assert "<script>" not in md and "[link](" not in md and "`code`" not in md
    assert "\\<script\\>" in md
    assert subject(payload) == "[policy-monitor] <b>X</b>: 隐私政策重大变更 v1 → v2 (recipients)"
