"""crmbot's tables for the proactive bot: change capture, alerts, schedules, worker leases.

They live on a metadata of their own (created by migration 0015, not by 0001) so that the
initial migration's list of tables stays what it was. Times are naive UTC everywhere here:
several workers on several machines must agree on them whatever their local time zone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.models import NAMING

REVISION = "0004_proactive"
# SQLite gives an autoincrementing rowid to INTEGER PRIMARY KEY only: BIGINT there would not count up.
BigId = BigInteger().with_variant(Integer, "sqlite")


class ProactiveBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Change(ProactiveBase):
    """A company whose insights may have changed: written by the capture triggers or the poller.

    A worker claims a company's rows with a lease (``claimed_by``, ``lease_until``), recomputes
    the company and deletes the rows in the transaction that writes the new insights.
    """

    __tablename__ = "crmbot_changes"
    __table_args__ = (Index("ix_crmbot_changes_company_id", "company_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(40))  # the table that changed
    row_id: Mapped[int | None] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(1))  # I, U, D (P: found by the poller)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)


class CaptureState(ProactiveBase):
    """How changes reach crmbot_changes on this database: ``triggers``, ``polling`` or ``off``."""

    __tablename__ = "crmbot_capture"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mode: Mapped[str] = mapped_column(String(20))
    installed_at: Mapped[datetime] = mapped_column(DateTime)
    tables: Mapped[list] = mapped_column(JSON)


class CaptureCursor(ProactiveBase):
    """Polling mode: the highest id of each watched table already turned into changes."""

    __tablename__ = "crmbot_capture_cursors"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class WorkLock(ProactiveBase):
    """Named rows a transaction updates first, so that its read-then-write cannot interleave."""

    __tablename__ = "crmbot_locks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)


class AlertState(ProactiveBase):
    """The last state alerts were decided on, per company: what a new computation is compared with."""

    __tablename__ = "crmbot_alert_state"

    company_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    band: Mapped[str | None] = mapped_column(String(10))
    churn_risk: Mapped[str | None] = mapped_column(String(10))
    health_score: Mapped[float | None] = mapped_column(Float)
    # the highest health since the last drop alert: a drop is measured from here
    peak_health: Mapped[float | None] = mapped_column(Float)
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime)
    snoozed_by: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AlertOutbox(ProactiveBase):
    """An alert decided in the transaction that wrote the insights, waiting for (or past) delivery."""

    __tablename__ = "crmbot_alerts"
    __table_args__ = (Index("ix_crmbot_alerts_status", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    company_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    kinds: Mapped[list] = mapped_column(JSON)  # turned_red, health_drop, high_risk
    payload: Mapped[dict] = mapped_column(JSON)  # name, owner, before/after, reasons
    status: Mapped[str] = mapped_column(String(12))  # pending, sending, sent, failed
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    delivered: Mapped[list | None] = mapped_column(JSON)  # targets posted to: [{"to":..., "ts":...}]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)


class Schedule(ProactiveBase):
    """A question answered on a cron schedule, as a CRM user, posted to a Slack channel."""

    __tablename__ = "crmbot_schedules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    question: Mapped[str] = mapped_column(Text)
    cron: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger)  # users.id: answered as this person
    channel: Mapped[str] = mapped_column(String(80))
    condition: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime] = mapped_column(DateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(Text)  # e.g. slack:U123 or cli


class ScheduleRun(ProactiveBase):
    """One slot of a schedule, claimed by exactly one worker (the unique key makes the claim atomic)."""

    __tablename__ = "crmbot_schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "slot_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(BigInteger)
    slot_at: Mapped[datetime] = mapped_column(DateTime)  # the cron time this run is for
    status: Mapped[str] = mapped_column(String(12))  # running, posted, skipped, failed
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    message_ts: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class Worker(ProactiveBase):
    """Workers that ran against this database, with their last heartbeat (for `crmbot watch status`)."""

    __tablename__ = "crmbot_workers"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime)
    stats: Mapped[dict | None] = mapped_column(JSON)


PROACTIVE_TABLES: tuple[str, ...] = tuple(ProactiveBase.metadata.tables)


def missing_tables(engine) -> list[str]:
    """The proactive tables this database lacks (run `crmbot db upgrade` to add them)."""
    from sqlalchemy import inspect

    have = set(inspect(engine).get_table_names())
    return [t for t in PROACTIVE_TABLES if t not in have]
