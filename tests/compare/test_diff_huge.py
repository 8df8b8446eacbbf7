"""A clause with more distinct words than diff-match-patch's characters-for-tokens trick can number
(131,072) is diffed coarsely: common head and tail kept, the middle replaced, never a ValueError."""

from __future__ import annotations

import pytest

from monitor.compare import diff
from monitor.compare.diff import coarse_diff, word_diff


def rebuild(d: diff.Diff, side: int) -> str:
    return "".join(t for op, t in d if op in (0, side))


@pytest.mark.slow
def test_a_clause_with_more_than_131072_distinct_words_is_diffed() -> None:
    old = " ".join(f"w{i}" for i in range(135_000))
    new = old.replace("w500 ", "changed ", 1) + " extra"
    d = word_diff(old, new)
    assert (
        (d[1][0], d[1][1][:9]) == (-1, "w500 w501") and d[0] == (0, d[0][1]) and d[0][1].startswith("w0 w1")
    )
    assert rebuild(d, 1).endswith("extra") and rebuild(d, -1).replace(" ", "") == old.replace(" ", "")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (("a", "b", "c"), ("a", "x", "c"), [(0, "a"), (-1, "b"), (1, "x"), (0, "c")]),
        (("a", "b"), ("a", "b", "c"), [(0, "a b"), (1, "c")]),
        (("a", "b"), ("b",), [(-1, "a"), (0, "b")]),
        (("a",), ("a",), [(0, "a")]),
        ((), ("个", "人"), [(1, "个人")]),
    ],
)
def test_coarse_diff(old: tuple[str, ...], new: tuple[str, ...], expected: list[tuple[int, str]]) -> None:
    assert coarse_diff(old, new) == expected


def test_past_the_limits_the_diff_is_coarse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diff, "MAX_DISTINCT", 5)
    d = word_diff("我们 会 收集 您的 手机号码 和 位置", "我们 会 收集 您的 身份证号码 和 位置")
    assert [op for op, _ in d] == [0, -1, 1, 0]
