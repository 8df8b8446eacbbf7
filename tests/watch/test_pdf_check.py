"""A policy published as a PDF: served as application/pdf by a real HTTP server on 127.0.0.1
(pytest-httpserver), checked by `policy-monitor check`, stored as a version; an edit inside the PDF is
found; a PDF cut short never becomes a version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.cli.main import main
from tests.helpers.checks import EDIT_LINE

pytestmark = pytest.mark.slow

WATCHLIST = """\
fetch:
  per_host_delay: 0
  timeout: 5s
  retries: 0
operators:
  - id: jd-pdf
    name: 京东快递 (PDF)
    url: {url}
"""


def _serve(server: HTTPServer, body: bytes, content_type: str = "application/pdf") -> None:
    server.clear()
    server.expect_request("/privacy.pdf").respond_with_data(body, content_type=content_type)


def _check(capsys: pytest.CaptureFixture[str], base: list[str]) -> dict:
    capsys.readouterr()
    code = main([*base, "check", "jd-pdf", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (report,) = json.loads(out)
    return report


def test_a_pdf_policy_is_checked_stored_and_its_edit_found(
    tmp_path: Path, httpserver: HTTPServer, corpus_pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(WATCHLIST.format(url=httpserver.url_for("/privacy.pdf")), encoding="utf-8")
    base = ["--watchlist", str(wl), "--db", str(tmp_path / "snapshots" / "monitor.db")]

    original = corpus_pdfs["jd-express"].read_bytes()
    _serve(httpserver, original)
    first = _check(capsys, base)
    assert (first["outcome"], first["version"]) == ("changed", 1), first

    edited = corpus_pdfs["jd-express-edited"].read_bytes()
    _serve(httpserver, edited[: len(edited) // 2])  # cut short: the server sent half the file
    cut = _check(capsys, base)
    assert cut["outcome"] == "suspicious" and "truncated PDF" in cut["reason"], cut
    assert cut["version"] == 1

    _serve(httpserver, edited, "application/octet-stream")  # a PDF whatever the header says
    second = _check(capsys, base)
    assert (second["outcome"], second["version"]) == ("changed", 2), second
    assert second["summary"]["added"] == 1 and second["summary"]["removed"] == 0, second["summary"]
    assert second["material"] and second["summary"]["modified"] == 0

    capsys.readouterr()
    assert main([*base, "diff", "jd-pdf", "--format", "json"]) == 0
    (change,) = json.loads(capsys.readouterr().out)["changes"]
    assert change["kind"] == "added" and change["new_text"] in EDIT_LINE and "巨量引擎" in change["new_text"]
    assert "recipients" in change["categories"]

    capsys.readouterr()
    assert main([*base, "show", "jd-pdf", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["encoding"] == "pdf" and "巨量引擎" in json.dumps(shown, ensure_ascii=False)

    capsys.readouterr()  # an archived copy of the first PDF, imported: it is version 1 already
    assert main([*base, "import", "jd-pdf", str(corpus_pdfs["jd-express"]), "--date", "2024-01-01"]) == 0
    assert "already stored as version 1" in capsys.readouterr().out
