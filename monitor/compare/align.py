"""Align the clauses of two versions of a policy.

1. identical clauses (same normalized text), paired in document order;
2. the rest by TF-IDF cosine similarity of their jieba words, plus a little for context (the same
   path; parents already paired), assigned greedily from the most similar pair down, above
   ``THRESHOLD`` (higher for clauses of a few words; below it a clause counts as added/removed).
   Greedy is enough here:
   after step 1 few clauses remain, a real rewrite pairs clauses far above the threshold, and
   taking the clearest pairs first is what a reader expects (an optimal assignment would trade a
   clear pair for two doubtful ones);
3. what is still unpaired at the same path under paired parents is the same clause rewritten;
4. a clause split in two or two merged into one: an added (removed) clause whose words lie inside
   the old (new) side of an adjacent modification joins that modification.

The result says, for every pair, whether it is unchanged, moved or modified. A pair is ``moved``
when its text is equal but its number changed (beyond the shift caused by inserted or removed
siblings), its parent is not the counterpart of its old parent, or its order among its siblings
changed.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from monitor.compare.diff import words
from monitor.model import Clause, Document

THRESHOLD = 0.5  # similarity below which two clauses are not the same clause
SHORT_THRESHOLD = 0.7  # a clause of a few words needs more: two short clauses share words by chance
SHORT_WORDS = 6
MIN_SIMILARITY = 0.25  # no context makes clauses with less in common the same clause
SAME_PATH_BONUS = 0.15
SAME_PARENT_BONUS = 0.1
CONTAINED = 0.8  # share of a clause's words found in the other side for a split/merge


@dataclass(slots=True)
class Pair:
    old: Clause
    new: Clause
    score: float
    old_extra: list[Clause] = field(default_factory=list)  # merged into new
    new_extra: list[Clause] = field(default_factory=list)  # split off old
    moved: bool = False

    @property
    def modified(self) -> bool:
        return bool(self.old_extra or self.new_extra) or self.old.norm != self.new.norm


@dataclass(slots=True)
class Alignment:
    pairs: list[Pair]
    removed: list[Clause]
    added: list[Clause]


def align(old: Document, new: Document) -> Alignment:
    olds, news = list(old.clauses()), list(new.clauses())
    m = _Matches()
    _pair_identical(olds, news, m)
    rest_old = [o for o in olds if id(o) not in m.old]
    rest_new = [n for n in news if id(n) not in m.new]
    if rest_old and rest_new:
        sims = _similarities(rest_old, rest_new)
        _pair_similar(rest_old, rest_new, sims, m)
        _pair_rewritten(rest_old, rest_new, sims, m)
    pairs = sorted(m.old.values(), key=lambda p: p.new.index)
    removed = [o for o in olds if id(o) not in m.old]
    added = [n for n in news if id(n) not in m.new]
    removed, added = _splits_and_merges(pairs, removed, added, olds, news, m.old, m.new)
    _mark_moves(pairs, old, new)
    return Alignment(pairs=pairs, removed=removed, added=added)


@dataclass(slots=True)
class _Matches:
    """The pairs found so far, by the ``id`` of their old and of their new clause."""

    old: dict[int, Pair] = field(default_factory=dict)
    new: dict[int, Pair] = field(default_factory=dict)

    def take(self, o: Clause, n: Clause, score: float) -> None:
        p = Pair(o, n, score)
        self.old[id(o)] = p
        self.new[id(n)] = p

    def free(self, o: Clause, n: Clause) -> bool:
        return id(o) not in self.old and id(n) not in self.new


def _pair_identical(olds: list[Clause], news: list[Clause], m: _Matches) -> None:
    """1. identical text, in document order."""
    by_norm: dict[str, list[Clause]] = defaultdict(list)
    for n in news:
        by_norm[n.norm].append(n)
    for o in olds:
        bucket = by_norm.get(o.norm)
        if bucket:
            m.take(o, bucket.pop(0), 1.0)


def _pair_similar(
    rest_old: list[Clause], rest_new: list[Clause], sims: list[list[float]], m: _Matches
) -> None:
    """2. greedy by similarity; the same path, or parents already paired, count as evidence."""
    candidates = []
    for i, o in enumerate(rest_old):
        for j, n in enumerate(rest_new):
            score = sims[i][j] + _context_bonus(o, n, m.old)
            if score >= _threshold(o, n) and sims[i][j] >= MIN_SIMILARITY:
                candidates.append((score, i, j))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    for score, i, j in candidates:
        o, n = rest_old[i], rest_new[j]
        if m.free(o, n):
            m.take(o, n, min(score, 1.0))


def _pair_rewritten(
    rest_old: list[Clause], rest_new: list[Clause], sims: list[list[float]], m: _Matches
) -> None:
    """3. what is left at the same path under paired parents is the same clause, however rewritten."""
    new_at = {n.path: n for n in rest_new if id(n) not in m.new}
    for i, o in enumerate(rest_old):
        at = new_at.get(o.path)
        if at is not None and m.free(o, at) and _parents_paired(o, at, m.old):
            m.take(o, at, sims[i][rest_new.index(at)])


def _threshold(o: Clause, n: Clause) -> float:
    short = min(len(words(o.full_text)), len(words(n.full_text))) <= SHORT_WORDS
    return SHORT_THRESHOLD if short else THRESHOLD


def _parents_paired(o: Clause, n: Clause, matched_old: dict[int, Pair]) -> bool:
    if o.parent is None or n.parent is None:
        return o.parent is None and n.parent is None
    parent = matched_old.get(id(o.parent))
    return parent is not None and parent.new is n.parent


def _context_bonus(o: Clause, n: Clause, matched_old: dict[int, Pair]) -> float:
    bonus = SAME_PATH_BONUS if o.path == n.path else 0.0
    if _parents_paired(o, n, matched_old):
        bonus += SAME_PARENT_BONUS
    return bonus


def _similarities(olds: Sequence[Clause], news: Sequence[Clause]) -> list[list[float]]:
    """TF-IDF cosine similarity of the clauses' words (IDF over both sides)."""
    bags = [Counter(words(c.full_text)) for c in [*olds, *news]]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n_docs = len(bags)
    idf = {w: math.log((1 + n_docs) / (1 + d)) + 1.0 for w, d in df.items()}
    vectors: list[dict[str, float]] = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * idf[w] for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    old_vecs, new_vecs = vectors[: len(olds)], vectors[len(olds) :]
    # invert the new side so each old vector only touches the words it has
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, vec in enumerate(new_vecs):
        for w, v in vec.items():
            index[w].append((j, v))
    sims = [[0.0] * len(news) for _ in olds]
    for i, vec in enumerate(old_vecs):
        row = sims[i]
        for w, v in vec.items():
            for j, u in index.get(w, ()):
                row[j] += v * u
    return sims


def _containment(part: Clause, whole: str) -> float:
    """Share of ``part``'s words that occur in ``whole``."""
    ws = words(part.full_text)
    if not ws:
        return 0.0
    have = Counter(words(whole))
    need = Counter(ws)
    return sum(min(c, have[w]) for w, c in need.items()) / sum(need.values())


def _splits_and_merges(
    pairs: list[Pair],
    removed: list[Clause],
    added: list[Clause],
    olds: list[Clause],
    news: list[Clause],
    matched_old: dict[int, Pair],
    matched_new: dict[int, Pair],
) -> tuple[list[Clause], list[Clause]]:
    """Fold an added clause split off an old one (or a removed one merged into a new one) into that pair."""

    def fold(loose: list[Clause], side: list[Clause], matched: dict[int, Pair], split: bool) -> list[Clause]:
        still: list[Clause] = []
        for c in loose:
            pair = _adjacent_modified(c, side, matched)
            if pair is None:
                still.append(c)
                continue
            # a split-off clause's words were in the old text and are not in the new one (merge: the reverse)
            was, now = (pair.old, pair.new) if split else (pair.new, pair.old)
            if _containment(c, was.full_text) >= CONTAINED and _containment(c, now.full_text) < 0.5:
                (pair.new_extra if split else pair.old_extra).append(c)
            else:
                still.append(c)
        return still

    return fold(removed, olds, matched_old, split=False), fold(added, news, matched_new, split=True)


def _adjacent_modified(c: Clause, side: list[Clause], matched: dict[int, Pair]) -> Pair | None:
    for k in (c.index - 1, c.index + 1):
        if 0 <= k < len(side):
            pair = matched.get(id(side[k]))
            if pair is not None and pair.old.norm != pair.new.norm:
                return pair
    return None


def _mark_moves(pairs: list[Pair], old: Document, new: Document) -> None:
    _mark_reparented(pairs)
    _mark_reordered(pairs)
    _mark_renumbered(pairs, old, new)


def _mark_reparented(pairs: list[Pair]) -> None:
    """Moved: the parent is not the counterpart of the old parent."""
    counterpart = {id(p.old): p.new for p in pairs}
    for p in pairs:
        if p.old.parent is None or p.new.parent is None:
            same_parent = p.old.parent is None and p.new.parent is None
        else:
            same_parent = counterpart.get(id(p.old.parent)) is p.new.parent
        if not same_parent:
            p.moved = True


def _mark_reordered(pairs: list[Pair]) -> None:
    """Order among siblings: pairs that leave the longest increasing run of old positions moved."""
    groups: dict[int, list[Pair]] = defaultdict(list)
    for p in pairs:
        if not p.moved:
            groups[id(p.new.parent) if p.new.parent else 0].append(p)
    for group in groups.values():
        group.sort(key=lambda p: p.new.index)
        keep = _lis([p.old.index for p in group])
        for k, p in enumerate(group):
            if k not in keep:
                p.moved = True


def _mark_renumbered(pairs: list[Pair], old: Document, new: Document) -> None:
    """Renumbering beyond the shift that inserted or removed siblings explain."""
    for p in pairs:
        if p.moved or (p.old.marker or "") == (p.new.marker or ""):
            continue
        if p.old.style != p.new.style or p.old.ordinal is None or p.new.ordinal is None:
            p.moved = True
            continue
        old_pos = _sibling_position(p.old, old)
        new_pos = _sibling_position(p.new, new)
        if p.new.ordinal - p.old.ordinal != new_pos - old_pos:
            p.moved = True


def _sibling_position(c: Clause, doc: Document) -> int:
    siblings = c.parent.children if c.parent is not None else doc.sections
    same_style = [s for s in siblings if s.style == c.style]
    return next(k for k, s in enumerate(same_style) if s is c)


def _lis(seq: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
            tails_idx.append(i)
        else:
            tails[k] = x
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    out: set[int] = set()
    i = tails_idx[-1] if tails_idx else -1
    while i != -1:
        out.add(i)
        i = prev[i]
    return out
