"""``policy-monitor alerts``: the outbox (list, show, deliver, retry) and channel tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from monitor.cli.common import FORMAT, console, echo, echo_json
from monitor.errors import UserError
from monitor.redact import mask_secrets, mask_url

if TYPE_CHECKING:
    from monitor.alerts.outbox import Attempt, DeliveryReport
    from monitor.cli.common import Settings
    from monitor.store.db import Store
    from monitor.store.tables import AlertRow
    from monitor.watchlist import Watchlist


def _open(settings: Settings) -> tuple[Watchlist, Store]:
    from monitor.store.db import open_store  # deferred: keeps --help fast
    from monitor.watchlist import load

    return load(settings.watchlist), open_store(settings.db)


def _attempt_line(a: Attempt, max_attempts: int) -> str:
    head = f"alert {a.id[:8]} ({a.event}, {a.operator_id}) → {a.channel}"
    if a.status == "delivered":
        return f"{head}: delivered"
    if a.status == "dead":
        return f"{head}: DEAD after {a.attempts} attempts: {a.error}"
    return f"{head}: failed (attempt {a.attempts} of {max_attempts}, will retry): {a.error}"


def deliver_and_report(store: Store, wl: Watchlist, ids: list[str] | None = None) -> DeliveryReport:
    """Deliver due alerts; one line on stderr per alert that failed and one summary line."""

    def show(a: Attempt) -> None:
        if a.status != "delivered":
            echo(f"policy-monitor: {_attempt_line(a, wl.alerting.attempts)}", err=True)

    if store.lite is not None and ids is None:  # `check` on a SQLite store opened without SQLAlchemy
        from monitor.alerts import outbox_lite  # deferred: keeps --help fast

        report = outbox_lite.deliver(store, wl, on_attempt=show)
    else:
        from monitor.alerts.outbox import deliver

        report = deliver(store, wl, ids=ids, on_attempt=show)
    if report.attempts:
        click.echo(report.line(), err=True)
    return report


def row_json(row: AlertRow) -> dict[str, Any]:
    from monitor import timefmt  # deferred: keeps --help fast

    return {
        "id": row.id,
        "channel": row.channel,
        "operator": row.operator_id,
        "event": row.event,
        "status": row.status,
        "attempts": row.attempts,
        "created_at": timefmt.iso(row.created_at),
        "next_attempt_at": timefmt.iso(row.next_attempt_at) if row.status == "pending" else None,
        "delivered_at": timefmt.iso(row.delivered_at),
        "last_error": mask_secrets(row.last_error) if row.last_error else None,
        "material": row.payload.get("material"),
        "categories": row.payload.get("categories", []),
    }


@click.group(invoke_without_command=True)
@click.pass_context
def alerts(ctx: click.Context) -> None:
    """The alert outbox: what was sent, what waits for a retry, what gave up (dead).

    Every check writes its alerts to the outbox in the same transaction as the version they report;
    `check` and the daemon then deliver them, retrying failures with exponential backoff until the
    watchlist's `alerting.attempts`, after which an alert is dead until you retry it.

    \b
    Examples:
      policy-monitor alerts                       the latest alerts (same as `alerts list`)
      policy-monitor alerts list --status dead
      policy-monitor alerts show 3f2a9c1e
      policy-monitor alerts retry                 every dead alert, now
      policy-monitor alerts test team-hook        send a test message through a channel
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_)


@alerts.command("list")
@click.option("--status", type=click.Choice(["pending", "delivered", "dead"]), help="Only these.")
@click.option("--operator", help="Only this operator's alerts.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@FORMAT
@click.pass_obj
def list_(settings: Settings, status: str | None, operator: str | None, limit: int, fmt: str) -> None:
    """The latest alerts, newest first: one line per alert and channel."""
    from rich.table import Table  # deferred: keeps --help fast

    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.alerts.outbox import listing
    from monitor.store.db import open_store

    store = open_store(settings.db, create=False)
    try:
        with store.session() as session:
            rows = listing(session, status, operator, limit)
    finally:
        store.dispose()
    if len(rows) == limit:
        click.echo(f"policy-monitor: showing the latest {limit} alerts; --limit N shows more", err=True)
    if fmt == "json":
        echo_json([row_json(r) for r in rows])
        return
    if not rows:
        click.echo("no alerts" + (f" with status {status}" if status else ""))
        return
    table = Table(
        "id", "created", "operator", "event", "channel", "status", "tries", "next / error", box=None
    )
    for r in rows:
        detail = mask_secrets(r.last_error or "")
        if r.status == "pending":
            detail = f"next {timefmt.text(r.next_attempt_at, seconds=True)}" + (
                f": {detail}" if detail else ""
            )
        table.add_row(
            r.id[:8],
            timefmt.text(r.created_at, seconds=True),
            r.operator_id,
            r.event.removeprefix("policy."),
            r.channel,
            r.status.upper() if r.status == "dead" else r.status,
            str(r.attempts),
            detail[:100],
        )
    console(180).print(table)


@alerts.command()
@click.argument("alert_id")
@click.option("--channel", help="Only this channel's delivery of the alert.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="json: the delivery rows and the payload as sent; markdown/html: the alert as people read it.",
)
@click.pass_obj
def show(settings: Settings, alert_id: str, channel: str | None, fmt: str) -> None:
    """One alert (an id prefix of 4 or more characters): its deliveries and its content."""
    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.alerts.outbox import find  # deferred: keeps --help fast
    from monitor.alerts.render import render_alert
    from monitor.store.db import open_store

    store = open_store(settings.db, create=False)
    try:
        with store.session() as session:
            rows = find(session, alert_id, channel)
    finally:
        store.dispose()
    payload = rows[0].payload
    if fmt == "json":
        echo_json({"deliveries": [row_json(r) for r in rows], "payload": payload})
    elif fmt in ("markdown", "html"):
        echo(render_alert(payload, fmt))
    else:
        echo(
            f"alert {rows[0].id}  {rows[0].event}  {rows[0].operator_id}  "
            f"created {timefmt.text(rows[0].created_at, seconds=True)}"
        )
        for r in rows:
            state = f"{r.status}, {r.attempts} attempt{'s' if r.attempts != 1 else ''}"
            if r.status == "delivered":
                state += f", at {timefmt.text(r.delivered_at, seconds=True)}"
            elif r.status == "pending":
                state += f", next {timefmt.text(r.next_attempt_at, seconds=True)}"
            echo(
                f"  → {r.channel}: {state}"
                + (f"; last error: {mask_secrets(r.last_error)}" if r.last_error else "")
            )
        click.echo("")
        echo(render_alert(payload, "markdown"))


@alerts.command()
@click.pass_obj
def deliver(settings: Settings) -> None:
    """Send the alerts that are due now (what `check` does after checking)."""
    wl, store = _open(settings)
    try:
        report = deliver_and_report(store, wl)
    finally:
        store.dispose()
    if not report.attempts:
        click.echo("nothing to deliver", err=True)


@alerts.command()
@click.argument("alert_id", required=False)
@click.option("--channel", help="Only deliveries on this channel.")
@click.pass_obj
def retry(settings: Settings, alert_id: str | None, channel: str | None) -> None:
    """Send dead alerts again now, with a fresh count of attempts: ALERT_ID (also one still waiting
    for its next attempt), or every dead alert. Exits 2 when one still could not be delivered."""
    from monitor.alerts.outbox import revive  # deferred: keeps --help fast

    wl, store = _open(settings)
    try:
        rows = revive(store, alert_id, channel)
        if not rows:
            click.echo("no dead alerts to retry", err=True)
            return
        report = deliver_and_report(store, wl, ids=sorted({r.id for r in rows}))
    finally:
        store.dispose()
    failed = len(report.attempts) - report.delivered
    if failed:
        raise UserError(f"{failed} of {len(report.attempts)} alert deliveries failed again (see above)")


@alerts.command()
@click.argument("channel")
@click.pass_obj
def test(settings: Settings, channel: str) -> None:
    """Send a test alert (event `policy.test`) through CHANNEL now, bypassing the outbox, and say
    whether it arrived: for checking a webhook URL, its secret or the SMTP settings."""
    import uuid  # deferred: keeps --help fast

    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.alerts.channels import SENDERS, DeliveryError, Outgoing, file_paths
    from monitor.store.tables import utcnow
    from monitor.watchlist import load

    wl = load(settings.watchlist)
    cfg = wl.channel(channel)
    now = utcnow()
    alert_id = str(uuid.uuid4())
    payload: dict[str, Any] = {
        "event": "policy.test",
        "id": alert_id,
        "operator": {"id": "test", "name": "policy-monitor test", "url": ""},
        "from_version": None,
        "to_version": None,
        "detected_at": timefmt.iso(now),
        "material": False,
        "categories": [],
        "changes": [],
    }
    msg = Outgoing(alert_id, "policy.test", "test", now, payload)
    try:
        SENDERS[cfg.type](cfg, msg)
    except DeliveryError as exc:
        raise UserError(f"channel {channel!r}: not delivered: {exc}") from None
    except Exception as exc:  # as the outbox records any failure: one line, never a traceback
        raise UserError(f"channel {channel!r}: not delivered: {type(exc).__name__}: {exc}") from None
    where = {"webhook": mask_url(getattr(cfg, "url", "")), "email": ", ".join(getattr(cfg, "to", []))}.get(
        cfg.type
    )
    if cfg.type == "file":
        where = str(file_paths(cfg, msg)["md"])
    click.echo(f"delivered a test alert {alert_id[:8]} through {channel!r} ({cfg.type}: {where})")


COMMANDS: list[click.Command] = [alerts]
