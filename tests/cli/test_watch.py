"""The commands on the watchlist and the store, run as a user runs them (SQLite, loopback server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli.main import main
from tests.helpers.checks import EDIT_ANCHOR, EDIT_LINE, html
from tests.helpers.corpus import CORPUS, corpus_text
from tests.helpers.edits import insert_line_after
from tests.helpers.policy_server import Page, PolicyServer

FAST_FETCH = """\
fetch:
  per_host_delay: 0
  timeout: 0.3s
  retries: 1
  backoff: 0.01s
"""


@pytest.fixture
def env(tmp_path: Path, policy_server: PolicyServer):
    for name in ["jd-express", "yunju"]:
        policy_server.pages[f"/{name}"] = Page(html(corpus_text(f"{name}.txt")))
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        FAST_FETCH
        + "operators:\n"
        + "".join(
            f"  - id: {n}\n    name: {n}\n    url: {policy_server.url('/' + n)}\n    selector: '#policy'\n"
            for n in ["jd-express", "yunju"]
        ),
        encoding="utf-8",
    )
    db = tmp_path / "snapshots" / "monitor.db"
    return ["--watchlist", str(wl), "--db", str(db)], policy_server, wl


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_list_history_show_diff(env, capsys: pytest.CaptureFixture[str]) -> None:
    base, server, _ = env
    code, out, _ = run(capsys, [*base, "check"])
    assert code == 0 and "2 checked: 2 changed" in out and "first version" in out
    assert (Path(base[3]).parent / "raw").is_dir()  # raw captures beside the database

    code, out, _ = run(capsys, [*base, "check", "--format", "json"])
    assert code == 0 and [r["outcome"] for r in json.loads(out)] == ["not_modified", "not_modified"]

    server.pages["/jd-express"].body = html(
        insert_line_after(corpus_text("jd-express.txt"), EDIT_ANCHOR, EDIT_LINE)
    )
    code, out, _ = run(capsys, [*base, "check", "jd-express", "--format", "json", "--exit-code"])
    (report,) = json.loads(out)
    assert (report["outcome"], report["version"], report["summary"]["added"]) == ("changed", 2, 1)
    assert code == (1 if report["material"] else 0)

    code, out, _ = run(capsys, [*base, "list", "--format", "json"])
    rows = {r["operator"]: r for r in json.loads(out)}
    assert rows["jd-express"]["current_version"] == 2 and rows["jd-express"]["versions"] == 2
    assert rows["yunju"]["outcome"] == "not_modified"
    code, out, _ = run(capsys, [*base, "list"])
    assert code == 0 and "jd-express" in out and "2/2" in out

    code, out, _ = run(capsys, [*base, "history", "jd-express", "--format", "json", "--checks", "5"])
    hist = json.loads(out)
    assert [v["version"] for v in hist["versions"]] == [1, 2] and hist["versions"][1]["current"]
    assert hist["versions"][1]["summary"]["added"] == 1 and len(hist["checks"]) == 3
    code, out, _ = run(capsys, [*base, "history", "jd-express"])
    assert code == 0 and "1 added" in out

    code, out, _ = run(capsys, [*base, "show", "jd-express", "1", "--format", "json"])
    shown = json.loads(out)
    assert shown["source"] == "jd-express@1" and shown["title"] == "物流隐私政策" and shown["sections"]
    code, out, _ = run(capsys, [*base, "show", "jd-express"])
    assert code == 0 and "jd-express@2" in out

    code, out, _ = run(capsys, [*base, "diff", "jd-express", "1", "2", "--format", "json"])
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["added"] == 1 and "巨量引擎" in doc["changes"][0]["new_text"]
    code, out, _ = run(capsys, [*base, "diff", "jd-express"])
    assert code == 0 and "巨量引擎" in out
    code, out, _ = run(capsys, [*base, "diff", "jd-express", "--format", "markdown"])
    assert code == 0 and "巨量引擎" in out
    code, _, _ = run(capsys, [*base, "diff", "jd-express", "--exit-code"])
    assert code == (1 if doc["material"] else 0)


def test_unknown_operators_and_versions_exit_2_with_the_valid_ones(
    env, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _, _ = env
    run(capsys, [*base, "check", "yunju"])
    for args, message in [
        (["check", "nope"], "unknown operator 'nope' in"),
        (["history", "nope"], "unknown operator 'nope' (known: jd-express, yunju)"),
        (["diff", "nope"], "unknown operator 'nope' (known: jd-express, yunju)"),
        (["show", "nope"], "nope: no such file, nor a known operator (operators: jd-express, yunju)"),
        (["show", "yunju", "9"], "unknown version '9' of yunju (versions: 1 ("),
        (["diff", "yunju", "1", "7"], "unknown version '7' of yunju (versions: 1 ("),
        (["diff", "yunju"], "yunju has a single stored version"),
        (["diff", "jd-express"], "jd-express has no stored version yet"),
        (["import", "nope", str(CORPUS / "yunju.txt")], "unknown operator 'nope'"),
        (["import", "yunju", str(CORPUS / "yunju.txt"), "--date", "yesterday"], "invalid date 'yesterday'"),
    ]:
        code, out, err = run(capsys, [*base, *args])
        assert code == 2, (args, out, err)
        assert message in err, (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err


def test_import_then_reprocess(env, capsys: pytest.CaptureFixture[str]) -> None:
    base, _, _ = env
    code, out, _ = run(capsys, [*base, "import", "yunju", str(CORPUS / "yunju.txt"), "--date", "2023-01-02"])
    assert code == 0 and out.startswith("yunju: changed, version 1")
    code, out, _ = run(capsys, [*base, "check", "yunju", "--format", "json"])
    assert json.loads(out)[0]["outcome"] == "unchanged"  # the page holds the same words as the archive
    code, out, _ = run(capsys, [*base, "history", "yunju", "--format", "json"])
    (v,) = json.loads(out)["versions"]
    assert v["first_seen"].startswith("2023-01-02") and v["origin"] == "import"
    code, out, _ = run(capsys, [*base, "reprocess", "--format", "json"])
    assert code == 0 and {r["operator"]: r["versions_after"] for r in json.loads(out)} == {
        "yunju": 1,
        "jd-express": 0,
    }
    code, out, _ = run(capsys, [*base, "reprocess", "yunju"])
    assert code == 0 and "versions 1 → 1" in out


def test_validate(env, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, server, wl = env
    code, out, _ = run(capsys, [*base, "validate"])
    assert code == 0 and "ok, 2 operators" in out

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "operators:\n  - id: a\n    name: a\n    url: https://e.com/\n    interval: soon\n", encoding="utf-8"
    )
    code, out, err = run(capsys, ["--watchlist", str(bad), "validate"])
    assert code == 2 and f"{bad}:5: operators[0] (a).interval: invalid duration 'soon'" in err

    # --fetch: one page is fine, one has lost its container, one changes on every request
    text = corpus_text("yunju.txt")
    server.pages["/jd-express"].body = server.pages["/jd-express"].body.replace(b'id="policy"', b'id="main"')
    server.pages["/noisy"] = Page(
        etag=False, sequence=[html(text, variant=0), html(text + "\n访问量: 12345", variant=0)]
    )
    wl.write_text(
        wl.read_text(encoding="utf-8") + f"  - id: noisy\n    name: noisy\n    url: {server.url('/noisy')}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, [*base, "validate", "--fetch", "--wait", "0.05", "--format", "json"])
    assert code == 2 and "2 of 3 operator page(s) have problems: jd-express, noisy" in err
    reports = {r["operator"]: r for r in json.loads(out)["operators"]}
    assert reports["yunju"]["ok"] and reports["yunju"]["clauses"] > 10
    assert "the selector '#policy' matches nothing" in reports["jd-express"]["problems"][0]
    assert "differs between two fetches" in reports["noisy"]["problems"][0]
    assert len(server.requests("/yunju")) == 2
