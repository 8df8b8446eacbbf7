"""An unchanged ``check`` pays only for what it uses: run as a user runs it (a fresh interpreter, a
page on loopback), it imports neither the compare stage nor parsing, Alembic, the alert renderers,
the web view or the optional readers, and on a SQLite store at the head not SQLAlchemy, SQLModel
or the tables either (monitor.store.lite; bench/fixed_cost.py measures what that saves)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli.main import main
from tests.helpers.checks import html
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer

ROOT = Path(__file__).resolve().parents[2]

# runs `policy-monitor ARGS…` in this interpreter, then writes the names of the modules it imported
RUN = """\
import sys
from monitor.cli.main import main
code = main(sys.argv[2:])
import json
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(sorted(sys.modules), f)
sys.exit(code)
"""

# what an unchanged check must not import (top-level packages, or monitor's own modules)
NOT_IMPORTED = (
    "monitor.compare",
    "monitor.document.parse",
    "monitor.document.segment",
    "monitor.document.facts",
    "monitor.document.pdf",
    "monitor.alerts.channels",
    "monitor.alerts.render",
    "monitor.web",
    "monitor.worker",
    "jieba",
    "diff_match_patch",
    "rapidfuzz",
    "alembic",
    "mako",
    "jinja2",
    "markdown_it",
    "pypdf",
    "playwright",
    "starlette",
    "uvicorn",
    "apscheduler",
    "prometheus_client",
    "psycopg",
    "charset_normalizer",
    "rich",  # --format json prints no table
    "multiprocessing",  # reader processes start only for a cycle with many new pages
    "pygments",
    "sqlalchemy",  # a SQLite store at the head: sqlite3 (monitor.store.lite)
    "sqlmodel",
    "monitor.store.tables",
    "monitor.watch.record",  # the full way of a check
)


def _check(tmp_path: Path, wl: Path, db: Path) -> tuple[list[dict[str, object]], set[str]]:
    modules = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.pop("PYTHONPATH", None)
    args = ["--watchlist", str(wl), "--db", str(db), "check", "--format", "json"]
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(modules), *args],
        cwd=ROOT,  # imports this tree's package
        env={**env, "NO_PROXY": "*"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), set(json.loads(modules.read_text(encoding="utf-8")))


def _loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_an_unchanged_check_imports_neither_compare_nor_alembic(
    tmp_path: Path, policy_server: PolicyServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = html(corpus_text("jd-express.txt"))
    policy_server.pages["/etag"] = Page(body)  # answers the second check with 304
    policy_server.pages["/plain"] = Page(body, etag=False)  # the same bytes again, 200
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        "fetch: {per_host_delay: 0}\noperators:\n"
        + "".join(
            f"  - {{id: {op}, name: {op}, url: '{policy_server.url('/' + op)}', selector: '#policy'}}\n"
            for op in ("etag", "plain")
        ),
        encoding="utf-8",
    )
    db = tmp_path / "monitor.db"

    assert main(["--watchlist", str(wl), "--db", str(db), "check", "--format", "json"]) == 0  # in-process
    assert [r["outcome"] for r in json.loads(capsys.readouterr().out)] == ["changed", "changed"]
    assert gc.isenabled() and gc.get_freeze_count() == 0  # check paused the collector: all as before
    assert main(["--watchlist", str(wl), "--db", str(db), "check", "no-such-operator"]) == 2
    assert gc.isenabled() and gc.get_freeze_count() == 0  # also when it stops before the fetches

    again, modules = _check(tmp_path, wl, db)
    assert [(r["operator"], r["outcome"]) for r in again] == [
        ("etag", "not_modified"),
        ("plain", "unchanged"),
    ]
    assert "monitor.store.lite" in modules and "monitor.watch.quick" in modules
    assert [name for name in NOT_IMPORTED if _loaded(modules, name)] == []


def test_the_full_way_loaded_mid_cycle_is_set_aside_from_the_collector() -> None:
    """monitor.watch.quick.full_way: a check that goes the full way on a store opened with sqlite3
    imports SQLAlchemy then; what that made is frozen like start-up's objects (a fresh interpreter:
    this one has imported it long ago)."""
    code = (
        "import gc, sys\n"
        "from monitor.watch import quick\n"
        "gc.freeze()\n"  # start-up set aside, as collector_paused does
        "before = gc.get_freeze_count()\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "quick.full_way()\n"
        "assert 'sqlalchemy' in sys.modules and gc.isenabled()\n"
        "print(gc.get_freeze_count() - before)\n"
    )
    assert int(_fresh(code)) > 10_000


def test_a_candidate_from_a_reader_imports_no_parsing() -> None:
    """A reader process sends the checking process each body it read as a pickled Candidate:
    unpickling one imports neither parsing nor segmenting (monitor.model holds the class), which
    the checking process never runs on an edited page read in a reader."""
    import pickle

    from monitor.document.parse import parse
    from monitor.model import Candidate

    doc = parse(corpus_text("jd-express.txt").encode(), media_type="text")
    blob = pickle.dumps(Candidate(doc, ["line"], "text", "utf-8", None, "0" * 64))
    code = (
        "import pickle, sys\n"
        "cand = pickle.loads(sys.stdin.buffer.read())\n"
        "assert cand.doc.sections, 'no clauses'\n"
        "print(' '.join(m for m in sys.modules if m.startswith('monitor.document')))\n"
    )
    assert _fresh(code, blob).split() == []


def _fresh(code: str, stdin: bytes = b"") -> str:
    """What ``code`` prints, run in a fresh interpreter on this tree's package (``stdin`` its input)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()
