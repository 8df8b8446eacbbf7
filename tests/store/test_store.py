"""The store: raw captures, naming versions, rebuilding documents, import (backfill) and reprocess."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.errors import UserError
from monitor.store.db import Store
from monitor.store.queries import (
    load_version_document,
    resolve_version,
    version_document,
    version_text,
    versions,
)
from monitor.store.raw import RawStore, sha256
from monitor.store.tables import CheckRow, ComparisonRow, OperatorRow, VersionRow, VersionTextRow
from monitor.watch.backfill import import_file, reprocess
from monitor.watch.run import check
from monitor.watchlist import loads
from tests.conftest import CORPUS, corpus_text
from tests.edits import insert_line_after
from tests.policy_server import Page, PolicyServer
from tests.test_pipeline import EDIT_ANCHOR, EDIT_LINE, FAST, count, html, operator, watch


def test_raw_captures_are_content_addressed_and_compressed(tmp_path: Path) -> None:
    raw = RawStore(tmp_path)
    data = corpus_text("liqun.txt").encode()
    digest = raw.put(data)
    assert digest == sha256(data) and raw.put(data) == digest
    path = raw.path(digest)
    assert path.parent.name == digest[:2] and path.stat().st_size < 0.7 * len(data)
    assert raw.get(digest) == data
    assert not list(tmp_path.rglob(".tmp-*"))
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(UserError):
        raw.get(digest)
    with pytest.raises(UserError, match="missing"):
        raw.get("0" * 64)


def test_a_stored_version_rebuilds_the_same_document(store: Store, policy_server: PolicyServer) -> None:
    for name in ["jd-express", "liqun", "onewo"]:
        policy_server.pages[f"/{name}"] = Page(html(corpus_text(f"{name}.txt"), "gbk"))
    wl = watch(policy_server, "jd-express", "liqun", "onewo", selector=None)
    check(store, wl, (), FAST)
    with store.session() as s:
        for v in s.exec(select(VersionRow)):
            doc = version_document(s, v)
            assert doc.sha256 == v.sha256
            assert doc.title == v.title and doc.updated == v.updated
            assert sum(1 for _ in doc.clauses()) == v.clauses


def _two_versions(store: Store, server: PolicyServer) -> None:
    text = corpus_text("jd-express.txt")
    page = server.pages["/jd"] = Page(html(text))
    wl = watch(server, "jd")
    check(store, wl, ["jd"], FAST)
    page.body = html(insert_line_after(text, EDIT_ANCHOR, EDIT_LINE))
    check(store, wl, ["jd"], FAST)


def test_versions_are_named_by_number_date_hash_and_alias(store: Store, policy_server: PolicyServer) -> None:
    _two_versions(store, policy_server)
    with store.session() as s:
        op = s.get(OperatorRow, "jd")
        assert op is not None
        v1, v2 = versions(s, "jd")
        today = v2.first_seen.strftime("%Y-%m-%d")
        for spec, expected in [
            (None, v2),
            ("latest", v2),
            ("current", v2),
            ("previous", v1),
            ("1", v1),
            ("v2", v2),
            ("-1", v2),
            ("-2", v1),
            (v1.sha256[:10], v1),
            (today, v2),
        ]:
            assert resolve_version(s, op, spec).id == expected.id, spec
        for spec in ["3", "0", "-3", "1999-01-01", "ffffffffff", "nonsense"]:
            with pytest.raises(
                UserError, match=r"unknown version .* of jd \(versions: 1 \(.*\), 2 \(.*\); or latest"
            ):
                resolve_version(s, op, spec)
    doc = load_version_document(store, "jd", "1")
    assert doc.source == "jd@1"
    with pytest.raises(UserError, match=r"unknown operator 'nope' \(known: jd\)"):
        load_version_document(store, "nope")


def test_import_backfills_an_older_version_without_moving_current(
    store: Store, policy_server: PolicyServer
) -> None:
    policy_server.pages["/liqun"] = Page(html(corpus_text("liqun.txt")))
    wl = watch(policy_server, "liqun", selector=None)
    check(store, wl, ["liqun"], FAST)
    current = operator(store, "liqun").current_version_id

    report = import_file(store, wl, "liqun", CORPUS / "liqun-2022.txt", datetime(2022, 8, 29, 12, tzinfo=UTC))
    assert (report.outcome, report.version) == ("changed", 1)  # the oldest: version 1
    assert operator(store, "liqun").current_version_id == current
    with store.session() as s:
        old, new = versions(s, "liqun")
        assert old.origin == "import" and old.updated == "2022-08-29" and new.origin == "fetch"
        chk = s.exec(select(CheckRow).where(CheckRow.trigger == "import")).one()
        assert chk.observed_at.year == 2022
    # importing the same text again changes nothing
    again = import_file(store, wl, "liqun", CORPUS / "liqun-2022.txt", datetime(2022, 9, 1, tzinfo=UTC))
    assert (again.outcome, again.reason) == ("unchanged", "already stored as version 1")
    assert count(store, VersionRow) == 2


def test_import_of_the_newest_version_makes_it_current(store: Store, tmp_path: Path) -> None:
    wl = loads("operators:\n  - id: liqun\n    name: 利群\n    url: http://127.0.0.1:9/\n", "w.yaml")
    first = import_file(store, wl, "liqun", CORPUS / "liqun-2022.txt", datetime(2022, 8, 29, tzinfo=UTC))
    assert (first.outcome, first.version, first.summary) == ("changed", 1, None)
    second = import_file(store, wl, "liqun", CORPUS / "liqun.txt", None)
    assert (second.outcome, second.version) == ("changed", 2)
    assert second.summary is not None and second.summary["added"] + second.summary["modified"] > 0
    with store.session() as s:
        assert operator(store, "liqun").current_version_id == versions(s, "liqun")[1].id
        assert s.exec(select(ComparisonRow)).one().origin == "import"


def test_import_refuses_what_is_not_a_policy(store: Store, tmp_path: Path) -> None:
    wl = loads("operators:\n  - id: a\n    name: a\n    url: http://127.0.0.1:9/\n", "w.yaml")
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(UserError, match="cannot import: does not read like a privacy policy"):
        import_file(store, wl, "a", junk)
    with pytest.raises(UserError, match="unknown operator 'b'"):
        import_file(store, wl, "b", CORPUS / "liqun.txt")
    assert count(store, VersionRow) == 0


def test_reprocess_merges_versions_that_differed_only_by_extraction(
    store: Store, policy_server: PolicyServer
) -> None:
    """A page with a changing banner inside the policy's container: two versions, until the watchlist
    removes the banner and reprocess rebuilds the history from the raw captures."""
    text = corpus_text("yunju.txt")
    banner = '<div id="policy"><p class="ad">今日特价 1</p><div'
    page = policy_server.pages["/yunju"] = Page(html(text).replace(b'<div id="policy"', banner.encode()))
    wl = watch(policy_server, "yunju")
    check(store, wl, ["yunju"], FAST)
    page.body = page.body.replace("今日特价 1".encode(), "今日特价 2".encode())
    assert check(store, wl, ["yunju"], FAST)[0].outcome == "changed"
    assert count(store, VersionRow) == 2 and count(store, ComparisonRow) == 1

    fixed = loads(
        f"operators:\n  - id: yunju\n    name: yunju\n    url: {policy_server.url('/yunju')}\n"
        f"    selector: '#policy'\n    remove: '.ad'\n",
        "w.yaml",
    )
    (report,) = reprocess(store, fixed, ["yunju"])
    assert (report.before, report.after, report.captures, report.rejected) == (2, 1, 2, [])
    assert count(store, VersionRow) == 1 and count(store, ComparisonRow) == 0
    with store.session() as s:
        (v,) = versions(s, "yunju")
        assert "今日特价" not in version_text(s, v.id or 0) and v.origin == "reprocess"
        assert operator(store, "yunju").current_version_id == v.id
        assert {c.version_id for c in s.exec(select(CheckRow))} == {v.id}
    # and the next check compares like with like: the banner changes again, nothing to report
    page.body = page.body.replace("今日特价 2".encode(), "今日特价 3".encode())
    assert check(store, fixed, ["yunju"], FAST)[0].outcome == "unchanged"


def test_reprocess_keeps_real_changes_and_rejects_bad_captures(
    store: Store, policy_server: PolicyServer
) -> None:
    _two_versions(store, policy_server)
    policy_server.pages[
        "/jd"
    ].body = "<html><body><div id='policy'><p>请完成安全验证</p></div></body></html>".encode()
    assert check(store, watch(policy_server, "jd"), ["jd"], FAST)[0].outcome == "suspicious"
    (report,) = reprocess(store, watch(policy_server, "jd"), [])
    assert (report.before, report.after, report.captures) == (2, 2, 3)
    assert len(report.rejected) == 1 and "captcha" in report.rejected[0]
    with store.session() as s:
        cmp = s.exec(select(ComparisonRow)).one()
        assert cmp.origin == "reprocess" and cmp.summary["added"] == 1
    with pytest.raises(UserError, match="unknown operator 'nope'"):
        reprocess(store, None, ["nope"])


def test_a_new_extractor_is_not_mistaken_for_a_change(store: Store, policy_server: PolicyServer) -> None:
    """The stored text was made by an older extractor: a new capture is compared with the current
    version re-read from its raw capture, not with the old text."""
    text = corpus_text("jd-express.txt")
    page = policy_server.pages["/jd"] = Page(html(text))
    wl = watch(policy_server, "jd")
    check(store, wl, ["jd"], FAST)
    with store.session() as s, s.begin():  # pretend an older extractor kept a stray line
        v = s.exec(select(VersionRow)).one()
        t = s.get(VersionTextRow, v.id)
        assert t is not None
        t.text = "京东快递 首页\n" + t.text
        s.add(t)
        v.sha256 = "0" * 64
        v.extractor = "older"
        s.add(v)
    page.body = html(text, variant=2)  # new bytes, same words
    report = check(store, wl, ["jd"], FAST)[0]
    assert report.outcome == "unchanged" and "only by extraction" in (report.reason or "")
    assert count(store, VersionRow) == 1
