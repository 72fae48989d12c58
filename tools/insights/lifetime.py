"""Lifetime value: collected to date, and predicted for the next 12 months.

The prediction fits BG/NBD (how often a company pays) and Gamma-Gamma (how much per payment day)
on every company's payments up to today, in weeks, and multiplies the expected payment days in
the next 52 weeks by the expected amount. Churned companies stay in the fit: they are what
teaches it how customers drop out. When the fit is impossible or does not converge (fewer than
``MIN_REPEAT_BUYERS`` companies that paid on two or more days), the prediction falls back to the
last 12 months' revenue, and says so.

The fitted parameters are kept (``LifetimeValues.params``, stored with the refresh's run), so
that the worker can value one company with the population's fit, without fitting again.
Notes are in plain words: they are printed by `crmbot insights refresh`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Float, String, cast, func, select, type_coerce
from sqlalchemy.engine import Connection

from db.models import Payment

MIN_REPEAT_BUYERS = 20
MAX_FIT_COMPANIES = 2_000
NO_DROPOUT_A = 1_000.0
HORIZON_WEEKS = 52.0
PERIOD_DAYS = 7.0


@dataclass
class LifetimeValues:
    table: pd.DataFrame  # index company_id: ltv, revenue_12m, predicted_ltv_12m
    method: str  # bgnbd or trailing_12m
    note: str
    params: dict  # {"method": ..., and for bgnbd: "bgnbd", "gamma_gamma", "nbd_limit", "spend", ...}


def load_daily_payments(conn: Connection, today: date, company_ids=None) -> pd.DataFrame:
    """Payments summed per company and day, up to today (one GROUP BY); all companies or a selection."""
    p = Payment.__table__
    # the day as text: parsing 500,000 dates in pandas is ten times faster than row by row in Python
    query = (
        select(
            p.c.company_id,
            type_coerce(p.c.paid_at, String),
            cast(func.sum(p.c.amount), Float).label("amount"),
        )
        .where(p.c.company_id.is_not(None), p.c.paid_at <= today)
        .group_by(p.c.company_id, p.c.paid_at)
    )
    if company_ids is not None:
        query = query.where(p.c.company_id.in_([int(c) for c in company_ids]))
    result = conn.execute(query)
    frame = pd.DataFrame.from_records(result.fetchall(), columns=["company_id", "paid_at", "amount"])
    frame["paid_at"] = pd.to_datetime(frame["paid_at"].astype(str).str.slice(0, 10))
    frame["amount"] = frame["amount"].astype(float)
    return frame


TRAILING = "the 12-month value is the last 12 months' revenue"


def _trailing(table: pd.DataFrame, note: str) -> LifetimeValues:
    return LifetimeValues(
        table.assign(predicted_ltv_12m=table["revenue_12m"]), "trailing_12m", note, {"method": "trailing_12m"}
    )


def lifetime_values(payments: pd.DataFrame, today: date, params: dict | None = None) -> LifetimeValues:
    """LTV to date, trailing-12-month revenue and the 12-month prediction for every paying company.

    Without ``params`` the models are fitted on ``payments`` (the whole base); with the params of
    an earlier fit, ``payments`` may hold a few companies only and nothing is fitted.
    """
    from tools.insights.ltv import summary_from_transactions

    by_company = payments.groupby("company_id")["amount"]
    recent = payments["paid_at"] > pd.Timestamp(today - timedelta(days=365))
    table = pd.DataFrame(
        {
            "ltv": by_company.sum(),
            "revenue_12m": payments[recent].groupby("company_id")["amount"].sum(),
        }
    ).fillna(0.0)
    if params is not None and params.get("method") != "bgnbd":
        return _trailing(table, "Lifetime value: " + TRAILING + " (as in the last full refresh).")
    if table.empty:
        return _trailing(table, "Lifetime value: no payments yet, so the 12-month value is 0.")
    summary = summary_from_transactions(
        payments["company_id"], payments["paid_at"], payments["amount"], pd.Timestamp(today), PERIOD_DAYS
    )
    if params is not None:
        predicted = _apply(summary, params)
        if not np.all(np.isfinite(predicted)) or np.any(predicted < 0):
            return _trailing(
                table, "Lifetime value: the stored payment model gave no usable value; " + TRAILING + "."
            )
        table["predicted_ltv_12m"] = (
            pd.Series(predicted, index=summary.index).reindex(table.index).fillna(0.0)
        )
        return LifetimeValues(
            table, "bgnbd", "Lifetime value: the last full refresh's payment model.", params
        )
    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(repeaters) < MIN_REPEAT_BUYERS:
        return _trailing(
            table,
            f"Lifetime value: few repeat payments yet ({len(repeaters)} companies paid on two or more days, "
            f"{MIN_REPEAT_BUYERS} needed), so {TRAILING}.",
        )
    try:
        params, notes = _fit(summary, repeaters)
        predicted = _apply(summary, params)
    except (ValueError, FloatingPointError, RuntimeError) as exc:
        return _trailing(
            table, f"Lifetime value: the payment model could not be fitted ({exc}), so {TRAILING}."
        )
    problem = _implausible(predicted, table["revenue_12m"].sum())
    if problem:
        return _trailing(table, f"Lifetime value: the payment model {problem}, so {TRAILING}.")
    table["predicted_ltv_12m"] = pd.Series(predicted, index=summary.index).reindex(table.index).fillna(0.0)
    note = (
        f"Lifetime value: predicted from how often and how much {len(summary):,} paying companies paid "
        f"({len(repeaters):,} paid on more than one day)"
    )
    note += "".join(f"; {n}" for n in notes) + "."
    return LifetimeValues(table, "bgnbd", note, params)


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    """The parameters are population-level: a deterministic sample fits them as well, faster; whole
    weeks let the fit group identical customers (it works on distinct rows)."""
    sample = frame if len(frame) <= MAX_FIT_COMPANIES else frame.sample(MAX_FIT_COMPANIES, random_state=0)
    return sample.round({"recency": 0, "T": 0})


def _fit(summary: pd.DataFrame, repeaters: pd.DataFrame) -> tuple[dict, list[str]]:
    """Fit BG/NBD and Gamma-Gamma; returns the parameters the prediction uses and notes in plain words."""
    from tools.insights.ltv import fit_bgnbd, fit_gamma_gamma

    notes = []
    with warnings.catch_warnings(record=True) as bg_warnings:
        warnings.simplefilter("always")
        bg = fit_bgnbd(*(_sample(summary)[c] for c in ("frequency", "recency", "T")))
    with warnings.catch_warnings(record=True) as gg_warnings:
        warnings.simplefilter("always")
        gg = fit_gamma_gamma(*(_sample(repeaters)[c] for c in ("frequency", "monetary_value")))
    params = {"method": "bgnbd", "bgnbd": bg, "gamma_gamma": gg}
    # Dropout is not identified when p ~ Beta(a, b) sits at ~0: BG/NBD reduces to the NBD model.
    params["nbd_limit"] = bool(bg["a"] > NO_DROPOUT_A and bg["b"] > NO_DROPOUT_A)
    if params["nbd_limit"]:
        notes.append(
            "no customer looks like they have stopped paying yet, so each is expected to keep paying at their own pace"
        )
    if gg["q"] > 1:
        params["spend"] = "pooled"
    else:
        # q <= 1: the fitted population mean spend is infinite; use each company's own mean per payment day
        params["spend"] = "own"
        params["own_mean_median"] = float(summary["monetary_value"].where(summary["frequency"] > 0).median())
        notes.append("payment sizes vary too much to pool, so each customer's own average payment is used")
    # a fit that did not settle matters only where its parameters are used in full
    unsettled = [w for w in bg_warnings if not params["nbd_limit"] and issubclass(w.category, RuntimeWarning)]
    unsettled += [
        w for w in gg_warnings if params["spend"] == "pooled" and issubclass(w.category, RuntimeWarning)
    ]
    if unsettled:
        notes.append("the fit did not fully settle, so treat the 12-month values as approximate")
    return params, notes


def _apply(summary: pd.DataFrame, params: dict) -> np.ndarray:
    """Expected payment days in 52 weeks x expected amount per payment day, per company."""
    from tools.insights.ltv import bgnbd_expected_purchases, gamma_gamma_expected_spend

    bg, gg = params["bgnbd"], params["gamma_gamma"]
    x, recency, T = summary["frequency"], summary["recency"], summary["T"]
    if params.get("nbd_limit"):
        # the NBD model's posterior purchase rate is (r + x) / (alpha + T)
        purchases = HORIZON_WEEKS * (bg["r"] + x.to_numpy()) / (bg["alpha"] + T.to_numpy())
    else:
        purchases = np.asarray(bgnbd_expected_purchases(bg, HORIZON_WEEKS, x, recency, T), dtype=float)
    if params.get("spend") == "own":
        own_mean = summary["monetary_value"].where(x > 0)
        spend = own_mean.fillna(params["own_mean_median"]).to_numpy()
    else:
        spend = np.asarray(gamma_gamma_expected_spend(gg, x, summary["monetary_value"]), dtype=float)
    return purchases * spend


def _implausible(predicted: np.ndarray, revenue_12m: float) -> str | None:
    """A sanity check of the whole prediction against last year's revenue."""
    if not np.all(np.isfinite(predicted)) or np.any(predicted < 0):
        return "gave non-finite or negative values"
    total = float(predicted.sum())
    if revenue_12m > 0 and not 0.05 * revenue_12m <= total <= 20 * revenue_12m:
        return f"predicted {total:,.0f} in total against {revenue_12m:,.0f} collected last year (implausible)"
    return None
