"""monitor.compare.render: the text, markdown and html views of a comparison."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from monitor.compare.comparison import compare
from monitor.compare.render import NO_CHANGES, md_escape, path_label, render
from monitor.document.parse import load, parse
from monitor.model import Change, Clause, Comparison, Document

EVIL = "<script>alert(1)</script> & *bold* | x"

# a CommonMark + GFM tables/strikethrough renderer with raw HTML on: what a ticket system would do
MD = MarkdownIt("commonmark").enable(["strikethrough", "table"])


@pytest.fixture(scope="module")
def jd_text(corpus_dir: Path) -> str:
    return (corpus_dir / "jd-express.txt").read_text(encoding="utf-8")


def _doc(text: str, source: str) -> Document:
    return parse(text.encode("utf-8"), media_type="text", source=source)


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def one_word(jd_text: str, tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    """jd-express.txt with one word changed (派送物品 → 派送包裹), through files like the CLI."""
    d = tmp_path_factory.mktemp("one-word")
    (d / "old.txt").write_text(jd_text, encoding="utf-8")
    (d / "new.txt").write_text(_edit(jd_text, "以及派送物品", "以及派送包裹"), encoding="utf-8")
    cmp = compare(load(d / "old.txt"), load(d / "new.txt"))
    assert [c.kind for c in cmp.changes] == ["modified"]
    return cmp


@pytest.fixture
def two_edits(jd_text: str) -> Comparison:
    new = _edit(jd_text, "以及派送物品", "以及派送包裹")
    new = _edit(new, "我们将在15个工作日内回复您的更正请求", "我们将在30个工作日内回复您的更正请求")
    cmp = compare(_doc(jd_text, "old.txt"), _doc(new, "new.txt"))
    assert len(cmp.changes) == 2
    return cmp


@pytest.fixture
def evil() -> Comparison:
    """Untrusted text everywhere a policy puts text: title, heading (so the path), clause, notes."""
    old = f"{EVIL}隐私政策\n更新日期: 2024年1月1日\n一、{EVIL}\n我们收集您的手机号。\n"
    new = f"{EVIL}隐私政策\n更新日期: 2024年1月1日\n一、{EVIL}\n我们收集您的手机号和{EVIL}。\n"
    cmp = compare(_doc(old, "old.txt"), _doc(new, f"new{EVIL}.txt"))
    assert cmp.changes
    change = cmp.changes[0]
    change.material, change.categories = True, ["processing"]
    change.criteria, change.evidence = [f"criterion {EVIL}"], [f"evidence {EVIL}"]
    cmp.notes = {"declared_changes": [f"declared {EVIL}"]}
    return cmp


# ---------------------------------------------------------------------------------------------
# each format on a real one-word edit


def test_text_word_diff(one_word: Comparison) -> None:
    out = render(one_word, "text")
    assert "\x1b" not in out
    assert "old.txt" in out and "new.txt" in out
    assert "物流隐私政策" in out and "北京京邦达贸易有限公司" in out and "updated 2021-11-29" in out
    assert "1 change (0 added, 0 removed, 1 modified, 0 moved); 0 material" in out
    assert "[-物品-]{+包裹+}" in out
    path = one_word.changes[0].new.path  # type: ignore[union-attr]
    assert f"[1] modified  {path}" in out


def test_text_colour(one_word: Comparison) -> None:
    plain, coloured = render(one_word, "text"), render(one_word, "text", color=True)
    assert "\x1b[31m[-物品-]\x1b[0m" in coloured
    assert "\x1b[32m{+包裹+}\x1b[0m" in coloured
    assert "\x1b[1m" + one_word.changes[0].new.path + "\x1b[0m" in coloured  # type: ignore[union-attr]
    assert "\x1b[33mmodified\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_text_strips_terminal_escapes(jd_text: str) -> None:
    new = _edit(jd_text, "以及派送物品", "以及派送\x1b[2J\x1b]0;pwned\x07物品")
    out = render(compare(_doc(jd_text, "a"), _doc(new, "b")), "text", color=True)
    assert "\x1b[2J" not in out and "\x07" not in out and "\x1b]0" not in out


def test_markdown_report(one_word: Comparison) -> None:
    out = render(one_word, "markdown")
    assert out.startswith("# Policy comparison: 物流隐私政策\n")
    assert "| Material | Added | Removed | Modified | Moved |" in out
    assert "| 0 | 0 | 0 | 1 | 0 |" in out
    assert "~~物品~~**包裹**" in out
    assert "## Criteria (重大变更)" in out and "Source: the policy's own 重大变更 list." in out
    html = MD.render(out)
    assert "<s>物品</s><strong>包裹</strong>" in html
    assert "<table>" in html and "**" not in html and "~~" not in html


def test_html_page(one_word: Comparison) -> None:
    out = render(one_word, "html")
    assert out.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in out
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in out
    assert "<del>物品</del>" in out and "<ins>包裹</ins>" in out
    assert 'href="#change-1"' in out and 'id="change-1"' in out
    # self-contained: no scripts, no external stylesheets, images or fonts
    assert "<script" not in out.lower() and "<link" not in out.lower()
    assert (
        not re.search(r"""(src|href)=["']?(https?:)?//""", out) and "@import" not in out and "url(" not in out
    )
    _well_formed(out)


def test_unknown_format(one_word: Comparison) -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(one_word, "pdf")


# ---------------------------------------------------------------------------------------------
# untrusted text


def test_html_escapes_everything(evil: Comparison) -> None:
    out = render(evil, "html")
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold* | x" in out
    for where in ("criterion ", "evidence ", "declared ", "new"):
        assert f"{where}&lt;script&gt;" in out
    _well_formed(out)


def test_markdown_escapes_everything(evil: Comparison) -> None:
    out = render(evil, "markdown")
    own = re.sub(r"</?sub>", "", out)  # the report's own small print
    assert not re.search(r"(?<!\\)<", own)  # every < of the policy is backslash-escaped
    assert r"\<script\>alert(1)\</script\> \& \*bold\* \| x" in out
    html = MD.render(out)
    assert "<script" not in html  # the renderer passes raw HTML through: nothing of it may be live
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold* | x" in html
    assert "<em>bold</em>" not in html and "<strong>bold</strong>" not in html
    # the pipe in the title/source does not add a column to the versions table
    header = out.split("\n")[out.split("\n").index("| | Old | New |") + 2]
    assert len(re.findall(r"(?<!\\)\|", header)) == 4


@pytest.mark.parametrize(
    "text",
    ["# 标题", "- 列表", "1. 列表", "2) 列表", "+ x", "===", "---", "> 引用", "[链接](http://x)", "![x](y)",
     "[a]: /u", "`code`", "```", "~~~", "$x$", "~~s~~", "_e_", "&amp;", "&#60;", "a\\*b", "<b>x</b>",
     "<!-- c -->", "| a | b |"],
)  # fmt: skip
def test_policy_text_stays_literal(text: str) -> None:
    """Whatever a clause says comes back as the same text, inline or at the start of a line."""
    import html as html_module

    assert MD.render("x " + md_escape(text)) == f"<p>x {html_module.escape(text, quote=False)}</p>\n"
    md = render(_synthetic([(1, "新增"), (0, "\n" + text)]), "markdown")
    quote = MD.render(md).split("<blockquote>")[1].split("</blockquote>")[0]
    assert quote == f"\n<p><strong>新增</strong><br />\n{html_module.escape(text, quote=False)}</p>\n"


def _clause(text: str, path: str = "一、测试 > 1") -> Clause:
    return Clause(marker="1、", title=None, lines=[text], style="num", level=2, path=path)


def _synthetic(diff: list[tuple[int, str]]) -> Comparison:
    doc = _doc("测试隐私政策\n一、测试\n我们收集信息。\n", "x.txt")
    old = "".join(t for op, t in diff if op <= 0)
    new = "".join(t for op, t in diff if op >= 0)
    return Comparison(old=doc, new=doc, changes=[Change("modified", _clause(old), _clause(new), diff=diff)])


def test_markdown_emphasis_next_to_chinese_punctuation() -> None:
    """CommonMark would print ** and ~~ literally around runs that begin or end with punctuation."""
    diff = [
        (0, "我们收集"),
        (1, "(包括"),
        (0, "手机号"),
        (-1, ";"),
        (0, "等"),
        (-1, "。"),
        (1, "*和|"),
        (0, "x"),
    ]
    html = MD.render(render(_synthetic(diff), "markdown"))
    assert "**" not in html and "~~" not in html
    assert html.count("<strong>") == 2 and html.count("<s>") == 2
    assert "<strong>(包括</strong>" in html and "<s>;</s>" in html and "<strong>*和|</strong>" in html


def test_markdown_multiline_diff_keeps_lines_and_markers() -> None:
    diff = [(0, "第一行"), (1, "新增\n- 第二行\n1. 第三行"), (0, "\n末行")]
    md = render(_synthetic(diff), "markdown")
    html = MD.render(md)
    assert "<ul>" not in html and "<ol>" not in html.split("Criteria")[-1].split("</ol>")[-1]
    assert "<strong>新增</strong><br />" in html and "<strong>- 第二行</strong>" in html
    assert "<strong>1. 第三行</strong>" in html and "末行" in html


# ---------------------------------------------------------------------------------------------
# material first, criteria, notes, no changes


def _mark_material(change: Change) -> None:
    change.material = True
    change.categories = ["recipients"]
    change.criteria = ["个人信息共享、转让或公开披露的主要对象发生变化"]
    change.evidence = ["回复期限: 15个工作日 → 30个工作日"]


def test_material_changes_come_first(two_edits: Comparison) -> None:
    first, second = two_edits.changes
    _mark_material(second)
    first.evidence = ["措辞调整 (wording)"]
    p_first, p_second = path_label(first), path_label(second)

    text = render(two_edits, "text")
    assert text.index("Material changes (重大变更): 1") < text.index("Other changes: 1")
    assert text.index(f"[1] modified  {p_second}") < text.index(f"[2] modified  {p_first}")
    assert "categories: recipients" in text and "evidence: 回复期限: 15个工作日 → 30个工作日" in text
    assert "criteria: 个人信息共享、转让或公开披露的主要对象发生变化" in text
    assert "reason: 措辞调整 (wording)" in text

    md = render(two_edits, "markdown")
    assert md.index("## Material changes (重大变更) (1)") < md.index("## Other changes (1)")
    assert md.index(md_escape(p_second)) < md.index(md_escape(p_first))
    assert "**Material change (重大变更): 1 of 2 changes.**" in md
    assert (
        "`recipients`" in md
        and "- Criterion: 个人信息共享" in md
        and "- Evidence: 回复期限: 15个工作日 → 30个工作日" in md
    )
    assert "<sub>Reason: 措辞调整 (wording)</sub>" in md

    html = render(two_edits, "html")
    articles = re.findall(r'<article class="([^"]*)" id="(change-\d+)"', html)
    assert [(("material" in cls), anchor) for cls, anchor in articles] == [
        (True, "change-1"),
        (False, "change-2"),
    ]
    assert html.index("<ins>30</ins>") < html.index("<ins>包裹</ins>")
    assert "<code>recipients</code>" in html and "回复期限: 15个工作日 → 30个工作日" in html
    assert 'class="reason">Reason: 措辞调整 (wording)' in html
    assert "重大变更 Material change: 1 of 2 changes" in html


def test_criteria_and_notes_shown(two_edits: Comparison) -> None:
    two_edits.notes = {"declared_changes": ["新增第三方SDK清单"], "silent_change": {"warning": "日期未更新"}}
    for fmt in ("text", "markdown", "html"):
        out = render(two_edits, fmt)
        out = MD.render(out) if fmt == "markdown" else out
        assert "declared_changes" in out and "新增第三方SDK清单" in out, fmt
        assert "silent_change" in out and "warning: 日期未更新" in out, fmt
    assert two_edits.criteria is not None
    for fmt in ("markdown", "html"):
        out = render(two_edits, fmt)
        assert all(item.text in out for item in two_edits.criteria.items), fmt


def test_default_criteria_labelled(jd_text: str) -> None:
    doc = _doc("测试隐私政策\n一、我们收集的信息\n我们收集您的手机号。\n", "a.txt")
    new = _doc("测试隐私政策\n一、我们收集的信息\n我们收集您的手机号和邮箱。\n", "b.txt")
    cmp = compare(doc, new)
    assert cmp.criteria is not None and cmp.criteria.source == "default"
    assert "the six standard items of GB/T 35273-2020" in render(cmp, "markdown")
    assert "the six standard items of GB/T 35273-2020" in render(cmp, "html")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_changes(jd_text: str, fmt: str) -> None:
    cmp = compare(_doc(jd_text, "a.txt"), _doc(jd_text.replace(",", ","), "b.txt"))
    assert cmp.changes == []
    out = render(cmp, fmt)
    assert NO_CHANGES in out
    assert "modified" not in out.split(NO_CHANGES)[-1] or fmt == "html"


def test_path_labels() -> None:
    a, b = _clause("甲", "一、收集 > 1"), _clause("甲", "二、使用 > 3")
    assert path_label(Change("modified", a, a)) == "一、收集 > 1"
    assert path_label(Change("modified", a, b)) == "一、收集 > 1 → 二、使用 > 3"
    assert path_label(Change("moved", a, a)) == "一、收集 > 1 → 一、收集 > 1"
    assert path_label(Change("added", None, b)) == "二、使用 > 3"
    assert path_label(Change("removed", a, None)) == "一、收集 > 1"
    merged = Change("modified", a, b, old_extra=[_clause("乙", "一、收集 > 2")])
    assert path_label(merged) == "一、收集 > 1 + 一、收集 > 2 → 二、使用 > 3"


def test_real_rewrite_renders(corpus_dir: Path) -> None:
    """A policy rewritten from scratch (liqun 2022 → now): every view renders every change."""
    cmp = compare(load(corpus_dir / "liqun-2022.txt"), load(corpus_dir / "liqun.txt"))
    n = len(cmp.changes)
    assert n > 50
    assert render(cmp, "text").count("\n[") == n
    md = render(cmp, "markdown")
    assert len(re.findall(r"^### \d+\. ", md, flags=re.M)) == n
    rendered = MD.render(md)
    assert "**" not in rendered and "~~" not in rendered
    html = render(cmp, "html")
    assert html.count('<article class="change') == n and html.count('href="#change-') == n
    _well_formed(html)


class _TagChecker(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()


def _well_formed(page: str) -> None:
    checker = _TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids))
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in checker.ids, target


def test_long_unchanged_text_is_elided_in_text_and_markdown(one_word: Comparison) -> None:
    """A one-word edit of a long clause shows the words around it, not the whole clause (html does)."""
    change = one_word.changes[0]
    whole = change.new_text or ""
    assert len(whole) > 600
    for fmt in ("text", "markdown"):
        out = render(one_word, fmt)
        assert "[-物品-]{+包裹+}" in out or "~~物品~~**包裹**" in out
        assert (
            "运输以及派送" in out and "在您下单京小仓服务时" in out
        )  # context either side (a line break between)
        assert "以便京东商城在您使用优惠券进行结算时将优惠券核销" not in out  # far from the edit
        assert "[…]" in out or r"\[…\]" in out
    assert "以便京东商城在您使用优惠券进行结算时将优惠券核销" in render(one_word, "html")


def test_elide_keeps_every_change() -> None:
    from monitor.compare.render import elide

    diff = [(0, "甲" * 200), (-1, "乙"), (0, "丙" * 200), (1, "丁"), (0, "戊" * 10)]
    short = elide(diff, context=20)
    assert [op for op, _ in short] == [0, -1, 0, 1, 0]
    assert short[0][1] == "[…]" + "甲" * 20
    assert short[2][1] == "丙" * 20 + "[…]" + "丙" * 20
    assert short[4][1] == "戊" * 10
    assert elide([(0, "甲" * 500)], context=20) == [(0, "甲" * 40 + "[…]")]


# ---------------------------------------------------------------------------------------------
# every view leads with the privacy facts' delta, then the clause cards

SHARE_OLD = (
    "一、我们如何共享\n我们会与腾讯广告共享您的设备标识符。\n二、如何联系我们\n客服电话:400-606-1088。\n"
)
SHARE_NEW = "一、我们如何共享\n我们会与腾讯广告、巨量引擎共享您的设备标识符。\n二、如何联系我们\n客服电话:400-606-1088。\n"


@pytest.fixture
def new_recipient() -> Comparison:
    return compare(_doc(SHARE_OLD, "old.txt"), _doc(SHARE_NEW, "new.txt"))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_views_lead_with_the_fact_summary(new_recipient: Comparison, fmt: str) -> None:
    out = render(new_recipient, fmt, color=False)
    line = "新增共享对象: 巨量引擎"
    assert line in out and "隐私事实变化" in out
    card = {"text": "[1] modified", "markdown": "### 1. modified", "html": '<article class="change'}[fmt]
    assert card in out
    assert out.index(line) < out.index(card)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_alerts_lead_with_the_fact_summary(new_recipient: Comparison, fmt: str) -> None:
    from monitor.alerts.render import render_alert
    from monitor.compare.comparison import to_json

    result = to_json(new_recipient)
    payload = {
        "event": "policy.changed",
        "id": "a1",
        "operator": {"id": "op", "name": "Op", "url": "http://127.0.0.1/p"},
        "from_version": 1,
        "to_version": 2,
        "detected_at": "2026-12-01T00:00:00+00:00",
        "material": result["material"],
        "categories": result["summary"]["categories"],
        "changes": result.pop("changes"),
        **result,
    }
    out = render_alert(payload, fmt)
    line = "新增共享对象: 巨量引擎"
    assert line in out and "隐私事实变化" in out
    assert out.index(line) < out.index("modified")
