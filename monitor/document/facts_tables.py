"""Tables and records: SDK lists and permission tables read row by row, each row keyed by its header.

The HTML extractor puts each cell of a table on a line of its own (a <br> inside a cell is a space),
so a table is a run of header cells (SDK名称, 提供方, 使用目的 …, or 权限, 用途说明) followed by its
rows, cell after cell; a text copy has one row a line with cells between ``|``. In a row the provider
column is the recipient (the fact's value) and the SDK's display name an attribute: renaming an SDK
whose provider stays is no change. ``SDK名称: …; 提供方: …`` records, and a bare SDK name on its own
line followed by labelled fields, are read the same way. A permission column's permissions (相机 …,
or identifiers such as clipboardWrite) are processing facts with the row's purpose.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from monitor.document.facts_base import Ctx, Hit, named_map, pi_types
from monitor.document.facts_processing import listed_items
from monitor.document.facts_share import NAME_LABEL, sdk_name
from monitor.document.normalize import simplified

_SDK_WORD = re.compile(r"SDK|插件|组件", re.IGNORECASE)
_PROVIDER_LABEL = re.compile(
    r"(?:提供方|提供者|服务提供方|第三方主体|第三方公司|公司名称|所属公司|开发者|运营方|合作方主体)(?:名称)?\s*[:]"
)

_NAME_COL = re.compile(
    r"^(?:(?:使用|接入|第三方|合作)?\s*(?:SDK|插件|组件)\s*(?:名称)?|名称|第三方名称|合作方名称|产品名称|服务名称|"
    r"服务)$",
    re.I,
)
_PROVIDER_COL = re.compile(
    r"^(?:(?:SDK|服务)?(?:提供方|提供者|厂商)|服务提供方|(?:所属)?公司(?:名称)?|开发者|运营方|主体(?:名称)?|"
    r"第三方主体|第三方公司(?:名称)?|合作方主体|所属机构(?:及官网)?)$",
    re.I,
)
# a table of where data goes (功能 | 可能接收者 | 涉及资料): its recipients, hosts and endpoints as well as
# organisations
_RECIPIENT_COL = re.compile(r"^(?:可能的?)?(?:数据)?(?:接收方|接收者|接收人|收件人)(?:名称)?$")
_PURPOSE_COL = re.compile(
    r"^(?:权限)?(?:使用目的|目的|用途|功能|(?:业务|使用)?场景|处理目的|(?:使用|申请|调用)?(?:目的|用途)说明|申请目的)$|"
    r"^(?:用途|目的)[和与及](?:用途|目的)$|^(?:SDK|合作)(?:使用)?目的$|^(?:使用第三方SDK|获取该权限|调用权限)的目的$|"
    r"^(?:使用场景或目的|应用场景|调用场景|对应功能|提供的服务|功能类型|服务类型|共享信息业务用途|需要此权限的原因|"
    r"权限功能说明|说明|提供目的|活动)$",
    re.I,
)
# a column of permissions: a table of them (权限 | 用途说明), or an SDK table's 调用权限
_PERMISSION_COL = re.compile(
    r"^(?:涉及|所需|申请|调用|使用|应用声明)?(?:的)?(?:系统|设备|敏感|浏览器|扩展)?权限(?:名称)?$"
)
_PI_COL = re.compile(
    r"^(?:SDK|第三方)?(?:收集|采集|共享|涉及|处理)?(?:的)?(?:个人)?(?:敏感)?(?:信息|数据|资料)"
    r"(?:类型|类别|字段|范围|名称)?(?:及目的)?$|^(?:发送|提供|共享|传输)的(?:信息|数据|资料|内容)$"
    r"|^(?:信息|数据)已?(?:发送|提供|共享)$",
    re.I,
)
_OTHER_COL = re.compile(
    r"^(?:序号|收集方式|处理方式|共享方式|链接|官网链接|SDK类型|类型|权限(?:说明|描述|含义|类型)|是否.{1,4}|"
    r"(?:适用)?操作系统|平台|获取方式|申请时机|用户可否关闭权限|实际使用情况|合作方式|合作方类型|适用范围|数据去向|"
    r"有效期|类别|所在地|数据处理方式|拒绝提供的后果|(?:第三方|SDK)?官网链接|隐私链接|"
    r"(?:第三方|SDK|合作方|服务方)?\s*(?:隐私政策|隐私协议|隐私声明|隐私权政策|个人信息保护(?:政策|规则))(?:链接|地址)?)$",
    re.I,
)
# of two name columns (使用SDK名称 | 第三方名称), the one naming the party is the provider
_PARTY_COL = re.compile(r"^(?:第三方|合作方)名称$")


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    provider: str
    purpose: str
    pi: str
    text: str
    line: int = 0  # index of the row's first line
    permission: str = ""
    sdk_column: bool = False  # the name column's header says it names SDKs (SDK名称, 第三方SDK)
    recipient: str = ""  # the cell of a column of where data goes (可能接收者)


@lru_cache(maxsize=4096)  # a line is looked at twice, and two versions share most lines
def _role(cell: str) -> str | None:
    cell = simplified(cell)  # 涉及資料, 可能接收者: the words are in simplified characters
    for role, pattern in (
        ("name", _NAME_COL),
        ("provider", _PROVIDER_COL),
        ("recipient", _RECIPIENT_COL),
        ("purpose", _PURPOSE_COL),
        ("pi", _PI_COL),
        ("permission", _PERMISSION_COL),
        ("other", _OTHER_COL),
    ):
        if pattern.match(cell.strip()):
            return role
    return None


def _header(cells: Sequence[str]) -> list[str] | None:
    roles = [_role(c) for c in cells]
    if len(roles) < 2 or None in roles or not {"name", "provider", "permission", "recipient"} & set(roles):
        return None
    if roles.count("name") > 1 and "provider" not in roles:
        roles = ["provider" if _PARTY_COL.match(c.strip()) else r for r, c in zip(roles, cells, strict=True)]
    return [r or "other" for r in roles]


def _sdk_column(roles: Sequence[str], header: Sequence[str]) -> bool:
    return any(role == "name" and _SDK_WORD.search(cell) for role, cell in zip(roles, header, strict=False))


def _row(roles: Sequence[str], cells: Sequence[str], line: int = 0, sdk_column: bool = False) -> Row:
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
        by_role.get("permission", ""),
        sdk_column,
        by_role.get("recipient", ""),
    )


def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    return [c for c in line.strip().strip("|").split("|")]


def table_rows(lines: Sequence[str], heads: Collection[int] = ()) -> tuple[list[Row], set[int]]:
    """Rows of the tables in (canon'd) lines, and the indexes of the lines they use. The lines are the
    whole document's: a short row may have been taken for a heading of its own. ``heads``: the
    indexes of the lines that open a numbered clause, where a table of one cell a line ends."""
    rows: list[Row] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        cells = _pipe_cells(lines[i])
        if cells is not None and (roles := _header(cells)):
            j, sdk_column = i + 1, _sdk_column(roles, cells)
            while j < len(lines) and (row := _pipe_cells(lines[j])) is not None:
                if not re.fullmatch(r"[\s|:-]*", lines[j]):
                    rows.append(_row(roles, row, j, sdk_column))
                j += 1
            used.update(range(i, j))
            i = j
            continue
        j = i
        while j < len(lines) and _role(lines[j]) is not None:
            j += 1
        run = [_role(line) for line in lines[i:j]]
        while len(run) > 2 and _repeats(run):
            run.pop(0)  # a heading before the header (隐私政策, ## 权限, then 权限 | 用途说明)
            i += 1
        roles = _header(lines[i:j]) if j - i >= 2 else None
        if roles:
            found = _cell_rows(roles, lines, j, heads, _sdk_column(roles, lines[i:j]))
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


def _short(cells: Sequence[str], roles: Sequence[str]) -> bool:
    """Whether every cell but the data's is a name or a label, no sentence: a row of a table of where
    data goes, not prose after it (更新检查仅比较版本元数据。除非禁用,…)."""
    return all(
        role == "pi"
        or (len(cell.strip()) <= (80 if role == "recipient" else 40) and not re.search(r"[。;]", cell))
        for role, cell in zip(roles, cells, strict=False)
    )


def _repeats(roles: Sequence[str | None]) -> bool:
    """Whether a run of header-like lines names a column twice and opens with a line that is no column
    of it: a heading ran into the header (# 隐私政策, ## 权限, then 权限 | 用途说明). Two columns of one
    role after the first are the header's own (权限 | 对应功能 | 用途说明: two purposes)."""
    single = [r for r in roles if r in ("provider", "recipient", "purpose", "pi", "permission")]
    return len(single) != len(set(single)) and (roles[0] == "other" or roles[0] in roles[1:])


def _cell_rows(
    roles: Sequence[str],
    lines: Sequence[str],
    start: int,
    heads: Collection[int] = (),
    sdk_column: bool = False,
) -> list[Row]:
    """Rows of one cell a line after a header: as long as a full row follows, no cell starts a
    numbered clause (written so, or one of ``heads``), and the provider cell (where the table has one)
    names an organisation."""
    k = len(roles)
    provider = roles.index("provider") if "provider" in roles else None
    rows = []
    for s in range(start, len(lines) - k + 1, k):
        cells = lines[s : s + k]
        if any(_NUMBERED.match(c) or _role(c) for c in cells) or any(h in heads for h in range(s, s + k)):
            break
        if provider is not None and not _ORG.search(cells[provider]):
            break
        if "recipient" in roles and not _short(cells, roles):
            break  # prose after a table of where data goes
        rows.append(_row(roles, cells, s, sdk_column))
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
    """A row's recipient is its provider (else the SDK's name, or the cell of a column of where data
    goes); its PI types are processing facts."""
    hits = []
    for row in rows:
        hits.extend(_permission_hits(row))
        recipient = row.recipient.strip(" 【】")
        if _NO_VALUE.fullmatch(recipient):
            recipient = ""
        provider = row.provider.strip(" 【】")
        value = provider or sdk_name(row.name)
        if not (recipient or value):
            continue
        pis = sorted({name for name, _, _ in pi_types().words.find(row.pi)})
        if recipient:  # 功能 | 可能接收者 | 涉及资料
            attrs = [("relation", ctx.share or "共享"), *_row_attrs(row, pis)]
            hits.append(Hit("recipients", "recipient", recipient, tuple(sorted(attrs)), row.text))
            # what goes there that no lexicon knows (Chat Message、附加 Context), read as written
            hits.extend(Hit("processing", "data_item", item, (), row.text) for item in listed_items(row.pi))
        if value:
            attrs = [("relation", "SDK" if row.name or not ctx.share else ctx.share), *_row_attrs(row, pis)]
            # 友盟SDK, or LeanCloud under SDK名称, without a provider column
            if row.name and (provider or row.sdk_column or _SDK_WORD.search(row.name)):
                attrs.append(("sdk_name", row.name))
            hits.append(Hit("recipients", "sdk", value, tuple(sorted(attrs)), row.text))
        hits.extend(
            Hit("processing", "pi_type", name, (("purpose", row.purpose),) if row.purpose else (), row.text)
            for name in pis
        )
    return hits


# a cell that says there is nothing (无, /, -, 暂无, 不涉及) or is empty
_NO_VALUE = re.compile(r"[无/-]|暂无|不涉及|")


def _row_attrs(row: Row, pis: Sequence[str]) -> list[tuple[str, str]]:
    """A row's purpose and the types of information its data cell names."""
    attrs = []
    if row.purpose:
        attrs.append(("purpose", row.purpose))
    if pis:
        attrs.append(("pi", "、".join(pis)))
    return attrs


_IDENTIFIER = re.compile(r"<?[A-Za-z][A-Za-z0-9_.]*>?")


def _permission_hits(row: Row) -> list[Hit]:
    """A permission cell's permissions: the lexicon's (相机, 位置 …), else the identifiers it lists
    (clipboardWrite, android.permission.CAMERA), each a permission with the row's purpose."""
    cell = row.permission.strip()
    if _NO_VALUE.fullmatch(cell):
        return []
    names = [name for name, _, _ in named_map("permissions").find(cell)]
    if not names and re.fullmatch(r"[A-Za-z0-9_.<>/、,;\s()-]+", cell):
        names = [m.group(0).lower() for m in _IDENTIFIER.finditer(re.sub(r"\([^)]*\)", " ", cell))]
    attrs = (("purpose", row.purpose),) if row.purpose else ()
    return [Hit("processing", "permission", name, attrs, row.text) for name in dict.fromkeys(names)]
