"""The knobs of the insights job: band and risk cut-offs, caps, thresholds.

Read from crmbot settings where a field exists (``health_green_min``, ``health_yellow_min``,
``churn_medium_min``, ``churn_high_min``), with the documented defaults otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InsightConfig:
    health_green_min: float = 70.0
    health_yellow_min: float = 45.0
    # Band caps: a component below this floor caps the band at yellow...
    component_floor: float = 30.0
    # ...and a balance this many days past due caps it at red ("seriously overdue").
    serious_overdue_days: int = 60
    # Churn risk levels from the probability of churning within the horizon.
    churn_medium_min: float = 0.15
    churn_high_min: float = 0.35
    churn_horizon_days: int = 180
    # Alerts (--notify): a drop of at least this many health points since the previous run.
    alert_health_drop: float = 15.0
    # Training needs at least this much history, else the rule-based estimate is used.
    min_churned_companies: int = 30
    min_snapshots: int = 200

    @classmethod
    def from_settings(cls, settings=None) -> InsightConfig:
        if settings is None:
            from crmbot.settings import get_settings

            settings = get_settings()
        names = ("health_green_min", "health_yellow_min", "churn_medium_min", "churn_high_min")
        values = {n: float(getattr(settings, n)) for n in names if getattr(settings, n, None) is not None}
        return cls(**values)
