"""``policy-monitor run`` (a real subprocess) against hostile input: a page redirecting to an
impossible port is a failed check with its failure alert (never an operator "checking now" forever),
and a hostile watchlist sent with SIGHUP is rejected like any bad one (logged, counted, the last
good watchlist kept), never a "Task exception was never retrieved"."""

from __future__ import annotations

import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.daemon import Db, Worker, policy_page, run_args, wait_for
from tests.helpers.policy_server import Page, PolicyServer
from tests.hostile.conftest import NO_TRACEBACK


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[tuple[Path, str, list[Worker]]]:
    workers: list[Worker] = []
    yield tmp_path, f"sqlite:///{tmp_path / 'snapshots' / 'monitor.db'}", workers
    for w in workers:
        w.kill()


def _yaml(server: PolicyServer) -> str:
    return (
        "fetch: {per_host_delay: 0, retries: 0, timeout: 5s}\n"
        "defaults: {interval: 2s, alerts: [files], trigger: {failures: 1}}\n"
        "operators:\n"
        f"  - {{id: good, name: 好, url: '{server.url('/good')}'}}\n"
        f"  - {{id: bad, name: 坏, url: '{server.url('/bad')}'}}\n"
    )


@pytest.mark.slow
def test_run_a_redirect_to_a_bad_port_fails_alerts_and_a_hostile_sighup_is_rejected(
    worker_env: tuple[Path, str, list[Worker]], policy_server: PolicyServer
) -> None:
    tmp, url, workers = worker_env
    policy_server.pages["/good"] = Page(policy_page(1))
    policy_server.pages["/bad"] = Page(status=302, location="http://127.0.0.1:99999/admin")
    wl = tmp / "watchlist.yaml"
    wl.write_text(_yaml(policy_server), encoding="utf-8")
    w = Worker("run", tmp, run_args(wl, url, "--reload-every", "0", "--metrics-port", "0")).start()
    workers.append(w)
    base = w.wait_started()["metrics"]
    db = Db(url, tmp / "snapshots" / "raw")
    try:
        # the bad operator: failed checks with their reason, again and again, and one failure alert
        wait_for("two checks of bad", lambda: len(w.checks("bad")) >= 2)
        first = w.checks("bad")[0]
        assert first["outcome"] == "failed" and "port 99999 is out of range" in first["reason"]
        wait_for(
            "the failure alert", lambda: [a for a in db.alerts("bad") if a.event == "policy.check_failed"]
        )
        assert db.versions("good") == 1

        # hostile watchlists on SIGHUP: each rejected, counted, the last good one kept
        for text, problem in (
            ("a: &a [*a]\n", "an alias that contains itself"),
            ("x: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 64 levels deep"),
        ):
            n = len(w.events("watchlist rejected"))
            wl.write_text(text, encoding="utf-8")
            w.signal(signal.SIGHUP)
            wait_for("the rejection", lambda n=n: len(w.events("watchlist rejected")) > n)
            assert problem in w.events("watchlist invalid")[-1]["problem"]
        with urllib.request.urlopen(base, timeout=10) as r:
            metrics = r.read().decode()
        assert 'policy_monitor_watchlist_reloads_total{result="error"} 2.0' in metrics
        checks = len(w.checks("good"))
        wait_for("still checking", lambda: len(w.checks("good")) >= checks + 1)
        assert w.stop() == 0
    finally:
        db.close()
    log = w.log_text()
    assert NO_TRACEBACK not in log and "Task exception was never retrieved" not in log
    assert "check error" not in log
