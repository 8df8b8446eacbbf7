"""What a clause says, as facts that can be compared between two versions.

Pure functions over text. ``facts(text)`` lists what the text names (types of personal information,
purposes, recipients, rights, contact channels, legal entities); ``sentence_pairs`` lines up the
sentences of two versions of a clause so that ``polarity``, ``modality`` and ``quantities`` can be
compared sentence by sentence. What part of a policy a clause sits in is :mod:`topics`'.
The word lists live in ``data/lexicon.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

from monitor.document.facts_base import (
    EDITION,
    EMAIL,
    NOT_RIGHT_AFTER,
    RULED_OUT,
    SDK_CUT,
    SDK_WORD,
    SETTING_AFTER,
    alternation,
    canonical_url,
    document_link,
    inside_a_word,
    lexicon_spelling,
    load_yaml,
    no_channel,
    phone_digits,
    pi_types,
    unmask_emails,
)
from monitor.document.meta import _DATE, _trim_entity
from monitor.document.normalize import canon, cn_number, simplified, split_sentences, words_only

# ---------------------------------------------------------------------------------------------
# lexicon


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("monitor").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lx = lexicon()
    pi_words = [w for words in lx["personal_information"].values() for w in words]
    return {
        "pi": alternation(pi_words),
        "purposes": alternation(lx["purposes"]),
        "kinds": alternation(lx["recipient_kinds"]),
        "platforms": alternation(lx["platforms"]),
        "rights": alternation(lx["rights"]),
        "exercise": alternation(lx["exercise"]),
        "places": alternation(lx["places"]),
    }


# ---------------------------------------------------------------------------------------------
# facts

_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\dA-Za-z])(?:\d[\d\- ]{3,14}\d)(?![\dA-Za-z])")
_PHONE_CONTEXT = re.compile(r"电话|热线|客服|专线|拨打|致电|手机|联系|号码|传真")
_ADDRESS = re.compile(r"(?:地址|位于|办公地点|住所地?)(?:为|是)?[:：]?\s*([^。;；,，(（]{6,40})")
# a department's name, without the words before it (和个人信息保护负责人, 了专门的…团队) and not
# running through a sentence (的隐私政策详见其官方网站: no 官)
_DEPARTMENT = re.compile(
    r"(?:(?![的和及与了或并向对由])[\u4e00-\u9fff]){0,4}(?:个人信息保护|信息安全|隐私|数据安全|法务|客服|用户服务)"
    r"(?:(?!政策|详见|的|其)[\u4e00-\u9fff]){0,6}?(?:部门|专职部门|专员|负责人|委员会|小组|中心|团队|服务台|官)"
)
_ENTITY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司)")
_SDK = re.compile(r"([\u4e00-\u9fffA-Za-z0-9+]{2,16}?)\s*SDK", re.IGNORECASE)
# giving information to someone (向我们提供 is the user giving it to the operator)
_GIVE_VERB = (
    r"共享|分享给|提供给|提供至|向(?!我们|本公司|本平台|您)[^。]{1,12}提供|传输至|传输给|传送|披露给|公开披露|"
    r"转让给|委托|接入|嵌入|集成|发送给|同步给|对外提供|SDK"
)
_SHARE_VERB = re.compile(_GIVE_VERB + "|第三方")
_GIVES = re.compile(_GIVE_VERB)
_TAKEOVER = re.compile(
    r"并购|合并|收购|重组|承继|继受|控制权|控股|不再控制|实际控制|所有权|破产|变更为|更名为"
)
_RISK = re.compile(
    r"(?:影响评估|风险评估|安全评估).{0,40}?(?:高风险|较高风险|重大风险|风险较高|风险等级为高)"
)


@dataclass(frozen=True, slots=True)
class Facts:
    pi: frozenset[str]
    purposes: frozenset[str]
    recipients: frozenset[str]
    rights: frozenset[str]
    exercise: frozenset[str]
    contacts: frozenset[str]
    entities: frozenset[str]
    places: frozenset[str]  # where information is kept or sent (境外, 新加坡 …)


EMPTY = Facts(*(frozenset() for _ in range(8)))


def _found(pattern: re.Pattern[str], text: str, values: bool = True) -> frozenset[str]:
    """The words of ``pattern`` in ``text``, not where one is part of a longer Latin word; without
    ``values``, not one that labels a value (联系电话：13028802038: a channel, no information collected)."""
    return frozenset(
        m.group(0)
        for m in pattern.finditer(text)
        if not inside_a_word(text, m.start(), m.end()) and (values or not _LABELS_VALUE.match(text, m.end()))
    )


_LABELS_VALUE = re.compile(r"\s*[:：]\s*(?:[+(（]?\d[\d\s()（）-]{5,}|[\w.+-]+@|https?://|www\.)")


def _places(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    """Places named, not languages (日本語, 韩语: a page's language menu sends nothing abroad), nor
    part of a quoted name (「合交链香港」: the product's name), nor a law's (欧盟《通用数据保护条例》)."""
    return frozenset(
        m.group(0)
        for m in pattern.finditer(text)
        if text[m.end() : m.end() + 1] not in ("語", "语", "《") and not _in_name(text, m.start(), m.end())
    )


_OPEN_QUOTE = re.compile(r"[「“\"《]([^」”\"》]{0,12})$")
_CLOSE_QUOTE = re.compile(r"^([^「“\"《]{0,12})[」”\"》]")


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a longer name: quoted (「合交链香港」, not the whole
    quotation), or the end of the name a policy defines itself by (合交链香港(以下简称「我们」))."""
    if start > 0 and text[start - 1].isalnum() and _DEFINED_AFTER.match(text, end):
        return True
    if _NAME_DEFINED.match(text, end):  # the start of it: 美国司法可及基金会("JAF"、"我们"…)
        return True
    before = _OPEN_QUOTE.search(text[max(0, start - 13) : start])
    after = _CLOSE_QUOTE.match(text[end : end + 13])
    return bool(before and after and (before.group(1) or after.group(1)))


_HEREAFTER = r"(?:以下|下称|下稱)"
_DEFINED_AFTER = re.compile(rf"\s*[(（]\s*{_HEREAFTER}")
# the rest of a name the policy then defines itself by (司法可及基金会("JAF"、"我们"…, …公司(以下简称…)
_NAME_DEFINED = re.compile(
    r"[\u4e00-\u9fff]{1,12}?(?:基金会|协会|公司|集团|大学|学院|医院|中心|研究院|工作室)\s*[(（]\s*"
    rf"(?:{_HEREAFTER}|[\"“「])"
)


def _rights(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    return frozenset(m.group(0) for m in pattern.finditer(text) if not NOT_RIGHT_AFTER.match(text, m.end()))


def _affirmed(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    """What ``pattern`` finds where the text does not rule it out (不会…用于营销)."""
    return frozenset(m.group(0) for m in pattern.finditer(text) if not RULED_OUT.search(text[: m.start()]))


# whose address: a user's 收货地址 or 家庭住址 in a list of what is collected is no channel of the operator
_USER_ADDRESS = re.compile(r"(?:收货|收件|寄件|配送|送货|家庭|寄送|发票|IP|MAC|邮箱|邮件|网页|页面)$", re.I)


def _postal(text: str, m: re.Match[str]) -> bool:
    """An operator's postal address: a place with a street or a number, not a user's address field."""
    addr = m.group(1).strip()
    return (
        not _USER_ADDRESS.search(text[max(0, m.start() - 4) : m.start()])
        and not addr.startswith(("、", "和", "及", "或", "等"))
        and bool(re.search(r"[省市区县路街道号楼室]", addr))
        and bool(re.search(r"\d|[路街]", addr))
    )


def contacts(text: str) -> frozenset[str]:
    """Phone numbers (digits only), e-mail addresses, web addresses, postal addresses, departments."""
    found: set[str] = set()
    text = unmask_emails(text)
    found.update(m.group(0).lower() for m in EMAIL.finditer(text))
    without_email = EMAIL.sub(" ", text)
    # a link is its address: no scheme, no #fragment, percent-decoded (a fragment added is no new channel)
    for m in _URL.finditer(without_email):
        url = canonical_url(m.group(0))
        if not no_channel(url, without_email[: m.start()]):
            found.add(url)
    plain = _URL.sub(" ", without_email)
    no_dates = _DATE.sub(" ", plain)
    for m in _PHONE.finditer(no_dates):
        digits = phone_digits(m.group(0))
        context = no_dates[max(0, m.start() - 12) : m.start()]
        # without a word of phoning before it: a service number (400…, 95…) or a mobile (1 and ten more)
        mobile = digits.startswith("1") and len(digits) == 11
        if 5 <= len(digits) <= 13 and (
            digits.startswith(("400", "800", "95")) or mobile or _PHONE_CONTEXT.search(context)
        ):
            found.add(digits)
    found.update(m.group(1).strip() for m in _ADDRESS.finditer(plain) if _postal(plain, m))
    found.update(m.group(0) for m in _DEPARTMENT.finditer(plain))
    return frozenset(found)


def entities(text: str) -> frozenset[str]:
    if "公司" not in text:  # every _ENTITY ends in one of its 公司 forms: most lines name none
        return frozenset()
    return frozenset(name for m in _ENTITY.finditer(text) if (name := _trim_entity(m.group(0))))


_SDK_GENERIC = re.compile(r"^(?:任何|所有|第三方|三方|该|此|这些|相关|部分|其他|上述|各类|类|的|等)*$")


def _sdk_name(raw: str) -> str | None:
    name = SDK_CUT.sub("", raw)
    return None if len(name) < 2 or _SDK_GENERIC.match(name) or EDITION.match(name) else name


def recipients(text: str) -> frozenset[str]:
    """Who the text names as a recipient, but not one it rules out (不接入广告 SDK, 不会与广告商共享)."""
    p = _patterns()
    platforms = (m for m in p["platforms"].finditer(text) if not SETTING_AFTER.match(text, m.end()))
    names = {
        m.group(0)
        for m in (*platforms, *p["kinds"].finditer(text))
        if not RULED_OUT.search(text[: m.start()])
    }
    sdks = _SDK.finditer(text) if SDK_WORD.search(text) else ()  # the word first: most lines lack it
    names.update(
        name + "SDK"
        for m in sdks
        # up to the name's end: the match may start before the denial (也不接入第三方统计或分析SDK)
        if (name := _sdk_name(canon(m.group(1)))) and not RULED_OUT.search(text[: m.end(1)])
    )
    names.update(entities(text))
    return frozenset(names)


@cache
def facts(text: str) -> Facts:
    """What the text names, line by line (a pattern never runs from one line into the next), read in
    simplified characters (东京都 and 東京都 are one address, 電子郵件地址 a type of information)."""
    p = _patterns()
    sets: list[set[str]] = [set() for _ in range(8)]
    previous = ""
    for line in text.split("\n"):
        t = lexicon_spelling(simplified(canon(line)))  # 電子郵件地址 is 电子邮件地址
        if not t:
            continue
        link, previous = document_link(t, previous), t
        for k, found in enumerate(
            (
                _found(p["pi"], t, values=False),
                _affirmed(p["purposes"], t),
                recipients(t),
                _rights(p["rights"], t),
                _found(p["exercise"], t),
                frozenset() if link else contacts(t),
                entities(t),
                _places(p["places"], t),
            )
        ):
            sets[k].update(found)
    return Facts(*(frozenset(s) for s in sets))


def new_types(old: frozenset[str], new: frozenset[str]) -> frozenset[str]:
    """The types of information of ``new`` that ``old`` does not name, under any of its names (手机号
    and 手机号码 are one type, 帐号 and 账号): a clause that respells one names nothing new."""
    types = pi_types().words

    def name(w: str) -> str:
        return types.name(w) or _SAME_TYPE.get(w, w)

    known = {name(w) for w in old}
    return frozenset(w for w in new if name(w) not in known)


# words of the signals' list that are one type there (儿童 → 未成年人 in a heading is no new type)
_SAME_TYPE = {"儿童": "未成年人"}


_PURPOSE_PHRASE = re.compile(r"(?:用于|以便|目的是|目的为|为了)([^,，。;；:：、]{2,24})")


def purpose_phrases(text: str) -> frozenset[str]:
    """What follows 用于 / 以便 / 为了 …: the purposes a sentence states, as written; not one it rules
    out (不得用于广告跳过: what the user must not do is no use of information)."""
    return frozenset(
        "用于" + m.group(1)
        for m in _PURPOSE_PHRASE.finditer(text)
        if not RULED_OUT.search(text[max(0, m.start() - 12) : m.start()])
        and not _PRODUCT_FOR.search(text[max(0, m.start() - 12) : m.start()])
    )


# what the product itself is for (本软件主要用于媒体等内容的便捷展示) is no use of information
_PRODUCT_FOR = re.compile(r"本(?:软件|应用|app|App|APP|网站|站|工具|程序|产品|服务)(?:主要|仅|只|专门)?\s*$")


def shares(text: str) -> bool:
    """Whether the text is about sharing: a verb of giving, or a third party named."""
    return bool(_SHARE_VERB.search(canon(text)))


def gives(text: str) -> bool:
    """Whether the text gives information to someone (a third party merely named is not enough:
    检查微信、支付宝是否安装 names two apps and gives them nothing)."""
    return bool(_GIVES.search(canon(text)))


# 没有控制权 (我对第三方网站…没有控制权: a disclaimer, not a change of control)
_DENIED = re.compile(r"(?:没有|无|并无|毫无|不具有|不拥有|不享有)$")


# what makes a merger a case the policy provides for (如涉及合并、收购或破产清算), not one that happened,
# and a 控制权 the user's (用户享有…控制权: 完全控制哪些文件被访问)
_IF = re.compile(r"如|若|如果|假如|一旦|涉及|发生|可能|情况下|情形")
_USERS = re.compile(r"您|你|用户|享有|权利")
_RECORDS = re.compile(r"会员|账号|帐号|账户|帐户|数据|记录|订单|文件|信息|单元格")
# the item of a 重大变更 list (我们在控制权、组织架构等方面发生重大变化): a case, not an event
_IF_AFTER = re.compile(r"发生(?:重大)?变化|发生变更|变更时|变化时")


def takeover(text: str) -> bool:
    """Whether the text says the operator was taken over, merged, renamed or changed hands."""
    text = canon(text)
    for m in _TAKEOVER.finditer(text):
        before = re.split(r"[。;!?\n]", text[: m.start()])[-1]  # its sentence, up to the match
        after = re.split(r"[。;!?\n]", text[m.end() :])[0]
        if _DENIED.search(text[: m.start()]) or _IF.search(before) or _IF_AFTER.search(after):
            continue
        if m.group(0) == "控制权" and _USERS.search(before + text[m.end() : m.end() + 12]):
            continue
        if m.group(0) == "合并" and _RECORDS.search(text[max(0, m.start() - 8) : m.end() + 6]):
            continue  # 会员合并, 合并账号: records merged, not companies
        return True
    return False


def high_risk(text: str) -> bool:
    """An impact assessment that found a high risk, not the 重大变更 item that names the case
    (个人信息安全影响评估报告表明存在高风险时)."""
    plain = canon(text)
    return any(not plain.startswith("时", m.end()) for m in _RISK.finditer(plain))


# ---------------------------------------------------------------------------------------------
# sentences: polarity, modality, quantities

# "不" inside these is not a negation ("包括但不限于" widens, it does not deny)
_NOT_NEGATION = re.compile(
    r"不限于|不论|不管|不断|不同|不时|不定时|不定期|不仅|不少于|不超过|不低于|不高于|不满|不利|不便|不必要|不适用|不适合|无论|除非|"
    r"不透明|不良|不法|不当|不正当|不可抗力|不准确|不完整|不一致|不稳定|离不开|不可或缺|不可避免|不可信|不受信任|不安全|未成年|未满|"
    # 无痕模式 (incognito), 无需繁琐配置即可实现一键连接 (ease of use), 未来, 未知, 无线, 无限: nothing denied
    r"无误|无痕|(?:无需|不用)(?:繁琐|复杂|配置|安装|等待|手动)|未来|未知|无线|无限"
)
NEGATION = re.compile(
    r"不会|不得|不再|不予|绝不|无需|无须|禁止|拒绝|没有|并非|不|未|无|零(?=(?:数据|个人信息|信息)?(?:收集|追踪|跟踪|采集))"
)
_COORDINATED = re.compile(r"(?<=[不没未无])[^,;:。不没未无]{1,20}?(?:也|亦|又)(?:不|没有|未)")
OBLIGATION = re.compile(r"必须|应当|需要|需|须|仅限|仅能|只能")
# 可能 is a possibility, no permission
PERMISSION = re.compile(r"可以|可(?!能|靠|信|视化)|有权|能够|自主|自行")
_QUANTITY = re.compile(
    r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*(?:个)?\s*(工作日|自然日|日|天|小时|周|个月|月|年|周岁|岁|次|%)"
)


def polarity(sentence: str) -> int:
    """1 when the sentence denies (an odd number of negations; 不保留也不接收 denies once), else 0."""
    text = _COORDINATED.sub("", _NOT_NEGATION.sub("", canon(sentence)))
    return len(NEGATION.findall(text)) % 2


def denies(text: str) -> bool:
    """Whether ``text`` holds a negation (不限于 and the like aside)."""
    return NEGATION.search(_NOT_NEGATION.sub("", text)) is not None


def reverses(before: str, after: str) -> bool:
    """Whether ``after`` denies what ``before`` stated, or the reverse: their polarity differs, and not
    only because one goes on where the other stops (a cut-off sentence completed, 向交易对 → 向交易对方
    发送个人信息,我们会尽可能保护您的权利不被侵犯) or a short label now stands before it."""
    if polarity(before) == polarity(after):
        return False
    short, long = sorted((words_only(canon(before)), words_only(canon(after))), key=len)
    label = long.endswith(short) and len(long) - len(short) <= 12  # 无数据收集行为:我们不会…
    return not (label or (len(long) - len(short) >= 4 and long.startswith(short)))


def negations(sentence: str) -> list[str]:
    """Each negation of the sentence with the words it denies (不会将您的联系信息), punctuation left out."""
    text = words_only(_NOT_NEGATION.sub("", canon(sentence)))
    return [text[m.start() : m.end() + 8] for m in NEGATION.finditer(text)]


_CONDITIONAL = re.compile(r"如需|若需|如果需要|如您需要|若您需要|需要时|如有需要")


def modality(sentence: str) -> str | None:
    text = _CONDITIONAL.sub("", canon(sentence))
    return "obligation" if OBLIGATION.search(text) else "permission" if PERMISSION.search(text) else None


# a month of a year (最后更新日期: 2024年12月), a date without its day
_MONTH = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?!\s*\d)")
# year, month and day in a row are a date even when mistyped (最終更新日: 19年11月2024日), or in
# English order
_ANY_DATE = re.compile(
    r"\d{1,4}\s*年\s*\d{1,2}\s*月\s*\d{1,4}\s*[日号]"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*,\s*\d{4}\s*年?"  # 1月 26, 2022年: an English date in Chinese words
)


def quantities(sentence: str) -> list[tuple[float, str, str]]:
    """(value, unit, as written) of every amount of time or count; calendar dates are left out."""
    text = _MONTH.sub(" ", _DATE.sub(" ", _ANY_DATE.sub(" ", canon(sentence))))
    out = []
    for m in _QUANTITY.finditer(text):
        value = cn_number(m.group(1))
        unit = {"天": "日", "自然日": "日", "个月": "月"}.get(m.group(2), m.group(2))
        if value is not None and not (unit == "年" and value >= 1900):
            out.append((value, unit, m.group(0)))
    return out


def sentence_pairs(old: str, new: str) -> list[tuple[str, str]]:
    """Pairs (old sentence, new sentence) of sentences that were edited (not added or deleted)."""
    a, b = split_sentences(old), split_sentences(new)
    pairs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=[canon(s) for s in a], b=[canon(s) for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        if i2 - i1 == 1 and j2 - j1 == 1:  # one sentence rewritten in place
            pairs.append((a[i1], b[j1]))
            continue
        for s in a[i1:i2]:
            best = max(b[j1:j2], key=lambda t: SequenceMatcher(a=canon(s), b=canon(t)).ratio())
            if SequenceMatcher(a=canon(s), b=canon(best)).ratio() >= 0.4:
                pairs.append((s, best))
    return pairs
