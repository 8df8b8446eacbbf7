"""Two inventories of privacy facts → what was added, removed or changed.

Facts are keyed by ``(category, kind, value)`` (see :mod:`monitor.document.facts`), so where a fact is
stated does not matter: the same text in other markup, or with its sections merged, split or
reordered, gives an empty delta.

A fact present on both sides is ``changed`` when one of the attributes that matter for its kind
differs (``RELEVANT``):

* ``time_limit`` — ``limit``: a right's time limit is keyed by what it is for (更正, 答复请求 …), so
  15个工作日 → 30个工作日 is a *changed* rights fact, not an added and a removed one;
* ``minor_age`` — ``age`` (14周岁 → 18周岁);
* ``pi_type`` — ``sensitive`` (only the lexicon sets it today, so in practice never);
* ``risk_assessment`` — ``high_risk`` (an assessment now reported as high risk);
* ``cross_border`` — ``destination``.

Other attributes (purpose, relation, an SDK's display name) are descriptive: an SDK renamed in its
table row, with the same provider, is no change; a recipient's relation (共享 → 委托处理) is read
from wording too loosely to alert on. A retention period, a contact channel or an entity is its own
value: 3年 → 5年 is a removed and an added fact, shown by ``summary_lines`` as one change (``→``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from monitor.compare.pages import moved_pages
from monitor.document.facts import Fact, Facts
from monitor.document.normalize import norm

ChangeKind = Literal["added", "removed", "changed"]

RELEVANT: dict[str, tuple[str, ...]] = {
    "time_limit": ("limit",),
    "minor_age": ("age",),
    "pi_type": ("sensitive",),
    "risk_assessment": ("high_risk",),
    "cross_border": ("destination",),
}


@dataclass(frozen=True, slots=True)
class FactChange:
    change: ChangeKind
    category: str
    kind: str
    value: str
    old: Fact | None
    new: Fact | None
    old_paths: tuple[str, ...] = ()
    new_paths: tuple[str, ...] = ()

    def relevant(self, side: Literal["old", "new"]) -> str:
        fact = self.old if side == "old" else self.new
        if fact is None:
            return ""
        return "、".join(v for name in RELEVANT.get(self.kind, ()) if (v := fact.attr(name)))


def _relevant(fact: Fact) -> tuple[str | None, ...]:
    return tuple(fact.attr(name) for name in RELEVANT.get(fact.kind, ()))


def delta(old: Facts, new: Facts) -> list[FactChange]:
    """Removed facts, added facts and changed facts, in the inventories' order (category, kind, value)."""
    before, after = old.by_key(), new.by_key()
    changes: list[FactChange] = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None:
            if _relevant(a) != _relevant(b):
                changes.append(FactChange("changed", *key, a, b, a.paths, b.paths))
        elif a is not None:
            changes.append(FactChange("removed", *key, a, None, a.paths, ()))
        elif b is not None:
            changes.append(FactChange("added", *key, None, b, (), b.paths))
        if key[1] == "sdk":
            changes.extend(_sdk_names(a, b))
    return _without_moved_pages(changes)


def _without_moved_pages(changes: list[FactChange]) -> list[FactChange]:
    """Without a web page of the operator's that only moved to another of its domains (pages.py)."""
    pages = [c for c in changes if c.kind in ("url", "link") and c.change != "changed"]
    gone = frozenset(c.value for c in pages if c.change == "removed")
    came = frozenset(c.value for c in pages if c.change == "added")
    left_gone, left_came = moved_pages(gone, came)
    moved = (gone - left_gone) | (came - left_came)
    dropped = {id(c) for c in pages if c.value in moved}
    return [c for c in changes if id(c) not in dropped]


# kinds read as the policy writes them, not from a lexicon: one counts as added (removed) only when
# the other version's text does not hold its words anywhere (a list reworded or regrouped names the
# same items in other sentences)
AS_WRITTEN = ("data_item", "use")
_REWORDED = 0.6  # how alike two purposes of a list are to be one, reworded (difflib's ratio)


def as_written(
    changes: list[FactChange],
    old_text: str,
    new_text: str,
    rename: Callable[[str], str] = str,
    retitled: Callable[[str], str] = str,
) -> list[FactChange]:
    """``changes`` without the added or removed facts of an :data:`AS_WRITTEN` kind whose value the
    other version's normalized text states; ``rename`` writes an old text as the new version would
    (its renames: 不背账号 → 佳麦账号), ``retitled`` only with the renames of the product the
    policy's title names (DayFlow 隐私政策 → FlowCast 隐私政策)."""
    old_renamed = rename(old_text)

    def stated(c: FactChange) -> bool:
        if c.kind not in AS_WRITTEN or c.change == "changed":
            return False
        if c.change == "added":
            return norm(c.value) in old_renamed
        return norm(rename(c.value)) in new_text

    respelled = _respelled(changes) | _renamed(changes, retitled)
    return [c for c in changes if not stated(c) and id(c) not in respelled]


def _renamed(changes: list[FactChange], rename: Callable[[str], str]) -> set[int]:
    """An entity gone and one come that ``rename`` makes one: the product the title names, which the
    policy also calls "we" (DayFlow（以下简称"我们"）), renamed throughout with the title (no legal
    entity's name is a rename: :mod:`renames`). A renamed developer or company that is not the
    title's product (Hongchen Feng → Evan Feng, GDPAY → OFPAY) stays a change of controller."""
    came = {norm(c.value).lower(): c for c in changes if c.kind == "entity" and c.change == "added"}
    out: set[int] = set()
    for c in changes:
        if c.kind == "entity" and c.change == "removed" and c.old is not None:
            # the value is canonical (lower case); the renames are of the name as written
            written = re.search(re.escape(c.old.value), c.old.sentence, re.IGNORECASE)
            renamed = norm(rename(written.group(0) if written else c.value)).lower()
            if renamed != norm(c.value).lower() and (now := came.get(renamed)) is not None:
                out.update((id(c), id(now)))
    return out


def _han(value: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", value))


def _respelled(changes: list[FactChange]) -> set[int]:
    """The added and removed items of an :data:`AS_WRITTEN` kind that differ only in their Latin
    letters and digits (Web浏览器 → WGDB浏览器, IPv4地址 → IPv6地址): the same item, respelled."""
    gone = {_han(c.value): c for c in changes if c.kind in AS_WRITTEN and c.change == "removed"}
    out: set[int] = set()
    for c in changes:
        if c.kind in AS_WRITTEN and c.change == "added" and len(key := _han(c.value)) >= 2 and key in gone:
            out.update((id(c), id(gone[key])))
    # a purpose of a list reworded (响应询问和支持请求 → 响应查询和支持请求): the same purpose
    uses = [c for c in changes if c.kind == "use" and id(c) not in out]
    for a in (c for c in uses if c.change == "removed"):
        for b in (c for c in uses if c.change == "added" and id(c) not in out):
            if SequenceMatcher(None, a.value, b.value).ratio() >= _REWORDED:
                out.update((id(a), id(b)))
                break
    return out


def _names(fact: Fact | None) -> set[str]:
    return {n for n in (fact.attr("sdk_name") or "").split("、") if n} if fact is not None else set()


def _sdk_names(a: Fact | None, b: Fact | None) -> list[FactChange]:
    """The SDKs a provider's rows gained or lost, read from the rows' name cells: a row that went
    (Shiply专业版SDK, where the same provider's Bugly SDK stays) is a removed ``sdk_name``, a row that
    came an added one. Names that went while others came for the same provider are a renaming: no
    change. Only table and record rows carry names; an SDK named in prose is read too loosely."""
    before, after = _names(a), _names(b)
    gone, came = before - after, after - before
    if gone and came and a is not None and b is not None:
        return []
    out = []
    if a is not None:
        out += [FactChange("removed", "recipients", "sdk_name", n, a, None, a.paths) for n in sorted(gone)]
    if b is not None:
        out += [FactChange("added", "recipients", "sdk_name", n, None, b, (), b.paths) for n in sorted(came)]
    return out


_CATEGORY_ORDER = ("controller", "processing", "recipients", "rights", "contact", "risk", "other")


def _order(key: tuple[str, str, str]) -> tuple[int, str, str]:
    category, kind, value = key
    rank = _CATEGORY_ORDER.index(category) if category in _CATEGORY_ORDER else len(_CATEGORY_ORDER)
    return rank, kind, value


# ---------------------------------------------------------------------------------------------
# Chinese one-liners

# kind → (noun, word for "added", word for "removed")
_NOUNS: dict[str, str] = {
    "entity": "运营主体",
    "address": "地址",
    "phone": "联系电话",
    "email": "联系邮箱",
    "url": "联系网址",
    "link": "联系链接",
    "account": "官方账号",
    "form": "联系页面或表单",
    "department": "个人信息保护部门",
    "pi_type": "个人信息类型",
    "data_item": "所列信息",
    "use": "所列使用目的",
    "permission": "设备权限",
    "purpose": "处理目的",
    "retention": "保存期限",
    "cross_border": "跨境传输说明",
    "minor_age": "未成年人条款",
    "recipient": "共享对象",
    "recipient_kind": "共享对象类型",
    "sdk": "第三方SDK提供方",
    "sdk_name": "第三方SDK",
    "service": "第三方服务",
    "right": "用户权利",
    "time_limit": "响应时限",
    "risk_assessment": "影响评估",
}
# kinds whose removed and added values are one change of a single-valued fact ("A → B")
_REPLACED = ("entity", "address", "phone", "email", "url", "link", "department", "retention", "cross_border")
# kinds whose relevant attribute is shown with an added or removed value (答复请求 15个工作日)
_SHOWN = ("time_limit", "minor_age", "risk_assessment", "cross_border")
_PAIRED_NOUNS = {
    "phone": "联系方式",
    "email": "联系方式",
    "url": "联系方式",
    "link": "联系方式",
    "account": "联系方式",
    "form": "联系方式",
    "department": "负责部门",
}


def _where(paths: Sequence[str]) -> str:
    """A short locator: the number of the deepest numbered clause (4.2.1), with the markers of the
    items below it (4.2.1(5)), else the markers joined (三、(二)), else its label."""
    if not paths:
        return ""
    parts = paths[0].split(" > ")
    markers = [m.group(0) for p in parts if (m := _MARKER.match(p))]
    dotted = [i for i, marker in enumerate(markers) if "." in marker.rstrip(".")]
    if dotted:
        return "".join([markers[dotted[-1]].rstrip("."), *markers[dotted[-1] + 1 :]])
    if markers:
        return "".join(markers)
    return parts[-1][:16]


_MARKER = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,3})*\.?|[(（][^)）]{1,3}[)）]|[一二三四五六七八九十百]+、|第[^部章节条]{1,3}[部章节条]分?)"
)


def _suffix(paths: Sequence[str]) -> str:
    where = _where(paths)
    if where.startswith("(") and where.endswith(")"):
        return f" {where}"  # (开头), (5): in parentheses already
    return f" ({where})" if where else ""


def _group(changes: Sequence[FactChange], change: ChangeKind, kind: str) -> list[FactChange]:
    return [c for c in changes if c.change == change and c.kind == kind]


def _label(category: str, kind: str) -> str:
    if kind == "address" and category == "controller":
        return "注册地址"
    return _NOUNS.get(kind, kind)


def _replacements(changes: Sequence[FactChange], kind: str) -> tuple[list[str], set[int]]:
    removed, added = _group(changes, "removed", kind), _group(changes, "added", kind)
    lines: list[str] = []
    used: set[int] = set()
    for old, new in zip(removed, added, strict=False):
        if old.category != new.category:
            continue
        noun = _PAIRED_NOUNS.get(kind, _label(new.category, kind))
        lines.append(f"{noun}变更: {old.value} → {new.value}{_suffix(new.new_paths)}")
        used.update({id(old), id(new)})
    return lines, used


def summary_lines(changes: Sequence[FactChange]) -> list[str]:
    """One Chinese line per kind of change: ``新增共享对象: 巨量引擎、腾讯广告 (4.2.1)``,
    ``删除个人信息类型: 通讯录 (2.1)``, ``联系方式变更: 4006061088 → 4006123999``,
    ``响应时限变更: 更正 15个工作日 → 30个工作日 (6.2.2)``."""
    lines: list[str] = []
    used: set[int] = set()
    for kind in _REPLACED:
        paired, ids = _replacements(changes, kind)
        lines.extend(paired)
        used |= ids
    keys = dict.fromkeys((c.change, c.category, c.kind) for c in changes if id(c) not in used)
    for change, category, kind in keys:
        group = [
            c
            for c in changes
            if (c.change, c.category, c.kind) == (change, category, kind) and id(c) not in used
        ]
        noun = _label(category, kind)
        if change == "changed":
            lines.extend(
                f"{noun}变更: {c.value} {c.relevant('old')} → {c.relevant('new')}{_suffix(c.new_paths)}"
                for c in group
            )
            continue
        verb = "新增" if change == "added" else "删除"
        side: Literal["old", "new"] = "new" if change == "added" else "old"
        values = "、".join(
            f"{c.value} {r}" if kind in _SHOWN and (r := c.relevant(side)) else c.value for c in group
        )
        paths = group[0].new_paths if change == "added" else group[0].old_paths
        lines.append(f"{verb}{noun}: {values}{_suffix(paths)}")
    return lines


def to_json(changes: Sequence[FactChange]) -> dict[str, Any]:
    """The ``facts`` key of a comparison document: what the inventories gained, lost and altered, each
    with its category, kind, value and where each version states it, and the delta in Chinese."""
    out: dict[str, Any] = {"added": [], "removed": [], "changed": []}
    for c in changes:
        item: dict[str, Any] = {
            "category": c.category,
            "kind": c.kind,
            "value": c.value,
            "old_paths": list(c.old_paths),
            "new_paths": list(c.new_paths),
        }
        if c.change == "changed":
            item["old"], item["new"] = c.relevant("old"), c.relevant("new")
        out[c.change].append(item)
    out["summary"] = summary_lines(changes)
    return out
