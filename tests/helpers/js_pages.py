"""Policy pages built by JavaScript, as many Chinese operators publish them: the HTML is an empty
``<div id="app">`` and a script; the script writes the policy into it after load (optionally after a
delay, as an API answer would arrive). For the browser-fetch tests and bench/check.py.

Also finds the Chromium processes a test's browser runs in (``/proc``), so that a test can kill one."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.helpers.policy_server import Page, PolicyServer

JS_TYPE = "application/javascript; charset=utf-8"


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install 'policy-monitor[browser]')"
    from monitor.watch.browser import CHROMIUM_NAMES

    if not any(shutil.which(n) for n in CHROMIUM_NAMES):
        return "no Chromium on PATH (Debian: apt-get install chromium-headless-shell; .ci/run installs it)"
    return None


def shell(script: str = "policy.js", title: str = "隐私政策") -> bytes:
    """The page as served: no policy text at all, only where the script will put it."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body>"
        "<noscript>请开启JavaScript以查看本页面</noscript>"
        '<div id="app"></div>'
        f'<script src="{script}"></script>'
        "</body></html>"
    ).encode()


def script(text: str, delay_ms: int = 0, container: str = "policy") -> bytes:
    """JavaScript that writes ``text`` (one paragraph a line) into ``#app`` as ``<div id=container>``."""
    lines = json.dumps([line for line in text.split("\n") if line.strip()], ensure_ascii=False)
    body = (
        "var box = document.createElement('div'); box.id = " + json.dumps(container) + ";"
        "LINES.forEach(function (line) { var p = document.createElement('p'); p.textContent = line;"
        " box.appendChild(p); });"
        "document.getElementById('app').appendChild(box);"
    )
    build = f"setTimeout(function () {{ {body} }}, {delay_ms});" if delay_ms else body
    return f"(function () {{ var LINES = {lines}; {build} }})();".encode()


def serve(server: PolicyServer, path: str, text: str, *, delay_ms: int = 0, etag: bool = True) -> None:
    """``path`` (an empty shell) and ``path + '.js'`` (the script that builds ``text`` into it)."""
    name = path.rsplit("/", 1)[-1] + ".js"
    server.pages[path] = Page(shell(name), etag=etag)
    server.pages[path + ".js"] = Page(script(text, delay_ms), content_type=JS_TYPE, etag=etag)


def chromium_pids(ancestor: int) -> list[int]:
    """The Chromium browser processes (not their renderers) descending from process ``ancestor``."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        commands[int(entry.name)] = " ".join(c.decode(errors="replace") for c in cmd)

    def descends(pid: int) -> bool:
        seen = 0
        while pid > 1 and seen < 64:
            if pid == ancestor:
                return True
            pid, seen = parents.get(pid, 0), seen + 1
        return False

    return [
        pid
        for pid, cmd in commands.items()
        if "chrom" in cmd.split(" ", 1)[0] and "--type=" not in cmd and pid != os.getpid() and descends(pid)
    ]
