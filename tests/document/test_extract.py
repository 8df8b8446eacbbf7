"""Reading documents: encodings a Chinese site uses, HTML extraction, selectors, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest

from monitor.document.extract import ExtractError, decode, extract, sniff_media_type
from monitor.document.parse import load, parse
from monitor.document.segment import classify
from monitor.model import HEADING_MARK, LINK_MARK

TEXT = "隐私政策\n一、我们如何收集信息\n我们会收集您的手机号码。\n二、如何联系我们\n客服电话：950616。"
TEXT_TW = "隱私政策\n一、我們如何收集資訊\n我們會收集您的手機號碼。\n二、如何聯繫我們\n客服電話：950616。"


def _headings(data: bytes, media_type: str = "text", **kw: str) -> list[str]:
    doc = parse(data, media_type=media_type, **kw)  # type: ignore[arg-type]
    return [c.heading for c in doc.sections if c.heading]


ENCODINGS = [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    ("gb18030", TEXT.encode("gb18030")),
    ("gbk", TEXT.encode("gbk")),
    ("gb2312", TEXT.encode("gb2312")),
    ("big5", TEXT_TW.encode("big5")),
    ("utf-16 with BOM", TEXT.encode("utf-16")),
]


@pytest.mark.parametrize(("name", "data"), ENCODINGS)
def test_text_in_any_encoding(name: str, data: bytes) -> None:
    headings = _headings(data)
    assert len(headings) == 2, name
    assert headings[0].startswith("一、")


@pytest.mark.parametrize("charset", ["gbk", "GB2312", "gb18030", "big5", "utf-8"])
def test_html_meta_charset_wins(charset: str) -> None:
    text = TEXT_TW if charset == "big5" else TEXT
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>{body}</body></html>'
    ex = extract(page.encode(charset, errors="strict"), media_type="html")
    assert ex.lines[1] == text.split("\n")[1]


def test_http_header_charset_and_override() -> None:
    data = TEXT.encode("gbk")
    assert decode(data, media_type="text", header_charset="gbk")[1] == "gb18030"
    assert decode(data, media_type="text", encoding="gb2312")[1] == "gb18030"
    with pytest.raises(ExtractError, match="unknown encoding"):
        decode(data, media_type="text", encoding="no-such-codec")


def test_html_drops_scripts_navigation_and_hidden_text_and_breaks_blocks() -> None:
    page = """<html><head><title>示例 隐私政策</title><style>p{color:red}</style><script>var x='一、不是标题';</script></head>
    <body><nav>首页 | 一、导航</nav><header>页眉</header>
    <div id="policy"><h2>一、我们如何收集信息</h2><p>我们会收集您的<b>手机号码</b>和&lt;设备信息&gt;。<br>第二行&amp;更多</p>
    <ul><li>1、第一项</li><li>2、第二项</li></ul><div hidden>隐藏</div><span style="display:none">也隐藏</span></div>
    <footer>版权所有</footer><!-- 注释 --></body></html>"""
    ex = extract(page.encode("utf-8"), media_type="html")
    assert ex.lines == [
        f"{HEADING_MARK * 2}一、我们如何收集信息",  # a heading element (marked once per level, invisible)
        "我们会收集您的手机号码和<设备信息>。",
        "第二行&更多",
        "1、第一项",
        "2、第二项",
    ]
    assert ex.html_title == "示例 隐私政策"


def test_a_table_cell_is_one_line() -> None:
    """A <br> or a paragraph inside a cell is a space: every row keeps one line per cell (the
    permissions table of 微博图床, tests/real/batch5)."""
    page = (
        "<table><tr><th>权限</th><th>用途说明</th></tr>"
        "<tr><td>contextMenus<br>menus (Firefox)</td><td><p>网页中捕获图片</p><p>右键菜单入口</p></td></tr>"
        "<tr><td>storage</td><td>存储配置信息</td></tr></table><p>一行<br>两行</p>"
    )
    ex = extract(page.encode("utf-8"), media_type="html")
    assert ex.lines == [
        "权限",
        "用途说明",
        "contextMenus menus (Firefox)",
        "网页中捕获图片 右键菜单入口",
        "storage",
        "存储配置信息",
        "一行",
        "两行",
    ]


def test_a_heading_element_is_a_heading_after_a_list() -> None:
    """Privasa (tests/real/batch24): list items end without 。, which in a text file means the line
    runs on into the next; a heading element (<h3>, a Markdown ``###``) after them is a heading all the
    same, its section of its own. The mark it carries stays in a stored version's text, so the version
    read back from the store is the same document."""
    from monitor.store.stored_doc import document_of

    page = (
        "<h2>导出、导入与分享</h2><h3>导入</h3><ul><li>您可以将备份文件导入到应用中</li>"
        "<li>导入过程仅在本地完成,不会将文件内容上传至网络</li></ul>"
        "<h3>分享</h3><ul><li>当您选择分享笔记时,应用会调用系统分享面板</li></ul>"
        "<h2>应用内购买</h2><ul><li>购买交易由 Apple 或 Google 处理</li></ul>"
    )
    doc = parse(page.encode(), media_type="html", source="p")
    titles = [c.title for c in doc.clauses() if c.title]
    assert {"分享", "应用内购买"} <= set(titles), titles
    shared = next(c for c in doc.clauses() if c.title == "分享")
    assert (
        "调用系统分享面板" in shared.full_text
        and "调用系统分享面板" not in next(c for c in doc.clauses() if c.title == "导入").full_text
    )
    ex = extract(page.encode(), media_type="html")
    stored = document_of("p", doc.sha256, "utf-8", "html", None, "\n".join(ex.lines))
    assert [c.full_text for c in stored.clauses()] == [c.full_text for c in doc.clauses()]
    assert stored.sha256 == doc.sha256 and HEADING_MARK not in "".join(c.full_text for c in doc.clauses())
    md = "## 导出、导入与分享\n### 导入\n- 您可以将备份文件导入到应用中\n- 导入过程仅在本地完成\n### 分享\n- 应用会调用系统分享面板\n"
    md_doc = parse(md.encode(), media_type="markdown", source="m")
    assert "分享" in [c.title for c in md_doc.clauses()]


def test_a_page_that_marks_its_headings_marks_them_all() -> None:
    """PingCAP (tests/real/batch18): a Markdown page with ``##`` titles, a table of contents of links
    to them, and short list items (``- 集群相关硬件信息``) that end without 。. The list items are no
    headings: the page marks its headings, so an unmarked short line is body text of the section
    above it. The contents' lines, whose titles come back as heading elements, are a table of
    contents, not sections (which held every real section under the last one, 如何联系我们)."""
    md = (
        "# PingCAP 隐私政策\n\n单击下面的链接跳转到对应内容：\n\n"
        "1. [我们收集的个人信息](#a)\n2. [我们收集的产品遥测数据](#b)\n3. [如何联系我们](#c)\n\n"
        "## 我们收集的个人信息\n\n我们会收集您的姓名和电子邮件地址。\n\n"
        "## 我们收集的产品遥测数据\n\n产品遥测数据包括：\n\n- 集群相关硬件信息\n- 集群相关拓扑信息\n"
        "- 集群使用指标信息\n\n## 如何联系我们\n\n请发送邮件至 legal@example.com。\n"
    )
    doc = parse(md.encode(), media_type="markdown", source="m")
    tops = [c.title for c in doc.sections if c.title]
    assert tops == ["我们收集的个人信息", "我们收集的产品遥测数据", "如何联系我们"], tops
    telemetry = doc.sections[-2]
    assert not telemetry.children and "集群使用指标信息" in telemetry.full_text


@pytest.mark.parametrize("form", ["markdown", "html"])
def test_headings_nest_by_their_level(form: str) -> None:
    """frxiaobei's blog (tests/real/batch13): ``### Google Tag Manager`` is a part of ``## 使用的第三方
    服务``, not a section beside it, and ``## 联系方式`` is a section beside ``## 您的权利``, not a part
    of it, whatever their words; so what the section says (third parties) holds for its parts."""
    parts = [
        (1, "隐私政策"),
        (2, "使用的第三方服务"),
        (3, "Google Tag Manager"),
        (0, "本站使用 Google Tag Manager 管理网站追踪代码。"),
        (3, "Cloudflare"),
        (0, "本站使用 Cloudflare 提供 CDN 加速。"),
        (2, "您的权利"),
        (0, "您有权要求删除您的评论。"),
        (2, "联系方式"),
        (0, "Email: a@example.com"),
    ]
    if form == "markdown":
        body = "\n\n".join(f"{'#' * level} {text}" if level else text for level, text in parts)
    else:
        body = "".join(f"<h{level}>{text}</h{level}>" if level else f"<p>{text}</p>" for level, text in parts)
    doc = parse(body.encode(), media_type=form, source="m")  # type: ignore[arg-type]
    paths = [c.path for c in doc.clauses() if c.title]
    assert paths == [
        "使用的第三方服务",
        "使用的第三方服务 > Google Tag Manag…",
        "使用的第三方服务 > Cloudflare",
        "您的权利",
        "联系方式",
    ], paths


def test_numbered_headings_nest_under_the_marked_ones_above_them() -> None:
    """银河麒麟 (tests/real/holdout10): ``### 一 如何联系我们`` (no 、: no number this reader knows) above
    ``#### 1.收集…`` headings is a heading, at its level: the contact section is no part of the
    numbered part before it, so its channels are the operator's."""
    parts = [
        (1, "银河麒麟操作系统许可协议和隐私政策声明"),
        (2, "最终用户使用许可协议"),
        (3, "一 使用许可"),
        (0, "本软件授权您在一台计算机上使用。"),
        (2, "隐私政策声明"),
        (3, "一 如何收集和使用您的个人信息"),
        (4, "1.收集涉及您的个人信息的情况"),
        (0, "我们收集您的IP地址。"),
        (4, "2.使用涉及您的个人信息的情况"),
        (0, "我们使用您的IP地址连接应用商店。"),
        (3, "二 如何联系我们"),
        (0, "电子邮件: support@kylinos.cn"),
    ]
    body = "\n\n".join(f"{'#' * level} {text}" if level else text for level, text in parts)
    doc = parse(body.encode(), media_type="markdown", source="m")
    paths = [c.path for c in doc.clauses() if c.title]
    assert paths[-1] == "隐私政策声明 > 二如何联系我们", paths
    assert paths[-3:-1] == [
        "隐私政策声明 > 一如何收集和使用您的个人信息 > 1.收集涉及您的个人信息的情况",
        "隐私政策声明 > 一如何收集和使用您的个人信息 > 2.使用涉及您的个人信息的情况",
    ], paths


def test_the_chinese_version_a_language_switch_hides_is_read() -> None:
    """HealthSprout (tests/real/holdout4): the page shows its English version and hides the Chinese one
    until the reader picks it (<div id="zh-content" style="display: none">): the Chinese policy is read;
    other hidden text is not."""
    page = (
        '<div class="lang-content" id="zh-content" style="display: none"><p>我们收集树苗培育记录。</p></div>'
        '<div class="lang-content" id="en-content"><p>We collect tree cultivation records.</p></div>'
        '<div style="display:none">隐藏的提示</div><p lang="zh-CN" style="visibility: hidden">简体中文版</p>'
    )
    lines = extract(page.encode(), media_type="html").lines
    assert lines == ["我们收集树苗培育记录。", "We collect tree cultivation records.", "简体中文版"]


def test_a_page_that_hides_its_body_until_its_script_runs_is_read() -> None:
    """汇火文化 (tests/real/holdout34): <body style="display: none;">, shown by a script once loaded."""
    page = (
        '<html><body class="hide-header" style="display: none;"><p>我们收集您的手机号码。</p></body></html>'
    )
    assert extract(page.encode(), media_type="html").lines == ["我们收集您的手机号码。"]


COMPONENT_SOURCES = [
    # 治点工具箱 (tests/real/batch30): a uni-app page's source, a comment before its <template>
    (
        '/**\n * 隐私政策页面\n */\n<template>\n  <view class="doc-page">\n'
        '    <view class="title">治点工具箱隐私政策</view>\n    <view>一、概述</view>\n'
        "    <view>我们收集您的昵称。</view>\n  </view>\n</template>\n<script setup>\n</script>",
        ["治点工具箱隐私政策", "一、概述", "我们收集您的昵称。"],
    ),
    # 自助贴贴墙 (tests/real/batch26): components that print their text attribute
    (
        '<template><view><view class="title">开发者收集的信息</view>'
        '<fui-text text="1. 开发者收集订单类型、标题与内容。" :size="28"></fui-text>'
        '<fui-text text="2. 当您选择上传图片，开发者会收集您的订单图片。" :size="28"></fui-text>'
        '<fui-text :text="label" text="ok"></fui-text></view></template>',
        [
            "开发者收集的信息",
            "1. 开发者收集订单类型、标题与内容。",
            "2. 当您选择上传图片，开发者会收集您的订单图片。",
        ],
    ),
    # GDPAY (tests/real/batch29): a Vue page whose template loops over its script's data
    (
        '<template><div><p>{{ data.title }}</p><p v-for="line in data.content">{{ line }}</p></div>'
        "</template>\n<script>\nexport default {\n  data() {\n    return { data: {\n"
        "      title: '隐私条款',\n      content: [\n"
        "        'GDPAY（以下称 “公司”）是一家在新加坡注册成立的公司。',\n"
        "        '我们会收集您的手机号码\\'与邮箱\\'。',\n      ] } }\n  }\n}\n</script>",
        [
            "隐私条款",
            "GDPAY（以下称 “公司”）是一家在新加坡注册成立的公司。",
            "我们会收集您的手机号码'与邮箱'。",
        ],
    ),
    # 慧食搭子 (tests/real/batch35): a placeholder is known by its last name, whatever object holds it (a
    # local object, then a store): the page shows the same words
    (
        "<template><view><view>{{ appInfo.companyName }}不会向第三方共享你的个人信息。</view>"
        "<view>{{configInfo . companyName}}仅会在必要期间内保留你的信息。</view></view></template>",
        ["{{companyName}}不会向第三方共享你的个人信息。", "{{companyName}}仅会在必要期间内保留你的信息。"],
    ),
    # 基富通 site clone (tests/real/batch48): a template with a title of its own that loops over its
    # script's items ({{ item.content }}): the script holds the page's words
    (
        "<script setup>\nconst listData = [\n  { content: '個人資料之蒐集來源', sub: [\n"
        "    { content: '當您申請註冊成為本網站之會員時，我們會請您提供姓名、暱稱、住址、電話、電子郵件信箱以及其他可能必要的資料。' },\n"
        "    { content: '本網站會保留您在上網瀏覽或查詢時，由本網站伺服器自行產生的相關記錄，例如您使用連線設備的 IP 位址、使用時間與使用的瀏覽器。' },\n"
        "    { content: '我們不會將您的個人資料提供給第三人，但依法令規定或經您同意者不在此限；如需查詢、更正或刪除，請與客服聯繫。' },\n"
        "    { content: '本網站使用 Cookie 記錄您的偏好設定與瀏覽紀錄，用於改善服務品質；您可以在瀏覽器中設定拒絕 Cookie，但部分功能可能因此無法使用。' },\n"
        "    { content: '您的個人資料將保存至您終止會員資格後五年，保存期間屆滿後本公司將刪除或匿名化處理您的個人資料，法令另有規定者從其規定。' },\n"
        "  ] },\n];\n</script>\n<template><div><h1>隱私權聲明</h1><p>基富通證券股份有限公司(以下簡稱本公司)重視您的隱私權，"
        '請閱讀以下有關隱私權保護政策的更多內容。</p><div v-for="item in listData"><h2>{{ item.content }}</h2>'
        '<p v-for="s in item.sub">{{ s.content }}</p></div></div></template>',
        [
            "個人資料之蒐集來源",
            "當您申請註冊成為本網站之會員時，我們會請您提供姓名、暱稱、住址、電話、電子郵件信箱以及其他可能必要的資料。",
            "本網站會保留您在上網瀏覽或查詢時，由本網站伺服器自行產生的相關記錄，例如您使用連線設備的 IP 位址、使用時間與使用的瀏覽器。",
            "我們不會將您的個人資料提供給第三人，但依法令規定或經您同意者不在此限；如需查詢、更正或刪除，請與客服聯繫。",
            "本網站使用 Cookie 記錄您的偏好設定與瀏覽紀錄，用於改善服務品質；您可以在瀏覽器中設定拒絕 Cookie，但部分功能可能因此無法使用。",
            "您的個人資料將保存至您終止會員資格後五年，保存期間屆滿後本公司將刪除或匿名化處理您的個人資料，法令另有規定者從其規定。",
        ],
    ),
    # 瞬Matataki (tests/real/holdout52): a Vue page that renders its script's markup (v-html="content",
    # content = ['<p>…</p>', …].join('')), read as the page it renders, tags and all
    (
        '<template><div class="main"><div class="title"><button>用户隐私政策</button></div>'
        '<div v-html="content" /></div></template>\n<script>\nexport default {\n  methods: {\n'
        "    init() {\n      this.content = [\n        '<p>上海某某科技有限公司是本平台的运营者。</p>',\n"
        "        '<p><strong>一、我们收集的信息</strong></p>',\n        '<p>我们收集您的手机号码。</p>'\n"
        "      ].join('')\n    }\n  }\n}\n</script>",
        ["上海某某科技有限公司是本平台的运营者。", "一、我们收集的信息", "我们收集您的手机号码。"],
    ),
]


@pytest.mark.parametrize(("page", "lines"), COMPONENT_SOURCES)
def test_a_component_s_source_is_read_as_its_page_shows_it(page: str, lines: list[str]) -> None:
    """A .vue or .wxml source saved as a page: a browser shows nothing of a <template>, but its page
    would show the template, the components' text attributes and the strings it loops over."""
    assert extract(page.encode(), media_type="html").lines == lines


@pytest.mark.parametrize("media_type", ["html", "text"])
def test_a_locale_file_is_read_as_its_strings(media_type: Literal["html", "text"]) -> None:
    """A JSON locale file holding the policy's paragraphs (a site's zh-CN/privacy.json, saved as a page or
    as text) is read as the strings it feeds the page, in order, each line its own; the keys, and values
    without Chinese, are not text. A file that only starts like JSON is read as it is."""
    source = (
        '\ufeff{\n  "privacy": {\n    "title": "隐私政策",\n    "updated": "2026-01-01",\n'
        '    "sections": [\n      {"h": "一、我们收集的信息", "p": ["我们收集您的手机号码。\\n用于登录。"]},\n'
        '      {"h": "二、联系我们", "p": ["请发送邮件至 help@example.com。"]}\n    ]\n  }\n}\n'
    )
    lines = ["隐私政策", "一、我们收集的信息", "我们收集您的手机号码。", "用于登录。", "二、联系我们"]
    assert extract(source.encode(), media_type=media_type).lines == [
        *lines,
        "请发送邮件至 help@example.com。",
    ]
    broken = '{"title": "隐私政策", 我们收集您的手机号码。'
    assert "".join(extract(broken.encode(), media_type=media_type).lines) == broken


def test_a_page_with_a_template_besides_its_text_keeps_its_text() -> None:
    """A page whose own text is long enough is read as a page: the <template> of a widget stays unread."""
    text = "我们收集您的设备信息，用于保障账号安全。" * 12
    page = f"<html><body><p>{text}</p><template><p>模板里的提示</p></template></body></html>"
    assert extract(page.encode(), media_type="html").lines == [text]


def test_a_table_cell_that_repeats_the_title_is_a_cell() -> None:
    """Keeply (tests/real/batch23): the page's <h1> is 隐私政策 and so is the last header cell of its
    table of third parties; the cell is no heading, and the rows stay in 第三方服务."""
    page = (
        "<h1>隐私政策</h1><p>最后更新:2026 年 4 月 4 日</p><h2>我们不收集的数据</h2><p>我们不收集密码。</p>"
        "<h2>第三方服务</h2><table><tr><th>服务</th><th>共享数据</th><th>隐私政策</th></tr>"
        "<tr><td>Keygen.sh</td><td>许可证密钥、哈希机器指纹</td><td>链接</td></tr></table>"
        "<h2>联系我们</h2><p>电子邮件:hello@keeply.work</p>"
    )
    doc = parse(page.encode(), media_type="html", source="p")
    assert [c.title for c in doc.sections if c.title] == ["我们不收集的数据", "第三方服务", "联系我们"]
    assert "哈希机器指纹" in doc.sections[-2].full_text


def test_a_cell_spanning_rows_is_in_each_row() -> None:
    """233乐园内购SDK (tests/real/batch17): the SDK's name spans the rows of its permissions, and a
    purpose spans two permissions. Each row gets the cell, so that every row has all its cells."""
    page = (
        "<table><tr><th>SDK名称</th><th>权限</th><th>是否必选</th><th>用途和目的</th></tr>"
        "<tr><td rowspan='3'>233乐园内购SDK</td><td>存储</td><td>可选</td><td rowspan='2'>保存录屏</td></tr>"
        "<tr><td>麦克风</td><td>可选</td></tr><tr><td>相机</td><td>必选</td><td>扫码</td></tr>"
        "<tr><td colspan='4'>注:以上权限均可关闭</td></tr></table>"
    )
    rows = extract(page.encode(), media_type="html").lines[4:]
    assert rows == [
        *("233乐园内购SDK", "存储", "可选", "保存录屏"),
        *("233乐园内购SDK", "麦克风", "可选", "保存录屏"),
        *("233乐园内购SDK", "相机", "必选", "扫码"),
        "注:以上权限均可关闭",
    ]


def test_a_row_below_a_span_left_short_takes_the_cells_above() -> None:
    """233乐园内购SDK (tests/real/batch17): two permissions were added under the SDK's name without
    raising its rowspan (9 for 11 rows), and the next version raised it. Both versions read the same:
    a row with fewer cells than the rows above takes its first cells from the row above."""
    rows = "<tr><td>相机</td><td>必选</td></tr><tr><td>前台权限</td><td>可选</td></tr>"
    table = "<table><tr><th>SDK名称</th><th>权限</th><th>是否必选</th></tr>{}</table>"
    short = table.format(f"<tr><td rowspan='2'>233乐园内购SDK</td><td>存储</td><td>可选</td></tr>{rows}")
    fixed = table.format(f"<tr><td rowspan='3'>233乐园内购SDK</td><td>存储</td><td>可选</td></tr>{rows}")
    assert (
        extract(short.encode(), media_type="html").lines == extract(fixed.encode(), media_type="html").lines
    )
    assert extract(short.encode(), media_type="html").lines[-3:] == ["233乐园内购SDK", "前台权限", "可选"]


def test_selector_picks_the_container() -> None:
    page = "<html><body><div class='side'>一、无关内容</div><div id='policy'><p>一、我们如何收集信息</p></div></body></html>"
    assert extract(page.encode(), media_type="html", selector="#policy").lines == ["一、我们如何收集信息"]
    with pytest.raises(ExtractError, match="matches nothing"):
        extract(page.encode(), media_type="html", selector="#nothing")


def test_undecodable_bytes_are_an_error() -> None:
    with pytest.raises(ExtractError):
        extract(bytes(range(256)) * 4, media_type="text")


# one line per numbering style: (line, style, heading?)
STYLES = [
    ("第一部分 定义", "part", True),
    ("第三章 附则", "part", True),
    ("附件一:《账户注销须知》", "appendix", True),
    ("一、我们如何收集信息", "cn", True),
    ("十二、联系我们", "cn", True),
    ("、适用范围", "lost", True),
    ("(一)共享", "paren_cn", True),
    ("（二）转让", "paren_cn", True),
    ("1.我们如何收集您的个人信息", "num", True),
    ("1、实现网上购物所必须的功能", "num", True),
    ("1．账户信息", "num", True),
    ("１．全角编号", "num", True),
    ("1.1 向您提供产品与/或服务", "dec2", True),
    ("3.1.10 为完成订单支付,您需要提供支付宝账号。", "dec3", False),
    ("8.2.1.1 如果菜鸟处理个人信息的行为违反法律法规;", "dec4", False),
    ("(1)京东账号密码登录:您按照《京东注册协议》注册。", "paren_num", False),
    ("（1）在您注册并使用云聚账号后", "paren_num", True),
    ("1)供应商、服务提供商和其他合作伙伴。", "num_paren", False),
    ("①授权登录", "circled", True),
    ("(a)当您在注册云聚账号时", "alpha", True),
    ("（a）全角字母编号", "alpha", True),
    ("【审慎阅读】", "bracket", True),
    ("- 定位功能。当您开启设备定位功能时", "bullet", False),
    ("• 圆点列表项", "bullet", True),
    ("- (一)与国家安全、国防安全有关的;", "paren_cn", False),
    ("1为实现您联机体验的需求", "weak", True),
    ("2022年8月29日修订", None, False),
    ("15个工作日内回复", None, False),
    ("1.2)的运营者或服务提供者", None, False),
    ("第十二条列菜鸟联系方式", None, False),
]


@pytest.mark.parametrize(("line", "style", "heading"), STYLES)
def test_numbering_styles(line: str, style: str | None, heading: bool) -> None:
    parsed = classify(line)
    assert parsed.style == style
    if style is not None:
        assert parsed.heading is heading


def test_bullet_alone_on_its_line_joins_the_next_line() -> None:
    doc = parse("三、例外\n-\n获得您明确同意后;\n-\n基于法律的披露。".encode(), media_type="text")
    (section,) = [s for s in doc.sections if s.heading]
    assert [c.text for c in section.children] == ["获得您明确同意后;", "基于法律的披露。"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("policy.pdf", b"%PDF-1.4", "truncated PDF"),
        ("policy.docx", b"PK\x03\x04", "unknown document type"),
        ("garbage.txt", bytes(range(256)) * 4, "cannot decode"),
        ("empty.html", b"<html><body><script>x</script></body></html>", "no text found"),
        # DanXi (tests/real/holdout54): a policy page turned into a redirect stub says where it goes
        (
            "stub.html",
            b'<meta http-equiv="refresh" content="0;url=/#privacy">',
            "no text found (the page only sends the browser on, to /#privacy)",
        ),
    ],
)
def test_show_errors_are_one_line_exit_2(tmp_path: Path, name: str, data: bytes | None, message: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    p = _cli("show", str(path))
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and message in p.stderr and str(path) in p.stderr


def test_show_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(
        f"<html><head><meta charset='gbk'></head><body><pre>{TEXT}</pre></body></html>".encode("gbk")
    )
    text = _cli("show", str(path))
    assert text.returncode == 0 and "一、我们如何收集信息" in text.stdout and "gb18030" in text.stdout
    doc = load(path)
    assert doc.encoding == "gb18030"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", "application/octet-stream", "html"),
        (b"<html><body>x</body></html>", None, "html"),
        (b"<html><body>x</body></html>", "text/plain; charset=utf-8", "text"),
        (b"## 1. collect\n\n- a\n- b\n\n## 2. share\n", "text/plain", "markdown"),
        (b"# policy", "text/markdown; charset=utf-8", "markdown"),
        (b"\xe9\x9a\x90\xe7\xa7\x81\xe6\x94\xbf\xe7\xad\x96\n", None, "text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "pdf"),
        (b"%PDF-1.4\n", "text/html", "pdf"),
        (b"<html><body>x</body></html>", "application/pdf", "html"),
    ],
)
def test_media_type_is_sniffed_from_header_then_body(
    body: bytes, content_type: str | None, expected: str
) -> None:

    assert sniff_media_type(body, content_type) == expected


def test_a_policy_inside_the_page_header_is_read() -> None:
    """A landing-page template that holds the whole policy in its <header> (nadomnogo, tests/real/
    holdout17): without the chrome next to nothing is left, so the chrome is read; a page whose text
    is outside it keeps dropping it, however short that text."""
    policy = "".join(
        f"<p>第{i}条 我们会收集您的手机号码,用于登录和找回账号,不会向第三方提供。</p>" for i in range(8)
    )
    page = f"<html><body><header><h2>隐私政策</h2>{policy}</header><footer>版权所有</footer></body></html>"
    lines = extract(page.encode(), media_type="html").lines
    assert lines[0] == f"{HEADING_MARK * 2}隐私政策" and len(lines) == 10 and lines[-1] == "版权所有"
    short = "<html><body><header>页眉</header><p>一、我们收集手机号码。</p><footer>版权所有</footer></body></html>"
    assert extract(short.encode(), media_type="html").lines == ["一、我们收集手机号码。"]


@pytest.mark.parametrize(
    ("encoded", "shown"),
    [
        # VAS (tests/real/batch24): the page as Cloudflare served it, then the address written out
        ("0b65647d6a4b72647e79787d6a78256a7b7b", "nova@yoursvas.app"),
        ("zz", "[email protected]"),  # not hex: the placeholder stays, nothing is guessed
        ("", "[email protected]"),
    ],
)
def test_an_address_hidden_by_cloudflare_is_read_as_written(encoded: str, shown: str) -> None:
    html = (
        '<html><body><p>如有任何隐私相关问题,请联系:<a href="/cdn-cgi/l/email-protection#c6">'
        f'<span class="__cf_email__" data-cfemail="{encoded}">[email&#160;protected]</span></a></p></body></html>'
    )
    doc = parse(html.encode("utf-8"), media_type="html", source="x.html")
    assert shown in "\n".join(line for c in doc.clauses() for line in c.lines)


@pytest.mark.parametrize(
    ("link", "line"),
    [
        # Amumur (tests/real/batch25): the button shows a label, its target is the contact address
        ('<a href="mailto:support@amumur.com">📧 邮箱</a>', "📧 邮箱 (support@amumur.com)"),
        ('<a href="mailto:a%40b.com?subject=%E9%9A%90%E7%A7%81">写信</a>', "写信 (a@b.com)"),
        ('<a href="MAILTO:a@b.com">A@B.com</a>', "A@B.com"),  # the label shows it: read once
        ('<a href="mailto://a@b.com">a@b.com</a>', "a@b.com"),  # a common slip of Markdown links
        ('<a href="tel:+86-10-1234-5678">客服电话</a>', "客服电话 (+86-10-1234-5678)"),
        ('<a href="tel:010-12345678">010 1234 5678</a>', "010 1234 5678"),
        # a page: its URL is no address; kept beside the text, between marks (document/links.py)
        (
            '<a href="https://a.example/contact">联系我们</a>',
            f"联系我们{LINK_MARK}https://a.example/contact{LINK_MARK}",
        ),
        ('<a href="mailto:">邮箱</a>', "邮箱"),
        # Keeply (tests/real/batch23): a decoy a stylesheet hides from readers, not from harvesters
        (
            '<a href="mailto:hello@keeply.work">hello@<span class="e-decoy">null.</span>keeply.work</a>',
            "hello@keeply.work",
        ),
    ],
)
def test_a_link_to_write_or_call_is_read_with_its_address(link: str, line: str) -> None:
    html = f"<html><body><p>{link}</p></body></html>"
    assert extract(html.encode("utf-8"), media_type="html").lines == [line]


def test_a_mini_program_page_s_views_are_blocks() -> None:
    """A WeChat mini-program's page (.wxml, or a uni-app .vue page) builds its blocks of <view>, not of
    <div> or <p>: each is a line (关系说明书, tests/real/batch26), not one line for the whole page."""
    page = (
        '<view class="page"><view class="title">隐私说明</view>'
        '<view class="item"><text class="no">03</text><text>如何删除</text></view>'
        "<view>可以只退出匹配池并删除匿名档案。</view></view>"
    )
    lines = extract(page.encode("utf-8"), media_type="html").lines
    assert lines == ["隐私说明", "03如何删除", "可以只退出匹配池并删除匿名档案。"]


def test_links_side_by_side_are_two_words() -> None:
    """A footer's column of links (…@gmail.com</a><a>GitHub</a>, laid out by CSS) is not one word: the
    address would run into the next link's text; a link inside a sentence keeps its neighbours."""
    page = (
        '<p>联系我们<a href="mailto:app@gmail.com">app@gmail.com</a><a href="https://github.com/x">GitHub</a></p>'
        '<p>请阅读<a href="/p">隐私政策</a>。</p>'
    )
    doc = parse(page.encode(), media_type="html")
    assert [(c.heading, c.text) for c in doc.clauses()] == [
        ("联系我们app@gmail.com GitHub", "请阅读隐私政策。")
    ]


def test_a_read_only_text_area_is_read_as_the_text_it_shows() -> None:
    """穀得遊戲 (tests/real/holdout42): the whole policy in a <textarea readonly>, one line a paragraph;
    a text area to fill in (a feedback form's) is still no text of the page."""
    page = (
        '<html><body><div><textarea readonly rows="26">本《隱私政策》主要向您說明：\n\n'
        "我們收集您的手機號碼。</textarea></div>"
        '<p>意见反馈</p><textarea placeholder="请输入">草稿</textarea></body></html>'
    )
    assert extract(page.encode(), media_type="html").lines == [
        "本《隱私政策》主要向您說明：",
        "我們收集您的手機號碼。",
        "意见反馈",
    ]


def test_the_chrome_is_dropped_but_for_its_lines_that_give_an_e_mail_address() -> None:
    """Shengri (tests/real/holdout11): the app's only contact address is in the page's <footer>; the
    footer's other lines, and a header's menu, stay out of the policy's text. A selector keeps to
    what it selects."""
    page = (
        "<html><body><header><p>首页 | 关于</p></header><main><h1>隐私政策</h1><p>我们不收集个人信息。</p>"
        "</main><footer><p>© 2025 Shengri App</p><p>Shengri App | Contact: iosshengri@gmail.com</p></footer>"
        "</body></html>"
    )
    assert extract(page.encode(), media_type="html").lines == [
        f"{HEADING_MARK}隐私政策",
        "我们不收集个人信息。",
        "Shengri App | Contact: iosshengri@gmail.com",
    ]
    assert "iosshengri" not in " ".join(extract(page.encode(), media_type="html", selector="main").lines)


def test_a_hidden_field_a_script_renders_is_read_as_markdown() -> None:
    """心率监测仪 (tests/real/batch7): the policy as Markdown in <input type="hidden" value="…">, which the
    page's script renders (showdown); a short hidden field (a token) is still no text of the page."""
    policy = "心率监测仪为您提供最佳的用户体验。" * 20
    page = (
        '<html><body><div id="content"></div><input type="hidden" name="csrf" value="令牌">'
        f'<input type="hidden" id="data" value="\n\n**1.6** **信息安全**\n\n{policy}\n\n* 收集什么样的数据\n">'
        "<script>document.getElementById('content').innerHTML = new showdown.Converter().makeHtml("
        "document.getElementById('data').value);</script></body></html>"
    )
    assert extract(page.encode(), media_type="html").lines == ["1.6 信息安全", policy, "收集什么样的数据"]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (  # Blophy (tests/real/batch36): a JSX page whose <style/> holds its CSS in an attribute
            'export default function Privacy() {\n  return <div>\n    <style media="all" '
            'dangerouslySetInnerHTML={{ __html: "p.Standard {margin-left:0} a > b {color:red}" }} />\n'
            '    <p>我们重视您的隐私。</p><script src="x.js"/><p>我们收集您的昵称。</p>\n  </div>\n}',
            ["我们重视您的隐私。", "我们收集您的昵称。"],
        ),
        ("<style>p {color: red}</style><p>我们重视您的隐私。</p>", ["我们重视您的隐私。"]),
    ],
)
def test_a_self_closing_style_or_script_swallows_nothing(source: str, shown: list[str]) -> None:
    lines = extract(source.encode(), media_type="html").lines
    assert [line for line in lines if "我们" in line] == shown and not any("margin" in x for x in lines)


ASTRO = (
    "---\nimport Layout from '../../layouts/Layout.astro';\nimport Header from '../../components/Header.astro';\n"
    "const lastUpdated = new Date().toLocaleDateString('zh-CN', { year: 'numeric' });\n---\n\n"
    '<Layout title="隐私政策" lang="zh">\n  <Header lang="zh" currentPath="/zh/privacy" />\n  <main>\n'
    "    <h1>隐私政策</h1>\n    <p>我们不会自动收集个人信息。本网站不使用cookies或分析跟踪。</p>\n"
    "    <p>如果您通过电子邮件联系我们,我们只会收到您选择提供的信息。</p>\n  </main>\n  <FooterZh />\n</Layout>\n"
)


PHP_LANGUAGE_FILE = (
    "<?php\n// | This file is part of the gallery. |\n"
    "$lang['privacy_geo'] = '如果您希望更改我们的访问权限，您可以在设备设置中进行更改。';\n"
    "$lang['privacy_storage'] = '应用程序仅存储数据以满足一个目的：访问您的图库。';\n"
)
TS_MODULE = (
    'export const legalContent_zh = {\n  privacyTitle: "隐私政策",\n  privacy: [\n'
    '    { title: "内容权利", content: "动画元数据和图像由 AniList 或原始版权所有者所有。" },\n'
    '    { title: "数据收集", content: "本应用不会收集或存储任何个人信息。" },\n'
    '    { title: "第三方登录", content: "本应用使用 AniList 的 OAuth2 进行身份验证。\\n详细信息请参见：'
    '<https://anilist.co/privacy>" }\n  ]\n};\nexport default legalContent_zh;\n'
)


def test_a_module_of_code_is_read_as_the_strings_it_feeds_its_page() -> None:
    """Piwigo (tests/real/holdout58): a PHP language file, whose <?php an HTML parser took for a tag
    swallowing the text up to the first '>', is read as its strings; AniFlow (holdout58): a TypeScript
    module whose autolinks (<https://…>) made it look like a page, read as one line of code, dropped as
    page furniture for its 版权, and so as no text at all, likewise (by parse, where the page reading
    found nothing)."""
    lines = extract(PHP_LANGUAGE_FILE.encode(), media_type="html").lines
    assert lines == [
        "如果您希望更改我们的访问权限，您可以在设备设置中进行更改。",
        "应用程序仅存储数据以满足一个目的：访问您的图库。",
    ]
    texts = [c.text for c in parse(TS_MODULE.encode(), media_type="html").clauses()]
    assert "本应用不会收集或存储任何个人信息。" in "".join(texts) and "export" not in "".join(texts)


ASTRO_DATA = (
    "---\nimport Layout from '../../layouts/Layout.astro';\nconst sections = [\n"
    "  { title: '1. 我们收集的信息', body: '当您通过本站表单咨询时，我们会收集您的姓名、邮箱和咨询内容。' },\n"
    "  { title: '5. 联系我们', body: '東栄創産グループ株式会社 / info@example.com / 埼玉县越谷市八丁目8番地125号' },\n];\n---\n\n"
    '<Layout title="隐私政策">\n  {sections.map((s) => (<div class="block"><h2>{s.title}</h2><p>{s.body}</p></div>))}\n'
    "</Layout>\n<style>.block { margin-bottom: 2.5rem; }</style>\n"
)


@pytest.mark.parametrize("media_type", ["markdown", "text", "html"])
def test_an_astro_page_whose_text_is_in_its_code_fence_is_read_from_it(media_type: str) -> None:
    """東栄創産 (tests/real/batch53, its .astro source stored as .txt): the page's sections are strings of
    the component's code fence, which Markdown took for YAML front matter and dropped."""
    lines = extract(ASTRO_DATA.encode(), media_type=media_type).lines  # type: ignore[arg-type]
    assert "5. 联系我们" in lines and any("info@example.com" in line for line in lines)
    assert not any("import" in line or "sections.map" in line for line in lines)


def test_a_page_whose_script_holds_a_few_strings_is_no_module() -> None:
    page = (
        "<html><body><h1>隐私政策</h1><p>我们收集您的昵称，用于展示您的资料。我们不会向第三方提供。</p>"
        "<script>const tip = '已复制';</script></body></html>"
    )
    assert (
        extract(page.encode(), media_type="html").lines[-1]
        == "我们收集您的昵称，用于展示您的资料。我们不会向第三方提供。"
    )


def test_an_astro_component_is_read_without_its_code_and_its_components_closed() -> None:
    """L M Precision (tests/real/batch54): an Astro page's code fence is no text of the page, and its
    self-closing <Header … /> left open by a parser held the whole page as the page's header."""
    lines = extract(ASTRO.encode(), media_type="html").lines
    assert [line.lstrip(HEADING_MARK) for line in lines] == [
        "隐私政策",
        "我们不会自动收集个人信息。本网站不使用cookies或分析跟踪。",
        "如果您通过电子邮件联系我们,我们只会收到您选择提供的信息。",
    ]


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        (  # a mini-program page whose items are broken by {"\n"} (PromptVault, tests/real/batch28)
            '<view class="section-body">\n  ❌ 不要你的位置权限\n  {"\\n"}❌ 不收集你的设备信息\n'
            '  {"\\n\\n"}不点 = 完全不会出现广告。\n</view>',
            ["❌ 不要你的位置权限", "❌ 不收集你的设备信息", "不点 = 完全不会出现广告。"],
        ),
        ("<div>你好{'\\n'}世界</div>", ["你好", "世界"]),
        ("<div>路径 C:\\\\new 不是换行</div>", ["路径 C:\\\\new 不是换行"]),
    ],
)
def test_a_line_break_written_as_an_expression_breaks_the_line(source: str, lines: list[str]) -> None:
    shown = [ln.strip() for ln in extract(source.encode(), media_type="html").lines if ln.strip()]
    assert shown == lines
