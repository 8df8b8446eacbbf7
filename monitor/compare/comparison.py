"""Two documents → a :class:`~monitor.model.Comparison` (align → diff → classify), and its JSON form.

The JSON form is the comparison document of docs/formats.md.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from monitor.compare import fact_delta, renames, scripts
from monitor.compare.align import align
from monitor.compare.classify import classify, norm_text
from monitor.compare.diff import word_diff
from monitor.compare.fact_delta import delta
from monitor.compare.render_common import summary
from monitor.document.facts import Facts, Memo, facts_of
from monitor.document.normalize import memo as canon_memo
from monitor.document.normalize import simplified
from monitor.document.parse import metadata_json
from monitor.model import Change, Comparison, Document


def compare(old: Document, new: Document) -> Comparison:
    with canon_memo():  # the two versions share most lines: each is normalized once
        if scripts.differ(old, new):  # one in simplified characters, the other in traditional ones
            old, new = scripts.in_simplified(old), scripts.in_simplified(new)
        return _compare(old, new)


def _compare(old: Document, new: Document) -> Comparison:
    alignment = align(old, new)
    changes: list[Change] = []
    for p in alignment.pairs:
        if p.modified:
            change = Change(
                kind="modified", old=p.old, new=p.new, old_extra=p.old_extra, new_extra=p.new_extra
            )
            change.diff = word_diff(change.old_text or "", change.new_text or "")
            if not any(op for op, _ in change.diff):
                continue  # differs only in what canonical form ignores
            changes.append(change)
        elif p.moved:
            changes.append(Change(kind="moved", old=p.old, new=p.new, diff=[(0, p.new.full_text)]))
    for c in alignment.added:
        changes.append(Change(kind="added", old=None, new=c, diff=[(1, c.full_text)]))
    for c in alignment.removed:
        changes.append(Change(kind="removed", old=c, new=None, diff=[(-1, c.full_text)]))
    changes.sort(key=lambda ch: _position(ch, alignment))
    comparison = Comparison(old=old, new=new, changes=changes)
    memo: Memo = {}  # the clauses both versions have are read once
    old_text, new_text = norm_text(old), norm_text(new)
    pairs = renames.renames(changes, old_text, new_text)
    old_facts, new_facts = facts_of(old, memo), facts_of(new, memo)
    if not (old.links and new.links):  # a text or a PDF holds no link targets: compare none
        old_facts, new_facts = _unlinked(old_facts), _unlinked(new_facts)
    facts = delta(old_facts, new_facts)
    comparison.changes = _relinked(changes, alignment, facts)
    retitled = [(a, b) for a, b in pairs if a in (old.title or "") and b in (new.title or "")]
    # facts are read in simplified characters (facts._read): so are the texts and renames they are held to
    plain = [(simplified(a), simplified(b)) for a, b in pairs]
    plain_retitled = [(simplified(a), simplified(b)) for a, b in retitled]
    comparison.facts = fact_delta.as_written(
        facts,
        simplified(old_text),
        simplified(new_text),
        partial(renames.apply, pairs=plain),
        partial(renames.apply, pairs=plain_retitled),
    )
    classify(comparison, comparison.facts, pairs)
    return comparison


def _unlinked(facts: Facts) -> Facts:
    return Facts(tuple(f for f in facts if f.kind != "link"))


def _relinked(changes: list[Change], alignment: Any, facts: list[fact_delta.FactChange]) -> list[Change]:
    """The changes, and a change of each clause whose text is the same but a link of which opens
    another address (a contact link: the new target is a fact, not text)."""
    paths = {p for f in facts if f.kind == "link" for p in (*f.old_paths, *f.new_paths)}
    changed = {id(c) for ch in changes for c in (ch.old, ch.new) if c is not None}
    more = [
        Change(kind="modified", old=p.old, new=p.new, diff=[(0, p.new.full_text)])
        for p in alignment.pairs
        if {p.old.path, p.new.path} & paths and id(p.old) not in changed and id(p.new) not in changed
    ]
    return sorted([*changes, *more], key=lambda ch: _position(ch, alignment)) if more else changes


def _position(change: Change, alignment: Any) -> tuple[float, int]:
    """New-document order; a removed clause goes after the new counterpart of its old predecessor."""
    if change.new is not None:
        return (change.new.index, 0)
    assert change.old is not None
    before = -1.0
    for p in alignment.pairs:
        if p.old.index < change.old.index:
            before = max(before, p.new.index)
    return (before + 0.5, change.old.index)


def _side(doc: Document) -> dict[str, Any]:
    return {**metadata_json(doc), "clauses": sum(1 for _ in doc.clauses())}


def change_to_json(c: Change) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": c.kind,
        "old_path": c.old.path if c.old else None,
        "new_path": c.new.path if c.new else None,
        "old_text": c.old_text,
        "new_text": c.new_text,
        "diff": [[op, text] for op, text in c.diff],
        "material": c.material,
        "categories": list(c.categories),
        "criteria": list(c.criteria),
        "evidence": list(c.evidence),
    }
    if c.material:
        out["basis"] = c.basis
    if c.old_extra:
        out["old_paths"] = [x.path for x in [c.old, *c.old_extra] if x is not None]
    if c.new_extra:
        out["new_paths"] = [x.path for x in [c.new, *c.new_extra] if x is not None]
    return out


def to_json(cmp: Comparison) -> dict[str, Any]:
    out: dict[str, Any] = {
        "old": _side(cmp.old),
        "new": _side(cmp.new),
        "criteria": cmp.criteria.to_json() if cmp.criteria else None,
        "material": cmp.material,
        "changes": [change_to_json(c) for c in cmp.changes],
        "summary": summary(cmp),
        "facts": fact_delta.to_json(cmp.facts),
    }
    out.update(cmp.notes)
    return out
