"""Who the operator is and how to reach it: legal entities, registered address, and the operator's
own contact channels (phone, e-mail, URL, postal address, responsible department, a contact page or
form named by its label).

A contact channel is read only where the text speaks of reaching the operator: a section about
联系我们 (``Ctx.contact``), a line after "通过以下联系方式与我们联系:", or a sentence with a contact
cue (客服电话, 发送邮件至, 联系我们 …). Values are what is extracted (digits, addresses, URLs), never
words: 收货地址 or 手机号码 in a list of what a user provides are types of information, not channels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from monitor.document.facts_base import (
    EMAIL,
    URL,
    Ctx,
    Hit,
    canonical_url,
    no_channel,
    phone_digits,
    unmask_emails,
    without_noise,
)
from monitor.document.meta import _trim_entity
from monitor.document.normalize import norm
from monitor.model import Clause

ENTITY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司)")
# the words that label the operator (运营者:…, 个人信息处理者为…), shared by the two readings below
_OPERATOR_LABELS = r"运营者|服务提供者|经营者|运营方|运营主体|个人信息处理者"
_OPERATOR_BEFORE = re.compile(
    rf"(?<!第三方)(?<!合作)(?:{_OPERATOR_LABELS}|运营公司|开发公司|开发商|信息控制者|"
    r"本(?:隐私)?(?:权)?政策(?:仅)?适用于|本公司)"
    # a definition: 我们、猎豹移动:指北京猎豹移动科技有限公司
    r"|(?:我们|本公司|我司)[^。:]{0,12}:\s*(?:是)?指\s*$"
    # the policy's author: 本政策是由聊城国磊网络科技有限公司…所制定
    r"|本(?:隐私)?(?:权)?(?:政策|协议|声明|指引)(?:是)?由\s*$"
)
_OPERATOR_AFTER = re.compile(
    r"^[^。]{0,80}?(?:下称|简称|统称|或称|以下称)[^。]{0,4}?(?:我们|本公司|本平台|公司|我司)"
    r"|^\s*(?:\([^)]*\))?\s*(?:及其关联公司)?\s*(?:为您提供|向您提供)"
)
_LEAD = re.compile(r"^.*(?:关联公司|关联方|合作方|合作伙伴|子公司|母公司|我们的|包括|旗下)")
_NOT_OPERATOR = re.compile(r"关联|合作|第三方|委托|控股|母公司|子公司|旗下")

CONTACT_CUE = re.compile(
    r"联系我们|与我们联系|联络我们|與我們聯繫|聯絡我們|聯繫我們|与其联系|联系菜鸟|联系[^。]{0,8}客服|联系(?:技术|客户)?支持|客服电话|客服热线|服务热线|客户热线|"
    r"联系电话|热线|投诉|意见反馈|发送邮件|发送电子邮件|邮件至|发至邮箱|邮箱[:]|在线客服|拨打|致电|联系方式[:]|"
    r"网址[:]|官方网站[:]|(?:公司|办公|联系|通讯|通信|营销|经营)地址"
    # 请立即与服务人员联系 Email: …; 与本站管理员联络
    r"|与[^。,]{0,8}?(?:人员|管理员|团队|站长|作者|开发者)(?:联系|联络)|(?i:e-?mail)\s*:"
)
# 请通过以下方式联系我们 / 請與我們聯繫: (and in traditional characters)
CONTACT_INTRO = re.compile(
    r"(?:以下|如下)[^。]{0,16}(?:联系|联络|聯繫|聯絡)|(?:联系|联络|聯繫|聯絡)[^。]{0,10}[:]$"
)
_PHONE = re.compile(
    r"(?<![\dA-Za-z.])(?:\+?86[-\s]?)?\d[\d\- ]{3,16}\d(?![\dA-Za-z号室楼层栋座幢院弄巷元年月日天个%.])"
)
_PHONE_WORD = re.compile(r"电话|热线|客服|专线|拨打|致电|手机|传真|联系|Tel|为[:]?$", re.IGNORECASE)
_PHONE_AFTER = re.compile(r"^\s*(?:服务热线|热线|客服)")
_NOT_PHONE = re.compile(r"邮编|邮政编码|编号|编码|标准|代码|ISO|IEC", re.IGNORECASE)
_ADDRESS = re.compile(
    r"(?P<label>[\u4e00-\u9fff]{0,8}?(?:地址|住所地?|注册地|所在地))(?:以及[\u4e00-\u9fff]{0,6}地址)?"
    r"(?:\s*(?:为|是|位于)\s*[:]?|\s*[:])\s*【?(?P<addr>[^。;,)】【(]{5,60})"
)
_USER_ADDRESS = re.compile(
    r"收货|收件|寄件|配送|送货|家庭|寄送|发票|IP|MAC|页面|网页|邮箱|邮件|服务器|您", re.I
)
_PLACE = re.compile(r"[省市区县镇乡路街道号楼室巷弄园座层厦中心]")
_STREET = re.compile(r"\d|[路街区]")
_DEPARTMENT = re.compile(
    r"(?:个人信息保护|个人信息|隐私保护|数据保护)(?:专职部门|工作组|部门|专员|负责人|官|委员会|团队)|客服部门"
)
_DEPT_CUE = re.compile(r"设立|设有|设置了|成立")
# the operator's accounts on platforms, in a contact section (微信公众号: 佳麦App, 新浪微博: @佳麦 App)
SOCIAL = re.compile(
    r"(?P<platform>微信公众号|微信公众平台|公众号|官方微博|新浪微博|微博|抖音号|官方抖音|小红书|"
    r"客服QQ|QQ群|QQ号|微信号|客服微信|企业微信|B站|哔哩哔哩|微信|QQ|"
    # and abroad, a page or group on it named as such (Facebook 粉絲專頁: 高科校務通, Telegram 群组: …)
    r"(?<![A-Za-z])(?:Facebook|Twitter/X|Twitter|Telegram|Discord|Instagram|LINE))"
    r"(?:\s*(?:粉丝专页|粉絲專頁|专页|專頁|主页|主頁|群组|群組|频道|頻道))?\s*[:]\s*"
    r"(?P<handle>@?[^\s。;,]{1,30}(?: [^\s。;,]{1,20})?)",
    re.IGNORECASE,
)

# one platform under its several labels (微信号: x and 微信: x name the same account)
_PLATFORM = {"微信号": "微信", "客服微信": "微信", "QQ号": "QQ", "客服QQ": "QQ"}
# 本应用…由(某某有限公司)负责运营: the app names its operator
_OPERATED_SUBJECT = re.compile(
    r"(?:本应用|本产品|本软件|本服务|本平台|本网站|本小程序|本App)[^。]{0,40}由[\s(]*$", re.IGNORECASE
)
_OPERATED_VERB = re.compile(r"^[\s)]*(?:负责)?(?:运营|经营)")


def _entity_spans(text: str) -> list[tuple[str, int, int]]:
    if "公司" not in text:  # every ENTITY ends in one of its 公司 forms: most sentences name none
        return []
    out = []
    for m in ENTITY.finditer(text):
        name = _trim_entity(m.group(0))
        lead = _LEAD.match(name)
        if lead and len(name) - lead.end() >= 6:
            name = name[lead.end() :]
        if len(name) < 6:
            continue
        start = text.rfind(name, m.start(), m.end())
        out.append((name, start if start >= 0 else m.start(), m.end()))
    return out


def entities(text: str) -> list[str]:
    return [name for name, _, _ in _entity_spans(text)]


def operator_names(sentence: str, alone_in_contact: bool = False) -> list[str]:
    """Legal entities the sentence states as the operator (我们, 运营者, 服务提供者 …)."""
    found = []
    for name, start, end in _entity_spans(sentence):
        before = sentence[:start]
        if _NOT_OPERATOR.search(before[-8:]) and not before.endswith("、"):
            continue
        if (
            _OPERATOR_BEFORE.search(before)
            or _OPERATOR_AFTER.search(sentence[end:])
            or (alone_in_contact and sentence.strip("【】。 ") == name)
            or (_OPERATED_SUBJECT.search(before) and _OPERATED_VERB.search(sentence[end:]))
        ):
            found.append(name)
    return found


# an app run by a person: 由独立开发者 Evan Feng 开发和运营, 个人开发者 HONGWU LU, Aaron Yu(独立开发者)
_PERSON = r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,3}"
_INDIVIDUAL = re.compile(rf"(?:独立|个人)开发者\s*[:]?\s*({_PERSON})|({_PERSON})\s*\((?:独立|个人)开发者\)")


# the labels a name follows: the operator's, and the controller's or the service provider's
_NAME_LABELS = rf"{_OPERATOR_LABELS}|控制者|服务提供方"
# the operator named after its label, whoever it is (a person, a team, a studio as well as a company):
# 运营者:浣熊财记团队, 控制者为 Guțulov Răzvan Constantin PFA, provided by TSAO TING-WEI, 开发者:code4life
# (Developer: code4life opening its line)
_NAMED = re.compile(
    rf"(?:{_NAME_LABELS}|开发者|开发商|公司名称)\s*(?:(?:为|是)\s*:?|:)\s*"
    r"(?!我们|本|该|您|你|其|上述|以下|如下|下列)([^。;,:()\"“”]{2,40}?)\s*(?=[。;,()\"“”]|$)"
    r"|(?:\b(?:provided|operated) by\s*(?=[A-Z])|^Developer:\s*)([A-Za-z][^.,;()]{1,40}?)\s*(?=[.,;()]|$)"
)


# an address, a template's placeholder (PRIVACY_CONTACT_EMAIL), or what opens a phrase or names a law
# (数据控制者, then 就欧盟《通用数据保护条例》(GDPR)而言,…的数据控制者为:), not a party
_NO_NAME = re.compile(r"@|_|https?:|www\.|^(?:就|对于|根据|按照|依据|关于|为了|如果|若)|[《》]")
_REACH = re.compile(r"联[系络]")  # 联系站点运营方:…, just before the label


def named_operators(sentence: str) -> list[str]:
    """Whoever the sentence names after an operator's label (lowercased, one space between words)."""
    found = []
    for m in _NAMED.finditer(sentence):
        if _NOT_OPERATOR.search(sentence[max(0, m.start() - 8) : m.start()]):
            continue  # 第三方服务提供者为…, 关联公司的运营者是…
        name = " ".join((m.group(1) or m.group(2)).split()).lower()
        if _NO_NAME.search(name) or _REACH.search(sentence[max(0, m.start() - 4) : m.start()]):
            continue  # 请通过邮箱联系站点运营方:PRIVACY_CONTACT_EMAIL: how to reach it, not its name
        found.append(name)
    return found


# a label that ends its line names the operator on the next line (数据控制者为:\nShyBen Apps)
_LABEL_ENDS = re.compile(rf"(?:{_NAME_LABELS})\s*(?:为|是)?\s*:?\s*$")


def label_ends(line: str) -> bool:
    m = _LABEL_ENDS.search(line)
    return m is not None and not _NOT_OPERATOR.search(line[max(0, m.start() - 8) : m.start()])


def next_line_hits(line: str) -> list[Hit]:
    """The operator a line names after a line that ends with an operator's label."""
    return [Hit("controller", "entity", name, (), line) for name in named_operators(f"控制者:{line}")]


# the operator named in parentheses after "we" (how we (Shiguozia Inc) collect…)
_WE_NAMED = re.compile(r"\b[Ww]e\s*\(\s*([A-Z][A-Za-z0-9&.,' -]{1,40}?)\s*\)")
# a name in Latin letters the policy defines as itself: GDPAY(以下称"公司"), WooMai Labs(以下简称"我们")
_DEFINED_AS_WE = re.compile(
    r"(?<![A-Za-z0-9\u4e00-\u9fff])([A-Za-z][A-Za-z0-9.&+-]*(?: [A-Za-z][A-Za-z0-9.&+-]*){0,3})\s*"
    r'\(\s*(?:以下|下文)?(?:简称|统称|合称|称)(?:为)?\s*"(?:我们|公司|本公司|我司)"'
)


# a name in Chinese the policy opens a sentence by defining as itself: 易推网络(以下简称"我们")非常重视…
_OPENS_AS_WE = re.compile(
    r'^(?!本|该|此)((?:(?![是由的之])[\u4e00-\u9fff]){2,6})\s*\(\s*(?:以下|下文)?(?:简称|统称|合称|称)(?:为)?\s*"(?:我们|我司)"'
)
# the owner a site or product is said to belong to: 情欲之路是"Erovia"旗下网站站点之一
_OWNER = re.compile(r'是\s*"?([\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .&-]{1,30}?)"?\s*旗下')
# the party an agreement binds with the user: 本协议约定 TouchGal 与用户之间关于…的权利义务
_PARTY = re.compile(r"(?:约定|规定|明确)\s*([A-Za-z][A-Za-z0-9 .&-]{1,30}?)\s*与(?:您|你|用户)之间")


def controller_hits(sentence: str, alone_in_contact: bool = False) -> list[Hit]:
    names = operator_names(sentence, alone_in_contact)
    names += [" ".join(m.group(1).split()).lower() for m in _WE_NAMED.finditer(sentence)]
    names += [" ".join(m.group(1).split()).lower() for m in _DEFINED_AS_WE.finditer(sentence)]
    names += [m.group(1).lower() for m in _OPENS_AS_WE.finditer(sentence.strip())]
    names += [" ".join(m.group(1).split()).lower() for m in _OWNER.finditer(sentence)]
    names += [" ".join(m.group(1).split()).lower() for m in _PARTY.finditer(sentence)]
    names += [(m.group(1) or m.group(2)).lower() for m in _INDIVIDUAL.finditer(sentence)]
    names += [name for name in named_operators(sentence) if name not in names]
    return [Hit("controller", "entity", name, (), sentence) for name in names]


def _blank_third_party(sentence: str, operators: frozenset[str]) -> str:
    """A parenthesis right after a company other than the operator holds that company's details."""
    out = sentence
    for name, _, end in _entity_spans(sentence):
        if name in operators or end >= len(sentence) or sentence[end] != "(":
            continue
        close = sentence.find(")", end)
        if close > 0:
            out = out[:end] + " " * (close + 1 - end) + out[close + 1 :]
    return out


def _phones(text: str, in_contact: bool) -> list[str]:
    found = []
    for m in _PHONE.finditer(text):
        digits = phone_digits(m.group(0))
        if not 5 <= len(digits) <= 12:
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if _NOT_PHONE.search(before):
            continue
        if in_contact or _PHONE_WORD.search(before) or _PHONE_AFTER.match(text[m.end() :]):
            found.append(digits)
    return found


# the label of the next field on a line that runs several together (…2010室 客服热线:0411-… 电子邮箱:…)
_NEXT_FIELD = re.compile(
    r"\s*(?:客服|服务|联系|咨询)?(?:热线|电话|邮箱|电子邮箱|邮件|传真|邮编|网址|Email|E-mail|QQ|微信)\s*[:]",
    re.I,
)


def _addresses(text: str) -> list[tuple[str, str]]:
    """(kind of address, address): "registered" or "office"."""
    if "地" not in text and "住所" not in text:
        return []  # no label (地址, 住所, 注册地, 所在地)
    found = []
    for m in _ADDRESS.finditer(text):
        label, addr = m.group("label"), _NEXT_FIELD.split(m.group("addr"), maxsplit=1)[0].strip(" 【】")
        if _USER_ADDRESS.search(label) or not (_PLACE.search(addr) and _STREET.search(addr)):
            continue
        registered = "注册" in label and "办公" not in m.group(0)
        found.append(("registered" if registered else "office", addr.replace(" ", "")))
    return found


# a postal address on a line of its own in a contact section ("邮寄至下列地址：" then the address)
_BARE_ADDRESS = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:省|市|自治区)[^。;；,，:：]{4,56}$")


def _address_hits(text: str, sentence: str, in_contact: bool, operator_named: bool) -> list[Hit]:
    hits = []
    bare = text.strip()
    if in_contact and _BARE_ADDRESS.match(bare) and _STREET.search(bare) and not _addresses(text):
        return [Hit("contact", "address", bare.replace(" ", ""), (), sentence)]
    for which, addr in _addresses(text):
        if which == "registered" and (in_contact or operator_named):
            hits.append(Hit("controller", "address", addr, (("label", "注册地址"),), sentence))
        elif in_contact:
            hits.append(Hit("contact", "address", addr, (), sentence))
    return hits


# a page or form of the operator's site or app to write to (请前往本站「聯絡我們」頁面提交表單, 通过 App 内
# "意见反馈"入口): a channel, named by its label
_FORM = re.compile(
    r"(联系我们|联络我们|聯絡我們|聯繫我們|意见反馈|意見反饋|帮助与反馈|幫助與反饋|客服中心|在线客服|帮助中心"
    r"|(?<=查看|前往|访问)支持)"  # 如需联系支持,请查看支持页面
    r"[」”\"]?\s*(?:页面|頁面|入口|表单|表單)"
)


def contact_hits(sentence: str, ctx: Ctx, in_contact: bool) -> list[Hit]:
    """The operator's own channels stated in one sentence (``in_contact``: the line is in a contact
    section or follows a "以下联系方式" line)."""
    text = unmask_emails(_blank_third_party(sentence, ctx.operators))
    operator_named = any(name in text for name in ctx.operators)
    contact = in_contact or bool(CONTACT_CUE.search(text))
    hits = _address_hits(text, sentence, contact, operator_named)
    if not contact:
        return hits
    for email in EMAIL.findall(text):
        hits.append(Hit("contact", "email", email.lower(), (), sentence))
    plain = EMAIL.sub(" ", text)
    for m in URL.finditer(plain):
        url = canonical_url(m.group(0))
        if "." in url and not no_channel(url, plain[: m.start()]):
            hits.append(Hit("contact", "url", url, (), sentence))
    if contact:
        for m in _FORM.finditer(text):
            hits.append(Hit("contact", "form", m.group(1), (), sentence))
    for digits in _phones(without_noise(text), in_contact):
        hits.append(Hit("contact", "phone", digits, (), sentence))
    if in_contact:
        for m in SOCIAL.finditer(text):
            handle = m.group("handle").replace(" ", "")
            platform = _PLATFORM.get(m.group("platform").upper(), m.group("platform"))
            hits.append(Hit("contact", "account", f"{platform}:{handle}", (), sentence))
    if in_contact or CONTACT_CUE.search(text) or _DEPT_CUE.search(text):
        for m in _DEPARTMENT.finditer(text):
            name = "个人信息保护负责人" if m.group(0) == "个人信息负责人" else m.group(0)
            hits.append(Hit("contact", "department", name, (), sentence))
    return hits


def link_hits(
    links: Sequence[tuple[str, int, str]], flat: Sequence[tuple[Clause, str]], contexts: Mapping[int, Ctx]
) -> Iterator[tuple[Clause, Hit]]:
    """The web addresses the operator's contact links open (联系方式: 提交到 GitHub Issues, a link to
    github.com/a/b/issues), each in the clause whose line holds the link, where the policy gives no
    other way to write or call."""
    # a policy that gives an e-mail address or a phone number is reached there, and its links are
    # the site's (a document, a page); one that gives neither is reached through its links (an issue
    # tracker, a feedback form), whatever clause they are in
    if any(
        EMAIL.search(unmask_emails(line)) or (contexts[id(c)].contact and _phones(line, True))
        for c, line in flat
    ):
        return
    keys = [norm(line) for _, line in flat]
    for text, end, target in links:
        url, key, label = canonical_url(target), norm(text), norm(text[max(0, end - 12) : end])
        if not key or "." not in url or no_channel(url, text[:end]):
            continue
        for (clause, line), line_key in zip(flat, keys, strict=True):
            # the line, or the part of it that holds the link (a list item's number is its clause's)
            if key in line_key or (label and label in line_key and line_key in key):
                if contexts[id(clause)].contact or CONTACT_CUE.search(line):
                    yield clause, Hit("contact", "link", url, (), line)
                break
