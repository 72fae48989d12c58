"""Recompute a few companies' insights with the models of the last full refresh.

`crmbot insights refresh` trains the churn model, measures what is typical for each company
size and fits the lifetime-value models on the whole customer base; it records all three with
its run. Between two refreshes the worker re-scores only the companies whose data changed,
with exactly those models: the same SQL and numpy as the refresh, filtered to the companies,
so one company costs milliseconds, not a full refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from db.models import CustomerInsight, InsightDetail, JobRun
from tools.insights.compute import ScoredInsights, score_population
from tools.insights.config import InsightConfig
from tools.insights.job import JOB_NAME
from tools.insights.job import _rows as insight_rows


class NoRefreshYet(Exception):
    """There is no usable full refresh to take models from; the message says what to run."""


@dataclass
class RefreshModels:
    """What the last full refresh learned, to score a few companies the same way."""

    run_id: int
    as_of: date
    churn_model: object | None  # a fitted TabularClassifier, or None: the rule-based estimate
    norms: pd.DataFrame  # size_bucket and the typical_* columns
    ltv_params: dict


def latest_refresh_id(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(
            select(JobRun.id).where(JobRun.job == JOB_NAME).order_by(JobRun.id.desc()).limit(1)
        ).scalar()


def load_refresh_models(engine: Engine) -> RefreshModels:
    """The churn model, size norms and LTV fit of the last `crmbot insights refresh`, or NoRefreshYet."""
    with engine.connect() as conn:
        row = conn.execute(
            select(JobRun.id, JobRun.as_of, JobRun.stats)
            .where(JobRun.job == JOB_NAME)
            .order_by(JobRun.id.desc())
            .limit(1)
        ).first()
    if row is None:
        raise NoRefreshYet("Insights were never refreshed: run `crmbot insights refresh` once first.")
    stats = row.stats or {}
    ltv = stats.get("ltv") or {}
    if "params" not in ltv or not stats.get("norms"):
        raise NoRefreshYet(
            "The last insights refresh was made by an older crmbot that did not keep its models: "
            "run `crmbot insights refresh` once more."
        )
    model = None
    path = (stats.get("churn") or {}).get("model_path")
    if path:
        if not Path(path).exists():
            raise NoRefreshYet(
                f"The churn model of the last refresh ({path}) is gone: run `crmbot insights refresh`."
            )
        from tools.ml import TabularClassifier

        model = TabularClassifier.load(path)
    norms = pd.DataFrame.from_records(stats["norms"]).drop(columns=["as_of_date"], errors="ignore")
    return RefreshModels(int(row.id), row.as_of, model, norms, ltv["params"])


def score_companies(
    conn: Connection, models: RefreshModels, company_ids, today: date, config: InsightConfig
) -> ScoredInsights:
    """Score the given companies (those that are customers today) with the refresh's models."""
    return score_population(
        conn,
        today,
        config,
        churn_model=models.churn_model,
        company_ids=company_ids,
        norms=models.norms.assign(as_of_date=today),
        ltv_params=models.ltv_params,
    )


def write_company_insights(conn: Connection, scored: ScoredInsights, company_ids, now: datetime) -> int:
    """Replace the given companies' insight rows in the caller's transaction; returns rows written.

    A company that is no longer a customer gets no rows: like the full refresh, insights cover
    today's customers only.
    """
    ids = [int(c) for c in company_ids]
    conn.execute(delete(CustomerInsight).where(CustomerInsight.company_id.in_(ids)))
    conn.execute(delete(InsightDetail).where(InsightDetail.company_id.in_(ids)))
    insights, details = insight_rows(scored, now)
    if insights:
        conn.execute(insert(CustomerInsight), insights)
        conn.execute(insert(InsightDetail), details)
    return len(insights)
