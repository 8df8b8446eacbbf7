"""What is processed and how: types of personal information, device permissions, retention periods,
transfers outside the mainland, and the age below which a user is a minor."""

from __future__ import annotations

import re
from collections.abc import Sequence

from monitor.document.facts_base import (
    NOT_USED,
    NUMBER,
    RULED_OUT,
    Ctx,
    Hit,
    amount,
    lexicon_spelling,
    named_map,
    pi_types,
    without_noise,
)
from monitor.document.normalize import simplified

_COLLECT = re.compile(
    r"收集|采集|获取|读取|提供|填写|提交|记录|上传|调用|共享|接收|使用|访问|保存|存储|留存|处理|传输|绑定|输入|验证|核验"
)
_PURPOSE = re.compile(r"(?:用于|用以|以便于?|目的是|为了)([^,;:。、]{2,24})")


def purpose_of(sentence: str) -> str | None:
    m = _PURPOSE.search(sentence)
    return m.group(1).strip() if m else None


def pi_attrs(name: str) -> tuple[tuple[str, str], ...]:
    types = pi_types()
    attrs = [("sensitive", "yes" if name in types.sensitive else "no")]
    if name in types.group:
        attrs.append(("group", types.group[name]))
    return tuple(attrs)


def pi_hits(sentence: str, ctx: Ctx) -> list[Hit]:
    """Types of personal information named where the text speaks of collecting or using them."""
    if ctx.definitions or not (ctx.collect or _COLLECT.search(sentence)):
        return []
    text = lexicon_spelling(sentence)
    purpose = purpose_of(text)
    extra = (("purpose", purpose),) if purpose else ()
    hits = []
    for name, _, end in pi_types().words.find(text):
        if text[end : end + 2] == "权限":
            continue  # 通讯录权限 is a permission, read by permission_hits
        hits.append(Hit("processing", "pi_type", name, extra, sentence))
    return hits


def purpose_hits(sentence: str, ctx: Ctx) -> list[Hit]:
    """Purposes beyond providing the service (个性化推荐, 个性化广告, 营销推广, 用户画像 …) that the
    sentence says information is used for; a purpose the sentence rules out (不会用于营销) is none."""
    if ctx.definitions:
        return []
    names = [
        name
        for name, start, _ in named_map("purposes").find(sentence)
        if not (RULED_OUT.search(sentence[:start]) or NOT_USED.search(sentence[:start]))
    ]
    return [Hit("processing", "purpose", name, (), sentence) for name in dict.fromkeys(names)]


_PERMISSION_CUE = re.compile(r"权限")
_CLAUSE_END = re.compile(r"[,;:]")
_FEATURE_CUE = re.compile(r"(?:授权|开启|打开|调用)[^。]{0,8}$")
# a permission the policy says it does not ask for (不申请位置、相册、相机等敏感权限)
NOT_ASKED = re.compile(r"(?:不|未|无需|无须|不会|不需要)(?:申请|请求|获取|使用|调用|访问|索取)[^,;:。]*$")


# an item of a section about permissions labelled with the platform's own names (tabs / activeTab:,
# scripting:, host_permissions(<all_urls>):, android.permission.CAMERA:, or a dash after it, runFullTrust ——
# gmux 是桌面应用…, which canon writes as --), as a permission table gives them
_API_JOIN = re.compile(r"/|和|与|及|、")  # tabs / activeTab:, webRequest 和 webRequestBlocking:
_API_LABEL = re.compile(
    r"^[-*\s]*([A-Za-z][A-Za-z0-9_.]*(?:\s*(?:" + _API_JOIN.pattern + r")\s*[A-Za-z][A-Za-z0-9_.]*)*)"
    r"\s*(?:\([^)]*\))?\s*(?::|--)"
)


def permission_hits(sentence: str, listed: bool = False) -> list[Hit]:
    """Device permissions: in a sentence about 权限, every permission word; elsewhere a permission
    word followed by 功能 after 授权/开启 (授权使用相机功能). ``listed``: the sentence is an item of a
    section about permissions (二、设备权限), whose label names one (相机:拍摄宝宝头像)."""
    found = named_map("permissions").find(sentence)
    if listed and found and found[0][1] == 0 and _CLAUSE_END.match(sentence, found[0][2]):
        names = [found[0][0]]
    elif listed and (api := _API_LABEL.match(sentence)):  # tabs / activeTab:定位当前标签页 (定位 is no label)
        names = [name.strip().lower() for name in _API_JOIN.split(api.group(1))]
    elif _PERMISSION_CUE.search(sentence):
        names = [
            name
            for name, start, end in found
            if "权限" in _CLAUSE_END.split(sentence[end:], maxsplit=1)[0]
            and not NOT_ASKED.search(sentence[:start])
        ]
    else:
        names = [
            name
            for name, start, end in found
            if sentence[end : end + 2] == "功能" and _FEATURE_CUE.search(sentence[:start])
        ]
    # waking the app by itself or from another one (唤醒您的应用自启动或关联启动), said with or without 权限
    if (m := _AUTOSTART.search(sentence)) and not _NOT_STARTED.search(sentence[: m.start()]):
        names = [*names, "自启动"]
    if listed:  # a row of a permission table naming the platform's constant (保持后台运行(WAKE_LOCK))
        names += [(m.group(1) or m.group(2) or m.group(3)).lower() for m in _API_NAME.finditer(sentence)]
    purpose = purpose_of(sentence)
    extra = (("purpose", purpose),) if purpose else ()
    return [Hit("processing", "permission", name, extra, sentence) for name in dict.fromkeys(names)]


_AUTOSTART = re.compile(r"自启动|关联启动|自动启动")
_NOT_STARTED = re.compile(r"(?:不|未|禁止|无需)[^,;:。]{0,8}$")
# a permission's constant: android.permission.CAMERA, ACCESS_FINE_LOCATION, (CAMERA)
_API_NAME = re.compile(
    r"(?:android|ohos)\.permission\.([A-Z][A-Z0-9_]+)|(?<![\w.])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w.])"
    r"|\(([A-Z]{4,})\)"
)


_STORE = re.compile(r"保存|保留|留存|存储|存留|保管")
_PERIOD = re.compile(
    rf"(不少于|不超过|至少|最长|最短|不低于)?\s*({NUMBER})\s*(个月|个工作日|年|月|日|天|周)(?!\s*内[^。]{{0,8}}(?:回复|答复|处理|响应))"
)
_NEEDED = re.compile(r"(?:所需|所必需|必要|必需)的?(?:最短)?(?:期限|期间|时间)")


def retention_hits(sentence: str) -> list[Hit]:
    """Retention periods stated as an amount of time (dates are never read as one), or as the
    period a purpose needs."""
    if not _STORE.search(sentence):
        return []
    text = without_noise(sentence)
    values = []
    for m in _PERIOD.finditer(text):
        period = amount(m.group(2), m.group(3))
        if period:
            values.append((m.group(1) or "") + period)
    if _NEEDED.search(text):
        values.append("目的所需期限")
    return [Hit("processing", "retention", v, (), sentence) for v in dict.fromkeys(values)]


_PLACE_WORDS = ("境", "海外", "国家", "以外")  # one is in every match of _INSIDE, _NO_TRANSFER, ABROAD
ABROAD = re.compile(r"境外|海外|出境|跨境|国家/地区|大陆以外|以外的国家|国家以外|其他国家")
SOMEWHERE_ABROAD = frozenset({"境外", "海外", "境外服务器"})  # "abroad", naming no country
_NO_TRANSFER = re.compile(
    r"不涉及(?:跨境|出境|向境外)|不会[^。]{0,12}(?:传输|转移|提供)[^。]{0,6}境外|不出境"
)
_TRANSFER = re.compile(r"传输|传送|转移|提供至|提供给|存储于|存储在|存放|接收方|发送至|出境")
_INSIDE = re.compile(r"(?:存储|保存|存放)[^。]{0,12}境内|境内[^。]{0,24}(?:存储|保存|存放)")


def cross_border_hits(sentence: str) -> list[Hit]:
    """Where information is kept or sent: 境内存储, 出境 (with the places named), 不出境."""
    if not any(word in sentence for word in _PLACE_WORDS):
        return []
    hits = []
    if _INSIDE.search(sentence) and "境外" not in sentence.split("境内")[0]:
        hits.append(Hit("processing", "cross_border", "境内存储", (), sentence))
    if _NO_TRANSFER.search(sentence):
        hits.append(Hit("processing", "cross_border", "不出境", (), sentence))
    elif any(ABROAD.search(part) and _TRANSFER.search(part) for part in _CLAUSE_END.split(sentence)):
        # a destination is a country or region: 境外 (abroad) names none
        places = sorted({name for name, _, _ in named_map("places").find(sentence)} - {"境外"})
        attrs = (("destination", "、".join(places)),) if places else ()
        hits.append(Hit("processing", "cross_border", "出境", attrs, sentence))
    return hits


_AGE = re.compile(rf"(不满|未满|低于|小于|以下|under)?\s*({NUMBER})\s*周?岁(以下|以下的)?")
_MINOR = re.compile(r"儿童|未成年人")


_MINORS_INFO = re.compile(r"(儿童|未成年人)(?:的)?(?:个人)?(?:信息|数据|隐私)")


def minor_age_hits(sentence: str) -> list[Hit]:
    """The age below which a user is a child or a minor (不满14周岁 → 14); where the sentence gives no
    age but speaks of children's information (不会故意收集儿童个人信息), the fact without its age: the
    policy says how it treats them."""
    if not _MINOR.search(sentence):
        return []
    if not _AGE.search(sentence):
        info = _MINORS_INFO.search(sentence)
        return [Hit("processing", "minor_age", info.group(1), (), sentence)] if info else []
    hits = []
    text = without_noise(sentence)
    for m in _AGE.finditer(text):
        age = amount(m.group(2), "周岁")
        after = _MINOR.search(text, m.end(), m.end() + 12)
        before = list(_MINOR.finditer(text, 0, m.start()))
        term = after or (before[-1] if before else None)
        if age and term:
            hits.append(Hit("processing", "minor_age", term.group(0), (("age", age),), sentence))
    return hits


# ---------------------------------------------------------------------------------------------
# data items: what a collection or storage sentence lists, in the policy's own words

_HOLD = r"(?:收集|采集|获取|读取|保存|存储|储存|记录|留存|上传)"
# 我们收集您的 a、b、c / 本地保存的数据包括: a、b / 我们会记录以下信息: a、b
_ITEMS_AFTER = re.compile(
    _HOLD + r"(?:(?:您|你|用户)的(.+)$|[^。;:]{0,10}?(?:包括|包含|如下|以下|有)?[^。;:]{0,4}?:\s*(.+)$)"
)
# 把 a、b 和 c 存入… (the items before the verb)
_ITEMS_MOVED = re.compile(r"把([^。;:,]{2,60}?)(?:存入|存储|保存|存放|上传|发送|同步|记录)")
# …提供个人相关信息,包括 a、b、c (in a sentence about collecting)
_ITEMS_INCLUDED = re.compile(r"(?:信息|数据|资料)[^。;:,]{0,4}?,?(?:包括|包含|例如)(?:但不限于)?:?(.+)$")
# in a section about collecting, a kind of information and its items (账户与认证信息:邮箱、手机号、头像)
_KIND_ITEMS = re.compile(r"^[^:。,;]{2,14}(?:信息|数据|资料|内容|记录):\s*(.+)$")
# a line that introduces a list of items on the lines after it (本地保存的数据包括:)
# (what is sent to a third party too: 传输的数据包括:)
# (or the list named first: 以下为我们搜集的产品遥测数据类别:)
ITEMS_INTRO = re.compile(
    r"(?:" + _HOLD + r"|传输|发送)[^。]{0,20}(?:包括|包含|如下|以下|有)[^。]{0,6}:$"
    r"|(?:以下|如下|下列)(?:为|是)?[^。,]{0,8}(?:" + _HOLD + r"|搜集)[^。,]{0,16}(?:,[^。,]{0,16}){0,2}:$"
    # or what the data sent holds (Umami 统计可能包含以下类型的信息:)
    r"|(?:包括|包含)(?:以下|如下|下列)[^。,]{0,6}(?:信息|数据)[^。,]{0,4}:$"
    # or a heading that asks what is collected (收集什么 / 它会读取什么 / 我们收集哪些信息?)
    r"|^[^。,:]{0,8}" + _HOLD + r"(?:了|的)?(?:什么|哪些)(?:信息|数据|内容)?\??$"
)
# an item of a list that lists its own parts (匿名的配置偏好信息,包括: / 部分功能的触发情况(…),具体包括:):
# the list goes on with them
SUB_INTRO = re.compile(r"[,:]?\s*(?:具体)?(?:包括|包含|如下|例如|比如)\s*:$")
_ITEM_SPLIT = re.compile(r"[、,/]|以及|及|和|与|或")
_ITEM_NOT = re.compile(
    r"的|我们|不会|重视|保护|成立|采取|提供|用于|进行|通过|可以|需要|包括|包含|例如|如果|其中|服务|功能(?!使用)"
    r"|产品|公司|国家|地区|运营|维护|业务|安全|个人$|限制|措施"  # 请求频率限制: a measure, no information
)
_ITEM_FIRST = re.compile(r"^[我会将用为如可其也]")
_DENIED = re.compile(r"不|无需|无须|未|禁止|避免")
# a verb of taking information, denied (不会主动收集, 无需提供): the words before it
_DENIES = r"(?:不|未|无需|无须|从不|绝不)(?:会|再)?(?:主动)?"
# 不会要求您出示任何个人信息(包括但不限于姓名、住址): the information it lists is not processed
_DENIES_ASKING = re.compile(_DENIES + r"(?:要求|收集|采集|获取|索取|请求)")
# 不会收集、存储或访问您的住址 (shared with compare.types_gone)
NOT_TAKEN = re.compile(_DENIES + r"(?:收集|采集|获取|接收|存储|保存|访问|要求|上传|读取|请求)")
_DESCRIBED = re.compile(r"\s*(?:--|—)\s*")
# a short item and an example or its use (插件版本,例如 2.2.0; 随机令牌,用于计算在线用户数)
_EXAMPLE = re.compile(r"^([^,:]{2,16}),\s*(?:例如|比如|譬如|用于|用来)")
ITEM_LINE = 60  # characters: a longer line after an intro is prose, no list item


def _items(text: str) -> list[str]:
    """The items of an enumeration (a、b和c), each without 您的 and a trailing 信息/数据/等; parts that
    read as prose (a verb, 的, a company) are none."""
    text = text.replace("*", "").replace("`", "")
    text = re.split(r"[。;]|用于|用以|以便|为了|目的", text)[0]  # the items, not their purposes
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", text)
    text = re.sub(r"[\"'<>]", "", text)
    out = []
    for part in _ITEM_SPLIT.split(text):
        item = re.sub(r"^(?:您的|你的|用户的|您|的)", "", part.strip(" .-:"))
        item = re.sub(r"(?:等(?:信息|数据)?|信息|数据)$", "", item).strip()
        if 2 <= len(item) <= 12 and not _ITEM_FIRST.search(item) and not _ITEM_NOT.search(item):
            out.append(item)
    return out


def listed_items(cell: str) -> list[str]:
    """The items of a list of data (a table's cell) that no lexicon names as a type."""
    return [item for item in dict.fromkeys(_items(simplified(cell))) if not _lexicon_type(item)]


# an item named by its label, then what it is (备份档案:您主动汇出的设定备份档,储存于您指定的位置)
_LABELLED = re.compile(r"^([^,:。;()]{2,12}):(?!\s*$)")


def _item_part(line: str) -> str:
    m = _EXAMPLE.match(line) or _LABELLED.match(line)
    return m.group(1) if m else _DESCRIBED.split(line, maxsplit=1)[0]


def item_line(line: str) -> bool:
    """Whether a line under an intro reads as a list item: short, no clause of prose (a comma, a
    sentence before its end) up to what describes it (随机令牌,用于计算在线用户数), or a label and
    what it names (备份档案:…)."""
    if _LABELLED.match(line):
        return True
    # a comma inside a parenthesis: the item's note (仅…,不…)
    bare = re.sub(r"\([^()]*\)", "", _item_part(line))
    return len(line) < ITEM_LINE and "," not in bare and "。" not in bare.rstrip("。")


# a line announcing what the policy does not collect (本应用不收集以下信息(我们也不请求相应的硬件权限):):
# the types, permissions and items its clause lists after it are ruled out
_DENIED_LIST = re.compile(
    r"(?:不|未|无需|无须|不会)(?:[^,。:]{0,12}?(?:通过|经|由|用|向)[^,。:]{0,12}?)?"  # 不通过 Umami 统计收集
    r"(?:收集|采集|获取|读取|请求|申请|上传)[^。:]{0,4}?(?:以下|下列|如下)[^。]{0,30}:$"
)
_LISTED_KINDS = frozenset({"permission", "pi_type", "data_item"})


def ruled_out(lines: Sequence[str]) -> list[frozenset[str]]:
    """Per line of a clause: the kinds of fact it cannot state, being an item listed after a line that
    announces what the policy does not collect (:data:`_DENIED_LIST`)."""
    out: list[frozenset[str]] = []
    denied = False
    for line in lines:
        out.append(_LISTED_KINDS if denied else frozenset())
        denied = denied or _DENIED_LIST.search(line) is not None
    return out


def _lexicon_type(item: str) -> bool:
    return any(s == 0 and e == len(item) for _, s, e in pi_types().words.find(item))


def _denied_before(sentence: str, m: re.Match[str]) -> bool:
    """Whether the few characters before what ``m`` found deny it (我们不会收集您的…, 不会把…上传)."""
    return _DENIED.search(sentence[max(0, m.start() - 6) : m.start()]) is not None


def item_hits(sentence: str, ctx: Ctx, listed: bool = False) -> list[Hit]:
    """Data items a collection or storage sentence lists (FSRS 卡片状态、到期时间、今日学习清单), or,
    ``listed``, the items of a line under an intro (:data:`ITEMS_INTRO`). Types of the lexicon are
    :func:`pi_hits`' (手机号码); what no lexicon knows (Gitee ID, 答题记录) is read as written: an item
    the other version does not name anywhere is a change of what is processed."""
    if ctx.definitions or ctx.contact:
        return []  # a contact section lists the operator and its channels, no data
    if listed:
        # an item and what it is (机器指纹——设备的单向哈希标识符): the item
        items = _items(_item_part(sentence)) if item_line(sentence) else []
    else:
        m = _ITEMS_AFTER.search(sentence)
        if m and _denied_before(sentence, m):
            return []  # 我们不会收集您的 a、b: what is not processed
        items = _items(m.group(1) or m.group(2)) if m else []
        if not items:  # 默认会把 key、endpoint 和备注存入本设备该浏览器的 localStorage
            m = _ITEMS_MOVED.search(sentence)
            items = _items(m.group(1)) if m and not _denied_before(sentence, m) else []
        if not items and (ctx.collect or _COLLECT.search(sentence)):
            m = _ITEMS_INCLUDED.search(sentence)
            denied = m is not None and _DENIES_ASKING.search(re.split(r"[,。;]", sentence[: m.start()])[-1])
            items = _items(m.group(1)) if m and not denied else []
        if not items and ctx.collect:
            m = _KIND_ITEMS.match(sentence)
            items = _items(m.group(1)) if m else []
        if len(items) < 2:
            return []
    return [
        Hit("processing", "data_item", item, (), sentence)
        for item in dict.fromkeys(items)
        if not _lexicon_type(item)
    ]


# a heading over the purposes information is used for (数据使用目的, 信息的用途, 我们如何使用您的信息)
USE_TITLE = re.compile(
    r"目的|用途|如何使用|信息(?:的)?使用|使用(?:涉及)?(?:您|你|用户)的?(?:个人)?(?:信息|数据)"
)
# a line after which a list of purposes follows (我们会将收集的信息用于以下用途:)
USES_INTRO = re.compile(r"用于(?:以下|如下|下列)[^。,]{0,6}(?:用途|目的)[^。,]{0,4}:$")
_USE_LABEL = re.compile(r"^([^,:。;()]{2,16}):")
_USE_NOT = re.compile(
    r"^(?:例如|比如|注意|说明|提示|包括|其中|如|注|备注|重要声明|示例)$|(?:用于|用作|包括|如下|以下)$"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
# a purpose and what it serves (核对会员身分,以提供对应之功能权益): the purpose is the part before the comma
_USE_HEAD = re.compile(r"^([^,:。;]{4,24}),\s*(?:以便|以|用以|从而|以此)")
USE_LINE = 40  # characters: a longer line without a label is prose, no item of a list of purposes


def _in_chinese(text: str) -> bool:
    """Whether at least half of ``text``'s characters are Chinese ones."""
    return len(_HAN.findall(text)) * 2 >= len(text)


def use_hits(line: str) -> list[Hit]:
    """A purpose a list of them gives under a heading about the use of information (USE_TITLE), as
    written: the label of ``提供核心功能:实现实时3D显示…``, else a short line (为了遵从相关法律法规…)."""
    text = re.sub(r"^[-*·•\s]*(?:\(?\d{1,2}[.)、]|[a-z][.)]|[①-⑩])?\s*", "", line.replace("*", "")).strip()
    m = _USE_LABEL.match(text) or _USE_HEAD.match(text)
    value = m.group(1) if m else (text.rstrip("。;.") if len(text) <= USE_LINE and "," not in text else "")
    value = value.strip()
    # in Chinese once what it names in parentheses is left out (执行云端备份与还原(透过Google Drive API))
    chinese = _in_chinese(re.sub(r"\([^()]*\)", "", value))
    if len(value) < 4 or _USE_NOT.search(value) or "。" in value or not chinese:
        return []  # too short, prose, or not in Chinese (a bilingual page's English lines)
    return [Hit("processing", "use", value, (), line)]


# the purposes a sentence lists after 用于: (手机号仅用于:账号注册与登录识别、账号安全验证、学习服务通知)
_USED_FOR = re.compile(r"(?:仅|只)?(?:用于|用作)\s*:\s*([^。]+)")
_USE_SPLIT = re.compile(r"[、;]|,\s*(?:以及|及|和)|以及")
_USE_END = re.compile(r",\s*(?:不会|不得|不|且|但|并|除).*$")


def used_for_hits(sentence: str, ctx: Ctx) -> list[Hit]:
    """The purposes a sentence lists after 用于:, each as written (kind ``use``), up to a clause that
    denies or adds a condition (…,不会用于与本服务无关的用途)."""
    m = _USED_FOR.search(sentence)
    if ctx.definitions or not m:
        return []
    items = [part.strip(" ,.") for part in _USE_SPLIT.split(_USE_END.sub("", m.group(1)))]
    return [
        Hit("processing", "use", item, (), sentence)
        for item in dict.fromkeys(items)
        if 4 <= len(item) <= 16 and _in_chinese(item) and "," not in item
    ]
