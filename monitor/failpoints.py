"""Crash points for tests: ``POLICY_MONITOR_FAILPOINTS=after-commit`` makes the process kill itself
with SIGKILL where :func:`hit` names that point, the way a power cut or the OOM killer would.

Points: ``before-commit`` (a check's rows and alerts are written, not committed), ``after-commit``
(committed, not yet delivered), ``before-delivered`` (an alert was sent, its success not recorded).
"""

from __future__ import annotations

import os
import signal


def hit(name: str) -> None:
    points = os.environ.get("POLICY_MONITOR_FAILPOINTS")
    if points and name in points.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
