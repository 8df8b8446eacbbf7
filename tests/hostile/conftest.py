"""Hostile input end to end: a loopback server serving hostile pages, watchlists naming them, and the
real ``policy-monitor`` run as a subprocess (``cli``), whose stderr must never hold a traceback.

Pages (``HOSTILE_PAGES``, served by the ``hostile_server`` fixture at ``/<name>``):

  huge        one clause of 140,000 distinct words (about 1 MB): the diff's token numbering overflows
  nested      450,000 nested ``<div>`` (4.9 MB, under the 5 MB cap): quadratic in lexbor
  bad-port    ``302 Location: http://127.0.0.1:99999/``
  gbk-bad     a GBK policy with one invalid byte
  escapes     terminal escape sequences in the title and the text
  script      the policy wrapped in ``<script>``, ``<iframe>`` and event handlers
  binary      random bytes served as text/html
  empty       a 200 with no body

The slow (trickling) server is :class:`tests.helpers.trickle.TrickleServer`.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.daemon import ROOT, policy_text
from tests.helpers.edits import to_html
from tests.helpers.policy_server import Page, PolicyServer

NO_TRACEBACK = "Traceback (most recent call last)"


def huge_words(n: int = 140_000, seed: int = 0) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(10**9):x}{i}" for i in range(n))


def policy_html(extra: str = "", charset: str = "utf-8") -> str:
    return to_html(policy_text(1) + ("\n" + extra if extra else ""), charset=charset)


def gbk_with_a_bad_byte() -> bytes:
    page = policy_html(charset="gbk").encode("gbk", "xmlcharrefreplace")
    return page.replace("设备".encode("gbk"), b"\x81\x20", 1)


def hostile_pages() -> dict[str, Page]:
    nested = "<html><body>" + "<div>" * 450_000 + policy_text(1) + "</div>" * 450_000 + "</body></html>"
    escapes = policy_html("1.3 \x1b[2J\x1b[31m我们\x1b]0;pwned\x07会保护您的信息\x1b[0m。").replace(
        "<title>", "<title>\x1b[31m", 1
    )
    script = policy_html(
        "<script>document.write('我们会出售您的个人信息')</script>"
        '<iframe src="http://127.0.0.1:1/"></iframe><img src=x onerror="alert(1)">'
    )
    return {
        "/huge": Page(policy_html("5.1 " + huge_words()).encode()),
        "/nested": Page(nested.encode()),
        "/bad-port": Page(status=302, location="http://127.0.0.1:99999/admin"),
        "/gbk-bad": Page(gbk_with_a_bad_byte(), content_type="text/html; charset=gbk"),
        "/escapes": Page(escapes.encode()),
        "/script": Page(script.encode()),
        "/binary": Page(random.Random(1).randbytes(50_000)),
        "/empty": Page(b""),
    }


@pytest.fixture
def hostile_server() -> Iterator[PolicyServer]:
    with PolicyServer() as server:
        server.keep_log = False
        server.pages.update(hostile_pages())
        yield server


@dataclass
class Ran:
    rc: int
    stdout: str
    stderr: str


@dataclass
class Cli:
    """``policy-monitor`` as a subprocess, on a watchlist and a database of its own."""

    tmp: Path
    env: dict[str, str]

    @property
    def watchlist(self) -> Path:
        return self.tmp / "watchlist.yaml"

    @property
    def db(self) -> str:
        return f"sqlite:///{self.tmp / 'snapshots' / 'monitor.db'}"

    def write(self, text: str) -> Path:
        self.watchlist.write_text(text, encoding="utf-8")
        return self.watchlist

    def __call__(self, *args: str, timeout: float = 120.0) -> Ran:
        cmd = [sys.executable, "-m", "monitor", "--watchlist", str(self.watchlist), "--db", self.db, *args]
        proc = subprocess.run(
            cmd, cwd=self.tmp, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert NO_TRACEBACK not in proc.stderr, proc.stderr[-3000:]
        assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr[-3000:])
        return Ran(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("POLICY_MONITOR_DB", None)
    return Cli(tmp_path, env)


def watchlist(urls: dict[str, str], fetch: str = "{per_host_delay: 0, retries: 0, timeout: 5s}") -> str:
    lines = [f"fetch: {fetch}", "operators:"]
    for op_id, url in urls.items():
        lines += [f"  - id: {op_id}", f"    name: 运营者{op_id}", f"    url: '{url}'"]
    return "\n".join(lines) + "\n"
