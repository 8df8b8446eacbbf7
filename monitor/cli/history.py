"""Commands that read the store: ``list`` (operators), ``history`` (an operator's versions) and ``diff``
(two stored versions). Only click is imported at the top: the store is opened inside each command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from monitor.cli.common import (
    FORMAT,
    changes_line,
    comparison_format,
    console,
    echo_json,
    exit_code_option,
    load_watchlist,
    open_settings_store,
)

if TYPE_CHECKING:
    from monitor.cli.common import Settings


@click.command("list")
@FORMAT
@click.pass_obj
def list_(settings: Settings, fmt: str) -> None:
    """The operators: last check, its outcome, the current version and its date."""
    from sqlmodel import select  # deferred: keeps --help fast

    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.store.queries import resolve_version, version_number, versions
    from monitor.store.tables import OperatorRow

    wl = load_watchlist(settings, required=False)
    store = open_settings_store(settings, create=False)
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
                    "last_check": timefmt.iso(op.last_check_at) if op else None,
                    "next_due": timefmt.iso(op.next_due_at) if op else None,
                    "outcome": op.last_outcome if op else None,
                    "reason": op.last_reason if op else None,
                    "versions": len(vs),
                    "current_version": version_number(session, cur.id) if cur else None,
                    "current_since": timefmt.iso(cur.first_seen) if cur else None,
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
    from monitor import timefmt  # deferred: keeps --help fast
    from monitor.store.queries import (
        comparison_into,
        get_operator,
        last_checks,
        version_json,
        version_numbers,
        versions,
    )  # deferred: keeps --help fast

    wl = load_watchlist(settings, required=False)
    store = open_settings_store(settings, create=False)
    with store.session() as session:
        op = get_operator(session, operator, wl.ids if wl else None)
        out: list[dict[str, Any]] = []
        vs = versions(session, op.id)
        numbers = version_numbers(session, [v.id or 0 for v in vs])
        for v in vs:
            n = numbers[v.id or 0]
            cmp = comparison_into(session, v.id or 0)
            out.append(
                {
                    **version_json(v, n, v.id == op.current_version_id),
                    "material": cmp.material if cmp else None,
                    "categories": cmp.categories if cmp else [],
                    "summary": cmp.summary if cmp else None,
                }
            )
        checks: list[dict[str, Any]] = (
            [
                {
                    "started_at": timefmt.iso(c.started_at),
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
        change = changes_line(row["summary"]) if row["summary"] else ("first" if row["version"] == 1 else "")
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
    from monitor.cli.common import print_comparison  # deferred: keeps --help fast
    from monitor.compare.comparison import compare
    from monitor.store.queries import (
        UnknownVersionError,
        get_operator,
        previous_version,
        resolve_version,
        version_document,
        version_number,
    )

    wl = load_watchlist(settings, required=False)
    store = open_settings_store(settings, create=False)
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
        old_doc = version_document(session, old, version_number(session, old.id))
        new_doc = version_document(session, new, version_number(session, new.id))
    store.dispose()
    cmp = compare(old_doc, new_doc)
    print_comparison(cmp, fmt)
    return 1 if exit_code and cmp.material else 0


COMMANDS: list[click.Command] = [list_, history, diff]
