"""The html view in a real headless browser (bench/screenshot.py); skipped where there is no Chromium."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from monitor.compare.comparison import compare
from monitor.compare.render import render
from monitor.document.parse import load

pytestmark = pytest.mark.slow  # a real headless browser

ROOT = Path(__file__).resolve().parents[2]


def _screenshot_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_screenshot", ROOT / "bench" / "screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_headless_chromium_screenshot(corpus_dir: Path, tmp_path: Path) -> None:
    shot = _screenshot_module()
    if shot.find_chromium() is None:
        pytest.skip(f"no Chromium binary ($CHROMIUM or one of {', '.join(shot.BROWSERS)} on PATH)")
    cmp = compare(load(corpus_dir / "liqun-2022.txt"), load(corpus_dir / "liqun.txt"))
    page = tmp_path / "compare.html"
    page.write_text(render(cmp, "html"), encoding="utf-8")
    png = shot.screenshot(page, tmp_path / "compare.png", size="1400,2000")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1400 and int.from_bytes(data[20:24], "big") == 2000
    # a blank or unstyled page compresses to a few KB; a rendered report with Chinese text does not
    assert len(data) > 20_000, f"suspiciously small screenshot: {len(data)} bytes"
