"""Shared pieces of the privacy-facts stage: the word lists, what one extractor reports, and the
canonical forms of values (phone numbers, URLs, amounts of time).

See :mod:`monitor.document.facts` for the stage itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from monitor.document.cfemail import EMAIL as EMAIL  # the pattern pages and facts share
from monitor.document.normalize import canon, cn_number, split_sentences

Attrs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """One statement of a fact, as an extractor finds it in one sentence."""

    category: str
    kind: str
    value: str
    attrs: Attrs = ()
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where a sentence sits: what the headings above it are about (clauses under the same headings
    share one)."""

    titles: tuple[str, ...] = ()  # canon'd titles from the top-level section down to the clause
    contact: bool = False  # a section about 联系我们 / 如何联系 / 个人信息保护负责人
    rights: bool = False  # a section about the user's rights
    share: str | None = None  # the relation a section about sharing is about (共享, 委托处理 …)
    collect: bool = False  # a section about collecting or using information
    permissions: bool = False  # a section about device permissions (二、设备权限)
    definitions: bool = False  # a section of definitions (名词定义, 关键词定义)
    operators: frozenset[str] = field(default_factory=frozenset)
    selves: frozenset[str] = field(default_factory=frozenset)  # Latin names of the policy's own product


# ---------------------------------------------------------------------------------------------
# word lists


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's C loader where PyYAML has it (the word lists load in a tenth
    of the time; the result is the same)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("monitor").joinpath("data/pi_types.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


def alternation(words: list[str]) -> re.Pattern[str]:
    """Any of ``words`` (case ignored), the longest where several start at the same place.

    The words are written as a trie (手机(?:号(?:码)?)?|…) rather than one alternative each, longest
    first: the same matches, but Python's regex engine then tries one branch per character instead of
    every word at every position (a lexicon has hundreds)."""
    trie: _Trie = {}
    for word in {canon(w).lower() for w in words if w}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    # where a word starts with a letter, case ignored keeps the engine from skipping ahead to a
    # position where some word could start: a lookahead of the first characters does it (two to three
    # times faster on a policy's sentences; the same matches)
    firsts = {c for ch in trie if ch for c in (ch, ch.upper())}
    cased = any(c.isupper() for c in firsts)
    ahead = "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])" if cased else ""
    return re.compile(ahead + _trie_pattern(trie), re.IGNORECASE)


_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
    """A node's pattern: its children's branches, optional where a word ends at the node (greedy:
    the longer word is tried first, and in a trie only one branch can match the next character)."""
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _key(word: str) -> str:
    return canon(word).lower()


@dataclass(frozen=True, slots=True)
class WordMap:
    """Words → canonical names, with one pattern that finds any of them."""

    pattern: re.Pattern[str]
    canonical: dict[str, str | None]  # lowercased canon'd word → name (None: not a match)

    def name(self, word: str) -> str | None:
        """The canonical name of one word, None where the map does not know it (or ignores it)."""
        return self.canonical.get(_key(word))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        out = []
        for m in self.pattern.finditer(text):
            name = self.canonical.get(m.group(0).lower())
            if name and not inside_a_word(text, m.start(), m.end()):
                out.append((name, m.start(), m.end()))
        return out


def inside_a_word(text: str, start: int, end: int) -> bool:
    """Whether a match that begins or ends with a Latin letter runs on into a longer Latin word: GUID
    in the Portuguese seguida is no GUID."""
    before = start > 0 and _is_latin(text[start]) and _is_latin(text[start - 1])
    after = end < len(text) and _is_latin(text[end - 1]) and _is_latin(text[end])
    return before or after


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def word_map(groups: dict[str, list[str]], ignore: list[str] | None = None, names: bool = True) -> WordMap:
    """``names``: a canonical name is one of its own words too."""
    canonical: dict[str, str | None] = {}
    for name, words in groups.items():
        if names:
            canonical.setdefault(_key(name), name)
        for w in words:
            canonical[_key(w)] = name
    for w in ignore or []:
        canonical[_key(w)] = None
    return WordMap(alternation(list(canonical)), canonical)


@dataclass(frozen=True, slots=True)
class PiTypes:
    words: WordMap
    group: dict[str, str]  # canonical → Appendix A group
    sensitive: frozenset[str]


def lexicon_spelling(text: str) -> str:
    """``text`` spelt as the type lexicon spells it: 帐 read as 账 (帐号密码 is 账号密码)."""
    return text.replace("帐", "账")


@cache
def pi_types() -> PiTypes:
    lx = lexicon()
    fold: dict[str, list[str]] = lx["fold"]
    folded = {_key(w): name for name, words in fold.items() for w in words}
    groups: dict[str, list[str]] = {}
    group_of: dict[str, str] = {}
    for source in (lx["personal"], lx["extra"]):
        for group, words in source.items():
            for w in words:
                name = folded.get(_key(w), w)
                groups.setdefault(name, []).append(w)
                group_of.setdefault(name, group)
    for name, words in fold.items():
        groups.setdefault(name, []).extend(words)
    appendix_b = {_key(w) for words in lx["sensitive"].values() if isinstance(words, list) for w in words}
    sensitive = {n for n, ws in groups.items() if _key(n) in appendix_b or appendix_b & {_key(w) for w in ws}}
    sensitive.update(lx["sensitive_extra"])
    return PiTypes(word_map(groups, lx["ignore"]), group_of, frozenset(sensitive))


@cache
def named_map(key: str) -> WordMap:
    """``permissions``, ``purposes``, ``recipient_kinds``, ``platforms`` or ``places`` (only the
    words listed)."""
    return word_map(lexicon()[key], names=False)


@cache
def rights_maps() -> tuple[WordMap, WordMap]:
    """(strong words, all words) of the rights a user has."""
    rights: dict[str, dict[str, list[str]]] = lexicon()["rights"]
    strong = word_map({name: words["strong"] for name, words in rights.items()}, names=False)
    every = word_map({name: words["strong"] + words["weak"] for name, words in rights.items()}, names=False)
    return strong, every


# a right's word before a thing it does not give the user (访问日期, 修改时间, 删除键), or before a place
# or a resource of the device the app reaches (访问官网, 访问剪贴板: no right of access)
NOT_RIGHT_AFTER = re.compile(
    r"日期|时间|记录|日志|来源|状态|次数|历史|网页|页面|链接|地址|权限|范围|键|按钮"
    r"|网站|官网|剪贴板|剪切板|相册|相机|摄像头|麦克风|通讯录|存储空间|量|者"  # 访问量, 访问者: visits
    r"|[和与及、](?:保存|存储|收集|使用|读取|处理)"  # 访问和保存的数据: the app's, beside its processing
)
# a heading over a section about the user's rights (您的权利, 如何访问、更正、删除您的个人信息, 你的选择):
# access to the network, a site or the official site (网络访问, 官网访问, 访问剪贴板) is none
RIGHTS_TITLE = re.compile(
    r"权利|管理您的|管理个人信息|个人信息管理|(?<!网络)(?<!网站)(?<!官网)访问(?!控制|"
    + NOT_RIGHT_AFTER.pattern
    + r")|更正|删除|注销|撤回|查询|副本|响应您的|授权同意的范围"
    r"|(?:您|你|用户|的|和|与)选择$"  # 你的选择, 用户选择, 权利与选择: what the user may do (Your choices)
)


# ---------------------------------------------------------------------------------------------
# canonical values

_DATES = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"
    r"|(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
)
# a denial before a word, in the same part of its sentence: 我们不会将您的信息用于营销 rules 营销 out
# an SDK denied (不接入广告 SDK, 未集成任何统计 SDK), but for 除…
RULED_OUT = re.compile(
    r"(?:不会|不得|不将|不再|不用于|不做|不进行|不以|绝不|禁止|并非|不是|无意"
    r"|(?:不|未|没有)(?:接入|接(?![受收到触])|集成|嵌入|包含|构建|投放))[^,;:。除]*$"
)
# what the sentence says is not used, built or held (也不使用分析工具…或任何画像服务, 我们不构建用户画像,
# 不包含…崩溃上报服务): no purpose or service of it
NOT_USED = re.compile(r"(?:不|未|没有)(?:使用|采用|提供|包含|含|构建|建立|投放)[^,;:。除]*$")
# an SDK named by nothing but a platform: an edition of the one the policy is about (Harmony版SDK)
EDITION = re.compile(
    r"^(?i:ios|android|安卓|harmony(?:os)?|openharmony|鸿蒙|windows|mac(?:os)?|linux|web|h5|小程序|flutter|unity)版?$"
)
# after a platform's name, the place of a setting (在微信授权设置中管理权限): where, not to whom
SETTING_AFTER = re.compile(r"\s*(?:的)?(?:授权|隐私|权限|系统)?(?:设置|管理页)")
SDK_WORD = re.compile("SDK", re.IGNORECASE)  # looked for before an SDK name's pattern: most lines lack it
# what precedes "SDK" in running text is a name only after the last function word: in
# "我们可能会接入第三方服务商提供的SDK" nothing is, in "我们接入了极光推送SDK" it is 极光推送
SDK_CUT = re.compile(
    r".*(?:的|了|和|与|或|及|在|由|等|为|是|将|通过|使用|接入|集成|嵌入|提供|包括|如|基于|除|属于|来自"
    r"|优化|提升|升级|调用|加载|装载|适配|初始化|引入)"  # a verb run in: 为了优化Hippy SDK 功能
)
PERCENT_BYTES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# an address written so that robots miss it is the address: deva[@]x.com, deva(at)x.com, deva ＠ x.com
_MASKED_AT = re.compile(
    r"(?<=[A-Za-z0-9._%+-])\s?(?:\[@\]|\(@\)|（@）|\[at\]|\(at\)|（at）|＠)\s?(?=[A-Za-z0-9-]+\.[A-Za-z])",
    re.IGNORECASE,
)


# what every masked address holds (an @, or the t of "at" before its closing bracket): looked for first,
# as most lines hold none (where a bracket alone is in most lines of a policy)
_MASK_HINTS = ("@", "＠", "t]", "t)", "t）", "T]", "T)", "T）")


def unmask_emails(text: str) -> str:
    """``text`` with each masked e-mail address (``deva[@]xposedornot.com``) written plainly."""
    return _MASKED_AT.sub("@", text) if any(h in text for h in _MASK_HINTS) else text


# the top-level domains a bare address is read with (soapbox.pub, goblin.st/team): the common ones,
# none that is also a file's extension (.md, .sh, .py, .js, .ts, .rs, .pl, .go) or an English word
# (in small letters only, but for com, cn, net and org: 数据保护条例 UE.De acordo is two sentences)
_TLDS = (
    "com|cn|net|org|(?-i:io|dev|app|me|co|cc|ai|tech|info|biz|tv|top|xyz|site|pub|st|im|gg|ly|page|"
    "blog|club|online|pro|live|life|world|edu|gov|hk|tw|jp|uk|de|fr|ru|eu|ch|nl|se|fi|kr|sg|au|ca|moe)"
)
URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+"
    # a bare address: not glued to a letter of a Latin script, accented ones too
    rf"|(?<![A-Za-z0-9@.\u00c0-\u024f])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_TLDS})(?![A-Za-z0-9\u00c0-\u024f-])"
    r"(?:/[A-Za-z0-9._~:/?#@!$&'*+,;=%-]*)?",
    re.IGNORECASE,
)


def without_links(text: str) -> str:
    """The text with e-mail addresses and URLs blanked out (looked for only where a line could hold
    one: most hold neither an ``@`` nor a ``.``)."""
    if "@" in text:
        text = EMAIL.sub(" ", text)
    return URL.sub(" ", text) if may_link(text) else text


def may_link(text: str) -> bool:
    """Whether ``text`` could hold a URL (every one has a ``.`` or a ``://``)."""
    return "." in text or "://" in text


def without_noise(text: str) -> str:
    """The text with e-mail addresses, URLs, percent-encoded bytes and calendar dates blanked out, so
    that none of them is read as an amount or a phone number."""
    text = without_links(text)
    if "%" in text:
        text = PERCENT_BYTES.sub(" ", text)
    return _DATES.sub(" ", text)


_EXTENSION = re.compile(r"^(.*\d)\s*(?:-|转|ext\.?|x)\s*\d{1,4}$", re.IGNORECASE)
_FULL_NUMBER = re.compile(r"(?:400|800)\d{7}|1[3-9]\d{9}|0\d{9,11}")


def phone_digits(raw: str) -> str:
    """Digits only, without +86, and without an extension after a complete number
    (4000188113-6 is the hotline 4000188113: the same channel, another menu)."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) > 11 and digits.startswith("86"):
        digits = digits[2:]
    m = _EXTENSION.match(raw.strip())
    if m:
        main = phone_digits(m.group(1))
        if _FULL_NUMBER.fullmatch(main):
            return main
    return digits


# an address a program fetches (an API, a data file), or the address of a document (a policy, terms),
# not a page where people reach the operator
_ENDPOINT = re.compile(
    r"/api/|\.(?:json|xml|csv|js|txt)$|/[^/]*(?:privacy|policy|policies|terms|agreement|legal|eula)[^/]*$",
    re.IGNORECASE,
)
# "《隐私权政策》(https://…)", "隐私政策请见: https://…": the link's label names a document
_DOCUMENT_LABEL = re.compile(
    r"(?:政策|协议|规则|声明|条款|指引|Policy|Terms)[》」】\])]*[(（:：\s]*(?:请见|详见|见)?[:：]?\s*<?$",
    re.IGNORECASE,
)


def document_link(line: str, previous: str) -> bool:
    """Whether ``line`` holds a web address alone under a line that names a document (巨量引擎转化跟踪sdk
    隐私政策, then https://open.oceanengine.com/…): the document's address, no channel."""
    bare = line.strip()
    m = URL.match(bare)
    alone = m is not None and m.end() == len(bare)
    return alone and _DOCUMENT_LABEL.search(previous.strip()[-16:]) is not None


def no_channel(url: str, before: str = "") -> bool:
    """Whether a web address (canonical) is no contact channel: an API or data file, a pattern of
    addresses (``*/*``, ``hq.sinajs.cn/*``: a browser extension's host permissions), or a document
    (``before``: the text just before the address, where a link's label names the document)."""
    return "*" in url or bool(_ENDPOINT.search(url) or _DOCUMENT_LABEL.search(before[-16:]))


def canonical_url(raw: str) -> str:
    """No scheme, no ``www.``, lowercase host, percent-decoded, no #fragment, no trailing slash."""
    raw = raw.rstrip(".,;:!?)]}'\"")
    if "(" in raw and ")" not in raw[raw.index("(") :]:
        raw = raw[: raw.index("(")]  # "…/protocol(opens new window)": the link's label, not its address
    if ")" in raw and "(" not in raw[: raw.index(")")]:
        raw = raw[: raw.index(")")]  # "[…](https://…/privacy-policy),uploaded": the link ended there
    parts = urlsplit(raw if "://" in raw else "http://" + raw)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    query = unquote(parts.query)
    return host + path + (f"?{query}" if query else "")


NUMBER = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_UNITS = {"工作日": "个工作日", "天": "日", "自然日": "日", "月": "个月", "星期": "周"}


def amount(number: str, unit: str) -> str | None:
    """``十五`` + ``天`` → ``15日``; ``15`` + ``个工作日`` → ``15个工作日``."""
    value = cn_number(number)
    if value is None or value <= 0:
        return None
    unit = unit.removeprefix("个")
    unit = _UNITS.get(unit, unit)
    n = int(value) if value == int(value) else value
    return f"{n}{unit}"


_SPLITTERS = str.maketrans({"?": "\ue000", ";": "\ue001", "!": "\ue002"})
_RESTORE = str.maketrans({"\ue000": "?", "\ue001": ";", "\ue002": "!"})


def sentences_of(line: str) -> list[str]:
    """The sentences of one line, canon'd; a ``?`` or ``;`` inside a URL does not end a sentence."""
    text = canon(line)
    hidden = URL.sub(lambda m: m.group(0).translate(_SPLITTERS), text) if may_link(text) else text
    if hidden == text:  # no URL with a splitter in it (most lines): nothing to restore
        return split_sentences(text)
    return [s.translate(_RESTORE) for s in split_sentences(hidden)]
