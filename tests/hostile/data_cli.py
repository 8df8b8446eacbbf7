"""What the test_data_* tests share: ``policy-monitor`` run as a real process, and a store holding
two versions of one operator checked from the loopback page server."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from monitor.store.db import open_store
from tests.helpers.checks import EDIT_ANCHOR, EDIT_LINE, html
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after
from tests.helpers.policy_server import Page, PolicyServer

FAST_FETCH = "fetch:\n  per_host_delay: 0\n  timeout: 2s\n  retries: 1\n  backoff: 0.01s\n"


def pm(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``policy-monitor ARGS`` in a process of its own; its stderr never holds a traceback."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def write_watchlist(path: Path, server: PolicyServer, ids: list[str]) -> Path:
    path.write_text(
        FAST_FETCH
        + "operators:\n"
        + "".join(
            f"  - id: {i}\n    name: {i}\n    url: {server.url('/' + i)}\n    selector: '#policy'\n"
            for i in ids
        ),
        encoding="utf-8",
    )
    return path


@dataclass
class Site:
    """A SQLite store under ``tmp`` and the watchlist naming its operator ``jd``."""

    tmp: Path
    db: Path
    watchlist: Path

    @property
    def args(self) -> list[str]:
        return ["--watchlist", str(self.watchlist), "--db", str(self.db)]

    @property
    def raw(self) -> Path:
        return self.db.parent / "raw"


def two_versions_site(tmp: Path, server: PolicyServer) -> Site:
    """jd-express.txt checked at /jd, then with a material line inserted and checked again (in-process)."""
    from monitor.watch.run import check
    from monitor.watchlist import load
    from tests.helpers.fetch import FAST

    site = Site(
        tmp, tmp / "snapshots" / "monitor.db", write_watchlist(tmp / "watchlist.yaml", server, ["jd"])
    )
    text = corpus_text("jd-express.txt")
    page = server.pages["/jd"] = Page(html(text))
    store = open_store(str(site.db))
    try:
        wl = load(site.watchlist)
        check(store, wl, ["jd"], FAST)
        page.body = html(insert_line_after(text, EDIT_ANCHOR, EDIT_LINE))
        check(store, wl, ["jd"], FAST)
    finally:
        store.dispose()
    return site
