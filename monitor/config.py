"""The building blocks of ``watchlist.yaml`` (:mod:`monitor.watchlist`): durations and sizes as
written (``12h``, ``5MB``), the ``fetch:`` block, ``defaults:`` and their ``trigger:``, the alert
channels (``file``, ``webhook``, ``email``) and ``alerting:``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

BUILTIN_CHANNEL = "files"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?", re.IGNORECASE)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "kib": 1024,
    "m": 2**20,
    "mb": 2**20,
    "mib": 2**20,
    "g": 2**30,
    "gb": 2**30,
    "gib": 2**30,
}


def parse_duration(value: Any) -> float:
    """``12h``, ``30m``, ``1d``, ``90s``, ``1h30m`` or a number of seconds → seconds."""
    if isinstance(value, bool):
        raise ValueError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        parts = _DURATION.findall(text)
        if not parts or _DURATION.sub("", text).strip():
            raise ValueError(f"invalid duration {value!r} (a number and a unit s, m, h or d, e.g. 12h)")
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    else:
        raise ValueError(f"invalid duration {value!r} (a number and a unit s, m, h or d, e.g. 12h)")
    if seconds < 0:
        raise ValueError(f"invalid duration {value!r}: must not be negative")
    return seconds


def parse_size(value: Any) -> int:
    """``5MB``, ``512k`` or a number of bytes → bytes."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _SIZE.fullmatch(str(value).strip())
    if not m:
        raise ValueError(f"invalid size {value!r} (e.g. 5MB, 512KB)")
    return int(float(m.group(1)) * _SIZE_UNITS[(m.group(2) or "").lower()])


Seconds = Annotated[float, BeforeValidator(parse_duration)]
Bytes = Annotated[int, BeforeValidator(parse_size)]

# ---------------------------------------------------------------------------------------------
# what goes into a request or a mail header: no CR/LF (a header injected), no secret written inline

_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_HEADER = re.compile(r"^(?:cookie|set-cookie)$|auth|token|key|secret|session|passw|signature", re.I)


def no_control(value: str, what: str = "value") -> str:
    """``value`` unless it holds a control character (CR and LF above all: a forged header line)."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError(f"control character (CR, LF, tab …) in {what} {value!r}")
    return value


def _header_name(name: str) -> str:
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"invalid header name {name!r}")
    return name


def plain_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers written in the watchlist: valid names, no control characters, and none that carries a
    credential (Authorization, Cookie, anything named *token*, *key*, *secret* …): those belong in
    ``headers_env:``, which names the environment variable holding each value."""
    for name, value in headers.items():
        _header_name(name)
        no_control(value, f"header {name}")
        if _SECRET_HEADER.search(name):
            raise ValueError(
                f"header {name!r} carries a secret and must not be written in the watchlist: move it to "
                f"`headers_env:` as `{name}: NAME_OF_AN_ENVIRONMENT_VARIABLE` holding its value"
            )
    return headers


def env_headers(headers: dict[str, str]) -> dict[str, str]:
    """``headers_env:``: header name → the environment variable holding its value."""
    for name, var in headers.items():
        _header_name(name)
        if not _ENV_NAME.fullmatch(var):
            raise ValueError(f"header {name!r}: {var!r} is not an environment variable name")
    return headers


def resolve_env_headers(names: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The values of ``headers_env:`` now, and the problems (a variable unset, or holding CR/LF)."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for header, var in names.items():
        value = os.environ.get(var)
        if not value:
            problems.append(f"the environment variable {var} (header {header}) is not set")
        elif any(ord(ch) < 0x20 and ch != "\t" for ch in value):
            problems.append(f"the environment variable {var} (header {header}) holds a control character")
        else:
            values[header] = value
    return values, problems


Headers = Annotated[dict[str, str], AfterValidator(plain_headers)]
EnvHeaders = Annotated[dict[str, str], AfterValidator(env_headers)]
Text = Annotated[str, AfterValidator(no_control)]


class FetchConfig(BaseModel):
    """How pages are fetched (all optional). Read by :class:`monitor.watch.fetch.FetchSettings`."""

    model_config = ConfigDict(extra="forbid")

    concurrency: int = Field(default=16, ge=1, le=1000)
    per_host_delay: Seconds = 1.0  # between two requests to one host
    timeout: Seconds = 30.0  # connect / read / write, each
    deadline: Seconds = 60.0  # a whole attempt (connect, headers, body): a trickling server gives up then
    max_redirects: int = Field(default=5, ge=0, le=30)
    retries: int = Field(default=3, ge=0, le=10)  # extra attempts on transient failures
    backoff: Seconds = 2.0  # first wait; doubles each retry
    max_backoff: Seconds = 60.0
    max_retry_after: Seconds = 120.0  # a longer Retry-After gives up
    max_bytes: Bytes = 5 * 2**20  # decoded body


FetcherName = Literal["http", "browser"]


class BrowserConfig(BaseModel):
    """``browser:``: the Chromium that ``fetcher: browser`` drives (Playwright; all optional)."""

    model_config = ConfigDict(extra="forbid")

    # the Chromium (or Chrome) binary; default: `chromium`, `chromium-browser`, `google-chrome` on PATH
    executable_path: str | None = None
    max_pages: int = Field(default=4, ge=1, le=64)  # pages rendered at once
    # send the held ETag/Last-Modified for the page's HTML and take a 304 as "not modified" without
    # rendering; off by default: the HTML shell of a script-built page rarely changes with the policy
    conditional: bool = False


CHANGE_TRIGGERS = ("material", "all", "none")
CATEGORY_IDS = ("processing", "controller", "recipients", "rights", "contact", "risk", "other")


class Trigger(BaseModel):
    """What raises an alert. Every key is optional: an operator's keys override ``defaults.trigger``."""

    model_config = ConfigDict(extra="forbid")

    changes: Literal["material", "all", "none"] | None = None  # default material
    # policy: only changes the policy's own 重大变更 list covers; any (default): GB/T 35273-2020's too
    basis: Literal["any", "policy"] | None = None
    categories: list[Literal[CATEGORY_IDS]] | None = None  # type: ignore[valid-type]  # default: any
    failures: int | None = Field(default=None, ge=0)  # consecutive failed checks; 0: never; default 3
    errors: list[str] | None = None  # channels for failure/recovery alerts; default: the change channels


class Defaults(BaseModel):
    """``defaults:``: what an operator gets for the keys it does not set."""

    model_config = ConfigDict(extra="forbid")

    interval: Seconds = 12 * 3600.0
    alerts: list[str] = Field(default_factory=lambda: [BUILTIN_CHANNEL])
    trigger: Trigger = Field(default_factory=lambda: Trigger())
    headers: Headers = Field(default_factory=dict)
    headers_env: EnvHeaders = Field(default_factory=dict)
    allow_private: bool = False  # fetch hosts resolving to, and redirects to, private addresses
    fetcher: FetcherName = "http"  # browser: render the page in Chromium (pages built by JavaScript)
    browser_timeout: Seconds = 30.0  # a browser fetch: loading, scripts and `wait_for`, all told


class _ChannelBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("secret", "password", "username", "token"):
                if key in data:
                    raise ValueError(
                        f"`{key}:` must not be written in the watchlist: set `{key}_env:` to the name of "
                        "an environment variable that holds it"
                    )
        return data


class FileChannel(_ChannelBase):
    """Markdown, JSON and HTML files: ``<dir>/<operator>/<timestamp>-<id>.md``."""

    type: Literal["file"]
    dir: str = "alerts"


class WebhookChannel(_ChannelBase):
    """A JSON ``POST`` (CONTRACT.md "Webhook delivery"); a 2xx answer is delivered."""

    type: Literal["webhook"]
    url: str
    secret_env: str | None = None  # the environment variable holding the HMAC-SHA256 key
    timeout: Seconds = 10.0
    headers: Headers = Field(default_factory=dict)
    headers_env: EnvHeaders = Field(default_factory=dict)  # header → environment variable holding it

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return http_url(v)


class EmailChannel(_ChannelBase):
    """SMTP (plain, STARTTLS or SSL), a text and an HTML part."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: Literal["email"]
    host: Text
    port: int | None = Field(default=None, ge=1, le=65535)  # default 465 with ssl, 587 with starttls, else 25
    starttls: bool = False
    ssl: bool = False
    username_env: str | None = None
    password_env: str | None = None
    sender: Text = Field(alias="from")
    to: list[Text] = Field(min_length=1)
    timeout: Seconds = 30.0
    ca_file: str | None = None  # a CA bundle to trust besides the system's (a private SMTP relay)
    subject_prefix: Text = "[policy-monitor]"
    allow_plaintext_auth: bool = False  # send the credentials over a connection without TLS

    @field_validator("ca_file")
    @classmethod
    def _ca_file(cls, v: str | None) -> str | None:
        if v is not None and not Path(v).is_file():
            raise ValueError(f"no such CA file {v!r} (a PEM bundle; relative to the working directory)")
        return v

    @model_validator(mode="after")
    def _tls(self) -> EmailChannel:
        if self.starttls and self.ssl:
            raise ValueError("`starttls` and `ssl` exclude each other: STARTTLS upgrades a plain connection")
        plain = not (self.starttls or self.ssl)
        if plain and (self.username_env or self.password_env) and not self.allow_plaintext_auth:
            raise ValueError(
                "the SMTP credentials would cross the network in clear text: set `starttls: true` or "
                "`ssl: true` (or `allow_plaintext_auth: true` for a relay on a trusted network)"
            )
        return self

    @property
    def smtp_port(self) -> int:
        return self.port or (465 if self.ssl else 587 if self.starttls else 25)


Channel = Annotated[FileChannel | WebhookChannel | EmailChannel, Field(discriminator="type")]


class Alerting(BaseModel):
    """How the outbox is delivered (all optional)."""

    model_config = ConfigDict(extra="forbid")

    attempts: int = Field(default=8, ge=1, le=100)  # then the alert is dead (`policy-monitor alerts retry`)
    backoff: Seconds = 30.0  # the wait after the first failed attempt; doubles each time, with jitter
    max_backoff: Seconds = 6 * 3600.0
    report_url: str | None = None  # where the `file` channel's directory is served: emails link to it

    @field_validator("report_url")
    @classmethod
    def _report_url(cls, v: str | None) -> str | None:
        return None if v is None else http_url(v)


class Web(BaseModel):
    """The web view (``policy-monitor serve``, ``run --serve``): where people reach it."""

    model_config = ConfigDict(extra="forbid")

    # the address readers use (behind a proxy, say): alerts then link (``report_url``, ``web_url``)
    # to the stable diff page there, and feeds use it for their links
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, v: str | None) -> str | None:
        return None if v is None else http_url(v).rstrip("/")


def http_url(v: str) -> str:
    """``v`` stripped, when it is an http(s) URL with a host and a valid port, without control
    characters; ValueError otherwise."""
    v = v.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in v):
        raise ValueError(f"control character (CR, LF, tab …) in URL {v!r}")
    parts = urlsplit(v)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {v!r}")
    try:
        parts.port  # noqa: B018  raises for a port out of range or not a number
    except ValueError:
        raise ValueError(f"invalid port in URL {v!r} (1-65535)") from None
    if parts.port == 0:
        raise ValueError(f"invalid port in URL {v!r} (1-65535)")
    return v
