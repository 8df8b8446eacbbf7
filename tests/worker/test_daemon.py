"""``policy-monitor run`` as a real subprocess (SQLite) against pages on a loopback HTTP server, with
short intervals: checks on schedule, one version and one alert per edit, the watchlist reloaded
on SIGHUP and on a file change (an invalid one is logged and ignored), SIGTERM with a check in
flight, SIGKILL and restart without duplicate alerts, missed checks coalesced, status, metrics,
and a second worker refused on SQLite. Waits poll for conditions with generous deadlines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from monitor.cli.main import main
from monitor.store.tables import OperatorRow, utcnow
from tests.helpers.daemon import (
    ROOT,
    Db,
    Worker,
    alert_files,
    gaps,
    policy_page,
    run_args,
    wait_for,
    watchlist_yaml,
)
from tests.helpers.policy_server import Page, PolicyServer

INTERVAL = 2.0


@pytest.fixture
def env(tmp_path: Path, policy_server: PolicyServer) -> Iterator[Env]:
    e = Env(tmp_path, policy_server)
    yield e
    for w in e.workers:
        w.kill()
    e.db.close()


class Env:
    def __init__(self, tmp: Path, server: PolicyServer) -> None:
        self.tmp = tmp
        self.server = server
        self.watchlist = tmp / "watchlist.yaml"
        self.url = f"sqlite:///{tmp / 'snapshots' / 'monitor.db'}"
        self.workers: list[Worker] = []
        self._db: Db | None = None

    @property
    def db(self) -> Db:
        if self._db is None:
            self._db = Db(self.url, self.tmp / "snapshots" / "raw")
        return self._db

    def serve(self, *ids: str) -> dict[str, str]:
        for i, op_id in enumerate(ids):
            self.server.pages.setdefault(f"/{op_id}", Page(policy_page(i)))
        return {op_id: self.server.url(f"/{op_id}") for op_id in ids}

    def write(self, *ids: str, interval: float = INTERVAL, text: str | None = None) -> None:
        content = text if text is not None else watchlist_yaml(self.serve(*ids), interval=f"{interval:g}s")
        tmp = self.watchlist.with_suffix(".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(self.watchlist)

    def worker(self, *extra: str, name: str = "run", failpoint: str | None = None) -> Worker:
        env = {"POLICY_MONITOR_FAILPOINTS": failpoint} if failpoint else {}
        w = Worker(name, self.tmp, run_args(self.watchlist, self.url, *extra), env).start()
        self.workers.append(w)
        w.wait_started()
        return w

    def cli(self, *args: str) -> int:
        return main(["--watchlist", str(self.watchlist), "--db", self.url, *args])


def at_least(db: Db, n: int, *ops: str, timeout: float = 60.0) -> None:
    wait_for(
        f"{n} checks of {', '.join(ops)}",
        lambda: all(db.checks(op) >= n for op in ops),
        timeout,
    )


def assert_on_schedule(db: Db, interval: float, *ops: str) -> None:
    """Never twice within an interval; never an interval skipped (generous: under 3 intervals)."""
    for op, times in db.check_times(ops).items():
        for gap in gaps(times):
            assert gap >= interval, f"{op} checked twice within {interval} s: {gaps(times)}"
            assert gap < 3 * interval + 2, f"{op} skipped an interval: {gaps(times)}"


@pytest.mark.slow
def test_checks_on_schedule_one_version_and_one_alert_per_edit_then_sigterm_with_a_check_in_flight(
    env: Env,
) -> None:
    env.write("a", "b")
    w = env.worker("--reload-every", "0")
    at_least(env.db, 3, "a", "b")
    assert_on_schedule(env.db, INTERVAL, "a", "b")
    first = w.checks("a")[0]
    assert first["outcome"] == "changed" and first["version"] == 1 and first["reason"] == "first version"
    assert {"operator", "outcome", "duration", "version", "worker", "time", "level"} <= set(first)

    # an edit: one new version, one alert (default `files` channel: alerts/<operator>/ in the cwd)
    env.server.pages["/a"].body = policy_page(0, edited=True)
    wait_for("the edit's alert file", lambda: alert_files(env.tmp / "alerts", "a"))
    n = env.db.checks("a")
    at_least(env.db, n + 2, "a")  # later checks see the same text: nothing more
    assert env.db.versions("a") == 2
    rows = env.db.alerts("a")
    assert [(r.event, r.channel, r.status) for r in rows] == [("policy.changed", "files", "delivered")]
    assert len(alert_files(env.tmp / "alerts", "a")) == 1
    assert json.loads(alert_files(env.tmp / "alerts", "a")[0].read_text())["to_version"] == 2
    changed = [c for c in w.checks("a") if c["outcome"] == "changed"]
    assert [c["version"] for c in changed] == [1, 2]
    assert [e["status"] for e in w.events("alert")] == ["delivered"]
    assert env.db.alerts("b") == [] and env.db.versions("b") == 1

    # SIGTERM while a slow check of an edited page is in flight: it finishes and is recorded, its
    # alert is delivered before the exit, status 0
    env.server.pages["/b"].delay = 2.0
    env.server.pages["/b"].body = policy_page(1, edited=True)
    seen = len(env.server.requests("/b"))
    wait_for("a slow request in flight", lambda: len(env.server.requests("/b")) > seen)
    recorded = env.db.checks("b")
    w.signal(signal.SIGTERM)
    assert w.wait(60) == 0
    assert env.db.checks("b") == recorded + 1 and env.db.versions("b") == 2
    assert [r.status for r in env.db.alerts("b")] == ["delivered"]
    assert len(alert_files(env.tmp / "alerts", "b")) == 1
    assert env.db.leased() == []
    stopping = w.events("stopping")[0]
    assert stopping["signal"] == "SIGTERM" and stopping["running"] >= 1
    assert w.events("stopped")


@pytest.mark.slow
def test_a_check_slower_than_the_grace_is_handed_back_still_due(env: Env) -> None:
    env.write("a", interval=60)
    env.server.pages["/a"] = Page(policy_page(0), delay=30.0)
    w = env.worker("--grace", "1")
    wait_for("the slow request", lambda: env.server.requests("/a"))
    w.signal(signal.SIGTERM)
    assert w.wait(30) == 0
    [cut] = w.events("checks cut short")
    assert cut["operators"] == ["a"]
    op = env.db.operator("a")
    assert op is not None and op.lease_owner is None and op.next_due_at is not None
    assert op.next_due_at <= utcnow() and env.db.checks("a") == 0  # still due, for the next start

    env.server.pages["/a"].delay = 0
    w2 = env.worker(name="run2")
    wait_for("the check on the next start", lambda: env.db.checks("a") == 1)
    assert w2.stop() == 0


@pytest.mark.slow
def test_sighup_picks_up_added_and_removed_operators_history_stays(env: Env) -> None:
    env.write("a", "b")
    w = env.worker("--reload-every", "0")  # no file polling: only SIGHUP reloads
    at_least(env.db, 1, "a", "b")

    env.write("a", "c")  # c added, b removed
    w.signal(signal.SIGHUP)
    reloaded = wait_for("the reload", lambda: w.events("watchlist reloaded"))
    assert reloaded[0]["added"] == ["c"] and reloaded[0]["removed"] == ["b"]
    assert reloaded[0]["trigger"] == "SIGHUP"
    wait_for("c's first version", lambda: env.db.versions("c") == 1)

    # b is no longer scheduled (a check in flight during the reload may still land once)
    wait_for("b unscheduled", lambda: (op := env.db.operator("b")) is not None and op.next_due_at is None)
    b_checks = env.db.checks("b")
    at_least(env.db, env.db.checks("a") + 2, "a")
    assert env.db.checks("b") == b_checks
    assert env.db.versions("b") == 1  # history kept

    code = env.cli("status", "--format", "json")
    assert code == 0
    assert w.stop() == 0


@pytest.mark.slow
def test_watchlist_file_changes_apply_and_an_invalid_file_is_logged_and_ignored(env: Env) -> None:
    env.write("a")
    w = env.worker("--reload-every", "0.3")
    at_least(env.db, 1, "a")

    # a broken file: logged with file and line; the worker keeps the last good watchlist
    broken = watchlist_yaml(env.serve("a", "c"), interval="2x")
    env.write(text=broken)
    invalid = wait_for("the error", lambda: w.events("watchlist invalid"))
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "interval: 2x" in text)
    assert invalid[0]["problem"].startswith(f"{env.watchlist}:{line}: defaults.interval: invalid duration")
    assert w.events("watchlist rejected")[0]["keeping"] == "the last good watchlist"
    n = env.db.checks("a")
    at_least(env.db, n + 2, "a")  # still checking
    assert env.db.operator("c") is None and len(w.events("watchlist invalid")) == 1  # logged once

    # fixed: c is added without a signal
    env.write("a", "c")
    wait_for("c's first check", lambda: env.db.checks("c") >= 1)
    assert w.events("watchlist reloaded")[-1]["trigger"] == "file changed"
    assert w.stop() == 0


@pytest.mark.slow
def test_restart_after_sigkill_resumes_the_schedule_without_duplicate_alerts(env: Env) -> None:
    interval = 4.0
    env.write("a", interval=interval)
    w1 = env.worker()
    at_least(env.db, 1, "a")
    assert w1.stop() == 0

    # the edit's check commits its version and alert, then the worker dies before delivering
    env.server.pages["/a"].body = policy_page(0, edited=True)
    w2 = env.worker(name="run2", failpoint="after-commit")
    assert w2.wait(60) == -signal.SIGKILL
    assert env.db.versions("a") == 2
    assert [r.status for r in env.db.alerts("a")] == ["pending"]
    assert alert_files(env.tmp / "alerts", "a") == []
    killed_at = env.db.check_times(["a"])["a"][-1]

    # the alert is sent, then the worker dies before recording it: sent again on restart, same id
    w3 = env.worker(name="run3", failpoint="before-delivered")
    assert w3.wait(60) == -signal.SIGKILL
    assert len(alert_files(env.tmp / "alerts", "a")) == 1
    assert [r.status for r in env.db.alerts("a")] == ["pending"]

    w4 = env.worker(name="run4")
    wait_for("the delivery", lambda: [r.status for r in env.db.alerts("a")] == ["delivered"])
    at_least(env.db, env.db.checks("a") + 2, "a")
    assert w4.stop() == 0
    assert env.db.versions("a") == 2
    assert len(env.db.alerts("a")) == 1 and len(alert_files(env.tmp / "alerts", "a")) == 1
    times = env.db.check_times(["a"])["a"]
    after = [t for t in times if t > killed_at]
    assert after and (after[0] - killed_at).total_seconds() >= interval  # resumed, not restarted
    assert all(g >= interval for g in gaps(times)), gaps(times)  # never twice in an interval


@pytest.mark.slow
def test_checks_missed_while_down_run_once_on_start(env: Env) -> None:
    env.write("a", "b")
    w1 = env.worker()
    at_least(env.db, 1, "a", "b")
    assert w1.stop() == 0

    # as if no worker had run for ten intervals
    down = timedelta(seconds=10 * INTERVAL)
    with env.db.store.session() as s, s.begin():
        s.execute(
            update(OperatorRow).values(
                next_due_at=utcnow() - down, last_check_at=utcnow() - down - timedelta(seconds=INTERVAL)
            )
        )
    before = {op: len(t) for op, t in env.db.check_times().items()}
    w2 = env.worker(name="run2")
    at_least(env.db, before["a"] + 3, "a")
    at_least(env.db, before["b"] + 3, "b")
    assert w2.stop() == 0
    for op, times in env.db.check_times().items():
        after = times[before[op] :]
        assert all(g >= INTERVAL for g in gaps(after)), f"{op}: {gaps(after)}"  # one catch-up check


@pytest.mark.slow
def test_status_metrics_healthz_and_one_worker_per_sqlite_file(env: Env, capsys) -> None:
    env.write("a", "b")
    w = env.worker("--metrics-port", "0")
    base = w.events("started")[0]["metrics"].removesuffix("/metrics")
    at_least(env.db, 2, "a", "b")

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    _status, body = wait_for("healthy", lambda: (r := get("/healthz"))[0] == 200 and r)
    assert json.loads(body)["status"] == "ok"
    metrics = wait_for("database metrics", lambda: (m := get("/metrics")[1]) and 'operator="b"' in m and m)
    assert 'policy_monitor_checks_total{outcome="changed"} 2.0' in metrics
    assert "policy_monitor_check_duration_seconds_count" in metrics
    assert 'policy_monitor_alerts{status="pending"} 0.0' in metrics
    assert 'policy_monitor_last_success_timestamp_seconds{operator="a"}' in metrics
    assert get("/nothing")[0] == 404

    # a second worker on the same SQLite file is refused, and says what to do
    second = subprocess.run(
        [sys.executable, "-m", "monitor", *run_args(env.watchlist, env.url)],
        cwd=env.tmp,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert second.returncode == 2, second.stderr
    assert "SQLite allows one worker" in second.stderr and "PostgreSQL" in second.stderr
    assert f"pid {w.pid}" in second.stderr
    assert "Traceback" not in second.stderr

    capsys.readouterr()
    assert env.cli("status", "--format", "json") == 0
    doc = json.loads(capsys.readouterr().out)
    ops = {o["operator"]: o for o in doc["operators"]}
    assert set(ops) == {"a", "b"}
    assert ops["a"]["outcome"] in ("changed", "unchanged", "not_modified") and ops["a"]["version"] == 1
    assert ops["a"]["last_check"] and ops["a"]["next_due"] and ops["a"]["interval"] == INTERVAL
    assert ops["a"]["alerts"] == {"pending": 0, "delivered": 0, "dead": 0}
    [worker] = doc["workers"]
    assert worker["state"] == "running" and worker["pid"] == w.pid

    assert env.cli("status") == 0
    text = capsys.readouterr().out
    assert "next due (UTC)" in text and "1 running" in text

    assert w.stop() == 0
    assert env.cli("status", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["workers"][0]["state"] == "stopped"


def test_run_refuses_to_start_with_an_invalid_watchlist(tmp_path: Path, capsys) -> None:
    wl = tmp_path / "watchlist.yaml"
    wl.write_text("operators:\n  - id: a\n    name: a\n    url: http://127.0.0.1:9/a\n    interval: soon\n")
    code = main(["--watchlist", str(wl), "--db", str(tmp_path / "m.db"), "run"])
    err = capsys.readouterr().err
    assert code == 2 and f"{wl}:5: operators[0] (a).interval: invalid duration" in err
    assert main(["--watchlist", str(tmp_path / "none.yaml"), "run"]) == 2
    assert "no such watchlist" in capsys.readouterr().err


def test_run_help_teaches() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "monitor", "run", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "Examples:" in out and "SIGHUP" in out and "PostgreSQL" in out and "--metrics-port" in out
    out = subprocess.run(
        [sys.executable, "-m", "monitor", "status", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "Examples:" in out
