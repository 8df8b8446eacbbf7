"""Render a comparison to HTML and take a headless Chromium screenshot of it (a check by eye, not a test).

    .venv/bin/python bench/screenshot.py [OLD NEW] [--out DIR] [--size 1400,2000]

By default it compares the corpus's liqun-2022.txt → liqun.txt (tests/corpus), writes
bench/out/compare.html and bench/out/compare.png (bench/out/ is git-ignored) and
prints where the PNG is. Nothing is served: Chromium opens the file:// URL. CHROMIUM names the binary
when it is not on PATH as chromium, chromium-browser or google-chrome.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary: $CHROMIUM, else the first of BROWSERS on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return shutil.which(explicit)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html_file: Path, png: Path, *, size: str = "1400,2000", timeout: float = 180.0) -> Path:
    """Headless Chromium's screenshot of ``html_file`` (opened as file://, no network) into ``png``."""
    from monitor.watch.browser import QUIET_CHROMIUM

    browser = find_chromium()
    if browser is None:
        raise RuntimeError(f"no Chromium binary found (tried $CHROMIUM and {', '.join(BROWSERS)})")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="policy-monitor-chromium-") as profile:
        cmd = [
            browser,
            "--headless",
            *QUIET_CHROMIUM,
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--screenshot={png}",
            html_file.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not png.is_file():
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
        raise RuntimeError(f"{browser} exited with {proc.returncode} and no screenshot at {png}:\n{tail}")
    return png


def render_html(old: Path, new: Path, out: Path) -> Path:
    from monitor.compare.comparison import compare
    from monitor.compare.render import render
    from monitor.document.parse import load

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(compare(load(old), load(new)), "html"), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", nargs="?", type=Path, default=CORPUS / "liqun-2022.txt")
    parser.add_argument("new", nargs="?", type=Path, default=CORPUS / "liqun.txt")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "out", help="directory for the HTML and PNG"
    )
    parser.add_argument("--size", default="1400,2000", help="window size WIDTH,HEIGHT (default 1400,2000)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    html_file = render_html(args.old, args.new, args.out / "compare.html")
    try:
        png = screenshot(html_file, args.out / "compare.png", size=args.size)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"screenshot: {exc}", file=sys.stderr)
        return 1
    print(f"HTML: {html_file}")
    print(f"PNG:  {png} ({png.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
