"""The PDF reader's repairs, table-driven, and its errors on PDFs it cannot read (no browser needed:
the PDFs here are written by pypdf; the Chromium-printed corpus is in test_forms.py)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from monitor.document.extract import ExtractError, extract, sniff_media_type
from monitor.document.pdf import _clean, _glue, _title, join_lines, strip_furniture
from monitor.document.segment import starts_item

HEADER = "12/1/26, 4:41 PM 隐私政策"
PARA = "我们会根据法律法规要求采取相应安全保护措施尽力保护您的个人信息安全可控在您使用服务时我们将按照本"


def _footer(n: int, total: int) -> str:
    return f"file:///tmp/policy.html {n}/{total}"


BODY = ["我们收集您的手机号码。", "我们使用您的位置信息。", "我们不会出售您的信息。", "您可以注销账户。"]
MORE = ["我们与快递公司共享地址。", "我们保存信息三年。", "您可以撤回同意。", "联系电话9519666。"]

FURNITURE = [
    pytest.param(
        [
            ["一、适用范围", *BODY, HEADER, _footer(1, 3)],
            [*MORE, HEADER, _footer(2, 3)],
            ["完。", HEADER, _footer(3, 3)],
        ],
        ["一、适用范围", *BODY, *MORE, "完。"],
        id="chromium-header-and-footer-at-page-ends",
    ),
    pytest.param(
        [["利群隐私政策", "第1页 共2页", *BODY], ["利群隐私政策", "第2页 共2页", *MORE]],
        [*BODY, *MORE],
        id="title-header-and-page-x-of-y",
    ),
    pytest.param(
        [["- 1 -", "一、总则", *BODY], ["二、收集", *MORE, "- 2 -"]],
        ["一、总则", *BODY, "二、收集", *MORE],
        id="lone-page-numbers",
    ),
    pytest.param(
        [["-", "安全运行。", "-", "定位功能。"], ["-", "存储期限。", "-", "注销账户。"]],
        ["-", "安全运行。", "-", "定位功能。", "-", "存储期限。", "-", "注销账户。"],
        id="a-bullet-at-every-page-edge-stays",
    ),
    pytest.param(
        [["隐私政策", "更新日期：2024年1月1日", "正文。", "1/1"]],
        ["隐私政策", "更新日期：2024年1月1日", "正文。"],
        id="one-page-keeps-its-title",
    ),
]


@pytest.mark.parametrize(("pages", "expected"), FURNITURE)
def test_page_furniture_is_dropped(pages: list[list[str]], expected: list[str]) -> None:
    assert strip_furniture(pages) == expected


JOINS = [
    pytest.param(
        [PARA, "收集使用您的信息。", "二、我们如何共享"],
        [PARA + "收集使用您的信息。", "二、我们如何共享"],
        id="wrapped",
    ),
    pytest.param([PARA, "1.2 菜鸟用户端"], [PARA, "1.2 菜鸟用户端"], id="never-onto-a-numbered-line"),
    pytest.param(
        ["一、适用范围", PARA, "尾。"], ["一、适用范围", PARA + "尾。"], id="a-short-heading-is-not-joined"
    ),
    pytest.param([PARA[:-1] + "。", "下一段。"], [PARA[:-1] + "。", "下一段。"], id="a-sentence-end-ends-it"),
    pytest.param(
        [PARA, PARA[:20], "短行。"], [PARA + PARA[:20], "短行。"], id="a-short-line-ends-its-paragraph"
    ),
    pytest.param(
        [PARA, PARA[:30] + "发送邮件至", "【wkwycpnlfzzx@onewo.com】。我们将回复。"],
        [PARA + PARA[:30] + "发送邮件至【wkwycpnlfzzx@onewo.com】。我们将回复。"],
        id="a-long-address-that-did-not-fit",
    ),
]


@pytest.mark.parametrize(("lines", "expected"), JOINS)
def test_wrapped_lines_are_rejoined(lines: list[str], expected: list[str]) -> None:
    assert join_lines(lines, starts_item) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("we keep infor-", "mation, and", "we keep information, and"),
        ("发送至cn-", "provision@service.cainiao.com", "发送至cn-provision@service.cainiao.com"),
        ("西溪首座B1-", "2八楼", "西溪首座B1-2八楼"),
        ("e-", "mail", "e-mail"),
        ("Android", "ID", "Android ID"),
        ("个人", "信息", "个人信息"),
    ],
)
def test_glue(left: str, right: str, expected: str) -> None:
    assert _glue(left, right) == expected


def test_radicals_are_read_as_ideographs() -> None:
    assert _clean("⾸⻚ | 关于我们\n菜⻦⽤⼾端 ﬁle") == "首页 | 关于我们\n菜鸟用户端 file"


def _pdf(password: str | None = None, title: str | None = None) -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    if title is not None:
        w.add_metadata({"/Title": title})
    if password:
        w.encrypt(user_password=password, algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_pdf(), "no text layer"),
        (_pdf("secret"), "encrypted with a password"),
        (_pdf()[:-200], "truncated PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "unreadable PDF"),
    ],
    ids=["no-text", "encrypted", "cut-short", "garbage"],
)
def test_unreadable_pdfs_are_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        extract(data, media_type="pdf", source="p.pdf")


def test_a_pdf_is_sniffed_by_its_signature_under_any_content_type() -> None:
    for content_type in (None, "application/pdf", "application/octet-stream", "text/html"):
        assert sniff_media_type(_pdf(), content_type) == "pdf"


def test_show_on_an_encrypted_pdf_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(_pdf("secret"))
    p = subprocess.run(
        [sys.executable, "-m", "monitor", "show", str(path)], capture_output=True, text=True, timeout=60
    )
    assert (
        p.returncode == 2 and p.stderr.count("\n") == 1 and "encrypted" in p.stderr and str(path) in p.stderr
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("隐私政策", "隐私政策"),
        ("Microsoft Word - 菜⻦隐私政策.docx", "菜鸟隐私政策"),
        ("", None),
        (None, None),
    ],
)
def test_the_metadata_title_is_the_page_title(title: str | None, expected: str | None) -> None:
    assert _title(PdfReader(io.BytesIO(_pdf(title=title)))) == expected
