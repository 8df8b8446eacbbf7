"""Alerts end to end (issue 6): checks against a real page server on loopback, delivery to a real
webhook receiver and a real SMTP server (aiosmtpd), the outbox surviving SIGKILL, failure alerts.

The trigger rules themselves are table-driven in tests/alerts/test_rules.py."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from monitor.cli.main import main
from monitor.store.db import open_store
from monitor.store.tables import AlertRow, VersionRow
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after, to_html
from tests.helpers.policy_server import Page, PolicyServer
from tests.helpers.receivers import Mailbox, WebhookReceiver, free_port, smtp_server
from tests.helpers.revisions import cosmetic, material

SECRET = "s3cr3t-用于测试"
FAST_FETCH = "fetch: {per_host_delay: 0, retries: 0, timeout: 2s}\n"


def page(text: str) -> bytes:
    return to_html(text).encode("utf-8")


@dataclass
class Setup:
    tmp: Path
    server: PolicyServer
    watchlist: Path
    db: str
    alerts_dir: Path

    def cli(self, *args: str) -> int:
        return main(["--watchlist", str(self.watchlist), "--db", self.db, *args])

    def revise(self, served: Page, body: bytes) -> None:
        """Check (a baseline), publish ``body``, check again."""
        assert self.cli("check") == 0
        served.body = body
        assert self.cli("check") == 0

    def subprocess(self, *args: str, failpoint: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PM_TEST_SECRET": SECRET}
        if failpoint:
            env["POLICY_MONITOR_FAILPOINTS"] = failpoint
        cmd = [sys.executable, "-m", "monitor", "--watchlist", str(self.watchlist), "--db", self.db, *args]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=self.tmp)

    def rows(self) -> list[AlertRow]:
        store = open_store(self.db, raw=self.tmp / "raw")
        try:
            with store.session() as s:
                return list(s.exec(select(AlertRow).order_by(AlertRow.created_at)))
        finally:
            store.dispose()

    def versions(self) -> int:
        store = open_store(self.db, raw=self.tmp / "raw")
        try:
            with store.session() as s:
                return len(s.exec(select(VersionRow)).all())
        finally:
            store.dispose()


def write_watchlist(
    path: Path,
    server: PolicyServer,
    *,
    channels: dict[str, dict[str, Any]],
    alerts: list[str],
    trigger: str = "",
    alerting: str = "attempts: 3\n  backoff: 0s",
) -> None:
    lines = [FAST_FETCH, "alerting:", f"  {alerting}", "channels:"]
    for name, cfg in channels.items():
        lines.append(f"  {name}: {json.dumps(cfg, ensure_ascii=False)}")
    lines += [
        "operators:",
        "  - id: jd",
        "    name: 京东快递",
        f"    url: {server.url('/jd')}",
        f"    alerts: {json.dumps(alerts)}",
    ]
    if trigger:
        lines.append(f"    trigger: {trigger}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The webhook channels' secret (``secret_env: PM_TEST_SECRET``) is set unless a test unsets it."""
    monkeypatch.setenv("PM_TEST_SECRET", SECRET)


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    with smtp_server(tmp_path) as box:
        yield box


def hook_channel(receiver: WebhookReceiver) -> dict[str, Any]:
    return {"type": "webhook", "url": receiver.url, "secret_env": "PM_TEST_SECRET", "timeout": "5s"}


def mail_channel(box: Mailbox, **extra: Any) -> dict[str, Any]:
    cfg = {"type": "email", "host": "127.0.0.1", "port": box.port, "from": "政策监控 <monitor@example.com>"}
    return {**cfg, "to": ["合规团队 <compliance@example.com>"], "timeout": "10s", **extra}


def make_setup(tmp_path: Path, server: PolicyServer, db_url: str | None = None, **kwargs: Any) -> Setup:
    wl = tmp_path / "watchlist.yaml"
    write_watchlist(wl, server, **kwargs)
    return Setup(tmp_path, server, wl, db_url or f"sqlite:///{tmp_path / 'monitor.db'}", tmp_path / "alerts")


# ---------------------------------------------------------------------------------------------
# a material change: one POST, one email; a cosmetic change: nothing


def test_a_material_change_gives_one_signed_post_and_one_email_and_a_cosmetic_one_none(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver, mailbox: Mailbox, secret_env: None
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook), "mail": mail_channel(mailbox)},
        alerts=["hook", "mail"],
    )
    assert s.cli("check") == 0  # first version: a baseline, no alert
    served.body = page(cosmetic(text))
    assert s.cli("check") == 0  # a second version, nothing material
    assert s.versions() == 2
    assert hook.received == [] and mailbox.messages == []

    served.body = page(material(cosmetic(text)))
    assert s.cli("check") == 0
    assert len(hook.received) == 1 and len(mailbox.messages) == 1

    post = hook.received[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Policy-Monitor-Signature"] == expected
    assert post.headers["X-Policy-Monitor-Event"] == "policy.changed"
    assert post.headers["Content-Type"] == "application/json"
    body = post.json
    assert post.headers["X-Policy-Monitor-Delivery"] == body["id"]
    assert body["event"] == "policy.changed" and body["material"] is True
    assert body["operator"] == {"id": "jd", "name": "京东快递", "url": policy_server.url("/jd")}
    assert (body["from_version"], body["to_version"]) == (2, 3)
    assert "recipients" in body["categories"]
    assert body["detected_at"].endswith("+00:00")
    added = [c for c in body["changes"] if c["kind"] == "added"]
    assert len(added) == 1 and "巨量引擎" in added[0]["new_text"] and added[0]["material"] is True
    assert added[0]["criteria"] and added[0]["evidence"]

    mail = mailbox.messages[0]
    assert (
        mail["Subject"]
        == f"[policy-monitor] 京东快递: 隐私政策重大变更 v2 → v3 ({', '.join(body['categories'])})"
    )
    assert "=?utf-8?" in mailbox.raw[0].decode("ascii").lower()  # the Chinese subject is RFC 2047-encoded
    assert mail["Message-ID"] == f"<{body['id']}@policy-monitor>"
    assert mail["From"].addresses[0].display_name == "政策监控"
    assert mail.get_content_type() == "multipart/alternative"
    text_part = mail.get_body(("plain",))
    html_part = mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    plain, html = text_part.get_content(), html_part.get_content()
    for part in (plain, html):
        assert "巨量引擎" in part  # the change
        assert "recipients" in part  # its category
        assert "个人信息共享、转让或公开披露的主要对象发生变化" in part  # the policy's own item
        assert "新增共享对象" in part  # the evidence
    assert "**" in plain  # the word diff: inserted text in bold
    assert "<ins>" in html

    # nothing left to send, and `check` again is quiet
    assert [r.status for r in s.rows()] == ["delivered", "delivered"]
    assert s.cli("check") == 0
    assert len(hook.received) == 1 and len(mailbox.messages) == 1


def test_policy_text_is_escaped_in_the_email(
    tmp_path: Path, policy_server: PolicyServer, mailbox: Mailbox
) -> None:
    text = corpus_text("jd-express.txt")
    hostile = '(0)我们会与<script>alert("x")</script><b>广告合作伙伴</b>巨量引擎共享您的设备信息。'
    served = policy_server.pages["/jd"] = Page(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    s = make_setup(tmp_path, policy_server, channels={"mail": mail_channel(mailbox)}, alerts=["mail"])
    s.revise(served, insert_line_after(text, "4.2.1 业务共享", hostile).encode("utf-8"))
    assert len(mailbox.messages) == 1
    part = mailbox.messages[0].get_body(("html",))
    assert part is not None
    html = part.get_content()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_email_over_tls_with_credentials_from_the_environment(
    tmp_path: Path, policy_server: PolicyServer, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("PM_SMTP_USER", "monitor")
    monkeypatch.setenv("PM_SMTP_PASSWORD", "pass-word-1")
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    with smtp_server(tmp_path, mode, auth=("monitor", "pass-word-1")) as box:
        extra = {
            mode: True,
            "ca_file": box.ca_file,
            "username_env": "PM_SMTP_USER",
            "password_env": "PM_SMTP_PASSWORD",
        }
        s = make_setup(
            tmp_path, policy_server, channels={"mail": mail_channel(box, **extra)}, alerts=["mail"]
        )
        s.revise(served, page(material(text)))
        assert len(box.messages) == 1 and box.logins == [("monitor", "pass-word-1")]


# ---------------------------------------------------------------------------------------------
# retries: the same delivery id every time; dead after N attempts; `alerts retry`


def test_a_receiver_failing_three_times_gets_the_alert_once_with_one_delivery_id(
    tmp_path: Path, policy_server: PolicyServer, secret_env: None
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    with WebhookReceiver(statuses=[500, 500, 500, 200]) as hook:
        s = make_setup(
            tmp_path,
            policy_server,
            channels={"hook": hook_channel(hook)},
            alerts=["hook"],
            alerting="attempts: 5\n  backoff: 0s",
        )
        assert s.cli("check") == 0
        served.body = page(material(text))
        assert s.cli("check") == 0  # the first attempt: 500
        for _ in range(5):  # what the daemon does between checks
            assert s.cli("alerts", "deliver") == 0
        assert [d.status for d in hook.received] == [500, 500, 500, 200]
        ids = {d.headers["X-Policy-Monitor-Delivery"] for d in hook.received}
        assert len(ids) == 1 and {d.json["id"] for d in hook.received} == ids
        assert len({d.body for d in hook.received}) == 1  # the same bytes, the same signature
        (row,) = s.rows()
        assert (row.status, row.attempts, row.last_error) == ("delivered", 4, None)


def test_an_alert_is_dead_after_n_attempts_listed_and_retried_when_the_receiver_is_back(
    tmp_path: Path, policy_server: PolicyServer, secret_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    port = free_port()  # nothing listens here yet: connection refused
    down = WebhookReceiver(port=port)
    s = make_setup(tmp_path, policy_server, channels={"hook": hook_channel(down)}, alerts=["hook"])
    s.revise(served, page(material(text)))
    assert s.cli("alerts", "deliver") == 0
    assert s.cli("alerts", "deliver") == 0
    assert s.cli("alerts", "deliver") == 0  # attempts: 3 → dead; no more tries
    (row,) = s.rows()
    assert (row.status, row.attempts) == ("dead", 3)
    assert "ConnectError" in (row.last_error or "")

    capsys.readouterr()
    assert s.cli("alerts", "list", "--status", "dead", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["id"], a["status"], a["attempts"], a["channel"]) for a in listed] == [
        (row.id, "dead", 3, "hook")
    ]
    assert s.cli("alerts", "list") == 0
    assert "DEAD" in capsys.readouterr().out

    with WebhookReceiver(port=port) as back:
        assert s.cli("alerts", "retry") == 0
        assert len(back.received) == 1 and back.received[0].headers["X-Policy-Monitor-Delivery"] == row.id
        assert s.cli("alerts", "retry") == 0  # nothing dead any more: nothing sent
        assert len(back.received) == 1
    (row,) = s.rows()
    assert (row.status, row.attempts) == ("delivered", 1)


# ---------------------------------------------------------------------------------------------
# SIGKILL: no version without its alert, no alert twice


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_killed_after_the_version_is_stored_the_next_run_delivers_the_alert_once(
    tmp_path: Path,
    policy_server: PolicyServer,
    hook: WebhookReceiver,
    request: pytest.FixtureRequest,
    db: str,
) -> None:
    db_url = request.getfixturevalue("pg_url") if db == "postgresql" else None
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(tmp_path, policy_server, db_url, channels={"hook": hook_channel(hook)}, alerts=["hook"])
    assert s.subprocess("check").returncode == 0
    served.body = page(material(text))

    killed = s.subprocess("check", failpoint="after-commit")
    assert killed.returncode == -9, killed.stderr
    assert s.versions() == 2 and [r.status for r in s.rows()] == ["pending"]
    assert hook.received == []

    again = s.subprocess("check")
    assert again.returncode == 0, again.stderr
    assert s.versions() == 2
    assert len(hook.received) == 1 and [r.status for r in s.rows()] == ["delivered"]
    assert s.subprocess("check").returncode == 0
    assert len(hook.received) == 1


@pytest.mark.slow
def test_killed_before_commit_leaves_neither_version_nor_alert_and_the_next_run_makes_both(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(tmp_path, policy_server, channels={"hook": hook_channel(hook)}, alerts=["hook"])
    assert s.subprocess("check").returncode == 0
    served.body = page(material(text))
    assert s.subprocess("check", failpoint="before-commit").returncode == -9
    assert s.versions() == 1 and s.rows() == [] and hook.received == []
    assert s.subprocess("check").returncode == 0
    assert s.versions() == 2 and len(hook.received) == 1


@pytest.mark.slow
@pytest.mark.parametrize("failpoint", ["before-commit", "after-commit"])
def test_killed_in_an_unchanged_check_loses_at_most_its_record(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver, failpoint: str
) -> None:
    """The quick path (on SQLite through sqlite3 alone, monitor.store.lite) killed at its commit: the
    check's record may be lost, never a version or an alert, and the next check goes on."""
    import sqlite3

    text = corpus_text("jd-express.txt")
    policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(tmp_path, policy_server, channels={"hook": hook_channel(hook)}, alerts=["hook"])
    assert s.subprocess("check").returncode == 0

    def checks() -> list[str]:
        with contextlib.closing(sqlite3.connect(tmp_path / "monitor.db")) as conn:
            return [outcome for (outcome,) in conn.execute("SELECT outcome FROM checks ORDER BY id")]

    killed = s.subprocess("check", failpoint=failpoint)
    assert killed.returncode == -9, killed.stderr
    kept = ["changed"] + (["not_modified"] if failpoint == "after-commit" else [])
    assert checks() == kept and s.versions() == 1 and s.rows() == [] and hook.received == []
    again = s.subprocess("check", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert [r["outcome"] for r in json.loads(again.stdout)] == ["not_modified"]
    assert checks() == [*kept, "not_modified"] and s.versions() == 1 and s.rows() == []


@pytest.mark.slow
def test_killed_between_sending_and_recording_resends_with_the_same_delivery_id(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver
) -> None:
    """At-least-once: the receiver got it but we could not record that; it comes again, same id."""
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(tmp_path, policy_server, channels={"hook": hook_channel(hook)}, alerts=["hook"])
    assert s.subprocess("check").returncode == 0
    served.body = page(material(text))
    assert s.subprocess("check", failpoint="before-delivered").returncode == -9
    assert len(hook.received) == 1 and [r.status for r in s.rows()] == ["pending"]
    # the dead process's lease is released at once (same host, process gone): no wait for expiry
    assert s.subprocess("alerts", "deliver").returncode == 0
    assert len(hook.received) == 2
    assert len({d.headers["X-Policy-Monitor-Delivery"] for d in hook.received}) == 1
    assert [r.status for r in s.rows()] == ["delivered"]


# ---------------------------------------------------------------------------------------------
# failures: one alert after N, one recovery notice


def test_five_failed_checks_give_one_failure_alert_and_the_next_success_one_recovery(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    files = {"type": "file", "dir": str(tmp_path / "ops")}
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook), "ops": files},
        alerts=["hook"],
        trigger="{failures: 3, errors: [ops]}",
    )
    assert s.cli("check") == 0
    served.status = 503
    for _ in range(5):
        assert s.cli("check") == 0
    events = [(r.event, r.channel) for r in s.rows()]
    assert events == [("policy.check_failed", "ops")]
    served.status = 200
    assert s.cli("check") == 0
    assert s.cli("check") == 0
    events = [(r.event, r.channel, r.status) for r in s.rows()]
    assert events == [("policy.check_failed", "ops", "delivered"), ("policy.recovered", "ops", "delivered")]
    assert hook.received == []  # errors went to their own channel
    written = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "ops" / "jd").glob("*.json")]
    (failed,) = [w for w in written if w["event"] == "policy.check_failed"]
    assert failed["failures"] == 3
    assert "503" in failed["check"]["reason"] and failed["failing_since"]
    assert len(list((tmp_path / "ops" / "jd").glob("*.md"))) == 2


# ---------------------------------------------------------------------------------------------
# the file channel, triggers, several channels, `alerts show` and `alerts test`


def test_file_alerts_share_one_id_across_channels_and_show_renders_them(
    tmp_path: Path,
    policy_server: PolicyServer,
    hook: WebhookReceiver,
    secret_env: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    files = {"type": "file", "dir": str(tmp_path / "alerts")}
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook), "files": files},
        alerts=["files", "hook"],
    )
    s.revise(served, page(material(text)))
    rows = s.rows()
    assert {r.channel for r in rows} == {"files", "hook"} and len({r.id for r in rows}) == 1
    alert_id = rows[0].id
    written = sorted(p.name for p in (tmp_path / "alerts" / "jd").iterdir())
    assert [Path(n).suffix for n in written] == [".html", ".json", ".md"]
    assert all(alert_id in n for n in written)
    stored = json.loads((tmp_path / "alerts" / "jd" / written[1]).read_text(encoding="utf-8"))
    assert stored == hook.received[0].json
    md = (tmp_path / "alerts" / "jd" / written[2]).read_text(encoding="utf-8")
    assert "巨量引擎" in md and "`recipients`" in md

    capsys.readouterr()
    assert s.cli("alerts", "show", alert_id[:8], "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["payload"] == stored and {d["channel"] for d in shown["deliveries"]} == {"files", "hook"}
    assert s.cli("alerts", "show", alert_id[:8]) == 0
    out = capsys.readouterr().out
    assert "→ hook: delivered" in out and "巨量引擎" in out
    assert s.cli("alerts", "show", "zzzz") == 2


@pytest.mark.parametrize(
    ("trigger", "alerts"),
    [
        ("{categories: [contact]}", 0),  # material, but under recipients and processing
        ("{categories: [recipients]}", 1),
        ("{changes: none}", 0),
        ("{changes: all}", 1),
    ],
)
def test_triggers_in_the_watchlist(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver, trigger: str, alerts: int
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(
        tmp_path, policy_server, channels={"hook": hook_channel(hook)}, alerts=["hook"], trigger=trigger
    )
    s.revise(served, page(material(text)))
    assert len(hook.received) == alerts


def test_changes_all_alerts_on_a_cosmetic_change(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver
) -> None:
    text = corpus_text("jd-express.txt")
    served = policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook)},
        alerts=["hook"],
        trigger="{changes: all}",
    )
    s.revise(served, page(cosmetic(text)))
    assert len(hook.received) == 1 and hook.received[0].json["material"] is False


def test_alerts_test_sends_through_a_channel_and_fails_clearly(
    tmp_path: Path,
    policy_server: PolicyServer,
    hook: WebhookReceiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy_server.pages["/jd"] = Page(page(corpus_text("jd-express.txt")))
    down = WebhookReceiver(port=free_port())
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook), "down": {"type": "webhook", "url": down.url}},
        alerts=["hook"],
    )
    capsys.readouterr()
    monkeypatch.delenv("PM_TEST_SECRET")
    assert s.cli("alerts", "test", "hook") == 2  # the secret's variable is not set
    assert "PM_TEST_SECRET" in capsys.readouterr().err and hook.received == []
    monkeypatch.setenv("PM_TEST_SECRET", SECRET)
    assert s.cli("alerts", "test", "hook") == 0
    assert hook.received[0].json["event"] == "policy.test"
    assert s.cli("alerts", "test", "down") == 2
    assert "not delivered" in capsys.readouterr().err
    assert s.cli("alerts", "test", "nope") == 2


def test_imports_are_history_and_raise_no_alert(
    tmp_path: Path, policy_server: PolicyServer, hook: WebhookReceiver
) -> None:
    text = corpus_text("jd-express.txt")
    policy_server.pages["/jd"] = Page(page(text))
    s = make_setup(
        tmp_path,
        policy_server,
        channels={"hook": hook_channel(hook)},
        alerts=["hook"],
        trigger="{changes: all}",
    )
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(material(text), encoding="utf-8")
    assert s.cli("import", "jd", str(old), "--date", "2021-11-29") == 0
    assert s.cli("import", "jd", str(new), "--date", "2022-06-01") == 0
    assert s.versions() == 2 and s.rows() == [] and hook.received == []
