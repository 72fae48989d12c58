"""Typed results of the insights capability (light: no numpy, pandas or SQLAlchemy here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Recommendation:
    """A next action and the fact that calls for it; higher ``priority`` comes first."""

    action: str
    reason: str
    priority: int
    kind: str  # escalate_ticket, overdue_call, shorter_terms, qbr, renewal, upsell, support_review, check_in


@dataclass
class Reason:
    """One churn driver in words, with the model feature behind it and its weight."""

    text: str
    feature: str
    category: str  # engagement, payment, support, profile
    weight: float  # signed log-odds contribution (model) or points (rule-based estimate)


@dataclass
class Component:
    """A health component: its 0-100 score, its sub-scores and the facts behind them."""

    name: str  # engagement, payment, support
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    facts: dict[str, float | int | None] = field(default_factory=dict)


@dataclass
class CompanyInsight:
    """Everything the insight card shows about one customer company."""

    company_id: int
    company_name: str
    owner_name: str | None
    health_score: float
    band: str  # green, yellow, red
    band_note: str | None  # why the band was capped, if it was
    components: list[Component]
    churn_probability: float
    churn_risk: str  # low, medium, high
    churn_method: str  # model or rules
    reasons: list[Reason]
    predicted_churn_date: date | None
    ltv: float
    predicted_ltv_12m: float
    ltv_method: str  # bgnbd or trailing_12m
    recommendations: list[Recommendation]
    computed_at: str
    computed_now: bool = False  # True when computed on the fly (no refresh had run)
    weights: dict[str, float] = field(default_factory=dict)  # component weights (percent) used
    open_balance: float | None = None  # what the account owes today on sent invoices (None: not looked up)
    open_invoices: int = 0


@dataclass
class HealthModel:
    """How the health score is calculated with the settings in use (for "how is health calculated")."""

    weights: dict[str, float]  # percent per component: engagement, payment, support
    green_min: float
    yellow_min: float
    component_floor: float
    serious_overdue_days: int
    source: str  # defaults, settings, or the health model file's path
    parts: dict[str, dict[str, float]] = field(default_factory=dict)  # sub-score weights per component


@dataclass
class AtRiskAccount:
    company_id: int
    company_name: str
    owner_name: str | None
    churn_probability: float
    churn_risk: str
    health_score: float
    band: str
    top_reason: str | None
    predicted_ltv_12m: float


@dataclass
class AtRiskList:
    """A ranked list of accounts at risk of churning, with the scope it was asked for."""

    title: str
    accounts: list[AtRiskAccount]
    total_customers: int
    computed_at: str | None
    note: str | None = None


@dataclass
class RefreshSummary:
    """What `crmbot insights refresh` did."""

    companies: int
    as_of: date
    seconds: float
    churn_method: str
    model_auc: float | None
    rules_auc: float | None
    ltv_method: str
    bands: dict[str, int]
    risks: dict[str, int]
    alerts: list[Alert] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Alert:
    """A company that crossed into high churn risk or lost health since the previous run."""

    company_id: int
    company_name: str
    owner_id: int | None
    owner_slack_id: str | None
    kind: str  # high_risk, health_drop
    text: str
