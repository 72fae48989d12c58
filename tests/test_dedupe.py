"""The de-duplication store for Slack deliveries: first one wins (recorded with the inbox row, in
one transaction, before the ack), a week is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, text

from bot.slack.dedupe import forget_older_than, request_keys
from bot.slack.inbox import Inbox
from db.engine import get_engine
from db.migrate import upgrade
from db.models import ProcessedEvent


def _engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(engine)
    return engine


def _inbox(engine) -> Inbox:
    return Inbox(engine, lambda kind, body: None, lanes={"answers": 1}, lane_of=lambda kind, body: "answers")


def _mention(event_id: str, ts: str, kind: str = "app_mention") -> dict:
    return {"event_id": event_id, "event": {"type": kind, "channel": "C1", "ts": ts, "text": "hi"}}


def test_the_first_delivery_wins_and_any_shared_key_marks_a_copy(tmp_path):
    engine = _engine(tmp_path)
    inbox = _inbox(engine)

    def accepted(body: dict) -> bool:
        return inbox.accept("event:app_mention", body, request_keys(body)) is not None

    assert accepted(_mention("Ev1", "1.1")) is True
    assert accepted(_mention("Ev1", "1.1")) is False  # Slack's retry
    assert accepted(_mention("Ev2", "1.1", "message")) is False  # the same message as app_mention + message
    assert accepted(_mention("Ev3", "1.2")) is True
    with engine.connect() as conn:
        keys = set(conn.execute(text("SELECT key FROM crmbot_processed_events")).scalars())
        rows = conn.execute(text("SELECT COUNT(*) FROM crmbot_slack_inbox")).scalar()
    assert {"event:Ev1", "event:Ev2", "event:Ev3", "msg:C1:1.1", "msg:C1:1.2"} == keys
    assert rows == 2  # one piece of work per message, whatever the copies
    inbox.close()


def test_commands_and_clicks_are_keyed_by_their_trigger_id():
    assert request_keys({"command": "/crm", "trigger_id": "t.1"}) == ["trigger:t.1"]
    assert request_keys({"type": "block_actions", "trigger_id": "t.2"}) == ["trigger:t.2"]
    assert request_keys({"type": "x"})[0].startswith("body:")


def test_keys_older_than_a_week_are_forgotten(tmp_path):
    engine = _engine(tmp_path)
    now = datetime(2026, 11, 19, 12, 0)
    with engine.begin() as conn:
        conn.execute(
            insert(ProcessedEvent),
            [
                {"key": "event:old", "received_at": now - timedelta(days=8)},
                {"key": "event:recent", "received_at": now - timedelta(days=6)},
            ],
        )
    assert forget_older_than(engine, days=7, now=now) == 1
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT key FROM crmbot_processed_events")).scalars()) == {
            "event:recent"
        }
