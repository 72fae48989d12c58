"""Invoices in conversation and in Slack: what the skill takes (and leaves to reports), the
terminal chat end to end, the Block Kit message with its buttons, and the edit modal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.conversation import Context
from bot.render import to_blocks, to_data, to_text
from bot.render.invoice_modal import edit_modal_view, modal_metadata, read_edit_form, read_metadata
from bot.render.invoices import invoice_blocks, invoice_ids_in, invoice_message_blocks
from bot.router import handle, route
from bot.skills import invoices as skill
from db.engine import get_engine
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import flow
from tools.results import Message

TODAY = date(2026, 11, 19)
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")
DANA = Actor(2, "Dana Manager", "manager", source="slack", label="slack:U0DANA")


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = get_engine(url)
    seed_small_crm(engine, TODAY)
    engine.dispose()
    return url


def ctx(url="sqlite://", actor=RITA, thread=None):
    return Context(db_url=url, today=TODAY, actor=actor, thread=thread, channel="chat")


@pytest.mark.parametrize(
    "text,args",
    [
        ("draft an invoice for the Acme renewal deal", {"deal_text": "Acme renewal", "parts": 1}),
        ("invoice deal 123 in 3 parts", {"deal_id": 123, "parts": 3, "interval": "quarterly"}),
        ("Invoice Acme's renewal in 4 quarterly parts", {"deal_text": "Acme's renewal", "parts": 4}),
        ("invoice deal 7 in twelve monthly installments", {"deal_id": 7, "parts": 12, "interval": "monthly"}),
        ("create an invoice for deal #9 on net 45", {"deal_id": 9, "terms": "net_45"}),
        ("check INV-2026-0042 for duplicates", {"invoice": "INV-2026-0042"}),
        ("find duplicate invoices", {"invoice": None}),
        ("pending approvals", {}),
        ("what needs my approval?", {}),
        ("approve INV-2026-00042", {"action": "approve", "invoice": "INV-2026-00042"}),
        (
            "reject INV-2026-00042 because the quantity is wrong",
            {"action": "reject", "reason": "the quantity is wrong"},
        ),
        ("send invoice INV-2026-00042", {"action": "send"}),
        ("mark INV-2026-00042 as paid", {"action": "mark_paid", "reason": None}),
        (
            "mark INV-2026-00042 as paid, Datalux wired it this morning",
            {"action": "mark_paid", "reason": "Datalux wired it this morning"},
        ),
        (
            "approve INV-2026-00042 for Oakhurst Asset Management, finance said its fine",
            {
                "action": "approve",
                "reason": "finance said its fine",
            },  # never "set Management, ..." from "Asset"
        ),
        ("show invoice INV-2026-00042", {"invoice": "INV-2026-00042"}),
    ],
)
def test_skill_takes_invoice_requests(text, args):
    call = skill.match(text, ctx())
    assert call is not None and not isinstance(call, Message), text
    dumped = call.args.model_dump()
    for key, value in args.items():
        assert dumped[key] == value, (text, dumped)


@pytest.mark.parametrize(
    "text",
    [
        "how much did we invoice last quarter",
        "list overdue invoices",
        "total outstanding receivables",
        "invoiced by month this year",
        "which customers have unpaid invoices",
        "invoice totals by region",
        "show invoices for Acme",
        "bookings by rep this quarter",
    ],
)
def test_skill_leaves_reports_alone(text):
    assert skill.match(text, ctx()) is None


def test_malformed_parts_get_a_polite_message():
    reply = skill.match("invoice deal 12 in many parts", ctx())
    assert isinstance(reply, Message) and "not a number of parts" in reply.text


def test_chat_end_to_end(db_url):
    proposed = handle("draft an invoice for the Acme renewal deal", ctx(db_url))
    assert "Reply 'yes' to draft deal" in to_text(proposed.result)
    drafted = handle("yes", ctx(db_url, thread=proposed.thread_state))
    assert drafted.result.ok, to_text(drafted.result)
    number = drafted.result.invoice.number
    text = to_text(drafted.result)
    assert number in text and "9,500.00" in text and "Suggested terms" in text
    assert drafted.thread_state["invoice_numbers"] == [number]
    # Dana, in the same thread: "approve it", then "yes"
    asked = handle("approve it", ctx(db_url, DANA, thread=drafted.thread_state))
    assert f"approve invoice {number}" in to_text(asked.result)
    approved = handle("yes", ctx(db_url, DANA, thread=asked.thread_state))
    assert approved.result.ok and approved.result.invoice.status == "approved"
    again = handle(f"approve {number}", ctx(db_url, Actor(3, "Max Manager", "manager")))
    assert again.result.kind == "refused" and "already approved by Dana Manager" in to_text(again.result)
    assert "Nothing is waiting" in to_text(handle("pending approvals", ctx(db_url, DANA)).result)
    shown = handle(f"show invoice {number.lower()}", ctx(db_url))
    assert number in to_text(shown.result)


def test_chat_refusals_are_polite(db_url):
    assert "can't find invoice" in to_text(handle("approve INV-2026-99999", ctx(db_url, DANA)).result)
    assert "can't find a won deal" in to_text(
        handle("draft an invoice for the Zorblax deal", ctx(db_url)).result
    )
    refused = handle("invoice deal 3 in 2 parts", ctx(db_url)).result
    assert refused.kind == "refused" and "negotiation" in to_text(refused)
    assert "1 to 24 parts" in to_text(handle("invoice deal 1 in 99 parts", ctx(db_url)).result)


def test_ambiguous_deal_asks_back(db_url):
    reply = route("draft an invoice for the Acme deal", ctx(db_url))
    result = skill.run(reply, ctx(db_url))
    assert isinstance(result, Message) and result.kind == "clarify"
    assert any("Acme renewal 2026" in c for c in result.choices) and any(
        "Acme enterprise" in c for c in result.choices
    )


def test_missing_project_tables_say_run_upgrade(tmp_path):
    from db.models import CONTRACT_TABLES, Base

    url = f"sqlite:///{tmp_path / 'bare.db'}"
    engine = get_engine(url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in CONTRACT_TABLES])
    reply = handle("invoice deal 1", ctx(url))
    assert "crmbot db upgrade" in to_text(reply.result)


# --------------------------------------------------------------------------- Slack


def _all_buttons(blocks):
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _check_limits(blocks):
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_draft_message_has_lines_totals_terms_and_buttons(db_url):
    result = flow.draft_from_deal(get_engine(db_url), 1, RITA, TODAY)
    blocks = to_blocks(result)
    _check_limits(blocks)
    text = str(blocks)
    assert "Platform seats" in text and "11,541.65" in text and "Suggested terms" in text
    buttons = _all_buttons(blocks)
    assert [b["action_id"] for b in buttons] == ["invoice_approve", "invoice_reject", "invoice_edit"]
    assert {b["value"] for b in buttons} == {f"{result.invoice.id}:0"}  # "<id>:<version shown>"


def test_twelve_installments_fit_in_one_message(db_url):
    result = flow.draft_from_deal(get_engine(db_url), 6, RITA, TODAY, parts=12, interval="monthly")
    blocks = to_blocks(result)
    _check_limits(blocks)
    assert len([b for b in _all_buttons(blocks) if b["action_id"] == "invoice_approve"]) == 12


def test_a_message_redrawn_from_the_database_shows_every_outcome(db_url):
    """Two parts, one approved: the redraw shows who approved it, and keeps buttons on the other."""
    from tools.invoices.audit import decision_notes
    from tools.invoices.views import load_views

    engine = get_engine(db_url)
    drafted = flow.draft_from_deal(engine, 6, RITA, TODAY, parts=2)
    ids = invoice_ids_in(to_blocks(drafted))
    assert ids == [inv.id for inv in drafted.invoices]
    outcome = flow.approve(engine, drafted.invoices[0].id, DANA)
    with engine.connect() as conn:
        views = load_views(conn, ids)
        updated = invoice_message_blocks(views, decision_notes(conn, views))
    approve_values = [b["value"] for b in _all_buttons(updated) if b["action_id"] == "invoice_approve"]
    assert approve_values == [f"{drafted.invoices[1].id}:0"]  # the other part keeps its buttons
    assert "approved by Dana Manager" in str(updated) and "1 approved, 1 pending approval" in str(updated)
    assert invoice_ids_in(updated) == ids
    alone = to_blocks(outcome)
    assert not _all_buttons(alone) and "Dana Manager" in str(alone)
    loser = flow.approve(engine, drafted.invoices[0].id, Actor(3, "Max Manager", "manager"))
    assert not _all_buttons(to_blocks(loser)) and "already approved by Dana Manager" in str(to_blocks(loser))
    assert to_data(outcome)["ok"] is True and to_data(loser)["ok"] is False


def test_duplicate_warning_names_the_matching_invoice(db_url):
    engine = get_engine(db_url)
    first = flow.draft_from_deal(engine, 2, RITA, TODAY).invoice
    with engine.begin() as conn:  # the same deal typed in again by hand: Globex on "Globex GmbH" twice
        from sqlalchemy import text

        conn.execute(text("UPDATE invoices SET status = 'void' WHERE id = :id"), {"id": first.id})
    second = flow.draft_from_deal(engine, 2, RITA, TODAY).invoice
    with engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET status = 'sent' WHERE id = :id"), {"id": first.id})
    shown = handle(f"show invoice {second.number}", ctx(db_url)).result
    blocks = to_blocks(shown)
    assert any(b.get("block_id", "").startswith(f"inv{second.id}:dup:") for b in blocks)
    assert first.number in str(blocks)
    assert first.number in to_text(handle(f"check {second.number} for duplicates", ctx(db_url)).result)


def _full_state(view: dict, **typed) -> dict:
    """A modal's state.values as Slack sends it on submit: every input, with its current value
    (the initial one unless ``typed`` overrides it by block id)."""
    values = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id, kind = block["block_id"], element["type"]
        if kind == "static_select":
            chosen = typed.get(block_id, (element.get("initial_option") or {}).get("value"))
            state = {"type": kind, "selected_option": {"value": chosen} if chosen else None}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": typed.get(block_id, element.get("initial_date"))}
        else:
            state = {"type": kind, "value": typed.get(block_id, element.get("initial_value"))}
        values[block_id] = {element["action_id"]: state}
    return values


def test_edit_modal_reads_the_full_state_strictly(db_url):
    engine = get_engine(db_url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY).invoice
    view = edit_modal_view(
        invoice, modal_metadata(invoice, TODAY, {"channel": "C1", "ts": "1.2", "ids": [invoice.id]})
    )
    assert view["type"] == "modal" and view["callback_id"] == "invoice_edit_modal"
    meta = read_metadata(view["private_metadata"])
    assert meta["invoice_id"] == invoice.id and meta["version"] == 0 and meta["ids"] == [invoice.id]
    terms_block = next(b for b in view["blocks"] if b.get("block_id") == "payment_terms")
    assert terms_block["element"]["initial_option"]["value"] == "net_30"
    line = invoice.lines[0]
    form, errors = read_edit_form(
        _full_state(view, payment_terms="net_45", **{f"line_{line.id}_quantity": "12"}), meta
    )
    assert not errors
    changes = flow.form_changes(invoice, form)  # only what differs from the invoice as shown
    assert changes == {"payment_terms": "net_45", "lines": {line.id: {"quantity": Decimal("12.00")}}}
    edited = flow.edit(engine, invoice.id, RITA, None, changes, expected_version=meta["version"])
    assert edited.ok and edited.invoice.lines[0].amount == 11400  # 12 x 1,000 less 5 %
    assert edited.invoice.due_date == TODAY + timedelta(days=45)  # follows the new terms

    bad = _full_state(
        view,
        due_date="9999-12-31",
        **{f"line_{line.id}_unit_price": "1,000.00", f"line_{invoice.lines[1].id}_quantity": "١٢٣"},
    )
    _, errors = read_edit_form(bad, meta)
    assert set(errors) == {f"line_{line.id}_unit_price", f"line_{invoice.lines[1].id}_quantity", "due_date"}
    assert all(len(message) <= 150 for message in errors.values())
    assert "1250.50" in errors[f"line_{line.id}_unit_price"] and "too far ahead" in errors["due_date"]


def test_pending_list_blocks_have_buttons_for_approvers(db_url):
    engine = get_engine(db_url)
    flow.draft_from_deal(engine, 1, RITA, TODAY)
    blocks = to_blocks(handle("pending approvals", ctx(db_url, DANA)).result)
    _check_limits(blocks)
    assert [b["action_id"] for b in _all_buttons(blocks)] == [
        "invoice_approve",
        "invoice_reject",
        "invoice_edit",
    ]
    assert invoice_blocks  # the building block the listeners may reuse


# --------------------------------------------------------------------------- invoice references


def _pending_numbered(url: str, *numbers: str) -> dict[str, int]:
    from datetime import datetime

    from sqlalchemy import insert

    from db.models import Invoice

    engine = get_engine(url)
    ids = {}
    with engine.begin() as conn:
        for number in numbers:
            ids[number] = conn.execute(
                insert(Invoice)
                .values(
                    number=number, company_id=1, status="pending_approval", issue_date=TODAY, currency="USD",
                    subtotal="100.00", tax="0", total="100.00", created_by=4, created_at=datetime(2026, 11, 19),
                )
                .returning(Invoice.id)
            ).scalar_one()  # fmt: skip
    engine.dispose()
    return ids


@pytest.mark.parametrize("number", ["INV-10792", "2026/0042", "F-2026-042", "CN-0042", "ACME.2026.7"])
def test_any_numbering_scheme_in_the_database_is_read(db_url, number):
    ids = _pending_numbered(db_url, number)
    asked = handle(f"approve {number}", ctx(db_url, DANA))
    assert asked.result.pending.reference == number, to_text(asked.result)
    reply = handle("yes", ctx(db_url, DANA, thread=asked.thread_state))
    assert reply.result.ok and reply.result.invoice.id == ids[number], reply.result
    assert handle(f"show invoice {number.lower()}", ctx(db_url, DANA)).result.invoice.id == ids[number]


def test_a_reference_typed_without_zeros_or_separators_is_found(db_url):
    ids = _pending_numbered(db_url, "INV-2026-00042")
    for typed in ("INV-2026-42", "inv-2026-00042", "#" + str(ids["INV-2026-00042"])):
        asked = handle(f"reject {typed} because wrong price", ctx(db_url, DANA))
        assert asked.result.pending.reference == "INV-2026-00042", (typed, to_text(asked.result))
    reply = handle("yes", ctx(db_url, DANA, thread=asked.thread_state))
    assert reply.result.ok and reply.result.invoice.id == ids["INV-2026-00042"], reply.result


def test_which_invoice_is_meant_when_a_number_is_close_to_several(db_url):
    _pending_numbered(db_url, "INV-2025-10792", "INV-2026-10792")
    reply = handle("approve INV-10792", ctx(db_url, DANA))
    assert isinstance(reply.result, Message) and reply.result.kind == "clarify"
    assert "Which invoice did you mean" in reply.result.text
    assert reply.result.choices == ["INV-2025-10792", "INV-2026-10792"]
    bare = handle("approve 10792", ctx(db_url, DANA)).result
    assert bare.kind == "clarify" and set(bare.choices) == {"INV-2025-10792", "INV-2026-10792"}
    unknown = handle("approve INV-55555", ctx(db_url, DANA)).result
    assert unknown.kind == "refused" and "can't find" in unknown.text


def test_the_cli_says_which_invoice_was_meant(db_url):
    from typer.testing import CliRunner

    from bot.cli import app

    _pending_numbered(db_url, "INV-2025-10792", "INV-2026-10792")
    out = CliRunner().invoke(
        app, ["invoices", "approve", "INV-10792", "--db", db_url, "--as", "dana@example.org"]
    )
    assert out.exit_code == 2 and "INV-2025-10792, INV-2026-10792" in out.output
