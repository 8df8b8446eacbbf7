"""The clause tree and metadata of every corpus policy, against what a reader sees in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor.document.normalize import norm
from monitor.document.parse import document_to_json, load, parse
from monitor.model import Clause, Document
from tests.helpers.corpus import CORPUS, CORPUS_FILES, corpus_text
from tests.helpers.edits import to_html

EXPECTED = yaml.safe_load(
    (Path(__file__).parent / "data" / "corpus_expectations.yaml").read_text(encoding="utf-8")
)


def test_expectations_cover_the_whole_corpus() -> None:
    assert len(CORPUS_FILES) == 7
    assert sorted(EXPECTED) == CORPUS_FILES


def _doc(name: str) -> Document:
    return parse((CORPUS / name).read_bytes(), media_type="text", source=name)


def _key(heading: str | None) -> str | None:
    return None if heading is None else norm(heading)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_top_level_sections(name: str) -> None:
    doc = _doc(name)
    assert [_key(s.heading) for s in doc.sections] == [_key(h) for h in EXPECTED[name]["sections"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_children(name: str) -> None:
    doc = _doc(name)
    by_heading = {_key(c.heading): c for c in doc.clauses()}
    for parent, children in (EXPECTED[name].get("children") or {}).items():
        clause = by_heading[_key(parent)]
        assert [_key(c.heading) for c in clause.children if c.heading and c.title] == [
            _key(h) for h in children
        ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(name: str) -> None:
    doc, want = _doc(name), EXPECTED[name]
    assert (doc.title, doc.operator, doc.updated, doc.effective) == (
        want["title"],
        want["operator"],
        want["updated"],
        want["effective"],
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_criteria_items(name: str) -> None:
    doc, want = _doc(name), EXPECTED[name]
    assert len(doc.criteria_items) == want["criteria_count"]
    if want["criteria_count"]:
        assert doc.criteria_items[0] == want["criteria_first"]
        assert doc.criteria_items[-1] == want["criteria_last"]


def test_declared_changes() -> None:
    assert _doc("jd-express.txt").declared_changes == EXPECTED["jd-express.txt"]["declared"]


def test_cainiao_has_twelve_numbered_sections() -> None:
    headed = [s for s in _doc("cainiao.txt").sections if s.heading is not None]
    assert len(headed) == 12


@pytest.mark.parametrize("name", ["jiapin.txt", "liqun.txt"])
def test_table_of_contents_gives_no_empty_duplicates(name: str) -> None:
    doc = _doc(name)
    seen: dict[str, Clause] = {}
    for c in doc.clauses():
        if c.title:
            key = norm(c.title)
            assert key not in seen, f"duplicate heading {c.heading!r} at {c.path} and {seen[key].path}"
            seen[key] = c
    # the contents lines stay in the text (nothing is lost) but are not headings
    texts = "".join(c.norm for c in doc.clauses())
    assert norm("我们如何使用Cookie和同类技术") in texts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_paths_are_unique_and_stable(name: str) -> None:
    doc = _doc(name)
    paths = [c.path for c in doc.clauses()]
    assert len(paths) == len(set(paths))
    assert paths == [c.path for c in _doc(name).clauses()]
    for c in doc.clauses():
        if c.parent is not None:
            assert c.path.startswith(c.parent.path + " > ")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_text_is_lost(name: str) -> None:
    """Every character of the policy (but page furniture) is in some clause."""
    doc = _doc(name)
    everything = "".join(norm(c.heading or "") + norm(c.text) for c in doc.clauses())
    source = norm(corpus_text(name))
    assert len(everything) >= 0.97 * len(source)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sentences(name: str) -> None:
    doc = _doc(name)
    for c in doc.clauses():
        sentences = c.sentences
        assert norm("".join(sentences)) == norm(c.text)
        assert all(s[-1] in "。;；!！?？" for s in sentences[:-1])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_same_tree_from_text_utf8_html_and_gbk_html(name: str) -> None:
    text = corpus_text(name)
    as_text = _shape(_doc(name))
    utf8 = parse(to_html(text, variant=1).encode("utf-8"), media_type="html", source=name)
    assert _shape(utf8) == as_text
    try:
        gbk_bytes = to_html(text, variant=2, charset="gbk").encode("gbk")
    except UnicodeEncodeError:  # a character outside GBK: the page would declare GB18030
        gbk_bytes = to_html(text, variant=2, charset="gb18030").encode("gb18030")
    gbk = parse(gbk_bytes, media_type="html", source=name)
    assert _shape(gbk) == as_text
    assert gbk.encoding == "gb18030"


def _shape(doc: Document) -> list[tuple[str, str]]:
    return [(c.path, c.norm) for c in doc.clauses()]


def test_show_json_matches_the_contract() -> None:
    data = document_to_json(_doc("jd-express.txt"))
    for key in ("source", "sha256", "title", "operator", "updated", "effective", "criteria", "sections"):
        assert key in data
    assert data["criteria"]["source"] == "policy"
    first = data["sections"][0]
    assert set(first) == {"heading", "path", "text", "children"}
    assert first["heading"] is None


@pytest.mark.parametrize(
    ("second_line", "headed"),
    [
        ("6.4条的描述关闭相关功能。本产品不涉及自动化决策。", False),  # jd-express, hard-wrapped at 61
        ("6.4 条 的描述关闭相关功能。", False),
        ("6.4 条件与限制", True),  # a heading whose title starts with 条
        ("6.4 关闭营销消息", True),
    ],
)
def test_a_wrapped_reference_to_a_clause_heads_no_clause(second_line: str, headed: bool) -> None:
    text = f"6.3 营销\n如果您不想收到营销消息,您可以通过本政策第\n{second_line}\n"
    doc = parse(text.encode("utf-8"), media_type="text", source="x.txt")
    paths = [c.path for c in doc.clauses()]
    assert (len(paths) == 2) is headed, paths


@pytest.mark.parametrize(
    ("source", "shown", "hidden"),
    [
        (  # a component's source kept as .txt (M直播, tests/real/batch41)
            '<template>\n  <div style="margin-right: 35%" @click="goBack"><img src="back.png" /></div>\n'
            '  <section class="article"><p>M直播重视个人信息保护。</p></section>\n</template>\n'
            "<script>\nexport default { name: 'Privacy' }\n</script>\n",
            "M直播重视个人信息保护。",
            "margin-right",
        ),
        (
            "<!DOCTYPE html>\n<html><body><p>我们重视您的隐私。</p></body></html>\n",
            "我们重视您的隐私。",
            "<p>",
        ),
        (
            "# 隐私政策\n\n## 一、收集\n\n- 我们重视您的**隐私**。\n- [联系我们](https://example.cn)\n",
            "我们重视您的隐私。",
            "**",
        ),
    ],
)
def test_a_txt_file_of_markup_is_read_as_its_source_shows(
    tmp_path: Path, source: str, shown: str, hidden: str
) -> None:
    path = tmp_path / "policy.txt"
    path.write_text(source, encoding="utf-8")
    text = "\n".join(c.text for c in load(path).clauses())
    assert shown in text and hidden not in text, text


def test_a_page_file_without_one_tag_is_read_as_text(tmp_path: Path) -> None:
    """A .html file that holds no markup at all (小浩然's app, tests/real/holdout17: the Cocoa HTML Writer
    markup stripped, the policy's lines left) keeps its lines, as the same text as .txt does."""
    source = "隐私政策\n本应用尊重并保护所有使用服务用户的个人隐私权。\n1. 适用范围\na) 在您注册本应用帐号时，您提供的个人注册信息；\n"
    page, text = tmp_path / "policy.html", tmp_path / "policy.txt"
    page.write_text(source, encoding="utf-8")
    text.write_text(source, encoding="utf-8")
    clauses = [(c.heading, c.text) for c in load(page).clauses()]
    assert ("1.适用范围", "") in clauses and ("a)", "在您注册本应用帐号时，您提供的个人注册信息；") in clauses
    assert clauses == [(c.heading, c.text) for c in load(text).clauses()]
