"""The invoice flow on a real SQLite database: drafts, tax, installments, terms, every transition
and every refusal, edits and the audit log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text

from db.engine import get_engine
from db.models import AuditLog, Invoice, InvoiceLine
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import flow
from tools.invoices.money import line_amount, split_evenly
from tools.invoices.terms import cap_terms

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 10, 42)

ADA = Actor(1, "Ada Admin", "admin", source="cli", label="cli:Ada")
DANA = Actor(2, "Dana Manager", "manager", source="slack", label="slack:U0DANA")
MAX = Actor(3, "Max Manager", "manager", source="slack", label="slack:U0MAX")
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")
STRANGER = Actor(None, None, None, source="slack", label="slack:U0NOBODY")


@pytest.fixture
def engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    seed_small_crm(engine, TODAY)
    yield engine
    engine.dispose()


def drafted(engine, deal_id=1, actor=RITA, **kw):
    result = flow.draft_from_deal(engine, deal_id, actor, TODAY, now=NOW, **kw)
    assert result.ok, result.message
    return result


def audit_rows(engine, invoice_id):
    with engine.connect() as conn:
        return conn.execute(
            select(AuditLog).where(AuditLog.entity_id == invoice_id).order_by(AuditLog.id)
        ).all()


# --------------------------------------------------------------------------- money


def test_line_amount_rounds_half_up_to_cents_after_discount():
    assert line_amount(7, "333.33", "12.5") == Decimal("2041.65")  # 2041.646...
    assert line_amount(1, "0.125", 0) == Decimal("0.13")  # half-up, not banker's
    assert line_amount(10, "1000.00", 5) == Decimal("9500.00")


@pytest.mark.parametrize("amount,parts", [("100.00", 3), ("0.05", 4), ("11541.65", 4), ("1000000.01", 12)])
def test_split_adds_up_to_the_cent(amount, parts):
    shares = split_evenly(Decimal(amount), parts)
    assert len(shares) == parts and sum(shares) == Decimal(amount)
    assert max(shares) - min(shares) < Decimal("0.01") * parts


# --------------------------------------------------------------------------- drafting


def test_draft_from_won_deal_has_lines_tax_terms_number_and_audit(engine):
    result = drafted(engine)
    inv = result.invoice
    assert inv.status == "pending_approval" and inv.created_by == RITA.user_id
    assert [line.amount for line in inv.lines] == [Decimal("9500.00"), Decimal("2041.65")]
    assert inv.subtotal == Decimal("11541.65") and inv.tax == Decimal("0.00")  # US: no tax in the table
    assert inv.total == Decimal("11541.65") and inv.currency == "USD"
    assert inv.issue_date == TODAY and inv.due_date == TODAY + timedelta(days=30)
    assert inv.number == "INV-2026-00008"  # continues after the CRM's highest number (00007)
    assert result.terms.terms == "net_30" and "history" in result.terms.reason.lower()
    rows = audit_rows(engine, inv.id)
    assert [r.action for r in rows] == ["draft"]
    assert rows[0].actor_user_id == RITA.user_id and rows[0].source == "chat"
    assert rows[0].changes["status"] == [None, "pending_approval"]


def test_tax_by_customer_country(engine):
    inv = drafted(engine, deal_id=2).invoice  # Globex, Germany: 19 %
    assert (
        inv.subtotal == Decimal("1000.00")
        and inv.tax == Decimal("190.00")
        and inv.total == Decimal("1190.00")
    )


def test_tax_table_from_env_var(engine, tmp_path, monkeypatch):
    table = tmp_path / "rates.json"
    table.write_text('{"default": 0.0, "rates": {"DE": 0.07}, "aliases": {}}')
    monkeypatch.setenv("CRMBOT_TAX_RATES_FILE", str(table))
    from crmbot.settings import get_settings

    get_settings.cache_clear()  # settings are read once per process
    try:
        assert drafted(engine, deal_id=2).invoice.tax == Decimal("70.00")
    finally:
        monkeypatch.delenv("CRMBOT_TAX_RATES_FILE")
        get_settings.cache_clear()


def test_installments_add_up_exactly_with_tax(engine):
    result = drafted(engine, deal_id=6, parts=3, interval="quarterly")  # 10,000.01 in Germany
    parts = result.invoices
    assert len(parts) == 3
    assert sum(p.subtotal for p in parts) == Decimal("10000.01")
    assert sum(p.tax for p in parts) == Decimal("1900.00")  # 19 % of the whole, not of each part
    assert sum(p.total for p in parts) == Decimal("11900.01")
    assert [p.issue_date for p in parts] == [TODAY, date(2027, 2, 19), date(2027, 5, 19)]
    numbers = [p.number for p in parts]
    assert len(set(numbers)) == 3 and numbers == sorted(numbers)
    assert not result.duplicates  # installments are not duplicates of each other


def test_monthly_installments_of_a_discounted_deal_add_up(engine):
    parts = drafted(engine, deal_id=1, parts=12, interval="monthly").invoices
    assert sum(p.total for p in parts) == Decimal("11541.65")
    for p in parts:
        assert sum(line.amount for line in p.lines) == p.subtotal


def test_fully_invoiced_deal_is_refused_with_its_numbers(engine):
    first = drafted(engine, deal_id=6, parts=2)
    again = flow.draft_from_deal(engine, 6, RITA, TODAY, now=NOW)
    assert not again.ok and again.existing_numbers == [i.number for i in first.invoices]
    assert all(n in again.message for n in again.existing_numbers)


def test_void_invoices_do_not_count_as_invoiced(engine):
    inv = drafted(engine, deal_id=2).invoice
    assert flow.reject(engine, inv.id, DANA, NOW, reason="wrong").ok
    assert drafted(engine, deal_id=2).invoice.number != inv.number


@pytest.mark.parametrize(
    "deal_id,kw,needle",
    [
        (3, {}, "negotiation"),  # not won
        (999, {}, "no deal"),
        (1, {"parts": 0}, "parts"),
        (1, {"parts": 500}, "parts"),
        (1, {"parts": 2, "interval": "fortnightly"}, "fortnightly"),
        (1, {"terms": "net_90"}, "terms"),
    ],
)
def test_draft_refusals_change_nothing(engine, deal_id, kw, needle):
    result = flow.draft_from_deal(engine, deal_id, RITA, TODAY, now=NOW, **kw)
    assert not result.ok and needle in result.message.lower()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoices WHERE created_by IS NOT NULL")).scalar() == 0


def test_unknown_user_cannot_draft(engine):
    assert not flow.draft_from_deal(engine, 1, STRANGER, TODAY).ok


# --------------------------------------------------------------------------- terms


def test_terms_follow_payment_history(engine):
    early = drafted(engine, deal_id=2).terms  # Globex pays in ~7 days
    assert early.terms == "net_30" and early.early_payment_offer == "2/10 net 30"
    late = drafted(engine, deal_id=5, actor=RITA).terms  # Initech: 45 days late, 2,000 overdue for 60 days
    assert late.terms == "due_on_receipt" and "overdue" in late.reason


def test_eu_customers_never_get_more_than_60_days():
    assert cap_terms("net_60", "DE") == ("net_60", False)
    from tools.invoices import terms as terms_module

    assert terms_module.EU_MAX_TERMS_DAYS == 60
    assert terms_module.is_eu("Germany") and terms_module.is_eu("FR") and not terms_module.is_eu("US")


# --------------------------------------------------------------------------- transitions


def test_full_happy_path_and_audit(engine):
    inv = drafted(engine).invoice
    approved = flow.approve(engine, inv.id, DANA, NOW)
    assert approved.ok and approved.invoice.status == "approved"
    assert approved.invoice.approved_by == DANA.user_id and approved.actor_name == "Dana Manager"
    assert "Dana Manager" in approved.message
    assert flow.send(engine, inv.id, RITA, NOW).invoice.status == "sent"
    assert flow.mark_paid(engine, inv.id, DANA, NOW).invoice.status == "paid"
    rows = audit_rows(engine, inv.id)
    assert [r.action for r in rows] == ["draft", "approve", "send", "mark_paid"]
    assert (
        rows[1].changes["status"] == ["pending_approval", "approved"]
        and rows[1].actor_label == "slack:U0DANA"
    )
    assert rows[1].source == "slack"


def test_reject_records_reason_and_voids(engine):
    inv = drafted(engine).invoice
    result = flow.reject(engine, inv.id, MAX, NOW, reason="wrong quantity")
    assert (
        result.ok and result.invoice.status == "void" and result.invoice.rejected_reason == "wrong quantity"
    )
    assert audit_rows(engine, inv.id)[-1].changes["reason"] == "wrong quantity"


def test_cancel_an_approved_invoice(engine):
    inv = drafted(engine).invoice
    flow.approve(engine, inv.id, DANA, NOW)
    assert flow.cancel(engine, inv.id, DANA, NOW, reason="customer cancelled").invoice.status == "void"


def test_submit_moves_a_draft_to_pending(engine):
    inv = drafted(engine).invoice
    with engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET status='draft' WHERE id=:id"), {"id": inv.id})
    assert not flow.approve(engine, inv.id, DANA, NOW).ok  # a draft is not pending approval yet
    assert flow.submit(engine, inv.id, RITA, NOW).invoice.status == "pending_approval"


@pytest.mark.parametrize(
    "actor,needle",
    [(RITA, "only managers"), (STRANGER, "don't know"), (Actor(4, "Rita Rep", "manager"), "you created")],
)
def test_approval_refusals(engine, actor, needle):
    inv = drafted(engine).invoice
    result = flow.approve(engine, inv.id, actor, NOW)
    assert not result.ok and needle in result.message.lower()
    assert result.invoice.status == "pending_approval"


def test_above_the_limit_only_admins_approve(engine):
    inv = drafted(engine, deal_id=4).invoice  # 120,000.00 > 50,000 (default CRMBOT_INVOICE_ADMIN_ONLY_ABOVE)
    refused = flow.approve(engine, inv.id, DANA, NOW)
    assert not refused.ok and "only an admin" in refused.message
    assert flow.approve(engine, inv.id, ADA, NOW).ok


def test_wrong_state_refusals(engine):
    inv = drafted(engine).invoice
    not_approved = flow.send(engine, inv.id, RITA, NOW)
    assert not not_approved.ok and "not approved" in not_approved.message
    assert not flow.mark_paid(engine, inv.id, DANA, NOW).ok
    flow.reject(engine, inv.id, DANA, NOW, reason="dup")
    void = flow.approve(engine, inv.id, MAX, NOW)
    assert not void.ok and "rejected by Dana Manager" in void.message
    assert not flow.send(engine, inv.id, RITA, NOW).ok
    assert not flow.cancel(engine, inv.id, DANA, NOW).ok
    assert not flow.approve(engine, 424242, DANA, NOW).ok


def test_second_click_is_told_who_was_first(engine):
    inv = drafted(engine).invoice
    assert flow.approve(engine, inv.id, DANA, NOW).ok
    again = flow.approve(engine, inv.id, MAX, NOW + timedelta(minutes=1))
    assert (
        not again.ok
        and again.message == f"{inv.number} was already approved by Dana Manager at 2026-11-19 10:42."
    )
    same_person = flow.approve(engine, inv.id, DANA, NOW)
    assert not same_person.ok and "already approved" in same_person.message
    assert [r.action for r in audit_rows(engine, inv.id)].count("approve") == 1


def test_pending_approvals_per_role(engine):
    mine = drafted(engine).invoice
    big = drafted(engine, deal_id=4).invoice
    assert {i.id for i in flow.pending_approvals(engine, DANA)} == {mine.id}  # the big one needs an admin
    assert {i.id for i in flow.pending_approvals(engine, ADA)} == {mine.id, big.id}
    assert {i.id for i in flow.pending_approvals(engine, RITA)} == {mine.id, big.id}  # her own, waiting
    assert flow.pending_approvals(engine, Actor(3, "Max", "manager"))  # not created by Max


# --------------------------------------------------------------------------- edits


def test_edit_terms_due_date_and_line_until_approval(engine):
    inv = drafted(engine).invoice
    line = inv.lines[1]
    result = flow.edit(
        engine, inv.id, RITA, NOW, {"payment_terms": "net_45", "lines": {line.id: {"quantity": "8"}}}
    )
    assert result.ok, result.message
    assert result.invoice.payment_terms == "net_45" and result.invoice.due_date == TODAY + timedelta(days=45)
    assert result.invoice.lines[1].amount == Decimal("2333.31")  # 8 x 333.33 less the same 12.5 %
    assert result.invoice.subtotal == Decimal("11833.31") == result.invoice.total
    assert audit_rows(engine, inv.id)[-1].changes["payment_terms"] == ["net_30", "net_45"]
    moved = flow.edit(engine, inv.id, RITA, NOW, {"due_date": "2027-01-31"})
    assert moved.ok and moved.invoice.due_date == date(2027, 1, 31)
    flow.approve(engine, inv.id, DANA, NOW)
    late = flow.edit(engine, inv.id, RITA, NOW, {"payment_terms": "net_15"})
    assert not late.ok and "already approved" in late.message


@pytest.mark.parametrize(
    "changes,needle",
    [
        ({"payment_terms": "net_90"}, "payment terms"),
        ({"due_date": "31/01/2027"}, "not a date"),
        ({"due_date": "2026-01-01"}, "before the issue date"),
        ({"lines": {1: {"unit_price": "12,5x"}}}, "can't read '12,5x'"),
        ({"lines": {1: {"quantity": "0"}}}, "more than 0"),
        ({"lines": {99: {"quantity": "1"}}}, "no line"),
        ({}, "nothing"),
    ],
)
def test_malformed_edits_are_refused(engine, changes, needle):
    inv = drafted(engine).invoice
    result = flow.edit(engine, inv.id, RITA, NOW, changes)
    assert not result.ok and needle in result.message.lower()
    with engine.connect() as conn:
        assert conn.execute(select(Invoice.total).where(Invoice.id == inv.id)).scalar() == inv.total
        assert len(conn.execute(select(InvoiceLine).where(InvoiceLine.invoice_id == inv.id)).all()) == 2


def test_edit_reruns_the_duplicate_check(engine):
    draft = drafted(engine, deal_id=5).invoice  # Initech 999.99 + 20% (GB) = 1,199.99
    with engine.begin() as conn:  # the same order typed in by hand elsewhere, for 1,200.00
        conn.execute(
            insert(Invoice).values(
                number="MAN-0042", company_id=3, status="sent", issue_date=TODAY, due_date=TODAY,
                currency="USD", subtotal="1000.00", tax="200.00", total="1200.00", created_at=NOW,
            )
        )  # fmt: skip
    result = flow.edit(engine, draft.id, RITA, NOW, {"lines": {1: {"unit_price": "1000.00"}}})
    assert result.ok and result.invoice.total == Decimal("1200.00")
    assert [{d.invoice_number, d.duplicate_of_number} for d in result.duplicates] == [
        {draft.number, "MAN-0042"}
    ]
    assert "duplicate of MAN-0042" in result.message


def test_editing_a_draft_without_an_issue_date(engine):
    """A team's drafts have no issue date yet: the edit is checked (date unknown) before it is
    written, and the due date is bounded from today."""
    with engine.begin() as conn:
        invoice_id = conn.execute(
            insert(Invoice)
            .values(
                number="DR-7", company_id=2, deal_id=2, status="draft", currency="USD", subtotal="1000.00",
                tax="190.00", total="1190.00", payment_terms="net_30", created_by=4, created_at=NOW,
            )
            .returning(Invoice.id)
        ).scalar_one()  # fmt: skip
        conn.execute(
            insert(InvoiceLine).values(
                invoice_id=invoice_id,
                description="Add-on",
                quantity=1,
                unit_price="1000.00",
                amount="1000.00",
            )
        )
    priced = flow.edit(engine, invoice_id, RITA, NOW, {"lines": {1: {"unit_price": "1100.00"}}})
    assert priced.ok, priced.message
    assert priced.invoice.total == Decimal("1309.00") and priced.invoice.issue_date is None  # 19% kept
    terms = flow.edit(engine, invoice_id, RITA, NOW, {"payment_terms": "net_15"})
    assert terms.ok and terms.invoice.due_date is None  # nothing to count from yet
    due = flow.edit(engine, invoice_id, RITA, NOW, {"due_date": "2026-12-31"})
    assert due.ok and due.invoice.due_date == date(2026, 12, 31)
    too_early = flow.edit(engine, invoice_id, RITA, NOW, {"due_date": "2026-11-01"})
    assert not too_early.ok and "before today (2026-11-19)" in too_early.message
