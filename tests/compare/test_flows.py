"""A data flow stated anew (``monitor.compare.flows``), table-driven on sentences of real revisions
(tests/real), and its verdict in a whole comparison."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.flows import han_share, new_flows, stopped_flows
from monitor.document.normalize import norm
from monitor.document.parse import parse

# the old document of API调试助理 (maqiang-arror, tests/real/batch17), its first lines
OLD_DEBUG = (
    "API调试助理是由马强(以下简称“我们”)为您提供,用于快速与主流的 API 调试程序建立连接,"
    "并协同进行 API 分析调试本机应用流量的应用。本隐私声明由我们为处理您的个人信息而制定。"
    "我们不会解密、记录、存储、分享您的网络数据,而是将捕获到数据通过 Socks5 协议转发给主流的 API 调试程序程序。"
)
OLD_CLIP = (
    "ClipClop 可能保存受支持的剪贴板内容、来源应用信息、文件路径引用和设置。文件记录只引用原始路径;"
    "用户明确选择或预览文件时,应用可能读取源文件以取得大小或生成缩略图,但不会复制、移动或上传它。"
    "在 macOS 上,可选的自动粘贴仅使用辅助功能权限,在你选择条目后发送粘贴快捷键。"
)

# the new document of Tattoo (tests/real/batch47), its Firebase section
OLD_TATTOO_NEW = (
    "本應用程式可能包含由 Google 提供的 Firebase Analytics 與 Firebase Crashlytics。啟用時，這些服務會蒐集："
    "Crashlytics：當機報告、裝置型號、作業系統版本，以及當機時的應用程式狀態。"
    "Analytics：匿名使用事件（例如畫面瀏覽）與裝置資訊。Firebase 受 Google 隱私權政策規範。"
)

# (old clause, new clause, old document, the flows found)
CASES = [
    # a new way device traffic is handled (maqiang-arror, batch17)
    (
        "",
        "网络调试:通过此套件您可以快速连接 Reqable、ProxyPin 调试工具,辅助您进行 API 调试工作,"
        "我们使用 Tun2Socks 技术,将您设备的流量转发至调试工具。",
        OLD_DEBUG,
        1,
    ),
    # a new permission to read the user's files, in two sentences (clipclop, batch14)
    (
        "",
        "可选的文件预览在快速入门与设置中提供独立的完整磁盘访问入口;"
        "macOS 要求你手动授权并回到 ClipClop 确认后,应用才会读取原文件。",
        OLD_CLIP,
        2,
    ),
    # the same flow reworded in the old document's words: no flow stated anew
    ("", "用户选择或预览文件时,应用可能读取源文件以取得大小或生成缩略图。", OLD_CLIP, 0),
    # a denial is no flow (ruotian, English; and a Chinese one)
    ("", "This website will not provide, sell, rent, share or trade your personal information.", OLD_CLIP, 0),
    ("", "我们不会通过开发者自有服务器主动收集你的姓名、手机号、邮箱地址、通讯录、精确位置。", OLD_CLIP, 0),
    # a translation added to a Chinese page (mis-mcserver): not the old document's script
    (
        "",
        "The only data which is collected is data sent in a standard web request to our servers.",
        OLD_CLIP,
        0,
    ),
    # a measure against taking the data is no flow (营图, batch26); one taken for a purpose is
    (
        "",
        "本应用已采取技术措施限制批量数据获取,包括但不限于地理范围限制、请求频率限制、返回行数限制等。",
        OLD_CLIP,
        0,
    ),
    ("", "为防止账号被盗用,我们会在您登录时获取设备型号和网络状态数据用于风控。", OLD_CLIP, 1),
    # a disclaimer of the user's own risk is no flow (flyy, batch22)
    (
        "",
        "使用或依赖通过服务发布的或通过服务获取的任何内容或材料的风险由您自行承担。",
        OLD_CLIP,
        0,
    ),
    # every verb of the sentence denied where it stands, 统计 after an enumeration comma too; the
    # parity of its negations (four) says nothing (Organic Maps zh, tests/real/batch23)
    (
        "",
        "与大多数其他应用程序不同,Organic Maps 不进行追踪、不显示广告、不含间谍软件:"
        "绝不会从你的设备中收集任何位置信息、统计数据或个人数据。",
        OLD_CLIP,
        0,
    ),
    # two verbs denied, a third not (in its own part of the sentence): a flow
    (
        "",
        "我们不收集你的联系人,也不读取相册,但会把崩溃日志和设备型号上传到我们自己的服务器上。",
        OLD_CLIP,
        1,
    ),
    # a verb not denied where it stands is a flow, whatever the sentence denies after it: each verb is
    # judged in its own part, not by the parity of the sentence's negations (廊师质量, tests/real/batch35)
    (
        "",
        "原始听课记录先由高教中心统一查看和处理,不直接向被听课教师开放,经高教中心整理后的反馈可按业务需要转达给教师。",
        OLD_CLIP,
        1,
    ),
    # the policy's own revision history is no record of the user's (MontageSubs, tests/real/batch24)
    ("", "历史版本:你可以通过版本历史查看本政策的修订记录。", OLD_CLIP, 0),
    # a sentence the clause already had
    (OLD_DEBUG, OLD_DEBUG + "欢迎使用。", OLD_DEBUG, 0),
    # in traditional characters, read with the same words (資料蒐集 is 资料搜集): the flow a sentence
    # removed from a zh-TW policy states (Tattoo, tests/real/batch47), read with the sides swapped
    ("", "Firebase 資料蒐集由編譯時期旗標控制，在除錯版本中預設停用。", OLD_TATTOO_NEW, 1),
    ("", "Crashlytics 會蒐集當機報告與裝置型號。", OLD_TATTOO_NEW, 0),
]


@pytest.mark.parametrize(("old", "new", "old_doc", "found"), CASES)
def test_new_flows(old: str, new: str, old_doc: str, found: int) -> None:
    assert len(new_flows(old, new, norm(old_doc), han_share(old_doc))) == found


def test_han_share() -> None:
    assert han_share("") == 0.0
    assert han_share("中文ab") == 0.5
    assert han_share("数据") == 1.0


def test_a_flow_stated_anew_is_material_processing() -> None:
    old = "# 隐私政策\n\n## 数据处理\n\n" + OLD_DEBUG + "\n"
    new = old.replace(
        "本隐私声明由我们为处理您的个人信息而制定。",
        "本隐私声明由我们为处理您的个人信息而制定。网络调试:通过此套件您可以快速连接 Reqable、ProxyPin 调试工具,"
        "我们使用 Tun2Socks 技术,将您设备的流量转发至调试工具。",
    )
    cmp = compare(parse(old.encode(), media_type="markdown"), parse(new.encode(), media_type="markdown"))
    material = [c for c in cmp.changes if c.material]
    assert material and "processing" in material[0].categories
    assert any(e.startswith("新的信息处理") for e in material[0].evidence)


def test_a_reworded_flow_is_not_material() -> None:
    old = "# 隐私政策\n\n## 本地保存的数据\n\n" + OLD_CLIP + "\n"
    new = old.replace("用户明确选择或预览文件时", "当用户明确地选择或者预览文件时")
    cmp = compare(parse(old.encode(), media_type="markdown"), parse(new.encode(), media_type="markdown"))
    assert not cmp.material


def test_a_flow_no_longer_stated_is_material_processing() -> None:
    """The reverse of a flow stated anew: a sentence of the old text that moved information, in words the
    new document mostly never uses, is gone (Zinc, tests/real/batch21: its AI usage status dropped)."""
    flow = "网络调试:通过此套件您可以快速连接 Reqable、ProxyPin 调试工具,我们使用 Tun2Socks 技术,将您设备的流量转发至调试工具。"
    new = "# 隐私政策\n\n## 数据处理\n\n" + OLD_DEBUG + "\n"
    old = new.replace(
        "本隐私声明由我们为处理您的个人信息而制定。", "本隐私声明由我们为处理您的个人信息而制定。" + flow
    )
    cmp = compare(parse(old.encode(), media_type="markdown"), parse(new.encode(), media_type="markdown"))
    material = [c for c in cmp.changes if c.material]
    assert material and "processing" in material[0].categories
    assert any(e.startswith("删除的信息处理") for e in material[0].evidence)


@pytest.mark.parametrize(
    ("new", "found"),
    [
        # lua-language-server (tests/real/holdout17): telemetry said to be gone, above an unchanged text
        ("遥测已于3.6.5版本移除,感谢你们在社区中的积极反馈!", 1),
        ("统计功能已经停用。", 1),
        # nothing gone: telemetry described, a policy's own revision removed, a sentence already said
        ("向团队发送使用情况统计信息和错误报告,以帮助改进 Lua-language-server。", 0),
        ("本政策的旧版本已移除。", 0),
        ("遥测功能已关闭。", 0),
    ],
)
def test_a_way_of_taking_information_said_to_be_gone(new: str, found: int) -> None:
    old_doc = "概述\n向团队发送使用情况统计信息和错误报告。遥测功能已关闭。"
    assert len(stopped_flows("", new, norm(old_doc))) == found


def test_telemetry_said_to_be_gone_is_material_processing() -> None:
    old = "# 概述\n\n向团队发送使用情况统计信息和错误报告,以帮助改进 Lua-language-server。\n"
    new = old.replace("# 概述\n\n", "# 概述\n\n遥测已于3.6.5版本移除,感谢你们在社区中的积极反馈!\n\n")
    cmp = compare(parse(old.encode(), media_type="markdown"), parse(new.encode(), media_type="markdown"))
    material = [c for c in cmp.changes if c.material]
    assert material and material[0].categories == ["processing"]
    assert any(e.startswith("停止的信息处理") for e in material[0].evidence)
