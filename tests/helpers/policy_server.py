"""A small real HTTP/1.1 server on loopback for the fetch tests and bench/check.py.

It serves :class:`Page` objects by path, from one thread running an asyncio loop, on one port of one
or more loopback addresses (127.0.0.1, 127.0.0.2 … are all loopback on Linux). A page can answer
conditionally (ETag / Last-Modified → 304), gzip its body, be slow, fail the first requests, redirect,
or cut its body short. Every request is logged with its headers, so tests can see what was sent.

Hand-written rather than pytest-httpserver because a test needs a body cut off mid-stream and bytes
served exactly as given, and the benchmark needs a server fast enough for 1,000 pages on many hosts.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True  # answer If-None-Match with 304 (the ETag is the body's digest)
    last_modified: float | None = None  # a Unix time: sent as Last-Modified, If-Modified-Since honoured
    gzip: bool = False  # compress when the client accepts gzip
    chunked: bool = False  # no Content-Length: Transfer-Encoding chunked
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer the first N requests with `fail_status`
    fail_status: int = 503
    retry_after: str | None = None  # sent with the failures
    location: str | None = None  # a redirect target (with status 301/302)
    # send a Content-Length for the whole body but only `truncate` bytes, then close
    truncate: int | None = None
    sequence: list[bytes] | None = None  # bodies for the 1st, 2nd … request (the last one repeats)

    @property
    def etag_value(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    host: str
    status: int = 0


class PolicyServer:
    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.1",), port: int = 0) -> None:
        for h in hosts:
            if not h.startswith("127."):
                raise ValueError(f"loopback addresses only, not {h}")
        self.hosts = hosts
        self.port = port
        self.pages: dict[str, Page] = {}
        self.log: list[Request] = []
        self.keep_log = True
        self._served: dict[str, int] = {}
        self.active: dict[str, int] = {}  # requests being answered, per address
        self.max_active: dict[str, int] = {}  # the most at once, per address
        self.max_active_total = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.AbstractServer] = []
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- control (from the test's thread) --------------------------------------------------------

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.hosts[0]}:{self.port}{path}"

    def requests(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def start(self) -> PolicyServer:
        self._thread = threading.Thread(target=self._run, name="policy-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._shutdown)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> PolicyServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the server (its own thread and loop) ----------------------------------------------------

    def _shutdown(self) -> None:
        assert self._loop is not None
        for server in self._servers:
            server.close()
        for task in asyncio.all_tasks(self._loop):
            task.cancel()
        self._loop.stop()

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._listen())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    async def _listen(self) -> None:
        # one listening socket per address, all on the same port (the first one's when port is 0)
        for host in self.hosts:
            server = await asyncio.start_server(
                self._handle, host=host, port=self.port, backlog=1024, reuse_address=True
            )
            self.port = server.sockets[0].getsockname()[1]
            self._servers.append(server)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                req = Request(method, target.split("?", 1)[0], headers, writer.get_extra_info("sockname")[0])
                if self.keep_log:
                    self.log.append(req)
                self._enter(req.host)
                try:
                    keep = await self._answer(req, writer)
                finally:
                    self.active[req.host] -= 1
                await writer.drain()
                if not keep or headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, ValueError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def _enter(self, host: str) -> None:
        self.active[host] = self.active.get(host, 0) + 1
        self.max_active[host] = max(self.max_active.get(host, 0), self.active[host])
        self.max_active_total = max(self.max_active_total, sum(self.active.values()))

    async def _answer(self, req: Request, writer: asyncio.StreamWriter) -> bool:  # noqa: C901  one flat branch per Page behaviour
        page = self.pages.get(req.path)
        if page is None:
            return self._send(
                writer,
                req,
                404,
                {"Content-Type": "text/html; charset=utf-8"},
                b"<html><body><h1>404 Not Found</h1></body></html>",
            )
        if page.delay:
            await asyncio.sleep(page.delay)
        n = self._served[req.path] = self._served.get(req.path, 0) + 1
        headers = {"Content-Type": page.content_type, **page.headers}
        if n <= page.fail_first:
            if page.retry_after is not None:
                headers["Retry-After"] = page.retry_after
            return self._send(writer, req, page.fail_status, headers, b"<html><body>busy</body></html>")
        if page.location is not None:
            headers["Location"] = page.location
            return self._send(writer, req, page.status, headers, b"")
        if page.etag:
            headers["ETag"] = page.etag_value
        if page.last_modified is not None:
            headers["Last-Modified"] = formatdate(page.last_modified, usegmt=True)
        if page.status == 200 and self._not_modified(req, page):
            return self._send(
                writer, req, 304, {k: v for k, v in headers.items() if k != "Content-Type"}, b""
            )
        body = page.body
        if page.sequence:
            body = page.sequence[min(n, len(page.sequence)) - 1]
        if page.gzip and "gzip" in req.headers.get("accept-encoding", ""):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        if page.truncate is not None:
            req.status = page.status
            head = self._head(page.status, {**headers, "Content-Length": str(len(body))})
            writer.write(head + body[: page.truncate])
            await writer.drain()
            return False
        if page.chunked:
            req.status = page.status
            writer.write(self._head(page.status, {**headers, "Transfer-Encoding": "chunked"}))
            for i in range(0, len(body), 65536):
                piece = body[i : i + 65536]
                writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                await writer.drain()
            writer.write(b"0\r\n\r\n")
            return True
        return self._send(writer, req, page.status, headers, body)

    @staticmethod
    def _not_modified(req: Request, page: Page) -> bool:
        inm = req.headers.get("if-none-match")
        if inm is not None and page.etag:
            return page.etag_value in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = req.headers.get("if-modified-since")
        if ims and page.last_modified is not None:
            try:
                return parsedate_to_datetime(ims).timestamp() >= int(page.last_modified)
            except (TypeError, ValueError):
                return False
        return False

    @staticmethod
    def _head(status: int, headers: dict[str, Any]) -> bytes:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send(
        self, writer: asyncio.StreamWriter, req: Request, status: int, headers: dict[str, str], body: bytes
    ) -> bool:
        req.status = status
        if status != 304:
            headers = {**headers, "Content-Length": str(len(body))}
        writer.write(self._head(status, headers) + (b"" if req.method == "HEAD" or status == 304 else body))
        return True
