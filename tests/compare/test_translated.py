"""A clause translated from English into Chinese (a translation site's page whose English paragraphs
were translated at last: Apache Flink, Privacy Guides) states the same facts in other words: it is no
change, unless the translation brings a channel the English did not give."""

from __future__ import annotations

import pytest

from monitor.compare import fact_findings
from monitor.compare.comparison import compare
from monitor.document.normalize import norm
from monitor.document.parse import parse
from tests.helpers.real_pairs import documents

HEAD = "隐私政策\n"
ENGLISH = (
    "Information about your use of this website is collected using server access logs, such as your "
    "IP address, operating system and the time of access. We do this to understand which pages are "
    "important. It can only be accessed by PMC members and members of the Apache Privacy committee."
)
CHINESE = (
    "我们使用服务器访问日志收集您使用本网站的信息,例如您的IP地址、操作系统和访问时间。这样做是为了了解哪些页面"
    "对我们的用户来说很重要。只有PMC成员和Apache隐私委员会成员可以访问这些信息。"
)


def flagged(old: str, new: str) -> list[tuple[list[str], list[str]]]:
    a, b = (parse((HEAD + t).encode(), media_type="text", source=s) for t, s in ((old, "old"), (new, "new")))
    return [(c.categories, c.evidence) for c in compare(a, b).changes if c.material]


def test_a_translated_clause_is_no_change() -> None:
    assert flagged(ENGLISH, CHINESE) == []


@pytest.mark.parametrize("channel", ["privacy@flink.example.org", "400-123-4567"])
def test_a_new_channel_in_a_translation_is_still_news(channel: str) -> None:
    found = flagged(ENGLISH, CHINESE + f"如有疑问,请联系{channel}。")
    assert [cats for cats, _ in found] == [["contact"]], found


def test_chinese_on_both_sides_is_judged_as_before() -> None:
    """Not a translation: a type of information added to a Chinese clause is news."""
    found = flagged(CHINESE, CHINESE.replace("操作系统", "操作系统、通讯录"))
    assert found and "processing" in found[0][0]


def test_an_english_sentence_translated_inside_an_english_clause_is_no_change() -> None:
    """The edit itself is a translation: English deleted, Chinese inserted, in a clause that stays
    mostly English (Privacy Guides zh-Hant, tests/real/batch7)."""
    rest = " We keep the logs for thirty days and delete them afterwards, unless the law requires otherwise."
    translated = CHINESE + rest
    assert flagged(ENGLISH + rest, translated) == []


def test_a_sentence_deleted_is_no_translation() -> None:
    """A deletion with nothing inserted is judged as before (a third-party SDK's record removed)."""
    old = (
        CHINESE
        + "\n第三方SDK名称:Shiply专业版SDK,提供方:深圳市腾讯计算机系统有限公司,链接:https://shiply.tds.qq.com/"
    )
    assert flagged(old, CHINESE)


def _doc(*sections: str) -> str:
    return "\n".join(
        f"{i}. {title}\n{body}"
        for i, (title, body) in enumerate(zip(sections[::2], sections[1::2], strict=True), 1)
    )


NOTE = "本页面的中文翻译正在进行中,尚未翻译的段落以英文原文显示,如有出入,以英文原文为准。"


def test_a_clause_added_in_chinese_to_a_page_whose_translation_has_begun_is_no_change() -> None:
    """An English page with a few Chinese lines gains whole clauses in Chinese: the translation goes
    on; an English policy with no Chinese, replaced by a Chinese one, is judged clause by clause."""
    added = CHINESE.replace("操作系统", "通讯录")
    assert (
        flagged(
            _doc("隐私声明", NOTE, "Logs", ENGLISH), _doc("隐私声明", NOTE, "Logs", ENGLISH, "日志", added)
        )
        == []
    )
    assert flagged(
        _doc("Privacy", ENGLISH, "Logs", ENGLISH), _doc("Privacy", ENGLISH, "Logs", ENGLISH, "日志", added)
    )


@pytest.mark.parametrize(
    ("old", "new", "retold"),
    [
        # BestHistory (tests/real/batch25): the English notice replaced by its Chinese translation
        (
            "BestHistory uses Supabase for accounts and Amazon SES for e-mail. Questions: besthistory@126.com",
            "如果你选择登录,BestHistory 会使用 Supabase 处理账户认证和权益数据,使用 Amazon SES 发送认证邮件;"
            "这些服务只处理账户和邮件投递流程所需的数据,不处理或保存用户的浏览历史。隐私问题请发邮件至"
            "besthistory@126.com",
            True,
        ),
        # Websoft9 (tests/real/holdout): another company's Chinese policy names what the English did not
        (
            "Websoft9 Inc. collects your e-mail address. Contact: support@websoft9.com",
            "长沙网久软件有限公司收集您的电子邮件地址。联系方式:help@huawei.com,详见 aboutcookies.org",
            False,
        ),
        # a Chinese policy with no name in Latin letters: nothing shows it is the same one
        ("Websoft9 Inc. collects your e-mail address.", "我们收集您的电子邮件地址和手机号码。", False),
    ],
)
def test_a_chinese_policy_in_place_of_an_english_one_is_its_translation_when_it_names_nothing_new(
    old: str, new: str, retold: bool
) -> None:
    from monitor.compare.fact_findings import retold as is_retold
    from monitor.compare.flows import han_share
    from monitor.document.normalize import norm

    a, b = norm(old), norm(new)
    assert is_retold(a, b, han_share(a), han_share(b)) is retold


def test_an_english_policy_translated_whole_is_no_change() -> None:
    """BestHistory (tests/real/batch25): every section added in Chinese states what the English did."""
    cmp = compare(*documents("batch25", "besthistory--2026-08-20--2026-08-20"))
    assert not cmp.material, [(c.categories, c.evidence) for c in cmp.changes if c.material]


def test_a_translation_put_before_the_english_policy_is_no_change() -> None:
    """FIRE-Now (tests/real/holdout10): a Chinese translation prepended to the unchanged English policy
    (a fifth of the page's letters Chinese), its last section run into the English heading after it."""
    cmp = compare(*documents("holdout10", "fire-now--2025-03-11--2025-03-11"))
    assert not cmp.material, [(c.categories, c.evidence) for c in cmp.changes if c.material]


def test_an_english_policy_that_adds_chinese_of_its_own_is_no_translation() -> None:
    """The English kept, a Chinese section added that names what the English never did: news."""
    english = (
        "# Privacy Policy\n\nWe collect your e-mail address to send receipts. We do not share it. "
        "Contact: help@example.com\n"
    )
    chinese = "# 隐私政策\n\n我们使用 Umeng SDK 统计使用情况,并与 Bytedance Ads 共享设备标识符。联系:help@example.com\n\n"
    old, new = (parse(t.encode(), media_type="markdown", source="c") for t in (english, chinese + english))
    assert compare(old, new).material


def test_an_operator_a_translation_names_anew_is_still_news() -> None:
    """RollBall (tests/real/holdout12): an English preamble, read as a translation of the Chinese
    policy, names as "we" a company the old version never named (Shiguozia Inc, where 佳峰 was "we"):
    a new operator is news in any language."""
    cmp = compare(*documents("holdout12", "shiguozia-rollball--2022-09-07--2022-09-07"))
    found = [(c.categories, c.evidence) for c in cmp.changes if c.material]
    assert found == [(["controller"], ["新增运营主体: shiguozia inc (开头)"])], found


@pytest.mark.parametrize(
    ("finding", "old_text", "want"),
    [
        (("controller", "新增运营主体: shiguozia inc (开头)"), "佳峰公司及旗下各关联品牌", True),
        (("controller", "新增运营主体: shiguozia inc (开头)"), "本应用由shiguozia inc运营", False),
        (("controller", "新增运营主体: shiguozia inc (开头)"), "本应用由Shiguozia Inc运营", False),
        # an operator a translation cut out is named by the old text (TanCloud, tests/real/batch6)
        (("controller", "删除运营主体: mianyang tancloud technology co (十、)"), "MianYang TanCloud", False),
        (("recipients", "新增共享对象: umami (开头)"), "佳峰公司", False),
    ],
)
def test_only_an_operator_the_old_text_never_names_is_news_in_a_translation(
    finding: tuple[str, str], old_text: str, want: bool
) -> None:
    assert fact_findings.new_operator(finding, norm(old_text)) is want
