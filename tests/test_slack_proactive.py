"""The proactive bot in Slack, end to end: signed requests to the real bolt app, which talks to the mock Slack.

`/crm schedule`, "schedule this weekly" in a thread, and the alert buttons (open the card, snooze).
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from db.engine import get_engine
from db.proactive_models import AlertState, Schedule
from tests.proactive_fixtures import (
    SlackWithTimezones,
    slack_users,
    wait_until,
)
from tests.test_slack import SECRET, TODAY, Bot, wait_saved


@pytest.fixture
def bot(refreshed_db, monkeypatch, tmp_path):
    from bot.slack.http import make_http_server

    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings

    engine = get_engine(refreshed_db)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, email, role, slack_user_id FROM users WHERE active AND slack_user_id IS NOT NULL ORDER BY id"
            )
        ).all()
    users = {}
    for r in rows:
        users.setdefault(r.role, r)
    with SlackWithTimezones(users=slack_users(engine)) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
        monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
        get_settings.cache_clear()
        app = create_app(SlackDeps(settings=get_settings(), db_url=refreshed_db, today=lambda: TODAY))
        server = make_http_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Bot(f"http://127.0.0.1:{server.server_address[1]}/slack/events", slack, refreshed_db, users)
        finally:
            server.shutdown()
            server.server_close()
            get_settings.cache_clear()
            engine.dispose()


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


def test_crm_schedule_makes_lists_and_removes_a_schedule_in_the_persons_time_zone(bot):
    manager = bot.users["manager"]
    bot.command(
        'schedule "how many open tickets do we have" every monday 9am when value > 5', manager.slack_user_id
    )
    note = bot.slack.wait_for("chat.postEphemeral")[0]
    assert note.args["user"] == manager.slack_user_id and "Scheduled:" in note.args["text"]
    assert "at 09:00, only on Monday (Europe/Paris)" in note.args["text"]
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron, made.timezone, made.channel, made.condition) == (
        "how many open tickets do we have",
        "0 9 * * MON",
        "Europe/Paris",
        "C0SALES",
        "value > 5",
    )
    bot.command("schedule list", manager.slack_user_id)
    listed = bot.slack.wait_for("chat.postEphemeral", count=2)[1]
    assert f"*{made.id}*" in listed.args["text"] and "how many open tickets" in listed.args["text"]
    rep = bot.users["rep"]
    bot.command(f"schedule remove {made.id}", rep.slack_user_id)  # not theirs
    refused = bot.slack.wait_for("chat.postEphemeral", count=3)[2]
    assert "only they or an admin" in refused.args["text"] and _schedules(bot.db_url)[0].active
    bot.command(f"schedule remove {made.id}", manager.slack_user_id)
    removed = bot.slack.wait_for("chat.postEphemeral", count=4)[3]
    assert "removed" in removed.args["text"] and not _schedules(bot.db_url)[0].active
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
    bot.command(command, bot.users["rep"].slack_user_id)
    note = bot.slack.wait_for("chat.postEphemeral")[0]
    assert says in note.args["text"]
    assert _schedules(bot.db_url) == []


def test_other_crm_commands_still_reach_the_router(bot):
    bot.command("help", bot.users["rep"].slack_user_id)
    assert bot.slack.wait_for("chat.postMessage")[0].args["channel"] == "C0SALES"


def _mention_in_thread(bot, user: str, words: str, thread_ts: str, ts: str) -> None:
    bot.event(
        {
            "type": "app_mention",
            "user": user,
            "text": f"<@UBOT> {words}",
            "ts": ts,
            "thread_ts": thread_ts,
            "channel": "C0SALES",
        }
    )


def test_schedule_this_weekly_in_the_thread_of_an_answer(bot):
    rep = bot.users["rep"]
    bot.mention("bookings by rep this year", rep.slack_user_id, ts="1700002000.1")
    bot.slack.wait_for("chat.postMessage")
    wait_saved(bot.db_url, "C0SALES:1700002000.1")
    _mention_in_thread(bot, rep.slack_user_id, "schedule this weekly", "1700002000.1", "1700002001.1")
    reply = bot.slack.wait_for("chat.postMessage", count=2)[1]
    assert reply.args["thread_ts"] == "1700002000.1"
    assert 'Scheduled: "bookings by rep this year"' in reply.args["text"]
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron, made.timezone) == (
        "bookings by rep this year",
        "0 9 * * MON",
        "Europe/Paris",
    )


def test_schedule_this_after_a_follow_up_asks_for_the_whole_question(bot):
    rep = bot.users["rep"]
    bot.command("bookings by rep this year", rep.slack_user_id)
    bot_ts = bot.slack.wait_for("chat.postMessage")[0].response["ts"]
    wait_saved(bot.db_url, f"C0SALES:{bot_ts}")
    _mention_in_thread(bot, rep.slack_user_id, "and by region?", bot_ts, "1700003000.1")
    bot.slack.wait_for("chat.postMessage", count=2)
    assert wait_until(lambda: "region" in json.dumps(_thread_state(bot.db_url, f"C0SALES:{bot_ts}")), 10)
    _mention_in_thread(bot, rep.slack_user_id, "schedule this every friday 4pm", bot_ts, "1700003001.1")
    reply = bot.slack.wait_for("chat.postMessage", count=3)[2]
    assert "came from a follow-up" in reply.args["text"] and _schedules(bot.db_url) == []


def test_schedule_this_daily_under_an_insight_card(bot):
    manager = bot.users["manager"]
    with get_engine(bot.db_url).connect() as conn:
        name = conn.execute(
            text(
                "SELECT c.name FROM companies c JOIN customer_insights i ON i.company_id = c.id ORDER BY c.id LIMIT 1"
            )
        ).scalar()
    bot.mention(f"how is {name} doing", manager.slack_user_id, ts="1700004000.1")
    bot.slack.wait_for("chat.postMessage")
    wait_saved(bot.db_url, "C0SALES:1700004000.1")
    _mention_in_thread(
        bot, manager.slack_user_id, "schedule this daily at 8am", "1700004000.1", "1700004001.1"
    )
    reply = bot.slack.wait_for("chat.postMessage", count=2)[1]
    assert "Scheduled:" in reply.args["text"], reply.args["text"]
    (made,) = _schedules(bot.db_url)
    assert (made.question, made.cron) == (f"how is {name} doing", "0 8 * * *")


def _alert_message(company_id: int) -> dict:
    from bot.render.alerts import alert_blocks

    payload = {
        "company_id": company_id,
        "company_name": "Acme",
        "before": {"band": "green", "churn_risk": "low", "health_score": 90.0},
        "after": {"band": "red", "churn_risk": "high", "health_score": 40.0, "churn_probability": 0.6},
        "reasons": ["6 urgent tickets"],
    }
    return {"ts": "1700005000.1", "blocks": alert_blocks(["turned_red"], payload)}


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


def test_open_card_button_shows_the_card_privately(bot):
    rep = bot.users["rep"]
    company_id, name = _owned_company(bot.db_url, owner_id=rep.id)
    message = _alert_message(company_id)
    assert bot.click(rep.slack_user_id, "alert_open_card", str(company_id), message=message) == 200
    card = bot.slack.wait_for("chat.postEphemeral")[0]
    blocks = card.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["type"] == "header" and name in blocks[0]["text"]["text"]
    assert "(40%)" in json.dumps(blocks)  # the card shows the weights in use


def test_snooze_button_silences_a_company_for_seven_days(bot):
    rep = bot.users["rep"]
    company_id, _ = _owned_company(bot.db_url, owner_id=rep.id)
    other_id, _ = _owned_company(bot.db_url, not_owner=rep.id)
    assert (
        bot.click(rep.slack_user_id, "alert_snooze", str(other_id), message=_alert_message(other_id)) == 200
    )
    refused = bot.slack.wait_for("chat.postEphemeral")[0]
    assert "Only the company's owner" in refused.args["text"]
    assert (
        bot.click(rep.slack_user_id, "alert_snooze", str(company_id), message=_alert_message(company_id))
        == 200
    )
    update = bot.slack.wait_for("chat.update")[0]
    blocks = update.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert not any(b["type"] == "actions" for b in blocks) and "Snoozed by" in json.dumps(blocks)
    with get_engine(bot.db_url).connect() as conn:
        snoozed = dict(conn.execute(select(AlertState.company_id, AlertState.snoozed_until)).all())
        audit = conn.execute(text("SELECT action, entity_id FROM crmbot_audit_log")).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    assert list(snoozed) == [company_id]
    assert timedelta(days=6, hours=23) < snoozed[company_id] - now <= timedelta(days=7)
    assert [(a.action, a.entity_id) for a in audit] == [("snooze_alerts", company_id)]
