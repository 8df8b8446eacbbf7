"""Crash points for tests: ``POLICY_MONITOR_FAILPOINTS=after-commit`` makes the process kill itself
with SIGKILL where :func:`hit` names that point, the way a power cut or the OOM killer would.

Points: ``before-commit`` (a check's rows and alerts are written, not committed), ``after-commit``
(committed, not yet delivered), ``before-delivered`` (an alert was sent, its success not recorded).

``disk-full`` does not kill: at the first ``before-commit`` it raises the error SQLAlchemy raises when SQLite
finds the disk full (the statement and its parameters attached, as they would be).
"""

from __future__ import annotations

import os
import signal


def hit(name: str) -> None:
    points = os.environ.get("POLICY_MONITOR_FAILPOINTS")
    if not points:
        return
    names = points.split(",")
    if name in names:
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "before-commit" and "disk-full" in names and not _fired:
        _fired.append(name)  # once: the failed check that follows is recorded
        raise _disk_full()


_fired: list[str] = []


def _disk_full() -> Exception:
    import sqlite3  # deferred: only when the failpoint is set

    from sqlalchemy.exc import OperationalError

    statement = "INSERT INTO version_texts (version_id, text) VALUES (?, ?)"
    params = (1, "隐私政策\n" + "我们会收集您的个人信息。" * 2000)
    return OperationalError(statement, params, sqlite3.OperationalError("database or disk is full"))
