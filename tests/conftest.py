"""Shared fixtures. Sections: corpus (here); others add theirs below with a heading comment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# ---------------------------------------------------------------------------------------------
# corpus: ../shared/corpus beside the repository (POLICY_MONITOR_SHARED overrides the shared dir)

SHARED = Path(os.environ.get("POLICY_MONITOR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS} (set POLICY_MONITOR_SHARED)")
    return CORPUS


# ---------------------------------------------------------------------------------------------
# watch (issue 5): a real HTTP server on loopback, the databases (SQLite, and PostgreSQL on
# 127.0.0.1:5432 database `test`, one fresh schema per test), and a store on them.

PG_URLS = [
    os.environ.get("POLICY_MONITOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]
_pg_state: dict[str, str | None] = {}


def _pg_url() -> str | None:
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


@pytest.fixture
def policy_server():
    from tests.policy_server import PolicyServer

    with PolicyServer() as server:
        yield server


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    base = _pg_url()
    if base is None:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({_pg_state.get('reason')})")
    u = make_url(base)
    schema = f"pm_test_{uuid.uuid4().hex[:12]}"
    conninfo = {"host": u.host, "port": u.port or 5432, "user": u.username, "dbname": u.database}
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'monitor.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url, tmp_path):
    from monitor.store.db import open_store

    s = open_store(db_url, raw=tmp_path / "raw")
    yield s
    s.dispose()
