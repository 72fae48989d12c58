"""Checking one invoice (a new draft, or an edit before it is saved) against all the others.

Candidates come from one indexed SQL range query on (total, issue_date): a copy must have nearly
the same amount and a date within ``WINDOW_DAYS`` or no date at all, so nothing else can match
(covering index ``ix_invoices_dup_check`` on (total, issue_date, status, company_id, deal_id),
which ``crmbot db upgrade`` creates). They are narrowed in Python to the same customer, and only
the survivors are read in full, with the few rows the look-alike rules need: the deal's other
invoices, the customer's invoices of the same amount (a subscription's rhythm), credit notes of
that amount.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import Connection, and_, or_, select, union_all

from db.models import Company, Deal, Invoice
from tools.invoices.companies import company_key, domain_key
from tools.invoices.duplicates import lookalikes
from tools.invoices.duplicates.columns import columns_from_rows
from tools.invoices.duplicates.reasons import reasons_for
from tools.invoices.duplicates.scoring import (
    CROSS_RECORD_DAYS,
    RELATIVE_TOLERANCE,
    ROUNDING_TOLERANCE_CENTS,
    THRESHOLD,
    WINDOW_DAYS,
    score_pairs,
    with_suffix,
)
from tools.invoices.results import DuplicateMatch

COMPANY_KEYS_TTL_S = 600.0
_COMPANY_KEYS: dict[tuple[str, int], tuple[str, str, float]] = {}
_COMPANY_KEYS_LIMIT = 1_000_000


@dataclass(frozen=True)
class InvoiceFacts:
    """What is known of an invoice being checked (a draft not yet saved has no id; a draft not
    yet issued has no issue date)."""

    number: str
    company_id: int | None
    deal_id: int | None
    issue_date: date | None
    total: Decimal
    currency: str = "USD"
    id: int | None = None
    company_name: str | None = None
    domain: str | None = None
    due_date: date | None = None
    subtotal: Decimal | None = None
    deal_amount: Decimal | None = None
    deal_currency: str | None = None

    @classmethod
    def of_view(cls, view) -> InvoiceFacts:
        """The facts of a stored invoice (an InvoiceView), to check it against the others."""
        return cls(
            number=view.number,
            company_id=view.company_id,
            deal_id=view.deal_id,
            issue_date=view.issue_date,
            total=view.total,
            currency=view.currency,
            id=view.id,
            due_date=view.due_date,
            subtotal=view.subtotal,
        )


def _company_keys(conn: Connection, company_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(name key, domain key) per company id, remembered per database for ``COMPANY_KEYS_TTL_S``.

    A popular price brings thousands of candidate invoices of other customers; looking their
    companies up again for every draft would cost more than the whole check may take.
    """
    db = conn.engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    missing = [
        c for c in company_ids if now - _COMPANY_KEYS.get((db, c), ("", "", -1e9))[2] > COMPANY_KEYS_TTL_S
    ]
    if missing:
        if len(_COMPANY_KEYS) > _COMPANY_KEYS_LIMIT:
            _COMPANY_KEYS.clear()
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            for company in conn.execute(
                select(Company.id, Company.name, Company.domain).where(Company.id.in_(chunk))
            ):
                _COMPANY_KEYS[(db, company.id)] = (company_key(company.name), domain_key(company.domain), now)
    return {c: _COMPANY_KEYS.get((db, c), ("", "", 0.0))[:2] for c in company_ids}


def forget_company_keys() -> None:
    _COMPANY_KEYS.clear()


def _full_rows_query():
    return (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.company_id,
            Company.name.label("company_name"),
            Company.domain,
            Invoice.deal_id,
            Invoice.issue_date,
            Invoice.due_date,
            Invoice.subtotal,
            Invoice.total,
            Invoice.currency,
            Deal.amount.label("deal_amount"),
            Deal.currency.label("deal_currency"),
        )
        .outerjoin(Company, Company.id == Invoice.company_id)
        .outerjoin(Deal, Deal.id == Invoice.deal_id)
    )


def _amount_segments(total: Decimal):
    """Three index ranges, so that a popular price (thousands of invoices of exactly 1,200.00) is
    read only for its dates (equality on total, range on date), never walked in full."""
    slack = max(Decimal(ROUNDING_TOLERANCE_CENTS) / 100, abs(total) * Decimal(str(RELATIVE_TOLERANCE)))
    return (
        Invoice.total == total,
        and_(Invoice.total >= total - slack, Invoice.total < total),
        and_(Invoice.total > total, Invoice.total <= total + slack),
    )


def _near(day: date | None, days: int):
    """Dated within ``days`` of ``day``, or not dated; anything when ``day`` is unknown."""
    if day is None:
        return Invoice.status != "void"
    window = timedelta(days=days)
    return and_(
        or_(Invoice.issue_date.is_(None), Invoice.issue_date.between(day - window, day + window)),
        Invoice.status != "void",
    )


def _candidate_ids(conn: Connection, facts: InvoiceFacts, exclude: set[int]) -> list[int]:
    """Invoices that could be a copy: nearly the same total, dated near or not at all, of the same
    customer (company, name, domain or deal) or, for a saved invoice, with a mistyped number."""
    from rapidfuzz.distance import OSA

    total = Decimal(str(facts.total))
    # only columns of the covering index (total, issue_date, status, company_id, deal_id): no table reads
    columns = (Invoice.id, Invoice.company_id, Invoice.deal_id, Invoice.issue_date)
    in_window = _near(facts.issue_date, WINDOW_DAYS)
    if facts.issue_date is None:
        # any date: only the same company record or deal, read inside the index (a popular price
        # has tens of thousands of invoices); an undated copy on another record is left to the scan
        mine = [Invoice.company_id == facts.company_id] if facts.company_id is not None else []
        mine += [Invoice.deal_id == facts.deal_id] if facts.deal_id is not None else []
        in_window = and_(in_window, or_(*mine)) if mine else and_(in_window, Invoice.id.is_(None))
    query = union_all(*(select(*columns).where(segment, in_window) for segment in _amount_segments(total)))
    rows = [r for r in conn.execute(query).all() if r.id not in exclude]
    if not rows:
        return []
    other_companies = {r.company_id for r in rows if r.company_id and r.company_id != facts.company_id}
    my_name, my_domain = company_key(facts.company_name), domain_key(facts.domain)
    related = {
        company_id
        for company_id, (name, domain) in _company_keys(conn, other_companies).items()
        if (my_name and name == my_name) or (my_domain and domain == my_domain)
    }
    keep = [
        r.id
        for r in rows
        if (facts.company_id and r.company_id == facts.company_id)
        or r.company_id in related
        or (facts.deal_id and r.deal_id == facts.deal_id)
    ]
    if facts.id is not None and facts.issue_date is not None:
        # a saved invoice's number may be a retyped copy of another customer's; a new draft's is fresh
        near = [
            r.id
            for r in rows
            if r.issue_date is not None and abs((r.issue_date - facts.issue_date).days) <= CROSS_RECORD_DAYS
        ]
        if near:
            numbers = conn.execute(select(Invoice.id, Invoice.number).where(Invoice.id.in_(near))).all()
            keep += [
                i
                for i, n in numbers
                if OSA.distance(n or "", facts.number) <= 1 or with_suffix(n or "", facts.number)
            ]
    return sorted(set(keep))


def _context_ids(
    conn: Connection, facts: InvoiceFacts, candidates: list[int], exclude: set[int]
) -> list[int]:
    """The rows the look-alike rules need beside the candidates."""
    total = Decimal(str(facts.total))
    queries = [  # credit notes of this amount near this date
        select(Invoice.id).where(
            Invoice.total.between(-total - Decimal("0.01"), -total + Decimal("0.01")),
            _near(facts.issue_date, WINDOW_DAYS + CROSS_RECORD_DAYS),
        )
    ]
    if facts.deal_id is not None:  # the deal's invoices: is it invoiced beyond its amount?
        queries.append(select(Invoice.id).where(Invoice.deal_id == facts.deal_id, Invoice.status != "void"))
    if facts.company_id is not None and candidates:  # the customer's invoices of this amount: a rhythm?
        queries.append(
            select(Invoice.id).where(
                Invoice.total == total, Invoice.company_id == facts.company_id, Invoice.status != "void"
            )
        )
    found = {i for (i,) in conn.execute(union_all(*queries))} if queries else set()
    return sorted(found - exclude - set(candidates))


def _with_company_and_deal(conn: Connection, facts: InvoiceFacts) -> InvoiceFacts:
    if facts.company_id and (facts.company_name is None or facts.domain is None):
        company = conn.execute(
            select(Company.name, Company.domain).where(Company.id == facts.company_id)
        ).first()
        if company:
            facts = replace(facts, company_name=company.name, domain=company.domain)
    if facts.deal_id and facts.deal_amount is None:
        deal = conn.execute(select(Deal.amount, Deal.currency).where(Deal.id == facts.deal_id)).first()
        if deal:
            facts = replace(facts, deal_amount=deal.amount, deal_currency=deal.currency)
    return facts


def check_invoice(
    conn: Connection, facts: InvoiceFacts, exclude_ids: tuple[int, ...] = (), threshold: float = THRESHOLD
) -> list[DuplicateMatch]:
    """Existing invoices that ``facts`` looks like a copy of (or, if it is older, a copy of it)."""
    facts = _with_company_and_deal(conn, facts)
    exclude = set(exclude_ids) | ({facts.id} if facts.id is not None else set())
    candidates = _candidate_ids(conn, facts, exclude)
    if not candidates:
        return []
    context = _context_ids(conn, facts, candidates, exclude)
    rows = conn.execute(_full_rows_query().where(Invoice.id.in_(candidates + context))).all()
    rows.sort(key=lambda r: (r.id not in set(candidates), r.id))
    mine = replace(facts, id=facts.id if facts.id is not None else -1)
    cols = columns_from_rows([mine, *rows])
    n_candidates = sum(1 for r in rows if r.id in set(candidates))
    j = np.arange(1, n_candidates + 1)
    i = np.zeros(len(j), dtype=np.int64)
    scores = score_pairs(cols, i, j)
    deals, _ = lookalikes.apply(cols, i, j, scores, threshold)
    matches = []
    for k in np.argsort(-scores.score, kind="stable"):
        if scores.score[k] < threshold:
            break
        other = int(cols.ids[j[k]])
        mine_is_later = facts.id is None or facts.id > other
        matches.append(
            DuplicateMatch(
                invoice_id=(facts.id if facts.id is not None else 0) if mine_is_later else other,
                duplicate_of=other if mine_is_later else (facts.id or 0),
                score=float(scores.score[k]),
                reasons=reasons_for(cols, 0, int(j[k]), scores, int(k), deals),
                invoice_number=facts.number if mine_is_later else cols.numbers[j[k]],
                duplicate_of_number=cols.numbers[j[k]] if mine_is_later else facts.number,
            )
        )
    return matches
