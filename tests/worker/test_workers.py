"""Three ``policy-monitor run`` workers on one PostgreSQL database (a schema of its own in database
`test` on 127.0.0.1:5432) share 200 operators served from 50 loopback hosts. Over several intervals
no operator is checked twice within an interval and none is skipped, one edit gives exactly one
version and one alert, and a worker killed with SIGKILL loses no check: its claims are taken over
(at once, since it ran on this host; otherwise when its lease expires)."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.store.db import open_store
from monitor.store.tables import utcnow
from tests.helpers.daemon import (
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

pytestmark = [pytest.mark.slow, pytest.mark.pg]

OPERATORS = 200
HOSTS = 50
INTERVAL = 10.0
EDITED = "op007"


@pytest.fixture
def server():
    hosts = tuple(f"127.0.0.{2 + h}" for h in range(HOSTS))
    with PolicyServer(hosts=hosts) as s:
        s.keep_log = False
        yield s


def test_three_workers_share_200_operators_and_survive_a_sigkill(
    pg_url: str, tmp_path: Path, server: PolicyServer, capsys
) -> None:
    urls = {}
    for i in range(OPERATORS):
        op_id = f"op{i:03d}"
        # a little slow, so that a worker always has checks in flight when it is killed
        server.pages[f"/{op_id}"] = Page(policy_page(i), delay=0.3)
        urls[op_id] = server.url(f"/{op_id}", host=server.hosts[i % HOSTS])
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(
        watchlist_yaml(
            urls, interval=f"{INTERVAL:g}s", fetch="fetch: {per_host_delay: 0, retries: 0, timeout: 10s}"
        ),
        encoding="utf-8",
    )
    open_store(pg_url, raw=tmp_path / "raw").dispose()  # the schema, before the workers start
    env = {"POLICY_MONITOR_RAW": str(tmp_path / "raw")}  # one directory of raw captures for all
    workers = [
        Worker(f"w{n}", tmp_path, run_args(watchlist, pg_url, "--lease", "10"), env) for n in (1, 2, 3)
    ]
    db = Db(pg_url, tmp_path / "raw")
    try:
        for w in workers:
            w.start()
        for w in workers:
            w.wait_started()
        wait_for(
            "a first check of every operator",
            lambda: len(db.check_times()) == OPERATORS,
            timeout=120,
        )
        start = time.monotonic()

        def at(seconds: float) -> None:
            time.sleep(max(0.0, start + seconds - time.monotonic()))

        at(1.5 * INTERVAL)
        server.pages[f"/{EDITED}"].body = policy_page(7, edited=True)
        at(2.5 * INTERVAL)
        killed = workers[1]
        killed_id = killed.events("started")[0]["worker"]

        def held() -> list[str]:
            return [op.id for op in db.operators().values() if op.lease_owner == killed_id]

        holding = wait_for("the worker to hold claims", held, timeout=30, every=0.02)
        killed.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        killed_utc = utcnow()
        assert killed.wait(30) == -signal.SIGKILL
        # its claims are free at once (its process is gone) and taken by the others
        wait_for(
            "the dead worker's claims taken over",
            lambda: not any(op.lease_owner == killed_id for op in db.operators().values()),
            timeout=30,
        )
        at(4.5 * INTERVAL)
        stopped_utc = utcnow()
        for w in (workers[0], workers[2]):
            w.signal(signal.SIGTERM)
        for w in (workers[0], workers[2]):
            assert w.wait(60) == 0, w.log_text()[-3000:]

        times = db.check_times()
        per_worker = Counter({w.name: len(w.checks()) for w in workers})
        assert len(times) == OPERATORS
        for op_id, ts in times.items():
            g = gaps(ts)
            assert min(g) >= INTERVAL, f"{op_id} checked twice within an interval: {g}"
            assert max(g) < 2 * INTERVAL, f"{op_id} skipped an interval: {g}"
            assert ts[-1] > stopped_utc - timedelta(seconds=2 * INTERVAL), f"{op_id} left behind: {g}"
        assert db.leased() == []
        for op_id in holding:  # what it held when it died was checked by the others
            assert any(t > killed_utc for t in times[op_id]), (op_id, times[op_id], killed_utc)

        # one edit: one version, one alert, delivered once
        assert db.versions(EDITED) == 2
        assert [(a.event, a.status) for a in db.alerts()] == [("policy.changed", "delivered")]
        assert len(alert_files(tmp_path / "alerts", EDITED)) == 1

        # the work was shared
        assert all(n >= 20 for n in per_worker.values()), per_worker
        assert sum(per_worker.values()) <= sum(len(t) for t in times.values())

        capsys.readouterr()
        assert main(["--watchlist", str(watchlist), "--db", pg_url, "status", "--format", "json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        states = {w["id"]: w["state"] for w in doc["workers"]}
        assert states[killed_id] == "gone"
        assert sorted(states.values()) == ["gone", "stopped", "stopped"]
        assert sum(1 for o in doc["operators"] if o["version"] == 1) == OPERATORS - 1
    finally:
        for w in workers:
            w.kill()
        db.close()
