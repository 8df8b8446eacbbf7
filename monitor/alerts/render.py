"""An alert as people read it: the email subject, Markdown (alert files, the email's text part) and
HTML (the email's HTML part, the alert's ``.html`` file), from the alert's payload.

Policy text is untrusted: the Markdown escapes what Markdown gives a meaning to, the HTML template
escapes everything (autoescape); the word diff shows ``~~deleted~~ **inserted**`` in Markdown and
``<del>``/``<ins>`` in HTML, long unchanged passages shortened to ``[…]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from monitor.compare.render_common import CATEGORY_ZH, FACTS_HEADING, KIND_ZH, elide, old_new_segments
from monitor.compare.render_html import segments_html
from monitor.compare.render_markdown import md_escape, md_quote
from monitor.textsafe import printable

EVENT_ZH = {
    "policy.changed": "隐私政策变更",
    "policy.check_failed": "检查失败",
    "policy.recovered": "检查恢复",
    "policy.test": "测试消息",
}


_SIDE_KEYS = ("title", "updated", "effective")
_CHECK_KEYS = ("outcome", "reason", "http_status")


@dataclass(frozen=True, slots=True)
class ChangeView:
    no: int
    kind: str
    kind_zh: str
    path: str
    material: bool
    categories: list[tuple[str, str]]
    criteria: list[str]
    evidence: list[str]
    quote: list[str]  # Markdown block quote of the word diff
    old_html: Markup | None
    new_html: Markup | None


def _side(change: dict[str, Any], side: str) -> str | None:
    paths = change.get(f"{side}_paths")
    return " + ".join(paths) if paths else change.get(f"{side}_path")


def _path_label(change: dict[str, Any]) -> str:
    old, new = _side(change, "old"), _side(change, "new")
    if old is None or new is None:
        return old or new or ""
    return old if old == new and change.get("kind") != "moved" else f"{old} → {new}"


def _change_view(no: int, change: dict[str, Any]) -> ChangeView:
    diff = elide([(int(op), str(text)) for op, text in change.get("diff") or []])
    old, new = old_new_segments(diff)
    return ChangeView(
        no=no,
        kind=change.get("kind", ""),
        kind_zh=KIND_ZH.get(change.get("kind", ""), ""),
        path=_path_label(change),
        material=bool(change.get("material")),
        categories=[(c, CATEGORY_ZH.get(c, "")) for c in change.get("categories") or []],
        criteria=list(change.get("criteria") or []),
        evidence=list(change.get("evidence") or []),
        quote=md_quote(diff),
        old_html=segments_html(old, "del") if change.get("old_text") is not None else None,
        new_html=segments_html(new, "ins") if change.get("new_text") is not None else None,
    )


def _versions(payload: dict[str, Any]) -> str:
    a, b = payload.get("from_version"), payload.get("to_version")
    if a is not None and b is not None:
        return f"v{a} → v{b}"
    return f"v{b}" if b is not None else ""


def subject(payload: dict[str, Any], prefix: str = "[policy-monitor]") -> str:
    op = payload.get("operator") or {}
    name = op.get("name") or op.get("id") or ""
    event = payload.get("event")
    if event == "policy.changed":
        if payload.get("material"):
            cats = ", ".join(payload.get("categories") or [])
            what = f"隐私政策重大变更 {_versions(payload)}" + (f" ({cats})" if cats else "")
        else:
            what = f"隐私政策更新 {_versions(payload)} (无重大变更)"
    elif event == "policy.check_failed":
        what = f"连续 {payload.get('failures')} 次检查失败"
    elif event == "policy.recovered":
        what = "检查已恢复正常"
    else:
        what = "测试消息 (test alert)"
    return printable(" ".join(p for p in (prefix, f"{name}:", what) if p)).replace("\n", " ")


def context(payload: dict[str, Any]) -> dict[str, Any]:
    changes = list(payload.get("changes") or [])
    changes = [c for c in changes if c.get("material")] + [c for c in changes if not c.get("material")]
    views = [_change_view(i, c) for i, c in enumerate(changes, start=1)]
    criteria = payload.get("criteria") or {}
    return {
        "p": payload,
        "event_zh": EVENT_ZH.get(payload.get("event", ""), payload.get("event", "")),
        "operator": payload.get("operator") or {},
        "versions": _versions(payload),
        "old": {**dict.fromkeys(_SIDE_KEYS), **(payload.get("old") or {})},
        "new": {**dict.fromkeys(_SIDE_KEYS), **(payload.get("new") or {})},
        "check": {**dict.fromkeys(_CHECK_KEYS), **(payload.get("check") or {})},
        "material": [v for v in views if v.material],
        "other": [v for v in views if not v.material],
        "criteria_source": criteria.get("source"),
        "category_zh": CATEGORY_ZH,
        "summary": payload.get("summary") or {},
        "facts_heading": FACTS_HEADING,
        "facts": list((payload.get("facts") or {}).get("summary") or []),
    }


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = lambda v: md_escape("" if v is None else str(v))
    return env


_TEMPLATES = {"markdown": "alert.md.j2", "html": "alert.html.j2"}


def warm() -> None:
    """Compile the alert templates now (some 50 ms the first time), so that the first alert sent
    later does not wait for it: a check calls this in its recording thread, which waits for the
    reader processes' comparisons, at its first version compared with an earlier one."""
    for name in _TEMPLATES.values():
        _environment().get_template(name)


def render_alert(payload: dict[str, Any], fmt: str) -> str:
    """``fmt``: ``markdown`` or ``html``."""
    name = _TEMPLATES[fmt]
    out: str = _environment().get_template(name).render(**context(payload))
    return printable(out)  # no terminal escapes from policy text in a file or on a terminal
