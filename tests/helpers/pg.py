"""The PostgreSQL test database: 127.0.0.1:5432, database `test` (POLICY_MONITOR_TEST_PG overrides
the first URL tried). Tests get a fresh schema of it through the ``pg_url`` fixture."""

from __future__ import annotations

import os

PG_URLS = [
    os.environ.get("POLICY_MONITOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]
_pg_state: dict[str, str | None] = {}


def pg_url() -> str | None:
    """The first PostgreSQL URL that answers, else None (the reason is kept for the skip message)."""
    if "url" not in _pg_state:
        import psycopg
        from sqlalchemy.engine import make_url

        _pg_state["url"] = None
        reasons = []
        for url in PG_URLS:
            u = make_url(url)
            try:
                with psycopg.connect(
                    host=u.host, port=u.port or 5432, user=u.username, dbname=u.database, connect_timeout=3
                ):
                    _pg_state["url"] = url
                    break
            except Exception as exc:
                reasons.append(
                    f"{u.username}@{u.host}:{u.port}/{u.database}: {str(exc).strip().splitlines()[0]}"
                )
        _pg_state["reason"] = "; ".join(reasons)
    return _pg_state["url"]


def pg_unreachable_reason() -> str | None:
    """Why :func:`pg_url` found no server (after it was called)."""
    return _pg_state.get("reason")
