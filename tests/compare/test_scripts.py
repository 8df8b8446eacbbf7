"""A policy converted from simplified to traditional characters (or back) is the same policy: the pair
is compared in simplified characters and mainland words (monitor.compare.scripts); versions in one
script are compared as written."""

from __future__ import annotations

import opencc
import pytest

from monitor.compare import scripts
from monitor.compare.comparison import compare
from monitor.document.parse import parse
from tests.helpers.corpus import corpus_text
from tests.helpers.real_pairs import documents

NAMES = ["cainiao", "jd-express", "jiapin", "liqun", "onewo", "yunju"]


def _doc(text: str, source: str = "x.txt") -> object:
    return parse(text.encode("utf-8"), media_type="text", source=source)


@pytest.mark.parametrize("name", NAMES)
def test_a_policy_converted_to_traditional_characters_is_no_change(name: str) -> None:
    text = corpus_text(f"{name}.txt")
    old, new = _doc(text, "old.txt"), _doc(opencc.OpenCC("s2t").convert(text), "new.txt")
    assert scripts.script(old) == "simplified" and scripts.script(new) == "traditional"  # type: ignore[arg-type]
    cmp = compare(old, new)  # type: ignore[arg-type]
    assert not cmp.material, [c.evidence for c in cmp.changes if c.material]
    assert len(cmp.changes) <= 3, [
        (c.kind, c.diff) for c in cmp.changes
    ]  # a few characters t2s reads otherwise


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我们收集您的手机号码和设备信息,用于账号注册与安全保障。" * 3, "simplified"),
        ("我們蒐集您的手機號碼與裝置資訊,用於帳號註冊與安全保障。" * 3, "traditional"),
        ("We collect your e-mail address.", None),
        ("隐私政策 隱私權政策", None),  # too few characters that only one script writes so
        (
            "我们收集您的手机号码和设备信息,用于账号注册与安全保障。" * 3
            + "我們蒐集您的手機號碼與裝置資訊,用於帳號註冊。" * 3,
            "mixed",
        ),
    ],
)
def test_the_script_of_a_document(text: str, want: str | None) -> None:
    assert scripts.script(_doc(text)) == want  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["jiapin", "yunju"])
def test_a_simplified_copy_added_beside_a_traditional_policy_names_no_new_fact(name: str) -> None:
    """合交链香港 (tests/real/batch30): the page in traditional characters gains the same policy in
    simplified ones below it; compared in simplified characters, the copy states no fact the policy
    did not (read in traditional characters alone, it named types and transfers the original's
    wording hid)."""
    simp = corpus_text(f"{name}.txt")
    trad = opencc.OpenCC("s2t").convert(simp)
    old, new = _doc(trad, "old.txt"), _doc(trad + "\n" + simp, "new.txt")
    assert scripts.script(old) == "traditional" and scripts.script(new) == "mixed"  # type: ignore[arg-type]
    assert compare(old, new).facts == []  # type: ignore[arg-type]


def test_versions_in_one_script_are_compared_as_written() -> None:
    """Two traditional versions: the changes quote them as written, not converted."""
    old = "隱私權政策\n一、我們蒐集的資訊\n我們蒐集您的手機號碼,用於帳號註冊與安全保障。" * 2
    cmp = compare(_doc(old), _doc(old.replace("手機號碼", "手機號碼與電子郵件地址", 1)))  # type: ignore[arg-type]
    assert cmp.changes and "電子郵件地址" in (cmp.changes[0].new_text or "")


def test_the_table_of_characters_is_opencc_s() -> None:
    """monitor/data/scripts.txt is what ``python -m monitor.compare.scripts`` writes with today's opencc."""
    simp, trad = scripts.from_opencc()
    assert scripts._only() == (frozenset(simp), frozenset(trad))
    assert "们" in simp and "們" in trad and "中" not in simp + trad


def test_the_operator_named_in_traditional_characters_is_the_operator() -> None:
    """安智 community client (tests/real/batch28): a page in traditional characters whose company,
    named in its closing line, changes (澳門新大陸萬博科技有限公司 → 澳门安智科技有限公司). The clause's names
    are read in simplified characters, the documents' operators too: a change of controller, not of a
    third party."""
    cmp = compare(*documents("batch28", "anzhi-community--2024-12-20--2024-12-20"))
    assert {cat for c in cmp.changes if c.material for cat in c.categories} == {"controller"}
