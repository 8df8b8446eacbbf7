"""What the policy's own words say of a material change: on what basis it is material (the policy's own
重大变更 list or only GB/T 35273-2020), which of the list's items it falls under, and what the
operator's own account of its changes leaves out (:func:`operator_account`)."""

from __future__ import annotations

import re

from monitor.document.criteria import DEFAULT_ITEMS
from monitor.model import Comparison, Criteria


def basis(categories: list[str], criteria: Criteria | None) -> str:
    """``policy`` when the policy's own 重大变更 list names one of the categories (or has a catch-all
    item), ``standard`` when only GB/T 35273-2020 does (the policy has no list, or a narrower one)."""
    if criteria is None or criteria.source != "policy":
        return "standard"
    covered = {cat for item in criteria.items for cat in item.categories}
    return "policy" if "other" in covered or covered & set(categories) else "standard"


def criteria_texts(categories: list[str], criteria: Criteria | None) -> list[str]:
    items = criteria.items if criteria else ()
    texts: list[str] = []
    for cat in categories:
        matching = [i.text for i in items if cat in i.categories]
        if not matching:
            matching = [i.text for i in items if "other" in i.categories]
        if not matching:
            matching = [f"{text} (GB/T 35273-2020)" for c, text in DEFAULT_ITEMS if c == cat]
        texts.extend(t for t in matching if t not in texts)
    return texts


_DECLARED = (
    ("contact", re.compile(r"联系|客服|投诉|负责人|部门")),
    ("controller", re.compile(r"运营者|主体|控制者|处理者|公司")),
    ("recipients", re.compile(r"共享|第三方|SDK|合作|委托|披露")),
    ("rights", re.compile(r"权利|注销|删除|更正|撤回|查阅")),
    ("processing", re.compile(r"收集|使用|目的|类型|权限|保存|存储")),
    ("risk", re.compile(r"评估|风险")),
)


def operator_account(cmp: Comparison) -> None:
    """What the operator says it changed, a material change its update date does not show, and
    material categories its own account leaves out."""
    declared = cmp.new.declared_changes
    if declared and declared != cmp.old.declared_changes:
        cmp.notes["declared_changes"] = declared
    if not cmp.material:
        return
    if cmp.new.updated is not None and cmp.new.updated == cmp.old.updated:
        cmp.notes["silent_change"] = (
            f"the text changed materially but its update date did not ({cmp.new.updated})"
        )
    if declared and declared != cmp.old.declared_changes:
        said = {cat for cat, pattern in _DECLARED for d in declared if pattern.search(d)}
        found = {cat for c in cmp.changes if c.material for cat in c.categories}
        if found - said:
            cmp.notes["undeclared_categories"] = sorted(found - said)
