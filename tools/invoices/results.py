"""Typed results of the invoice tools (light: dataclasses and Decimal only).

The Slack listeners, the terminal chat and the CLI all render these same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class InvoiceLineView:
    id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    product_id: int | None = None


@dataclass(frozen=True)
class InvoiceView:
    """One invoice as the user sees it: numbers, parties, money, lines and who did what."""

    id: int
    number: str
    status: str
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
    created_by: int | None = None
    created_by_name: str | None = None
    approved_by: int | None = None
    approved_by_name: str | None = None
    approved_at: datetime | None = None
    created_at: datetime | None = None
    rejected_reason: str | None = None
    lines: tuple[InvoiceLineView, ...] = ()
    version: int = 0  # crmbot_invoice_state.version (0: never changed); buttons carry it
    tax_rate: Decimal | None = None  # the rate decided when crmbot drafted it (None: not known)

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "pending_approval")


@dataclass(frozen=True)
class TermsSuggestion:
    """Suggested payment terms, an optional early-payment offer, and the one-sentence reason."""

    terms: str
    reason: str
    early_payment_offer: str | None = None  # e.g. "2/10 net 30"
    average_days_to_pay: float | None = None
    weighted_days_late: float | None = None
    overdue_balance: Decimal = Decimal("0.00")
    paid_invoices: int = 0
    capped_by_eu_rule: bool = False


@dataclass(frozen=True)
class DuplicateMatch:
    """``invoice_id`` (the later one) looks like a second copy of ``duplicate_of``."""

    invoice_id: int
    duplicate_of: int
    score: float
    reasons: tuple[str, ...]
    invoice_number: str | None = None
    duplicate_of_number: str | None = None

    def as_dict(self) -> dict:
        return {
            "invoice_id": self.invoice_id,
            "duplicate_of": self.duplicate_of,
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
        }


@dataclass
class DraftResult:
    ok: bool
    message: str
    invoices: list[InvoiceView] = field(default_factory=list)
    terms: TermsSuggestion | None = None
    duplicates: list[DuplicateMatch] = field(default_factory=list)
    actor_name: str | None = None
    existing_numbers: list[str] = field(default_factory=list)
    refusal: str | None = None  # why nothing was drafted: invalid, forbidden, not_found, conflict
    tax_rate: Decimal | None = None
    tax_source: str | None = None  # "history", "country table" or "default"
    tax_note: str | None = None  # the sentence that says which, and why

    @property
    def invoice(self) -> InvoiceView | None:
        return self.invoices[0] if self.invoices else None


@dataclass
class TransitionResult:
    ok: bool
    message: str
    action: str  # approve, reject, send, mark_paid, submit
    invoice: InvoiceView | None = None
    actor_name: str | None = None
    acted_at: datetime | None = None
    # the invoice changed after the clicker's message was drawn: nothing happened, and
    # ``invoice`` is the current version to show again (with fresh buttons) for review
    stale: bool = False
    refusal: str | None = None  # why nothing happened: not_found, forbidden, conflict, stale


@dataclass
class EditResult:
    ok: bool
    message: str
    invoice: InvoiceView | None = None
    changes: dict = field(default_factory=dict)  # field -> [old, new]
    duplicates: list[DuplicateMatch] = field(default_factory=list)
    actor_name: str | None = None
    # the invoice changed after the editor's copy of it was drawn: nothing was saved, and
    # ``invoice`` is the current version
    stale: bool = False


@dataclass
class PendingApprovals:
    invoices: list[InvoiceView]
    actor_name: str | None = None
    can_approve: bool = False


@dataclass
class InvoiceDetail:
    """One invoice shown on request, with any duplicates it has."""

    invoice: InvoiceView
    duplicates: list[DuplicateMatch] = field(default_factory=list)


@dataclass
class DuplicateReport:
    """A scan of all invoices (or the check of one): the suspected duplicates found."""

    matches: list[DuplicateMatch]
    scanned: int
    checked_invoice: InvoiceView | None = None
