"""The building blocks of ``watchlist.yaml`` (:mod:`monitor.watchlist`): durations and sizes as
written (``12h``, ``5MB``), the ``fetch:`` block, ``defaults:`` and their ``trigger:``, the alert
channels (``file``, ``webhook``, ``email``) and ``alerting:``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

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


class FetchConfig(BaseModel):
    """How pages are fetched (all optional). Read by :class:`monitor.watch.fetch.FetchSettings`."""

    model_config = ConfigDict(extra="forbid")

    concurrency: int = Field(default=16, ge=1, le=1000)
    per_host_delay: Seconds = 1.0  # between two requests to one host
    timeout: Seconds = 30.0  # connect / read / write, each
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
    headers: dict[str, str] = Field(default_factory=dict)
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
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return http_url(v)


class EmailChannel(_ChannelBase):
    """SMTP (plain, STARTTLS or SSL), a text and an HTML part."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: Literal["email"]
    host: str
    port: int | None = Field(default=None, ge=1, le=65535)  # default 465 with ssl, 587 with starttls, else 25
    starttls: bool = False
    ssl: bool = False
    username_env: str | None = None
    password_env: str | None = None
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    timeout: Seconds = 30.0
    ca_file: str | None = None  # a CA bundle to trust besides the system's (a private SMTP relay)
    subject_prefix: str = "[policy-monitor]"

    @model_validator(mode="after")
    def _tls(self) -> EmailChannel:
        if self.starttls and self.ssl:
            raise ValueError("`starttls` and `ssl` exclude each other: STARTTLS upgrades a plain connection")
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
    """``v`` stripped, when it is an http(s) URL with a host; ValueError otherwise."""
    parts = urlsplit(v.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {v!r}")
    return v.strip()
