"""Is a capture the policy at all? Checks that keep a bad fetch from becoming a bogus version.

A capture is *suspicious* (recorded with the reason, never stored as a version) when it is:
an empty body; a body of another type (image, JSON); an HTML page cut off before ``</html>``, a PDF
cut off before its last ``%%EOF``; a captcha, login wall or error page served with status 200; an
empty shell whose text a script builds after load (an empty ``<div id="app">`` and scripts: such a
page needs ``fetcher: browser``); a text that does not read like a privacy policy; or a text that
lost most of the current version (under half its characters).

Pure functions over bytes and documents: no I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.model import Document

MIN_KEPT = 0.5  # a new text must keep at least this share of the current version's characters
SHORT = 3000  # characters: a page this short is checked for challenge / login / error wording

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_PDF_TYPES = ("application/pdf", "application/x-pdf", "application/octet-stream")
_CHALLENGE = re.compile(
    r"验证码|滑动验证|拖动滑块|滑块验证|安全验证|人机验证|行为验证|访问验证|请完成验证|点击按钮进行验证|"
    r"captcha|geetest|are you a robot|verify you are human|checking your browser|访问被拒绝|access denied|"
    r"请开启\s*javascript|enable javascript|访问过于频繁|请求过于频繁",
    re.IGNORECASE,
)
_LOGIN = re.compile(
    r"请登录|请先登录|登录后查看|登录后访问|扫码登录|账号登录|sign in to continue|please log ?in",
    re.IGNORECASE,
)
_ERROR = re.compile(
    r"\b404\b|\b50[0234]\b|页面不存在|页面找不到|找不到页面|页面走丢|not found|"
    r"系统繁忙|服务器错误|服务器开小差|服务暂不可用|访问出错|网络异常|页面已下线|维护中|"
    r"internal server error|bad gateway|service unavailable",
    re.IGNORECASE,
)
_RAW_CHALLENGE = re.compile(
    rb"captcha|geetest|nc_1_|slider|_waf_|aliyun_waf|cf-chl|challenge-platform", re.IGNORECASE
)
_POLICY_WORDS = re.compile(r"个人信息|隐私")
_SCRIPT = re.compile(rb"<script\b", re.IGNORECASE)
# an element scripts mount an app into, left empty in the HTML as served
_MOUNT = re.compile(
    rb"<(div|main|section|body)\b[^>]*\bid\s*=\s*[\"']?(app|root|__next|__nuxt|main|container|page)[\"']?[^>]*>"
    rb"\s*</\1>",
    re.IGNORECASE,
)
SHELL = "the page looks built by JavaScript"  # how script_shell's reason begins
SHELL_TEXT = 200  # characters: at most this much text beside scripts makes an HTML page a shell


def check_body(body: bytes, content_type: str | None, media_type: str) -> str | None:
    """Reason why a body cannot be a policy page, before extraction; None when it may be."""
    if not body[:4096].strip() and not body.strip():
        return "empty body"
    if content_type:
        mime = content_type.split(";", 1)[0].strip().lower()
        pdf_ok = media_type == "pdf" and mime in _PDF_TYPES
        if mime and not mime.startswith("text/") and mime not in _TEXT_TYPES and not pdf_ok:
            return f"unexpected content type {mime}"
    if media_type == "pdf" and b"%%EOF" not in body[-2048:]:
        return f"truncated PDF: it ends without %%EOF ({len(body)} bytes)"
    if media_type == "html":
        tail = body[-2048:].lower()
        head = body[:4096].lower()
        if b"<html" in head and b"</html" not in tail and b"</body" not in tail:
            return f"truncated page: the HTML ends without </html> ({len(body)} bytes)"
    return None


def script_shell(body: bytes, characters: int) -> str | None:
    """Why an HTML page with ``characters`` of text is an empty shell that scripts fill after load
    (then a plain fetch never sees the policy), or None. Captcha pages, which are scripts too, are
    left to :func:`check_document`."""
    scripts = len(_SCRIPT.findall(body))
    if not scripts or _RAW_CHALLENGE.search(body):
        return None
    mount = _MOUNT.search(body)
    if mount is None and characters > SHELL_TEXT // 4:
        return None
    if characters > SHELL_TEXT:
        return None
    what = [f'an empty <{mount.group(1).decode()} id="{mount.group(2).decode()}">'] if mount else []
    what.append(f"{scripts} script{'s' if scripts > 1 else ''}")
    return f"{SHELL} ({' and '.join(what)}, {characters} characters of text)"


def looks_like_policy(text: str) -> bool:
    return len(text) >= 300 and len(_POLICY_WORDS.findall(text)) >= 3


def check_document(doc: Document, body: bytes, current_characters: int | None) -> str | None:
    """Reason why an extracted document is not a plausible version of the policy; None when it is."""
    text = "\n".join(c.full_text for c in doc.clauses())
    characters = doc.counts()["characters"]
    policy = looks_like_policy(text)
    if len(text) < SHORT and not policy:
        shell = script_shell(body, characters)
        if shell:
            return shell
        probe = f"{doc.title or ''}\n{text}"
        for pattern, what in (
            (_CHALLENGE, "a captcha or bot check"),
            (_LOGIN, "a login wall"),
            (_ERROR, "an error page"),
        ):
            m = pattern.search(probe)
            if m:
                return f"looks like {what} ({m.group(0)!r}), not the policy"
        m_raw = _RAW_CHALLENGE.search(body)
        if m_raw:
            marker = m_raw.group(0).decode("ascii", "replace")
            return f"looks like a captcha or bot check ({marker!r} in the page), not the policy"
    if not policy:
        return (
            f"does not read like a privacy policy ({characters} characters, "
            "hardly a mention of 个人信息/隐私)"
        )
    if current_characters and characters < MIN_KEPT * current_characters:
        return (
            f"text shrank to {characters} characters from {current_characters} "
            f"(under {MIN_KEPT:.0%} of the current version): truncated or a different page?"
        )
    return None
