"""Schedules: phrases and cron, conditions, validation, exactly-once claims, catch-up, and the CLI."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from bot.cli import app
from db.engine import get_engine
from db.proactive_models import Schedule, ScheduleRun
from tests.proactive_fixtures import (
    TODAY,
    proactive_slack,
    slack_users,
)
from tests.slack_blockkit import displayed
from tools.proactive import schedules
from tools.proactive.conditions import check, parse_condition
from tools.proactive.cron import ScheduleError, next_after
from tools.proactive.phrases import to_cron


@pytest.mark.parametrize(
    "phrase, cron",
    [
        ("every monday 9am", "0 9 * * MON"),
        ("every Monday at 9:30am", "30 9 * * MON"),
        ("weekdays at 8:30", "30 8 * * MON-FRI"),
        ("every day at 7pm", "0 19 * * *"),
        ("daily", "0 9 * * *"),
        ("weekly", "0 9 * * MON"),
        ("monthly on the 15th at 10am", "0 10 15 * *"),
        ("every mon and fri at noon", "0 12 * * MON,FRI"),
        ("every hour", "0 * * * *"),
        ("every 15 minutes", "*/15 * * * *"),
        ("every minute", "* * * * *"),
        ("0 9 * * MON", "0 9 * * MON"),
        ('cron "* * * * *"', "* * * * *"),
    ],
)
def test_schedule_phrases_become_cron(phrase, cron):
    assert to_cron(phrase) == cron


@pytest.mark.parametrize(
    "phrase", ["every blursday", "61 * * * *", "every monday at 25:00", "monthly on the 31st", "0 9 * *"]
)
def test_unreadable_schedules_are_refused_with_examples(phrase):
    with pytest.raises(ScheduleError) as err:
        to_cron(phrase)
    assert (
        "e.g." in str(err.value)
        or "Try" in str(err.value)
        or "day from 1 to 28" in str(err.value)
        or "time of day" in str(err.value)
    )


def test_conditions_are_read_never_evaluated_as_code():
    assert str(parse_condition("value < 1000000")) == "value < 1,000,000"
    assert parse_condition("value >= 50k").number == 50_000
    assert parse_condition("value < $1.5m").number == 1_500_000
    for bad in ("__import__('os').system('x')", "value < ", "pipeline < 10", "value <> 3"):
        with pytest.raises(ScheduleError):
            parse_condition(bad)
    one = check(parse_condition("value < 10"), ["tickets"], [[7]])
    assert one.holds and one.words(parse_condition("value < 10")) == "condition value < 10 holds"
    many = check(parse_condition("value < 10"), ["rep", "deals"], [["Ann", 3], ["Bo", 12], ["Cy", 9]])
    assert many.holds and (many.matching_rows, many.rows) == (2, 3)
    none = check(parse_condition("value < 10"), ["note"], [["no figures here"]])
    assert not none.checked


def test_cron_follows_the_persons_time_zone_across_daylight_saving():
    before = next_after("0 9 * * *", "Europe/Paris", datetime(2026, 3, 27, 12, tzinfo=UTC))
    after = next_after("0 9 * * *", "Europe/Paris", datetime(2026, 3, 30, 12, tzinfo=UTC))
    assert (before.hour, after.hour) == (8, 7)  # 9:00 in Paris is 8:00 UTC in winter, 7:00 in summer


def _header(post) -> str:
    """The line above a scheduled answer, as a person reads it."""
    blocks = post.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return displayed(blocks[0]["elements"][0]["text"])


def _admin(engine):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id, email, name FROM users WHERE role = 'admin' AND active LIMIT 1")
        ).one()


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def test_bad_schedules_change_nothing(refreshed_db):
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    now = datetime(2026, 11, 19, 8, tzinfo=UTC)
    base = dict(
        question="pipeline", cron="0 9 * * MON", timezone="UTC", user_id=admin.id, channel="C0SALES", now=now
    )
    for change, words in (
        ({"cron": "0 9 * *"}, "5 fields"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"channel": "sales team"}, "not a Slack channel"),
        ({"condition": "value is big"}, "not a condition"),
        ({"question": "  "}, "what to ask"),
        ({"user_id": 999_999}, "not an active CRM user"),
    ):
        with pytest.raises(ScheduleError, match=words):
            schedules.add(engine, **{**base, **change})
    assert _count(engine, Schedule) == 0


def test_each_slot_is_claimed_by_exactly_one_of_several_workers(refreshed_db):
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    start = datetime(2026, 11, 19, 8, 0, 30, tzinfo=UTC)
    made = schedules.add(
        engine,
        question="pipeline",
        cron="* * * * *",
        timezone="UTC",
        user_id=admin.id,
        channel="C0SALES",
        now=start,
    )
    claimed = []
    for minute in range(1, 6):
        now = start + timedelta(minutes=minute, seconds=1)
        threads = [
            threading.Thread(target=lambda w=w, n=now: claimed.extend(schedules.claim_due(engine, w, n)))
            for w in ("w1", "w2", "w3")
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    slots = sorted(c.slot_at for c in claimed)
    assert len(slots) == 5 and len(set(slots)) == 5
    assert slots[0] == datetime(2026, 11, 19, 8, 1) and not any(c.late for c in claimed)
    assert _count(engine, ScheduleRun) == 5 and made.id == claimed[0].schedule.id


def test_missed_slots_collapse_into_one_late_run(refreshed_db):
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    start = datetime(2026, 11, 19, 8, 0, 30, tzinfo=UTC)
    schedules.add(
        engine,
        question="pipeline",
        cron="* * * * *",
        timezone="UTC",
        user_id=admin.id,
        channel="C0SALES",
        now=start,
    )
    back = start + timedelta(minutes=3, seconds=40)  # down from 8:00:30 to 8:04:10
    first = schedules.claim_due(engine, "w1", back)
    assert len(first) == 1 and first[0].late and first[0].slot_at == datetime(2026, 11, 19, 8, 1)
    assert schedules.claim_due(engine, "w1", back + timedelta(seconds=10)) == []
    regular = schedules.claim_due(engine, "w1", start + timedelta(minutes=4, seconds=31))
    assert [c.slot_at for c in regular] == [datetime(2026, 11, 19, 8, 5)] and not regular[0].late


def test_a_run_whose_worker_died_is_taken_over_after_its_lease(refreshed_db):
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    start = datetime(2026, 11, 19, 8, 0, 30, tzinfo=UTC)
    schedules.add(
        engine,
        question="pipeline",
        cron="0 9 * * *",
        timezone="UTC",
        user_id=admin.id,
        channel="C0SALES",
        now=start,
    )
    due = datetime(2026, 11, 19, 9, 0, 1, tzinfo=UTC)
    (claim,) = schedules.claim_due(engine, "dead", due)
    assert schedules.claim_abandoned(engine, "w2", due + timedelta(seconds=30)) == []
    (taken,) = schedules.claim_abandoned(engine, "w2", due + timedelta(seconds=schedules.RUN_LEASE_S + 1))
    assert taken.run_id == claim.run_id
    schedules.finish_run(engine, taken.run_id, "w2", due, status="posted", message_ts="1.2")
    schedules.finish_run(
        engine, taken.run_id, "dead", due, status="failed"
    )  # the dead worker's late word is ignored
    with engine.connect() as conn:
        assert conn.execute(select(ScheduleRun.status)).scalar() == "posted"


def _worker(engine, db_url, slack):
    from slack_sdk import WebClient

    from bot.proactive.worker import Worker

    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    return Worker(engine, db_url, client=client, today=lambda: TODAY)


def test_a_schedule_answers_as_its_person_through_the_router(refreshed_db, tmp_path, monkeypatch):
    from bot.conversation import Context
    from bot.router import handle
    from bot.slack.replies import fallback_text
    from tools.actor import Actor

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    engine = get_engine(refreshed_db)
    with engine.connect() as conn:
        reps = conn.execute(
            text(
                "SELECT u.id, u.name, u.role FROM users u JOIN companies c ON c.owner_id = u.id "
                "JOIN customer_insights i ON i.company_id = c.id WHERE u.role = 'rep' AND u.active "
                "AND i.churn_risk IN ('medium', 'high') GROUP BY u.id, u.name, u.role ORDER BY u.id LIMIT 2"
            )
        ).all()
    now = datetime.now(UTC)
    for rep in reps:
        schedules.add(
            engine,
            question="my accounts at risk",
            cron="* * * * *",
            timezone="UTC",
            user_id=rep.id,
            channel="C0SALES",
            now=now - timedelta(minutes=2),
        )
    with proactive_slack() as slack:
        _worker(engine, refreshed_db, slack).run_schedules()
        posts = slack.calls_to("chat.postMessage")
        assert slack.refusals() == [] and slack.problems == []
    assert len(posts) == 2
    for rep, post in zip(reps, posts, strict=True):
        expected = handle(
            "my accounts at risk",
            Context(refreshed_db, TODAY, Actor(rep.id, rep.name, rep.role, "slack", "t")),
        )
        assert post.args["text"] == fallback_text(expected.result)
        header = _header(post)
        assert f"Scheduled for {rep.name}" in header
    assert posts[0].args["text"] != posts[1].args["text"] or len({r.id for r in reps}) == 1


def test_a_condition_that_does_not_hold_posts_nothing(refreshed_db, tmp_path, monkeypatch):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    now = datetime.now(UTC) - timedelta(minutes=2)
    question = "how many open tickets do we have"
    schedules.add(
        engine,
        question=question,
        cron="* * * * *",
        timezone="UTC",
        user_id=admin.id,
        channel="C0SALES",
        now=now,
        condition="value < 1",
    )
    schedules.add(
        engine,
        question=question,
        cron="* * * * *",
        timezone="UTC",
        user_id=admin.id,
        channel="C0OPS",
        now=now,
        condition="value >= 1",
    )
    with proactive_slack(bot_in=("C0OPS",)) as slack:
        _worker(engine, refreshed_db, slack).run_schedules()
        posts = slack.calls_to("chat.postMessage")
        assert slack.refusals() == [] and slack.problems == []
    assert [p.args["channel"] for p in posts] == ["C0OPS"]
    assert "condition value >= 1 holds" in _header(posts[0]).lower()
    with engine.connect() as conn:
        assert sorted(conn.execute(select(ScheduleRun.status)).scalars()) == ["posted", "skipped"]


def test_cli_add_list_remove(refreshed_db, monkeypatch, tmp_path):
    from crmbot.settings import get_settings

    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CRMBOT_DEFAULT_TIMEZONE", "America/New_York")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        args = [
            "schedule",
            "add",
            "--db",
            refreshed_db,
            "--today",
            TODAY.isoformat(),
            "--as",
            admin.email,
            "--channel",
            "C0SALES",
        ]
        made = runner.invoke(
            app, [*args, "--cron", "0 9 * * MON", "--when", "value < 1000000", "pipeline by rep"]
        )
        assert made.exit_code == 0, made.output
        assert (
            "At 09:00, only on Monday (America/New_York)" in made.output
            and "value < 1,000,000" in made.output
        )
        refused = runner.invoke(app, [*args, "--cron", "0 9 * * MON", "please make me a sandwich"])
        assert refused.exit_code != 0 and "did not schedule it" in refused.output
        bad = runner.invoke(app, [*args, "--cron", "0 25 * * MON", "pipeline by rep"])
        assert bad.exit_code != 0 and "not a valid cron expression" in bad.output
        listed = runner.invoke(app, ["schedule", "list", "--db", refreshed_db, "--json"])
        rows = json.loads(listed.output)
        assert [(r["question"], r["cron"], r["timezone"]) for r in rows] == [
            ("pipeline by rep", "0 9 * * MON", "America/New_York")
        ]
        gone = runner.invoke(app, ["schedule", "remove", str(rows[0]["id"]), "--db", refreshed_db])
        assert gone.exit_code == 0 and "removed" in gone.output
        again = runner.invoke(app, ["schedule", "remove", str(rows[0]["id"]), "--db", refreshed_db])
        assert again.exit_code != 0 and "There is no schedule" in again.output
    finally:
        get_settings.cache_clear()


def test_cli_schedules_a_managers_my_team_question(refreshed_db, monkeypatch, tmp_path):
    """The check before a schedule is kept answers as the person, team included ("my team")."""
    from crmbot.settings import get_settings

    engine = get_engine(refreshed_db)
    with engine.connect() as conn:
        manager = conn.execute(
            text("SELECT email FROM users WHERE role = 'manager' AND team IS NOT NULL AND active LIMIT 1")
        ).one()
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    get_settings.cache_clear()
    try:
        made = CliRunner().invoke(
            app,
            ["schedule", "add", "--db", refreshed_db, "--today", TODAY.isoformat(), "--as", manager.email]
            + ["--channel", "C0SALES", "--cron", "0 9 * * MON", "my team's bookings this month"],
        )
        assert made.exit_code == 0, made.output
        assert _count(engine, Schedule) == 1
    finally:
        get_settings.cache_clear()


def test_cli_takes_the_time_zone_from_slack(refreshed_db, monkeypatch, tmp_path):
    from crmbot.settings import get_settings

    engine = get_engine(refreshed_db)
    with engine.connect() as conn:
        user = conn.execute(
            text("SELECT email FROM users WHERE slack_user_id IS NOT NULL AND active LIMIT 1")
        ).one()
    with proactive_slack(slack_users(engine)) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
        monkeypatch.setenv("SLACK_API_URL", slack.api_url)
        monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(
                app,
                [
                    "schedule",
                    "add",
                    "--db",
                    refreshed_db,
                    "--today",
                    TODAY.isoformat(),
                    "--as",
                    user.email,
                    "--channel",
                    "#sales",
                    "--every",
                    "weekday at 8:30",
                    "pipeline",
                ],
            )
        finally:
            get_settings.cache_clear()
        assert [c.response["user"].get("tz") for c in slack.calls_to("users.info")] == ["Europe/Paris"]
    assert result.exit_code == 0, result.output
    assert "(Europe/Paris)" in result.output and "Monday through Friday" in result.output


def test_a_scheduled_answer_is_the_usual_table_with_its_chart_in_the_thread(
    refreshed_db, tmp_path, monkeypatch
):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    schedules.add(
        engine,
        question="bookings by rep this year",
        cron="0 9 * * MON",
        timezone="Europe/Paris",
        user_id=admin.id,
        channel="C0SALES",
        now=datetime.now(UTC) - timedelta(days=8),
    )
    with proactive_slack() as slack:
        _worker(engine, refreshed_db, slack).run_schedules()
        (post,) = slack.calls_to("chat.postMessage")
        done = slack.wait_for("files.completeUploadExternal")
        upload = slack.calls_to("upload")[0]
        png = slack.uploads[upload.args["file_id"]]
        assert slack.refusals() == [] and slack.problems == []
    blocks = post.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["type"] == "context" and any(b["type"] == "table" for b in blocks)
    assert done[0].args["thread_ts"] == post.response["ts"] and png[:8] == b"\x89PNG\r\n\x1a\n"


class _Clock:
    def __init__(self, now: datetime):
        self.moment = now

    def now(self) -> datetime:
        return self.moment


def test_a_post_slack_could_not_take_is_tried_again_and_a_refused_one_is_not(
    refreshed_db, tmp_path, monkeypatch
):
    from slack_sdk import WebClient

    from bot.proactive.worker import Worker

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    engine = get_engine(refreshed_db)
    admin = _admin(engine)
    start = datetime(2026, 11, 19, 8, 59, 30, tzinfo=UTC)
    for channel in ("C0SALES", "C0GONE"):
        schedules.add(
            engine,
            question="how many open tickets do we have",
            cron="0 9 * * *",
            timezone="UTC",
            user_id=admin.id,
            channel=channel,
            now=start,
        )
    with proactive_slack() as slack:  # no channel C0GONE: Slack refuses it for good (channel_not_found)
        original, failures = slack.answer, {"left": 1}

        def flaky(method, args, headers):  # Slack fails once on the channel that exists
            if method == "chat.postMessage" and args.get("channel") == "C0SALES" and failures["left"]:
                failures["left"] -= 1
                return 200, {}, {"ok": False, "error": "internal_error"}
            return original(method, args, headers)

        slack.answer = flaky
        clock = _Clock(datetime(2026, 11, 19, 9, 0, 1, tzinfo=UTC))
        worker = Worker(
            engine,
            refreshed_db,
            client=WebClient(token=slack.bot_token, base_url=slack.api_url),
            clock=clock,
            today=lambda: TODAY,
        )
        worker.run_schedules()
        clock.moment += timedelta(seconds=30)
        assert worker.run_schedules() == 0  # the retry waits a minute
        clock.moment += timedelta(seconds=31)
        assert worker.run_schedules() == 1
        ok = [c for c in slack.calls_to("chat.postMessage") if c.response.get("ok")]
        refused = sorted(c.response["error"] for c in slack.refusals())
        assert refused == ["channel_not_found", "internal_error"] and slack.problems == []
    assert [c.args["channel"] for c in ok] == ["C0SALES"]
    with engine.connect() as conn:
        runs = dict(
            conn.execute(
                select(Schedule.channel, ScheduleRun.status).join(
                    ScheduleRun, ScheduleRun.schedule_id == Schedule.id
                )
            ).all()
        )
    assert runs == {"C0SALES": "posted", "C0GONE": "failed"}
