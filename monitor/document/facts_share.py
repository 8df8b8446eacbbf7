"""Recipients: named companies, platforms and SDKs, and kinds of partner, with the relation
(共享, 委托处理, 转让, 公开披露, SDK).

Tables: the HTML extractor puts each cell of a table on a line of its own, so a table is a run of
header cells (SDK名称, 提供方, 使用目的 …) followed by its rows, cell after cell; a text or Markdown
copy has one row a line with cells between ``|``. In a row the provider column is the recipient
(the fact's value) and the SDK's display name an attribute: renaming an SDK whose provider stays is
no change. A list of ``SDK名称: …; 提供方: …`` records is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from monitor.document.facts_base import EMAIL, URL, Ctx, Hit, lexicon, named_map, pi_types
from monitor.document.facts_contact import SOCIAL, entities

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
        ),
    ),
)
_SDK_WORD = re.compile(r"SDK|插件|组件", re.IGNORECASE)
_SDK_NAME = re.compile(r"([^\s,;:()、。\"'的/和及与或]{2,12}?)\s*SDK", re.IGNORECASE)
_GENERIC_SDK = re.compile(
    r"^(?:第三方|相关|其他|该|此类|上述|授权合作伙伴|合作伙伴|应用|开发包)$"
    # words that point at an SDK or say which kind, not its name (若该SDK, 典型境外SDK, 定期审查第三方SDK)
    r"|(?:该|此|本|这些|上述|所述|各|任何|境外|境内|第三方|相关|其他|对应|所需)$|^(?:若|仅|按|对|如|将|由|与|通过|定期)"
)
NAME_LABEL = re.compile(r"(?:SDK|插件|第三方|合作方)名称\s*[:]", re.IGNORECASE)
_PROVIDER_LABEL = re.compile(
    r"(?:提供方|提供者|服务提供方|第三方主体|第三方公司|公司名称|所属公司|开发者|运营方|合作方主体)(?:名称)?\s*[:]"
)

_NAME_COL = re.compile(
    r"^(?:(?:使用|接入|第三方|合作)?\s*(?:SDK|插件|组件)\s*(?:名称)?|名称|第三方名称|合作方名称|产品名称|服务名称)$",
    re.I,
)
_PROVIDER_COL = re.compile(
    r"^(?:提供方|提供者|服务提供方|(?:所属)?公司(?:名称)?|开发者|运营方|主体(?:名称)?|第三方主体|第三方公司|合作方主体)$"
)
_PURPOSE_COL = re.compile(r"^(?:使用目的|目的|用途|功能|(?:业务|使用)?场景|处理目的)$")
_PI_COL = re.compile(
    r"^(?:收集|共享|涉及)?(?:的)?(?:个人)?信息(?:类型|字段|范围)?$|^信息类型$|^个人信息(?:类型|字段|范围)?$"
)
_OTHER_COL = re.compile(
    r"^(?:序号|收集方式|处理方式|共享方式|链接|官网链接|(?:涉及|所需)?权限|SDK类型|类型|"
    r"(?:第三方|SDK|合作方)?\s*(?:隐私政策|隐私协议|隐私声明|隐私权政策|个人信息保护(?:政策|规则))(?:链接|地址)?)$",
    re.I,
)
# of two name columns (使用SDK名称 | 第三方名称), the one naming the party is the provider
_PARTY_COL = re.compile(r"^(?:第三方|合作方)名称$")


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


def recipient_hits(sentence: str, ctx: Ctx, starts_line: bool) -> list[Hit]:
    """Recipients named in one sentence of prose (``starts_line``: it is the first of its line, so a
    platform named first is an item of a list of recipients)."""
    if NAME_LABEL.search(sentence):
        return []  # label/value records are read by record_hits
    text = URL.sub(" ", EMAIL.sub(" ", sentence))  # privacy.qq.com names no recipient
    rels = relations(text, ctx)
    attrs = _rel_attr(rels)
    hits = [
        Hit("recipients", "sdk", sdk_name(m.group(1)), (("relation", "SDK"),), sentence)
        for m in _SDK_NAME.finditer(text)
        if not _GENERIC_SDK.search(m.group(1))
    ]
    named = []
    platforms = named_map("platforms").find(text)
    account = SOCIAL.match(text.strip())  # 新浪微博: @佳麦 — the operator's account, not a recipient
    for name, start, _ in platforms:
        if rels or (starts_line and start <= 3 and not account):
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    if ctx.share or rels or HELD_BY.search(text) or THIRD_PARTY.search(text):
        hits.extend(_named_in_prose(text, sentence, ctx, rels, named, platforms))
    hits.extend(_enumerated(text, ctx))
    if not rels:
        return hits
    for name, _, _ in named_map("recipient_kinds").find(text):
        hits.append(Hit("recipients", "recipient_kind", name, attrs, sentence))
    for name in entities(text):
        if name not in ctx.operators:
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
    return hits


# Latin-script names of companies and services (Google Analytics, Ko-fi, jsDelivr): recipients where
# the sentence is about a third party, unless the policy names its own product so (ctx.selves)
LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9@._/-])[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*"
    r"(?:\s[A-Z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*){0,2}(?![A-Za-z0-9@_/-])"
)
THIRD_PARTY = re.compile(r"第三方|合作伙伴|合作方|服务商|提供商|供应商|提供者|SDK|插件|组件", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
# a service that keeps or processes the information for us: 存储在您的 iCloud 账户中, 内购通过 Apple 的
# StoreKit 处理, 交易凭证验证仅由系统和 Apple 处理
HELD_BY = re.compile(
    r"(?:存储|保存|存放|备份|同步|上传|托管)(?:在|于|至|到)"
    r"|(?:通过|由|经由|借助)[^。,;]{1,24}?(?:处理|管理|验证|完成|托管|存储)"
)


@cache
def _not_names() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["not_names"])


def latin_names(text: str, selves: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """(name, start) of the Latin-script names in ``text`` outside parentheses, without the words
    that name no one, lowercased (GitHub and Github are one); the policy's own names left out."""
    not_names = _not_names()
    plain = _PARENS.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in LATIN_NAME.finditer(plain):
        words = [w for w in m.group(0).split() if w.lower() not in not_names]
        name = " ".join(words).lower()
        own = name in selves or name.split(" ", 1)[0] in selves  # Firefox Suggest: the policy's own
        if len(name) >= 2 and any(c.isupper() for c in "".join(words)) and not own:
            out.append((name, m.start()))
    return out


def introduces_recipients(line: str) -> bool:
    """A line that ends by announcing a list of third parties (…我们默认的 DNS 解析器服务提供商:)."""
    text = line.rstrip()
    return text.endswith((":", "：")) and bool(
        THIRD_PARTY.search(text) or named_map("recipient_kinds").find(text)
    )


def listed_name(line: str, selves: frozenset[str]) -> str | None:
    """The company or service a list item names when the item is nothing but its name."""
    text = line.strip(" -*·•、;；,，.。")
    platforms = named_map("platforms").find(text)
    if len(platforms) == 1 and platforms[0][1:] == (0, len(text)):
        return platforms[0][0]
    names = latin_names(text, selves)
    if len(names) == 1 and re.fullmatch(r"[A-Za-z0-9 .+-]+", text) and names[0][0] == text.lower():
        return names[0][0]
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
    services = dict.fromkeys(m.group(1) for m in _SERVICE.finditer(sentence))
    return [
        Hit("recipients", "service", f"{names[0]} {service}", (("relation", "委托处理"),), sentence)
        for service in services
        if not re.search(r"第三方|相关|其他|上述|该|此类|我们", service)
    ]


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
    held = not rels and HELD_BY.search(text) is not None
    attrs = _rel_attr(["委托处理"] if held else rels)
    hits = []
    spans = [(start, end) for _, start, end in platforms]
    for name, _, _ in platforms if held else []:
        if name not in named:
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    for name, at in latin_names(text, ctx.selves):
        if not any(start <= at < end for start, end in spans):
            hits.append(Hit("recipients", "recipient", name, attrs, sentence))
            named.append(name)
    return hits + service_hits(text, named)


def _enumerated(text: str, ctx: Ctx) -> list[Hit]:
    """支付机构(包括京东支付、微信支付及银联…) / 配送公司(包括顺丰、圆通等…): the kind and the
    platforms it lists are recipients even where the sentence names no relation."""
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


# ---------------------------------------------------------------------------------------------
# tables and records


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    provider: str
    purpose: str
    pi: str
    text: str
    line: int = 0  # index of the row's first line


def _role(cell: str) -> str | None:
    for role, pattern in (
        ("name", _NAME_COL),
        ("provider", _PROVIDER_COL),
        ("purpose", _PURPOSE_COL),
        ("pi", _PI_COL),
        ("other", _OTHER_COL),
    ):
        if pattern.match(cell.strip()):
            return role
    return None


def _header(cells: Sequence[str]) -> list[str] | None:
    roles = [_role(c) for c in cells]
    if len(roles) < 2 or None in roles or not {"name", "provider"} & set(roles):
        return None
    if roles.count("name") > 1 and "provider" not in roles:
        roles = ["provider" if _PARTY_COL.match(c.strip()) else r for r, c in zip(roles, cells, strict=True)]
    return [r or "other" for r in roles]


def _row(roles: Sequence[str], cells: Sequence[str], line: int = 0) -> Row:
    by_role: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        by_role.setdefault(role, cell.strip())
    return Row(
        by_role.get("name", ""),
        by_role.get("provider", ""),
        by_role.get("purpose", ""),
        by_role.get("pi", ""),
        " | ".join(c.strip() for c in cells),
        line,
    )


def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    return [c for c in line.strip().strip("|").split("|")]


def table_rows(lines: Sequence[str]) -> tuple[list[Row], set[int]]:
    """Rows of the tables in (canon'd) lines, and the indexes of the lines they use. The lines are the
    whole document's: a short row may have been taken for a heading of its own."""
    rows: list[Row] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        cells = _pipe_cells(lines[i])
        if cells is not None and (roles := _header(cells)):
            j = i + 1
            while j < len(lines) and (row := _pipe_cells(lines[j])) is not None:
                if not re.fullmatch(r"[\s|:-]*", lines[j]):
                    rows.append(_row(roles, row, j))
                j += 1
            used.update(range(i, j))
            i = j
            continue
        j = i
        while j < len(lines) and _role(lines[j]) is not None:
            j += 1
        roles = _header(lines[i:j]) if j - i >= 2 else None
        if roles:
            found = _cell_rows(roles, lines, j)
            rows.extend(found)
            end = j + len(found) * len(roles)
            used.update(range(i, end))
            i = end
            continue
        i += 1
    return rows, used


_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d{1,2}(?:\.\d{1,2})*[.、]\D|[(][一二三四五六七八九十\d]{1,3}[)]|第.{1,3}[部章条])"
)
_ORG = re.compile(r"公司|集团|有限|科技|中心|平台|研究院|银行|Co\b|Ltd|Inc|Limited|LLC|GmbH", re.IGNORECASE)


def _cell_rows(roles: Sequence[str], lines: Sequence[str], start: int) -> list[Row]:
    """Rows of one cell a line after a header: as long as a full row follows, no cell starts a
    numbered clause, and the provider cell (where the table has one) names an organisation."""
    k = len(roles)
    provider = roles.index("provider") if "provider" in roles else None
    rows = []
    for s in range(start, len(lines) - k + 1, k):
        cells = lines[s : s + k]
        if any(_NUMBERED.match(c) or _role(c) for c in cells):
            break
        if provider is not None and not _ORG.search(cells[provider]):
            break
        rows.append(_row(roles, cells, s))
    return rows


# the label of a record's next field, where a record runs on without separators
# (``SDK名称:微信开放平台公司名称:腾讯科技(深圳)有限公司SDK官网:…``)
_NEXT_LABEL = re.compile(
    r"(?:第三方SDK|第三方|SDK|公司|相关|隐私|使用|收集的?|处理的?|涉及的?|所需)?(?:个人信息)?"
    r"(?:名称|官网|网址|链接|目的|用途|场景|类型(?:/字段)?|字段|方式|权限|协议|政策)\s*[:]"
)


def _value(chunk: str, start: int, stops: str = ";,\n") -> str:
    """A record field's value: from ``start`` to a separator or the next field's label."""
    value = re.split(f"[{stops}]", chunk[start:], maxsplit=1)[0]
    return _NEXT_LABEL.split(value, maxsplit=1)[0].strip()


# a record whose name stands on a line of its own (融云 SDK / 信息类型: … / 官网链接: …)
_BARE_SDK = re.compile(r"^(?:\d{1,2}[.、]\s*)?([^:;,。、]{1,30}?\s*SDK)$", re.IGNORECASE)
_FIELD = re.compile(r"^[^:;,。]{1,12}[:]")


def labelled(lines: Sequence[str]) -> str:
    """The lines as one text for :func:`record_rows`, a bare SDK name followed by a labelled field
    given the label of a record's name (``SDK名称:``)."""
    out = []
    for i, line in enumerate(lines):
        m = _BARE_SDK.match(line.strip())
        if m and i + 1 < len(lines) and _FIELD.match(lines[i + 1].strip()) and not NAME_LABEL.search(line):
            line = f"SDK名称:{m.group(1)}"
        out.append(line)
    return "\n".join(out)


def record_rows(text: str) -> list[Row]:
    """``SDK名称: 友盟SDK; 提供方: 友盟同欣(北京)科技有限公司; 使用目的: …`` records."""
    names = list(NAME_LABEL.finditer(text))
    rows = []
    for n, m in enumerate(names):
        end = names[n + 1].start() if n + 1 < len(names) else len(text)
        chunk = text[m.end() : end]
        p = _PROVIDER_LABEL.search(chunk)
        purpose = re.search(r"(?:使用目的|目的|用途)\s*[:]\s*", chunk)
        pi = re.search(r"(?:收集|共享)?(?:的)?(?:个人)?信息(?:类型|字段|范围)?\s*[:]\s*", chunk)
        rows.append(
            Row(
                _value(chunk, 0),
                _value(chunk, p.end(), ";,\n。") if p else "",
                _value(chunk, purpose.end(), ";\n。") if purpose else "",
                _value(chunk, pi.end(), ";\n。") if pi else "",
                chunk,
            )
        )
    return rows


def row_hits(rows: Sequence[Row], ctx: Ctx) -> list[Hit]:
    """A row's recipient is its provider (else the SDK's name); its PI types are processing facts."""
    hits = []
    for row in rows:
        provider = row.provider.strip(" 【】")
        value = provider or sdk_name(row.name)
        if not value:
            continue
        attrs = [("relation", "SDK" if row.name or not ctx.share else ctx.share)]
        if row.name and (provider or _SDK_WORD.search(row.name)):  # 友盟SDK without a provider column
            attrs.append(("sdk_name", row.name))
        if row.purpose:
            attrs.append(("purpose", row.purpose))
        pis = sorted({name for name, _, _ in pi_types().words.find(row.pi)})
        if pis:
            attrs.append(("pi", "、".join(pis)))
        hits.append(Hit("recipients", "sdk", value, tuple(sorted(attrs)), row.text))
        hits.extend(
            Hit("processing", "pi_type", name, (("purpose", row.purpose),) if row.purpose else (), row.text)
            for name in pis
        )
    return hits
