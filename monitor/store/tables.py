"""The database tables (sqlmodel). Schema changes go through a migration in monitor/migrations/versions.

operators ─┬─ checks      every attempt: outcome, reason, timing, the capture it read
           ├─ captures    raw bodies' metadata (the bytes are in snapshots/raw, by SHA-256)
           ├─ versions    one row per distinct normalized text, with metadata and first/last seen
           │    ├─ version_texts  its extracted text
           │    └─ clauses
           ├─ comparisons computed between two versions (the JSON of compare.to_json)
           └─ alerts      the outbox: one row per alert and channel, written in the transaction
                          that stored what it reports, delivered (and retried) afterwards
workers                   one row per `policy-monitor run` process: heartbeat, counts, stop time

``operators.current_version_id`` is a plain column (no foreign key, to avoid a cycle with
``versions.operator_id``); the store keeps it consistent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class OperatorRow(SQLModel, table=True):
    __tablename__ = "operators"

    id: str = Field(primary_key=True, max_length=64)
    name: str
    url: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    current_version_id: int | None = None
    # validators and digest of the last accepted capture: the next request is conditional on them
    etag: str | None = None
    last_modified: str | None = None
    capture_sha256: str | None = Field(default=None, max_length=64)
    last_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_outcome: str | None = None
    last_reason: str | None = Field(default=None, sa_type=Text)
    failures: int = 0  # consecutive failed or suspicious checks
    # scheduling (migration 0002): when the operator is due, and which worker holds it until when
    next_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    lease_owner: str | None = None
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # alerting (migration 0004): a failure alert was sent for the current run of failures
    failure_alerted: bool = False


class CaptureRow(SQLModel, table=True):
    __tablename__ = "captures"
    __table_args__ = (UniqueConstraint("operator_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(foreign_key="operators.id", index=True, max_length=64)
    sha256: str = Field(max_length=64)
    size: int
    media_type: str  # html | text
    content_type: str | None = None
    charset: str | None = None
    url: str = Field(sa_type=Text)  # the final URL, or the imported file
    etag: str | None = None
    last_modified: str | None = None
    captured_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    origin: str = "fetch"  # fetch | import


class VersionRow(SQLModel, table=True):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("operator_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(foreign_key="operators.id", index=True, max_length=64)
    sha256: str = Field(max_length=64)  # Document.sha256: of the normalized text
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)
    title: str | None = Field(default=None, sa_type=Text)
    policy_operator: str | None = Field(default=None, sa_type=Text)  # the operator the policy names
    updated: str | None = None  # ISO dates read from the policy
    effective: str | None = None
    encoding: str = "utf-8"
    media_type: str = "html"
    html_title: str | None = Field(default=None, sa_type=Text)
    characters: int = 0
    clauses: int = 0
    capture_id: int | None = Field(default=None, foreign_key="captures.id")
    extractor: str = ""  # fingerprint of the extraction code and settings that produced `text`
    origin: str = "fetch"  # fetch | import | reprocess
    source: str = Field(default="", sa_type=Text)  # URL or file


class VersionTextRow(SQLModel, table=True):
    """A version's extracted display lines, joined by "\n" (apart from ``versions`` so that the
    frequent updates of a version's ``last_seen`` do not rewrite its text: migration 0003)."""

    __tablename__ = "version_texts"

    version_id: int = Field(foreign_key="versions.id", primary_key=True, ondelete="CASCADE")
    text: str = Field(sa_type=Text)


class ClauseRow(SQLModel, table=True):
    __tablename__ = "clauses"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="versions.id", index=True, ondelete="CASCADE")
    idx: int  # pre-order position
    level: int
    path: str = Field(sa_type=Text)
    heading: str | None = Field(default=None, sa_type=Text)
    text: str = Field(sa_type=Text)
    norm_sha256: str = Field(max_length=64)


class ComparisonRow(SQLModel, table=True):
    __tablename__ = "comparisons"
    # migration 0006, for the web view: the feeds (material changes, newest first: of all operators,
    # of one), each operator's last material change, and the comparison into each version of a timeline
    __table_args__ = (
        Index("ix_comparisons_material_created_at", "material", "created_at"),
        Index("ix_comparisons_operator_material_created_at", "operator_id", "material", "created_at"),
        Index("ix_comparisons_to_version_id", "to_version_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(foreign_key="operators.id", index=True, max_length=64)
    from_version_id: int = Field(foreign_key="versions.id", ondelete="CASCADE")
    to_version_id: int = Field(foreign_key="versions.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    origin: str = "check"  # check | import | reprocess
    material: bool = False
    # a lambda, not `list`: pydantic reads a factory's signature, and the builtin's costs a compile of
    # tokenize's patterns (some 3 ms of every start)
    categories: list[str] = Field(default_factory=lambda: [], sa_type=JSON)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # compare.to_json


class CheckRow(SQLModel, table=True):
    __tablename__ = "checks"

    id: int | None = Field(default=None, primary_key=True)
    operator_id: str = Field(foreign_key="operators.id", index=True, max_length=64)
    trigger: str = "check"  # check | import
    started_at: datetime = Field(sa_type=UTCDateTime)
    observed_at: datetime = Field(sa_type=UTCDateTime)  # what time the content stands for (import: --date)
    elapsed: float = 0.0  # seconds
    outcome: str  # changed | unchanged | not_modified | failed | suspicious
    reason: str | None = Field(default=None, sa_type=Text)
    http_status: int | None = None
    url: str | None = Field(default=None, sa_type=Text)
    attempts: int = 1
    capture_id: int | None = Field(default=None, foreign_key="captures.id", ondelete="SET NULL")
    version_id: int | None = Field(default=None, foreign_key="versions.id", ondelete="SET NULL")
    comparison_id: int | None = Field(default=None, foreign_key="comparisons.id", ondelete="SET NULL")


class AlertRow(SQLModel, table=True):
    """One alert for one channel (the outbox). ``id`` is the delivery id: the same on every attempt
    and every channel of the alert.

    status: ``pending`` (to be sent at ``next_attempt_at``), ``delivered`` or ``dead`` (gave up after
    the configured attempts; ``policy-monitor alerts retry`` makes it pending again). A worker that
    sends it holds it until ``lease_expires_at``.
    """

    __tablename__ = "alerts"

    id: str = Field(primary_key=True, max_length=36)  # one alert, one id, however many channels
    channel: str = Field(primary_key=True, max_length=64)
    operator_id: str = Field(foreign_key="operators.id", index=True, max_length=64)
    event: str  # policy.changed | policy.check_failed | policy.recovered
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_owner: str | None = None
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    check_id: int | None = Field(default=None, foreign_key="checks.id", ondelete="SET NULL")
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # the webhook body (CONTRACT.md)


# ---------------------------------------------------------------------------------------------
# the workers of `policy-monitor run` (monitor/store/schedule.py): migration 0005


class WorkerRow(SQLModel, table=True):
    """One ``policy-monitor run`` process. It registers at start, beats at least every third of its
    lease (with how many checks it recorded and has in flight) and marks its clean stop; ``status`` lists
    the workers, and a worker whose heartbeat is older than its lease is gone (its claims expire)."""

    __tablename__ = "workers"

    id: str = Field(primary_key=True)  # monitor.store.lease.worker_id(): host:pid:nonce
    host: str
    pid: int
    started_at: datetime = Field(sa_type=UTCDateTime)
    heartbeat_at: datetime = Field(sa_type=UTCDateTime)
    stopped_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checks: int = 0
    in_flight: int = 0
    lease: float = 60.0  # seconds: its claims last this long unless renewed
    version: str = ""  # policy-monitor's version
