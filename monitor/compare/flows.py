"""A data flow stated anew: a sentence of the new text that says information is collected, read, sent
or forwarded (我们使用 Tun2Socks 技术,将您设备的流量转发至调试工具; 应用才会读取原文件; We run a
self-hosted installation of Umami to collect some anonymous usage data) in words the old document
mostly never used.

The inventory (``monitor.document.facts``) knows types of personal information, permissions and
recipients by name; a new flow of information told in the policy's own words names none of them. A
sentence is such a flow when it has a verb of moving information, not denied where it stands (a
denial in another part of the sentence, …统一查看和处理,不直接向教师开放, is about something else), and
an object that is information, denies nothing in English, disclaims nothing (…的风险由您自行承担), is written
in the script the old document is written in (not an added translation) and brings at least
:data:`MIN_FRESH` words, a third of its words, that the old document does not hold anywhere (a
sentence reworded keeps most of its words somewhere in the old text). Read with the sides swapped,
the same test finds a flow no longer stated: a sentence of the old text that the new document has
mostly no words of (``classify`` calls it so: 删除的信息处理). Words are read in simplified characters, so a
policy in traditional ones (資料蒐集, 讀取) is read with the same vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.compare.diff import mostly_new
from monitor.compare.signals import denies
from monitor.document.normalize import canon, norm, simplified
from monitor.model import split_sentences

_VERB = re.compile(
    r"收集|采集|搜集|读取|获取|上传|上报|发送|传输|传送|转发|同步|访问|记录|统计|"
    r"\b(?:collect|collects|collected|send|sent|upload|uploads|uploaded|transmit|transmits|track|tracks)\b",
    re.IGNORECASE,
)
_OBJECT = re.compile(
    r"数据|信息|资料|文件|内容|记录|流量|日志|照片|相册|位置|\b(?:data|information)\b", re.IGNORECASE
)
_DENIES = re.compile(r"\b(?:not|never|no|none|nor|without|don't|doesn't|won't|cannot)\b", re.IGNORECASE)
# a disclaimer of the user's own risk or responsibility (使用…获取的任何内容…的风险由您自行承担) moves no data
_DISCLAIMS = re.compile(r"风险由您|由您自行承担|您自行承担|您应对|由您自行负责|您应自行负责")
# the policy's revisions (查看本政策的修订记录), not a record of the user's
_POLICY_RECORD = re.compile(r"(?:修订|更新|版本|变更|历史)记录")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")

MIN_FRESH = 5  # words of two characters or more, new to the whole old document
MIN_SHARE = 1 / 3  # of the sentence's words of two characters or more


def han_share(text: str) -> float:
    """Chinese characters among the letters of ``text`` (0 for a text without letters)."""
    han, latin = len(_HAN.findall(text)), len(_LATIN.findall(text))
    return han / (han + latin) if han + latin else 0.0


def _affirms(sentence: str) -> bool:
    """Whether a verb of moving information is not denied where it stands: no negation before it in
    its part of the sentence, after the condition it may follow (绝不会从你的设备中收集任何位置信息、
    统计数据 denies both verbs; 在操作系统无需认证界面时读取旧记录 reads)."""
    return any(_free(_SCOPE.split(sentence[: m.start()])[-1]) for m in _VERB.finditer(sentence))


# a verb of taking information that a measure is against (采取技术措施限制批量数据获取, 防止数据被非法获取)
_AGAINST = re.compile(r"限制|防止|阻止|防范|杜绝|打击")


def _free(scope: str) -> bool:
    return not denies(scope) and not _AGAINST.search(scope)


_SCOPE = re.compile(r"[,;:]|时|后")  # where the words a negation may govern begin


def new_flows(old: str, new: str, old_text: str, old_han: float) -> list[str]:
    """The sentences of ``new`` (a clause's new text; ``old``: its old text) that state a flow of
    information anew; ``old_text``: the whole old document, normalized (:func:`norm`), and
    ``old_han`` its :func:`han_share`."""
    before = {norm(x) for x in _sentences(old)}
    out = []
    for sentence in _sentences(new):
        # the policy's own revision history moves no data; the words are in simplified characters
        told = _POLICY_RECORD.sub("", simplified(sentence))  # (資料蒐集 is 资料搜集)
        if norm(sentence) in before or not (_affirms(told) and _OBJECT.search(told)):
            continue
        if _DENIES.search(sentence) or _DISCLAIMS.search(told):
            continue
        if abs(han_share(sentence) - old_han) >= 0.5:
            continue
        if mostly_new(told, _simplified(old_text), MIN_FRESH, MIN_SHARE):  # words of zh-TW text as well
            out.append(sentence)
    return out


@lru_cache(maxsize=4)
def _simplified(text: str) -> str:
    return simplified(text)  # a whole document, read once per comparison


def _sentences(text: str) -> list[str]:
    """The sentences of a clause's text, line by line, canon'd (a sentence never runs across lines)."""
    return [sentence for line in text.split("\n") for sentence in split_sentences(canon(line))]


# a way of taking information said to be gone (遥测已于3.6.5版本移除; 统计功能已经停用)
_STOPPED = re.compile(
    r"(?:遥测|数据统计|统计功能|数据收集|数据采集|信息收集|埋点|崩溃报告|错误报告|\b(?:telemetry|analytics)\b)"
    r"[^,。;!]{0,12}?(?:已|已经)[^,。;!]{0,10}?(?:移除|删除|停止|关闭|下线|取消|废弃|停用)",
    re.IGNORECASE,
)


def stopped_flows(old: str, new: str, old_text: str) -> list[str]:
    """The sentences of ``new`` that say a way of taking information is gone, stated nowhere in the old
    document (``old_text``, normalized); ``old``: the clause's old text."""
    before = {norm(x) for x in _sentences(old)}
    return [
        sentence
        for sentence in _sentences(new)
        if _STOPPED.search(simplified(sentence))
        and norm(sentence) not in before
        and norm(sentence) not in old_text
    ]
