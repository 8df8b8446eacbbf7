"""Document metadata read from the text: title, operator, dates, the 重大变更 list, declared changes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from monitor.document.normalize import canon, norm
from monitor.document.segment import find_title as title_index

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?")
# a label, then the date (possibly in brackets: 更新时间：【2022年8月4日】)
_UPDATED = re.compile(
    r"(?:更新|修订|修改|最近更新|最后更新)(?:日期|时间|于)?\s*(?:为|是)?\s*[:：]?\s*[【\[(（]?\s*$"
)
_PUBLISHED = re.compile(r"发布(?:日期|时间|于)?\s*(?:为|是)?\s*[:：]?\s*[【\[(（]?\s*$")
_EFFECTIVE = re.compile(r"(?:生效|施行|实施|起效)(?:日期|时间)?\s*(?:为|是)?\s*[:：]?\s*[【\[(（]?\s*$")
_AFTER_DATE_UPDATED = re.compile(r"^\s*[】\])）]?\s*(?:修订|更新|修改)")
_AFTER_DATE_PUBLISHED = re.compile(r"^\s*[】\])）]?\s*发布")
_AFTER_DATE_EFFECTIVE = re.compile(r"^\s*(?:起?生效|起?施行|起?实施|正式生效)")
_ENTITY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司)")
_ENTITY_CONTEXT = re.compile(
    r"(服务提供者|运营者|提供者|经营者|运营方|本政策(?:仅)?适用于|是|系|由|指|为您提供|【|包括但不限于)[^。]{0,12}$"
)
# whose entity: a partner's, or a named service's (iCloud(由云上贵州运营)服务由…公司运营), not the operator's
_ENTITY_NOT = re.compile(
    r"关联|控股|合作|第三方|母公司|子公司|(?:[)A-Za-z]\s*(?:服务|功能|平台)|SDK|插件)由$"
    r"|公司名[称稱]\s*:?\s*$"  # an SDK list's record (阿里播放器SDK 公司名称:阿里云计算有限公司)
)
# a company named as what it provides (深圳乐播科技有限公司提供的乐播SDK): an SDK's provider, no operator
_PROVIDES = re.compile(r"\s*\)?\s*(?:提供的|提供之|所提供的)")
_CRITERIA_INTRO = re.compile(r"重大(?:变更|变化)[^。,，;；]{0,6}(?:包括|是指|包含)")
_DECLARED_INTRO = re.compile(
    r"(?:更新|修订|变更|修改)(?:的)?(?:主要)?内容(?:主要)?(?:如下|包括|为)|本次(?:更新|修订)"
)
_ITEM = re.compile(
    r"^\s*(?:[-•·●▪]\s*)?(?:[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.、．]?|"
    r"[一二三四五六七八九十]{1,3}\s*[、.．]|[①-⑳]|[a-z]\s*[、.)）]|[-•·●▪])\s*"
)


def iso_date(text: str) -> str | None:
    m = _DATE.search(canon(text))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_dates(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(updated, effective) from lines such as 更新日期: 2022/05/23, 版本生效日期:2021年12月6日 or
    2022年8月29日修订. A publication date (发布日期) is the update date only when no line gives one."""
    updated = effective = published = None
    for line in lines:
        text = canon(line)
        for m in _DATE.finditer(text):
            before, after = text[: m.start()], text[m.end() :]
            date = iso_date(m.group(0))
            if date is None:
                continue
            before_tail = before[-16:]
            if updated is None and (_UPDATED.search(before_tail) or _AFTER_DATE_UPDATED.match(after)):
                updated = date
            elif published is None and (_PUBLISHED.search(before_tail) or _AFTER_DATE_PUBLISHED.match(after)):
                published = date
            elif effective is None and (_EFFECTIVE.search(before_tail) or _AFTER_DATE_EFFECTIVE.match(after)):
                effective = date
    return updated or published, effective


def find_operator(lines: Sequence[str]) -> str | None:
    """The legal entity named as the provider: the first entity named in a providing context, else the
    most frequently named one."""
    named: Counter[str] = Counter()
    first_in_context: str | None = None
    for line in lines:
        text = canon(line)
        if "公司" not in text:  # every name _ENTITY finds ends in 公司; the search is slow
            continue
        for m in _ENTITY.finditer(text):
            name = _trim_entity(m.group(0))
            if not name:
                continue
            # what comes before the match, and before the name trimmed out of it
            starts = {m.start(), text.find(name, m.start())}
            if any(_ENTITY_NOT.search(text[max(0, at - 6) : at]) for at in starts):
                continue
            if _PROVIDES.match(text, m.end()):
                continue
            named[name] += 1
            if first_in_context is None and _ENTITY_CONTEXT.search(text[: m.start()]):
                first_in_context = name
    if first_in_context:
        return first_in_context
    if named:
        return named.most_common(1)[0][0]
    return None


_ENTITY_LEAD = re.compile(
    r"^.*?(?:本政策(?:仅)?适用于|适用于|服务提供者|运营者|提供者|包括但不限于|您所使用的|指|是|系|由|与|为|的"
    r"|^(?:欢迎|歡迎|感谢|感謝)(?:您|你)?(?:使用|访问|訪問|来到|來到|光临|光臨))"
)


def _trim_entity(raw: str) -> str:
    name = raw.strip("【】[]()（） ")
    # the pattern may have run back over the words before the name: cut after each providing word
    while (m := _ENTITY_LEAD.match(name)) and len(name) - m.end() >= 6:
        name = name[m.end() :]
    return name.strip("【】[]()（） ")


def find_title(lines: Sequence[str], html_title: str | None = None) -> str | None:

    i = title_index(lines)
    if i is not None:
        return canon(lines[i])
    if html_title:
        return canon(html_title)
    return None


def strip_item_marker(line: str) -> str:
    return _ITEM.sub("", line, count=1).strip()


def _list_after(lines: Sequence[str], start: int) -> list[str]:
    """The run of list items that follows line ``start`` (all of one numbering style)."""
    items: list[str] = []
    style: str | None = None
    for line in lines[start + 1 :]:
        if not norm(line):
            continue
        m = _ITEM.match(line)
        if not m:
            break
        kind = _item_style(m.group(0))
        if style is None:
            style = kind
        elif kind != style:
            break
        text = line[m.end() :].strip().rstrip(";；,，。 ")
        if not text:
            break
        items.append(text)
    return items


def _item_style(marker: str) -> str:
    m = canon(marker).strip()
    m = re.sub(r"^[-·]\s*(?=\S)", "", m) if len(m) > 1 else m
    m = re.sub(r"\d+", "9", m)
    m = re.sub("[一二三四五六七八九十]+", "五", m)
    m = re.sub("[①-⑳]", "①", m)
    return re.sub("[a-z]", "a", m)


def find_criteria(lines: Sequence[str]) -> list[str]:
    """The policy's own 重大变更 list, items as written (numbers stripped)."""
    for i, line in enumerate(lines):
        if _CRITERIA_INTRO.search(canon(line)):
            items = _list_after(lines, i)
            if len(items) >= 2:
                return items
    return []


def find_declared_changes(lines: Sequence[str]) -> list[str]:
    """What the operator says this version changed ("本版政策更新内容主要如下: 1、… 2、…")."""
    for i, line in enumerate(lines):
        if _DECLARED_INTRO.search(canon(line)):
            items = _list_after(lines, i)
            if items:
                return items
    return []
