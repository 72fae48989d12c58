"""`crmbot worker` end to end: real worker processes, change capture installed, a mock Slack over HTTP.

The alert tests run in real time. The schedule test runs the workers on a scaled clock (a cron
minute every three real seconds, the same clock in both processes): the same code paths as
production, without waiting minutes.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from db.capture import install
from db.engine import get_engine
from tests.proactive_fixtures import (
    ALERT_CHANNEL,
    REPORTS_CHANNEL,
    WorkerProcess,
    green_customer,
    make_it_unhealthy,
    proactive_slack,
    slack_users,
    wait_until,
    worker_env,
)

ALERT_BUDGET_S = 30.0


def _running_workers(engine, ready: bool = False) -> int:
    """Workers started and not stopped; ``ready``: and past their first round of work (models loaded)."""
    where = " AND heartbeat_at > started_at" if ready else ""
    with engine.connect() as conn:
        return conn.execute(
            text(f"SELECT COUNT(*) FROM crmbot_workers WHERE stopped_at IS NULL{where}")
        ).scalar()


def _insight(engine, company_id: int):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT i.health_score, i.churn_risk, i.computed_at, d.band FROM customer_insights i "
                "JOIN crmbot_insight_details d ON d.company_id = i.company_id WHERE i.company_id = :c"
            ),
            {"c": company_id},
        ).one()


def _blocks(call) -> list[dict]:
    blocks = call.args.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _alert_round_trip(db_url: str, tmp_path, poll: str) -> None:
    """Two workers, one customer turning red: one alert (owner DM + channel), then nothing more, even after a restart."""
    engine = get_engine(db_url)
    assert install(engine)[0] == "triggers"
    company_id, name, owner_slack = green_customer(engine)
    before = _insight(engine, company_id)
    workers = []
    with proactive_slack(slack_users(engine)) as slack:
        env = worker_env(slack, tmp_path / "data")
        try:
            workers = [
                WorkerProcess(db_url, env, tmp_path / f"w{i}.log", "--poll-interval", poll) for i in (1, 2)
            ]
            assert wait_until(lambda: _running_workers(engine, ready=True) == 2, 60), workers[0].output()
            started = time.monotonic()
            make_it_unhealthy(engine, company_id)
            posts = slack.wait_for("chat.postMessage", 2, timeout=ALERT_BUDGET_S, ok=True)
            took = time.monotonic() - started
            assert took < ALERT_BUDGET_S
            assert sorted(p.args["channel"] for p in posts) == sorted([owner_slack, ALERT_CHANNEL])
            # the owner reads it in their DM with the app, the team in the alert channel
            assert len(slack.bot_messages(f"D{owner_slack}")) == len(slack.bot_messages(ALERT_CHANNEL)) == 1
            for post in posts:
                assert name.replace("&", "&amp;") in post.args["text"] and "turned red" in post.args["text"]
                actions = [b for b in _blocks(post) if b["type"] == "actions"][0]
                assert [e["action_id"] for e in actions["elements"]] == ["alert_open_card", "alert_snooze"]
                assert {e["value"] for e in actions["elements"]} == {str(company_id)}
                assert any("*Why*" in (b.get("text") or {}).get("text", "") for b in _blocks(post))
            after = _insight(engine, company_id)
            assert after.band == "red" and before.band == "green"
            assert float(after.health_score) <= float(before.health_score) - 15
            assert str(after.computed_at) != str(before.computed_at)
            time.sleep(3)  # both workers keep going: a second worker has nothing more to say
            assert len(slack.calls_to("chat.postMessage")) == 2
            assert [w.stop() for w in workers] == [0, 0], workers[0].output() + workers[1].output()

            # while no worker runs, another customer changes: a restarted worker picks it up, alerts nothing twice
            with engine.begin() as conn:
                other = conn.execute(
                    text(
                        "SELECT company_id FROM customer_insights WHERE company_id != :c ORDER BY company_id LIMIT 1"
                    ),
                    {"c": company_id},
                ).scalar()
                conn.execute(
                    text(
                        "INSERT INTO activities (company_id, type, occurred_at, subject) VALUES (:c, 'call', :t, 'QBR')"
                    ),
                    {"c": other, "t": datetime(2026, 11, 18, 15)},
                )
            stamp = _insight(engine, other).computed_at
            workers = [WorkerProcess(db_url, env, tmp_path / "w3.log", "--poll-interval", poll)]
            assert wait_until(lambda: str(_insight(engine, other).computed_at) != str(stamp), 60), workers[
                0
            ].output()
            time.sleep(2)
            assert len(slack.calls_to("chat.postMessage")) == 2
            assert workers[0].stop() == 0
            assert slack.refusals() == [] and slack.problems == []
        finally:
            for w in workers:
                w.stop()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM crmbot_changes")).scalar() == 0
        alerts = conn.execute(text("SELECT company_id, status FROM crmbot_alerts")).all()
        stopped = conn.execute(
            text("SELECT COUNT(*) FROM crmbot_workers WHERE stopped_at IS NOT NULL")
        ).scalar()
    assert [(a.company_id, a.status) for a in alerts] == [(company_id, "sent")]
    assert stopped == 3  # every worker recorded a clean stop
    print(f"change -> alert posted in {took:.2f} s")
    engine.dispose()


def test_a_customer_turning_red_is_alerted_once_sqlite(refreshed_db, tmp_path):
    _alert_round_trip(refreshed_db, tmp_path, poll="0.2")


@pytest.mark.postgres
def test_a_customer_turning_red_is_alerted_once_postgres(refreshed_pg, tmp_path):
    # a long poll interval: the change must reach the workers by NOTIFY
    _alert_round_trip(refreshed_pg, tmp_path, poll="20")


def _posts_to(slack, channel: str):
    return [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == channel]


def _runs(engine):
    from sqlalchemy import select

    from db.proactive_models import ScheduleRun

    with engine.connect() as conn:
        return conn.execute(
            select(ScheduleRun.slot_at, ScheduleRun.status, ScheduleRun.claimed_by).order_by(
                ScheduleRun.slot_at
            )
        ).all()


def test_a_minute_schedule_posts_once_per_minute_with_two_workers_and_catches_up_once(refreshed_db, tmp_path):
    from tools.proactive import schedules
    from tools.proactive.clock import ScaledClock

    speed = 15.0  # a cron minute every 4 real seconds
    engine = get_engine(refreshed_db)
    start = datetime.now(UTC)
    clock = ScaledClock(start, speed)
    args = ("--poll-interval", "0.2", "--clock-start", start.isoformat(), "--clock-speed", str(speed))
    with engine.connect() as conn:
        user_id, email = conn.execute(
            text("SELECT id, email FROM users WHERE role = 'admin' AND active LIMIT 1")
        ).one()
    workers = []
    with proactive_slack(slack_users(engine)) as slack:
        env = worker_env(slack, tmp_path / "data")
        try:
            workers = [WorkerProcess(refreshed_db, env, tmp_path / f"s{i}.log", *args) for i in (1, 2)]
            assert wait_until(lambda: _running_workers(engine, ready=True) == 2, 60), workers[0].output()
            made = schedules.add(
                engine,
                question="how many open tickets do we have",
                cron="* * * * *",
                timezone="Europe/Paris",
                user_id=user_id,
                channel=REPORTS_CHANNEL,
                now=clock.now(),
            )
            assert wait_until(lambda: len(_posts_to(slack, REPORTS_CHANNEL)) >= 5, 60), workers[0].output()
            assert [w.stop() for w in workers] == [0, 0]
            runs = _runs(engine)
            posts = _posts_to(slack, REPORTS_CHANNEL)
            assert len(posts) == len(runs) >= 5  # every slot posted exactly once
            assert all(r.status == "posted" for r in runs)
            slots = [r.slot_at for r in runs]
            assert all(b - a == timedelta(minutes=1) for a, b in zip(slots, slots[1:], strict=False))
            assert "open" in posts[0].args["text"].lower() or "ticket" in posts[0].args["text"].lower()

            # three cron minutes without a worker, then one: one catch-up post, then the regular minutes
            down_until = clock.now() + timedelta(minutes=3)
            wait_until(lambda: clock.now() >= down_until, 60)
            workers = [WorkerProcess(refreshed_db, env, tmp_path / "s3.log", *args)]
            assert wait_until(lambda: len(_posts_to(slack, REPORTS_CHANNEL)) >= len(posts) + 2, 40), workers[
                0
            ].output()
            assert workers[0].stop() == 0
            assert slack.refusals() == [] and slack.problems == []
        finally:
            for w in workers:
                w.stop()
    runs_after = _runs(engine)[len(runs) :]
    catch_up, regular = runs_after[0], runs_after[1]
    missed = (regular.slot_at - catch_up.slot_at) // timedelta(minutes=1)
    assert missed >= 3, "the catch-up run stands for the three (or more) missed minutes"
    assert catch_up.slot_at == slots[-1] + timedelta(minutes=1)  # the first missed slot, run once
    assert len(_posts_to(slack, REPORTS_CHANNEL)) == len(_runs(engine))
    header = _blocks(_posts_to(slack, REPORTS_CHANNEL)[len(posts)])[0]["elements"][0]["text"]
    assert "I was not running then" in header and f"schedule remove {made.id}" in header
    engine.dispose()


def test_serve_with_worker_runs_one_beside_the_bot_and_stops_it(refreshed_db, tmp_path):
    import signal
    import socket
    import subprocess
    import sys

    from tests.proactive_fixtures import ROOT

    engine = get_engine(refreshed_db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with proactive_slack(slack_users(engine)) as slack:
        env = worker_env(slack, tmp_path / "data", SLACK_SIGNING_SECRET="test-secret")
        log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
        serve = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--http", "--host", "127.0.0.1", "--port", str(port),
             "--db", refreshed_db, "--today", "2026-11-19", "--with-worker"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            assert wait_until(lambda: _running_workers(engine) == 1, 60), (tmp_path / "serve.log").read_text()
        finally:
            serve.send_signal(signal.SIGTERM)
            serve.wait(20)
            log.close()
        assert wait_until(lambda: _running_workers(engine) == 0, 30), (tmp_path / "serve.log").read_text()
    engine.dispose()
