"""A person's day at a glance (Slack's App Home): my pipeline, my accounts at risk, my approvals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, func, select

from db.models import Company, CustomerInsight, Deal, Invoice
from db.vocab import OPEN_DEAL_STAGES
from tools.actor import Actor
from tools.scope import load_scope, orm_tables, row_filter


@dataclass
class HomeSummary:
    actor_name: str | None
    open_deals: int = 0
    open_pipeline: Decimal = Decimal(0)
    closing_this_month: list[tuple[str, Decimal, date | None]] = field(default_factory=list)
    at_risk: list[tuple[str, float | None]] = field(default_factory=list)  # (company, churn probability)
    pending_approvals: list[tuple[str, str, Decimal]] = field(
        default_factory=list
    )  # (number, company, total)
    can_approve: bool = False


def home_summary(
    engine: Engine, actor: Actor, today: date, limit: int = 5, admin_only_above: Decimal | None = None
) -> HomeSummary:
    """``admin_only_above``: invoices above it wait for an admin, so a manager is not shown them."""
    summary = HomeSummary(actor_name=actor.name, can_approve=actor.is_manager)
    if actor.user_id is None:
        return summary
    month_end = (today + relativedelta(day=31)).toordinal()  # the month's last day
    with engine.connect() as conn:
        scope = load_scope(conn, actor)  # the asker's data scope: deals and invoices of accounts they see
        mine = (Deal.owner_id == actor.user_id) & Deal.stage.in_(OPEN_DEAL_STAGES)
        in_scope = row_filter("deals", scope, orm_tables())
        if in_scope is not None:
            mine = mine & in_scope
        count, total = conn.execute(
            select(func.count(), func.coalesce(func.sum(Deal.amount), 0)).where(mine)
        ).one()
        summary.open_deals, summary.open_pipeline = count, Decimal(str(total)).quantize(Decimal("0.01"))
        summary.closing_this_month = [
            tuple(r)
            for r in conn.execute(
                select(Deal.name, Deal.amount, Deal.expected_close_date)
                .where(mine, Deal.expected_close_date <= date.fromordinal(month_end))
                .order_by(Deal.amount.desc())
                .limit(limit)
            )
        ]
        summary.at_risk = [
            tuple(r)
            for r in conn.execute(
                select(Company.name, CustomerInsight.churn_probability)
                .join(CustomerInsight, CustomerInsight.company_id == Company.id)
                .where(Company.owner_id == actor.user_id, CustomerInsight.churn_risk == "high")
                .order_by(CustomerInsight.churn_probability.desc())
                .limit(limit)
            )
        ]
        pending = select(Invoice.number, Company.name, Invoice.total).join(
            Company, Company.id == Invoice.company_id, isouter=True
        )
        pending = pending.where(Invoice.status == "pending_approval")
        invoices_in_scope = row_filter("invoices", scope, orm_tables())
        if invoices_in_scope is not None:
            pending = pending.where(invoices_in_scope)
        if actor.is_manager:
            pending = pending.where((Invoice.created_by != actor.user_id) | Invoice.created_by.is_(None))
            if not actor.is_admin and admin_only_above is not None:
                pending = pending.where(Invoice.total <= admin_only_above)
        else:
            pending = pending.where(Invoice.created_by == actor.user_id)
        summary.pending_approvals = [
            tuple(r) for r in conn.execute(pending.order_by(Invoice.id).limit(limit))
        ]
    return summary
