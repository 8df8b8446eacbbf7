"""Whether what an edited clause says the old version said already, in either script."""

from __future__ import annotations

from monitor.compare import signals
from monitor.document.normalize import norm, simplified
from monitor.model import split_sentences


def takeover_said_before(inserted: str, old_text: str) -> bool:
    """Whether every sentence of ``inserted`` that speaks of a takeover is in the old text, in either
    script (a simplified copy of a traditional policy added beside it)."""
    said = [norm(x) for line in inserted.split("\n") for x in split_sentences(line) if signals.takeover(x)]
    old = simplified(old_text)
    return bool(said) and all(mostly_in(simplified(x), old) for x in said)


def mostly_in(text: str, other: str) -> bool:
    """Whether nearly every run of six characters of ``text`` is in ``other`` (a character the two
    scripts do not map one to one, 随著 and 随着, aside)."""
    runs = [text[i : i + 6] for i in range(max(1, len(text) - 5))]
    return sum(r in other for r in runs) >= 0.8 * len(runs)
