"""The cold-start fit score: transparent points for who the lead is, used until there is data.

With too few closed leads a trained model would mostly learn noise, so leads get points a
sales team would agree with on sight (a referral beats a paid ad, a VP beats an intern, a
free-mail address is a weaker signal). The score is labelled "fit score" everywhere and
carries no probability: it ranks, it does not predict a rate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tools.leads.reasons import phrase_for
from tools.leads.results import Reason

MIN_CLOSED_LEADS = 200
MIN_CONVERSIONS = 40
BASE_POINTS = 35

SOURCE_POINTS = {"referral": 20, "partner": 14, "event": 10, "website": 6, "paid_ads": 0, "outbound": -4}
SENIORITY_POINTS = {
    "c_level": 16,
    "vp": 16,
    "head": 12,
    "director": 12,
    "manager": 6,
    "senior_ic": 2,
    "ic": 0,
    "intern": -15,
    "unknown": -4,
}
FREE_MAIL_POINTS = -12
CUSTOMER_POINTS = 12
OPEN_DEAL_POINTS = 5
CONTACT_ACTIVITY_POINTS = 5


def size_points(log_employees: np.ndarray) -> np.ndarray:
    """Small shops buy less often; mid-size and large companies earn points."""
    employees = np.power(10.0, np.nan_to_num(log_employees, nan=0.0))
    points = np.select(
        [employees >= 1000, employees >= 200, employees >= 50, employees >= 11], [10, 12, 8, 3], 0
    )
    return np.where(np.isnan(log_employees), -2, points)


def cold_start_message(n_closed: int, n_converted: int) -> str:
    """Why there is no trained model yet and how much data it needs."""
    return (
        f"Using the fit score (points for source, title, company size and email), not a trained model: "
        f"the model needs at least {MIN_CLOSED_LEADS} closed leads (converted or disqualified) with at least "
        f"{MIN_CONVERSIONS} conversions, and this database has {n_closed} closed and {n_converted} converted."
    )


def needs_cold_start(n_closed: int, n_converted: int) -> bool:
    return n_closed < MIN_CLOSED_LEADS or n_converted < MIN_CONVERSIONS


def points_table(features: pd.DataFrame) -> pd.DataFrame:
    """Points per rule per lead (columns named like model factors, so reasons read the same)."""
    source = features["source"].map(SOURCE_POINTS).fillna(0).to_numpy(dtype=float)
    seniority = features["seniority"].map(SENIORITY_POINTS).fillna(0).to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "source": source,
            "seniority": seniority,
            "log_employees": size_points(features["log_employees"].to_numpy(dtype=float)),
            "free_mail": np.where(features["free_mail"].to_numpy(dtype=bool), FREE_MAIL_POINTS, 0),
            "company_is_customer": np.where(
                features["company_is_customer"].to_numpy(dtype=bool), CUSTOMER_POINTS, 0
            ),
            "company_open_deals": np.where(
                features["company_open_deals"].to_numpy() > 0, OPEN_DEAL_POINTS, 0
            ),
            "contact_activities": np.where(
                features["contact_activities"].to_numpy() > 0, CONTACT_ACTIVITY_POINTS, 0
            ),
        },
        index=features.index,
    )


def fit_scores(features: pd.DataFrame) -> np.ndarray:
    """The 1-99 fit score of each lead."""
    total = BASE_POINTS + points_table(features).sum(axis=1).to_numpy()
    return np.clip(np.round(total), 1, 99).astype(int)


def _factor_name(column: str, row: dict) -> str:
    value = row.get(column)
    if column in ("source", "seniority"):
        return (
            f"{column}=missing"
            if value is None or (isinstance(value, float) and math.isnan(value))
            else f"{column}={value}"
        )
    if column in ("free_mail", "company_is_customer"):
        return f"{column}={bool(value)}"
    return column


def fit_reasons(features: pd.DataFrame, top: int = 3) -> list[list[Reason]]:
    """The rules that moved each lead's fit score most, in words with their direction."""
    points = points_table(features)
    rows = features.to_dict("records")
    result = []
    for i, row in enumerate(rows):
        item = points.iloc[i]
        ranked = item[item != 0].abs().sort_values(ascending=False, kind="stable").index[:top]
        result.append(
            [
                Reason(
                    phrase_for(_factor_name(column, row), row),
                    "+" if item[column] > 0 else "-",
                    float(item[column]),
                )
                for column in ranked
            ]
        )
    return result
