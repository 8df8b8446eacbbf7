"""The web view's routes through Starlette's TestClient, on a store filled by real checks
(tests/web/conftest.py): pages, their JSON (the CLI's documents), headers, ETag, token, escaping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from monitor.store.db import Store
from monitor.web import pages
from monitor.web.routes import create_app
from tests.helpers.corpus import corpus_text
from tests.web.conftest import EVIL_NAME, Filled, material, page


@pytest.fixture(scope="module")
def store(filled: Filled) -> Iterator[Store]:
    s = filled.open()
    yield s
    s.dispose()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def cli_json(filled: Filled, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert filled.cli(*args, "--format", "json") in (0, 1)
    return json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------------------------------------
# dashboard


def test_the_dashboard_lists_every_operator_failing_first(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    data = client.get("/?format=json").json()
    assert data["total"] == 5
    ids = [row["operator"] for row in data["operators"]]
    assert ids == ["gone", "evil", "jd", "liqun", "onewo"]  # failing first, then by id
    gone, jd = data["operators"][0], data["operators"][2]
    assert gone["failing"] and gone["outcome"] == "failed" and gone["reason"] == "HTTP 404 Not Found"
    assert jd["current_version"] == 3 and jd["versions"] == 3
    # the last material change is v2 (v3 was cosmetic), with its categories and stable diff link
    assert jd["last_material"]["version"] == 2
    assert jd["last_material"]["categories"] == ["processing", "recipients"]
    assert client.get(jd["last_material"]["diff"]).status_code == 200
    assert data["operators"][4]["last_material"] is None  # onewo: one version


def test_the_dashboard_json_rows_are_those_of_list(
    client: TestClient, filled: Filled, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = {row["operator"]: row for row in cli_json(filled, capsys, "list")}
    for row in client.get("/", headers={"Accept": "application/json"}).json()["operators"]:
        want = listed[row["operator"]]
        shared = set(want) & set(row)
        assert shared >= {
            "name",
            "url",
            "last_check",
            "outcome",
            "current_version",
            "current_sha256",
            "updated",
        }
        assert {k: row[k] for k in shared} == {k: want[k] for k in shared}


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("q=jd", ["jd"]),
        ("q=%E5%88%A9%E7%BE%A4", ["liqun"]),  # 利群, by name
        ("q=%25", []),  # a literal %, not a wildcard
        ("category=contact", ["liqun"]),
        ("category=recipients", ["evil", "jd", "liqun"]),
        ("category=recipients&q=l", ["evil", "liqun"]),
    ],
)
def test_search_and_category_filter(client: TestClient, query: str, ids: list[str]) -> None:
    data = client.get(f"/?{query}&format=json").json()
    assert [row["operator"] for row in data["operators"]] == ids
    assert data["total"] == len(ids)


def test_the_dashboard_is_paginated(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "DASHBOARD_PAGE", 2)
    seen = []
    for n in (1, 2, 3):
        data = client.get(f"/?page={n}&format=json").json()
        assert data["pages"] == 3 and data["total"] == 5
        seen += [row["operator"] for row in data["operators"]]
    assert seen == ["gone", "evil", "jd", "liqun", "onewo"]
    html = client.get("/?page=2").text
    assert 'href="/?page=1"' in html and 'href="/?page=3"' in html


@pytest.mark.parametrize(
    "url", ["/?category=nonsense", "/?page=0", "/?page=x", "/operators/nope", "/nowhere"]
)
def test_bad_addresses_are_404_with_a_reason(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert client.get(url, headers={"Accept": "application/json"}).json()["status"] == 404


# ---------------------------------------------------------------------------------------------
# an operator, a version


def test_the_timeline_is_the_history_newest_first_with_what_changed(
    client: TestClient, filled: Filled, capsys: pytest.CaptureFixture[str]
) -> None:
    data = client.get("/operators/jd?format=json").json()
    history = cli_json(filled, capsys, "history", "jd")
    assert [v["version"] for v in data["versions"]] == [3, 2, 1]
    for got, want in zip(data["versions"], reversed(history["versions"]), strict=True):
        assert {k: got[k] for k in want} == want  # the same keys and values as `history`
    v3, v2, v1 = data["versions"]
    assert v2["material"] and "新增共享对象: 巨量引擎、腾讯广告" in v2["facts_summary"][0]
    assert v2["silent_change"]  # the text changed materially, the policy's date did not
    assert v3["material"] is False and v3["summary"]["modified"] == 2
    assert v1["diff"] is None and v1["material"] is None
    html = client.get("/operators/jd").text
    assert "重大变更" in html and "Silent change" in html and v2["diff"] in html


def test_a_version_page_has_its_facts_as_show_prints_them(
    client: TestClient, filled: Filled, capsys: pytest.CaptureFixture[str]
) -> None:
    data = client.get("/operators/jd/versions/2?format=json").json()
    assert data["version"] == 2
    assert data["facts"] == cli_json(filled, capsys, "show", "jd", "2", "--facts")["facts"]
    assert any(f["value"] == "巨量引擎" for f in data["facts"])
    assert client.get(data["raw"]).status_code == 200
    html = client.get("/operators/jd/versions/2").text
    assert "巨量引擎" in html and "download" in html


def test_the_raw_capture_downloads_as_fetched(client: TestClient) -> None:
    r = client.get("/operators/jd/versions/2/raw")
    assert r.status_code == 200
    assert r.content == page(material(corpus_text("jd-express.txt")))
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith('attachment; filename="jd-v2-')


# ---------------------------------------------------------------------------------------------
# a diff


def test_a_diff_is_the_diff_command_s_document_at_a_stable_address(
    client: TestClient, filled: Filled, capsys: pytest.CaptureFixture[str]
) -> None:
    r = client.get("/operators/jd/diff/1..2", follow_redirects=False)
    assert r.status_code == 308
    stable = r.headers["location"]
    assert stable.startswith("/operators/jd/diff/") and len(stable.rsplit("/", 1)[1]) == 12 + 2 + 12
    data = client.get(stable, headers={"Accept": "application/json"}).json()
    assert data == cli_json(filled, capsys, "diff", "jd", "1", "2")
    html = client.get(stable).text
    # the privacy facts' delta leads, then the material changes' cards with their evidence
    facts, cards = html.index("隐私事实变化"), html.index("重大变更 Material changes")
    assert facts < html.index("新增共享对象: 巨量引擎、腾讯广告") < cards
    assert "新增共享对象: 巨量引擎、腾讯广告" in html[cards:]


@pytest.mark.parametrize(
    ("query", "status"), [("from=1&to=3", 303), ("from=2021-01-01&to=latest", 404), ("from=1", 404)]
)
def test_the_timeline_s_compare_form_leads_to_the_stable_address(
    client: TestClient, query: str, status: int
) -> None:
    r = client.get(f"/operators/jd/diff?{query}", follow_redirects=False)
    assert r.status_code == status
    if status == 303:
        assert (
            r.headers["location"]
            == client.get("/operators/jd/diff/1..3", follow_redirects=False).headers["location"]
        )


def test_a_diff_answers_its_etag_with_304(client: TestClient) -> None:
    r = client.get("/operators/jd/diff/2..3", follow_redirects=True)
    etag = r.headers["etag"]
    assert client.get(str(r.url), headers={"If-None-Match": etag}).status_code == 304
    assert client.get(str(r.url), headers={"If-None-Match": '"other"'}).status_code == 200


# ---------------------------------------------------------------------------------------------
# headers, token, escaping

PAGES = [
    "/",
    "/?format=json",
    "/operators/evil",
    "/operators/evil?format=json",
    "/operators/evil/versions/2",
    "/operators/evil/versions/2?format=json",
    "/operators/evil/diff/1..2",
    "/operators/evil/diff/1..2?format=json",
    "/feeds/changes.atom",
    "/operators/evil/changes.atom",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_response_forbids_scripts_and_sniffing(client: TestClient, url: str) -> None:
    r = client.get(url, follow_redirects=True)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES)
def test_markup_in_policy_text_is_escaped_everywhere(client: TestClient, url: str) -> None:
    r = client.get(url, follow_redirects=True)
    body = r.text
    assert "alert(" in body  # the text is there …
    if "json" in url:  # data, the text as it is, in a type no browser renders (nosniff)
        assert r.headers["content-type"] == "application/json"
        return
    for raw in ("<script>alert", "<img src=x", 'onerror="alert'):
        assert raw not in body, f"{url}: {raw!r} unescaped"  # … never as markup
    assert "&lt;script&gt;" in body


def test_the_evil_name_round_trips_in_json(client: TestClient) -> None:
    rows = client.get("/?format=json").json()["operators"]
    assert EVIL_NAME in [row["name"] for row in rows]


@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        ({}, "", 401),
        ({"Authorization": "Bearer wrong"}, "", 401),
        ({"Authorization": "Bearer s3cr3t-token"}, "", 200),
        ({}, "?token=wrong", 401),
        ({}, "?token=s3cr3t-token", 200),
        ({"Cookie": "policy_monitor_token=s3cr3t-token"}, "", 200),
        ({"Cookie": "policy_monitor_token=nope"}, "", 401),
    ],
)
def test_a_token_is_checked_on_every_request(
    store: Store, headers: dict[str, str], query: str, status: int
) -> None:
    guarded = TestClient(create_app(store, token="s3cr3t-token"))
    for path in ("/", "/feeds/changes.atom", "/operators/jd", "/operators/jd/versions/1/raw"):
        r = guarded.get(path + query, headers=headers)
        assert r.status_code == status, path
        assert "content-security-policy" in r.headers
        if status == 401:
            assert "alert(" not in r.text and r.headers["www-authenticate"].startswith("Bearer")


def test_a_token_in_a_link_leaves_a_cookie_for_the_next_pages(store: Store) -> None:
    guarded = TestClient(create_app(store, token="s3cr3t-token"))
    r = guarded.get("/?token=s3cr3t-token")
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert guarded.get("/operators/jd").status_code == 200  # the client sends the cookie back
    odd = TestClient(create_app(store, token="a;b c"))  # not a cookie value: no cookie, still usable
    r = odd.get("/?token=a%3Bb%20c")
    assert r.status_code == 200 and "set-cookie" not in r.headers
    assert odd.get("/", headers={"Authorization": "Bearer a;b c"}).status_code == 200


def test_nothing_can_be_written(client: TestClient) -> None:
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/").status_code == 405
