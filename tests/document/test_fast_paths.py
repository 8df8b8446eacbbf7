"""The fast paths of parsing give exactly what the slower code gave: ``canon``, ``norm`` and
``fold_width`` what their first implementations gave (kept here as the reference), on every line of
the corpus and the real texts and on generated text rich in the characters they treat specially; and
a line the marker prefilter (``numbering.MAYBE_MARKER``) rejects matches none of the marker patterns."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.document.normalize import _FOLD, _INVISIBLE, _TRANSLATE, canon, fold_width, memo, norm
from monitor.document.numbering import (
    _IN_SENTENCE,
    _WEAK_NUM,
    HEADING_MAX,
    MAYBE_MARKER,
    PART_HEAD,
    SENTENCE_END,
    STYLES,
    Line,
    _ordinal,
    classify,
)
from monitor.document.segment import _BARE_NUMBER, _FURNITURE, _FURNITURE_HINT, _furniture
from tests.document.parse_inputs import CORPUS, REAL

_WS = re.compile(r"\s+")
_SPACE_NOT_BETWEEN_ASCII = re.compile(r"(?<=[^\x21-\x7e]) | (?=[^\x21-\x7e])")
_CJK_PUNCT = "。、《》【】「」『』〈〉〖〗…·"


def _is_punct(ch: str) -> bool:
    if not ch or ch in _CJK_PUNCT:
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("P") or cat.startswith("S")


def _strip_space_around_punct(s: str) -> str:
    out: list[str] = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            prev = s[i - 1] if i else ""
            nxt = s[i + 1] if i + 1 < n else ""
            if _is_punct(prev) or _is_punct(nxt):
                continue
        out.append(ch)
    return "".join(out)


def reference_canon(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _INVISIBLE.sub("", s).translate(_TRANSLATE)
    s = _WS.sub(" ", s).strip()
    if " " in s:
        s = _SPACE_NOT_BETWEEN_ASCII.sub("", s)
        s = _strip_space_around_punct(s)
    return s


def _check(s: str) -> None:
    expected = reference_canon(s)
    assert canon(s) == expected
    assert norm(s) == _WS.sub("", expected)
    assert fold_width(s) == s.translate(_FOLD)
    with memo():
        for _ in range(2):  # computed, then remembered
            assert canon(s) == expected
            assert norm(s) == _WS.sub("", expected)


_SPECIAL = (
    "".join(chr(c) for c in _TRANSLATE)
    + "".join(chr(c) for c in _FOLD)
    + " \t\n\u3000\xa0\u200b\ufeff\u00ad·…。，、《》【】「」"
    + "ａＡ１，．！？（）：；aA1,.!?()-:;'\"#$%&*+/<=>@[]^_`{|}~"
    + "隐私政策我们收集"
    + "①⑳Ⅻ㈠ﬁ²"
)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPECIAL) | st.characters(), max_size=40))
def test_canon_matches_the_reference_on_generated_text(s: str) -> None:
    _check(s)


def test_canon_matches_the_reference_on_every_line_of_the_corpus_and_real_texts() -> None:
    paths = [*CORPUS.glob("*.txt"), *REAL.glob("*/*/*.md"), *REAL.glob("*/*/*.html")]
    assert len(paths) > 100
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
            _check(line)


_MARKER_START = "第附一二三四五六七八九十百零〇两、【(（〔［0-9０-９①⑳aZ-•·●▪◦‧∙*#＃ 　\t"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MARKER_START) | st.characters(), max_size=12))
def test_a_line_the_marker_prefilter_rejects_matches_no_marker_pattern(s: str) -> None:
    body = fold_width(s)
    if MAYBE_MARKER.match(body):
        return
    patterns = [p for _, p in STYLES.values()] + [_WEAK_NUM, PART_HEAD]
    assert not any(p.match(body) for p in patterns)
    assert not _BARE_NUMBER.fullmatch(body)


def test_the_marker_prefilter_lets_every_kind_of_marker_through() -> None:
    for line in ["附件一", " 第三章 总则", "(一)定义", "〔二〕", "①", "a)", "A.", "1.2 收集", "•", "、复制"]:
        assert MAYBE_MARKER.match(fold_width(line)), line
    for line in ["【审慎阅读】", "１、收集", "十二、其他", "2根据", "* 项", "- 项", "·项", "٣"]:
        assert MAYBE_MARKER.match(fold_width(line)), line


@settings(max_examples=3000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("copyrightallsevdICPRZ备证公网安技术支持:：版权所有©ıİſKﬁ ")
        | st.characters(),
        max_size=24,
    )
)
def test_a_line_the_furniture_hint_rejects_is_no_furniture(s: str) -> None:
    if not _FURNITURE_HINT.search(s):
        assert not _FURNITURE.search(s)
    assert _furniture(s) == bool(_FURNITURE.search(s))


def test_only_p_and_r_in_either_case_match_p_and_r_ignoring_case() -> None:
    ignoring_case = re.compile("[pr]", re.IGNORECASE)
    assert [chr(c) for c in range(0x110000) if ignoring_case.match(chr(c))] == ["P", "R", "p", "r"]


def test_furniture_is_found_as_before() -> None:
    for line in ["Copyright © 2024", "ALL RIGHTS RESERVED", "京ICP备123号", "技术支持：某公司", "版权所有"]:
        assert _furniture(line), line


@pytest.mark.parametrize(
    "line",
    [
        "技术支持：https://xiaomingxia.github.io/travel-notes-support/",  # Travel Notes' 如何联系我们
        "技术支持: support@example.com",
        "技术支持：400-123-4567",
    ],
)
def test_support_with_an_address_is_a_channel_not_furniture(line: str) -> None:
    assert not _furniture(line)


def _reference_classify(text: str) -> Line:
    """numbering.classify as it was, trying every pattern on every line."""
    line = Line(text=text)
    body = fold_width(text)
    bullet = STYLES["bullet"][1].match(body)
    if bullet:
        inner = body[bullet.end() :]
        if any(p.match(inner) for st, (_, p) in STYLES.items() if st not in ("bullet", "bracket")):
            body, text = inner, text[bullet.end() :]
    for style, (_, pattern) in STYLES.items():
        m = pattern.match(body)
        if not m:
            continue
        rest = text[m.end() :].strip()
        if style == "bracket":
            rest = text.strip()
        if not rest and style not in ("appendix", "bracket"):
            continue
        line.style, line.marker, line.rest = style, text[: m.end()].strip(), rest
        line.ordinal = _ordinal(line.marker)
        break
    else:
        weak = _WEAK_NUM.match(body)
        if weak:
            line.style, line.marker, line.rest = (
                "weak",
                text[: weak.end()].strip(),
                text[weak.end() :].strip(),
            )
            line.ordinal = int(canon(weak.group(1)))
    if line.style:
        rest_norm = norm(line.rest)
        line.heading = line.style in ("bracket", "appendix", "part") or (
            len(rest_norm) <= HEADING_MAX
            and not rest_norm.endswith(SENTENCE_END)
            and not _IN_SENTENCE.search(rest_norm)
        )
        if line.style == "lost" and not line.heading:
            line.style, line.marker, line.rest = None, "", ""
    return line


@settings(max_examples=4000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(_MARKER_START + "件录表部分章篇节条)）〕］】.、:：,。 收集")
        | st.characters(),
        max_size=14,
    )
)
def test_classify_matches_the_reference_on_generated_lines(s: str) -> None:
    assert classify(s) == _reference_classify(s)


def test_classify_matches_the_reference_on_every_line_of_the_corpus_and_real_texts() -> None:
    paths = [*CORPUS.glob("*.txt"), *REAL.glob("*/*/*.md"), *REAL.glob("*/*/*.html")]
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
            for text in (line, line.lstrip("#> "), line.lstrip("#> -*")):
                assert classify(text) == _reference_classify(text)
