"""Two revisions of jd-express.txt that the end-to-end tests serve: one material (a new advertising
partner in 4.2.1), one cosmetic (a new date and a punctuation change)."""

from __future__ import annotations

from tests.helpers.edits import insert_line_after, replace_once

MATERIAL_LINE = "(0)为向您推送个性化广告,我们会与广告合作伙伴巨量引擎、腾讯广告共享您的设备信息和位置信息。"


def material(text: str) -> str:
    return insert_line_after(text, "4.2.1 业务共享", MATERIAL_LINE)


def cosmetic(text: str) -> str:
    """A date and a punctuation change: a new version, nothing material."""
    text = replace_once(text, "版本更新日期:2021年11月29日", "版本更新日期:2021年12月1日")
    return replace_once(text, "(1)拨打客服电话950616。", "(1)拨打客服电话:950616。")
