"""The values the steps of a check hand each other: what to fetch (:class:`Target`), what the
operator holds now (:class:`Current`), what a fetch means (:class:`Verdict`) and what a check did
(:class:`CheckReport`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from monitor.alerts.rules import AlertPolicy
from monitor.config import resolve_env_headers
from monitor.document.fingerprint import extraction_key
from monitor.watch.fetch import FetchRequest

if TYPE_CHECKING:
    from monitor.alerts.rules import AlertPolicy
    from monitor.compare.summarised import Summarised
    from monitor.model import Candidate, Comparison
    from monitor.watchlist import OperatorSpec, Watchlist


Outcome = Literal["changed", "unchanged", "not_modified", "failed", "suspicious"]


OUTCOMES: tuple[Outcome, ...] = ("changed", "unchanged", "not_modified", "failed", "suspicious")


class Holding(Protocol):
    """What a target is planned from: an ``OperatorRow``, or the same columns read without SQLAlchemy
    (:class:`monitor.store.lite.OperatorState`)."""

    @property
    def current_version_id(self) -> int | None: ...
    @property
    def capture_sha256(self) -> str | None: ...
    @property
    def failure_alerted(self) -> bool: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Target:
    operator_id: str
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    selector: str | None = None
    remove: str | None = None
    encoding: str | None = None
    interval: float | None = None  # seconds between checks: sets the operator's next_due_at
    alerts: AlertPolicy | None = None  # what this operator's checks alert on (None: nothing)
    # scheduling by `policy-monitor run` (monitor.store.schedule): up to this share of ``interval`` is added
    # at random to the next due time, and the worker that claimed the operator; a check that carries
    # a claim records only while the claim is still its own, and ends it in the same transaction
    jitter: float = 0.0
    lease_owner: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # how the page is fetched (monitor.watch.fetchers.FETCHERS): "http", or "browser" (rendered in
    # Chromium, the rendered DOM is the capture) with a selector to wait for and a time limit
    fetcher: str = "http"
    wait_for: str | None = None
    browser_timeout: float = 30.0
    allow_private: bool = False  # fetch a host on a private address, follow redirects there
    refuse: str | None = None  # why this target must not be fetched (a header's variable unset)
    # what the operator held when the target was planned: lets an unchanged check be judged and
    # recorded without reading the operator first (monitor.watch.quick)
    held: Held | None = None

    @property
    def extraction(self) -> str:
        return self.extraction_for("html")

    def extraction_for(self, media_type: str) -> str:
        """CSS selectors apply to HTML only: a text capture's key ignores them."""
        if media_type == "html":
            return extraction_key(self.selector, self.remove, self.encoding)
        return extraction_key(None, None, self.encoding)

    def request(self) -> FetchRequest:
        return FetchRequest(
            self.url,
            self.headers,
            etag=self.etag,
            last_modified=self.last_modified,
            allow_private=self.allow_private,
            refuse=self.refuse,
        )

    @classmethod
    def of(cls, spec: OperatorSpec, watchlist: Watchlist, op: Holding | None = None) -> Target:
        held = (
            Held(op.current_version_id, op.capture_sha256, op.failure_alerted)
            if op is not None and op.current_version_id is not None and op.capture_sha256 is not None
            else None
        )
        secret_headers, problems = resolve_env_headers(watchlist.headers_env(spec))
        return cls(
            operator_id=spec.id,
            name=spec.name,
            url=spec.url,
            headers={**watchlist.headers(spec), **secret_headers},
            refuse="; ".join(problems) or None,
            selector=spec.selector,
            remove=spec.remove,
            encoding=spec.encoding,
            interval=watchlist.interval(spec),
            alerts=AlertPolicy.of(spec, watchlist),
            allow_private=watchlist.allow_private(spec),
            held=held,
            etag=op.etag if held and op is not None else None,
            last_modified=op.last_modified if held and op is not None else None,
            fetcher=watchlist.fetcher(spec),
            wait_for=spec.wait_for,
            browser_timeout=watchlist.browser_timeout(spec),
        )


@dataclass(frozen=True, slots=True)
class Held:
    """The operator's state when its check was planned: its current version, the digest of the
    capture that version was last read from, and whether a failure alert is out."""

    version_id: int
    capture_sha256: str
    failure_alerted: bool


class LeaseLostError(Exception):
    """The operator's claim passed to another worker while this one fetched (its lease expired, or
    it was taken as dead): the other worker checks it, so this result is dropped, not recorded."""


@dataclass(frozen=True, slots=True)
class Current:
    """The operator's current version, as far as judging a new capture needs it."""

    version_id: int
    sha256: str
    characters: int
    extraction: str
    capture_sha256: str | None
    media_type: str = "html"


@dataclass(slots=True)
class Verdict:
    outcome: Outcome
    reason: str | None = None
    candidate: Candidate | None = None
    comparison: Comparison | Summarised | None = None  # None for a first version; Summarised: made
    # in a reader process (monitor.watch.edited)
    raw_sha256: str | None = None  # of the body, when already computed


@dataclass(frozen=True, slots=True)
class CheckReport:
    operator_id: str
    outcome: Outcome
    reason: str | None = None
    http_status: int | None = None
    attempts: int = 0
    elapsed: float = 0.0
    version: int | None = None  # number of the current version after the check
    version_sha256: str | None = None
    version_id: int | None = None
    material: bool | None = None
    summary: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "operator": self.operator_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "http_status": self.http_status,
            "attempts": self.attempts,
            "elapsed": round(self.elapsed, 3),
            "version": self.version,
            "sha256": self.version_sha256,
            "material": self.material,
            "summary": self.summary,
        }
