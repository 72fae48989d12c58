"""crmbot's audit trail: every question and action, who asked it, where, and what they got.

The trail lives on a metadata of its own (created by migration 0006_audit, not by 0001), in the
database named by CRMBOT_AUDIT_DATABASE_URL (by default crmbot's own file beside its charts and
models; see tools/audit.py for why). Times are naive UTC. The words people typed are stored
here and nowhere else: they are never logged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.models import NAMING

REVISION = "0006_audit"
BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite counts up INTEGER PRIMARY KEYs only


class AuditBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AuditEntry(AuditBase):
    """One question or action: when, who (CRM user, Slack id), where, the words, what came back."""

    __tablename__ = "crmbot_audit_trail"
    __table_args__ = (
        Index("ix_crmbot_audit_trail_occurred_at", "occurred_at"),
        Index("ix_crmbot_audit_trail_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    user_id: Mapped[int | None] = mapped_column(Integer)  # users.id (not a FK: another database, maybe)
    user_email: Mapped[str | None] = mapped_column(Text)
    user_name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(20))
    slack_user_id: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))  # slack, api, cli, chat, job
    place: Mapped[str | None] = mapped_column(
        Text
    )  # "slack channel C123", "slack DM D123", "terminal", "api key 4"
    kind: Mapped[str] = mapped_column(String(20))  # question, action
    text: Mapped[str] = mapped_column(Text)  # the words asked, or the action ("approve INV-2026-00042")
    answer_kind: Mapped[str | None] = mapped_column(String(40))  # report, card, list, refusal, action...
    sql: Mapped[str | None] = mapped_column(Text)  # the SQL run for the answer
    rows: Mapped[int | None] = mapped_column(Integer)  # rows (or records) returned
    duration_ms: Mapped[float | None] = mapped_column(Float)
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str | None] = mapped_column(String(40))  # the asker's data scope: all, team, own
    error_id: Mapped[str | None] = mapped_column(String(16))


AUDIT_TABLES: tuple[str, ...] = tuple(AuditBase.metadata.tables)
