"""Drafting invoices from won deals: lines and discounts, tax, payment terms, instalments, numbers,
and the duplicate check, all in one transaction per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, Engine, insert, select

from crmbot.words import INTERVAL_MONTHS, INTERVALS
from db.models import Company, Deal, DealLineItem, Invoice, InvoiceLine, InvoiceState
from db.vocab import PAYMENT_TERMS, PAYMENT_TERMS_DAYS
from tools.actor import Actor
from tools.invoices.audit import audit, moment, settings, who
from tools.invoices.duplicates import InvoiceFacts, check_invoice
from tools.invoices.money import line_amount, max_amount, split_evenly, tax_on, to_money
from tools.invoices.numbering import reserve_numbers
from tools.invoices.results import DraftResult
from tools.invoices.tax import TaxDecision, decide_tax
from tools.invoices.terms import cap_terms, suggest_terms
from tools.invoices.views import load_views
from tools.scope import actor_company_problem

MAX_PARTS = 24


@dataclass(frozen=True)
class _Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    product_id: int | None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    return day + relativedelta(months=months)


def _deal_lines(conn: Connection, deal) -> list[_Line]:
    rows = conn.execute(
        select(DealLineItem).where(DealLineItem.deal_id == deal.id).order_by(DealLineItem.id)
    ).all()
    if not rows:
        amount = to_money(deal.amount)
        return [_Line(deal.name, Decimal("1.00"), amount, amount, None)]
    lines = []
    for row in rows:
        discount = Decimal(str(row.discount_pct or 0))
        description = row.description or f"Product {row.product_id}"
        if discount:
            description += f" ({discount.normalize():f}% discount)"
        lines.append(
            _Line(
                description,
                to_money(row.quantity),
                to_money(row.unit_price),
                line_amount(row.quantity, row.unit_price, discount),
                row.product_id,
            )
        )
    return lines


def _refused(message: str, actor: Actor, refusal: str, **extra) -> DraftResult:
    """Nothing drafted; ``refusal`` says why for programs (invalid, forbidden, not_found, conflict)."""
    return DraftResult(ok=False, message=message, actor_name=who(actor), refusal=refusal, **extra)


def _validate_draft_request(parts, interval: str, terms: str | None) -> str | None:
    if not isinstance(parts, int) or isinstance(parts, bool) or not 1 <= parts <= MAX_PARTS:
        return f"The number of parts must be a whole number from 1 to {MAX_PARTS} (got {parts!r})."
    if parts > 1 and INTERVALS.get(interval, interval) not in INTERVAL_MONTHS:
        return f"I can split invoices monthly, quarterly, semiannually or yearly, not {interval!r}."
    if terms is not None and terms not in PAYMENT_TERMS:
        return "Payment terms must be one of " + ", ".join(PAYMENT_TERMS) + f" (got {terms!r})."
    return None


def _part_lines(lines: list[_Line], part_amounts: list[list[Decimal]], part: int, parts: int) -> list[_Line]:
    if parts == 1:
        return lines
    return [
        _Line(
            f"{line.description} (part {part + 1} of {parts})",
            Decimal("1.00"),
            amounts[part],
            amounts[part],
            line.product_id,
        )
        for line, amounts in zip(lines, part_amounts, strict=True)
    ]


def draft_from_deal(
    engine: Engine,
    deal_id: int,
    actor: Actor,
    today: date,
    parts: int = 1,
    interval: str = "quarterly",
    terms: str | None = None,
    now: datetime | None = None,
) -> DraftResult:
    """Draft the invoice(s) for a closed_won deal, pending approval, with terms and duplicate warnings.

    ``parts`` > 1 makes installments, one every ``interval`` from today, that add up to the
    deal (and its tax) to the cent; the last part takes the rounding remainder.
    """
    problem = _validate_draft_request(parts, interval, terms)
    if problem:
        return _refused(problem, actor, "invalid")
    if actor.user_id is None:
        return _refused(
            "I don't know which CRM user you are, so I can't record who drafted it.", actor, "forbidden"
        )
    config = settings()
    now = moment(now, today)
    with engine.connect() as conn:
        deal = conn.execute(select(Deal).where(Deal.id == deal_id)).first()
        if deal is None:
            return _refused(f"There is no deal {deal_id}.", actor, "not_found")
        outside = actor_company_problem(conn, actor, deal.company_id)
        if outside:
            return _refused(outside, actor, "forbidden")
        if deal.stage != "closed_won":
            return _refused(
                f"Deal {deal.id} ({deal.name}) is in stage '{deal.stage}': only closed_won deals can be invoiced.",
                actor,
                "conflict",
            )
        company = conn.execute(select(Company).where(Company.id == deal.company_id)).first()
        lines = _deal_lines(conn, deal)
        suggestion = suggest_terms(
            conn, deal.company_id, today, config.default_payment_terms, deal.currency or "USD"
        )
        country = company.country if company else None
        tax = decide_tax(conn, deal.company_id, deal.id, country, company.name if company else None)
    chosen_terms, _ = cap_terms(terms or suggestion.terms, country)
    deal_total = sum((line.amount for line in lines), Decimal("0.00"))
    if deal_total + tax_on(deal_total, tax.rate) > max_amount():
        return _refused(
            f"Deal {deal.id} ({deal.name}) comes to {deal.currency or 'USD'} {deal_total:,.2f} before tax, above the "
            f"largest invoice amount accepted ({max_amount():,.2f}, CRMBOT_MAX_INVOICE_AMOUNT). Check the deal's lines.",
            actor,
            "invalid",
        )

    try:
        invoice_ids, numbers, duplicates, existing_numbers = _insert_drafts(
            engine, deal, lines, deal_total, parts, interval, chosen_terms, tax, actor, today, now
        )
    except _AlreadyInvoiced as exc:
        return _refused(
            f"Deal {deal.id} ({deal.name}) is already fully invoiced: {', '.join(exc.numbers)}.",
            actor,
            "conflict",
            existing_numbers=exc.numbers,
        )
    with engine.connect() as conn:
        views = load_views(conn, invoice_ids)
    what = numbers[0] if parts == 1 else f"{parts} {interval} installments ({numbers[0]} .. {numbers[-1]})"
    message = (
        f"Drafted {what} for {deal.name}: {deal.currency or 'USD'} {sum(v.total for v in views):,.2f} "
        "incl. tax, pending approval."
    )
    if duplicates:
        originals = sorted({d.duplicate_of_number or str(d.duplicate_of) for d in duplicates})
        message += " Warning: this looks like a duplicate of " + ", ".join(originals) + "."
    return DraftResult(
        ok=True,
        message=message,
        invoices=views,
        terms=suggestion,
        duplicates=duplicates,
        actor_name=who(actor),
        existing_numbers=existing_numbers,
        tax_rate=tax.rate,
        tax_source=tax.source,
        tax_note=tax.explanation,
    )


class _AlreadyInvoiced(Exception):
    def __init__(self, numbers: list[str]):
        super().__init__(numbers)
        self.numbers = numbers


def _insert_drafts(
    engine,
    deal,
    lines,
    deal_total,
    parts,
    interval,
    chosen_terms,
    tax_decision: TaxDecision,
    actor,
    today,
    now,
):
    """Number, split, check and insert the drafts in one transaction; (ids, numbers, duplicates, existing)."""
    with engine.begin() as conn:
        numbers = reserve_numbers(conn, today.year, parts)  # from here drafts queue behind each other
        existing = conn.execute(
            select(Invoice.number, Invoice.subtotal)
            .where(Invoice.deal_id == deal.id, Invoice.status != "void")
            .order_by(Invoice.id)
        ).all()
        invoiced = sum((to_money(row.subtotal) for row in existing), Decimal("0.00"))
        existing_numbers = [row.number for row in existing]
        if invoiced >= deal_total:
            raise _AlreadyInvoiced(existing_numbers)  # rolls back the numbers taken too
        if invoiced > 0:  # invoice what is left, as one line
            remaining = deal_total - invoiced
            lines = [
                _Line(
                    f"Balance of {deal.name} (after {', '.join(existing_numbers)})",
                    Decimal("1.00"),
                    remaining,
                    remaining,
                    None,
                )
            ]
            deal_total = remaining
        per_line = [split_evenly(line.amount, parts) for line in lines]
        rate = tax_decision.rate
        total_tax = tax_on(deal_total, rate)
        invoice_ids, duplicates = [], []
        tax_so_far = Decimal("0.00")
        for part in range(parts):
            part_lines = _part_lines(lines, per_line, part, parts)
            subtotal = sum((line.amount for line in part_lines), Decimal("0.00"))
            tax = total_tax - tax_so_far if part == parts - 1 else tax_on(subtotal, rate)
            tax_so_far += tax
            issue = add_months(today, part * INTERVAL_MONTHS.get(INTERVALS.get(interval, interval), 3))
            due = issue + timedelta(days=PAYMENT_TERMS_DAYS[chosen_terms])
            facts = InvoiceFacts(
                number=numbers[part],
                company_id=deal.company_id,
                deal_id=deal.id,
                issue_date=issue,
                total=subtotal + tax,
                currency=deal.currency or "USD",
                due_date=due,
                subtotal=subtotal,
            )
            duplicates.extend(check_invoice(conn, facts, exclude_ids=tuple(invoice_ids)))
            invoice_id = conn.execute(
                insert(Invoice)
                .values(
                    number=numbers[part],
                    company_id=deal.company_id,
                    deal_id=deal.id,
                    status="pending_approval",
                    issue_date=issue,
                    due_date=due,
                    payment_terms=chosen_terms,
                    currency=deal.currency or "USD",
                    subtotal=subtotal,
                    tax=tax,
                    total=subtotal + tax,
                    created_by=actor.user_id,
                    created_at=now,
                )
                .returning(Invoice.id)
            ).scalar_one()
            conn.execute(
                insert(InvoiceLine),
                [
                    {
                        "invoice_id": invoice_id,
                        "product_id": line.product_id,
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "amount": line.amount,
                    }
                    for line in part_lines
                ],
            )
            conn.execute(
                insert(InvoiceState).values(
                    invoice_id=invoice_id, version=0, tax_rate=rate, tax_source=tax_decision.source
                )
            )
            audit(
                conn,
                actor,
                now,
                invoice_id,
                "draft",
                {
                    "status": [None, "pending_approval"],
                    "number": numbers[part],
                    "deal_id": deal.id,
                    "total": str(subtotal + tax),
                    "payment_terms": chosen_terms,
                    "tax": [str(rate), tax_decision.source],
                    "part": [part + 1, parts],
                    "possible_duplicates": [
                        d.duplicate_of for d in duplicates if d.invoice_number == numbers[part]
                    ],
                },
            )
            invoice_ids.append(invoice_id)
    return invoice_ids, numbers, duplicates, existing_numbers
