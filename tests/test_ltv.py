"""Tests for tools.insights.ltv: BG/NBD + Gamma-Gamma customer lifetime value on the CDNOW data."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tools.insights import ltv

DATA = Path(__file__).parent / "data" / "cdnow"
CDNOW_MASTER = Path("/work/shared/data/cdnow/CDNOW_master.txt")  # big raw log, lives outside the repo

# Fader, Hardie & Lee (2005) estimates on the CDNOW sample (2,357 customers, 39-week calibration).
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LOGLIK = -9582.4
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(DATA / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def cdnow_spend() -> pd.DataFrame:
    return pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def bg(cdnow: pd.DataFrame) -> dict[str, float]:
    return ltv.fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def gg(cdnow_spend: pd.DataFrame) -> dict[str, float]:
    return ltv.fit_gamma_gamma(cdnow_spend["x"], cdnow_spend["zbar"])


# ------------------------------------------------------------------------------------------------
# Published fits
# ------------------------------------------------------------------------------------------------


def test_bgnbd_reproduces_published_cdnow_fit(cdnow: pd.DataFrame) -> None:
    start = time.perf_counter()
    fit = ltv.fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    elapsed = time.perf_counter() - start
    assert set(fit) == {"r", "alpha", "a", "b", "loglik"}
    for name, published in PUBLISHED_BGNBD.items():
        assert fit[name] == pytest.approx(published, rel=0.01), name
    assert isinstance(fit["loglik"], float)
    assert fit["loglik"] == pytest.approx(PUBLISHED_LOGLIK, abs=0.5)
    assert elapsed < 2.0


def test_gamma_gamma_reproduces_published_cdnow_fit(cdnow_spend: pd.DataFrame) -> None:
    start = time.perf_counter()
    fit = ltv.fit_gamma_gamma(cdnow_spend["x"], cdnow_spend["zbar"])
    elapsed = time.perf_counter() - start
    for name, published in PUBLISHED_GG.items():
        assert fit[name] == pytest.approx(published, rel=0.01), name
    assert np.isfinite(fit["loglik"])
    assert elapsed < 2.0
    # Customers without repeat purchases are filtered inside: passing only the 946 repeat buyers is the same.
    repeat = cdnow_spend[cdnow_spend["x"] > 0]
    assert len(repeat) == 946
    refit = ltv.fit_gamma_gamma(repeat["x"].to_numpy(), repeat["zbar"].to_numpy())
    for name in ("p", "q", "v", "loglik"):
        assert refit[name] == pytest.approx(fit[name], rel=1e-6)


def _finite_difference_check(loglik, params: np.ndarray) -> None:
    _, grad = loglik(params)
    for i in range(len(params)):
        step = 1e-6 * params[i]
        up, down = params.copy(), params.copy()
        up[i] += step
        down[i] -= step
        numeric = (loglik(up)[0].sum() - loglik(down)[0].sum()) / (2 * step)
        assert grad[i].sum() == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_loglik_gradients_match_finite_differences(cdnow: pd.DataFrame, cdnow_spend: pd.DataFrame) -> None:
    x, tx, big_t = (cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    for params in ([0.243, 4.414, 0.793, 2.426], [1.7, 30.0, 2.5, 0.4]):
        _finite_difference_check(lambda p: ltv._bgnbd_loglik(p, x, tx, big_t), np.array(params))
    repeat = cdnow_spend[cdnow_spend["x"] > 0]
    xs, m = repeat["x"].to_numpy(float), repeat["zbar"].to_numpy(float)
    for params in ([6.25, 3.74, 15.44], [0.8, 12.0, 2.0]):
        _finite_difference_check(lambda p: ltv._gamma_gamma_loglik(p, xs, m), np.array(params))


# ------------------------------------------------------------------------------------------------
# Predictions
# ------------------------------------------------------------------------------------------------

# Reference values of E[Y(t) | x, t_x, T] computed with mpmath at 60 digits, where the hypergeometric
# closed form and direct integration over the Beta posterior of p agree. The cases exercise every code
# path: short horizons (series), scipy's 2F1, a == 1 (removable singularity), and parameters where
# scipy's 2F1 returns -inf/NaN (series and quadrature fallbacks).
_CDNOW_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
EXPECTED_PURCHASES_CASES = [
    (_CDNOW_PUBLISHED, 2, 30.43, 38.86, 39, 1.2260281747671445),
    (_CDNOW_PUBLISHED, 0, 0.0, 38.86, 1, 0.0055956578894840522),
    (_CDNOW_PUBLISHED, 500, 5000, 5000, 52, 5.168564214647295),
    (_CDNOW_PUBLISHED, 29, 35.0, 38.0, 5000, 203.82977823435854),
    ({"r": 0.5, "alpha": 4, "a": 1.0, "b": 2}, 3, 10, 20, 100, 2.5334832412286157),
    ({"r": 0.5, "alpha": 4, "a": 1.0 + 1e-9, "b": 2}, 3, 10, 20, 100, 2.5334832381144343),
    ({"r": 2, "alpha": 0.5, "a": 3, "b": 0.05}, 100, 1, 1, 39, 49.45699939841291),
    ({"r": 0.05, "alpha": 0.5, "a": 100, "b": 2.4}, 1, 0, 0, 1e5, 0.024242356000921809),
    ({"r": 0.05, "alpha": 60, "a": 3, "b": 1000}, 500, 0, 0, 520, 699.74064421444046),
]


@pytest.mark.parametrize(("params", "x", "tx", "big_t", "t", "expected"), EXPECTED_PURCHASES_CASES)
def test_expected_purchases_matches_high_precision_reference(params, x, tx, big_t, t, expected) -> None:
    value = ltv.bgnbd_expected_purchases(params, t, x, tx, big_t)
    assert value == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0])
def test_expected_purchases_in_the_no_dropout_limit(a: float) -> None:
    # b -> inf puts p ~ Beta(a, b) at 0: BG/NBD becomes the NBD, E[Y(t)] = (r + x) t / (alpha + T).
    # (The closed form cancels catastrophically here; the module must notice and switch methods.)
    params = {"r": 0.5, "alpha": 5.0, "a": a, "b": 1e10}
    x, tx, big_t = (
        np.array([0, 1, 5, 40]),
        np.array([0.0, 3.0, 40.0, 90.0]),
        np.array([1.0, 10.0, 50.0, 100.0]),
    )
    for t in (1.0, 52.0, 520.0):
        nbd = (params["r"] + x) * t / (params["alpha"] + big_t)
        np.testing.assert_allclose(ltv.bgnbd_expected_purchases(params, t, x, tx, big_t), nbd, rtol=1e-6)


def test_expected_purchases_with_point_mass_dropout() -> None:
    # a = b -> inf puts p at exactly 1/2: E[Y(t) | alive] = E_lambda[(1 - exp(-lambda t / 2)) / (1/2)].
    params = {"r": 0.5, "alpha": 5.0, "a": 1e10, "b": 1e10}
    x, t = np.array([0.0, 5.0]), 52.0
    big_t = np.array([1.0, 50.0])
    alive = ltv.bgnbd_probability_alive(params, x, big_t, big_t)
    expected = alive * 2 * (1 - (1 + t / 2 / (params["alpha"] + big_t)) ** -(params["r"] + x))
    np.testing.assert_allclose(ltv.bgnbd_expected_purchases(params, t, x, big_t, big_t), expected, rtol=1e-6)


def test_expected_purchases_vectorized_and_increasing_in_horizon(cdnow: pd.DataFrame, bg) -> None:
    x, tx, big_t = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    horizons = np.array([0.0, 0.5, 1, 4, 13, 26, 39, 52, 104, 520, 5200])
    # t broadcast against customers: one row per horizon.
    values = ltv.bgnbd_expected_purchases(bg, horizons[:, None], x, tx, big_t)
    assert values.shape == (len(horizons), len(cdnow))
    assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert np.all(values[0] == 0)
    assert np.all(np.diff(values, axis=0) > 0)
    # Same numbers one horizon at a time.
    np.testing.assert_allclose(values[6], ltv.bgnbd_expected_purchases(bg, 39, x, tx, big_t), rtol=1e-12)


def test_probability_alive_in_unit_interval(cdnow: pd.DataFrame, bg) -> None:
    p = ltv.bgnbd_probability_alive(bg, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(p[cdnow["frequency"].to_numpy() == 0] == 1)  # BG/NBD: no repeat purchase, no dropout yet
    # Longer silence after the last purchase -> less likely to be alive, more so for frequent buyers.
    quiet = ltv.bgnbd_probability_alive(bg, [5, 5, 5, 20], [10, 10, 10, 10], [10, 20, 40, 40])
    assert quiet[0] > quiet[1] > quiet[2] > quiet[3] > 0
    # Just bought (recency == T): only the chance of dropping out right after that purchase remains.
    assert quiet[0] == pytest.approx(1 / (1 + bg["a"] / (bg["b"] + 4)), rel=1e-12)


def test_gamma_gamma_expected_spend(cdnow_spend: pd.DataFrame, gg) -> None:
    x, m = cdnow_spend["x"].to_numpy(), cdnow_spend["zbar"].to_numpy()
    spend = ltv.gamma_gamma_expected_spend(gg, x, m)
    population_mean = gg["p"] * gg["v"] / (gg["q"] - 1)
    assert np.all(np.isfinite(spend)) and np.all(spend > 0)
    np.testing.assert_allclose(spend[x == 0], population_mean)
    # Shrinkage: between the customer's own average and the population mean.
    rep = x > 0
    low, high = np.minimum(m[rep], population_mean), np.maximum(m[rep], population_mean)
    assert np.all((spend[rep] >= low - 1e-9) & (spend[rep] <= high + 1e-9))
    # More purchases -> closer to the customer's own average.
    one, many = ltv.gamma_gamma_expected_spend(gg, [1, 50], [100.0, 100.0])
    assert abs(many - 100) < abs(one - 100)
    assert ltv.gamma_gamma_expected_spend(gg, 0, 0.0) == pytest.approx(population_mean)


def test_predict_clv(cdnow_spend: pd.DataFrame, bg, gg) -> None:
    args = (cdnow_spend["x"], cdnow_spend["t_x"], cdnow_spend["T"], cdnow_spend["zbar"])
    clv = ltv.predict_clv(bg, gg, *args, horizon=52)
    purchases = ltv.bgnbd_expected_purchases(bg, 52, *args[:3])
    spend = ltv.gamma_gamma_expected_spend(gg, args[0], args[3])
    np.testing.assert_allclose(clv, purchases * spend, rtol=1e-12)
    assert np.all(np.isfinite(clv)) and np.all(clv >= 0)
    discounted = ltv.predict_clv(bg, gg, *args, horizon=52, discount_rate=0.01)
    assert np.all(discounted <= clv) and np.all(discounted >= clv / 1.01**13)
    barely = ltv.predict_clv(bg, gg, *args, horizon=52, discount_rate=1e-12)
    np.testing.assert_allclose(barely, clv, rtol=1e-9)
    assert ltv.predict_clv(bg, gg, 2, 30.43, 38.86, 22.35, horizon=0) == 0


# ------------------------------------------------------------------------------------------------
# Robustness
# ------------------------------------------------------------------------------------------------

EDGE_FREQUENCY = np.array([0, 0, 1, 500, 500, 3, 30])
EDGE_RECENCY = np.array([0.0, 0.0, 1e-3, 5000.0, 10.0, 7.0, 2.0])
EDGE_T = np.array([0.0, 5000.0, 1e-3, 5000.0, 5000.0, 7.0, 2.0])  # includes recency == T
EDGE_SPEND = np.array([0.0, 0.0, 5.0, 20.0, 1e4, 0.5, 80.0])


@pytest.mark.parametrize(
    "params",
    [
        {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
        {"r": 0.01, "alpha": 1e-3, "a": 1.0, "b": 1e-2},
        {"r": 50.0, "alpha": 1e4, "a": 200.0, "b": 0.5},
        {"r": 0.5, "alpha": 0.5, "a": 0.05, "b": 500.0},
    ],
)
@pytest.mark.parametrize("horizon", [0.0, 1.0, 52.0, 5200.0])
def test_predictions_finite_on_edge_customers(params, horizon) -> None:
    gg_params = {"p": 6.25, "q": 3.74, "v": 15.44}
    purchases = ltv.bgnbd_expected_purchases(params, horizon, EDGE_FREQUENCY, EDGE_RECENCY, EDGE_T)
    alive = ltv.bgnbd_probability_alive(params, EDGE_FREQUENCY, EDGE_RECENCY, EDGE_T)
    clv = ltv.predict_clv(
        params, gg_params, EDGE_FREQUENCY, EDGE_RECENCY, EDGE_T, EDGE_SPEND, horizon, discount_rate=0.01
    )
    for values in (purchases, alive, clv):
        assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert np.all(alive <= 1)
    # Upper bound: expected purchases if nobody ever dropped out.
    bound = (params["r"] + EDGE_FREQUENCY) * horizon / (params["alpha"] + EDGE_T)
    assert np.all(purchases <= bound * (1 + 1e-9))


def test_predictions_for_all_zero_frequency(bg, gg) -> None:
    zeros = np.zeros(5)
    big_t = np.array([0.0, 1.0, 38.0, 500.0, 5000.0])
    purchases = ltv.bgnbd_expected_purchases(bg, 52, zeros, zeros, big_t)
    assert np.all(np.isfinite(purchases)) and np.all(purchases > 0)
    assert np.all(np.diff(purchases) < 0)  # the longer we have waited for a repeat, the fewer we expect
    np.testing.assert_array_equal(ltv.bgnbd_probability_alive(bg, zeros, zeros, big_t), 1.0)
    spend = ltv.gamma_gamma_expected_spend(gg, zeros, zeros)
    np.testing.assert_allclose(spend, gg["p"] * gg["v"] / (gg["q"] - 1))
    clv = ltv.predict_clv(bg, gg, zeros, zeros, big_t, zeros, horizon=52)
    assert np.all(np.isfinite(clv)) and np.all(clv > 0)


def test_fit_with_extreme_customers(cdnow: pd.DataFrame) -> None:
    extra = pd.DataFrame(
        {"frequency": [500, 0, 120], "recency": [5000.0, 0.0, 800.0], "T": [5000.0, 5000.0, 900.0]}
    )
    data = pd.concat([cdnow[["frequency", "recency", "T"]], extra], ignore_index=True)
    fit = ltv.fit_bgnbd(data["frequency"], data["recency"], data["T"])
    assert all(np.isfinite(v) and v != 0 for v in fit.values())
    assert fit["loglik"] < 0


def test_gamma_gamma_fit_with_extreme_customers(cdnow_spend: pd.DataFrame) -> None:
    x = np.concatenate([cdnow_spend["x"], [500, 1, 0]])
    m = np.concatenate([cdnow_spend["zbar"], [1e4, 0.01, 0.0]])
    fit = ltv.fit_gamma_gamma(x, m)
    assert all(np.isfinite(v) for v in fit.values()) and fit["q"] > 1
    # A handful of customers has no interior optimum (p -> inf, v -> 0): finite numbers and a warning.
    with pytest.warns(RuntimeWarning, match="converged"):
        tiny = ltv.fit_gamma_gamma([0, 1, 500, 3, 2], [0.0, 10.0, 12.5, 1e4, 7.0])
    assert all(np.isfinite(v) for v in tiny.values())


def test_fit_rejects_data_without_repeat_purchases() -> None:
    with pytest.raises(ValueError):
        ltv.fit_bgnbd([0, 0, 0], [0, 0, 0], [10, 20, 30])
    with pytest.raises(ValueError):
        ltv.fit_gamma_gamma([0, 0], [0.0, 0.0])
    with pytest.raises(ValueError):
        ltv.fit_bgnbd([1, 2], [5.0, 30.0], [10.0, 20.0])  # recency > T


# ------------------------------------------------------------------------------------------------
# Transaction log -> summary
# ------------------------------------------------------------------------------------------------


def test_summary_from_transactions_hand_built_log() -> None:
    log = pd.DataFrame(
        [
            ("acme", "2024-01-01 09:00", 100.0),
            ("acme", "2024-01-01 17:30", 50.0),  # same day: summed with the first -> first purchase 150
            ("acme", "2024-01-08 12:00", 30.0),
            ("acme", "2024-01-22 08:00", 10.0),
            ("acme", "2024-01-22 09:00", 20.0),  # same day -> 30
            ("acme", "2024-03-01 10:00", 999.0),  # after observation_end: ignored
            ("globex", "2024-01-15 11:00", 70.0),  # single purchase
            ("initech", "2024-01-29 23:59", 5.0),  # on the last day of the window
            ("initech", "2024-02-05 10:00", 5.0),  # after observation_end (midnight): ignored
        ],
        columns=["company_id", "paid_at", "amount"],
    )
    summary = ltv.summary_from_transactions(
        log["company_id"],
        pd.to_datetime(log["paid_at"]),
        log["amount"],
        observation_end="2024-01-29 23:59:59",
    )
    assert summary.index.name == "company_id"
    assert list(summary.columns) == ["frequency", "recency", "T", "monetary_value"]
    assert summary.loc["acme"].to_dict() == {"frequency": 2, "recency": 3.0, "T": 4.0, "monetary_value": 30.0}
    assert summary.loc["globex"].to_dict() == {
        "frequency": 0,
        "recency": 0.0,
        "T": 2.0,
        "monetary_value": 0.0,
    }
    assert summary.loc["initech"].to_dict() == {
        "frequency": 0,
        "recency": 0.0,
        "T": 0.0,
        "monetary_value": 0.0,
    }

    # Daily periods, plain lists in, and a string observation end.
    daily = ltv.summary_from_transactions(
        list(log["company_id"]), list(log["paid_at"]), list(log["amount"]), "2024-01-29", period_days=1.0
    )
    assert daily.loc["acme", "recency"] == 21.0 and daily.loc["acme", "T"] == 28.0
    assert daily.loc["globex", "T"] == 14.0
    assert "initech" not in daily.index  # its first purchase (23:59 on the 29th) is after midnight
    assert len(ltv.summary_from_transactions([], [], [], "2024-01-29")) == 0


def test_summary_from_cdnow_master_matches_published_summary(cdnow_spend: pd.DataFrame) -> None:
    if not CDNOW_MASTER.exists():
        pytest.skip(f"{CDNOW_MASTER} not available")
    with CDNOW_MASTER.open() as fh:
        has_header = not fh.readline().split()[0].isdigit()
    master = pd.read_csv(
        CDNOW_MASTER,
        sep=r"\s+",
        header=None,
        skiprows=int(has_header),
        names=["customer_id", "date", "cds", "dollars"],
        dtype={"customer_id": str, "date": str},
    )
    summary = ltv.summary_from_transactions(
        master["customer_id"],
        pd.to_datetime(master["date"], format="%Y%m%d"),
        master["dollars"],
        "1997-09-30",
    )
    assert len(summary) == master["customer_id"].nunique()
    # The published file is a 1-in-10 sample of these customers (renumbered): every one of its rows must
    # appear in our summary, up to the 2-decimal rounding of the published numbers.
    ours = summary.assign(
        x=summary["frequency"], t_x=summary["recency"].round(2), T=summary["T"].round(2)
    ).reset_index()
    published = cdnow_spend.assign(t_x=cdnow_spend["t_x"].round(2), T=cdnow_spend["T"].round(2))
    matches = published.merge(ours[["x", "t_x", "T", "monetary_value"]], on=["x", "t_x", "T"], how="left")
    gap = (matches["monetary_value"] - matches["zbar"]).abs().groupby(matches["ID"]).min()
    assert len(gap) == len(published)
    assert (gap <= 0.0051).all()
    # And the aggregate picture agrees.
    assert (summary["frequency"] == 0).mean() == pytest.approx((cdnow_spend["x"] == 0).mean(), abs=0.02)
    assert summary["frequency"].mean() == pytest.approx(cdnow_spend["x"].mean(), rel=0.05)
    assert summary["T"].mean() == pytest.approx(cdnow_spend["T"].mean(), rel=0.01)
