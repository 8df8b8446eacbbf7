"""Where the web view listens: loopback by default; elsewhere only with a warning or a token."""

from __future__ import annotations

import pytest

from monitor.cli.main import main
from monitor.web.server import exposure_warning, is_loopback


@pytest.mark.parametrize(
    ("host", "token", "warns"),
    [
        ("127.0.0.1", None, False),
        ("127.0.0.2", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("::", None, True),
        ("192.168.1.20", None, True),
        ("monitor.internal", None, True),
        ("0.0.0.0", "s3cr3t", False),
    ],
)
def test_binding_beyond_loopback_without_a_token_warns(host: str, token: str | None, warns: bool) -> None:
    warning = exposure_warning(host, token)
    assert (warning is not None) == warns
    assert is_loopback(host) == (host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    if warning:
        assert host in warning and "POLICY_MONITOR_TOKEN" in warning


def test_serve_help_teaches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for word in (
        "127.0.0.1",
        "POLICY_MONITOR_TOKEN",
        "/operators/ID/diff/OLD..NEW",
        "changes.atom",
        "format=json",
    ):
        assert word in out


def test_serve_rejects_a_public_url_that_is_not_http(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--public-url", "ftp://x"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
