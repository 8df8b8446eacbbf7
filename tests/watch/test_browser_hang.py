"""A browser that stops answering (its process frozen with SIGSTOP) fails the page it was rendering
after ``browser_timeout`` plus the backstop, and the next page gets a new browser."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from monitor.watch.browser import BACKSTOP, BrowserPool, RenderError
from tests.helpers import js_pages
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import PolicyServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(js_pages.chromium_missing() is not None, reason=str(js_pages.chromium_missing())),
]


def test_a_frozen_browser_is_replaced(policy_server: PolicyServer) -> None:
    js_pages.serve(policy_server, "/p", corpus_text("yunju.txt"))
    url = policy_server.url("/p")
    frozen: list[int] = []

    async def scenario() -> None:
        pool = BrowserPool()
        try:
            dom, _ = await pool.render(url, {}, "#policy", 10)
            assert '<div id="policy">' in dom
            (pid,) = js_pages.chromium_pids(os.getpid())
            os.kill(pid, signal.SIGSTOP)
            frozen.append(pid)
            t0 = time.monotonic()
            with pytest.raises(
                RenderError, match=r"the browser did not answer within 16 s \(started again\)"
            ):
                await pool.render(url, {}, "#policy", 1)
            assert time.monotonic() - t0 < 1 + BACKSTOP + 25  # the backstop, then closing the frozen one
            dom, _ = await pool.render(url, {}, "#policy", 10)
            assert '<div id="policy">' in dom and pool.launches == 2
            gone = time.monotonic() + 5
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < gone:  # killed, not left behind
                await asyncio.sleep(0.1)
            assert not os.path.exists(f"/proc/{pid}")
        finally:
            await pool.close()

    try:
        asyncio.run(scenario())
    finally:
        for pid in frozen:  # never leave a stopped process behind
            for sig in (signal.SIGKILL, signal.SIGCONT):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    break
