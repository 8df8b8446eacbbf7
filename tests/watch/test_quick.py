"""The quick path of unchanged checks (monitor.watch.quick, monitor.store.unchanged): it records what
the full way records, and it hands every check whose operator moved on to the full way."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from sqlmodel import select

from monitor.store.db import Store, open_store
from monitor.store.lite import open_at_head
from monitor.store.tables import AlertRow, CaptureRow, CheckRow, OperatorRow, VersionRow
from monitor.watch import quick
from monitor.watch.fetch import FetchResult
from monitor.watch.run import plan
from monitor.watch.target import Held, LeaseLostError, Target, Verdict
from tests.helpers.checks import count, html, operator, watch
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.watch.test_check import run

BODY = html(corpus_text("jd-express.txt"))
DIGEST = hashlib.sha256(BODY).hexdigest()
HELD = Target("jd", "jd", "http://127.0.0.1/jd", held=Held(1, DIGEST, failure_alerted=False))


@pytest.fixture(params=["sqlite", "sqlite-sqlite3", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    """Each store as every command opens it, and a SQLite store also as ``check`` opens it at the head
    (``Store.lite``, monitor.store.lite: plan, quick records and version numbers through sqlite3)."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'monitor.db'}"
    s = open_store(url, raw=tmp_path / "raw")
    if request.param == "sqlite-sqlite3":
        s.lite = open_at_head(url)
        assert s.lite is not None
    yield s
    s.dispose()


def ok(body: bytes = BODY, content_type: str = "text/html; charset=utf-8") -> FetchResult:
    return FetchResult("ok", HELD.url, http_status=200, body=body, content_type=content_type)


@pytest.mark.parametrize(
    ("target", "fetched", "verdict"),
    [
        pytest.param(HELD, FetchResult("not_modified", HELD.url, http_status=304), "not_modified", id="304"),
        pytest.param(HELD, ok(), "unchanged", id="same-bytes"),
        pytest.param(HELD, ok(BODY + b" "), None, id="other-bytes"),
        pytest.param(HELD, ok(content_type="application/pdf"), None, id="same-bytes-not-fitting-header"),
        pytest.param(HELD, FetchResult("failed", HELD.url, reason="timeout"), None, id="failed"),
        pytest.param(HELD, FetchResult("truncated", HELD.url, body=BODY), None, id="truncated"),
        pytest.param(replace(HELD, held=None), ok(), None, id="no-version-held"),
        pytest.param(
            replace(HELD, held=Held(1, DIGEST, failure_alerted=True)),
            FetchResult("not_modified", HELD.url, http_status=304),
            None,
            id="failure-alert-out",  # its recovery alert is the full way's
        ),
    ],
)
def test_quick_verdict(target: Target, fetched: FetchResult, verdict: str | None) -> None:
    got = quick.quick_verdict(target, fetched)
    assert (got.outcome if got else None) == verdict


def _record(store: Store, op_id: str) -> dict[str, Any]:
    """What a check left behind: its row and its operator's state (times only as set or not)."""
    with store.session() as s:
        checks = s.exec(select(CheckRow).where(CheckRow.operator_id == op_id)).all()
        chk = max(checks, key=lambda c: c.id or 0)
        op = s.get(OperatorRow, op_id)
        assert op is not None
        version = s.get(VersionRow, op.current_version_id)
        assert version is not None
        capture = s.exec(
            select(CaptureRow).where(CaptureRow.operator_id == op_id, CaptureRow.sha256 == op.capture_sha256)
        ).one()
        return {
            "check": [
                *(chk.outcome, chk.reason, chk.http_status, chk.url.endswith(f"/{op_id}"), chk.attempts),
                chk.capture_id and chk.capture_id == capture.id,  # None for a 304
                *(chk.version_id == op.current_version_id, chk.comparison_id),
            ],
            "operator": [
                *(op.capture_sha256, op.etag, op.last_modified),
                *(op.last_outcome, op.last_reason, op.failures, op.next_due_at is not None, op.lease_owner),
            ],
            "seen": version.last_seen == op.last_check_at,
        }


@pytest.mark.parametrize("etag", [True, False], ids=["304", "same-bytes"])
def test_the_quick_path_records_what_the_full_way_records(
    store: Store, policy_server: PolicyServer, monkeypatch: pytest.MonkeyPatch, etag: bool
) -> None:
    for op_id in ("fast", "full"):
        policy_server.pages[f"/{op_id}"] = Page(BODY, etag=etag)
    wl = watch(policy_server, "fast", "full")
    run(store, wl, "fast", "full")
    if not etag:  # the first capture had no validators either: make the second one bring some
        for op_id in ("fast", "full"):
            policy_server.pages[f"/{op_id}"].headers = {"Last-Modified": "Tue, 01 Dec 2026 08:00:00 GMT"}

    taken: list[str] = []
    real = quick.quick_verdict

    def only_fast(target: Target, fetched: FetchResult) -> Verdict | None:
        verdict = real(target, fetched) if target.operator_id == "fast" else None
        if verdict is not None:
            taken.append(target.operator_id)
        return verdict

    monkeypatch.setattr(quick, "quick_verdict", only_fast)
    reports = {r.operator_id: r for r in run(store, wl, "fast", "full")}
    assert taken == ["fast"]
    assert reports["fast"].outcome == ("not_modified" if etag else "unchanged")
    same = {"operator_id": "x", "elapsed": 0, "version_id": 0}
    assert replace(reports["fast"], **same) == replace(reports["full"], **same)
    fast, full = _record(store, "fast"), _record(store, "full")
    assert fast == full
    assert fast["seen"]  # the version's last_seen is the check's time
    assert fast["check"][5] is (None if etag else True)  # a 304 read no capture; a 200 read the last one
    if not etag:
        assert fast["operator"][2] == "Tue, 01 Dec 2026 08:00:00 GMT"  # the new validators kept


def _planned(store: Store, policy_server: PolicyServer) -> Target:
    policy_server.pages["/jd"] = Page(BODY)
    wl = watch(policy_server, "jd")
    run(store, wl, "jd")
    (target,) = plan(store, wl, ["jd"])
    assert target.held is not None
    return target


def _set(store: Store, **values: Any) -> None:
    with store.session() as s, s.begin():
        op = s.get(OperatorRow, "jd")
        assert op is not None
        for k, v in values.items():
            setattr(op, k, v)


def test_an_operator_that_moved_on_goes_the_full_way(store: Store, policy_server: PolicyServer) -> None:
    target = _planned(store, policy_server)
    _set(store, failure_alerted=True, failures=3)  # a failure alert went out after the cycle was planned
    fetched = FetchResult("not_modified", target.url, http_status=304)
    verdict = quick.quick_verdict(target, fetched)
    assert verdict is not None  # judged from the planned state …

    (report,) = quick.record_quick(store, [(target, fetched, verdict)])
    assert not isinstance(report, Exception) and report.outcome == "not_modified"
    # … recorded the full way, which sends the recovery alert
    with store.session() as s:
        assert [a.event for a in s.exec(select(AlertRow))] == ["policy.recovered"]
    assert count(store, CheckRow, operator_id="jd") == 2
    op = operator(store, "jd")
    assert (op.failures, op.failure_alerted, op.last_outcome) == (0, False, "not_modified")


def test_a_lost_claim_records_nothing(store: Store, policy_server: PolicyServer) -> None:
    target = replace(_planned(store, policy_server), lease_owner="worker-1")
    _set(store, lease_owner="worker-2")
    fetched = FetchResult("not_modified", target.url, http_status=304)
    verdict = quick.quick_verdict(target, fetched)
    assert verdict is not None

    (report,) = quick.record_quick(store, [(target, fetched, verdict)])
    assert isinstance(report, LeaseLostError)
    assert count(store, CheckRow, operator_id="jd") == 1  # the first check only
    assert operator(store, "jd").lease_owner == "worker-2"


def test_a_claim_still_held_ends_with_the_check(store: Store, policy_server: PolicyServer) -> None:
    target = replace(_planned(store, policy_server), lease_owner="worker-1")
    _set(store, lease_owner="worker-1")
    fetched = FetchResult("not_modified", target.url, http_status=304)
    verdict = quick.quick_verdict(target, fetched)
    assert verdict is not None

    (report,) = quick.record_quick(store, [(target, fetched, verdict)])
    assert not isinstance(report, Exception) and report.outcome == "not_modified"
    assert count(store, CheckRow, operator_id="jd") == 2
    assert operator(store, "jd").lease_owner is None
