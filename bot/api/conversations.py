"""Follow-ups over the API: the thread state an answer leaves, kept server-side behind an opaque id.

``POST /api/crm/reports/ask`` answers with a ``context`` id; sending it back with the next
question makes that question a follow-up ("and by region?"), as a reply in a Slack thread is.
The state lives in crmbot_thread_state under a key of the API key that made it, so a client
can neither forge a structured query nor read another key's conversation.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Engine, insert, select

from db.models import ThreadState


def _thread_key(key_id: int, context_id: str) -> str:
    return f"api:{key_id}:{context_id}"


def save(engine: Engine, key_id: int, state: dict, now: datetime) -> str:
    context_id = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(
            insert(ThreadState).values(
                thread_key=_thread_key(key_id, context_id), state=state, updated_at=now
            )
        )
    return context_id


def load(engine: Engine, key_id: int, context_id: str) -> dict | None:
    if not context_id.isalnum() or len(context_id) != 32:
        return None
    with engine.connect() as conn:
        return conn.execute(
            select(ThreadState.state).where(ThreadState.thread_key == _thread_key(key_id, context_id))
        ).scalar()
