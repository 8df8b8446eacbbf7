"""Whether an edited sentence reverses its meaning or only looks so: its negation moved elsewhere (a
run-on sentence split), or a remark that denies nothing about information was put in or cut out whole.

``signals.reverses`` compares the parity of two sentences' negations; ``classify`` asks these two
questions before it calls a change of parity a reversal (含义反转).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from monitor.compare import signals
from monitor.document.normalize import canon, norm, simplified, words_only


def negation_moved(before: str, after: str, clause: tuple[str, str], whole: tuple[str, str]) -> bool:
    """Whether the denial one sentence has and the other lacks is stated all the same by the other
    side's clause, in a sentence of its own (…联系我们 我们不会将您的联系信息用于营销 → …联系我们。
    我们不会将…), or by the other whole document, the whole part of the sentence it sits in (a run of
    text cut into sections: 我们是谁…收集的数据类型我们不会主动收集您的个人信息,除非… → 网站名称…):
    a run-on sentence split, not a meaning reversed. ``clause``: the old and new text of the clause;
    ``whole``: the old and new document, normalized."""
    extra = [n for n in signals.negations(before) if n not in signals.negations(after)] or [
        n for n in signals.negations(after) if n not in signals.negations(before)
    ]
    gone = bool(extra) and extra[0] in signals.negations(before)
    other = _one_negator(words_only(canon(clause[1] if gone else clause[0])))
    if not extra or all(_one_negator(n) in other for n in extra):
        return bool(extra)
    parts = [norm(p) for p in _PART.split(canon(before if gone else after)) if signals.negations(p)]
    text = whole[1] if gone else whole[0]
    return bool(parts) and all(len(p) >= 8 and p in text for p in parts)


def _one_negator(text: str) -> str:
    """``text`` with every negator written 不: a denial reworded with another one (本条款没有提及的 →
    本条款未提及的) denies the same."""
    return signals.NEGATION.sub("不", text)


_PART = re.compile(r"[,;:。!?]")  # the parts of a sentence (canon writes its punctuation in ASCII)


def statement_cut_or_put(before: str, after: str) -> bool:
    """Whether one sentence is the other with a whole statement cut out or put in, nothing else
    rewritten, and that statement denies nothing about information: a remark removed or added
    beside the others, not a meaning reversed (…请联系我们: Email: … 仅提供翻译,不要包含其他内容: 最后更新
    → …请联系我们: Email: … 最后更新). A promise about information cut out (…,不会用于营销) is one
    taken back, as is a qualification put after a statement (…,但不会自动删除 iCloud 上的副本);
    不会 cut out of 我们不会共享 is a span too short to say anything of its own."""
    a, b = norm(canon(before)), norm(canon(after))
    ops = [op for op in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops or {op[0] for op in ops} not in ({"delete"}, {"insert"}):
        return False
    spans = [a[i1:i2] if tag == "delete" else b[j1:j2] for tag, i1, i2, j1, j2 in ops]
    denied = [x for x in spans if signals.negations(x)]
    return bool(denied) and all(
        len(x) >= 8 and _PART.search(x) and not _ABOUT_DATA.search(x) and not _BUT.match(x.lstrip(",;:"))
        for x in denied
    )


_BUT = re.compile(r"但|然而|而|却|除|不过|可是|只是")
_ABOUT_DATA = re.compile(
    r"信息|数据|资料|隐私|个人|账号|账户|帐号|Cookie|位置|照片|设备|权限|第三方"
    r"|收集|使用|用于|共享|分享|出售|披露|存储|保存|上传|营销|推广|广告|追踪|跟踪",
    re.I,
)


# processing the user now turns on, off until then (此功能预设为关闭; 仅在您主动开启后才会记录)
_OPT_IN = re.compile(
    r"(?:默认|预设)(?:为|是)?(?:关闭|不开启|不启用|停用)|仅在您?(?:于[^。,;]{0,12})?(?:主动|手动)?(?:开启|启用|打开)"
)
_TAKES = re.compile(r"收集|采集|记录|读取|上传|保存|存储|获取|同步")


def made_optional(before: str, after: str) -> bool:
    """Whether taking information the sentence speaks of is now off until the user turns it on (剪贴簿功能会
    记录最近复制的文字 → 仅在您主动开启「剪贴簿历史」后,才会记录…): a change of how it is processed."""
    a, b = simplified(canon(before)), simplified(canon(after))
    return _OPT_IN.search(b) is not None and _OPT_IN.search(a) is None and _TAKES.search(b) is not None
