"""Edited pages compared in reader processes (monitor.watch.edited) are judged and recorded exactly
as when this process compares them: the same outcomes, versions and comparison rows; a comparison
made with another version than the current one, or with another extraction, is not used."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from monitor.model import Document
from monitor.store import stored_doc
from monitor.store.db import Store, open_store
from monitor.store.queries import version_document
from monitor.store.tables import ComparisonRow, VersionRow
from monitor.watch import edited, judge
from monitor.watch.edited import Compared, usable
from monitor.watch.readers import MIN_PAGES
from monitor.watch.run import check
from monitor.watch.target import Current, Target
from tests.helpers.checks import html, watch
from tests.helpers.corpus import corpus_text
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer
from tests.helpers.receivers import WebhookReceiver

NAMES = ["cainiao", "jd-express", "jiapin", "liqun", "onewo", "yunju"]
ADDED = "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。"
N = 8


def _text(i: int, edited: bool) -> str:
    text = corpus_text(f"{NAMES[i % len(NAMES)]}.txt")
    if not edited:
        return text
    if i % 3 == 0:
        return text + "\n" + ADDED  # a material sentence added
    if i % 3 == 1:
        lines = text.split("\n")
        return "\n".join(lines[: len(lines) // 2] + lines[len(lines) // 2 + 3 :])  # lines removed
    return text.replace("。", "。 ", 1)  # a space: the same text once normalised


def _serve(server: PolicyServer, edited: bool) -> list[str]:
    ids = []
    for i in range(N):
        op_id = f"op{i:02d}"
        charset = "gbk" if i % 4 == 3 else "utf-8"
        body = html(_text(i, edited), charset, variant=i % 5)
        server.pages[f"/{op_id}"] = Page(body, content_type=f"text/html; charset={charset}")
        ids.append(op_id)
    return ids


def _comparisons(store: Store) -> dict[str, tuple[bool, Any, Any]]:
    with store.session() as s:
        return {c.operator_id: (c.material, c.summary, c.result) for c in s.exec(select(ComparisonRow))}


def _versions(store: Store) -> set[tuple[str, str]]:
    with store.session() as s:
        return {(v.operator_id, v.sha256) for v in s.exec(select(VersionRow))}


def test_edited_pages_compared_in_workers_as_here(
    policy_server: PolicyServer, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _serve(policy_server, edited=False)
    wl = watch(policy_server, *ids)
    stores = {name: open_store(f"sqlite:///{tmp_path / name}.db", raw=tmp_path / name) for name in ("w", "i")}
    used: list[bool] = []
    real_usable = judge.usable

    def spy(compared: Compared | None, current: Current, target: Target) -> Compared | None:
        got = real_usable(compared, current, target)
        used.append(got is not None)
        return got

    monkeypatch.setattr(judge, "usable", spy)
    try:
        monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path: 0)
        for store in stores.values():
            assert {r.outcome for r in check(store, wl, ids, FAST)} == {"changed"}
        _serve(policy_server, edited=True)
        monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path: 2)
        in_workers = check(stores["w"], wl, ids, FAST)
        assert used and all(used)  # every edited page was judged from the workers' comparison
        monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path: 0)
        here = check(stores["i"], wl, ids, FAST)

        def seen(reports: list[Any]) -> list[tuple[Any, ...]]:
            return [(r.operator_id, r.outcome, r.reason, r.material, r.summary) for r in reports]

        assert seen(in_workers) == seen(here)
        assert "changed" in {r.outcome for r in here}
        assert any(r.material for r in here)
        assert _comparisons(stores["w"]) == _comparisons(stores["i"])
        assert len(_comparisons(stores["w"])) == sum(r.outcome == "changed" for r in here)
        assert _versions(stores["w"]) == _versions(stores["i"])
    finally:
        for s in stores.values():
            s.dispose()


def _doc(doc: Document) -> tuple[Any, ...]:
    meta = (doc.source, doc.sha256, doc.title, doc.operator, doc.updated, doc.effective, doc.encoding)
    return (*meta, doc.criteria_items, [(c.path, c.title, c.lines) for c in doc.clauses()])


def test_a_stored_version_reads_as_the_store_reads_it(policy_server: PolicyServer, tmp_path) -> None:
    ids = _serve(policy_server, edited=False)[:2]
    store = open_store(f"sqlite:///{tmp_path / 'a'}.db", raw=tmp_path / "a")
    try:
        check(store, watch(policy_server, *ids), ids, FAST)
        conn = stored_doc.connect_reader(str(tmp_path / "a.db"))
        with store.session() as s:
            for v in s.exec(select(VersionRow)):
                got = stored_doc.read_version(conn, v.id or 0)
                assert got is not None and (got.sha256, got.extractor, got.media_type) == (
                    v.sha256,
                    v.extractor,
                    v.media_type,
                )
                assert _doc(got.doc) == _doc(version_document(s, v))
        assert stored_doc.read_version(conn, 10**6) is None
        conn.close()
    finally:
        store.dispose()


def test_only_a_comparison_with_the_current_version_and_extraction_is_used() -> None:
    target = Target("op", "op", "http://127.0.0.1/op", selector="#policy")
    key = target.extraction_for("html")
    current = Current(7, "a" * 64, 100, key, "b" * 64, "html")
    good = Compared(7, "c" * 64, key, "html", None)
    assert usable(good, current, target) is good
    assert usable(None, current, target) is None
    assert usable(Compared(6, "c" * 64, key, "html", None), current, target) is None  # moved on
    assert usable(Compared(7, "c" * 64, "older", "html", None), current, target) is None
    stale = Current(7, "a" * 64, 100, "older", "b" * 64, "html")  # re-read from the raw capture
    assert usable(Compared(7, "c" * 64, "older", "html", None), stale, target) is None
    assert edited.read_and_compare.__module__ == "monitor.watch.edited"


@pytest.mark.slow
@pytest.mark.parametrize("failpoint", ["before-commit", "after-commit"])
def test_killed_while_workers_compare_loses_no_version_and_no_alert(
    policy_server: PolicyServer, tmp_path: Path, failpoint: str
) -> None:
    """SIGKILL at a commit of a cycle whose edited pages are compared in reader processes: the next
    cycle makes every version and every alert, each once."""
    ids = [f"op{i:02d}" for i in range(MIN_PAGES)]
    edited = ids[::4]
    texts = {op: corpus_text(f"{NAMES[i % len(NAMES)]}.txt") for i, op in enumerate(ids)}
    for op in ids:
        policy_server.pages[f"/{op}"] = Page(html(texts[op]), content_type="text/html; charset=utf-8")
    with WebhookReceiver() as hook:
        lines = ["fetch: {per_host_delay: 0, retries: 0, timeout: 5s}", "channels:"]
        lines.append(f'  hook: {{type: webhook, url: "{hook.url}", timeout: 5s}}')
        lines.append("operators:")
        for op in ids:
            url = policy_server.url("/" + op)
            lines += [f"  - id: {op}", f"    name: {op}", f"    url: {url}", "    alerts: [hook]"]
        wl = tmp_path / "watchlist.yaml"
        wl.write_text("\n".join(lines) + "\n", encoding="utf-8")
        db = tmp_path / "monitor.db"

        def run(point: str | None = None) -> subprocess.CompletedProcess[str]:
            env = {k: v for k, v in os.environ.items() if k != "POLICY_MONITOR_FAILPOINTS"}
            if point:
                env["POLICY_MONITOR_FAILPOINTS"] = point
            cmd = [
                sys.executable,
                "-m",
                "monitor",
                "--watchlist",
                str(wl),
                "--db",
                f"sqlite:///{db}",
                "check",
            ]
            return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)

        def counts() -> tuple[int, dict[str, int]]:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
                rows = conn.execute(
                    "SELECT operator_id, count(DISTINCT id) FROM alerts WHERE event = 'policy.changed' "
                    "GROUP BY operator_id"
                ).fetchall()
            return versions, dict(rows)

        assert run().returncode == 0
        for op in edited:
            policy_server.pages[f"/{op}"] = Page(html(texts[op] + "\n" + ADDED), content_type="text/html")
        killed = run(failpoint)
        assert killed.returncode == -9, killed.stderr
        versions, alerts = counts()
        assert len(ids) <= versions <= len(ids) + len(edited)
        assert all(n == 1 for n in alerts.values())
        again = run()
        assert again.returncode == 0, again.stderr
        assert counts() == (len(ids) + len(edited), dict.fromkeys(edited, 1))
        assert run().returncode == 0
        assert counts() == (len(ids) + len(edited), dict.fromkeys(edited, 1))


# columns whose values differ between two runs of the same checks: ids (replaced by what they name),
# times (kept as their shape: the format SQLAlchemy writes), the alert's delivery id
_IDS = {"id", "capture_id", "version_id", "comparison_id", "check_id", "from_version_id", "to_version_id"}
_TIMES = {
    "created_at",
    "first_seen",
    "last_seen",
    "captured_at",
    "started_at",
    "observed_at",
    "last_check_at",
    "next_due_at",
    "next_attempt_at",
    "delivered_at",
    "lease_expires_at",
}


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the history tables, with ids replaced by the digest of what they name."""
    import json
    import re

    out: dict[str, list[tuple[Any, ...]]] = {}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        versions = dict(conn.execute("SELECT id, sha256 FROM versions"))
        captures = dict(conn.execute("SELECT id, sha256 FROM captures"))
        checks = {i: (op, o) for i, op, o in conn.execute("SELECT id, operator_id, outcome FROM checks")}
        names = {"version_id": versions, "from_version_id": versions, "to_version_id": versions}
        names |= {"capture_id": captures, "check_id": checks, "current_version_id": versions}
        tables = ["operators", "captures", "versions", "version_texts", "clauses", "comparisons", "checks"]
        for table in [*tables, "alerts"]:
            cur = conn.execute(f"SELECT * FROM {table}")  # the names above
            cols = [d[0] for d in cur.description]
            rows = []
            for row in cur:
                kept: list[Any] = []
                for col, value in zip(cols, row, strict=True):
                    if col in names:
                        kept.append((col, names[col].get(value)))
                    elif col in _TIMES:
                        kept.append((col, re.sub(r"\d", "9", value) if isinstance(value, str) else value))
                    elif col in _IDS or col == "elapsed":
                        continue
                    elif col == "payload":
                        payload = json.loads(value)
                        for key in ("id", "detected_at"):
                            payload.pop(key)
                        kept.append((col, json.dumps(payload, sort_keys=True)))
                    else:
                        kept.append((col, value))
                rows.append(tuple(kept))
            out[table] = sorted(rows, key=repr)
    return out


def test_a_store_opened_without_sqlalchemy_records_edited_pages_row_for_row_alike(
    policy_server: PolicyServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """monitor.watch.record_lite (sqlite3) writes what monitor.watch.record (the ORM) writes, to the
    shape of every timestamp, for first versions and for edited pages: the same rows in every table,
    alerts and their payloads included."""
    from monitor.watch import record_lite

    ids = _serve(policy_server, edited=False)
    wl = watch(policy_server, *ids)
    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in ("lite", "orm")}
    taken: list[bool] = []
    real = record_lite.process

    def spy(*args: Any) -> Any:
        got = real(*args)
        taken.append(got is not None)
        return got

    monkeypatch.setattr(record_lite, "process", spy)
    for cycle in ("first", "edited"):  # first versions read in readers; then versions compared there
        if cycle == "edited":
            _serve(policy_server, edited=True)
        for name, url in urls.items():
            lite = name == "lite"
            monkeypatch.setattr("monitor.watch.run.workers_for", lambda targets, db_path, n=2 * lite: n)
            store = open_store(url, raw=tmp_path / name, lite=lite)
            assert (store.lite is not None) == lite  # a new file too, once made
            taken.clear()
            try:
                reports = check(store, wl, ids, FAST)
            finally:
                store.dispose()
            if lite:
                assert taken and all(taken) and len(taken) == sum(r.outcome == "changed" for r in reports)
            else:
                assert not taken
        lite_rows, orm_rows = _rows(tmp_path / "lite.db"), _rows(tmp_path / "orm.db")
        assert lite_rows["versions"] and (
            cycle == "first" or (lite_rows["alerts"] and lite_rows["comparisons"])
        )
        for table in orm_rows:
            assert lite_rows[table] == orm_rows[table], (cycle, table)
