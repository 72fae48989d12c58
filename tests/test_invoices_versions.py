"""Approving exactly what was shown: approve / reject with the version the approver saw.

On a file SQLite database, and the race between an edit and an approval also on PostgreSQL
(with TEST_DATABASE_URL).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select, text

from db.engine import get_engine
from db.models import AuditLog, Invoice
from tests.invoice_crm import seed_small_crm
from tests.test_invoices_concurrency import run_at_once
from tools.actor import Actor
from tools.invoices import flow
from tools.invoices.views import load_view

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 10, 42)
LATER = datetime(2026, 11, 19, 11, 5)
ADA = Actor(1, "Ada Admin", "admin", source="slack", label="slack:U0ADA")
DANA = Actor(2, "Dana Manager", "manager", source="slack", label="slack:U0DANA")
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")
WON_DEALS = (1, 2, 4, 5, 6)


@pytest.fixture
def engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    seed_small_crm(engine, TODAY)
    yield engine
    engine.dispose()


def drafted(engine, deal_id=1):
    result = flow.draft_from_deal(engine, deal_id, RITA, TODAY, now=NOW)
    assert result.ok, result.message
    return result.invoice


def actions_logged(engine, invoice_id) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(AuditLog.action).where(AuditLog.entity_id == invoice_id).order_by(AuditLog.id)
            ).scalars()
        )


def raise_first_line(engine, invoice, by="1.00"):
    line = invoice.lines[0]
    result = flow.edit(
        engine, invoice.id, RITA, LATER, {"lines": {line.id: {"unit_price": line.unit_price + Decimal(by)}}}
    )
    assert result.ok, result.message
    return result.invoice


def test_a_new_draft_is_version_0_and_each_change_bumps_it(engine):
    invoice = drafted(engine)
    assert invoice.version == 0
    assert raise_first_line(engine, invoice).version == 1
    approved = flow.approve(engine, invoice.id, DANA, NOW, expected_version=1)
    assert approved.ok and approved.invoice.version == 2


def test_approve_with_the_version_shown_works(engine):
    invoice = drafted(engine)
    result = flow.approve(engine, invoice.id, DANA, NOW, expected_version=invoice.version)
    assert result.ok and not result.stale and result.invoice.status == "approved"
    assert actions_logged(engine, invoice.id) == ["draft", "approve"]


def test_approve_of_a_version_edited_since_is_refused_and_changes_nothing(engine):
    shown = drafted(engine)
    edited = raise_first_line(engine, shown)
    assert edited.total > shown.total

    result = flow.approve(engine, shown.id, DANA, NOW, expected_version=shown.version)

    assert not result.ok and result.stale
    assert result.message == (
        f"{shown.number} was changed by Rita Rep at 2026-11-19 11:05 after this message was drawn, "
        "so it was not approved. Here is the current version; please review it."
    )
    assert result.invoice.total == edited.total and result.invoice.version == edited.version
    with engine.connect() as conn:
        now_stored = load_view(conn, shown.id)
    assert (now_stored.status, now_stored.approved_by, now_stored.version) == ("pending_approval", None, 1)
    assert actions_logged(engine, shown.id) == ["draft", "edit"]
    # the approver reviews the current version and approves it
    again = flow.approve(engine, shown.id, DANA, NOW, expected_version=result.invoice.version)
    assert again.ok and again.invoice.total == edited.total


def test_reject_of_a_version_edited_since_is_refused_too(engine):
    shown = drafted(engine)
    raise_first_line(engine, shown)
    result = flow.reject(engine, shown.id, DANA, NOW, reason="wrong terms", expected_version=shown.version)
    assert result.stale and not result.ok and "not rejected" in result.message
    assert actions_logged(engine, shown.id) == ["draft", "edit"]


def test_an_edit_committed_between_the_read_and_the_update_is_caught_in_the_transaction(tmp_path):
    """The check is in the transaction that flips the status, not only in the read before it: an
    edit committed on another connection just before the approval's UPDATE rolls the approval back."""
    url = f"sqlite:///{tmp_path / 'gap.db'}"
    engine, other = get_engine(url), get_engine(url)
    seed_small_crm(engine, TODAY)
    shown = drafted(engine)
    edits = []

    def edit_just_before_the_status_update(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE INVOICES") and not edits:
            edits.append(raise_first_line(other, shown))

    event.listen(engine, "before_cursor_execute", edit_just_before_the_status_update)
    result = flow.approve(engine, shown.id, DANA, NOW, expected_version=shown.version)
    event.remove(engine, "before_cursor_execute", edit_just_before_the_status_update)

    assert len(edits) == 1 and result.stale and not result.ok
    assert result.invoice.total == edits[0].total
    with engine.connect() as conn:
        assert (
            conn.execute(select(Invoice.status).where(Invoice.id == shown.id)).scalar() == "pending_approval"
        )
    assert actions_logged(engine, shown.id) == ["draft", "edit"]
    engine.dispose()
    other.dispose()


def test_an_invoice_without_a_state_row_is_version_0(engine):
    """CRM invoices loaded without crmbot_invoice_state rows: a button without a version works on them."""
    invoice = drafted(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM crmbot_invoice_state WHERE invoice_id = :i"), {"i": invoice.id})
        assert load_view(conn, invoice.id).version == 0
    result = flow.approve(engine, invoice.id, DANA, NOW, expected_version=0)
    assert result.ok and result.invoice.version == 1


def test_the_chat_and_cli_path_needs_no_version(engine):
    invoice = drafted(engine)
    raise_first_line(engine, invoice)
    assert flow.approve(engine, invoice.id, DANA, NOW).ok


def _check_edit_racing_approval(url: str) -> None:
    engine = get_engine(url)
    seed_small_crm(engine, TODAY)
    for deal_id in WON_DEALS:
        shown = drafted(engine, deal_id)
        line = shown.lines[0]
        edit_result, approve_result = run_at_once(
            url,
            [
                lambda e, s=shown, li=line: flow.edit(
                    e, s.id, RITA, LATER, {"lines": {li.id: {"unit_price": li.unit_price + 1}}}
                ),
                lambda e, s=shown: flow.approve(e, s.id, ADA, NOW, expected_version=s.version),
            ],
        )
        assert edit_result.ok != approve_result.ok, (edit_result.message, approve_result.message)
        with engine.connect() as conn:
            stored = load_view(conn, shown.id)
            approvals = conn.execute(
                select(func.count()).where(AuditLog.entity_id == shown.id, AuditLog.action == "approve")
            ).scalar()
        if approve_result.ok:  # the approval landed first: the edit found it approved
            assert "can no longer be edited" in edit_result.message
            assert stored.status == "approved" and stored.total == shown.total and approvals == 1
        else:  # the edit landed first: the approval of what was shown is refused
            assert approve_result.stale
            assert stored.status == "pending_approval" and stored.total != shown.total and approvals == 0
    engine.dispose()


def test_edit_racing_approval_on_sqlite(tmp_path):
    _check_edit_racing_approval(f"sqlite:///{tmp_path / 'race.db'}")


@pytest.mark.postgres
def test_edit_racing_approval_on_postgres(pg_url):
    _check_edit_racing_approval(pg_url)


# --------------------------------------------------------------------------- two editors at once


def _check_concurrent_edits(url: str) -> None:
    """Two people edit one draft at the same moment, each from what they saw: one edit lands, the
    other is refused and told who changed it; nothing is merged or overwritten silently."""
    engine = get_engine(url)
    seed_small_crm(engine, TODAY)
    for deal_id in WON_DEALS:
        shown = drafted(engine, deal_id)
        line = shown.lines[0]
        rita_edit, dana_edit = run_at_once(
            url,
            [
                lambda e, s=shown, li=line: flow.edit(
                    e, s.id, RITA, LATER, {"lines": {li.id: {"unit_price": li.unit_price + 1}}},
                    expected_version=s.version,
                ),
                lambda e, s=shown: flow.edit(e, s.id, DANA, LATER, {"payment_terms": "net_15"}, expected_version=s.version),
            ],
        )  # fmt: skip
        assert rita_edit.ok != dana_edit.ok, (rita_edit.message, dana_edit.message)
        loser = dana_edit if rita_edit.ok else rita_edit
        assert loser.stale and "nothing was saved" in loser.message
        with engine.connect() as conn:
            stored = load_view(conn, shown.id)
            edits = conn.execute(
                select(func.count()).where(AuditLog.entity_id == shown.id, AuditLog.action == "edit")
            ).scalar()
        assert edits == 1 and stored.version == shown.version + 1
        if rita_edit.ok:
            assert (
                stored.lines[0].unit_price == line.unit_price + 1
                and stored.payment_terms == shown.payment_terms
            )
        else:
            assert stored.payment_terms == "net_15" and stored.lines[0].unit_price == line.unit_price
    engine.dispose()


def test_concurrent_edits_on_sqlite(tmp_path):
    _check_concurrent_edits(f"sqlite:///{tmp_path / 'edits.db'}")


@pytest.mark.postgres
def test_concurrent_edits_on_postgres(pg_url):
    _check_concurrent_edits(pg_url)


def test_an_edit_of_a_version_changed_since_it_was_opened_saves_nothing(engine):
    shown = drafted(engine)
    raise_first_line(engine, shown)  # Rita changed it after Dana opened the editor
    result = flow.edit(
        engine, shown.id, DANA, LATER, {"payment_terms": "net_15"}, expected_version=shown.version
    )
    assert not result.ok and result.stale
    assert result.message.startswith(
        f"{shown.number} was changed by Rita Rep at 2026-11-19 11:05 after you opened it"
    )
    with engine.connect() as conn:
        assert load_view(conn, shown.id).payment_terms == shown.payment_terms
    assert actions_logged(engine, shown.id) == ["draft", "edit"]


def test_an_edit_committed_between_the_read_and_the_write_is_caught(tmp_path):
    """Without a shown version (chat, CLI) the edit claims the version it was planned against."""
    url = f"sqlite:///{tmp_path / 'gap.db'}"
    engine, other = get_engine(url), get_engine(url)
    seed_small_crm(engine, TODAY)
    shown = drafted(engine)
    edits = []

    def edit_just_before_ours(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE INVOICES") and not edits:
            edits.append(raise_first_line(other, shown))

    event.listen(engine, "before_cursor_execute", edit_just_before_ours)
    result = flow.edit(engine, shown.id, DANA, LATER, {"payment_terms": "net_15"})
    event.remove(engine, "before_cursor_execute", edit_just_before_ours)
    assert len(edits) == 1 and result.stale and not result.ok
    with engine.connect() as conn:
        stored = load_view(conn, shown.id)
    assert stored.payment_terms == shown.payment_terms and stored.total == edits[0].total
    engine.dispose()
    other.dispose()
