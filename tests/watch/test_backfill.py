"""Import (backfill) of older versions, reprocess of the raw captures, and a check that re-reads the
current version from its raw capture when the extractor changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.errors import UserError
from monitor.store.db import Store
from monitor.store.queries import version_text, versions
from monitor.store.tables import CheckRow, ComparisonRow, VersionRow, VersionTextRow
from monitor.watch.backfill import import_file
from monitor.watch.reprocess import reprocess
from monitor.watch.run import check
from monitor.watchlist import loads
from tests.helpers.checks import count, html, operator, two_versions, watch
from tests.helpers.corpus import CORPUS, corpus_text
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer


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
    two_versions(store, policy_server)
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
