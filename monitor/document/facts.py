"""Document → Facts: the policy's inventory of privacy facts.

A :class:`Fact` is one thing the policy states: a type of personal information it processes, a device
permission, a recipient, a right and its time limit, the operator's entity and contact channels …
Facts are collected over the whole document and keyed by ``(category, kind, value)``: a clause that
moved, split or merged keeps its facts, and a fact present in both versions of a policy is "no
change" wherever its clause went (``monitor.compare.fact_delta`` compares two inventories).

Categories are the ids of the 重大变更 items (``monitor.model.CATEGORIES``). Kinds and what they catch:

=================  ==========  ===============================================================
category           kind        value (attributes)
=================  ==========  ===============================================================
controller         entity      the operator's legal entity, …有限公司 stated as 我们/运营者/服务提供者
controller         address     registered address (注册地址/注册地) of the operator
contact            phone       digits only (400-606-1088 → 4006061088)
contact            email       lowercased
contact            url         no scheme/www/#fragment/trailing slash, percent-decoded, lowercase host
contact            link        the same, of a link's target in the contact section (links.py)
contact            address     office or postal address (办公地址, 公司地址, 位于 …)
contact            department  个人信息保护专职部门, 个人信息保护负责人 …
processing         pi_type     canonical type from data/pi_types.yaml (sensitive, group, purpose)
processing         permission  相机, 麦克风, 位置, 通讯录 … (purpose)
processing         purpose     个性化推荐, 个性化广告, 营销推广, 用户画像 … (not where ruled out)
processing         retention   3年, 不少于3年, 1个月, 目的所需期限
processing         cross_border 境内存储, 出境 (destination), 不出境
processing         minor_age   儿童 / 未成年人 (age: 14周岁; none where only their information is spoken of)
recipients         recipient   a named company or platform (relation: 共享、委托处理、转让、公开披露、SDK)
recipients         recipient_kind  关联公司, 支付机构, 物流公司, 广告合作伙伴 … (relation)
recipients         service     what a named recipient provides (腾讯云 内容分发网络)
recipients         sdk         an SDK: its provider company from a table row or record, else its name
                               (sdk_name, purpose, pi, relation)
rights             right       查阅, 更正, 删除, 撤回同意, 注销账号, 获取副本, 投诉, 退订 …
rights             time_limit  what the limit is for: a right or 答复请求 (limit: 15个工作日)
risk               risk_assessment  影响评估 / 安全评估 (high_risk: yes/no)
=================  ==========  ===============================================================

Which attributes make a fact "changed" is decided by ``fact_delta``; attributes with several values
(a type collected for several purposes) hold them sorted and joined with 、, so that the order of the
clauses never changes a fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from monitor.document.facts_base import RIGHTS_TITLE, Attrs, Ctx, Hit, document_link, sentences_of
from monitor.document.facts_contact import (
    CONTACT_INTRO,
    contact_hits,
    controller_hits,
    label_ends,
    link_hits,
    next_line_hits,
    operator_names,
)
from monitor.document.facts_processing import (
    ITEMS_INTRO,
    SUB_INTRO,
    USE_TITLE,
    USES_INTRO,
    cross_border_hits,
    item_hits,
    item_line,
    minor_age_hits,
    permission_hits,
    pi_attrs,
    pi_hits,
    purpose_hits,
    retention_hits,
    ruled_out,
    use_hits,
    used_for_hits,
)
from monitor.document.facts_rights import heading_right_hits, right_hits, risk_hits, time_limit_hits
from monitor.document.facts_self import selves_of
from monitor.document.facts_share import (
    NAME_LABEL,
    listed_recipients,
    recipient_hits,
)
from monitor.document.facts_tables import labelled, record_rows, row_hits, table_rows
from monitor.document.normalize import canon, chinese_simplified
from monitor.model import CATEGORIES, Clause, Document

__all__ = ["Fact", "Facts", "facts_of", "to_json"]

Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Fact:
    category: str  # one of monitor.model.CATEGORIES
    kind: str
    value: str  # canonical: the comparison key with category and kind
    attrs: Attrs = ()
    paths: tuple[str, ...] = ()  # clause paths where it is stated, in document order
    sentence: str = ""  # the first sentence stating it

    @property
    def key(self) -> Key:
        return (self.category, self.kind, self.value)

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)


@dataclass(frozen=True, slots=True)
class Facts:
    """A policy's inventory: facts sorted by category, kind and value."""

    items: tuple[Fact, ...] = ()

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def by_key(self) -> dict[Key, Fact]:
        return {f.key: f for f in self.items}

    def select(self, category: str | None = None, kind: str | None = None) -> tuple[Fact, ...]:
        return tuple(
            f
            for f in self.items
            if (category is None or f.category == category) and (kind is None or f.kind == kind)
        )

    def values(self, category: str | None = None, kind: str | None = None) -> set[str]:
        return {f.value for f in self.select(category, kind)}

    def counts(self) -> dict[str, int]:
        return {c: n for c in CATEGORIES if (n := len(self.select(c)))}


# ---------------------------------------------------------------------------------------------
# where a clause sits

_CONTACT_TITLE = re.compile(
    r"联系我们|如何联系|联系方式|联络我们|联系菜鸟|联系[\u4e00-\u9fff]{0,6}(?:我们|本公司)|个人信息保护负责人"
    r"|联系渠道|(?:聯絡|聯繫)(?:我們|方式|管道|資訊)|如何(?:聯絡|聯繫)"  # and in traditional characters
)
_NOT_RIGHTS_TITLE = re.compile(r"收集|共享|Cookie|存储|保存|如何使用|转让|披露|如何保护", re.IGNORECASE)
_SHARE_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("委托处理", re.compile(r"委托处理")),
    ("转让", re.compile(r"转让")),
    ("公开披露", re.compile(r"公开披露|披露")),
    ("SDK", re.compile(r"SDK|第三方代码|插件|三方功能", re.IGNORECASE)),
    ("共享", re.compile(r"共享|分享|第三方|合作伙伴|对外提供")),
)
_COLLECT_TITLE = re.compile(
    r"收集|权限|SDK|插件|第三方代码|提供的信息|获得的信息|获取的信息|来自第三方", re.I
)

_DEFINITIONS_TITLE = re.compile(r"定义|关键词|名词|术语|释义")


Titles = dict[int, tuple[str, ...]]  # per clause (by id), its canon'd titles from the top down


def _titles(clauses: list[Clause]) -> Titles:
    """The titles of a document's clauses (``clauses``, in document order)."""
    out: Titles = {}
    for clause in clauses:  # parents come before their children
        above = out[id(clause.parent)] if clause.parent is not None else ()
        out[id(clause)] = (*above, canon(clause.title)) if clause.title else above
    return out


def _share(titles: tuple[str, ...]) -> str | None:
    for title in reversed(titles):
        found = [name for name, pattern in _SHARE_TITLES if pattern.search(title)]
        if found:
            return found[0] if len(found) == 1 else "共享"
    return None


def _context(titles: tuple[str, ...], operators: frozenset[str], selves: frozenset[str] = frozenset()) -> Ctx:
    return Ctx(
        titles=titles,
        contact=any(_CONTACT_TITLE.search(t) for t in titles),
        rights=any(RIGHTS_TITLE.search(t) and not _NOT_RIGHTS_TITLE.search(t) for t in titles),
        share=_share(titles),
        collect=any(_COLLECT_TITLE.search(t) for t in titles),
        permissions=any("权限" in t for t in titles),
        definitions=any(_DEFINITIONS_TITLE.search(t) for t in titles),
        operators=operators,
        selves=selves,
    )


# ---------------------------------------------------------------------------------------------
# extraction


_RECORD_FIELDS = 6  # the lines of a ``SDK名称: …`` record, its name label's line included


def _in_records(lines: Sequence[str]) -> list[bool]:
    """Per line: whether it is a field of a record about a third party (SDK名称: 友盟推送SDK, then
    运营方: 友盟同欣…), where a company is that party's operator, not the policy's."""
    out, left = [], 0
    for line in lines:
        if NAME_LABEL.search(line):
            left = _RECORD_FIELDS
        out.append(left > 0)
        left = max(0, left - 1)
    return out


_THIRD_PARTY_TITLE = re.compile(r"第三方|合作伙伴|合作方")


def _third_party_section(titles: tuple[str, ...]) -> bool:
    """A clause under headings ``titles`` about third parties (6. 第三方服务 > 6.1 穿山甲广告联盟), outside
    the contact section: a company it names (运营方:北京巨量引擎…) runs that party, not the policy."""
    third = any(_THIRD_PARTY_TITLE.search(t) for t in titles)
    return third and not any(_CONTACT_TITLE.search(t) for t in titles)


def _operators(clauses: list[Clause], records: Sequence[bool], titles: Titles) -> frozenset[str]:
    """The operator's legal entities (``records``: per line of :func:`_lines`, whether it is a field of
    a third party's record, where a company is not the operator)."""
    names: list[str] = []
    i = 0
    for clause in clauses:
        # a company alone on its line names the operator in the contact section and in the lead
        alone_names = clause.style == "lead" or any(_CONTACT_TITLE.search(t) for t in titles[id(clause)])
        i += bool(clause.title)
        for line in clause.lines:
            i += 1
            if records[i - 1] or "公司" not in canon(line):  # operator_names finds …公司 only
                continue
            sentences = sentences_of(line)
            for sentence in sentences:
                names.extend(operator_names(sentence, alone_names and len(sentences) == 1))
    return frozenset(names)


def _sentence_hits(
    sentence: str,
    ctx: Ctx,
    in_contact: bool,
    first: bool,
    alone: bool,
    record: bool = False,
    lead: bool = False,
) -> list[Hit]:
    """``alone``: the sentence is its line; a company alone on its line in the contact section or in
    the lead (a byline under the title, 深圳群魔信息科技有限公司) is the operator."""
    return [
        *([] if record else controller_hits(sentence, alone and (in_contact or lead))),
        *contact_hits(sentence, ctx, in_contact),
        *recipient_hits(sentence, ctx, first),
        *pi_hits(sentence, ctx),
        *purpose_hits(sentence, ctx),
        *permission_hits(sentence, listed=ctx.permissions),
        *retention_hits(sentence),
        *cross_border_hits(sentence),
        *minor_age_hits(sentence),
        *right_hits(sentence, ctx),
        *time_limit_hits(sentence),
    ]


def _clause_hits(
    clause: Clause,
    lines: list[tuple[int, str]],
    ctx: Ctx,
    criteria: frozenset[str],
    records: Sequence[bool],
    listed: bool = False,
    purposes: bool = False,
) -> list[Hit]:
    """Hits of a clause's title and lines (``lines``: (index in the document, canon'd line), the
    lines a table used left out; ``records``: per line, whether it is a field of a third party's
    record; ``listed``: whether the clause is an item under an intro, 本地保存的数据包括:)."""
    hits: list[Hit] = []
    if clause.title:
        hits.extend(heading_right_hits(_read(clause.title), ctx))
    hits.extend(row_hits(record_rows(labelled([line for _, line in lines])), ctx))
    # purposes listed under a heading about the use of information, or after a line that introduces
    # them (我们会将收集的信息用于以下用途:), but not in a table of permissions and what each is for
    # (权限列表及用途说明) nor in the contact section
    may_use = not (ctx.contact or ctx.permissions)
    uses = may_use and (purposes or (bool(ctx.titles) and USE_TITLE.search(ctx.titles[-1]) is not None))
    intro = False  # after "请通过如下方式联系": the channels listed, up to the first line that names none
    # after "本地保存的数据包括:": the items listed, up to the first line of prose (a clause with a
    # heading of its own is a section, not an item)
    listing = listed and not clause.title
    label = False  # after a line that ends with an operator's label (数据控制者为:)
    lead = clause.style == "lead"
    previous = ""  # a web address alone under a line that names a document is the document's (…sdk隐私政策)
    for (_, line), record, out in zip(lines, records, ruled_out([x for _, x in lines]), strict=True):
        if document_link(line, previous):
            out = out | {"url"}
        previous = line
        sentences = sentences_of(line)
        found: list[Hit] = next_line_hits(line) if label and not record else []
        label = label_ends(line)
        if uses and (clause.title is None or line != _read(clause.title)):
            found.extend(use_hits(line))
        uses = uses or (may_use and USES_INTRO.search(line) is not None)
        if listing and (sub := SUB_INTRO.search(line)):
            found.extend(item_hits(line[: sub.start()], ctx, listed=True))  # 匿名的配置偏好信息,包括:
        elif listing and (listing := item_line(line)):
            found.extend(item_hits(line, ctx, listed=True))
        in_contact, alone = ctx.contact or intro, len(sentences) == 1
        for n, sentence in enumerate(sentences):
            found.extend(_sentence_hits(sentence, ctx, in_contact, n == 0, alone, record, lead))
            found.extend(risk_hits(sentence, criteria))
            if not listing:
                found.extend(item_hits(sentence, ctx))
            found.extend(used_for_hits(sentence, ctx))
        if intro and not any(h.category == "contact" for h in found):
            intro = False
        intro = intro or bool(CONTACT_INTRO.search(line))
        listing = listing or bool(ITEMS_INTRO.search(line))
        hits.extend(h for h in found if h.kind not in out)
    return hits


def _read(text: str) -> str:
    """A line as the facts are read from it: canon'd, in simplified characters (a zh-TW policy's
    電子郵件地址 and 廣告合作夥伴 are the lexicon's 电子邮件地址 and 广告合作伙伴)."""
    return chinese_simplified(canon(text))


def _lines(clauses: list[Clause]) -> list[tuple[Clause, str]]:
    """Every clause's title and lines, read (:func:`_read`), in document order."""
    return [
        (clause, _read(line))
        for clause in clauses
        for line in ([clause.title] if clause.title else []) + clause.lines
    ]


@dataclass(slots=True)
class _Entry:
    paths: list[str] = field(default_factory=list)
    sentence: str = ""
    attrs: dict[str, set[str]] = field(default_factory=dict)


_MAX_VALUES = 6  # of one attribute (purposes …), sorted: the same whatever the order of the clauses


def _fact(key: Key, entry: _Entry) -> Fact:
    attrs = dict(entry.attrs)
    if key[1] == "pi_type":
        attrs.update({k: {v} for k, v in pi_attrs(key[2])})
    joined = tuple(sorted((k, "、".join(sorted(vs)[:_MAX_VALUES])) for k, vs in attrs.items() if vs))
    return Fact(*key, attrs=joined, paths=tuple(entry.paths), sentence=entry.sentence)


# what a clause states depends only on its title, its lines, its context and the policy's list: two
# versions of a policy share most clauses
Memo = dict[tuple[str | None, tuple[str, ...], tuple[bool, ...], Ctx, frozenset[str], bool, bool], list[Hit]]


def _hits(doc: Document, memo: Memo) -> Iterator[tuple[Clause, Hit]]:
    criteria = frozenset(_read(item) for item in doc.criteria_items)
    clauses = list(doc.clauses())
    flat = _lines(clauses)
    titles = _titles(clauses)
    chains = set(titles.values())  # clauses under the same headings share what the headings say
    third = {chain: _third_party_section(chain) for chain in chains}
    records = _in_records([line for _, line in flat])
    records = [r or third[titles[id(clause)]] for r, (clause, _) in zip(records, flat, strict=True)]
    operators = _operators(clauses, records, titles)
    # the first line of a numbered clause ((三)根据法律法规…, its number left out of the line) ends a table
    starts = [i for i, (c, _) in enumerate(flat) if i == 0 or flat[i - 1][0] is not c]
    heads = {i for i in starts if flat[i][0].ordinal is not None}
    rows, used = table_rows([line for _, line in flat], heads)
    selves = selves_of(doc.title, flat)
    by_titles = {chain: _context(chain, operators, selves) for chain in chains}
    contexts = {key: by_titles[chain] for key, chain in titles.items()}
    for row in rows:
        clause = flat[row.line][0]
        yield from ((clause, hit) for hit in row_hits([row], contexts[id(clause)]))
    yield from listed_recipients(flat, contexts)
    yield from link_hits(doc.links, flat, contexts)
    # a clause whose last line (or, lines none, whose heading) introduces the items of its children, or
    # whose last line introduces the purposes they list
    intros: set[int] = set()
    use_intros: set[int] = set()
    for c in clauses:
        last = _read(c.lines[-1] if c.lines else c.title or "")
        if ITEMS_INTRO.search(last):
            intros.add(id(c))
        if c.lines and USES_INTRO.search(last):
            use_intros.add(id(c))
    by_clause: dict[int, list[tuple[int, str]]] = {}
    for i, (clause, line) in enumerate(flat):
        if i not in used:
            by_clause.setdefault(id(clause), []).append((i, line))
    for clause in clauses:
        lines = by_clause.get(id(clause), [])
        ctx = contexts[id(clause)]
        in_record = tuple(records[i] for i, _ in lines)
        listed = clause.parent is not None and id(clause.parent) in intros
        purposes = clause.parent is not None and id(clause.parent) in use_intros
        key = (
            clause.title,
            tuple(line for _, line in lines),
            in_record,
            ctx,
            criteria,
            listed,
            purposes,
        )
        hits = memo.get(key)
        if hits is None:
            hits = memo[key] = _clause_hits(clause, lines, ctx, criteria, in_record, listed, purposes)
        yield from ((clause, hit) for hit in hits)


def facts_of(doc: Document, memo: Memo | None = None) -> Facts:
    """The facts a policy states, each once, with every clause path that states it. ``memo``, shared
    by the calls for two versions of a policy, reads each clause they have in common once."""
    entries: dict[Key, _Entry] = {}
    position = {id(c): i for i, c in enumerate(doc.clauses())}
    for clause, hit in sorted(_hits(doc, {} if memo is None else memo), key=lambda ch: position[id(ch[0])]):
        if not hit.value:
            continue
        entry = entries.setdefault((hit.category, hit.kind, hit.value), _Entry(sentence=hit.sentence))
        if clause.path not in entry.paths:
            entry.paths.append(clause.path)
        for name, value in hit.attrs:
            entry.attrs.setdefault(name, set()).update(v for v in value.split("、") if v)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    facts = sorted(
        (_fact(k, e) for k, e in entries.items()), key=lambda f: (order[f.category], f.kind, f.value)
    )
    return Facts(tuple(facts))


def to_json(facts: Facts) -> list[dict[str, object]]:
    """The inventory as ``show FILE --facts --format json`` prints it: one object per fact."""
    return [
        {"category": f.category, "kind": f.kind, "value": f.value}
        | {"attrs": dict(f.attrs), "paths": list(f.paths), "sentence": f.sentence}
        for f in facts
    ]
