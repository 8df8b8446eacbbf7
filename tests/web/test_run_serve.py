"""``policy-monitor run --serve PORT``: the daemon serves the web view from its own event loop,
shows its checks as they land, and stops it on SIGTERM; a port in use stops the start."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.helpers.daemon import Worker, policy_page, run_args, wait_for, watchlist_yaml
from tests.helpers.policy_server import Page, PolicyServer
from tests.helpers.receivers import free_port

pytestmark = pytest.mark.slow  # a real daemon


def test_run_serve_shows_checks_as_they_land_and_stops_with_the_daemon(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    served = policy_server.pages["/a"] = Page(policy_page(1))
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(watchlist_yaml({"a": policy_server.url("/a")}, interval="2s"), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    db = f"sqlite:///{tmp_path / 'monitor.db'}"
    w = Worker("run", tmp_path, run_args(wl, db, "--serve", str(port))).start()
    try:
        w.wait_started()

        def version() -> int | None:
            rows = httpx.get(base + "/?format=json", timeout=5).json()["operators"]
            return rows[0]["current_version"] if rows else None

        wait_for("the first version on the dashboard", lambda: version() == 1)
        served.body = policy_page(1, edited=True)
        wait_for("the second version on the dashboard", lambda: version() == 2)
        feed = httpx.get(base + "/feeds/changes.atom", timeout=5)
        assert "v1 → v2" in feed.text
        assert w.stop() == 0
        with pytest.raises(httpx.TransportError):
            httpx.get(base + "/", timeout=2)
        assert any(e.get("event") == "web view" for e in w.events())
    finally:
        w.kill()


def test_run_serve_on_a_port_in_use_does_not_start(tmp_path: Path, policy_server: PolicyServer) -> None:
    policy_server.pages["/a"] = Page(policy_page(1))
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(watchlist_yaml({"a": policy_server.url("/a")}), encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        w = Worker(
            "run", tmp_path, run_args(wl, f"sqlite:///{tmp_path / 'm.db'}", "--serve", str(port))
        ).start()
        try:
            assert w.wait(60) == 2
        finally:
            w.kill()
    lines = [ln for ln in w.log_text().splitlines() if "policy-monitor: error" in ln]
    assert len(lines) == 1 and f"--serve {port}" in lines[0], w.log_text()
