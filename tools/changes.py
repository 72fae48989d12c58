"""crmbot_audit_log: who changed what in the CRM (an invoice, a company's alerts), written by the
caller inside the transaction of the change it records, so the two stand or fall together."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, insert

from db.models import AuditLog
from tools.actor import Actor


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record_change(
    conn: Connection,
    actor: Actor,
    now: datetime,
    entity: str,
    entity_id: int | None,
    action: str,
    changes: dict,
) -> None:
    """One audit row: who (CRM user and where from), when, what changed (old -> new)."""
    conn.execute(
        insert(AuditLog).values(
            occurred_at=now,
            actor_user_id=actor.user_id,
            actor_label=actor.label,
            source=(actor.source or "cli")[:20],
            entity=entity,
            entity_id=entity_id,
            action=action,
            changes=jsonable(changes),
        )
    )
