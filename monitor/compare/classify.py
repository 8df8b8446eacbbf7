"""Which changes are 重大变更 under the applicable list, under which item, and why.

Each change is judged on its own: the facts its two sides name (``signals.facts``) are compared, its
edited sentences are compared for meaning flips (negation, modality, amounts of time), and the
section it sits in (``topics.topic``) decides what a fact means there (a new ID-card requirement
in 您的权利 restricts a right; in 收集 it is a new type of personal information). A change with no
finding keeps ``material: false`` and says why in ``evidence``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from monitor.compare import (
    fact_findings,
    flows,
    pages,
    renames,
    restated,
    reversals,
    rights_said,
    signals,
    topics,
)
from monitor.compare.account import basis, criteria_texts, operator_account
from monitor.compare.diff import mostly_new, word_diff, words
from monitor.compare.fact_delta import FactChange
from monitor.compare.reasons import headings_of, is_toc_line, reason
from monitor.compare.types_gone import denied_only
from monitor.document.criteria import criteria_for
from monitor.document.facts_processing import ABROAD, SOMEWHERE_ABROAD
from monitor.document.normalize import canon, norm, simplified
from monitor.model import Change, Comparison, Document, split_sentences

Finding = tuple[str, str]  # (category, evidence)

_REPLY = re.compile(r"回复|答复|响应|处理|完成|核实|反馈")
_KEEP = re.compile(r"保存|保留|存储|留存|储存|删除或匿名")
# a sentence about personal information (a price, a trial period or a count of attempts is not)
_ABOUT_INFORMATION = re.compile(r"信息|数据|资料|记录|日志|账号|账户")


@dataclass(slots=True)
class _Sides:
    old: str
    new: str
    inserted: str
    deleted: str
    topic: str | None


def classify(cmp: Comparison, facts: Sequence[FactChange] | None, renamed: Sequence[tuple[str, str]]) -> None:
    """Judge each change; with ``facts`` (the delta of the two documents' inventories) a finding that
    rests on a fact coming or going stands only where the inventories agree, and fact changes no
    finding reports become findings of the clause that states them (:mod:`fact_findings`).
    ``renamed``: the names the new version replaced throughout (:func:`renames.renames`)."""
    cmp.criteria = criteria_for(cmp.new, fallback=cmp.old)
    headings = headings_of(cmp.old) | headings_of(cmp.new)
    old_text, new_text = norm_text(cmp.old), norm_text(cmp.new)
    whole = _Whole(
        doc_facts(cmp.old),
        doc_facts(cmp.new),
        old_text,
        flows.han_share(old_text),
        new_text,
        flows.han_share(new_text),
        _operators(cmp),
    )
    chinese = "".join(c.norm for c in cmp.new.clauses() if flows.han_share(c.norm) > 0.6)
    retold = fact_findings.retold(old_text, chinese, whole.old_han, whole.new_han)
    plain = simplified(old_text), simplified(new_text)  # as the facts are read (facts._read)
    for change in cmp.changes:
        findings = [] if change.kind == "moved" else _findings(change, cmp, headings, renamed, whole)
        near = fact_findings.touching(change, facts or ())
        translated = fact_findings.translated(change, whole.old_han, retold, old_text)
        said = fact_findings.said_of(change, old_text, new_text)  # once: it reads both whole documents
        findings = fact_findings.confirmed(change, findings, said, old_text, new_text, near, translated)
        news = change.kind != "moved" and not translated and not fact_findings.restated(change, said)
        if facts is not None and (news or (translated and change.kind != "moved")):
            found = fact_findings.unreported(
                findings, near, *plain, topics.topic(change.old or change.new), renamed
            )
            # a translation states the same facts, but an operator it newly names is news in any language
            findings += found if news else [f for f in found if fact_findings.new_operator(f, old_text)]
        if findings:
            change.material = True
            change.categories = list(dict.fromkeys(cat for cat, _ in findings))
            change.evidence = list(dict.fromkeys(ev for _, ev in findings))
            change.criteria = criteria_texts(change.categories, cmp.criteria)
            change.basis = basis(change.categories, cmp.criteria)
        else:
            change.material = False
            change.categories, change.criteria, change.basis = [], [], None
            change.evidence = [reason(change, headings, new_text)]
    operator_account(cmp)


def _sides(change: Change, headings: set[str], renamed: Sequence[tuple[str, str]]) -> _Sides:
    """The two texts without table-of-contents lines (a contents line names a heading, not a fact),
    both with the names the new version renamed throughout written the new way."""
    old, new = _without_toc(change.old_text or "", headings), _without_toc(change.new_text or "", headings)
    old, new = renames.apply(old, renamed), renames.apply(new, renamed)
    diff = change.diff
    if (old, new) != (change.old_text or "", change.new_text or ""):
        diff = word_diff(old, new)
    inserted = "\n".join(t for op, t in diff if op == 1)
    deleted = "\n".join(t for op, t in diff if op == -1)
    clause = change.new or change.old
    return _Sides(old, new, inserted, deleted, topics.topic(clause))


def _without_toc(text: str, headings: set[str]) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0], *(ln for ln in lines[1:] if not is_toc_line(norm(ln), headings))])


def _findings(
    change: Change, cmp: Comparison, headings: set[str], renamed: Sequence[tuple[str, str]], whole: _Whole
) -> list[Finding]:
    s = _sides(change, headings, renamed)
    old, new = (
        signals.facts(s.old) if s.old else signals.EMPTY,
        signals.facts(s.new) if s.new else signals.EMPTY,
    )
    found: list[Finding] = []
    found += _controller(s, old, new, whole)
    found += _contact(s, old, new, whole)
    found += _risk(s)
    found += _recipients(s, old, new, whole)
    found += _processing(s, old, new, whole)
    found += _rights(change, s, old, new, whole)
    found += _commitments(change, s, cmp)
    flips = _meaning_flips(s, whole)
    cats = {cat for cat, _ in found}
    # a flip in a clause that already shows what changed adds evidence, not another category, but in
    # a section about sharing a reversed sentence is about who receives (不会 → 可能会…向其提供)
    found += [f for f in flips if not cats or f[0] in cats or (s.topic == "share" and f[0] == "recipients")]
    return found


_COMMITMENT = re.compile(
    r"(?:我们|本公司|[\u4e00-\u9fff]{1,6})(?:将|会|承诺)[^。]{0,30}(?:告知|通知|保护|删除|匿名|补救|处置|上报)"
)


_CHILDREN = re.compile(r"未成年|儿童|未满\s*\d+\s*周岁")


def _commitments(change: Change, s: _Sides, cmp: Comparison) -> list[Finding]:
    """A removed promise to the user (to notify, to protect, to delete) outside the rights sections."""
    if change.kind != "removed" or s.topic in ("rights", "contact", "definitions", "update"):
        return []
    if not (_COMMITMENT.search(canon(s.old)) and "您" in s.old):
        return []
    has_catch_all = cmp.criteria is not None and any("other" in i.categories for i in cmp.criteria.items)
    # a promise about children's information is part of how information is processed (as a minors fact is)
    children = s.topic == "children" or _CHILDREN.search(canon(s.old)[:40]) is not None
    category = "processing" if children else "other" if has_catch_all else "rights"
    return [(category, f"删除对您的承诺: {_clip(s.old)}")]


def _listing(items: frozenset[str] | set[str]) -> str:
    return "、".join(sorted(items, key=lambda x: (len(x), x))[:8])


_AFFILIATED = re.compile(
    r"关联|控股|控制|母公司|子公司|集团|股东|合并|收购|重组|本公司|运营者|运营方|运营主体|简称"
)


def _naming(text: str, names: frozenset[str]) -> str:
    """The sentences of ``text`` that name one of ``names`` (a company's affiliation is said beside it,
    not anywhere in its clause: an SDK provider renamed in a list is no change of control)."""
    sentences = split_sentences(simplified(canon(text)).replace("\n", "。"))
    return "。".join(x for x in sentences if any(name in x for name in names))


def _controller(s: _Sides, old: signals.Facts, new: signals.Facts, whole: _Whole) -> list[Finding]:
    operators = whole.operators
    gone = _as_operators(old.entities - new.entities - whole.new.entities, operators)
    came = _as_operators(new.entities - old.entities - whole.old.entities, operators)
    gone, came = _placed(gone, came)
    out: list[Finding] = []
    if gone & operators and came:
        out.append(("controller", f"运营主体变更: {_listing(gone & operators)} → {_listing(came)}"))
    elif (
        gone
        and came
        and s.topic != "share"
        and _AFFILIATED.search(_naming(s.old, gone) + _naming(s.new, came))
    ):
        out.append(("controller", f"控制或关联主体变更: {_listing(gone)} → {_listing(came)}"))
    elif gone and came:  # a company that is neither the operator nor tied to it: a third party's
        out.append(("recipients", f"第三方主体变更: {_listing(gone)} → {_listing(came)}"))
    elif came and signals.takeover(s.inserted):
        out.append(("controller", f"新的运营主体: {_listing(came)}"))
    elif (
        s.inserted
        and signals.takeover(s.inserted)
        and re.search(r"公司|集团|主体|股东|控制", s.inserted)
        and not restated.takeover_said_before(s.inserted, whole.old_text)
    ):
        out.append(("controller", f"控制权或组织变化: {s.inserted[:40]}"))
    return out


def _operators(cmp: Comparison) -> set[str]:
    """The operators, in simplified characters as a clause's names are read (澳門新大陸 is 澳门新大陆)."""
    return {simplified(op) for op in (cmp.old.operator, cmp.new.operator) if op}


def _as_operators(names: frozenset[str], operators: set[str]) -> frozenset[str]:
    """Names with words run into them before an operator's (就聊城国磊网络科技有限公司), read as it: the
    longest that fits (深圳市威尔派… stays itself beside 威尔派…), whatever order the set holds them in."""
    return frozenset(
        max((op for op in operators if name.endswith(op)), key=len, default=name) for name in names
    )


# a company's name with its province or city before it (深圳市威尔派科技有限公司, 广东省深圳市…)
_PLACED = re.compile(r"(?:[\u4e00-\u9fff]{2,3}[省市])+")


def _placed(gone: frozenset[str], came: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Without the names that are one another with a place written before it or no longer
    (威尔派科技有限公司 → 深圳市威尔派科技有限公司): the same company, not a change of controller."""
    same = {
        (a, b)
        for a in gone
        for b in came
        if a != b
        and (
            _PLACED.fullmatch(b[: -len(a)])
            if b.endswith(a)
            else a.endswith(b) and _PLACED.fullmatch(a[: -len(b)])
        )
    }
    return gone - {a for a, _ in same}, came - {b for _, b in same}


def _contact(s: _Sides, old: signals.Facts, new: signals.Facts, whole: _Whole) -> list[Finding]:
    gone, came = pages.moved_pages(old.contacts - new.contacts, new.contacts - old.contacts)
    gone, came = gone - pages.linked_relative(gone, s.new), came - pages.linked_relative(came, s.old)
    # a channel the other version names elsewhere has not come or gone: it only moved; but a clause
    # that now sends the user to another of the policy's channels changed how this is reached (思睿门店通's
    # 投诉与举报: jimeng.ai@bytedance.com → service@siruiw.cn, both given elsewhere)
    really_gone, really_came = gone - whole.new.contacts, came - whole.old.contacts
    if not (really_gone or really_came):
        swapped = gone and came and not (old.contacts & new.contacts)
        return [("contact", f"联系方式替换: {_listing(gone)} → {_listing(came)}")] if swapped else []
    if really_gone and not came and s.topic == "rights":
        return [("rights", f"删除的行使渠道: {_listing(really_gone)}")]
    if gone and came:
        return [("contact", f"联系方式 {_listing(gone)} → {_listing(came)}")]
    if came:
        return [("contact", f"新增联系方式: {_listing(came)}")]
    if gone:
        return [("contact", f"删除联系方式: {_listing(gone)}")]
    return []


class _Whole(NamedTuple):
    """What each whole document names (computed once per comparison): a fact a clause gains or loses
    is news only when the other version does not name it anywhere (sections move, merge and split)."""

    old: signals.Facts
    new: signals.Facts
    old_text: str  # the old document, normalized
    old_han: float  # its share of Chinese characters
    new_text: str
    new_han: float
    operators: set[str]  # both versions' operators, in simplified characters (see _operators)


def doc_facts(doc: Document) -> signals.Facts:
    """The union of what the document's clauses name."""
    per_clause = [signals.facts(c.full_text) for c in doc.clauses()]
    return signals.Facts(
        *(frozenset().union(*(getattr(f, name) for f in per_clause)) for name in signals.Facts.__slots__)
    )


def _risk(s: _Sides) -> list[Finding]:
    if signals.high_risk(s.inserted) or (
        s.inserted and signals.high_risk(s.new) and not signals.high_risk(s.old)
    ):
        return [("risk", "个人信息安全影响评估表明存在高风险")]
    return []


def _recipients(s: _Sides, old: signals.Facts, new: signals.Facts, whole: _Whole) -> list[Finding]:
    # the operator, whatever words ran into its name, receives nothing
    came = _as_operators(new.recipients - old.recipients - whole.old.recipients, whole.operators)
    came -= whole.operators
    if s.topic != "share":
        # outside a section about sharing, a name is a recipient where its own sentence gives it
        # information
        sentences = [x for line in s.new.split("\n") for x in split_sentences(line)]
        named = set().union(*(signals.recipients(x) for x in sentences if signals.gives(x)))
        came &= named
    if not came:
        return []
    return [("recipients", f"新增共享对象: {_listing(came)}")]


_USE_VERB = re.compile(r"收集|使用|根据您的|分析|读取|获取|采集|推送|推荐|画像|用于")
_PROOF_VERB = re.compile(r"提供|提交|出示|核验|验证|证明|复印件|核实")


def _processing(s: _Sides, old: signals.Facts, new: signals.Facts, whole: _Whole) -> list[Finding]:
    if s.topic in ("definitions", "update"):
        return []
    if s.topic in ("rights", "contact") and not (
        _USE_VERB.search(s.inserted) and not _PROOF_VERB.search(s.inserted)
    ):
        return []  # there, a new type of information is what a user must show to exercise a right
    out: list[Finding] = []
    pi = frozenset(
        t
        for t in signals.new_types(old.pi, new.pi)
        if not (_labels_only(t, s.new) or denied_only(t, canon(s.new)))
    )
    if pi:
        out.append(("processing", f"新增个人信息类型: {_listing(pi)}"))
    purposes = (new.purposes - old.purposes) | _new_purpose_phrases(s)
    if purposes:
        out.append(("processing", f"新增处理目的: {_listing(purposes)}"))
    places = new.places - old.places
    if ABROAD.search(s.old):  # 境外 for 您所居住国家以外: a transfer abroad said in other words, no
        places -= SOMEWHERE_ABROAD  # new destination
    if places:
        out.append(("processing", f"个人信息存储或传输至: {_listing(places)}"))
    if not out and (told := flows.new_flows(s.old, s.new, whole.old_text, whole.old_han)):
        out.append(("processing", f"新的信息处理: {_clip(told[0], 60)}"))
    if not out and (gone := flows.new_flows(s.new, s.old, whole.new_text, whole.new_han)):
        out.append(("processing", f"删除的信息处理: {_clip(gone[0], 60)}"))
    if not out and (stopped := flows.stopped_flows(s.old, s.new, whole.old_text)):
        out.append(("processing", f"停止的信息处理: {_clip(stopped[0], 60)}"))
    return out


def _labels_only(word: str, text: str) -> bool:
    """Whether ``text`` names a type only as the label of the operator's own value (信息保护负责人联系电话
    13527450042, 邮箱: privacy@example.cn): a channel given, no information collected."""
    at = [m.end() for m in re.finditer(re.escape(word), text)]
    return bool(at) and all(_VALUE.match(text, end) for end in at)


_VALUE = re.compile(r"\s*[:：]?\s*(?:\+?\d[\d\s-]{6,}|[\w.+-]+@[\w-]+\.)")


def _new_purpose_phrases(s: _Sides) -> set[str]:
    """A purpose stated in the new text (用于 / 以便 / 为了 …) whose words are mostly new to the clause."""
    before = set(words(s.old))
    return {
        p
        for p in signals.purpose_phrases(s.inserted) - signals.purpose_phrases(s.old)
        if mostly_new(p[2:], before)
    }


def _rights(
    change: Change, s: _Sides, old: signals.Facts, new: signals.Facts, whole: _Whole
) -> list[Finding]:
    out: list[Finding] = []
    lost = old.rights - new.rights
    if change.kind == "removed":  # a removed clause's rights may live on elsewhere (sections merge)
        lost -= whole.new.rights
    switches = rights_said.in_settings(s.old, old.rights)  # a browser's or a device's: no right of the policy
    lost -= switches
    if s.topic != "rights":  # elsewhere, a right is what the user is told they may do (我们无法访问,
        lost = frozenset(w for w in lost if rights_said.user_may(s.old, w))  # 我们会尽快删除 are none)
    if rights_said.WHETHER.search(canon(s.new)):  # 可以选择是否开通: the user may still say no
        lost -= rights_said.REFUSALS
    if lost and (s.topic in ("rights", "contact") or change.kind == "removed"):
        out.append(("rights", f"删除的权利: {_listing(lost)}"))
    if s.topic == "rights":
        if change.kind == "removed" and not lost and not (old.rights and old.rights <= switches):
            title = change.old.title if change.old and change.old.title else canon(s.old)[:30]
            out.append(("rights", f"删除权利条款: {title}"))
        ways = old.exercise - new.exercise
        if change.kind == "removed":
            ways -= whole.new.exercise
        if ways:
            out.append(("rights", f"删除的行使方式: {_listing(ways)}"))
        # not one the clause had (无法 in a sentence reworded around it)
        obstacle = rights_said.obstacle(s.inserted)
        if obstacle and canon(s.new).count(obstacle) > canon(s.old).count(obstacle):
            out.append(("rights", f"新增行使条件: {obstacle}"))
    return out


def _meaning_flips(s: _Sides, whole: _Whole) -> list[Finding]:
    """Negation, modality and amounts that changed in an edited sentence."""
    out: list[Finding] = []
    by_topic = {"share": "recipients", "rights": "rights", "contact": "rights"}
    for before, after in signals.sentence_pairs(s.old, s.new):
        user_right = bool(signals.facts(after).rights) and "您" in after
        if (
            signals.reverses(before, after)
            and not reversals.negation_moved(before, after, (s.old, s.new), (whole.old_text, whole.new_text))
            and not reversals.statement_cut_or_put(before, after)
        ):
            if user_right:
                cat = "rights"
            else:
                # a third party named in the sentence is the one given or denied (网站使用 Google AdSense)
                named = signals.shares(after) or bool(signals.recipients(after) & signals.recipients(before))
                cat = by_topic.get(s.topic or "", "recipients" if named else "processing")
            out.append((cat, f"含义反转: {_clip(before)} → {_clip(after)}"))
        if reversals.made_optional(before, after):
            out.append(("processing", f"改为默认关闭、由您开启: {_clip(after)}"))
        was, now = signals.modality(before), signals.modality(after)
        if was == "permission" and now != "permission" and (s.topic == "rights" or user_right):
            out.append(("rights", f"由“可以”变为“{'必须' if now else '不再可以'}”: {_clip(after)}"))
        elif rights_said.restriction_added(before, after):
            out.append(("rights", f"新增行使限制: {_clip(after)}"))
        out += _quantity_change(before, after, s.topic)
    return out


def _quantity_change(before: str, after: str, topic: str | None) -> list[Finding]:
    old_q = {(v, u) for v, u, _ in signals.quantities(before)}
    new_q = {(v, u) for v, u, _ in signals.quantities(after)}
    if old_q == new_q:
        return []
    written_old = "、".join(w for v, u, w in signals.quantities(before) if (v, u) not in new_q)
    written_new = "、".join(w for v, u, w in signals.quantities(after) if (v, u) not in old_q)
    text = f"{written_old or '—'} → {written_new or '—'}"
    plain = simplified(canon(after))  # the patterns are in simplified characters (處理 is 处理)
    if _KEEP.search(plain):
        return [("processing", f"保存期限 {text}")]
    if topic in ("rights", "contact") or _REPLY.search(plain):
        return [("rights", f"答复或处理期限 {text}")]
    if topic != "share" and not (_ABOUT_INFORMATION.search(plain) or signals.facts(after).pi):
        return []
    return [({"share": "recipients"}.get(topic or "", "processing"), f"数量或期限 {text}")]


def _clip(text: str, n: int = 36) -> str:
    t = canon(text)
    return t if len(t) <= n else t[:n] + "…"


def norm_text(doc: Document) -> str:
    return "".join(c.norm for c in doc.clauses())
