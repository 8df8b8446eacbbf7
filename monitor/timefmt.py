"""Datetimes in and out: one formatter per use (text tables, JSON, file names) and the parser of a
date given on the command line. Stored datetimes are UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from monitor.errors import UserError

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def text(at: datetime | None, *, seconds: bool = False) -> str:
    """For tables and logs: ``2026-11-21 10:15`` (``:00`` with ``seconds``), ``-`` for none."""
    if at is None:
        return "-"
    return at.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def iso(at: datetime | None) -> str | None:
    """For JSON documents and payloads: ISO 8601, ``None`` for none."""
    return at.isoformat() if at is not None else None


def stamp(at: datetime) -> str:
    """For file names: ``20261121T101500Z``."""
    return at.strftime("%Y%m%dT%H%M%SZ")


def parse_date(value: str) -> datetime:
    """``YYYY-MM-DD`` (noon UTC, so the day survives any timezone) or an ISO 8601 timestamp."""
    try:
        if DATE.fullmatch(value):
            return datetime.fromisoformat(value).replace(hour=12, tzinfo=UTC)
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"invalid date {value!r} (use YYYY-MM-DD)") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
