"""A third party's service stays stated where the other version names its provider just before it,
in other words (存储在 GSA 的亚马逊网络服务 → 存储在联邦总务管理局(GSA)的亚马逊网络服务, Login.gov,
tests/real/batch18): a provider written in parentheses is no recipient gone. A service another
provider now gives is still news."""

from __future__ import annotations

import pytest

from tests.helpers import flagging

BODY = "隐私政策\n一、你分享的信息会如何处理\n{}你可以在你的账户页面修改你的电邮地址。\n二、联系我们\n邮箱:a@example.cn\n"


def flagged(old: str, new: str) -> set[str]:
    return flagging.flagged(BODY, old, new)


@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        (
            "所有的记录都以电子形式存储在GSA的亚马逊网络服务(AWS)环境中。",
            "所有的记录都以电子形式存储在联邦总务管理局(GSA)的亚马逊网络服务(AWS)环境中。",
            set(),
        ),
        (
            "所有的记录都以电子形式存储在Tencent Cloud的对象存储服务中。",
            "所有的记录都以电子形式存储在Alibaba Cloud的对象存储服务中。",
            {"recipients"},
        ),
    ],
)
def test_a_service_restated_with_its_provider(old: str, new: str, want: set[str]) -> None:
    assert flagged(old, new) == want
