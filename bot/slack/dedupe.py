"""De-duplicate Slack deliveries in the database, so restarts and several workers agree.

Slack retries an event it thinks failed (X-Slack-Retry-Num) and sends a mention both as
``app_mention`` and as ``message`` where the bot reads channel messages; a captured, signed
request can be replayed within the signature's five minutes. Every request is keyed (event id,
channel+ts, trigger id); the first insert of a key wins, and the primary key makes the check
atomic across processes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from db.models import ProcessedEvent


def request_keys(body: dict) -> list[str]:
    """The keys that identify one Slack request: an event by its id (and a message by channel+ts,
    whichever event type carried it); a command or interaction by its trigger id, which Slack makes
    new for every invocation and click; else by the body itself."""
    event = body.get("event") or {}
    if body.get("event_id"):
        keys = [f"event:{body['event_id']}"]
        if event.get("type") in ("app_mention", "message") and event.get("ts"):
            keys.append(f"msg:{event.get('channel')}:{event['ts']}")
        return keys
    if body.get("trigger_id"):
        return [f"trigger:{body['trigger_id']}"]
    canonical = json.dumps(body, sort_keys=True, default=str).encode()
    return [f"body:{hashlib.sha256(canonical).hexdigest()[:40]}"]


def insert_keys(conn: Connection, keys: list[str], now: datetime) -> None:
    """Insert ``keys`` in the caller's transaction; IntegrityError when one was seen before."""
    conn.execute(insert(ProcessedEvent), [{"key": k, "received_at": now} for k in keys])


def remember_each(engine: Engine, keys: list[str], now: datetime) -> None:
    """After a duplicate: record the keys the earlier delivery did not have (an app_mention and
    the message copy of it have different event ids and the same channel+ts)."""
    for key in keys:
        try:
            with engine.begin() as conn:
                insert_keys(conn, [key], now)
        except IntegrityError:
            continue


def forget_older_than(engine: Engine, days: int = 7, now: datetime | None = None) -> int:
    """Drop keys older than ``days``: Slack stops retrying after minutes."""
    cutoff = (now or datetime.now()) - timedelta(days=days)
    with engine.begin() as conn:
        return conn.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)).rowcount
