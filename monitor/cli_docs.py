"""Commands on local documents: ``show``, ``compare``, ``demo``.

No database and no network (the demo serves its pages on 127.0.0.1 only).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from monitor.model import Clause, Comparison, Document

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
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console(width: int = 160) -> Console:
    """A rich console for tables on stdout: colours on a terminal, plain fixed-width text in a pipe."""
    import sys

    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, no_color=True, width=width, soft_wrap=False)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("version", required=False)
@FORMAT
@click.option("--selector", metavar="CSS", help="CSS selector of the policy's container (HTML only).")
@click.option("--encoding", metavar="NAME", help="Override charset detection (e.g. gbk, big5).")
@click.option(
    "--depth", type=int, default=0, help="Text format: show clauses down to this depth only (0: all)."
)
def show(
    file: Path, version: str | None, fmt: str, selector: str | None, encoding: str | None, depth: int
) -> None:
    """Print a document's clause tree and metadata.

    FILE is .txt, .md or .html/.htm in any encoding a Chinese site uses (UTF-8, GBK/GB18030, Big5).
    Or OPERATOR [VERSION]: a stored version of a watched policy (default: the current one).

    \b
    Examples:
      policy-monitor show policy.txt
      policy-monitor show page.html --selector '#policy' --format json
    """
    from monitor.document import document_to_json, load

    settings = click.get_current_context().obj
    stored = None
    if not file.is_file() and settings is not None:  # OPERATOR [VERSION] (monitor.cli_watch)
        from monitor.store import operator_document

        stored = operator_document(settings.db, settings.watchlist, str(file), version)
    if stored is None and version is not None:
        raise click.UsageError(f"{file} is not a watched operator: VERSION applies to an operator")
    doc = stored or load(file, selector=selector, encoding=encoding)
    if fmt == "json":
        echo_json(document_to_json(doc))
        return
    click.echo(render_document_text(doc, depth=depth))


def render_document_text(doc: Document, depth: int = 0) -> str:
    from monitor.criteria import criteria_for

    counts = doc.counts()
    out = [
        f"source:    {doc.source} ({doc.encoding})",
        f"title:     {doc.title or '-'}",
        f"operator:  {doc.operator or '-'}",
        f"updated:   {doc.updated or '-'}    effective: {doc.effective or '-'}",
        f"sha256:    {doc.sha256}",
        f"counts:    {counts['sections']} sections, {counts['clauses']} clauses, "
        f"{counts['characters']} characters",
    ]
    criteria = criteria_for(doc)
    label = (
        "the policy's own list"
        if criteria.source == "policy"
        else "none in the policy; GB/T 35273-2020 items apply"
    )
    out.append(f"重大变更:  {label}")
    for item in criteria.items:
        out.append(f"  {item.no}. [{', '.join(item.categories)}] {item.text}")
    if doc.declared_changes:
        out.append("declared changes:")
        out.extend(f"  - {d}" for d in doc.declared_changes)
    out.append("")

    def visit(c: Clause) -> None:
        if depth and c.level > depth:
            return
        preview = c.text.replace("\n", " ")
        if len(preview) > 48:
            preview = preview[:48] + "…"
        indent = "  " * (c.level - 1)
        head = c.heading or c.label
        out.append(f"{indent}{head}" + (f"  │ {preview}" if preview else ""))
        out.append(f"{indent}  ↳ {c.path}")
        for child in c.children:
            visit(child)

    for section in doc.sections:
        visit(section)
    return "\n".join(out)


def use_color() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def print_comparison(cmp: Comparison, fmt: str) -> None:
    """Print a comparison in one of the formats of CONTRACT.md (shared by `compare` and `diff`)."""
    from monitor.compare import to_json

    if fmt == "json":
        echo_json(to_json(cmp))
        return
    from monitor.render import render

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


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@comparison_format
@click.option("--selector", metavar="CSS", help="CSS selector of the policy's container (HTML only).")
@click.option("--encoding", metavar="NAME", help="Override charset detection for both files.")
@exit_code_option
def compare(
    old: Path, new: Path, fmt: str, selector: str | None, encoding: str | None, exit_code: bool
) -> int:
    """Compare two versions of a policy clause by clause.

    OLD and NEW are local files (.txt, .md, .html/.htm, any encoding); no database, no network.
    Differences of layout alone (width, white space, line wrapping, markup) are not changes.

    \b
    Examples:
      policy-monitor compare old.txt new.txt
      policy-monitor compare old.html new.html --selector '#policy' --format html > report.html
      policy-monitor compare old.txt new.txt --format json --exit-code
    """
    from monitor.compare import compare as compare_documents
    from monitor.document import load

    cmp = compare_documents(
        load(old, selector=selector, encoding=encoding), load(new, selector=selector, encoding=encoding)
    )
    print_comparison(cmp, fmt)
    return 1 if exit_code and cmp.material else 0


COMMANDS: list[click.Command] = [show, compare]


# ---------------------------------------------------------------------------------------------
# demo

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
    import tempfile

    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="policy-monitor-demo-") as tmp:
            _run_demo(Path(tmp), fmt, keep=False)
    else:
        workdir.mkdir(parents=True, exist_ok=True)
        _run_demo(workdir, fmt, keep=True)


def _run_demo(workdir: Path, fmt: str, keep: bool) -> None:
    from importlib import resources

    from monitor.cli import main

    examples = resources.files("monitor").joinpath("examples")
    pages = [
        examples.joinpath(name).read_bytes() for name in ("jd-express-2021.html", "jd-express-2022.html")
    ]
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
        import threading
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


COMMANDS.append(demo)
