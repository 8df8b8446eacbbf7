"""Clause-level comparison on every corpus policy: layout never shows, real edits show exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.compare.comparison import compare, to_json
from monitor.document.parse import parse
from monitor.model import Comparison, Document
from tests.helpers.corpus import CORPUS_FILES, corpus_text
from tests.helpers.edits import (
    add_whitespace,
    flip_width,
    insert_line_after,
    replace_once,
    rewrap,
    swap_lines,
    to_html,
)
from tests.helpers.real_pairs import documents

# For each policy: two list items to swap, a line after which a new clause is inserted (with the path
# the new clause must get), and one word to change.
EDITS = {
    "yunju.txt": {
        "swap": (
            "（6）让您参与有关我们产品及服务的调查；",
            "（7）解决您手机在使用过程中可能存在的软件缺陷；",
        ),
        "insert_after": "（8）购买货物保险。",
        "insert": "（9）向您推荐合作伙伴的保险产品。",
        "insert_path": "我们如何使用您的个人信息 > (9)",
        "word": ("我们将在15天内核实并处理您反馈的问题", "15天", "30天"),
    },
    "jiapin.txt": {
        "swap": ("1、在法定情形下的共享", "2、在获取明确同意的情况下共享"),
        "insert_after": "6、涉及商业秘密的。",
        "insert": "7、响应您的请求将危害我们业务安全的。",
        "insert_path": "第二部分隐私权政策 > 五、您如何管理您的信息 > (六)响应您的上述请求 > 7",
        "word": ("我们将在15天内做出答复", "15天", "30天"),
    },
    "jd-express.txt": {
        "swap": ("(2)您使用京东快递服务时向您推送短消息通知;", "(3)在京东快递微信小程序或APP上进行公告。"),
        "insert_after": "(3)在京东快递微信小程序或APP上进行公告。",
        "insert": "(4)通过电子邮件向您发送通知。",
        "insert_path": "9.本政策如何更新 > 9.2 > (4)",
        "word": ("我们将在15个工作日内回复您的更正请求", "15个工作日", "30个工作日"),
    },
    "cainiao.txt": {
        "swap": ("5.4.4 出于维护您或其他个人的生命", "5.4.5 您自行向社会公众披露的个人信息;"),
        "insert_after": "5.4.6 从合法披露的信息中收集个人信息的",
        "insert": "5.4.7 与个人信息控制者履行法律法规规定的义务相关的。",
        "insert_path": "五、菜鸟如何共享、转让、披露信息 > 5.4 > 5.4.7",
        "word": ("菜鸟建议您,在使用菜鸟用户端各项服务前", "菜鸟建议您", "菜鸟提醒您"),
    },
    "onewo.txt": {
        "swap": ("- (九)为合法的新闻报道所必需的", "- (十一)法律法规规定的其他情形。"),
        "insert_after": "- (十一)法律法规规定的其他情形。",
        "insert": "- (十二)与国家安全、国防安全直接相关的。",
        "insert_path": "三、征得授权同意的例外 > (十二)",
        "word": ("我们将15个工作日回复您的访问请求", "15个工作日", "10个工作日"),
    },
    "liqun.txt": {
        "swap": ("(7)基于学术研究而使用;", "(8)基于符合法律法规的社会公共利益而使用。"),
        "insert_after": "(8)基于符合法律法规的社会公共利益而使用。",
        "insert": "(9)基于您与第三方之间的约定而使用。",
        "insert_path": "三、我们如何共享、转让、公开披露您的… > (一)共享 > 1 > (9)",
        "word": ("我们将在15个工作日内回复", "15个工作日", "20个工作日"),
    },
    "liqun-2022.txt": {
        "swap": ("6、让您参与有关我们产品及服务的调查", "7、经您同意或授权的其他用途。"),
        "insert_after": "7、经您同意或授权的其他用途。",
        "insert": "8、为您提供会员积分服务。",
        "insert_path": "二、我们对您个人信息的管理和使用 > 8",
        "word": ("利群网商严格保护您的个人信息安全", "严格", "认真"),
    },
}


def test_edits_cover_the_corpus() -> None:
    assert sorted(EDITS) == CORPUS_FILES


def _doc(text: str, name: str = "x.txt") -> Document:
    return parse(text.encode("utf-8"), media_type="text", source=name)


def _cmp(old: str, new: str) -> Comparison:
    return compare(_doc(old), _doc(new))


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_unchanged_copy_gives_no_change(name: str) -> None:
    text = corpus_text(name)
    assert _cmp(text, text).changes == []


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_width_wrapping_and_blank_lines_give_no_change(name: str) -> None:
    text = corpus_text(name)
    # 45: a width no corpus line already has (a line within two characters of the wrap width that ends
    # mid-sentence cannot be told from a wrapped piece; see normalize.unwrap)
    edited = flip_width(rewrap(add_whitespace(text, seed=7), 45))
    assert edited != text
    assert _cmp(text, edited).changes == []


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_html_with_other_scripts_and_markup_gives_no_change(name: str) -> None:
    text = corpus_text(name)
    a = parse(to_html(text, variant=1).encode("utf-8"), media_type="html", source="a.html")
    b = parse(to_html(text, variant=4).encode("utf-8"), media_type="html", source="b.html")
    assert compare(a, b).changes == []
    assert compare(_doc(text), b).changes == []


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_two_swapped_list_items_are_moves_only(name: str) -> None:
    text = corpus_text(name)
    first, second = EDITS[name]["swap"]
    changes = _cmp(text, swap_lines(text, first, second)).changes
    assert changes
    assert {c.kind for c in changes} == {"moved"}
    assert not any(c.material for c in changes)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_an_inserted_clause_is_one_added_entry_at_its_path(name: str) -> None:
    text = corpus_text(name)
    e = EDITS[name]
    changes = _cmp(text, insert_line_after(text, e["insert_after"], e["insert"])).changes
    added = [c for c in changes if c.kind == "added"]
    assert len(added) == 1, [(c.kind, c.new.path if c.new else c.old.path if c.old else "") for c in changes]
    assert added[0].new is not None and added[0].new.path == e["insert_path"]
    assert [c for c in changes if c.kind != "added"] == []


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_a_one_word_edit_is_one_modified_entry_with_that_word(name: str) -> None:
    text = corpus_text(name)
    context, old_word, new_word = EDITS[name]["word"]
    edited = replace_once(text, context, context.replace(old_word, new_word))
    changes = _cmp(text, edited).changes
    assert [c.kind for c in changes] == ["modified"]
    edits = [(op, t) for op, t in changes[0].diff if op != 0]
    assert "".join(t for op, t in edits if op == -1) in old_word
    assert "".join(t for op, t in edits if op == 1) in new_word
    assert len(edits) == 2


def test_renumbering_a_list_in_another_style_is_moves_only() -> None:
    text = corpus_text("jd-express.txt")
    edited = text
    for n, circled in zip("123456", "①②③④⑤⑥", strict=True):
        marker = f"({n})"
        start = edited.index("9.3 本政策所指的重大变更包括但不限于:")
        at = edited.index(marker, start)
        edited = edited[:at] + circled + edited[at + len(marker) :]
    changes = _cmp(text, edited).changes
    assert [c.kind for c in changes] == ["moved"] * 6
    assert [c.new.marker for c in changes if c.new] == list("①②③④⑤⑥")


def test_split_clause_is_one_modification() -> None:
    """A numbered item split in two (the second half renumbered 6) is one modified entry, not an add."""
    text = corpus_text("liqun-2022.txt")
    line = next(ln for ln in text.split("\n") if ln.startswith("5、我们会对我们的服务使用情况进行统计"))
    head, _, tail = line.partition("。")
    edited = text.replace(line, f"{head}。\n6、{tail}")
    changes = _cmp(text, edited).changes
    modified = [c for c in changes if c.kind == "modified"]
    assert len(modified) == 1
    assert not [c for c in changes if c.kind in ("added", "removed")]
    assert modified[0].new_extra, "the second half is reported with the first"


def test_liqun_real_revision_produces_a_report() -> None:
    cmp = _cmp(corpus_text("liqun-2022.txt"), corpus_text("liqun.txt"))
    data = to_json(cmp)
    assert data["material"] is True
    assert data["summary"]["modified"] + data["summary"]["added"] + data["summary"]["removed"] > 20
    assert {"processing", "recipients", "rights", "contact"} <= set(data["summary"]["categories"])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True, timeout=120
    )


def test_compare_cli_json_matches_the_contract(tmp_path: Path) -> None:
    text = corpus_text("jd-express.txt")
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(replace_once(text, "拨打客服电话950616。", "拨打客服电话4006065500。"), encoding="utf-8")
    p = _run("compare", str(old), str(new), "--format", "json", "--exit-code")
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert set(data) >= {"old", "new", "criteria", "material", "changes", "summary"}
    assert set(data["old"]) >= {"source", "sha256", "title", "operator", "updated", "effective", "clauses"}
    (change,) = data["changes"]
    assert set(change) >= {
        "kind",
        "old_path",
        "new_path",
        "old_text",
        "new_text",
        "diff",
        "material",
        "categories",
    }
    assert change["categories"] == ["contact"]
    assert change["criteria"] == ["我们负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化时"]
    assert [-1, "950616"] in change["diff"] and [1, "4006065500"] in change["diff"]
    assert data["summary"] == {
        "added": 0,
        "removed": 0,
        "modified": 1,
        "moved": 0,
        "material": 1,
        "categories": {"contact": 1},
    }
    same = _run("compare", str(old), str(old), "--exit-code")
    assert same.returncode == 0


def test_compare_cli_errors_are_one_line(tmp_path: Path) -> None:
    p = _run("compare", str(tmp_path / "missing.txt"), str(tmp_path / "other.txt"))
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "missing.txt" in p.stderr and "Traceback" not in p.stderr


def test_a_list_item_merged_into_the_line_before_it_is_no_removal() -> None:
    """A list item read as a clause of its own (a heading, no lines) whose words the new version has
    in another clause went nowhere: it was merged (KOOK, tests/real: - 仅允许使用…访问 KOOK 的 API)."""
    old, new = documents("batch14", "kook-developer--2022-06-30--2024-01-29")
    evidence = [e for c in compare(old, new).changes for e in c.evidence]
    assert not [e for e in evidence if "仅允许使用" in e], evidence


def test_table_cells_of_numbers_stay_apart() -> None:
    """A cell holding a bare number is no list number of the cell after it (1 | 10000 is not 110000)."""
    md = "# 政策\n\n## 限制\n\n| 限制项 | 未实名认证 | 已实名认证 |\n| --- | --- | --- |\n| 服务器数量 | 1 | 10000 |\n"
    doc = parse(md.encode(), media_type="markdown")
    texts = [t for c in doc.clauses() for t in ([c.title] if c.title else []) + c.lines]
    assert "110000" not in texts and "10000" in texts
