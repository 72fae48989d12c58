"""Training the lead-scoring model, measuring it honestly, saving and registering it.

The holdout is by time: the model learns from the older ~80 % of closed leads and is judged
on the newest, the way it will be used (on leads that arrive after training). The deployed
model is then refit on every closed lead. On a demo database the same holdout is also
scored with the demo's true conversion probabilities, the best AUC any model could reach.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, inspect, select, update

from db.models import DemoLeadTruth, ModelRegistry
from tools.leads.features import (
    CLOSED_STATUSES,
    MODEL_FEATURES,
    LeadContext,
    load_context,
    load_leads,
    training_features,
)
from tools.leads.fit_score import cold_start_message, needs_cold_start
from tools.leads.results import CalibrationBin, TrainReport

MODEL_KIND = "lead_scoring"
HOLDOUT_FRACTION = 0.2
CALIBRATION_BINS = 10


@dataclass
class RegisteredModel:
    version: str
    path: str
    trained_at: datetime
    model: object  # a fitted tools.ml.TabularClassifier


def default_model_dir() -> Path:
    from crmbot.settings import get_settings

    return Path(get_settings().data_dir) / "models"


def closed_leads(engine: Engine, today: date) -> pd.DataFrame:
    """Leads with a known outcome, created up to ``today``; ``converted`` is the label."""
    leads = load_leads(engine, statuses=CLOSED_STATUSES)
    leads = leads[leads["created_at"] < pd.Timestamp(today) + pd.Timedelta(days=1)]
    leads = leads.assign(converted=(leads["status"] == "converted").to_numpy())
    return leads.sort_values(["created_at", "id"], kind="stable").reset_index(drop=True)


def time_split(
    leads: pd.DataFrame, holdout: float = HOLDOUT_FRACTION
) -> tuple[np.ndarray, np.ndarray, datetime]:
    """Row positions of the older (train) and newest (test) leads, and the cut-off time."""
    order = np.argsort(leads["created_at"].to_numpy(), kind="stable")
    cut = int(round(len(order) * (1 - holdout)))
    split_at = leads["created_at"].iloc[order[cut]].to_pydatetime()
    return order[:cut], order[cut:], split_at


def _true_probabilities(engine: Engine, lead_ids: np.ndarray) -> np.ndarray | None:
    """The demo's true probabilities for these leads, or None when this is not a demo database."""
    if DemoLeadTruth.__tablename__ not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        rows = conn.execute(select(DemoLeadTruth.lead_id, DemoLeadTruth.true_probability)).all()
    if not rows:
        return None
    truth = pd.Series({lead_id: p for lead_id, p in rows})
    found = truth.reindex(lead_ids)
    return None if found.isna().any() else found.to_numpy(dtype=float)


def fit_classifier(features: pd.DataFrame, labels: np.ndarray, *, trained_at=None, model: str = "auto"):
    """A TabularClassifier on the model features; ``model`` fixes the family (skips selection)."""
    from tools.ml import TabularClassifier

    model = TabularClassifier(model=model, random_state=0)
    return model.fit(features[list(MODEL_FEATURES)], labels, trained_at=trained_at)


def evaluate(engine: Engine, leads: pd.DataFrame, features: pd.DataFrame) -> dict:
    """Fit on the older leads, measure on the newest: AUC, Brier, ECE, calibration, ceiling."""
    from tools.ml.metrics import brier_score, calibration_table, expected_calibration_error, roc_auc

    train_rows, test_rows, split_at = time_split(leads)
    labels = leads["converted"].to_numpy()
    model = fit_classifier(features.iloc[train_rows], labels[train_rows])
    y_test = labels[test_rows]
    p_test = model.predict_proba(features.iloc[test_rows][list(MODEL_FEATURES)])[:, 1]
    table = calibration_table(y_test, p_test, n_bins=CALIBRATION_BINS)
    figures = {
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "split_at": split_at,
        "auc": roc_auc(y_test, p_test, pos_label=True),
        "brier": brier_score(y_test, p_test, pos_label=True),
        "ece": expected_calibration_error(y_test, p_test, n_bins=CALIBRATION_BINS, pos_label=True),
        "calibration": [
            CalibrationBin(r.bin_lower, r.bin_upper, int(r.count), r.mean_predicted, r.observed_rate)
            for r in table.itertuples(index=False)
        ],
        "model_name": model.model_name_,
    }
    truth = _true_probabilities(engine, leads["id"].to_numpy()[test_rows])
    if truth is not None:
        figures["ceiling_auc"] = roc_auc(y_test, truth, pos_label=True)
        figures["ceiling_brier"] = brier_score(y_test, truth, pos_label=True)
    return figures


def train(
    engine: Engine,
    today: date,
    *,
    now: datetime | None = None,
    model_dir: Path | None = None,
    register: bool = True,
    context: LeadContext | None = None,
) -> TrainReport:
    """Train, measure on a time holdout, refit on all closed leads, save and register."""
    started = time.perf_counter()
    now = now or datetime.combine(today, datetime.min.time())
    leads = closed_leads(engine, today)
    n_closed, n_converted = len(leads), int(leads["converted"].sum())
    if needs_cold_start(n_closed, n_converted):
        return TrainReport(False, cold_start_message(n_closed, n_converted), today, n_closed, n_converted)

    context = context or load_context(engine)
    features = training_features(leads, context)
    figures = evaluate(engine, leads, features)
    # the family chosen by cross-validation on the older leads is refit on all of them
    model = fit_classifier(
        features, leads["converted"].to_numpy(), trained_at=now, model=figures["model_name"]
    )

    report = TrainReport(
        trained=True,
        message="",
        as_of=today,
        n_closed=n_closed,
        n_converted=n_converted,
        seconds=0.0,
        top_features=[(str(k), float(v)) for k, v in model.feature_importances_.head(8).items()],
        **{k: v for k, v in figures.items()},
    )
    report.model_name = model.model_name_
    if register:
        report.version, report.path = save_and_register(
            engine, model, report, now, model_dir or default_model_dir()
        )
        report.message = (
            f"Model {report.version} trained on {n_closed:,} closed leads and saved to {report.path}."
        )
    else:
        report.message = f"Model trained on {n_closed:,} closed leads (not saved)."
    report.seconds = time.perf_counter() - started
    return report


def _metrics_json(report: TrainReport) -> dict:
    return {
        "holdout": "time",
        "split_at": report.split_at.isoformat() if report.split_at else None,
        "n_train": report.n_train,
        "n_test": report.n_test,
        "auc": report.auc,
        "brier": report.brier,
        "ece": report.ece,
        "ceiling_auc": report.ceiling_auc,
        "auc_ratio": report.auc_ratio,
        "model_name": report.model_name,
        "n_converted": report.n_converted,
        "as_of": report.as_of.isoformat(),
    }


def save_and_register(
    engine: Engine, model, report: TrainReport, now: datetime, model_dir: Path
) -> tuple[str, str]:
    """Write the model file and make it the active lead-scoring model; returns (version, path)."""
    with engine.begin() as conn:
        count = conn.execute(select(func.count()).where(ModelRegistry.kind == MODEL_KIND)).scalar_one()
        version = f"{now:%Y%m%d.%H%M%S}.{count + 1}"
        model_dir.mkdir(parents=True, exist_ok=True)
        # a random suffix: two databases sharing one data dir never overwrite each other's model
        path = str((model_dir / f"{MODEL_KIND}-{version}-{uuid.uuid4().hex[:8]}.joblib").resolve())
        model.metadata_.update({"version": version, "metrics": _metrics_json(report)})
        model.save(path)
        conn.execute(update(ModelRegistry).where(ModelRegistry.kind == MODEL_KIND).values(active=False))
        conn.execute(
            ModelRegistry.__table__.insert().values(
                kind=MODEL_KIND,
                version=version,
                trained_at=now,
                path=path,
                n_samples=report.n_closed,
                metrics=_metrics_json(report),
                active=True,
            )
        )
    return version, path


_LOADED: dict[str, object] = {}


def active_model(engine: Engine) -> RegisteredModel | None:
    """The registered, active lead-scoring model (None without one, or without the table)."""
    if ModelRegistry.__tablename__ not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(ModelRegistry.version, ModelRegistry.path, ModelRegistry.trained_at)
            .where(ModelRegistry.kind == MODEL_KIND, ModelRegistry.active.is_(True))
            .order_by(ModelRegistry.trained_at.desc(), ModelRegistry.id.desc())
            .limit(1)
        ).first()
    if row is None or not Path(row.path).exists():
        return None
    if row.path not in _LOADED:
        from tools.ml import TabularClassifier

        _LOADED[row.path] = TabularClassifier.load(row.path)
    return RegisteredModel(row.version, row.path, row.trained_at, _LOADED[row.path])
