"""Fetching pages politely with httpx (async): the network edge of a check.

* a global limit on requests in flight, and one request at a time per host with a delay between two;
* timeouts (connect/read/write each), and a deadline for a whole attempt (connect, headers and every
  read of the body): a server trickling a byte a second holds its host for ``deadline`` at most, and
  a missed deadline is not retried (the same server would hold the host again);
* redirects (capped), each hop checked by :mod:`monitor.watch.netguard` (valid port; no redirect
  from a public address to a private one unless the operator allows it);
* any other exception inside a fetch is that fetch's failure (``internal error: …``), never the batch's;
* retries with exponential backoff (tenacity) on transient failures only: connection errors,
  timeouts, a body cut short, 5xx, and 429 (honouring ``Retry-After`` up to a limit);
* conditional requests (``If-None-Match`` / ``If-Modified-Since``): a 304 costs no body;
* compressed bodies (httpx decodes gzip/deflate, and br/zstd when their packages are installed),
  read as a stream and abandoned as soon as the decoded size passes the cap.

The result is a small :class:`FetchResult`; deciding what the body means is the pipeline's job.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from monitor.redact import mask_secrets
from monitor.watch.netguard import (
    EXTENSION,
    PINNED,
    GuardState,
    LazyTLS,
    RefusedError,
    Resolver,
    check_request,
    pinning_transport,
    system_resolver,
)

if TYPE_CHECKING:
    from monitor.config import FetchConfig

FetchStatus = Literal["ok", "not_modified", "failed", "truncated"]
USER_AGENT = "Mozilla/5.0 (compatible; policy-monitor/0.1; privacy policy change monitor)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    concurrency: int = 16
    per_host_delay: float = 1.0
    timeout: float = 30.0
    deadline: float = 60.0  # a whole attempt: connect, headers and body
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 2.0
    max_backoff: float = 60.0
    max_retry_after: float = 120.0
    max_bytes: int = 5 * 2**20
    user_agent: str = USER_AGENT

    @classmethod
    def from_config(cls, cfg: FetchConfig, **overrides: float | int | str) -> FetchSettings:
        values: dict[str, Any] = {
            "concurrency": cfg.concurrency,
            "per_host_delay": cfg.per_host_delay,
            "timeout": cfg.timeout,
            "deadline": cfg.deadline,
            "max_redirects": cfg.max_redirects,
            "retries": cfg.retries,
            "backoff": cfg.backoff,
            "max_backoff": cfg.max_backoff,
            "max_retry_after": cfg.max_retry_after,
            "max_bytes": cfg.max_bytes,
        }
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None  # of the capture we hold: sent as If-None-Match
    last_modified: str | None = None  # sent as If-Modified-Since
    allow_private: bool = False  # may the host resolve, or a redirect lead, to a private address
    refuse: str | None = None  # a reason not to fetch at all (the failed result's reason)


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: FetchStatus
    url: str  # as requested
    final_url: str | None = None  # after redirects
    http_status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None  # from the Content-Type header
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # why it failed or looks truncated
    attempts: int = 1
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed: float = 0.0  # seconds, all attempts and waits included


class _Transient(Exception):
    """A failure worth another attempt; carries the result to report if attempts run out."""

    def __init__(self, result: FetchResult, retry_after: float | None = None) -> None:
        super().__init__(result.reason)
        self.result = result
        self.retry_after = retry_after


@dataclass(slots=True)
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Fetcher:
    """``async with Fetcher(settings) as f: result = await f.fetch(FetchRequest(url))``."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._transport = transport
        self.resolver = resolver or system_resolver  # the guard's DNS (netguard); tests give theirs
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._tls = LazyTLS()

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        limits = httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency)
        self._client = httpx.AsyncClient(
            follow_redirects=True,
            max_redirects=s.max_redirects,
            timeout=httpx.Timeout(s.timeout),
            limits=limits,
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5",
                "Accept-Language": "zh-CN,zh;q=0.9",
            },
            transport=self._transport or pinning_transport(limits, self._tls),
            trust_env=False,
            event_hooks={"request": [self._guard]},
        )
        return self

    async def _guard(self, request: httpx.Request) -> None:
        if request.url.scheme == "https":
            self._tls.load()  # once: the CA certificates, for this and every later https request
        await check_request(request, self.resolver)

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(self, req: FetchRequest) -> FetchResult:
        s = self.settings
        started_at = datetime.now(UTC)
        if req.refuse:
            return FetchResult("failed", req.url, reason=req.refuse, attempts=0, started_at=started_at)
        t0 = time.monotonic()
        attempts = 0

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Transient) and exc.retry_after is not None:
                return exc.retry_after
            base = min(s.max_backoff, s.backoff * 2.0 ** (state.attempt_number - 1))
            return base * random.uniform(0.75, 1.0)

        def give_up(state: RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            too_long = (
                isinstance(exc, _Transient)
                and exc.retry_after is not None
                and exc.retry_after > s.max_retry_after
            )
            return too_long or stop_after_attempt(s.retries + 1)(state)

        retrying = AsyncRetrying(
            stop=give_up,
            wait=wait,
            retry=retry_if_exception_type(_Transient),
            reraise=True,
            sleep=asyncio.sleep,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    result = await self._attempt(req)
        except asyncio.CancelledError:
            raise
        except _Transient as exc:
            result = exc.result
            if exc.retry_after is not None and exc.retry_after > s.max_retry_after:
                result = _replace(
                    result, reason=f"{result.reason}; Retry-After {exc.retry_after:.0f} s is too long"
                )
            elif attempts > 1:
                result = _replace(result, reason=f"{result.reason} (after {attempts} attempts)")
        except Exception as exc:  # a bug, or a library's surprise: this fetch failed, not the batch
            result = internal_failure(req.url, exc)
        reason = mask_secrets(result.reason) if result.reason else None  # shown and stored: no credentials
        return _replace(
            result, reason=reason, attempts=attempts, started_at=started_at, elapsed=time.monotonic() - t0
        )

    async def _attempt(self, req: FetchRequest) -> FetchResult:
        host = self._hosts.setdefault((urlsplit(req.url).hostname or "").lower(), _Host())
        async with host.lock:
            delay = host.next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            deadline = self.settings.deadline
            try:
                async with self._slots:
                    return await asyncio.wait_for(self._request(req), timeout=deadline)
            except TimeoutError:
                return FetchResult(
                    "failed", req.url, reason=f"no complete answer in {deadline:g} s (deadline)"
                )
            finally:
                host.next_at = time.monotonic() + self.settings.per_host_delay

    async def _request(self, req: FetchRequest) -> FetchResult:
        """One GET: the page, or what went wrong (:func:`_status_failure`, :func:`_request_failure`)."""
        assert self._client is not None, "use `async with Fetcher(...)`"
        max_bytes = self.settings.max_bytes
        seen = _Seen()
        try:
            guard = {EXTENSION: GuardState(allow_private=req.allow_private)}
            PINNED.set({})  # in this request's task: the addresses its hops were approved at
            async with self._client.stream(
                "GET", req.url, headers=_request_headers(req), extensions=guard
            ) as resp:
                seen.http_status, seen.final_url = resp.status_code, str(resp.url)
                failed = _status_failure(req, resp, max_bytes)
                if failed is not None:
                    return failed
                seen.in_body = True
                return await _read_body(req, resp, max_bytes)
        except _REQUEST_FAILURES as exc:
            return _request_failure(exc, req, seen, self.settings)


@dataclass(slots=True)
class _Seen:
    """How far a request got before it failed."""

    final_url: str | None = None
    http_status: int | None = None
    in_body: bool = False  # reading the body


# what a request may raise that is a failed fetch rather than a bug (httpx.TimeoutException and
# httpx.UnsupportedProtocol are transport errors)
_REQUEST_FAILURES = (
    httpx.TooManyRedirects,
    httpx.DecodingError,
    httpx.TransportError,
    httpx.InvalidURL,
    RefusedError,
)


def _request_headers(req: FetchRequest) -> dict[str, str]:
    """The request's headers, conditional on the capture held."""
    headers = dict(req.headers)
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.last_modified:
        headers["If-Modified-Since"] = req.last_modified
    return headers


def _answer(
    req: FetchRequest, resp: httpx.Response, status: FetchStatus, reason: str | None = None, body: bytes = b""
) -> FetchResult:
    return FetchResult(
        status,
        req.url,
        final_url=str(resp.url),
        http_status=resp.status_code,
        body=body,
        reason=reason,
        content_type=resp.headers.get("content-type"),
        charset=resp.charset_encoding,
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
    )


def _status_failure(req: FetchRequest, resp: httpx.Response, max_bytes: int) -> FetchResult | None:
    """What the status line and headers say before the body is read: 304 (not modified), a failure
    (a redirect not followed, 4xx, a declared size over ``max_bytes``), or None to read the body.
    Raises :class:`_Transient` on 429 and 5xx (with the ``Retry-After`` delay)."""
    code = resp.status_code
    if code == 304:
        return _answer(req, resp, "not_modified")
    phrase = f"HTTP {code} {resp.reason_phrase}".strip()
    if code == 429 or code >= 500:
        raise _Transient(
            _answer(req, resp, "failed", phrase),
            retry_after=parse_retry_after(resp.headers.get("retry-after")),
        )
    if code >= 300:
        hint = " (redirect without a usable Location)" if code < 400 else ""
        return _answer(req, resp, "failed", phrase + hint)
    length = resp.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        return _answer(req, resp, "failed", f"body of {int(length)} bytes is over the {_size(max_bytes)} cap")
    return None


async def _read_body(req: FetchRequest, resp: httpx.Response, max_bytes: int) -> FetchResult:
    """The decoded body, abandoned as soon as it passes ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return _answer(req, resp, "failed", f"body over the {_size(max_bytes)} cap (decoded)")
        chunks.append(chunk)
    return _answer(req, resp, "ok", body=b"".join(chunks))


def _request_failure(exc: Exception, req: FetchRequest, seen: _Seen, s: FetchSettings) -> FetchResult:
    """The failed fetch an exception of httpx means. Raises :class:`_Transient` for those worth
    another attempt: timeouts, connection errors, a body cut short."""

    def failed(reason: str, status: FetchStatus = "failed") -> FetchResult:
        return FetchResult(
            status, req.url, final_url=seen.final_url, http_status=seen.http_status, reason=reason
        )

    if isinstance(exc, RefusedError):
        return failed(str(exc))
    if isinstance(exc, httpx.TooManyRedirects):
        return failed(f"more than {s.max_redirects} redirects (a redirect loop?)")
    if isinstance(exc, httpx.DecodingError):
        return failed(f"undecodable body: {exc}")
    if isinstance(exc, httpx.TimeoutException):
        what = (
            "connect"
            if isinstance(exc, httpx.ConnectTimeout)
            else "read"
            if seen.in_body or seen.http_status
            else "response"
        )
        raise _Transient(failed(f"timeout ({what}, {s.timeout:g} s)")) from None
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return failed(f"bad URL: {exc}")
    if seen.in_body:
        raise _Transient(failed(f"body cut short: {exc}", "truncated")) from None
    raise _Transient(failed(f"connection error: {exc or type(exc).__name__}")) from None


def internal_failure(url: str, exc: Exception) -> FetchResult:
    """An exception no fetcher should raise, as the failed fetch of ``url`` (credentials masked)."""
    return FetchResult("failed", url, reason=mask_secrets(f"internal error: {type(exc).__name__}: {exc}"))


def _replace(result: FetchResult, **changes: object) -> FetchResult:
    return replace(result, **changes)  # type: ignore[arg-type]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"
