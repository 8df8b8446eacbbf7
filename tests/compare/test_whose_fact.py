"""An impact assessment is a 重大变更 only where it finds a high risk (GB/T 35273-2020 8.3 f); a company
replaced in a third party's sentence is a recipients change, not a controller change."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.document.parse import parse

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
