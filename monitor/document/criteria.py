"""The 重大变更 list that applies to a document, each item mapped to the contract's category ids.

A policy's own list is read from its text (``meta.find_criteria``); a policy without one is judged by
the six items of GB/T 35273-2020 (``source: "default"``).
"""

from __future__ import annotations

import re

from monitor.document.normalize import norm
from monitor.model import Criteria, CriteriaItem, Document

DEFAULT_ITEMS: tuple[tuple[str, str], ...] = (
    (
        "processing",
        "我们的服务模式发生重大变化。如处理个人信息的目的、处理的个人信息类型、个人信息的使用方式等",
    ),
    ("controller", "我们在所有权结构、组织架构等方面发生重大变化。如业务调整、破产并购等引起的所有者变更等"),
    ("recipients", "个人信息共享、转让或公开披露的主要对象发生变化"),
    ("rights", "您参与个人信息处理方面的权利及其行使方式发生重大变化"),
    ("contact", "我们负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化时"),
    ("risk", "个人信息安全影响评估报告表明存在高风险时"),
)

# category → what an item of that category talks about
_ITEM_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "processing",
        re.compile(
            r"服务模式|业务模式|业务功能|处理(?:个人信息)?的目的|处理的个人信息(?:类型|种类)|使用方式|处理方式|收集.{0,6}(?:类型|范围)"
        ),
    ),
    ("controller", re.compile(r"所有权|控制权|组织架构|并购|重组|所有者|控制者|合并|破产")),
    ("recipients", re.compile(r"(?:共享|转让|公开披露|委托处理|提供).{0,12}(?:对象|接收方|第三方)")),
    ("rights", re.compile(r"权利")),
    ("contact", re.compile(r"责任部门|联络方式|联系方式|投诉渠道|负责人|保护专员")),
    ("risk", re.compile(r"影响评估|高风险")),
    ("other", re.compile(r"其他.{0,12}(?:重大影响|重要影响|重大变化)|其他重大")),
)


def categories_of(item: str) -> tuple[str, ...]:
    text = norm(item)
    found = tuple(cat for cat, pattern in _ITEM_RULES if pattern.search(text))
    return found or ("other",)


def criteria_for(doc: Document, fallback: Document | None = None) -> Criteria:
    """The policy's own list (from ``doc``, else from ``fallback``), else the standard one."""
    for source in (doc, fallback):
        if source is not None and source.criteria_items:
            items = tuple(
                CriteriaItem(no=i, text=text, categories=categories_of(text))
                for i, text in enumerate(source.criteria_items, start=1)
            )
            return Criteria(source="policy", items=items)
    return Criteria(
        source="default",
        items=tuple(
            CriteriaItem(no=i, text=text, categories=(cat,)) for i, (cat, text) in enumerate(DEFAULT_ITEMS, 1)
        ),
    )
