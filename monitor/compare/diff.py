"""Word-level diff of two clause texts: diff-match-patch over jieba tokens.

Each distinct token is mapped to one private-use character (as diff-match-patch's
``diff_linesToChars`` does for lines), the two character strings are diffed and cleaned up
semantically, and the characters are mapped back. A change therefore reads
``[-十五个工作日-]{+六十个工作日+}`` rather than as scattered single characters.

The texts are compared in their canonical form (``normalize.canon``): width, quotes and white
space never show up as changes.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Container
from functools import lru_cache, partial
from typing import Any

from monitor.document.normalize import canon

Diff = list[tuple[int, str]]

_lock = threading.Lock()
_cut: Callable[[str], list[str]] | None = None


def _cutter() -> Callable[[str], list[str]]:
    """``jieba.lcut(line, HMM=False)`` over jieba's dictionary read a first character at a time
    (:mod:`monitor.compare.wordfreq`: the same words, without the ≈0.6 s of loading all of it);
    the whole dictionary when that file cannot be read or written."""
    global _cut
    if _cut is None:
        with _lock:
            if _cut is None:
                jieba = _import_jieba()
                from monitor.compare import wordfreq

                jieba.setLogLevel(logging.WARNING)
                try:
                    _cut = wordfreq.tokenizer(jieba).cut
                except (OSError, ValueError):  # no writable folder, a foreign file …: all of it
                    jieba.initialize()
                    _cut = partial(jieba.lcut, HMM=False)
    return _cut


def _import_jieba() -> Any:
    """``import jieba`` (deferred: only a diff of changed clauses needs it) without pkg_resources,
    which its ``_compat`` tries first for the path of its data files (≈0.15 s of imports) and does
    without when it is missing: its data files are beside its modules anyway."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: the fallback
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=8192)
def tokenize(text: str) -> tuple[str, ...]:
    """jieba words of the canonical text of each line, lines separated by a "\n" token (other white
    space dropped, punctuation kept as tokens)."""
    cut = _cutter()
    out: list[str] = []
    for line in text.split("\n"):
        line = canon(line)
        if not line:
            continue
        if out:
            out.append("\n")
        if len(line) > HUGE_LINE:  # a hostile page's megabyte clause: runs of letters, not jieba's words
            out.extend(_RUNS.findall(line))
        else:
            out.extend(t for t in cut(line) if t.strip())
    return tuple(out)


HUGE_LINE = 100_000  # characters; real clauses are a few hundred, jieba takes ~10 s per megabyte
_RUNS = re.compile(r"\w+|[^\w\s]")


def words(text: str) -> tuple[str, ...]:
    """Tokens that carry meaning: words, numbers, names (no punctuation)."""
    return tuple(t for t in tokenize(text) if any(ch.isalnum() for ch in t))


def mostly_new(phrase: str, known: Container[str], at_least: int = 2, share: float = 0.5) -> bool:
    """Whether ``at_least`` of the phrase's words of two characters or more, and ``share`` of them, are
    not in ``known`` (a set of words, or a text): a purpose or a sentence stated anew rather than
    reworded."""
    content = [w for w in words(phrase) if len(w) > 1]
    fresh = [w for w in content if w not in known]
    return len(fresh) >= at_least and len(fresh) >= share * len(content)


_BASE = 0xF0000  # Supplementary Private Use Area-A: never in a policy
# one character per distinct token leaves room for 0x110000 - _BASE = 131,072 tokens; a clause with
# more (a megabyte of words, a hostile page) is diffed coarsely instead: common head and tail kept,
# the middle deleted and inserted whole (linear time)
MAX_DISTINCT = 0x110000 - _BASE
MAX_TOKENS = 200_000  # both texts together: beyond, diff-match-patch's cleanup is too slow


def word_diff(old: str, new: str) -> Diff:
    """[(op, text)] with -1 deleted, 0 kept, 1 inserted (diff-match-patch's convention)."""
    import diff_match_patch as dmp_module  # deferred: only changed clauses are diffed

    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if len(old_tokens) + len(new_tokens) > MAX_TOKENS or len({*old_tokens, *new_tokens}) > MAX_DISTINCT:
        return coarse_diff(old_tokens, new_tokens)
    table: dict[str, str] = {}
    back: list[str] = []

    def encode(tokens: tuple[str, ...]) -> str:
        out = []
        for tok in tokens:
            ch = table.get(tok)
            if ch is None:
                ch = chr(_BASE + len(back))
                table[tok] = ch
                back.append(tok)
            out.append(ch)
        return "".join(out)

    a, b = encode(old_tokens), encode(new_tokens)
    dmp = dmp_module.diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    merged: Diff = []
    for op, chars in diffs:
        text = _join(back[ord(ch) - _BASE] for ch in chars)
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, _join([merged[-1][1], text]))
        else:
            merged.append((op, text))
    return merged


def coarse_diff(old: tuple[str, ...], new: tuple[str, ...]) -> Diff:
    """The tokens both texts start and end with kept, what lies between deleted and inserted whole."""
    n = min(len(old), len(new))
    head = 0
    while head < n and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < n - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    parts = [
        (0, old[:head]),
        (-1, old[head : len(old) - tail]),
        (1, new[head : len(new) - tail]),
        (0, old[len(old) - tail :]),
    ]
    return [(op, _join(tokens)) for op, tokens in parts if tokens]


def _join(parts: object) -> str:
    """Concatenate tokens, keeping one space between two Latin words ("Android ID")."""
    out = ""
    for p in parts:  # type: ignore[attr-defined]
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def changed_text(diff: Diff) -> tuple[str, str]:
    """(what was deleted, what was inserted), each piece separated by ' … '."""
    deleted = " … ".join(t for op, t in diff if op == -1)
    inserted = " … ".join(t for op, t in diff if op == 1)
    return deleted, inserted


def render_inline(diff: Diff) -> str:
    """git --word-diff style: [-deleted-]{+inserted+}."""
    out = []
    for op, text in diff:
        if op == 0:
            out.append(text)
        elif op == -1:
            out.append(f"[-{text}-]")
        else:
            out.append(f"{{+{text}+}}")
    return "".join(out)
