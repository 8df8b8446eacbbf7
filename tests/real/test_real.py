"""The real-revision benchmark (tests/real/README.md): its integrity, and policy-monitor's judgement of
it, scored by tests/materiality/score.py through the real CLI.

The bars of the scored test are the figures reached so far, so that no change makes them worse; the
aim is sensitivity ≥ 95, category precision ≥ 90 and specificity ≥ 90 on every set (see GOAL). The
held-out sets (``HELD_OUT``) are never used for tuning: their bars were set from their first looks.
``holdout`` was held out until its first look (reported at beadf9b) and has been a tuning set since;
``holdout2`` … ``holdout16`` (243 pairs) likewise since 2026-12-04, and ``holdout17`` … ``holdout21``
(113 pairs) since 2026-12-05, ``holdout22`` … ``holdout24`` (50 pairs) since 2026-12-05's fifth
session, ``holdout25`` … ``holdout30`` (98 pairs) since its sixth and ``holdout31`` … ``holdout33`` (71
pairs) since its seventh, their first looks reported in earlier closing notes, chosen by number (the
oldest), not by score. ``holdout34`` … ``holdout62`` stay held out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCORE = HERE.parent / "materiality" / "score.py"
TUNING = (
    "cases",
    "batch4",
    "batch5",
    "batch6",
    "batch7",
    "batch8",
    "batch9",
    "batch10",
    "batch11",
    "batch12",
    "batch13",
    "batch14",
    "batch15",
    "batch16",
    "batch17",
    "batch18",
    "batch19",
    "batch20",
    "batch21",
    "batch22",
    "batch23",
    "batch24",
    "batch25",
    "batch26",
    "batch27",
    "batch28",
    "batch29",
    "batch30",
    "batch31",
    "batch32",
    "batch33",
    "batch34",
    "batch35",
    "batch36",
    "batch37",
    "batch38",
    "batch39",
    "batch40",
    "batch41",
    "batch42",
    "batch43",
    "batch44",
    "batch45",
    "batch46",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
    "holdout17",
    "holdout18",
    "holdout19",
    "holdout20",
    "holdout21",
    "holdout22",
    "holdout23",
    "holdout24",
    "batch47",
    "batch48",
    "batch49",
    "batch50",
    "batch51",
    "batch52",
    "holdout25",
    "holdout26",
    "holdout27",
    "batch53",
    "batch54",
    "batch55",
    "batch56",
    "batch57",
    "holdout28",
    "holdout29",
    "holdout30",
    "holdout31",
    "batch58",
    "batch59",
    "batch60",
    "holdout32",
    "holdout33",
)
HELD_OUT = (
    "holdout34",
    "holdout35",
    "holdout36",
    "holdout37",
    "holdout38",
    "holdout39",
    "holdout40",
    "holdout41",
    "holdout42",
    "holdout43",
    "holdout44",
    "holdout45",
    "holdout46",
    "holdout47",
    "holdout48",
    "holdout49",
    "holdout50",
    "holdout51",
    "holdout52",
    "holdout53",
    "holdout54",
    "holdout55",
    "holdout56",
    "holdout57",
    "holdout58",
    "holdout59",
    "holdout60",
    "holdout61",
    "holdout62",
)
SETS = TUNING + HELD_OUT
KEYS = {"id", "kind", "material", "expect_any", "allow", "marker", "marker_in", "ext", "evidence", "note"}
CATEGORIES = {"processing", "controller", "recipients", "rights", "contact", "risk", "other"}
GOAL = {"sensitivity": 95.0, "category_precision": 90.0, "specificity": 90.0}
# floors: what the classifier reaches today (raise them as it improves; never lower them)
# (2026-12-05, second session: every tuning set's floor raised to what it reaches at eef29cf, 30 sets, and
# batch32's, batch40's at 885c748 and batch28's at 4367787, the comments below keeping each set's
# history; held-out floors stay at their first looks)
BARS: dict[str, dict[str, float | None]] = {
    # cases: 86 pairs, 97.1 / 100 / 100 at bd0027c, 100 / 100 / 100 from the bare SDK-name records (the third batch of 18 had its first look at
    # bfe9db7: 87.5 / 64.3 / 80.0)
    # category precision and specificity lowered, 99.9 -> 97.9, since a data flow is read in simplified
    # characters (2026-12-05, fifth session): waley316-mta, a cosmetic pair its labeller calls doubtful
    # (a consent statement added in zh-TW: 會收集與處理提供基本功能所需的必要資料), is flagged; Tattoo
    # (batch47) found, holdout30's category precision up, no held-out set down
    "cases": {"sensitivity": 99.9, "category_precision": 98.0, "specificity": 97.9},
    # batch4: 15 pairs, first look 100 / 77.8 / 87.5 at 531ecbe, tuned on: 100 / 92.9 / 100
    # sensitivity lowered, 99.9 -> 85.0, since a permission table's header may name two purpose columns
    # (权限 | 对应功能 | 用途说明: 长征记忆, holdout3): yht-mall's list of one cell a line, whose cells run over
    # several lines, was found by permissions its misread table "removed"; its label's change (three
    # purposes of reading the address book gone) is not read
    # 100 / 92.9 / 100 since a permission the other version names only as a word of another sentence
    # (存储于中国境内) is not stated there (2026-12-05, fifth session)
    # 100 / 86.7 / 87.5 (floors lowered) since an intro that goes on after a comma introduces the items under
    # it (以下資料僅儲存在您裝置的…空間，不會離開您的裝置：, 謎之輸入法, batch60): ai-hairstyle's table of
    # data kept on the device is read, and its row renamed (应用内功能使用统计数据 → 服务使用统计数据, a
    # cosmetic pair) is an item gone (2026-12-05, seventh session)
    "batch4": {"sensitivity": 99.9, "category_precision": 86.6, "specificity": 87.5},
    # batch5: 19 pairs, first look 75.0 / 70.6 / 71.4 at 22325cb, tuned on: 100 / 94.1 / 85.7; 100 / 100 / 100
    # since a support page that only moved to its owner's other domain (the same path) is the same channel
    "batch5": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch6: 20 pairs, first look 70.0 / 91.7 / 100 at edaa059, tuned on: 90.0 / 100 / 100 (the miss:
    # a liability disclaimer labelled 'other')
    "batch6": {"sensitivity": 90.0, "category_precision": 99.9, "specificity": 99.9},
    # batch7: 19 pairs, first look 72.7 / 81.2 / 87.5 at d96d56a, tuned on: 81.8 / 82.4 / 87.5 (a channel
    # still stated elsewhere, English paragraphs, denials of sharing that labellers read differently)
    # 87.5 category precision since a merger the policy provides for (如发生合并、收购) is no takeover
    # batch7: after a clause added in Chinese to a page whose translation had begun, and an English
    # sentence translated inside an English clause, were read as translations (tuned on batch7): 81.8 / 93.3 / 100
    "batch7": {"sensitivity": 81.8, "category_precision": 99.9, "specificity": 99.9},
    # batch8: 20 pairs, first look 88.9 / 72.2 / 72.7 at f42d8ee, tuned on: 88.9 / 86.7 / 90.9, then 92.9 / 100
    # once a right whose sentence lives on in another clause was no longer "removed"; 100 / 93.3 / 100 since
    # a data flow stated anew (compare/flows.py: crash reports sent through a mail client); 100 / 93.7 / 100
    # since a section on the user's choices (你的选择) is about rights
    "batch8": {"sensitivity": 99.9, "category_precision": 93.7, "specificity": 99.9},
    # batch9: 21 pairs, first look 100 / 73.7 / 66.7 at 2e5ad3e, tuned on: 100 / 92.9 / 100; 88.9 / 100 / 100
    # once an added sentence (我们不会使用Cookies…) was no reversed meaning: sunsetmkt-blog's only finding,
    # right by accident (its label's change of services is not read)
    "batch9": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch10: 22 pairs, first look 84.6 / 92.9 / 88.9 at 6943e62, tuned on: 100 / 100 / 100
    "batch10": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch11: 21 pairs, first look 80.0 / 76.9 / 90.9 at 8266f24, tuned on: 90.0 / 84.6 / 100; 100 / 85.7 / 100
    # once an individual developer's name (独立开发者 Evan Feng) was read as the operator, 100 / 86.7 / 100
    # since a kind of information and its items (…控制数据:a、b、c) list what is collected (left: CloudBase
    # named where the label allows no recipients); 100 / 92.9 / 100 (category precision lowered, 93.3 ->
    # 92.8) since a law a sentence opens with (就欧盟《通用数据保护条例》(GDPR)而言) is no operator: MeMemo's
    # controller flag, allowed by its label, rested on that misreading only
    "batch11": {"sensitivity": 99.9, "category_precision": 92.8, "specificity": 99.9},
    # batch12: 17 pairs, first look 100 / 90.9 / 90.0 at 49cec5b, tuned on: 100 / 100 / 100; 100 / 100 / 90.0
    # since a name in Latin letters defined as 我们 is the operator (GDPAY(以下称"公司"), batch29): the
    # developer who wrote his name Allen Lee, then 李安, is read as another (the label allows controller)
    "batch12": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 90.0},
    # batch13: 20 pairs, first look 80.0 / 100 / 100 at fce0610, tuned on: 90.0 / 100 / 100 (the miss: a
    # site that says it uses Google Tag Manager, where the rule that read it lowered holdout7)
    "batch13": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch14: 18 pairs, first look 72.7 / 77.8 / 100 at 53e89df, tuned on: 81.8 / 93.8 / 100, 90.9 / 94.1 / 100
    # since a data flow stated anew (a full-disk-access entry to read files) (left: a contact change in a
    # link's target only)
    "batch14": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch15: 20 pairs, first look 88.9 / 93.8 / 90.9 at f265c68, tuned on: 88.9 / 100 / 100 (the miss: a
    # line on deleting favourites kept on the device, labelled rights, its labeller's weakest call); 100 / 100 /
    # 100 since a section on the user's choices (用户选择) is about rights
    "batch15": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch16: 7 pairs, first look 100 / 100 / 100 at 0346012 (nothing to tune)
    "batch16": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch17: 24 pairs, first look 91.7 / 69.2 / 83.3 at 7c6ad06, tuned on: 91.7 / 82.6 / 100, 100 / 83.3 / 100
    # since a data flow stated anew (device traffic forwarded through Tun2Socks)
    # 87.0 category precision since a merger the policy provides for is no takeover
    "batch17": {"sensitivity": 99.9, "category_precision": 90.4, "specificity": 99.9},
    # batch18: 22 pairs, first look 40.0 / 70.0 / 83.3 at 9d63dd6, tuned on: 50.0 / 77.8 / 91.7 (left: sharing
    # exceptions widened, a translated US policy's agency named in parentheses), 60.0 / 80.0 / 91.7 with a
    # contact page or form as a channel (「聯絡我們」頁面提交表單 dropped); 60.0 / 88.9 / 100 since a service is
    # still stated where its provider is named just before it, in parentheses as well (联邦总务管理局(GSA)的…)
    "batch18": {"sensitivity": 70.0, "category_precision": 90.0, "specificity": 99.9},
    # batch19: 24 pairs, first look 71.4 / 66.7 / 80.0 at d3cde46, tuned on: 85.7 / 73.1 / 90.0, 76.0 since a
    # heading 网络访问 is no section about rights (left: a CDN a translated theme loads, a permission line
    # whose section was cut anew)
    # 79.2 since the user's 控制权 (a right) is no change of control; 92.9 / 80.0 / 90.0 (floor 92.8: 13/14 rounded down) since the host a page
    # loads a file from is read (此文件位于 BootCDN 上)
    "batch19": {"sensitivity": 92.8, "category_precision": 87.5, "specificity": 90.0},
    # batch20: 24 pairs, first look 84.2 / 94.3 / 100 at 18d4a65, tuned on: 89.5 / 94.4 / 100 (left: a contact
    # channel in a zh-TW policy, a deletion deadline made vaguer); 94.7 / 94.4 / 100 since an account abroad
    # after a line asking the user to get in touch is a channel (Facebook 粉絲專頁, after 請與我們聯繫:)
    "batch20": {"sensitivity": 99.9, "category_precision": 97.1, "specificity": 99.9},
    # batch21: 23 pairs, first look 80.0 / 82.4 / 100 at 9cb6246, tuned on: 86.7 / 83.3 / 100 (a browser
    # extension's permissions listed by their own names, tabs / activeTab:…); 80.0 since the product a
    # policy says it covers (本政策说明 Talo 如何处理数据) is no recipient: Talo's only finding was that, right
    # by accident (its label's change of data directory and of the issue tracker's link target are not read)
    "batch21": {"sensitivity": 86.6, "category_precision": 94.4, "specificity": 99.9},
    # batch22: 24 pairs, first look 76.9 / 81.0 / 81.8 at 0936250, tuned on: 84.6 / 85.7 / 90.9 (an item
    # labelled by the party it is after 以下第三方服务:, a disclaimer of the user's own risk no data flow);
    # 92.3 / 86.4 / 90.9 since a web address the user is told to reach the operator at is a channel (Eranos)
    "batch22": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch23: 22 pairs, first look 72.7 / 73.7 / 72.7 at the classifier of 55b50a8; tuned on (a verb of
    # moving information denied where it stands is no new flow): 72.7 / 77.8 / 81.8; 81.8 / 78.9 / 81.8
    # since a time limit counted from the request it answers (收到請求後的最遲三十天內…驗證) is read; 90.9 /
    # 80.0 / 81.8 since the operator named after its label is read, a person as well (provided by TSAO TING-WEI)
    "batch23": {"sensitivity": 99.9, "category_precision": 94.4, "specificity": 99.9},
    # batch24: 20 pairs, first look 77.8 / 50.0 / 72.7 at b8c2bff (the classifier of db58318); 77.8 / 56.2
    # / 72.7 since two versions in two scripts are compared in simplified characters (Mr.Memo); 77.8 /
    # 60.0 / 81.8 since addresses hidden by Cloudflare are read as written (VAS); 77.8 / 64.3 / 90.9 since
    # the policy's own revision history (本政策的修订记录) is no data flow (MontageSubs); 88.9 / 68.8 / 90.9
    # since the operator named after its label is read (控制者为 Guțulov Răzvan Constantin PFA); 88.9 / 73.3 /
    # 100 since the items listed after 本应用不收集以下信息: are no permissions or types (Mr.Memo); 100 / 81.2 /
    # 100 since a table of where data goes (活动 | 数据已发送 | 收件人) names its recipients (Organize Files)
    "batch24": {"sensitivity": 99.9, "category_precision": 82.3, "specificity": 99.9},
    # batch25: 21 pairs (two pairs of repositories the issue holds out for an independent check were
    # removed: see INDEPENDENT), first look on them 88.9 / 66.7 / 91.7 at 3077859 (the classifier of
    # 4e98b37); 100 / 72.2 / 91.7 since a mailto: link is read with its address (Amumur) and a time limit
    # in traditional characters is read (15 個工作日內回覆, 辰璣堂)
    "batch25": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch26: 24 pairs, first look 41.7 / 66.7 / 75.0 at 8014251; 58.3 / 71.4 / 75.0 since a mini-program's
    # <view> is a block (a .wxml page was one line, one clause); 58.3 / 76.9 / 83.3 since a platform named as
    # the place of a setting (在微信授权设置中管理权限) is no recipient; 66.7 / 78.6 / 83.3 since the operator
    # named after its label is read, a team as well (运营者:浣熊财记团队); 83.3 / 81.2 / 83.3 since a section
    # on the user's choices (你的选择) is about rights and an export (导出) is a copy; 83.3 / 86.7 / 91.7 since a
    # measure against taking data (采取技术措施限制批量数据获取) is no flow and lists no data items
    # 83.3 / 100 / 91.7 since a data flow is read in simplified characters (2026-12-05, fifth session)
    "batch26": {"sensitivity": 83.3, "category_precision": 99.9, "specificity": 91.6},
    # batch27: 24 pairs, first look 100 / 90.6 / 83.3 at 8b59e71; tuned on: 100 / 93.5 / 91.7 since an added
    # clause whose every sentence the old page states brings no fact news (小决定: a run-on page given
    # paragraphs), 100 / 96.7 / 100 since what an app is based on is no part of an SDK's name (融云IM是基于融云SDK)
    # sensitivity lowered, 99.9 -> 91.6, and category precision raised to 99.9 (91.7 / 100 / 100): Navide
    # was found by "AI Chat", read as a recipient because 保存在本機 (traditional characters) was not read as
    # the user's own computer; its label's change, the data its table sends to cloud AI providers, is a
    # changed purpose of a recipient's row, which no fact carries
    "batch27": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch28: 25 pairs, first look 92.3 / 88.9 / 91.7 at c47e158, tuned on: 92.3 / 92.3 / 91.7 (an address
    # after an operator's label is no operator's name), 92.3 / 96.2 / 91.7 since the operator is no SDK's
    # provider and operators are compared in simplified characters (安智); left: a page whose items ran
    # together around literal {"\n"}, a telephone number made compulsory; 92.3 / 96.0 / 91.7 since a
    # department is named without the words run into it (one allowed category fewer); 100 / 100 / 100 since
    # the purposes a sentence lists after 用于: are facts of their own (手机号仅用于:…、以及提升用户使用体验)
    "batch28": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch29: 22 pairs, first look 88.9 / 83.3 / 92.3 at f8744a5, tuned on: 88.9 / 91.7 / 92.3 (a definition
    # of 我们 names the operator; an obstacle to a right stated before is none new; left: a policy kept in a
    # page script's data, a simplified page rewritten in traditional characters whose run-on first
    # sentence was paired with another); 100 / 92.3 / 92.3 since a component's source is read as its page
    # shows it (a Vue page's policy kept in its script's data) and a Latin name defined as 我们 is the
    # operator
    "batch29": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch31: 24 pairs, 17 operators, 13 material (set A of the draw that held out holdout35: personal
    # blogs' policies, two app policies, two PHP views); first look 76.9 / 100 / 100 at c07ada7, tuned on:
    # 100 / 100 / 100 (a service named by a lowercase word and its kind, vercount 统计和 51la 统计可能会收集…)
    "batch31": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch30: 23 pairs, first look 90.0 / 77.8 / 84.6 at 0569bcd (the classifier of 6a7bdfb); tuned on:
    # 90.0 / 84.0 / 84.6 (a simplified copy added beside a traditional policy: compared in simplified
    # characters), 90.0 / 87.5 / 84.6 (a place in a name, 「合交链香港」, no destination); left: the
    # simplified copy's sharing clause read as a change of control, a change of operator written as a
    # brand, 国本健康, and 第三方商家 → 货主 read as a kind of recipient gone
    "batch30": {"sensitivity": 99.9, "category_precision": 95.8, "specificity": 92.3},
    # holdout: first look 81.8 / 73.7 / 100 at beadf9b; tuned on from bd0027c: 90.9 / 88.9 / 100, 89.5 with
    # items after 信息,包括, 88.9 again since a disclaimer (我们对此类第三方无控制权) is no change of control:
    # it was the only controller finding on websoft9, whose label's change of company
    # (Websoft9 Inc. -> 长沙网久软件有限公司) is still not read
    "holdout": {"sensitivity": 99.9, "category_precision": 89.4, "specificity": 100.0},
    # holdout2 … holdout16: held out until 2026-12-04 (tuning since; together 87.3 / 89.0 / 92.3 then, at
    # 60cd012; their floors raised that day to what they reach after tuning on them, the comments below
    # keep their history); their first looks: holdout2 at 757f2b6, holdout3 at bd0027c, holdout4 at 26382f9,
    # holdout5 at 4599876 (the classifier of 26382f9), holdout6 at 20e5470, holdout7 at a39bb71, holdout8 at 2a3cc03,
    # holdout9 at 15341af, holdout10 at 9f4f480, holdout11 at 71a4220,
    # holdout12 at 60ac659, holdout13 at 6b7e97f, holdout14 at 53e89df plus batch14's tuning,
    # holdout15 at f265c68 plus batch15's tuning (0346012), holdout16 at 0346012
    "holdout2": {"sensitivity": 99.9, "category_precision": 92.8, "specificity": 90.0},
    # holdout3: 89.5 at its first look; 94.4 since translated clauses (the floor stays the first look)
    "holdout3": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 100.0},
    "holdout4": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    "holdout5": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout6: 20 pairs, first look at 20e5470 (after batch6's tuning): 81.8 / 93.3 / 100
    "holdout6": {"sensitivity": 99.9, "category_precision": 93.7, "specificity": 99.9},
    # holdout7: 21 pairs, first look at a39bb71 (after batch7's tuning): 100 / 94.4 / 100
    "holdout7": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout8: 20 pairs, first look at 2a3cc03 (the classifier of 450c013, after batch8's tuning):
    # 100 / 88.9 / 90.9
    "holdout8": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout9: 21 pairs, first look 76.9 / 95.2 / 100 at 15341af (after tuning on batch9); 84.6 / 95.5 / 100
    # since a kind of information and its items list what is collected (never tuned on)
    "holdout9": {"sensitivity": 92.3, "category_precision": 99.9, "specificity": 99.9},
    # holdout10: 12 pairs, first look 50.0 / 33.3 / 66.7 at 9f4f480 (after tuning on batch10)
    # 83.3 / 100 / 100 since a page file without one tag is read as text (2026-12-05, third session)
    "holdout10": {"sensitivity": 83.3, "category_precision": 99.9, "specificity": 99.9},
    # holdout11: 20 pairs, first look 90.0 / 70.6 / 90.0 at 71a4220 (after tuning on batch11); specificity
    # lowered, 89.9 -> 79.9, for contact links (a policy with no e-mail address or phone is reached through
    # its links, their targets compared): two tuning misses found (CatHeadTab, Talo), one held-out pair
    # found (holdout21) and one held-out false alarm here, not looked at (the held-out sets together
    # 87.0 / 87.2 / 92.1 -> 87.4 / 87.2 / 91.8)
    # 100 / 93.8 / 90.0 since a line of the page's chrome that gives an e-mail address is read (Shengri's
    # footer, 2026-12-05, third session)
    "holdout11": {"sensitivity": 99.9, "category_precision": 93.7, "specificity": 90.0},
    # holdout12: 14 pairs, first look 66.7 / 85.7 / 87.5 at 60ac659 (after tuning on batch12; two pairs
    # of a repository holding batch11's SwiftTrans site under its old name were left out)
    # 83.3 sensitivity since proof of identity next to a right is a condition of exercising it (2026-12-05)
    # 100 / 100 / 100 since an operator a translation newly names is news in any language (Shiguozia Inc
    # in RollBall's English preamble, 2026-12-05, third session)
    "holdout12": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout13: 24 pairs, first look 92.9 / 90.9 / 100 at 6b7e97f (after tuning on batch13)
    "holdout13": {"sensitivity": 99.9, "category_precision": 95.4, "specificity": 99.9},
    # holdout14: 3 pairs, all cosmetic (the labeller found no more in repositories used nowhere else):
    # first look 100 specificity; no material pair, so no sensitivity or category precision (None)
    "holdout14": {"sensitivity": None, "category_precision": None, "specificity": 99.9},
    # holdout15: 17 pairs, first look 87.5 / 91.7 / 100 (after tuning on batch15)
    "holdout15": {"sensitivity": 87.5, "category_precision": 99.9, "specificity": 99.9},
    # holdout16: 3 pairs of one app (two of them one commit's change in two files), first look 100 / 100 / 100
    "holdout16": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout17 … holdout21: held out until 2026-12-05 (third session), tuning sets since, their floors
    # raised then to what they reached at a93e0c6 (the comments below keep their history)
    # holdout17: 17 pairs, first look 55.6 / 55.6 / 50.0 at 7c6ad06 (one page, its policy inside the
    # <header>, not read: an error, counted as a miss; read since the chrome rule: specificity 62.5);
    # 66.7 / 60.0 / 62.5 since a name in Latin letters defined as 我们 is the operator (batch29's GDPAY)
    # 100 / 100 / 100 after tuning on it (2026-12-05, third session: the operator after 开发商:, a site's
    # owner, list items with an example, telemetry said to be gone, a page file without one tag, a
    # document's address under its name, an IPv4 web address)
    "holdout17": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout18: 24 pairs, first look 100 / 93.1 / 100 with batch17's tuning
    "holdout18": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout19: 24 pairs, first look 75.0 / 60.0 / 93.8 with batch18's tuning; 87.5 / 63.6 / 93.8 since a data
    # flow stated anew (never tuned on; the floor stays the first look)
    "holdout19": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout20: 24 pairs, first look 81.2 / 91.7 / 100 at 3024c8d (after tuning on batch19); 81.2 / 90.5 /
    # 100 since heading elements are headings whatever the line before them ends with: the one floor
    # lowered, 91.0 -> 90.4, for a change that raises the held-out sets together (86.9 / 87.2 / 92.2 ->
    # 87.3 / 87.1 / 92.2; holdout10 finds one more material pair). Weighed and reported, not tuned to;
    # 87.5 / 95.2 / 100 at bbd9dda and after (the operator named after 开发者:, a right only what the user
    # may do outside the rights sections)
    # 100 / 95.7 / 100 after tuning on it (2026-12-05, third session: the operator after 开发商: or
    # 公司名称:, a Chinese name opening a sentence as "we"); 100 / 96.2 / 100 since a purpose of a list
    # under a heading about the use of information is a fact of its own (2026-12-05, fourth session)
    "holdout20": {"sensitivity": 99.9, "category_precision": 96.1, "specificity": 99.9},
    # holdout21: 24 pairs, first look 92.9 / 94.1 / 90.0 at d44bb82 (after the data-flow rule)
    "holdout21": {"sensitivity": 99.9, "category_precision": 95.0, "specificity": 90.0},
    # holdout22: 20 pairs, first look 70.0 / 92.9 / 100 at 9cb6246
    # tuning since 2026-12-05, fifth session: 80.0 / 100 / 100 then (floor raised)
    "holdout22": {"sensitivity": 80.0, "category_precision": 99.9, "specificity": 99.9},
    # holdout23: 11 pairs, first look 100 / 50.0 / 71.4 at 0936250
    # tuning since 2026-12-05, fifth session: 100 / 62.5 / 85.7 then (floor raised)
    "holdout23": {"sensitivity": 99.9, "category_precision": 62.5, "specificity": 85.7},
    # holdout24: 19 pairs, first look 77.8 / 70.0 / 90.0 at 7a36d1c (after tuning on batch22, batch18)
    # tuning since 2026-12-05, fifth session: 88.9 / 71.4 / 90.0 then, 88.9 / 75.0 / 90.0 since the operator
    # written with its city is the same company (floor raised)
    "holdout24": {"sensitivity": 88.8, "category_precision": 75.0, "specificity": 90.0},
    # holdout25: 24 pairs, first look 83.3 / 83.3 / 91.7 at da90ec0 (the classifier of 7a36d1c)
    # tuning since 2026-12-05, sixth session: 83.3 / 88.2 / 91.7 then; 83.3 / 93.8 / 100 since a contact
    # page linked relative to the site is the same page and denials are no purposes (floor raised)
    "holdout25": {"sensitivity": 83.3, "category_precision": 93.7, "specificity": 99.9},
    # holdout26: 14 pairs, first look 100 / 100 / 100 at the classifier of 55b50a8
    # tuning since 2026-12-05, sixth session: 100 / 100 / 100 then
    "holdout26": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout27: 24 pairs, first look 91.7 / 88.9 / 91.7 at the classifier of db58318
    # tuning since 2026-12-05, sixth session: 100 / 90.0 / 91.7 then; 100 / 94.7 / 100 since a title's
    # product before a dash is the policy's own (LocalPage) and denials are no purposes (floor raised)
    "holdout27": {"sensitivity": 99.9, "category_precision": 94.7, "specificity": 99.9},
    # holdout28: 1 pair, material (22 pairs of repositories in INDEPENDENT were removed), first look on it
    # 100 / 100 / no cosmetic pair (0.0) at 3077859 (the classifier of 4e98b37); tuning since 2026-12-05,
    # sixth session (100 / 100 then)
    "holdout28": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 0.0},
    # holdout29: 14 pairs (10 pairs of repositories in INDEPENDENT were removed), first look on them
    # 100 / 50.0 / 100 at 8014251
    # tuning since 2026-12-05, sixth session: 100 / 71.4 / 100 then; 100 / 83.3 / 100 since a type's word
    # labelling the operator's own number (信息保护负责人联系电话 135…) is no type collected
    "holdout29": {"sensitivity": 99.9, "category_precision": 83.3, "specificity": 99.9},
    # holdout30: 21 pairs (3 pairs of developers with a tuning set left out before any look), first look
    # 83.3 / 93.3 / 88.9 at 4082873 (after tuning on batch27)
    # tuning since 2026-12-05, sixth session: 91.7 / 94.4 / 88.9 then (83.3 / 94.1 / 88.9 before facts were
    # read in simplified characters that session)
    # 83.3 / 94.1 / 88.9 (floors lowered) since 未来 is no negation (2026-12-05, seventh session): My Spelling
    # Game's 网站未来可能使用 Google AdSense → 网站使用 Google AdSense was found as a reversed sentence only
    # because of it; batch40's false alarm (未知) goes, and no held-out set changes
    "holdout30": {"sensitivity": 83.3, "category_precision": 94.1, "specificity": 88.8},
    # holdout31: 24 pairs, first look 84.6 / 73.1 / 81.8 at c47e158 (drawn by lot from two sets found the
    # same day; the other is batch28)
    # category precision lowered, 73.0 -> 67.8 (19 of 28), for the developer named as the operator (开发者:code4life):
    # the held-out sets together 86.2 / 85.9 / 91.5 -> 87.4 / 85.4 / 91.5 (holdout20 and holdout24 find
    # one more material pair each; here one more category flagged, not looked at). Weighed, not tuned to
    # 84.6 / 70.4 / 90.9 since a department is named without the words run into it and no run of a
    # sentence ending in 官 is one (a contact channel fewer misread: one cosmetic pair no longer material)
    # tuning since 2026-12-05, seventh session: 84.6 / 79.2 / 100 then (floor raised)
    # 92.3 / 80.8 / 100 since a purpose listed with what it serves and data kept in step with a service
    # are read (GigAlpha, YesBoss)
    "holdout31": {"sensitivity": 92.3, "category_precision": 80.7, "specificity": 99.9},
    # holdout32: 24 pairs, first look 83.3 / 95.8 / 91.7 at f8744a5 (drawn by lot as holdout31 was; the
    # other set is batch29)
    # tuning since 2026-12-05, seventh session: 91.7 / 96.2 / 91.7 then (floor raised); 100 / 96.3 / 91.7
    # since 位置信息 is a type of information the signals know (Silive's section on location added)
    "holdout32": {"sensitivity": 99.9, "category_precision": 96.1, "specificity": 91.6},
    # holdout33: 23 pairs, first look 62.5 / 85.7 / 93.3 at 6a7bdfb (drawn by lot, before any pair was
    # found, from two sets found the same day; the other is batch30)
    # tuning since 2026-12-05, seventh session: 75.0 / 88.9 / 93.3 then (floor raised)
    "holdout33": {"sensitivity": 75.0, "category_precision": 88.8, "specificity": 93.3},
    # holdout34: 24 pairs, 11 operators, 11 material (one helper that had not read the classifier, held
    # out before any pair was found); first look 72.7 / 84.6 / 61.5 at 76e3008, three of its pages not
    # read (<body style="display: none;"> until a script shows it: an error, counted as a miss); 81.8 /
    # 81.2 / 76.9 once such a body is read (no change aimed at its other misses, whose one-line summaries
    # the first look printed); 81.8 / 80.0 / 84.6 since a type respelled in a clause (手机号 → 手机号码)
    # is no new type: one cosmetic pair is no longer called material, and the category it was flagged
    # with, one its label allows, no longer counts towards precision; 81.8 / 85.7 / 92.3 since, outside the
    # rights sections, a right is only what the user is told they may do (我们会尽快删除 is none)
    "holdout34": {"sensitivity": 81.8, "category_precision": 85.7, "specificity": 92.3},
    # holdout35: 19 pairs, 10 operators, 7 material (found and labelled blind with batch31 by two helpers,
    # drawn by lot once both were labelled); first look 85.7 / 93.8 / 83.3 at c07ada7
    "holdout35": {"sensitivity": 85.7, "category_precision": 93.7, "specificity": 83.3},
    # holdout36: 4 pairs of one operator (岁序 / 我和你的重要时光, an individual's mini-program and app), 2
    # material: all a third blind helper could find before the session's repository fetches ran out (a
    # fourth found none); held out before it was finished; first look 100 / 80.0 / 100 at b56ab55
    "holdout36": {"sensitivity": 99.9, "category_precision": 80.0, "specificity": 99.9},
    # batch32: 23 pairs, 10 operators, 8 material (found and labelled blind with holdout37 by two helpers,
    # drawn by lot once both were labelled); first look 87.5 / 72.7 / 100 at 8afe927. Four of its material
    # pairs are forks of one site's terms (TouchGal → LyCorisGal → KisuGal, → Galgamex) whose labels call
    # the site renamed throughout, with its domain, a new operator: read as a recipient come and gone;
    # 100 / 100 / 100 since the party an agreement binds with the user (本协议约定 TouchGal 与用户之间) is the
    # operator, and the site a title in 《》 names its own (《TouchGal 用户服务协议》), no recipient
    "batch32": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout37: 20 pairs, 10 operators, 7 material (5 of one operator, Agora Flat); first look 100 / 100 /
    # 100 at 8afe927
    "holdout37": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch33: 24 pairs, 11 operators, 7 material (found and labelled blind with holdout38 by two more
    # helpers, drawn by lot once both were labelled); first look 100 / 88.9 / 88.2 at 8afe927; tuned on: 100
    # / 100 / 100 since a greeting heading (欢迎访问) names no right, a place that begins a name the policy
    # defines itself by (美国司法可及基金会("JAF"…)) is no destination and a contact section lists no data
    "batch33": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout38: 21 pairs, 9 operators, 7 material; first look 71.4 / 100 / 100 at 8afe927
    "holdout38": {"sensitivity": 71.4, "category_precision": 99.9, "specificity": 99.9},
    # batch34: 6 pairs, 3 operators, 2 material (all a fifth helper found before the session's searches
    # ran out; drawn by lot against holdout39 once both were labelled); first look 50.0 / 100 / 100 at
    # 36657be; tuned on: 100 / 100 / 100 since 功能使用情况 in a list of what is collected is an item
    "batch34": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout39: 21 pairs, 9 operators, 4 material (a sixth helper, m-z); first look 100 / 90.9 / 100 at
    # 36657be
    "holdout39": {"sensitivity": 99.9, "category_precision": 90.9, "specificity": 99.9},
    # batch35: 26 pairs, first look 84.6 / 88.5 / 84.6 at 975af6f (drawn by lot against holdout40)
    # tuned on: 84.6 / 95.8 / 92.3 (a placeholder known by its last name, records merged no merger); 92.3 /
    # 96.0 / 92.3 since a verb of moving information is judged in its own part of the sentence
    "batch35": {"sensitivity": 92.3, "category_precision": 99.9, "specificity": 99.9},
    # holdout40: 25 pairs, first look 72.7 / 94.4 / 92.9 at 975af6f (drawn by lot against batch35)
    "holdout40": {"sensitivity": 72.7, "category_precision": 94.4, "specificity": 92.8},
    # batch37: 14 pairs, first look 80.0 / 75.0 / 100 at 4fd99cc (drawn by lot against holdout42)
    # 100 / 77.8 / 100 since a purpose of the list under 数据使用目的 that went is a change of processing
    "batch37": {"sensitivity": 99.9, "category_precision": 77.7, "specificity": 99.9},
    # holdout42: 11 pairs, first look 83.3 / 71.4 / 80.0 at 4fd99cc, one page not read (its policy in a
    # <textarea readonly>: an error, counted against it); once such a page was read (87e5c9b), nothing else
    # changed: 83.3 / 71.4 / 100
    "holdout42": {"sensitivity": 83.3, "category_precision": 71.4, "specificity": 99.9},
    # batch38: 18 pairs, first look 100 / 66.7 / 93.8 at ba6e51f (drawn by lot against holdout43); 100 / 100 /
    # 100 since who bears no liability (NB优选及其…合作伙伴…均不对…负责) is no recipient
    "batch38": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout43: 6 cosmetic pairs, first look specificity 66.7 at ba6e51f (drawn by lot against batch38)
    "holdout43": {"sensitivity": None, "category_precision": None, "specificity": 66.6},
    # batch36: 22 pairs, first look 90.0 / 62.5 / 83.3 at 927a68a (drawn by lot against holdout41)
    # tuned on: 90.0 / 80.0 / 91.7 (a masked e-mail address, a consent to take back, a law's place)
    "batch36": {"sensitivity": 90.0, "category_precision": 80.0, "specificity": 91.6},
    # holdout41: 25 pairs, first look 83.3 / 100 / 100 at 927a68a (drawn by lot against batch36)
    "holdout41": {"sensitivity": 83.3, "category_precision": 99.9, "specificity": 99.9},
    # batch39: 19 pairs, 12 operators, 10 material (set A of 2026-12-05, drawn by lot against holdout44);
    # first look 50.0 / 75.0 / 88.9 at d84a5f1
    # tuned on: 90.0 / 92.9 / 88.9 (a list after 发送至: names recipients, two API names one permission item,
    # a public IP an IP address; left: a data item added to a list under 它会读取什么); 100 / 93.3 / 88.9
    # since a heading that asks what is read (它会读取什么) introduces a list of items
    "batch39": {"sensitivity": 99.9, "category_precision": 93.3, "specificity": 88.8},
    # holdout44: 5 pairs, 2 operators, 1 material (set B, drawn by lot against batch39; its 2 pairs of a
    # developer with a tuning set left out before the draw); first look 100 / 100 / 100 at d84a5f1
    "holdout44": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch40: 9 pairs, 4 operators, 3 material (set C of 2026-12-05, drawn by lot against holdout45);
    # first look 66.7 / 42.9 / 33.3 at e65802f (the classifier of d84a5f1)
    # tuned on: 66.7 / 60.0 / 66.7 (帐 read as 账 in a clause's types, a contact page that moved to the
    # site's new domain); 66.7 / 80.0 / 83.3 since 未来, 未知, 无线 and 无限 are no negations
    "batch40": {"sensitivity": 99.9, "category_precision": 80.0, "specificity": 83.3},
    # holdout45: 13 pairs, 5 operators, 6 material (set D, drawn by lot against batch40); first look
    # 100 / 71.4 / 100 at e65802f
    "holdout45": {"sensitivity": 99.9, "category_precision": 71.4, "specificity": 99.9},
    # holdout46: 14 pairs, 2 operators, 4 material (set C of the second draw of 2026-12-05, drawn by lot
    # against batch41); first look 75.0 / 80.0 / 100 at the classifier of b9d051a
    "holdout46": {"sensitivity": 75.0, "category_precision": 80.0, "specificity": 99.9},
    # batch41: 6 pairs, 2 operators, 2 material (set D, drawn by lot against holdout46); first look
    # 50.0 / 50.0 / 75.0 at the classifier of b9d051a
    "batch41": {"sensitivity": 50.0, "category_precision": 99.9, "specificity": 99.9},
    # holdout47: 23 pairs, 8 operators, 9 material (set B of the second draw of 2026-12-05, drawn by lot
    # against batch42); first look 77.8 / 69.2 / 78.6 at the classifier of b9d051a
    "holdout47": {"sensitivity": 77.7, "category_precision": 69.2, "specificity": 78.5},
    # batch42: 30 pairs, 11 operators, 10 material (set A, drawn by lot against holdout47); first look
    # 80.0 / 100 / 100 at the classifier of b9d051a
    "batch42": {"sensitivity": 90.0, "category_precision": 99.9, "specificity": 99.9},
    # holdout48: 28 pairs, 10 operators, 4 material (set A of the draw of 2026-12-05, third session, drawn
    # by lot with set B against sets C and D); first look 100 / 80.0 / 100 at f6ec162
    # batch43: 11 pairs, 6 operator entries, 1 material (set D of the third session's draw); first look
    # 100 / 33.3 / 90.0 at f6ec162; 100 / 50.0 / 100 since the same sentence under a lead-in label
    # (无数据收集行为:我们不会…) reverses nothing; 100 / 100 / 100 since a right only ever named beside the
    # browser's settings (根据浏览器设置管理或拒绝 Cookie) is no right of the policy
    "batch43": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch44: 7 pairs, 5 operator entries (3 apps of one developer, Nododo), all cosmetic (set C of the
    # third session's draw); first look 100 specificity at 515b609; no material pair (None)
    "batch44": {"sensitivity": None, "category_precision": None, "specificity": 99.9},
    "holdout48": {"sensitivity": 99.9, "category_precision": 80.0, "specificity": 99.9},
    # holdout49: 11 pairs, 6 operators, 3 material (set B; 6 pairs of a developer with three apps in
    # tuning sets, jaywcjlove, left out before any look); first look 100 / 50.0 / 100 at f6ec162
    "holdout49": {"sensitivity": 99.9, "category_precision": 50.0, "specificity": 99.9},
    # holdout50: 14 pairs, 8 operators, 1 material (set A of the draw of 2026-12-05, fourth session, drawn by
    # lot with set B against sets C and D); first look 100 / 50.0 / 84.6 at 9b78d93
    "holdout50": {"sensitivity": 99.9, "category_precision": 50.0, "specificity": 84.6},
    # holdout51: 15 pairs, 7 operators, 3 material (set B of that draw); first look 100 / 66.7 / 100 at 9b78d93
    "holdout51": {"sensitivity": 99.9, "category_precision": 66.6, "specificity": 99.9},
    # batch45: 6 pairs, 1 operator (IPcamVision Pro, its history in order), 5 material (set C of that draw);
    # first look 80.0 / 77.8 / 100 at 9b78d93; 60.0 / 85.7 / 100 (sensitivity lowered, 80.0 -> 60.0) since
    # 不保留也不接收 → 不保留或接收 is no reversed meaning and what the app cannot do (应用程序只能…,无法访问
    # 磁盘上的其他内容) no obstacle to a right: the re-translation whose label's change (passwords kept in
    # UserDefaults, no longer in the Keychain) is not read was found by those two misreadings only
    "batch45": {"sensitivity": 60.0, "category_precision": 85.7, "specificity": 99.9},
    # batch46: 3 pairs, 1 operator (URMET PLUS, a bilingual page), 1 material (set D of that draw); first
    # look 0 / none flagged / 100 at 9b78d93
    "batch46": {"sensitivity": 0.0, "category_precision": 0.0, "specificity": 99.9},
    # holdout52: 25 pairs, 10 operators, 9 material (set A of the fifth session's draw, by lot with
    # set D against set C, once all were labelled: Vue sites' policies); first look 88.9 / 64.7 / 87.5
    # at 0a2f03e (one page not read, "no text found": an error, counted against it)
    "holdout52": {"sensitivity": 88.8, "category_precision": 64.7, "specificity": 87.5},
    # holdout53: 14 pairs, 4 operators, 6 material (set D of that draw: deepin ID / UOS, OpenFDE,
    # Scratch's localised policy, a browser extension's docs); first look 100 / 83.3 / 100 at 0a2f03e
    "holdout53": {"sensitivity": 99.9, "category_precision": 83.3, "specificity": 99.9},
    # batch47: 24 pairs, 6 operators, 5 material (set C of that draw: SITCON, NTHUMods, 光復超人, the
    # Rust project's zh-TW notice, Leaflow, NTUT Tattoo); first look 80.0 / 100 / 100 at 0a2f03e
    # 100 / 100 / 100 since a data flow is read in simplified characters (Tattoo's removed sentence)
    "batch47": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout54: 25 pairs, 8 entries of 7 operators, 13 material (set G of the fifth session's second
    # draw, by lot against sets E and F once all three were labelled: Taiwan's open-source event apps
    # and sites, two campus apps); first look 30.8 / 100 / 83.3 at 087550c (two pages of a redirect stub,
    # "no text found": errors, counted against it)
    "holdout54": {"sensitivity": 30.7, "category_precision": 99.9, "specificity": 83.3},
    # batch48: 22 pairs, 15 entries, 9 material (set E of that draw: web front-ends' policy pages); first
    # look 88.9 / 100 / 100 at 087550c
    # 100 / 100 / 100 since a provider named in parentheses after its kind is a recipient (ImgBB)
    "batch48": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch49: 21 pairs, 6 entries, 13 material (set F of that draw: docs sites' Markdown policies); first
    # look 76.9 / 100 / 100 at 087550c
    "batch49": {"sensitivity": 76.9, "category_precision": 99.9, "specificity": 99.9},
    # holdout55: 16 pairs, 8 operators, 4 material (set H of the fifth session's third draw, by lot
    # against sets I and J once all three were labelled: Taro and uni-app pages); first look 100 / 81.8 /
    # 91.7 at cdd0881
    "holdout55": {"sensitivity": 99.9, "category_precision": 81.8, "specificity": 91.6},
    # batch50: 16 pairs, 5 operators, all cosmetic (set I of that draw: indie apps' support sites, a blog);
    # first look 93.8 specificity at cdd0881 (one cosmetic pair flagged: category precision 0); 100
    # specificity since a service named 个人信息与服务 is none (EasyHabit), no flag left (category precision 0.0,
    # as score.py writes it for a set with no flag)
    "batch50": {"sensitivity": None, "category_precision": 0.0, "specificity": 99.9},
    # batch51: 21 pairs, 10 entries, 14 material (set J of that draw: HarmonyOS and Android apps' bundled
    # policies; three pairs of a clock app whose first version carries a tuning operator's template text
    # left out before the draw); first look 92.9 / 83.9 / 71.4 at cdd0881
    # 92.9 / 86.7 / 71.4 since the product 'we' provide is the policy's own (Fish, YoLo); 100 / 87.1 / 71.4
    # since a service the app works through (通过 AppGalleryConnect 提供的接口) receives what it is given
    # 100 / 93.1 / 100 since a feature the user uses (使用 Lifi AI 时) is no party
    "batch51": {"sensitivity": 99.9, "category_precision": 93.0, "specificity": 99.9},
    # holdout56: 21 pairs, 7 operators, 9 material (set L of the fifth session's fourth draw, by lot
    # against set K+M once both were labelled: browser extensions' policies); first look 55.6 / 100 / 100
    # at d880be0
    "holdout56": {"sensitivity": 55.5, "category_precision": 99.9, "specificity": 99.9},
    # batch52: 7 pairs, 4 operators, 5 material (sets K and M of that round as one, two of their
    # operators being one developer's studios: 轻笔记, 灵动通知, 消防学院, Connect-and-Help); first look
    # 80.0 / 100 / 100 at d880be0
    # 100 / 100 / 100 since a permission named only as a word of another sentence is not stated there
    "batch52": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # the sixth session's round of 2026-12-05 (five helpers, none of whom had read the classifier: sets
    # N … R; two drawn by lot with `secrets` to be held out, N and O, once all five were labelled; P's three
    # pairs of Cybermoji went to Q before the draw, its developer's other site being in Q); first looks at
    # a059c09:
    # holdout57: 40 pairs, 18 operators, 11 material (set N: policies bundled in HarmonyOS apps' source,
    # ArkTS pages and rawfile pages); first look 72.7 / 91.7 / 100
    "holdout57": {"sensitivity": 72.7, "category_precision": 91.6, "specificity": 99.9},
    # holdout58: 30 pairs, 10 operators, 12 material (set O: Flutter, React Native, Capacitor and desktop
    # apps' policies, translated policy files of multilingual projects); first look 75.0 / 75.0 / 72.2
    # (one pair's page not read at all, "no text found": an error, counted against it); 75.0 / 80.0 / 83.3
    # since a module of code is read as the strings it feeds its page (AniFlow's TypeScript module, no text
    # before; Piwigo's PHP language file, read 5 % before)
    "holdout58": {"sensitivity": 75.0, "category_precision": 75.0, "specificity": 72.2},
    # batch53: 14 pairs, 5 operators, 5 material (set P: found by sentences policies share); first look
    # 80.0 / 100 / 100; 100 / 100 / 100 since an Astro component whose text is in its code fence is read
    # from it (東栄創産's .astro source, stored as .txt, read as Markdown whose front matter was the fence)
    "batch53": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch54: 30 pairs, 11 operators, 8 material (set Q: company, product and tool sites, zh-TW companies);
    # first look 100 / 85.7 / 100
    "batch54": {"sensitivity": 99.9, "category_precision": 85.7, "specificity": 99.9},
    # batch55: 28 pairs, 7 operators, 6 material (set R: games, mini-programs, a game helper app); first
    # look 66.7 / 80.0 / 90.9; 66.7 / 80.0 / 95.5 since a type named only inside a renamed product
    # (小小怪头像 → 次元画册) is not gone; 83.3 / 90.0 / 95.5 since 电邮地址 is an e-mail address (The Pizza
    # Helper's new item of what is uploaded)
    "batch55": {"sensitivity": 83.3, "category_precision": 90.0, "specificity": 95.4},
    # the sixth session's second round (three helpers, sets S … U; U drawn by lot with `secrets` to be held
    # out once all three were labelled); first looks at e1866e4 (the classifier of 96cd228):
    # holdout59: 32 pairs, 9 operators, 11 material (set U: open-source projects', communities' and
    # services' docs sites, bots' wikis); first look 81.8 / 70.0 / 90.5
    "holdout59": {"sensitivity": 81.8, "category_precision": 70.0, "specificity": 90.4},
    # batch56: 9 pairs, 5 operators, 4 material (set S: translated policy files of multilingual sites);
    # first look 75.0 / 100 / 100; 100 / 100 / 100 since facts are read in simplified characters (shakagame)
    "batch56": {"sensitivity": 99.9, "category_precision": 99.9, "specificity": 99.9},
    # batch57: 11 pairs, 6 operators, 3 material (set T: HarmonyOS apps' agreement pages and dialogs);
    # first look 66.7 / 60.0 / 75.0 (one page could not be decoded: an error, counted against it)
    # category precision lowered, 60.0 -> 50.0, since a reversed sentence naming a third party is about
    # that party (b2879d2): SiYuan's false alarm, a page read as code, gains one more category
    "batch57": {"sensitivity": 66.6, "category_precision": 50.0, "specificity": 75.0},
    # the seventh session's round of 2026-12-05 (six helpers, none of whom had read the classifier: sets V …
    # ZZ; put in an order drawn with `secrets` once all six were labelled, and held out in that order until
    # the held-out pairs were half the new ones: X, Z and ZZ held out); first looks at the classifier of
    # 3356b82:
    # holdout60: 40 pairs, 11 operators, 17 material (set X: sites' and services' policies kept in git,
    # locale files of policies, a trust centre's privacy page); first look 76.5 / 93.8 / 95.7
    "holdout60": {"sensitivity": 76.4, "category_precision": 93.7, "specificity": 95.6},
    # holdout61: 18 pairs, 5 operators, 5 material (set Z: bots, a chat client, an input method, an AI app);
    # first look 80.0 / 85.7 / 100
    "holdout61": {"sensitivity": 80.0, "category_precision": 85.7, "specificity": 99.9},
    # holdout62: 24 pairs, 8 operators, 11 material (set ZZ: campus and education apps, small firms' and
    # institutions' sites); first look 100 / 90.9 / 100
    "holdout62": {"sensitivity": 99.9, "category_precision": 90.9, "specificity": 99.9},
    # batch58: 23 pairs, 9 operators, 6 material (set Y: repositories of apps' legal pages, extensions'
    # policies); first look 100 / 70.0 / 70.6
    # tuned on: 100 / 77.8 / 82.4 (a key of code and a manifest's file name no recipients, 是 no part of an
    # SDK's name, 不可信 no denial; left: a page converted from zh-TW to zh-CN with Taiwan's words made the
    # mainland's, 裝置 → 设备, 個人化 → 个性化, three cosmetic pairs flagged)
    "batch58": {"sensitivity": 99.9, "category_precision": 77.7, "specificity": 82.3},
    # batch59: 12 pairs, 6 operators, 4 material (set W: Android apps' bundled pages, uni-app and
    # mini-program pages); first look 25.0 / 80.0 / 87.5
    # tuned on: 75.0 / 85.7 / 87.5 (a permission table's rows named by the platform's constants, WAKE_LOCK;
    # waking the app by itself, 自启动, a permission)
    "batch59": {"sensitivity": 75.0, "category_precision": 85.7, "specificity": 87.5},
    # batch60: 25 pairs, 6 operators, 18 material (set V: HarmonyOS apps' bundled policies, ArkTS pages and
    # a string resource file); first look 66.7 / 100 / 100
    # tuned on: 83.3 / 100 / 100 (items named by their labels under an intro that goes on after a comma,
    # 剪贴簿 the clipboard, taking information made optional a change of how it is processed)
    "batch60": {"sensitivity": 83.3, "category_precision": 99.9, "specificity": 99.9},
}


# Repositories that issue 13 holds out for an independent check: none of them may be read or used here.
INDEPENDENT = frozenset(
    name.lower()
    for name in (
        "heruoxin/FilterBox-Doc",
        "heruoxin/Ice-Box-Docs",
        "ValerieHu1995/qunaer-agreement",
        "kaku2015/PrivacySafeDocs",
        "Hiraten/PrivacySafe",
        "zacharykzhao/CA4P-483",
        "EnlightenedAI/CAPP-130",
        "openeuler-mirror/website-v2",
        "openlookeng/website",
        "opensourceways/oneid-website",
        "mindspore-ai/Xihe-website",
        "usongame/gameprivacy",
        "yifangkeji/app",
        "DingMaster/app",
        "ixsvsoft/ixsvsoft",
        "suoxiaoxiao/privacyProtocol",
        "CHENJUNREN/app-privacy-policy",
        "HopeFutureTech/HopeFutureTech.github.io",
        "MyMaskKing/cloud_bookmark",
        "feji08/jingwen-legal",
        "kakawah1122/smartfarm",
    )
)


def labels(split: str) -> list[dict[str, object]]:
    return json.loads((HERE / split / "index.json").read_text(encoding="utf-8"))


def sources() -> list[dict[str, str]]:
    return json.loads((HERE / "sources.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# the benchmark itself


def test_counts_meet_the_brief() -> None:
    every = [lab for split in SETS for lab in labels(split)]
    operators = {s["operator"] for s in sources()}
    assert len(every) >= 40 and len(operators) >= 10
    assert sum(not lab["material"] for lab in every) >= 12
    share = sum(len(labels(split)) for split in HELD_OUT) / len(every)
    assert share >= 0.25, share  # at least a quarter is kept out of all tuning
    assert {s["split"] for s in sources()} == set(SETS)
    assert len(sources()) == len(every)


def test_no_pair_comes_from_a_repository_held_out_for_the_independent_check() -> None:
    used = sorted({s["repo"] for s in sources() if s["repo"].lower() in INDEPENDENT})
    assert not used, used


def test_holdout_operators_are_not_in_the_tuning_set() -> None:
    by_split: dict[str, set[str]] = {split: set() for split in SETS}
    repos: dict[str, set[str]] = {split: set() for split in SETS}
    for s in sources():
        by_split[s["split"]].add(s["operator"])
        repos[s["split"]].add(s["repo"])
    tuned = set().union(*(by_split[split] for split in TUNING))
    tuned_repos = set().union(*(repos[split] for split in TUNING))
    for split in HELD_OUT:
        assert not tuned & by_split[split], split
        assert not tuned_repos & repos[split], split
    for a, b in ((x, y) for x in HELD_OUT for y in HELD_OUT if x < y):
        assert not by_split[a] & by_split[b], (a, b)


def test_no_held_out_text_is_in_a_tuning_set() -> None:
    """The same policy file reached through another repository (a product's renamed site) is the same
    operator: no file of a held-out pair is byte for byte a file of a tuning pair, and ids are unique."""
    digests: dict[str, set[str]] = {}
    for path in HERE.glob("*/*/*"):
        if path.stem in ("old", "new") and path.parent.parent.name in SETS:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            digests.setdefault(digest, set()).add(path.parent.parent.name)
    mixed = [sets for sets in digests.values() if sets & set(HELD_OUT) and sets & set(TUNING)]
    assert not mixed, mixed
    ids = Counter(str(lab["id"]) for split in SETS for lab in labels(split))
    assert max(ids.values()) == 1, ids.most_common(3)


@pytest.mark.parametrize("split", SETS)
def test_every_case_is_complete_and_consistent(split: str) -> None:
    known = {s["id"]: s for s in sources()}
    folders = sorted(p.name for p in (HERE / split).iterdir() if p.is_dir())
    assert folders == sorted(str(lab["id"]) for lab in labels(split))
    for lab in labels(split):
        assert set(lab) == KEYS, lab["id"]
        src = known[str(lab["id"])]
        assert src["split"] == split and src["ext"] == lab["ext"]
        assert re.fullmatch(r"[0-9a-f]{40}", src["old_commit"]) and re.fullmatch(
            r"[0-9a-f]{40}", src["new_commit"]
        )
        folder = HERE / split / str(lab["id"])
        old, new = (folder / f"old.{lab['ext']}").read_bytes(), (folder / f"new.{lab['ext']}").read_bytes()
        assert old != new, lab["id"]
        assert lab["evidence"], lab["id"]
        expect, allow = set(lab["expect_any"]), set(lab["allow"])  # type: ignore[call-overload]
        assert expect <= allow <= CATEGORIES, lab["id"]
        if lab["material"]:
            assert expect and lab["marker"], lab["id"]
            side = new if lab["marker_in"] == "new" else old
            marker = str(lab["marker"])  # in the file's bytes, UTF-8 or GBK (a page of 2019 in GBK), or in
            # its text without tags (a page exported from Word splits a sentence into runs of <span>)
            found = marker.encode() in side or marker.encode("gb18030") in side
            assert found or _no_tags(marker) in _no_tags(side.decode("utf-8", "replace")), lab["id"]
        else:
            assert not expect and lab["marker"] == "", lab["id"]


def _no_tags(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", text))


def test_the_second_opinion_agrees() -> None:
    """Every second label agrees with the first (material or not; compatible categories), but those
    marked ``disputed``: each of those really disagrees, and they are at most a fifth of all."""
    first = {str(lab["id"]): lab for split in SETS for lab in labels(split)}
    second = json.loads((HERE / "second_opinion.json").read_text(encoding="utf-8"))
    assert len(second) >= 10
    disputed = 0
    for lab in second:
        mine = first[lab["id"]]
        agrees = mine["material"] == lab["material"] and (
            not lab["material"] or bool(set(mine["expect_any"]) & set(lab["allow"]))  # type: ignore[call-overload]
        )
        assert agrees is not bool(lab.get("disputed")), lab["id"]
        disputed += bool(lab.get("disputed"))
    assert disputed <= len(second) / 5, disputed


def test_operators_are_spread() -> None:
    per = Counter(s["operator"] for s in sources())
    assert max(per.values()) <= 8, per.most_common(3)


# ---------------------------------------------------------------------------------------------
# the classifier on it


def _pooled(sets: Sequence[str], root: Path) -> Path:
    """One folder of score.py's format holding every pair of ``sets`` (links to their folders)."""
    index = []
    for split in sets:
        for lab in labels(split):
            name = f"{split}__{lab['id']}"
            (root / name).symlink_to(HERE / split / str(lab["id"]), target_is_directory=True)
            index.append({**lab, "id": name})
    (root / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    """Each set scored by score.py, and the tuning sets together (``TUNING``), as many at a time as
    this machine has cores: one process per set all at once (59 on 2 cores) slowed every case to tens
    of seconds and timed some out."""
    cmd = f"{sys.executable} -m monitor compare {{old}} {{new}} --format json"
    folders = {split: HERE / split for split in SETS}
    folders["TUNING"] = _pooled(TUNING, tmp_path_factory.mktemp("tuning"))

    def score(folder: Path) -> dict[str, float]:
        argv = [sys.executable, str(SCORE), str(folder), "--json", "--cmd", cmd]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=3600, check=True)
        return dict(json.loads(done.stdout))

    order = sorted(folders, key=lambda name: name != "TUNING")  # the longest first
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        out = dict(zip(order, pool.map(score, [folders[name] for name in order]), strict=True))
    print(json.dumps(out, indent=1))  # the figures of this run (-s, or on failure)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(GOAL))
def test_the_tuning_sets_together_meet_the_goal(scores: dict[str, dict[str, float]], metric: str) -> None:
    """The brief's aim, on every tuning pair scored as one benchmark; the held-out sets together are
    short of it (their figures are in the closing notes and the README): they measure, nothing more."""
    assert scores["TUNING"]["errors"] == sum(NO_TEXT.get(split, 0) for split in TUNING)  # pages refused
    assert scores["TUNING"][metric] >= GOAL[metric], f"tuning {metric}: {scores['TUNING'][metric]:.1f}"


@pytest.mark.slow
@pytest.mark.parametrize("split", SETS)
def test_every_pair_runs(scores: dict[str, dict[str, float]], split: str) -> None:
    """Every pair is compared, but for pages that hold no text at all, which ``compare`` refuses with a
    clear error (and ``score.py`` counts against the set): NO_TEXT."""
    assert scores[split]["errors"] == NO_TEXT.get(split, 0)


# pages that hold no text, by set: DanXi's policy page turned into a redirect stub
# (<meta http-equiv="refresh" content="0;url=/#privacy">) and back, two cosmetic pairs of holdout54; a
# page of batch57 saved with 93 of its characters' bytes broken (5 % of its Chinese), which compare
# refuses as undecodable as the watcher refuses such a capture (a page with more than one broken byte in a
# thousand is no version)
NO_TEXT = {"holdout54": 2, "batch57": 1}


@pytest.mark.slow
@pytest.mark.parametrize("split", SETS)
@pytest.mark.parametrize("metric", sorted(GOAL))
def test_no_worse_than_before(scores: dict[str, dict[str, float]], split: str, metric: str) -> None:
    bar = BARS[split][metric]
    if bar is None:  # a set of cosmetic pairs only: no material pair to be sensitive to
        assert metric != "specificity" and not any(lab["material"] for lab in labels(split)), split
        return
    assert scores[split][metric] >= bar, f"{split} {metric}: {scores[split][metric]:.1f}"
