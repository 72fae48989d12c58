"""Per-thread memory: the last structured question in a thread, for follow-ups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from db.engine import session_scope
from db.models import ThreadState


def thread_key(channel: str, thread_ts: str) -> str:
    return f"{channel}:{thread_ts}"


def load(engine: Engine, key: str) -> dict | None:
    with engine.connect() as conn:
        return conn.execute(select(ThreadState.state).where(ThreadState.thread_key == key)).scalar()


def save_all(engine: Engine, states: dict[str, dict], now: datetime | None = None) -> None:
    """Upsert several keys in one transaction."""
    now = now or datetime.now()
    with session_scope(engine) as session:
        for key, state in states.items():
            session.merge(ThreadState(thread_key=key, state=state, updated_at=now))
