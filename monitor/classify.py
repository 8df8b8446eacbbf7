"""Materiality of each change under the applicable 重大变更 list (filled in by the classification work)."""

from __future__ import annotations

from monitor.criteria import criteria_for
from monitor.model import Comparison


def classify(cmp: Comparison) -> None:
    cmp.criteria = criteria_for(cmp.new, fallback=cmp.old)
    for change in cmp.changes:
        change.material = False
        if change.kind == "moved":
            change.evidence = ["顺序或编号调整 (order/numbering only)"]
