"""Serving the web view with uvicorn: on its own (``policy-monitor serve``) or inside the daemon's
event loop (``run --serve PORT``), where the daemon keeps its own signal handling."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import uvicorn

from monitor.web.app import TOKEN_ENV
from monitor.web.routes import create_app

if TYPE_CHECKING:
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist

_log = logging.getLogger("policy_monitor")  # the daemon's log (monitor.worker.runlog)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, token: str | None) -> str | None:
    """What to say when the view is reachable from elsewhere without a token."""
    if is_loopback(host) or token:
        return None
    return (
        f"warning: serving on {host} without {TOKEN_ENV}: anyone who reaches this address reads every "
        f"stored policy, check and raw capture (set {TOKEN_ENV} to require a token)"
    )


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: ``serve`` lets uvicorn's own stop on Ctrl-C stand, but in
    the daemon SIGTERM and SIGINT belong to the daemon, which stops this server itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def config(store: Store, host: str, port: int, public_url: str | None) -> uvicorn.Config:
    app = create_app(store, public_url=public_url, token=os.environ.get(TOKEN_ENV) or None)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
    )


def serve(store: Store, host: str, port: int, public_url: str | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM (``policy-monitor serve``)."""
    uvicorn.Server(config(store, host, port, public_url)).run()


async def start_in_daemon(store: Store, host: str, port: int, watchlist: Watchlist) -> Embedded:
    """``run --serve``: the view in the daemon's loop, with its own engine (its reads never wait for
    the daemon's lanes); a port in use is a :class:`UserError`; the exposure warning is logged."""
    from monitor.errors import UserError
    from monitor.store.db import open_store

    warning = exposure_warning(host, os.environ.get(TOKEN_ENV))
    if warning:
        _log.warning("web view exposed", extra={"fields": {"note": warning}})
    view_store = open_store(store.url, raw=store.raw.root, upgrade=False)
    try:
        embedded = await start(view_store, host, port, watchlist.web.base_url)
    except OSError as exc:
        view_store.dispose()
        raise UserError(f"--serve {port}: {exc}") from None
    embedded.own_store = view_store
    _log.info("web view", extra={"fields": {"url": f"http://{host}:{embedded.port}/"}})
    return embedded


@dataclass
class Embedded:
    """The web view running as a task of an existing event loop (``run --serve``)."""

    server: _Server
    task: asyncio.Task[None]
    own_store: Store | None = None  # disposed on stop

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        for s in self.server.servers:
            for sock in s.sockets:
                return int(sock.getsockname()[1])
        return self.server.config.port

    async def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout)
        if self.own_store is not None:
            self.own_store.dispose()


async def start(store: Store, host: str, port: int, public_url: str | None = None) -> Embedded:
    """Start serving in the running loop; returns once the socket listens (or raises OSError)."""
    server = _Server(config(store, host, port, public_url))

    async def serve() -> None:
        try:
            await server.serve()
        except SystemExit:  # uvicorn exits when it cannot bind: not the daemon's exit
            raise OSError(f"the web view cannot listen on {host}:{port}") from None

    task = asyncio.get_running_loop().create_task(serve())
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
            raise OSError(f"the web view stopped before it listened on {host}:{port}")
        await asyncio.sleep(0.02)
    return Embedded(server, task)
