"""monitor.redact: what a URL keeps (scheme, host, the shape of its path) and what it loses."""

from __future__ import annotations

import pytest

from monitor.redact import mask_secrets, mask_url


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "postgresql+psycopg://u:PGSECRET@db.internal/monitor",
            "postgresql+psycopg://u:***@db.internal/monitor",
        ),
        ("https://token@hooks.example.com/x", "https://***@hooks.example.com/x"),
        (
            "https://oapi.dingtalk.com/robot/send?access_token=abc123",
            "https://oapi.dingtalk.com/robot/send?access_token=***",
        ),
        (
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
        ),
        (
            "https://open.feishu.cn/open-apis/bot/v2/hook/0f8b3c2a-1234-4bcd-9ef0-1234567890ab",
            "https://open.feishu.cn/open-apis/bot/v2/hook/***",
        ),
        (
            "https://hooks.slack.com/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/T0001/B0001/***",
        ),
        ("https://example.com/privacy?lang=zh&page=2", "https://example.com/privacy?lang=zh&page=2"),
        (
            "https://example.com/legal/personal-information-protection-policy.html",
            "https://example.com/legal/personal-information-protection-policy.html",
        ),
        ("sqlite:///snapshots/monitor.db", "sqlite:///snapshots/monitor.db"),
        ("http://127.0.0.1:8080/p#frag", "http://127.0.0.1:8080/p#***"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_mask_secrets_masks_every_url_in_a_sentence_and_keeps_its_punctuation() -> None:
    text = "POST https://u:pw@h.example.com/a: HTTP 500; see (postgresql://x:y@db/z)."
    assert (
        mask_secrets(text) == "POST https://u:***@h.example.com/a: HTTP 500; see (postgresql://x:***@db/z)."
    )
