"""Invoices over HTTP: draft from a won deal, read, check for duplicates, approve or reject.

Money moves only on a person's explicit act: drafting is a POST naming the deal; approving and
rejecting are POSTs that carry, as ``If-Match``, the version of the invoice the person looked at
(the ``ETag`` of GET /api/crm/invoices/{id}). A changed invoice answers 412 and nothing moves,
exactly as a stale Slack button does; the role rules are the invoice flow's own.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Header, Path, Response
from pydantic import BaseModel, Field

from bot.api.deps import Caller, caller
from bot.api.problems import Problem

router = APIRouter(prefix="/api/crm", tags=["invoices"])
InvoiceId = Path(..., ge=1, description="invoices.id")

REFUSAL_STATUS = {"invalid": 422, "forbidden": 403, "not_found": 404, "conflict": 409, "stale": 412}


class InvoiceLine(BaseModel):
    id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    product_id: int | None


class Invoice(BaseModel):
    id: int
    number: str
    status: str
    version: int  # send it back as If-Match to approve or reject
    company_id: int | None
    company_name: str | None
    deal_id: int | None
    deal_name: str | None
    issue_date: date | None
    due_date: date | None
    payment_terms: str | None
    currency: str
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    created_by: int | None
    created_by_name: str | None
    approved_by: int | None
    approved_by_name: str | None
    approved_at: datetime | None
    created_at: datetime | None
    rejected_reason: str | None
    lines: list[InvoiceLine]


class Duplicate(BaseModel):
    invoice_id: int
    duplicate_of: int
    score: float
    reasons: list[str]
    invoice_number: str | None
    duplicate_of_number: str | None


class Terms(BaseModel):
    terms: str
    reason: str
    early_payment_offer: str | None
    average_days_to_pay: float | None
    weighted_days_late: float | None
    overdue_balance: Decimal
    paid_invoices: int
    capped_by_eu_rule: bool


class DraftRequest(BaseModel):
    parts: int = Field(1, ge=1, le=24, description="1 for one invoice, more for installments")
    interval: str = Field(
        "quarterly", description="between installments: monthly, quarterly, semiannual, yearly"
    )
    terms: str | None = Field(None, description="payment terms; default: the suggested ones")


class Drafted(BaseModel):
    message: str
    invoices: list[Invoice]
    duplicates: list[Duplicate]
    terms: Terms | None


class Decision(BaseModel):
    reason: str | None = Field(None, max_length=500, description="why (shown with a rejection)")


class Outcome(BaseModel):
    message: str
    invoice: Invoice


def invoice_body(view) -> Invoice:
    from dataclasses import asdict

    data = asdict(view)
    data["lines"] = [InvoiceLine(**asdict(line)) for line in view.lines]
    return Invoice(**data)


def duplicate_body(match) -> Duplicate:
    return Duplicate(**{**vars(match), "reasons": list(match.reasons)})


def _view(who: Caller, invoice_id: int):
    from tools.invoices.views import load_view

    with who.deps.engine.connect() as conn:
        view = load_view(conn, invoice_id)
    if view is None:
        raise Problem(404, f"There is no invoice {invoice_id}.", kind="no-such-invoice")
    who.outside_scope(view.company_id, view.company_name)
    return view


def _etag(view) -> str:
    return f'"{view.version}"'


def expected_version(if_match: str | None, invoice_id: int) -> int:
    if if_match is None:
        raise Problem(
            428,
            f"Send the version of invoice {invoice_id} you reviewed as If-Match (the ETag of "
            f"GET /api/crm/invoices/{invoice_id}), so that you approve exactly what you saw.",
            kind="if-match-required",
        )
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise Problem(422, f'If-Match must be the invoice\'s version, such as "3", not {if_match[:40]!r}.')
    return int(text)


def _refused(result) -> Problem:
    status = REFUSAL_STATUS.get(result.refusal or "conflict", 409)
    extra = {}
    invoice = getattr(result, "invoice", None)
    if invoice is not None:
        extra["current_version"] = invoice.version
        extra["status_now"] = invoice.status
    headers = {"ETag": _etag(invoice)} if invoice is not None else None
    return Problem(
        status,
        result.message,
        kind=f"invoice-{(result.refusal or 'conflict').replace('_', '-')}",
        headers=headers,
        **extra,
    )


@router.post(
    "/deals/{deal_id}/invoices",
    response_model=Drafted,
    status_code=201,
    summary="Draft the invoice(s) of a won deal, pending approval",
)
def draft(request: DraftRequest, deal_id: int = Path(..., ge=1), who: Caller = Depends(caller)):
    from tools.invoices.flow import draft_from_deal

    result = draft_from_deal(
        who.deps.engine,
        deal_id,
        who.actor,
        who.deps.today(),
        parts=request.parts,
        interval=request.interval,
        terms=request.terms,
        now=who.deps.now(),
    )
    if not result.ok:
        raise _refused(result)
    terms = Terms(**vars(result.terms)) if result.terms else None
    return Drafted(
        message=result.message,
        invoices=[invoice_body(v) for v in result.invoices],
        duplicates=[duplicate_body(d) for d in result.duplicates],
        terms=terms,
    )


@router.get("/invoices/{invoice_id}", response_model=Invoice, summary="An invoice, with its version as ETag")
def get_invoice(response: Response, invoice_id: int = InvoiceId, who: Caller = Depends(caller)):
    view = _view(who, invoice_id)
    response.headers["ETag"] = _etag(view)
    return invoice_body(view)


@router.get(
    "/invoices/{invoice_id}/duplicates",
    response_model=list[Duplicate],
    summary="Existing invoices this one looks like a copy of",
)
def invoice_duplicates(invoice_id: int = InvoiceId, who: Caller = Depends(caller)):
    from tools.invoices.duplicates import InvoiceFacts, check_invoice

    view = _view(who, invoice_id)
    if view.issue_date is None:
        return []
    from tools.scope import visible_duplicate_pairs

    with who.deps.engine.connect() as conn:
        matches = check_invoice(conn, InvoiceFacts.of_view(view))
    return [duplicate_body(m) for m in visible_duplicate_pairs(who.deps.engine, who.scope(), matches)]


def _decide(action: str, who: Caller, invoice_id: int, if_match: str | None, reason: str | None) -> Outcome:
    from tools.invoices import flow

    version = expected_version(if_match, invoice_id)
    now = who.deps.now()
    if action == "approve":
        result = flow.approve(who.deps.engine, invoice_id, who.actor, now, expected_version=version)
    else:
        result = flow.reject(
            who.deps.engine, invoice_id, who.actor, now, reason=reason, expected_version=version
        )
    if not result.ok:
        raise _refused(result)
    return Outcome(message=result.message, invoice=invoice_body(result.invoice))


IfMatch = Header(None, alias="If-Match", description="The version you reviewed (the invoice's ETag)")


@router.post(
    "/invoices/{invoice_id}/approve",
    response_model=Outcome,
    summary="Approve the version you reviewed (If-Match); managers and admins",
)
def approve(
    response: Response,
    invoice_id: int = InvoiceId,
    if_match: str | None = IfMatch,
    who: Caller = Depends(caller),
):
    outcome = _decide("approve", who, invoice_id, if_match, None)
    response.headers["ETag"] = f'"{outcome.invoice.version}"'
    return outcome


@router.post(
    "/invoices/{invoice_id}/reject",
    response_model=Outcome,
    summary="Reject (void) the version you reviewed (If-Match)",
)
def reject(
    response: Response,
    decision: Decision | None = None,
    invoice_id: int = InvoiceId,
    if_match: str | None = IfMatch,
    who: Caller = Depends(caller),
):
    outcome = _decide("reject", who, invoice_id, if_match, decision.reason if decision else None)
    response.headers["ETag"] = f'"{outcome.invoice.version}"'
    return outcome


@router.get(
    "/companies/{company_id}/payment-terms",
    response_model=Terms,
    summary="The payment terms suggested for a company, and why",
)
def payment_terms(company_id: int = Path(..., ge=1), who: Caller = Depends(caller)):
    from sqlalchemy import select

    from db.models import Company
    from tools.invoices.terms import suggest_terms

    settings = who.deps.settings
    with who.deps.engine.connect() as conn:
        if conn.execute(select(Company.id).where(Company.id == company_id)).first() is None:
            raise Problem(404, f"There is no company {company_id}.", kind="no-such-company")
        who.outside_scope(company_id)
        suggestion = suggest_terms(conn, company_id, who.deps.today(), settings.default_payment_terms)
    return Terms(**vars(suggestion))
