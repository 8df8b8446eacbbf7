"""The ``html`` view of a comparison: one self-contained page (inline CSS, no scripts) with old and
new side by side, from the ``compare.html.j2`` template; everything is escaped (autoescape)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from monitor.compare.render_common import (
    CATEGORY_ZH,
    FACTS_HEADING,
    KIND_ZH,
    NO_CHANGES,
    Diff,
    criteria_source,
    fact_summary,
    note_lines,
    old_new_segments,
    ordered,
    path_label,
    side_facts,
    side_paths,
    summary,
)
from monitor.model import Change, Comparison


@dataclass(frozen=True, slots=True)
class _HtmlChange:
    no: int
    anchor: str
    kind: str
    kind_zh: str
    material: bool
    path: str
    section: str  # the path's first element, a heading of the table of contents
    rest: str  # the path below it, " › "-separated
    old_path: str | None
    new_path: str | None
    categories: list[tuple[str, str]]
    criteria: list[str]
    evidence: list[str]
    old_html: Markup | None
    new_html: Markup | None


def segments_html(diff: Diff, tag: str) -> Markup:
    parts = [escape(t) if op == 0 else Markup(f"<{tag}>{escape(t)}</{tag}>") for op, t in diff]
    return Markup("").join(parts)


def _html_change(no: int, change: Change) -> _HtmlChange:
    old_path, new_path = side_paths(change)
    old_diff, new_diff = old_new_segments(change.diff)
    first = (new_path or old_path or "").split(" + ")[0]
    section, _, rest = first.partition(" > ")
    return _HtmlChange(
        no=no,
        anchor=f"change-{no}",
        kind=change.kind,
        kind_zh=KIND_ZH.get(change.kind, change.kind),
        material=change.material,
        path=path_label(change),
        section=section,
        rest=rest.replace(" > ", " › "),
        old_path=old_path,
        new_path=new_path,
        categories=[(c, CATEGORY_ZH.get(c, "")) for c in change.categories],
        criteria=list(change.criteria),
        evidence=list(change.evidence),
        old_html=segments_html(old_diff, "del") if change.old is not None else None,
        new_html=segments_html(new_diff, "ins") if change.new is not None else None,
    )


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2  # deferred: only the html view needs it

    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=True,  # the template is compare.html.j2: select_autoescape would not match it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _iter_html_changes(cmp: Comparison) -> Iterator[_HtmlChange]:
    for no, change in enumerate(ordered(cmp), start=1):
        yield _html_change(no, change)


def html(cmp: Comparison) -> str:
    s = summary(cmp)
    changes = list(_iter_html_changes(cmp))
    template = _environment().get_template("compare.html.j2")
    result: str = template.render(
        title=cmp.new.title or cmp.old.title or "隐私政策",
        operator=cmp.new.operator or cmp.old.operator,
        old=side_facts(cmp.old),
        new=side_facts(cmp.new),
        summary=s,
        total=len(cmp.changes),
        material=[c for c in changes if c.material],
        other=[c for c in changes if not c.material],
        criteria=cmp.criteria,
        criteria_source=criteria_source(cmp),
        category_zh=CATEGORY_ZH,
        notes=[(str(k), note_lines(v)) for k, v in cmp.notes.items()],
        facts_heading=FACTS_HEADING,
        facts=fact_summary(cmp),
        no_changes=NO_CHANGES,
    )
    return result
