"""The policy's own product: the Latin names it uses for itself (FlyEnv, VlssuSkin), which name no third
party however often a sentence gives them information (``facts_share`` leaves them out)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from monitor.document.facts_share import THIRD_PARTY, latin_names
from monitor.document.normalize import canon
from monitor.model import Clause

# what comes before the policy's own product in its first lines: nothing, or 使用 / 欢迎使用 …
_PRODUCT = re.compile(r"^\W{0,2}$|(?:使用|欢迎|感谢|下载|安装|关于)[^,。;:]{0,4}$")
# before the product, wherever the line stands: 在 SwiftTrans,我们高度重视您的隐私 (At SwiftTrans, we…),
# and what the policy says it covers, 本政策说明 Talo 如何处理数据
_AT = re.compile(r"^在\s*$")
_COVERS = re.compile(r"本(?:隐私)?(?:政策|声明)(?:说明|介绍|适用于)\s*$")
_WE_AFTER = re.compile(r"^\s*,\s*我们")
# the site the user is said to visit, wherever the line stands: 在你访问 A-B.CC 网站时
_VISITED = re.compile(r"(?:访问|浏览)\s*$")
_SITE_AFTER = re.compile(r"^\s*(?:网站|站点|博客|官网)")
# or where third parties' advertisements appear (广告和出现在 One Future Web 上的链接: a common template's)
_SHOWN_ON = re.compile(r"(?:出现在|显示在|展示在)\s*$")
_ON_AFTER = re.compile(r"^(?:\s*[A-Za-z]+){0,2}\s*上")  # the name's last word (Web) may be left out of it
_PROVIDED = re.compile(r"\s*(?:是|为)[^,。;:]{0,4}由")
_SELF = re.compile(r'以下(?:简称|统称|合称|称)?(?:为)?"我们"')
# the party the agreement binds with the user (本协议约定 TouchGal 与用户之间…): the name just before (not
# the name of a policy in 《》: 《Google 隐私政策》 is a third party's)
_PARTY = re.compile(r"\s*与(?:您|你|用户)之间")


def selves_of(title: str | None, flat: Sequence[tuple[Clause, str]]) -> frozenset[str]:
    """Latin names the policy uses for its own product: the first one of its title, of its first line
    and of each line before its first heading, where it opens the line or follows 使用/欢迎 … (当您使用
    FlyEnv 网站…时) and no third party is spoken of before it, or where any line opens 在 X,我们… or
    says 本政策说明 X… or 在你访问 X 网站时;
    and one it defines as "我们" (VlssuSkin(以下简称"我们")), or as the party an agreement binds with the
    user (本协议约定 TouchGal 与用户之间), or on which third parties' advertisements appear."""
    titles = [canon(title)] if title else []
    lead = (line for clause, line in flat if clause.style == "lead")
    early = {*titles, *(line for _, line in flat[:1]), *lead}
    names = set()
    for line in [*titles, *(line for _, line in flat)]:
        found = latin_names(line)
        if not found:
            continue
        before, after = line[: found[0][1]], line[found[0][1] + len(found[0][0]) :]
        opens = line in early and _PRODUCT.search(before) and not THIRD_PARTY.search(before)
        says = (_AT.match(before) and _WE_AFTER.match(after)) or _COVERS.search(before)
        visited = _VISITED.search(before) and _SITE_AFTER.match(after) and not THIRD_PARTY.search(before)
        if opens or says or visited:
            names.add(found[0][0])
        for name, at in found:  # where third parties' advertisements appear: the site itself
            if _SHOWN_ON.search(line[:at]) and _ON_AFTER.match(line[at + len(name) :]):
                names.add(name)
    for _, line in flat:
        for m in _SELF.finditer(line):
            names.update(name for name, _ in latin_names(line[: m.start()])[-1:])
            # and the product it says "we" provide (Fish 是一款由 YoLo(以下简称"我们")提供的产品)
            first = latin_names(line[: m.start()])[:1]
            if (
                first
                and _PRODUCT.search(line[: first[0][1]])
                and _PROVIDED.match(line, first[0][1] + len(first[0][0]))
            ):
                names.add(first[0][0])
        for m in _PARTY.finditer(line):
            before = line[: m.start()].rstrip()
            names.update(name for name, at in latin_names(before)[-1:] if at + len(name) == len(before))
    return frozenset(names)
