"""Each materiality signal on real corpus sentences (table-driven), and the classifier's verdicts."""

from __future__ import annotations

import pytest

from monitor.compare import signals, topics
from monitor.compare.comparison import compare
from monitor.document.parse import parse
from monitor.model import Clause, Comparison
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import replace_once

# (sentence from the corpus, what it names)
PI_CASES = [
    ("我们需要收集您的身份证件信息用于核实您的身份。", {"身份证件"}),
    (
        "我们会收集您的设备型号、设备名称、设备唯一标识符、浏览器类型和设置、语言设置、操作系统和应用程序版本",
        {"设备唯一标识符"},
    ),
    ("10.Android ID(小米推送SDK等需要用Android ID): 用于给手机用户推送订单、物流信息", {"Android ID"}),
    ("当您使用人脸识别登录时我们会收集您的面部信息", {"人脸"}),
    ("您首先需要注册一个利群网商账户成为利群网商用户", set()),
    # read in simplified characters (Cofacts, tests/real/batch23, zh-TW)
    ("網站會取得協作者的電子郵件地址與使用者 ID", {"电子邮件地址"}),
    # a type's word that labels the operator's own number or address names no type (逛游, tests/real)
    ("联系电话：13028802038", set()),
    ("电子邮箱: service@example.cn", set()),
    ("我们会收集您的联系电话：用于配送", {"联系电话"}),
]
CONTACT_CASES = [
    # the address of a document is no channel (AI 发型, 亿和堂, tests/real)
    ("联系我们:第三方服务的隐私政策请见:<https://www.aihairstyle.cn/privacy-policy>。", set()),
    ("联系我们:在《隐私权政策》(https://www.notion.so/fcac00aca2044e148c63fa1815fd1140)的基础上", set()),
    ("联系我们:[隐私政策](https://www.aihairstyle.cn/privacy-policy),uploaded", set()),
    ("意见反馈:https://help.example.com/feedback", {"help.example.com/feedback"}),
    # patterns of the addresses a browser extension may reach are no channel (CatHeadTab, tests/real/batch14)
    ("CatHeadTab 请求 http://*/* 和 https://hq.sinajs.cn/* 主机权限。", set()),
    # an address a program fetches is no channel (加班小账本, tests/real)
    ("联系我们:节假日数据来自 https://timor.tech/api/holiday/year 。", set()),
    ("拨打客服电话950616。", {"950616"}),
    # an address masked for robots is the address (XposedOrNot, tests/real/batch36)
    ("电子邮件：deva[@]xposedornot.com", {"deva@xposedornot.com"}),
    # a number that starts with 1 is a mobile with eleven digits, else a number like any other (a table
    # cell of server counts, 1 | 10000: KOOK, tests/real); with a word of phoning before it, a number
    ("机器人可被邀请加入的服务器数量 10000", set()),
    ("如有疑问可致电 10000 咨询", {"10000"}),
    ("紧急联系人 13812345678", {"13812345678"}),
    ("您可通过客户热线:4000999746与我们联系。", {"4000999746"}),
    (
        "您可以将您的问题发送至cn-provision@service.cainiao.com与其联系。",
        {"cn-provision@service.cainiao.com"},
    ),
    (
        "常用办公地址:北京市经济技术开发区科创十一街8号院京东总部4号楼5层",
        {"北京市经济技术开发区科创十一街8号院京东总部4号楼5层"},
    ),
    ("版本更新日期:2021年11月29日", set()),
    # a department is named without the words before it (Hippy SDK, tests/real/batch17), and no run of a
    # sentence ending in 官 is one (长征记忆, holdout3: 官方网站)
    ("我们设立了专门的个人信息保护团队和个人信息保护负责人", {"个人信息保护团队", "个人信息保护负责人"}),
    ("智谱 GLM 的隐私政策详见其官方网站", set()),
    ("我们将在15个工作日内回复您的更正请求", set()),
]
RECIPIENT_CASES = [
    ("(3)高德地图SDK,可能会使用您的位置信息、WLAN状态、设备信息", {"高德地图", "高德地图SDK"}),
    ("7.小米推送: 推送小米手机用户订单、物流信息", {"小米推送"}),
    ("我们可能会将您的个人信息与我们的关联方共享。", {"关联方"}),
]


def test_a_month_of_a_year_is_no_amount_of_time() -> None:
    assert signals.quantities("最后更新日期:2024年12月") == []
    assert signals.quantities("我们将保存6个月") == [(6.0, "月", "6个月")]


POLARITY_CASES = [
    # a negation coordinated with the one before it denies its own verb (IPcamVision Pro, batch45)
    ("我们不保留也不接收有关您的Apple ID的任何信息。", 1),
    ("我们不保留或接收有关您的Apple ID的任何信息。", 1),
    ("我们既不收集也不共享您的位置。", 1),
    ("我们不会不经同意共享您的信息。", 0),  # a double negation all the same
    # ease of use, nothing denied (Wing Relay, tests/real/batch17); what needs no consent is denied
    ("Wing Relay 适配主流抓包调试工具，无需繁琐配置即可实现一键连接。", 0),
    ("我们无需征得您的同意即可处理", 1),
    (
        "若要清除资料,可以清除浏览器网站资料或使用无痕模式游玩。",
        0,
    ),  # incognito (下课小游戏, tests/real/batch23)
    ("零数据收集:Mitoo不收集个人数据。", 0),  # 零数据收集 denies like 无数据收集 (Mitoo, tests/real)
    ("无数据收集:Mitoo不收集个人数据。", 0),
    ("您可以在零钱页面查看余额。", 0),  # 零钱 is a wallet, no denial
    ("我们不会将Cookie用于本政策所述目的之外的任何用途。", 1),
    ("我们会将Cookie用于识别您的浏览偏好。", 0),
    ("本政策所指的重大变更包括但不限于:", 0),  # 不限于 widens, it does not deny
    ("菜鸟可能不定时对本隐私权政策做出变更或修改。", 0),
    ("我们不会与京东快递以外的任何公司、组织和个人共享您的个人信息,除非获得您的明确同意。", 1),
    ("若天搜索的诞生离不开5iux及更多的开源软件", 0),
    # 不管 is 无论, and needing no set-up is ease of use (Loci, tests/real/batch39)
    ("安装过程中(不管是跑 install.sh 还是对话式引导),会自动断开公开模板仓库。", 0),
    ("Layer 0:结构性安全(默认生效,不用配置)", 0),
    # what the policy does not cover, in either word (宝宝记录者, tests/real/batch29)
    ("本政策不适用于线下收集的任何信息,也不适合您通过邮件直接与我们联系的情况。", 0),
    # 无误 (verified as correct) is no denial (Cofacts, tests/real/batch23)
    ("我们会在比对验证寄件者电子邮件地址无误后进行删除处理。", 0),
    (
        "未成年人於註冊或使用本服務而同意本公司蒐集其個人資訊時",
        0,
    ),  # 未成年人 is a minor (文化生活通, batch18)
    (
        "如果您是未满14周岁的儿童,请在监护人同意后使用。",
        0,
    ),  # 离不开: owes to, no denial (若天, tests/real/batch17)
    # a time to come, something not known, wireless and unlimited deny nothing (One Future, batch40)
    ("网站未来可能使用 Google AdSense。", 0),
    ("我们会记录未知错误和无线网络状态,提供无限存储空间。", 0),
    # untrusted is a kind of network, nothing denied (Android Proxy Server, tests/real/batch58)
    ("请只在可信网络中使用,不要通过不可信热点把代理暴露出去。", 1),
]
# (before, after, reversed): a negation added after where the other sentence stops is no reversal
REVERSAL_CASES = [
    ("我们会与第三方共享您的个人信息。", "我们不会与第三方共享您的个人信息。", True),
    (
        "您不可避免的要向交易对方或潜在的交易对",
        "您不可避免的要向交易对方或潜在的交易对方发送个人信息,我们会保护您的权利不被侵犯。",
        False,
    ),
    ("我们收集您的手机号码", "我们收集您的手机号码,但不会用于营销", False),
    ("我们会保存您的信息", "我们会保存您的信息不", True),  # one character more is no sentence
    # the same sentence under a lead-in label that holds a negation (Zalith Launcher, tests/real/batch43)
    (
        "我们不会主动收集、存储或处理您的任何个人数据。",
        "无数据收集行为:我们不会主动收集、存储或处理您的任何个人数据。",
        False,
    ),
    ("我们会收集您的设备信息。", "我们不会收集您的设备信息。", True),
]
QUANTITY_CASES = [
    ("一般情况下,我们将在十五个工作日内回复并完成核查与处理。", [(15.0, "工作日")]),
    ("我们将在15天内做出答复。", [(15.0, "日")]),
    ("您的个人信息我们将保存至您账号注销之日后的一个月", [(1.0, "月")]),
    ("注:本政策版本更新日期为2021年11月29日", []),
    ("**最終更新日**: 19年11月2024日", []),  # year, month and day in a row are a date, even mistyped
    ("最后更新: 1月 26, 2022年", []),  # or in English order
]
TOPIC_CASES = [
    ("jd-express.txt", "6.您的权利 > 6.5注销您的账户", "rights"),
    ("jd-express.txt", "4.我们如何委托处理、共享、转让、公… > 4.2共享 > 4.2.1业务共享 > (1)", "share"),
    ("jd-express.txt", "10.如何联系我们 > 10.1 > (1)", "contact"),
    ("cainiao.txt", "三、菜鸟如何收集信息 > 3.1 > 3.1.1", "collect"),
    ("yunju.txt", "我们如何留存您的信息", "retention"),
]


@pytest.mark.parametrize(("text", "want"), PI_CASES)
def test_types_of_personal_information(text: str, want: set[str]) -> None:
    assert want <= signals.facts(text).pi
    if not want:
        assert signals.facts(text).pi == frozenset()


@pytest.mark.parametrize(("text", "want"), CONTACT_CASES)
def test_contact_channels(text: str, want: set[str]) -> None:
    assert signals.facts(text).contacts == frozenset(want)


def test_a_type_spelled_with_帐_is_the_same_type() -> None:
    # 帐号密码 respelled 账号密码 names no new type (小应生活, tests/real/batch40)
    assert (
        signals.facts("请不将自己的帐号密码告诉他人").pi == signals.facts("请不将自己的账号密码告诉他人").pi
    )


def test_a_public_ip_is_an_ip_address() -> None:
    # 公网 IP read from a service (VPS Sentinel, tests/real/batch39); zh-TW 位址
    assert signals.facts("节点地域探测会从可信 HTTPS 接口读取公网 IP 来推导地域").pi == {"公网IP"}
    assert signals.new_types(frozenset({"IP地址"}), frozenset({"公网IP", "IP位址"})) == frozenset()


def test_an_e_mail_address_in_other_words_is_one() -> None:
    # 电邮地址 (The Pizza Helper, tests/real/batch55; Login.gov, batch18), 电子信箱, 邮件地址
    assert signals.facts("使用者所指定的使用者预留名称(电邮地址)").pi == {"电邮地址"}
    assert (
        signals.new_types(frozenset({"电邮地址"}), frozenset({"电子邮件地址", "电子信箱", "邮件地址"}))
        == frozenset()
    )


def test_a_web_address_alone_under_a_line_naming_a_document_is_no_channel() -> None:
    text = "巨量引擎转化跟踪sdk隐私政策\nhttps://open.oceanengine.com/labels/7/docs/1?origin=left_nav\n官网\nhttps://youxi.xunlei.com/"
    assert signals.facts(text).contacts == frozenset({"youxi.xunlei.com"})


def test_phone_numbers_compare_without_hyphens() -> None:
    assert signals.facts("客服电话400-699-8688").contacts == signals.facts("客服电话4006998688").contacts


@pytest.mark.parametrize(("text", "want"), RECIPIENT_CASES)
def test_recipients(text: str, want: set[str]) -> None:
    assert want <= signals.facts(text).recipients


@pytest.mark.parametrize(("text", "want"), POLARITY_CASES)
def test_polarity(text: str, want: int) -> None:
    assert signals.polarity(text) == want


@pytest.mark.parametrize(("before", "after", "want"), REVERSAL_CASES)
def test_reverses(before: str, after: str, want: bool) -> None:
    assert signals.reverses(before, after) is want
    assert signals.reverses(after, before) is want


@pytest.mark.parametrize(("text", "want"), QUANTITY_CASES)
def test_quantities(text: str, want: list[tuple[float, str]]) -> None:
    assert [(v, u) for v, u, _ in signals.quantities(text)] == want


def test_chinese_and_arabic_numbers_are_the_same_amount() -> None:
    assert signals.quantities("15天内")[0][:2] == signals.quantities("十五天内")[0][:2]


def test_modality() -> None:
    assert signals.modality("您可以通过京东快递APP完成账户注销") == "permission"
    assert signals.modality("您需通过本政策约定的方式提交书面注销申请") == "obligation"
    assert signals.modality("如需查阅旧版本,您可点击本指引首页相应的历史版本") == "permission"
    # 可能 is a possibility, not a permission (小狗 TWRP 刷机工具, tests/real/batch6)
    assert signals.modality("如果您拒绝存储信息,可能将无法正常使用此软件。") is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("您可以访问、更正、删除您的个人信息。", {"访问", "更正", "删除"}),
        # a right's word as a noun's first half is no right (Clipber, tests/real/batch6)
        ("我们自动记录您使用的语言、访问日期和时间及网页记录。", set()),
        ("我们会保存修改时间和查询记录。", set()),
    ],
)
def test_rights_words(text: str, want: set[str]) -> None:
    assert signals.facts(text).rights == want


def test_channels_and_companies_are_the_same_in_either_script() -> None:
    """An address or company rewritten in traditional characters is the same one (chouchouinjapan,
    tests/real: 东京都渋谷区莺谷町 → 東京都渋谷区鶯谷町)."""
    old = signals.facts("地址:〒150-0032 东京都渋谷区莺谷町3-1 SUビル301号|信箱:s-syu@and-p.jp")
    new = signals.facts("地址:〒150-0032 東京都渋谷区鶯谷町3-1 SUビル301号|信箱:s-syu@and-p.jp")
    assert old.contacts == new.contacts and len(old.contacts) == 2
    assert signals.facts("本政策由臺北樂活科技有限公司提供").entities == {"台北乐活科技有限公司"}


def test_entities_and_takeover() -> None:
    assert signals.facts("本政策仅适用于北京京邦达贸易有限公司及其关联公司").entities == {
        "北京京邦达贸易有限公司"
    }
    assert signals.takeover("因业务重组,已承继北京京邦达贸易有限公司在京东快递业务中的全部权利义务")
    assert not signals.takeover("利群网商通过信息接触者保密协议、监控和审计机制来对数据进行全面安全控制")
    # a disclaimer of control over third parties' sites is no change of control (NotifyMe, tests/real)
    assert not signals.takeover("我对任何第三方网站或服务的内容、隐私政策或做法没有控制权,也不承担任何责任")
    assert not signals.takeover("我们对此类第三方无控制权")
    assert signals.takeover("我们已不再控制该公司,其控制权已转让给北京某某科技有限公司")
    # a case the policy provides for is no takeover (智情守护, tests/real/batch7), nor the user's control
    # (音视通转, tests/real/batch19)
    assert not signals.takeover("如我们发生合并、收购或破产清算,将可能涉及到个人信息转让")
    assert not signals.takeover(
        "在涉及合并、分立、解散、被宣告破产时,我们会要求新的持有您个人信息的公司继续受此政策的约束"
    )
    assert not signals.takeover("作为用户,您享有以下权利:控制权:完全控制哪些文件被访问")
    assert signals.takeover("因业务调整,本应用的运营主体已变更为上海某某网络科技有限公司")
    # records merged are no merger of companies (点歌会员, tests/real/batch35)
    assert not signals.takeover("一个手机号匹配多个历史会员时不会自动合并,须经员工核验")
    assert not signals.takeover("更换或停用不会删除订单、退款、会员合并等必要审计事实")
    assert signals.takeover("本公司已与北京某某科技有限公司合并,由其承接本应用的运营")


def test_high_risk() -> None:
    assert signals.high_risk(
        "2023年度个人信息安全影响评估报告表明,第三方SDK在后台收集设备信息的场景存在高风险"
    )
    assert not signals.high_risk("我们将不定期更新并公开安全风险、个人信息安全影响评估报告等有关内容")


@pytest.mark.parametrize(("name", "path", "want"), TOPIC_CASES)
def test_topic(name: str, path: str, want: str) -> None:
    doc = parse((corpus_text(name)).encode("utf-8"), media_type="text", source=name)
    clause = next(c for c in doc.clauses() if c.path == path)
    assert topics.topic(clause) == want


# ---------------------------------------------------------------------------------------------
# verdicts on real clauses: (policy, text as it is, as edited, material, categories)

VERDICTS = [
    ("jd-express.txt", "拨打客服电话950616。", "拨打客服电话4006065500。", True, ["contact"]),
    (
        "jd-express.txt",
        "一般情况下,我们将在十五个工作日内",
        "一般情况下,我们将在六十个工作日内",
        True,
        ["rights"],
    ),
    (
        "jd-express.txt",
        "我们不会将Cookie用于本政策所述目的之外的任何用途",
        "我们会将Cookie用于本政策所述目的之外的任何用途",
        True,
        ["processing"],
    ),
    ("jd-express.txt", "京东快递用户去世后", "京东快递用户离世后", False, []),
    # a type respelled in the clause that collects it is no new type (手机号 is 手机号码; batch17, Mac地址
    # → MAC地址 beside new SDKs)
    (
        "jd-express.txt",
        "将收集您的姓名、身份证号、手机号用于合同签约",
        "将收集您的真实姓名、身份证号码、手机号码,用于合同签约",
        False,
        [],
    ),
    ("jd-express.txt", "版本更新日期:2021年11月29日", "版本更新日期:2022年3月1日", False, []),
    # what others cannot do protects the user, no obstacle to a right (UGScan, tests/real/holdout7); what
    # the user cannot do is one
    (
        "jd-express.txt",
        "6.1.1 您有权随时访问您的个人信息,法律法规规定的例外情况除外。",
        "6.1.1 您有权随时访问您的个人信息,未经您授权任何用户无法访问您的个人信息,法律法规规定的例外情况除外。",
        False,
        [],
    ),
    (
        "jd-express.txt",
        "6.1.1 您有权随时访问您的个人信息,法律法规规定的例外情况除外。",
        "6.1.1 您有权随时访问您的个人信息,但您无法在线访问,法律法规规定的例外情况除外。",
        True,
        ["rights"],
    ),
    # a remark put in or cut out whole, that denies nothing about information, reverses nothing (a
    # translation tool's leftover instruction removed from I2P's contact paragraph, tests/real/batch22);
    # a promise about information cut out is one taken back (the next case)
    ("jd-express.txt", "(1)拨打客服电话950616。", "(1)拨打客服电话,不要包含其他内容:950616。", False, []),
    (
        "jd-express.txt",
        "6.3.2 当您从我们的服务中删除信息后,我们可能不会立即备份系统中删除相应的信息,但会在备份更新时删除这些信息。",
        "6.3.2 当您从我们的服务中删除信息后,但会在备份更新时删除这些信息。",
        True,
        ["rights"],
    ),
    # 儿童 and 未成年人 are one type of information in the signals' list: the word swapped is no new type
    # (下课工具's heading 「Cookie 与儿童使用注意事项」 → 「…与未成年人…」, tests/real/batch23)
    ("jd-express.txt", "同意而收集儿童个人信息的情况", "同意而收集未成年人个人信息的情况", False, []),
    (
        "jiapin.txt",
        "我们不会与嘉品云市App服务提供者以外的公司",
        "我们会与嘉品云市App服务提供者以外的公司",
        True,
        ["recipients"],
    ),
    ("yunju.txt", "（3）高德地图SDK，", "（3）高德地图SDK、巨量引擎SDK，", True, ["recipients"]),
    (
        "liqun.txt",
        "我们仅会出于以下目的,收集和使用您的个人信息:",
        "我们仅会出于以下目的,收集和使用您的个人信息和人脸识别特征:",
        True,
        ["processing"],
    ),
]


def _verdict(name: str, before: str, after: str) -> Comparison:
    text = corpus_text(name)
    old = parse(text.encode("utf-8"), media_type="text", source="old.txt")
    new = parse(replace_once(text, before, after).encode("utf-8"), media_type="text", source="new.txt")
    return compare(old, new)


@pytest.mark.parametrize(("name", "before", "after", "material", "categories"), VERDICTS)
def test_verdicts(name: str, before: str, after: str, material: bool, categories: list[str]) -> None:
    cmp = _verdict(name, before, after)
    assert len(cmp.changes) == 1
    (change,) = cmp.changes
    assert change.material is material
    assert change.categories == categories
    assert change.evidence  # material or not, the change says why
    if material:
        assert change.criteria


def test_evidence_names_what_changed() -> None:
    (change,) = _verdict("jd-express.txt", "拨打客服电话950616。", "拨打客服电话4006065500。").changes
    assert change.evidence == ["联系方式 950616 → 4006065500"]


def test_silent_change_and_undeclared_categories() -> None:
    cmp = _verdict("jd-express.txt", "拨打客服电话950616。", "拨打客服电话4006065500。")
    assert "silent_change" in cmp.notes  # material, same update date


def test_policy_without_a_list_is_judged_by_the_standard_items() -> None:
    cmp = _verdict("yunju.txt", "（3）高德地图SDK，", "（3）高德地图SDK、巨量引擎SDK，")
    assert cmp.criteria is not None and cmp.criteria.source == "default"
    assert cmp.changes[0].criteria == ["个人信息共享、转让或公开披露的主要对象发生变化"]


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("如何访问、更正、删除您的个人信息", "rights"),
        ("访问您的个人信息", "rights"),
        # access to the network or to a site is no right of the user (AI Token Watch, tests/real/batch19)
        ("网络访问", None),
        ("访问权限", "collect"),
        # what the app accesses is no right of the user's: the words a right is never followed by
        # (facts_base.NOT_RIGHT_AFTER) hold for headings too (ToMemo, tests/real/batch19)
        ("访问剪贴板", None),
        ("官网访问", None),  # visiting the official site (Clash for Apple platforms, tests/real/batch27)
        ("访问相册", None),
        # what the app accesses beside what it keeps (小本本, tests/real/batch36)
        ("访问和保存的数据", "retention"),
        ("访问、更正和删除", "rights"),
        ("数据保留与删除", "rights"),
        # the user's choices are what they may do about their data (喜伴, 菠萝白牛易经, tests/real)
        ("你的选择", "rights"),
        ("用户选择", "rights"),
        ("你的权利与选择", "rights"),
        ("词书选择", None),  # a choice of the app's, not the user's over their data
    ],
)
def test_topic_of_a_title(title: str, want: str | None) -> None:
    assert topics.topic(Clause(marker="1.", title=title, lines=[], style="dot", level=1)) == want


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("您可以随时在微信授权设置中管理权限", False),  # 活动记鹿 (tests/real/batch26): where, not to whom
        ("可在微信的隐私设置里关闭", False),
        ("我们会将订单信息提供给微信支付", True),
    ],
)
def test_a_platform_named_as_the_place_of_a_setting_is_no_recipient(text: str, named: bool) -> None:
    assert any(name.startswith("微信") for name in signals.recipients(text)) is named


@pytest.mark.parametrize(
    ("text", "ruled_out", "named"),
    [
        # 你喝 (tests/real/batch7) and Wear Translator (batch14): what a local-only app says it does not do
        ("应用不要求注册账号，不接入广告 SDK，也不接入第三方统计或分析 SDK。", {"广告SDK", "分析SDK"}, set()),
        ("不会与广告商或数据经纪商共享", {"广告商"}, set()),
        ("不将用户记录发送给广告商或数据分析服务。", {"广告商"}, set()),
        # a denial ends with its clause: what follows the comma is stated
        ("我们不会出售您的信息，但会接入极光推送SDK用于消息推送", set(), {"极光推送SDK"}),
        ("我们接入了友盟统计SDK", set(), {"友盟统计SDK"}),
        # PromptVault (tests/real/batch28): 不接 denies too, and what 除 excepts from the denial is used
        (
            "不接任何第三方 SDK（除微信广告 SDK，仅在你点「看广告升级」时调用）",
            {"不接任何第三方SDK"},
            {"微信广告SDK"},
        ),
    ],
)
def test_a_recipient_the_text_rules_out_is_none(text: str, ruled_out: set[str], named: set[str]) -> None:
    found = signals.facts(text).recipients
    assert not found & ruled_out and named <= found, found


@pytest.mark.parametrize(
    ("title", "want"), [("您的權利", "rights"), ("聯絡我們", "contact"), ("您的权利", "rights")]
)
def test_the_topic_of_a_title_in_either_script(title: str, want: str) -> None:
    assert topics.topic(Clause(marker="", title=title, lines=[], style="dot", level=1)) == want


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # items of a 重大变更 list name cases, not events (OpenAnolis, tests/real/batch22)
        ("我们在控制权、组织架构等方面发生重大变化。如业务调整、破产并购等引起的所有者变更等;", False),
        ("个人信息安全影响评估报告表明存在高风险时;", False),
        ("因业务重组,本平台已由甲公司收购,运营主体变更为乙有限公司。", True),
        ("经个人信息安全影响评估,该处理活动存在高风险,我们已采取以下措施。", True),
    ],
)
def test_a_change_list_item_is_no_event(text: str, event: bool) -> None:
    assert (signals.takeover(text) or signals.high_risk(text)) is event


@pytest.mark.parametrize(
    ("text", "rights"),
    [
        ("分析访问量与用户行为(借助 Google Analytics)", set()),  # homulilly's blog (tests/real/batch26)
        ("记录访问者的 IP 地址", set()),
        ("开启后应用会访问剪贴板", set()),  # ToMemo (tests/real/batch19)
        ("您可以访问、更正您的个人信息", {"访问", "更正"}),
    ],
)
def test_a_right_word_before_what_it_gives_no_one(text: str, rights: set[str]) -> None:
    assert signals.facts(text).rights == frozenset(rights)


def test_a_place_that_begins_a_name_the_policy_defines_itself_by_is_no_destination() -> None:
    """美国司法可及基金会("JAF"、"我们"…) names the operator, not a transfer to the United States (JAF,
    tests/real/batch33); 存储在美国 is one."""
    assert not signals.facts(
        '美国司法可及基金会("JAF"、"我们"或"本基金会")是加利福尼亚州注册的非营利公益法人。'
    ).places
    assert signals.facts("您的信息将存储在美国的服务器上。").places == {"美国"}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a law's place is no destination (XposedOrNot, tests/real/batch36)
        ("我们尊重欧盟《通用数据保护条例》（GDPR）及印度《2023年数字个人数据保护法》赋予的权利。", set()),
        ("我们遵守《美国儿童在线隐私保护法》（COPPA）。", set()),
        ("您的数据存储在欧盟境内的服务器上，适用欧盟《通用数据保护条例》。", {"欧盟"}),
    ],
)
def test_a_law_s_place_is_no_destination(text: str, places: set[str]) -> None:
    assert signals.facts(text).places == frozenset(places)


def test_words_before_sdk_that_say_what_it_is_are_no_name() -> None:
    # 上述内容是 SDK 自带的声明 (豆门 Doumen, tests/real/batch58): 是 runs into no SDK's name
    assert signals.recipients("上述内容是SDK 自带的声明") == frozenset()
    assert "友盟SDK" in signals.recipients("我们接入了友盟SDK")
