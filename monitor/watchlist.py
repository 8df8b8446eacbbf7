"""``watchlist.yaml``: the operators to watch, validated with pydantic, errors with file and line.

The YAML is composed into nodes first (:mod:`monitor.yamlmarks`) so that every key and list item
keeps its line; pydantic's error locations (``("operators", 2, "interval")``) are looked up in that
map, and the message reads
``watchlist.yaml:14: operators[2] (jd-express).interval: invalid duration '12x' …``.

Format: docs/formats.md ("Watchlist"), plus ``selector``/``remove`` (CSS), ``encoding``,
``headers`` per operator and an optional top-level ``fetch:`` block (concurrency, politeness,
timeouts, retries, size cap) read by :mod:`monitor.watch.fetch`; ``fetcher: browser`` (with
``wait_for``, ``browser_timeout``) and a top-level ``browser:`` block read by :mod:`monitor.watch.browser`.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from selectolax.lexbor import LexborHTMLParser

from monitor.config import (
    BUILTIN_CHANNEL,
    Alerting,
    BrowserConfig,
    Channel,
    Defaults,
    EmailChannel,
    EnvHeaders,
    FetchConfig,
    FetcherName,
    FileChannel,
    Headers,
    Seconds,
    Text,
    Trigger,
    Web,
    WebhookChannel,
    http_url,
    parse_duration,
    parse_size,
)
from monitor.errors import UserError
from monitor.yamlmarks import MAX_BYTES, MAX_SIZE, Marks, WatchlistError, compose, where

__all__ = [  # and from monitor.config, for the modules and tests that import them from here
    "MAX_BYTES",
    "Alerting",
    "EmailChannel",
    "FileChannel",
    "OperatorSpec",
    "UnknownChannelError",
    "UnknownOperatorError",
    "Watchlist",
    "WatchlistError",
    "Web",
    "WebhookChannel",
    "load",
    "loads",
    "parse_duration",
    "parse_size",
]


class UnknownOperatorError(UserError):
    pass


class UnknownChannelError(UserError):
    pass


def _check_css(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception:
        raise ValueError(f"invalid CSS selector {value!r}") from None
    return value


class OperatorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    name: Text = Field(min_length=1)
    url: str
    selector: str | None = None
    remove: str | None = None
    interval: Seconds | None = None
    encoding: str | None = None
    headers: Headers = Field(default_factory=dict)
    headers_env: EnvHeaders = Field(default_factory=dict)  # header → environment variable holding it
    alerts: list[str] | None = None
    trigger: Trigger | None = None
    fetcher: FetcherName | None = None  # default: defaults.fetcher (http)
    wait_for: str | None = None  # fetcher browser: a CSS selector the rendered page must contain
    browser_timeout: Seconds | None = None  # default: defaults.browser_timeout
    allow_private: bool | None = None  # default: defaults.allow_private

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return http_url(v)

    @field_validator("selector", "remove", "wait_for")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        return _check_css(v)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v


class Watchlist(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: Defaults = Field(default_factory=lambda: Defaults())
    channels: dict[str, Channel] = Field(default_factory=dict)
    alerting: Alerting = Field(default_factory=lambda: Alerting())
    web: Web = Field(default_factory=lambda: Web())
    fetch: FetchConfig = Field(default_factory=lambda: FetchConfig())
    browser: BrowserConfig = Field(default_factory=lambda: BrowserConfig())
    operators: list[OperatorSpec] = Field(default_factory=lambda: [])  # not `list`: see tables.py
    _path: str = PrivateAttr("watchlist.yaml")

    @property
    def path(self) -> str:
        return self._path

    @property
    def ids(self) -> list[str]:
        return [op.id for op in self.operators]

    def get(self, operator_id: str) -> OperatorSpec:
        for op in self.operators:
            if op.id == operator_id:
                return op
        raise UnknownOperatorError(
            f"unknown operator {operator_id!r} in {self.path} (known: {', '.join(self.ids) or 'none'})"
        )

    def select(self, ids: list[str] | tuple[str, ...]) -> list[OperatorSpec]:
        """The named operators (all when none is named), in watchlist order; unknown ids are an error."""
        if not ids:
            return list(self.operators)
        unknown = [i for i in ids if i not in self.ids]
        if unknown:
            raise UnknownOperatorError(
                f"unknown operator{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                f"in {self.path} (known: {', '.join(self.ids) or 'none'})"
            )
        wanted = set(ids)
        return [op for op in self.operators if op.id in wanted]

    def interval(self, op: OperatorSpec) -> float:
        return op.interval if op.interval is not None else self.defaults.interval

    def alerts(self, op: OperatorSpec) -> list[str]:
        return list(op.alerts if op.alerts is not None else self.defaults.alerts)

    def headers(self, op: OperatorSpec) -> dict[str, str]:
        return {**self.defaults.headers, **op.headers}

    def fetcher(self, op: OperatorSpec) -> str:
        return op.fetcher or self.defaults.fetcher

    def browser_timeout(self, op: OperatorSpec) -> float:
        return op.browser_timeout if op.browser_timeout is not None else self.defaults.browser_timeout

    def headers_env(self, op: OperatorSpec) -> dict[str, str]:
        """Header → the environment variable holding its value (``headers_env:``)."""
        return {**self.defaults.headers_env, **op.headers_env}

    def allow_private(self, op: OperatorSpec) -> bool:
        return op.allow_private if op.allow_private is not None else self.defaults.allow_private

    def trigger(self, op: OperatorSpec) -> Trigger:
        """The operator's trigger keys over the defaults' over the built-in defaults."""
        merged = {"changes": "material", "categories": None, "failures": 3, "errors": None}
        for layer in (self.defaults.trigger, op.trigger):
            if layer is not None:
                merged.update(layer.model_dump(exclude_none=True))
        return Trigger.model_validate(merged)

    def channel(self, name: str) -> FileChannel | WebhookChannel | EmailChannel:
        """A channel by name; ``files`` is built in unless the watchlist defines its own."""
        if name in self.channels:
            return self.channels[name]
        if name == BUILTIN_CHANNEL:
            return FileChannel(type="file")
        raise UnknownChannelError(
            f"unknown alert channel {name!r} in {self.path} "
            f"(known: {', '.join(sorted({BUILTIN_CHANNEL, *self.channels}))})"
        )


def loads(text: str, filename: str = "watchlist.yaml") -> Watchlist:
    marks = Marks({})
    data = compose(text, filename, marks)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise WatchlistError([f"{filename}:1: the watchlist must be a mapping with an `operators:` list"])
    try:
        wl = Watchlist.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            if loc[:1] == ("channels",) and len(loc) > 2 and loc[2] in ("file", "webhook", "email"):
                loc = loc[:2] + loc[3:]  # pydantic puts the union's tag in the path
            at = marks.line(loc)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            elif err["type"] in ("union_tag_invalid", "union_tag_not_found") and loc[:1] == ("channels",):
                loc = (*loc, "type")
                at = marks.line(loc)
                tag = (err.get("ctx") or {}).get("tag")
                msg = f"unknown channel type {tag!r}" if tag else "missing `type`"
                msg += " (expected 'file', 'webhook' or 'email')"
            elif err["type"] == "string_pattern_mismatch" and loc[-1:] == ("id",):
                msg = f"invalid id {err.get('input')!r}: use lower-case letters, digits and '-'"
            problems.append(f"{filename}:{at or '?'}: {where(loc, data)}: {msg}")
        raise WatchlistError(problems) from None
    wl._path = filename
    _check_references(wl, marks, data, filename)
    return wl


def _check_references(wl: Watchlist, marks: Marks, data: Any, filename: str) -> None:
    problems: list[str] = []
    seen: dict[str, int] = {}
    known_channels = {BUILTIN_CHANNEL, *wl.channels}

    def channels(names: list[str] | None, *path: Any) -> None:
        for j, name in enumerate(names or []):
            if name not in known_channels:
                loc = (*path, j)
                problems.append(
                    f"{filename}:{marks.line(loc)}: {where(loc, data)}: unknown alert channel {name!r} "
                    f"(known: {', '.join(sorted(known_channels))})"
                )

    for i, op in enumerate(wl.operators):
        if op.id in seen:
            loc: tuple[Any, ...] = ("operators", i, "id")
            problems.append(
                f"{filename}:{marks.line(loc)}: {where(loc, data)}: duplicate id {op.id!r} "
                f"(first used by operators[{seen[op.id]}])"
            )
        seen.setdefault(op.id, i)
        channels(op.alerts, "operators", i, "alerts")
        channels(op.trigger.errors if op.trigger else None, "operators", i, "trigger", "errors")
        if wl.fetcher(op) != "browser":
            for key in ("wait_for", "browser_timeout"):
                if getattr(op, key) is not None:
                    loc = ("operators", i, key)
                    problems.append(
                        f"{filename}:{marks.line(loc)}: {where(loc, data)}: only read with "
                        "`fetcher: browser` (set it on this operator or in `defaults`)"
                    )
    channels(wl.defaults.alerts, "defaults", "alerts")
    channels(wl.defaults.trigger.errors, "defaults", "trigger", "errors")
    if problems:
        raise WatchlistError(problems)


def load(path: str | Path) -> Watchlist:
    p = Path(path)
    try:
        if (size := p.stat().st_size) > MAX_BYTES * 4:  # not read: loads() refuses a smaller excess
            raise WatchlistError([f"{p}: {size} bytes, over the {MAX_SIZE} a watchlist may have"])
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WatchlistError([f"{p}: no such watchlist (create one, or pass --watchlist FILE)"]) from None
    except UnicodeDecodeError:
        raise WatchlistError([f"{p}: not UTF-8 text"]) from None
    except OSError as exc:
        raise WatchlistError([f"{p}: cannot read: {exc.strerror}"]) from None
    return loads(text, str(p))
