"""Score a population of customer companies: health, churn, lifetime value, recommendations.

The same function serves the nightly refresh (every customer) and a card computed on the fly
(a one-company selection): facts from set-based SQL, then numpy over the whole selection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from tools.insights import churn as churn_mod
from tools.insights.config import InsightConfig
from tools.insights.facts import load_facts, size_norms, with_norms
from tools.insights.health import bands, engagement_parts, health_score, payment_parts, support_parts
from tools.insights.lifetime import lifetime_values, load_daily_payments
from tools.insights.recommend import recommendations
from tools.insights.results import CompanyInsight, Component, Reason, Recommendation

DEFAULT_HEALTH_MODEL = InsightConfig().health_model()
ENGAGEMENT_FACTS = (
    "days_since_activity",
    "days_since_meeting",
    "activities_90",
    "activities_prev_90",
    "meetings_90",
    "meetings_per_quarter_before",
    "contacts_90",
    "types_90",
    "typical_activities_90",
    "typical_contacts_90",
)
PAYMENT_FACTS = (
    "invoices_due_365",
    "invoices_on_time_365",
    "invoices_late_30_365",
    "weighted_days_late",
    "overdue_amount",
    "overdue_invoices",
    "max_days_overdue",
)
SUPPORT_FACTS = (
    "tickets_180",
    "typical_tickets_180",
    "urgent_high_90",
    "open_over_week",
    "urgent_open_over_week",
    "oldest_urgent_open_days",
    "resolution_hours",
    "csat",
)


@dataclass
class ScoredInsights:
    """One row per company in ``table`` (contract columns and facts), plus the per-company lists."""

    table: pd.DataFrame
    reasons: list[list[Reason]]
    recommendations: list[list[Recommendation]]
    churn_method: str
    ltv_method: str
    ltv_note: str
    norms: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    ltv_params: dict = field(default_factory=dict)  # the fitted LTV models, kept with the run
    health_model: dict = field(default_factory=dict)  # weights, bands and caps in use


def company_filter_for(company_ids):
    if company_ids is None:
        return None
    ids = [int(i) for i in company_ids]
    return lambda column: column.in_(ids)


def score_health(facts: pd.DataFrame, config: InsightConfig) -> pd.DataFrame:
    """Add the three components, their sub-scores, the health score and the band (vectorized)."""
    f = facts
    eng = engagement_parts(
        f["days_since_activity"],
        f["activities_90"],
        f["activities_prev_90"],
        f["contacts_90"],
        f["types_90"],
        f["typical_activities_90"],
        f["typical_contacts_90"],
    )
    pay = payment_parts(
        f["invoices_due_365"],
        f["invoices_on_time_365"],
        f["amount_days_late_365"],
        f["amount_due_365"],
        f["max_days_overdue"],
    )
    sup = support_parts(
        f["tickets_180"],
        f["typical_tickets_180"],
        f["urgent_high_90"],
        f["open_over_week"],
        f["resolution_hours"],
        f["csat"],
    )
    out = f.copy()
    for prefix, parts in (("engagement", eng), ("payment", pay), ("support", sup)):
        for name, values in parts.items():
            if name == "weighted_days_late":
                continue
            out[f"{prefix}_score" if name == "score" else f"{prefix}__{name}"] = values
    out["health_score"] = health_score(eng["score"], pay["score"], sup["score"], config.weights)
    banded = bands(
        out["health_score"], eng["score"], pay["score"], sup["score"], f["max_days_overdue"], config
    )
    out["band"], out["band_note"] = banded.band, banded.note
    return out


def score_population(
    conn: Connection,
    today: date,
    config: InsightConfig,
    *,
    churn_model=None,
    company_ids=None,
    norms: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
    ltv_params: dict | None = None,
) -> ScoredInsights:
    """Health, churn, LTV and recommendations for today's customers (or a selection of them).

    Size norms come from the population scored; for a selection, pass ``norms`` (the whole
    customer base's, see :func:`population_norms`) so that one company is compared with its peers.
    With ``ltv_params`` (an earlier fit's), lifetime values read only the selection's payments.
    """
    facts = load_facts(conn, [today], company_filter=company_filter_for(company_ids), progress=progress)
    if norms is None:
        norms = size_norms(facts)
    facts = churn_mod.add_model_columns(with_norms(facts, norms))
    scored = score_health(facts, config)
    if progress:
        progress("churn")
    probability, reasons, method = (
        churn_mod.score_churn(scored, churn_model, config) if len(scored) else (np.zeros(0), [], "none")
    )
    scored["churn_probability"] = probability
    scored["churn_risk"] = churn_mod.risk_levels(probability, config)
    scored["predicted_churn_date"] = churn_mod.predicted_churn_dates(
        probability, scored["churn_risk"], today, config
    )
    if progress:
        progress("lifetime value")
    payment_ids = company_ids if ltv_params is not None else None
    lifetime = lifetime_values(load_daily_payments(conn, today, payment_ids), today, params=ltv_params)
    values = lifetime.table.reindex(scored["company_id"].to_numpy()).fillna(0.0)
    for column in ("ltv", "revenue_12m", "predicted_ltv_12m"):
        scored[column] = values[column].to_numpy()
    if progress:
        progress("recommendations")
    recs = recommendations(scored, today)
    return ScoredInsights(
        scored,
        reasons,
        recs,
        method,
        lifetime.method,
        lifetime.note,
        norms,
        ltv_params=lifetime.params,
        health_model=config.health_model(),
    )


def population_norms(conn: Connection, today: date) -> pd.DataFrame:
    """Size norms of the whole customer base today (for scoring a selection against its peers)."""
    return size_norms(load_facts(conn, [today]))


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        value = float(value)
        return None if value != value else round(value, 2)
    if isinstance(value, np.integer):
        return int(value)
    return value


def details_records(scored: ScoredInsights) -> list[dict]:
    """The JSON breakdown per company (crmbot_insight_details.details)."""
    t = scored.table
    columns = {
        "engagement": (
            [c for c in t.columns if c.startswith("engagement__")],
            ENGAGEMENT_FACTS,
        ),
        "payment": ([c for c in t.columns if c.startswith("payment__")], PAYMENT_FACTS),
        "support": ([c for c in t.columns if c.startswith("support__")], SUPPORT_FACTS),
    }
    records = t.to_dict("records")
    out = []
    for i, row in enumerate(records):
        components = {
            name: {
                "score": _clean(row[f"{name}_score"]),
                "parts": {c.split("__", 1)[1]: _clean(row[c]) for c in part_cols},
                "facts": {c: _clean(row[c]) for c in fact_cols},
            }
            for name, (part_cols, fact_cols) in columns.items()
        }
        out.append(
            {
                "company_name": row["company_name"],
                "owner_id": _clean(row["owner_id"]),
                "size_bucket": row["size_bucket"],
                "health_score": _clean(row["health_score"]),
                "band": row["band"],
                "band_note": row["band_note"] if isinstance(row["band_note"], str) else None,
                "components": components,
                "churn": {
                    "method": scored.churn_method,
                    "probability": _clean(row["churn_probability"]),
                    "risk": row["churn_risk"],
                    "predicted_date": row["predicted_churn_date"].isoformat()
                    if row["predicted_churn_date"]
                    else None,
                    "reasons": [vars(r) for r in scored.reasons[i]],
                },
                "ltv": {
                    "to_date": _clean(row["ltv"]),
                    "predicted_12m": _clean(row["predicted_ltv_12m"]),
                    "revenue_12m": _clean(row["revenue_12m"]),
                    "method": scored.ltv_method,
                    "note": scored.ltv_note,
                },
                "recommendations": [vars(r) for r in scored.recommendations[i]],
                "health_model": scored.health_model or None,
            }
        )
    return out


def insight_from_details(
    company_id: int, details: dict, owner_name: str | None, computed_at: str, *, computed_now: bool = False
) -> CompanyInsight:
    """The card's typed result from a stored (or just computed) details record."""
    components = [
        Component(name, float(part["score"] or 0.0), dict(part["parts"]), dict(part["facts"]))
        for name, part in details["components"].items()
    ]
    churn = details["churn"]
    predicted = churn.get("predicted_date")
    return CompanyInsight(
        company_id=company_id,
        company_name=details["company_name"],
        owner_name=owner_name,
        health_score=float(details["health_score"]),
        band=details["band"],
        band_note=details.get("band_note"),
        components=components,
        churn_probability=float(churn["probability"]),
        churn_risk=churn["risk"],
        churn_method=churn["method"],
        reasons=[Reason(**r) for r in churn["reasons"]],
        predicted_churn_date=date.fromisoformat(predicted) if predicted else None,
        ltv=float(details["ltv"]["to_date"] or 0.0),
        predicted_ltv_12m=float(details["ltv"]["predicted_12m"] or 0.0),
        ltv_method=details["ltv"]["method"],
        recommendations=[Recommendation(**r) for r in details["recommendations"]],
        computed_at=computed_at,
        computed_now=computed_now,
        # rows written before the weights were configurable were computed with the defaults
        weights=dict((details.get("health_model") or DEFAULT_HEALTH_MODEL)["weights"]),
    )
