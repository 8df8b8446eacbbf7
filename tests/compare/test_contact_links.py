"""A link's target is a fact, never text: where a policy gives no e-mail address and no phone, it is
reached through its links, so a contact link that opens another address is a change of contact
channel though every word of the page stays (CatHeadTab and Talo, tests/real/batch14 and batch21).
Where the policy gives an e-mail address, its links are the site's; a text or a PDF holds no link
targets, so none are compared with it."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.document.links import annotation, split_links
from monitor.document.parse import parse
from monitor.model import LINK_MARK

PAGE = (
    "<h1>隐私政策</h1><h2>我们收集的信息</h2><p>本扩展不收集任何个人信息。</p>"
    "<h2>数据存储</h2><p>设置保存在浏览器本地。</p>"
    '<h2>联系我们</h2><p>如果您有任何疑问,请在我们的 <a href="{href}">GitHub 仓库</a> 中提交 Issue。{more}</p>'
)
OLD = "https://github.com/CatHeadTab/CatHeadTab"


def page(href: str, more: str = "") -> bytes:
    return PAGE.format(href=href, more=more).encode()


def flagged(old: bytes, new: bytes, media_type: str = "html") -> tuple[set[str], int]:
    a = parse(old, media_type="html", source="old")
    b = parse(new, media_type=media_type, source="new")  # type: ignore[arg-type]
    cmp = compare(a, b)
    return {cat for c in cmp.changes if c.material for cat in c.categories}, len(cmp.changes)


def test_the_target_is_kept_beside_the_text() -> None:
    doc = parse(page(OLD), media_type="html", source="p")
    line = next(c for c in doc.clauses() if c.title == "联系我们").lines[0]
    assert "github.com" not in line and LINK_MARK not in line
    assert [(text[:end].endswith("GitHub 仓库"), target) for text, end, target in doc.links] == [(True, OLD)]


@pytest.mark.parametrize(
    ("href", "text", "written"),
    [
        (OLD, "GitHub 仓库", f"{LINK_MARK}{OLD}{LINK_MARK}"),
        ("#contact", "联系我们", ""),  # a place on the page
        ("mailto:a@example.cn", "邮箱", ""),  # cfemail.py writes the address out
        ("https://example.cn/", "https://example.cn", ""),  # the text shows it
        ("https://www.Example.cn/a#top", "example.cn/a", ""),  # without its scheme
    ],
)
def test_annotation(href: str, text: str, written: str) -> None:
    assert annotation(href, text) == written


def test_split_links() -> None:
    line = f"请在 GitHub 仓库{LINK_MARK}{OLD}{LINK_MARK} 中提交 Issue。"
    assert split_links([line, "其他"]) == (
        ["请在 GitHub 仓库 中提交 Issue。", "其他"],
        [(line.split(LINK_MARK)[0] + " 中提交 Issue。", 12, OLD)],
    )


def test_a_contact_link_that_opens_another_repository_is_a_change() -> None:
    assert flagged(page(OLD), page("https://github.com/DeaglePC/CatHeadTab")) == ({"contact"}, 1)


def test_the_same_target_with_a_fragment_or_percent_encoded_is_none() -> None:
    assert flagged(page(OLD), page(OLD + "/#readme")) == (set(), 0)
    assert flagged(page(OLD), page(OLD.replace("Head", "%48ead"))) == (set(), 0)


def test_beside_an_e_mail_address_a_link_is_the_site_s() -> None:
    more = "或发送邮件至 a@example.cn。"
    assert flagged(page(OLD, more), page("https://github.com/DeaglePC/CatHeadTab", more)) == (set(), 0)


def test_a_text_holds_no_link_targets_to_compare() -> None:
    text = "隐私政策\n我们收集的信息\n本扩展不收集任何个人信息。\n数据存储\n设置保存在浏览器本地。\n联系我们\n如果您有任何疑问,请在我们的 GitHub 仓库 中提交 Issue。\n"
    assert flagged(page(OLD), text.encode(), media_type="text")[0] == set()


@pytest.mark.parametrize(
    ("old_host", "new_host"),
    [
        ("http://119.45.194.183/", "http://154.23.191.94/"),
        ("https://stats.example.cn/", "https://data.example.cn/"),
    ],
)
def test_where_published_data_is_shown_is_no_channel_whatever_its_host(old_host: str, new_host: str) -> None:
    """A public telemetry dashboard's address, its host an IPv4 address as well as a name, that the
    inventory never reads as the operator's channel (lua-language-server, tests/real/holdout17)."""
    doc = (
        "# 概述\n\n向团队发送使用情况统计信息和错误报告。\n\n# 如何使用收集的数据\n\n"
        "收集的数据用于改进 Lua-language-server。收集的数据是公开的,您可以在 {} 找到。\n"
    )
    cmp = compare(
        parse(doc.format(old_host).encode(), media_type="markdown"),
        parse(doc.format(new_host).encode(), media_type="markdown"),
    )
    assert not cmp.material, [c.evidence for c in cmp.changes]
