"""The ``policy-monitor`` command line: a thin edge over the core.

Each command module imports only click at the top so that ``--help`` stays fast; heavy modules
(jieba, SQLAlchemy, httpx) are imported inside the commands that need them. Domain errors
(:class:`monitor.errors.UserError`) become one line on stderr and exit status 2.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from monitor.cli import alerts, demo, documents, history, run, serve, watch
from monitor.cli.common import Settings, invoke


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


for _module in (documents, demo, watch, history, alerts, run, serve):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 material change with --exit-code, 2 bad input)."""
    return invoke(cli, argv)


def entry() -> None:
    code = main()
    # The process ends here. Without this, the collections at exit go over every object start-up
    # made (some 85,000: SQLAlchemy, pydantic, the modules) only to free memory the process is
    # about to give back: a fifth of an unchanged `check` (bench/fixed_cost.py). Frozen objects are
    # left out of them; atexit handlers, flushing and closing still run.
    gc.freeze()
    sys.exit(code)
