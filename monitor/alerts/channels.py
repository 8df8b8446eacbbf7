"""Alert channels: a registry of senders, one per channel ``type`` of the watchlist.

    file     <dir>/<operator>/<timestamp>-<id>.md, .json and .html, written atomically; a retry
             rewrites the same files
    webhook  POST of the payload (CONTRACT.md "Webhook delivery"), HMAC-SHA256 signed when the
             channel names a ``secret_env``; 2xx is delivered
    email    SMTP (plain, STARTTLS or SSL), a text and an HTML part; Message-ID from the alert id

A sender raises :class:`DeliveryError` (or any exception) when the alert was not delivered; the
outbox records it and retries. Secrets come from the environment, at the moment of sending.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from monitor import timefmt
from monitor.alerts.render import render_alert, subject
from monitor.config import resolve_env_headers
from monitor.errors import UserError
from monitor.redact import mask_secrets, mask_url

if TYPE_CHECKING:
    from monitor.config import EmailChannel, FileChannel, WebhookChannel
    from monitor.watchlist import Watchlist


class DeliveryError(Exception):
    """An alert could not be delivered (it will be retried)."""


class Outbound(Protocol):
    """What sending reads of an outbox row (``AlertRow``, or :class:`monitor.alerts.outbox_lite.Row`)."""

    @property
    def id(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def operator_id(self) -> str: ...
    @property
    def event(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def attempts(self) -> int: ...
    @property
    def payload(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What a sender needs of an alert."""

    id: str
    event: str
    operator_id: str
    created_at: datetime
    payload: dict[str, Any]

    @classmethod
    def of(cls, row: Outbound) -> Outgoing:
        return cls(row.id, row.event, row.operator_id, row.created_at, row.payload)

    def body(self) -> bytes:
        """The webhook body: compact UTF-8 JSON (the signature is over exactly these bytes)."""
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).encode()


def _env(name: str, what: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise DeliveryError(f"the environment variable {name} ({what}) is not set")
    return value


# ---------------------------------------------------------------------------------------------
# file


def file_paths(cfg: FileChannel, msg: Outgoing) -> dict[str, Path]:
    base = Path(cfg.dir) / msg.operator_id / f"{timefmt.stamp(msg.created_at)}-{msg.id}"
    return {ext: base.with_name(f"{base.name}.{ext}") for ext in ("md", "json", "html")}


def send_file(cfg: FileChannel, msg: Outgoing) -> None:

    contents = {
        "md": render_alert(msg.payload, "markdown"),
        "json": json.dumps(msg.payload, ensure_ascii=False, indent=2) + "\n",
        "html": render_alert(msg.payload, "html"),
    }
    for ext, path in file_paths(cfg, msg).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(contents[ext], encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a file


# ---------------------------------------------------------------------------------------------
# webhook


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_request(cfg: WebhookChannel, msg: Outgoing) -> tuple[bytes, dict[str, str]]:
    from importlib.metadata import version  # deferred: read once, for the User-Agent of a webhook

    body = msg.body()
    secret_headers, problems = resolve_env_headers(cfg.headers_env)
    if problems:
        raise DeliveryError("; ".join(problems))
    headers = {
        **cfg.headers,
        **secret_headers,
        "Content-Type": "application/json",
        "User-Agent": f"policy-monitor/{version('policy-monitor')}",
        "X-Policy-Monitor-Event": msg.event,
        "X-Policy-Monitor-Delivery": msg.id,
    }
    if cfg.secret_env:
        headers["X-Policy-Monitor-Signature"] = signature(_env(cfg.secret_env, "the webhook secret"), body)
    return body, headers


def send_webhook(cfg: WebhookChannel, msg: Outgoing) -> None:
    import httpx  # deferred: only a webhook channel needs it

    body, headers = webhook_request(cfg, msg)
    where = f"POST {mask_url(cfg.url)}"
    try:
        resp = httpx.post(cfg.url, content=body, headers=headers, timeout=cfg.timeout)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}: {mask_secrets(str(exc))}") from None
    if not 200 <= resp.status_code < 300:
        text = mask_secrets(" ".join(resp.text.split())[:200])
        raise DeliveryError(f"{where}: HTTP {resp.status_code}" + (f": {text}" if text else ""))


# ---------------------------------------------------------------------------------------------
# email


def email_message(cfg: EmailChannel, msg: Outgoing) -> EmailMessage:

    m = EmailMessage()
    m["Subject"] = subject(msg.payload, cfg.subject_prefix)
    m["From"] = cfg.sender
    m["To"] = ", ".join(cfg.to)
    m["Date"] = format_datetime(msg.created_at)
    m["Message-ID"] = f"<{msg.id}@policy-monitor>"  # the same on every retry: clients drop duplicates
    m["X-Policy-Monitor-Event"] = msg.event
    m["X-Policy-Monitor-Delivery"] = msg.id
    m.set_content(render_alert(msg.payload, "markdown"))
    m.add_alternative(render_alert(msg.payload, "html"), subtype="html")
    return m


def send_email(cfg: EmailChannel, msg: Outgoing) -> None:
    message = email_message(cfg, msg)
    where = f"SMTP {cfg.host}:{cfg.smtp_port}"
    try:
        context = ssl.create_default_context(cafile=cfg.ca_file)
    except (ssl.SSLError, OSError) as exc:
        raise DeliveryError(f"{where}: cannot load the CA file {cfg.ca_file!r}: {exc}") from None
    user = _env(cfg.username_env, "the SMTP user name") if cfg.username_env else None
    password = _env(cfg.password_env, "the SMTP password") if cfg.password_env else None
    if not ((user or "") + (password or "")).isascii():
        raise DeliveryError(f"{where}: the user name and password must be ASCII (smtplib's SMTP AUTH)")
    try:
        smtp: smtplib.SMTP
        if cfg.ssl:
            smtp = smtplib.SMTP_SSL(cfg.host, cfg.smtp_port, timeout=cfg.timeout, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.smtp_port, timeout=cfg.timeout)
        with smtp:
            if cfg.starttls:
                smtp.starttls(context=context)
            if user is not None:
                smtp.login(user, password or "")
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
    if refused:
        raise DeliveryError(f"{where}: recipients refused: {', '.join(sorted(refused))}")


# ---------------------------------------------------------------------------------------------
# the registry


SENDERS: dict[str, Callable[[Any, Outgoing], None]] = {
    "file": send_file,
    "webhook": send_webhook,
    "email": send_email,
}


def send(watchlist: Watchlist, row: Outbound) -> None:
    """Send one outbox row through its channel as the watchlist defines it now."""
    try:
        cfg = watchlist.channel(row.channel)
    except UserError as exc:
        raise DeliveryError(str(exc)) from None
    SENDERS[cfg.type](cfg, Outgoing.of(row))
