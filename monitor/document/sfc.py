"""A component's source as its page would show it: Vue and uni-app single-file components, WeChat
mini-program pages (.vue, .wxml), saved or fetched as HTML.

A browser never shows a ``<template>``, so :mod:`extract` reads next to nothing of such a source. What
the page would show is in three places:
- the template itself (``<template><view>…</view></template>``), read as ordinary blocks;
- attributes of components that print them (``<fui-text text="1. 开发者收集订单类型…">``);
- string literals of the script, where the template only loops over them
  (``<p v-for="line in data.content">{{ line }}</p>`` and ``content: ['GDPAY(以下称"公司")…', …]``).
Pure functions over the source text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

_TEMPLATE = re.compile(r"<(/?)template\b", re.IGNORECASE)
# a component that prints its text attribute (fui-text, u-text, uni-text …): written out as a block
_TEXT_COMPONENT = re.compile(
    r"<([A-Za-z][\w]*-[\w-]*|text)\b([^<>]*?)\stext\s*=\s*\"([^\"]*)\"([^<>]*?)(/?)>", re.IGNORECASE
)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
# a string literal of JavaScript in any of its three quotes, escapes included
_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"|`((?:[^`\\]|\\.)*)`", re.DOTALL)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")
# a line break written as an expression ({"\n"}, {'\n\n'}), as JSX and mini-program pages write them
_LINE_BREAK = re.compile(r"""\{\s*(["'`])((?:\\n)+)\1\s*\}""")
# a comment before the component (/** 隐私政策页面 */): the source's, not the page's
_LEADING_COMMENT = re.compile(r"^\s*/\*.*?\*/", re.DOTALL)


def is_component(source: str) -> bool:
    """Whether ``source`` is a component's source: it has a <template> of its own."""
    return _TEMPLATE.search(source) is not None


def as_shown(source: str) -> str:
    """``source`` with its template read as blocks and its text components' attributes as their text."""
    text = _LEADING_COMMENT.sub("", source, count=1)
    text = _TEXT_COMPONENT.sub(_text_component, text)
    text = _TEMPLATE.sub(r"<\1div", text)
    return _PATH.sub(r"{{\1}}", text)


# a placeholder's value is known by its last name only: {{ configInfo.companyName }} and
# {{ appInfo.companyName }} (the same value, read from a store) show the same words
_PATH = re.compile(r"\{\{\s*(?:[A-Za-z_$][\w$]*\s*\.\s*)+([A-Za-z_$][\w$]*)\s*\}\}")


def _text_component(m: re.Match[str]) -> str:
    inner = m.group(3)
    if not _HAN.search(inner):
        return m.group(0)  # text="{{ label }}", text="ok": nothing a reader would see as the page's
    # the element's own content, if any, follows: a block of its own ends the attribute's line
    return f"<div>{inner}</div><{m.group(1)}{m.group(2)}{m.group(4)}{m.group(5)}>"


def placeholders_only(lines: list[str], strings: Sequence[str] = ()) -> bool:
    """Whether the text read is a template's placeholders (``{{ data.title }}``) and little else: a few
    words, or few beside the script's ``strings`` it loops over (a title, then ``{{ item.content }}``)."""
    text = "".join(lines)
    words = len(_HAN.findall(_PLACEHOLDER.sub("", text)))
    return _PLACEHOLDER.search(text) is not None and (
        words < 40 or words * 5 < sum(len(_HAN.findall(s)) for s in strings)
    )


def script_strings(source: str) -> list[str]:
    """The string literals of the source's scripts that hold Chinese words, in order: the lines a
    template that loops over them shows."""
    out = []
    for script in _SCRIPT.finditer(source):
        for m in _STRING.finditer(script.group(1)):
            value = next(g for g in m.groups() if g is not None)
            if _HAN.search(value):
                out.append(_unescaped(value))
    return out


# a source that is a module of code, not a page: its first statement, after any comments (export const
# legalContent_zh = {…}, <?php $lang[…] = '…', module.exports, a Dart file's import), or after the line
# that opens an Astro component's code fence (--- import …; const sections = [{ body: '…' }] ---)
_MODULE = re.compile(
    r"\A\ufeff?\s*(?:---[ \t]*\r?\n)?(?:(?://[^\n]*|/\*.*?\*/)\s*)*"
    r"(?:<\?php\b|export\b|import\b|const\b|let\b|var\b|module\.exports\b|[\"']use strict[\"'])",
    re.DOTALL,
)


def module_strings(source: str) -> list[str] | None:
    """The string literals holding Chinese words of a source that is a module of code (a TypeScript
    file exporting the policy's paragraphs, a PHP language file of ``$lang[…] = '…';``), in order,
    where they hold nearly all its Chinese (a page's script holding a few is no such module); else None."""
    if not _MODULE.match(source):
        return None
    strings = [
        v for m in _STRING.finditer(source) if _HAN.search(v := next(g for g in m.groups() if g is not None))
    ]
    inside, every = sum(han_count(v) for v in strings), han_count(source)
    return [_unescaped(v) for v in strings] if every and inside >= 0.8 * every else None


def json_strings(source: str) -> list[str] | None:
    """The string values holding Chinese words of a source that is one JSON document (a locale file of
    the policy's paragraphs, ``{"privacy": {"p1": "我们会收集…"}}``), in order; else None."""
    text = source.lstrip("\ufeff \t\r\n")
    if not text.startswith(("{", "[")):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    out: list[str] = []
    todo = [data]
    while todo:  # depth first, in the document's order
        value = todo.pop()
        if isinstance(value, str) and _HAN.search(value):
            out.append(value)
        elif isinstance(value, dict | list):
            todo.extend(reversed(list(value.values() if isinstance(value, dict) else value)))
    return out or None


def han_count(text: str) -> int:
    """How many Chinese characters ``text`` holds."""
    return len(_HAN.findall(text))


# a template that renders markup held elsewhere: v-html="content", a mini-program's <rich-text nodes=…>
_BINDS_MARKUP = re.compile(r"\sv-html\s*=|<rich-text\b|dangerouslySetInnerHTML", re.IGNORECASE)
_TAG = re.compile(r"<(?:p|div|br|h[1-6]|li|ul|ol|span|strong|b|table|tr|td)\b[^<>]*>", re.IGNORECASE)


def binds_markup(source: str) -> bool:
    """Whether the template renders markup it is given (v-html, rich-text) rather than text."""
    return _BINDS_MARKUP.search(source) is not None


def markup(strings: list[str]) -> bool:
    """Whether the script's strings are markup (['<p>上海秋比科技有限公司是…</p>', …]), not lines of text."""
    return sum(bool(_TAG.search(s)) for s in strings) * 2 >= len(strings)


def _unescaped(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": " "}.get(m.group(1), m.group(1)), value)


def with_breaks(source: str) -> str:
    r"""``source`` with the line breaks it writes as expressions ({"\n"}) made breaks (<br>), as its page
    shows them; a page without one is returned as it is."""
    if "\\n" not in source:
        return source
    return _LINE_BREAK.sub(lambda m: "<br>" * (len(m.group(2)) // 2), source)


# a raw-text element, or a component written in PascalCase (<Header lang="zh" />, <Layout.Footer />),
# which no page writes
_RAW_TEXT = re.compile(r"<((?i:style|script)|[A-Z]\w*(?:\.\w+)*)\b")
# an Astro component's code fence, or a page's YAML front matter, at the top: the source's, not the page's
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?^---[ \t]*$", re.DOTALL | re.MULTILINE)
_TAG_MAX = 200_000  # characters of one tag's attributes (a page's whole CSS in one, as JSX may write it)


def astro_component(source: str) -> bool:
    """Whether ``source`` is an Astro component: a code fence of statements (--- import …) at the top,
    markup below it, whatever the file is named or served as."""
    return source.lstrip("\ufeff").startswith("---") and _MODULE.match(source) is not None


def without_front_matter(source: str) -> str:
    """``source`` without the code fence an Astro component opens with (``---`` import …; ``---``) or
    the YAML front matter of a page a static site builds: code and metadata, not text the page shows."""
    return _FRONT_MATTER.sub("", source, count=1) if source.lstrip("\ufeff").startswith("---") else source


def raw_text_closed(source: str) -> str:
    """``source`` with each self-closing ``<style … />`` or ``<script … />`` (as JSX writes them, their
    content in an attribute: ``dangerouslySetInnerHTML={{ __html: "p {…}" }}``) opened and closed: an
    HTML parser takes such a tag for an open one and swallows the whole page after it as its raw text.
    So is a self-closing component (``<Header lang="zh" />``), which a parser would leave open over the
    rest of the page (and take for the page's header). Quotes and braces inside the tag are skipped; a
    source without one is returned as it is."""
    if "/>" not in source:
        return source
    out, done, scanned = [], 0, 0
    for m in _RAW_TEXT.finditer(source):
        if m.start() < scanned:
            continue  # inside a tag read already (a quoted attribute)
        end = _tag_end(source, m.end())
        if end is None:
            break  # no tag ends after this one either: the rest is read as it is
        scanned = end
        if source[end - 1] == "/":
            out += [source[done : end - 1], f"></{m.group(1)}>"]
            done = end + 1
    return "".join(out) + source[done:] if out else source


def _tag_end(source: str, at: int) -> int | None:
    """The index of the ``>`` that ends the tag whose attributes start at ``at``, outside quotes and
    braces; None when there is none within :data:`_TAG_MAX` characters."""
    depth, quote, i = 0, "", at
    stop = min(len(source), at + _TAG_MAX)
    while i < stop:
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return i
        i += 1
    return None
