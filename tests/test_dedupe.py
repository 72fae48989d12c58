"""The de-duplication store for Slack deliveries: first one wins, a week is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from bot.slack.dedupe import first_delivery, forget_older_than
from db.engine import get_engine
from db.migrate import upgrade


def _engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(engine)
    return engine


def test_the_first_delivery_wins_and_any_shared_key_marks_a_copy(tmp_path):
    engine = _engine(tmp_path)
    assert first_delivery(engine, "event:Ev1", "msg:C1:1.1") is True
    assert first_delivery(engine, "event:Ev1", "msg:C1:1.1") is False  # Slack's retry
    assert first_delivery(engine, "event:Ev2", "msg:C1:1.1") is False  # same message as app_mention + message
    assert first_delivery(engine, "event:Ev3", "msg:C1:1.2") is True
    with engine.connect() as conn:
        keys = set(conn.execute(text("SELECT key FROM crmbot_processed_events")).scalars())
    assert {"event:Ev1", "event:Ev2", "event:Ev3", "msg:C1:1.1", "msg:C1:1.2"} == keys


def test_keys_older_than_a_week_are_forgotten(tmp_path):
    engine = _engine(tmp_path)
    now = datetime(2026, 11, 19, 12, 0)
    first_delivery(engine, "event:old", now=now - timedelta(days=8))
    first_delivery(engine, "event:recent", now=now - timedelta(days=6))
    assert forget_older_than(engine, days=7, now=now) == 1
    assert first_delivery(engine, "event:old", now=now) is True
    assert first_delivery(engine, "event:recent", now=now) is False
