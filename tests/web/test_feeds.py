"""The Atom feeds: they parse with feedparser (as feed readers read them) and satisfy RFC 4287's
required elements; validators make polling cheap; a new material change appears after the next
check, a cosmetic one does not. Also: alerts link to the stable diff page when web.base_url is set."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from monitor.store.db import Store
from monitor.store.tables import AlertRow
from monitor.web.routes import create_app
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.web.conftest import Filled, cosmetic, material, page, write_watchlist

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def assert_atom(xml: str) -> ET.Element:
    """RFC 4287's rules for what a feed and an entry must contain (section 4.1.1 and 4.1.2)."""
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{A}feed"

    def one(el: ET.Element, name: str) -> ET.Element:
        found = el.findall(f"{A}{name}")
        assert len(found) == 1, f"{el.tag} must have exactly one atom:{name}, has {len(found)}"
        return found[0]

    def iri(text: str | None) -> None:
        assert text and urlsplit(text).scheme, f"not an absolute IRI: {text!r}"

    iri(one(root, "id").text)
    assert one(root, "title").text
    assert RFC3339.match(one(root, "updated").text or "")
    entries = root.findall(f"{A}entry")
    assert root.findall(f"{A}author") or all(e.findall(f"{A}author") for e in entries)
    selfs = [ln for ln in root.findall(f"{A}link") if ln.get("rel") == "self"]
    assert len(selfs) == 1
    iri(selfs[0].get("href"))
    ids = []
    for e in entries:
        ids.append(one(e, "id").text)
        iri(ids[-1])
        assert one(e, "title").text
        assert RFC3339.match(one(e, "updated").text or "")
        alternates = [ln for ln in e.findall(f"{A}link") if ln.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1  # no atom:content, so an alternate link is required
        iri(alternates[0].get("href"))
        assert one(e, "summary").get("type") == "text"
    assert len(set(ids)) == len(ids), "entry ids must be unique"
    return root


def parsed(xml: str) -> feedparser.FeedParserDict:
    d = feedparser.parse(xml)
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    return d


@pytest.fixture(scope="module")
def client(filled: Filled) -> Iterator[TestClient]:
    store = filled.open()
    yield TestClient(create_app(store))
    store.dispose()


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/feeds/changes.atom", ["evil", "liqun", "jd"]),
        ("/operators/jd/changes.atom", ["jd"]),
        ("/feeds/categories/contact.atom", ["liqun"]),
        ("/feeds/changes.atom?category=recipients", ["evil", "liqun", "jd"]),
        ("/operators/onewo/changes.atom", []),
    ],
)
def test_feeds_are_valid_atom_with_one_entry_per_material_change(
    client: TestClient, url: str, titles: list[str]
) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert_atom(r.text)
    d = parsed(r.text)
    names = {"evil": "恶意运营者", "liqun": "利群网商", "jd": "京东快递"}
    assert len(d.entries) == len(titles)
    for entry, op in zip(d.entries, titles, strict=True):  # newest first
        assert names[op] in entry.title and "重大变更" in entry.title
        diff = urlsplit(entry.link).path
        assert diff.startswith(f"/operators/{op}/diff/")
        assert client.get(diff).status_code == 200  # the link opens the diff
        assert entry.id.startswith("urn:uuid:")


def test_an_entry_carries_the_fact_summary_and_categories(client: TestClient) -> None:
    d = parsed(client.get("/operators/jd/changes.atom").text)
    (entry,) = d.entries
    assert "新增共享对象: 巨量引擎、腾讯广告" in entry.summary
    assert [t.term for t in entry.tags] == ["processing", "recipients"]
    assert entry.updated_parsed is not None


def test_feeds_answer_conditional_requests_with_304(client: TestClient) -> None:
    r = client.get("/feeds/changes.atom")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert client.get("/feeds/changes.atom", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/feeds/changes.atom", headers={"If-Modified-Since": modified}).status_code == 304
    old = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
    assert client.get("/feeds/changes.atom", headers={"If-Modified-Since": old}).status_code == 200
    other = client.get("/operators/jd/changes.atom")
    assert other.headers["etag"] != etag  # each feed its own validator
    # the entries are the same on every request: same ids, same bytes
    assert client.get("/feeds/changes.atom").text == r.text


def test_a_new_material_change_enters_the_feed_after_the_next_check_and_a_cosmetic_one_does_not(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    wl = tmp_path / "watchlist.yaml"
    write_watchlist(
        wl, policy_server, {"jd": "京东快递"}, extra="web: {base_url: 'https://monitor.example.com/pm/'}"
    )
    f = Filled(tmp_path, policy_server, wl, f"sqlite:///{tmp_path / 'monitor.db'}")
    store: Store = f.open()
    try:
        client = TestClient(create_app(store, public_url="https://monitor.example.com/pm"))
        f.check()
        first = client.get("/feeds/changes.atom")
        assert parsed(first.text).entries == []
        etag = first.headers["etag"]

        served.body = page(cosmetic(text))
        f.check()
        assert client.get("/feeds/changes.atom", headers={"If-None-Match": etag}).status_code == 304
        assert parsed(client.get("/feeds/changes.atom").text).entries == []

        served.body = page(material(cosmetic(text)))
        f.check()
        r = client.get("/feeds/changes.atom", headers={"If-None-Match": etag})
        assert r.status_code == 200 and r.headers["etag"] != etag
        assert_atom(r.text)
        (entry,) = parsed(r.text).entries
        assert "v2 → v3" in entry.title and "巨量引擎" in entry.summary
        assert entry.link.startswith("https://monitor.example.com/pm/operators/jd/diff/")
    finally:
        store.dispose()


@pytest.mark.slow  # two checks of a whole policy and a comparison
def test_alerts_link_to_the_stable_diff_page_when_the_web_view_has_an_address(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    wl = tmp_path / "watchlist.yaml"
    extra = "web: {base_url: 'https://monitor.example.com/'}\nalerting: {report_url: 'https://files.example.com/'}"
    write_watchlist(wl, policy_server, {"jd": "京东快递"}, extra=extra)
    wl.write_text(
        wl.read_text(encoding="utf-8").replace("defaults: {alerts: []}", "defaults: {alerts: [files]}")
    )
    f = Filled(tmp_path, policy_server, wl, f"sqlite:///{tmp_path / 'monitor.db'}")
    f.check()
    served.body = page(material(text))
    f.check()
    store = f.open()
    try:
        with store.session() as s:
            (alert,) = s.exec(select(AlertRow)).all()
        url = alert.payload["report_url"]
        assert alert.payload["web_url"] == url
        assert re.fullmatch(
            r"https://monitor\.example\.com/operators/jd/diff/[0-9a-f]{12}\.\.[0-9a-f]{12}", url
        )
        r = TestClient(create_app(store)).get(urlsplit(url).path)
        assert r.status_code == 200 and "巨量引擎" in r.text  # the link opens that comparison
    finally:
        store.dispose()
