"""The ``policy-monitor`` command line: a thin edge over the core.

Each command module imports only click at the top so that ``--help`` stays fast; heavy modules
(jieba, SQLAlchemy, httpx) are imported inside the commands that need them. Domain errors
(:class:`monitor.errors.UserError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from monitor.errors import UserError


@dataclass(slots=True)
class Settings:
    """Paths every command shares (CONTRACT.md: --watchlist / --db or their environment variables)."""

    watchlist: Path
    db: str | None  # None: sqlite:///snapshots/monitor.db under the current directory


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--watchlist",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POLICY_MONITOR_WATCHLIST",
    default=Path("watchlist.yaml"),
    show_default=True,
    help="The operators to watch [env POLICY_MONITOR_WATCHLIST].",
)
@click.option(
    "--db",
    envvar="POLICY_MONITOR_DB",
    default=None,
    help="SQLAlchemy URL of the store [env POLICY_MONITOR_DB; default sqlite:///snapshots/monitor.db].",
)
@click.version_option(package_name="policy-monitor")
@click.pass_context
def cli(ctx: click.Context, watchlist: Path, db: str | None) -> None:
    """Watch privacy policies (隐私政策) and report which clauses changed and whether the change is a
    重大变更 under the policy's own list.

    \b
    Start here:
      policy-monitor demo                    serve two bundled versions on 127.0.0.1, check, diff
      policy-monitor show POLICY.txt         the clause tree and metadata of one document
      policy-monitor compare OLD NEW         clause-level diff of two local documents
    """
    ctx.obj = Settings(watchlist=watchlist, db=db)


def _register() -> None:
    from monitor import cli_alerts, cli_docs, cli_run, cli_watch

    for command in [*cli_docs.COMMANDS, *cli_watch.COMMANDS, *cli_alerts.COMMANDS, *cli_run.COMMANDS]:
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 material change with --exit-code, 2 bad input)."""
    prog = "policy-monitor"
    try:
        rv = cli.main(args=argv, prog_name=prog, standalone_mode=False)
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
        click.echo(f"{prog}: error: {exc}", err=True)
        return 2
    except BrokenPipeError:
        # output piped into `head`: not an error; keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return rv if isinstance(rv, int) else 0


def entry() -> None:
    sys.exit(main())
