"""A comparison as it is stored: whether it is material, its summary and its JSON form (the
comparison document of docs/formats.md), made where it was compared.

A comparison made in a reader process (``monitor.watch.edited``) travels back to the recording
process in this form, plain values rather than the two documents and their changes: it is smaller
to send, and the recording process then needs none of the compare room's modules (their word lists
and patterns) to store it. This module imports nothing of that room until :func:`summarise` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.model import Comparison


@dataclass(frozen=True, slots=True)
class Summarised:
    material: bool
    summary: dict[str, Any]  # monitor.compare.render_common.summary
    result: dict[str, Any]  # monitor.compare.comparison.to_json


def summarise(cmp: Comparison | Summarised) -> Summarised:
    """``cmp`` as it is stored (the same values :func:`monitor.store.writes.add_comparison` wrote from
    the comparison itself)."""
    if isinstance(cmp, Summarised):
        return cmp
    from monitor.compare.comparison import to_json  # deferred: the compare stage
    from monitor.compare.render_common import summary

    return Summarised(cmp.material, summary(cmp), to_json(cmp))
