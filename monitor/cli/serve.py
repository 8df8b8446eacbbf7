"""``policy-monitor serve``: the read-only web view of the store (:mod:`monitor.web`). Only click is
imported here; Starlette and uvicorn inside the command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor.cli.common import load_watchlist, open_settings_store

if TYPE_CHECKING:
    from monitor.cli.common import Settings


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on. Anything but loopback exposes the store: set POLICY_MONITOR_TOKEN.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port.")
@click.option(
    "--public-url",
    metavar="URL",
    help="The address readers use (behind a proxy), for the links in feeds "
    "[default: the watchlist's web.base_url, else the address of each request].",
)
@click.option(
    "--watchlist",
    "watchlist_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Same as the global --watchlist (read for web.base_url only).",
)
@click.pass_obj
def serve(
    settings: Settings, host: str, port: int, public_url: str | None, watchlist_path: Path | None
) -> None:
    """Serve a read-only web view of the store: dashboard, timelines, diffs, Atom feeds.

    \b
    Pages (each also as JSON with ?format=json):
      /                                   every operator, failing first; ?q= search, ?category=
      /operators/ID                       its versions: dates, declared and silent changes
      /operators/ID/versions/V            a version's privacy facts and its raw capture
      /operators/ID/diff/OLD..NEW         two versions side by side (the stable link alerts carry)
      /feeds/changes.atom                 material changes of all operators (?category=)
      /operators/ID/changes.atom          … of one operator; /feeds/categories/CAT.atom of one category

    It listens on 127.0.0.1 unless --host says otherwise. With POLICY_MONITOR_TOKEN set, every
    request must carry it: `Authorization: Bearer TOKEN`, or open /?token=TOKEN once in a browser
    (a cookie keeps it). Nothing can be changed through it. `run --serve PORT` serves the same view
    from the daemon.

    \b
    Examples:
      policy-monitor serve                              http://127.0.0.1:8080/
      POLICY_MONITOR_TOKEN=$(openssl rand -hex 16) policy-monitor serve --host 0.0.0.0
    """
    import os

    from monitor.config import http_url
    from monitor.errors import UserError
    from monitor.web.app import TOKEN_ENV
    from monitor.web.server import exposure_warning
    from monitor.web.server import serve as run_server

    if public_url is not None:
        try:
            public_url = http_url(public_url)
        except ValueError as exc:
            raise UserError(f"--public-url: {exc}") from None
    else:
        wl = load_watchlist(
            settings if watchlist_path is None else type(settings)(watchlist_path, settings.db),
            required=False,
        )
        public_url = wl.web.base_url if wl is not None else None
    warning = exposure_warning(host, os.environ.get(TOKEN_ENV))
    if warning:
        click.echo(f"policy-monitor: {warning}", err=True)
    store = open_settings_store(settings, create=False)  # a view: never a new empty database
    click.echo(f"policy-monitor: serving the web view on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    try:
        run_server(store, host, port, public_url)
    finally:
        store.dispose()


COMMANDS: list[click.Command] = [serve]
