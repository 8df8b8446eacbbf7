"""What every command shares: the global settings, output options and printers, and how a command's
errors become one line on stderr and an exit status."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.errors import UserError
from monitor.redact import mask_secrets

if TYPE_CHECKING:
    from rich.console import Console

    from monitor.model import Comparison
    from monitor.store.db import Store
    from monitor.watchlist import Watchlist


@dataclass(slots=True)
class Settings:
    """Paths every command shares (CONTRACT.md: --watchlist / --db or their environment variables)."""

    watchlist: Path
    db: str | None  # None: sqlite:///snapshots/monitor.db under the current directory


FORMAT_HELP = "Output format."


# the --format option of every command that prints text or JSON
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=FORMAT_HELP,
)


def echo_json(data: Any) -> None:
    """JSON on stdout as every command prints it: UTF-8 text (not \\u escapes), indented."""
    import json  # deferred: keeps --help fast

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console(width: int = 160) -> Console:
    """A rich console for tables on stdout: colours on a terminal, plain fixed-width text in a pipe.
    Every string it prints loses its terminal control characters (:func:`monitor.textsafe.printable`):
    titles, reasons and paths come from policy pages."""
    import sys  # deferred: keeps --help fast

    from rich.console import Console

    from monitor.textsafe import printable

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(printable(text), **kwargs)

    if sys.stdout.isatty():
        return SafeConsole(highlight=False, markup=False)
    return SafeConsole(highlight=False, markup=False, no_color=True, width=width, soft_wrap=False)


def echo(message: str = "", *, err: bool = False) -> None:
    """``click.echo`` for text that may hold a page's words: terminal control characters removed."""
    from monitor.textsafe import printable  # deferred: keeps --help fast

    click.echo(printable(message), err=err)


def use_color() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def print_comparison(cmp: Comparison, fmt: str) -> None:
    """Print a comparison in one of the formats of CONTRACT.md (shared by `compare` and `diff`)."""
    from monitor.compare.comparison import to_json  # deferred: keeps --help fast

    if fmt == "json":
        echo_json(to_json(cmp))
        return
    from monitor.compare.render import render

    click.echo(render(cmp, fmt, color=use_color() and fmt == "text"), color=use_color())


# the options `compare` and `diff` share
comparison_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="text: word diff for the terminal; json: the CONTRACT.md document; "
    "markdown: for a ticket; html: one page.",
)


exit_code_option = click.option(
    "--exit-code", is_flag=True, help="Exit 1 when a material change was found (like git diff --exit-code)."
)


def invoke(group: click.Group, argv: list[str] | None = None) -> int:
    """Run ``group`` on ``argv``; returns the exit status (0 ok, 1 material change with --exit-code, 2 bad
    input). Usage and domain errors (:class:`UserError`) become one line on stderr."""
    prog = "policy-monitor"
    try:
        rv = group.main(args=argv, prog_name=prog, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)
        return 2
    except click.UsageError as exc:
        where = f" ({exc.ctx.command_path})" if exc.ctx is not None else ""
        click.echo(f"{prog}: usage error{where}: {exc.format_message()}", err=True)
        return 2
    except click.Abort:
        click.echo(f"{prog}: aborted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"{prog}: error: {exc.format_message()}", err=True)
        return 2
    except UserError as exc:
        echo(f"{prog}: error: {mask_secrets(str(exc))}", err=True)
        return 2
    except BrokenPipeError:
        # output piped into `head`: not an error; keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a database that breaks mid-command (corrupt, full, gone): one line
        message = _database_error(exc)
        if message is None:
            raise
        click.echo(f"{prog}: error: database: {message}", err=True)
        return 2
    return rv if isinstance(rv, int) else 0


def _database_error(exc: BaseException) -> str | None:
    if not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from monitor.store.db import db_error  # deferred: only on a failure

    return db_error(exc)


def load_watchlist(settings: Settings, required: bool = True) -> Watchlist | None:
    from monitor.watchlist import load  # deferred: keeps --help fast

    if not required and not settings.watchlist.is_file():
        return None
    return load(settings.watchlist)


def open_settings_store(settings: Settings, *, create: bool = True, lite: bool = False) -> Store:
    """The store of --db. ``create=False`` for the commands that only read: a missing SQLite file is a
    one-line error instead of a new empty database (and its folders); ``lite=True``: see
    :func:`monitor.store.db.open_store`."""
    from monitor.store.db import open_store  # deferred: keeps --help fast

    return open_store(settings.db, create=create, lite=lite)


@contextmanager
def writer_lock(settings: Settings, command: str) -> Iterator[None]:
    """Hold the lock that makes one process at a time write a SQLite store (``run`` holds it too); a
    second writer is refused with a one-line error naming the holder. Nothing for PostgreSQL."""
    from monitor.store.lite import SqliteWorkerLock, resolve_url  # deferred: keeps --help fast

    with SqliteWorkerLock(resolve_url(settings.db), command):
        yield


@contextmanager
def collector_paused() -> Iterator[Callable[..., None]]:
    """Hold the cyclic garbage collector off while a command starts up: imports and the pydantic and
    SQLAlchemy models make tens of thousands of objects that live as long as the process, and the
    collector would go over them again and again while they are made. Yields ``started``, to call
    when the work begins: the collector runs again from there, over what the work makes only (what
    start-up made is set aside, ``gc.freeze``). On leaving, all is as before (unfrozen, collecting
    as it was), for a caller that goes on, such as a test calling :func:`monitor.cli.main.main`."""
    enabled = gc.isenabled()
    frozen = False

    def started(*_: object) -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            if enabled:
                gc.enable()

    gc.disable()
    try:
        yield started
    finally:
        if frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


def changes_line(summary: dict[str, Any] | None) -> str:
    if not summary:
        return ""
    parts = [f"{summary.get(k, 0)} {k}" for k in ("added", "removed", "modified", "moved") if summary.get(k)]
    cats = summary.get("categories") or {}
    if cats:
        parts.append("material: " + ", ".join(sorted(cats)))
    return "; ".join(parts)
