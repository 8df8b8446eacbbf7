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
