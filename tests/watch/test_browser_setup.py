"""``fetcher: browser`` without a browser: the watchlist keys and their errors, the one-line error
when Playwright or Chromium is missing, and the empty-shell reason a plain fetch gets (table-driven).
Quick: nothing here starts Chromium (tests/watch/test_browser.py does)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.watch import vet
from monitor.watch.browser import BROWSER_EXTRA, BrowserUnavailableError, find_chromium
from monitor.watch.fetch import FetchResult, FetchSettings
from monitor.watch.judge import judge
from monitor.watch.target import Target
from monitor.watchlist import WatchlistError, loads
from tests.helpers.corpus import corpus_text
from tests.helpers.js_pages import script, shell


def test_watchlist_keys_and_their_defaults() -> None:
    wl = loads(
        "defaults: {fetcher: browser, browser_timeout: 20s}\n"
        "browser: {executable_path: /usr/bin/chromium, max_pages: 2, conditional: true}\n"
        "operators:\n"
        "  - {id: a, name: A, url: 'http://127.0.0.1/a', wait_for: '#app p'}\n"
        "  - {id: b, name: B, url: 'http://127.0.0.1/b', fetcher: http}\n"
        "  - {id: c, name: C, url: 'http://127.0.0.1/c', browser_timeout: 1m}\n"
    )
    a, b, c = (Target.of(op, wl) for op in wl.operators)
    assert (a.fetcher, a.wait_for, a.browser_timeout) == ("browser", "#app p", 20.0)
    assert b.fetcher == "http" and c.browser_timeout == 60.0
    assert (wl.browser.executable_path, wl.browser.max_pages, wl.browser.conditional) == (
        "/usr/bin/chromium",
        2,
        True,
    )
    assert Target.of(loads("operators: [{id: d, name: D, url: 'http://x/'}]\n").operators[0], wl).fetcher


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "operators:\n  - id: a\n    name: A\n    url: http://x/\n    fetcher: chrome\n",
            "watchlist.yaml:5: operators[0] (a).fetcher: Input should be 'http' or 'browser'",
        ),
        (
            "operators:\n  - id: a\n    name: A\n    url: http://x/\n    wait_for: '#app'\n",
            "watchlist.yaml:5: operators[0] (a).wait_for: only read with `fetcher: browser`",
        ),
        (
            "operators:\n  - id: a\n    name: A\n    url: http://x/\n    fetcher: browser\n    wait_for: 'p[['\n",
            "watchlist.yaml:6: operators[0] (a).wait_for: invalid CSS selector 'p[['",
        ),
        ("browser:\n  max_pages: 0\n", "watchlist.yaml:2: browser.max_pages: Input should be greater than"),
        ("browser:\n  headless: false\n", "watchlist.yaml:2: browser.headless: unknown key"),
        (
            "defaults:\n  browser_timeout: 3x\n",
            "watchlist.yaml:2: defaults.browser_timeout: invalid duration",
        ),
    ],
)
def test_watchlist_errors_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(WatchlistError) as err:
        loads(text)
    assert str(err.value).startswith(message), str(err.value)


def test_missing_playwright_is_one_line_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        "fetch: {retries: 0}\noperators:\n  - {id: a, name: A, url: 'http://127.0.0.1:9/a', fetcher: browser}\n"
        "  - {id: b, name: B, url: 'http://127.0.0.1:9/b'}\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(sys.modules, "playwright.async_api", None)  # import raises ImportError
    base = ["--watchlist", str(wl), "--db", str(tmp_path / "m.db")]
    for args in (["check"], ["check", "a"], ["validate", "--fetch", "--wait", "0"], ["run"]):
        capsys.readouterr()
        assert main([*base, *args]) == 2, args
        err = capsys.readouterr().err
        assert BROWSER_EXTRA in err and err.count("\n") == 1 and "Traceback" not in err, (args, err)
    capsys.readouterr()
    assert main([*base, "check", "b", "--format", "json"]) == 0  # an HTTP operator needs no browser


def test_a_configured_chromium_that_is_not_there() -> None:
    with pytest.raises(BrowserUnavailableError, match=r"browser.executable_path '/nonexistent/chromium'"):
        find_chromium("/nonexistent/chromium")


POLICY = corpus_text("yunju.txt")


@pytest.mark.parametrize(
    ("body", "shell_reason"),
    [
        (shell(), 'an empty <div id="app"> and 1 script, 0 characters of text'),
        (
            b"<html><body><div id='root'></div><script>1</script><script src=a.js></script></body></html>",
            'an empty <div id="root"> and 2 scripts',
        ),
        (b"<html><body><p>loading</p><script src=a.js></script></body></html>", "1 script, 7 characters"),
        # not shells: no script; a page with text; a captcha page (its own reason)
        (b"<html><body><div id='app'></div></body></html>", None),
        (b"<html><body><div id='app'></div><script>geetest.init()</script></body></html>", None),
        (
            f"<html><body><div id='app'></div><p>{'关于我们' * 80}</p><script></script></body></html>".encode(),
            None,
        ),
    ],
)
def test_a_plain_fetch_of_an_empty_shell_is_suspicious_and_names_the_browser_fetcher(
    body: bytes, shell_reason: str | None
) -> None:
    target = Target("op", "op", "http://127.0.0.1/p")
    fetched = FetchResult("ok", target.url, http_status=200, body=body, content_type="text/html")
    verdict = judge(target, fetched, None, lambda: pytest.fail("no current version"))
    assert verdict.outcome == "suspicious" and verdict.reason
    if shell_reason is None:
        assert vet.SHELL not in verdict.reason
        return
    assert verdict.reason.startswith(f"{vet.SHELL} ({shell_reason}")
    assert verdict.reason.endswith(
        "this page needs `fetcher: browser` (set it on the operator in the watchlist)"
    )
    in_browser = judge(
        Target("op", "op", target.url, fetcher="browser"), fetched, None, lambda: pytest.fail()
    )
    assert in_browser.reason and "does `wait_for` name the policy's container?" in in_browser.reason


def test_a_script_that_builds_the_policy_is_not_read_as_its_text() -> None:
    """The policy inside the script's source is no text of the page: a plain fetch sees an empty shell."""
    body = shell().replace(b'<script src="policy.js"></script>', b"<script>" + script(POLICY) + b"</script>")
    target = Target("op", "op", "http://127.0.0.1/p")
    fetched = FetchResult("ok", target.url, http_status=200, body=body, content_type="text/html")
    verdict = judge(target, fetched, None, lambda: pytest.fail())
    assert verdict.outcome == "suspicious" and verdict.reason and verdict.reason.startswith(vet.SHELL)


def test_the_daemon_keeps_its_browser_across_reloads_until_browser_settings_change(tmp_path: Path) -> None:
    """Operators and fetch settings may change: the worker's browser (pool) stays one for its life;
    new `browser:` settings make a new one, and the old one is closed once its checks are done."""
    from monitor.worker.reload import Reloader, read_watchlist

    class Health:
        def reloaded(self, outcome: str) -> None:
            pass

    async def reconcile(wl: object, during: str) -> None:
        return None

    path = tmp_path / "watchlist.yaml"

    def op(i: str = "a") -> str:
        return f"  - {{id: {i}, name: {i}, url: 'http://127.0.0.1:9/{i}', fetcher: browser}}\n"

    path.write_text(f"browser: {{max_pages: 2}}\noperators:\n{op()}", encoding="utf-8")

    async def scenario() -> None:
        wl, digest = read_watchlist(path)
        r = Reloader(path, wl, digest, concurrency=None, health=Health(), reconcile=reconcile, running=list)
        await r.open()
        pool = r.browser
        path.write_text(f"fetch: {{concurrency: 3}}\nbrowser: {{max_pages: 2}}\noperators:\n{op()}{op('b')}")
        await r.reload("test")
        assert r.browser is pool and r.fetchers.pool is pool and r.settings.concurrency == 3
        path.write_text(f"browser: {{max_pages: 3}}\noperators:\n{op()}", encoding="utf-8")
        await r.reload("test")
        assert r.browser is not pool and r.browser.settings.max_pages == 3 and r.fetchers.pool is r.browser
        await asyncio.sleep(0.05)  # the old fetchers and pool close once the (no) running checks end
        assert pool not in r.retired
        await r.close()

    asyncio.run(scenario())


def test_a_fetcher_that_raises_is_that_checks_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetchers.fetch, the one entry of `check` and `run`: a fetcher's bug fails its check, masked."""
    from monitor.watch import fetchers

    class Broken:
        async def fetch(self, target: Target) -> FetchResult:
            raise OverflowError("getsockaddrarg: port must be 0-65535 (http://u:SECRET@127.0.0.1:99999/)")

    monkeypatch.setitem(fetchers.FETCHERS, "http", lambda http, pool: Broken())

    async def go() -> FetchResult:
        async with fetchers.Fetchers(FetchSettings()) as f:
            return await f.fetch(Target("op", "op", "http://127.0.0.1/p"))

    result = asyncio.run(go())
    assert result.status == "failed"
    assert (result.reason or "").startswith("internal error: OverflowError: getsockaddrarg")
    assert "SECRET" not in (result.reason or "")
