"""A pdf2htmlEX page (a PDF published as HTML) reads as its lines, not as one line per text box."""

from __future__ import annotations

import pytest

from monitor.document.extract import extract
from monitor.document.pdf2html import rejoined

HEAD = '<!DOCTYPE html>\n<!-- Created by pdf2htmlEX (https://github.com/pdf2htmlEX/pdf2htmlEX) -->\n<html><head>\n<meta name="generator" content="pdf2htmlEX"/></head><body>'
PAGE = (
    '<div id="pf1" class="pf w0 h0"><div class="pc pc1 w0 h0">'
    '<div class="t m0 x1 h3 y2 ff1 fs0"><span class="fc1 sc0">隐</span></div>'
    '<div class="t m0 x2 h3 y2 ff2 fs0"><span class="fc1 sc0">私</span></div>'
    '<div class="t m0 x3 h3 y2 ff3 fs0"><span class="fc1 sc0">政</span></div>'
    '<div class="t m0 x4 h3 y2 ff4 fs0"><span class="fc1 sc0">策</span></div>'
    '<div class="t m0 x1 h5 y19 ff1d fs0">3. </div>'
    '<div class="t m0 x2 h3 y19 ff16 fs0"><span class="fc1 sc0">我</span></div>'
    '<div class="t m0 x3 h3 y19 ff7 fs0"><span class="fc1 sc0">们</span></div>'
    '<div class="t m0 x4 h3 y19 ff19 fs0"><span class="fc1 sc0">自动获取的信息</span></div>'
    '<div class="t m0 x1 h4 y1a ff6 fs0">通过 Cookie</div>'
    '<div class="t m0 x9 h4 y1a ff6 fs0">Beacon 等方式收集</div>'
    "</div></div>"
    '<div id="pf2" class="pf w0 h0"><div class="pc pc2 w0 h0">'
    '<div class="t m0 x1 h4 y1a ff6 fs0">第二页</div>'
    "</div></div></body></html>"
)


def lines(html: str) -> list[str]:
    return [ln.strip() for ln in extract(html.encode(), media_type="html").lines if ln.strip()]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("隐私政策", "a title set one character per box"),
        ("3. 我们自动获取的信息", "a number and its title in boxes of several fonts"),
        ("通过 Cookie Beacon 等方式收集", "two Latin words of one line keep a space between them"),
        ("第二页", "the same position on the next page is another line"),
    ],
)
def test_the_boxes_of_one_line_are_one_line(line: str, why: str) -> None:
    assert line in lines(HEAD + PAGE), why


def test_other_pages_are_read_as_they_are() -> None:
    html = "<html><body>" + PAGE + "</body></html>"  # the same boxes, no pdf2htmlEX mark
    assert rejoined(html) == html
    assert "隐" in lines(html)
