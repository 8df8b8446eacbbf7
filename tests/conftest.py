"""Fixtures only; what they are built on lives in tests/helpers/ (tests import helpers from there)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.corpus import CORPUS
from tests.helpers.pg import pg_unreachable_reason
from tests.helpers.pg import pg_url as find_pg_url

# ---------------------------------------------------------------------------------------------
# corpus: tests/corpus (a copy of the project's shared corpus, see its README)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the corpus is missing: {CORPUS}")
    return CORPUS


# ---------------------------------------------------------------------------------------------
# watch (issue 5): a real HTTP server on loopback, the databases (SQLite, and PostgreSQL on
# 127.0.0.1:5432 database `test`, one fresh schema per test), and a store on them.


@pytest.fixture
def policy_server():
    from tests.helpers.policy_server import PolicyServer

    with PolicyServer() as server:
        yield server


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = find_pg_url()
    if base is None:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({pg_unreachable_reason()})")
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
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


# ---------------------------------------------------------------------------------------------
# PDF (issue 14): the corpus policies printed to PDF by the system Chromium, once per session. Under
# xdist the workers share one directory and a lock, so the PDFs are printed once for all of them.


@pytest.fixture(scope="session")
def corpus_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name → PDF: every corpus policy's page (tests/helpers/edits.to_html) with Chromium's header and
    footer; ``cainiao-a5`` printed on A5 without them; ``jd-express-edited`` with checks.EDIT_LINE."""
    import fcntl
    import os

    from tests.helpers.checks import EDIT_ANCHOR, EDIT_LINE
    from tests.helpers.corpus import CORPUS_FILES, corpus_text
    from tests.helpers.edits import insert_line_after, to_html
    from tests.helpers.pdf import PrintJob, cannot_print, print_pdfs

    reason = cannot_print()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = root / "corpus-pdfs"
    out.mkdir(exist_ok=True)
    jobs = [PrintJob(to_html(corpus_text(n)), out / f"{Path(n).stem}.pdf") for n in CORPUS_FILES]
    jobs.append(PrintJob(to_html(corpus_text("cainiao.txt")), out / "cainiao-a5.pdf", False, "A5"))
    edited = insert_line_after(corpus_text("jd-express.txt"), EDIT_ANCHOR, EDIT_LINE)
    jobs.append(PrintJob(to_html(edited), out / "jd-express-edited.pdf"))
    with open(root / "corpus-pdfs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = [job for job in jobs if not job.out.is_file()]
        if missing:
            print_pdfs(missing)
    return {job.out.stem: job.out for job in jobs}
