"""An impact assessment is a 重大变更 only where it finds a high risk (GB/T 35273-2020 8.3 f)."""

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
