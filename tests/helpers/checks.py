"""Checks of corpus pages served by the loopback page server: the page, a watchlist naming it, a
material edit of jd-express.txt, and counting what the store holds."""

from __future__ import annotations

from sqlmodel import func, select

from monitor.store.db import Store
from monitor.store.tables import OperatorRow
from monitor.watch.run import check
from monitor.watchlist import Watchlist, loads
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after, to_html
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer

EDIT_ANCHOR = "4.2.1 业务共享"
EDIT_LINE = "(0)为向您推送个性化广告,我们会与广告合作伙伴巨量引擎、腾讯广告共享您的设备信息和位置信息。"


def html(text: str, charset: str = "utf-8", variant: int = 0) -> bytes:
    page = to_html(text, charset=charset, variant=variant)
    if charset == "gbk":  # characters GBK lacks (©, NBSP) become character references: still a GBK page
        return page.encode("gbk", "xmlcharrefreplace")
    return page.encode("utf-8")


def watch(server: PolicyServer, *ids: str, selector: str | None = '"#policy"') -> Watchlist:
    lines = ["operators:"]
    for op_id in ids:
        lines += [f"  - id: {op_id}", f"    name: {op_id}", f"    url: {server.url('/' + op_id)}"]
        if selector:
            lines.append(f"    selector: {selector}")
    return loads("\n".join(lines) + "\n", "test-watchlist.yaml")


def count(store: Store, table: type, **where: object) -> int:
    with store.session() as s:
        stmt = select(func.count()).select_from(table)
        for k, v in where.items():
            stmt = stmt.where(getattr(table, k) == v)
        return int(s.exec(stmt).one())


def operator(store: Store, op_id: str) -> OperatorRow:
    with store.session() as s:
        row = s.get(OperatorRow, op_id)
        assert row is not None
        return row


def two_versions(store: Store, server: PolicyServer) -> None:
    """jd-express.txt checked at /jd, then with EDIT_LINE inserted and checked again."""
    text = corpus_text("jd-express.txt")
    page = server.pages["/jd"] = Page(html(text))
    wl = watch(server, "jd")
    check(store, wl, ["jd"], FAST)
    page.body = html(insert_line_after(text, EDIT_ANCHOR, EDIT_LINE))
    check(store, wl, ["jd"], FAST)
