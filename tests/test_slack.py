"""The Slack bot end to end: the real bolt app over HTTP, driven by a strict mock Slack
(tests/slack_mock.py) that sends signed events, commands, clicks and modal submissions the way
Slack does and refuses Web API calls the way Slack does."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select, text

from tests.slack_app import SECRET, TODAY, running_bot, sign, wait_saved  # noqa: F401 - SECRET, sign: shared with other tests
from tests.slack_blockkit import displayed


@pytest.fixture
def bot(demo_db_copy, monkeypatch, tmp_path):
    with running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch) as bot:
        yield bot


def blocks_of(call) -> list[dict]:
    blocks = call.args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def pending_invoice(db_url: str, creator_id: int, limit: float) -> tuple[int, str]:
    """(id, number) of an invoice made pending approval, created by ``creator_id``, below ``limit``."""
    from db.engine import get_engine
    from db.models import Invoice

    engine = get_engine(db_url)
    with engine.begin() as conn:
        inv_id, number = conn.execute(
            select(Invoice.id, Invoice.number)
            .where(Invoice.status == "sent", Invoice.total < limit)
            .order_by(Invoice.id)
            .limit(1)
        ).one()
        conn.execute(
            text(
                "UPDATE invoices SET status='pending_approval', created_by=:c, approved_by=NULL, approved_at=NULL WHERE id=:i"
            ),
            {"c": creator_id, "i": inv_id},
        )
    engine.dispose()
    return inv_id, number


def ask(bot, user: str, channel: str, question: str):
    """``user`` mentions the bot with ``question``; the bot's answer (the chat.postMessage call)."""
    before = len(bot.slack.calls_to("chat.postMessage"))
    ts, deliveries = bot.slack.user_says(user, channel, f"@crmbot {question}")
    assert [d.status for d in deliveries] == [200]
    answer = bot.slack.wait_for("chat.postMessage", count=before + 1, ok=True)[before]
    assert answer.args["thread_ts"] == ts
    return answer


def show_invoice(bot, user: str, number: str, channel: str = "C0FIN"):
    """The bot's message showing invoice ``number`` with its buttons, as posted in ``channel``."""
    answer = ask(bot, user, channel, f"show invoice {number}")
    return bot.slack.message(channel, answer.response["ts"])


def test_mention_is_answered_in_its_thread_with_a_table_and_a_chart(bot):
    rep = bot.users["rep"]
    post = ask(bot, rep.slack_user_id, "C0SALES", "bookings by rep this year")
    assert any(b["type"] == "table" for b in blocks_of(post)), [b["type"] for b in blocks_of(post)]
    done = bot.slack.wait_for("files.completeUploadExternal", ok=True)[0]
    assert done.args["thread_ts"] == post.args["thread_ts"]
    upload = bot.slack.calls_to("upload")[0]
    assert bot.slack.uploads[upload.args["file_id"]][:8] == b"\x89PNG\r\n\x1a\n"


def test_a_retried_delivery_and_the_message_copy_are_answered_once(bot):
    rep = bot.users["rep"]
    ask(bot, rep.slack_user_id, "C0SALES", "how many open tickets do we have")
    event_id, event = bot.slack.delivered[-1]
    assert bot.slack.deliver_event(event, event_id, retry=1).status == 200
    # the same message also delivered as a plain channel message event: still one answer
    assert bot.slack.deliver_event({**event, "type": "message", "channel_type": "channel"}).status == 200
    time.sleep(1.0)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


def test_a_bad_signature_is_refused_before_any_work(bot):
    rep = bot.users["rep"]
    event = {
        "type": "app_mention",
        "user": rep.slack_user_id,
        "text": "<@UBOT> revenue",
        "ts": "1.2",
        "channel": "C0SALES",
    }
    body = bot.slack.event_body(event, "EvBAD")
    assert bot.post(body, "application/json", sign(body, secret="wrong-secret")) == 401
    assert bot.post(body, "application/json", {}) == 401  # missing
    assert bot.post(body, "application/json", sign(body, ts=int(time.time()) - 3600)) == 401  # stale
    time.sleep(0.5)
    assert bot.slack.calls_to("chat.postMessage") == []
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_processed_events") == 0
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_slack_inbox") == 0


def test_an_invoice_is_approved_by_button_and_the_message_redrawn(bot):
    from crmbot.settings import get_settings

    rep, manager = bot.users["rep"], bot.users["manager"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, manager.slack_user_id, number)
    assert bot.slack.click(manager.slack_user_id, "C0FIN", message.ts, "invoice_approve").status == 200
    update = bot.slack.wait_for("chat.update", ok=True)[0]
    assert update.args["ts"] == message.ts
    assert "approved" in update.args["text"].lower()
    assert bot.scalar("SELECT status FROM invoices WHERE id=:i", i=inv_id) == "approved"
    assert bot.scalar("SELECT approved_by FROM invoices WHERE id=:i", i=inv_id) == manager.id
    assert not any(b["type"] == "actions" for b in bot.slack.message("C0FIN", message.ts).blocks)


def test_a_typed_approval_waits_for_yes_in_the_thread_from_the_same_person(bot):
    """Typing "approve INV-..." proposes; only the same person's "yes" in the thread, as the very
    next message, approves (bot/confirm.py). Someone else's "yes" changes nothing."""
    from crmbot.settings import get_settings

    rep, manager, admin = bot.users["rep"], bot.users["manager"], bot.users["admin"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)

    def status() -> str:
        return bot.scalar("SELECT status FROM invoices WHERE id=:i", i=inv_id)

    top, _ = bot.slack.user_says(manager.slack_user_id, "C0FIN", f"@crmbot approve {number}")
    proposal = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    assert proposal.args["thread_ts"] == top
    assert "Reply 'yes'" in proposal.args["text"] and "in this thread" in proposal.args["text"]
    wait_saved(bot.db_url, f"C0FIN:{top}")
    assert status() == "pending_approval"
    bot.slack.user_says(admin.slack_user_id, "C0FIN", "@crmbot yes", thread_ts=top)  # someone else
    assert "Only the person who asked" in bot.slack.wait_for("chat.postMessage", 2, ok=True)[1].args["text"]
    assert status() == "pending_approval"
    bot.slack.user_says(manager.slack_user_id, "C0FIN", f"@crmbot approve {number}", thread_ts=top)
    bot.slack.wait_for("chat.postMessage", 3, ok=True)  # asked again: a fresh proposal
    time.sleep(0.3)  # the thread state is written just after the answer is posted
    bot.slack.user_says(manager.slack_user_id, "C0FIN", "@crmbot yes", thread_ts=top)
    done = bot.slack.wait_for("chat.postMessage", 4, ok=True)[3]
    assert "approved by" in done.args["text"] and status() == "approved"


def test_a_second_click_on_an_old_copy_is_refused_privately(bot):
    from crmbot.settings import get_settings

    rep, manager, admin = bot.users["rep"], bot.users["manager"], bot.users["admin"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    first = show_invoice(bot, manager.slack_user_id, number)
    second = show_invoice(bot, admin.slack_user_id, number)  # the same invoice, shown again
    assert bot.slack.click(manager.slack_user_id, "C0FIN", first.ts, "invoice_approve").status == 200
    bot.slack.wait_for("chat.update", ok=True)
    assert bot.slack.click(admin.slack_user_id, "C0FIN", second.ts, "invoice_approve").status == 200
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(admin.slack_user_id), what="a private note")
    assert "already" in displayed(note[0].text).lower()
    assert bot.scalar("SELECT approved_by FROM invoices WHERE id=:i", i=inv_id) == manager.id
    # the old copy was out of date: it is drawn again as the database has it, without buttons
    bot.slack.wait_for("chat.update", count=2, ok=True)
    for copy in (first, second):
        redrawn = bot.slack.message("C0FIN", copy.ts)
        assert not any(b["type"] == "actions" for b in redrawn.blocks)
        assert f"approved by {manager.name}" in displayed(json.dumps(redrawn.blocks, ensure_ascii=False))


def test_a_rep_cannot_approve_and_sees_why_privately(bot):
    """The note is visible: it is not posted into a thread of the top-level message that does not exist."""
    from crmbot.settings import get_settings

    rep, other_rep = bot.users["rep"], None
    manager = bot.users["manager"]
    inv_id, number = pending_invoice(bot.db_url, manager.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, rep.slack_user_id, number)
    assert message.thread_ts is not None  # answers to mentions live in the mention's thread
    command = bot.slack.command(rep.slack_user_id, "C0FIN", f"invoice show {number}")
    assert command.status == 200
    top = bot.slack.wait_until(
        lambda: [m for m in bot.slack.bot_messages("C0FIN") if m.thread_ts is None and m.blocks],
        what="a top-level answer",
    )[0]
    assert bot.slack.click(rep.slack_user_id, "C0FIN", top.ts, "invoice_approve").status == 200
    notes = bot.slack.wait_until(
        lambda: bot.slack.notes_for(rep.slack_user_id), what="a visible private note"
    )
    assert "only managers" in displayed(notes[0].text).lower()
    assert bot.slack.notes_for(rep.slack_user_id, visible=False) == []
    assert bot.slack.calls_to("chat.update") == [] and other_rep is None
    assert bot.scalar("SELECT status FROM invoices WHERE id=:i", i=inv_id) == "pending_approval"


def test_rate_limited_calls_are_retried(bot):
    bot.slack.rate_limit["chat.postMessage"] = 1
    assert bot.slack.command(bot.users["rep"].slack_user_id, "C0SALES", "help").status == 200
    posts = bot.slack.wait_for("chat.postMessage", count=2, timeout=15)
    assert [p.response.get("ok") for p in posts] == [False, True]  # the 429, then the retry after Retry-After
    assert "bookings" in displayed(posts[-1].args["text"]).lower()


def test_a_user_is_found_by_email_when_slack_id_is_not_in_the_crm(bot):
    rep = bot.users["rep"]
    with bot.engine().begin() as conn:
        conn.execute(text("UPDATE users SET slack_user_id = NULL WHERE id = :i"), {"i": rep.id})
    post = ask(bot, rep.slack_user_id, "C0SALES", "how many open tickets do we have")
    assert "can't find you" not in post.args["text"]
    assert bot.slack.calls_to("users.info")


def test_app_home_is_published(bot):
    assert bot.slack.open_home(bot.users["manager"].slack_user_id).status == 200
    view = bot.slack.wait_for("views.publish", ok=True)[0].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    texts = json.dumps(view["blocks"])
    assert "My pipeline" in texts and "What to ask me" in texts


def test_the_terminal_chat_and_slack_give_the_same_answer(bot, demo_db_copy):
    from bot.conversation import Context
    from bot.render import escape, to_text
    from bot.router import handle
    from tools.actor import Actor

    rep = bot.users["rep"]
    question = "win rate by industry last year"
    post = ask(bot, rep.slack_user_id, "C0SALES", question)
    ctx = Context(db_url=demo_db_copy, today=TODAY, actor=Actor(rep.id, rep.name, rep.role, source="chat"))
    assert post.args["text"] == escape(to_text(handle(question, ctx).result))[: len(post.args["text"])]


def _report_buttons(post) -> dict:
    actions = next(b for b in blocks_of(post) if b["type"] == "actions")
    return {e["action_id"]: e["value"] for e in actions["elements"]}


def test_show_sql_and_right_answer_buttons(bot):
    rep = bot.users["rep"]
    post = ask(bot, rep.slack_user_id, "C0SALES", "revenue by region last year")
    buttons = _report_buttons(post)
    wait_saved(bot.db_url, f"answer:{buttons['report_show_sql']}")
    ts = post.response["ts"]

    assert bot.slack.click(rep.slack_user_id, "C0SALES", ts, "report_show_sql").status == 200
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(rep.slack_user_id), what="the SQL")[0]
    assert "SELECT" in note.text and "payments" in note.text

    assert bot.slack.click(rep.slack_user_id, "C0SALES", ts, "report_feedback_right").status == 200
    bot.slack.wait_until(lambda: len(bot.slack.notes_for(rep.slack_user_id)) == 2, what="a thank-you")
    with bot.engine().connect() as conn:
        saved = conn.execute(text("SELECT question, sql FROM crmbot_verified_questions")).all()
        verdicts = conn.execute(text("SELECT verdict FROM crmbot_answer_feedback")).scalars().all()
    assert [q for q, _ in saved] == ["revenue by region last year"] and "payments" in saved[0][1]
    assert verdicts == ["right"]

    assert bot.slack.click(rep.slack_user_id, "C0SALES", ts, "report_feedback_wrong").status == 200
    bot.slack.wait_until(lambda: len(bot.slack.notes_for(rep.slack_user_id)) == 3, what="a thank-you")
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_verified_questions") == 1
    with bot.engine().connect() as conn:
        assert sorted(conn.execute(text("SELECT verdict FROM crmbot_answer_feedback")).scalars()) == [
            "right",
            "wrong",
        ]


def test_crm_sql_command_runs_through_the_guard(bot):
    rep = bot.users["rep"]
    assert bot.slack.command(rep.slack_user_id, "C0SALES", "sql DELETE FROM deals").status == 200
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    shown = displayed(post.args["text"])
    assert "not a DELETE" in shown or "Only SELECT" in shown
    assert bot.scalar("SELECT COUNT(*) FROM deals") > 0


def test_a_result_too_big_for_a_table_block_comes_as_a_csv_file(bot):
    rep = bot.users["rep"]
    post = ask(bot, rep.slack_user_id, "C0SALES", "activities by day this year")
    assert not any(b["type"] == "table" for b in blocks_of(post))  # over Slack's 100 rows
    done = bot.slack.wait_for("files.completeUploadExternal", count=2, ok=True)  # the CSV, then the chart
    uploaded = [bot.slack.uploads[c.args["file_id"]] for c in bot.slack.calls_to("upload")]
    csv_files = [u for u in uploaded if u[:4] != b"\x89PNG"]
    assert csv_files and csv_files[0].count(b"\n") > 100
    assert all(c.args["thread_ts"] == post.args["thread_ts"] for c in done)


def test_a_follow_up_in_the_thread_of_a_crm_answer_refines_it(bot):
    rep = bot.users["rep"]
    bot.slack.command(rep.slack_user_id, "C0SALES", "bookings by rep this year")
    bot_ts = bot.slack.wait_for("chat.postMessage", ok=True)[0].response["ts"]  # the answer starts a thread
    wait_saved(bot.db_url, f"C0SALES:{bot_ts}")
    bot.slack.user_says(rep.slack_user_id, "C0SALES", "@crmbot and by region?", thread_ts=bot_ts)
    follow = bot.slack.wait_for("chat.postMessage", count=2, ok=True)[1]
    assert follow.args["thread_ts"] == bot_ts
    blocks = json.dumps(blocks_of(follow)).lower()
    assert "by region" in blocks and "refined the previous question" in blocks


def test_approving_a_message_drawn_before_an_edit_redraws_it_instead(bot):
    """The approver approves exactly what they were shown: a click on a message older than the
    invoice's last edit approves nothing, redraws the current version and says why, privately."""
    from datetime import datetime, timedelta

    from crmbot.settings import get_settings
    from tools.actor import Actor
    from tools.invoices import flow
    from tools.invoices.views import load_view

    rep, manager = bot.users["rep"], bot.users["manager"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, manager.slack_user_id, number)
    engine = bot.engine()
    with engine.connect() as conn:
        drawn = load_view(conn, inv_id)
    rep_actor = Actor(rep.id, rep.name, rep.role, source="slack", label=f"slack:{rep.slack_user_id}")
    later_due = drawn.due_date + timedelta(days=30)
    edited = flow.edit(engine, inv_id, rep_actor, datetime(2026, 11, 19, 9, 30), {"due_date": later_due})
    assert edited.ok, edited.message

    def status() -> str:
        return bot.scalar("SELECT status FROM invoices WHERE id=:i", i=inv_id)

    assert bot.slack.click(manager.slack_user_id, "C0FIN", message.ts, "invoice_approve").status == 200
    bot.slack.wait_for("chat.update", ok=True)
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(manager.slack_user_id), what="a note")[0]
    assert status() == "pending_approval"
    assert f"was changed by {rep.name} at 2026-11-19 09:30 after this message was drawn" in displayed(
        note.text
    )
    redrawn = bot.slack.message("C0FIN", message.ts)
    assert str(later_due) in json.dumps(redrawn.blocks)

    assert bot.slack.click(manager.slack_user_id, "C0FIN", message.ts, "invoice_approve").status == 200
    bot.slack.wait_for("chat.update", count=2, ok=True)
    assert status() == "approved"
    assert not any(b["type"] == "actions" for b in bot.slack.message("C0FIN", message.ts).blocks)


def test_the_edit_modal_opens_and_its_submission_redraws_the_message(bot):
    from crmbot.settings import get_settings

    rep = bot.users["rep"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, rep.slack_user_id, number)
    assert bot.slack.click(rep.slack_user_id, "C0FIN", message.ts, "invoice_edit").status == 200
    bot.slack.wait_for("views.update", ok=True)  # opened at once, then filled from the database
    (modal,) = bot.slack.open_views(rep.slack_user_id)
    assert modal.view["callback_id"] == "invoice_edit_modal"
    submitted = bot.slack.submit_view(rep.slack_user_id, modal.id, {"payment_terms": "net_45"})
    assert submitted.status == 200 and submitted.body in ("", {})  # acked: the modal closes
    update = bot.slack.wait_for("chat.update", ok=True)[0]
    assert update.args["ts"] == message.ts
    assert bot.scalar("SELECT payment_terms FROM invoices WHERE id=:i", i=inv_id) == "net_45"
    approve = next(
        e["value"]
        for b in bot.slack.message("C0FIN", message.ts).blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "invoice_approve"
    )
    assert approve == f"{inv_id}:1"


def test_malformed_modal_input_is_answered_in_the_ack_and_changes_nothing(bot):
    from crmbot.settings import get_settings

    rep = bot.users["rep"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, rep.slack_user_id, number)
    bot.slack.click(rep.slack_user_id, "C0FIN", message.ts, "invoice_edit")
    bot.slack.wait_for("views.update", ok=True)
    (modal,) = bot.slack.open_views(rep.slack_user_id)
    line_input = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").endswith("_unit_price")
    )
    answer = bot.slack.submit_view(rep.slack_user_id, modal.id, {line_input: "lots"})
    assert answer.status == 200 and answer.json["response_action"] == "errors"
    assert line_input in answer.json["errors"]
    time.sleep(0.5)
    assert bot.slack.calls_to("chat.update") == []
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_slack_inbox") == 0
