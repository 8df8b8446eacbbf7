"""Commands on the watchlist and the store: ``check``, ``list``, ``history``, ``diff``, ``import``,
``validate``, ``reprocess``. Only click is imported here; the rest inside each command."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.cli_docs import FORMAT, comparison_format, console, echo_json, exit_code_option

if TYPE_CHECKING:
    from monitor.cli import Settings
    from monitor.pipeline import CheckReport
    from monitor.store import Store
    from monitor.watchlist import Watchlist


def _watchlist(settings: Settings, required: bool = True) -> Watchlist | None:
    from monitor.watchlist import load

    if not required and not settings.watchlist.is_file():
        return None
    return load(settings.watchlist)


def _store(settings: Settings) -> Store:
    from monitor.store import open_store

    return open_store(settings.db)


def _when(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "-"


def _when_json(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


# ---------------------------------------------------------------------------------------------
# validate


@click.command()
@click.option(
    "--fetch", is_flag=True, help="Also fetch every page twice and report selectors and noisy content."
)
@click.option(
    "--wait",
    type=float,
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="With --fetch: time between the two fetches.",
)
@click.argument("operators", nargs=-1)
@FORMAT
@click.pass_obj
def validate(settings: Settings, fetch: bool, wait: float, operators: tuple[str, ...], fmt: str) -> None:
    """Check the watchlist (and with --fetch, its pages).

    Every problem is reported with its file, line and field. With --fetch each page is fetched twice,
    --wait seconds apart: a failed fetch, a selector that matches nothing, a page that is not the
    policy, or text that differs between the two fetches (it would alert on noise) is a problem.
    Nothing is stored. Exit status 2 when anything is wrong.

    \b
    Examples:
      policy-monitor validate
      policy-monitor validate --fetch jd-express
    """
    from monitor.errors import UserError
    from monitor.watchlist import WatchlistError

    try:
        wl = _watchlist(settings)
    except WatchlistError as exc:
        if fmt == "json":
            echo_json({"watchlist": str(settings.watchlist), "ok": False, "problems": exc.problems})
        elif len(exc.problems) > 1:
            for p in exc.problems:
                click.echo(p)
        raise
    assert wl is not None
    wl.select(list(operators))  # unknown ids are an error
    if not fetch:
        if fmt == "json":
            echo_json({"watchlist": wl.path, "ok": True, "operators": len(wl.operators), "problems": []})
        else:
            click.echo(f"{wl.path}: ok, {len(wl.operators)} operator{'s' if len(wl.operators) != 1 else ''}")
        return
    import asyncio

    from monitor.fetch import FetchSettings
    from monitor.probe import probe

    if fmt == "text":
        click.echo(f"fetching {len(wl.select(list(operators)))} page(s) twice, {wait:g} s apart …", err=True)
    reports = asyncio.run(probe(wl, list(operators), FetchSettings.from_config(wl.fetch), wait))
    bad = [r for r in reports if not r.ok]
    if fmt == "json":
        echo_json({"watchlist": wl.path, "ok": not bad, "operators": [r.to_json() for r in reports]})
    else:
        from rich.table import Table

        table = Table("operator", "status", "HTTP", "clauses", "characters", "problems", box=None)
        for r in reports:
            table.add_row(
                r.operator_id,
                "ok" if r.ok else "PROBLEM",
                str(r.http_status or "-"),
                str(r.clauses or "-"),
                str(r.characters or "-"),
                "\n".join(r.problems),
            )
        console().print(table)
    if bad:
        names = ", ".join(r.operator_id for r in bad)
        raise UserError(f"{wl.path}: {len(bad)} of {len(reports)} operator page(s) have problems: {names}")


# ---------------------------------------------------------------------------------------------
# check


@click.command()
@click.argument("operators", nargs=-1)
@FORMAT
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    help="Requests in flight (default: the watchlist's fetch.concurrency).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when a material change was found.")
@click.option(
    "--no-deliver",
    is_flag=True,
    help="Leave the alerts in the outbox (`policy-monitor alerts deliver` or the daemon sends them).",
)
@click.pass_obj
def check(
    settings: Settings,
    operators: tuple[str, ...],
    fmt: str,
    concurrency: int | None,
    exit_code: bool,
    no_deliver: bool,
) -> int:
    """Fetch the policies now, store new versions, and print what changed.

    OPERATOR ids from the watchlist (all when none is given). Each check ends as changed, unchanged,
    not_modified (HTTP 304), failed (with the reason) or suspicious (an error page, captcha, login
    wall, empty or truncated body, or text that lost most of the current version: recorded, but it
    never replaces the current version).

    The alerts the checks raise (see the watchlist's `trigger:`) are written to the outbox with the
    versions they report, then delivered; one line on stderr says how that went.

    \b
    Examples:
      policy-monitor check
      policy-monitor check jd-express cainiao --format json
    """
    from monitor import pipeline
    from monitor.fetch import FetchSettings

    wl = _watchlist(settings)
    assert wl is not None
    wl.select(list(operators))
    store = _store(settings)
    overrides: dict[str, int] = {"concurrency": concurrency} if concurrency else {}
    fetch_settings = FetchSettings.from_config(wl.fetch, **overrides)
    try:
        if sys.stderr.isatty():
            reports = _check_with_progress(store, wl, operators, fetch_settings)
        else:
            reports = pipeline.check(store, wl, operators, fetch_settings)
        if fmt == "json":
            echo_json([r.to_json() for r in reports])
        else:
            _print_reports(reports)
        sys.stdout.flush()
        if not no_deliver:
            from monitor.cli_alerts import deliver_and_report

            deliver_and_report(store, wl)
    finally:
        store.dispose()
    return 1 if exit_code and any(r.material for r in reports) else 0


def _check_with_progress(
    store: Store, wl: Watchlist, operators: tuple[str, ...], fs: Any
) -> list[CheckReport]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from monitor import pipeline

    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("check", total=None, last="")

        def started(n: int) -> None:
            progress.update(task, total=n)

        def done(r: CheckReport) -> None:
            progress.update(task, advance=1, last=f"{r.operator_id}: {r.outcome}")

        return pipeline.check(store, wl, operators, fs, on_start=started, on_done=done)


def _changes(summary: dict[str, Any] | None) -> str:
    if not summary:
        return ""
    parts = [f"{summary.get(k, 0)} {k}" for k in ("added", "removed", "modified", "moved") if summary.get(k)]
    cats = summary.get("categories") or {}
    if cats:
        parts.append("material: " + ", ".join(sorted(cats)))
    return "; ".join(parts)


def _print_reports(reports: list[CheckReport]) -> None:
    from collections import Counter

    from rich.table import Table

    table = Table("operator", "outcome", "version", "HTTP", "time", "changes / reason", box=None)
    for r in reports:
        detail = _changes(r.summary) or r.reason or ""
        table.add_row(
            r.operator_id,
            r.outcome.upper() if r.outcome in ("changed", "failed", "suspicious") else r.outcome,
            str(r.version or "-"),
            str(r.http_status or "-"),
            f"{r.elapsed:.2f}s",
            detail,
        )
    out = console()
    out.print(table)
    counts = Counter(r.outcome for r in reports)
    material = sum(1 for r in reports if r.material)
    parts = [f"{n} {k}" for k, n in counts.most_common()]
    out.print(
        f"{len(reports)} checked: {', '.join(parts) or 'nothing'}"
        + (f"; {material} with a material change (重大变更)" if material else "")
    )


# ---------------------------------------------------------------------------------------------
# list, history


@click.command("list")
@FORMAT
@click.pass_obj
def list_(settings: Settings, fmt: str) -> None:
    """The operators: last check, its outcome, the current version and its date."""
    from sqlmodel import select

    from monitor.store import resolve_version, versions
    from monitor.tables import OperatorRow

    wl = _watchlist(settings, required=False)
    store = _store(settings)
    rows: list[dict[str, Any]] = []
    with store.session() as session:
        ops = {op.id: op for op in session.exec(select(OperatorRow))}
        ids = (wl.ids if wl else []) + sorted(set(ops) - set(wl.ids if wl else []))
        for op_id in ids:
            op = ops.get(op_id)
            vs = versions(session, op_id) if op else []
            cur = resolve_version(session, op) if op is not None and vs else None
            spec = wl.get(op_id) if wl and op_id in wl.ids else None
            rows.append(
                {
                    "operator": op_id,
                    "name": spec.name if spec else op.name if op else None,
                    "watched": spec is not None,
                    "url": spec.url if spec else op.url if op else None,
                    "last_check": _when_json(op.last_check_at) if op else None,
                    "next_due": _when_json(op.next_due_at) if op else None,
                    "outcome": op.last_outcome if op else None,
                    "reason": op.last_reason if op else None,
                    "versions": len(vs),
                    "current_version": vs.index(cur) + 1 if cur else None,
                    "current_since": _when_json(cur.first_seen) if cur else None,
                    "current_sha256": cur.sha256 if cur else None,
                    "updated": cur.updated if cur else None,
                }
            )
    store.dispose()
    if fmt == "json":
        echo_json(rows)
        return
    from rich.table import Table

    table = Table(
        "operator", "name", "last check (UTC)", "outcome", "version", "since", "policy date", box=None
    )
    for r in rows:
        table.add_row(
            r["operator"] + ("" if r["watched"] else " (not in watchlist)"),
            r["name"] or "",
            (r["last_check"] or "never")[:16].replace("T", " "),
            r["outcome"] or "-",
            f"{r['current_version']}/{r['versions']}" if r["current_version"] else "-",
            (r["current_since"] or "-")[:10],
            r["updated"] or "-",
        )
    console().print(table)


@click.command()
@click.argument("operator")
@click.option("--checks", "n_checks", type=int, default=0, metavar="N", help="Also list the last N checks.")
@FORMAT
@click.pass_obj
def history(settings: Settings, operator: str, n_checks: int, fmt: str) -> None:
    """The stored versions of OPERATOR, oldest first, with what changed into each."""
    from monitor.store import comparison_into, get_operator, last_checks, versions

    wl = _watchlist(settings, required=False)
    store = _store(settings)
    with store.session() as session:
        op = get_operator(session, operator, wl.ids if wl else None)
        out: list[dict[str, Any]] = []
        for n, v in enumerate(versions(session, op.id), 1):
            cmp = comparison_into(session, v.id or 0)
            out.append(
                {
                    "version": n,
                    "current": v.id == op.current_version_id,
                    "sha256": v.sha256,
                    "first_seen": _when_json(v.first_seen),
                    "last_seen": _when_json(v.last_seen),
                    "title": v.title,
                    "updated": v.updated,
                    "effective": v.effective,
                    "characters": v.characters,
                    "clauses": v.clauses,
                    "origin": v.origin,
                    "source": v.source,
                    "material": cmp.material if cmp else None,
                    "categories": cmp.categories if cmp else [],
                    "summary": cmp.summary if cmp else None,
                }
            )
        checks: list[dict[str, Any]] = (
            [
                {
                    "started_at": _when_json(c.started_at),
                    "trigger": c.trigger,
                    "outcome": c.outcome,
                    "reason": c.reason,
                    "http_status": c.http_status,
                    "elapsed": round(c.elapsed, 3),
                }
                for c in last_checks(session, op.id, n_checks)
            ]
            if n_checks
            else []
        )
    store.dispose()
    if fmt == "json":
        echo_json({"operator": operator, "versions": out, **({"checks": checks} if n_checks else {})})
        return
    from rich.table import Table

    table = Table(
        "#",
        "first seen (UTC)",
        "last seen",
        "sha256",
        "policy date",
        "clauses",
        "origin",
        "change into it",
        box=None,
        title=f"{operator}: {len(out)} version{'s' if len(out) != 1 else ''}",
    )
    for row in out:
        change = _changes(row["summary"]) if row["summary"] else ("first" if row["version"] == 1 else "")
        table.add_row(
            f"{row['version']}{'*' if row['current'] else ''}",
            row["first_seen"][:16].replace("T", " "),
            row["last_seen"][:16].replace("T", " "),
            row["sha256"][:12],
            row["updated"] or "-",
            str(row["clauses"]),
            row["origin"],
            change,
        )
    screen = console()
    screen.print(table)
    if checks:
        ct = Table("checked (UTC)", "trigger", "outcome", "HTTP", "time", "reason", box=None, title="checks")
        for c in checks:
            ct.add_row(
                c["started_at"][:19].replace("T", " "),
                c["trigger"],
                c["outcome"],
                str(c["http_status"] or "-"),
                f"{c['elapsed']:.2f}s",
                c["reason"] or "",
            )
        screen.print(ct)


# ---------------------------------------------------------------------------------------------
# diff


@click.command()
@click.argument("operator")
@click.argument("from_", metavar="[FROM]", required=False)
@click.argument("to", metavar="[TO]", required=False)
@comparison_format
@exit_code_option
@click.pass_obj
def diff(
    settings: Settings, operator: str, from_: str | None, to: str | None, fmt: str, exit_code: bool
) -> int:
    """Compare two stored versions of OPERATOR (default: the current one and the one before it).

    FROM and TO name versions: a number from `history`, latest, previous, -1 (the last), a date
    (the version current that day) or a SHA-256 prefix.

    \b
    Examples:
      policy-monitor diff jd-express
      policy-monitor diff jd-express 1 3 --format json
    """
    from monitor.cli_docs import print_comparison
    from monitor.compare import compare
    from monitor.store import (
        UnknownVersionError,
        get_operator,
        previous_version,
        resolve_version,
        seq_of,
        version_document,
    )

    wl = _watchlist(settings, required=False)
    store = _store(settings)
    with store.session() as session:
        op = get_operator(session, operator, wl.ids if wl else None)
        if from_ is not None and to is None:
            new = resolve_version(session, op, None)
            old = resolve_version(session, op, from_)
        else:
            new = resolve_version(session, op, to)
            if from_ is None:
                prev = previous_version(session, new)
                if prev is None:
                    raise UnknownVersionError(
                        f"{operator} has a single stored version: nothing to compare it with"
                    )
                old = prev
            else:
                old = resolve_version(session, op, from_)
        old_doc = version_document(session, old, seq_of(session, old))
        new_doc = version_document(session, new, seq_of(session, new))
    store.dispose()
    cmp = compare(old_doc, new_doc)
    print_comparison(cmp, fmt)
    return 1 if exit_code and cmp.material else 0


# ---------------------------------------------------------------------------------------------
# import, reprocess


@click.command("import")
@click.argument("operator")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--date", "date", metavar="YYYY-MM-DD", help="When this version was published or seen (default: now)."
)
@click.option(
    "--selector", metavar="CSS", help="CSS selector of the policy's container (default: the watchlist's)."
)
@click.option("--encoding", metavar="NAME", help="Override charset detection.")
@FORMAT
@click.pass_obj
def import_(
    settings: Settings,
    operator: str,
    file: Path,
    date: str | None,
    selector: str | None,
    encoding: str | None,
    fmt: str,
) -> None:
    """Load an archived copy of OPERATOR's policy (.txt, .md, .html) as a stored version (backfill).

    The version takes its place in the history by --date; it becomes the current version only when
    it is the newest. Imports never alert.

    \b
    Example:
      policy-monitor import liqun archive/liqun-2022.txt --date 2022-08-29
    """
    from monitor.backfill import import_file
    from monitor.store import parse_date

    when = parse_date(date) if date else None
    wl = _watchlist(settings, required=False)
    store = _store(settings)
    try:
        report = import_file(store, wl, operator, file, when, selector=selector, encoding=encoding)
    finally:
        store.dispose()
    if fmt == "json":
        echo_json(report.to_json())
        return
    detail = _changes(report.summary)
    click.echo(
        f"{operator}: {report.outcome}, version {report.version} ({(report.version_sha256 or '')[:12]})"
        + (f": {report.reason}" if report.reason and report.outcome != "changed" else "")
        + (f"; against the version before it: {detail}" if detail else "")
    )


@click.command()
@click.argument("operators", nargs=-1)
@FORMAT
@click.pass_obj
def reprocess(settings: Settings, operators: tuple[str, ...], fmt: str) -> None:
    """Rebuild versions from the raw captures with today's extraction and selectors (no alerts).

    Run it after upgrading policy-monitor or changing an operator's selector/remove: versions that
    differed only by extraction merge, and later checks compare like with like.
    """
    from monitor.backfill import reprocess as run

    wl = _watchlist(settings, required=False)
    store = _store(settings)
    try:
        reports = run(store, wl, list(operators))
    finally:
        store.dispose()
    if fmt == "json":
        echo_json([r.to_json() for r in reports])
        return
    for r in reports:
        click.echo(
            f"{r.operator_id}: {r.captures} capture(s) read, versions {r.before} → {r.after}"
            + (f", {len(r.rejected)} capture(s) not accepted" if r.rejected else "")
            + (f", {r.missing} raw capture(s) missing" if r.missing else "")
        )
        for why in r.rejected[:5]:
            click.echo(f"  - {why}")


COMMANDS: list[click.Command] = [check, list_, history, diff, import_, validate, reprocess]
