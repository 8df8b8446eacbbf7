"""Issue 17, item 3: two ``policy-monitor check`` processes on one SQLite file. The second is refused
(one writer per file, the lock ``run`` holds) instead of recording every change twice and sending
each alert twice under two delivery ids."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.store.db import open_store
from tests.helpers.checks import html
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.hostile.data_cli import FAST_FETCH, pm

N = 12


def watchlist(path: Path, server: PolicyServer) -> Path:
    ops = "".join(
        f"  - id: op{i}\n    name: op{i}\n    url: {server.url(f'/op{i}')}\n    selector: '#policy'\n"
        for i in range(N)
    )
    path.write_text(
        FAST_FETCH.replace("timeout: 2s", "timeout: 10s")
        + "defaults:\n  alerts: [files]\n  trigger:\n    changes: all\n"
        + "operators:\n"
        + ops,
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_a_second_check_on_the_same_sqlite_file_is_refused(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    from monitor.watch.run import check
    from monitor.watchlist import load
    from tests.helpers.fetch import FAST

    text = corpus_text("yunju.txt")
    for i in range(N):
        policy_server.pages[f"/op{i}"] = Page(html(text + f"\n本政策第{i}版。"))
    wl_path = watchlist(tmp_path / "watchlist.yaml", policy_server)
    db = tmp_path / "snapshots" / "monitor.db"
    store = open_store(str(db))
    try:
        check(store, load(wl_path), [], FAST)  # the first versions: no alerts
    finally:
        store.dispose()
    for i in range(N):  # every page changes, and answers slowly: the two checks overlap
        page = policy_server.pages[f"/op{i}"]
        page.body = html(text + f"\n本政策第{i}版，已修订。")
        page.delay = 1.0

    args = [sys.executable, "-m", "monitor", "--watchlist", str(wl_path), "--db", str(db), "check"]
    env = {**os.environ, "NO_COLOR": "1"}
    first = subprocess.Popen(
        args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while not any(r.path.startswith("/op") for r in policy_server.log[N:]):  # the first is fetching
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    second = pm("--watchlist", str(wl_path), "--db", str(db), "check", cwd=tmp_path)
    out, err = first.communicate(timeout=120)
    assert "Traceback" not in err

    assert first.returncode == 0, err
    assert f"{N} checked: {N} changed" in out
    assert second.returncode == 2, (second.stdout, second.stderr)
    assert second.stdout == "" and len(second.stderr.strip().splitlines()) == 1
    assert "another policy-monitor process is writing to" in second.stderr
    assert f"`policy-monitor check`, pid {first.pid}" in second.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM comparisons").fetchone()[0] == N
        assert conn.execute("SELECT count(DISTINCT id) FROM alerts").fetchone()[0] == N
    assert len(list((tmp_path / "alerts").rglob("*.json"))) == N

    # the lock is gone with its holder: the next check runs (nothing changed since)
    for i in range(N):
        policy_server.pages[f"/op{i}"].delay = 0
    third = pm("--watchlist", str(wl_path), "--db", str(db), "check", "--no-deliver", cwd=tmp_path)
    assert third.returncode == 0 and f"{N} checked" in third.stdout
