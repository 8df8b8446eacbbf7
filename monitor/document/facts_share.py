"""Recipients named in prose: companies, platforms and SDKs, and kinds of partner, with the relation
(共享, 委托处理, 转让, 公开披露, SDK). Tables and records of SDKs are :mod:`facts_tables`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache

from monitor.document.facts_base import (
    EDITION,
    NOT_USED,
    RULED_OUT,
    SDK_CUT,
    SDK_WORD,
    SETTING_AFTER,
    Ctx,
    Hit,
    lexicon,
    named_map,
    pi_types,
    without_links,
)
from monitor.document.facts_contact import SOCIAL, entities
from monitor.document.normalize import simplified
from monitor.model import Clause

RELATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("委托处理", re.compile(r"委托(?!我们)|受托|代表我们")),
    ("转让", re.compile(r"转让")),
    ("公开披露", re.compile(r"公开披露")),
    ("SDK", re.compile(r"SDK|软件工具开发包|第三方代码|插件|嵌入|接入|集成", re.IGNORECASE)),
    (
        "共享",
        re.compile(
            r"共享|分享|提供给|披露给|传输给|传送给|发送给|同步至|同步给|对外提供|"
            r"向(?!您)[^。]{1,20}?(?:提供|披露|传输|发送|同步)|由(?!我们提供|您)[^。]{2,40}?提供"
            # data kept in step with a service (成就数据将与 Apple 的 Game Center 服务同步)
            r"|与(?!您|你)[^。,]{1,20}?同步"
            # a service the app works through, named in Latin letters (通过 AppGalleryConnect 提供的接口)
            r"|通过\s*[A-Za-z][^。,;]{0,30}?提供的"
        ),
    ),
)
_SDK_NAME = re.compile(r"([^\s,;:()、。\"'的/和及与或]{2,12}?)\s*SDK", re.IGNORECASE)
_GENERIC_SDK = re.compile(
    r"^(?:第三方|相关|其他|该|此类|上述|授权合作伙伴|合作伙伴|应用|开发包)$"
    # words that point at an SDK or say which kind, not its name (若该SDK, 典型境外SDK, 定期审查第三方SDK)
    r"|(?:该|此|本|这些|上述|所述|各|任何|境外|境内|第三方|相关|其他|对应|所需)$|^(?:若|仅|按|对|如|将|由|与|通过|定期)"
    # an edition of the SDK the policy is about, named by its platform (Harmony版SDK, iOS版 SDK)
    rf"|{EDITION.pattern}"
)
NAME_LABEL = re.compile(r"(?:SDK|插件|第三方|合作方)名称\s*[:]", re.IGNORECASE)


def _after_function_words(raw: str) -> str:
    name = SDK_CUT.sub("", raw)
    return name if len(name) >= 2 else raw


def relations(sentence: str, ctx: Ctx) -> list[str]:
    found = [name for name, pattern in RELATIONS if pattern.search(sentence)]
    if not found and ctx.share:
        found = [ctx.share]
    return found


def sdk_name(display: str) -> str:
    """友盟统计SDK → 友盟统计; 腾讯 Bugly SDK → 腾讯bugly."""
    name = re.sub(r"\s+", "", display)
    name = re.sub(r"(?i)\s*(?:sdk|软件开发工具包)$", "", name).strip("()")
    return name.lower() if name.isascii() else re.sub(r"[A-Za-z]+", lambda m: m.group(0).lower(), name)


def _rel_attr(rels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return (("relation", "、".join(rels)),) if rels else ()


def ours(name: str, ctx: Ctx) -> bool:
    """Whether a company named is the operator: one of its names, or one with words run into it before
    (就聊城国磊网络科技有限公司, 网站以及聊城国磊网络科技有限公司), or written with its place's 市 or 省
    where the operator's name has none, or the other way (深圳市先微科技有限公司, 深圳先微科技有限公司)."""
    bare = _PLACE.sub("", name)
    return any(name.endswith(op) or bare.endswith(_PLACE.sub("", op)) for op in ctx.operators)


_PLACE = re.compile(r"[省市]")


# a disclaimer of liability: 均不对因您访问…而产生的任何损害负责 / 不承担任何责任
_DISCLAIMS = re.compile(r"不(?:对|就)[^。]{0,80}(?:负责|承担[^。]{0,6}责任)|不承担[^。]{0,10}(?:法律)?责任")
_GIVES = re.compile(r"共享|分享|提供给|披露|传输|发送|转让|委托")


def recipient_hits(sentence: str, ctx: Ctx, starts_line: bool) -> list[Hit]:
    """Recipients named in one sentence of prose (``starts_line``: it is the first of its line, so a
    platform named first is an item of a list of recipients)."""
    if NAME_LABEL.search(sentence):
        return []  # label/value records are read by record_hits
    if _DISCLAIMS.search(sentence) and not _GIVES.search(sentence):
        return []  # who bears no liability (NB优选及其…合作伙伴…均不对…负责) is given nothing
    text = without_links(sentence)  # privacy.qq.com names no recipient
    rels = relations(text, ctx)
    attrs = _rel_attr(rels)
    hits = [
        Hit("recipients", "sdk", sdk_name(name), (("relation", "SDK"),), sentence)
        for m in (_SDK_NAME.finditer(text) if SDK_WORD.search(text) else ())
        # the name after the last function word (我们接入了极光推送SDK), else as written (腾讯移动应用接入SDK)
        if not _GENERIC_SDK.search(name := _after_function_words(m.group(1)))
        and not RULED_OUT.search(text[: m.end(1)])
    ]
    named = []
    platforms = named_map("platforms").find(text)
    account = SOCIAL.match(text.strip())  # 新浪微博: @佳麦 — the operator's account, not a recipient
    for name, start, end in platforms:
        if SETTING_AFTER.match(text, end):
            continue  # 在微信授权设置中管理权限: where the user manages a setting, no recipient
        # a platform opening a line is an item of a list of recipients, but not in the operator's
        # contact section (微信扫码赞赏, 微信: …: the operator's own)
        if rels or (starts_line and start <= 3 and not account and not ctx.contact):
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    if ctx.share or rels or held_by(text) or THIRD_PARTY.search(text):
        hits.extend(_named_in_prose(text, sentence, ctx, rels, named, platforms))
    hits.extend(_enumerated(text, ctx))
    hits.extend(_collectors(text, sentence, ctx, rels, named))
    if not rels:
        return hits
    for name, start, _ in named_map("recipient_kinds").find(text):
        if not RULED_OUT.search(text[:start]):  # 不会与广告商共享: a kind the policy rules out
            hits.append(Hit("recipients", "recipient_kind", name, attrs, sentence))
    for name in entities(text):
        if not ours(name, ctx):
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
    return hits


# Latin-script names of companies and services (Google Analytics, Ko-fi, jsDelivr): recipients where
# the sentence is about a third party, unless the policy names its own product so (ctx.selves)
LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9@._/-])[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*"
    r"(?:\s[A-Z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*){0,2}(?![A-Za-z0-9@_/]|-[A-Za-z0-9])"
)
_PARTIES = r"第三方|合作伙伴|合作方|服务商|提供商|供应商|提供者"  # the words for a third party
THIRD_PARTY = re.compile(rf"{_PARTIES}|SDK|插件|组件", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_TECHNOLOGY = re.compile(r"\s*(?:协议|技术|算法|格式|标准|框架|编码|加密)")
# a kind of file named by its extension (导出为加密的 ZIP 备份文件, ENC 文件): a format, not a party
_FILE_KIND = re.compile(r"\s*(?:备份|导出|加密|压缩|数据)?(?:文件|包)(?!夹)")
# a service that keeps or processes the information for us: 存储在您的 iCloud 账户中, 内购通过 Apple 的
# StoreKit 处理, 交易凭证验证仅由系统和 Apple 处理
HELD_BY = re.compile(
    r"(?:存储|保存|存放|备份|同步|上传|托管)(?:在|于|至|到)"
    # or a named service receives it (DNS-over-HTTPS查询发送至Cloudflare、Google和Quad9)
    r"|(?:发送|传输|传送|转发|提交)(?:至|到|给)\s*(?=[A-Za-z])"
    r"|(?:通过|由|经由|借助)[^。,;]{1,24}?(?:处理|管理|验证|完成|托管|存储)"
    # a file the page loads from a third party's host (此文件位于 BootCDN 上)
    r"|(?:文件|资源|脚本|字体|图片)[^。;]{0,8}?(?:位于|托管在|托管于|存放在|来自|加载自)"
)
# a place on the user's own device: kept there, by no one (保存在本机, 存放在 Mac 上的本地加密保险库中)
_LOCAL = re.compile(
    r"\s*(?:您的|你的|用户的?)?\s*(?:本机|本地|设备|手机|电脑|终端|Mac|iPhone|iPad|PC|浏览器|应用内|沙盒|当前设备)",
    re.IGNORECASE,
)


def held_by(text: str) -> bool:
    """Whether the text says a service keeps or processes the information for us, not the user's own
    device (数据保存在本机)."""
    text = simplified(text)  # 保存在本機: the words are in simplified characters
    return any(not _LOCAL.match(text, m.end()) for m in HELD_BY.finditer(text))


@cache
def _not_names() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["not_names"])


def _information(name: str) -> bool:
    """Whether a Latin name is a type of personal information (ICCID, SSID, AndroidID) or an
    identifier (Bundle ID, Team ID, Serial Number)."""
    words = name.lower().split()
    return bool(pi_types().words.name(name)) or (
        len(words) > 1 and words[-1] in ("id", "ids", "number", "num")
    )


_FILE_NAME = re.compile(
    r"\.(?:xml|json|plist|ya?ml|gradle|txt|md|html?|js|ts|py|java|kt|swift|so|jar|apk|ipa|xcprivacy)$", re.I
)
_NUMBER_BEFORE = re.compile(r"\d\s?$")
_FEATURE = re.compile(r"\s*(?:\(可选)?功能")
_USING = re.compile(r"(?:使用|启用|开启)\s*$")
_WHEN = re.compile(r"\s*(?:时|的时候|期间)")
# a parenthesis that names the party just before it (第三方图床服务提供商(ImgBB)): read, not skipped
_PARTY_BEFORE = re.compile(rf"(?:{_PARTIES})$")
_VERSION = re.compile(r"[-_ ]?v?\d+(?:\.\d+)+$", re.I)
# a key of code, one word longer than any company's (NSPrivacyCollectedDataTypeAdvertisingData)
_IDENTIFIER = re.compile(r"^[A-Za-z0-9]{25,}$")


def latin_names(text: str, selves: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """(name, start) of the Latin-script names in ``text`` outside parentheses, without the words
    that name no one, lowercased (GitHub and Github are one); the policy's own names left out."""
    not_names = _not_names()
    plain = _PARENS.sub(
        lambda m: (
            m.group(0)
            if _PARTY_BEFORE.search(text, max(0, m.start() - 8), m.start())
            else " " * len(m.group(0))
        ),
        text,
    )
    out = []
    for m in LATIN_NAME.finditer(plain):
        if _TECHNOLOGY.match(plain, m.end()):
            continue  # 通过 Socks5 协议转发, 使用 Tun2Socks 技术: a technology, not a party
        if _FEATURE.match(text, m.end()) or (
            _USING.search(plain, max(0, m.start() - 8), m.start()) and _WHEN.match(plain, m.end())
        ):
            continue  # Deadliner AI 功能, 使用 Lifi AI 时: a feature the user uses, not a party
        if m.group(0).isupper() and len(m.group(0)) <= 5 and _FILE_KIND.match(plain, m.end()):
            continue  # ZIP 备份文件: a file format
        if len(m.group(0)) <= 4 and _NUMBER_BEFORE.search(plain, max(0, m.start() - 3), m.start()):
            continue  # 模型约 1.28 GB, 每 30 ms: a unit of the number before it
        if _information(m.group(0)) or _FILE_NAME.search(m.group(0)) or _IDENTIFIER.match(m.group(0)):
            continue  # ICCID, Advertising ID in a list of what an SDK collects, AndroidManifest.xml: no party
        # a version is no part of a name (iOSv3.2.0 is iOS, a platform)
        words = [w for w in _VERSION.sub("", m.group(0)).split() if w.lower() not in not_names]
        name = " ".join(words).lower()
        own = name in selves or name.split(" ", 1)[0] in selves  # Firefox Suggest: the policy's own
        if len(name) >= 2 and any(c.isupper() for c in "".join(words)) and not own:
            out.append((name, m.start()))
    return out


def introduces_recipients(line: str) -> bool:
    """A line that ends by announcing a list of third parties (…我们默认的 DNS 解析器服务提供商:), or
    the places information is sent to (翻译请求可能发送至:)."""
    text = line.rstrip()
    return text.endswith((":", "：")) and bool(
        THIRD_PARTY.search(text) or named_map("recipient_kinds").find(text) or _SENT_TO.search(text)
    )


_SENT_TO = re.compile(r"(?:发送|传输|传送|转发|提交|上传)(?:至|到|给)\s*[:：]$")
# an item that is a Chinese maker's name and its product's Latin one (智谱 GLM)
_MAKER_AND_PRODUCT = re.compile(r"[\u4e00-\u9fff]{2,4}\s*[A-Za-z][A-Za-z0-9 .+-]*")


LABELLED_ITEM = re.compile(r"^[ \-*·•]*([^:。,;]{1,16}):")


def listed_name(line: str, selves: frozenset[str]) -> str | None:
    """The company or service a list item names when the item is nothing but its name, or when its
    label is (Supabase: 数据库和身份验证服务)."""
    label = LABELLED_ITEM.match(line)
    text = (label.group(1) if label else line).strip(" -*·•、;；,，.。")
    platforms = named_map("platforms").find(text)
    if len(platforms) == 1 and platforms[0][1:] == (0, len(text)):
        return platforms[0][0]
    names = latin_names(text, selves)
    if len(names) == 1 and re.fullmatch(r"[A-Za-z0-9 .+-]+", text) and names[0][0] == text.lower():
        return names[0][0]
    if len(names) == 1 and _MAKER_AND_PRODUCT.fullmatch(text):
        return " ".join(text.split()).lower()
    return None


_SERVICE = re.compile(
    r"(?:的|、|和|及|与|以及)\s*([\u4e00-\u9fff]{2,10}?)\s*(?:\([^()]{0,24}\)\s*)?服务(?![商器端提者方])"
)


def service_hits(sentence: str, names: list[str]) -> list[Hit]:
    """The services a sentence says one named recipient provides (我们使用了腾讯云的域名解析(DNS)服务、
    内容分发网络(CDN)服务): ``腾讯云 内容分发网络``; a sentence naming several recipients says
    too little about which provides what."""
    if len(set(names)) != 1:
        return []
    services = dict.fromkeys(
        m.group(1)
        for m in _SERVICE.finditer(sentence)
        if not (RULED_OUT.search(sentence[: m.start()]) or NOT_USED.search(sentence[: m.start()]))
    )
    return [
        Hit("recipients", "service", f"{names[0]} {service}", (("relation", "委托处理"),), sentence)
        for service in services
        # 个人信息与服务 ("information and services"): no service
        if not re.search(r"第三方|相关|其他|上述|该|此类|我们|信息|数据|资料", service)
    ]


_OUT_OF_SCOPE = re.compile(
    rf"{RULED_OUT.pattern}|不适用于[^,;:。]*$"
    # a page the user is sent to (用户可以访问 Google Ads Settings 选择退出): where, not to whom
    r"|(?:您|你|用户)[^,;:。]{0,6}(?:可以|可|请)(?:随时)?(?:访问|前往|打开)\s*$"
)


def _named_in_prose(
    text: str,
    sentence: str,
    ctx: Ctx,
    rels: list[str],
    named: list[str],
    platforms: list[tuple[str, int, int]],
) -> list[Hit]:
    """In a sentence about a third party: the Latin names it gives (Google Analytics, Ko-fi), the
    platforms a service that keeps or processes the information for us is named by (存储在您的
    iCloud 账户中: 委托处理), and the services of the one recipient named (``named`` grows;
    ``platforms``: the platforms the sentence names, where)."""
    held = not rels and held_by(text)
    attrs = _rel_attr(["委托处理"] if held else rels)
    hits = []
    spans = [(start, end) for _, start, end in platforms]
    for name, _, _ in platforms if held else []:
        if name not in named:
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    for name, at in latin_names(text, ctx.selves) if _chinese(text) else []:
        # not one the text rules out (不会向 Google 发送, 不适用于 Codex、ChatGPT、GitHub)
        if not any(start <= at < end for start, end in spans) and not _OUT_OF_SCOPE.search(text[:at]):
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    return hits + service_hits(text, named)


# a named service that collects the visitor's information itself: **jsDelivr** 会收集你的访问信息,
# Cloudflare 可能收集基本的访问日志 (not GTM 本身不收集), and with the kind of service after its name,
# lowercase as it may be: vercount 统计和 51la 统计可能会收集你的访问信息
_SERVICE_KIND = r"(?:统计|分析|评论|评论系统|服务|插件|组件|平台)"
_COLLECTOR = re.compile(
    r"(?<![A-Za-z0-9@._/])([A-Za-z0-9][A-Za-z0-9.+-]*(?:\s[A-Z][A-Za-z0-9.+-]*){0,2})"
    rf"\s*({_SERVICE_KIND})?\s*(?:也|还|亦)?(?:会|将|可能会|可能)?\s*(?:收集|获取|记录|读取)"
)
# the services named before it and joined to it (vercount 统计和 51la 统计…)
_JOINED = re.compile(rf"([A-Za-z0-9][A-Za-z0-9.+-]*)\s*{_SERVICE_KIND}\s*(?:和|及|与|以及|、)\s*$")


def _collectors(text: str, sentence: str, ctx: Ctx, rels: list[str], named: list[str]) -> list[Hit]:
    """The named services a sentence says collect the user's information themselves: recipients
    (``named`` grows), though the sentence names no relation and no third party; a name followed by
    the kind of service it is (统计, 评论 …) counts however it is written (51la, vercount)."""
    hits = []
    for m in _COLLECTOR.finditer(text):
        found = latin_names(m.group(1), ctx.selves)
        if not m.group(2):
            names = [name for name, _ in found[-1:]]
        elif not found and _plain_name(m.group(1), ctx):
            names = [m.group(1).lower(), *_joined_before(text[: m.start()], ctx)]
        else:
            names = []  # a capitalised name before its kind keeps the reading it had without the kind
        for name in names:
            if name not in named:
                hits.append(Hit("recipients", "recipient", name, _rel_attr(rels or ["共享"]), sentence))
                named.append(name)
    return hits


def _joined_before(before: str, ctx: Ctx) -> list[str]:
    """The services named with their kind just before another and joined to it (vercount 统计和 …)."""
    names = []
    while (joined := _JOINED.search(before)) and _plain_name(joined.group(1), ctx):
        names.append(joined.group(1).lower())
        before = before[: joined.start()]
    return names


def _plain_name(word: str, ctx: Ctx) -> bool:
    """A word in Latin letters that may name a service: with a letter, not a common word of the trade,
    not the policy's own name."""
    low = word.lower()
    return (
        len(low) >= 3 and any(c.isalpha() for c in low) and low not in _not_names() and low not in ctx.selves
    )


_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _chinese(text: str) -> bool:
    """A sentence written in Chinese, where a Latin name stands out; in an English sentence (the other
    half of a bilingual policy) every capitalised word would look like one."""
    han = len(_HAN.findall(text))
    return han >= 4 and han * 8 >= len(_LATIN.findall(text))


def _enumerated(text: str, ctx: Ctx) -> list[Hit]:
    """支付机构(包括京东支付、微信支付及银联…) / 配送公司(包括顺丰、圆通等…): the kind and the
    platforms it lists are recipients even where the sentence names no relation."""
    if "(" not in text:
        return []  # nothing listed in a parenthesis
    hits = []
    attrs = _rel_attr([ctx.share or "共享"])
    for kind, _, end in named_map("recipient_kinds").find(text):
        m = re.match(r"\((?:包括|如|例如)([^)]*)\)", text[end:])
        if not m:
            continue
        hits.append(Hit("recipients", "recipient_kind", kind, attrs, text))
        for name, _, _ in named_map("platforms").find(m.group(1)):
            hits.append(Hit("recipients", "recipient", name, attrs, text))
    return hits


# a list of parties, not of SDKs or of what changed (以下第三方服务: / 如下合作方:)
_PARTIES_INTRO = re.compile(r"(?:以下|如下|下列)[^:。]{0,12}?(?:第三方|合作伙伴|合作方|服务商|提供商|供应商)")


def listed_recipients(
    flat: Sequence[tuple[Clause, str]], contexts: Mapping[int, Ctx]
) -> Iterator[tuple[Clause, Hit]]:
    """The items of a list of recipients, each nothing but a name (…DNS 解析器服务提供商: / Cloudflare /
    NextDNS), whether they were read as lines or as short headings of their own; after a line that
    announces parties (以下第三方服务:), an item labelled by one (闪电网络 / NWC: 用于处理 zap 支付)."""
    listing = parties = False
    for clause, line in flat:
        ctx = contexts[id(clause)]
        if listing and (name := listed_name(line, ctx.selves)):
            yield clause, Hit("recipients", "recipient", name, (("relation", ctx.share or "共享"),), line)
            continue
        if listing and (label := LABELLED_ITEM.match(line)):
            name = " ".join(label.group(1).split()).strip(" -*·•").lower()
            if parties and len(name) >= 2:
                yield clause, Hit("recipients", "recipient", name, (("relation", ctx.share or "共享"),), line)
            continue
        listing = introduces_recipients(line)
        parties = listing and _PARTIES_INTRO.search(line) is not None
