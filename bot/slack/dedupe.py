"""De-duplicate Slack deliveries in the database, so restarts and several workers agree.

Slack retries a delivery it thinks failed (X-Slack-Retry-Num) and sends a mention both as
``app_mention`` and as ``message`` in channels the bot is in. The first insert of a key wins;
the primary key makes the check atomic across processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from db.models import ProcessedEvent


def first_delivery(engine: Engine, *keys: str, now: datetime | None = None) -> bool:
    """Record ``keys``; False when any of them was seen before (the delivery is a duplicate)."""
    now = now or datetime.now()
    keys = tuple(k for k in keys if k)
    if not keys:
        return True
    try:
        with engine.begin() as conn:
            conn.execute(insert(ProcessedEvent), [{"key": k, "received_at": now} for k in keys])
        return True
    except IntegrityError:
        # another delivery of the same message got here first; record the keys it did not have
        for key in keys:
            try:
                with engine.begin() as conn:
                    conn.execute(insert(ProcessedEvent), [{"key": key, "received_at": now}])
            except IntegrityError:
                continue
        return False


def forget_older_than(engine: Engine, days: int = 7, now: datetime | None = None) -> int:
    """Drop keys older than ``days``: Slack stops retrying after minutes."""
    cutoff = (now or datetime.now()) - timedelta(days=days)
    with engine.begin() as conn:
        return conn.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)).rowcount
