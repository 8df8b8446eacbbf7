"""The judge step of a check: what a fetched body means (pure; the current version's document is asked
for through a callback only when the text differs). :func:`read_capture` turns a body into a
:class:`Candidate`; it is also how imports and reprocessing read bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from monitor.model import MediaType
from monitor.store.raw import sha256
from monitor.watch import vet
from monitor.watch.edited import Compared, usable
from monitor.watch.fetch import FetchResult
from monitor.watch.reading import read_body, vet_body
from monitor.watch.target import Current, Target, Verdict

if TYPE_CHECKING:
    from monitor.model import Candidate, Document


SAME_BYTES = "same bytes as the last capture"


def read_capture(
    body: bytes,
    content_type: str | None,
    charset: str | None,
    target: Target,
    source: str | None = None,
    *,
    vetted: MediaType | None = None,
) -> Candidate | str:
    """Extract and parse a body with the target's selectors (:func:`monitor.watch.reading.read_body`);
    a string is the reason it is not a usable capture. ``vetted`` is the media type :func:`vet_body`
    found for a body it passed (the body is then not sniffed again)."""
    src, enc = source or target.url, target.encoding
    return read_body(body, content_type, charset, src, target.selector, target.remove, enc, vetted)


def shell_hint(reason: str, target: Target) -> str:
    """A reason that says the page is an empty shell built by scripts, with what to do about it."""
    if not reason.startswith(vet.SHELL):
        return reason
    if target.fetcher == "browser":
        return f"{reason} even in the browser: does `wait_for` name the policy's container?"
    return f"{reason}: this page needs `fetcher: browser` (set it on the operator in the watchlist)"


def judge(
    target: Target,
    fetched: FetchResult,
    current: Current | None,
    load_current: Callable[[], Document],
    read: Candidate | str | None = None,
    compared: Compared | None = None,
) -> Verdict:
    """Decide what a fetch means. ``load_current`` gives the current version's document, read with
    today's extraction, and is called only when the new text differs from the stored one. ``read``
    is what :func:`read_capture` gives for this body, when it was read already (in another process:
    monitor.watch.readers); ``compared``, this body compared there with the version the operator
    held (monitor.watch.edited), used only when it is what would be compared here."""
    if fetched.status == "failed":
        return Verdict("failed", fetched.reason)
    if fetched.status == "truncated":
        return Verdict("suspicious", fetched.reason)
    if fetched.status == "not_modified":
        if current is None:
            return Verdict("failed", "HTTP 304 for a page we hold no capture of")
        return Verdict("not_modified")
    media_type, reason = vet_body(fetched.body, fetched.content_type)
    if reason:
        return Verdict("suspicious", reason)
    digest = sha256(fetched.body)
    if current is not None and current.capture_sha256 == digest:
        return Verdict("unchanged", SAME_BYTES, raw_sha256=digest)
    cand = read or read_capture(
        fetched.body, fetched.content_type, fetched.charset, target, fetched.final_url, vetted=media_type
    )
    if isinstance(cand, str):
        return Verdict("suspicious", shell_hint(cand, target))
    reason = vet.check_document(cand.doc, fetched.body, current.characters if current else None)
    if reason:
        return Verdict("suspicious", shell_hint(reason, target), candidate=cand)
    if current is None:
        return Verdict("changed", "first version", candidate=cand)
    if cand.doc.sha256 == current.sha256:
        return Verdict("unchanged", candidate=cand)
    return _against(
        target, cand, current, load_current, usable(compared, current, target) if read is not None else None
    )


def _against(
    target: Target,
    cand: Candidate,
    current: Current,
    load_current: Callable[[], Document],
    pre: Compared | None,
) -> Verdict:
    """A document whose text differs from the current version's, judged against that version's
    document; ``pre``: the two compared in a reader process, from the same documents as here."""
    if pre is not None:
        if pre.comparison is not None:
            return Verdict("changed", candidate=cand, comparison=pre.comparison)
        assert pre.old_sha256 == cand.doc.sha256  # a reader compares whenever the digests differ
        return _same_text(target, cand)
    old = load_current()
    if old.sha256 == cand.doc.sha256:
        return _same_text(target, cand)
    from monitor.compare.comparison import compare  # deferred: only a changed text is compared

    return Verdict("changed", candidate=cand, comparison=compare(old, cand.doc))


def _same_text(target: Target, cand: Candidate) -> Verdict:
    """The body's document is the stored version's: only the text stored with an older extraction
    differs."""
    return Verdict(
        "unchanged",
        f"differs from the stored text only by extraction "
        f"(run `policy-monitor reprocess {target.operator_id}`)",
        candidate=cand,
    )
