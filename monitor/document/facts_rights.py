"""The user's rights, the time limits for answering them, and statements about impact assessments.

A right is read from a heading in a section about the user's rights (6.3 删除您的个人信息), or from a
sentence that tells the user they may do it (您有权…更正 / 您可以…注销账号). A time limit is keyed by
what it is for: the rights named after it in its clause (15个工作日内完成账号注销 → 注销账号), else
those of its sentence (回复您的更正请求 → 更正), else 答复请求 (the section it sits in plays no
part, so a merged or split section keeps the key); the limit itself
(15个工作日) is an attribute, so 15 → 30 working days is a *changed* fact of the same key.
"""

from __future__ import annotations

import re

from monitor.document.facts_base import NOT_RIGHT_AFTER, NUMBER, Ctx, Hit, amount, rights_maps, without_noise
from monitor.document.normalize import simplified

# what tells the user they may do something (shared with compare.classify)
_NAMED_RIGHT = re.compile(r"权(?!限|益|重|威|力)")
MAY = re.compile(r"有权|可以|可(?!能)|申请|请求|要求|提出|有权利|享有")
_NOT_RIGHTS_TITLE = re.compile(
    r"政策|隐私|收集|共享|Cookie|存储|保存|如何使用|欢迎", re.IGNORECASE
)  # 欢迎访问: a greeting


def heading_right_hits(title: str, ctx: Ctx) -> list[Hit]:
    """Rights named by a heading inside a section about the user's rights."""
    if not ctx.rights or _NOT_RIGHTS_TITLE.search(title):
        return []
    _, every = rights_maps()
    names = dict.fromkeys(name for name, _, end in every.find(title) if not NOT_RIGHT_AFTER.match(title, end))
    return [Hit("rights", "right", name, (), title) for name in names]


def right_hits(sentence: str, ctx: Ctx) -> list[Hit]:
    """Rights a sentence tells the user they have: a right word after 有权 / 可以 / 申请 …; in a
    rights section the weaker words (访问, 修改, 注销) count too; any right named as one (导出权)."""
    strong, every = rights_maps()
    words = every if ctx.rights else strong
    # 访问权, 导出权: a right named as one, wherever it stands
    names = [
        name
        for name, start, end in every.find(sentence)
        if _NAMED_RIGHT.match(sentence, end)
        and not _DOCUMENT_BEFORE.search(sentence, max(0, start - 4), start)
    ]
    for name, start, end in words.find(sentence):
        window = sentence[max(0, start - 24) : start]
        mine = MAY.search(window) and not _OPERATORS_OWN.search(window)
        if mine and not NOT_RIGHT_AFTER.match(sentence, end):
            names.append(name)
    if _WITHDRAW.search(sentence):
        names.append("撤回同意")
    if _COMPLAIN.search(sentence):
        names.append("投诉")
    return [Hit("rights", "right", name, (), sentence) for name in dict.fromkeys(names)]


# the operator's right over its own text (条款修改权, 本政策的修改权): no right of the user's
_DOCUMENT_BEFORE = re.compile(r"(?:条款|政策|协议|规则)的?$")


# a consent the user may take back, said of the consent just named (统计的依据是你作出的同意，你可以随时
# 撤回), and a complaint the user may bring to an authority (可以向网信部门等主管机关反映)
# (the user's, not the operator's: 我们可以向有关部门反映 is none)
_WITHDRAW = re.compile(
    r"同意[^。;；]{0,24}?(?:你|您|用户)\s*(?:也)?(?:有权|可以|可)\s*(?:随时)?\s*(?:撤回|撤销)"
)
# what the operator may do, not the user: 我们有权拒绝处理…请求, 我们有权终止…, 我们可以向有关部门举报
_OPERATORS_OWN = re.compile(
    r"(?:我们|我司|本公司|本站|本平台)(?:亦|也|将|仍|均)?(?:有权|享有|(?:可以|可)\s*向[^。;；，,]{0,12}?(?:部门|机关|机构))"
    r"[^。;；，,您你]*$"
)
_COMPLAIN = re.compile(
    r"(?<!我们)(?<!我司)(?<!本站)(?:有权|可以|可)\s*向[^。;；]{0,12}?(?:网信|监管|主管|有关|相关)(?:部门|机关|机构)"
    r"[^。;；]{0,8}?(?:反映|投诉|举报|申诉|控告)"
)


_UNIT = r"个工作日|工作日|个自然日|自然日|日|天|个小时|小时"
_UNIT_CHARS = "日天时時"  # every unit has one of them, in either script
_LIMIT = re.compile(
    # 15个工作日内回复, or a period counted from the request it answers (收到请求后的最迟三十天内…)
    rf"({NUMBER})\s*({_UNIT})\s*(?:内)?"
    r"(?=[^。]{0,12}(?:回复|答复|处理|响应|反馈|核实|验证|完成|予以|作出|做出|办理))"
    rf"|(?<=收到)(?:[^。]{{0,10}}?(?:请求|申请|要求))[^。\d]{{0,6}}?({NUMBER})\s*({_UNIT})"
)


def time_limit_hits(sentence: str) -> list[Hit]:
    """How long the operator takes to answer, in either script (15 個工作日內回覆 read in simplified
    characters); never read from a date (2016年9月 is not 9 months)."""
    if not any(unit in sentence for unit in _UNIT_CHARS):
        return []  # no unit of time (a sentence of most policies): no limit, and no need to look
    text = simplified(without_noise(sentence))
    _, every = rights_maps()
    named = [(name, start) for name, start, _ in every.find(text) if name != "投诉"]
    hits: dict[tuple[str, str], Hit] = {}
    for m in _LIMIT.finditer(text):
        limit = amount(m.group(1) or m.group(3), m.group(2) or m.group(4))
        if not limit:
            continue
        # what the limit is for: the rights named after it up to the end of its clause (15个工作日内
        # 完成账号注销), else those of its sentence, else 答复请求
        end = _CLAUSE_END.search(text, m.end())
        after = [name for name, start in named if m.end() <= start < (end.start() if end else len(text))]
        for subject in after or [name for name, _ in named] or ["答复请求"]:
            hits.setdefault(
                (subject, limit), Hit("rights", "time_limit", subject, (("limit", limit),), sentence)
            )
    return list(hits.values())


_CLAUSE_END = re.compile(r"[;；。]")


_ASSESSMENT = re.compile(r"影响评估|安全评估")
_TEMPLATE = re.compile(r"评估报告表明存在高风险(?:时)?$|评估报告表明存在高风险时")
_HIGH = re.compile(r"高风险|风险较高|较高风险|重大风险")


def risk_hits(sentence: str, criteria: frozenset[str]) -> list[Hit]:
    """A statement about an impact assessment (not the 重大变更 template item that merely names one)."""
    m = _ASSESSMENT.search(sentence)
    if m is None or _TEMPLATE.search(sentence.rstrip("。;")):
        return []
    if any(item and item in sentence for item in criteria):
        return []
    high = "yes" if _HIGH.search(sentence) else "no"
    value = "影响评估" if "影响评估" in sentence else m.group(0)
    return [Hit("risk", "risk_assessment", value, (("high_risk", high),), sentence)]
