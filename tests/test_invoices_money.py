"""Money in and out: typed amounts read strictly (every malformed one refused, the invoice unchanged,
in the tool, the chat and the CLI), due dates bounded, the approval limit compared in one currency,
and marking an invoice paid recording the payment that keeps revenue true."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text
from typer.testing import CliRunner

from bot.cli import app
from bot.conversation import Context
from bot.router import handle
from db.engine import get_engine
from db.models import AuditLog, Invoice, InvoiceLine, Payment
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import flow
from tools.invoices.money import MoneyInputError, parse_amount, parse_quantity

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 10, 42)
ADA = Actor(1, "Ada Admin", "admin", source="cli", label="cli:Ada")
DANA = Actor(2, "Dana Manager", "manager", source="slack", label="slack:U0DANA")
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")

MALFORMED_AMOUNTS = [
    "1,5",  # one and a half, or fifteen?
    "10,500",
    "1.234,50",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "1e309",
    "1e15",
    "5e+20",
    "9" * 400,
    "-5",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "12.345",  # three decimals
    "$100",
    "12 000",
    "100000001",  # above CRMBOT_MAX_INVOICE_AMOUNT (100,000,000)
]


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = get_engine(url)
    seed_small_crm(engine, TODAY)
    engine.dispose()
    return url


def snapshot(engine, invoice_id: int):
    with engine.connect() as conn:
        invoice = conn.execute(
            select(Invoice.total, Invoice.due_date, Invoice.payment_terms).where(Invoice.id == invoice_id)
        ).one()
        lines = conn.execute(
            select(InvoiceLine.quantity, InvoiceLine.unit_price, InvoiceLine.amount)
            .where(InvoiceLine.invoice_id == invoice_id)
            .order_by(InvoiceLine.id)
        ).all()
        audits = conn.execute(select(func.count()).where(AuditLog.entity_id == invoice_id)).scalar()
    return tuple(invoice), tuple(map(tuple, lines)), audits


# --------------------------------------------------------------------------- reading amounts


@pytest.mark.parametrize("typed", MALFORMED_AMOUNTS)
def test_parse_amount_refuses_ambiguous_forms_and_shows_the_accepted_one(typed):
    with pytest.raises(MoneyInputError) as refused:
        parse_amount(typed, "unit price")
    message = str(refused.value)
    assert "1250.50" in message or "largest amount" in message or "negative" in message
    assert len(message) < 400 and len(refused.value.short) <= 150


@pytest.mark.parametrize(
    "typed,value", [("1250", "1250.00"), ("1250.5", "1250.50"), ("0.99", "0.99"), (" 42 ", "42.00")]
)
def test_parse_amount_reads_the_one_form(typed, value):
    assert parse_amount(typed) == Decimal(value) and isinstance(parse_amount(typed), Decimal)


def test_quantities_are_positive_and_bounded():
    assert parse_quantity("2.5") == Decimal("2.50")
    for typed in ("0", "-1", "2,5", "1000001"):
        with pytest.raises(MoneyInputError):
            parse_quantity(typed)


# --------------------------------------------------------------------------- every way in


@pytest.mark.parametrize("typed", MALFORMED_AMOUNTS)
def test_a_malformed_amount_changes_nothing_through_the_tool(url, typed):
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY, now=NOW).invoice
    before = snapshot(engine, invoice.id)
    result = flow.edit(engine, invoice.id, RITA, NOW, {"lines": {1: {"unit_price": typed}}})
    assert not result.ok and ("1250.50" in result.message or "largest amount" in result.message)
    assert snapshot(engine, invoice.id) == before
    engine.dispose()


@pytest.mark.parametrize("typed", ["1,5", "١٢٣", "１２３", "1e309", "9" * 400])
def test_a_malformed_amount_changes_nothing_through_the_chat(url, typed):
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY, now=NOW).invoice
    before = snapshot(engine, invoice.id)
    ctx = Context(db_url=url, today=TODAY, actor=RITA, thread=None, channel="chat")
    reply = handle(f"change {invoice.number} line 1 unit price to {typed}", ctx)
    assert reply.result.ok is False and "1250.50" in reply.result.message
    assert snapshot(engine, invoice.id) == before
    ok = handle(f"change {invoice.number} line 1 unit price to 1100.00", ctx)
    assert ok.result.ok and ok.result.invoice.lines[0].unit_price == Decimal("1100.00")
    engine.dispose()


@pytest.mark.parametrize("typed", ["1,5", "１２３", "1e15", "9" * 400])
def test_a_malformed_amount_changes_nothing_through_the_cli(url, typed):
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY, now=NOW).invoice
    before = snapshot(engine, invoice.id)
    args = ["invoices", "edit", invoice.number, "--line", "1", "--unit-price", typed]
    out = CliRunner().invoke(app, [*args, "--db", url, "--as", "rita@example.org"])
    assert out.exit_code == 1 and "1250.50" in out.output and "Traceback" not in out.output
    assert snapshot(engine, invoice.id) == before
    engine.dispose()


@pytest.mark.parametrize("due", ["9999-12-31", "2026-01-01", "31/12/2026"])
def test_due_dates_are_bounded(url, due):
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY, now=NOW).invoice
    before = snapshot(engine, invoice.id)
    result = flow.edit(engine, invoice.id, RITA, NOW, {"due_date": due})
    assert not result.ok and any(
        w in result.message for w in ("too far ahead", "before the issue", "not a date")
    )
    assert snapshot(engine, invoice.id) == before
    ctx = Context(db_url=url, today=TODAY, actor=RITA, thread=None, channel="chat")
    assert handle(f"set the due date of {invoice.number} to {due}", ctx).result.ok is False
    assert snapshot(engine, invoice.id) == before
    engine.dispose()


def test_a_line_that_would_come_above_the_maximum_is_refused(url):
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY, now=NOW).invoice  # 10 seats
    before = snapshot(engine, invoice.id)
    result = flow.edit(engine, invoice.id, RITA, NOW, {"lines": {1: {"unit_price": "99999999.00"}}})
    assert not result.ok and "largest amount" in result.message
    assert snapshot(engine, invoice.id) == before
    engine.dispose()


# --------------------------------------------------------------------------- payments


def _sent(engine, deal_id=1):
    invoice = flow.draft_from_deal(engine, deal_id, RITA, TODAY, now=NOW).invoice
    assert flow.approve(engine, invoice.id, DANA, NOW).ok
    assert flow.send(engine, invoice.id, RITA, NOW).ok
    return invoice


def _revenue_and_outstanding(engine) -> tuple[Decimal, Decimal]:
    """The glossary's revenue (all payments) and outstanding (sent invoices less their payments)."""
    with engine.connect() as conn:
        revenue = conn.execute(text("SELECT coalesce(sum(amount), 0) FROM payments")).scalar()
        outstanding = conn.execute(
            text(
                "SELECT coalesce(sum(i.total - coalesce((SELECT sum(p.amount) FROM payments p "
                "WHERE p.invoice_id = i.id), 0)), 0) FROM invoices i WHERE i.status = 'sent'"
            )
        ).scalar()
    return Decimal(str(revenue)).quantize(Decimal("0.01")), Decimal(str(outstanding)).quantize(
        Decimal("0.01")
    )


def test_mark_paid_records_the_payment_so_revenue_is_the_sum_of_payments(url):
    engine = get_engine(url)
    invoice = _sent(engine)  # 11,541.65
    with engine.begin() as conn:  # the customer paid part by card already
        conn.execute(
            insert(Payment).values(
                invoice_id=invoice.id, company_id=1, amount="1541.65", paid_at=TODAY, method="card"
            )
        )
    revenue, outstanding = _revenue_and_outstanding(engine)
    result = flow.mark_paid(engine, invoice.id, DANA, NOW, method="bank_transfer")
    assert result.ok and result.invoice.status == "paid" and "10,000.00 recorded" in result.message
    with engine.connect() as conn:
        paid = conn.execute(select(func.sum(Payment.amount)).where(Payment.invoice_id == invoice.id)).scalar()
        last = conn.execute(
            select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id.desc())
        ).first()
    assert Decimal(str(paid)) == invoice.total
    assert (last.amount, last.paid_at, last.method) == (Decimal("10000.00"), NOW.date(), "bank_transfer")
    revenue_after, outstanding_after = _revenue_and_outstanding(engine)
    assert revenue_after - revenue == Decimal("10000.00")
    assert outstanding - outstanding_after == Decimal("10000.00")
    # a second mark-paid changes nothing and records nothing
    assert not flow.mark_paid(engine, invoice.id, DANA, NOW).ok
    assert _revenue_and_outstanding(engine) == (revenue_after, outstanding_after)
    engine.dispose()


def test_mark_paid_from_the_cli_and_the_chat(url):
    engine = get_engine(url)
    first, second = _sent(engine, 1), _sent(engine, 2)
    out = CliRunner().invoke(
        app,
        ["invoices", "mark-paid", first.number, "--method", "check", "--db", url, "--as", "dana@example.org"],
    )
    assert out.exit_code == 0, out.output
    ctx = Context(db_url=url, today=TODAY, actor=DANA, thread=None, channel="chat")
    asked = handle(f"mark {second.number} as paid", ctx)  # proposed; done on "yes"
    ctx = Context(db_url=url, today=TODAY, actor=DANA, thread=asked.thread_state, channel="chat")
    assert handle("yes", ctx).result.ok
    with engine.connect() as conn:
        for invoice in (first, second):
            paid = conn.execute(
                select(func.sum(Payment.amount)).where(Payment.invoice_id == invoice.id)
            ).scalar()
            assert Decimal(str(paid)) == invoice.total
    engine.dispose()


# --------------------------------------------------------------------------- the approval limit in one currency


def _pending(engine, currency: str, total: str) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(Invoice)
            .values(
                number=f"FX-{currency}-{total}", company_id=1, status="pending_approval", issue_date=TODAY,
                currency=currency, subtotal=total, tax="0", total=total, created_by=4, created_at=NOW,
            )
            .returning(Invoice.id)
        ).scalar_one()  # fmt: skip


def test_the_approval_limit_compares_in_one_currency(url):
    """The limit is USD 50,000 (CRMBOT_INVOICE_ADMIN_ONLY_ABOVE in CRMBOT_INVOICE_LIMIT_CURRENCY)."""
    engine = get_engine(url)
    small_yen = _pending(engine, "JPY", "5000000.00")  # about USD 33,500: a manager may approve
    large_yen = _pending(engine, "JPY", "9000000.00")  # about USD 60,300: admins only
    euros = _pending(engine, "EUR", "48000.00")  # about USD 51,840: admins only, though 48,000 < 50,000
    unknown = _pending(engine, "XYZ", "10.00")  # no rate: admins only
    listed = {v.id for v in flow.pending_approvals(engine, DANA)}
    assert small_yen in listed and not {large_yen, euros, unknown} & listed
    assert flow.approve(engine, small_yen, DANA, NOW).ok
    refused = flow.approve(engine, large_yen, DANA, NOW)
    assert not refused.ok and "about USD 60,300.00" in refused.message and "only an admin" in refused.message
    assert not flow.approve(engine, euros, DANA, NOW).ok
    assert "no exchange rate" in flow.approve(engine, unknown, DANA, NOW).message
    assert {v.id for v in flow.pending_approvals(engine, ADA)} >= {large_yen, euros, unknown}
    assert all(flow.approve(engine, i, ADA, NOW).ok for i in (large_yen, euros, unknown))
    engine.dispose()
