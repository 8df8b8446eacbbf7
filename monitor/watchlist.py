"""``watchlist.yaml``: the operators to watch, validated with pydantic, errors with file and line.

The YAML is composed into nodes first so that every key and list item keeps its line; pydantic's
error locations (``("operators", 2, "interval")``) are looked up in that map, and the message reads
``watchlist.yaml:14: operators[2] (jd-express).interval: invalid duration '12x' …``.

Format: ../shared/CONTRACT.md ("Watchlist"), plus ``selector``/``remove`` (CSS), ``encoding``,
``headers`` per operator and an optional top-level ``fetch:`` block (concurrency, politeness,
timeouts, retries, size cap) read by :mod:`monitor.watch.fetch`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor.errors import UserError

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


class WatchlistError(UserError):
    """The watchlist cannot be read or is invalid. ``problems`` holds every message (file:line: …)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = (
            f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
            if len(problems) > 1
            else ""
        )
        super().__init__(problems[0] + more)


class UnknownOperatorError(UserError):
    pass


class UnknownChannelError(UserError):
    pass


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


def _check_css(value: str | None) -> str | None:
    if value is None:
        return None
    from selectolax.lexbor import LexborHTMLParser

    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception:
        raise ValueError(f"invalid CSS selector {value!r}") from None
    return value


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


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interval: Seconds = 12 * 3600.0
    alerts: list[str] = Field(default_factory=lambda: [BUILTIN_CHANNEL])
    trigger: Trigger = Field(default_factory=lambda: Trigger())
    headers: dict[str, str] = Field(default_factory=dict)


CHANGE_TRIGGERS = ("material", "all", "none")
CATEGORY_IDS = ("processing", "controller", "recipients", "rights", "contact", "risk", "other")


class Trigger(BaseModel):
    """What raises an alert. Every key is optional: an operator's keys override ``defaults.trigger``."""

    model_config = ConfigDict(extra="forbid")

    changes: Literal["material", "all", "none"] | None = None  # default material
    categories: list[Literal[CATEGORY_IDS]] | None = None  # type: ignore[valid-type]  # default: any
    failures: int | None = Field(default=None, ge=0)  # consecutive failed checks; 0: never; default 3
    errors: list[str] | None = None  # channels for failure/recovery alerts; default: the change channels


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
        return _http_url(v)


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
        return None if v is None else _http_url(v)


def _http_url(v: str) -> str:
    parts = urlsplit(v.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {v!r}")
    return v.strip()


class OperatorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    name: str = Field(min_length=1)
    url: str
    selector: str | None = None
    remove: str | None = None
    interval: Seconds | None = None
    encoding: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    alerts: list[str] | None = None
    trigger: Trigger | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _http_url(v)

    @field_validator("selector", "remove")
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
    fetch: FetchConfig = Field(default_factory=lambda: FetchConfig())
    operators: list[OperatorSpec] = Field(default_factory=list)
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


# ---------------------------------------------------------------------------------------------
# loading with line numbers


@dataclass(slots=True)
class _Marks:
    lines: dict[tuple[Any, ...], int]

    def line(self, loc: tuple[Any, ...]) -> int | None:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: tuple[Any, ...], marks: _Marks, filename: str
) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in out:
                raise WatchlistError([f"{filename}:{line}: {_where((*path, key))}: duplicate key {key!r}"])
            marks.lines[(*path, key)] = line
            out[key] = _build(loader, value_node, (*path, key), marks, filename)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            marks.lines[(*path, i)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*path, i), marks, filename))
        return items
    return loader.construct_object(node, deep=True)


def _where(loc: tuple[Any, ...], data: Any = None) -> str:
    out = ""
    cursor = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(cursor, list) and part < len(cursor):
                cursor = cursor[part]
                if isinstance(cursor, dict) and isinstance(cursor.get("id"), str) and loc[0] == "operators":
                    out += f" ({cursor['id']})"
            else:
                cursor = None
        else:
            out += f".{part}" if out else str(part)
            cursor = cursor.get(part) if isinstance(cursor, dict) else None
    return out or "(top level)"


def loads(text: str, filename: str = "watchlist.yaml") -> Watchlist:
    marks = _Marks({})
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = _build(loader, node, (), marks, filename) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}" if mark is not None else "?"
        raise WatchlistError([f"{filename}:{line}: invalid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise WatchlistError([f"{filename}: invalid YAML: {exc}"]) from None
    finally:
        loader.dispose()
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
            problems.append(f"{filename}:{at or '?'}: {_where(loc, data)}: {msg}")
        raise WatchlistError(problems) from None
    wl._path = filename
    _check_references(wl, marks, data, filename)
    return wl


def _check_references(wl: Watchlist, marks: _Marks, data: Any, filename: str) -> None:
    problems: list[str] = []
    seen: dict[str, int] = {}
    known_channels = {BUILTIN_CHANNEL, *wl.channels}

    def channels(names: list[str] | None, *path: Any) -> None:
        for j, name in enumerate(names or []):
            if name not in known_channels:
                loc = (*path, j)
                problems.append(
                    f"{filename}:{marks.line(loc)}: {_where(loc, data)}: unknown alert channel {name!r} "
                    f"(known: {', '.join(sorted(known_channels))})"
                )

    for i, op in enumerate(wl.operators):
        if op.id in seen:
            loc: tuple[Any, ...] = ("operators", i, "id")
            problems.append(
                f"{filename}:{marks.line(loc)}: {_where(loc, data)}: duplicate id {op.id!r} "
                f"(first used by operators[{seen[op.id]}])"
            )
        seen.setdefault(op.id, i)
        channels(op.alerts, "operators", i, "alerts")
        channels(op.trigger.errors if op.trigger else None, "operators", i, "trigger", "errors")
    channels(wl.defaults.alerts, "defaults", "alerts")
    channels(wl.defaults.trigger.errors, "defaults", "trigger", "errors")
    if problems:
        raise WatchlistError(problems)


def load(path: str | Path) -> Watchlist:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WatchlistError([f"{p}: no such watchlist (create one, or pass --watchlist FILE)"]) from None
    except UnicodeDecodeError:
        raise WatchlistError([f"{p}: not UTF-8 text"]) from None
    except OSError as exc:
        raise WatchlistError([f"{p}: cannot read: {exc.strerror}"]) from None
    return loads(text, str(p))
