"""Commands on local documents: ``show``, ``compare``, ``demo``.

No database and no network (the demo serves its pages on 127.0.0.1 only).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor.cli.common import FORMAT, comparison_format, echo, echo_json, exit_code_option, print_comparison

if TYPE_CHECKING:
    from monitor.document.facts import Facts
    from monitor.model import Clause, Document


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("version", required=False)
@FORMAT
@click.option("--selector", metavar="CSS", help="CSS selector of the policy's container (HTML only).")
@click.option("--encoding", metavar="NAME", help="Override charset detection (e.g. gbk, big5).")
@click.option(
    "--depth", type=int, default=0, help="Text format: show clauses down to this depth only (0: all)."
)
@click.option(
    "--facts",
    "facts",
    is_flag=True,
    help="Print the policy's privacy facts (who it is, what it collects, who receives it, your rights, "
    "how to reach it) instead of the clause tree.",
)
def show(
    file: Path,
    version: str | None,
    fmt: str,
    selector: str | None,
    encoding: str | None,
    depth: int,
    facts: bool,
) -> None:
    """Print a document's clause tree and metadata.

    FILE is .txt, .md or .html/.htm in any encoding a Chinese site uses (UTF-8, GBK/GB18030, Big5),
    or .pdf (its text layer; page headers, footers and line wrapping are undone): a regular file of
    at most 5 MiB (POLICY_MONITOR_MAX_FILE_SIZE). Terminal control characters in
    the text are not printed (--format json keeps them, escaped). A .txt file of Markdown source
    (## headings, lists) is read as Markdown, as a fetched text/plain body is, and one of HTML or of
    a component's source (<template>…) as a page.
    Or OPERATOR [VERSION]: a stored version of a watched policy (default: the current one).

    \b
    Examples:
      policy-monitor show policy.txt
      policy-monitor show page.html --selector '#policy' --format json
      policy-monitor show policy.md --facts          the inventory, as a privacy label
    """
    from monitor.document.parse import document_to_json, load  # deferred: keeps --help fast

    settings = click.get_current_context().obj
    stored = None
    if not file.is_file() and settings is not None:  # OPERATOR [VERSION] (monitor.cli.watch)
        from monitor.store.queries import operator_document

        stored = operator_document(settings.db, settings.watchlist, str(file), version)
    if stored is None and version is not None:
        raise click.UsageError(f"{file} is not a watched operator: VERSION applies to an operator")
    doc = stored or load(file, selector=selector, encoding=encoding)
    if facts:
        from monitor.document.facts import facts_of, to_json  # deferred: keeps --help fast

        inventory = facts_of(doc)
        if fmt == "json":
            echo_json({"source": doc.source, "title": doc.title, "facts": to_json(inventory)})
        else:
            echo(render_facts_text(doc, inventory))
        return
    if fmt == "json":
        echo_json(document_to_json(doc))
        return
    echo(render_document_text(doc, depth=depth))


_LABEL = (
    ("controller", "运营者 (controller)"),
    ("contact", "联系方式 (contact)"),
    ("processing", "收集与使用 (processing)"),
    ("recipients", "共享、委托与SDK (recipients)"),
    ("rights", "您的权利 (rights)"),
    ("risk", "影响评估 (risk)"),
    ("other", "其他 (other)"),
)


def render_facts_text(doc: Document, inventory: Facts) -> str:
    """A privacy label: the facts by category, each with its kind, value, attributes and where."""
    lines = [f"{doc.title or doc.source}  ({len(inventory)} facts)"]
    for category, heading in _LABEL:
        facts = inventory.select(category)
        if not facts:
            continue
        lines += ["", heading]
        for f in facts:
            attrs = "  ".join(f"{k}={v}" for k, v in f.attrs if v)
            where = f.paths[0] if f.paths else ""
            lines.append(
                f"  {f.kind:<15} {f.value}"
                + (f"  [{attrs}]" if attrs else "")
                + (f"  @ {where}" if where else "")
            )
    return "\n".join(lines)


def render_document_text(doc: Document, depth: int = 0) -> str:
    from monitor.document.criteria import criteria_for  # deferred: keeps --help fast

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

    OLD and NEW are local files (.txt, .md, .html/.htm, any encoding; .pdf; a .txt file of Markdown
    source is read as Markdown, one of HTML or a component's source as a page); no database, no
    network. Only regular files of at most 5 MiB are read (POLICY_MONITOR_MAX_FILE_SIZE=20MB raises
    the cap). Differences of layout alone (width, white space, line wrapping, markup, a PDF's pages)
    are not changes: a policy saved as PDF compares equal to the same policy as a page.

    \b
    Examples:
      policy-monitor compare old.txt new.txt
      policy-monitor compare old.html new.html --selector '#policy' --format html > report.html
      policy-monitor compare old.txt new.txt --format json --exit-code
      policy-monitor compare archived.pdf current.html
    """
    from monitor.compare.comparison import compare as compare_documents  # deferred: keeps --help fast
    from monitor.document.parse import load

    cmp = compare_documents(
        load(old, selector=selector, encoding=encoding), load(new, selector=selector, encoding=encoding)
    )
    print_comparison(cmp, fmt)
    return 1 if exit_code and cmp.material else 0


COMMANDS: list[click.Command] = [show, compare]


# ---------------------------------------------------------------------------------------------
# demo
