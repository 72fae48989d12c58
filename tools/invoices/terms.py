"""Payment terms suggested from how a customer has paid before.

The facts: average days from issue to full payment, days paid beyond the terms (weighted by
amount, so one small late invoice does not outweigh many large punctual ones) and the balance
overdue today. The rules below turn them into due_on_receipt .. net_60, with a "2/10 net 30"
early-payment offer for customers who already pay early.

EU rule: the Late Payment Directive (2011/7/EU) limits business-to-business terms to 60 days
unless expressly agreed, so a customer in the EU is never offered more than net 60
(``EU_MAX_TERMS_DAYS``), whatever the default or the history says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from db.models import Company, Invoice, Payment
from db.vocab import PAYMENT_TERMS, PAYMENT_TERMS_DAYS
from tools.invoices.results import TermsSuggestion
from tools.invoices.tax import country_code

EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EU_MAX_TERMS_DAYS = 60
EARLY_PAYMENT_OFFER = "2/10 net 30"

MIN_HISTORY = 2  # paid invoices needed before the history speaks louder than the default


@dataclass(frozen=True)
class PaymentHistory:
    paid_invoices: int
    average_days_to_pay: float | None
    weighted_days_late: float | None
    overdue_balance: Decimal
    oldest_overdue_days: int


def is_eu(country: str | None) -> bool:
    return country_code(country) in EU_COUNTRIES


def cap_terms(terms: str, country: str | None) -> tuple[str, bool]:
    """``terms`` limited to what the customer's jurisdiction allows; (terms, was_capped)."""
    if is_eu(country) and PAYMENT_TERMS_DAYS[terms] > EU_MAX_TERMS_DAYS:
        allowed = [t for t in PAYMENT_TERMS if PAYMENT_TERMS_DAYS[t] <= EU_MAX_TERMS_DAYS]
        return max(allowed, key=PAYMENT_TERMS_DAYS.get), True
    return terms, False


def payment_history(conn: Connection, company_ids: list[int], today: date) -> PaymentHistory:
    """How the customer paid its invoices issued before today."""
    invoices = conn.execute(
        select(Invoice.id, Invoice.issue_date, Invoice.due_date, Invoice.total, Invoice.status).where(
            Invoice.company_id.in_(company_ids),
            Invoice.status.in_(("sent", "paid")),
            Invoice.issue_date <= today,
        )
    ).all()
    if not invoices:
        return PaymentHistory(0, None, None, Decimal("0.00"), 0)
    paid_by_invoice: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = conn.execute(
        select(Payment.invoice_id, Payment.paid_at, Payment.amount).where(
            Payment.invoice_id.in_([i.id for i in invoices]), Payment.paid_at <= today
        )
    )
    for invoice_id, paid_at, amount in rows:
        paid_by_invoice[invoice_id].append((paid_at, Decimal(str(amount))))

    days_to_pay, late_weighted, weights = [], Decimal(0), Decimal(0)
    overdue, oldest_overdue = Decimal("0.00"), 0
    for inv in invoices:
        total = Decimal(str(inv.total))
        payments = sorted(paid_by_invoice.get(inv.id, []))
        paid, settled_on = Decimal(0), None
        for paid_at, amount in payments:
            paid += amount
            if paid >= total - Decimal("0.005"):
                settled_on = paid_at
                break
        if settled_on is not None and inv.issue_date:
            days_to_pay.append((settled_on - inv.issue_date).days)
            due = inv.due_date or inv.issue_date
            late_weighted += total * max(0, (settled_on - due).days)
            weights += total
        elif inv.due_date and inv.due_date < today:
            overdue += total - paid
            oldest_overdue = max(oldest_overdue, (today - inv.due_date).days)
            # an unpaid invoice past due counts as late up to today
            late_weighted += total * (today - inv.due_date).days
            weights += total
    return PaymentHistory(
        paid_invoices=len(days_to_pay),
        average_days_to_pay=sum(days_to_pay) / len(days_to_pay) if days_to_pay else None,
        weighted_days_late=float(late_weighted / weights) if weights else None,
        overdue_balance=overdue.quantize(Decimal("0.01")),
        oldest_overdue_days=oldest_overdue,
    )


def suggest_from_history(
    history: PaymentHistory, default_terms: str, currency: str = ""
) -> tuple[str, str, str | None]:
    """(terms, one-sentence reason, early-payment offer or None): the rules, kept in one place."""
    money = f"{currency} {history.overdue_balance:,.2f}".strip()
    late = history.weighted_days_late or 0.0
    if history.overdue_balance > 0 and history.oldest_overdue_days > 30:
        return (
            "due_on_receipt",
            f"{money} is overdue now, the oldest by {history.oldest_overdue_days} days.",
            None,
        )
    if history.paid_invoices < MIN_HISTORY:
        if history.overdue_balance > 0:
            return "net_15", f"Little payment history and {money} overdue now.", None
        return default_terms, "New customer with little payment history: the standard terms.", None
    avg = history.average_days_to_pay or 0.0
    if late > 20:
        return "due_on_receipt", f"Pays {late:.0f} days late on average (weighted by amount).", None
    if late > 7:
        return "net_15", f"Pays {late:.0f} days past the terms on average (weighted by amount).", None
    if history.overdue_balance > 0:
        return "net_30", f"Usually pays on time, but {money} is overdue now.", None
    if avg <= 12 and late <= 1:
        return (
            "net_30",
            f"Pays early (in {avg:.0f} days on average over {history.paid_invoices} invoices): "
            f"offer {EARLY_PAYMENT_OFFER}.",
            EARLY_PAYMENT_OFFER,
        )
    if late <= 1 and history.paid_invoices >= 8:
        return "net_60", f"Always on time over {history.paid_invoices} invoices: longer terms are safe.", None
    if late <= 2 and history.paid_invoices >= 4:
        return "net_45", f"On time over {history.paid_invoices} invoices (about {avg:.0f} days to pay).", None
    return (
        "net_30",
        f"Pays in about {avg:.0f} days, {late:.0f} days late on average: the standard terms.",
        None,
    )


def suggest_terms(
    conn: Connection, company_id: int | None, today: date, default_terms: str = "net_30", currency: str = ""
) -> TermsSuggestion:
    """The suggestion for a customer (its other company records included when given)."""
    if default_terms not in PAYMENT_TERMS:
        default_terms = "net_30"
    company = (
        conn.execute(select(Company.country).where(Company.id == company_id)).first() if company_id else None
    )
    country = company.country if company else None
    history = payment_history(conn, [company_id] if company_id else [], today)
    terms, reason, offer = suggest_from_history(history, default_terms, currency)
    terms, capped = cap_terms(terms, country)
    if capped:
        reason += f" Capped at {terms.replace('_', ' ')} for an EU customer (Late Payment Directive)."
    return TermsSuggestion(
        terms=terms,
        reason=reason,
        early_payment_offer=offer,
        average_days_to_pay=history.average_days_to_pay,
        weighted_days_late=history.weighted_days_late,
        overdue_balance=history.overdue_balance,
        paid_invoices=history.paid_invoices,
        capped_by_eu_rule=capped,
    )
