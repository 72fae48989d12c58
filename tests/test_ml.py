"""Tests for tools.ml: the shared tabular classifier and its metrics helpers."""

from __future__ import annotations

import time
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from tools.ml import TabularClassifier
from tools.ml.metrics import (
    brier_score,
    calibration_table,
    expected_calibration_error,
    format_calibration_table,
    roc_auc,
    summary,
)

# ----------------------------------------------------------------------------- data

SOURCE_EFFECT = {"referral": 1.0, "partner": 0.5, "web": 0.0, "event": -0.2, "cold_call": -0.8}
SOURCE_P = [0.15, 0.15, 0.35, 0.15, 0.20]
ENGAGEMENT_COEF = 2.0  # the planted strongest feature


def _true_logit_parts(engagement, employee, seats, source, is_customer, region):
    src = np.array([SOURCE_EFFECT[s] for s in source])
    return {
        "engagement": ENGAGEMENT_COEF * engagement,
        "employee_count": -0.8 * employee,
        "seats": 0.03 * (seats - 25),
        "source": src,
        "is_customer": 0.6 * is_customer,
        "region": 0.3 * (region == "emea"),
    }


def make_leads(n: int, seed: int):
    """Lead-like frame from a known logistic rule, with NaN/None, text, bool, datetime columns.

    Returns (X, y, true_probability, true per-feature logit parts).
    """
    rng = np.random.default_rng(seed)
    engagement = rng.normal(size=n)
    employee = rng.normal(size=n)
    seats = rng.integers(1, 50, size=n)
    source = rng.choice(list(SOURCE_EFFECT), size=n, p=SOURCE_P)
    region = rng.choice(["na", "emea", "apac", "latam"], size=n)
    is_customer = rng.random(n) < 0.3
    parts = _true_logit_parts(engagement, employee, seats, source, is_customer, region)
    logit = -0.7 + sum(parts.values())
    p = 1.0 / (1.0 + np.exp(-logit))
    y = rng.random(n) < p

    X = pd.DataFrame(
        {
            "engagement": engagement,
            "employee_count": np.where(rng.random(n) < 0.15, np.nan, employee),
            # JSON-like: integers in an object column with None for missing
            "seats": pd.Series(
                [None if m else int(v) for v, m in zip(seats, rng.random(n) < 0.05, strict=True)],
                dtype=object,
            ),
            "source": pd.Series(source, dtype=object),
            "region": region,
            "is_customer": is_customer,
            "created": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D"),
            "notes": [f"called {i}" for i in rng.integers(0, 10 * n, n)],  # high-cardinality text
            "empty": np.nan,  # all missing
        }
    )
    src_missing = rng.random(n)
    X.loc[src_missing < 0.08, "source"] = None
    X.loc[(src_missing >= 0.08) & (src_missing < 0.10), "source"] = np.nan
    return X, y, p, parts


def make_interaction(n: int, seed: int):
    """A problem a linear model cannot fit: sign of a product plus a category x numeric term."""
    rng = np.random.default_rng(seed)
    a, b, c = rng.normal(size=(3, n))
    plan = rng.choice(["basic", "pro", "enterprise"], size=n)
    logit = 2.5 * np.sign(a * b) + 1.5 * ((plan == "pro") & (c > 0)) - 0.75
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"a": a, "b": b, "c": c, "plan": plan}), y


@pytest.fixture(scope="module")
def leads():
    X, y, p, parts = make_leads(20_000, seed=1)
    Xh, yh, ph, parts_h = make_leads(20_000, seed=2)
    return X, y, Xh, yh, ph, parts_h


@pytest.fixture(scope="module")
def auto_model(leads):
    X, y, *_ = leads
    return TabularClassifier(random_state=0).fit(X, y, trained_at="2025-01-01T00:00:00")


@pytest.fixture(scope="module")
def gbm_model(leads):
    X, y, *_ = leads
    return TabularClassifier(model="gbm", random_state=0).fit(X, y)


# --------------------------------------------------------------------- main quality


@pytest.mark.slow
@pytest.mark.parametrize("which", ["auto", "gbm"])
def test_holdout_auc_and_calibration(request, leads, which):
    clf = request.getfixturevalue(f"{which}_model")
    _, _, Xh, yh, ph, _ = leads
    proba = clf.predict_proba(Xh)
    assert proba.shape == (len(Xh), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all((proba >= 0) & (proba <= 1))
    auc, true_auc = roc_auc(yh, proba), roc_auc(yh, ph)
    assert auc >= 0.95 * true_auc, (auc, true_auc)
    assert expected_calibration_error(yh, proba) < 0.05
    assert clf.predict(Xh).dtype == bool


@pytest.mark.slow
def test_linear_problem_both_models_fine(auto_model, gbm_model, leads):
    assert set(auto_model.cv_scores_) == {"logistic", "gbm"}
    assert auto_model.cv_metric_ == "log_loss"
    assert auto_model.model_name_ in ("logistic", "gbm")
    scores = auto_model.cv_scores_
    assert scores["gbm"] < 1.1 * scores["logistic"] and scores["logistic"] < 1.1 * scores["gbm"]
    assert gbm_model.model_name_ == "gbm"
    assert gbm_model.calibration_.startswith(("isotonic", "sigmoid"))
    assert auto_model.feature_importances_.index[0] == "engagement"
    assert gbm_model.feature_importances_.index[0] == "engagement"
    assert auto_model.feature_importances_.sum() == pytest.approx(1.0)


@pytest.mark.slow
def test_interaction_problem_picks_gbm():
    X, y = make_interaction(8000, seed=3)
    Xh, yh = make_interaction(8000, seed=4)
    auto = TabularClassifier(random_state=0).fit(X, y)
    assert auto.model_name_ == "gbm", auto.cv_scores_
    assert auto.cv_scores_["gbm"] < auto.cv_scores_["logistic"]
    linear = TabularClassifier(model="logistic", random_state=0).fit(X, y)
    auc_auto, auc_linear = roc_auc(yh, auto.predict_proba(Xh)), roc_auc(yh, linear.predict_proba(Xh))
    assert auc_auto > auc_linear + 0.1, (auc_auto, auc_linear)
    assert expected_calibration_error(yh, auto.predict_proba(Xh)) < 0.05


def test_breast_cancer_real_dataset():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    clf = TabularClassifier(random_state=0).fit(Xtr, ytr)
    assert list(clf.classes_) == [0, 1]
    assert roc_auc(yte, clf.predict_proba(Xte)) > 0.97
    assert (clf.predict(Xte) == yte.to_numpy()).mean() > 0.9


# ----------------------------------------------------------------------- explain


@pytest.mark.slow
@pytest.mark.parametrize("which", ["auto", "gbm"])
def test_explain_finds_planted_feature(request, leads, which):
    clf = request.getfixturevalue(f"{which}_model")
    _, _, Xh, _, _, parts = leads
    # rows where the planted feature's true effect is twice all the others together
    # (each measured against its population mean)
    others = sum(np.abs(v - v.mean()) for k, v in parts.items() if k != "engagement")
    dominant = np.abs(parts["engagement"]) > 2 * others
    assert dominant.sum() >= 50
    rows = Xh[dominant]
    expl = clf.explain(rows, top=3)
    assert len(expl) == len(rows)
    hits = [
        bool(e) and e[0][0] == "engagement" and np.sign(e[0][1]) == np.sign(v)
        for e, v in zip(expl, rows["engagement"], strict=True)
    ]
    assert np.mean(hits) >= 0.95, np.mean(hits)
    for e in expl:
        assert 1 <= len(e) <= 3
        mags = [abs(v) for _, v in e]
        assert mags == sorted(mags, reverse=True)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["auto", "gbm"])
def test_explain_names_categorical_values(request, leads, which):
    clf = request.getfixturevalue(f"{which}_model")
    X = leads[0]
    base = {
        "engagement": 0.0,
        "employee_count": float(X["employee_count"].median()),
        "seats": 25,
        "region": "na",
        "is_customer": False,
        "created": pd.Timestamp("2024-07-01"),
        "notes": "",
    }
    up = clf.explain({**base, "source": "referral"}, top=2)[0]
    assert up[0][0] == "source=referral" and up[0][1] > 0.3, up
    down = clf.explain({**base, "source": "cold_call"}, top=2)[0]
    assert down[0][0] == "source=cold_call" and down[0][1] < -0.3, down
    missing = clf.explain({**base, "source": None}, top=None)[0]
    assert any(name == "source=missing" for name, _ in missing)
    # contributions() gives the full matrix on the same scale
    contrib = clf.contributions(pd.DataFrame([{**base, "source": "referral"}]))
    assert contrib.loc[0, "source"] == pytest.approx(up[0][1])


def test_explain_logistic_is_exact(leads):
    X, y, Xh, *_ = leads
    clf = TabularClassifier(model="logistic", random_state=0).fit(X.iloc[:3000], y[:3000])
    contrib = clf.contributions(Xh.iloc[:200]).to_numpy()
    p = clf.predict_proba(Xh.iloc[:200])[:, 1]
    logit = np.log(p / (1 - p))
    # log-odds = constant + sum of contributions, the constant being the same for all rows
    offset = logit - contrib.sum(axis=1)
    np.testing.assert_allclose(offset, offset[0], atol=1e-8)


@pytest.mark.slow
def test_explain_speed(gbm_model, leads):
    rows = leads[2].iloc[:1000]
    start = time.process_time()  # CPU time: robust to other load on the machine
    expl = gbm_model.explain(rows)
    assert time.process_time() - start < 1.0
    assert len(expl) == 1000


# ------------------------------------------------------------------ robustness


def test_unseen_categories_missing_and_extra_columns():
    X, y, *_ = make_leads(3000, seed=5)
    clf = TabularClassifier(random_state=0).fit(X, y)
    new = X.head(50).copy()
    new["source"] = "tradeshow_2031"
    new["region"] = "mars"
    new["is_customer"] = "yes"
    p = clf.predict_proba(new)
    assert np.all(np.isfinite(p)) and p.shape == (50, 2)
    assert clf.explain(new.head(3))

    # reordered columns + an unknown extra column: same result, no warning
    shuffled = X.head(50)[list(reversed(X.columns))].assign(unknown=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(clf.predict_proba(shuffled), clf.predict_proba(X.head(50)))

    # a missing column is treated as missing values, with a warning
    with pytest.warns(UserWarning, match="missing"):
        p2 = clf.predict_proba(X.head(50).drop(columns=["employee_count", "source"]))
    assert np.all(np.isfinite(p2))

    # a numeric column arriving as strings still scores the same
    as_text = X.head(50).assign(engagement=X["engagement"].head(50).astype(str))
    np.testing.assert_allclose(clf.predict_proba(as_text), clf.predict_proba(X.head(50)))

    # single row as a dict; no rows
    assert clf.predict_proba(X.iloc[0].to_dict()).shape == (1, 2)
    assert clf.predict_proba(X.iloc[:0]).shape == (0, 2)


def test_all_nan_column_is_dropped():
    X, y, *_ = make_leads(2000, seed=6)
    X["also_empty"] = None
    clf = TabularClassifier(random_state=0).fit(X, y)
    assert set(clf.dropped_columns_) == {"empty", "also_empty"}
    assert "empty" not in clf.metadata_["features"]
    kinds = clf.metadata_["feature_kinds"]
    assert kinds["created"] == "datetime" and kinds["is_customer"] == "boolean"
    assert kinds["seats"] == "numeric" and kinds["source"] == "category"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dropped columns are not expected at predict time
        assert clf.predict_proba(X.drop(columns=["empty", "also_empty"])).shape == (2000, 2)


def test_label_types_and_extension_dtypes():
    X, y, *_ = make_leads(2000, seed=7)
    p_bool = TabularClassifier(random_state=0).fit(X, y).predict_proba(X)
    p_int = TabularClassifier(random_state=0).fit(X, y.astype(int)).predict_proba(X)
    np.testing.assert_allclose(p_bool, p_int)

    labels = np.where(y, "won", "lost")
    clf = TabularClassifier(random_state=0).fit(X, pd.Series(labels))
    assert list(clf.classes_) == ["lost", "won"]
    np.testing.assert_allclose(clf.predict_proba(X), p_bool)
    assert set(clf.predict(X)) <= {"lost", "won"}
    assert clf.metadata_["positive_class"] == "won"

    # pandas extension dtypes at fit time, plain objects at predict time
    Xe = X.assign(
        region=X["region"].astype("category"),
        is_customer=X["is_customer"].astype("boolean"),
        seats=pd.to_numeric(X["seats"]).astype("Int64"),
        source=X["source"].astype("string"),
    )
    Xe.loc[Xe.index[:20], "is_customer"] = pd.NA
    clf_e = TabularClassifier(random_state=0).fit(Xe, y)
    Xo = Xe.astype(object).where(Xe.notna(), None)
    np.testing.assert_allclose(clf_e.predict_proba(Xo), clf_e.predict_proba(Xe), atol=1e-12)

    with pytest.raises(ValueError, match="2 classes"):
        TabularClassifier().fit(X, np.zeros(len(X)))


@pytest.mark.parametrize("model", ["auto", "gbm"])
def test_determinism(model):
    X, y, *_ = make_leads(2000, seed=8)
    a = TabularClassifier(model=model, random_state=42).fit(X, y)
    b = TabularClassifier(model=model, random_state=42).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.cv_scores_ == b.cv_scores_
    assert a.explain(X.head(20)) == b.explain(X.head(20))


@pytest.mark.parametrize("model", ["auto", "gbm", "logistic"])
def test_small_dataset(model):
    X, y, *_ = make_leads(80, seed=9)
    clf = TabularClassifier(model=model, random_state=0).fit(X, y)
    p = clf.predict_proba(X)
    assert p.shape == (80, 2) and np.all(np.isfinite(p))
    assert roc_auc(y, p) > 0.7
    if model == "auto":
        assert set(clf.cv_scores_) == {"logistic", "gbm"}
    assert len(clf.explain(X.head(5))) == 5


def test_unfitted_and_bad_params():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TabularClassifier().predict_proba(pd.DataFrame({"a": [1.0]}))
    with pytest.raises(ValueError, match="model"):
        TabularClassifier(model="forest").fit(pd.DataFrame({"a": [1.0, 2.0]}), [0, 1])


def test_save_load_roundtrip(tmp_path):
    X, y, *_ = make_leads(1500, seed=10)
    clf = TabularClassifier(random_state=0).fit(
        X, y, trained_at=pd.Timestamp("2025-03-01 12:00"), metadata={"dataset": "leads-test"}
    )
    path = clf.save(tmp_path / "lead_model.joblib")
    loaded = TabularClassifier.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    meta = loaded.metadata_
    assert meta["trained_at"] == "2025-03-01T12:00:00"
    assert meta["dataset"] == "leads-test"
    assert meta["n_samples"] == 1500 and meta["n_positive"] == int(y.sum())
    assert meta["model_name"] == loaded.model_name_
    assert "engagement" in meta["features"] and meta["sklearn_version"]
    joblib.dump({"not": "a model"}, tmp_path / "other.joblib")
    with pytest.raises(TypeError):
        TabularClassifier.load(tmp_path / "other.joblib")


# ----------------------------------------------------------------------- metrics


def test_metrics_helpers():
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.4, 0.35, 0.8])
    assert roc_auc(y, p) == pytest.approx(0.75)
    assert brier_score(y, p) == pytest.approx(np.mean((p - y) ** 2))
    assert np.isnan(roc_auc([1, 1], [0.2, 0.3]))
    assert roc_auc(np.array(["no", "no", "yes", "yes"]), p) == pytest.approx(0.75)

    rng = np.random.default_rng(0)
    q = rng.random(50_000)
    outcome = rng.random(50_000) < q
    assert expected_calibration_error(outcome, q) < 0.02
    assert expected_calibration_error(outcome, q**3) > 0.15

    table = calibration_table(outcome, np.column_stack([1 - q, q]), n_bins=10)
    assert list(table.columns) == ["bin_lower", "bin_upper", "count", "mean_predicted", "observed_rate"]
    assert table["count"].sum() == 50_000 and len(table) == 10
    assert np.all(table["mean_predicted"].between(table["bin_lower"], table["bin_upper"]))
    edge = calibration_table([1, 0], [1.0, 0.0], n_bins=4, include_empty=True)
    assert edge["count"].tolist() == [1, 0, 0, 1]
    assert "observed" in format_calibration_table(table)
    s = summary(outcome, q)
    assert s["n"] == 50_000 and 0 < s["brier"] < 0.25 and s["ece"] < 0.02
