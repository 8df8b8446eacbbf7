"""``policy-monitor run`` with ``fetcher: browser``, as a real subprocess against a loopback server:
one Chromium for the worker's life, started again after it is killed between checks; a page that
never finishes loading fails its checks on time while the other operators go on being checked."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import js_pages
from tests.helpers.corpus import corpus_text
from tests.helpers.daemon import Db, Worker, policy_page, run_args, wait_for
from tests.helpers.policy_server import Page, PolicyServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(js_pages.chromium_missing() is not None, reason=str(js_pages.chromium_missing())),
]


@pytest.fixture
def worker(tmp_path: Path, policy_server: PolicyServer) -> Iterator[tuple[Worker, Db]]:
    server = policy_server
    js_pages.serve(server, "/rendered", corpus_text("yunju.txt"))
    server.pages["/stuck"] = Page(js_pages.shell("stuck.js"))
    server.pages["/stuck.js"] = Page(b"", content_type=js_pages.JS_TYPE, delay=300)  # never in time
    server.pages["/plain"] = Page(policy_page(1))
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        "fetch: {per_host_delay: 0, retries: 0, timeout: 5s}\n"
        "defaults: {interval: 1s, browser_timeout: 3s, trigger: {changes: all}}\n"
        "browser: {max_pages: 2}\n"
        "operators:\n"
        f"  - {{id: rendered, name: R, url: '{server.url('/rendered')}', fetcher: browser, wait_for: '#policy'}}\n"
        f"  - {{id: stuck, name: S, url: '{server.url('/stuck')}', fetcher: browser}}\n"
        f"  - {{id: plain, name: P, url: '{server.url('/plain')}'}}\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'snapshots' / 'monitor.db'}"
    w = Worker("run", tmp_path, run_args(wl, url)).start()
    db = Db(url, tmp_path / "snapshots" / "raw")
    try:
        w.wait_started()
        yield w, db
    finally:
        w.kill()
        db.close()


def test_one_browser_restarted_after_a_kill_and_a_hung_page_blocks_no_one(worker: tuple[Worker, Db]) -> None:
    w, db = worker
    wait_for("two good browser checks", lambda: len(ok(w)) >= 2, timeout=90)
    (browser,) = wait_for("the browser process", lambda: js_pages.chromium_pids(w.pid), timeout=10)
    assert w.checks("rendered")[0]["outcome"] == "changed" and db.versions("rendered") == 1
    wait_for("two more good browser checks", lambda: len(ok(w)) >= 4, timeout=60)
    assert js_pages.chromium_pids(w.pid) == [browser]  # the same browser, check after check
    assert len(w.events("browser started")) == 1

    os.kill(browser, signal.SIGKILL)
    wait_for("the browser gone", lambda: browser not in js_pages.chromium_pids(w.pid), timeout=10)
    done = len(w.checks("rendered"))
    wait_for(
        "a good browser check after the kill",
        lambda: any(c["outcome"] == "unchanged" for c in w.checks("rendered")[done:]),
        timeout=90,
    )
    (again,) = js_pages.chromium_pids(w.pid)
    assert again != browser and len(w.events("browser started")) == 2
    assert db.versions("rendered") == 1  # nothing was lost or stored twice across the crash
    for c in w.checks("rendered")[done:]:  # a check caught by the kill fails, and says why
        assert c["outcome"] == "unchanged" or "browser" in (c.get("reason") or ""), c

    stuck = w.checks("stuck")
    assert stuck and {c["outcome"] for c in stuck} == {"failed"}
    assert {c["reason"] for c in stuck} <= {
        "the page did not load within 3 s (browser)",
        "the browser crashed (started again for the next check)",
    }
    assert all(c["duration"] < 3 + 10 for c in stuck)
    # while each stuck check waited out its 3 s, the plain page was checked on its 1 s interval
    assert len(w.checks("plain")) >= 2 * len(stuck)
    assert w.stop() == 0


def ok(w: Worker) -> list[dict]:
    return [c for c in w.checks("rendered") if c["outcome"] in ("changed", "unchanged")]
