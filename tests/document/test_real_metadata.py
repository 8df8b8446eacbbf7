"""Metadata and headings as real documents write them (Markdown sources, bracketed dates, a publication
date beside the update date), table-driven: (case, file name, content, title, updated, headings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.document.parse import load

CASES = [
    (
        "更新于 with spaces inside the date",
        "a.md",
        "# 示例隐私政策\n\n更新于：2025 年 2 月 05 日\n\n## 一、我们收集的信息\n\n我们收集您的手机号码。\n",
        "示例隐私政策",
        "2025-02-05",
        ["一、我们收集的信息"],
    ),
    (
        "更新时间 in 【】",
        "b.txt",
        "示例隐私政策\n更新时间：【2022年8月4日】\n一、我们收集的信息\n我们收集您的手机号码。\n",
        "示例隐私政策",
        "2022-08-04",
        ["一、我们收集的信息"],
    ),
    (
        "bold label, ### title and bold headings",
        "c.md",
        "### 示例隐私政策\n\n**更新日期：** 2020年9月18日\n\n**一、信息收集**\n\n我们收集您的手机号码。\n\n"
        "**二、信息使用**\n\n我们使用您的手机号码。\n",
        "示例隐私政策",
        "2020-09-18",
        ["一、信息收集", "二、信息使用"],
    ),
    (
        "发布日期 beside 更新日期: the update date wins",
        "d.txt",
        "示例隐私政策\n发布日期：2021年1月1日\n更新日期：2022年3月4日\n一、我们收集的信息\n我们收集您的手机号码。\n",
        "示例隐私政策",
        "2022-03-04",
        ["一、我们收集的信息"],
    ),
    (
        "发布日期 alone is the update date",
        "f.txt",
        "示例隐私政策\n发布日期：2021年1月1日\n一、我们收集的信息\n我们收集您的手机号码。\n",
        "示例隐私政策",
        "2021-01-01",
        ["一、我们收集的信息"],
    ),
    (
        "escaped Markdown numbering 1\\.",
        "e.md",
        "# 示例隐私政策\n\n更新日期：2022年3月4日\n\n1\\. 我们收集的信息\n\n我们收集您的手机号码。\n\n"
        "2\\. 我们如何使用\n\n我们使用您的手机号码。\n",
        "示例隐私政策",
        "2022-03-04",
        ["1.我们收集的信息", "2.我们如何使用"],
    ),
    (
        "## headings without a space after the #s",
        "g.md",
        "#示例隐私政策\n\n##1.信息使用\n\n我们使用您的手机号码。\n\n##2.信息披露\n\n我们不会披露您的信息。\n",
        "示例隐私政策",
        None,
        ["1.信息使用", "2.信息披露"],
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "content", "title", "updated", "headings"), CASES, ids=[c[0] for c in CASES]
)
def test_metadata_and_headings(
    tmp_path: Path, case: str, name: str, content: str, title: str, updated: str | None, headings: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    doc = load(path)
    assert (doc.title, doc.updated) == (title, updated)
    assert [c.heading for c in doc.clauses() if c.heading and c.level == 1] == headings


@pytest.mark.parametrize(
    ("case", "content", "operator"),
    [
        (  # 第三方SDK清单 (简幻欢, tests/real/cases): an SDK list names its providers, not the operator
            "SDK records name providers, no operator",
            "第三方SDK清单\n第三方SDK名称:Bugly SDK\n第三方SDK提供方的公司名称:深圳市腾讯计算机系统有限公司\n"
            "第三方SDK名称:微信 SDK\n第三方SDK提供方的公司名称:深圳市腾讯计算机系统有限公司\n",
            None,
        ),
        (  # WebStation (tests/real/cases): the operator named once, SDK providers in records three times
            "the operator named once beside SDK records",
            "隐私政策\n舟山创想联爱网络科技有限公司及其关联方(以下简称“我们”)作为运营者,深知个人信息的重要性。\n"
            "公司名称:腾讯科技(深圳)有限公司\n公司名称:腾讯科技(深圳)有限公司\n",
            "舟山创想联爱网络科技有限公司",
        ),
        (  # 安智 community client (tests/real/batch28): a company named as what it provides
            "a provider named in prose",
            "隐私政策\n深圳乐播科技有限公司提供的乐播SDK可能收集设备信息。深圳乐播科技有限公司提供的乐播SDK用于投屏。\n"
            "澳门安智科技有限公司客户端\n",
            "澳门安智科技有限公司",
        ),
    ],
    ids=[
        "SDK records name providers, no operator",
        "the operator named once beside SDK records",
        "a provider named in prose",
    ],
)
def test_the_operator_is_no_sdks_provider(
    tmp_path: Path, case: str, content: str, operator: str | None
) -> None:
    path = tmp_path / "p.txt"
    path.write_text(content, encoding="utf-8")
    assert load(path).operator == operator
