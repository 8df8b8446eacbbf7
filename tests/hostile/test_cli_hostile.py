"""Hostile pages and careless watchlists through the real ``policy-monitor check`` and ``validate``
subprocesses: every page is a result (a version, or a failed check with its reason), every bad
watchlist one line on stderr with exit status 2, never a traceback, never a secret echoed."""

from __future__ import annotations

import json
import socket
import time

import pytest

from tests.helpers.policy_server import PolicyServer
from tests.helpers.trickle import TrickleServer
from tests.hostile.conftest import Cli, watchlist

PAGES = ("nested", "bad-port", "gbk-bad", "escapes", "script", "binary", "empty")


def outcomes(stdout: str) -> dict[str, tuple[str, str]]:
    return {r["operator"]: (r["outcome"], r["reason"] or "") for r in json.loads(stdout)}


def test_check_of_every_hostile_page_is_a_result_never_a_crash(
    cli: Cli, hostile_server: PolicyServer
) -> None:
    cli.write(watchlist({name: hostile_server.url(f"/{name}") for name in PAGES}))
    t0 = time.monotonic()
    ran = cli("check", "--format", "json", "--no-deliver")
    assert ran.rc == 0
    got = outcomes(ran.stdout)
    assert set(got) == set(PAGES)
    assert got["nested"][0] in ("failed", "suspicious") and "nested too deep" in got["nested"][1]
    assert got["bad-port"][0] == "failed" and "port 99999 is out of range" in got["bad-port"][1]
    for ok in ("gbk-bad", "escapes", "script"):
        assert got[ok][0] == "changed", (ok, got[ok])
    assert got["binary"][0] in ("failed", "suspicious") and got["empty"][0] in ("failed", "suspicious")
    assert time.monotonic() - t0 < 60
    # and again: nothing is stuck, the good ones are unchanged
    again = outcomes(cli("check", "--format", "json", "--no-deliver").stdout)
    assert {again[k][0] for k in ("gbk-bad", "escapes", "script")} <= {"unchanged", "not_modified"}
    status = cli("status", "--format", "json")
    assert status.rc == 0 and "checking now" not in status.stdout


@pytest.mark.slow
def test_a_megabyte_clause_with_140k_distinct_words_changes_without_a_crash(
    cli: Cli, hostile_server: PolicyServer
) -> None:
    cli.write(
        watchlist({"huge": hostile_server.url("/huge")}, "{per_host_delay: 0, retries: 0, timeout: 30s}")
    )
    assert (
        outcomes(cli("check", "--format", "json", "--no-deliver", timeout=300).stdout)["huge"][0] == "changed"
    )
    page = hostile_server.pages["/huge"]
    page.body = page.body.replace(b"5.1 w", b"5.1 changed w", 1)
    got = outcomes(cli("check", "--format", "json", "--no-deliver", timeout=300).stdout)
    assert got["huge"][0] == "changed", got


def test_a_trickling_server_fails_at_its_deadline_and_holds_no_one_else(
    cli: Cli, hostile_server: PolicyServer
) -> None:
    with TrickleServer(every=0.3) as slow:
        cli.write(
            watchlist(
                {"slow": slow.url(), "same-host": hostile_server.url("/script")},
                "{per_host_delay: 0, retries: 2, timeout: 2s, deadline: 3s}",
            )
        )
        t0 = time.monotonic()
        got = outcomes(cli("check", "--format", "json", "--no-deliver").stdout)
        took = time.monotonic() - t0
    assert got["slow"] == ("failed", "no complete answer in 3 s (deadline)")
    assert got["same-host"][0] == "changed"
    assert took < 20  # before: 3 attempts of 3 x 2 s, each holding the host


def _private_hostname() -> str | None:
    """This machine's name when it resolves to a loopback or private address (Debian: 127.0.1.1)."""
    from monitor.watch.netguard import is_private

    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)}
    except OSError:
        return None
    return name if addresses and all(is_private(str(a)) for a in addresses) else None


def test_a_watched_name_resolving_to_a_private_address_needs_allow_private(
    cli: Cli, hostile_server: PolicyServer
) -> None:
    name = _private_hostname()
    if name is None:
        pytest.skip("this machine's name does not resolve to a private address")
    url = f"http://{name}:{hostile_server.port}/script"
    cli.write(watchlist({"intranet": url}))
    reason = outcomes(cli("check", "--format", "json", "--no-deliver").stdout)["intranet"]
    assert reason[0] == "failed" and "resolves to the private address" in reason[1]
    cli.write(watchlist({"intranet": url}) + "    allow_private: true\n")
    assert outcomes(cli("check", "--format", "json", "--no-deliver").stdout)["intranet"][0] == "changed"


OP = "operators:\n  - id: a\n    name: A\n    url: 'http://127.0.0.1:8080/'\n"
BAD_WATCHLISTS = [
    pytest.param("a: &a [*a]\n", ":1: a[0]: an alias that contains itself", id="self-alias"),
    pytest.param(
        "x: " + "[" * 3000 + "]" * 3000 + "\n", ":1: nested more than 64 levels deep", id="3000-deep"
    ),
    pytest.param(
        "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
        + "".join(
            f"{c}: &{c} [{','.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "more than 200000 values once aliases are expanded",
        id="billion-laughs",
    ),
    pytest.param(OP.replace("8080", "99999"), ":4: operators[0] (a).url: invalid port", id="port-99999"),
    pytest.param(
        OP.replace("name: A", 'name: "A\\r\\nX: y"'),
        ":3: operators[0] (a).name: control character",
        id="crlf-name",
    ),
    pytest.param(
        OP + "    headers: {Authorization: Bearer SECRET123}\n",
        ":5: operators[0] (a).headers: header 'Authorization' carries a secret",
        id="inline-authorization",
    ),
    pytest.param(
        "channels:\n  mail: {type: email, host: smtp.example.com, from: a@example.com, to: [b@example.com], "
        "username_env: U, password_env: P}\n" + OP,
        ":2: channels.mail: the SMTP credentials would cross the network in clear text",
        id="plaintext-auth",
    ),
    pytest.param(
        "channels:\n  mail: {type: email, host: smtp.example.com, from: a@example.com, to: [b@example.com], "
        "starttls: true, ca_file: /nonexistent/ca.pem}\n" + OP,
        ":2: channels.mail.ca_file: no such CA file",
        id="missing-ca-file",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_WATCHLISTS)
def test_validate_and_check_refuse_a_bad_watchlist_in_one_line(cli: Cli, text: str, expected: str) -> None:
    path = cli.write(text)
    for args in (("validate",), ("check", "--no-deliver")):
        ran = cli(*args, timeout=60)
        assert ran.rc == 2
        first = ran.stderr.strip().splitlines()[0]
        assert first.startswith(f"policy-monitor: error: {path}") and expected in first, ran.stderr
        assert "SECRET123" not in ran.stderr


def test_a_database_password_is_never_echoed(cli: Cli) -> None:
    cli.write(OP)
    for db in ("postgresql+foo://u:PGSECRET@h/db", "postgresql+psycopg://u:PGSECRET@127.0.0.1:1/db"):
        ran = cli("--db", db, "list", timeout=60)
        assert ran.rc == 2 and "PGSECRET" not in ran.stderr and "***" in ran.stderr, ran.stderr


def test_a_webhook_url_with_credentials_is_masked_in_errors_and_the_outbox(
    cli: Cli, hostile_server: PolicyServer
) -> None:
    hook = "http://hookuser:HOOKPASS@127.0.0.1:1/hook/Tok3nAbcdefGhij1234567890?access_token=QTOKEN"
    cli.write(
        f"channels:\n  hook: {{type: webhook, url: '{hook}'}}\n"
        "defaults: {alerts: [hook], trigger: {failures: 1}}\n"
        + watchlist({"bad": hostile_server.url("/bad-port")}).replace("operators:", "operators:", 1)
    )
    ran = cli("alerts", "test", "hook")
    assert ran.rc == 2
    assert (
        "HOOKPASS" not in ran.stderr
        and "Tok3nAbcdefGhij1234567890" not in ran.stderr
        and "QTOKEN" not in ran.stderr
    )
    assert "hookuser:***@127.0.0.1:1" in ran.stderr
    cli("check")  # one failed check: a failure alert, whose delivery fails
    listed = cli("alerts", "list", "--format", "json").stdout
    rows = json.loads(listed)
    assert rows and rows[0]["event"] == "policy.check_failed" and rows[0]["last_error"]
    for shown in (listed, cli("alerts", "list").stdout, cli("alerts", "show", rows[0]["id"]).stdout):
        assert "HOOKPASS" not in shown and "QTOKEN" not in shown and "Tok3nAbcdefGhij1234567890" not in shown


def test_alerts_test_with_an_unreadable_ca_file_is_one_line(cli: Cli) -> None:
    (cli.tmp / "ca.pem").write_text("not a certificate\n", encoding="utf-8")
    cli.write(
        "channels:\n  mail: {type: email, host: 127.0.0.1, port: 1, starttls: true, ca_file: ca.pem, "
        "from: a@example.com, to: [b@example.com]}\n" + OP
    )
    assert cli("validate").rc == 0
    ran = cli("alerts", "test", "mail")
    assert (
        ran.rc == 2 and "cannot load the CA file 'ca.pem'" in ran.stderr and len(ran.stderr.splitlines()) == 1
    )
