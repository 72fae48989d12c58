"""Customer insights over HTTP: a company's (or a contact's company's) health, churn and value.

The body carries the contract's ``customer_insights`` columns at its top level, rounded as the
refresh job stores them, plus what the Slack card shows: the breakdown, the churn reasons and
the recommended next actions. The same tool makes the card (tools/insights/service.py).
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select

from bot.api.deps import Caller, caller
from bot.api.problems import Problem
from tools.results import Message

router = APIRouter(prefix="/api/crm", tags=["insights"])
CompanyId = Path(..., ge=1, description="companies.id")
ContactId = Path(..., ge=1, description="contacts.id")


class Breakdown(BaseModel):
    name: str  # engagement, payment, support
    score: float
    parts: dict[str, float | None]
    facts: dict[str, float | int | None]


class ChurnReason(BaseModel):
    text: str
    feature: str
    category: str
    weight: float


class NextAction(BaseModel):
    action: str
    reason: str
    priority: int
    kind: str


class Insights(BaseModel):
    company_id: int
    company_name: str
    owner: str | None
    health_score: float
    engagement_score: float
    payment_score: float
    support_score: float
    churn_risk: str
    churn_probability: float
    predicted_churn_date: date | None
    ltv: float
    predicted_ltv_12m: float
    computed_at: datetime
    band: str  # green, yellow, red
    band_note: str | None
    churn_method: str  # model or rules
    ltv_method: str
    computed_now: bool  # True: computed for this answer, nothing stored yet
    breakdown: list[Breakdown]
    reasons: list[ChurnReason]
    recommendations: list[NextAction]


def contract_values(who: Caller, card) -> dict:
    """The customer_insights row as stored (the contract's own figures), or the card's when none is."""
    from tools.insights.service import stored_values

    return stored_values(who.deps.engine, card)


def insights_body(who: Caller, card) -> Insights:
    return Insights(
        company_id=card.company_id,
        company_name=card.company_name,
        owner=card.owner_name,
        **contract_values(who, card),
        band=card.band,
        band_note=card.band_note,
        churn_method=card.churn_method,
        ltv_method=card.ltv_method,
        computed_now=card.computed_now,
        breakdown=[
            Breakdown(name=c.name, score=c.score, parts=c.parts, facts=c.facts) for c in card.components
        ],
        reasons=[ChurnReason(**vars(r)) for r in card.reasons],
        recommendations=[NextAction(**vars(r)) for r in card.recommendations],
    )


def company_card(who: Caller, company_id: int):
    """The card of a customer company, or the problem that says why there is none."""
    from tools.insights.service import company_insight_by_id

    card = company_insight_by_id(who.deps.engine, who.deps.today(), company_id, scope=who.scope())
    if card is None:
        raise Problem(404, f"There is no company {company_id}.", kind="no-such-company")
    if isinstance(card, Message) and card.kind == "refused":
        raise Problem(403, card.text, kind="not-in-your-scope", company_id=company_id)
    if isinstance(card, Message):
        raise Problem(404, card.text, kind="no-insights", company_id=company_id)
    return card


def contact_company(who: Caller, contact_id: int) -> int:
    from db.models import Contact

    with who.deps.engine.connect() as conn:
        row = conn.execute(select(Contact.company_id).where(Contact.id == contact_id)).first()
    if row is None:
        raise Problem(404, f"There is no contact {contact_id}.", kind="no-such-contact")
    if row.company_id is None:
        raise Problem(
            404, f"Contact {contact_id} belongs to no company, so there are no insights.", kind="no-insights"
        )
    return row.company_id


def refresh(who: Caller, company_id: int):
    from tools.insights.refresh_company import refresh_companies

    who.outside_scope(company_id)

    # only customers are scored; for anyone else the card below says why there is nothing (404)
    refresh_companies(who.deps.engine, who.deps.today(), [company_id], who.deps.now())
    return company_card(who, company_id)


@router.get("/companies/{company_id}/insights", response_model=Insights, summary="A customer's insights")
def company_insights(company_id: int = CompanyId, who: Caller = Depends(caller)):
    return insights_body(who, company_card(who, company_id))


@router.post(
    "/companies/{company_id}/insights/refresh",
    response_model=Insights,
    summary="Recompute a customer's insights now and store them",
)
def refresh_company_insights(company_id: int = CompanyId, who: Caller = Depends(caller)):
    return insights_body(who, refresh(who, company_id))


@router.get(
    "/contacts/{contact_id}/insights", response_model=Insights, summary="The insights of a contact's company"
)
def contact_insights(contact_id: int = ContactId, who: Caller = Depends(caller)):
    return insights_body(who, company_card(who, contact_company(who, contact_id)))


@router.post(
    "/contacts/{contact_id}/insights/refresh",
    response_model=Insights,
    summary="Recompute the insights of a contact's company now",
)
def refresh_contact_insights(contact_id: int = ContactId, who: Caller = Depends(caller)):
    return insights_body(who, refresh(who, contact_company(who, contact_id)))


PANEL_HEADERS = {
    # the panel is embedded in the CRM's page: no scripts, no outside resources, styles inline
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=60",
}


@router.get(
    "/companies/{company_id}/insights/panel",
    response_class=HTMLResponse,
    summary="The insights panel as HTML (server-side, no scripts) for the CRM's company page",
)
def company_insights_panel(company_id: int = CompanyId, who: Caller = Depends(caller)):
    from bot.api.panel import render_panel

    return HTMLResponse(render_panel(company_card(who, company_id)), headers=PANEL_HEADERS)
