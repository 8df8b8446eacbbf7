"""What every view of a comparison shows (:mod:`monitor.compare.render`): the changes in order,
their paths, word diffs cut to their context, the two sides' facts and the summary lines."""

from __future__ import annotations

import json
from typing import Any

from monitor.model import Change, Comparison, Document

NO_CHANGES = "No changes: the two versions are the same policy (differences of layout are ignored)."

KIND_ZH = {"added": "新增", "removed": "删除", "modified": "修改", "moved": "移动"}

# the contract's category ids → the 重大变更 item of GB/T 35273-2020 they stand for, in short
CATEGORY_ZH = {
    "processing": "处理目的、类型或方式",
    "controller": "所有者或控制者",
    "recipients": "共享、转让、公开披露对象",
    "rights": "个人信息权利及行使方式",
    "contact": "责任部门、联络方式、投诉渠道",
    "risk": "影响评估表明高风险",
    "other": "其他重大影响",
}

Diff = list[tuple[int, str]]


FACTS_HEADING = "隐私事实变化 Privacy facts"


def summary(cmp: Comparison) -> dict[str, Any]:
    """How many changes of each kind, how many material, and per category (every view's head, and
    the comparison document's ``summary``)."""
    counts = {
        k: sum(1 for c in cmp.changes if c.kind == k) for k in ("added", "removed", "modified", "moved")
    }
    categories: dict[str, int] = {}
    for c in cmp.changes:
        if c.material:
            for cat in c.categories:
                categories[cat] = categories.get(cat, 0) + 1
    return {**counts, "material": sum(1 for c in cmp.changes if c.material), "categories": categories}


def fact_summary(cmp: Comparison) -> list[str]:
    """What the two inventories gained, lost and altered, one Chinese line per kind of change
    (``新增共享对象: 巨量引擎、腾讯广告 (4.2.1)``): what every view leads with, before the clauses."""
    from monitor.compare.fact_delta import summary_lines  # deferred: an alert's renderer needs none of it

    return summary_lines(cmp.facts)


def ordered(cmp: Comparison) -> list[Change]:
    """Material changes first, each group in document order."""
    return [c for c in cmp.changes if c.material] + [c for c in cmp.changes if not c.material]


def side_paths(change: Change) -> tuple[str | None, str | None]:
    """(old path, new path); a clause split or merged lists all its parts joined by `` + ``."""
    old = " + ".join(c.path for c in [change.old, *change.old_extra]) if change.old else None
    new = " + ".join(c.path for c in [change.new, *change.new_extra]) if change.new else None
    return old, new


def path_label(change: Change) -> str:
    """One path, or ``old → new`` when they differ (always for a move)."""
    old, new = side_paths(change)
    if old is None or new is None:
        return old or new or ""
    if old == new and change.kind != "moved":
        return old
    return f"{old} → {new}"


def old_new_segments(diff: Diff) -> tuple[Diff, Diff]:
    """The diff as the old text (kept + deleted) and the new text (kept + inserted)."""
    return [(op, t) for op, t in diff if op <= 0], [(op, t) for op, t in diff if op >= 0]


ELLIPSIS = "[…]"


def elide(diff: Diff, context: int = 60) -> Diff:
    """Unchanged runs cut to ``context`` characters beside each change, ``[…]`` for the rest.

    A clause with nothing marked (a move) keeps its first ``2 * context`` characters. The text and
    markdown views elide; the html view shows whole clauses.
    """
    if all(op == 0 for op, _ in diff):
        text = "".join(t for _, t in diff)
        return diff if len(text) <= 2 * context + len(ELLIPSIS) else [(0, text[: 2 * context] + ELLIPSIS)]
    out: Diff = []
    for i, (op, text) in enumerate(diff):
        head = 0 if i == 0 else context  # what follows a change
        tail = 0 if i == len(diff) - 1 else context  # what precedes the next one
        if op != 0 or len(text) <= head + tail + 2 * len(ELLIPSIS):
            out.append((op, text))
        else:
            out.append((0, text[:head] + ELLIPSIS + text[len(text) - tail :]))
    return out


def diff_lines(diff: Diff) -> list[Diff]:
    """Split a diff at line breaks: one list of (op, text) per line, texts without ``\\n``."""
    lines: list[Diff] = [[]]
    for op, text in diff:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append((op, part))
    return [line for line in lines if line]


def criteria_source(cmp: Comparison) -> str:
    if cmp.criteria is None:
        return "not determined"
    if cmp.criteria.source == "policy":
        return "the policy's own 重大变更 list"
    return "the six standard items of GB/T 35273-2020 (the policy has no list of its own)"


def note_lines(value: Any) -> list[str]:
    """A note's value as lines of text, whatever its shape (a list: one line per item)."""

    def one(v: Any) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)

    if isinstance(value, list | tuple):
        return [one(v) for v in value]
    if isinstance(value, dict):
        return [f"{k}: {one(v)}" for k, v in value.items()]
    return [one(value)]


def side_facts(doc: Document) -> dict[str, str]:
    return {
        "source": doc.source,
        "title": doc.title or "—",
        "operator": doc.operator or "—",
        "updated": doc.updated or "—",
        "effective": doc.effective or "—",
        "clauses": str(sum(1 for _ in doc.clauses())),
    }


def counts_line(s: dict[str, Any], total: int) -> str:
    parts = ", ".join(f"{s[k]} {k}" for k in ("added", "removed", "modified", "moved"))
    return f"{total} change{'' if total == 1 else 's'} ({parts}); {s['material']} material"


def categories_line(s: dict[str, Any]) -> str:
    return ", ".join(f"{cat} ({n})" for cat, n in s["categories"].items())
