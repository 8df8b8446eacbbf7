"""watchlist.yaml written carelessly or with hostile intent: every case a WatchlistError naming the
file and line (never a RecursionError, a MemoryError or a value that fails only at delivery)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monitor.watch.target import Target
from monitor.watchlist import MAX_BYTES, WatchlistError, load, loads

OP = "operators:\n  - id: a\n    name: A\n    url: 'http://127.0.0.1:8080/'\n"


def laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * 10)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


YAML_BOMBS = [
    pytest.param("a: &a [*a]\n", "w.yaml:1: a[0]: an alias that contains itself", id="self-alias"),
    pytest.param("a: &a {b: *a}\n", "w.yaml:1: a.b: an alias that contains itself", id="self-alias-map"),
    pytest.param(
        "operators: " + "[" * 3000 + "]" * 3000 + "\n",
        "w.yaml:1: nested more than 64 levels deep",
        id="3000-deep-flow",
    ),
    pytest.param(
        "".join("  " * i + "k:\n" for i in range(100)),
        "w.yaml:64: nested more than 64 levels deep",
        id="deep-block",
    ),
    pytest.param(
        laughs(), "more than 200000 values once aliases are expanded (an alias bomb?)", id="billion-laughs"
    ),
    pytest.param("a: &a [1]\n? *a\n: 3\n", "a key must be a plain value", id="collection-key"),
]


@pytest.mark.parametrize(("text", "expected"), YAML_BOMBS)
def test_hostile_yaml_is_a_watchlist_error_naming_the_file(text: str, expected: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    assert expected in str(err.value) and str(err.value).startswith("w.yaml")
    assert time.monotonic() - t0 < 5


def test_an_oversized_watchlist_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "w.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES * 5)
    with pytest.raises(WatchlistError, match=r"w.yaml: \d+ bytes, over the 2 MiB a watchlist may have"):
        load(big)
    with pytest.raises(WatchlistError, match="over the 2 MiB"):
        loads("#" * (MAX_BYTES + 1), "w.yaml")


def test_aliases_of_plain_values_still_work() -> None:
    wl = loads(
        "defaults: {interval: &i 6h}\noperators:\n  - {id: a, name: A, url: 'http://x.cn/', interval: *i}\n"
    )
    assert wl.interval(wl.operators[0]) == 6 * 3600


def _hook(**extra: str) -> str:
    body = "".join(f"    {k}: {v}\n" for k, v in extra.items())
    return f"channels:\n  hook:\n    type: webhook\n{body}" + OP


def _mail(**extra: str) -> str:
    base = {"host": "smtp.example.com", "from": "a@example.com", "to": "[b@example.com]", **extra}
    body = "".join(f"    {k}: {v}\n" for k, v in base.items())
    return f"channels:\n  mail:\n    type: email\n{body}" + OP


INVALID = [
    pytest.param(
        "operators:\n  - {id: a, name: A, url: 'http://127.0.0.1:99999/'}\n",
        "w.yaml:2: operators[0] (a).url: invalid port in URL 'http://127.0.0.1:99999/' (1-65535)",
        id="port-above-65535",
    ),
    pytest.param(
        'operators:\n  - {id: a, name: "A\\r\\nBcc: x", url: "http://x.cn/"}\n',
        "w.yaml:2: operators[0] (a).name: control character (CR, LF, tab …) in value",
        id="crlf-in-operator-name",
    ),
    pytest.param(
        _hook(url='"https://hooks.example.com/x\\r\\nX-Evil: 1/"'),
        "w.yaml:4: channels.hook.url: control character",
        id="crlf-in-webhook-url",
    ),
    pytest.param(
        _hook(url="https://hooks.example.com/x", headers='{X-Team: "a\\r\\nX-Evil: 1"}'),
        "w.yaml:5: channels.hook.headers: control character (CR, LF, tab …) in header X-Team",
        id="crlf-in-webhook-header",
    ),
    pytest.param(
        _hook(url="https://hooks.example.com/x", headers="{Authorization: Bearer abc}"),
        "w.yaml:5: channels.hook.headers: header 'Authorization' carries a secret",
        id="inline-authorization",
    ),
    pytest.param(
        "defaults:\n  headers: {Cookie: sid=abc}\n" + OP,
        "w.yaml:2: defaults.headers: header 'Cookie' carries a secret and must not be written in the "
        "watchlist: move it to `headers_env:`",
        id="inline-cookie",
    ),
    pytest.param(
        OP + "    headers: {X-Api-Key: abc}\n",
        "operators[0] (a).headers: header 'X-Api-Key' carries a secret",
        id="inline-api-key",
    ),
    pytest.param(
        OP + "    headers_env: {Authorization: not a name}\n",
        "operators[0] (a).headers_env: header 'Authorization': 'not a name' is not an environment variable name",
        id="headers-env-bad-variable",
    ),
    pytest.param(
        _mail(**{"from": '"a@example.com\\r\\nBcc: x@evil.com"'}),
        "w.yaml:5: channels.mail.from: control character",
        id="crlf-in-from",
    ),
    pytest.param(
        _mail(to='["b@example.com\\nBcc: x"]'), "channels.mail.to[0]: control character", id="lf-in-to"
    ),
    pytest.param(
        _mail(subject_prefix='"[pm]\\r\\n"'),
        "channels.mail.subject_prefix: control character",
        id="crlf-in-subject",
    ),
    pytest.param(
        _mail(ca_file="/nonexistent/ca.pem", starttls="true"),
        "channels.mail.ca_file: no such CA file '/nonexistent/ca.pem'",
        id="missing-ca-file",
    ),
    pytest.param(
        _mail(username_env="SMTP_USER", password_env="SMTP_PASSWORD"),
        "w.yaml:2: channels.mail: the SMTP credentials would cross the network in clear text",
        id="plaintext-auth",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INVALID)
def test_what_would_fail_at_delivery_fails_validation_with_file_line_field(text: str, expected: str) -> None:
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    assert expected in "\n".join(err.value.problems)


def test_plaintext_auth_when_allowed_and_tls_with_credentials_load() -> None:
    loads(_mail(username_env="U", password_env="P", allow_plaintext_auth="true"), "w.yaml")
    loads(_mail(username_env="U", password_env="P", starttls="true"), "w.yaml")
    loads(_mail(username_env="U", password_env="P", ssl="true"), "w.yaml")


def test_secret_headers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "defaults:\n  headers_env: {Cookie: PM_COOKIE}\n" + OP + "    headers_env: {Authorization: PM_AUTH}\n"
    )
    wl = loads(text, "w.yaml")
    monkeypatch.setenv("PM_COOKIE", "sid=1")
    monkeypatch.setenv("PM_AUTH", "Bearer t0ken")
    target = Target.of(wl.operators[0], wl)
    assert target.headers == {"Cookie": "sid=1", "Authorization": "Bearer t0ken"} and target.refuse is None
    monkeypatch.delenv("PM_AUTH")
    target = Target.of(wl.operators[0], wl)
    assert target.refuse == "the environment variable PM_AUTH (header Authorization) is not set"
    assert "Authorization" not in target.headers


def test_a_problem_quoting_a_url_masks_its_password() -> None:
    text = "channels:\n  hook: {type: webhook, url: 'ftp://bot:HOOKPW@hooks.example.com/x'}\n" + OP
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    assert err.value.problems == [
        "w.yaml:2: channels.hook.url: not an http(s) URL: 'ftp://bot:***@hooks.example.com/x'"
    ]
