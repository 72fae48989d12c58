"""Slack as people use it: /crm in channels the bot is not in, auto-linked text, mentions of
people, private notes, strangers, replayed requests, and DMs that remember the last answer."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from tests.slack_app import STRANGER, running_bot, wait_answer_saved, wait_saved
from tests.slack_blockkit import displayed


def _button(blocks: list, action_id: str) -> str:
    return next(
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


@pytest.fixture
def bot(demo_db_copy, monkeypatch, tmp_path):
    with running_bot(demo_db_copy, str(tmp_path / "data"), monkeypatch) as bot:
        yield bot


@pytest.mark.parametrize(
    ("channel", "refusal"),
    [
        ("C0NOBOT", "not_in_channel"),  # a public channel the bot was not invited to
        ("G0PRIVATE", "channel_not_found"),  # a private channel without the bot
        ("D0PEOPLE", "channel_not_found"),  # a DM between two people
    ],
)
def test_crm_where_the_bot_is_not_a_member_answers_through_the_response_url(bot, channel, refusal):
    rep = bot.users["rep"]
    if rep.slack_user_id not in bot.slack.workspace.channels[channel].members:
        bot.slack.workspace.channels[channel].members.add(rep.slack_user_id)
    assert bot.slack.command(rep.slack_user_id, channel, "bookings by rep this year").status == 200
    (answer,) = bot.slack.wait_for("response", ok=True)
    assert answer.args["response_type"] == "in_channel"
    assert "bookings" in displayed(answer.args["text"]).lower()
    assert any(b["type"] == "table" for b in answer.args["blocks"])
    assert "/invite @crmbot" in str(answer.args["blocks"])  # why no chart: the bot can't upload here
    posted = [m for m in bot.slack.workspace.messages.values() if m.channel == channel and m.by_bot]
    assert len(posted) == 1  # the whole channel sees the answer
    assert [c.response["error"] for c in bot.slack.refusals()] == [refusal]  # the one post Slack refused
    # its buttons work there too: the SQL comes back privately, through the click's response URL
    wait_saved(bot.db_url, f"answer:{_button(posted[0].blocks, 'report_show_sql')}")
    ts = posted[0].ts
    assert bot.slack.click(rep.slack_user_id, channel, ts, "report_show_sql").status == 200
    note = bot.slack.wait_until(lambda: bot.slack.notes_for(rep.slack_user_id), what="the SQL")[0]
    assert "SELECT" in note.text


def test_a_stranger_is_told_privately_where_the_bot_is_not_a_member(bot):
    bot.slack.workspace.channels["C0NOBOT"].members.add(STRANGER)
    assert bot.slack.command(STRANGER, "C0NOBOT", "bookings this year").status == 200
    (note,) = bot.slack.wait_for("response", ok=True)
    assert note.args.get("response_type", "ephemeral") == "ephemeral"
    assert "can't find you" in displayed(note.args["text"])
    assert bot.slack.bot_messages("C0NOBOT") == []


def test_the_unknown_user_notice_is_private(bot):
    ts, _ = bot.slack.user_says(STRANGER, "C0SALES", "@crmbot revenue last month")
    notes = bot.slack.wait_until(lambda: bot.slack.notes_for(STRANGER), what="a private notice")
    assert "can't find you" in displayed(notes[0].text)
    time.sleep(0.3)
    assert bot.slack.bot_messages("C0SALES") == []  # nothing for the whole channel to read


def test_auto_linked_email_finds_the_lead(bot):
    rep = bot.users["rep"]
    with bot.engine().connect() as conn:
        lead_id, email = conn.execute(
            text("SELECT id, email FROM leads WHERE status IN ('new', 'working') ORDER BY id LIMIT 1")
        ).one()
    ts, _ = bot.slack.user_says(rep.slack_user_id, "C0SALES", f"@crmbot score lead {email}")
    assert f"<mailto:{email}|{email}>" in bot.slack.message("C0SALES", ts).text  # as Slack delivers it
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    shown = displayed(post.args["text"])
    assert f"Lead {lead_id}" in shown and "Score" in shown or "score" in shown.lower()
    assert "no lead" not in shown.lower()


def test_auto_linked_email_in_a_command_finds_the_lead(bot):
    rep = bot.users["rep"]
    with bot.engine().connect() as conn:
        lead_id, email = conn.execute(
            text("SELECT id, email FROM leads WHERE status IN ('new', 'working') ORDER BY id DESC LIMIT 1")
        ).one()
    assert bot.slack.command(rep.slack_user_id, "C0SALES", f"lead {email}").status == 200
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    assert f"Lead {lead_id}" in displayed(post.args["text"])


def test_a_mentioned_person_is_that_crm_user(bot):
    manager, rep = bot.users["manager"], bot.users["rep"]
    bot.slack.user_says(manager.slack_user_id, "C0SALES", f"@crmbot open pipeline of @{rep.slack_user_id}")
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    blocks = displayed(str(post.args["blocks"]))
    assert f"rep = {rep.name}" in blocks, blocks


def test_a_mentioned_channel_and_a_bare_domain_read_as_typed():
    from bot.slack.text import plain_text

    delivered = "how is <http://acme.com|acme.com> doing in <#C0SALES|sales> &amp; <!here> <@UBOT>"
    assert plain_text(delivered, bot_user_id="UBOT") == "how is acme.com doing in #sales & @here"
    assert plain_text("<https://x.io/a?b=1>") == "https://x.io/a?b=1"
    assert plain_text("<@U1|jo> &lt;= 5", name_of=lambda uid: None) == "@jo <= 5"


def test_a_stranger_cannot_rate_an_answer(bot):
    rep = bot.users["rep"]
    bot.slack.user_says(rep.slack_user_id, "C0SALES", "@crmbot revenue by region last year")
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    wait_answer_saved(bot, post)
    assert bot.slack.click(STRANGER, "C0SALES", post.response["ts"], "report_feedback_right").status == 200
    notes = bot.slack.wait_until(lambda: bot.slack.notes_for(STRANGER), what="a polite note")
    assert "only people in the CRM" in displayed(notes[0].text)
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_verified_questions") == 0
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_answer_feedback") == 0


def test_a_replayed_command_is_answered_once(bot):
    """A captured, signed /crm request sent again within the signature's five minutes."""
    rep = bot.users["rep"]
    sent = []
    real_send = bot.slack.send

    def remember(body, content_type, headers=None):
        sent.append((body, content_type))
        return real_send(body, content_type, headers)

    bot.slack.send = remember
    assert bot.slack.command(rep.slack_user_id, "C0SALES", "help").status == 200
    body, content_type = sent[0]
    assert real_send(body, content_type).status == 200  # the replay: same body, freshly signed
    bot.slack.wait_for("chat.postMessage", ok=True)
    time.sleep(1.0)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


def test_a_replayed_click_is_acted_on_once(bot):
    rep = bot.users["rep"]
    bot.slack.user_says(rep.slack_user_id, "C0SALES", "@crmbot revenue by region last year")
    post = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    wait_answer_saved(bot, post)
    sent = []
    real_send = bot.slack.send
    bot.slack.send = lambda body, ctype, headers=None: (
        sent.append((body, ctype)) or real_send(body, ctype, headers)
    )
    bot.slack.click(rep.slack_user_id, "C0SALES", post.response["ts"], "report_feedback_wrong")
    real_send(*sent[0])
    bot.slack.wait_until(lambda: bot.slack.notes_for(rep.slack_user_id), what="a thank-you")
    time.sleep(1.0)
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_answer_feedback") == 1


def test_a_top_level_follow_up_in_a_dm_keeps_the_context(bot):
    rep = bot.users["rep"]
    dm = f"D{rep.slack_user_id}"
    bot.slack.user_says(rep.slack_user_id, dm, "bookings by rep this year")
    first = bot.slack.wait_for("chat.postMessage", ok=True)[0]
    assert first.args.get("thread_ts") is None  # a DM is answered at its top level
    wait_saved(bot.db_url, f"{dm}:top")  # the DM's memory is written just after the answer is posted
    bot.slack.user_says(rep.slack_user_id, dm, "and by region?")
    follow = bot.slack.wait_for("chat.postMessage", count=2, ok=True)[1]
    shown = displayed(str(follow.args["blocks"])).lower()
    assert "by region" in shown and "refined the previous question" in shown


def test_the_bots_own_dm_messages_come_back_and_are_not_answered(bot):
    rep = bot.users["rep"]
    dm = f"D{rep.slack_user_id}"
    bot.slack.user_says(rep.slack_user_id, dm, "how many open tickets do we have")
    bot.slack.wait_for("chat.postMessage", ok=True)
    bot.slack.wait_until(lambda: any(e.get("bot_id") for _, e in bot.slack.delivered), what="the echo")
    time.sleep(1.0)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert bot.scalar("SELECT COUNT(*) FROM crmbot_slack_inbox") == 0


def test_a_strangers_modal_submission_changes_nothing_and_says_why_privately(bot):
    from crmbot.settings import get_settings
    from tests.test_slack import pending_invoice, show_invoice

    rep = bot.users["rep"]
    inv_id, number = pending_invoice(bot.db_url, rep.id, get_settings().invoice_admin_only_above)
    message = show_invoice(bot, rep.slack_user_id, number)
    terms = bot.scalar("SELECT payment_terms FROM invoices WHERE id=:i", i=inv_id)
    bot.slack.click(STRANGER, "C0FIN", message.ts, "invoice_edit")
    bot.slack.wait_for("views.update", ok=True)
    (modal,) = bot.slack.open_views(STRANGER)
    new_terms = "net_15" if terms != "net_15" else "net_60"
    assert bot.slack.submit_view(STRANGER, modal.id, {"payment_terms": new_terms}).status == 200
    notes = bot.slack.wait_until(lambda: bot.slack.notes_for(STRANGER), what="a private note")
    assert "can't find you" in displayed(notes[0].text)
    assert bot.scalar("SELECT payment_terms FROM invoices WHERE id=:i", i=inv_id) == terms
    assert bot.slack.calls_to("chat.update") == []
