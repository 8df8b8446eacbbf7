"""An impact assessment is a 重大变更 only where it finds a high risk (GB/T 35273-2020 8.3 f); a company
replaced in a third party's sentence is a recipients change, not a controller change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import parse
from tests.helpers.flagging import flagged
from tests.helpers.real_pairs import documents

BODY = "一、我们如何保护您的个人信息\n1. 我们采用加密技术保护您的个人信息。\n{extra}二、联系我们\n邮箱:help@example.cn"


@pytest.mark.parametrize(
    ("sentence", "material"),
    [
        ("2. 我们定期审查第三方SDK,并开展个人信息保护影响评估。\n", False),
        ("2. 个人信息保护影响评估报告表明本次处理存在高风险,我们已采取补救措施。\n", True),
    ],
)
def test_an_added_assessment_counts_only_with_a_high_risk(sentence: str, material: bool) -> None:
    old, new = (parse(BODY.format(extra=e).encode(), media_type="text", source="c") for e in ("", sentence))
    cmp = compare(old, new)
    flagged = {cat for c in cmp.changes if c.material for cat in c.categories}
    assert ("risk" in flagged) is material, [c.evidence for c in cmp.changes]


def test_a_third_partys_company_replaced_is_a_recipients_change() -> None:
    """Switshot (tests/real/batch5): the company that runs iCloud in China changed; it is a third
    party's, not the operator's (the policy names no operator)."""
    body = "一、iCloud 同步\n1. iCloud(由云上贵州运营)服务由{}运营。数据将同步到该服务。\n二、联系我们\n邮箱:a@example.cn"
    old, new = (
        parse(body.format(c).encode(), media_type="text", source="c")
        for c in ("云上贵州大数据产业发展有限公司", "云上艾珀（贵州）技术有限公司")
    )
    assert old.operator is None
    flagged = {cat for c in compare(old, new).changes if c.material for cat in c.categories}
    assert flagged == {"recipients"}


@pytest.mark.parametrize(
    ("old", "new", "control"),
    [
        # an SDK provider's name written anew beside its SDK is no change of control (td_horoscope,
        # tests/real/batch20), though the clause says 我们 elsewhere
        (
            "我们集成了阿里云推送SDK,由阿里云计算有限公司提供。我们会在您同意后开启推送。",
            "我们集成了阿里云推送SDK,由阿里巴巴云计算(北京)有限公司提供。我们会在您同意后开启推送。",
            False,
        ),
        (
            "本应用的关联公司为甲乙科技有限公司。",
            "本应用的关联公司为丙丁科技有限公司。",
            True,
        ),
    ],
)
def test_a_company_renamed_is_a_change_of_control_where_its_sentence_says_so(
    old: str, new: str, control: bool
) -> None:
    body = '本应用由星辰科技有限公司(以下简称"我们")运营。\n一、我们如何收集和使用信息\n{}\n二、联系我们\n邮箱: privacy@example.cn'
    assert ("controller" in flagged(body, old, new)) is control


def test_a_permission_the_new_version_says_it_does_not_ask_for_is_gone() -> None:
    """gmux (tests/real/holdout6): internetClient left the list of capabilities for 不申请 internetClient、
    摄像头…: the new version names it, but only as one it does not ask for."""
    body = (
        "# 隐私政策\n\n## 一、Microsoft Store 权限申请\n\nMSIX 清单中声明了以下能力：\n\n"
        "- `runFullTrust` —— gmux 是桌面应用，需要使用 Win32 全局热键\n{listed}\n"
        "不申请{denied}摄像头、麦克风等任何敏感能力。\n\n## 二、联系我们\n\n邮箱：a@example.cn\n"
    )
    old = body.format(listed="- `internetClient` —— 仅供连通 Store 服务使用\n", denied="")
    new = body.format(listed="", denied=" internetClient、")
    docs = [parse(text.encode(), media_type="markdown", source="c") for text in (old, new)]
    flagged = {cat for c in compare(*docs).changes if c.material for cat in c.categories}
    assert flagged == {"processing"}


@pytest.mark.parametrize(
    ("complaint", "material"),
    [
        ("service@siruiw.cn", True),  # the clause now sends complaints to the policy's other address
        ("jimeng.ai@bytedance.com", False),  # unchanged
    ],
)
def test_a_clause_that_swaps_one_of_the_policy_s_channels_for_another(complaint: str, material: bool) -> None:
    """思睿门店通 (tests/real/holdout2): 投诉与举报 went from one address to another, both given elsewhere
    in both versions: the channel for complaints changed, though no channel came or went."""
    body = (
        "一、查询与更正\n1. 您可以发送邮件至jimeng.ai@bytedance.com或service@siruiw.cn申请更正。\n"
        "二、投诉与举报\n1. 如果您认为您的权利受到侵害,可以通过发送邮件至{}与我们联系。\n"
    )
    old, new = (
        parse(body.format(e).encode(), media_type="text", source="c")
        for e in ("jimeng.ai@bytedance.com", complaint)
    )
    flagged = {cat for c in compare(old, new).changes if c.material for cat in c.categories}
    assert flagged == ({"contact"} if material else set())


def test_a_policy_that_no_longer_speaks_of_children_s_information() -> None:
    """TTK File Explorer (tests/real/holdout2): its section on children's information removed, nothing
    said of them elsewhere: a change of what it says of their processing (no age in either)."""
    kept = "## 1. 信息收集\n\n本网站仅收集访问日志。\n\n## 2. 联系我们\n\n邮箱: a@example.cn\n"
    children = "## 3. 儿童个人信息保护\n\n本网站不会故意收集儿童个人信息;如发现误收集,将立即删除。\n"
    old, new = (parse(t.encode(), media_type="markdown", source="c") for t in (kept + children, kept))
    flagged = {cat for c in compare(old, new).changes if c.material for cat in c.categories}
    assert "processing" in flagged  # (and rights: the promise to delete went with it)


def test_a_new_author_of_the_policy_is_a_change_of_operator_only() -> None:
    """hapihapi games (tests/real/holdout15): every mention of the company replaced, some read with words
    run into them (就X, 网站以及X, 用于维护X): a change of operator, no new recipient."""
    cmp = compare(*documents("holdout15", "hapihapi-games--2021-09-30--2021-09-30"))
    assert {cat for c in cmp.changes if c.material for cat in c.categories} == {"controller"}


def test_the_verdict_does_not_depend_on_the_order_of_a_set() -> None:
    """Gimbal Master (tests/real/holdout24): the two versions' operators are 威尔派科技有限公司 and
    深圳市威尔派科技有限公司, and a name ending with both was read as either, by the order Python's hash
    seed gave the set: the same comparison, material in one run and not in the next."""
    folder = (
        Path(__file__).resolve().parents[1]
        / "real"
        / "holdout24"
        / "gimbalmaster-weierpai--2026-07-18--2026-07-22"
    )
    ext = json.loads((folder / "label.json").read_text(encoding="utf-8"))["ext"]
    argv = [
        sys.executable,
        "-m",
        "monitor",
        "compare",
        str(folder / f"old.{ext}"),
        str(folder / f"new.{ext}"),
    ]
    outputs = {
        subprocess.run(
            [*argv, "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("new_name", "control"),
    [
        # Gimbal Master (tests/real/holdout24): the operator written with its city is the same company
        ("深圳市威尔派科技有限公司", False),
        ("广东省深圳市威尔派科技有限公司", False),
        # another company, whatever its city, is a change of operator
        ("深圳市凯德科技有限公司", True),
    ],
)
def test_the_operator_written_with_its_city_is_no_change_of_control(new_name: str, control: bool) -> None:
    body = "{}隐私政策\n本应用主要用于与云台硬件进行本地交互。\n一、联系我们\n邮箱: privacy@example.cn"
    old, new = (
        parse(body.format(n).encode(), media_type="text", source="c")
        for n in ("威尔派科技有限公司", new_name)
    )
    flagged = {cat for c in compare(old, new).changes if c.material for cat in c.categories}
    assert ("controller" in flagged) is control, [c.evidence for c in compare(old, new).changes]


def test_a_permission_word_in_another_sentence_does_not_state_the_permission() -> None:
    """灵动通知 (tests/real/batch52): 存储于中国境内 in the old version is no 存储权限; the storage permission
    the new version asks for is new, and material."""
    cmp = compare(*documents("batch52", "lingdong-tongzhi--2024-02-09--2024-03-01"))
    flagged = {cat for c in cmp.changes if c.material for cat in c.categories}
    assert "processing" in flagged, [c.evidence for c in cmp.changes]
