"""Invoices in Slack, end to end: the real bolt app over HTTP, driven by the strict mock Slack
(tests/slack_mock.py). The invoice message is posted by the bot itself (a rep asks it to draft and
confirms with "yes"); clicks land only on buttons of that message, and the Edit modal's
submissions carry every input's current value, as Slack sends them."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from db.engine import get_engine
from tests.invoice_crm import seed_small_crm
from tests.slack_app import TODAY, running_bot, wait_saved
from tests.slack_blockkit import displayed

ACK_LIMIT_S = 3.0  # Slack's
RITA, DANA, MAX = "U0RITA", "U0DANA", "U0MAX"
SLACK_IDS = {
    "ada@example.org": "U0ADA",
    "dana@example.org": DANA,
    "max@example.org": MAX,
    "rita@example.org": RITA,
}


@pytest.fixture
def bot(tmp_path, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = get_engine(db_url)
    seed_small_crm(engine, TODAY)
    with engine.begin() as conn:
        for email, slack_id in SLACK_IDS.items():
            conn.execute(
                text("UPDATE users SET slack_user_id = :s WHERE email = :e"), {"s": slack_id, "e": email}
            )
    engine.dispose()
    with running_bot(db_url, str(tmp_path / "data"), monkeypatch) as bot:
        yield bot


def draft(bot, user: str, request: str, channel: str = "C0FIN"):
    """``user`` asks the bot to draft and confirms with "yes" in the thread: the bot's message with
    the drafted invoices and their buttons."""
    before = len(bot.slack.calls_to("chat.postMessage"))
    top, deliveries = bot.slack.user_says(user, channel, f"@crmbot {request}")
    assert [d.status for d in deliveries] == [200]
    proposal = bot.slack.wait_for("chat.postMessage", count=before + 1, ok=True)[before]
    assert "Reply 'yes'" in proposal.args["text"], proposal.args["text"]
    wait_saved(bot.db_url, f"{channel}:{top}")
    bot.slack.user_says(user, channel, "@crmbot yes", thread_ts=top)
    answer = bot.slack.wait_for("chat.postMessage", count=before + 2, ok=True)[before + 1]
    return bot.slack.message(channel, answer.response["ts"])


def buttons(blocks: list[dict], action_id: str) -> list[str]:
    return [
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def shown(message) -> str:
    """What a person reads in a message's blocks."""
    return displayed(json.dumps(message.blocks, ensure_ascii=False))


def invoice(db_url: str, invoice_id: int):
    from tools.invoices.views import load_view

    engine = get_engine(db_url)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
    engine.dispose()
    return view


def click_edit(bot, user: str, message, value: str):
    """``user`` clicks Edit: a modal opens at once, then is filled from the database."""
    filled = len(bot.slack.calls_to("views.update"))
    assert bot.slack.click(user, message.channel, message.ts, "invoice_edit", value).status == 200
    bot.slack.wait_for("views.update", count=filled + 1, ok=True)
    (modal,) = bot.slack.open_views(user)
    return modal


def open_editor(bot, user: str, message, value: str):
    modal = click_edit(bot, user, message, value)
    assert modal.view["callback_id"] == "invoice_edit_modal"
    return modal


# --------------------------------------------------------------------------- the edit modal


def test_changing_the_terms_in_the_modal_moves_the_due_date(bot):
    message = draft(bot, RITA, "draft an invoice for deal 1")
    value = buttons(message.blocks, "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    drawn = invoice(bot.db_url, invoice_id)
    assert drawn.payment_terms == "net_30" and drawn.due_date == TODAY + timedelta(days=30)

    modal = open_editor(bot, RITA, message, value)
    submitted = bot.slack.submit_view(RITA, modal.id, {"payment_terms": "net_15"})  # the rest as shown
    assert submitted.status == 200 and submitted.body in ("", {}) and submitted.seconds < ACK_LIMIT_S
    update = bot.slack.wait_for("chat.update", ok=True)[-1]
    stored = invoice(bot.db_url, invoice_id)
    assert stored.payment_terms == "net_15" and stored.due_date == TODAY + timedelta(days=15)
    assert stored.total == drawn.total and stored.version == drawn.version + 1
    redrawn = bot.slack.message(message.channel, message.ts)
    assert update.args["ts"] == message.ts and str(TODAY + timedelta(days=15)) in shown(redrawn)
    assert buttons(redrawn.blocks, "invoice_approve") == [f"{invoice_id}:{stored.version}"]


@pytest.mark.parametrize("typed", ["1,5", "１２３", "1e309", "9" * 400])
def test_a_malformed_amount_in_the_modal_is_shown_under_its_field_and_changes_nothing(bot, typed):
    message = draft(bot, RITA, "draft an invoice for deal 1")
    value = buttons(message.blocks, "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    drawn = invoice(bot.db_url, invoice_id)
    modal = open_editor(bot, RITA, message, value)
    field = f"line_{drawn.lines[0].id}_unit_price"
    answer = bot.slack.submit_view(RITA, modal.id, {field: typed, "due_date": "9999-12-31"})
    assert answer.status == 200  # never an HTTP 500
    assert answer.json["response_action"] == "errors" and set(answer.json["errors"]) == {field, "due_date"}
    assert "1250.50" in answer.json["errors"][field]
    time.sleep(0.3)
    assert invoice(bot.db_url, invoice_id) == drawn and not bot.slack.calls_to("chat.update")
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_slack_inbox") == 0  # refused in the ack: nothing queued


def test_an_edit_of_a_version_changed_since_the_modal_opened_saves_nothing(bot):
    from tools.actor import Actor
    from tools.invoices import flow

    message = draft(bot, RITA, "draft an invoice for deal 1")
    value = buttons(message.blocks, "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    modal = open_editor(bot, DANA, message, value)  # Dana opens the editor ...
    engine = get_engine(bot.db_url)
    rita = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")
    assert flow.edit(engine, invoice_id, rita, datetime(2026, 11, 19, 9, 30), {"payment_terms": "net_45"}).ok
    engine.dispose()
    shown_lines = invoice(bot.db_url, invoice_id).lines
    answer = bot.slack.submit_view(DANA, modal.id, {f"line_{shown_lines[0].id}_quantity": "11"})
    assert answer.status == 200 and answer.body in ("", {})  # ... and saves on the old version
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(DANA), what="a private note")[-1]
    assert "changed by Rita Rep at 2026-11-19 09:30" in displayed(note.text)
    assert "nothing was saved" in displayed(note.text)
    stored = invoice(bot.db_url, invoice_id)
    assert stored.payment_terms == "net_45" and stored.lines[0].quantity == shown_lines[0].quantity
    bot.slack.wait_for("chat.update", ok=True)
    redrawn = bot.slack.message(message.channel, message.ts)
    assert buttons(redrawn.blocks, "invoice_approve") == [f"{invoice_id}:{stored.version}"]


def test_the_submission_is_acknowledged_before_the_database_is_touched(bot):
    """Another process holds the whole database (readers too) for four seconds: the submission is
    acked at once, and the edit goes through once the lock is gone."""
    message = draft(bot, RITA, "draft an invoice for deal 1")
    value = buttons(message.blocks, "invoice_edit")[0]
    modal = open_editor(bot, RITA, message, value)
    lock = sqlite3.connect(bot.db_url.removeprefix("sqlite:///"), timeout=1, check_same_thread=False)
    lock.execute("BEGIN EXCLUSIVE")
    releaser = threading.Timer(4.0, lock.rollback)
    releaser.start()
    try:
        submitted = bot.slack.submit_view(RITA, modal.id, {"payment_terms": "net_15"})
        assert submitted.status == 200 and submitted.body in ("", {}), submitted
        assert submitted.seconds < ACK_LIMIT_S, submitted
        bot.slack.wait_for("chat.update", ok=True, timeout=30)  # once the lock was gone
    finally:
        releaser.join()
        lock.close()
    assert invoice(bot.db_url, int(value.split(":")[0])).payment_terms == "net_15"


def test_an_invoice_approved_meanwhile_cannot_be_edited_and_the_modal_says_why(bot):
    from tools.actor import Actor
    from tools.invoices import flow

    message = draft(bot, RITA, "draft an invoice for deal 1")
    value = buttons(message.blocks, "invoice_edit")[0]
    invoice_id = int(value.split(":")[0])
    dana = Actor(2, "Dana Manager", "manager", source="chat", label="chat:Dana")
    assert flow.approve(get_engine(bot.db_url), invoice_id, dana, datetime(2026, 11, 19, 10, 42)).ok
    modal = click_edit(bot, RITA, message, value)  # the message still shows the Edit button
    assert "submit" not in modal.view
    assert "already approved by Dana Manager at 2026-11-19 10:42" in displayed(json.dumps(modal.view))


# --------------------------------------------------------------------------- several invoices, several approvers


def test_two_approvers_clicking_two_invoices_of_one_message_both_see_both(bot):
    message = draft(bot, RITA, "draft an invoice for deal 6 in 2 quarterly parts")
    first, second = buttons(message.blocks, "invoice_approve")
    barrier = threading.Barrier(2)
    results = []

    def click(user: str, value: str) -> None:
        barrier.wait()
        results.append(bot.slack.click(user, message.channel, message.ts, "invoice_approve", value).status)

    clicks = [threading.Thread(target=click, args=a) for a in ((DANA, first), (MAX, second))]
    for t in clicks:
        t.start()
    for t in clicks:
        t.join(30)
    assert results == [200, 200]

    def both_shown() -> bool:  # the last update Slack received is what everyone sees
        now = shown(bot.slack.message(message.channel, message.ts))
        return "approved by Dana Manager" in now and "approved by Max Manager" in now

    bot.slack.wait_until(both_shown, timeout=15, what="both approvals in the message")
    last = bot.slack.message(message.channel, message.ts)
    assert buttons(last.blocks, "invoice_approve") == [] and "2 approved" in shown(last)
    with bot.engine().connect() as conn:
        statuses = conn.execute(text("SELECT status FROM invoices WHERE created_by = 4")).scalars().all()
    assert statuses == ["approved", "approved"]


def test_a_company_name_with_markup_characters_shows_as_typed_after_every_redraw(bot):
    """A customer called "Smith & Sons <EU>" and an approver called "Dana <Ops> & Co" are escaped in
    the draft, in the modal and in each redraw (running_bot fails the test on any unescaped text or
    reused block id the mock Slack saw)."""
    with bot.engine().begin() as conn:
        conn.execute(text("UPDATE companies SET name = 'Smith & Sons <EU>' WHERE id = 1"))
        conn.execute(text("UPDATE users SET name = 'Dana <Ops> & Co' WHERE id = 2"))
    message = draft(bot, RITA, "draft an invoice for deal 1")
    assert "Smith & Sons <EU>" in shown(message)
    value = buttons(message.blocks, "invoice_edit")[0]
    modal = open_editor(bot, RITA, message, value)
    assert "Smith & Sons <EU>" in displayed(json.dumps(modal.view, ensure_ascii=False))
    bot.slack.submit_view(RITA, modal.id, {"payment_terms": "net_45"})
    bot.slack.wait_for("chat.update", ok=True)
    approve = buttons(bot.slack.message(message.channel, message.ts).blocks, "invoice_approve")[0]
    assert bot.slack.click(DANA, message.channel, message.ts, "invoice_approve", approve).status == 200
    bot.slack.wait_for("chat.update", count=2, ok=True)
    redrawn = bot.slack.message(message.channel, message.ts)
    assert "Smith & Sons <EU>" in shown(redrawn) and "approved by Dana <Ops> & Co" in shown(redrawn)
    assert bot.slack.problems == []
