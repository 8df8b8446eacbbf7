"""``canon``, ``norm`` and ``fold_width`` give exactly what their first, slower implementations gave
(kept here as the reference): on every line of the corpus and the real texts, and on generated text
rich in the characters they treat specially."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.document.normalize import _FOLD, _INVISIBLE, _TRANSLATE, canon, fold_width, memo, norm
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
