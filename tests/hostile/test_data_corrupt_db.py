"""Issue 17, item 8: a file that is not a SQLite database, or a truncated one, is a one-line error
(exit 2), and the commands that only read never create a database or its folders."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.policy_server import PolicyServer
from tests.hostile.data_cli import pm, two_versions_site

READ_ONLY = [
    ["list"],
    ["history", "jd"],
    ["show", "jd"],
    ["diff", "jd"],
    ["status"],
    ["alerts", "list"],
    ["alerts", "show", "abcd"],
    ["serve", "--port", "0"],  # the web view reads only: it fails before it binds
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_read_only_commands_create_nothing(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "nowhere" / "deeper" / "monitor.db"
    proc = pm("--db", str(db), *command, cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1
    assert str(db) in proc.stderr or command[0] == "show"  # show: "no such file, nor a known operator"
    assert not (tmp_path / "nowhere").exists()
    assert not (tmp_path / "snapshots").exists()


@pytest.mark.parametrize(
    "command",
    [["list"], ["history", "jd"], ["status"], ["check"], ["alerts", "list"], ["serve", "--port", "0"]],
)
def test_a_file_that_is_not_sqlite_is_one_line(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "notsqlite.db"
    db.write_bytes(b"this is not a database, just some text that happens to be here\n" * 100)
    (tmp_path / "watchlist.yaml").write_text("operators: []\n")
    proc = pm("--db", str(db), *command, cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "not a database" in proc.stderr
    assert "SQL" not in proc.stderr.replace("SQLite", "")


@pytest.mark.slow
def test_a_truncated_database_is_one_line(tmp_path: Path, policy_server: PolicyServer) -> None:
    site = two_versions_site(tmp_path, policy_server)
    conn = sqlite3.connect(site.db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    size = site.db.stat().st_size
    broken = tmp_path / "broken.db"
    shutil.copy(site.db, broken)
    with broken.open("r+b") as fh:
        fh.truncate(size // 2)
    failed = 0
    for command in (["list"], ["history", "jd"], ["show", "jd"], ["diff", "jd"]):
        proc = pm("--watchlist", str(site.watchlist), "--db", str(broken), *command, cwd=tmp_path)
        assert proc.returncode in (0, 2), (command, proc.stdout, proc.stderr)
        failed += proc.returncode == 2
        if proc.returncode == 2:
            assert proc.stderr.count("\n") == 1 and "[SQL" not in proc.stderr, proc.stderr
            assert "malformed" in proc.stderr or "not a database" in proc.stderr, proc.stderr
    assert failed  # half a database cannot answer them all
