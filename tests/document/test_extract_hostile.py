"""Hostile pages for the extractor: deep nesting (quadratic in lexbor's tree builder) is refused in
linear time, a GBK page with a few bad bytes is read, garbage is still refused."""

from __future__ import annotations

import os
import time

import pytest

from monitor.document.extract import ExtractError, decode, extract

POLICY = "我们会收集您的手机号码和设备信息,用于提供服务。" * 40


def page(inner: str) -> bytes:
    return f"<html><head><meta charset=gbk></head><body>{inner}</body></html>".encode("gbk")


def nested(tag: str, n: int) -> bytes:
    return f"<html><body>{f'<{tag}>' * n}x{f'</{tag}>' * n}</body></html>".encode()


@pytest.mark.parametrize(
    ("html", "what"),
    [
        pytest.param(nested("div", 450_000), "450k nested div (4.9 MB)", id="div-450k"),
        pytest.param(nested("center", 100_000), "100k nested center", id="center-100k"),
        pytest.param(
            ("<html><body>" + "<b>" * 200_000 + "<div>" * 3000 + "x").encode(),
            "div under 200k b",
            id="b-then-div",
        ),
    ],
)
def test_deep_nesting_is_refused_with_a_clear_error_in_well_under_a_second(html: bytes, what: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(
        ExtractError, match=r"page: HTML nested too deep to parse in reasonable time \(over \d+ levels\)"
    ):
        extract(html, media_type="html", source="page")
    assert time.monotonic() - t0 < 2.0, what


@pytest.mark.parametrize(("tag", "n"), [("div", 2000), ("span", 100_000), ("p", 100_000), ("li", 50_000)])
def test_nesting_a_real_page_may_have_or_that_parses_fast_is_read(tag: str, n: int) -> None:
    assert "x" in "".join(extract(nested(tag, n), media_type="html").lines)


def test_a_gbk_page_with_one_invalid_byte_is_read_with_a_replacement_character() -> None:
    good = page(f"<p>{POLICY}</p>")
    bad = good.replace("设备".encode("gbk"), b"\x81\x20", 1)
    with pytest.raises(UnicodeDecodeError):
        bad.decode("gb18030")
    for header in (None, "gbk"):
        text, codec = decode(bad, media_type="html", header_charset=header)
        assert codec == "gb18030" and text.count("\ufffd") == 1 and "用于提供服务" in text
    lines = extract(bad, media_type="html").lines
    assert any("手机号码" in line for line in lines)


@pytest.mark.parametrize("header", [None, "gbk", "utf-8"])
def test_random_bytes_are_still_refused(header: str | None) -> None:
    garbage = os.urandom(20_000)
    with pytest.raises(ExtractError, match="cannot decode the bytes as text"):
        decode(garbage, media_type="text", header_charset=header)
