"""Why a change is not material: the reason a change without findings gives in its ``evidence``
(order only, a date, the table of contents, a duplicate removed, a typo, wording)."""

from __future__ import annotations

import re

from monitor.document.normalize import norm
from monitor.document.numbering import classify as classify_line
from monitor.model import Change, Document

_DATE_ONLY = re.compile(r"^[\d年月日号\-/.:：\s]*$")


def headings_of(doc: Document) -> set[str]:
    return {norm(c.title) for c in doc.clauses() if c.title}


def reason(change: Change, headings: set[str], new_text: str) -> str:
    if change.kind == "moved":
        return "顺序或编号调整 (order or numbering only)"
    inserted = [t for op, t in change.diff if op == 1]
    deleted = [t for op, t in change.diff if op == -1]
    pieces = [norm(t) for t in inserted + deleted if norm(t)]
    if pieces and all(_DATE_ONLY.match(p) for p in pieces):
        return "日期变更 (date only)"
    lines = [norm(line) for t in inserted + deleted for line in t.split("\n") if norm(line)]
    if lines and all(is_toc_line(line, headings) for line in lines):
        return "目录变更 (table of contents)"
    if change.kind == "removed" and norm(change.old_text or "") in new_text:
        return "删除重复内容 (duplicate removed)"
    changed = sum(len(p) for p in pieces)
    if change.kind == "modified" and changed <= 4:
        return "错别字或用字修正 (typo)"
    if change.kind == "added":
        return "新增内容未涉及重大变更事项 (added, no material item)"
    if change.kind == "removed":
        return "删除内容未涉及重大变更事项 (removed, no material item)"
    return "措辞调整，含义未变 (wording)"


def is_toc_line(line: str, headings: set[str]) -> bool:
    """A line that names one of the document's headings (with or without its number)."""

    if not line:
        return False
    parsed = classify_line(line)
    title = norm(parsed.rest) if parsed.style else line
    if not parsed.style and len(title) > 30:
        return False
    # a heading within a longer line is one only with little else beside it (a page number, a dot
    # leader), not a sentence that happens to use its words (…任何用户无法访问您的个人信息)
    return title in headings or any(
        title and len(h) >= 4 and (title in h or (h in title and len(title) - len(h) <= 6)) for h in headings
    )
