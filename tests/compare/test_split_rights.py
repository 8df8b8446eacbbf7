"""A right whose sentence lives on in another clause was not taken away: a contact clause that held
the whole children's section in one paragraph, split into its items in the next version (星辰互动游戏),
loses the word 删除 from that clause only. A right whose sentence is gone is still news."""

from __future__ import annotations

from monitor.compare.comparison import compare
from monitor.document.parse import parse

OLD = """隐私政策
十、如何联系我们
如有问题请发送邮件至help@game.example与我们联系,我们将在十五个工作日内回复。如果您对我们的回复不满意,您还可以向网信、公安等监管部门进行投诉或举报。6.儿童个人信息的其他请求 6.1 如您发现我们违法处理儿童个人信息的,可以通过联系我们对相关个人信息进行删除。
"""

NEW = """隐私政策
十、如何联系我们
如有问题请发送邮件至help@game.example与我们联系,我们将在十五个工作日内回复。

如果您对我们的回复不满意,您还可以向网信、公安等监管部门进行投诉或举报。

6.儿童个人信息的其他请求

6.1 如您发现我们违法处理儿童个人信息的,可以通过联系我们对相关个人信息进行删除。
"""


def flagged(old: str, new: str) -> list[tuple[list[str], list[str]]]:
    a, b = (parse(t.encode(), media_type="text/markdown", source=s) for t, s in ((old, "old"), (new, "new")))
    return [(c.categories, c.evidence) for c in compare(a, b).changes if c.material]


def test_a_clause_split_into_paragraphs_keeps_its_rights() -> None:
    assert flagged(OLD, NEW) == []


def test_a_right_whose_sentence_went_is_still_news() -> None:
    cut = NEW.replace("您还可以向网信、公安等监管部门进行投诉或举报。", "我们会尽力解决。")
    found = flagged(OLD, cut)
    assert any("rights" in cats for cats, _ in found), found
