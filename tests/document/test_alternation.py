"""The lexicons' patterns (monitor.document.facts_base.alternation) are written as tries for speed:
they must find exactly what one alternative per word, longest first, finds, on every line of the
corpus and of the real revisions."""

from __future__ import annotations

import re
from functools import cache

import pytest

from monitor.compare.signals import lexicon as signals_lexicon
from monitor.document.facts_base import alternation
from monitor.document.facts_base import lexicon as facts_lexicon
from monitor.document.normalize import canon
from tests.document.parse_inputs import corpus_inputs, real_inputs


def flat(words: list[str]) -> re.Pattern[str]:
    """The pattern as it was written before: every word an alternative, the longest first."""
    ordered = sorted({canon(w) for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


@cache
def lines() -> list[str]:
    out: set[str] = set()
    for _, data, _ in corpus_inputs()[:7] + real_inputs():
        out.update(canon(line) for line in data.decode("utf-8", "replace").splitlines() if line.strip())
    return sorted(out)


def word_lists() -> dict[str, list[str]]:
    """Every word list of both lexicons (a group of lists as one list)."""
    lists: dict[str, list[str]] = {}
    for source, lx in (("facts", facts_lexicon()), ("signals", signals_lexicon())):
        for key, value in lx.items():
            if isinstance(value, dict):
                value = [w for words in value.values() if isinstance(words, list) for w in words]
            if isinstance(value, list):
                lists[f"{source}.{key}"] = [w for w in value if isinstance(w, str)]
    return lists


@pytest.mark.parametrize("name", sorted(word_lists()))
def test_a_trie_finds_what_the_flat_alternation_finds(name: str) -> None:
    words = word_lists()[name]
    fast, slow = alternation(words), flat(words)
    found = 0
    for line in lines():
        got = [(m.start(), m.end()) for m in fast.finditer(line)]
        assert got == [(m.start(), m.end()) for m in slow.finditer(line)], line
        found += len(got)
    assert found or not words, f"{name}: no line of the texts has one of its words"


def test_words_that_contain_each_other_and_differ_in_case() -> None:
    words = ["手机", "手机号", "手机号码", "SDK", "sdk", "SDK服务", "IP地址", "ip"]
    text = "您的手机号码、手机和手机号,Sdk服务与SDK,ip地址及IP"
    assert [m.group(0) for m in alternation(words).finditer(text)] == [
        m.group(0) for m in flat(words).finditer(text)
    ]
