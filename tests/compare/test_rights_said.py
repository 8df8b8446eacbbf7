"""What a clause's words say about rights (``monitor.compare.rights_said``), table-driven on sentences of
real revisions (tests/real), and a verdict in a whole comparison."""

from __future__ import annotations

import pytest

from monitor.compare import rights_said
from monitor.compare.comparison import compare
from monitor.document.parse import parse


@pytest.mark.parametrize(
    ("text", "rights", "switches"),
    [
        # Zalith Launcher (tests/real/batch43): cookies refused in the browser's settings
        ("我们使用 Cookie 记录您的语言偏好。您可以根据浏览器设置管理或拒绝 Cookie。", {"拒绝"}, {"拒绝"}),
        # permissions turned on or off in the device's system
        ("您可以在设备系统中逐项查看权限的开启状态,并可以决定将这些权限随时开启或关闭。", {"关闭"}, {"关闭"}),
        ("您可以在手机的设置中将这些权限随时开启或关闭。", {"关闭"}, {"关闭"}),
        # a cookie banner's choice (ccknbc's blog, tests/real/holdout19)
        ("您有机会允许和/或拒绝使用 Cookies。", {"拒绝"}, {"拒绝"}),
        # a right the policy grants, named once in the settings and once on its own
        ("您可以通过浏览器设置删除 Cookie。您也可以联系我们删除您的个人信息。", {"删除"}, set()),
        ("您可以联系我们删除您的账号。", {"删除"}, set()),
    ],
)
def test_a_right_only_ever_named_beside_the_settings_is_a_switch(
    text: str, rights: set[str], switches: set[str]
) -> None:
    assert rights_said.in_settings(text, frozenset(rights)) == frozenset(switches)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Clipboard Safe (tests/real/holdout18): what stops working once a permission is withdrawn
        ("您可以随时在系统偏好设置中撤销此权限。撤销后,粘贴功能将无法使用。", None),
        ("撤回同意后,我们将无法继续为您提供相应服务。", None),
        ("您需要提交书面请求。", "书面"),
        ("注销账号后您将无法找回数据。", "无法"),
        ("任何用户无法访问您的数据。", None),  # what others cannot do
        # what the app cannot do, its subject at the head of the sentence (IPcamVision Pro, batch45)
        ("访问用户选择的文件:应用程序只能将录像保存到您选择的文件夹中,无法访问磁盘上的其他内容。", None),
        ("应用程序会删除数据,您无法恢复已删除的账号。", "无法"),
    ],
)
def test_an_obstacle_stands_in_the_users_way(text: str, want: str | None) -> None:
    assert rights_said.obstacle(text) == want


def test_refusing_cookies_in_the_browser_gone_with_its_clause_is_no_change_of_rights() -> None:
    """A clause on cookies, managed in the browser's settings, replaced by local storage (Zalith Launcher,
    tests/real/batch43): a change of processing, not of the user's rights."""
    old = (
        "# 隐私政策\n\n## 1. 我们收集的信息\n\n### 1.3 Cookie 使用\n\n我们使用 Cookie 来提升您的浏览体验,"
        "包括记录您的语言偏好。您可以根据浏览器设置管理或拒绝 Cookie。\n\n## 2. 联系我们\n\n邮箱:a@example.cn\n"
    )
    new = old.replace(
        "### 1.3 Cookie 使用\n\n我们使用 Cookie 来提升您的浏览体验,包括记录您的语言偏好。您可以根据浏览器设置管理或拒绝 Cookie。",
        "### 1.3 本地存储\n\n我们使用浏览器的本地存储记录您的语言偏好,这些数据仅存储在您的设备本地。",
    )
    cmp = compare(parse(old.encode(), media_type="markdown"), parse(new.encode(), media_type="markdown"))
    flagged = {c for change in cmp.changes if change.material for c in change.categories}
    assert "rights" not in flagged
