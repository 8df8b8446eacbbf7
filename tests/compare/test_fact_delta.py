"""Deltas of two inventories of privacy facts (monitor.compare.fact_delta).

The same text in other markup, or with its sections reordered, merged or split, gives an empty
delta; a new SDK row, a longer time limit or a new hotline gives one change each.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from monitor.compare.fact_delta import FactChange, delta, summary_lines
from monitor.compare.fact_findings import self_names
from monitor.document.facts import Facts, facts_of
from monitor.document.parse import load, parse
from monitor.model import Comparison, Document
from tests.helpers.corpus import CORPUS
from tests.helpers.real_pairs import documents

SDK_ROW = "| 友盟统计SDK | 友盟同欣（北京）科技有限公司 | 统计分析 | 设备标识符（IMEI/OAID） |"

SECTIONS = {
    "intro": [
        "隐私政策",
        "更新日期:2023年5月1日",
        "本政策仅适用于北京京邦达贸易有限公司及其关联公司(以下或称“我们”)提供的产品与/或服务。",
    ],
    "collect": [
        "一、我们如何收集和使用您的个人信息",
        "1.1 当您注册账号时,您需要向我们提供手机号码、昵称和登录密码。",
        "1.2 当您使用附近门店功能时,我们会请求定位权限,收集您的位置信息用于推荐附近门店。",
    ],
    "share": [
        "二、我们如何共享您的个人信息",
        "2.1 我们需要将您的订单号和交易金额与支付机构共享以完成支付。",
        "2.2 第三方SDK目录",
        "| SDK名称 | 提供方 | 使用目的 | 收集的个人信息 |",
        "|---|---|---|---|",
        SDK_ROW,
    ],
    "rights": [
        "三、您的权利",
        "3.1 更正您的个人信息:您有权要求我们更正您的个人信息,我们将在15个工作日内回复您的更正请求。",
        "3.2 注销账户:您可以通过“我的-设置-注销账号”注销您的账号。",
    ],
    "keep": [
        "四、我们如何保存您的个人信息",
        "我们在中华人民共和国境内收集和产生的个人信息,将存储在中华人民共和国境内。",
        "我们仅在实现目的所需的最短期限内保留您的个人信息。",
    ],
    "contact": [
        "五、如何联系我们",
        "如您有任何疑问,您可以拨打客服热线400-606-1088或发送邮件至privacy@jdl.com与我们联系。",
    ],
}
ORDER = ["intro", "collect", "share", "rights", "keep", "contact"]


def text_of(sections: dict[str, list[str]], order: list[str] = ORDER) -> str:
    return "\n".join(line for name in order for line in sections[name])


def facts(text: str) -> Facts:
    return facts_of(parse(text.encode("utf-8"), media_type="text", source="case"))


def as_html(text: str) -> str:
    """The same text as a page: paragraphs, and the Markdown table as an HTML table."""
    body: list[str] = []
    rows: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("|"):
            if not set(line) <= set("|-: "):
                rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if rows:
            body.append(_table(rows))
            rows = []
        tag = "h2" if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else "p"
        body.append(f"<{tag}>{html.escape(line)}</{tag}>")
    if rows:
        body.append(_table(rows))
    return "<html><head><title>隐私政策</title></head><body><div>" + "".join(body) + "</div></body></html>"


def _table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


BASE = text_of(SECTIONS)


def _edited(name: str, old: str, new: str) -> dict[str, list[str]]:
    sections = {k: list(v) for k, v in SECTIONS.items()}
    sections[name] = [line.replace(old, new) for line in sections[name]]
    return sections


def _reordered() -> str:
    sections = {k: list(v) for k, v in SECTIONS.items()}
    sections["share"][0] = sections["share"][0].replace("二、", "三、")
    sections["rights"][0] = sections["rights"][0].replace("三、", "二、")
    return text_of(sections, ["intro", "collect", "rights", "contact", "keep", "share"])


def _merged() -> str:
    """四 and 五 become one section; 1.1 and 1.2 one paragraph."""
    sections = {k: list(v) for k, v in SECTIONS.items()}
    sections["collect"][1:3] = [sections["collect"][1] + sections["collect"][2].removeprefix("1.2 ")]
    sections["keep"][0] = "四、我们如何保存您的个人信息及如何联系我们"
    sections["contact"] = sections["contact"][1:]
    return text_of(sections)


def _split() -> str:
    """一 split in two sections (收集 / 使用); 三's items under sub-headings of their own."""
    sections = {k: list(v) for k, v in SECTIONS.items()}
    first, second = sections["collect"][1], sections["collect"][2]
    sections["collect"] = [
        "一、我们如何收集您的个人信息",
        first,
        "二、我们如何使用您的个人信息",
        second.replace("1.2", "2.1"),
    ]
    sections["rights"] = [
        "三、您的权利",
        "(一)更正",
        sections["rights"][1].removeprefix("3.1 "),
        "(二)注销",
        sections["rights"][2].removeprefix("3.2 "),
    ]
    return text_of(sections)


@pytest.mark.parametrize(
    ("name", "variant"),
    [
        ("reordered", _reordered),
        ("merged", _merged),
        ("split", _split),
        ("html", lambda: as_html(BASE)),
        ("sdk renamed, same provider", lambda: BASE.replace("友盟统计SDK", "友盟+ U-App统计SDK")),
        ("wrapped in other white space", lambda: BASE.replace("。", "。\n").replace(",", ", ")),
    ],
)
def test_same_facts_is_empty_delta(name: str, variant: object) -> None:
    text = variant() if callable(variant) else ""
    new = (
        facts_of(parse(text.encode("utf-8"), media_type="html", source="v"))
        if name == "html"
        else facts(text)
    )
    changes = delta(facts(BASE), new)
    assert changes == [], summary_lines(changes)


def test_base_has_every_category() -> None:
    assert set(facts(BASE).counts()) == {"controller", "processing", "recipients", "rights", "contact"}


def only(changes: list[FactChange]) -> FactChange:
    assert len(changes) == 1, summary_lines(changes)
    return changes[0]


def test_new_sdk_row_is_an_added_recipient() -> None:
    row = "| 极光推送SDK | 深圳市和讯华谷信息技术有限公司 | 消息推送 | 设备标识符 |"
    new = BASE.replace(SDK_ROW, SDK_ROW + "\n" + row)
    provider, name = delta(facts(BASE), facts(new))
    assert (provider.change, provider.category, provider.kind) == ("added", "recipients", "sdk")
    assert provider.value == "深圳市和讯华谷信息技术有限公司"
    assert provider.new is not None and provider.new.attr("sdk_name") == "极光推送SDK"
    assert (name.change, name.category, name.kind, name.value) == (
        "added",
        "recipients",
        "sdk_name",
        "极光推送SDK",
    )
    assert summary_lines([provider, name]) == [
        "新增第三方SDK提供方: 深圳市和讯华谷信息技术有限公司 (2.2)",
        "新增第三方SDK: 极光推送SDK (2.2)",
    ]


UMENG_PUSH = "| 友盟推送SDK | 友盟同欣（北京）科技有限公司 | 消息推送 | 设备标识符 |"


@pytest.mark.parametrize(
    ("old_rows", "new_rows", "expected"),
    [
        # a provider's second SDK removed: the provider stays, the SDK went
        ([SDK_ROW, UMENG_PUSH], [SDK_ROW], [("removed", "sdk_name", "友盟推送SDK")]),
        ([SDK_ROW], [SDK_ROW, UMENG_PUSH], [("added", "sdk_name", "友盟推送SDK")]),
        # renamed in its row, same provider: no change
        ([SDK_ROW], [SDK_ROW.replace("友盟统计SDK", "友盟+ U-App统计SDK")], []),
        # reordered rows: no change
        ([SDK_ROW, UMENG_PUSH], [UMENG_PUSH, SDK_ROW], []),
    ],
    ids=["second-sdk-removed", "second-sdk-added", "renamed", "reordered"],
)
def test_sdk_rows_of_one_provider(
    old_rows: list[str], new_rows: list[str], expected: list[tuple[str, ...]]
) -> None:
    old = BASE.replace(SDK_ROW, "\n".join(old_rows))
    new = BASE.replace(SDK_ROW, "\n".join(new_rows))
    assert [(c.change, c.kind, c.value) for c in delta(facts(old), facts(new))] == expected


def test_named_recipients_added() -> None:
    new = text_of(
        _edited(
            "share",
            "与支付机构共享以完成支付。",
            "与支付机构共享以完成支付。我们会与巨量引擎、腾讯广告共享您的设备标识符。",
        )
    )
    changes = delta(facts(BASE), facts(new))
    assert [(c.change, c.kind, c.value) for c in changes] == [
        ("added", "recipient", "巨量引擎"),
        ("added", "recipient", "腾讯广告"),
    ]
    assert summary_lines(changes) == ["新增共享对象: 巨量引擎、腾讯广告 (2.1)"]


def test_longer_time_limit_is_a_changed_right() -> None:
    new = text_of(_edited("rights", "15个工作日", "30个工作日"))
    change = only(delta(facts(BASE), facts(new)))
    assert (change.change, change.category, change.kind, change.value) == (
        "changed",
        "rights",
        "time_limit",
        "更正",
    )
    assert change.old is not None and change.old.attr("limit") == "15个工作日"
    assert change.new is not None and change.new.attr("limit") == "30个工作日"
    assert summary_lines([change]) == ["响应时限变更: 更正 15个工作日 → 30个工作日 (3.1)"]


def test_time_limit_in_chinese_numerals_is_the_same() -> None:
    new = text_of(_edited("rights", "15个工作日", "十五个工作日"))
    assert delta(facts(BASE), facts(new)) == []


def test_new_hotline_is_a_contact_change() -> None:
    new = text_of(_edited("contact", "400-606-1088", "400-612-3999"))
    changes = delta(facts(BASE), facts(new))
    assert [(c.change, c.category, c.kind, c.value) for c in changes] == [
        ("removed", "contact", "phone", "4006061088"),
        ("added", "contact", "phone", "4006123999"),
    ]
    assert summary_lines(changes) == ["联系方式变更: 4006061088 → 4006123999 (五、)"]


def test_hotline_written_without_hyphens_is_no_change() -> None:
    new = text_of(_edited("contact", "400-606-1088", "4006061088"))
    assert delta(facts(BASE), facts(new)) == []


def test_removed_type_and_permission() -> None:
    new = text_of(
        _edited(
            "collect", "1.2 当您使用附近门店功能时,我们会请求定位权限,收集您的位置信息用于推荐附近门店。", ""
        )
    )
    new = new.replace("手机号码、昵称和登录密码", "手机号码和登录密码")
    changes = delta(facts(BASE), facts(new))
    assert {(c.change, c.kind, c.value) for c in changes} == {
        ("removed", "pi_type", "昵称"),
        ("removed", "pi_type", "位置信息"),
        ("removed", "permission", "位置"),
    }
    assert "删除个人信息类型: 位置信息、昵称 (1.2)" in summary_lines(changes)


def test_zhang_hao_spelling_is_no_new_type() -> None:
    new = BASE.replace("注册账号", "注册帐号")
    assert delta(facts(BASE), facts(new)) == []


# ---------------------------------------------------------------------------------------------
# a real pair of versions: 利群网商 2022 → current

HERE = Path(__file__).resolve()


def _corpus(name: str) -> Path:
    return CORPUS / f"{name}.txt"


def test_liqun_2022_to_current() -> None:
    old, new = facts_of(load(_corpus("liqun-2022"))), facts_of(load(_corpus("liqun")))
    changes = {(c.change, c.category, c.kind, c.value) for c in delta(old, new)}
    assert ("added", "contact", "email", "dzsw@iliqun.com") in changes
    assert ("added", "recipients", "recipient", "腾讯bugly") in changes
    assert ("added", "controller", "entity", "利群集团青岛电子商务有限公司") in changes
    assert not any(c[1] == "contact" and c[0] == "removed" for c in changes)  # 4006888688 stays


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        # one version calls the operator by a name where the other says 我们
        (
            '以下统称"凡事摘要"或"林中小圣")一向',
            '以下统称"凡事摘要"或"我们")一向',
            {"凡事摘要", "林中小圣", "我们"},
        ),
        ('(以下简称"京东"或"我们")', '(以下简称"京东"或"我们")', {"京东", "我们"}),
        # a definition of the user is not the operator
        ('(以下统称"用户"或"您")', '(以下统称"用户"或"您")', set()),
        ("我们会收集您的手机号码。", "我们会收集您的手机号码。", set()),
    ],
    ids=["renamed", "same", "the-user", "no-definition"],
)
def test_self_names(old: str, new: str, names: set[str]) -> None:
    assert self_names(old, new) == names


def test_the_issue_s_alipay_row_renamed_is_no_change() -> None:
    """The SDK row of the issue: 支付宝APP支付客户端SDK → APP支付客户端SDK, the provider the same."""
    from monitor.compare.comparison import compare

    page = (
        "<html><body><h2>一、第三方SDK目录</h2><table>"
        "<tr><th>SDK名称</th><th>提供方</th><th>使用目的</th><th>收集的个人信息</th></tr>"
        "<tr><td>{name}</td><td>支付宝(杭州)信息技术有限公司</td><td>支付</td><td>设备标识符</td></tr>"
        "</table></body></html>"
    )

    def doc(name: str) -> Document:
        return parse(page.format(name=name).encode("utf-8"), media_type="html", source="v")

    cmp = compare(doc("支付宝APP支付客户端SDK"), doc("APP支付客户端SDK"))
    assert cmp.facts == [] and not cmp.material, summary_lines(cmp.facts)


def _cmp(old: str, new: str) -> Comparison:
    from monitor.compare.comparison import compare

    return compare(
        parse(old.encode(), media_type="text", source="o"), parse(new.encode(), media_type="text", source="n")
    )


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (
            # Let's Encrypt (tests/real): a run-on sentence split in two keeps its denial
            "denial moved to a sentence of its own",
            "三、用户\n您随时可以点击邮件底部的链接取消邮件订阅，或者通过邮件随时联系我们 我们不会将您的联系信息用于营销目的。",
            "三、用户\n您可以随时点击邮件末尾的链接取消订阅，或者直接通过邮件联系我们。我们不会将您的联系信息用于营销目的。",
        ),
        (
            # Let's Encrypt (tests/real): a purpose the sentence rules out is none
            "purpose ruled out",
            "二、依赖方\n我们绝不会使用 OCSP 请求中的数据来构建档案或识别个人。",
            "二、依赖方\n我们不会使用 OCSP 请求中的数据识别个人身份或描绘用户画像。",
        ),
        (
            # Vue.js (tests/real): bold markup fixed, the item merged into its neighbour
            "punctuation and markup only",
            "一、我们收集哪些信息\n我们不会收集个人信息。\n- *搜索功能的使用数据。**我们的搜索功能不进行用户追踪或指纹识别。",
            "一、我们收集哪些信息\n我们不会收集个人信息。\n搜索功能的使用数据：我们的搜索功能不进行用户追踪或指纹识别。",
        ),
        (
            # 音视通转 (tests/real/batch19): an added section restates, in other words, a permission's use
            "purposes restated by an added section",
            "一、权限说明\n1. 存储权限\n用途：访问您选择的视频文件，保存转换后的音频文件\n二、隐私承诺\n我们不会上传您的文件。",
            "一、权限说明\n1. 存储权限\n用途：访问您选择的视频文件，保存转换后的音频文件\n二、隐私承诺\n我们不会上传您的文件。\n"
            "三、常见问题\n存储/媒体权限：仅用于读取您选择的视频和保存转换后的音频文件",
        ),
        (
            # GDPAY (tests/real/batch29): a search-and-replace slip in the Latin letters of a listed item
            "an item respelled in its Latin letters",
            "一、我们如何收集信息\n我们需要自动接收并记录您的Web浏览器信息,您使用的设备类型、型号版本。",
            "一、我们如何收集信息\n我们需要自动接收并记录您的WGDB浏览器信息,您使用的设备类型、型号版本。",
        ),
        (
            # 合交链香港 (tests/real/batch30): a simplified copy added beside the traditional policy keeps
            # its statement on mergers, one character mapped otherwise (隨著 → 随著, not 随着)
            "a takeover clause copied into the other script",
            "四、我們如何共享、轉讓\n2\n對共享個人信息第三方主體的謹慎評估及責任約束。3.收購、兼並、重組時個人信息的轉讓隨著我們業務的持續發展,"
            "我們將有可能進行合並、收購、資產轉讓,你的個人信息有可能因此而被轉移。",
            "四、我們如何共享、轉讓\n2\n對共享個人信息第三方主體的謹慎評估及責任約束。3.收購、兼並、重組時個人信息的轉讓隨著我們業務的持續發展,"
            "我們將有可能進行合並、收購、資產轉讓,你的個人信息有可能因此而被轉移。\n"
            "五、简体中文\n2\n对共享个人信息第三方主体的谨慎评估及责任约束。3.收购、兼并、重组时个人信息的转让随着我们业务的持续发展,"
            "我们将有可能进行合并、收购、资产转让,你的个人信息有可能因此而被转移。",
        ),
        (
            # IQ:NS (tests/real/batch22): one word of a listed purpose reworded
            "a purpose of a list reworded",
            "三、我们如何使用信息\n我们使用收集的信息来:\n响应询问和支持请求;\n改进网站、文档和产品体验;",
            "三、我们如何使用信息\n我们使用收集的信息来:\n响应查询和支持请求;\n改进网站、文档和产品体验;",
        ),
        (
            # NightGuard (tests/real/batch5): a bilingual list's English lines dropped
            "the English lines of a bilingual list of purposes dropped",
            "3. 数据用途\n提供与改进功能:睡眠趋势分析、提醒与通知。\nProvide & Improve: Sleep insights, reminders.",
            "3. 数据用途\n提供与改进功能:睡眠趋势分析、提醒与通知。",
        ),
    ],
)
def test_real_cosmetic_edits_are_not_material(name: str, old: str, new: str) -> None:
    cmp = _cmp(old, new)
    assert not cmp.material, [(c.categories, c.evidence) for c in cmp.changes if c.material]


@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        # an obstacle written next to a right is a new restriction of it
        (
            "注销账户:您可以在 App 内自助注销账号。",
            "注销账户:您可以在 App 内注销账号,注销需提交书面申请。",
            {"rights"},
        ),
        # proof of who asks, required anew to delete (班级网站, tests/real/holdout12)
        (
            "注销账户:您可以联系我们删除人物。",
            "注销账户:您可以联系我们删除人物。如果想删除人物请证明身份,确保你是学生家长。",
            {"rights"},
        ),
        # the same obstacle, stated before, only nearer the right's word once a name between them went
        (
            "注销账户:一旦您注销猎豹移动账号,可能会无法使用猎豹移动的部分产品。",
            "注销账户:一旦您注销账号,可能会无法使用我们的部分产品。",
            set(),
        ),
    ],
)
def test_an_obstacle_to_a_right(old: str, new: str, want: set[str]) -> None:
    from tests.helpers import flagging

    assert (
        flagging.flagged("六、您如何管理您的个人信息\n{}\n七、联系我们\n邮箱:a@example.cn\n", old, new)
        == want
    )


def test_an_obstacle_the_clause_had_is_none_new() -> None:
    """小应生活 (tests/real/batch40): the sentence around 无法 was rewritten, the diff inserting the word
    anew; the clause states it once before and after (its negations' parity is another matter)."""
    old = "注销账户:账号由校方提供,并非我们管理,因此我们无法为您提供账号注销功能。"
    new = "注销账户:账号由校方提供,由校方进行后台管理并对您进行实名认证,因此我们无法提供注册、注销等服务。"
    body = "六、您如何管理您的个人信息\n{}\n七、联系我们\n邮箱:a@example.cn\n"
    evidence = [e for c in _cmp(body.format(old), body.format(new)).changes for e in c.evidence]
    assert not [e for e in evidence if e.startswith("新增行使条件")], evidence


def test_a_time_limit_no_longer_for_a_right_is_a_change_though_the_right_is_named() -> None:
    """农技千查 (tests/real/batch20): 15 个工作日内完成账号注销 → 15 个工作日内完成核验和处理流程, 并对
    依法可删除…的信息作相应处理. The limit is for what follows it in its clause, so the 15 days for
    deleting the account are gone, though the sentence still names 账号注销 (and, elsewhere, 注销账号)."""
    from tests.helpers import flagging

    rights = (
        "八、您的权利\n您可以要求删除相关信息或注销账号。账号注销为申请处理流程,我们会在收到有效申请后 {}\n"
    )
    old = "15 个工作日内完成账号注销,并删除或匿名化相关个人信息。"
    new = "15 个工作日内完成核验和处理流程,并对依法可删除或匿名化的信息作相应处理。"
    assert flagging.flagged(
        "{}九、联系我们\n邮箱:a@example.cn\n", rights.format(old), rights.format(new)
    ) == {"rights"}
    same = "15 个工作日内完成注销账号,并删除或匿名化相关个人信息。"
    assert (
        flagging.flagged("{}九、联系我们\n邮箱:a@example.cn\n", rights.format(old), rights.format(same))
        == set()
    )


def test_a_denial_in_a_section_of_its_own_is_no_reversal() -> None:
    """CXYBBS (tests/real/batch5): a page whose sections ran together (我们是谁…收集的数据类型我们不会主动收集
    您的个人信息…) now has them as sections: the denial went to another clause, whole, and is no reversal."""
    from monitor.compare.comparison import compare

    cmp = compare(*documents("batch5", "cxybbs--2024-12-15--2024-12-15"))
    assert not [e for c in cmp.changes for e in c.evidence if e.startswith("含义反转")]


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("四、共享 > 4.4 > 4.4.2 > 4.2.1 > (5)", "4.2.1(5)"),  # the deepest number, then the items below it
        ("六、您的权利 > 6.2 > 6.2.2", "6.2.2"),
        ("三、我们如何共享 > (二)", "三、(二)"),
        ("(开头)", "(开头)"),
    ],
)
def test_summary_locators(path: str, where: str) -> None:
    from monitor.compare.fact_delta import _suffix

    expected = f" {where}" if where.startswith("(") else f" ({where})"
    assert _suffix([path]) == expected


def test_data_items_as_written() -> None:
    """An item a collection list names is added only where the old text does not state it anywhere
    (a list regrouped names the same items elsewhere), and an old name the new version renamed
    throughout is the same item (不背账号 → 佳麦账号)."""
    from monitor.compare.comparison import compare

    old = parse(
        "一、收集的信息\n当您登录时,我们收集您的Gitee ID、Gitee组织名、不背账号。\n二、其他\n我们也会读取答题记录。\n"
        "三、服务\n我们会在不背的服务器上以加密方式保存您的学习进度,并定期备份以防数据丢失。\n"
        "四、课程\n您在不背购买的课程会在您的账户中长期保留,退款规则以购买页面的说明为准。\n"
        "五、社区\n您在不背社区发布的内容会公开展示,请您注意保护自己的个人隐私。".encode(),
        media_type="text",
        source="old",
    )
    new = parse(
        "一、收集的信息\n当您登录时,我们收集您的邮箱授权码、答题记录、佳麦账号。\n二、其他\n本政策适用于佳麦。\n"
        "三、服务\n我们会在佳麦的服务器上以加密方式保存您的学习进度,并定期备份以防数据丢失。\n"
        "四、课程\n您在佳麦购买的课程会在您的账户中长期保留,退款规则以购买页面的说明为准。\n"
        "五、社区\n您在佳麦社区发布的内容会公开展示,请您注意保护自己的个人隐私。".encode(),
        media_type="text",
        source="new",
    )
    changes = {(c.change, c.kind, c.value) for c in compare(old, new).facts}
    assert ("added", "data_item", "邮箱授权码") in changes
    assert ("removed", "data_item", "Gitee ID") in changes
    assert ("added", "data_item", "答题记录") not in changes  # the old version states it elsewhere
    assert not {c for c in changes if c[2] in ("佳麦账号", "不背账号")}


def test_a_removed_promise_about_children_is_a_change_of_processing() -> None:
    """天辰表行 (tests/real/batch30): a section protecting minors' information deleted: as a minors fact
    is, the promise is part of how information is processed, not a right."""
    minors = "七、未成年人保护\n我们非常重视未成年人的隐私保护。如果您是未成年人,请在监护人陪同下阅读本政策。如果我们发现在未获得监护人同意的情况下收集了未成年人的个人信息,我们会尽快删除相关信息。\n"
    old = f"一、我们收集的信息\n我们收集您的手机号码。\n{minors}八、联系我们\n邮箱:a@example.cn\n"
    new = "一、我们收集的信息\n我们收集您的手机号码。\n八、联系我们\n邮箱:a@example.cn\n"
    cmp = _cmp(old, new)
    assert cmp.material
    assert {c for change in cmp.changes for c in change.categories} == {"processing"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # JETJETJET (tests/real/batch37): a purpose dropped from the list under 数据使用目的
        (
            "4. 数据使用目的\n提供核心功能:实现实时3D显示、录制回放与历史管理。\n"
            "功能改进与问题修复:使用崩溃与运行日志来修复错误并提升体验。\n5. 联系我们\n邮箱:a@example.cn",
            "4. 数据使用目的\n提供核心功能:实现实时3D显示、录制回放与历史管理。\n5. 联系我们\n邮箱:a@example.cn",
        ),
        # and one added, a short line of its own
        (
            "二、信息的用途\n为了向您提供服务。\n三、联系我们\n邮箱:a@example.cn",
            "二、信息的用途\n为了向您提供服务。\n为了向您推送合作方的活动信息。\n三、联系我们\n邮箱:a@example.cn",
        ),
    ],
)
def test_a_purpose_of_a_list_come_or_gone_is_material(old: str, new: str) -> None:
    cmp = _cmp(old, new)
    assert cmp.material and {"processing"} <= {k for c in cmp.changes if c.material for k in c.categories}
