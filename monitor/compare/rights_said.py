"""What a clause's words say about the user's rights, beyond the rights they name: an obstacle in the way
of one (无法, 书面, 收费 …), a switch of the browser or the device that no policy grants (通过浏览器设置
拒绝 Cookie), what the user is told they may do (您可以…访问). Pure functions over text, for
:mod:`classify`."""

from __future__ import annotations

import re

from monitor.compare import signals
from monitor.document.facts_rights import MAY
from monitor.document.normalize import canon
from monitor.model import split_sentences

OBSTACLE = re.compile(
    r"书面|复印件|线下|邮寄|到店|现场|不予|无法|不支持|收取.{0,4}费用|收费|仅限|公证|原件"
    r"|证明(?:您的|你的)?身份|身份证明|(?:验证|核验|核实)(?:您的|你的)?身份"  # proof of who asks
)


# a choice whether to do something (你可以选择是否开通云端同步) leaves the user free to refuse or turn it off
WHETHER = re.compile(r"(?:选择|决定)是否")
REFUSALS = frozenset({"关闭", "拒绝"})


# a switch of the user's browser or device (通过浏览器设置拒绝 Cookie, 在设备系统中开启或关闭权限), or a
# site's cookie banner (您有机会允许和/或拒绝使用 Cookies)
_SETTINGS = re.compile(
    r"(?:浏览器|系统|设备|手机)(?:的)?(?:设置|偏好设置|系统)|浏览器中|cookie", re.IGNORECASE
)


def in_settings(text: str, rights: frozenset[str]) -> frozenset[str]:
    """The rights ``text`` only ever names in a sentence about the browser's or the device's settings."""
    if not rights:
        return frozenset()  # most clauses name none: their sentences need not be split
    sentences = _sentences(text)
    return frozenset(
        w
        for w in rights
        if all(_SETTINGS.search(x) for x in sentences if w in x) and any(w in x for x in sentences)
    )


def user_may(text: str, word: str) -> bool:
    """Whether a sentence of ``text`` tells the user they may do ``word`` (您可以…访问)."""
    for sentence in _sentences(text):
        at = sentence.find(word)
        if at >= 0 and "您" in sentence[:at] and MAY.search(sentence[max(0, at - 24) : at]):
            return True
    return False


def _sentences(text: str) -> list[str]:
    """The sentences of a clause's text, canon'd; a line break ends one."""
    return split_sentences(canon(text).replace("\n", "。"))


def restrictions(sentence: str) -> set[str]:
    """The obstacles (无法, 书面, 收费 …) within a few characters of a right (退订, 注销, 删除 …)."""
    text = canon(sentence)
    return {
        m.group(0)
        for m in OBSTACLE.finditer(text)
        if signals.facts(text[max(0, m.start() - 8) : m.end() + 8]).rights and not _of_others(text, m)
    }


def obstacle(text: str) -> str | None:
    """The first obstacle (无法, 书面 …) of ``text`` that stands in the user's way: not what others cannot
    do, nor a feature that stops working once the user used a right (撤销后,粘贴功能将无法使用)."""
    return next(
        (
            m.group(0)
            for m in OBSTACLE.finditer(text)
            if not _of_others(text, m) and not _FEATURE.match(text, m.end())
        ),
        None,
    )


_FEATURE = re.compile(r"(?:继续|正常)?(?:使用|提供|为您提供|享受|运行)")


def _of_others(text: str, m: re.Match[str]) -> bool:
    if _OTHERS.search(text[max(0, m.start() - 6) : m.start()]):
        return True
    # what the app cannot do, its subject named once at the head of the sentence or after its label
    # (访问文件:应用程序只能将录像保存到您选择的文件夹中,无法访问其他内容), not the user just before
    head = re.split(r"[。;:!?]", text[: m.start()])[-1]
    return _APP.match(head) is not None and not _USER.search(head[-4:])


# what others cannot do (任何用户无法访问您的数据, 第三方无法读取) protects the user: no obstacle to a right
_OTHERS = re.compile(r"任何用户|其他用户|他人|第三方|别人|任何人|外人")
_APP = re.compile(r"\s*(?:本|该|此)?(?:应用程序|应用|App|软件|扩展|插件|程序|工具|它)", re.IGNORECASE)
_USER = re.compile(r"您|你|用户")


def restriction_added(before: str, after: str) -> bool:
    """Whether ``after`` puts an obstacle next to a right that ``before`` did not state at all: the
    same obstacle in a sentence about a right is none new, however far from the right's word (一旦您
    注销猎豹移动账号,可能会无法使用 → 一旦您注销账号,可能会无法使用: a name removed between them)."""
    added, text = restrictions(after), canon(before)
    if not added or not signals.facts(text).rights:
        return bool(added)
    return any(o not in text for o in added)
