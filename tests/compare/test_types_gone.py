"""A type of personal information the new version no longer names anywhere is a change of what is
processed (fact_findings._type_gone); a type the old version named only as something it does not take,
as one of the operator's channels, or as a web address (网站地址) is none."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import parse

POLICY = (
    "隐私政策\n一、我们收集的信息\n我们会收集您的{types},用于展示您的主页和完成提现。\n{extra}"
    "二、联系我们\n如有问题,请发送邮件至 help@example.cn 与我们联系。\n"
)


def judged(old: tuple[str, str], new: tuple[str, str]) -> tuple[bool, list[str]]:
    docs = [
        parse(POLICY.format(types=t, extra=x).encode(), media_type="text", source=f"{n}.txt")
        for n, (t, x) in (("old", old), ("new", new))
    ]
    cmp = compare(*docs)
    return cmp.material, [e for c in cmp.changes for e in c.evidence]


@pytest.mark.parametrize(
    ("old", "new", "material"),
    [
        # TouchGal (tests/real/batch32): a type taken out of the list, named nowhere else
        (("昵称、头像、银行账户", ""), ("昵称、头像", ""), True),
        # a list of contacts (联系人) is information collected, not a way to reach the operator
        (("昵称、头像、通讯录联系人", ""), ("昵称、头像", ""), True),
        # named again in other words: still processed
        (("昵称、头像、银行账户", ""), ("昵称、头像", "提现时需要您的银行账户信息。\n"), False),
        # 宝宝记录者 (batch29), heartsurround (batch25): what the policy said it does not take
        (("昵称、头像", "我们不会收集您的住址、性别等信息。\n"), ("昵称、头像", ""), False),
        # 长征记忆 (holdout3): a web address is no home address
        (("昵称、头像", "请将本网页托管为可公开访问的网站地址。\n"), ("昵称、头像", ""), False),
    ],
)
def test_a_type_no_longer_named(old: tuple[str, str], new: tuple[str, str], material: bool) -> None:
    found, evidence = judged(old, new)
    assert any("删除个人信息类型" in e for e in evidence) is material, evidence
    assert found is material, evidence


def test_a_type_named_in_the_rights_section_is_what_the_user_asks_for() -> None:
    """A type named where the policy says how to see or correct it (您可以更新您的实名认证信息) is what a
    user asks for, not what is collected: the section gone is a change of rights, not of types
    (tests/materiality/examples, liqun-2022--drop-update-right)."""
    rights = "三、您的权利\n您可以在账户设置中访问和更新您的实名认证信息。\n"
    found, evidence = judged(("昵称、头像", rights), ("昵称、头像", ""))
    assert found, evidence
    assert not any("删除个人信息类型" in e for e in evidence), evidence


def test_a_type_named_only_inside_a_renamed_product_is_not_gone() -> None:
    """次元画册 (tests/real/batch55): the product 小小怪头像 renamed throughout; the 头像 of its name was
    no type of information, and none is gone."""
    text = (
        "{p}隐私政策\n一、适用范围\n在您注册{p}帐号时,您根据要求提供的个人注册信息。\n"
        "二、信息存储\n{p}收集的有关您的信息将保存在{p}的服务器上。\n"
        "三、信息安全\n{p}帐号均有安全保护功能,请妥善保管您的用户名及密码信息。\n"
    )
    docs = [
        parse(text.format(p=p).encode(), media_type="text", source=f"{n}.txt")
        for n, p in (("old", "小小怪头像"), ("new", "次元画册"))
    ]
    cmp = compare(*docs)
    assert not cmp.material, [e for c in cmp.changes for e in c.evidence]


def test_a_type_added_to_a_policy_in_traditional_characters_is_found() -> None:
    """A zh-TW policy's facts are read in simplified characters (電子郵件地址 is 电子邮件地址), and held to
    its texts so read: a type added is found, a product renamed (Potato工作室 → Tap Fingers工作室,
    tests/real/holdout23) is none."""
    text = "{p}隱私政策\n一、我們收集的資訊\n{p}會收集您的{t}，用於提供服務。\n二、聯絡我們\n請來信 a@example.cn。\n"
    docs = [
        parse(text.format(p="Potato工作室", t=t).encode(), media_type="text", source="x.txt")
        for t in ("暱稱", "暱稱和電子郵件地址")
    ]
    assert compare(*docs).material
    docs = [
        parse(text.format(p=p, t="暱稱").encode(), media_type="text", source="x.txt")
        for p in ("Potato工作室", "Tap Fingers工作室")
    ]
    assert not compare(*docs).material
