#!/usr/bin/env python3
"""Build the labelled materiality benchmark from the case specs in ``cases/*.yaml``.

usage: python tests/materiality/build.py {tuning|holdout|all} OUT_DIR

Each spec names a corpus policy and a list of edits (functions of ``tests/helpers/edits.py``) applied
to the NEW side (``ops``) and, optionally, to the OLD side (``old_ops``). The output is one folder per
case with ``old.<ext>``, ``new.<ext>`` and ``label.json``, plus ``index.json``, in the format of
``tests/materiality/examples`` and read by ``tests/materiality/score.py``.

The corpus is the repository's ``tests/corpus``. Every anchor must match the corpus exactly once, so a
spec fails loudly (``SpecError``) when the corpus changes instead of silently producing a case that
tests nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: make `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers import edits
from tests.helpers.corpus import CORPUS

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"

CATEGORIES = ("processing", "controller", "recipients", "rights", "contact", "risk", "other")
KINDS = ("format", "cosmetic", "material", "real")
# `other` is the policy's own catch-all item of its 重大变更 list; only cainiao.txt has one.
POLICIES_WITH_CATCH_ALL = frozenset({"cainiao"})
SETS: dict[str, frozenset[str]] = {
    "tuning": frozenset({"yunju", "jiapin", "jd-express", "liqun", "liqun-2022"}),
    "holdout": frozenset({"cainiao", "onewo"}),
}
SETS["all"] = SETS["tuning"] | SETS["holdout"]

LABEL_KEYS = ("id", "kind", "material", "expect_any", "allow", "marker", "marker_in", "ext")
REQUIRED = (*LABEL_KEYS, "policy", "ops")
OPTIONAL = ("encoding", "old_encoding", "old_ops", "new_from", "note")
ENCODINGS = ("utf-8", "utf-8-sig", "gbk")

OPS: dict[str, Callable[..., str]] = {
    name: getattr(edits, name)
    for name in (
        "replace_once",
        "insert_line_after",
        "insert_line_before",
        "delete_line",
        "delete_block",
        "swap_lines",
        "flip_width",
        "rewrap",
        "add_whitespace",
        "squeeze_blank_lines",
        "crlf",
        "to_html",
    )
}


class SpecError(ValueError):
    """A case spec is malformed or no longer matches the corpus."""


def corpus_dir() -> Path:
    return CORPUS


def load_specs(cases_dir: Path = CASES_DIR) -> list[dict[str, Any]]:
    """All case specs of all policies, in file order, validated."""
    specs: list[dict[str, Any]] = []
    for path in sorted(cases_dir.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for spec in doc.get("cases") or []:
            try:
                _validate(spec)
            except SpecError as e:
                raise SpecError(f"{path.name}: {spec.get('id', '?')}: {e}") from None
            specs.append(spec)
    ids = [s["id"] for s in specs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"duplicate case ids: {dupes}")
    return specs


def _validate(spec: dict[str, Any]) -> None:  # noqa: C901  a flat list of independent checks, one message each
    missing = [k for k in REQUIRED if k not in spec]
    unknown = [k for k in spec if k not in REQUIRED and k not in OPTIONAL]
    if missing or unknown:
        raise SpecError(f"missing keys {missing}, unknown keys {unknown}")
    if not spec["id"].startswith(spec["policy"] + "--"):
        raise SpecError("the id must start with '<policy>--'")
    if spec["kind"] not in KINDS:
        raise SpecError(f"kind {spec['kind']!r} not in {KINDS}")
    if spec["material"] is not (spec["kind"] in ("material", "real")):
        raise SpecError("material must be true exactly for kinds material and real")
    if spec["ext"] not in ("txt", "html"):
        raise SpecError("ext must be txt or html")
    if spec["marker_in"] not in ("new", "old"):
        raise SpecError("marker_in must be new or old")
    for key in ("encoding", "old_encoding"):
        if spec.get(key, "utf-8") not in ENCODINGS:
            raise SpecError(f"{key} must be one of {ENCODINGS}")
    if spec["ext"] == "html" and "encoding" not in spec:
        raise SpecError("an html case must name its encoding")
    expect, allow = spec["expect_any"], spec["allow"]
    if not set(expect) <= set(allow) <= set(CATEGORIES):
        raise SpecError(f"need expect_any ⊆ allow ⊆ {CATEGORIES}")
    if "other" in allow and spec["policy"] not in POLICIES_WITH_CATCH_ALL:
        raise SpecError("`other` only applies to a policy with a catch-all item")
    if spec["material"]:
        if not expect:
            raise SpecError("a material case needs expect_any")
    elif expect or allow or spec["marker"] is not None:
        raise SpecError("a benign case has empty expect_any/allow and marker null")
    # ops may be empty (a real pair, a change of encoding); render() rejects a case that changes nothing
    for op in [*spec["ops"], *(spec.get("old_ops") or [])]:
        if not (isinstance(op, dict) and len(op) == 1 and next(iter(op)) in OPS):
            raise SpecError(f"bad op {op!r}; ops are one-key mappings, keys {sorted(OPS)}")


def _apply(text: str, ops: list[dict[str, Any]], *, ext: str, charset: str) -> str:
    ops = list(ops)
    if ext == "html" and not any("to_html" in op for op in ops):
        ops.append({"to_html": {"variant": 0}})
    for op in ops:
        ((name, args),) = op.items()
        fn = OPS[name]
        if name == "to_html":
            args = {"charset": charset, **(args or {})}
        try:
            if args is None:
                text = fn(text)
            elif isinstance(args, dict):
                text = fn(text, **args)
            elif isinstance(args, list):
                text = fn(text, *args)
            else:
                text = fn(text, args)
        except ValueError as e:
            raise SpecError(f"{name}: {e}") from None
    return text


def _encode(text: str, encoding: str, ext: str) -> bytes:
    # a web page in GBK writes characters GBK lacks (NBSP, ©) as character references
    return text.encode(encoding, errors="xmlcharrefreplace" if ext == "html" else "strict")


def render(spec: dict[str, Any], corpus: Path | None = None) -> tuple[bytes, bytes, dict[str, Any]]:
    """The old file, the new file and the label of one case."""
    corpus = corpus or corpus_dir()
    ext = spec["ext"]
    new_enc = spec.get("encoding", "utf-8")
    old_enc = spec.get("old_encoding", new_enc)
    old_src = (corpus / f"{spec['policy']}.txt").read_text(encoding="utf-8")
    new_src = (corpus / f"{spec.get('new_from', spec['policy'])}.txt").read_text(encoding="utf-8")
    charset = {"utf-8-sig": "utf-8"}
    old = _apply(old_src, spec.get("old_ops") or [], ext=ext, charset=charset.get(old_enc, old_enc))
    new = _apply(new_src, spec["ops"], ext=ext, charset=charset.get(new_enc, new_enc))
    old_b, new_b = _encode(old, old_enc, ext), _encode(new, new_enc, ext)
    if old_b == new_b:
        raise SpecError(f"{spec['id']}: the edits change nothing")
    label = {k: spec[k] for k in LABEL_KEYS}
    return old_b, new_b, label


def specs_for(set_name: str) -> list[dict[str, Any]]:
    if set_name not in SETS:
        raise SpecError(f"unknown set {set_name!r}; sets: {sorted(SETS)}")
    return [s for s in load_specs() if s["policy"] in SETS[set_name]]


def build(set_name: str, out_dir: Path) -> Path:
    """Write the cases of ``set_name`` (tuning, holdout or all) and ``index.json`` to ``out_dir``.

    Returns ``out_dir``, the folder to pass to ``score.py``.
    """
    out_dir = Path(out_dir)
    corpus = corpus_dir()
    if not corpus.is_dir():
        raise SpecError(f"the corpus is missing: {corpus}")
    labels = []
    for spec in specs_for(set_name):
        old_b, new_b, label = render(spec, corpus)
        case = out_dir / spec["id"]
        case.mkdir(parents=True, exist_ok=True)
        (case / f"old.{spec['ext']}").write_bytes(old_b)
        (case / f"new.{spec['ext']}").write_bytes(new_b)
        (case / "label.json").write_text(json.dumps(label, ensure_ascii=False, indent=1), encoding="utf-8")
        labels.append(label)
    (out_dir / "index.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in SETS:
        print(f"usage: build.py {{{'|'.join(sorted(SETS))}}} OUT_DIR", file=sys.stderr)
        return 2
    try:
        out = build(args[0], Path(args[1]))
    except SpecError as e:
        print(f"build.py: {e}", file=sys.stderr)
        return 2
    n = len(json.loads((out / "index.json").read_text(encoding="utf-8")))
    print(f"{n} cases of set {args[0]} written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
