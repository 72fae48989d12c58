"""Per-company facts as of one or more dates, from a handful of set-based GROUP BY queries.

One code path serves both today's scores and the churn model's history: every query joins its
table to a small table of "as of" dates and only counts rows dated before each one, so a
snapshot taken at date S sees nothing from after S. The database does the grouping; pandas
only merges the few per-company rows that come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import (
    Date,
    DateTime,
    Float,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from db.models import Activity, Company, Invoice, Payment, SupportTicket

# employee_count lower bounds of the size buckets engagement and support are compared within
SIZE_BUCKET_EDGES = (50, 250, 1000)
SIZE_BUCKET_NAMES = ("1-49", "50-249", "250-999", "1000+")
NO_ACTIVITY_DAYS = 366.0  # "days since" when nothing happened in the year looked at
WINDOWS = (7, 90, 180, 365)

CompanyFilter = Callable[[ColumnElement], ColumnElement] | None


class day_number(FunctionElement):
    """A date or timestamp as a day number (fractional); only differences are meaningful."""

    type = Float()
    inherit_cache = True


@compiles(day_number)
def _day_number_default(element, compiler, **kw):
    return f"(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) / 86400.0)"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return f"julianday({compiler.process(element.clauses, **kw)})"


def as_of_table(dates: Sequence[date]):
    """A CTE with one row per as-of date and the start of each look-back window (dates and timestamps)."""
    rows = []
    for day in dates:
        start = datetime.combine(day, time())
        parts = [literal(day, Date).label("as_of_date"), literal(start, DateTime).label("as_of")]
        for n in WINDOWS:
            parts.append(literal(start - timedelta(days=n), DateTime).label(f"t{n}"))
            parts.append(literal(day - timedelta(days=n), Date).label(f"d{n}"))
        rows.append(select(*parts))
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("as_of")


def _sum_if(condition, value=1):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _money(expr):
    return cast(expr, Float)


def _filtered(query, column, company_filter: CompanyFilter):
    return query.where(company_filter(column)) if company_filter is not None else query


def _frame(conn: Connection, query) -> pd.DataFrame:
    result = conn.execute(query)
    return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))


def population_query(s, *, history: bool, company_filter: CompanyFilter):
    """Customers at each as-of date: today's by lifecycle stage, past ones by their dates."""
    c = Company.__table__
    if history:
        is_customer = and_(
            c.c.customer_since < s.c.as_of_date,
            or_(c.c.churned_at.is_(None), c.c.churned_at >= s.c.as_of_date),
        )
    else:
        is_customer = c.c.lifecycle_stage == "customer"
    query = select(
        s.c.as_of_date,
        c.c.id.label("company_id"),
        c.c.name.label("company_name"),
        c.c.owner_id,
        c.c.employee_count,
        c.c.industry,
        c.c.region,
        c.c.customer_since,
        c.c.churned_at,
        (day_number(s.c.as_of_date) - day_number(c.c.customer_since)).label("tenure_days"),
    ).select_from(c.join(s, is_customer))
    return _filtered(query, c.c.id, company_filter)


def activity_query(s, company_filter: CompanyFilter):
    """Engagement: recency, frequency, breadth (contacts, types) and trend of activities (notes excluded)."""
    a = Activity.__table__
    engaged = a.c.type != "note"
    meeting = a.c.type == "meeting"
    last90 = a.c.occurred_at >= s.c.t90
    prev90 = and_(a.c.occurred_at >= s.c.t180, a.c.occurred_at < s.c.t90)
    query = (
        select(
            s.c.as_of_date,
            a.c.company_id,
            _sum_if(and_(engaged, last90)).label("activities_90"),
            _sum_if(and_(engaged, prev90)).label("activities_prev_90"),
            _sum_if(and_(meeting, last90)).label("meetings_90"),
            _sum_if(and_(meeting, a.c.occurred_at < s.c.t90)).label("meetings_before_90"),
            func.count(distinct(case((and_(engaged, last90), a.c.contact_id)))).label("contacts_90"),
            func.count(distinct(case((and_(engaged, last90), a.c.type)))).label("types_90"),
            (day_number(s.c.as_of) - day_number(func.max(case((engaged, a.c.occurred_at))))).label(
                "days_since_activity"
            ),
            (day_number(s.c.as_of) - day_number(func.max(case((meeting, a.c.occurred_at))))).label(
                "days_since_meeting"
            ),
        )
        .select_from(a.join(s, and_(a.c.occurred_at < s.c.as_of, a.c.occurred_at >= s.c.t365)))
        .where(a.c.company_id.is_not(None))
        .group_by(s.c.as_of_date, s.c.as_of, a.c.company_id)
    )
    return _filtered(query, a.c.company_id, company_filter)


def invoice_query(s, company_filter: CompanyFilter):
    """Payment behaviour from invoices due before each date and what was paid on them before it."""
    p, i = Payment.__table__, Invoice.__table__
    paid_q = (
        select(
            s.c.as_of_date.label("paid_as_of"),
            p.c.invoice_id,
            _money(func.sum(p.c.amount)).label("paid"),
            func.max(p.c.paid_at).label("last_paid"),
        )
        .select_from(p.join(s, p.c.paid_at < s.c.as_of_date))
        .where(p.c.invoice_id.is_not(None))
        .group_by(s.c.as_of_date, p.c.invoice_id)
    )
    paid = _filtered(paid_q, p.c.company_id, company_filter).subquery("paid")
    paid_amount = func.coalesce(paid.c.paid, 0.0)
    total = _money(i.c.total)
    settled = paid_amount >= total - 0.005
    due_day = day_number(i.c.due_date)
    settle_day = case((settled, day_number(paid.c.last_paid)), else_=day_number(s.c.as_of_date))
    late = settle_day - due_day
    days_late = case((late > 0, late), else_=0.0)
    in_year = i.c.due_date >= s.c.d365
    overdue = and_(~settled, total - paid_amount > 0.005)
    query = (
        select(
            s.c.as_of_date,
            i.c.company_id,
            _sum_if(in_year).label("invoices_due_365"),
            _sum_if(and_(in_year, settled, paid.c.last_paid <= i.c.due_date)).label("invoices_on_time_365"),
            _sum_if(and_(in_year, days_late >= 30)).label("invoices_late_30_365"),
            _sum_if(in_year, total * days_late).label("amount_days_late_365"),
            _sum_if(in_year, total).label("amount_due_365"),
            _sum_if(overdue, total - paid_amount).label("overdue_amount"),
            _sum_if(overdue).label("overdue_invoices"),
            func.max(case((overdue, day_number(s.c.as_of_date) - due_day))).label("max_days_overdue"),
        )
        .select_from(
            i.join(s, and_(i.c.due_date < s.c.as_of_date, i.c.issue_date < s.c.as_of_date)).outerjoin(
                paid, and_(paid.c.paid_as_of == s.c.as_of_date, paid.c.invoice_id == i.c.id)
            )
        )
        .where(i.c.status.in_(("sent", "paid")), i.c.company_id.is_not(None))
        .group_by(s.c.as_of_date, i.c.company_id)
    )
    return _filtered(query, i.c.company_id, company_filter)


def ticket_query(s, company_filter: CompanyFilter):
    """Support: volume, urgent/high tickets, old open tickets, resolution time and CSAT."""
    t = SupportTicket.__table__
    open_then = or_(
        and_(t.c.resolved_at.is_(None), t.c.status.in_(("open", "pending"))), t.c.resolved_at >= s.c.as_of
    )
    urgent = t.c.priority.in_(("urgent", "high"))
    resolved_recently = and_(t.c.resolved_at < s.c.as_of, t.c.resolved_at >= s.c.t180)
    age_days = day_number(s.c.as_of) - day_number(t.c.created_at)
    query = (
        select(
            s.c.as_of_date,
            t.c.company_id,
            _sum_if(t.c.created_at >= s.c.t180).label("tickets_180"),
            _sum_if(and_(urgent, t.c.created_at >= s.c.t90)).label("urgent_high_90"),
            _sum_if(and_(open_then, t.c.created_at < s.c.t7)).label("open_over_week"),
            _sum_if(and_(open_then, urgent, t.c.created_at < s.c.t7)).label("urgent_open_over_week"),
            func.max(case((and_(open_then, urgent), age_days))).label("oldest_urgent_open_days"),
            func.avg(
                case((resolved_recently, (day_number(t.c.resolved_at) - day_number(t.c.created_at)) * 24.0))
            ).label("resolution_hours"),
            func.avg(
                case((and_(resolved_recently, t.c.satisfaction.is_not(None)), cast(t.c.satisfaction, Float)))
            ).label("csat"),
        )
        .select_from(t.join(s, t.c.created_at < s.c.as_of))
        .where(t.c.company_id.is_not(None))
        .group_by(s.c.as_of_date, s.c.as_of, t.c.company_id)
    )
    return _filtered(query, t.c.company_id, company_filter)


COUNT_COLUMNS = (
    "activities_90",
    "activities_prev_90",
    "meetings_90",
    "meetings_before_90",
    "contacts_90",
    "types_90",
    "invoices_due_365",
    "invoices_on_time_365",
    "invoices_late_30_365",
    "amount_days_late_365",
    "amount_due_365",
    "overdue_amount",
    "overdue_invoices",
    "tickets_180",
    "urgent_high_90",
    "open_over_week",
    "urgent_open_over_week",
)


def load_facts(
    conn: Connection,
    dates: Sequence[date],
    *,
    history: bool = False,
    company_filter: CompanyFilter = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """One row per (as-of date, customer company) with every fact the scores and the model use."""
    s = as_of_table(dates)
    steps = (
        ("companies", population_query(s, history=history, company_filter=company_filter)),
        ("activities", activity_query(s, company_filter)),
        ("invoices", invoice_query(s, company_filter)),
        ("tickets", ticket_query(s, company_filter)),
    )
    frames = []
    for label, query in steps:
        if progress:
            progress(label)
        frames.append(_frame(conn, query))
    facts = frames[0]
    for part in frames[1:]:
        facts = facts.merge(part, on=["as_of_date", "company_id"], how="left")
    return finish_facts(facts)


def finish_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Fill what a missing aggregate means (no rows = zero, never = a year ago) and add derived columns."""
    facts = facts.copy()
    for column in COUNT_COLUMNS:
        facts[column] = pd.to_numeric(facts[column], errors="coerce").fillna(0.0).astype(float)
    for column in ("days_since_activity", "days_since_meeting"):
        facts[column] = pd.to_numeric(facts[column], errors="coerce").fillna(NO_ACTIVITY_DAYS).clip(0, None)
    for column in ("max_days_overdue", "oldest_urgent_open_days", "resolution_hours", "csat", "tenure_days"):
        facts[column] = pd.to_numeric(facts[column], errors="coerce").astype(float)
    facts["max_days_overdue"] = facts["max_days_overdue"].fillna(0.0).clip(0, None)
    facts["oldest_urgent_open_days"] = facts["oldest_urgent_open_days"].fillna(0.0)
    facts["employee_count"] = pd.to_numeric(facts["employee_count"], errors="coerce").astype(float)
    facts["size_bucket"] = size_buckets(facts["employee_count"].to_numpy())
    facts["meetings_per_quarter_before"] = facts["meetings_before_90"] / 3.0
    return facts


def size_buckets(employee_count: np.ndarray) -> np.ndarray:
    """Size bucket names by employee count (unknown size joins the smallest bucket)."""
    counts = np.nan_to_num(np.asarray(employee_count, dtype=float), nan=0.0)
    return np.asarray(SIZE_BUCKET_NAMES, dtype=object)[
        np.searchsorted(SIZE_BUCKET_EDGES, counts, side="right")
    ]


NORM_COLUMNS = ("activities_90", "contacts_90", "tickets_180")


def size_norms(facts: pd.DataFrame) -> pd.DataFrame:
    """What is typical for companies of each size at each date: the mean of the normed facts."""
    return (
        facts.groupby(["as_of_date", "size_bucket"], observed=True)[list(NORM_COLUMNS)]
        .mean()
        .rename(columns={c: f"typical_{c}" for c in NORM_COLUMNS})
        .reset_index()
    )


def with_norms(facts: pd.DataFrame, norms: pd.DataFrame) -> pd.DataFrame:
    """Attach each company's size norms (typical_* columns), by date and size bucket."""
    merged = facts.drop(columns=[c for c in facts.columns if c.startswith("typical_")]).merge(
        norms, on=["as_of_date", "size_bucket"], how="left"
    )
    for column in NORM_COLUMNS:
        merged[f"typical_{column}"] = merged[f"typical_{column}"].fillna(0.0)
    return merged
