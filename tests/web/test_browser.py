"""The web view in a real browser: Playwright driving the system's Chromium against
``policy-monitor serve`` (a subprocess) over a store filled by real checks. Each page is screenshot
into the test's directory and ``test-output/web/`` (git-ignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from monitor.watch.browser import QUIET_CHROMIUM
from tests.helpers.receivers import free_port
from tests.web.conftest import EVIL_IMG, EVIL_NAME, EVIL_SCRIPT, Filled

pytestmark = pytest.mark.slow  # a browser and a server process

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", *QUIET_CHROMIUM]


@pytest.fixture(scope="module")
def served(filled: Filled) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "POLICY_MONITOR_TOKEN"}
    cmd = [sys.executable, "-m", "monitor", "--db", filled.db, "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=filled.tmp, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else "serve exited"
            assert time.monotonic() < deadline, "serve did not answer within 30 s"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (bash .ci/run installs Debian's)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
            locale="zh-CN",
        )
        try:
            yield context
        finally:
            context.close()


def shoot(page: object, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=False)  # type: ignore[attr-defined]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, f"{name}: suspiciously small screenshot ({len(data)} bytes): a blank page?"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, OUTPUT / shot.name)
    return shot


def test_dashboard_to_timeline_to_diff_shows_the_material_change_and_its_evidence(
    served: str, browser: object, tmp_path: Path
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served + "/")
    rows = page.locator("#operators tbody tr")
    assert rows.count() == 5
    assert "gone" in rows.first.inner_text()  # the failing operator comes first
    assert page.get_by_text(EVIL_NAME).count() == 1  # the name as text, not a script
    shoot(page, tmp_path, "dashboard")

    page.get_by_role("link", name="jd", exact=True).click()
    page.wait_for_url("**/operators/jd")
    assert page.locator("#timeline > li").count() == 3
    assert page.locator("#v2 .badge.mat").count() == 1  # v2 is the material one
    assert "新增共享对象: 巨量引擎、腾讯广告" in page.locator("#v2").inner_text()
    assert page.locator("#v3 .badge.mat").count() == 0  # the cosmetic v3 is not
    shoot(page, tmp_path, "operator")

    page.locator("#v2").get_by_role("link", name="diff v1 → v2").click()
    page.wait_for_url("**/operators/jd/diff/*..*")
    material = page.locator("article.change.material")
    assert material.count() == 1
    text = material.inner_text()
    assert "重大变更" in text and "巨量引擎" in text
    assert "新增共享对象" in text  # the evidence
    assert material.locator("ins").count() >= 1  # the inserted words, marked
    shoot(page, tmp_path, "diff")

    page.goto(served + "/operators/jd/versions/2")
    assert "巨量引擎" in page.locator("#facts").inner_text()
    shoot(page, tmp_path, "version")
    assert dialogs == []


def test_markup_in_a_policy_is_shown_as_text_and_never_runs(
    served: str, browser: object, tmp_path: Path
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    for path in ("/", "/operators/evil", "/operators/evil/versions/2", "/operators/evil/diff/1..2"):
        page.goto(served + path)
        body = page.locator("body").inner_text()
        assert "alert(" in body, path  # the markup is there, as text
        assert page.locator("body script").count() == 0, path
        assert page.locator("img[onerror]").count() == 0, path
    assert EVIL_SCRIPT in page.locator("body").inner_text()
    assert EVIL_IMG in page.locator("body").inner_text()
    page.locator("article.change", has_text="alert(").last.scroll_into_view_if_needed()
    shoot(page, tmp_path, "evil-diff")
    assert dialogs == []
