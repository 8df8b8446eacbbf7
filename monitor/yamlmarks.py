"""YAML with the line of every key and list item, within limits: how :mod:`monitor.watchlist` reads
``watchlist.yaml`` so that a problem names its file and line.

The document is composed into nodes (libyaml's composer when it is there and the document is
valid and within :data:`MAX_DEPTH`; the Python one otherwise, and to explain any error), then built
into plain values while each key's and item's line is noted in :class:`Marks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from monitor.errors import UserError
from monitor.redact import mask_secrets

if TYPE_CHECKING:
    AnyLoader = yaml.SafeLoader | yaml.CSafeLoader


class WatchlistError(UserError):
    """The watchlist cannot be read or is invalid. ``problems`` holds every message (file:line: …)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = [mask_secrets(p) for p in problems]  # printed and logged: no credentials
        problems = self.problems
        more = (
            f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
            if len(problems) > 1
            else ""
        )
        super().__init__(problems[0] + more)


# ---------------------------------------------------------------------------------------------
# loading with line numbers, within limits: a watchlist is a few hundred lines, never megabytes,
# never nested dozens of levels, and an alias never expands into millions of values
# (`a: &a [*a]`, "billion laughs")

MAX_BYTES = 2 * 2**20
MAX_DEPTH = 64
MAX_VALUES = 200_000  # values built, aliases expanded


class _Loader(yaml.SafeLoader):
    """SafeLoader composing at most :data:`MAX_DEPTH` levels (its composer recurses: a deeper
    document would hit Python's recursion limit)."""

    def __init__(self, text: str, filename: str) -> None:
        super().__init__(text)
        self.filename = filename
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise WatchlistError(
                    [f"{self.filename}:{mark.line + 1}: nested more than {MAX_DEPTH} levels deep"]
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass(slots=True)
class Marks:
    lines: dict[tuple[Any, ...], int]
    built: int = 0  # values built so far (an alias counts every time it is expanded)
    active: set[int] = field(default_factory=set)  # ids of the nodes being built: a cycle is an error

    def line(self, loc: tuple[Any, ...]) -> int | None:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def _build(
    loader: AnyLoader,
    node: yaml.Node,
    path: tuple[Any, ...],
    marks: Marks,
    filename: str,
) -> Any:
    marks.built += 1
    line = node.start_mark.line + 1
    if marks.built > MAX_VALUES:
        raise WatchlistError(
            [f"{filename}:{line}: more than {MAX_VALUES} values once aliases are expanded (an alias bomb?)"]
        )
    if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        return loader.construct_object(node, deep=True)
    if id(node) in marks.active:
        raise WatchlistError([f"{filename}:{line}: {where(path)}: an alias that contains itself"])
    marks.active.add(id(node))
    try:
        return _build_collection(loader, node, path, marks, filename)
    finally:
        marks.active.discard(id(node))


def _build_collection(
    loader: AnyLoader,
    node: yaml.Node,
    path: tuple[Any, ...],
    marks: Marks,
    filename: str,
) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise WatchlistError([f"{filename}:{line}: {where(path)}: a key must be a plain value"])
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise WatchlistError([f"{filename}:{line}: {where((*path, key))}: duplicate key {key!r}"])
            marks.lines[(*path, key)] = line
            out[key] = _build(loader, value_node, (*path, key), marks, filename)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            marks.lines[(*path, i)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*path, i), marks, filename))
        return items
    return loader.construct_object(node, deep=True)  # pragma: no cover  (collections only)


def where(loc: tuple[Any, ...], data: Any = None) -> str:
    out = ""
    cursor = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(cursor, list) and part < len(cursor):
                cursor = cursor[part]
                if isinstance(cursor, dict) and isinstance(cursor.get("id"), str) and loc[0] == "operators":
                    out += f" ({cursor['id']})"
            else:
                cursor = None
        else:
            out += f".{part}" if out else str(part)
            cursor = cursor.get(part) if isinstance(cursor, dict) else None
    return out or "(top level)"


def compose(text: str, filename: str, marks: Marks) -> Any:
    """The YAML as plain values (within the limits), the line of each key and item in ``marks``."""
    if len(text) > MAX_BYTES:
        raise WatchlistError(
            [f"{filename}: {len(text)} characters, over the {MAX_SIZE} a watchlist may have"]
        )
    fast = _fast_compose(text, filename)
    if fast is not None:
        data, lines = fast
        marks.lines.update(lines.lines)
        marks.built = lines.built
        return data
    loader = _Loader(text, filename)
    try:
        node = loader.get_single_node()
        data = _build(loader, node, (), marks, filename) if node is not None else {}
    except RecursionError:  # a merge key (`<<: *a`) that merges itself: flatten_mapping recurses
        raise WatchlistError([f"{filename}: aliases nested too deep or containing themselves"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}" if mark is not None else "?"
        raise WatchlistError([f"{filename}:{line}: invalid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise WatchlistError([f"{filename}: invalid YAML: {exc}"]) from None
    finally:
        loader.dispose()
    return data


MAX_SIZE = f"{MAX_BYTES // 2**20} MiB"


def _fast_compose(text: str, filename: str) -> tuple[Any, Marks] | None:
    """:func:`compose` by libyaml, a tenth of the time of the Python loader (which takes some 15 to
    50 ms for 100 operators); None without libyaml and for any error or limit: the Python loader then
    reads the document again and says what is wrong. libyaml's composer recurses in C, so the depth
    is counted from its events first."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    marks, depth, deepest = Marks({}), 0, 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            depth += isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
            depth -= isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent)
            deepest = max(deepest, depth)
        if deepest >= MAX_DEPTH:  # a value in the deepest collection is one level further
            return None
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
            return (_build(loader, node, (), marks, filename) if node is not None else {}), marks
        finally:
            loader.dispose()
    except (yaml.YAMLError, WatchlistError, RecursionError):
        return None
