"""Scoring leads: the registered model (or the cold-start fit score) -> probability, 1-99 score.

``score_open_leads`` is the batch job behind `crmbot leads score`: open leads are featured
as of today in one pass, predicted in one vectorized call, and written back in batches with
one prepared UPDATE each (executemany), all batches and the job's record in one transaction:
a run killed or failing half way leaves every old score, never a mix. ``score_lead`` scores
one new lead and writes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, bindparam, inspect, update

from db.models import JobRun, Lead
from tools.leads.features import (
    FEATURE_INPUT_COLUMNS,
    MODEL_FEATURES,
    OPEN_STATUSES,
    LeadContext,
    load_context,
    load_leads,
    scoring_features,
)
from tools.leads.fit_score import fit_reasons, fit_scores
from tools.leads.model import RegisteredModel, active_model, train
from tools.leads.reasons import to_reasons
from tools.leads.results import Reason, ScoreRun

WRITE_BATCH = 20_000
Progress = Callable[[int, int], None]


def probability_to_score(probability: np.ndarray) -> np.ndarray:
    """A probability as a 1-99 score (0.82 -> 82): easy to read, never 0 or 100."""
    return np.clip(np.round(np.asarray(probability, dtype=float) * 100), 1, 99).astype(int)


@dataclass
class Scorer:
    """Either a trained model (``registered``) or, without one, the cold-start fit score."""

    registered: RegisteredModel | None = None

    @property
    def version(self) -> str | None:
        return self.registered.version if self.registered else None

    def score(self, features: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray]:
        """(probabilities or None for a fit score, 1-99 scores)."""
        if self.registered is None:
            return None, fit_scores(features)
        probability = self.registered.model.predict_proba(features[list(MODEL_FEATURES)])[:, 1]
        return probability, probability_to_score(probability)

    def reasons(self, features: pd.DataFrame, top: int = 3) -> list[list[Reason]]:
        """The top factors of each lead, in words with their direction."""
        if self.registered is None:
            return fit_reasons(features, top=top)
        factors = self.registered.model.explain(features[list(MODEL_FEATURES)], top=top)
        rows = features.to_dict("records")
        return [to_reasons(f, row) for f, row in zip(factors, rows, strict=True)]


def current_scorer(engine: Engine) -> Scorer:
    return Scorer(active_model(engine))


def _write_scores(
    conn, lead_ids: np.ndarray, probability, scores: np.ndarray, scored_at: datetime, progress
) -> None:
    """Every score in batches on ``conn``; the caller's transaction makes them visible at once."""
    statement = (
        update(Lead.__table__)
        .where(Lead.__table__.c.id == bindparam("lead_id"))
        .values(score=bindparam("new_score"), conversion_probability=bindparam("new_p"), scored_at=scored_at)
    )
    total = len(lead_ids)
    ids = lead_ids.tolist()
    score_list = scores.tolist()
    p_list = [None] * total if probability is None else np.round(probability, 6).tolist()
    for start in range(0, total, WRITE_BATCH):
        stop = min(start + WRITE_BATCH, total)
        rows = [
            {"lead_id": ids[i], "new_score": score_list[i], "new_p": p_list[i]} for i in range(start, stop)
        ]
        conn.execute(statement, rows)
        if progress:
            progress(stop, total)


def _record_job(conn, started_at: datetime, finished_at: datetime, today: date, stats: dict) -> None:
    if JobRun.__tablename__ not in inspect(conn).get_table_names():
        return
    conn.execute(
        JobRun.__table__.insert().values(
            job="lead_scoring", started_at=started_at, finished_at=finished_at, as_of=today, stats=stats
        )
    )


def score_open_leads(
    engine: Engine,
    today: date,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    train_if_missing: bool = True,
) -> ScoreRun:
    """Score every open lead (new, working, qualified) and store score, probability, scored_at."""
    started = time.perf_counter()
    now = now or datetime.combine(today, datetime.min.time())
    trained_first = False
    message = ""
    scorer = current_scorer(engine)
    context = load_context(engine)
    if scorer.registered is None and train_if_missing:
        report = train(engine, today, now=now, context=context)
        trained_first = report.trained
        message = report.message
        scorer = current_scorer(engine)
    leads = load_leads(engine, statuses=OPEN_STATUSES, columns=FEATURE_INPUT_COLUMNS)
    features = scoring_features(leads, context, today)
    probability, scores = scorer.score(features)
    with engine.begin() as conn:  # every score and the job's record become visible together
        _write_scores(conn, leads["id"].to_numpy(), probability, scores, now, progress)
        seconds = time.perf_counter() - started
        _record_job(
            conn,
            now,
            now,
            today,
            {"scored": len(leads), "model_version": scorer.version, "seconds": round(seconds, 3)},
        )
    return ScoreRun(len(leads), scorer.version, today, seconds, message, trained_first)


def score_features(
    leads: pd.DataFrame, today: date, scorer: Scorer, context: LeadContext
) -> tuple[pd.DataFrame, np.ndarray | None, np.ndarray]:
    """Features, probabilities and scores of ``leads`` as of ``today``."""
    features = scoring_features(leads, context, today)
    probability, scores = scorer.score(features)
    return features, probability, scores


def score_lead(engine: Engine, lead_id: int, today: date, *, now: datetime | None = None):
    """Score one lead now (e.g. just created), store it, and return its card."""
    from tools.leads.cards import lead_cards

    now = now or datetime.combine(today, datetime.min.time())
    leads = load_leads(engine, lead_ids=[lead_id])
    if leads.empty:
        return None
    scorer = current_scorer(engine)
    context = load_context(engine)
    features, probability, scores = score_features(leads, today, scorer, context)
    with engine.begin() as conn:
        _write_scores(conn, leads["id"].to_numpy(), probability, scores, now, None)
    return lead_cards(engine, load_leads(engine, lead_ids=[lead_id]), today, scorer=scorer, context=context)[
        0
    ]


def score_leads(engine: Engine, lead_ids: list[int], today: date, *, now: datetime | None = None):
    """Score these leads now, store their scores, and return their cards (in the order asked; unknown ids left out)."""
    from tools.leads.cards import lead_cards

    now = now or datetime.combine(today, datetime.min.time())
    leads = load_leads(engine, lead_ids=list(lead_ids))
    if leads.empty:
        return []
    scorer = current_scorer(engine)
    context = load_context(engine)
    _, probability, scores = score_features(leads, today, scorer, context)
    with engine.begin() as conn:
        _write_scores(conn, leads["id"].to_numpy(), probability, scores, now, None)
    stored = load_leads(engine, lead_ids=list(lead_ids)).set_index("id")
    ordered = stored.loc[[i for i in dict.fromkeys(lead_ids) if i in stored.index]].reset_index()
    return lead_cards(engine, ordered, today, scorer=scorer, context=context)
