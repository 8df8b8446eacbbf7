"""Real alert receivers on loopback for the alert tests: a webhook endpoint (HTTP) whose answers a
test scripts, and an SMTP server (aiosmtpd), plain, STARTTLS or SSL with a throw-away CA (trustme)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class WebhookReceiver:
    """POSTs are answered with ``statuses`` in turn (the last one repeats); each is recorded."""

    port: int = 0
    statuses: list[int] = field(default_factory=lambda: [200])
    received: list[Delivery] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def delivered(self) -> list[Delivery]:
        return [d for d in self.received if 200 <= d.status < 300]

    def start(self) -> WebhookReceiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                n = len(outer.received)
                status = outer.statuses[min(n, len(outer.statuses) - 1)]
                outer.received.append(Delivery(dict(self.headers.items()), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


@dataclass
class Mailbox:
    handler: _Collect
    port: int
    ca_file: str | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def messages(self) -> list[EmailMessage]:
        out = []
        for _, _, raw in self.handler.messages:
            msg = message_from_bytes(raw, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out

    @property
    def raw(self) -> list[bytes]:
        return [raw for _, _, raw in self.handler.messages]


@contextmanager
def smtp_server(
    tmp_path: Path, mode: str = "plain", auth: tuple[str, str] | None = None
) -> Iterator[Mailbox]:
    """aiosmtpd on 127.0.0.1; ``mode`` is plain, starttls or ssl; ``auth`` (user, password) to require."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    handler = _Collect()
    box = Mailbox(handler, free_port())
    kwargs: dict[str, Any] = {}
    if mode != "plain":
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        box.ca_file = str(ca_file)
        if mode == "ssl":
            kwargs["ssl_context"] = ctx
        else:
            kwargs["tls_context"] = ctx
            kwargs["require_starttls"] = True
    if auth is not None:

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == auth
            if ok:
                box.logins.append((data.login.decode(), data.password.decode()))
            return AuthResult(success=ok)

        kwargs["authenticator"] = authenticator
        # aiosmtpd counts only STARTTLS as TLS; an SMTPS connection is encrypted from the start
        kwargs["auth_require_tls"] = mode == "starttls"
    controller = Controller(
        handler, hostname="127.0.0.1", port=box.port, server_hostname="localhost", **kwargs
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
