"""Normalization: table-driven cases and properties (layout never changes the normalized text or tree)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from monitor.document.normalize import canon, norm, split_sentences, unwrap
from monitor.document.parse import parse
from monitor.document.segment import starts_item
from tests.helpers.corpus import CORPUS_FILES, corpus_text
from tests.helpers.edits import add_whitespace, flip_width, rewrap

CANON_CASES = [
    ("全角，标点；和：冒号", "全角,标点;和:冒号"),
    ("（一）共享", "(一)共享"),
    ("１２３ＡＢＣ", "123ABC"),
    ("“引号”与‘单引号’", "\"引号\"与'单引号'"),
    ("中文\u3000全角空格", "中文全角空格"),
    ("不间断\u00a0空格", "不间断空格"),
    ("零\u200b宽\ufeff字符", "零宽字符"),
    ("\uf0b7IP地址", "IP地址"),  # a symbol font's bullet as a PDF export writes it (Cradle Station)
    ("\uf095 电话:950616", "电话:950616"),  # an icon font's glyph
    ("Cookie 和网络 Beacon", "Cookie和网络Beacon"),
    ("Android  ID", "Android ID"),
    ("1．1 标题", "1.1标题"),
    ("电话 ： 950616", "电话:950616"),
    ("  前后空白  ", "前后空白"),
]


@pytest.mark.parametrize(("raw", "want"), CANON_CASES)
def test_canon(raw: str, want: str) -> None:
    assert canon(raw) == want


@pytest.mark.parametrize(("raw", "want"), CANON_CASES)
def test_norm_has_no_white_space(raw: str, want: str) -> None:
    assert norm(raw) == want.replace(" ", "")


SENTENCE_CASES = [
    (
        "我们收集信息。我们使用信息；您可以拒绝！真的吗？",
        ["我们收集信息。", "我们使用信息；", "您可以拒绝！", "真的吗？"],
    ),
    ("ASCII forms. no; yes! why?", ["ASCII forms. no;", "yes!", "why?"]),
    ("没有结尾", ["没有结尾"]),
]


@pytest.mark.parametrize(("text", "want"), SENTENCE_CASES)
def test_split_sentences(text: str, want: list[str]) -> None:
    assert split_sentences(text) == want


def test_unwrap_joins_a_hard_wrapped_paragraph_only() -> None:
    lines = [
        "一、我们如何收集",
        "我们收集信息是为了向您提供更好的服务并努力提高您",
        "的用户体验我们收集信息的种类如下包括您的姓名性别",
        "和电话号码等您可以选择不提供某些信息但是这样可能",
        "使您无法使用服务。",
        "二、我们如何使用",
    ]
    assert unwrap(lines) == [lines[0], "".join(lines[1:5]), lines[5]]


def test_unwrap_leaves_one_paragraph_per_line_alone() -> None:
    lines = ["适用范围", "本政策适用于所有服务。", "联系我们", "您可以通过邮件联系我们。"]
    assert unwrap(lines) == lines


def _shape(text: str) -> tuple[str, list[tuple[str, str]]]:
    doc = parse(text.encode("utf-8"), media_type="text", source="x.txt")
    return doc.sha256, [(c.path, c.norm) for c in doc.clauses()]


_SHAPES = {name: _shape(corpus_text(name)) for name in CORPUS_FILES}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(CORPUS_FILES),
    width=st.one_of(st.none(), st.integers(min_value=24, max_value=80)),
    flip=st.booleans(),
    letters=st.booleans(),
    spaces=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
)
def test_layout_never_changes_normalized_text_or_tree(
    name: str, width: int | None, flip: bool, letters: bool, spaces: int | None
) -> None:
    text = corpus_text(name)
    # white space first: a blank line inside a hard-wrapped paragraph would be a paragraph break
    if spaces is not None:
        text = add_whitespace(text, seed=spaces)
    if width is not None:
        # A line that is already within two characters of the wrap width and ends mid-sentence (a long
        # heading) cannot be told from a wrapped piece (normalize.unwrap): such widths are not layout-only.
        assume(not any(_ambiguous(line, width) for line in text.split("\n")))
        # nor one whose wrapped piece starts with a section's number (…见本政策" / 第一部分 "…): a
        # hard-wrapped paragraph never runs on into a numbered line (normalize.unwrap), a known limitation
        assume(not any(_piece_starts_item(line, width) for line in text.split("\n")))
        text = rewrap(text, width)
    if flip:
        text = flip_width(text, letters=letters)
    assert _shape(text) == _SHAPES[name]


def _piece_starts_item(line: str, width: int) -> bool:
    """Whether a piece ``rewrap`` cuts the line into, but the first, starts as a numbered line does."""
    return any(starts_item(line[i : i + width].strip()) for i in range(width, len(line), width))


def _ambiguous(line: str, width: int) -> bool:
    """Whether the line, or the last piece ``rewrap`` cuts it into, is that full a line ending
    mid-sentence (liqun.txt's "1为实现…以及账户或数据安全", no full stop, at width 69)."""
    if len(line) > width:
        line = line[(len(line) - 1) // width * width :]
    stripped = line.rstrip()
    return (
        bool(stripped.strip())
        and width - 2 <= len(stripped) <= width
        and stripped[-1] not in "。;；:：!！,，"
    )
