"""SQLAlchemy 2 typed models.

The contract tables (``CONTRACT_TABLES``) follow ../shared/DATA_CONTRACT.md exactly: same
names, same columns, allowed values enforced with CHECK constraints. The project's own
tables (audit log, processed Slack events, verified questions, insight details, model
registry, job runs, demo ground truth) live beside them and never change a contract table.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db import vocab

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def one_of(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """A CHECK that ``column`` is NULL or one of ``values`` (the contract's vocabulary)."""
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({allowed})", name=name or column)


Money = Numeric(12, 2, asdecimal=True)


# --------------------------------------------------------------------------- contract tables


class User(Base):
    __tablename__ = "users"
    __table_args__ = (one_of("role", vocab.ROLES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(Text, unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(Text)
    team: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (one_of("region", vocab.REGIONS), one_of("lifecycle_stage", vocab.LIFECYCLE_STAGES))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    employee_count: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifecycle_stage: Mapped[str] = mapped_column(Text)
    customer_since: Mapped[date | None] = mapped_column(Date)
    churned_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        one_of("source", vocab.LEAD_SOURCES),
        one_of("region", vocab.REGIONS),
        one_of("status", vocab.LEAD_STATUSES),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    company_name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    employee_count: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    converted_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    conversion_probability: Mapped[float | None] = mapped_column(Float)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime)


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (one_of("stage", vocab.DEAL_STAGES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Text, default="USD", server_default="USD")
    stage: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    lost_reason: Mapped[str | None] = mapped_column(Text)


class DealLineItem(Base):
    __tablename__ = "deal_line_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0, server_default="0")


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        one_of("status", vocab.INVOICE_STATUSES),
        one_of("payment_terms", vocab.PAYMENT_TERMS),
        # For the duplicate check of a new draft (candidates by amount and date). Created with the
        # table when crmbot creates it; a team's own invoices table is never altered.
        Index("ix_invoices_dup_check", "total", "issue_date", "status", "company_id", "deal_id"),
        Index("ix_invoices_deal_id", "deal_id"),  # a deal's invoices: instalments, what is left
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(Text, unique=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    status: Mapped[str] = mapped_column(Text)
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    payment_terms: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text, default="USD", server_default="USD")
    subtotal: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money, default=0, server_default="0")
    total: Mapped[Decimal] = mapped_column(Money)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (one_of("method", vocab.PAYMENT_METHODS),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_at: Mapped[date] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(Text)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (one_of("type", vocab.ACTIVITY_TYPES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    type: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    subject: Mapped[str | None] = mapped_column(Text)


class SupportTicket(Base):
    __tablename__ = "support_tickets"
    __table_args__ = (
        one_of("priority", vocab.TICKET_PRIORITIES),
        one_of("status", vocab.TICKET_STATUSES),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    subject: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)


class CustomerInsight(Base):
    __tablename__ = "customer_insights"
    __table_args__ = (one_of("churn_risk", vocab.CHURN_RISKS),)

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True, autoincrement=False)
    health_score: Mapped[float | None] = mapped_column(Float)
    engagement_score: Mapped[float | None] = mapped_column(Float)
    payment_score: Mapped[float | None] = mapped_column(Float)
    support_score: Mapped[float | None] = mapped_column(Float)
    churn_risk: Mapped[str | None] = mapped_column(Text)
    churn_probability: Mapped[float | None] = mapped_column(Float)
    predicted_churn_date: Mapped[date | None] = mapped_column(Date)
    ltv: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    predicted_ltv_12m: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    computed_at: Mapped[datetime] = mapped_column(DateTime)


CONTRACT_MODELS = (
    User,
    Company,
    Contact,
    Lead,
    Product,
    Deal,
    DealLineItem,
    Invoice,
    InvoiceLine,
    Payment,
    Activity,
    SupportTicket,
    CustomerInsight,
)
CONTRACT_TABLES: tuple[str, ...] = tuple(m.__tablename__ for m in CONTRACT_MODELS)
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    m.__tablename__: tuple(c.name for c in m.__table__.columns) for m in CONTRACT_MODELS
}


# --------------------------------------------------------------------------- the project's own tables


class AuditLog(Base):
    """Every action on money-moving documents: who, when, what changed, from where."""

    __tablename__ = "crmbot_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)  # users.id, not a FK: a team's table
    actor_label: Mapped[str | None] = mapped_column(Text)  # e.g. "slack:U123" or "cli"
    source: Mapped[str] = mapped_column(String(20))  # slack, cli, chat, job
    entity: Mapped[str] = mapped_column(String(40))  # invoice, lead, ...
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict | None] = mapped_column(JSON)


class InvoiceState(Base):
    """Optimistic-locking version per invoice, so that two clicks make exactly one transition."""

    __tablename__ = "crmbot_invoice_state"

    invoice_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    slack_channel: Mapped[str | None] = mapped_column(Text)
    slack_ts: Mapped[str | None] = mapped_column(Text)
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    # the tax decided when crmbot drafted it (revision 0005_invoices): edits re-tax the same way
    tax_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    tax_source: Mapped[str | None] = mapped_column(Text)


class InvoiceCounter(Base):
    """Per-year invoice number sequence; incremented with a conditional update."""

    __tablename__ = "crmbot_invoice_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class ProcessedEvent(Base):
    """Slack deliveries already handled (by event id, and by channel+ts), shared by all workers."""

    __tablename__ = "crmbot_processed_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)


class SlackInbox(Base):
    """Slack requests acknowledged but not answered yet: written before the ack, deleted once
    answered, so a worker killed in between leaves its work for the next one (bot/slack/inbox.py)."""

    __tablename__ = "crmbot_slack_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))  # e.g. "command:/crm", "action:invoice_approve"
    body: Mapped[dict] = mapped_column(JSON)  # the request as Slack sent it
    received_at: Mapped[datetime] = mapped_column(DateTime)
    owner: Mapped[str | None] = mapped_column(String(200))  # "host:pid:nonce" of the worker answering it
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class ThreadState(Base):
    """The last structured question asked in a Slack thread, so follow-ups can refine it."""

    __tablename__ = "crmbot_thread_state"

    thread_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class VerifiedQuestion(Base):
    """A question a user marked as answered right, with its structured query or SQL."""

    __tablename__ = "crmbot_verified_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    query_json: Mapped[dict | None] = mapped_column(JSON)
    sql: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AnswerFeedback(Base):
    """'Right answer' / 'Wrong answer' clicks on reports."""

    __tablename__ = "crmbot_answer_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    sql: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(10))  # right, wrong
    user_label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class InsightDetail(Base):
    """The breakdown behind a customer_insights row: facts, reasons, recommendations, band."""

    __tablename__ = "crmbot_insight_details"

    company_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    band: Mapped[str | None] = mapped_column(String(10))
    details: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class JobRun(Base):
    """When a job (insights refresh, lead scoring) ran and what it did."""

    __tablename__ = "crmbot_job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    as_of: Mapped[date | None] = mapped_column(Date)
    stats: Mapped[dict | None] = mapped_column(JSON)


class ModelRegistry(Base):
    """Trained models with their metadata, so every score traces to the model that made it."""

    __tablename__ = "crmbot_models"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # lead_scoring, churn
    version: Mapped[str] = mapped_column(String(40))
    trained_at: Mapped[datetime] = mapped_column(DateTime)
    path: Mapped[str] = mapped_column(Text)
    n_samples: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DemoLeadTruth(Base):
    """Demo ground truth: each demo lead's true conversion probability (never a contract table)."""

    __tablename__ = "crmbot_demo_lead_truth"

    lead_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    true_probability: Mapped[float] = mapped_column(Float)


class DemoDuplicateTruth(Base):
    """Demo ground truth: invoices planted as duplicates of an earlier one, and how they differ."""

    __tablename__ = "crmbot_demo_duplicate_truth"

    invoice_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    duplicate_of: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))


class DemoChurnTruth(Base):
    """Demo ground truth: each customer's latent churn hazard and the drivers planted for it."""

    __tablename__ = "crmbot_demo_churn_truth"

    company_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    risk: Mapped[float] = mapped_column(Float)
    drivers: Mapped[str | None] = mapped_column(Text)


PROJECT_TABLES: tuple[str, ...] = tuple(t for t in Base.metadata.tables if t not in CONTRACT_TABLES)
