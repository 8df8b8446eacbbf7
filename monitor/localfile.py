"""Reading a local document (``show FILE``, ``compare OLD NEW``, ``import OPERATOR FILE``): only a
regular file, and only up to a size cap, so that a symlink to ``/dev/zero``, a FIFO or a huge file
is a one-line error instead of a process that eats memory or waits forever.

The cap is the fetch cap's default, 5 MiB; ``POLICY_MONITOR_MAX_FILE_SIZE`` (``20MB``, ``512KB`` or
bytes) changes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from monitor.config import parse_size
from monitor.errors import UserError

MAX_FILE_SIZE = 5 * 2**20  # as fetch.max_bytes
ENV = "POLICY_MONITOR_MAX_FILE_SIZE"

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def max_file_size() -> int:
    """The cap: ``POLICY_MONITOR_MAX_FILE_SIZE`` when set, else 5 MiB."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return MAX_FILE_SIZE
    try:
        size = parse_size(value)
    except ValueError:
        size = -1
    if size <= 0:
        raise UserError(f"{ENV}={value!r}: expected a size such as 20MB, 512KB or a number of bytes")
    return size


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


def read_local(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``max_bytes`` (default:
    :func:`max_file_size`); anything else is a :class:`UserError` naming the file."""
    p = Path(path)
    limit = max_file_size() if max_bytes is None else max_bytes
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UserError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{p}: is a directory, not a document") from None
    except OSError as exc:
        raise UserError(f"{p}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UserError(f"{p}: is a directory, not a document")
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise UserError(f"{p}: is {kind}: only regular files are read")
        too_big = f"{p}: larger than the {_size(limit)} cap for local files (set {ENV} to raise it)"
        if os.fstat(fd).st_size > limit:
            raise UserError(too_big)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise UserError(f"{p}: cannot read: {exc.strerror or exc}") from None
        if len(data) > limit:  # it grew while we read it
            raise UserError(too_big)
    return data
