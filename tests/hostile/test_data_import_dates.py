"""Issue 17, item 12: ``import --date`` refuses dates in the future (beyond a day of clock skew) and
before 1990; importing text already stored never makes its dates overlap another version's."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.corpus import corpus_text
from tests.hostile.data_cli import pm

pytestmark = pytest.mark.slow  # several policy-monitor processes


def seen(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return [
            (r[0][:10], r[1][:10], r[2][:10])
            for r in conn.execute("SELECT sha256, first_seen, last_seen FROM versions ORDER BY first_seen")
        ]


@pytest.fixture
def store(tmp_path: Path) -> tuple[list[str], Path, Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(corpus_text("liqun-2022.txt"), encoding="utf-8")
    b.write_text(corpus_text("liqun.txt"), encoding="utf-8")
    db = tmp_path / "monitor.db"
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        "operators:\n  - id: liqun\n    name: 利群\n    url: http://127.0.0.1:9/liqun\n", encoding="utf-8"
    )
    base = ["--db", str(db), "--watchlist", str(wl)]
    for f, date in ((a, "2022-08-29"), (b, "2023-06-01")):
        proc = pm(*base, "import", "liqun", str(f), "--date", date, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    return base, db, a, b


def test_dates_out_of_range_are_refused(store: tuple[list[str], Path, Path, Path]) -> None:
    base, db, a, b = store
    before = seen(db)
    tomorrow_plus = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d")
    for date, words in (
        ("2999-01-01", "is in the future"),
        (tomorrow_plus, "is in the future"),
        ("0001-01-01", "is before 1990-01-01"),
        ("1989-12-31", "is before 1990-01-01"),
    ):
        proc = pm(*base, "import", "liqun", str(a), "--date", date)
        assert proc.returncode == 2, (date, proc.stdout, proc.stderr)
        assert proc.stderr.count("\n") == 1 and words in proc.stderr and date in proc.stderr
    assert seen(db) == before
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    proc = pm(*base, "import", "liqun", str(b), "--date", today, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "unchanged"


def test_known_text_widens_its_dates_only_up_to_the_neighbours(
    store: tuple[list[str], Path, Path, Path],
) -> None:
    base, db, a, b = store
    (sha_a, a_first, a_last), (sha_b, b_first, b_last) = seen(db)
    assert (a_first, b_first) == ("2022-08-29", "2023-06-01")

    # A seen earlier than we knew, nothing in between: its first_seen moves back
    proc = pm(*base, "import", "liqun", str(a), "--date", "2021-03-01")
    assert proc.returncode == 0 and "unchanged" in proc.stdout, proc.stderr
    assert seen(db) == [(sha_a, "2021-03-01", a_last), (sha_b, b_first, b_last)]

    # A again after B (a revert, or a stale archive): A's dates do not reach over B's
    proc = pm(*base, "import", "liqun", str(a), "--date", "2024-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "dates kept" in proc.stdout and "version 2" in proc.stdout
    # B before A: B's first_seen does not move before A
    proc = pm(*base, "import", "liqun", str(b), "--date", "2020-01-01")
    assert proc.returncode == 0 and "dates kept" in proc.stdout, proc.stdout
    assert seen(db) == [(sha_a, "2021-03-01", a_last), (sha_b, b_first, b_last)]

    listed = json.loads(pm(*base, "history", "liqun", "--format", "json").stdout)
    assert [v["sha256"][:10] for v in listed["versions"]] == [sha_a, sha_b]
    assert listed["versions"][1]["current"]
