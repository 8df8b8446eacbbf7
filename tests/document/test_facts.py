"""The privacy-facts stage (monitor.document.facts), kind by kind, on sentences of real policies.

Every input is written out here (the sentences come from the policies in tests/corpus or
tests/corpus, cited by file), so the cases do not depend on the corpus files; the last tests
check the hand-written expectations of tests/document/facts_expected.yaml against the whole policies
when the corpus is present.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
import yaml

from monitor.document.facts import Facts, facts_of
from monitor.document.facts_base import canonical_url, pi_types
from monitor.document.facts_tables import record_rows
from monitor.document.parse import load, parse
from tests.helpers.corpus import CORPUS
from tests.helpers.real_pairs import documents


def facts(text: str, media_type: Literal["text", "html"] = "text") -> Facts:
    return facts_of(parse(text.encode("utf-8"), media_type=media_type, source="case"))


def keys(text: str) -> set[tuple[str, str, str]]:
    return set(facts(text).by_key())


# ---------------------------------------------------------------------------------------------
# (text, facts that must be found, facts that must not be found)

CASES: list[tuple[str, str, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = [
    (
        "a platform named as the place of a setting is no recipient (活动记鹿, tests/real/batch26)",
        "我们承诺:不会将您的信息分享给第三方,您可以随时在微信授权设置中管理权限。",
        [],
        [("recipients", "recipient", "微信")],
    ),
    (
        "a platform the information is shared with is one",
        "我们会将您的订单信息分享给微信支付,用于完成支付。",
        [("recipients", "recipient", "微信支付")],
        [],
    ),
    (
        "entity stated as 我们 (jd-express)",
        "本政策仅适用于北京京邦达贸易有限公司及其关联公司(以下或称“我们”或“京东快递”)京东快递相关产品与/或服务。",
        [("controller", "entity", "北京京邦达贸易有限公司")],
        [("recipients", "recipient", "北京京邦达贸易有限公司")],
    ),
    (
        "the operator written with its city's 市 is the operator, no recipient (WellGo, tests/real/holdout8)",
        "WellGo软件由深圳先微科技有限公司(以下简称先微公司)所有。深圳市先微科技有限公司修改本协议条款后,"
        "我们会将您的订单信息提供给深圳市先微科技有限公司与微信支付。",
        [("recipients", "recipient", "微信支付")],
        [("recipients", "recipient", "深圳市先微科技有限公司")],
    ),
    (
        "named services a request is sent to receive it (NetRoute Pro, tests/real/batch42)",
        "网络请求\nDNS-over-HTTPS查询发送至Cloudflare (1.1.1.1)、Google (8.8.8.8)和Quad9 (9.9.9.9) —用于将域名解析为IP地址\n"
        "您在 SeasonGrid 中创建的所有数据均保存在您的设备上,绝不会传输到外部。",
        [("recipients", "recipient", "cloudflare"), ("recipients", "recipient", "quad9")],
        [("recipients", "recipient", "seasongrid")],
    ),
    (
        "entities listed as 运营者 (cainiao)",
        "1.1 菜鸟网络:简称“菜鸟”,指菜鸟用户端(定义见1.2)的运营者或服务提供者的单称或合称,包括但不限于杭州菜鸟物流信息科技有限公司、菜鸟网络科技有限公司、浙江菜鸟供应链管理有限公司等。",
        [
            ("controller", "entity", "杭州菜鸟物流信息科技有限公司"),
            ("controller", "entity", "菜鸟网络科技有限公司"),
            ("controller", "entity", "浙江菜鸟供应链管理有限公司"),
        ],
        [],
    ),
    (
        "entity and registered address, 下称我们 (onewo)",
        '【万物云空间科技服务股份有限公司】(注册地:【深圳市福田区梅林街道梅亭社区广夏路1号创智云中心B栋2201】,【万物云空间科技服务股份有限公司】下称"我们")非常尊重您的个人信息的保护。',
        [
            ("controller", "entity", "万物云空间科技服务股份有限公司"),
            ("controller", "address", "深圳市福田区梅林街道梅亭社区广夏路1号创智云中心B栋2201"),
        ],
        [],
    ),
    (
        "registered address of the operator (liqun)",
        "利群网商应用是利群集团青岛电子商务有限公司(注册地址:山东省青岛市市北区台东三路77号利群商厦13楼1302室)为您提供的一款应用。",
        [
            ("controller", "entity", "利群集团青岛电子商务有限公司"),
            ("controller", "address", "山东省青岛市市北区台东三路77号利群商厦13楼1302室"),
        ],
        [],
    ),
    (
        "contact block after 以下联系方式 (jd-express)",
        "如您有任何疑问、意见或建议,您可通过以下联系方式与我们联系:\n联系电话:950616\n"
        "注册地址:北京市海淀区苏州街20号院2号楼一层101\n"
        "在线客服:https://jdcs.m.jd.com/jdchat/index.action?entry=jd_m_jdexpress\n"
        "常用办公地址:北京市经济技术开发区科创十一街8号院京东总部4号楼5层",
        [
            ("contact", "phone", "950616"),
            ("contact", "url", "jdcs.m.jd.com/jdchat/index.action?entry=jd_m_jdexpress"),
            ("contact", "address", "北京市经济技术开发区科创十一街8号院京东总部4号楼5层"),
            ("controller", "address", "北京市海淀区苏州街20号院2号楼一层101"),
        ],
        [],
    ),
    (
        "a hotline with hyphens is its digits",
        "联系我们\n如您有任何疑问,您可以拨打客服热线400-606-1088与我们联系。",
        [("contact", "phone", "4006061088")],
        [],
    ),
    (
        "e-mail and department (cainiao)",
        "在阅读本隐私权政策的过程中,如果您对本隐私权政策有任何疑问,发送邮件至我们的个人信息保护专职部门的邮箱cn-provision@service.cainiao.com,我们将向您解释条款内容。",
        [
            ("contact", "email", "cn-provision@service.cainiao.com"),
            ("contact", "department", "个人信息保护专职部门"),
        ],
        [],
    ),
    (
        "office address 位于, department (cainiao)",
        "十二、联系菜鸟\n12.1我们设立了个人信息保护专职部门,办公地址位于杭州市西湖区文一西路588号西溪首座B1-2八楼法务服务台。",
        [
            ("contact", "address", "杭州市西湖区文一西路588号西溪首座B1-2八楼法务服务台"),
            ("contact", "department", "个人信息保护专职部门"),
        ],
        [],
    ),
    (
        "a third party's details in parentheses are not the operator's (jd-express 11.1, its phone changed to 950617 to tell them apart)",
        "本政策仅适用于北京京邦达贸易有限公司(以下称“我们”)。其中,提供快运服务的关联公司包括西安京东讯成物流有限公司(注册地址:陕西省西安市国家民用航天产业基地东长安街666号航天城中心广场5号楼,联系电话950617)。",
        [("controller", "entity", "北京京邦达贸易有限公司")],
        [
            ("contact", "phone", "950617"),
            ("controller", "address", "陕西省西安市国家民用航天产业基地东长安街666号航天城中心广场5号楼"),
        ],
    ),
    (
        "trap: what a user provides is not a contact channel (liqun)",
        "(3)下单\n当您准备对您购物车内的商品进行结算时,利群网商系统会生成您购买该商品的订单。您需要在订单中至少填写您的收货人姓名、收货地址以及手机号码,同时该订单中会载明订单号。",
        [
            ("processing", "pi_type", "收货地址"),
            ("processing", "pi_type", "手机号码"),
            ("processing", "pi_type", "姓名"),
        ],
        [("contact", "address", "收货地址"), ("contact", "phone", "手机号码")],
    ),
    (
        "types folded: 手机号 / 电话号码 / 身份证号码 / 人脸识别特征 (yunju, cainiao)",
        "当您注册时,您必须至少向我们提供用户名、电话号码,并提交身份证号码;我们会收集您的人脸识别特征用于实人认证。",
        [
            ("processing", "pi_type", "手机号码"),
            ("processing", "pi_type", "身份证"),
            ("processing", "pi_type", "人脸信息"),
            ("processing", "pi_type", "账号"),
        ],
        [("processing", "pi_type", "电话号码"), ("processing", "pi_type", "身份证号码")],
    ),
    (
        "device identifiers fold into 设备标识符 (cainiao 3.2.1)",
        "菜鸟自动接收并记录的设备位置和移动设备相关的信息,包括设备型号、设备识别标识(如IMEI、IMSI、MAC地址)、操作系统、移动应用列表。",
        [
            ("processing", "pi_type", "设备标识符"),
            ("processing", "pi_type", "MAC地址"),
            ("processing", "pi_type", "应用安装列表"),
            ("processing", "pi_type", "设备型号"),
        ],
        [("processing", "pi_type", "IMEI")],
    ),
    (
        "operating systems' permissions by their names (ClipClop, tests/real)",
        "在 macOS 上,可选的自动粘贴仅使用辅助功能权限,在你选择条目后发送粘贴快捷键。\n"
        "本应用需要无障碍服务权限与屏幕录制权限。",
        [
            ("processing", "permission", "无障碍"),
            ("processing", "permission", "屏幕录制"),
        ],
        [],
    ),
    (
        "permissions (yunju (e))",
        "(e)为向您提供相关服务,我们可能会请求调用您的一些设备权限(相机权限、本地存储权限、定位权限、联系人权限、麦克风权限),您可拒绝云聚收集相应的个人信息。",
        [
            ("processing", "permission", "相机"),
            ("processing", "permission", "存储"),
            ("processing", "permission", "位置"),
            ("processing", "permission", "通讯录"),
            ("processing", "permission", "麦克风"),
        ],
        [("processing", "pi_type", "通讯录")],
    ),
    (
        "a permission word not in the 权限 phrase is not a permission (jd-express (4))",
        "您可以选择打开麦克风权限通过语音识别自动获取寄/收件人姓名、电话和地址信息。",
        [("processing", "permission", "麦克风")],
        [("processing", "permission", "电话")],
    ),
    (
        "a named company a payment is shared with (cainiao 3.1.10)",
        "我们会将订单号、交易时间通过在应用程序中嵌入的支付宝软件工具开发包(SDK)等方式与支付宝公司共享。",
        [("recipients", "recipient", "支付宝")],
        [],
    ),
    (
        "a kind of recipient and the platforms it lists (jd-express (5))",
        "您可以选择与我们合作的第三方支付机构(包括京东支付、微信支付及银联、网联等支付通道,以下统称“支付机构”)所提供的支付服务。",
        [
            ("recipients", "recipient_kind", "支付机构"),
            ("recipients", "recipient", "京东支付"),
            ("recipients", "recipient", "微信支付"),
            ("recipients", "recipient", "银联"),
            ("recipients", "recipient", "网联"),
        ],
        [],
    ),
    (
        "an analytics platform opening an item of what is collected (Chaldea, tests/real/holdout3)",
        "## 信息收集\n1. 日志收集 - 仅用于debug\n2. 百度移动统计 - 使用百度移动统计分析app的使用情况(匿名)\n",
        [("recipients", "recipient", "百度统计")],
        [],
    ),
    (
        "a company a service is provided by (jd-express 1.1.1)",
        "京东快递中的账号登录服务由我们的关联公司北京京东叁佰陆拾度电子商务有限公司(以下简称“京东叁佰陆拾度”)提供。",
        [("recipients", "recipient", "北京京东叁佰陆拾度电子商务有限公司")],
        [("controller", "entity", "北京京东叁佰陆拾度电子商务有限公司")],
    ),
    (
        "SDKs in prose (yunju); a URL names no recipient",
        "我们已经集成的三方功能/SDK及其用途\n(2)腾讯buglySDK,可能需要收集日志信息,用于定位系统缺陷。腾讯隐私政策: https://static.bugly.qq.com/bugly-sdk-privacy-statement.pdf;",
        [("recipients", "sdk", "腾讯bugly")],
        [("recipients", "sdk", "三方功能/"), ("recipients", "recipient", "QQ")],
    ),
    (
        "rights from the headings of a rights section (jd-express 6.)",
        "6.您的权利\n6.1 访问您的个人信息\n您有权随时访问您的个人信息。\n6.2 更正您的个人信息\n6.3 删除您的个人信息\n"
        "6.4 改变您授权同意的范围或撤回您的授权\n6.5 注销您的账户\n6.7 获取您的个人信息副本",
        [
            ("rights", "right", "查阅"),
            ("rights", "right", "更正"),
            ("rights", "right", "删除"),
            ("rights", "right", "撤回同意"),
            ("rights", "right", "注销账号"),
            ("rights", "right", "获取副本"),
        ],
        [],
    ),
    (
        "a section on the user's choices is about rights; an export is a copy (喜伴, tests/real/batch26)",
        "你的选择\n你可以导出本地文字数据备份、关闭自动同步,或由管理员删除整个云端婚礼空间。",
        [("rights", "right", "获取副本")],
        [],
    ),
    (
        "the host a page loads a file from receives the visitor's request (Ghost 中文, tests/real/batch19)",
        "默认主题\nGhost 自带的默认主题引入了 jQuery 文件,此文件位于 BootCDN 上。默认主题还包含了三个分享按钮。",
        [("recipients", "recipient", "bootcdn")],
        [],
    ),
    (
        "a place in the app (按钮位于…) is no host: 位于 counts after a file or resource",
        "默认主题\n设置按钮位于 Ghost 后台的右上角。",
        [],
        [("recipients", "recipient", "ghost")],
    ),
    (
        "measures a sentence lists are no data items (营图, tests/real/batch26)",
        "本应用已采取技术措施限制批量数据获取,包括但不限于地理范围限制、请求频率限制、返回行数限制等。",
        [],
        [("processing", "data_item", "请求频率限制"), ("processing", "data_item", "地理范围限制")],
    ),
    (
        "a right outside a rights section needs 可以/有权 (cainiao 9.3); 可能 is no 可",
        "如果您不希望自己的活动以这种方式被追踪,则可以随时从菜鸟的寄信名单中退订。您的个人信息有可能作为此类交易的一部分而被转移。",
        [("rights", "right", "退订")],
        [("rights", "right", "转移")],
    ),
    (
        "time limit of a right, numerals normalised (jd-express 6.2.2, 6.8.1)",
        "我们将在15个工作日内回复您的更正请求并完成核查与处理。我们将在十五个工作日内作出答复并完成核查与处理。",
        [("rights", "time_limit", "更正"), ("rights", "time_limit", "答复请求")],
        [],
    ),
    (
        "retention periods (jiapin, jd-express 5.2.1)",
        "例如《中华人民共和国电子商务法》要求商品和服务信息、交易信息保存时间自交易完成之日起不少于三年。"
        "您的个人信息我们将保存至您账号注销之日后的一个月。",
        [("processing", "retention", "不少于3年"), ("processing", "retention", "1个月")],
        [],
    ),
    (
        "transfers outside the mainland (jd-express 8., liqun)",
        "8.1 原则上,我们在中华人民共和国境内收集和产生的个人信息,将存储在中华人民共和国境内。"
        "8.2 目前我们在中国境内收集的个人信息存储、处理和分析在中国境内进行,不涉及跨境传输。"
        "如您使用跨境交易服务,且需要向境外传输您的个人信息完成交易的,我们会单独征得您的授权同意。",
        [
            ("processing", "cross_border", "境内存储"),
            ("processing", "cross_border", "不出境"),
            ("processing", "cross_border", "出境"),
        ],
        [],
    ),
    (
        "minor age (onewo, jd-express 11.3)",
        "尽管当地法律和习俗对儿童的定义不同,但我们将不满14周岁的的任何人均视为儿童。",
        [("processing", "minor_age", "儿童")],
        [],
    ),
    (
        "a policy that speaks of children's information gives no age (TTK File Explorer, tests/real/holdout2)",
        "本网站不会故意收集儿童个人信息;如发现误收集,将立即删除。",
        [("processing", "minor_age", "儿童")],
        [],
    ),
    (
        "children named but not their information: no fact",
        "本应用适合儿童与家长共同使用。",
        [],
        [("processing", "minor_age", "儿童")],
    ),
    (
        "impact assessment statement, not the 重大变更 template item (jd-express)",
        "我们建立了信息安全委员会,开展个人信息保护影响评估。\n本政策所指的重大变更包括但不限于:\n"
        "(1)个人信息共享、转让或公开披露的主要对象发生变化;\n(2)个人信息安全影响评估报告表明存在高风险时。",
        [("risk", "risk_assessment", "影响评估")],
        [],
    ),
    (
        "Latin-script names of third-party components (FlyEnv, tests/real)",
        "FlyEnv 网站可能使用 Cookie、本地存储、分析脚本和类似技术。这可能包括 Google Analytics 以及 Ko-fi 等第三方组件。",
        [("recipients", "recipient", "google analytics"), ("recipients", "recipient", "ko-fi")],
        [("recipients", "recipient", "cookie"), ("recipients", "recipient", "flyenv")],
    ),
    (
        "the policy's own product is no recipient (VlssuSkin, tests/real)",
        "在使用 VlssuSkin 的过程中，VlssuSkin（以下简称“我们”）可能会收集用户的一些隐私信息。\n"
        "## 我们使用的第三方服务\n为更好地提供服务，VlssuSkin 大量引入了第三方提供的服务。\n"
        "- Algolia：Privacy Policy\n  - 我们使用了 Algolia 的文档搜索服务（DocSearch）；",
        [("recipients", "recipient", "algolia"), ("recipients", "service", "algolia 文档搜索")],
        [
            ("recipients", "recipient", "vlssuskin"),
            ("recipients", "recipient", "privacy policy"),
            ("recipients", "recipient", "docsearch"),
        ],
    ),
    (
        "services a named provider gives, not a kind of provider (VlssuSkin, FlyEnv, tests/real)",
        "## 我们使用的第三方服务\n我们使用了腾讯云的域名解析（DNS）服务、内容分发网络（CDN）服务。\n"
        "Paddle、分析服务商、托管服务商和其他服务提供商可能会在您居住国家或地区以外处理信息。",
        [("recipients", "service", "腾讯云 域名解析"), ("recipients", "service", "腾讯云 内容分发网络")],
        [("recipients", "service", "paddle 分析"), ("recipients", "service", "paddle 托管")],
    ),
    (
        "a named service that collects the visitor's information itself (enlt, frxiaobei, tests/real)",
        "### 在访问时,本站内置的服务会获取你的信息:\n"
        "- Unpkg 会收集你的访问信息-busuanzi统计会收集你的访问信息-jsDelivr 会收集你的访问信息\n"
        "本站使用 Cloudflare 提供 CDN 加速。Cloudflare 可能收集基本的访问日志。GTM 本身不收集个人数据。",
        [
            ("recipients", "recipient", "unpkg"),
            ("recipients", "recipient", "jsdelivr"),
            ("recipients", "recipient", "cloudflare"),
        ],
        [("recipients", "recipient", "gtm")],
    ),
    (
        "a service that keeps or processes the information for us (MomentNote, ChronoGraph, tests/real)",
        "时光日记本隐私政策\n如果您选择启用 iCloud 同步功能，数据也会存储在您的 iCloud 账户中。\n"
        "内购通过 Apple 的 StoreKit 处理，我们不会接触您的付款方式或身份信息。",
        [("recipients", "recipient", "icloud"), ("recipients", "recipient", "apple")],
        [],
    ),
    (
        "a list of names after a line announcing third parties (Mozilla, tests/real)",
        "Firefox 隐私声明\n或查看以下我们默认的 DNS 解析器服务提供商：\nCloudflare\nNextDNS\n"
        "Firefox Suggest 会显示来自合作伙伴的建议。",
        [("recipients", "recipient", "cloudflare"), ("recipients", "recipient", "nextdns")],
        [("recipients", "recipient", "firefox suggest"), ("recipients", "recipient", "firefox")],
    ),
    (
        "a contact page or form named by its label, in traditional characters too (Lotto Bingo, tests/real batch18)",
        "聯繫管道\n對於本站之隱私權政策有任何疑問,請前往本站「聯絡我們」頁面提交表單。\n"
        "如需帮助,可通过 App 内“意见反馈”入口联系我们。",
        [("contact", "form", "联络我们"), ("contact", "form", "意见反馈")],
        [],
    ),
    (
        "a contact page spoken of outside a contact context is no channel",
        "本站页面使用 Cookie。您可以在帮助中心页面了解更多。",
        [],
        [("contact", "form", "帮助中心")],
    ),
    (
        "channels after a contact intro, up to the first line that names none (iBlackStone, tests/real)",
        "3. App使用遇到了无法解决的问题?\n请通过如下方式联系技术支持。\n电子邮件: 375976821@qq.com\n"
        "使用三方SDK\n统计分析\n隐私权政策链接: https://www.umeng.com/page/policy",
        [("contact", "email", "375976821@qq.com")],
        [("contact", "url", "umeng.com/page/policy")],
    ),
    (
        "a web address alone under a line naming a document is the document's (五月一科技, tests/real/holdout17)",
        "十三、如何联系我们\n如果您有任何疑问,您可以通过官网(https://youxi.xunlei.com/)的客服联系方式与我们联系。\n"
        "巨量引擎转化跟踪sdk隐私政策\nhttps://open.oceanengine.com/labels/7/docs/1708428054592516?origin=left_nav",
        [("contact", "url", "youxi.xunlei.com")],
        [("contact", "url", "open.oceanengine.com/labels/7/docs/1708428054592516?origin=left_nav")],
    ),
    (
        "an SDK record's 运营方 is the SDK's operator (iBlackStone, tests/real)",
        "一、第三方SDK\n推送\nSDK名称:友盟推送SDK\n使用目的:进行APP消息推送\n运营方:友盟同欣(北京)科技有限公司",
        [("recipients", "sdk", "友盟同欣(北京)科技有限公司")],
        [("controller", "entity", "友盟同欣(北京)科技有限公司")],
    ),
    (
        "a record numbered field by field: its 运营方 is still the SDK's",
        "第三方SDK\n1. SDK名称:友盟推送SDK\n2. 使用目的:进行APP消息推送\n3. 运营方:友盟同欣(北京)科技有限公司",
        [("recipients", "sdk", "友盟推送")],
        [("controller", "entity", "友盟同欣(北京)科技有限公司")],
    ),
    (
        "words that point at an SDK are no SDK's name (AI 发型, tests/real)",
        "若该SDK向境外传输个人信息,我们将按本条对境外SDK进行评估,并定期审查第三方SDK。我们接入了极光推送SDK。",
        [("recipients", "recipient", "极光推送")],
        [
            ("recipients", "sdk", "若该"),
            ("recipients", "sdk", "按本条对境外"),
            ("recipients", "sdk", "定期审查第三方"),
        ],
    ),
    (
        "an SDK the text rules out is none (你喝, tests/real/batch7)",
        "应用不要求注册账号,不接入广告 SDK,也不接入第三方统计或分析 SDK。我们接入了极光推送SDK。",
        [("recipients", "sdk", "极光推送")],
        [
            ("recipients", "sdk", "我们接入了极光推送"),
            ("recipients", "sdk", "不接入广告"),
            ("recipients", "sdk", "广告"),
            ("recipients", "sdk", "分析"),
        ],
    ),
    (
        "an SDK denied in the past tense is none either (LocalPage, tests/real/holdout27)",
        "LocalPage 未集成任何第三方统计、广告或社交 SDK。App 没有接入分析 SDK。我们接入了极光推送SDK。",
        [("recipients", "sdk", "极光推送")],
        [("recipients", "sdk", "社交"), ("recipients", "sdk", "分析")],
    ),
    (
        "what the policy says it does not build or include is no purpose or service (Melo, tests/real/holdout27)",
        "我们不构建用户画像、不投放广告。\n## 我们使用的第三方服务\n我们使用了腾讯云的内容分发网络（CDN）服务。\n"
        "当前版本不包含腾讯云的崩溃上报服务。",
        [("recipients", "service", "腾讯云 内容分发网络")],
        [("processing", "purpose", "用户画像"), ("recipients", "service", "腾讯云 崩溃上报")],
    ),
    (
        "kept on the user's own device is kept by no one (Talo, tests/real/batch21; MacHelper Pro, batch25)",
        "Talo 新安装的数据保存在本机。Secure Pocket 会把笔记存放在 Mac 上的本地加密保险库中。备份存储在您的 iCloud 账户中。",
        [("recipients", "recipient", "icloud")],
        [("recipients", "recipient", "talo"), ("recipients", "recipient", "secure pocket")],
    ),
    (
        "a service the text rules out or puts out of scope is no recipient (Capsoul, tests/real/batch11)",
        "本政策不适用于 Codex、ChatGPT 等第三方服务。我们不会向 Google 发送数据。统计服务由第三方 Umami 提供。"
        "第三方广告:用户可以访问 Ads Settings 选择退出个性化广告。",
        [("recipients", "recipient", "umami")],
        [
            ("recipients", "recipient", "codex"),
            ("recipients", "recipient", "chatgpt"),
            ("recipients", "recipient", "google"),
            ("recipients", "recipient", "ads settings"),
        ],
    ),
    (
        "what an app is based on is no part of the SDK's name (融云 SealTalk, tests/real/batch27)",
        "融云IM是基于融云SDK开发的即时通讯应用。",
        [("recipients", "sdk", "融云")],
        [("recipients", "sdk", "融云im是基于融云")],
    ),
    (
        "reaching a site or a resource of the device is no right of access (ToMemo, tests/real/batch19)",
        "您的权利\n您可以访问官网了解新功能。开启后应用可以访问剪贴板。",
        [],
        [("rights", "right", "查阅")],
    ),
    (
        "in a section on rights, 访问 your information is one",
        "您的权利\n您可以访问您的个人信息。",
        [("rights", "right", "查阅")],
        [],
    ),
    (
        "permissions the policy does not ask for are none (心动围城, tests/real/batch25)",
        "当前版本不申请位置、相册、相机、通讯录、麦克风等敏感权限。拍照功能需要相机权限。",
        [("processing", "permission", "相机")],
        [("processing", "permission", "位置"), ("processing", "permission", "麦克风")],
    ),
    (
        "a support page the user is sent to is a channel (心动围城, tests/real/batch25)",
        "如需联系支持,请查看支持页面。",
        [("contact", "form", "支持")],
        [],
    ),
    (
        "storage on the device and file formats name no one (CodeBook, batch25; Zinc, batch21, tests/real)",
        "密码哈希和盐值存储在 EncryptedSharedPreferences 中。命令行、JSONL 和第三方状态文件可能包含敏感信息。",
        [],
        [("recipients", "recipient", "encryptedsharedpreferences"), ("recipients", "recipient", "jsonl")],
    ),
    (
        "an API address in a contact section is no channel",
        "联系我们\n节假日数据接口: https://timor.tech/api/holiday/year\n邮箱: help@example.cn",
        [("contact", "email", "help@example.cn")],
        [("contact", "url", "timor.tech/api/holiday/year")],
    ),
    (
        "items a collection sentence lists, as written (CLA Sign, tests/real/batch6)",
        "当您作为社区管理员登录,我们收集您的**Gitee ID**、Gitee组织名、**Github ID**、**邮箱验证码**。",
        [
            ("processing", "data_item", "Gitee ID"),
            ("processing", "data_item", "Gitee组织名"),
            ("processing", "data_item", "邮箱验证码"),
        ],
        [("processing", "data_item", "社区管理员登录")],
    ),
    (
        "items listed under an intro line (DanChi, tests/real/batch6)",
        "收集的信息\n本地保存的数据包括:\n- 学习过的单词。\n- FSRS 卡片状态、到期时间、今日学习清单和复习反馈。\n"
        "这些数据只保存在您的设备上,我们不会上传到任何服务器,也不会与任何第三方共享,您可以随时删除它们。",
        [
            ("processing", "data_item", "FSRS卡片状态"),
            ("processing", "data_item", "今日学习清单"),
            ("processing", "data_item", "复习反馈"),
        ],
        [("processing", "data_item", "学习过的单词"), ("processing", "data_item", "任何第三方共享")],
    ),
    (
        "items listed under a heading that asks what is read (Codex Praetor, tests/real/batch39)",
        "# 它会读取什么\n你自己创建的本地配置,例如 config\\local.json。\n运行任务时由你选择的 worker 输出目录和任务状态文件。\n"
        "# 联系\n本页的问题和任务状态,请提交 issue。",
        [("processing", "data_item", "任务状态文件")],
        [("processing", "data_item", "任务状态")],
    ),
    (
        "purposes listed under a heading about the use of information, as written (JETJETJET, batch37)",
        "## 数据使用目的\n提供核心功能:实现实时3D显示、录制回放。\n为了遵从相关法律法规的要求。\n"
        "例如:我们会分析崩溃日志。\nProvide & Improve: insights.\n## 权限与用途\n相机:用于扫码。",
        [("processing", "use", "提供核心功能"), ("processing", "use", "为了遵从相关法律法规的要求")],
        [
            ("processing", "use", "例如"),
            ("processing", "use", "Provide & Improve"),
            ("processing", "use", "相机"),
        ],
    ),
    (
        "a purpose and what it serves, and one naming its service in parentheses (GigAlpha, holdout31)",
        "## 資料使用目的\n我們可能將收集之資訊用於以下目的:\n執行雲端備份與還原(透過 Google Drive API)。\n"
        "核對 VIP/加值使用者身分,以提供對應之功能權益(例如略過廣告觀看要求)。\n我們會分析錯誤,並改善服務。",
        [
            ("processing", "use", "执行云端备份与还原(透过Google Drive API)"),
            ("processing", "use", "核对VIP/加值使用者身分"),
        ],
        [("processing", "use", "我们会分析错误")],
    ),
    (
        "a service data is kept in step with receives it, the user's own devices do not (YesBoss, holdout31)",
        "## 信息收集与使用\n如果您使用 Game Center 功能,成就和排行榜数据将与 Apple 的 Game Center 服务同步。\n"
        "您的笔记会与您的其他设备同步。",
        [("recipients", "recipient", "apple")],
        [("recipients", "recipient", "其他设备")],
    ),
    (
        "a company welcomed to is named without the welcome; an address after Email: is a channel (holdout31)",
        "歡迎使用台灣圖靈鏈股份有限公司(以下簡稱「本公司」)所提供之服務。\n隱私權政策之修正\n"
        "如您有任何意見,請立即與服務人員聯繫\nEmail: apac@turingchain.tech。",
        [("controller", "entity", "台湾图灵链股份有限公司"), ("contact", "email", "apac@turingchain.tech")],
        [("controller", "entity", "欢迎使用台湾图灵链股份有限公司")],
    ),
    (
        "items named by their labels under an intro that goes on after a comma (謎之輸入法, batch60)",
        "## 儲存在您裝置本機的資料\n以下資料僅儲存在您裝置的應用程式私有空間，不會離開您的裝置：\n"
        "備份檔案：您於「備份與還原」主動匯出的設定備份檔，內容與上述資料相同，儲存於您指定的位置。\n"
        "剪貼簿歷史：剪貼簿功能會在本機記錄最近複製的文字。",
        [("processing", "data_item", "备份档案"), ("processing", "pi_type", "剪切板")],
        [("processing", "data_item", "您于「备份与还原」主动汇出的设定备份档")],
    ),
    (
        "a permission table's rows named by the platform's constants (环信 Easemob, tests/real/batch59)",
        "隐私政策\n一、相关系统权限申请\n保持后台运行(WAKE_LOCK):最大程度保证长链接心跳投递。\n"
        "使用 android.permission.CAMERA 拍照。\n麦克风(RECORD_AUDIO):发送语音消息。\n平台(IOS)仅限苹果设备。\n",
        [
            ("processing", "permission", "wake_lock"),
            ("processing", "permission", "camera"),
            ("processing", "permission", "record_audio"),
        ],
        [("processing", "permission", "ios")],
    ),
    (
        "waking the app by itself or from another one is a permission, unless denied (Easemob, batch59)",
        "隐私政策\n一、自启动和关联启动说明\n为了实现消息接收功能,我们可能需要通过安卓系统发送广播唤醒您的应用自启动或关联启动。",
        [("processing", "permission", "自启动")],
        [],
    ),
    (
        "an app that says it does not start by itself asks nothing",
        "隐私政策\n一、权限\n本应用不会自启动,也不会被其他应用唤醒。",
        [],
        [("processing", "permission", "自启动")],
    ),
    (
        "a key of code and a manifest's file name are no recipients (豆门 Doumen, tests/real/batch58)",
        "三、第三方SDK\n友盟 SDK 自带的 PrivacyInfo.xcprivacy 声明 NSPrivacyCollectedDataTypeAdvertisingData,"
        "数据会共享给 Umeng。",
        [("recipients", "recipient", "umeng")],
        [
            ("recipients", "recipient", "privacyinfo.xcprivacy"),
            ("recipients", "recipient", "nsprivacycollecteddatatypeadvertisingdata"),
        ],
    ),
    (
        "a purpose of a service the sentence says is not used (IPcamVision Pro, tests/real/batch45)",
        "一、概要\n我们不收集任何个人数据,也不使用分析工具、广告跟踪器或任何画像服务。",
        [],
        [("processing", "purpose", "用户画像")],
    ),
    (
        "the party an agreement binds with the user is the operator, and no recipient (TouchGal, batch32)",
        "一、特别提示\n在注册 TouchGal 之前,请认真阅读本《TouchGal 用户服务协议》。本协议约定 TouchGal 与用户之间"
        "关于服务的权利义务。\n二、服务\nTouchGal 可能会向第三方 TouchGal 提供您的信息,也可能与 Google 共享您的设备信息,"
        "详见《Google 隐私政策》。",
        [("controller", "entity", "touchgal"), ("recipients", "recipient", "google")],
        [("recipients", "recipient", "touchgal")],
    ),
    (
        "who bears no liability is given nothing (NB优选, tests/real/batch38), unless the sentence shares",
        "七、责任限制\n在任何情况下,NB优选及其董事、员工、合作伙伴、代理、供应商或关联公司均不对因您使用服务而产生的损害负责。\n"
        "八、共享\n我们会与 Google 共享您的设备信息,但不对 Google 的行为承担责任。",
        [("recipients", "recipient", "google")],
        [("recipients", "recipient", "nb")],
    ),
    (
        "the site third parties' advertisements appear on is the policy's own (One Future, tests/real/batch40)",
        "三、广告合作伙伴\n第三方广告服务器使用 cookie 等技术,这些技术用于其各自的广告和出现在 One Future Web 上的链接。",
        [("recipients", "recipient_kind", "广告合作伙伴")],
        [("recipients", "recipient", "one future")],
    ),
    (
        "purposes a sentence lists after 用于:, up to a denial (仕舟公考, tests/real/batch28)",
        "四、手机号收集方式与用途\n手机号仅用于:账号注册与登录识别、账号安全验证、必要的服务联系,以及提升用户使用体验,"
        "不会用于与本服务无关的用途。",
        [
            ("processing", "use", "账号注册与登录识别"),
            ("processing", "use", "必要的服务联系"),
            ("processing", "use", "提升用户使用体验"),
        ],
        [("processing", "use", "手机号仅用于"), ("processing", "use", "不会用于与本服务无关的用途")],
    ),
    (
        "purposes listed after a line that introduces them, on its lines or as bullets (银河麒麟, holdout10)",
        "2. 信息的处理\n我们会将收集的信息用于以下用途:\n- 产品功能:主要涉及产品许可机制。\n- 安全保障:协助提升产品的安全性。\n"
        "3. 其他\n我们会将收集的信息用于以下用途:\n产品改进:改进易用性。\n4. 联系我们\n客服邮箱:a@example.cn",
        [
            ("processing", "use", "产品功能"),
            ("processing", "use", "安全保障"),
            ("processing", "use", "产品改进"),
            ("contact", "email", "a@example.cn"),
        ],
        [("processing", "use", "客服邮箱")],
    ),
    (
        "a law a sentence opens with is no operator (我记 MeMemo, tests/real/batch11)",
        "数据控制者\n就欧盟《通用数据保护条例》(GDPR)及英国GDPR而言,处理与我记MeMemo相关个人信息的数据控制者为:\n"
        "Aaron Yu(独立开发者)",
        [("controller", "entity", "aaron yu")],
        [("controller", "entity", "就欧盟《通用数据保护条例》")],
    ),
    (
        "items listed as bullets under a heading that asks what is collected",
        "## 我们收集哪些信息?\n- 设备型号、系统版本。\n- 崩溃堆栈和日志级别。\n## 联系我们\n邮箱:help@example.cn",
        [("processing", "data_item", "崩溃堆栈"), ("processing", "data_item", "日志级别")],
        [],
    ),
    (
        "items after 信息,包括 in a sentence about providing (Find360, tests/real/batch7)",
        "在某些区域,用户会被要求提供个人相关信息,包括实时地理位置、通讯录、HealthKit、CareKit API等。",
        [("processing", "data_item", "HealthKit"), ("processing", "data_item", "CareKit API")],
        [],
    ),
    (
        "items of information a sentence says it does not ask for (宝宝记录者, tests/real/batch29)",
        "1. 我们收集的信息\n宝宝记录者不会要求您出示任何个人信息(包括但不限于姓名,性别,邮箱,手机号,住址等)。",
        [],
        [("processing", "data_item", "住址等)")],
    ),
    (
        "items put somewhere with 把 (Only Tools Web, tests/real/batch22), not where that is denied",
        "API Key Tester 默认会把 key、endpoint、model、备注和并发设置存入本设备该浏览器的 localStorage。"
        "我们不会把您的草稿、批注上传到服务器。",
        [
            ("processing", "data_item", "endpoint"),
            ("processing", "data_item", "备注"),
            ("processing", "data_item", "并发设置"),
        ],
        [("processing", "data_item", "草稿"), ("processing", "data_item", "批注")],
    ),
    (
        "a kind of information and its items, in a section about collecting (Capsoul, tests/real/batch11)",
        "1. 我们收集的信息\n账户与认证信息:邮箱、显示名称、头像地址、登录方式。\n"
        "Personal 胶囊控制数据:经过哈希的胶囊标识、预约与提交状态、加密包完整性值、预定开启时间。\n"
        "使用说明:我们会在你开启胶囊时提醒你、关闭提醒。",
        [
            ("processing", "data_item", "显示名称"),
            ("processing", "data_item", "登录方式"),
            ("processing", "data_item", "提交状态"),
            ("processing", "data_item", "加密包完整性值"),
            ("processing", "data_item", "预定开启时间"),
        ],
        [("processing", "data_item", "关闭提醒")],
    ),
    (
        "items after 信息,例如 in a sentence about processing (DevLite, tests/real/batch20)",
        "一、我们收集的信息\n用户主动选择并修改的页面元素信息,例如 CSS 属性修改、文本修改、描述需求和元素摘要。",
        [("processing", "data_item", "文本修改"), ("processing", "data_item", "描述需求")],
        [],
    ),
    (
        "a kind of information and its items outside a section about collecting is no list of what is collected",
        "5. 保留与删除\n临时内容:上传会话、投递状态。",
        [],
        [("processing", "data_item", "上传会话"), ("processing", "data_item", "投递状态")],
    ),
    (
        "a platform opening a line of the contact section is no recipient (NJUST 生存手册, tests/real/batch8)",
        "7.联系我们\n邮箱:help@example.cn\n微信扫码赞赏\n三、共享\n微博\n我们会向上述平台提供您的分享内容。",
        [("contact", "email", "help@example.cn")],
        [("recipients", "recipient", "微信")],
    ),
    (
        "no items: a lexicon type, a denial, prose",
        "我们收集您的手机号码、昵称。我们不会收集您的通话记录、短信内容。我们会保存您的信息,用于提供服务和保障安全。",
        [("processing", "pi_type", "手机号码")],
        [
            ("processing", "data_item", "手机号码"),
            ("processing", "data_item", "短信内容"),
            ("processing", "data_item", "提供服务"),
        ],
    ),
    (
        "purposes beyond the service, not where ruled out (UCloud, tests/real)",
        "3.1.2 分析您使用我们服务的情况，以便为您提供更加周到的个性化服务，包括但不限定制化页面、推荐等。\n"
        "3.3 我们不会将您的个人信息用于营销推广。",
        [("processing", "purpose", "个性化推荐")],
        [("processing", "purpose", "营销推广")],
    ),
    (
        "the app names the company that runs it, 由(…)负责运营 (监控相机, tests/real batch10)",
        "本应用(监控相机)完全由(刘平平)自主研发,由(邵阳大科办公设备有限公司)负责运营,请您仔细阅读我们的隐私政策。",
        [("controller", "entity", "邵阳大科办公设备有限公司")],
        [],
    ),
    (
        "permissions listed as items of a section about them (BabyMo, tests/real batch11)",
        "二、设备权限\n- 相机:拍摄宝宝头像\n- 相册:选择和保存照片\n所有权限都可以在系统设置中随时关闭。",
        [("processing", "permission", "相机"), ("processing", "permission", "相册")],
        [],
    ),
    (
        "a browser extension's permissions listed by their own names (Vindows, tests/real/batch21)",
        "扩展需要的权限与用途\n- tabs / activeTab:定位当前标签页,向其发送检测指令。\n- scripting:注入内容脚本以检测页面视频元素。\n"
        "- host_permissions(<all_urls>):允许在大多数网页上运行检测逻辑。\n- LocalScreen 可能会请求以下系统权限:\n"
        "- webRequest 和 webRequestBlocking:支持用户配置并启用的规则在本地执行请求头操作。",  # Flamingo, batch39
        [
            ("processing", "permission", "webrequest"),
            ("processing", "permission", "webrequestblocking"),
            ("processing", "permission", "tabs"),
            ("processing", "permission", "activetab"),
            ("processing", "permission", "scripting"),
            ("processing", "permission", "host_permissions"),
        ],
        [("processing", "permission", "localscreen")],
    ),
    (
        "a permission word that opens no item of such a section is none",
        "二、设备权限\n我们会在您拍照前提示您。",
        [],
        [("processing", "permission", "相机")],
    ),
    (
        "在 X,我们…: the policy's own product, no recipient (SwiftTrans, tests/real batch11)",
        "在 SwiftTrans,我们高度重视您的隐私。\n翻译服务\n除必要地传输给第三方翻译提供商外,SwiftTrans 不会与第三方共享您的文本。",
        [],
        [("recipients", "recipient", "swifttrans")],
    ),
    (
        "在 X,我们… names the product wherever the line is, under a heading of its own too (SwiftTrans, "
        "its page's <h2> headings read, tests/real batch11)",
        "隐私政策\n最后更新:2026年1月\n一、引言\n在 SwiftTrans,我们高度重视您的隐私。\n二、翻译服务\n"
        "除必要地传输给第三方翻译提供商外,SwiftTrans 不会在任何外部服务器上存储您提交的文本。",
        [],
        [("recipients", "recipient", "swifttrans")],
    ),
    (
        "a section on visiting the official site is none about rights, for facts as for topics (Clash, "
        "tests/real/batch27)",
        "官网访问\n您可以访问我们的官网了解更多,官网使用 Google Analytics 统计访问量。",
        [],
        [("rights", "right", "查阅")],
    ),
    (
        "本政策说明 X…: the product the policy covers, wherever the line is (Talo, tests/real/batch21)",
        "隐私政策\nEnglish | 简体中文\n生效日期:2026 年 8 月 13 日\n本政策说明 Talo 如何处理数据,包括兼容插件。\n"
        "三、网络和数据共享\nCodex 或其他宿主程序可能按照自己的隐私条款处理用户提示。",
        [],
        [("recipients", "recipient", "talo")],
    ),
    (
        "the site the user is said to visit is the policy's own (an AnHeYu theme's blog, tests/real/holdout19)",
        "隐私政策\n本站非常重视用户的隐私和个人信息保护。你在使用网站时,可能会收集和使用你的相关信息。"
        "通过《隐私政策》向你说明在你访问 A-B.CC网站时,如何收集、使用、保存、共享和转让这些信息。\n"
        "第三方服务\n本站使用 Cloudflare 提供 CDN 服务,Cloudflare 会收集你的 IP 地址。",
        [("recipients", "recipient", "cloudflare")],
        [("recipients", "recipient", "a-b.cc")],
    ),
    (
        "the company a definition of 我们 names is the operator (万啄, tests/real/batch29)",
        "附录1:相关名词解释\n我们、万啄:指北京万啄网络科技有限公司或其关联公司。",
        [("controller", "entity", "北京万啄网络科技有限公司")],
        [],
    ),
    (
        "a plan of the product and a cipher are no one's names (Capsoul, tests/real batch11)",
        "储存与服务提供商\nPersonal 胶囊使用 AES-256-GCM 在设备上加密,我们不会与第三方共享。",
        [],
        [("recipients", "recipient", "aes-256-gcm"), ("recipients", "recipient", "personal")],
    ),
    (
        "a list of recipients whose items are labelled by name (Bookra, tests/real batch12)",
        "服务提供商\n我们可能会与协助我们运营应用的可信服务提供商共享您的信息:\n- Supabase:数据库和身份验证服务\n"
        "- AI 服务提供商:用于生成书籍分析和推荐\n- Apple:用于应用内购买处理",
        [("recipients", "recipient", "supabase"), ("recipients", "recipient", "apple")],
        [("recipients", "recipient", "ai")],
    ),
    (
        "after 以下第三方服务, an item labelled by the party it is names that party (Eranos, tests/real batch22)",
        "第三方服务\n本应用可能会与以下第三方服务进行交互:\n- Nostr 中继:用于读取和发布事件\n"
        "- 闪电网络 / NWC:如果您选择使用,则用于处理 zap 支付",
        [("recipients", "recipient", "nostr中继"), ("recipients", "recipient", "闪电网络/nwc")],
        [],
    ),
    (
        "a list after a line naming an SDK is no list of parties (Hippy SDK, tests/real batch17)",
        "更新说明\n我们对《Hippy SDK隐私保护指引》进行了更新,更新内容主要为:\n尊敬的开发者:您好,我们移除了剪切板module",
        [],
        [("recipients", "recipient", "尊敬的开发者")],
    ),
    (
        "a service run by another company is no operator of the policy",
        "地图服务由北京百度网讯科技有限公司运营。",
        [],
        [("controller", "entity", "北京百度网讯科技有限公司")],
    ),
    (
        "a government named as one to whom information is disclosed (LotteryBot, tests/real/batch18)",
        "三、我们如何分享信息\n以下情形中,我们分享您的个人信息无需事先征得您的同意:\n"
        "政府或公安机关依照法律要求我们披露的;",
        [("recipients", "recipient_kind", "监管机关")],
        [],
    ),
    (
        "PII is personal information, no recipient's name (Login.gov zh, tests/real/batch18)",
        "即便在我们与第三方分享上述信息时,我们也无法访问你提交的PII。",
        [],
        [("recipients", "recipient", "pii")],
    ),
    (
        "the company running a third party's service, in a section on third parties, is no operator (词易, batch19)",
        "六、第三方服务\n6.1 穿山甲广告联盟\n提供广告投放服务。\n运营方：北京巨量引擎网络技术有限公司",
        [("recipients", "recipient", "北京巨量引擎网络技术有限公司")],
        [("controller", "entity", "北京巨量引擎网络技术有限公司")],
    ),
    (
        "开发公司 in the contact section names the operator (词易, tests/real/batch19)",
        "## 12. 联系我们\n请通过以下方式联系我们：\n开发公司：广州嘉贞云杉跨境电商贸易有限公司\n开发者邮箱：284699931@qq.com",
        [("controller", "entity", "广州嘉贞云杉跨境电商贸易有限公司")],
        [],
    ),
    (
        "Android's All files access is a permission of its own (Memex, tests/real/batch19)",
        '在 Android 11 及以上版本中,本应用会请求"所有文件访问"(MANAGE_EXTERNAL_STORAGE)权限,以便在您选择的文件夹中读写工作区文件。',
        [("processing", "permission", "所有文件访问")],
        [],
    ),
    (
        "an individual developer who runs the app is its operator (到哪了, tests/real/batch11)",
        '欢迎使用「到哪了」。本应用由独立开发者 Evan Feng(以下简称"开发者"或"我们")开发和运营。\n'
        "开发者:Aaron Yu(独立开发者)",
        [("controller", "entity", "evan feng"), ("controller", "entity", "aaron yu")],
        [],
    ),
    (
        "a protocol or a technology named in Latin letters is no recipient (API调试助理, tests/real/batch17)",
        "我们不会解密、记录、存储、分享您的网络数据,而是将捕获到数据通过Socks5协议转发给第三方调试程序。\n"
        "我们使用Tun2Socks技术,将您设备的流量转发至第三方调试工具。",
        [],
        [("recipients", "recipient", "socks5"), ("recipients", "recipient", "tun2socks")],
    ),
    (
        "a file format named by its extension is no recipient (Privasa, tests/real/batch24)",
        "导出、导入与分享\n您可以将数据导出为加密的 ZIP 备份文件,或分享给 Google Drive。",
        [("recipients", "recipient", "google drive")],
        [("recipients", "recipient", "zip")],
    ),
    (
        "an edition of the policy's own SDK is no third-party SDK (Hippy SDK, tests/real/batch17)",
        "3. Hippy SDK Harmony版\nHarmony版SDK不会为实现SDK产品功能而收集个人信息。",
        [],
        [("recipients", "sdk", "harmony版"), ("recipients", "recipient", "harmony")],
    ),
    (
        "a name in Latin letters the policy defines as itself is the operator (GDPAY, tests/real/batch29)",
        "GDPAY（以下称 “公司”）是一家在新加坡注册成立的公司。\nWooMai Labs（以下简称“我们”）非常重视您的隐私。"
        "\n万能任务App（以下简称“我们”）提供任务服务。",
        [("controller", "entity", "gdpay"), ("controller", "entity", "woomai labs")],
        [("controller", "entity", "app")],
    ),
    (
        "services named by a lowercase word and their kind collect, each of them (DiamondPie, tests/real/batch31)",
        "一、访问\n在访问时，本站内置的第三方服务可能会获取你的以下信息：\n"
        "vercount 统计和 51la 统计可能会收集你的访问信息（你的访问量等）\napi 服务会获取你的请求",
        [("recipients", "recipient", "vercount"), ("recipients", "recipient", "51la")],
        [("recipients", "recipient", "api")],
    ),
    (
        "a component that shows web pages is no recipient (数据小助手, tests/real/holdout8)",
        "第三方服务\n如本应用使用了第三方服务,这些服务对于信息的使用不包括在本协议内。我借用webView做了这个简单的小程序。",
        [],
        [("recipients", "recipient", "webview")],
    ),
    (
        "identifiers an SDK collects are no recipients (a game's SDK list, tests/real/batch17)",
        "第三方SDK\n友盟SDK收集设备信息,包含有:设备型号,IMEI,SSID,BSSID,GUID,AndroidID,软件安装列表。"
        "\n应用信息,包含有:应用Team ID(iOS)、Advertising ID、Bundle ID。",
        [("recipients", "sdk", "友盟")],
        [
            ("recipients", "recipient", n)
            for n in ("ssid", "bssid", "guid", "androidid", "team", "advertising", "bundle")
        ],
    ),
    (
        "a greeting heading names no right, a contact section's lines no data (青序栈, JAF, tests/real/batch33)",
        "欢迎访问 青序栈\n本隐私协议描述了我们如何收集、使用、存储和保护您在访问和使用我们网站时提供的信息。\n"
        "联系方式\n如有隐私相关问题，请通过以下方式联系美国司法可及基金会：\n美国司法可及基金会\n[联系邮箱—待定]",
        [],
        [("rights", "right", "查阅"), ("processing", "data_item", "美国司法可及基金会")],
    ),
    (
        "a version, a file and a verb run into an SDK's name name no one (Tencent Hippy SDK, tests/real/batch17;"
        " AstrBot Android, tests/real/batch20)",
        "更新说明\n为了优化Hippy SDK 功能体验，提升Hippy SDK安全防护能力，我们移除了剪切板module，"
        "升级后的Hippy SDK 版本为 Android v3.2.0，iOSv3.2.0。\n权限\n前台服务权限（见 AndroidManifest.xml）"
        "用于保持服务运行，我们将与第三方共享。",
        [],
        [("recipients", "recipient", n) for n in ("iosv3.2.0", "ios", "androidmanifest.xml")]
        + [("recipients", "sdk", n) for n in ("优化hippy", "提升hippy", "优化Hippy", "提升Hippy")],
    ),
    (
        "a consent the user may take back and a complaint to an authority are rights, wherever said"
        " (gantts.app, tests/real/batch36)",
        "Cookie 与统计\n统计的依据是你依《个人信息保护法》作出的同意，你可以随时撤回；如果你认为自己的权益"
        "未被尊重，可以向网信部门等主管机关反映。",
        [("rights", "right", "撤回同意"), ("rights", "right", "投诉")],
        [],
    ),
    (
        "what the operator may tell an authority or cancel is no user's right",
        "使用规范\n对违法发布的内容，我们可以向有关部门反映。如您不同意，我们可以撤销该订单。",
        [],
        [("rights", "right", "投诉"), ("rights", "right", "撤回同意")],
    ),
    (
        "what the operator has the right to do, or may report to an authority, is no user's right;"
        " the user's beside it is",
        "使用规范\n发现违法行为的，我们可以向有关部门举报。我们有权拒绝访问个人信息副本的请求。\n"
        "您有权删除您的个人信息。",
        [("rights", "right", "删除")],
        [("rights", "right", "投诉"), ("rights", "right", "获取副本"), ("rights", "right", "查阅")],
    ),
    (
        "the scope of what the AI may read (访问范围) names no right of access (Loci, tests/real/batch39)",
        "您的权利\n我想控制 AI 的访问范围\n您可以删除您的数据。",
        [("rights", "right", "删除")],
        [("rights", "right", "查阅")],
    ),
    (
        "the places a request is sent to are recipients, a maker's name with its product's among them; marketing"
        " in zh-TW words (行銷, read in simplified characters) is marketing (Awe SubTranslate, tests/real/batch39;"
        " 宝宝记录者, batch29)",
        "第三方服务\n根据用户选择，翻译请求可能发送至：\n- DeepL\n- 智谱 GLM\n我们收集的数据类型\n"
        "设备ID：用于开发者广告或行销内容、分析以及追踪目的。",
        [
            ("recipients", "recipient", "deepl"),
            ("recipients", "recipient", "智谱glm"),
            ("processing", "purpose", "营销推广"),
        ],
        [],
    ),
    (
        "an address masked for robots is the address, and the contact link beside it the site's"
        " (XposedOrNot, tests/real/batch36)",
        "如何联系我\n请通过以下联系方式与我联系：\n电子邮件：deva[@]xposedornot.com\n"
        "客服邮箱：help(at)example.cn\n投诉邮箱：report @ example.cn\n推特：[德瓦违约](https://twitter.com/devaonbreaches)",
        [
            ("contact", "email", "deva@xposedornot.com"),
            ("contact", "email", "help@example.cn"),
            ("contact", "email", "report@example.cn"),
        ],
        [("contact", "url", "xposedornot.com"), ("contact", "link", "twitter.com/devaonbreaches")],
    ),
    (
        "a provider named in parentheses after its kind is a recipient (Welight, tests/real/batch48)",
        "当您使用默认图床功能上传图片时,您的图片将被上传至第三方图床服务提供商(ImgBB)的服务器。"
        "密码保存在钥匙串(Keychain)中。",
        [("recipients", "recipient", "imgbb")],
        [("recipients", "recipient", "keychain")],
    ),
    (
        "the product 'we' provide is the policy's own, no recipient (YoLo / Fish, tests/real/batch51)",
        "一、导言\nFish 是一款由 YoLo（以下简称“我们”）提供的产品。我们会将崩溃日志分享给 Fish 与 Bugly 用于排查问题。",
        [("recipients", "recipient", "腾讯bugly")],
        [("recipients", "recipient", "fish")],
    ),
    (
        "a service the app works through, named in Latin letters, is a recipient (Deadliner, tests/real/batch51)",
        "本应用通过 AppGalleryConnect 提供的“用华为账号登录”接口作为用户身份认证的唯一手段。",
        [("recipients", "recipient", "appgalleryconnect")],
        [],
    ),
    (
        "a feature the user uses is no recipient (Deadliner's Lifi AI, tests/real/batch51)",
        "Deadliner 隐私政策\n一、适用范围\n本政策适用于 Deadliner 的全部功能。\n二、Lifi AI（可选功能，需用户自备第三方服务）\n"
        "使用 Lifi AI 时，文本发送至 DeepSeek 的模型服务。",
        [("recipients", "recipient", "deepseek")],
        [("recipients", "recipient", "lifi")],
    ),
    (
        "a policy in traditional characters is read in simplified ones (shakagame, tests/real/batch56)",
        "我們會收集您的電子郵件地址和手機號碼。我們會與廣告合作夥伴共享您的裝置識別碼。",
        [
            ("processing", "pi_type", "电子邮件地址"),
            ("processing", "pi_type", "手机号码"),
            ("recipients", "recipient_kind", "广告合作伙伴"),
        ],
        [("processing", "pi_type", "住址")],
    ),
    (
        "the operator's right over its own text is no right of the user's (Receipt SN, tests/real/holdout20)",
        "條款修改權：我們保留隨時修改本政策之權利。您有權查閱您的個人資料。",
        [("rights", "right", "查阅")],
        [("rights", "right", "更正")],
    ),
    (
        "a unit after a number is no recipient (旅语翻译 TARS Travel, tests/real/holdout24)",
        "离线翻译模型约 1.28 GB,由第三方 Hugging Face 提供下载。",
        [("recipients", "recipient", "hugging face")],
        [("recipients", "recipient", "gb")],
    ),
]


@pytest.mark.parametrize(("name", "text", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_kinds(name: str, text: str, present: list[Any], absent: list[Any]) -> None:
    found = keys(text)
    assert [k for k in present if k not in found] == [], sorted(found)
    assert [k for k in absent if k in found] == []


# (HTML, facts that must be found, facts that must not be found): a page's <ul> under a numbered section,
# its items lines of the section
HTML_CASES: list[tuple[str, str, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = [
    (
        "what a list of what is not collected names is no permission or type (Mr.Memo, tests/real/batch24)",
        "<h2>3. 收集的信息</h2><p>我们只在您的设备上保存您输入的备忘录。</p>"
        "<h2>4. 不收集的信息</h2><p>本应用不收集以下信息（我们也不请求相应的硬件权限）：</p>"
        "<ul><li>相机、麦克风、相册访问权限</li><li>联系人、通话记录、短信</li></ul>"
        "<h2>5. 联系我们</h2><p>邮箱:a@example.cn</p>",
        [],
        [
            ("processing", "permission", "相机"),
            ("processing", "permission", "相册"),
            ("processing", "pi_type", "通信记录"),
            ("processing", "pi_type", "短信"),
        ],
    ),
    (
        "the items of a list of what is sent, each followed by what it is (Keeply, tests/real/batch23)",
        "<h2>我们不收集的数据</h2><p>我们不收集你的文件内容。</p>"
        "<h2>许可证验证时处理的数据</h2><p>为验证软件许可证,Keeply 会与 Keygen.sh 通信。传输的数据包括:</p>"
        "<ul><li>许可证密钥——确认许可证是否有效</li><li>机器指纹——设备的单向哈希标识符(无法反向推导设备信息)</li></ul>"
        "<h2>联系我们</h2><p>邮箱:a@example.cn</p>",
        [("processing", "data_item", "机器指纹"), ("processing", "data_item", "许可证密钥")],
        [("processing", "data_item", "设备的单向哈希标识符")],
    ),
    (
        "short items each followed by an example or its use (lua-language-server, tests/real/holdout17)",
        "<h2>收集的数据</h2><p>如果将 Lua.telemetry.enable 设置为 true,则将发送匿名的使用情况与错误堆栈给开发团队,包括:</p>"
        "<ul><li>随机令牌,用于计算在线用户数</li><li>插件版本,例如 2.2.0</li></ul>",
        [("processing", "data_item", "随机令牌"), ("processing", "data_item", "插件版本")],
        [("processing", "data_item", "2.2.0"), ("processing", "data_item", "例如2.2.0")],
    ),
    (
        "a list named before its verb, an item with a note in parentheses (PingCAP, tests/real/batch18)",
        "<h2>我们收集的个人信息</h2><p>我们会收集您的姓名。</p>"
        "<h2>我们收集的产品遥测数据</h2><p>以下为我们搜集的产品遥测数据类别：</p>"
        "<ul><li>集群相关硬件信息</li><li>集群配置信息(仅搜集配置项，不包含配置值)</li><li>集群使用指标信息</li></ul>"
        "<h2>联系我们</h2><p>邮箱:a@example.cn</p>",
        [("processing", "data_item", "集群相关硬件"), ("processing", "data_item", "集群使用指标")],
        [],
    ),
    (
        "the product a title names before a dash is the policy's own (LocalPage, tests/real/holdout27)",
        "<title>LocalPage – 隐私政策</title><h1>LocalPage – 隐私政策</h1><h2>8. 第三方服务</h2>"
        "<p>LocalPage 与第三方共享的唯一数据是购买凭证，由 Apple StoreKit 处理。</p>",
        [("recipients", "recipient", "apple storekit")],
        [("recipients", "recipient", "localpage")],
    ),
    (
        "what a list of what is collected names is",
        "<h2>3. 收集的信息</h2><p>我们只在您的设备上保存您输入的备忘录。</p>"
        "<h2>4. 其他信息</h2><p>本应用还收集以下信息（我们会请求相应的硬件权限）：</p>"
        "<ul><li>相机、麦克风、相册访问权限</li><li>联系人、通话记录、短信</li></ul>"
        "<h2>5. 联系我们</h2><p>邮箱:a@example.cn</p>",
        [("processing", "permission", "相机"), ("processing", "pi_type", "短信")],
        [],
    ),
]


@pytest.mark.parametrize(("name", "html", "present", "absent"), HTML_CASES, ids=[c[0] for c in HTML_CASES])
def test_kinds_in_html(name: str, html: str, present: list[Any], absent: list[Any]) -> None:
    found = set(facts(html, media_type="html").by_key())
    assert [k for k in present if k not in found] == [], sorted(found)
    assert [k for k in absent if k in found] == [], sorted(found)


def test_pi_type_attributes() -> None:
    by_key = facts("我们会收集您的人脸信息用于身份核验,并收集您的昵称。").by_key()
    face = by_key[("processing", "pi_type", "人脸信息")]
    assert face.attr("sensitive") == "yes"
    assert face.attr("purpose") == "身份核验"
    assert by_key[("processing", "pi_type", "昵称")].attr("sensitive") == "no"


def test_zhang_hao_variants_are_one_type() -> None:
    a = facts("当您注册时,我们会收集您的帐号和帐户名。").select("processing", "pi_type")
    b = facts("当您注册时,我们会收集您的账号和账户名。").select("processing", "pi_type")
    assert [f.value for f in a] == [f.value for f in b] == ["账号"]


@pytest.mark.parametrize(
    "text",
    [
        "我們將於收到您的請求後 15 個工作日內回覆。",  # 辰璣堂 (tests/real/batch25)
        "我们将于收到您的请求后15个工作日内回复。",
    ],
)
def test_a_time_limit_in_either_script(text: str) -> None:
    assert facts(text).by_key()[("rights", "time_limit", "答复请求")].attr("limit") == "15个工作日"


@pytest.mark.parametrize(
    ("text", "key", "limit"),
    [
        # cofacts (tests/real/batch23): counted from the request, the verb far after it; keyed by the
        # right its sentence names
        (
            "Cofacts WG 會在確認收到請求後的最遲三十天內,比對驗證寄件者電子郵件地址無誤,足證申請者為原個人資料當事人之後進行刪除或更換處理。",
            "删除",
            "30日",
        ),
        ("在收到您的申请后,我们将于三十日内验证您的身份。", "答复请求", "30日"),
        ("我们将在15天内完成核实并处理。", "答复请求", "15日"),
    ],
)
def test_a_time_limit_counted_from_the_request(text: str, key: str, limit: str) -> None:
    assert facts(text).by_key()[("rights", "time_limit", key)].attr("limit") == limit


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # wear-translator (tests/real/batch14): a kind of recipient the policy rules out
        ("我们不会与广告商或数据经纪商共享您的信息。", []),
        ("我们会与广告商共享您的设备信息。", ["广告合作伙伴"]),
        ("我们不会出售您的信息,但会与广告商共享统计数据。", ["广告合作伙伴"]),  # the denial ends at the comma
    ],
)
def test_a_kind_of_recipient_ruled_out_is_no_recipient(text: str, kinds: list[str]) -> None:
    assert [f.value for f in facts(text).select("recipients", "recipient_kind")] == kinds


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        # eranos (tests/real/batch22): a bare address with a top-level domain of today
        ("如有疑问,可以通过 soapbox.pub 联系我们。", ["soapbox.pub"]),
        ("如有疑问,可以通过 goblin.st/team 联系我们。", ["goblin.st/team"]),
        ("如有疑问,请访问 privacy.qq.com 联系我们。", ["privacy.qq.com"]),
        # a file's name, or a longer word after the dot, is no address
        ("如有疑问,请阅读 README.md 与 install.sh 后联系我们。", []),
        ("如有疑问,请联系 example.company 的团队。", []),
        # mis-mcserver (tests/real/batch9): two sentences whose space was lost, not an address ue.de
        ("如有疑问,请联系我们。proteger os dados pessoais dos cidadãos da UE.De acordo com o GDPR", []),
    ],
)
def test_a_bare_web_address_in_a_contact_sentence(text: str, urls: list[str]) -> None:
    assert [f.value for f in facts(text).select("contact", "url")] == urls


def test_an_address_ends_where_the_next_field_of_its_line_begins() -> None:
    """天辰表行 (tests/real/batch30): 联系地址, 客服热线 and 电子邮箱 run together on one line."""
    text = "联系我们\n联系地址:大连市中山区友好路15号友好大厦2010室 客服热线:0411-82520856 电子邮箱:wangli@timepalace.cn"
    assert [f.value for f in facts(text) if f.kind == "address"] == ["大连市中山区友好路15号友好大厦2010室"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # racoonbook (tests/real/batch26), organize-files (batch24), keeply (batch23): the operator
        # named after its label, a team or a person as well as a company
        (
            "3 浣熊财记运营者:浣熊财记团队 清华大学未来移动应用学生科技兴趣团队。",
            ["浣熊财记团队清华大学未来移动应用学生科技兴趣团队"],
        ),
        (
            "对于发布者处理的个人数据,控制者为 Guțulov Răzvan Constantin PFA。",
            ["guțulov răzvan constantin pfa"],
        ),
        ("This Privacy Policy is provided by TSAO TING-WEI, trading as Keeply.", ["tsao ting-wei"]),
        ("数据控制者为:ShyBen Apps。", ["shyben apps"]),
        # RollBall (tests/real/holdout12): the operator in parentheses after "we"
        (
            "This privacy policy explains how we (Shiguozia Inc) collect and process your personal data.",
            ["shiguozia inc"],
        ),
        # healthsprout (tests/real/holdout4): the developer named in the contact list
        ("开发者：code4life", ["code4life"]),
        # 盒小仓 and 咕噜日记 (tests/real/holdout20): the developer after 开发商 or 公司名称, a name in
        # Chinese that opens a sentence by defining itself as "we"; Erovia (holdout17): a site's owner
        ("开发商：易推网络", ["易推网络"]),
        ("公司名称：易推网络", ["易推网络"]),
        ('易推网络（以下简称"我们"）非常重视用户的隐私保护。', ["易推网络"]),
        ("本隐私政策概述了“情欲之路”（情欲之路是“Erovia”旗下网站站点之一）关于收集…的做法。", ["erovia"]),
        ('本应用（以下简称"我们"）非常重视用户的隐私保护。', []),
        ('NotifyMe是一款由wzn556（以下简称"我们"）开发的应用。', []),
        ("Developer: code4life", ["code4life"]),
        ("第三方开发者：某 SDK 的作者", []),
        # no name: a pronoun, the user's side, a third party's provider
        ("本应用的运营者为我们。", []),
        ("个人信息处理者:您所在的单位。", []),
        ("第三方服务提供者为其自身行为负责。", []),
        # how to reach the operator, or a template's placeholder, is no name (Restcalc, tests/real/batch28)
        ("如有疑问，请通过邮箱联系站点运营方：PRIVACY_CONTACT_EMAIL（上线前请替换）。", []),
        ("运营方:privacy@example.com", []),
    ],
)
def test_the_operator_named_after_its_label(text: str, names: list[str]) -> None:
    assert [f.value for f in facts(text).select("controller", "entity")] == names


@pytest.mark.parametrize(
    ("page", "names"),
    [
        # pikori (tests/real/holdout13): the label ends its line, the name is the next line
        (
            "<p>负责处理你个人数据的数据控制者为：</p><p>Martin Scheibenreif<br>以 ShyBen Apps 名义运营<br>"
            "Volksbadgasse 2b/d/2<br>奥地利<br>电子邮箱：pikori.help@outlook.com</p>",
            ["martin scheibenreif"],
        ),
        (
            "<p>负责处理你个人数据的数据控制者为：</p><p>ShyBen Apps<br>奥地利<br>电子邮箱：a@outlook.com</p>",
            ["shyben apps"],
        ),
        (
            "<p>我们的合作方的控制者为：</p><p>Partner Apps<br>奥地利<br>电子邮箱：a@outlook.com</p>",
            [],
        ),  # a third party's
    ],
)
def test_the_operator_named_on_the_line_after_its_label(page: str, names: list[str]) -> None:
    page = (  # a page that marks its headings (three <h2>): a short line is a line, no heading
        f"<h2>1. 数据控制者</h2>{page}<h2>2. 我们处理哪些数据</h2><p>我们处理你的昵称。</p>"
        "<h2>3. 你的权利</h2><p>你可以删除你的账户。</p>"
    )
    assert [f.value for f in facts(page, "html").select("controller", "entity")] == names


def test_time_limit_amounts() -> None:
    text = "我们将在15个工作日内回复您的更正请求。一般情况下,我们将在十五日内予以回复。我们将在30天内答复您的请求。"
    by_key = facts(text).by_key()
    assert by_key[("rights", "time_limit", "更正")].attr("limit") == "15个工作日"
    assert by_key[("rights", "time_limit", "答复请求")].attr("limit") == "15日、30日"


@pytest.mark.parametrize(
    "text",
    [
        "本政策于2016年9月发布,于2016年10月修订,2022年8月4日更新。",
        "我们自2016年9月起保存您的订单信息,2016年10月15日内处理完毕。",
        "详情见https://example.com/p%2015日内回复的说明。",
        "参数%31%35个工作日内回复。",
    ],
)
def test_dates_and_percent_bytes_are_no_amounts(text: str) -> None:
    found = facts(text)
    assert found.select("rights", "time_limit") == ()
    assert [f.value for f in found.select("processing", "retention")] in ([], ["目的所需期限"])


@pytest.mark.parametrize(
    "url",
    [
        "https://jdcs.m.jd.com/jdchat/index.action?entry=jd_m_jdexpress",
        "https://jdcs.m.jd.com/jdchat/index.action?entry=jd_m_jdexpress#top",
        "https://jdcs.m.jd.com/jdchat/index.action?entry=jd%5Fm%5Fjdexpress",
        "HTTPS://JDCS.M.JD.COM/jdchat/index.action?entry=jd_m_jdexpress",
        "http://www.jdcs.m.jd.com/jdchat/index.action/?entry=jd_m_jdexpress",
    ],
)
def test_url_forms_are_one_url(url: str) -> None:
    expected = "jdcs.m.jd.com/jdchat/index.action?entry=jd_m_jdexpress"
    assert canonical_url(url) == expected
    found = keys(f"10.如何联系我们\n(2)联系在线客服:{url}")
    assert ("contact", "url", expected) in found


def test_phone_forms_are_one_phone() -> None:
    # an extension after a complete number is the same channel (UCloud: 4000188113-6)
    forms = ["400-606-1088", "400 606 1088", "4006061088", "+86 400-606-1088", "400-606-1088-6"]
    for form in forms:
        assert ("contact", "phone", "4006061088") in keys(f"您可以拨打客服热线{form}与我们联系。"), form


SDK_TABLE = """<html><body>
<h2>一、我们如何收集和使用您的个人信息</h2><p>我们会收集您的手机号码、收货地址。</p>
<h2>二、第三方SDK目录</h2>
<table>
<tr><th>SDK名称</th><th>提供方</th><th>使用目的</th><th>收集的个人信息</th></tr>
<tr><td>{name}</td><td>友盟同欣（北京）科技有限公司</td><td>统计分析</td><td>设备标识符（IMEI/OAID）</td></tr>
<tr><td>微信SDK</td><td>深圳市腾讯计算机系统有限公司</td><td>微信分享、登录</td><td>设备信息</td></tr>
</table>
<h2>三、如何联系我们</h2><p>您可以通过拨打客服电话400-606-1088联系我们。</p>
</body></html>"""


def test_sdk_table_row_provider_is_the_recipient() -> None:
    found = facts(SDK_TABLE.format(name="友盟统计SDK"), media_type="html")
    sdk = found.by_key()[("recipients", "sdk", "友盟同欣(北京)科技有限公司")]
    assert sdk.attr("sdk_name") == "友盟统计SDK"
    assert sdk.attr("purpose") == "统计分析"
    assert sdk.attr("pi") == "设备标识符"
    assert ("recipients", "sdk", "深圳市腾讯计算机系统有限公司") in found.by_key()
    assert ("contact", "phone", "4006061088") in found.by_key()


def test_sdk_renamed_with_the_same_provider_is_the_same_fact() -> None:
    old = facts(SDK_TABLE.format(name="友盟统计SDK"), media_type="html")
    new = facts(SDK_TABLE.format(name="友盟+ U-App 统计 SDK"), media_type="html")
    assert set(old.by_key()) == set(new.by_key())


def test_markdown_table_reads_as_the_html_table() -> None:
    text = (
        "二、第三方SDK目录\n| SDK名称 | 提供方 | 使用目的 | 收集的个人信息 |\n|---|---|---|---|\n"
        "| 友盟统计SDK | 友盟同欣（北京）科技有限公司 | 统计分析 | 设备标识符（IMEI/OAID） |"
    )
    sdk = facts(text).by_key()[("recipients", "sdk", "友盟同欣(北京)科技有限公司")]
    assert sdk.attr("sdk_name") == "友盟统计SDK"


@pytest.mark.parametrize(
    ("name_col", "provider_col", "link_col"),
    [
        ("SDK名称", "提供方", "隐私政策链接"),
        ("使用SDK名称", "第三方名称", "第三方隐私政策"),  # 佳麦's SDK list: 第三方名称 is the party
        ("第三方SDK名称", "开发者", "SDK隐私政策"),
    ],
)
def test_sdk_table_headers_in_other_words(name_col: str, provider_col: str, link_col: str) -> None:
    html = (
        f"<h2>第三方SDK目录</h2><table><tr><th>{name_col}</th><th>{provider_col}</th><th>使用目的</th>"
        f"<th>收集个人信息</th><th>{link_col}</th></tr><tr><td>Bugly SDK</td><td>腾讯科技（深圳）有限公司</td>"
        "<td>进行APP性能监测和崩溃问题分析</td><td>设备信息、网络信息</td><td>Bugly SDK个人信息保护规则</td></tr></table>"
    )
    sdk = facts(html, media_type="html").by_key()[("recipients", "sdk", "腾讯科技(深圳)有限公司")]
    assert sdk.attr("sdk_name") == "Bugly SDK"
    assert sdk.attr("purpose") == "进行APP性能监测和崩溃问题分析"


def test_operator_accounts_in_the_contact_section_are_channels_not_recipients() -> None:
    text = "九、如何联系我们\n意见与反馈邮箱：feedback@example.cn\n微信公众号：佳麦 App\n新浪微博：@佳麦 App"
    found = set(facts(text).by_key())
    assert ("contact", "account", "微信公众号:佳麦App") in found
    assert ("contact", "account", "新浪微博:@佳麦App") in found
    assert ("recipients", "recipient", "新浪微博") not in found


@pytest.mark.parametrize("label", ["微信", "微信号", "客服微信"])
def test_a_wechat_id_in_the_contact_section_is_one_account_whatever_its_label(label: str) -> None:
    """微信：camera180 (监控相机, tests/real batch10): a new WeChat ID is a new channel."""
    found = set(facts(f"联系我们\n邮箱：495572997@qq.com\n{label}：camera180").by_key())
    assert ("contact", "account", "微信:camera180") in found


@pytest.mark.parametrize(
    ("text", "account"),
    [
        # after a line that asks the user to get in touch, in traditional characters (高科校務通, tests/real/batch20)
        (
            "三、問題和建議\n如果您有任何問題或建議,請與我們聯繫:\nFacebook 粉絲專頁:高科校務通",
            "Facebook:高科校务通",  # read in simplified characters
        ),
        ("联系我们\n邮箱:a@example.cn\nTelegram 群组:@example_group", "Telegram:@example_group"),
        ("联系我们\n邮箱:a@example.cn\nTwitter/X: @frxiaobei", "Twitter/X:@frxiaobei"),
    ],
)
def test_an_account_abroad_after_a_contact_line_is_a_channel(text: str, account: str) -> None:
    assert ("contact", "account", account) in set(facts(text).by_key())


def test_a_word_ending_in_a_platforms_name_is_none() -> None:
    found = facts("联系我们\n邮箱:a@example.cn\nOnline: 工作日 9:00-18:00").select("contact", "account")
    assert found == ()


def test_a_row_without_a_provider_keeps_its_sdk_name_only_when_it_names_an_sdk() -> None:
    """友盟SDK in a record without a provider field is an SDK; 账号注册 in a table of features is not."""
    text = "第三方SDK\nSDK名称:友盟SDK;使用目的:广告投放;收集个人信息类型:设备信息"
    assert facts(text).by_key()[("recipients", "sdk", "友盟")].attr("sdk_name") == "友盟SDK"
    table = "收集的信息\n| 服务名称 | 使用目的 | 收集的个人信息 |\n|---|---|---|\n| 账号注册 | 创建账号 | 手机号码 |"
    assert not [f for f in facts(table) if f.attr("sdk_name")]


@pytest.mark.parametrize(
    "header",
    [
        # the headers of tables in tests/real's tuning sets that were not read as tables
        ("SDK名称", "服务提供方", "合作目的", "合作方式", "共享个人信息字段", "服务方隐私政策"),
        ("合作SDK名称", "SDK厂商", "收集个人信息字段及目的", "SDK隐私政策链接"),
        ("第三方SDK名称", "用途", "收集的信息", "适用范围", "隐私链接", "所属机构及官网"),
        ("序号", "第三方SDK名称", "第三方公司名称", "个人信息类型", "使用第三方SDK的目的"),
        ("SDK名称", "SDK使用目的", "SDK收集的信息", "隐私政策链接"),
        ("服务", "用途", "共享数据", "所在地", "隐私政策"),  # Keeply (tests/real/batch23)
    ],
)
def test_sdk_table_headers_of_real_policies(header: tuple[str, ...]) -> None:
    """Every header cell must be known for a run of lines to be a table's header: these were not."""
    cells = {
        "服务提供方": "腾讯科技（深圳）有限公司",
        "SDK厂商": "腾讯科技（深圳）有限公司",
        "第三方公司名称": "腾讯科技（深圳）有限公司",
        "所属机构及官网": "腾讯科技（深圳）有限公司",
    }
    row = [cells.get(h, "Bugly SDK" if "名称" in h or h == "服务" else "设备信息") for h in header]
    html = (
        "<h2>第三方SDK目录</h2><table><tr>"
        + "".join(f"<th>{h}</th>" for h in header)
        + "</tr><tr>"
        + "".join(f"<td>{c}</td>" for c in row)
        + "</tr></table>"
    )
    found = [f for f in facts(html, media_type="html") if f.kind == "sdk"]
    assert [f.attr("sdk_name") for f in found] == ["Bugly SDK"], header


def test_a_row_under_an_sdk_column_names_an_sdk_without_the_word() -> None:
    """期末周 Dead Week (tests/real/batch10): LeanCloud, a row of a table whose name column is SDK名称
    and which has no provider column, is an SDK: a row added to it is a new SDK (``sdk_name``)."""
    md = (
        "第三方SDK\n| SDK名称 | SDK使用目的 | SDK收集的信息 | 隐私政策链接 |\n|---|---|---|---|\n"
        "| TapTap SDK | 一键登录 | 设备信息 | https://developer.taptap.cn/ |\n"
        "| LeanCloud | 数据存储 | 设备标识符 | https://docs.leancloud.cn/ |"
    )
    assert facts(md).by_key()[("recipients", "sdk", "leancloud")].attr("sdk_name") == "LeanCloud"


def test_a_record_named_on_a_line_of_its_own() -> None:
    """撒吖's SDK list (tests/real): the name alone on its line, then labelled fields."""
    text = (
        "第三方SDK目录\n融云 SDK\n信息类型:唯一设备识别码(安卓 ID)\n官网链接:https://www.rongcloud.cn/\n"
        "EventBus SDK\n信息类型:无"
    )
    found = facts(text).by_key()
    assert found[("recipients", "sdk", "融云")].attr("sdk_name") == "融云SDK"
    assert found[("recipients", "sdk", "eventbus")].attr("sdk_name") == "EventBus SDK"


def test_a_table_of_permissions() -> None:
    """微博图床's table (tests/real/batch5): a 权限 column is read row by row, a heading above it aside."""
    text = (
        "# 隐私政策\n\n## 权限\n\n| 权限 | 用途说明 |\n|---|---|\n| clipboardWrite | 写入到剪切板 |\n"
        "| contextMenus<br>menus (Firefox) | 右键菜单入口 |\n| 相机权限 | 扫码 |\n"
    )
    found = facts_of(parse(text.encode("utf-8"), media_type="markdown", source="case")).by_key()
    assert found[("processing", "permission", "clipboardwrite")].attr("purpose") == "写入到剪切板"
    assert found[("processing", "permission", "contextmenus")].attr("purpose") == "右键菜单入口"
    assert found[("processing", "permission", "相机")].attr("purpose") == "扫码"


def test_a_company_alone_on_its_line_in_the_lead_is_the_operator() -> None:
    """国本商城 (tests/real/batch30): the company alone on its line under the title is the operator; the
    next version puts a brand there (国本健康) and names no company."""
    old, new = documents("batch30", "guoben-shangcheng--2022-02-12--2022-06-08")
    assert facts_of(old).values("controller", "entity") == {"深圳群魔信息科技有限公司"}
    assert facts_of(new).values("controller", "entity") == set()


def test_a_latin_word_of_the_lexicon_is_no_part_of_a_longer_word() -> None:
    """MIS server (tests/real/batch9): the Portuguese "em seguida" names no GUID."""
    from monitor.compare.signals import facts as signal_facts

    text = "Suas informações pessoais serão mantidas e, em seguida, serão excluídas. 我们会收集您的GUID。"
    assert signal_facts(text).pi == frozenset({"GUID"})
    assert facts("一、信息收集\n我们会收集 seguida。").values("processing", "pi_type") == set()
    assert facts("一、信息收集\n我们会收集 GUID。").values("processing", "pi_type") == {"设备标识符"}


def test_the_policy_s_author_is_the_operator_and_no_recipient() -> None:
    """hapihapi games (tests/real/holdout15): 本政策是由X…就X…所制定: X wrote the policy, so it is the
    operator, and no company read with words run into its name (就X, 网站以及X) is a recipient."""
    text = (
        "前言\n本政策是由聊城国磊网络科技有限公司(以下称为“聊城国磊网络科技有限公司”)就聊城国磊网络科技有限公司"
        "在其和/或其关联公司的平台上所提供的产品和服务(包括聊城国磊网络科技有限公司的网站以及聊城国磊网络科技有限公司"
        "现在正在提供的游戏服务)所制定的。我们可能会与关联公司共享您的信息。\n"
    )
    found = facts(text)
    assert found.values("controller", "entity") == {"聊城国磊网络科技有限公司"}
    assert not any("聊城" in v for v in found.values("recipients", "recipient"))


def test_rights_named_as_rights() -> None:
    """AegisClip (tests/real/holdout9): a list of rights, each named as one (导出权), no 可以 before it."""
    text = (
        "## 3. 您的权利\n- **访问权**：通过应用界面随时查看存储内容\n- **删除权**：点击清空历史按钮永久删除数据\n"
        "- **导出权**：支持拖拽内容到Finder实现本地导出\n\n## 4. 联系方式\n邮箱：a@example.cn\n"
    )
    assert facts(text).values("rights", "right") == {"查阅", "删除", "获取副本"}
    assert facts("我们会尊重用户的权益。删除权限请到设置。").values("rights", "right") == set()


def test_permissions_listed_by_their_names_before_a_dash() -> None:
    """gmux (tests/real/holdout6): runFullTrust —— …, the capabilities an MSIX manifest declares."""
    text = (
        "## 一、Microsoft Store 权限申请\nMSIX 清单中声明了以下两项能力：\n"
        "- `runFullTrust` —— gmux 是桌面应用，需要使用 Win32 全局热键\n"
        "- `internetClient` —— 仅供 Microsoft Store 授权接口连通 Store 服务使用\n"
    )
    found = facts_of(parse(text.encode(), media_type="markdown", source="case"))
    assert found.values("processing", "permission") == {"runfulltrust", "internetclient"}


def test_a_table_of_permissions_with_two_columns_of_purposes() -> None:
    """长征记忆's page (tests/real/holdout3): 权限 | 对应功能 | 用途说明 | 是否上传, each cell a line: two
    purpose columns are the header's own, not a heading run into it."""
    page = (
        "<h2>二、系统权限说明</h2><p>本应用会按需申请以下系统权限。</p><table><tr><th>权限</th><th>对应功能</th>"
        "<th>用途说明</th><th>是否上传</th></tr><tr><td>麦克风(MICROPHONE)</td><td>诗词朗诵</td>"
        "<td>录制用户朗诵音频</td><td>仅本地</td></tr><tr><td>相册写入(WRITE_IMAGEVIDEO)</td><td>分享卡片</td>"
        "<td>将生成的卡片保存到用户相册</td><td>仅本地保存</td></tr></table>"
    )
    assert facts(page, "html").values("processing", "permission") == {"麦克风", "相册"}


def test_a_table_of_permissions_with_a_column_of_whether_each_is_needed() -> None:
    """Privasa's page (tests/real/batch24): 权限 | 用途 | 是否必需, network access one of its rows."""
    found = facts_of(documents("batch24", "privasa--2026-04-28--2026-05-01")[1]).by_key()
    assert found[("processing", "permission", "相机")].attr("purpose") == "拍摄照片或录制视频(打卡、相册功能)"
    network = found[("processing", "permission", "网络访问")]
    assert network.attr("purpose") == "应用内购买验证、打开网页链接、播放网络视频(不传输个人数据)"


def test_english_sentences_name_no_recipients() -> None:
    """The English half of a bilingual policy: its capitalised words are no names (NightGuard)."""
    text = "4. 数据共享 / Data Sharing and Disclosure\nService Providers: Limited sharing under contractual confidentiality."
    assert not [f for f in facts(text) if f.category == "recipients" and f.kind == "recipient"]
    assert ("recipients", "recipient", "google analytics") in keys(
        "二、第三方服务\n我们使用 Google Analytics 这一第三方服务。"
    )


def test_label_value_records() -> None:
    text = "第三方SDK列表\nSDK名称:极光推送SDK;提供方:深圳市和讯华谷信息技术有限公司;使用目的:消息推送;收集的个人信息:设备标识符"
    sdk = facts(text).by_key()[("recipients", "sdk", "深圳市和讯华谷信息技术有限公司")]
    assert sdk.attr("sdk_name") == "极光推送SDK"


@pytest.mark.parametrize(
    ("record", "name", "provider", "purpose"),
    [
        (
            "SDK名称:极光推送SDK;提供方:深圳市和讯华谷信息技术有限公司;使用目的:消息推送",
            "极光推送SDK",
            "深圳市和讯华谷信息技术有限公司",
            "消息推送",
        ),
        (  # one field a line
            "第三方SDK名称:Shiply专业版SDK\n第三方SDK提供方的公司名称:深圳市腾讯计算机系统有限公司\n"
            "使用目的及功能场景:为开发者提供应用内升级能力",
            "Shiply专业版SDK",
            "深圳市腾讯计算机系统有限公司",
            "",
        ),
        (  # fields run on without separators (links scraped into one line)
            "SDK名称:微信开放平台公司名称:腾讯科技(深圳)有限公司SDK官网:https://open.weixin.qq.com"
            "使用目的:用于帮助用户分享内容至微信收集的个人信息类型/字段:设备标识信息",
            "微信开放平台",
            "腾讯科技(深圳)有限公司",
            "用于帮助用户分享内容至微信",
        ),
    ],
    ids=["semicolons", "lines", "run-on"],
)
def test_record_fields(record: str, name: str, provider: str, purpose: str) -> None:
    (row,) = record_rows(record)
    assert (row.name, row.provider, row.purpose) == (name, provider, purpose)


def test_facts_keep_every_path_and_the_first_sentence() -> None:
    text = "一、收集\n我们会收集您的手机号码。\n二、共享\n我们会与合作伙伴共享您的手机号码用于配送。"
    fact = facts(text).by_key()[("processing", "pi_type", "手机号码")]
    assert fact.paths == ("一、收集", "二、共享")
    assert fact.sentence == "我们会收集您的手机号码。"


# ---------------------------------------------------------------------------------------------
# the corpus: hand-written expectations

HERE = Path(__file__).resolve()
EXPECTED: dict[str, dict[str, list[dict[str, str]]]] = yaml.safe_load(
    (HERE.parent / "facts_expected.yaml").read_text(encoding="utf-8")
)


def _corpus(name: str) -> Path:
    return CORPUS / f"{name}.txt"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_expectations(name: str) -> None:
    found = facts_of(load(_corpus(name)))
    missing = []
    for category, items in EXPECTED[name].items():
        values = {(f.kind, f.value) for f in found.select(category)}
        for item in items:
            if item.get("kind"):
                ok = (item["kind"], item["value"]) in values
            else:
                ok = item["value"] in {v for _, v in values}
            if not ok:
                missing.append((category, item))
    assert missing == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_contact_channels_are_no_user_data(name: str) -> None:
    words = pi_types().words
    for fact in facts_of(load(_corpus(name))).select("contact"):
        assert words.canonical.get(fact.value.lower()) is None, fact
        assert not words.pattern.fullmatch(fact.value), fact


def test_a_permission_table_in_other_words_ends_at_the_next_numbered_clause() -> None:
    """A Markdown table of one cell a line (权限名称 | 权限说明 | 权限使用目的, Hippy SDK, tests/real/
    batch17) is read as permissions with their purposes; it ends at the next numbered clause, whose
    number the lines no longer show, and that clause's lines are read as prose."""
    text = (
        "#### 3. Hippy SDK Harmony版\n\n| 权限名称 | 权限说明 | 权限使用目的 |\n|---|---|---|\n"
        "| ohos.permission.INTERNET | 连网权限 | 下载js和加载图片都需要连网 |\n\n"
        "### (三) 第三方数据处理\n\n我们会与腾讯云计算(北京)有限责任公司共享您的设备信息。\n\n"
        "1. 第一项说明\n\n2. 第二项说明\n"
    )
    found = facts(text).by_key()
    permission = found[("processing", "permission", "ohos.permission.internet")]
    assert permission.attr("purpose") == "下载js和加载图片都需要连网"
    assert ("recipients", "recipient", "腾讯云计算(北京)有限责任公司") in found


def test_an_item_listing_its_own_parts_is_followed_by_them() -> None:
    """The items of an item that lists its parts (匿名的配置偏好信息,包括:) are items of the list; a list of
    what a service does not collect (不通过 Umami 统计收集以下内容:) lists no item."""
    old, new = documents("batch20", "ai-screenshot-translator--2026-03-02--2026-03-10")
    items = {value for _, kind, value in facts_of(new).by_key() if kind == "data_item"}
    assert {"软件启动", "截图触发次数", "界面语言设置", "主题偏好"} <= items, sorted(items)
    assert not {"截图图片本身", "翻译正文内容"} & items, sorted(items)
    before = {value for _, kind, value in facts_of(old).by_key() if kind == "data_item"}
    assert {"截图触发次数", "界面语言设置", "主题偏好"} - before  # what the revision added to the list


def test_a_table_of_where_data_goes_names_its_recipients() -> None:
    """A table of where data goes (功能 | 可能接收者 | 涉及資料, in either script) is read as records:
    each row's recipient, hosts and endpoints as well as companies, up to the prose after the table
    (Organize Files, tests/real/batch24; Navide, tests/real/batch27)."""
    old, new = documents("batch24", "organize-files--2026-08-21--2026-08-21-2")
    recipients = {value for _, kind, value in facts_of(new).by_key() if kind == "recipient"}
    assert {"由运维方配置的Webhook端点", "提供JSON清单的主机", "NAS/SMB主机"} <= recipients, sorted(
        recipients
    )
    assert not {"加工", "合同履行/经营者合法权益"} & recipients  # the prose and the table after it
    before = {value for _, kind, value in facts_of(old).by_key() if kind == "recipient"}
    assert "由运维方配置的Webhook端点" not in before  # the row the revision added
    _, navide = documents("batch27", "navide--2026-07-15--2026-08-03")
    rows = {f.value: f for f in facts_of(navide) if f.kind == "recipient"}
    assert rows["GitHub Releases"].attr("purpose") == "Update Check"
    # kept on the user's own computer, in traditional characters (保存在本機): held by no one
    assert "chat" not in rows


def test_what_features_are_used_is_an_item_of_a_list() -> None:
    """功能使用情况 listed after 收集以下类型的信息: is information collected, not prose about a feature
    (ClassIsland, tests/real/batch34)."""
    old, new = documents("batch34", "classisland--2024-08-04--2024-08-27")
    items = {value for _, kind, value in facts_of(new).by_key() if kind == "data_item"}
    assert "功能使用情况" in items, sorted(items)
    assert "功能使用情况" not in {value for _, kind, value in facts_of(old).by_key() if kind == "data_item"}


def test_a_row_of_where_data_goes_names_the_types_it_sends() -> None:
    """The types of a data cell of a table of where data goes are processing facts, and attributes of
    the row's recipient (Organize Files, tests/real/batch24)."""
    _, new = documents("batch24", "organize-files--2026-08-21--2026-08-21-2")
    found = facts_of(new).by_key()
    row = found[("recipients", "recipient", "提供JSON清单的主机")]
    assert "IP地址" in str(row.attr("pi")), row
    assert ("processing", "pi_type", "IP地址") in found


def test_a_row_of_where_data_goes_lists_what_no_lexicon_names() -> None:
    """What a data cell of a table of where data goes lists that no lexicon names as a type (Chat
    Message、附加 Context, Tool Result) are data items, read as written: a row that sends other data
    now is a change of what is processed (Navide, tests/real/batch27)."""
    old, new = documents("batch27", "navide--2026-07-15--2026-08-03")
    before = {value for _, kind, value in facts_of(old).by_key() if kind == "data_item"}
    after = {value for _, kind, value in facts_of(new).by_key() if kind == "data_item"}
    assert {"Chat Message", "附加Context", "Tool Result"} <= before, sorted(before)
    assert "Chat Message" not in after and "Tool Result" in after, sorted(after)
