"""Fetch settings for checks against the loopback page server: no politeness delay, short timeouts
and back-off, so a failing page fails fast."""

from __future__ import annotations

from monitor.watch.fetch import FetchSettings

FAST = FetchSettings(
    concurrency=4,
    per_host_delay=0,
    timeout=0.3,
    retries=1,
    backoff=0.01,
    max_backoff=0.02,
    max_retry_after=0.5,
    max_bytes=400_000,
)
