"""``fetcher: browser`` against a real Chromium and a real HTTP server on 127.0.0.1 serving policies
that a script builds after load (tests/helpers/js_pages.py), through the commands a user runs:
``check`` and ``validate --fetch``. Skipped, saying why, only where Playwright or Chromium is absent."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.watch import vet
from tests.helpers import js_pages
from tests.helpers.checks import EDIT_ANCHOR, EDIT_LINE
from tests.helpers.corpus import corpus_text
from tests.helpers.edits import insert_line_after
from tests.helpers.policy_server import Page, PolicyServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(js_pages.chromium_missing() is not None, reason=str(js_pages.chromium_missing())),
]

FAST = "fetch: {per_host_delay: 0, retries: 0, timeout: 5s}\n"
JD = corpus_text("jd-express.txt")


@pytest.fixture
def server():
    with PolicyServer(hosts=("127.0.0.1", "127.0.0.2")) as s:
        yield s


def cli(capsys: pytest.CaptureFixture[str], tmp: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--watchlist", str(tmp / "watchlist.yaml"), "--db", str(tmp / "db" / "m.db"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp: Path, text: str) -> None:
    (tmp / "watchlist.yaml").write_text(text, encoding="utf-8")


def reports(out: str) -> dict[str, dict]:
    return {r["operator"]: r for r in json.loads(out)}


def test_plain_fetch_flags_the_shell_browser_fetch_stores_the_policy_and_finds_a_script_edit(
    server: PolicyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    js_pages.serve(server, "/jd", JD)
    url = server.url("/jd")
    write(
        tmp_path,
        FAST + "defaults: {trigger: {changes: all}}\noperators:\n"
        f"  - {{id: plain, name: 京东快递, url: '{url}'}}\n"
        f"  - {{id: rendered, name: 京东快递, url: '{url}', fetcher: browser, wait_for: '#policy'}}\n",
    )
    code, out, _ = cli(capsys, tmp_path, "check", "--format", "json")
    first = reports(out)
    assert code == 0
    assert first["plain"]["outcome"] == "suspicious" and first["plain"]["version"] is None
    assert first["plain"]["reason"].startswith(vet.SHELL) and "`fetcher: browser`" in first["plain"]["reason"]
    assert (first["rendered"]["outcome"], first["rendered"]["version"]) == ("changed", 1)

    # the raw capture is what was fetched: for the browser, the rendered DOM with the policy in it
    raw = tmp_path / "db" / "raw"
    captures = [gzip.decompress(p.read_bytes()) for p in raw.rglob("*") if p.is_file()]
    (rendered,) = [c for c in captures if b'<div id="policy">' in c]
    assert "<p>物流隐私政策</p>".encode() in rendered and rendered.rstrip().endswith(b"</html>")
    assert any(b'<div id="app"></div>' in c for c in captures)  # the plain fetch's shell, kept as evidence

    code, out, _ = cli(capsys, tmp_path, "check", "--format", "json")
    again = reports(out)
    assert again["rendered"]["outcome"] == "unchanged" and again["plain"]["outcome"] == "suspicious"

    # the edit is in the script only: the page's HTML (and its ETag) stay the same
    etag = server.pages["/jd"].etag_value
    server.pages["/jd.js"].body = js_pages.script(insert_line_after(JD, EDIT_ANCHOR, EDIT_LINE))
    code, out, _ = cli(capsys, tmp_path, "check", "rendered", "--format", "json", "--exit-code")
    (changed,) = json.loads(out)
    assert server.pages["/jd"].etag_value == etag
    assert (changed["outcome"], changed["version"], changed["summary"]["added"]) == ("changed", 2, 1)
    assert changed["material"] is True and code == 1  # judged like any other edit: a new recipient
    code, out, _ = cli(capsys, tmp_path, "diff", "rendered", "--format", "json")
    assert code == 0 and "巨量引擎" in json.loads(out)["changes"][0]["new_text"]
    # every browser check asked for the page unconditionally (browser.conditional is off by default)
    assert all("if-none-match" not in r.headers for r in server.requests("/jd"))


def test_validate_fetch_says_the_page_needs_the_browser_fetcher(
    server: PolicyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    js_pages.serve(server, "/jd", JD)
    write(
        tmp_path,
        FAST + "operators:\n"
        f"  - {{id: plain, name: 京东快递, url: '{server.url('/jd')}'}}\n"
        f"  - {{id: rendered, name: 京东快递, url: '{server.url('/jd')}', fetcher: browser}}\n",
    )
    code, out, err = cli(capsys, tmp_path, "validate", "--fetch", "--wait", "0", "--format", "json")
    ops = {r["operator"]: r for r in json.loads(out)["operators"]}
    assert code == 2 and "1 of 2 operator page(s) have problems: plain" in err
    (problem,) = ops["plain"]["problems"]
    assert problem.startswith(
        "first fetch: this page needs `fetcher: browser`: a plain fetch gets an empty shell"
    )
    assert "a browser fetch gets the policy (" in problem
    assert ops["rendered"]["ok"] and ops["rendered"]["characters"] > 10_000


def test_a_hung_page_times_out_as_a_failed_check_while_the_others_proceed(
    server: PolicyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    js_pages.serve(server, "/jd", JD)
    js_pages.serve(server, "/never", JD)  # wait_for names a container the script never makes
    server.pages["/stuck"] = Page(js_pages.shell("stuck.js"))
    server.pages["/stuck.js"] = Page(b"", content_type=js_pages.JS_TYPE, delay=120)  # never answers in time
    write(
        tmp_path,
        FAST + "defaults: {fetcher: browser, browser_timeout: 3s}\noperators:\n"
        f"  - {{id: never, name: N, url: '{server.url('/never')}', wait_for: '#nowhere'}}\n"
        f"  - {{id: stuck, name: S, url: '{server.url('/stuck')}'}}\n"
        f"  - {{id: ok, name: OK, url: '{server.url('/jd')}', wait_for: '#policy'}}\n",
    )
    code, out, _ = cli(capsys, tmp_path, "check", "--format", "json")
    got = reports(out)
    assert code == 0 and got["ok"]["outcome"] == "changed"
    assert got["never"]["outcome"] == "failed"
    assert got["never"]["reason"] == "'#nowhere' did not appear within 3 s (browser)"
    assert got["stuck"]["outcome"] == "failed"
    assert got["stuck"]["reason"] == "the page did not load within 3 s (browser)"
    assert got["stuck"]["elapsed"] < 3 + 10 and got["never"]["elapsed"] < 3 + 10


def test_pages_in_flight_are_capped_and_conditional_requests_skip_rendering(
    server: PolicyServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scripts are served slowly from 127.0.0.2: with max_pages 1 they are never fetched two at once.
    With ``browser: {conditional: true}`` an unchanged page is a 304, and nothing is rendered."""
    texts = {name: corpus_text(f"{name}.txt") for name in ("jd-express", "yunju", "cainiao")}
    for name, text in texts.items():
        src = server.url(f"/{name}.js", host="127.0.0.2")
        server.pages[f"/{name}"] = Page(js_pages.shell(src))
        server.pages[f"/{name}.js"] = Page(js_pages.script(text), content_type=js_pages.JS_TYPE, delay=0.3)
    write(
        tmp_path,
        FAST
        + "defaults: {fetcher: browser}\nbrowser: {max_pages: 1, conditional: true}\noperators:\n"
        + "".join(f"  - {{id: {n}, name: {n}, url: '{server.url('/' + n)}'}}\n" for n in texts),
    )
    code, out, _ = cli(capsys, tmp_path, "check", "--format", "json")
    assert code == 0 and {r["outcome"] for r in reports(out).values()} == {"changed"}, out
    assert server.max_active["127.0.0.2"] == 1
    scripts = len([r for r in server.log if r.path.endswith(".js")])
    assert scripts == 3

    code, out, _ = cli(capsys, tmp_path, "check", "--format", "json")
    assert {r["outcome"] for r in reports(out).values()} == {"not_modified"}
    assert len([r for r in server.log if r.path.endswith(".js")]) == scripts  # no page was rendered
