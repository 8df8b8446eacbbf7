"""Issue 17, item 1: ``reprocess`` never destroys a stored version it cannot re-read; only
``--prune --yes`` does, after ``--prune`` alone showed what would go."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.policy_server import PolicyServer
from tests.hostile.data_cli import Site, pm, two_versions_site

pytestmark = pytest.mark.slow  # a store built by two checks, then policy-monitor processes


def rows(site: Site) -> dict[str, int]:
    with sqlite3.connect(site.db) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("versions", "version_texts", "comparisons", "clauses")
        }


def texts(site: Site) -> list[str]:
    with sqlite3.connect(site.db) as conn:
        return [r[0] for r in conn.execute("SELECT text FROM version_texts ORDER BY version_id")]


def test_reprocess_with_a_mistyped_raw_folder_keeps_every_version(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    site = two_versions_site(tmp_path, policy_server)
    before, stored = rows(site), texts(site)
    assert before["versions"] == 2 and before["comparisons"] == 1

    proc = pm(*site.args, "reprocess", env={"POLICY_MONITOR_RAW": str(tmp_path / "snapshots" / "rwa")})
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "versions 2 → 2" in proc.stdout
    assert "2 raw capture(s) missing" in proc.stderr and "--prune" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert rows(site) == before and texts(site) == stored

    listed = pm(*site.args, "history", "jd", "--format", "json")
    assert listed.returncode == 0 and '"version": 2' in listed.stdout


def test_reprocess_after_the_raw_folder_is_gone_keeps_versions_and_prune_needs_yes(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    site = two_versions_site(tmp_path, policy_server)
    before, stored = rows(site), texts(site)
    shutil.rmtree(site.raw)

    proc = pm(*site.args, "reprocess", "jd")
    assert proc.returncode == 2 and "versions 2 → 2" in proc.stdout
    assert rows(site) == before and texts(site) == stored

    dry = pm(*site.args, "reprocess", "--prune")
    assert dry.returncode == 0, dry.stderr
    assert "would remove 2 version(s)" in dry.stdout and "version 1" in dry.stdout
    assert "--yes" in dry.stdout
    assert rows(site) == before  # a dry run: nothing changed

    done = pm(*site.args, "reprocess", "--prune", "--yes")
    assert done.returncode == 0, done.stderr
    assert "removed 2 version(s)" in done.stdout
    assert rows(site)["versions"] == 0


def test_yes_without_prune_is_a_usage_error(tmp_path: Path, policy_server: PolicyServer) -> None:
    site = two_versions_site(tmp_path, policy_server)
    proc = pm(*site.args, "reprocess", "--yes")
    assert proc.returncode == 2 and "--prune" in proc.stderr


def test_reprocess_with_every_capture_still_rebuilds(tmp_path: Path, policy_server: PolicyServer) -> None:
    site = two_versions_site(tmp_path, policy_server)
    before = rows(site)
    proc = pm(*site.args, "reprocess")
    assert proc.returncode == 0, proc.stderr
    assert "2 capture(s) read, versions 2 → 2" in proc.stdout and proc.stderr == ""
    assert rows(site) == before


def test_a_selector_that_now_matches_nothing_keeps_the_versions(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    site = two_versions_site(tmp_path, policy_server)
    before, stored = rows(site), texts(site)
    site.watchlist.write_text(site.watchlist.read_text().replace("'#policy'", "'#no-such-element'"))
    proc = pm(*site.args, "reprocess")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "versions 2 → 2" in proc.stdout and "not accepted" in proc.stdout
    assert rows(site)["versions"] == 2 and texts(site) == stored
    assert before["comparisons"] == rows(site)["comparisons"]


def test_one_missing_capture_keeps_its_version_and_the_comparison_into_the_next(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    site = two_versions_site(tmp_path, policy_server)
    with sqlite3.connect(site.db) as conn:
        first_capture = conn.execute(
            "SELECT c.sha256 FROM versions v JOIN captures c ON c.id = v.capture_id ORDER BY v.first_seen"
        ).fetchone()[0]
        summary_before = conn.execute("SELECT summary FROM comparisons").fetchone()[0]
    (site.raw / first_capture[:2] / f"{first_capture}.gz").unlink()

    proc = pm(*site.args, "reprocess", "--format", "json")
    assert proc.returncode == 2 and "1 raw capture(s) missing" in proc.stderr, proc.stderr
    (report,) = json.loads(proc.stdout)
    assert (report["versions_before"], report["versions_after"], report["captures"]) == (2, 2, 1)
    assert [v["version"] for v in report["kept"]] == [1]
    after = rows(site)
    assert (after["versions"], after["comparisons"]) == (2, 1)
    with sqlite3.connect(site.db) as conn:
        origins = [r[0] for r in conn.execute("SELECT origin FROM versions ORDER BY first_seen")]
        summary_after = conn.execute("SELECT summary FROM comparisons").fetchone()[0]
    assert origins == ["fetch", "reprocess"]  # the first as stored, the second rebuilt
    assert json.loads(summary_after)["added"] == json.loads(summary_before)["added"] == 1
