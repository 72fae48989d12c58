"""Lead cards and ranked lists: what a rep sees when asking about leads.

A stored score is shown when the current scorer made it (scored after the active model was
trained); otherwise the lead is scored on the fly with the registered model or, without
one, the fit score, so a fresh database still answers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from db.models import User
from tools.leads.features import OPEN_STATUSES, LeadContext, load_context, load_leads
from tools.leads.fit_score import MIN_CLOSED_LEADS, MIN_CONVERSIONS
from tools.leads.results import LeadCard, LeadList
from tools.leads.scoring import Scorer, current_scorer, score_features


def _owner_names(engine: Engine, owner_ids) -> dict[int, str]:
    ids = sorted({int(i) for i in owner_ids if pd.notna(i)})
    if not ids:
        return {}
    with engine.connect() as conn:
        return dict(conn.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _stored_is_current(leads: pd.DataFrame, scorer: Scorer) -> np.ndarray:
    scored_at = pd.to_datetime(leads["scored_at"], format="ISO8601", errors="coerce")
    has_score = leads["score"].notna().to_numpy() & scored_at.notna().to_numpy()
    if scorer.registered is None:
        return has_score & leads["conversion_probability"].isna().to_numpy()
    trained_at = pd.Timestamp(scorer.registered.trained_at)
    return (
        has_score & (scored_at >= trained_at).to_numpy() & leads["conversion_probability"].notna().to_numpy()
    )


def _text(value) -> str | None:
    """A string column value, None when missing (pandas may hand back NaN for a missing string)."""
    return value if isinstance(value, str) and value.strip() else None


def _full_name(first, last) -> str:
    parts = [str(p) for p in (first, last) if isinstance(p, str) and p.strip()]
    return " ".join(parts) or "(no name)"


def _scored(leads: pd.DataFrame, today: date, scorer: Scorer, context: LeadContext):
    """Features plus the score and probability to show (stored when current, else fresh)."""
    features, probability, scores = score_features(leads, today, scorer, context)
    current = _stored_is_current(leads, scorer)
    shown_score = np.where(current, leads["score"].fillna(0).to_numpy(dtype=float), scores).astype(int)
    if probability is None:
        shown_p = np.full(len(leads), np.nan)
    else:
        stored_p = leads["conversion_probability"].to_numpy(dtype=float, na_value=np.nan)
        shown_p = np.where(current, stored_p, probability)
    return features, shown_score, shown_p, current


def lead_cards(
    engine: Engine,
    leads: pd.DataFrame,
    today: date,
    *,
    scorer: Scorer | None = None,
    context: LeadContext | None = None,
    emails_of: frozenset[int] | None = None,
) -> list[LeadCard]:
    """One card per lead row, in the given order, with reasons.

    ``emails_of``: show a lead's email only when one of these users owns it (someone who may not
    read people data sees the emails of their own leads); None shows every email."""
    if leads.empty:
        return []
    scorer = scorer or current_scorer(engine)
    context = context or load_context(engine)
    leads = leads.reset_index(drop=True)
    features, scores, probability, current = _scored(leads, today, scorer, context)
    reasons = scorer.reasons(features)
    owners = _owner_names(engine, leads["owner_id"])
    cards = []
    for i, row in enumerate(leads.itertuples(index=False)):
        p = probability[i]
        cards.append(
            LeadCard(
                lead_id=int(row.id),
                name=_full_name(row.first_name, row.last_name),
                email=_text(row.email) if _shows_email(row.owner_id, emails_of) else None,
                company=_text(row.company_name),
                title=_text(row.title),
                source=_text(row.source),
                status=_text(row.status),
                created_at=pd.Timestamp(row.created_at).to_pydatetime(),
                owner=owners.get(int(row.owner_id)) if pd.notna(row.owner_id) else None,
                score=int(scores[i]),
                probability=None if np.isnan(p) else float(p),
                reasons=reasons[i],
                model_version=scorer.version,
                scored_at=pd.to_datetime(row.scored_at).to_pydatetime() if current[i] else None,
                stored=bool(current[i]),
                employees=int(row.employee_count) if pd.notna(row.employee_count) else None,
                industry=_text(getattr(row, "industry", None)),
                country=_text(getattr(row, "country", None)),
            )
        )
    return cards


def _shows_email(owner_id, emails_of: frozenset[int] | None) -> bool:
    return emails_of is None or (pd.notna(owner_id) and int(owner_id) in emails_of)


def _cold_start_note(scorer: Scorer) -> str | None:
    if scorer.registered is not None:
        return None
    return (
        f"Ranked by the fit score (points for source, title, size, email): no trained model yet. "
        f"Training needs {MIN_CLOSED_LEADS} closed leads with {MIN_CONVERSIONS} conversions "
        f"(run `crmbot leads train`)."
    )


def ranked_leads(
    engine: Engine,
    today: date,
    *,
    title: str,
    limit: int = 10,
    created_from: date | None = None,
    owner_id: int | None = None,
    owner_ids: frozenset[int] | None = None,
    emails_of: frozenset[int] | None = None,
) -> LeadList:
    """Open leads ranked by score, optionally created since a day or owned by a user (``owner_ids``:
    the asker's data scope; ``emails_of``: see ``lead_cards``)."""
    scorer = current_scorer(engine)
    context = load_context(engine)
    since = datetime.combine(created_from, datetime.min.time()) if created_from else None
    leads = load_leads(
        engine,
        statuses=OPEN_STATUSES,
        created_from=since,
        owner_id=owner_id,
        owner_ids=sorted(owner_ids) if owner_ids is not None else None,
    )
    leads = leads[leads["created_at"] < pd.Timestamp(today + timedelta(days=1))].reset_index(drop=True)
    if leads.empty:
        return LeadList(title, [], scorer.version, note="No open leads match.")
    _, scores, probability, _ = _scored(leads, today, scorer, context)
    order = np.lexsort((leads["id"].to_numpy(), -np.nan_to_num(probability, nan=0.0), -scores))[:limit]
    top = leads.iloc[order]
    cards = lead_cards(engine, top, today, scorer=scorer, context=context, emails_of=emails_of)
    return LeadList(title, cards, scorer.version, note=_cold_start_note(scorer))
