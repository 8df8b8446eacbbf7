"""Names the new version replaced everywhere: a product or brand renamed (不背单词 → 佳麦) is the same
party, and a sentence that differs from its old self only by that rename says nothing new.

A rename is a replacement the word diffs of the edited clauses make again and again (three times or
more) while the old form grows rarer, or twice where the old form is gone and the new one new (a
short policy naming its product in the title and once in the text); both sides are then read with
the new form, so a sentence the rename did not reach yet (a partial rename) is no change either.
The operator's legal entity and contact channels are never renames: a changed company name,
address, number or e-mail is a fact the comparison must report, however consistently it was
replaced; nor is an edit of negation or modality (不会 → 会, 可以 → 需要), which is a change of
meaning, not of name. A third party replaced by another throughout still comes and goes in the
inventories' delta, which reads renames only for the product the title names (the operator's own
name for itself, as "we": DayFlow 隐私政策, DayFlow（以下简称"我们"） → FlowCast).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from monitor.compare import signals
from monitor.model import Change

MIN_TIMES = 3
_LONGEST = 12
# entities, channels and amounts: what a rename must not hide
_NOT_A_NAME = re.compile(
    r"[\d@/:.%]|公司|集团|有限|银行|中心|研究院|部门?$|电话|邮箱|地址|网址|年|月|日|天|岁"
)
_WORDLIKE = re.compile(r"^[\w\u4e00-\u9fff·\- ]+$")
_MEANING = re.compile(
    rf"{signals.NEGATION.pattern}|{signals.OBLIGATION.pattern}|{signals.PERMISSION.pattern}|将|会|应|能|仅|只"
)


def renames(changes: Sequence[Change], old_text: str, new_text: str) -> list[tuple[str, str]]:
    """(old name, new name) pairs, longest first, that the new version replaced throughout."""
    seen: Counter[tuple[str, str]] = Counter()
    for change in changes:
        if change.kind != "modified":
            continue
        for (op1, gone), (op2, came) in pairwise(change.diff):
            if op1 == -1 and op2 == 1:
                pair = gone.strip(), came.strip()
                if _candidate(pair):
                    seen[pair] += 1
    out = [
        (gone, came)
        for (gone, came), times in seen.items()
        if (times >= MIN_TIMES and new_text.count(gone) < old_text.count(gone))
        or (times >= 2 and gone not in new_text and came not in old_text)
    ]
    return sorted(out, key=lambda p: -len(p[0]))


def _candidate(pair: tuple[str, str]) -> bool:
    if not all(
        1 < len(name) <= _LONGEST and _WORDLIKE.match(name) and not _NOT_A_NAME.search(name) for name in pair
    ):
        return False
    bare = [_MEANING.sub("", name) for name in pair]
    return all(bare) and bare[0] != bare[1]


def apply(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """``text`` with each renamed name written as the new version writes it."""
    for gone, came in pairs:
        text = text.replace(gone, came)
    return text
