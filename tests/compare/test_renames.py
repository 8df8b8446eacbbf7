"""Renames (monitor/compare/renames.py): a name the new version replaced throughout is the same
party; a company, a channel or a change of negation or modality never is."""

from __future__ import annotations

import pytest

from monitor.compare import renames
from monitor.compare.comparison import compare
from monitor.document.parse import parse
from monitor.model import Document

# four clauses that each name the product; 不背 holds a 不 that is no negation
BODY = """一、我们如何收集和使用您的个人信息
1.1 {p}仅会出于本政策所述的以下目的,收集和使用您的个人信息。
1.2 您可以通过访问【{p}App-个人中心-账号设置】修改密码、更换手机号。
1.3 为此,我们需要获取您的{p}账号、软件使用记录。
1.4 如果我们不再为您提供{p}服务,我们将删除您的个人信息。
二、如何联系我们
本政策由{c}(以下简称“我们”)制定。您可以发送邮件至{e}与我们联系。"""


def doc(product: str, company: str = "上海影与达科技有限公司", email: str = "help@example.cn") -> Document:
    return parse(BODY.format(p=product, c=company, e=email).encode("utf-8"), media_type="text", source="case")


def test_a_product_renamed_throughout_is_no_change() -> None:
    cmp = compare(doc("不背单词"), doc("佳麦"))
    assert cmp.changes and not any(c.material for c in cmp.changes), [c.evidence for c in cmp.changes]


def test_a_company_renamed_throughout_is_still_a_new_controller() -> None:
    cmp = compare(doc("佳麦", "北京艾斯酷科技有限公司"), doc("佳麦", "上海影与达科技有限公司"))
    assert any("controller" in c.categories for c in cmp.changes if c.material)


@pytest.mark.parametrize(
    ("gone", "came", "renamed"),
    [
        ("不背单词", "佳麦", True),
        ("我们", "林中小圣", True),
        ("北京艾斯酷科技有限公司", "上海影与达科技有限公司", False),  # the controller
        ("help@example.cn", "care@example.cn", False),  # a channel
        ("可以", "需要", False),  # modality
        ("不会", "会", False),  # negation
        ("7天", "15天", False),  # an amount
    ],
)
def test_what_may_be_a_rename(gone: str, came: str, renamed: bool) -> None:
    old = "\n".join(f"{n}. 第{n}条:{gone}处理您的信息。" for n in range(1, 5))
    new = "\n".join(f"{n}. 第{n}条:{came}处理您的信息。" for n in range(1, 5))
    cmp = compare(*(parse(t.encode("utf-8"), media_type="text", source="case") for t in (old, new)))
    pairs = renames.renames(cmp.changes, old, new)
    assert (pairs == [(gone, came)]) is renamed, pairs


# a mini-program's policy titled by its product, which also calls itself "we" (tests/real/batch35, FlowCast)
TITLED = """# {p} 隐私政策

更新日期：2026年5月

{p}（以下简称"我们"）非常重视您的隐私保护。本隐私政策说明我们如何收集、使用和保护您的个人信息。

## 我们收集的信息

我们仅收集您的微信昵称，用于显示您的记录。

## 联系我们

{d}负责本小程序的运营，邮箱 help@example.cn。"""


def titled(product: str, developer: str = "独立开发者 Evan") -> Document:
    text = TITLED.format(p=product, d=developer)
    return parse(text.encode("utf-8"), media_type="markdown", source="case")


@pytest.mark.parametrize(
    ("old", "new", "material"),
    [
        (
            titled("DayFlow"),
            titled("FlowCast"),
            False,
        ),  # the product renamed with the title: no new controller
        (titled("DayFlow"), titled("DayFlow", "独立开发者 Hongchen"), True),  # the developer is another
    ],
)
def test_the_product_the_title_names_renamed_is_the_same_party(
    old: Document, new: Document, material: bool
) -> None:
    cmp = compare(old, new)
    assert cmp.material is material, [(c.categories, c.evidence) for c in cmp.changes]
