"""Numbers and names that are not about personal information (batch9 of tests/real): a free trial that
went from 7 to 90 days, a language menu naming 日本語, a policy kept as Markdown in a .txt file."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.compare import signals
from monitor.compare.comparison import compare
from monitor.document.parse import load, parse

HEAD = "隐私政策\n"


def flagged(old: str, new: str) -> list[tuple[list[str], list[str]]]:
    a, b = (parse((HEAD + t).encode(), media_type="text", source=s) for t, s in ((old, "old"), (new, "new")))
    return [(c.categories, c.evidence) for c in compare(a, b).changes if c.material]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("购买后可享受7天免费试用,试用期结束后自动续费。", "购买后可享受90天免费试用,试用期结束后自动续费。"),
        ("每位用户可领取一次优惠券,有效期一个月。", "每位用户可领取两次优惠券,有效期7天。"),
    ],
)
def test_a_number_outside_personal_information_is_no_change(old: str, new: str) -> None:
    assert flagged(old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "category"),
    [
        ("我们会将您的日志信息保存6个月。", "我们会将您的日志信息保存24个月。", "processing"),
        ("我们每天最多收集3次您的位置数据。", "我们每天最多收集30次您的位置数据。", "processing"),
    ],
)
def test_a_number_about_personal_information_still_counts(old: str, new: str, category: str) -> None:
    found = flagged(old, new)
    assert found and category in found[0][0], found


def test_what_the_product_is_for_is_no_purpose() -> None:
    """经历·Farewell (tests/real/holdout4): 本软件主要用于媒体等内容的便捷展示, a disclaimer's words on the
    app, is no use of information; 用于 after information is one."""
    old = "我们采取了加密等措施保护您的个人信息。"
    assert flagged(old, old + "注意:本软件主要用于媒体等内容的便捷展示,不对信息丢失负责。") == []
    found = flagged(old, old + "我们会将您的通讯录信息用于推荐好友。")
    assert found and "processing" in found[0][0], found


def test_abroad_said_in_other_words_is_no_new_destination() -> None:
    """沁园 (tests/real/holdout4): 您所居住国家以外的服务器 → 境外的服务器: a transfer abroad before and
    after, no country named; a country named is one."""
    old = "我们可能将您的个人信息转移存储至您所居住国家以外的服务器。"
    assert flagged(old, "我们可能将您的个人信息转移存储至境外的服务器。") == []
    found = flagged(old, "我们可能将您的个人信息转移存储至新加坡的服务器。")
    assert found and "processing" in found[0][0], found


def test_a_language_or_a_name_is_no_place() -> None:
    assert signals.facts("- [日本語 (Japanese)](#japanese)").places == frozenset()
    assert signals.facts("您的信息将传输至日本的服务器").places == {"日本"}
    # a place in the product's or the operator's own name is no destination (合交链香港, tests/real/batch30)
    assert signals.facts("希望你在使用「合交链香港」及相关服务前仔细阅读").places == frozenset()
    assert signals.facts("合交链香港(以下简称「我们」)深知个人信息对你的重要性").places == frozenset()
    assert signals.facts("我们会将您的信息传输至「香港」的服务器").places == {"香港"}


MARKDOWN = """# 隐私政策

## 1. 信息收集

我们收集您的昵称。

## 5. 用户权利

- **数据访问权**: 您有权要求我们提供您的个人数据的副本。
"""


def test_a_txt_file_of_markdown_source_is_read_as_markdown(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_text(MARKDOWN, encoding="utf-8")
    clauses = {c.path: c.lines for c in load(path).clauses()}
    assert clauses["5.用户权利"] == ["数据访问权: 您有权要求我们提供您的个人数据的副本。"], clauses


def test_a_use_the_user_must_not_make_is_no_purpose() -> None:
    """不得用于广告跳过 (Thanox, tests/real batch10): what the user must not do is no use of information."""
    disclaimer = "本应用提供的组件管理功能仅供开发测试用途;不得用于广告跳过等其他任何用途,否则由您自己负责。"
    assert flagged("我们收集您的设备型号。", "我们收集您的设备型号。\n" + disclaimer) == []
    assert signals.purpose_phrases("我们会将您的浏览记录用于广告投放等用途") == {"用于广告投放等用途"}


def test_a_reversed_sentence_naming_a_third_party_is_about_that_party() -> None:
    """My Spelling Game (tests/real/holdout30): 网站不使用 Google AdSense → 网站使用 Google AdSense is
    a recipient taken on, not a new way of processing."""
    found = flagged("广告\n网站不使用 Google AdSense。", "广告\n网站使用 Google AdSense。")
    assert found and found[0][0] == ["recipients"], found


def test_taking_information_made_optional_is_a_change_of_how_it_is_processed() -> None:
    """謎之輸入法 (tests/real/batch60): a clipboard history kept always, then only once the user turns it
    on (預設關閉, 僅在您主動開啟…後才會記錄), is processed another way; a feature made optional that takes
    nothing is not."""
    old = "本機資料\n剪貼簿歷史：剪貼簿功能會在本機記錄最近複製的文字，不上傳。"
    new = "本機資料\n剪貼簿歷史（預設關閉）：僅在您主動開啟「剪貼簿歷史」後，才會在本機記錄最近複製的文字，不上傳。"
    found = flagged(old, new)
    assert found and found[0][0] == ["processing"], found
    assert flagged("外观\n深色模式可随时切换。", "外观\n深色模式默认关闭，可随时切换。") == []


def test_location_taken_is_a_type_of_information_but_not_where_denied() -> None:
    """Silive (tests/real/holdout32): a section added that takes 位置信息 is a new type processed; Organic
    Maps (tests/real/batch23): a sentence that says it never collects any 位置信息 takes none."""
    old = "信息收集\n我们收集你的昵称。"
    found = flagged(old, old + "\n位置信息\n当你选择附近门店时,我们会在你授权后获取位置信息。")
    assert found and "新增个人信息类型: 位置信息" in found[0][1], found
    denied = old + "\n承诺\nOrganic Maps 不进行追踪:绝不会从你的设备中收集任何位置信息、统计数据或个人数据。"
    assert flagged(old, denied) == []
