"""Issue 17: a full disk. The failed check's reason (stored, and printed) is the error class and the
driver's message, never the SQL statement with its parameters (the whole policy text).

Two ways to fill the disk: a real one (a tmpfs of 1 MiB holding the SQLite file, when this process
may mount one, i.e. root) and, everywhere, the failpoint ``disk-full`` that raises the error SQLite
gives (``sqlite3.OperationalError('database or disk is full')``, wrapped by SQLAlchemy with the
statement and parameters) where a check's rows are written."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.checks import html
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.hostile.data_cli import pm, write_watchlist

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def tiny_filesystem(path: Path) -> Iterator[None]:
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the failpoint case runs everywhere)")
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def big_policy() -> str:
    """About 2.5 MB: more than SQLite's page cache, so the INSERT itself hits the full disk."""
    extra = "\n".join(f"附{i}. 我们会保存您的个人信息第{i}条，保存期限为{i}个月。" * 40 for i in range(800))
    return corpus_text("jd-express.txt") + "\n" + extra


@pytest.mark.parametrize("how", ["tmpfs", "failpoint"])
def test_a_full_disk_fails_the_check_with_a_short_reason(
    how: str, tmp_path: Path, policy_server: PolicyServer
) -> None:
    db_dir = tmp_path / "db"
    env = {"POLICY_MONITOR_RAW": str(tmp_path / "raw")}
    if how == "failpoint":
        db_dir.mkdir()
        body = corpus_text("jd-express.txt")
        env["POLICY_MONITOR_FAILPOINTS"] = "disk-full"
        filled: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    else:
        body = big_policy()
        filled = tiny_filesystem(db_dir)
    policy_server.pages["/jd"] = Page(html(body))
    wl = write_watchlist(tmp_path / "watchlist.yaml", policy_server, ["jd"])
    with filled:
        db = db_dir / "monitor.db"
        proc = pm("--watchlist", str(wl), "--db", str(db), "check", "--format", "json", env=env)
        assert proc.returncode == 0, proc.stderr
        assert '"outcome": "failed"' in proc.stdout
        for text in (proc.stdout, proc.stderr):
            assert "database or disk is full" in text
            assert "[SQL" not in text and "INSERT" not in text and "隐私政策" not in text, text[:2000]
        assert len(proc.stdout) < 2000 and len(proc.stderr) < 400
        if how == "failpoint":  # the failed check is recorded with that reason
            with sqlite3.connect(db) as conn:
                (reason,) = conn.execute("SELECT reason FROM checks").fetchone()
            assert reason == "database error: OperationalError: database or disk is full"
