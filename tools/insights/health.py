"""The health score: pure, vectorized functions on arrays (one element per company).

health = 0.4 engagement + 0.4 payment + 0.2 support by default (the weights are configurable:
see tools/insights/config.py), each component 0-100:

* engagement = 0.35 recency + 0.25 frequency + 0.20 breadth + 0.20 trend
  - recency: 100 when the last email/call/meeting is at most 14 days old, 0 at 90 days or more;
  - frequency: activities in the last 90 days against the mean of companies of the same size
    bucket (at or above the mean = 100);
  - breadth: half contacts reached in 90 days against the size mean, half activity types (of 3);
  - trend: the last 90 days against the 90 before, (a + 1) / (b + 1), capped at 1.
* payment = 0.4 on-time share + 0.3 lateness + 0.3 overdue
  - on-time share: invoices due in the last 365 days paid in full by their due date (none due = 100);
  - lateness: amount-weighted days beyond terms, 0 days = 100, 60 or more = 0;
  - overdue: the oldest unpaid balance now, 0 days past due = 100, 90 or more = 0.
* support = 0.25 volume + 0.25 severity + 0.20 backlog + 0.15 resolution + 0.15 CSAT
  - volume: tickets in 180 days against the size mean, up to the mean = 100, 3x the mean = 0;
  - severity: urgent/high tickets in 90 days, 0 = 100, 4 or more = 0;
  - backlog: tickets open for over a week, 0 = 100, 3 or more = 0;
  - resolution: mean hours to resolve (180 days), 24 h or less = 100, a week or more = 0;
  - CSAT: 1..5 mapped to 0..100.
  Resolution and CSAT drop out (their weight is shared by the rest) when there is nothing to
  measure.

Bands: green at ``health_green_min`` and above, yellow at ``health_yellow_min`` and above, red
below. Caps: a component below ``component_floor`` caps the band at yellow; a balance
``serious_overdue_days`` or more past due makes it red whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.insights.config import InsightConfig
from tools.insights.results import HealthModel

WEIGHTS = InsightConfig().weights  # the defaults; the job uses the configured ones
BAND_ORDER = ("red", "yellow", "green")


def _ramp(value, full_at, zero_at) -> np.ndarray:
    """100 at ``full_at``, 0 at ``zero_at``, linear between (either direction), clipped."""
    value = np.asarray(value, dtype=float)
    return 100.0 * np.clip((value - zero_at) / (full_at - zero_at), 0.0, 1.0)


def _ratio_score(value, typical) -> np.ndarray:
    """100 at or above the typical value; proportionally less below it (typical 0 = 100)."""
    value, typical = np.asarray(value, dtype=float), np.asarray(typical, dtype=float)
    safe = np.where(typical > 0, typical, 1.0)
    return np.where(typical > 0, 100.0 * np.clip(value / safe, 0.0, 1.0), 100.0)


def _weighted(parts: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted mean of sub-scores; a NaN sub-score drops out and its weight is shared by the rest."""
    values = np.stack([np.asarray(parts[k], dtype=float) for k in weights])
    w = np.asarray(list(weights.values()))[:, None] * ~np.isnan(values)
    return np.nansum(values * w, axis=0) / w.sum(axis=0)


ENGAGEMENT_WEIGHTS = {"recency": 0.35, "frequency": 0.25, "breadth": 0.20, "trend": 0.20}
PAYMENT_WEIGHTS = {"on_time": 0.4, "lateness": 0.3, "overdue": 0.3}
SUPPORT_WEIGHTS = {"volume": 0.25, "severity": 0.25, "backlog": 0.20, "resolution": 0.15, "csat": 0.15}


def engagement_parts(
    days_since_activity,
    activities_90,
    activities_prev_90,
    contacts_90,
    types_90,
    typical_activities_90,
    typical_contacts_90,
) -> dict[str, np.ndarray]:
    recent, before = np.asarray(activities_90, dtype=float), np.asarray(activities_prev_90, dtype=float)
    parts = {
        "recency": _ramp(days_since_activity, 14.0, 90.0),
        "frequency": _ratio_score(recent, typical_activities_90),
        "breadth": 0.5 * _ratio_score(contacts_90, typical_contacts_90) + 0.5 * _ramp(types_90, 3.0, 0.0),
        "trend": 100.0 * np.clip((recent + 1.0) / (before + 1.0), 0.0, 1.0),
    }
    parts["score"] = _weighted(parts, ENGAGEMENT_WEIGHTS)
    return parts


def payment_parts(
    invoices_due_365, invoices_on_time_365, amount_days_late_365, amount_due_365, max_days_overdue
) -> dict[str, np.ndarray]:
    due = np.asarray(invoices_due_365, dtype=float)
    on_time = np.where(due > 0, 100.0 * np.asarray(invoices_on_time_365) / np.where(due > 0, due, 1.0), 100.0)
    amount = np.asarray(amount_due_365, dtype=float)
    weighted_late = np.where(
        amount > 0, np.asarray(amount_days_late_365) / np.where(amount > 0, amount, 1), 0
    )
    parts = {
        "on_time": on_time,
        "lateness": _ramp(weighted_late, 0.0, 60.0),
        "overdue": _ramp(max_days_overdue, 0.0, 90.0),
    }
    parts["score"] = _weighted(parts, PAYMENT_WEIGHTS)
    parts["weighted_days_late"] = weighted_late
    return parts


def support_parts(
    tickets_180, typical_tickets_180, urgent_high_90, open_over_week, resolution_hours, csat
) -> dict[str, np.ndarray]:
    tickets, typical = np.asarray(tickets_180, dtype=float), np.asarray(typical_tickets_180, dtype=float)
    ratio = tickets / np.maximum(typical, 1.0)
    csat = np.asarray(csat, dtype=float)
    parts = {
        "volume": _ramp(ratio, 1.0, 3.0),
        "severity": _ramp(urgent_high_90, 0.0, 4.0),
        "backlog": _ramp(open_over_week, 0.0, 3.0),
        "resolution": np.where(
            np.isnan(np.asarray(resolution_hours, dtype=float)), np.nan, _ramp(resolution_hours, 24.0, 168.0)
        ),
        "csat": np.where(np.isnan(csat), np.nan, 100.0 * (csat - 1.0) / 4.0),
    }
    parts["score"] = _weighted(parts, SUPPORT_WEIGHTS)
    return parts


def health_score(engagement, payment, support, weights: dict[str, float] | None = None) -> np.ndarray:
    """The weighted mean of the components; ``weights`` are fractions of 1 (default 0.4/0.4/0.2)."""
    weights = weights or WEIGHTS
    return (
        weights["engagement"] * np.asarray(engagement, dtype=float)
        + weights["payment"] * np.asarray(payment, dtype=float)
        + weights["support"] * np.asarray(support, dtype=float)
    )


@dataclass
class Bands:
    band: np.ndarray  # green / yellow / red
    note: np.ndarray  # why the band was capped, or None


def bands(score, engagement, payment, support, max_days_overdue, config: InsightConfig) -> Bands:
    """Band by score, then the caps: a weak component -> at most yellow; seriously overdue -> red."""
    score = np.asarray(score, dtype=float)
    level = np.where(score >= config.health_green_min, 2, np.where(score >= config.health_yellow_min, 1, 0))
    components = {"engagement": engagement, "payment": payment, "support": support}
    weak = np.zeros(len(score), dtype=bool)
    note = np.full(len(score), None, dtype=object)
    for name, values in components.items():
        below = np.asarray(values, dtype=float) < config.component_floor
        capped = below & (level == 2) & ~weak
        note[capped] = f"capped at yellow: {name} score below {config.component_floor:g}"
        weak |= below
    level = np.where(weak, np.minimum(level, 1), level)
    serious = np.asarray(max_days_overdue, dtype=float) >= config.serious_overdue_days
    note[serious & (level > 0)] = f"capped at red: a balance {config.serious_overdue_days}+ days past due"
    level = np.where(serious, 0, level)
    return Bands(band=np.asarray(BAND_ORDER, dtype=object)[level], note=note)


def health_model_in_use(config: InsightConfig | None = None) -> HealthModel:
    """How the health score is calculated with the settings in use: for cards and explanations.

    The conversation layer answers "how is the health score calculated?" with this, so the
    weights it states are the ones the scores were computed with (a team may have changed them).
    """
    config = config or InsightConfig.from_settings()
    percent = lambda weights: {k: round(100 * v, 1) for k, v in weights.items()}  # noqa: E731
    return HealthModel(
        weights=config.health_model()["weights"],
        green_min=config.health_green_min,
        yellow_min=config.health_yellow_min,
        component_floor=config.component_floor,
        serious_overdue_days=config.serious_overdue_days,
        source=config.source,
        parts={
            "engagement": percent(ENGAGEMENT_WEIGHTS),
            "payment": percent(PAYMENT_WEIGHTS),
            "support": percent(SUPPORT_WEIGHTS),
        },
    )
