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


def save(engine: Engine, key: str, state: dict, now: datetime | None = None) -> None:
    with session_scope(engine) as session:
        session.merge(ThreadState(thread_key=key, state=state, updated_at=now or datetime.now()))
