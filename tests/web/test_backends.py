"""The web view's queries on both backends (SQLite, and PostgreSQL when one is reachable): JSON
subscripts, the category filter over a JSON list, window functions, the feed's validators."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient

from monitor.web.routes import create_app
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.web.conftest import Filled, material, page, write_watchlist


@pytest.mark.slow  # real checks of two policies on each backend
def test_pages_and_feeds_read_the_same_on_every_backend(
    db_url: str, tmp_path: Path, policy_server: PolicyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICY_MONITOR_RAW", str(tmp_path / "raw"))
    jd = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(jd))
    policy_server.pages["/onewo"] = Page(page(corpus_text("onewo.txt")))
    wl = tmp_path / "watchlist.yaml"
    write_watchlist(wl, policy_server, {"jd": "京东快递", "onewo": "万物云"})
    f = Filled(tmp_path, policy_server, wl, db_url)
    f.check()
    served.body = page(material(jd))
    f.check()
    store = f.open()
    try:
        client = TestClient(create_app(store))
        rows = client.get("/?format=json&category=recipients").json()["operators"]
        assert [r["operator"] for r in rows] == ["jd"]
        assert rows[0]["last_material"]["categories"] == ["processing", "recipients"]
        assert [r["operator"] for r in client.get("/?format=json&q=WANWU").json()["operators"]] == []
        assert [r["operator"] for r in client.get("/?format=json&q=ONE").json()["operators"]] == ["onewo"]
        versions = client.get("/operators/jd?format=json").json()["versions"]
        assert versions[0]["silent_change"] and "巨量引擎" in versions[0]["facts_summary"][0]
        r = client.get("/feeds/categories/recipients.atom")
        (entry,) = feedparser.parse(r.text).entries
        assert "京东快递" in entry.title
        assert (
            client.get("/feeds/changes.atom", headers={"If-None-Match": r.headers["etag"]}).status_code == 200
        )
        again = client.get("/feeds/categories/recipients.atom", headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304
    finally:
        store.dispose()
