"""The fact delta of two whole documents, applied to the clause changes.

A clause-level finding that rests on a fact coming or going (a new recipient, a removed contact
channel, a new type of personal information, another legal entity) stands only when the other whole
document does not state that fact: a clause that moved, split, merged or was reworded keeps its
facts, so it raises nothing. Conversely, a fact the inventories gained, lost or
altered in a category of the 重大变更 list that no clause finding reports (a row of an SDK table, a
right's time limit) becomes a finding of the clause that states it.

Findings that do not rest on a fact list (a negation or modality flip, a longer time limit read
from an edited sentence, a new obstacle to a right, a removed promise) are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import NamedTuple

from monitor.compare.diff import mostly_new, words
from monitor.compare.fact_delta import FactChange, summary_lines
from monitor.compare.flows import han_share
from monitor.compare.types_gone import type_gone
from monitor.document.facts_base import lexicon
from monitor.document.facts_processing import NOT_ASKED
from monitor.document.normalize import norm, simplified, words_only
from monitor.model import Change, Clause, split_sentences

Finding = tuple[str, str]  # (category, evidence)

# evidence of clause findings that rest on a set of facts coming or going, by category
_FACT_BASED: dict[str, tuple[str, ...]] = {
    "recipients": ("新增共享对象",),
    "contact": ("新增联系方式", "删除联系方式", "联系方式 "),
    "controller": ("运营主体变更", "控制或关联主体变更", "新的运营主体"),
    "processing": ("新增个人信息类型", "新增处理目的"),
}
# fact kinds whose change makes a finding of their own (the others only confirm clause findings)
_MATERIAL_KINDS: dict[str, tuple[str, ...]] = {
    # an SDK named in prose is too loosely read; one named in a table or record row is an sdk_name
    "recipients": ("recipient", "recipient_kind", "sdk_name", "service"),
    "contact": ("phone", "email", "address", "department", "account", "form", "url", "link"),
    "controller": ("entity",),
    "processing": ("permission", "cross_border", "purpose", "data_item", "use", "minor_age"),
    "rights": ("time_limit", "right"),
    "risk": ("risk_assessment",),
}


def _clauses(change: Change) -> list[Clause]:
    return [c for c in (change.old, change.new, *change.old_extra, *change.new_extra) if c is not None]


def _paths(change: Change) -> set[str]:
    return {c.path for c in _clauses(change)}


def touching(change: Change, facts: Sequence[FactChange]) -> list[FactChange]:
    """The fact changes stated in (one of) the clause's paths, or in a clause below them."""
    paths = _paths(change)
    out = []
    for f in facts:
        where = set(f.old_paths) | set(f.new_paths)
        if any(w == p or w.startswith(p + " > ") for w in where for p in paths):
            out.append(f)
    return out


def confirmed(
    change: Change,
    findings: list[Finding],
    said: Said,
    old_text: str,
    new_text: str,
    near: Sequence[FactChange] = (),
    translation: bool = False,
) -> list[Finding]:
    """The clause's findings without those resting on facts that both whole documents state: a
    recipient "added" here that the old version names elsewhere, a channel "removed" here that the
    new version still gives, a clause "removed" whose words the new version still has (it was merged
    into another or split). ``said``: what the change says against the other document
    (:func:`said_of`), ``old_text``/``new_text`` the documents' normalized texts, ``near`` the fact
    changes stated in the clause (:func:`touching`), ``translation`` whether the change is one
    (:func:`translated`)."""
    if _still_there(change, said):
        return []
    if translation:  # the same statements in another language: only a new channel is news
        return [(c, e) for c, e in findings if c == "contact" and _new_channels(e, old_text)]
    channels = {f.category for f in near}
    fresh = said.fresh if change.kind == "modified" else []
    kept = []
    for category, evidence in findings:
        if change.kind == "modified" and evidence.startswith(_SAID_ANEW) and not _named_in(evidence, fresh):
            continue  # what the edited clause names, the old document said in the same words
        if change.kind == "modified" and evidence.startswith(_SAID_GONE) and not _right_gone(evidence, said):
            continue  # the sentences granting the right live on elsewhere (the clause was split)

        fact_based = evidence.startswith(_FACT_BASED.get(category, ()))
        # a type of information written into an edited use clause is a new use of it, even when the
        # policy names the type elsewhere; a whole clause that came or went is judged by the documents
        if evidence.startswith("新增个人信息类型") and change.kind == "modified":
            fact_based = False
        if fact_based and _held_by_both(evidence, old_text, new_text):
            continue
        purposes_restated = evidence.startswith("新增处理目的") and _purposes_said(evidence, old_text)
        if change.kind == "added" and purposes_restated:
            continue  # an added section restating, in some other words, purposes the old one gives
        if category == "contact" and "contact" not in channels and _only_web_addresses(evidence):
            continue  # a web address is an operator's channel when the inventory reads it as one
        kept.append((category, evidence))
    return kept


def translated(change: Change, old_han: float = 0.0, retold: bool = False, old_text: str = "") -> bool:
    """An edited clause written in English on one side and in Chinese on the other (a translation
    site's page whose English paragraphs were translated at last), or whose edit is one (what it
    deleted in Latin letters, what it inserted in Chinese characters), or a clause added in Chinese
    to a document written in English that a translation had begun (``old_han``: the old document's
    :func:`han_share`, some Chinese but little; an English policy with no Chinese at all, replaced by
    a Chinese one, is a new policy, unless that is its translation: ``retold``, :func:`retold`). Its
    facts are stated in other words and cannot be matched word for word. Where the whole is ``retold``,
    an added clause that the translation ran into the English kept after it (合规声明 … Privacy Policy
    for FIRE-Now) is one too, when the old text (``old_text``) has its every word in Latin letters."""
    if change.kind == "added":
        added = change.new_text or ""
        if retold and old_text and _all_latin_in(norm(added), old_text):
            return True
        return (retold or _BEGUN <= old_han < 0.2) and han_share(added) > 0.6
    if change.kind != "modified":
        return False
    low, high = sorted((han_share(change.old_text or ""), han_share(change.new_text or "")))
    if low < 0.2 and high > 0.6:
        return True
    deleted = "".join(t for op, t in change.diff if op == -1)
    inserted = "".join(t for op, t in change.diff if op == 1)
    english = len(_LATIN.findall(deleted)) >= _MIN_LETTERS and han_share(deleted) < 0.2
    return english and han_share(inserted) > 0.6


_LATIN = re.compile(r"[A-Za-z]")
_MIN_LETTERS = 40  # of English deleted, for the edit itself to be read as a translation
_BEGUN = 0.05  # the share of Chinese characters of an English document a translation has begun
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9@._-]{2,}")
# the share of Chinese characters of a translation, the English kept beside it or not (FIRE-Now's page:
# its Chinese version put before the English one; Chinese says in fewer letters)
_RETOLD_HAN = 0.2


def _all_latin_in(text: str, old_text: str) -> bool:
    old = old_text.lower()
    return all(w.lower() in old for w in _LATIN_WORD.findall(text))


def retold(old_text: str, new_chinese: str, old_han: float, new_han: float) -> bool:
    """Whether the new document is the old English one translated, the English kept beside it or not:
    the old (normalized, ``old_han`` its :func:`han_share`) has no Chinese, the new (``new_han``) is a
    fifth Chinese at least, and every word in Latin letters of its Chinese clauses (``new_chinese``:
    names and addresses, which a translation keeps: Supabase, Amazon SES, besthistory@126.com) is the
    old one's, three at least. Another company's Chinese policy names what the English one did not
    (Websoft9 Inc. -> 长沙网久软件有限公司, help@huawei.com)."""
    if old_han >= _BEGUN or new_han <= _RETOLD_HAN:
        return False
    return len(set(_LATIN_WORD.findall(new_chinese))) >= 3 and _all_latin_in(new_chinese, old_text)


def new_operator(finding: Finding, old_text: str) -> bool:
    """Whether a finding names an operator the old text never names (Shiguozia Inc, in an English
    preamble put before a Chinese policy of 湖南佳峰环保科技有限公司): news in any language."""
    category, evidence = finding
    if category != "controller" or not evidence.startswith("新增"):
        return False
    values = _values(re.sub(r"\s*\([^()]*\)$", "", evidence))  # without the clause it is in: (开头)
    old = old_text.lower()  # an entity's name is read lowercased (shiguozia inc)
    return not any(norm(v).lower() in old for v in values)


def _new_channels(evidence: str, old_text: str) -> bool:
    """Whether a contact finding names an e-mail, a number or a web address the old text does not
    hold (a channel reads the same in any language)."""
    return any(re.search(r"[@\d.]", v) and norm(v) not in old_text for v in _values(evidence))


# findings of an edited clause that must rest on a sentence it states anew
_SAID_ANEW = ("新增个人信息类型", "新增处理目的", "个人信息存储或传输至", "新增共享对象")


# findings of an edited clause that must rest on a sentence the new document no longer states
_SAID_GONE = ("删除的权利", "删除的行使方式")


def _right_gone(evidence: str, said: Said) -> bool:
    """Whether one of the rights a finding lists, in any of its words, is named in a sentence the new
    document no longer states, with words around it that the new document does not hold either (a
    heading or an item number glued to the sentence is no change of the right)."""
    words = _right_words()
    values = {words_only(norm(w)) for v in _values(evidence) for w in (v, *words.get(v, ()))} - {""}
    for sentence in said.gone:
        for v in values:
            at = sentence.find(v)
            while at >= 0:
                before, after = sentence[max(0, at - 10) : at], sentence[at + len(v) : at + len(v) + 4]
                near = re.split(r"\d", before)[-1] + v + re.split(r"\d", after)[0]
                if near not in said.new_words:
                    return True
                at = sentence.find(v, at + 1)
    return False


def _named_in(evidence: str, sentences: Sequence[str]) -> bool:
    """Whether one of the values a finding lists is named in one of ``sentences`` (words only; a value
    read in simplified characters is named by a sentence in traditional ones)."""
    values = [words_only(norm(v)) for v in _values(evidence)]
    return any(v and (v in s or v in simplified(s)) for v in values for s in sentences)


# 以下统称"凡事摘要"或"我们" / 以下简称"京东"、"我们": names a policy gives itself
_DEFINED = re.compile(r'以下(?:统称|简称|合称|称)?(?:为)?((?:"[^"]{1,20}"(?:或|、|和|及|,)?){2,4})')
_QUOTED = re.compile(r'"([^"]{1,20})"')


def self_names(*texts: str) -> set[str]:
    """The names the policy defines as itself ("我们" among them), read from both versions: a name
    defined beside "我们" in either, or beside a name defined so in the other (a version that calls
    the operator 林中小圣 where the other says 我们). Empty when no definition names "我们"."""
    groups = [set(_QUOTED.findall(m.group(1))) for t in texts for m in _DEFINED.finditer(t)]
    names = {"我们"}
    grew = True
    while grew:
        grew = False
        for group in groups:
            if group & names and not group <= names:
                names |= group
                grew = True
    return names if len(names) > 1 else set()


def _as_self(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "我们")
    return text


class Said(NamedTuple):
    """What a change's clauses say against the other document, compared by their words only:
    punctuation and markup say nothing (使用数据。**我们的… and 使用数据:我们的… state the same), nor
    does a heading (a section merged into its neighbour loses its heading's words), nor the
    operator's names for itself (林中小圣 → 我们)."""

    fresh: list[str]  # the clause's new sentences the old document does not state
    gone: list[str]  # its old sentences the new document does not state
    stated: bool  # whether it has any sentence
    old_words: str  # the old document's words
    new_words: str
    names: set[str]  # the operator's names for itself

    def words(self, text: str) -> str:
        return _words(text, self.names)


def _words(text: str, names: set[str]) -> str:
    return words_only(_as_self(text, names))


def said_of(change: Change, old_text: str, new_text: str) -> Said:
    names = self_names(old_text, new_text)
    old_words, new_words = _words(old_text, names), _words(new_text, names)
    headings = {norm(c.title) for c in _clauses(change) if c.title}
    new_sentences = [_words(x, names) for x in _sentences(change.new_text) if x not in headings]
    old_sentences = [_words(x, names) for x in _sentences(change.old_text) if x not in headings]
    fresh = [s for s in new_sentences if s not in old_words]
    gone = [s for s in old_sentences if s not in new_words]
    return Said(fresh, gone, bool(new_sentences or old_sentences), old_words, new_words, names)


def _still_there(change: Change, said: Said) -> bool:
    """A change whose every sentence the other version states all the same: a clause that went (or
    came) whole, or one cut in two, merged with its neighbour or reordered (a clause that is only a
    heading, by its heading: a list item read as one). Nothing was said anew."""
    whole = {"removed": (change.old, said.new_words), "added": (change.new, said.old_words)}
    clause, other = whole.get(change.kind, (None, ""))
    for text in (clause.text, clause.full_text) if clause is not None else ():
        body = said.words(norm(text))
        if len(body) >= 6 and body in other:
            return True
    return not said.fresh and not said.gone and said.stated


def restated(change: Change, said: Said) -> bool:
    """Whether an added clause's every sentence the old version states all the same (:func:`_still_there`):
    the facts read in it are no news, though read differently where the text sits (a page whose
    sections were one run of text, now paragraphs under headings: 小决定, tests/real/batch27)."""
    return change.kind == "added" and _still_there(change, said)


def _sentences(text: str | None) -> list[str]:
    """The clause's sentences, normalized, each line on its own (a heading is no part of a sentence)."""
    out = []
    for line in (text or "").split("\n"):
        out += [s for s in (norm(x) for x in split_sentences(line)) if len(s) >= 4]
    return out


# a web address, its host a name or an IPv4 address (http://119.45.194.183/)
_WEB = re.compile(r"(?:https?://)?(?:[\w.-]+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?:[/?#:]\S*)?", re.I)


def _listed(evidence: str) -> str:
    """What a finding lists: after ``新增联系方式:``, or after the first word of ``联系方式 a → b``."""
    return evidence.split(":", 1)[1] if ":" in evidence else evidence.split(" ", 1)[-1]


def _values(evidence: str) -> list[str]:
    """The values a finding lists (``a、b``, ``a → b``), each stripped."""
    return [v.strip() for v in re.split(r"[、→]", _listed(evidence)) if v.strip()]


def _only_web_addresses(evidence: str) -> bool:
    """Whether every value a contact finding names is a web address (no phone, e-mail or place)."""
    values = _values(evidence)
    return bool(values) and all("@" not in v and _WEB.fullmatch(v) for v in values)


def _held_by_both(evidence: str, old_text: str, new_text: str) -> bool:
    """Whether every value a fact-based finding names is stated by the side it is said to be missing
    from: ``新增…: a、b`` (a, b in the old text), ``删除…: a`` (a in the new text), ``a → b`` (both)."""
    body = _listed(evidence)
    if "→" in body:
        before, after = body.split("→", 1)
        return _all_in(before, new_text) and _all_in(after, old_text)
    return _all_in(body, old_text if evidence.startswith("新增") else new_text)


_PURPOSE_CUE = re.compile(r"^(?:用于|以便|为了|旨在)")


def _purposes_said(evidence: str, old_text: str) -> bool:
    """Whether no purpose phrase a finding lists is new to the old text, by the rule an edited clause's
    purposes are judged by (classify: two of its words, and half of them, new), here against the
    whole old document (用于读取您选择的视频和保存转换后的音频文件, where the old version said
    用途:访问您选择的视频文件,保存转换后的音频文件)."""
    for value in _values(evidence):
        if not _PURPOSE_CUE.match(value):
            return False  # a purpose of the lexicon (个性化广告) is new unless stated as such
        phrase = _PURPOSE_CUE.sub("", value)
        if not any(len(w) > 1 for w in words(phrase)) or mostly_new(phrase, old_text):
            return False
    return True


def _all_in(listing: str, text: str) -> bool:
    values = [norm(v) for v in listing.split("、")]
    return bool(values) and all(v and v in text for v in values)


def _stated_by_other_side(f: FactChange, old_lower: str, new_lower: str) -> bool:
    """A fact 'added' whose value the old text states (or 'removed' and the new text states): the
    inventory missed it on one side (its context was read differently), it did not come or go."""
    other = old_lower if f.change == "added" else new_lower if f.change == "removed" else None
    if other is None or f.kind == "time_limit":
        return False  # a limit is keyed by what it is for: that the other side names it says nothing
    if f.kind == "service":  # its provider named just before it (存储在…(GSA)的亚马逊网络服务)
        name, _, service = (norm(part).lower() for part in f.value.partition(" "))
        return re.search(f"{re.escape(name)}.{{0,16}}?{re.escape(service)}", other) is not None
    # a permission named as one, not where the policy says it does not ask for it (不申请 internetClient)
    # nor as a word of another sentence (存储于中国境内 is no 存储权限)
    if f.kind == "permission":
        return any(
            not NOT_ASKED.search(other[max(0, m.start() - 16) : m.start()])
            and _AS_PERMISSION.match(other, m.end())
            for m in _found(f, other)
        )
    # a right is stated in any of its words (取消订阅 is 退订): the inventory read it on one side only
    words = _right_words().get(f.value, ()) if f.kind == "right" else ()
    return any(norm(w).lower() in other for w in (f.value, *words))


_AS_PERMISSION = re.compile(r"[^,;:。!?]{0,8}?(?:权限|功能|permission)")


def _found(f: FactChange, text: str) -> Iterator[re.Match[str]]:
    return re.finditer(re.escape(norm(f.value).lower()), text)


@cache
def _right_words() -> dict[str, tuple[str, ...]]:
    """Each right's strong words (退订: 退订, 取消订阅, 取消邮件订阅 …)."""
    rights: dict[str, dict[str, list[str]]] = lexicon()["rights"]
    return {name: tuple(words["strong"]) for name, words in rights.items()}


def _weighs(f: FactChange) -> bool:
    """An impact assessment counts only where one side finds a high risk (GB/T 35273 8.3 f: 个人信息安全
    影响评估报告表明存在高风险时); one newly mentioned with no high risk is no change of the list."""
    if f.kind != "risk_assessment":
        return True
    return any(side is not None and side.attr("high_risk") == "yes" for side in (f.old, f.new))


# a web address the user is told to reach the operator at (可以通过 goblin.st/team 联系…背后的团队), not one
# a contact section merely mentions (此页面是在 privacypolicytemplate.net 创建的)
_REACH = re.compile(r"联系|联络|聯繫|聯絡|反馈|反饋|咨询|諮詢|投诉|投訴|提交|contact", re.I)


def _written_to(f: FactChange) -> bool:
    """A web address counts as a channel where its own sentence speaks of reaching the operator."""
    if f.kind not in ("url", "link"):
        return True
    return any(side is not None and _REACH.search(side.sentence) for side in (f.old, f.new))


def unreported(
    findings: list[Finding],
    near: Sequence[FactChange],
    old_text: str,
    new_text: str,
    topic: str | None = None,
    renamed: Sequence[tuple[str, str]] = (),
) -> list[Finding]:
    """Findings for the fact changes stated in this clause (``near``) that its findings do not cover;
    ``topic``: the clause's (:func:`topics.topic`): in a section about rights or contact, a type of
    information named is what a user asks for or shows, not what is collected."""
    have = {category for category, _ in findings}
    types = topic not in ("rights", "contact", "definitions")
    said = norm(" ".join(evidence for _, evidence in findings))
    candidates = [
        f
        for f in near
        if f.category not in have
        and (f.kind in _MATERIAL_KINDS.get(f.category, ()) or (types and type_gone(f, new_text, renamed)))
        and norm(f.value) not in said  # a finding already names it (a removed channel of a right)
        and _weighs(f)
        and _written_to(f)
    ]
    if not candidates:
        return []
    old_lower, new_lower = old_text.lower(), new_text.lower()
    new = [f for f in candidates if not _stated_by_other_side(f, old_lower, new_lower)]
    out: list[Finding] = []
    for category in dict.fromkeys(f.category for f in new):
        lines = summary_lines([f for f in new if f.category == category])
        out.extend((category, line) for line in lines)
    return out
