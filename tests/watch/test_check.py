"""Checks end to end: corpus pages served as HTML (UTF-8 and GBK) by a real HTTP server on 127.0.0.1,
stored in SQLite and in PostgreSQL. A bad fetch never creates a version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from monitor.cli.main import main
from monitor.store.db import Store
from monitor.store.queries import version_text
from monitor.store.tables import CaptureRow, CheckRow, ComparisonRow, VersionRow
from monitor.watch.run import check
from monitor.watchlist import Watchlist
from tests.helpers.checks import EDIT_ANCHOR, EDIT_LINE, count, html, operator, watch
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer


def run(store: Store, wl: Watchlist, *ids: str):
    reports = check(store, wl, ids, FAST)
    return reports[0] if len(ids) == 1 else reports


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_first_check_stores_a_version_and_unchanged_checks_store_none(
    store: Store, policy_server: PolicyServer, charset: str
) -> None:
    text = corpus_text("jd-express.txt")
    page = policy_server.pages["/jd"] = Page(
        html(text, charset), content_type=f"text/html; charset={charset}"
    )
    wl = watch(policy_server, "jd")

    first = run(store, wl, "jd")
    assert (first.outcome, first.reason, first.version, first.http_status) == (
        "changed",
        "first version",
        1,
        200,
    )
    assert count(store, VersionRow) == 1 and count(store, CaptureRow) == 1
    with store.session() as s:
        v = s.exec(select(VersionRow)).one()
        assert v.title == "物流隐私政策" and v.policy_operator == "北京京邦达贸易有限公司"
        assert v.encoding == ("gb18030" if charset == "gbk" else "utf-8")
        text_kept = version_text(s, v.id or 0)
        assert "个人信息" in text_kept and "版权所有" not in text_kept  # the selector kept the policy only
        assert v.clauses > 100

    # the server knows the ETag: 304, nothing read, nothing stored
    second = run(store, wl, "jd")
    assert (second.outcome, second.http_status, second.version) == ("not_modified", 304, 1)
    assert policy_server.requests("/jd")[-1].headers["if-none-match"] == page.etag_value

    # no validators: the same bytes again
    page.etag = False
    third = run(store, wl, "jd")
    assert (third.outcome, third.reason, third.http_status) == (
        "unchanged",
        "same bytes as the last capture",
        200,
    )

    # other markup, same words: the normalized text is equal
    page.body = html(text, charset, variant=1)
    fourth = run(store, wl, "jd")
    assert (fourth.outcome, fourth.reason, fourth.version) == ("unchanged", None, 1)

    assert count(store, VersionRow) == 1
    assert count(store, CheckRow) == 4
    assert count(store, ComparisonRow) == 0
    op = operator(store, "jd")
    assert op.last_outcome == "unchanged" and op.failures == 0
    assert op.last_check_at is not None and op.next_due_at is not None
    assert (op.next_due_at - op.last_check_at).total_seconds() == 12 * 3600  # the default interval


def test_an_edit_gives_a_second_version_and_a_diff_with_the_edit(
    store: Store, policy_server: PolicyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = corpus_text("jd-express.txt")
    page = policy_server.pages["/jd"] = Page(html(text))
    wl = watch(policy_server, "jd")
    assert run(store, wl, "jd").outcome == "changed"

    page.body = html(insert_line_after(text, EDIT_ANCHOR, EDIT_LINE))
    report = run(store, wl, "jd")
    assert (report.outcome, report.version) == ("changed", 2)
    assert report.summary is not None and report.summary["added"] == 1
    assert count(store, VersionRow) == 2 and count(store, ComparisonRow) == 1
    with store.session() as s:
        cmp = s.exec(select(ComparisonRow)).one()
        added = [c for c in cmp.result["changes"] if c["kind"] == "added"]
        assert "巨量引擎" in added[0]["new_text"]
        check_row = s.exec(select(CheckRow).where(CheckRow.comparison_id == cmp.id)).one()
        assert check_row.outcome == "changed"

    # `diff OPERATOR` compares the last two versions and prints CONTRACT.md's document
    wl_path = tmp_path / "watchlist.yaml"
    wl_path.write_text(
        f"operators:\n  - id: jd\n    name: jd\n    url: {policy_server.url('/jd')}\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["--watchlist", str(wl_path), "--db", store.url, "diff", "jd", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"old", "new", "criteria", "material", "changes", "summary"}
    assert doc["old"]["source"] == "jd@1" and doc["new"]["source"] == "jd@2"
    assert [c["kind"] for c in doc["changes"]] == ["added"]
    assert "巨量引擎" in doc["changes"][0]["new_text"]
    assert doc["changes"][0]["diff"][0][0] == 1


def _cut_html(text: str) -> bytes:
    body = html(text)
    return body[: int(len(body) * 0.6)]  # a complete HTTP answer holding an incomplete page


def _half(text: str) -> bytes:
    lines = text.split("\n")
    return html("\n".join(lines[: len(lines) // 4]))


CAPTCHA = (
    "<html><head><title>安全验证</title></head><body><div id='policy'><p>请拖动滑块完成安全验证</p>"
    "<div id='nc_1_wrapper'></div></div></body></html>"
).encode()
LOGIN = "<html><body><div id='policy'><p>请先登录</p><p>账号</p><p>密码</p></div></body></html>".encode()
BUSY = "<html><body><div id='policy'><h1>系统繁忙,请稍后再试</h1></div></body></html>".encode()

# (how the page goes wrong, outcome, words of the reason)
# a page turned into nothing but a redirect (DanXi's policy page was, for a day): no version, and the
# report says where the page sends the browser
REDIRECT_STUB = (
    b'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url=/privacy/">'
    b"<title>Redirecting</title></head><body></body></html>"
)
BAD = [
    pytest.param(lambda p, t: setattr(p, "status", 404), "failed", "HTTP 404", id="404"),
    pytest.param(
        lambda p, t: setattr(p, "fail_first", 99) or setattr(p, "fail_status", 500),
        "failed",
        "HTTP 500",
        id="500",
    ),
    pytest.param(lambda p, t: setattr(p, "delay", 3), "failed", "timeout", id="timeout"),
    pytest.param(
        lambda p, t: setattr(p, "location", "/jd") or setattr(p, "status", 302),
        "failed",
        "redirects",
        id="redirect-loop",
    ),
    pytest.param(
        lambda p, t: setattr(p, "body", p.body + b"<!--" + b"x" * 500_000 + b"-->"),
        "failed",
        "cap",
        id="oversized",
    ),
    pytest.param(lambda p, t: setattr(p, "body", CAPTCHA), "suspicious", "captcha", id="captcha"),
    pytest.param(lambda p, t: setattr(p, "body", LOGIN), "suspicious", "login wall", id="login-wall"),
    pytest.param(lambda p, t: setattr(p, "body", BUSY), "suspicious", "error page", id="error-page-200"),
    pytest.param(
        lambda p, t: setattr(p, "truncate", 5000), "suspicious", "body cut short", id="truncated-body"
    ),
    pytest.param(
        lambda p, t: setattr(p, "body", _cut_html(t)), "suspicious", "truncated page", id="truncated-html"
    ),
    pytest.param(lambda p, t: setattr(p, "body", b""), "suspicious", "empty body", id="empty"),
    pytest.param(lambda p, t: setattr(p, "body", _half(t)), "suspicious", "shrank", id="lost-most-text"),
    pytest.param(
        lambda p, t: setattr(p, "body", html(t).replace(b'id="policy"', b'id="other"')),
        "suspicious",
        "matches nothing",
        id="selector-gone",
    ),
    pytest.param(
        lambda p, t: setattr(p, "content_type", "application/pdf"),
        "suspicious",
        "content type",
        id="not-html",
    ),
    pytest.param(
        lambda p, t: setattr(p, "body", REDIRECT_STUB),
        "suspicious",
        "matches nothing (the page only sends the browser on, to /privacy/)",
        id="redirect-stub",
    ),
]


@pytest.mark.parametrize(("spoil", "outcome", "why"), BAD)
def test_a_bad_fetch_never_replaces_the_current_version(
    store: Store, policy_server: PolicyServer, spoil, outcome: str, why: str
) -> None:
    text = corpus_text("jd-express.txt")
    good = policy_server.pages["/jd"] = Page(html(text))
    wl = watch(policy_server, "jd")
    assert run(store, wl, "jd").outcome == "changed"
    before = operator(store, "jd")

    bad = policy_server.pages["/jd"] = Page(html(text), etag=False)
    spoil(bad, text)
    report = run(store, wl, "jd")
    assert report.outcome == outcome, report
    assert why in (report.reason or ""), report.reason
    assert report.version == 1  # the current version is still the first

    after = operator(store, "jd")
    assert count(store, VersionRow) == 1 and count(store, ComparisonRow) == 0
    assert (after.current_version_id, after.capture_sha256, after.etag) == (
        before.current_version_id,
        before.capture_sha256,
        before.etag,
    )
    assert (after.last_outcome, after.failures) == (outcome, 1)

    # the good page comes back: the request is still conditional on the good capture
    policy_server.pages["/jd"] = good
    assert run(store, wl, "jd").outcome == "not_modified"
    assert policy_server.requests("/jd")[-1].headers.get("if-none-match") == good.etag_value
    assert operator(store, "jd").failures == 0


@pytest.mark.parametrize(("spoil", "outcome", "why"), [BAD[0], BAD[5], BAD[8]])
def test_a_bad_first_fetch_stores_nothing(
    store: Store, policy_server: PolicyServer, spoil, outcome: str, why: str
) -> None:
    text = corpus_text("yunju.txt")
    page = policy_server.pages["/yunju"] = Page(html(text), etag=False)
    spoil(page, text)
    report = run(store, watch(policy_server, "yunju"), "yunju")
    assert (report.outcome, report.version) == (outcome, None)
    assert count(store, VersionRow) == 0 and count(store, CheckRow, outcome=outcome) == 1


def test_a_cycle_over_several_operators(store: Store, policy_server: PolicyServer) -> None:
    names = ["jd-express", "cainiao", "liqun", "yunju"]
    for i, name in enumerate(names):
        charset = "gbk" if i % 2 else "utf-8"
        policy_server.pages[f"/{name}"] = Page(
            html(corpus_text(f"{name}.txt"), charset),
            gzip=i < 2,
            content_type=f"text/html; charset={charset}",
        )
    policy_server.pages["/gone"] = Page(status=404)
    wl = watch(policy_server, *names, "gone")
    reports = run(store, wl)
    assert [r.outcome for r in reports] == ["changed"] * 4 + ["failed"]
    reports = run(store, wl)
    assert [r.outcome for r in reports] == ["not_modified"] * 4 + ["failed"]
    assert count(store, VersionRow) == 4 and count(store, CheckRow) == 10


def test_a_revert_reuses_the_old_version(store: Store, policy_server: PolicyServer) -> None:
    text = corpus_text("jd-express.txt")
    page = policy_server.pages["/jd"] = Page(html(text))
    wl = watch(policy_server, "jd")
    run(store, wl, "jd")
    page.body = html(insert_line_after(text, EDIT_ANCHOR, EDIT_LINE))
    assert run(store, wl, "jd").version == 2
    page.body = html(text)
    report = run(store, wl, "jd")
    assert (report.outcome, report.version) == ("changed", 1)  # back to the first text: no third row
    assert count(store, VersionRow) == 2 and count(store, ComparisonRow) == 2
