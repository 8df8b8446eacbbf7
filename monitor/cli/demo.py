"""``policy-monitor demo``: the whole loop offline, on a bundled policy served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.cli.common import invoke

if TYPE_CHECKING:
    pass


_DEMO_WATCHLIST = """\
# written by `policy-monitor demo`: one operator, served by the demo on 127.0.0.1
defaults:
  interval: 12h
  alerts: [files]
channels:
  files:                   # the built-in channel, writing into the demo's directory
    type: file
    dir: {alerts}
operators:
  - id: jd-express
    name: 京东快递 (demo)
    url: {url}
"""


@click.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the demo's watchlist, database and captures here (default: a temporary directory).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html", "json"]),
    default="text",
    show_default=True,
    help="How to print the final diff.",
)
def demo(workdir: Path | None, fmt: str) -> None:
    """Watch a bundled policy offline: serve it on 127.0.0.1, check it, publish a revision, check
    again, and print which clauses changed and which changes are 重大变更.

    The two versions are real (京东快递's 2021 policy) and a revision with a new hotline, a new
    advertising partner, a longer reply time, a typo fix and a new date, served as UTF-8 and then
    GBK HTML with different markup. Nothing leaves this machine.
    """
    import tempfile  # deferred: keeps --help fast

    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="policy-monitor-demo-") as tmp:
            _run_demo(Path(tmp), fmt, keep=False)
    else:
        workdir.mkdir(parents=True, exist_ok=True)
        _run_demo(workdir, fmt, keep=True)


def _run_demo(workdir: Path, fmt: str, keep: bool) -> None:
    from importlib import resources  # deferred: keeps --help fast

    examples = resources.files("monitor").joinpath("examples")
    pages = [
        examples.joinpath(name).read_bytes() for name in ("jd-express-2021.html", "jd-express-2022.html")
    ]
    group = click.get_current_context().find_root().command
    assert isinstance(group, click.Group)

    def main(argv: list[str]) -> int:
        return invoke(group, argv)

    with _PageServer(pages[0]) as server:
        watchlist = workdir / "watchlist.yaml"
        alerts = workdir / "alerts"
        watchlist.write_text(_DEMO_WATCHLIST.format(url=server.url, alerts=alerts), encoding="utf-8")
        base = ["--watchlist", str(watchlist), "--db", f"sqlite:///{workdir / 'monitor.db'}"]
        say = _say(fmt)
        # with a machine format on stdout, the story (and the check tables) go to stderr
        story = contextlib.redirect_stdout(sys.stderr) if fmt != "text" else contextlib.nullcontext()
        with story:
            say(f"① serving the 2021 policy at {server.url} — first check stores version 1")
            _step(main([*base, "check"]))
            say("② the operator publishes a revision (new markup, GBK) — check again")
            server.page = pages[1]
            _step(main([*base, "check"]))
            written = sorted(alerts.glob("*/*.md"))
            if written:
                where = written[-1] if keep else f"alerts/{written[-1].parent.name}/{written[-1].name}"
                kept = "" if keep else "; --dir DIR keeps it"
                say(f"   the material change raised an alert: {where} (and .json, .html beside it{kept})")
        say("③ what changed, clause by clause, and what is material under the policy's own 重大变更 list")
        code = main([*base, "diff", "jd-express", "--format", fmt])
        _step(code, allowed=(0, 1))
    if keep:
        say(f"\nkept in {workdir}: try\n  policy-monitor {' '.join(base)} history jd-express")


def _say(fmt: str) -> Any:
    def say(text: str) -> None:
        # the narrative goes to stderr when stdout carries a machine format
        click.echo(click.style(text, bold=True), err=fmt != "text")

    return say


def _step(code: int, allowed: tuple[int, ...] = (0,)) -> None:
    if code not in allowed:
        raise click.ClickException(f"demo step failed (exit {code})")


class _PageServer:
    """A page on 127.0.0.1 that the demo can swap for a new version."""

    def __init__(self, page: bytes) -> None:
        self.page = page

    def __enter__(self) -> _PageServer:
        import threading  # deferred: keeps --help fast
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = outer.page
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/privacy.html"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


COMMANDS: list[click.Command] = [demo]
