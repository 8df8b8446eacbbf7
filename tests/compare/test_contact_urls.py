"""A web address is a contact channel where its own sentence tells the user to reach the operator
there (可以通过 goblin.st/team 联系…背后的团队, Eranos, tests/real/batch22); one a contact section merely
mentions (the generator a page was made with, an API a paragraph names) is no channel. A page that
only moved to its owner's other domain (the same path), or from one domain of its own to another, is the
same channel, as is one whose link is now written relative to the site (/support-zh); on a host many owners
share (github.io) the same path is another owner's page."""

from __future__ import annotations

import pytest

from tests.helpers import flagging

BODY = "隐私政策\n一、我们收集的信息\n本应用不收集、不存储任何个人信息。\n二、联系方式\n{}\n"


def flagged(old: str, new: str) -> set[str]:
    return flagging.flagged(BODY, old, new)


@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        (
            "可以通过 soapbox.pub 联系本应用背后的团队。",
            "可以通过 goblin.st/team 联系本应用背后的团队。",
            {"contact"},
        ),
        (  # 私人通知 (tests/real/batch14): the generator the page was made with
            "如有疑问,请通过 a@example.cn 与我联系。此隐私政策页面是在 privacypolicytemplate.net 创建的。",
            "如有疑问,请通过 a@example.cn 与我联系。此隐私政策页面是在 app-privacy-policy-generator.net 创建的。",
            set(),
        ),
        (  # BetweenUs (tests/real/batch5): the support page left a preview domain for the product's own
            "支持邮箱:help@example.cn\n支持页面:https://betweenus-site.vercel.app/support/",
            "支持邮箱:help@example.cn\n支持页面:https://betweenus.app/support/",
            set(),
        ),
        (  # 小应生活 (tests/real/batch40): the site moved to a domain of its own, its contact page with it
            "您可通过小应生活官网https://www.mysit.life/contact上公示的联系方式于我们联系;邮箱:help@example.cn",
            "您可通过小应生活官网https://www.xiaoying.life/contact上公示的联系方式于我们联系;邮箱:help@example.cn",
            set(),
        ),
        (  # iScript Lab (tests/real/holdout25): the same page, its link now written relative to the site
            "有关个人信息处理的咨询,请联系:\n邮箱: hello@example.cn\n客户支持: https://iscript.dev/support-zh",
            "有关个人信息处理的咨询,请联系:\n邮箱: hello@example.cn\n客户支持: /support-zh",
            set(),
        ),
        (  # a relative link to another path is another page
            "有关个人信息处理的咨询,请联系:\n邮箱: hello@example.cn\n客户支持: https://iscript.dev/support-zh",
            "有关个人信息处理的咨询,请联系:\n邮箱: hello@example.cn\n客户支持: /help-center",
            {"contact"},
        ),
        (  # the same path on another owner's site is another channel
            "支持邮箱:help@example.cn\n支持页面:https://foo.github.io/support/",
            "支持邮箱:help@example.cn\n支持页面:https://bar.github.io/support/",
            {"contact"},
        ),
    ],
)
def test_a_web_address_to_reach_the_operator_at(old: str, new: str, want: set[str]) -> None:
    assert flagged(old, new) == want


def test_a_channel_labelled_by_a_type_s_word_is_no_type_collected() -> None:
    """开心成语 (tests/real/holdout29): 信息保护负责人联系电话 13527450042 gives a channel; its 联系电话 is
    the label of the operator's number, no new type of information collected."""
    body = "隐私政策\n一、我们收集的信息\n我们会收集您的昵称。\n十二、问题\n{}\n"
    old = "如有问题,可通过邮箱 help@example.cn 联系我们。"
    new = old + "\n公司名称 成都示例科技有限公司\n信息保护负责人联系电话 13527450042"
    assert flagging.flagged(body, old, new) == {"contact"}
    # a type the clause also says it collects stays one
    collects = old + "\n我们会收集您的联系电话。信息保护负责人联系电话 13527450042"
    assert "processing" in flagging.flagged(body, old, collects)
