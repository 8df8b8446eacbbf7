"""Who holds a row: worker ids, and telling a lease held by a dead process on this host.

A worker id is ``host:pid:nonce``. A lease normally ends at its expiry time; a lease whose owner ran
on this host and whose process is gone ended when the process died (SIGKILL, a crash), so its work
can be taken over at once instead of after the lease.
"""

from __future__ import annotations

import functools
import os
import socket
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement
    from sqlmodel import Session


@functools.cache
def _nonce(pid: int) -> str:
    return uuid.uuid4().hex[:8]


def worker_id() -> str:
    """This process's id (a forked child gets its own)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_nonce(pid)}"


def is_dead(owner: str | None) -> bool:
    """True when ``owner`` ran on this host and its process no longer exists."""
    if not owner:
        return False
    parts = owner.split(":")
    if len(parts) < 3 or ":".join(parts[:-2]) != socket.gethostname():
        return False
    try:
        pid = int(parts[-2])
    except ValueError:
        return False
    if owner == worker_id():
        return False
    if pid == os.getpid():
        return True  # this pid, another nonce: an earlier process whose pid was reused by us
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def free(session: Session, model: Any, scope: ColumnElement[bool], now: datetime) -> ColumnElement[bool]:
    """The condition for a row of ``model`` (with ``lease_owner`` and ``lease_expires_at``) within
    ``scope`` that nobody holds: never leased, lease expired, or held by a dead process of this host."""
    from sqlmodel import col, select  # deferred: sending from a lite store reads leases without it

    owner, expires = col(model.lease_owner), col(model.lease_expires_at)
    held = session.exec(select(owner).where(scope, expires > now).distinct()).all()
    dead = [o for o in held if o is not None and is_dead(o)]
    condition: ColumnElement[bool] = expires.is_(None) | (expires <= now) | owner.in_(dead)
    return condition
