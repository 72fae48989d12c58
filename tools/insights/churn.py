"""Churn risk: a model trained on the database's own history, or a transparent rule-based estimate.

Training data are point-in-time snapshots: every ``snapshot_every_days`` over the history, each
company that was a customer at snapshot date S gets the facts of ``tools.insights.facts``
computed from data before S only, and the label "churned within ``churn_horizon_days`` after S".
Snapshots whose horizon is not over yet are left out (their label is unknown).

Evaluation is a time-based holdout: the latest quarter of snapshot dates is the test set, and
the model is trained on snapshots at least one horizon older than the first test date, so no
training label looks into the test period. The rule-based estimate is scored on the same test
set. The model kept for scoring is then refit on every labelled snapshot.

Predicted churn date: with a constant hazard over the horizon, p = 1 - exp(-h H), so
h = -ln(1 - p) / H and the median time to churn is ln 2 / h. It is given for medium and high
risk only (for low risk it would be years away, which predicts nothing), capped at two years.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from db.models import Company
from tools.insights.config import InsightConfig
from tools.insights.facts import load_facts, size_norms, with_norms
from tools.insights.results import Reason

RISK_LEVELS = ("low", "medium", "high")
MAX_PREDICTED_DAYS = 730


# ------------------------------------------------------------------ features and their sentences


def _n(value) -> int:
    return int(round(float(value)))


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def _rate(per_quarter: float) -> str:
    return f"{per_quarter:.1f}" if per_quarter < 2 else f"{per_quarter:.0f}"


def _days_ago(days: float) -> str:
    return "over a year" if days >= 365 else f"{_n(days)} days"


def _meeting_gap(f) -> str | None:
    if f["days_since_meeting"] < 30:
        return None
    before = f["meetings_per_quarter_before"]
    tail = f", down from {_rate(before)} a quarter" if before > 0 else ""
    return f"no meeting in {_days_ago(f['days_since_meeting'])}{tail}"


def _activity_gap(f) -> str | None:
    if f["days_since_activity"] < 21:
        return None
    return f"no email, call or meeting in {_days_ago(f['days_since_activity'])}"


def _activity_drop(f) -> str | None:
    now, before, typical = f["activities_90"], f["activities_prev_90"], f["typical_activities_90"]
    if before > now:
        drop = 100 * (before - now) / before
        return f"activity down {drop:.0f}% on the previous 90 days ({_n(now)} vs {_n(before)})"
    if typical > 0 and now < 0.75 * typical:
        return f"{_plural(_n(now), 'activity')} in 90 days, below the {typical:.0f} typical for its size"
    return None


def _meetings_drop(f) -> str | None:
    now, before = f["meetings_90"], f["meetings_per_quarter_before"]
    if before > now:
        return f"{_plural(_n(now), 'meeting')} in the last 90 days, down from {_rate(before)} a quarter"
    return None


def _few_contacts(f) -> str | None:
    n = _n(f["contacts_90"])
    return f"only {_plural(n, 'contact')} engaged in 90 days" if n <= 1 else None


def _narrow_touch(f) -> str | None:
    if _n(f["types_90"]) == 0:
        return f"no email, call or meeting in the last 90 days ({_n(f['activities_prev_90'])} the 90 before)"
    return "one kind of touch only (email, call or meeting) in 90 days" if _n(f["types_90"]) == 1 else None


def _late_share(f) -> str | None:
    due, on_time = _n(f["invoices_due_365"]), _n(f["invoices_on_time_365"])
    late = due - on_time
    return f"{late} of {_plural(due, 'invoice')} paid late in the last year" if late > 0 else None


def _late_30(f) -> str | None:
    n = _n(f["invoices_late_30_365"])
    return f"{_plural(n, 'invoice')} paid 30+ days late" if n > 0 else None


def _days_beyond_terms(f) -> str | None:
    days = f["weighted_days_late"]
    return f"invoices paid {days:.0f} days beyond terms on average" if days >= 5 else None


def _overdue(f) -> str | None:
    if f["overdue_amount"] <= 0.005:
        return None
    return f"${f['overdue_amount']:,.0f} overdue now, the oldest {_n(f['max_days_overdue'])} days past due"


def _ticket_volume(f) -> str | None:
    n, typical = _n(f["tickets_180"]), f["typical_tickets_180"]
    if n == 0:
        return None
    if typical > 0 and n > 1.2 * typical:
        return f"{_plural(n, 'support ticket')} in 6 months, {n / typical:.1f}x typical for its size"
    return f"{_plural(n, 'support ticket')} in 6 months"


def _urgent_tickets(f) -> str | None:
    n = _n(f["urgent_high_90"])
    return f"{_plural(n, 'urgent or high-priority ticket')} in 90 days" if n > 0 else None


def _urgent_open(f) -> str | None:
    n = _n(f["urgent_open_over_week"])
    return f"{_plural(n, 'urgent ticket')} open for over a week" if n > 0 else None


def _open_backlog(f) -> str | None:
    n = _n(f["open_over_week"])
    return f"{_plural(n, 'ticket')} open for over a week" if n > 0 else None


def _slow_resolution(f) -> str | None:
    hours = f["resolution_hours"]
    if hours != hours or hours < 24:  # NaN or fast
        return None
    return f"tickets take {hours / 24:.1f} days to resolve on average"


def _low_csat(f) -> str | None:
    csat = f["csat"]
    return f"CSAT {csat:.1f} of 5" if csat == csat and csat < 4 else None


def _short_tenure(f) -> str | None:
    months = f["tenure_days"] / 30.4
    return f"a customer for only {months:.0f} months" if months == months and months < 12 else None


def _small_account(f) -> str | None:
    n = f["employee_count"]
    return f"a small account ({_n(n)} employees)" if n == n and n < 50 else None


@dataclass(frozen=True)
class Feature:
    name: str
    category: str  # engagement, payment, support, profile
    sentence: Callable[[dict], str | None]


FEATURES = (
    Feature("days_since_meeting", "engagement", _meeting_gap),
    Feature("days_since_activity", "engagement", _activity_gap),
    Feature("activities_90", "engagement", _activity_drop),
    Feature("activity_trend", "engagement", _activity_drop),
    Feature("activity_vs_typical", "engagement", _activity_drop),
    Feature("meetings_90", "engagement", _meetings_drop),
    Feature("meetings_per_quarter_before", "engagement", _meetings_drop),
    Feature("contacts_90", "engagement", _few_contacts),
    Feature("types_90", "engagement", _narrow_touch),
    Feature("on_time_share", "payment", _late_share),
    Feature("invoices_late_30_365", "payment", _late_30),
    Feature("weighted_days_late", "payment", _days_beyond_terms),
    Feature("overdue_amount", "payment", _overdue),
    Feature("max_days_overdue", "payment", _overdue),
    Feature("tickets_180", "support", _ticket_volume),
    Feature("tickets_vs_typical", "support", _ticket_volume),
    Feature("urgent_high_90", "support", _urgent_tickets),
    Feature("urgent_open_over_week", "support", _urgent_open),
    Feature("open_over_week", "support", _open_backlog),
    Feature("resolution_hours", "support", _slow_resolution),
    Feature("csat", "support", _low_csat),
    Feature("tenure_days", "profile", _short_tenure),
    Feature("employee_count", "profile", _small_account),
)
FEATURE_BY_NAME = {f.name: f for f in FEATURES}


def add_model_columns(facts: pd.DataFrame) -> pd.DataFrame:
    """The derived columns the model and the sentences need (ratios, shares), vectorized."""
    out = facts.copy()
    out["activity_trend"] = (out["activities_90"] + 1.0) / (out["activities_prev_90"] + 1.0)
    out["activity_vs_typical"] = out["activities_90"] / np.maximum(out["typical_activities_90"], 1.0)
    out["tickets_vs_typical"] = out["tickets_180"] / np.maximum(out["typical_tickets_180"], 1.0)
    due = out["invoices_due_365"]
    out["on_time_share"] = np.where(due > 0, out["invoices_on_time_365"] / due.where(due > 0, 1.0), np.nan)
    amount = out["amount_due_365"]
    out["weighted_days_late"] = np.where(
        amount > 0, out["amount_days_late_365"] / amount.where(amount > 0, 1.0), 0.0
    )
    return out


def feature_frame(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[[f.name for f in FEATURES]].astype(float)


# ------------------------------------------------------------------ the rule-based estimate


@dataclass(frozen=True)
class Rule:
    points: int
    feature: str
    test: Callable[[pd.DataFrame], np.ndarray]


RULES = (
    Rule(25, "days_since_activity", lambda f: f["days_since_activity"].to_numpy() >= 60),
    Rule(
        15,
        "activity_trend",
        lambda f: (
            (f["activities_prev_90"].to_numpy() >= 2)
            & (f["activities_90"].to_numpy() <= 0.5 * f["activities_prev_90"].to_numpy())
        ),
    ),
    Rule(20, "invoices_late_30_365", lambda f: f["invoices_late_30_365"].to_numpy() >= 2),
    Rule(15, "max_days_overdue", lambda f: f["max_days_overdue"].to_numpy() >= 30),
    Rule(15, "urgent_open_over_week", lambda f: f["urgent_open_over_week"].to_numpy() >= 1),
    Rule(10, "csat", lambda f: np.nan_to_num(f["csat"].to_numpy(), nan=5.0) < 3),
)
RULES_DOC = (
    "Rule-based estimate (not enough history to train a model): 2% plus points for no email, call or "
    "meeting in 60+ days (25), activity halved on the previous 90 days (15), 2+ invoices paid 30+ days "
    "late in a year (20), a balance 30+ days past due (15), an urgent ticket open over a week (15), "
    "CSAT below 3 (10); 100 points = certain churn, capped at 95%."
)


def rule_points(facts: pd.DataFrame) -> np.ndarray:
    """Points per rule, shape (n, len(RULES))."""
    return np.stack([np.where(rule.test(facts), rule.points, 0) for rule in RULES], axis=1).astype(float)


def rule_probability(facts: pd.DataFrame) -> np.ndarray:
    return np.clip(0.02 + rule_points(facts).sum(axis=1) / 100.0, 0.02, 0.95)


def rule_reasons(facts: pd.DataFrame, top: int = 3) -> list[list[Reason]]:
    points = rule_points(facts)
    records = facts.to_dict("records")
    out = []
    for i, row in enumerate(records):
        fired = [
            (points[i, j], RULES[j].feature)
            for j in np.argsort(-points[i], kind="stable")
            if points[i, j] > 0
        ]
        out.append(_sentences(row, fired, top))
    return out


# ------------------------------------------------------------------ reasons, levels, dates


def _sentences(row: dict, weighted_features, top: int) -> list[Reason]:
    """Sentences for the strongest risk-raising features: the strongest of each category first
    (so a payment or support signal is not crowded out by three ways of saying "quiet"), then the rest."""
    candidates, seen = [], set()
    for weight, name in sorted(weighted_features, key=lambda wn: -wn[0]):
        feature = FEATURE_BY_NAME.get(name.split("=", 1)[0])
        if feature is None or weight <= 0:
            continue
        text = feature.sentence(row)
        if text is None or text in seen:
            continue
        seen.add(text)
        candidates.append(
            Reason(text=text, feature=feature.name, category=feature.category, weight=float(weight))
        )
    firsts, categories = [], set()
    for reason in candidates:
        if reason.category not in categories:
            categories.add(reason.category)
            firsts.append(reason)
    chosen = (firsts + [r for r in candidates if r not in firsts])[:top]
    return sorted(chosen, key=lambda r: -r.weight)


def model_reasons(model, facts: pd.DataFrame, top: int = 3) -> list[list[Reason]]:
    explained = model.explain(feature_frame(facts), top=10)
    records = facts.to_dict("records")
    return [
        _sentences(row, [(w, name) for name, w in factors], top)
        for row, factors in zip(records, explained, strict=True)
    ]


def risk_levels(probability: np.ndarray, config: InsightConfig) -> np.ndarray:
    p = np.asarray(probability, dtype=float)
    level = (p >= config.churn_medium_min).astype(int) + (p >= config.churn_high_min).astype(int)
    return np.asarray(RISK_LEVELS, dtype=object)[level]


def days_to_churn(probability: np.ndarray, horizon_days: int) -> np.ndarray:
    """Median days to churn under a constant hazard matching ``probability`` over the horizon."""
    p = np.clip(np.asarray(probability, dtype=float), 1e-6, 1 - 1e-6)
    hazard = -np.log1p(-p) / horizon_days
    return np.minimum(np.log(2.0) / hazard, MAX_PREDICTED_DAYS)


def predicted_churn_dates(probability, levels, today: date, config: InsightConfig) -> list[date | None]:
    days = days_to_churn(probability, config.churn_horizon_days)
    return [
        today + timedelta(days=int(round(d))) if level != "low" else None
        for d, level in zip(days, levels, strict=True)
    ]


# ------------------------------------------------------------------ training on history


@dataclass
class ChurnTraining:
    """The snapshots, the holdout comparison and (when history allowed) the fitted model."""

    method: str  # model or rules
    n_snapshots: int
    n_churned_companies: int
    snapshot_dates: list[date]
    model: object | None = None
    model_auc: float | None = None
    rules_auc: float | None = None
    n_train: int = 0
    n_test: int = 0
    note: str | None = None
    metrics: dict = field(default_factory=dict)


def snapshot_dates(
    first_customer: date, today: date, config: InsightConfig, every_days: int = 91
) -> list[date]:
    """Snapshot dates from 90 days after the first customer to one horizon before today."""
    last = today - timedelta(days=config.churn_horizon_days)
    start = first_customer + timedelta(days=90)
    dates, day = [], last
    while day >= start:
        dates.append(day)
        day -= timedelta(days=every_days)
    return sorted(dates)


def build_snapshots(
    conn: Connection, today: date, config: InsightConfig, *, max_companies: int = 5_000, every_days: int = 91
) -> pd.DataFrame:
    """Point-in-time facts and labels for companies that were customers at each snapshot date."""
    c = Company.__table__
    first, n_customers = conn.execute(
        select(func.min(c.c.customer_since), func.count()).where(c.c.customer_since.is_not(None))
    ).one()
    if first is None:
        return pd.DataFrame()
    if isinstance(first, str):
        first = date.fromisoformat(first[:10])
    dates = snapshot_dates(first, today, config, every_days)
    if not dates:
        return pd.DataFrame()
    stride = max(1, math.ceil(n_customers / max_companies))
    sample = (lambda column: column % stride == 0) if stride > 1 else None
    facts = load_facts(conn, dates, history=True, company_filter=sample)
    if facts.empty:
        return facts
    facts = add_model_columns(with_norms(facts, size_norms(facts)))
    churned = pd.to_datetime(facts["churned_at"], errors="coerce")
    as_of = pd.to_datetime(facts["as_of_date"])
    horizon = pd.Timedelta(days=config.churn_horizon_days)
    facts["churned"] = ((churned >= as_of) & (churned < as_of + horizon)).to_numpy().astype(int)
    return facts


def single_threaded():
    """Run native thread pools on one thread: with a few thousand rows, OpenMP threads only contend
    (the gradient boosting fit took 28 s instead of 0.6 s on a busy 2-core machine)."""
    from threadpoolctl import threadpool_limits

    import tools.ml  # noqa: F401 - load the native libraries first: limits apply to those loaded

    return threadpool_limits(limits=1)


def train_churn(snapshots: pd.DataFrame, config: InsightConfig, *, trained_at=None) -> ChurnTraining:
    """Holdout comparison of model and rules, then a model refit on all snapshots (if history allows)."""
    with single_threaded():
        return _train_churn(snapshots, config, trained_at)


def _train_churn(snapshots: pd.DataFrame, config: InsightConfig, trained_at) -> ChurnTraining:
    from tools.ml import TabularClassifier, roc_auc

    if snapshots.empty:
        return ChurnTraining("rules", 0, 0, [], note="no customer history to learn from")
    dates = sorted(snapshots["as_of_date"].unique())
    churned_companies = int(snapshots.loc[snapshots["churned"] == 1, "company_id"].nunique())
    training = ChurnTraining("rules", len(snapshots), churned_companies, list(dates))
    test_dates = dates[-max(1, len(dates) // 4) :]
    cutoff = test_dates[0] - timedelta(days=config.churn_horizon_days)
    is_test = snapshots["as_of_date"].isin(test_dates).to_numpy()
    is_train = (snapshots["as_of_date"] <= cutoff).to_numpy()
    y = snapshots["churned"].to_numpy()
    if y[is_train].sum() < 5:  # too little before the gap: train right up to the test period
        is_train = ~is_test
    training.n_train, training.n_test = int(is_train.sum()), int(is_test.sum())
    if len(np.unique(y[is_test])) == 2:
        training.rules_auc = roc_auc(y[is_test], rule_probability(snapshots[is_test]))
    too_thin = churned_companies < config.min_churned_companies or len(snapshots) < config.min_snapshots
    if too_thin or len(np.unique(y[is_train])) < 2:
        training.note = (
            f"history too thin to train ({churned_companies} churned companies, {len(snapshots)} snapshots; "
            f"need {config.min_churned_companies} and {config.min_snapshots})"
        )
        return training
    X = feature_frame(snapshots)
    kind = "auto"
    if len(np.unique(y[is_test])) == 2:
        holdout = TabularClassifier(cv=3, random_state=0).fit(X[is_train], y[is_train])
        training.model_auc = roc_auc(y[is_test], holdout.predict_proba(X[is_test])[:, 1])
        kind = holdout.model_name_  # the final fit reuses the holdout's choice of model
    training.model = TabularClassifier(model=kind, cv=3, random_state=0).fit(X, y, trained_at=trained_at)
    training.method = "model"
    training.metrics = {
        "holdout_auc_model": training.model_auc,
        "holdout_auc_rules": training.rules_auc,
        "n_snapshots": training.n_snapshots,
        "n_churned_companies": churned_companies,
        "n_train": training.n_train,
        "n_test": training.n_test,
        "test_dates": [d.isoformat() for d in test_dates],
        "model": getattr(training.model, "model_name_", None),
        "horizon_days": config.churn_horizon_days,
    }
    return training


def score_churn(
    facts: pd.DataFrame, training_model, config: InsightConfig, *, top: int = 3
) -> tuple[np.ndarray, list[list[Reason]], str]:
    """Churn probability and reasons per company: from the model if there is one, else the rules."""
    if training_model is not None:
        with single_threaded():
            probability = training_model.predict_proba(feature_frame(facts))[:, 1]
            return probability, model_reasons(training_model, facts, top), "model"
    return rule_probability(facts), rule_reasons(facts, top), "rules"
