"""Next actions that follow from the facts, each with its reason, ranked by priority.

Every rule is a vectorized test over all companies; only the wording is done per company.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from tools.insights.results import Recommendation

RENEWAL_WINDOW_DAYS = 60


def next_renewal_days(customer_since: pd.Series, today: date) -> np.ndarray:
    """Days until the next anniversary of customer_since (NaN when unknown); Feb 29 counts as Feb 28."""
    since = pd.to_datetime(customer_since, errors="coerce")
    month = since.dt.month.fillna(1).astype(int)
    day = since.dt.day.fillna(1).astype(int).where(~((month == 2) & (since.dt.day == 29)), 28)
    this_year = pd.to_datetime(pd.DataFrame({"year": today.year, "month": month, "day": day}))
    next_year = pd.to_datetime(pd.DataFrame({"year": today.year + 1, "month": month, "day": day}))
    anniversary = this_year.where(this_year >= pd.Timestamp(today), next_year)
    days = (anniversary - pd.Timestamp(today)).dt.days.astype(float)
    return np.where(since.isna(), np.nan, days)


def recommendation_masks(scored: pd.DataFrame, today: date) -> dict[str, np.ndarray]:
    """Which companies each rule fires for (vectorized)."""
    f = scored
    renewal_days = next_renewal_days(f["customer_since"], today)
    quiet = (f["days_since_meeting"] >= 60) | (
        (f["activities_prev_90"] >= 3) & (f["activities_90"] <= 0.5 * f["activities_prev_90"])
    )
    return {
        "escalate_ticket": (f["oldest_urgent_open_days"] >= 3).to_numpy(),
        "overdue_call": ((f["overdue_amount"] > 0.005) & (f["max_days_overdue"] >= 15)).to_numpy(),
        "shorter_terms": ((f["invoices_late_30_365"] >= 2) | (f["weighted_days_late"] >= 15)).to_numpy(),
        "qbr": quiet.to_numpy(),
        "renewal": (renewal_days <= RENEWAL_WINDOW_DAYS) & (f["tenure_days"].to_numpy() >= 300),
        "support_review": (
            (np.nan_to_num(f["csat"].to_numpy(), nan=5.0) < 3.5)
            | (np.nan_to_num(f["resolution_hours"].to_numpy(), nan=0.0) > 72)
        ),
        "upsell": (
            (f["band"] == "green")
            & (f["churn_risk"] == "low")
            & (f["activity_vs_typical"] >= 1.0)
            & (f["tenure_days"] >= 180)
        ).to_numpy(),
        "check_in": (f["churn_risk"] == "high").to_numpy() & ~quiet.to_numpy(),
        "_renewal_days": renewal_days,
    }


def _wording(kind: str, row: dict, today: date) -> Recommendation:
    """The action and its reason for one company, from its facts."""
    if kind == "escalate_ticket":
        days, n = int(row["oldest_urgent_open_days"]), int(row["urgent_open_over_week"])
        extra = f" ({n} urgent tickets open over a week)" if n > 1 else ""
        return Recommendation(
            f"Escalate the urgent ticket open for {days} days",
            f"an urgent/high-priority ticket has been open {days} days{extra}",
            95,
            kind,
        )
    if kind == "overdue_call":
        days = int(row["max_days_overdue"])
        return Recommendation(
            f"Call about the ${row['overdue_amount']:,.0f} overdue balance",
            f"the oldest unpaid invoice is {days} days past due",
            90 if days >= 30 else 70,
            kind,
        )
    if kind == "shorter_terms":
        late = int(row["invoices_late_30_365"])
        reason = (
            f"{late} invoices paid 30+ days late in the last year"
            if late >= 2
            else f"invoices paid {row['weighted_days_late']:.0f} days beyond terms on average"
        )
        return Recommendation("Offer shorter payment terms or autopay", reason, 60, kind)
    if kind == "qbr":
        if row["days_since_meeting"] >= 60:
            gap = (
                "over a year"
                if row["days_since_meeting"] >= 365
                else f"{int(row['days_since_meeting'])} days"
            )
            reason = f"no meeting in {gap}"
        else:
            reason = f"activity down to {int(row['activities_90'])} in 90 days from {int(row['activities_prev_90'])}"
        return Recommendation(
            "Book a QBR: the account has gone quiet", reason, 80 if row["churn_risk"] == "high" else 65, kind
        )
    if kind == "renewal":
        days = int(row["_renewal_days"])
        when = today + timedelta(days=days)
        return Recommendation(
            f"Prepare the renewal on {when.isoformat()}",
            f"renewal in {days} days, health {row['health_score']:.0f} ({row['band']})",
            75 if row["band"] != "green" else 55,
            kind,
        )
    if kind == "support_review":
        csat, hours = row["csat"], row["resolution_hours"]
        reason = (
            f"CSAT {csat:.1f} of 5"
            if csat == csat and csat < 3.5
            else f"tickets take {hours / 24:.1f} days to resolve"
        )
        return Recommendation("Review the support experience with their team", reason, 50, kind)
    if kind == "upsell":
        return Recommendation(
            "Propose an upsell or expansion",
            f"health {row['health_score']:.0f} and activity {row['activity_vs_typical']:.1f}x typical for its size",
            40,
            kind,
        )
    return Recommendation(
        "Schedule an executive check-in",
        f"churn risk {row['churn_probability']:.0%} within 6 months",
        70,
        kind,
    )


def recommendations(scored: pd.DataFrame, today: date, top: int = 4) -> list[list[Recommendation]]:
    """Ranked recommendations per company (same order as ``scored``)."""
    masks = recommendation_masks(scored, today)
    renewal_days = masks.pop("_renewal_days")
    kinds = list(masks)
    fired = np.stack([masks[k] for k in kinds], axis=1)
    out: list[list[Recommendation]] = [[] for _ in range(len(scored))]
    rows_with_any = np.flatnonzero(fired.any(axis=1))
    if len(rows_with_any) == 0:
        return out
    subset = scored.iloc[rows_with_any].assign(_renewal_days=renewal_days[rows_with_any])
    for position, row in zip(rows_with_any, subset.to_dict("records"), strict=True):
        recs = [_wording(kinds[j], row, today) for j in np.flatnonzero(fired[position])]
        out[position] = sorted(recs, key=lambda r: -r.priority)[:top]
    return out
