"""The lifetime-value fit without its Nelder-Mead polish: the same optimum, far fewer evaluations, plain words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from tools.insights import ltv

DATA = Path(__file__).parent / "data" / "cdnow"


def _polish_gain(loglik, fit: dict, names: tuple[str, ...], weights=None) -> float:
    """How much a Nelder-Mead run from the fit's optimum still improves the total log-likelihood."""
    theta = np.log([fit[n] for n in names])

    def negative(t):
        value = -float(np.sum(loglik(np.exp(t))))
        return value if np.isfinite(value) else np.inf

    polished = optimize.minimize(
        negative, theta, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 20000}
    )
    return negative(theta) - polished.fun


def test_a_polish_would_change_nothing_on_cdnow():
    summary = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    spend = pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")
    x, tx, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    bg = ltv.fit_bgnbd(x, tx, T)
    gain = _polish_gain(
        lambda p: ltv._bgnbd_loglik(p, x, np.where(x > 0, tx, 0.0), T, False)[0], bg, ("r", "alpha", "a", "b")
    )
    assert 0 <= gain < 1e-6 and bg["loglik"] == pytest.approx(-9582.4256, abs=1e-3)
    keep = spend["x"] > 0
    gx, gm = spend["x"][keep].to_numpy(float), spend["zbar"][keep].to_numpy(float)
    gg = ltv.fit_gamma_gamma(gx, gm)
    assert (
        0 <= _polish_gain(lambda p: ltv._gamma_gamma_loglik(p, gx, gm, False)[0], gg, ("p", "q", "v")) < 1e-6
    )


def test_the_fit_takes_few_evaluations():
    summary = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    calls = {"n": 0}
    original = ltv._bgnbd_loglik

    def counted(*args, **kwargs):
        calls["n"] += 1
        return original(*args, **kwargs)

    ltv._bgnbd_loglik = counted
    try:
        ltv.fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    finally:
        ltv._bgnbd_loglik = original
    assert calls["n"] < 60  # 271 with the Nelder-Mead polish (and 23,000 on the demo database)


def test_refresh_speaks_plain_words(refreshed_db_path):
    from sqlalchemy import select

    from db.engine import get_engine
    from db.models import JobRun

    with get_engine(f"sqlite:///{refreshed_db_path}").connect() as conn:
        note = conn.execute(select(JobRun.stats).order_by(JobRun.id.desc())).scalar()["ltv"]["note"]
    assert note.startswith("Lifetime value:")
    for jargon in ("BG/NBD", "NBD limit", "q <=", "Gamma-Gamma"):
        assert jargon not in note
