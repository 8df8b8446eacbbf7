"""When an operator is due again after a check: plain arithmetic, apart from the scheduling queries
of :mod:`monitor.store.schedule` (and their imports), so that recording a check needs only this."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def next_interval(interval: float, jitter: float, rng: random.Random | None = None) -> float:
    """Seconds to the next check: ``interval`` plus a random 0 … ``jitter`` × ``interval``. The
    jitter only lengthens an interval, so an operator is never checked more often than asked."""
    draw = rng.random() if rng is not None else random.random()
    return interval * (1.0 + max(jitter, 0.0) * draw)


def next_due(now: datetime, interval: float | None, jitter: float) -> datetime | None:
    """When an operator checked at ``now`` is due again (:func:`next_interval` from now); None
    without an interval (its due time is left as it is)."""
    if interval is None:
        return None
    return now + timedelta(seconds=next_interval(interval, jitter))
