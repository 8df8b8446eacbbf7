"""Structured log lines on stderr for ``policy-monitor run``: an event name and fields.

text (default), for people::

    2026-11-21 10:15:02Z info  check operator=jd-express outcome=changed duration=0.42s version=2

json (``--log-format json``), one object per line for log shippers::

    {"time": "2026-11-21T10:15:02.123Z", "level": "info", "event": "check", "operator": "jd-express", …}

``log(event, **fields)`` writes one line; records of other libraries (APScheduler) come out in the
same format, their message as the event.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import make_url

LOGGER = "policy_monitor"
LEVELS = ("debug", "info", "warning", "error")
_logger = logging.getLogger(LOGGER)


def _text_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"
    if isinstance(value, list | tuple | set):
        value = ",".join(str(v) for v in value)
    s = str(value)
    if not s or any(c.isspace() or c in '"=' for c in s):
        return json.dumps(s, ensure_ascii=False)
    return s


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        fields: dict[str, Any] = getattr(record, "fields", {})
        parts = [at, f"{record.levelname.lower():<5}", record.getMessage()]
        parts += [
            f"{k}={_text_value(v)}{'s' if k == 'duration' else ''}"
            for k, v in fields.items()
            if v is not None and k != "worker"
        ]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC)
        out: dict[str, Any] = {
            "time": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        if record.name != LOGGER:
            out["logger"] = record.name
        out.update({k: v for k, v in getattr(record, "fields", {}).items() if v is not None})
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def setup(fmt: str = "text", level: str = "info") -> None:
    """Send this package's events (and APScheduler's errors) to stderr, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    for name, lvl in ((LOGGER, level.upper()), ("apscheduler", "ERROR")):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(lvl)
        logger.propagate = False


def log(event: str, level: int = logging.INFO, exc_info: bool = False, **fields: Any) -> None:
    _logger.log(level, event, extra={"fields": fields}, exc_info=exc_info)


def enabled(level: int) -> bool:
    return _logger.isEnabledFor(level)


def first_line(exc: BaseException) -> str:
    """An error for a log field: its type and the first line of its message (a database driver's own)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")


def safe_url(url: str) -> str:
    """A database URL for a log line: the password masked."""
    return make_url(url).render_as_string(hide_password=True)
