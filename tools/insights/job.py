"""The insights job: train churn on history, score every customer, write the tables, find alerts.

Saves the churn model's file, then in one transaction registers the model in ``crmbot_models``,
replaces ``customer_insights`` and ``crmbot_insight_details`` (delete, then insert in batches)
and records the run in ``crmbot_job_runs``: a run killed or failing at any point leaves the
previous model, insights and job records as they were (and no file of its own behind).
Alerts compare with the rows of the previous run before they are replaced.
"""

from __future__ import annotations

import time as _time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, insert, select, update

from db.models import CustomerInsight, InsightDetail, JobRun, ModelRegistry, User
from tools.insights import churn as churn_mod
from tools.insights.compute import ScoredInsights, details_records, score_population
from tools.insights.config import InsightConfig
from tools.insights.results import Alert, RefreshSummary

JOB_NAME = "insights_refresh"
MODEL_KIND = "churn"
BATCH_ROWS = 5000
Progress = Callable[[str, int, int], None]


def refresh(
    engine: Engine,
    today: date,
    *,
    config: InsightConfig | None = None,
    models_dir: str | Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    max_training_companies: int = 5_000,
    clock: Callable[[], datetime] = datetime.now,
) -> RefreshSummary:
    """Compute insights for every customer and write them; returns what it did and the alerts.

    ``now`` stamps computed_at (default: midnight of ``today``, reproducible); ``clock`` times the run.
    """
    config = config or InsightConfig.from_settings()
    now = now or datetime.combine(today, time())
    started_at = clock()
    started = _time.perf_counter()
    steps = ["history", "training", "companies", "activities", "invoices", "tickets", "churn"]
    steps += ["lifetime value", "recommendations", "writing"]

    def step(label: str) -> None:
        if progress:
            progress(label, steps.index(label) if label in steps else 0, len(steps))

    with engine.connect() as conn:
        step("history")
        snapshots = churn_mod.build_snapshots(conn, today, config, max_companies=max_training_companies)
        step("training")
        training = churn_mod.train_churn(snapshots, config, trained_at=now.isoformat())
        del snapshots
        scored = score_population(conn, today, config, churn_model=training.model, progress=step)
    step("writing")
    model_file = _save_model_file(training, models_dir, today, started_at) if training.model else None
    try:
        with engine.begin() as conn:  # the model, the insights and the run's record: all or nothing
            if model_file is not None:
                _register_model(conn, training, model_file, now, today)
            alerts = _write_insights(conn, scored, now, config)
            summary = _summary(scored, training, alerts, today, started)
            _record_run(conn, summary, scored, training, model_file and model_file[0], (started_at, clock()))
    except BaseException:
        if model_file is not None:
            Path(model_file[0]).unlink(missing_ok=True)  # nothing refers to it
        raise
    return summary


def _summary(
    scored: ScoredInsights, training, alerts: list[Alert], today: date, started: float
) -> RefreshSummary:
    bands = Counter(scored.table["band"])
    risks = Counter(scored.table["churn_risk"])
    notes = [n for n in (training.note, scored.ltv_note) if n]
    if training.method == "rules":
        notes.append(churn_mod.RULES_DOC)
    return RefreshSummary(
        companies=len(scored.table),
        as_of=today,
        seconds=round(_time.perf_counter() - started, 2),
        churn_method=training.method,
        model_auc=training.model_auc,
        rules_auc=training.rules_auc,
        ltv_method=scored.ltv_method,
        bands={k: int(bands.get(k, 0)) for k in ("green", "yellow", "red")},
        risks={k: int(risks.get(k, 0)) for k in churn_mod.RISK_LEVELS},
        alerts=alerts,
        notes=notes,
    )


def _save_model_file(training, models_dir, today: date, started_at: datetime) -> tuple[str, str]:
    """Save the fitted churn model under a name of its own; (path, version)."""
    if models_dir is None:
        from crmbot.settings import get_settings

        models_dir = Path(get_settings().data_dir) / "models"
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    version = f"{today:%Y%m%d}-{started_at:%Y%m%dT%H%M%S%f}"
    path = str(models_dir / f"churn-{version}.joblib")
    training.model.save(path)
    return path, version


def _register_model(conn, training, model_file: tuple[str, str], now: datetime, today: date) -> None:
    """Make the saved model the active one in crmbot_models (inside the job's transaction)."""
    path, version = model_file
    conn.execute(update(ModelRegistry).where(ModelRegistry.kind == MODEL_KIND).values(active=False))
    conn.execute(
        insert(ModelRegistry).values(
            kind=MODEL_KIND,
            version=version,
            trained_at=now,
            path=path,
            n_samples=training.n_snapshots,
            metrics={**training.metrics, "as_of": today.isoformat()},
            active=True,
        )
    )


def previous_insights(conn) -> pd.DataFrame:
    result = conn.execute(
        select(CustomerInsight.company_id, CustomerInsight.health_score, CustomerInsight.churn_risk)
    )
    return pd.DataFrame.from_records(result.fetchall(), columns=["company_id", "prev_health", "prev_risk"])


def find_alerts(scored: pd.DataFrame, previous: pd.DataFrame, config: InsightConfig) -> pd.DataFrame:
    """Companies that crossed into high risk, or lost ``alert_health_drop`` points, since the last run.

    Without a previous run there is nothing to compare with, so there are no alerts.
    """
    if previous.empty:
        return scored.iloc[0:0].assign(kind=[])
    both = scored.merge(previous, on="company_id", how="inner")
    crossed = (both["churn_risk"] == "high") & (both["prev_risk"] != "high")
    dropped = (both["prev_health"] - both["health_score"]) >= config.alert_health_drop
    both["kind"] = None
    both.loc[dropped, "kind"] = "health_drop"
    both.loc[crossed, "kind"] = "high_risk"
    return both[crossed | dropped]


def _alert_objects(conn, alerts: pd.DataFrame, reasons_by_company: dict[int, str]) -> list[Alert]:
    if alerts.empty:
        return []
    owners = dict(conn.execute(select(User.id, User.slack_user_id)).fetchall())
    out = []
    for row in alerts.to_dict("records"):
        company_id = int(row["company_id"])
        reason = reasons_by_company.get(company_id)
        if row["kind"] == "high_risk":
            text = f"{row['company_name']} is now at high churn risk ({row['churn_probability']:.0%})"
        else:
            text = (
                f"{row['company_name']} lost {row['prev_health'] - row['health_score']:.0f} health points "
                f"({row['prev_health']:.0f} -> {row['health_score']:.0f})"
            )
        if reason:
            text += f": {reason}"
        owner_id = None if pd.isna(row["owner_id"]) else int(row["owner_id"])
        out.append(Alert(company_id, row["company_name"], owner_id, owners.get(owner_id), row["kind"], text))
    return out


def _rows(scored: ScoredInsights, now: datetime) -> tuple[list[dict], list[dict]]:
    t = scored.table
    details = details_records(scored)
    insights = [
        {
            "company_id": int(cid),
            "health_score": round(float(h), 2),
            "engagement_score": round(float(e), 2),
            "payment_score": round(float(p), 2),
            "support_score": round(float(s), 2),
            "churn_risk": risk,
            "churn_probability": round(float(prob), 4),
            "predicted_churn_date": when,
            "ltv": round(float(ltv), 2),
            "predicted_ltv_12m": round(float(pred), 2),
            "computed_at": now,
        }
        for cid, h, e, p, s, risk, prob, when, ltv, pred in zip(
            t["company_id"],
            t["health_score"],
            t["engagement_score"],
            t["payment_score"],
            t["support_score"],
            t["churn_risk"],
            t["churn_probability"],
            t["predicted_churn_date"],
            t["ltv"],
            t["predicted_ltv_12m"],
            strict=True,
        )
    ]
    detail_rows = [
        {"company_id": int(cid), "band": band, "details": d, "computed_at": now}
        for cid, band, d in zip(t["company_id"], t["band"], details, strict=True)
    ]
    return insights, detail_rows


def write_insights(
    engine: Engine, scored: ScoredInsights, now: datetime, config: InsightConfig
) -> list[Alert]:
    """Replace both tables' rows in one transaction; return alerts against the rows replaced."""
    with engine.begin() as conn:
        return _write_insights(conn, scored, now, config)


def _write_insights(conn, scored: ScoredInsights, now: datetime, config: InsightConfig) -> list[Alert]:
    """Replace both tables' rows on ``conn`` (the caller's transaction); alerts against the old rows."""
    insights, detail_rows = _rows(scored, now)
    reasons = {
        int(cid): r[0].text for cid, r in zip(scored.table["company_id"], scored.reasons, strict=True) if r
    }
    alerts = find_alerts(scored.table, previous_insights(conn), config)
    alert_list = _alert_objects(conn, alerts, reasons)
    conn.execute(delete(CustomerInsight))
    conn.execute(delete(InsightDetail))
    for start in range(0, len(insights), BATCH_ROWS):
        conn.execute(insert(CustomerInsight), insights[start : start + BATCH_ROWS])
        conn.execute(insert(InsightDetail), detail_rows[start : start + BATCH_ROWS])
    return alert_list


def _record_run(conn, summary: RefreshSummary, scored: ScoredInsights, training, model_path, times):
    stats = {
        "companies": summary.companies,
        "seconds": summary.seconds,
        "bands": summary.bands,
        "risks": summary.risks,
        "alerts": len(summary.alerts),
        "churn": {
            "method": training.method,
            "holdout_auc_model": training.model_auc,
            "holdout_auc_rules": training.rules_auc,
            "n_snapshots": training.n_snapshots,
            "n_churned_companies": training.n_churned_companies,
            "model_path": model_path,
            "note": training.note,
        },
        # the worker values changed companies with this run's fit and norms (tools/insights/incremental.py)
        "ltv": {"method": scored.ltv_method, "note": scored.ltv_note, "params": scored.ltv_params},
        "health_model": scored.health_model,
        "norms": [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
            for row in scored.norms.to_dict("records")
        ],
    }
    conn.execute(
        insert(JobRun).values(
            job=JOB_NAME,
            started_at=times[0],
            finished_at=times[1],
            as_of=summary.as_of,
            stats=stats,
        )
    )
