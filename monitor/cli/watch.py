"""Commands that check pages and write history: ``check``, ``import``, ``validate``, ``reprocess``.
Only click is imported at the top: heavy modules are imported inside each command (``--help`` speed)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.cli.common import (
    FORMAT,
    changes_line,
    collector_paused,
    console,
    echo,
    echo_json,
    load_watchlist,
    open_settings_store,
    writer_lock,
)

if TYPE_CHECKING:
    from monitor.cli.common import Settings
    from monitor.store.db import Store
    from monitor.watch.target import CheckReport
    from monitor.watchlist import Watchlist


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
    A page whose plain fetch is an empty shell built by JavaScript is tried in the browser too,
    and the report says when it needs `fetcher: browser`. Nothing is stored. Exit status 2 when
    anything is wrong.

    \b
    Examples:
      policy-monitor validate
      policy-monitor validate --fetch jd-express
    """
    from monitor.errors import UserError  # deferred: keeps --help fast
    from monitor.watchlist import WatchlistError

    try:
        wl = load_watchlist(settings)
    except WatchlistError as exc:
        if fmt == "json":
            echo_json({"watchlist": str(settings.watchlist), "ok": False, "problems": exc.problems})
        elif len(exc.problems) > 1:
            for p in exc.problems:
                echo(p)
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

    from monitor.watch.fetch import FetchSettings
    from monitor.watch.fetchers import preflight
    from monitor.watch.probe import probe

    preflight(wl, wl.select(list(operators)))  # browser fetches need Playwright and a Chromium
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
    wall, empty or truncated body, an empty shell built by JavaScript (use `fetcher: browser`), or
    text that lost most of the current version: recorded, but it never replaces the current
    version). Operators with `fetcher: browser` are rendered in Chromium (the `browser` extra).

    The alerts the checks raise (see the watchlist's `trigger:`) are written to the outbox with the
    versions they report, then delivered; one line on stderr says how that went.

    On SQLite one process writes at a time: a check while another check, an import, a reprocess or
    `policy-monitor run` works on the same file is refused (exit 2) with the other's pid.

    \b
    Examples:
      policy-monitor check
      policy-monitor check jd-express cainiao --format json
    """
    # the readers' fork server starts first, so that the first edited page finds it ready; the
    # collector is held off until the fetches start (a tenth of an unchanged check)
    with reader_server(settings, operators), collector_paused() as started:
        from monitor.watch.fetch import FetchSettings  # deferred: keeps --help fast

        wl = load_watchlist(settings)
        assert wl is not None
        wl.select(list(operators))
        overrides: dict[str, int] = {"concurrency": concurrency} if concurrency else {}
        fetch_settings = FetchSettings.from_config(wl.fetch, **overrides)
        with writer_lock(settings, "check"):
            store = open_settings_store(settings, lite=True)  # SQLAlchemy when first needed
            reports = _check_and_deliver(store, wl, operators, fetch_settings, fmt, no_deliver, started)
    return 1 if exit_code and any(r.material for r in reports) else 0


@contextmanager
def reader_server(settings: Settings, operators: tuple[str, ...]) -> Iterator[bool]:
    """:func:`monitor.watch.forking.forkserver_early` for the store of ``settings`` (a SQLite file),
    unless the check names fewer operators than a cycle needs to compare in reader processes."""
    from monitor.store.lite import resolve_url, sqlite_file  # deferred: keeps --help fast
    from monitor.watch.forking import MIN_PAGES, forkserver_early

    path = sqlite_file(resolve_url(settings.db)) if not operators or len(operators) >= MIN_PAGES else None
    with forkserver_early(str(path) if path is not None else None) as started:
        yield started


def _check_and_deliver(
    store: Store,
    wl: Watchlist,
    operators: tuple[str, ...],
    fetch_settings: Any,
    fmt: str,
    no_deliver: bool,
    started: Callable[..., None],
) -> list[CheckReport]:
    from monitor.watch import run as pipeline  # deferred: keeps --help fast

    try:
        if sys.stderr.isatty():
            reports = _check_with_progress(store, wl, operators, fetch_settings, started)
        else:
            reports = pipeline.check(store, wl, operators, fetch_settings, on_start=started)
        if fmt == "json":
            echo_json([r.to_json() for r in reports])
        else:
            _print_reports(reports)
        sys.stdout.flush()
        if not no_deliver and _may_deliver(store):
            from monitor.cli.alerts import deliver_and_report

            deliver_and_report(store, wl)
    finally:
        store.dispose()
    return reports


def _may_deliver(store: Store) -> bool:
    """False when a store opened without SQLAlchemy has no alert due: delivering would claim none."""
    if store.lite is None:
        return True
    from datetime import UTC, datetime

    from monitor.store.lite import alerts_due

    return alerts_due(store.lite, datetime.now(UTC))


def _check_with_progress(
    store: Store, wl: Watchlist, operators: tuple[str, ...], fs: Any, on_start: Callable[..., None]
) -> list[CheckReport]:
    from rich.console import Console  # deferred: keeps --help fast
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from monitor.watch import run as pipeline

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
            on_start(n)
            progress.update(task, total=n)

        def done(r: CheckReport) -> None:
            progress.update(task, advance=1, last=f"{r.operator_id}: {r.outcome}")

        return pipeline.check(store, wl, operators, fs, on_start=started, on_done=done)


def _print_reports(reports: list[CheckReport]) -> None:
    from collections import Counter  # deferred: keeps --help fast

    from rich.table import Table

    table = Table("operator", "outcome", "version", "HTTP", "time", "changes / reason", box=None)
    for r in reports:
        detail = changes_line(r.summary) or r.reason or ""
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


# ---------------------------------------------------------------------------------------------
# diff


# ---------------------------------------------------------------------------------------------
# import, reprocess


@click.command("import")
@click.argument("operator")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    help="When this version was published or seen (default: now); not in the future, not before 1990.",
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
    """Load an archived copy of OPERATOR's policy (.txt, .md, .html, .pdf) as a stored version (backfill).

    The version takes its place in the history by --date; it becomes the current version only when
    it is the newest. Imports never alert. Text already stored widens that version's first/last seen
    dates to --date, unless another version was first seen in between (a revert): then its dates
    are kept. FILE must be a regular file of at most 5 MiB (POLICY_MONITOR_MAX_FILE_SIZE).

    \b
    Example:
      policy-monitor import liqun archive/liqun-2022.txt --date 2022-08-29
    """
    from monitor.timefmt import parse_date  # deferred: keeps --help fast
    from monitor.watch.backfill import import_file

    when = parse_date(date) if date else None
    wl = load_watchlist(settings, required=False)
    with writer_lock(settings, "import"):
        store = open_settings_store(settings)
        try:
            report = import_file(store, wl, operator, file, when, selector=selector, encoding=encoding)
        finally:
            store.dispose()
    if fmt == "json":
        echo_json(report.to_json())
        return
    detail = changes_line(report.summary)
    echo(
        f"{operator}: {report.outcome}, version {report.version} ({(report.version_sha256 or '')[:12]})"
        + (f": {report.reason}" if report.reason and report.outcome != "changed" else "")
        + (f"; against the version before it: {detail}" if detail else "")
    )


@click.command()
@click.argument("operators", nargs=-1)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the stored versions no raw capture backs any more. Alone: only print what would go.",
)
@click.option("--yes", is_flag=True, help="With --prune: really remove them.")
@FORMAT
@click.pass_obj
def reprocess(settings: Settings, operators: tuple[str, ...], prune: bool, yes: bool, fmt: str) -> None:
    """Rebuild versions from the raw captures with today's extraction and selectors (no alerts).

    Run it after upgrading policy-monitor or changing an operator's selector/remove: versions that
    differed only by extraction merge, and later checks compare like with like.

    Nothing is lost: a version whose raw captures are missing or corrupt (a moved or mistyped
    POLICY_MONITOR_RAW) or no longer accepted (a selector that now matches nothing) is kept as stored,
    and the command exits 2 saying so. `--prune` lists those versions without changing anything;
    `--prune --yes` rebuilds and removes them.

    \b
    Examples:
      policy-monitor reprocess jd-express
      policy-monitor reprocess --prune            what would be removed
      policy-monitor reprocess --prune --yes      remove it
    """
    from monitor.errors import UserError  # deferred: keeps --help fast
    from monitor.watch.reprocess import reprocess as run

    if yes and not prune:
        raise click.UsageError("--yes confirms --prune: give both, or neither")
    wl = load_watchlist(settings, required=False)
    with writer_lock(settings, "reprocess"):
        store = open_settings_store(settings, create=False)
        try:
            reports = run(store, wl, list(operators), prune=prune, dry_run=prune and not yes)
        finally:
            store.dispose()
    raw = store.raw.root
    if fmt == "json":
        echo_json([r.to_json() for r in reports])
    else:
        _print_reprocess(reports)
    kept = [r for r in reports if r.lost and not prune]
    if kept:
        missing = sum(r.missing for r in reports)
        raise UserError(
            f"kept {sum(len(r.lost) for r in kept)} version(s) of {', '.join(r.operator_id for r in kept)} "
            "as stored: no raw capture backs them"
            + (
                f" ({missing} raw capture(s) missing or corrupt under {raw}: check POLICY_MONITOR_RAW)"
                if missing
                else ""
            )
            + "; `policy-monitor reprocess --prune` lists them"
        )


def _print_reprocess(reports: list[Any]) -> None:
    for r in reports:
        if r.dry_run:
            click.echo(
                f"{r.operator_id}: would remove {len(r.lost)} version(s)"
                + (f" ({r.missing} raw capture(s) missing)" if r.missing else "")
            )
            click.echo("".join(f"  - {v.line()}\n" for v in r.lost), nl=False)
            continue
        click.echo(
            f"{r.operator_id}: {r.captures} capture(s) read, versions {r.before} → {r.after}"
            + (f", {len(r.rejected)} capture(s) not accepted" if r.rejected else "")
            + (f", {r.missing} raw capture(s) missing" if r.missing else "")
            + (f", removed {len(r.lost)} version(s)" if r.pruned and r.lost else "")
            + (f", kept {len(r.lost)} version(s) as stored" if r.lost and not r.pruned else "")
        )
        for why in r.rejected[:5]:
            echo(f"  - {why}")
    if any(r.dry_run and r.lost for r in reports):
        click.echo("nothing was changed; run `policy-monitor reprocess --prune --yes` to remove them")


COMMANDS: list[click.Command] = [check, import_, validate, reprocess]
