"""A type of personal information the new version no longer names anywhere: a change of what is
processed, read from the two inventories (:mod:`fact_findings` reports it where no finding of the
clause covers it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from monitor.compare import renames
from monitor.compare.fact_delta import FactChange
from monitor.document.facts_base import lexicon_spelling, pi_types
from monitor.document.facts_processing import NOT_TAKEN
from monitor.document.normalize import norm, simplified, traditional


def type_gone(f: FactChange, new_text: str, renamed: Sequence[tuple[str, str]] = ()) -> bool:
    """A type of personal information the new version no longer names anywhere, in any of its words
    (TouchGal's 银行账户 taken out of a list), that the old one named as information it takes: not in
    its contact section (an e-mail address to reach the operator at is no information collected), not
    where it says it does not take it (不会收集您的住址), not as a web address (网站地址), not only inside
    a name the new version ``renamed`` (小小怪头像 → 次元画册: no 头像 gone)."""
    if f.kind != "pi_type" or f.change != "removed" or f.old is None:
        return False
    said = lexicon_spelling(simplified(f.old.sentence))
    if renamed:
        as_renamed = lexicon_spelling(simplified(renames.apply(f.old.sentence, renamed)))
        if all(name != f.value for name, _, _ in pi_types().words.find(as_renamed)):
            return False
    if _CONTACT.search(said) or any(_CONTACT.search(path) for path in f.old.paths) or NOT_TAKEN.search(said):
        return False  # the operator's channels, or information the policy says it does not take
    types = pi_types().words
    named = [(said[max(0, s - 2) : s], said[s:e]) for name, s, e in types.find(said) if name == f.value]
    if named and all(word == "地址" and _WEB_BEFORE.search(before) for before, word in named):
        return False  # 网站地址, web端地址: a web address, no home address
    text, names = _read(new_text)
    if any(w.lower() in text for _, word in named for w in _spellings(norm(word))):
        return False  # its words are still there (WiFi BSSID, run together as the text is; 昵称 as 暱稱)
    return f.value not in names


@lru_cache(maxsize=2)
def _read(new_text: str) -> tuple[str, frozenset[str]]:
    """The new version's text as searched (as written and in simplified characters, lower case) and the
    types it names: once per document, whatever the number of facts asked about."""
    plain = simplified(new_text)
    names = frozenset(name for name, _, _ in pi_types().words.find(lexicon_spelling(plain)))
    return new_text.lower() + "\n" + plain.lower(), names


def _spellings(word: str) -> tuple[str, str, str]:
    """A word as written, in traditional characters, and those read back as simplified (暱稱 is 暱称)."""
    return word, traditional(word), simplified(traditional(word))


# where the operator is reached (联系我们, 投诉), not a list of contacts (联系人) collected
_CONTACT = re.compile(r"联系(?!人)|联络|聯繫(?!人)|聯絡|投诉|投訴|contact", re.IGNORECASE)
_WEB_BEFORE = re.compile(r"(?:网站|网页|站点|链接|页面|[A-Za-z0-9端址])$")


# a denial of taking, then words up to the type in the same part of the sentence (绝不会从你的设备中收集任何)
_DENIED_BEFORE = re.compile(
    r"(?:不|未|无需|无须|从不|绝不|没有)(?:会|再)?[^,;:。!?]{0,12}?(?:收集|采集|获取|接收|存储|保存|访问|上传|读取|追踪|跟踪)"
    r"[^;:。!?]*$"
)


def denied_only(word: str, text: str) -> bool:
    """Whether ``text`` names a type of information only where it says it does not take it (Organic
    Maps 绝不会从你的设备中收集任何位置信息、统计数据): no type taken on. ``text`` is read as the signals
    read it."""
    read = lexicon_spelling(simplified(text))
    at = [m.start() for m in re.finditer(re.escape(word), read)]
    return bool(at) and all(_DENIED_BEFORE.search(read[:start].rsplit("\n", 1)[-1]) for start in at)
