"""What part of a policy a clause sits in: the topic of its nearest heading (定义, 联系我们, 您的权利,
共享 …), which decides what a fact means there."""

from __future__ import annotations

import re

from monitor.document.facts_base import RIGHTS_TITLE
from monitor.document.normalize import canon, simplified
from monitor.model import Clause

TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("definitions", re.compile(r"定义|名词|关键词|术语")),
    ("contact", re.compile(r"联系我们|联系方式|如何联系|联系菜鸟|联[系络].{0,4}我们")),
    (
        "rights",
        RIGHTS_TITLE,
    ),
    (
        "share",
        re.compile(r"共享|转让|公开披露|披露|委托处理|第三方|SDK|合作伙伴|分享|全球范围|跨境|境外|转移"),
    ),
    ("retention", re.compile(r"存储|保存|留存|保留")),
    ("security", re.compile(r"保护您的|信息保护|安全")),
    ("collect", re.compile(r"收集|使用|Cookie|同类技术|权限|功能|获得的信息|提供的信息")),
    ("children", re.compile(r"未成年|儿童")),
    ("update", re.compile(r"更新|修订|变更|修改")),
)


def topic(clause: Clause | None) -> str | None:
    """The topic of the nearest heading (the clause's own title first, then its ancestors')."""
    node = clause
    while node is not None:
        if node.title:
            title = simplified(canon(node.title))  # 您的權利 is 您的权利
            for name, pattern in TOPICS:
                if pattern.search(title):
                    return name
        node = node.parent
    return None
