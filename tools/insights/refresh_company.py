"""Refresh the insights of a few customers now, leaving everyone else's rows as they are.

The nightly job (tools/insights/job.py) rescores every customer and replaces both tables;
this scores a selection with the same code (the active churn model, population norms of
today) and replaces only the selection's rows, in one transaction. No alerts: those compare
a whole run with the previous one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, delete, insert

from db.models import CustomerInsight, InsightDetail
from tools.insights.config import InsightConfig
from tools.insights.job import _rows as insight_rows
from tools.insights.service import compute_now


def refresh_companies(
    engine: Engine, today: date, company_ids: list[int], now: datetime, config: InsightConfig | None = None
) -> list[int]:
    """Rescore the customers among ``company_ids`` as of ``today``; the ids that were written."""
    config = config or InsightConfig.from_settings()
    scored = compute_now(engine, today, config, company_ids=company_ids)
    if scored.table.empty:
        return []
    insights, details = insight_rows(scored, now)
    written = [row["company_id"] for row in insights]
    with engine.begin() as conn:
        conn.execute(delete(CustomerInsight).where(CustomerInsight.company_id.in_(written)))
        conn.execute(delete(InsightDetail).where(InsightDetail.company_id.in_(written)))
        conn.execute(insert(CustomerInsight), insights)
        conn.execute(insert(InsightDetail), details)
    return written
