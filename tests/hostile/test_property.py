"""Property: whatever bytes, HTML or YAML come in, extract → segment → compare and the watchlist
loader end in a result or in one of the project's domain errors (a one-line ``UserError``), never in
another exception. Example counts are modest so the whole file runs in a few seconds."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.compare.comparison import compare
from monitor.document.parse import parse
from monitor.errors import UserError
from monitor.model import Document
from monitor.watchlist import loads

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "隐私政策",
    "个人信息",
    "我们会收集",
    "第三方",
    "共享",
    "1.",
    "（一）",
    "第一条",
    "删除",
    "十五个工作日",
]
TAGS = [
    "div",
    "p",
    "span",
    "b",
    "table",
    "tr",
    "td",
    "li",
    "ul",
    "h1",
    "h2",
    "script",
    "style",
    "br",
    "template",
]


@st.composite
def html(draw: st.DrawFn, depth: int = 0) -> str:
    """Random markup: nested tags (some unclosed), attributes, policy words, entities, junk."""
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 5 if depth < 4 else 2))
        if kind == 0:
            parts.append(draw(st.sampled_from(WORDS)))
        elif kind == 1:
            parts.append(draw(st.text(max_size=20)))
        elif kind == 2:
            parts.append(
                draw(st.sampled_from(["&amp;", "&#0;", "&#x110000;", "<!--", "-->", "<", ">", "\x00", "\r"]))
            )
        else:
            tag = draw(st.sampled_from(TAGS))
            attr = draw(
                st.sampled_from(["", ' style="display:none"', " hidden", ' id="policy"', ' class="x"'])
            )
            close = draw(st.booleans())
            parts.append(f"<{tag}{attr}>" + draw(html(depth + 1)) + (f"</{tag}>" if close else ""))
    return "".join(parts)


def document(data: bytes, media_type: str = "html", **kw: str) -> Document | None:
    try:
        return parse(data, media_type=media_type, source="page", **kw)  # type: ignore[arg-type]
    except UserError as exc:
        assert "\n" not in str(exc)
        return None


@FAST
@given(
    st.binary(max_size=3000),
    st.sampled_from(["html", "text", "markdown"]),
    st.sampled_from([None, "gbk", "utf-8"]),
)
def test_random_bytes_parse_or_fail_with_a_domain_error(
    data: bytes, media_type: str, charset: str | None
) -> None:
    kw = {"header_charset": charset} if charset else {}
    document(data, media_type, **kw)


@FEW
@given(html(), html(), st.sampled_from(["utf-8", "gb18030"]))
def test_random_html_parses_and_compares(a: str, b: str, codec: str) -> None:
    old = document(("<html><body>" + a + "</body></html>").encode(codec, "replace"), header_charset=codec)
    new = document(("<html><body>" + b + "</body></html>").encode(codec, "replace"), header_charset=codec)
    if old is not None and new is not None:
        compare(old, new)
        compare(new, old)


@FEW
@given(html(), st.sampled_from(["#policy", ".x", "div > p", "p:nth-child(2)"]))
def test_random_html_with_a_selector(a: str, selector: str) -> None:
    document(("<html><body>" + a + "</body></html>").encode(), selector=selector)


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["12h", "5MB", "http://127.0.0.1:99999/", "http://x.cn/\r\n", "files", "webhook", "email"]
    ),
)
KEYS = [
    "operators",
    "defaults",
    "channels",
    "fetch",
    "alerting",
    "id",
    "name",
    "url",
    "type",
    "headers",
    "headers_env",
    "interval",
    "alerts",
    "trigger",
    "allow_private",
    "selector",
    "host",
    "to",
    "from",
]
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


@FAST
@given(yaml_values)
def test_random_watchlists_load_or_fail_with_a_watchlist_error(value: object) -> None:
    try:
        loads(yaml.safe_dump(value, allow_unicode=True), "w.yaml")
    except UserError as exc:
        assert str(exc).startswith("w.yaml")


@FAST
@given(st.text(alphabet="&*[]{}:-,!|>'\"#%@`\n ab12", max_size=200))
def test_random_yaml_syntax_loads_or_fails_with_a_watchlist_error(text: str) -> None:
    try:
        loads(text, "w.yaml")
    except UserError as exc:
        assert str(exc).startswith("w.yaml")


@pytest.mark.parametrize(
    "text", ["a: &a [*a]\n", "a: &a {<<: *a}\n", "? [1]\n: 2\n", "!!python/object:os.system x\n"]
)
def test_yaml_corner_cases(text: str) -> None:
    with pytest.raises(UserError):
        loads(text, "w.yaml")
