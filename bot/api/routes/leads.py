"""Lead scores over HTTP: one lead's score with its reasons; score some leads (or all open) now."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field, model_validator

from bot.api.deps import Caller, caller
from bot.api.problems import Problem

router = APIRouter(prefix="/api/crm/leads", tags=["leads"])
MAX_IDS = 500


class LeadScore(BaseModel):
    lead_id: int
    name: str
    email: str | None
    company: str | None
    title: str | None
    source: str | None
    status: str | None
    owner: str | None
    score: int | None  # 1-99
    conversion_probability: float | None  # None for the cold-start fit score (points, not a probability)
    scored_by: str  # "model <version>" or "fit score"
    scored_at: datetime | None  # None: scored for this answer, not stored
    reasons: list[str]  # the top factors, e.g. "source referral: +"


class ScoreRequest(BaseModel):
    ids: list[int] | None = Field(
        None, max_length=MAX_IDS, description="Lead ids to score now (at most 500)."
    )
    all_open: bool = Field(False, description="Score every open lead (managers and admins).")

    @model_validator(mode="after")
    def _one_of(self):
        if bool(self.ids) == self.all_open:
            raise ValueError("send either 'ids' (a non-empty list) or 'all_open': true")
        return self


class ScoredLeads(BaseModel):
    scored: int
    scored_by: str
    leads: list[LeadScore]  # the leads asked for by id; empty for all_open
    missing_ids: list[int] = []


def lead_body(card) -> LeadScore:
    return LeadScore(
        lead_id=card.lead_id,
        name=card.name,
        email=card.email,
        company=card.company,
        title=card.title,
        source=card.source,
        status=card.status,
        owner=card.owner,
        score=card.score,
        conversion_probability=None if card.probability is None else round(card.probability, 6),
        scored_by=card.scored_by,
        scored_at=card.scored_at,
        reasons=[str(r) for r in card.reasons],
    )


@router.get("/{lead_id}/score", response_model=LeadScore, summary="A lead's score and the reasons behind it")
def lead_score(lead_id: int = Path(..., ge=1), who: Caller = Depends(caller)):
    from tools.leads.cards import lead_cards
    from tools.leads.features import load_leads

    engine = who.deps.engine
    leads = load_leads(engine, lead_ids=[lead_id])
    if leads.empty:
        raise Problem(404, f"There is no lead {lead_id}.", kind="no-such-lead")
    _refuse_outside_scope(who, [lead_id])
    cards = lead_cards(engine, leads, who.deps.today(), emails_of=_emails_of(who))
    return lead_body(cards[0])


def _refuse_outside_scope(who: Caller, lead_ids: list[int]) -> None:
    """403 when one of the leads is not in the caller's data scope."""
    from tools.scope import lead_problem

    scope = who.scope()
    for lead_id in dict.fromkeys(lead_ids):
        problem = lead_problem(who.deps.engine, scope, lead_id)
        if problem:
            raise Problem(403, problem, kind="not-in-your-scope", lead_id=lead_id)


def _existing(engine, lead_ids: list[int]) -> list[int]:
    from sqlalchemy import select

    from db.models import Lead

    with engine.connect() as conn:
        return list(conn.execute(select(Lead.id).where(Lead.id.in_(list(lead_ids)))).scalars())


def _hide_emails(who: Caller, cards: list) -> list:
    """People data: a caller who may not read it sees the emails of their own leads only."""
    from sqlalchemy import select

    from db.models import Lead

    mine = _emails_of(who)
    if mine is None or not cards:
        return cards
    with who.deps.engine.connect() as conn:
        owner_of = dict(
            conn.execute(select(Lead.id, Lead.owner_id).where(Lead.id.in_([c.lead_id for c in cards]))).all()
        )
    for card in cards:
        if owner_of.get(card.lead_id) not in mine:
            card.email = None
    return cards


def _emails_of(who: Caller):
    """Whose lead emails the caller sees: all (None) when they may read people data, else their own."""
    from tools.scope import may_read_people

    if may_read_people(who.actor):
        return None
    return frozenset({who.actor.user_id}) if who.actor.user_id is not None else frozenset()


@router.post("/score", response_model=ScoredLeads, summary="Score leads now and store the scores")
def score_leads(request: ScoreRequest, who: Caller = Depends(caller)):
    from tools.leads import scoring

    engine, today = who.deps.engine, who.deps.today()
    if request.all_open:
        if not who.actor.is_manager:
            raise Problem(403, "Only managers and admins score all open leads; send the ids of your leads.")
        run = scoring.score_open_leads(engine, today, now=who.deps.now(), train_if_missing=False)
        return ScoredLeads(scored=run.scored, scored_by=run.scored_by, leads=[])
    _refuse_outside_scope(who, _existing(engine, request.ids))
    cards = _hide_emails(who, scoring.score_leads(engine, request.ids, today, now=who.deps.now()))
    found = {c.lead_id for c in cards}
    missing = [i for i in dict.fromkeys(request.ids) if i not in found]
    if not cards:
        raise Problem(404, f"There is no lead with the ids {missing[:10]}.", kind="no-such-lead")
    scored_by = cards[0].scored_by
    return ScoredLeads(
        scored=len(cards), scored_by=scored_by, leads=[lead_body(c) for c in cards], missing_ids=missing
    )
