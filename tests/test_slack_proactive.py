"""The proactive bot in Slack, end to end: the real bolt app over HTTP, driven by the strict mock Slack.

`/crm schedule`, "schedule this weekly" in a thread (a channel's and the bot's DM), and the alert
buttons (open the card, snooze) on alerts posted by the real alert delivery.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from db.engine import get_engine
from db.proactive_models import AlertState, Schedule
from tests.proactive_fixtures import wait_until
from tests.slack_app import STRANGER, running_bot, wait_saved
from tests.slack_blockkit import displayed

TIME_ZONE = "Europe/Paris"


@pytest.fixture
def bot(refreshed_db, monkeypatch, tmp_path):
    with running_bot(refreshed_db, str(tmp_path / "data"), monkeypatch) as bot:
        for person in bot.slack.users.values():  # their Slack profiles' time zone (users.info ``tz``)
            person["tz"] = TIME_ZONE
        yield bot


def _thread_state(db_url: str, key: str):
    from db.models import ThreadState

    with get_engine(db_url).connect() as conn:
        return conn.execute(select(ThreadState.state).where(ThreadState.thread_key == key)).scalar()


def _schedules(db_url: str):
    with get_engine(db_url).connect() as conn:
        return conn.execute(
            select(
                Schedule.id,
                Schedule.question,
                Schedule.cron,
                Schedule.timezone,
                Schedule.channel,
                Schedule.condition,
                Schedule.active,
            )
        ).all()


def _note(bot, user: str, count: int = 1) -> str:
    """The ``count``-th private note ``user`` sees, as they read it."""
    notes = bot.slack.wait_until(
        lambda: len(bot.slack.notes_for(user)) >= count and bot.slack.notes_for(user),
        what=f"{count} note(s) for {user}",
    )
    return displayed(notes[count - 1].text)


def _command(bot, user: str, typed: str, channel: str = "C0SALES") -> None:
    assert bot.slack.command(user, channel, typed).status == 200


def test_crm_schedule_makes_lists_and_removes_a_schedule_in_the_persons_time_zone(bot):
    manager = bot.users["manager"]
    _command(
        bot,
        manager.slack_user_id,
        'schedule "how many open tickets do we have" every monday 9am when value > 5',
    )
    note = _note(bot, manager.slack_user_id)
    assert "Scheduled:" in note and "at 09:00, only on Monday (Europe/Paris)" in note, note
    assert "only when value > 5" in note
    # the confirmation is posted first and the schedule runs only once Slack took it: it turns active
    # just after the note arrives, and only then does the person's list show it
    (made,) = wait_until(lambda: [s for s in _schedules(bot.db_url) if s.active], 10)
    assert (made.question, made.cron, made.timezone, made.channel, made.condition) == (
        "how many open tickets do we have",
        "0 9 * * MON",
        TIME_ZONE,
        "C0SALES",
        "value > 5",
    )
    _command(bot, manager.slack_user_id, "schedule list")
    listed = _note(bot, manager.slack_user_id, 2)
    assert f"{made.id}" in listed and '"how many open tickets do we have"' in listed
    assert "to <#C0SALES>" in bot.slack.notes_for(manager.slack_user_id)[1].text  # a link to the channel
    rep = bot.users["rep"]
    _command(bot, rep.slack_user_id, f"schedule remove {made.id}")  # not theirs
    assert "only they or an admin" in _note(bot, rep.slack_user_id) and _schedules(bot.db_url)[0].active
    _command(bot, manager.slack_user_id, f"schedule remove {made.id}")
    assert "removed" in _note(bot, manager.slack_user_id, 3) and not _schedules(bot.db_url)[0].active
    assert bot.slack.calls_to("chat.postMessage") == []  # all of it privately, nothing in the channel


@pytest.mark.parametrize(
    "command, says",
    [
        ('schedule "pipeline" every blursday', "I don't understand 'every blursday'"),
        ("schedule pipeline every monday", "Put the question in quotes"),
        ('schedule "pipeline" every monday when value is high', "not a condition I can check"),
        ('schedule "make me a sandwich" weekly', "did not schedule it"),
    ],
)
def test_a_bad_schedule_gets_a_polite_private_answer_and_changes_nothing(bot, command, says):
    rep = bot.users["rep"]
    _command(bot, rep.slack_user_id, command)
    assert says in _note(bot, rep.slack_user_id)
    assert _schedules(bot.db_url) == []


@pytest.mark.parametrize("channel", ["C0NOBOT", "G0PRIVATE", "D0PEOPLE"])
def test_a_schedule_where_the_bot_cannot_post_is_refused_with_what_to_do(bot, channel):
    """/crm works where the bot was not invited (through its response URL), but a scheduled answer
    is posted by the bot later: there it would never arrive, so nothing is scheduled."""
    person = sorted(bot.slack.workspace.channels[channel].members - {STRANGER})[0]  # a CRM user there
    _command(bot, person, 'schedule "how many open tickets do we have" weekly', channel)
    note = _note(bot, person)
    assert "I can't post" in note and "/invite @crmbot" in note, note
    assert _schedules(bot.db_url) == []
    assert [c.response["error"] for c in bot.slack.refusals()] in (["not_in_channel"], ["channel_not_found"])


def test_other_crm_commands_still_reach_the_router(bot):
    _command(bot, bot.users["rep"].slack_user_id, "help")
    assert bot.slack.wait_for("chat.postMessage", ok=True)[0].args["channel"] == "C0SALES"


def _ask(bot, user: str, channel: str, words: str, thread_ts: str | None = None):
    """``user`` writes to the bot; the bot's answer (its chat.postMessage call)."""
    before = len(bot.slack.calls_to("chat.postMessage"))
    said = f"@crmbot {words}" if channel.startswith("C") else words
    bot.slack.user_says(user, channel, said, thread_ts=thread_ts)
    return bot.slack.wait_for("chat.postMessage", count=before + 1, ok=True)[before]


def test_schedule_this_weekly_in_the_thread_of_an_answer(bot):
    rep = bot.users["rep"]
    answer = _ask(bot, rep.slack_user_id, "C0SALES", "bookings by rep this year")
    thread = answer.args["thread_ts"]
    wait_saved(bot.db_url, f"C0SALES:{thread}")
    reply = _ask(bot, rep.slack_user_id, "C0SALES", "schedule this weekly", thread_ts=thread)
    assert reply.args["thread_ts"] == thread
    assert 'Scheduled: "bookings by rep this year"' in displayed(reply.args["text"])
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron, made.timezone, made.channel) == (
        "bookings by rep this year",
        "0 9 * * MON",
        TIME_ZONE,
        "C0SALES",
    )


def test_schedule_this_in_the_thread_of_an_answer_in_the_bots_dm(bot):
    rep = bot.users["rep"]
    dm = f"D{rep.slack_user_id}"
    answer = _ask(bot, rep.slack_user_id, dm, "how many open tickets do we have")
    assert "thread_ts" not in answer.args or answer.args["thread_ts"] is None  # a DM is answered at the top
    wait_saved(bot.db_url, f"{dm}:{answer.response['ts']}")
    reply = _ask(bot, rep.slack_user_id, dm, "schedule this daily when value > 1", answer.response["ts"])
    assert reply.args["thread_ts"] == answer.response["ts"]
    assert "Scheduled:" in displayed(reply.args["text"]), reply.args["text"]
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron, made.channel, made.condition) == (
        "how many open tickets do we have",
        "0 9 * * *",
        dm,
        "value > 1",
    )


def test_schedule_this_after_a_follow_up_asks_for_the_whole_question(bot):
    rep = bot.users["rep"]
    _command(bot, rep.slack_user_id, "bookings by rep this year")
    bot_ts = bot.slack.wait_for("chat.postMessage", ok=True)[0].response["ts"]
    wait_saved(bot.db_url, f"C0SALES:{bot_ts}")
    _ask(bot, rep.slack_user_id, "C0SALES", "and by region?", thread_ts=bot_ts)
    assert wait_until(lambda: "region" in json.dumps(_thread_state(bot.db_url, f"C0SALES:{bot_ts}")), 10)
    reply = _ask(bot, rep.slack_user_id, "C0SALES", "schedule this every friday 4pm", thread_ts=bot_ts)
    assert "came from a follow-up" in displayed(reply.args["text"]) and _schedules(bot.db_url) == []


def test_schedule_this_daily_under_an_insight_card(bot):
    manager = bot.users["manager"]
    with get_engine(bot.db_url).connect() as conn:
        name = conn.execute(
            text(
                "SELECT c.name FROM companies c JOIN customer_insights i ON i.company_id = c.id ORDER BY c.id LIMIT 1"
            )
        ).scalar()
    card = _ask(bot, manager.slack_user_id, "C0SALES", f"how is {name} doing")
    thread = card.args["thread_ts"]
    wait_saved(bot.db_url, f"C0SALES:{thread}")
    reply = _ask(bot, manager.slack_user_id, "C0SALES", "schedule this daily at 8am", thread_ts=thread)
    assert "Scheduled:" in displayed(reply.args["text"]), reply.args["text"]
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron) == (f"how is {name} doing", "0 8 * * *")


def _owned_company(db_url: str, owner_id: int | None = None, not_owner: int | None = None) -> tuple[int, str]:
    where = "c.owner_id = :o" if owner_id else "c.owner_id != :o"
    with get_engine(db_url).connect() as conn:
        return tuple(
            conn.execute(
                text(
                    f"SELECT c.id, c.name FROM companies c JOIN customer_insights i ON i.company_id = c.id WHERE {where} ORDER BY c.id LIMIT 1"
                ),
                {"o": owner_id or not_owner},
            ).one()
        )


def _post_alert(bot, company_id: int, name: str, target: str) -> tuple[str, str]:
    """An alert about the company posted by the worker's delivery code with the bot's own client:
    (channel, ts) of the message Slack shows."""
    from bot.notify import post_alert

    payload = {
        "company_id": company_id,
        "company_name": name,
        "before": {"band": "green", "churn_risk": "low", "health_score": 90.0},
        "after": {"band": "red", "churn_risk": "high", "health_score": 40.0, "churn_probability": 0.6},
        "reasons": ["6 urgent tickets"],
    }
    posted = []
    failures = post_alert(
        bot.app.client, ["turned_red"], payload, [target], set(), lambda to, ts: posted.append(ts)
    )
    assert failures == [] and len(posted) == 1
    channel = f"D{target}" if target.startswith("U") else target  # a user id: the app's DM with them
    assert bot.slack.message(channel, posted[0]).by_bot
    return channel, posted[0]


def test_open_card_button_in_the_owners_dm_shows_the_card_privately(bot):
    rep = bot.users["rep"]
    company_id, name = _owned_company(bot.db_url, owner_id=rep.id)
    channel, ts = _post_alert(bot, company_id, name, rep.slack_user_id)
    assert bot.slack.click(rep.slack_user_id, channel, ts, "alert_open_card").status == 200
    (card,) = bot.slack.wait_until(lambda: bot.slack.notes_for(rep.slack_user_id), what="the card")
    assert card.channel == channel
    assert card.blocks[0]["type"] == "header" and name in card.blocks[0]["text"]["text"]
    assert "(40%)" in json.dumps(card.blocks)  # the card shows the weights in use
    assert bot.slack.refusals() == []


def test_snooze_button_silences_a_company_for_seven_days(bot):
    rep = bot.users["rep"]
    company_id, name = _owned_company(bot.db_url, owner_id=rep.id)
    other_id, other_name = _owned_company(bot.db_url, not_owner=rep.id)
    channel, other_ts = _post_alert(bot, other_id, other_name, "C0SALES")  # the team's alert channel
    assert bot.slack.click(rep.slack_user_id, channel, other_ts, "alert_snooze").status == 200
    assert "Only the company's owner" in _note(bot, rep.slack_user_id)
    _, ts = _post_alert(bot, company_id, name, "C0SALES")
    assert bot.slack.click(rep.slack_user_id, channel, ts, "alert_snooze").status == 200
    update = bot.slack.wait_for("chat.update", ok=True)[0]
    assert update.args["ts"] == ts
    redrawn = bot.slack.message(channel, ts).blocks
    assert not any(b["type"] == "actions" for b in redrawn) and "Snoozed by" in json.dumps(redrawn)
    assert any(b["type"] == "actions" for b in bot.slack.message(channel, other_ts).blocks)  # untouched
    with get_engine(bot.db_url).connect() as conn:
        snoozed = dict(conn.execute(select(AlertState.company_id, AlertState.snoozed_until)).all())
        audit = conn.execute(text("SELECT action, entity_id FROM crmbot_audit_log")).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    assert list(snoozed) == [company_id]
    assert timedelta(days=6, hours=23) < snoozed[company_id] - now <= timedelta(days=7)
    assert [(a.action, a.entity_id) for a in audit] == [("snooze_alerts", company_id)]
