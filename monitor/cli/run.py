"""``policy-monitor run`` (the long-running worker, :mod:`monitor.worker.daemon`) and ``policy-monitor
status`` (what the workers are doing). Only click is imported here; the rest inside each command."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.cli.common import FORMAT, echo_json

if TYPE_CHECKING:
    from monitor.cli.common import Settings

WATCHLIST = click.option(
    "--watchlist",
    "watchlist_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Same as the global --watchlist (either place works).",
)
DB = click.option("--db", "db_url", default=None, help="Same as the global --db (either place works).")


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value <= 0:
        raise click.BadParameter("must be more than 0")
    return value


@click.command()
@WATCHLIST
@DB
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help="Serve Prometheus metrics at /metrics and a health check at /healthz (0: any free port).",
)
@click.option(
    "--metrics-host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address for --metrics-port (0.0.0.0: every interface).",
)
@click.option(
    "--serve",
    "serve_port",
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help="Also serve the read-only web view (as `policy-monitor serve`) on PORT of --serve-host.",
)
@click.option(
    "--serve-host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Address for --serve; anything but loopback wants POLICY_MONITOR_TOKEN set.",
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Log lines on stderr: for people, or one JSON object per line for log shippers.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="info: a line per check and alert; warning: only failures and problems.",
)
@click.option(
    "--jitter",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="Each next check comes after the interval plus a random share of it up to this.",
)
@click.option(
    "--grace",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="On SIGTERM/SIGINT: how long running checks (then pending alerts) may take to finish.",
)
@click.option(
    "--lease",
    type=click.FloatRange(1),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a claimed operator stays this worker's without renewal (renewed while its check "
    "runs); "
    "after it, another worker takes over the work of one that vanished.",
)
@click.option(
    "--poll",
    type=float,
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    callback=_positive,
    help="How often the database is asked for due operators.",
)
@click.option(
    "--reload-every",
    type=click.FloatRange(0),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="How often the watchlist file is looked at for changes (0: only on SIGHUP).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    help="Requests in flight (default: the watchlist's fetch.concurrency).",
)
@click.pass_obj
def run(
    settings: Settings,
    watchlist_path: Path | None,
    db_url: str | None,
    metrics_port: int | None,
    metrics_host: str,
    serve_port: int | None,
    serve_host: str,
    log_format: str,
    log_level: str,
    jitter: float,
    grace: float,
    lease: float,
    poll: float,
    reload_every: float,
    concurrency: int | None,
) -> int:
    """Check every operator on its interval and deliver alerts, until stopped.

    Each operator is checked every `interval` of the watchlist plus a random 0-10 % (--jitter), so
    that a thousand operators do not fire in the same second. A check missed while no worker ran
    happens once at start, not once per missed interval. Alerts go out as soon as they are raised
    and are retried with backoff (`policy-monitor alerts list` shows them).

    The watchlist is re-read when the file changes and on SIGHUP: operators added are checked
    within a minute, changes apply from their next check, removed ones are no longer checked
    (their history stays). An invalid watchlist is logged with its file and line, and the last good
    one stays in force.

    SIGTERM or Ctrl-C: no new checks; running ones may finish (--grace), pending alerts are sent,
    exit status 0. One log line per check (operator, outcome, duration, version) goes to stderr.

    Several workers: start `run` in as many processes, on as many machines, as needed against one
    PostgreSQL database; they share the operators (each due one is claimed by one worker, with a
    lease that another worker takes over if its holder dies). All must read the same watchlist,
    and the raw captures (snapshots/raw, or POLICY_MONITOR_RAW) are files on local disk: on one
    machine, run the workers from one directory or set POLICY_MONITOR_RAW; across machines, point
    it at shared storage. SQLite allows one worker per database file.

    \b
    Examples:
      policy-monitor run
      policy-monitor run --log-format json 2>> monitor.log
      policy-monitor --db postgresql+psycopg://monitor@db.internal/monitor run --metrics-port 9108
      policy-monitor run --serve 8080       the web view too: http://127.0.0.1:8080/
      kill -HUP <pid>            re-read the watchlist now
      policy-monitor status      what was checked, what is due, what the workers do
    """
    from monitor.worker.daemon import Options  # deferred: keeps --help fast
    from monitor.worker.daemon import run as run_daemon

    opts = Options(
        watchlist=watchlist_path or settings.watchlist,
        db=db_url or settings.db,
        poll=poll,
        lease=lease,
        jitter=jitter,
        grace=grace,
        reload_every=reload_every,
        concurrency=concurrency,
        metrics_port=metrics_port,
        metrics_host=metrics_host,
        serve_port=serve_port,
        serve_host=serve_host,
    )
    return run_daemon(opts, log_format=log_format, log_level=log_level)


# ---------------------------------------------------------------------------------------------
# status


def status_document(settings: Settings) -> dict[str, Any]:
    """What ``status --format json`` prints (see :func:`status`)."""
    from sqlmodel import select  # deferred: keeps --help fast

    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.alerts.outbox import STATUSES, counts
    from monitor.store.db import open_store
    from monitor.store.queries import version_numbers
    from monitor.store.schedule import workers
    from monitor.store.tables import OperatorRow, utcnow
    from monitor.watchlist import load

    wl = load(settings.watchlist) if settings.watchlist.is_file() else None
    store = open_store(settings.db, create=False)
    try:
        with store.session() as session:
            now = utcnow()
            ops = {op.id: op for op in session.exec(select(OperatorRow))}
            numbers = version_numbers(
                session, [op.current_version_id for op in ops.values() if op.current_version_id is not None]
            )
            alerts = counts(session)
            ws = workers(session)
    finally:
        store.dispose()
    watched = wl.ids if wl else []
    ids = watched + sorted(set(ops) - set(watched))
    rows: list[dict[str, Any]] = []
    totals = dict.fromkeys(STATUSES, 0)
    for op_id in ids:
        op = ops.get(op_id)
        spec = wl.get(op_id) if wl is not None and op_id in watched else None
        per = alerts.get(op_id, dict.fromkeys(STATUSES, 0))
        for k in STATUSES:
            totals[k] += per.get(k, 0)
        checking = (
            op.lease_owner
            if op is not None and op.lease_expires_at is not None and op.lease_expires_at > now
            else None
        )
        rows.append(
            {
                "operator": op_id,
                "name": spec.name if spec else op.name if op else None,
                "watched": spec is not None,
                "url": spec.url if spec else op.url if op else None,
                "interval": wl.interval(spec) if wl is not None and spec is not None else None,
                "last_check": timefmt.iso(op.last_check_at) if op else None,
                "outcome": op.last_outcome if op else None,
                "reason": op.last_reason if op else None,
                "failures": op.failures if op else 0,
                "next_due": timefmt.iso(op.next_due_at) if op else None,
                "due": bool(op and op.next_due_at is not None and op.next_due_at <= now),
                "checking": checking,
                "version": numbers.get(op.current_version_id or -1) if op else None,
                "alerts": {k: per.get(k, 0) for k in STATUSES},
            }
        )
    return {
        "now": timefmt.iso(now),
        "operators": rows,
        "alerts": totals,
        "workers": [
            {
                "id": w.row.id,
                "host": w.row.host,
                "pid": w.row.pid,
                "state": w.state,
                "started_at": timefmt.iso(w.row.started_at),
                "heartbeat_at": timefmt.iso(w.row.heartbeat_at),
                "stopped_at": timefmt.iso(w.row.stopped_at),
                "checks": w.row.checks,
                "in_flight": w.row.in_flight,
                "version": w.row.version,
            }
            for w in ws
        ],
    }


@click.command()
@WATCHLIST
@DB
@FORMAT
@click.pass_obj
def status(settings: Settings, watchlist_path: Path | None, db_url: str | None, fmt: str) -> None:
    """Per operator: last check and its outcome, when it is due next, its current version, and its
    pending or dead alerts; then the workers (`policy-monitor run` processes) of the last day.

    Times are UTC. "due" means a worker should take it within --poll seconds; "checking" names the
    worker that holds it now. An operator no longer in the watchlist keeps its history and shows
    "(not in watchlist)".

    \b
    Examples:
      policy-monitor status
      policy-monitor status --format json | jq '.operators[] | select(.alerts.dead > 0)'
    """
    from dataclasses import replace  # deferred: keeps --help fast

    from monitor.errors import UserError

    if watchlist_path is not None or db_url is not None:
        settings = replace(settings, watchlist=watchlist_path or settings.watchlist, db=db_url or settings.db)
    doc = status_document(settings)
    if fmt == "json":
        echo_json(doc)
        return
    if not doc["operators"]:
        raise UserError(f"no operators: {settings.watchlist} lists none and the database holds none")

    from rich.table import Table

    from monitor.cli.common import console as make_console

    console = make_console(200)
    table = Table("operator", "last check (UTC)", "outcome", "next due (UTC)", "version", "alerts", box=None)
    for r in doc["operators"]:
        if r["checking"]:
            due = "checking now"
        elif not r["watched"]:
            due = "-"
        elif r["due"]:
            due = "due now"
        else:
            due = (r["next_due"] or "-")[:19].replace("T", " ")
        pending, dead = r["alerts"]["pending"], r["alerts"]["dead"]
        alerts = ", ".join(
            p for p in (f"{pending} pending" if pending else "", f"{dead} DEAD" if dead else "") if p
        )
        outcome = r["outcome"] or "never checked"
        if r["outcome"] in ("failed", "suspicious") and r["failures"] > 1:
            outcome += f" ({r['failures']}x)"
        table.add_row(
            r["operator"] + ("" if r["watched"] else " (not in watchlist)"),
            (r["last_check"] or "never")[:19].replace("T", " "),
            outcome,
            due,
            str(r["version"] or "-"),
            alerts or "-",
        )
    console.print(table)
    running = [w for w in doc["workers"] if w["state"] == "running"]
    console.print(
        f"{len(doc['operators'])} operators; alerts: {doc['alerts']['pending']} pending, "
        f"{doc['alerts']['dead']} dead; workers: {len(running)} running"
    )
    now = datetime.fromisoformat(doc["now"])
    for w in doc["workers"]:
        started = (w["started_at"] or "")[:19].replace("T", " ")
        ago = (now - datetime.fromisoformat(w["heartbeat_at"])).total_seconds()
        console.print(
            f"  {w['id']}  {w['state']:<8} since {started}, last seen {ago:.0f} s ago, "
            f"{w['checks']} checks, {w['in_flight']} in flight"
        )


COMMANDS = [run, status]
