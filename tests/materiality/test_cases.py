"""The materiality benchmark itself (tests/materiality): coverage and label sanity, without the classifier.

Builds both case sets into temporary folders and checks what a reviewer would: enough cases, every
category on several policies, every kind of edit, HTML in UTF-8 and GBK, markers that point at the edit,
format-only edits that change nothing but layout, and labels in the format score.py reads.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.materiality import build as bench

LABEL_KEYS = ["id", "kind", "material", "expect_any", "allow", "marker", "marker_in", "ext"]
COSMETIC_KINDS = ("wording", "typo", "date", "reorder", "renumber", "toc")
FORMAT_KINDS = ("width", "rewrap", "whitespace", "html")


# ---------------------------------------------------------------------------------------------
# helpers


def score_norm(s: str) -> str:
    """What score.py compares markers with: NFKC, no white space."""
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def layout_norm(s: str) -> str:
    """Text with layout removed: NFKC, no white space, no zero-width/format characters (ZWSP, BOM)."""
    return "".join(ch for ch in score_norm(s) if unicodedata.category(ch) != "Cf")


class _PolicyText(HTMLParser):
    """The text inside ``#policy`` of a page made by ``to_html`` (scripts and styles skipped)."""

    VOID = frozenset({"br", "meta", "img", "hr", "input", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif ("id", "policy") in attrs:
            self.depth = 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def html_charset(raw: bytes) -> str:
    m = re.search(rb'<meta charset="([\w-]+)"', raw[:500])
    assert m, "an html case declares its charset"
    return m.group(1).decode("ascii").lower()


def decode(raw: bytes, ext: str) -> str:
    if ext == "html":
        return raw.decode(html_charset(raw))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gbk")


def policy_text(raw: bytes, ext: str) -> str:
    text = decode(raw, ext)
    if ext == "txt":
        return text
    parser = _PolicyText()
    parser.feed(text)
    parser.close()
    assert parser.parts, "the page has a #policy container"
    return "\n".join(parser.parts)


def layout_pair(lab: dict, old: bytes, new: bytes) -> tuple[str, str]:
    return layout_norm(policy_text(old, lab["ext"])), layout_norm(policy_text(new, lab["ext"]))


def policy_of(case_id: str) -> str:
    return case_id.split("--", 1)[0]


def edit_kinds(spec: dict) -> set[str]:
    """The kinds of cosmetic or layout edit a spec makes, from its ops and the words of its id."""
    words = set(spec["id"].split("--", 1)[1].split("-"))
    ops = {next(iter(op)) for op in spec["ops"]}
    kinds = words & {"typo", "renumber", "toc"}
    if words & {"wording", "dedup"}:
        kinds.add("wording")
    if words & {"date", "year"}:
        kinds.add("date")
    if "swap_lines" in ops or "reorder" in words:
        kinds.add("reorder")
    if "flip_width" in ops:
        kinds.add("width")
    if "rewrap" in ops:
        kinds.add("rewrap")
    if ops & {"add_whitespace", "squeeze_blank_lines"}:
        kinds.add("whitespace")
    if spec["ext"] == "html":
        kinds.add("html")
    return kinds


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not bench.corpus_dir().is_dir():
        pytest.fail(f"the corpus is missing: {bench.corpus_dir()}")
    return {name: bench.build(name, tmp_path_factory.mktemp(name)) for name in ("tuning", "holdout")}


@pytest.fixture(scope="session")
def labels(built: dict[str, Path]) -> dict[str, list[dict]]:
    return {name: json.loads((d / "index.json").read_text(encoding="utf-8")) for name, d in built.items()}


@pytest.fixture(scope="session")
def cases(built: dict[str, Path], labels: dict[str, list[dict]]) -> list[tuple[dict, bytes, bytes]]:
    """(label, old bytes, new bytes) of every case of both sets."""
    out = []
    for name, labs in labels.items():
        for lab in labs:
            d = built[name] / lab["id"]
            out.append((lab, (d / f"old.{lab['ext']}").read_bytes(), (d / f"new.{lab['ext']}").read_bytes()))
    return out


@pytest.fixture(scope="session")
def specs() -> dict[str, dict]:
    return {s["id"]: s for s in bench.load_specs()}


# ---------------------------------------------------------------------------------------------
# size, sets and coverage


def test_enough_cases(labels: dict[str, list[dict]]) -> None:
    assert len(labels["tuning"]) + len(labels["holdout"]) >= 120
    assert len(labels["tuning"]) >= 80
    assert len(labels["holdout"]) >= 35


def test_holdout_is_cainiao_and_onewo_only(labels: dict[str, list[dict]]) -> None:
    assert {policy_of(lab["id"]) for lab in labels["holdout"]} == {"cainiao", "onewo"}
    assert {policy_of(lab["id"]) for lab in labels["tuning"]} == {
        "yunju",
        "jiapin",
        "jd-express",
        "liqun",
        "liqun-2022",
    }
    tuning_ids = {lab["id"] for lab in labels["tuning"]}
    assert not tuning_ids & {lab["id"] for lab in labels["holdout"]}


def test_every_corpus_policy_is_used(labels: dict[str, list[dict]]) -> None:
    corpus = {p.stem for p in bench.corpus_dir().glob("*.txt")}
    used = {policy_of(lab["id"]) for labs in labels.values() for lab in labs}
    assert used == corpus


def test_every_category_on_several_policies(labels: dict[str, list[dict]]) -> None:
    policies = defaultdict(set)
    for labs in labels.values():
        for lab in labs:
            for cat in lab["expect_any"]:
                policies[cat].add(policy_of(lab["id"]))
    for cat in bench.CATEGORIES:
        if cat == "other":  # only cainiao.txt has a catch-all item
            assert policies[cat] == {"cainiao"}
        else:
            assert len(policies[cat]) >= 2, f"{cat} is expected on {sorted(policies[cat])} only"


@pytest.mark.parametrize("set_name", ["tuning", "holdout"])
def test_each_set_covers_every_category(labels: dict[str, list[dict]], set_name: str) -> None:
    cats = {c for lab in labels[set_name] for c in lab["expect_any"]}
    want = set(bench.CATEGORIES) - ({"other"} if set_name == "tuning" else set())
    assert cats >= want


def test_every_kind_is_present(labels: dict[str, list[dict]]) -> None:
    kinds = {lab["kind"] for labs in labels.values() for lab in labs}
    assert kinds == set(bench.KINDS)


def test_real_pair(labels: dict[str, list[dict]], specs: dict[str, dict]) -> None:
    real = [lab for lab in labels["tuning"] if lab["kind"] == "real"]
    assert len(real) == 1 and real[0]["material"]
    spec = specs[real[0]["id"]]
    assert (spec["policy"], spec.get("new_from"), spec["ops"]) == ("liqun-2022", "liqun", [])


def test_edits_of_every_kind(labels: dict[str, list[dict]], specs: dict[str, dict]) -> None:
    seen = defaultdict(set)
    for labs in labels.values():
        for lab in labs:
            for k in edit_kinds(specs[lab["id"]]):
                seen[k].add(lab["kind"])
    for k in COSMETIC_KINDS:
        assert "cosmetic" in seen[k], f"no cosmetic {k} edit"
    for k in FORMAT_KINDS:
        assert "format" in seen[k], f"no format-only {k} edit"
        # and a material edit hidden under it
        assert "material" in seen[k], f"no material edit hidden under a {k} edit"


def test_html_in_utf8_and_gbk(cases: list[tuple[dict, bytes, bytes]]) -> None:
    charsets = defaultdict(set)
    for lab, old, new in cases:
        if lab["ext"] == "html":
            charsets[html_charset(old)].add(lab["kind"])
            charsets[html_charset(new)].add(lab["kind"])
    assert {"format", "material"} <= charsets["utf-8"]
    assert {"format", "material"} <= charsets["gbk"]


# ---------------------------------------------------------------------------------------------
# labels


def test_index_matches_folders(built: dict[str, Path], labels: dict[str, list[dict]]) -> None:
    for name, labs in labels.items():
        for lab in labs:
            assert list(lab) == LABEL_KEYS
            d = built[name] / lab["id"]
            assert json.loads((d / "label.json").read_text(encoding="utf-8")) == lab
            assert sorted(p.name for p in d.iterdir()) == sorted(
                ["label.json", f"old.{lab['ext']}", f"new.{lab['ext']}"]
            )


def test_label_sanity(labels: dict[str, list[dict]]) -> None:
    for labs in labels.values():
        for lab in labs:
            assert set(lab["expect_any"]) <= set(lab["allow"]) <= set(bench.CATEGORIES), lab["id"]
            assert lab["material"] == (lab["kind"] in ("material", "real")), lab["id"]
            assert lab["marker_in"] in ("new", "old") and lab["ext"] in ("txt", "html"), lab["id"]
            if lab["material"]:
                assert lab["expect_any"], lab["id"]
                assert lab["kind"] == "real" or lab["marker"], lab["id"]
            else:
                assert lab["expect_any"] == lab["allow"] == [] and lab["marker"] is None, lab["id"]
            if "other" in lab["allow"]:
                assert policy_of(lab["id"]) == "cainiao", lab["id"]


def test_material_markers_point_at_the_edit(cases: list[tuple[dict, bytes, bytes]]) -> None:
    for lab, old, new in cases:
        if not lab["material"] or lab["marker"] is None:
            continue
        here, there = (new, old) if lab["marker_in"] == "new" else (old, new)
        mk = score_norm(lab["marker"])
        in_here = score_norm(policy_text(here, lab["ext"])).count(mk)
        in_there = score_norm(policy_text(there, lab["ext"])).count(mk)
        assert in_here > in_there, f"{lab['id']}: marker {lab['marker']!r} ({in_here} vs {in_there})"


def test_format_edits_change_layout_only(cases: list[tuple[dict, bytes, bytes]]) -> None:
    n = 0
    for lab, old, new in cases:
        if lab["kind"] != "format":
            continue
        n += 1
        assert old != new, lab["id"]
        a, b = layout_pair(lab, old, new)
        assert a == b, lab["id"]
    assert n >= 15


def test_other_edits_change_the_words(cases: list[tuple[dict, bytes, bytes]]) -> None:
    for lab, old, new in cases:
        if lab["kind"] != "format":
            a, b = layout_pair(lab, old, new)
            assert a != b, lab["id"]


# ---------------------------------------------------------------------------------------------
# the generator


def test_build_is_deterministic(tmp_path: Path, built: dict[str, Path]) -> None:
    again = bench.build("holdout", tmp_path)
    for d in sorted(built["holdout"].iterdir()):
        if d.is_dir():
            for f in d.iterdir():
                assert (again / d.name / f.name).read_bytes() == f.read_bytes(), f
    assert (again / "index.json").read_bytes() == (built["holdout"] / "index.json").read_bytes()


def test_a_stale_anchor_fails_loudly(specs: dict[str, dict]) -> None:
    spec = dict(specs["yunju--email"], ops=[{"replace_once": ["这句话不在语料里", "x"]}])
    with pytest.raises(bench.SpecError, match="exactly one occurrence"):
        bench.render(spec)


def test_bad_labels_are_rejected(specs: dict[str, dict]) -> None:
    bad = [
        dict(specs["yunju--email"], allow=[]),  # expect_any not in allow
        dict(specs["yunju--email"], expect_any=["other"], allow=["other"]),  # no catch-all in yunju
        dict(specs["yunju--typo-cookie"], marker="x"),  # benign case with a marker
        dict(specs["yunju--typo-cookie"], material=True),
        dict(specs["yunju--html-markup"], encoding="latin-1"),
    ]
    for spec in bad:
        with pytest.raises(bench.SpecError):
            bench._validate(spec)
