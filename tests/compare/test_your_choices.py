"""A section on the user's choices (你的选择, 用户选择, 你的权利与选择: a policy's "Your choices") tells
the user what they may do about their data: a way it names that goes is a right taken away
(喜伴, 菠萝白牛易经, tests/real/batch26 and batch15). A choice whether to turn something on leaves the
user free to turn it off (开通或关闭 → 选择是否开通: no right lost)."""

from __future__ import annotations

import pytest

from tests.helpers import flagging

BODY = "隐私政策\n你的选择\n{}\n联系我们\n邮箱:help@example.cn\n"


def flagged(old: str, new: str) -> set[str]:
    return flagging.flagged(BODY, old, new, media_type="text/markdown")


@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        (  # 喜伴 (tests/real/batch26): the export of a backup is no longer offered
            "你可以导出本地文字数据备份、关闭自动同步,或由管理员删除整个云端婚礼空间。",
            "你可以开通或关闭自动同步,也可以由管理员删除整个云端婚礼空间。",
            {"rights"},
        ),
        (  # 菠萝白牛易经 (tests/real/batch15): deleting favourites in the app is no longer offered
            "您可通过设备设置管理照片库权限,控制应用访问数据。此外,您可在应用内管理本地偏好设置,如删除收藏。",
            "您可通过设备设置管理照片库权限,控制应用访问数据。",
            {"rights"},
        ),
        (  # 喜伴 (tests/real/batch26): a choice whether to turn sync on is the choice to leave it off
            "你可以开通或关闭自动同步,也可以由管理员删除整个云端婚礼空间。",
            "你可以选择是否开通云端同步,也可以由管理员删除整个云端婚礼空间。",
            set(),
        ),
    ],
)
def test_a_way_taken_from_the_users_choices(old: str, new: str, want: set[str]) -> None:
    assert flagged(old, new) == want
