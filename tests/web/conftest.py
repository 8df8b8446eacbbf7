"""A store filled by real ``policy-monitor check`` runs against corpus policies served on 127.0.0.1,
shared by the web view's tests (session scope: the checks run once per test process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.store.db import Store, open_store
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after, to_html
from tests.helpers.policy_server import Page, PolicyServer
from tests.helpers.revisions import cosmetic, material

FAST_FETCH = "fetch: {per_host_delay: 0, retries: 0, timeout: 2s}\n"
EVIL_NAME = "<script>alert('name')</script>恶意运营者"
# a policy whose own words carry markup: every page must show it as text
EVIL_SCRIPT = "<script>alert('policy')</script>"
EVIL_IMG = "<img src=x onerror=\"alert('img')\">"
EVIL_NOTE = f"特别提示{EVIL_SCRIPT}请仔细阅读{EVIL_IMG}本政策。"
EVIL_SHARE = f"(0)我们会与合作伙伴{EVIL_SCRIPT}科技有限公司共享您的位置信息{EVIL_IMG}。"


def evil(version: int) -> str:
    """jiapin.txt with markup in its words: a note (v1), and a new recipient clause (v2)."""
    text = insert_line_after(corpus_text("jiapin.txt"), "(一)共享", EVIL_NOTE)
    return insert_line_after(text, "(一)共享", EVIL_SHARE) if version == 2 else text


def page(text: str, variant: int = 0) -> bytes:
    return to_html(text, variant=variant).encode("utf-8")


@dataclass
class Filled:
    tmp: Path
    server: PolicyServer
    watchlist: Path
    db: str

    def cli(self, *args: str) -> int:
        return main(["--watchlist", str(self.watchlist), "--db", self.db, *args])

    def check(self, *ops: str) -> None:
        assert self.cli("check", *ops) == 0

    def open(self) -> Store:
        return open_store(self.db)


def write_watchlist(path: Path, server: PolicyServer, operators: dict[str, str], extra: str = "") -> None:
    lines = [FAST_FETCH, extra, "defaults: {alerts: []}", "operators:"]
    for op_id, name in operators.items():
        lines += [f"  - id: {op_id}", f"    name: {json.dumps(name, ensure_ascii=False)}"]
        lines += [f"    url: {server.url('/' + op_id)}", '    selector: "#policy"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def fill(tmp: Path, server: PolicyServer) -> Filled:
    """jd: v1 → material v2 → cosmetic v3; liqun: 2022 → today (material); onewo: one version;
    evil: a policy and an operator name carrying <script> and <img onerror>; gone: a 404 page."""
    jd, liqun = corpus_text("jd-express.txt"), corpus_text("liqun.txt")
    server.pages["/jd"] = Page(page(jd))
    server.pages["/liqun"] = Page(page(corpus_text("liqun-2022.txt")))
    server.pages["/onewo"] = Page(page(corpus_text("onewo.txt")))
    server.pages["/evil"] = Page(page(evil(1)))
    server.pages["/gone"] = Page(page(corpus_text("yunju.txt")))
    wl = tmp / "watchlist.yaml"
    names = {"jd": "京东快递", "liqun": "利群网商", "onewo": "万物云", "evil": EVIL_NAME, "gone": "已下线"}
    write_watchlist(wl, server, names)
    f = Filled(tmp, server, wl, f"sqlite:///{tmp / 'monitor.db'}")
    f.check()
    server.pages["/jd"].body = page(material(jd))
    server.pages["/liqun"].body = page(liqun)
    server.pages["/evil"].body = page(evil(2))
    server.pages["/gone"] = Page(b"not found", status=404)
    f.check()
    server.pages["/jd"].body = page(cosmetic(material(jd)), variant=1)
    assert f.cli("check", "jd") == 0
    return f


@pytest.fixture(scope="session")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filled]:
    tmp = tmp_path_factory.mktemp("web")
    with PolicyServer() as server:
        yield fill(tmp, server)
