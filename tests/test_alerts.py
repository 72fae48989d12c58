"""Alerts: which changes of state raise one, snoozes, the hourly cap, delivery that survives failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from slack_sdk import WebClient
from sqlalchemy import insert, select

from bot.proactive.worker import Worker, WorkerOptions
from bot.render.alerts import alert_blocks, alert_text, escape
from db.engine import get_engine
from db.migrate import upgrade
from db.models import AuditLog
from db.proactive_models import AlertOutbox, AlertState
from tests.proactive_fixtures import ALERT_CHANNEL, proactive_slack
from tools.actor import Actor
from tools.insights.results import Reason
from tools.proactive import alerts
from tools.proactive.alerts import KnownState, decide

DROP = 15.0


@pytest.mark.parametrize(
    "before, after, kinds",
    [
        (KnownState("green", "low", 80, 80), ("green", "low", 78), []),
        (KnownState("yellow", "low", 60, 60), ("red", "low", 50), ["turned_red"]),
        (KnownState("red", "low", 40, 40), ("red", "low", 35), []),  # already red: no new alert
        (KnownState("green", "medium", 75, 75), ("green", "high", 72), ["high_risk"]),
        (KnownState("green", "low", 90, 90), ("yellow", "low", 75), ["health_drop"]),
        (KnownState("green", "low", 80, 90), ("green", "low", 76), []),  # 14 below the peak
        (KnownState("green", "low", 80, 92), ("yellow", "low", 76), ["health_drop"]),  # drift adds up
        (KnownState("green", "low", 94, 94), ("red", "high", 61), ["turned_red", "high_risk", "health_drop"]),
    ],
)
def test_which_changes_of_state_raise_an_alert(before, after, kinds):
    assert decide(before, *after, DROP)[0] == kinds


def test_peak_moves_up_and_resets_after_a_drop_alert():
    assert decide(KnownState("green", "low", 80, 85), "green", "low", 90, DROP) == ([], 90)
    assert decide(KnownState("green", "low", 80, 90), "yellow", "low", 70, DROP) == (["health_drop"], 70)
    assert decide(None, "red", "high", 10, DROP) == ([], 10)  # first sight: nothing to compare with


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    engine = get_engine(url)
    upgrade(engine)
    return engine


def _scored(company_id: int, band: str, risk: str, health: float, name: str = "Acme") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "company_id": company_id,
                "company_name": name,
                "owner_id": None,
                "band": band,
                "band_note": None,
                "churn_risk": risk,
                "churn_probability": 0.6 if risk == "high" else 0.05,
                "health_score": health,
            }
        ]
    )


def _record(engine, company_id, band, risk, health, now, name="Acme"):
    reasons = [[Reason("6 urgent tickets in 90 days", "urgent_high_90", "support", 1.2)]]
    with engine.begin() as conn:
        previous = alerts.previous_states(conn, [company_id])
        return alerts.record(
            conn, previous, _scored(company_id, band, risk, health, name), reasons, DROP, now
        )


def test_one_alert_per_change_of_state_and_none_while_snoozed(db):
    now = datetime(2026, 11, 19, 9)
    assert _record(db, 7, "green", "low", 90, now) == []  # first sight
    assert len(_record(db, 7, "red", "high", 40, now)) == 1
    assert _record(db, 7, "red", "high", 40, now) == []  # the same state again (a retry, a second worker)
    assert _record(db, 7, "green", "low", 85, now) == []
    alerts.snooze(db, 7, now + timedelta(days=7), Actor(user_id=None, source="slack", label="slack:U1"), now)
    with db.connect() as conn:  # recorded with the snooze, in its transaction
        logged = conn.execute(
            select(AuditLog.action, AuditLog.actor_label).where(
                AuditLog.entity == "company", AuditLog.entity_id == 7
            )
        ).all()
    assert [tuple(r) for r in logged] == [("snooze_alerts", "slack:U1")]
    assert _record(db, 7, "red", "high", 40, now + timedelta(days=1)) == []  # snoozed: followed, not alerted
    assert _record(db, 7, "green", "low", 85, now + timedelta(days=2)) == []
    assert len(_record(db, 7, "red", "high", 40, now + timedelta(days=8))) == 1  # the snooze is over
    with db.connect() as conn:
        assert conn.execute(select(AlertState.band).where(AlertState.company_id == 7)).scalar() == "red"


def test_alert_message_escapes_the_company_and_carries_both_buttons():
    payload = {
        "company_id": 7,
        "company_name": "<!channel> Smith & <Sons>",
        "owner_name": "Ann *Lee*",
        "before": {"band": "green", "churn_risk": "low", "health_score": 90.0},
        "after": {
            "band": "red",
            "churn_risk": "high",
            "health_score": 41.0,
            "churn_probability": 0.62,
            "band_note": None,
        },
        "peak_health": 92.0,
        "reasons": ["6 urgent tickets in 90 days <@U1>"],
    }
    kinds = ["turned_red", "high_risk", "health_drop"]
    text = alert_text(kinds, payload)
    assert "<!channel>" not in text and "&lt;!channel&gt; Smith &amp; &lt;Sons&gt;" in text
    assert "turned red (was green)" in text and "high churn risk (62%, was low)" in text
    assert "lost 51 health points (92 → 41)" in text
    blocks = alert_blocks(kinds, payload)
    rendered = json.dumps(blocks)
    assert "<!channel>" not in rendered and "<@U1>" not in rendered
    buttons = blocks[-1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("alert_open_card", "7"),
        ("alert_snooze", "7"),
    ]
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def _queue(engine, n: int, owner_slack: str | None = "U0OWNER") -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for i in range(n):
            payload = {
                "company_id": 100 + i,
                "company_name": f"Company {i}",
                "owner_slack_id": owner_slack,
                "before": {"band": "green", "churn_risk": "low", "health_score": 90.0},
                "after": {"band": "red", "churn_risk": "low", "health_score": 40.0, "churn_probability": 0.1},
                "reasons": [],
            }
            conn.execute(
                insert(AlertOutbox).values(
                    company_id=100 + i,
                    created_at=now,
                    kinds=["turned_red"],
                    payload=payload,
                    status="pending",
                    attempts=0,
                )
            )


def _statuses(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(AlertOutbox.status).order_by(AlertOutbox.id)).scalars())


def test_the_hourly_cap_holds_across_workers_and_the_rest_waits(db):
    _queue(db, 5)
    now = datetime.now(UTC).replace(tzinfo=None)
    first = alerts.claim_deliveries(db, "w1", now, per_hour=3)
    second = alerts.claim_deliveries(db, "w2", now, per_hour=3)
    assert len(first) == 3 and second == []  # in-flight claims count against the cap
    for d in first:
        alerts.finish_delivery(db, d, "w1", now, status="sent")
    assert alerts.claim_deliveries(db, "w2", now + timedelta(minutes=30), per_hour=3) == []
    later = alerts.claim_deliveries(db, "w2", now + timedelta(minutes=61), per_hour=3)
    assert [d.company_id for d in later] == [103, 104]  # oldest first, nothing lost


OWNER = {"U0OWNER": {"email": "owner@example.com", "real_name": "Olive Owner"}}


def test_delivery_survives_slack_failures_without_posting_twice(db):
    _queue(db, 1)
    with proactive_slack(OWNER) as slack:
        # no retry handler: a 429 is a failure
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        worker = Worker(db, "sqlite://", client=client, options=WorkerOptions(alert_channel=ALERT_CHANNEL))
        original = slack.answer

        def refuse_channel_once(method, args, headers, _state={"left": 1}):  # noqa: B006 - a counter for this test
            if method == "chat.postMessage" and args.get("channel") == ALERT_CHANNEL and _state["left"]:
                _state["left"] -= 1
                return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
            return original(method, args, headers)

        slack.answer = refuse_channel_once
        assert worker.deliver_alerts() == 1
        assert _statuses(db) == ["pending"]  # the DM went, the channel post will be retried
        assert [c.args["channel"] for c in slack.calls_to("chat.postMessage")] == ["U0OWNER", ALERT_CHANNEL]
        with db.begin() as conn:  # the retry's wait is over
            conn.execute(AlertOutbox.__table__.update().values(lease_until=None))
        assert worker.deliver_alerts() == 1
        assert _statuses(db) == ["sent"]
        posted = [c.args["channel"] for c in slack.calls_to("chat.postMessage") if c.response.get("ok")]
        assert posted == ["U0OWNER", ALERT_CHANNEL]  # the owner was not messaged twice
        assert len(slack.bot_messages("DU0OWNER")) == len(slack.bot_messages(ALERT_CHANNEL)) == 1
        assert slack.problems == []


def test_a_channel_that_refuses_for_good_does_not_block_the_alert(db):
    _queue(db, 1)
    with proactive_slack(OWNER, bot_in=(), bot_not_in=(ALERT_CHANNEL,)) as slack:  # nobody invited the bot
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        worker = Worker(db, "sqlite://", client=client, options=WorkerOptions(alert_channel=ALERT_CHANNEL))
        worker.deliver_alerts()
        assert [c.response.get("error") for c in slack.refusals()] == ["not_in_channel"]
        assert len(slack.bot_messages("DU0OWNER")) == 1  # the owner still got it
    with db.connect() as conn:
        status, error = conn.execute(select(AlertOutbox.status, AlertOutbox.error)).one()
    assert status == "sent" and "not_in_channel" in error


def test_without_slack_alerts_go_to_the_log(db, caplog):
    _queue(db, 1)
    worker = Worker(db, "sqlite://", client=None)
    with caplog.at_level("WARNING"):
        worker.deliver_alerts()
    assert _statuses(db) == ["logged"] and "Slack not configured" in caplog.text
