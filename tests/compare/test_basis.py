"""On what basis a change is material, and whose address a clause names: table-driven over one small
policy and its edits (the policy's own 重大变更 list names processing and has a catch-all item)."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import parse

POLICY = """示例隐私政策
一、我们如何收集和使用您的个人信息
为向您提供配送服务，我们会收集您的姓名、收货地址和手机号码。
二、本政策如何更新
本政策发生重大变更时，我们会以弹窗方式通知您。重大变更包括：
1. 我们的服务模式发生重大变化。如处理个人信息的目的、处理的个人信息类型、个人信息的使用方式等；
2. 其他可能对您的个人信息权益产生重大影响的变化。
三、如何联系我们
如您对本政策有任何疑问，您可以拨打客服电话4006061088与我们联系。
您也可以访问 https://example.com/privacy/支付宝 提交您的意见。
"""
NARROW = POLICY.replace("2. 其他可能对您的个人信息权益产生重大影响的变化。\n", "")


def doc(text: str) -> object:
    return parse(text.encode("utf-8"), media_type="text", source="policy.txt")


CASES = [
    # (case, old, new, material changes as (categories, basis))
    (
        "a new type, in the policy's own list",
        POLICY,
        POLICY.replace("和手机号码", "、手机号码和人脸识别特征"),
        [(["processing"], "policy")],
    ),
    (
        "a new hotline, covered by the catch-all item",
        POLICY,
        POLICY.replace("4006061088", "4006123999"),
        [(["contact"], "policy")],
    ),
    (
        "a new hotline, a policy without a list of its own",
        NARROW,
        NARROW.replace("4006061088", "4006123999"),
        [(["contact"], "standard")],
    ),
    (
        "a #fragment added to a link is the same channel",
        POLICY,
        POLICY.replace("https://example.com/privacy/支付宝", "https://example.com/privacy/支付宝#feedback"),
        [],
    ),
    (
        "a percent-encoded link is the same channel, and its bytes are no amounts",
        POLICY,
        POLICY.replace(
            "https://example.com/privacy/支付宝", "https://example.com/privacy/%E6%94%AF%E4%BB%98%E5%AE%9D"
        ),
        [],
    ),
    (
        "a user's 收货地址 is no contact channel of the operator",
        POLICY,
        POLICY.replace("收货地址和手机号码", "收货地址和您的手机号码"),
        [],
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_basis(case: str, old: str, new: str, expected: list[tuple[list[str], str]]) -> None:
    cmp = compare(doc(old), doc(new))  # type: ignore[arg-type]
    assert [(c.categories, c.basis) for c in cmp.changes if c.material] == expected
