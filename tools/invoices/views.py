"""Reading invoices as InvoiceView objects."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from db.models import Company, Deal, Invoice, InvoiceLine, InvoiceState, User
from tools.invoices.results import InvoiceLineView, InvoiceView


def _dec(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def load_views(conn: Connection, invoice_ids: list[int]) -> list[InvoiceView]:
    """Invoices with company, deal, people and lines, in the order of ``invoice_ids``."""
    if not invoice_ids:
        return []
    creator, approver = aliased(User), aliased(User)
    rows = conn.execute(
        select(
            Invoice,
            Company.name.label("company_name"),
            Deal.name.label("deal_name"),
            creator.name.label("created_by_name"),
            approver.name.label("approved_by_name"),
            InvoiceState.rejected_reason,
            InvoiceState.version,
            InvoiceState.tax_rate,
        )
        .outerjoin(Company, Company.id == Invoice.company_id)
        .outerjoin(Deal, Deal.id == Invoice.deal_id)
        .outerjoin(creator, creator.id == Invoice.created_by)
        .outerjoin(approver, approver.id == Invoice.approved_by)
        .outerjoin(InvoiceState, InvoiceState.invoice_id == Invoice.id)
        .where(Invoice.id.in_(invoice_ids))
    ).all()
    lines: dict[int, list[InvoiceLineView]] = defaultdict(list)
    for line in conn.execute(
        select(InvoiceLine).where(InvoiceLine.invoice_id.in_(invoice_ids)).order_by(InvoiceLine.id)
    ):
        lines[line.invoice_id].append(
            InvoiceLineView(
                id=line.id,
                description=line.description or "",
                quantity=_dec(line.quantity),
                unit_price=_dec(line.unit_price),
                amount=_dec(line.amount),
                product_id=line.product_id,
            )
        )
    views = {}
    for row in rows:
        m = row._mapping
        views[m["id"]] = InvoiceView(
            id=m["id"],
            number=m["number"],
            status=m["status"],
            company_id=m["company_id"],
            company_name=m["company_name"],
            deal_id=m["deal_id"],
            deal_name=m["deal_name"],
            issue_date=m["issue_date"],
            due_date=m["due_date"],
            payment_terms=m["payment_terms"],
            currency=m["currency"] or "USD",
            subtotal=_dec(m["subtotal"]),
            tax=_dec(m["tax"]),
            total=_dec(m["total"]),
            created_by=m["created_by"],
            created_by_name=m["created_by_name"],
            approved_by=m["approved_by"],
            approved_by_name=m["approved_by_name"],
            approved_at=m["approved_at"],
            created_at=m["created_at"],
            rejected_reason=m["rejected_reason"],
            lines=tuple(lines.get(m["id"], ())),
            version=m["version"] or 0,
            tax_rate=Decimal(str(m["tax_rate"])) if m["tax_rate"] is not None else None,
        )
    return [views[i] for i in invoice_ids if i in views]


def load_view(conn: Connection, invoice_id: int) -> InvoiceView | None:
    found = load_views(conn, [invoice_id])
    return found[0] if found else None
