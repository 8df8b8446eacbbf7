"""Commands on local documents: ``show``, ``compare``, ``demo``. No database, no network (but demo's loopback)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from monitor.model import Clause, Document

FORMAT_HELP = "Output format."


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help=FORMAT_HELP)
@click.option("--selector", metavar="CSS", help="CSS selector of the policy's container (HTML only).")
@click.option("--encoding", metavar="NAME", help="Override charset detection (e.g. gbk, big5).")
@click.option("--depth", type=int, default=0, help="Text format: show clauses down to this depth only (0: all).")
def show(file: Path, fmt: str, selector: str | None, encoding: str | None, depth: int) -> None:
    """Print a document's clause tree and metadata.

    FILE is .txt, .md or .html/.htm in any encoding a Chinese site uses (UTF-8, GBK/GB18030, Big5).

    \b
    Examples:
      policy-monitor show policy.txt
      policy-monitor show page.html --selector '#policy' --format json
    """
    from monitor.document import document_to_json, load

    doc = load(file, selector=selector, encoding=encoding)
    if fmt == "json":
        _echo_json(document_to_json(doc))
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
        f"counts:    {counts['sections']} sections, {counts['clauses']} clauses, {counts['characters']} characters",
    ]
    criteria = criteria_for(doc)
    label = "the policy's own list" if criteria.source == "policy" else "none in the policy; GB/T 35273-2020 items apply"
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


COMMANDS: list[click.Command] = [show]


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()
