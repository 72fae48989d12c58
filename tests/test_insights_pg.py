"""The facts SQL gives the same numbers on PostgreSQL as on SQLite (same rows in both)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert, select

from db.engine import get_engine
from db.models import CONTRACT_MODELS, Base
from tools.insights.facts import load_facts

COMPARED = (
    "activities_90", "activities_prev_90", "meetings_90", "meetings_before_90", "contacts_90", "types_90",
    "days_since_activity", "days_since_meeting", "invoices_due_365", "invoices_on_time_365",
    "invoices_late_30_365", "amount_days_late_365", "amount_due_365", "overdue_amount", "overdue_invoices",
    "max_days_overdue", "tickets_180", "urgent_high_90", "open_over_week", "urgent_open_over_week",
    "oldest_urgent_open_days", "resolution_hours", "csat", "tenure_days",
)  # fmt: skip


def _copy_contract_rows(source, target) -> None:
    Base.metadata.create_all(target)
    with source.connect() as read, target.begin() as write:
        for model in CONTRACT_MODELS:
            rows = [dict(r._mapping) for r in read.execute(select(model.__table__))]
            for start in range(0, len(rows), 5000):
                write.execute(insert(model.__table__), rows[start : start + 5000])


def test_facts_match_between_sqlite_and_postgresql(pg_url, demo_db_url, demo_today):
    sqlite, pg = get_engine(demo_db_url), get_engine(pg_url)
    _copy_contract_rows(sqlite, pg)
    dates = [demo_today, demo_today.replace(year=demo_today.year - 1)]
    with sqlite.connect() as conn:
        lite = load_facts(conn, dates, history=True).sort_values(["as_of_date", "company_id"])
    with pg.connect() as conn:
        post = load_facts(conn, dates, history=True).sort_values(["as_of_date", "company_id"])
    assert len(lite) == len(post) > 100
    assert list(lite["company_id"]) == list(post["company_id"])
    for column in COMPARED:
        a, b = lite[column].to_numpy(dtype=float), post[column].to_numpy(dtype=float)
        assert np.allclose(a, b, rtol=1e-6, atol=1e-4, equal_nan=True), column
