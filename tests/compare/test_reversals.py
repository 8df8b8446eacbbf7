"""Whether an edited sentence whose negations changed parity reversed its meaning (compare/reversals.py),
and why a change that is not material is not (compare/reasons.py)."""

from __future__ import annotations

import pytest

from monitor.compare import reversals
from monitor.compare.reasons import is_toc_line

# (before, after, a whole statement cut out or put in that denies nothing about information)
CUT_OR_PUT = [
    # a translation tool's leftover instruction removed (I2P, tests/real/batch22)
    (
        "请联系我们:Email:press@i2p.net 仅提供翻译,不要包含其他内容:最后更新",
        "请联系我们:Email:press@i2p.net 最后更新",
        True,
    ),
    # a promise about information cut out is taken back
    ("我们会收集您的邮箱,不会用于营销推广活动,仅用于登录", "我们会收集您的邮箱,仅用于登录", False),
    # a qualification put after a statement takes part of it back
    (
        "卸载本App通常会删除设备上的App数据",
        "卸载本App通常会删除设备上的App数据,但不会自动删除iCloud上的副本",
        False,
    ),
    # 不会 cut out of a sentence reverses it
    ("我们不会与第三方共享您的信息", "我们与第三方共享您的信息", False),
]


@pytest.mark.parametrize(("before", "after", "want"), CUT_OR_PUT)
def test_a_statement_cut_or_put(before: str, after: str, want: bool) -> None:
    assert reversals.statement_cut_or_put(before, after) is want


# (sentence before, sentence after, the clause's old and new text, whether the denial the one has and
# the other lacks is stated all the same by the other side's clause: a run-on sentence split)
_OLD_RUN_ON = "使用条款扩展自 Apple 的标准 EULA 协议。这意味着:如果本条款没有提及的内容,但 EULA 协议有的内容,以 EULA 协议为准"
MOVED = [
    # the denial reworded with another negator (没有提及 -> 未提及) when the sentence was split
    # (宝宝记录者, tests/real/batch29)
    (
        _OLD_RUN_ON,
        "使用条款基于 Apple 的标准 EULA。",
        "使用条款基于 Apple 的标准 EULA。这意味着:如果本条款未提及的内容,但 EULA 协议中有的内容,以 EULA 协议为准。",
        True,
    ),
    # the denial gone from the clause as well: taken back
    (
        _OLD_RUN_ON,
        "使用条款基于 Apple 的标准 EULA。",
        "使用条款基于 Apple 的标准 EULA。条款提及的内容以本协议为准。",
        False,
    ),
]


@pytest.mark.parametrize(("before", "after", "new_clause", "want"), MOVED)
def test_a_denial_moved_to_a_sentence_of_its_own(
    before: str, after: str, new_clause: str, want: bool
) -> None:
    assert reversals.negation_moved(before, after, (before, new_clause), (before, new_clause)) is want


# (line, headings, whether the line names a heading as a table of contents does)
TOC = [
    ("6.1访问您的个人信息", {"访问您的个人信息"}, True),
    # a sentence that uses a heading's words names no heading
    (",未经您授权任何用户无法访问您的个人信息", {"访问您的个人信息"}, False),
]


@pytest.mark.parametrize(("line", "headings", "want"), TOC)
def test_a_sentence_using_a_headings_words_is_no_table_of_contents(
    line: str, headings: set[str], want: bool
) -> None:
    assert is_toc_line(line, headings) is want
