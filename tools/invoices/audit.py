"""Who did what to an invoice, and which version of it they acted on.

Every action lands in crmbot_audit_log in the same transaction as the change it records. Every
change bumps crmbot_invoice_state.version; an action taken on what someone was shown claims the
version they saw (``claim_version``), so a change made meanwhile rolls the action back instead of
being silently overwritten or approved unseen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

from db.models import AuditLog, InvoiceState, User
from tools.actor import Actor
from tools.changes import record_change
from tools.invoices.results import InvoiceView

PAST_TENSE = {
    "draft": "drafted",
    "submit": "submitted",
    "approve": "approved",
    "reject": "rejected",
    "cancel": "cancelled",
    "send": "sent",
    "mark_paid": "marked paid",
    "edit": "edited",
}


def settings():
    from crmbot.settings import get_settings

    return get_settings()


def moment(now: datetime | None, today: date | None = None) -> datetime:
    """The time an action is recorded at: ``now`` when given (tests, replays), else the clock."""
    if now is not None:
        return now.replace(tzinfo=None)
    clock = datetime.now()
    return datetime.combine(today, clock.time()) if today else clock


def who(actor: Actor) -> str:
    return actor.name or actor.label or "someone"


def audit(
    conn: Connection, actor: Actor, now: datetime, invoice_id: int | None, action: str, changes: dict
) -> None:
    """One audit row about an invoice: who (CRM user and where from), when, what changed (old -> new)."""
    record_change(conn, actor, now, "invoice", invoice_id, action, changes)


# --------------------------------------------------------------------------- versions


class StaleVersion(Exception):
    """The invoice changed after the caller's view of it was drawn; rolls the change back."""


def bump_version(conn: Connection, invoice_id: int, **values) -> None:
    changed = conn.execute(
        update(InvoiceState)
        .where(InvoiceState.invoice_id == invoice_id)
        .values(version=InvoiceState.version + 1, **values)
    ).rowcount
    if not changed:
        conn.execute(insert(InvoiceState).values(invoice_id=invoice_id, version=1, **values))


def claim_version(conn: Connection, invoice_id: int, expected_version: int, **values) -> None:
    """Bump the version only if it is still ``expected_version`` (a missing row means 0), else
    raise StaleVersion. Call it after the UPDATE of the invoice row, which locks that row."""
    claimed = conn.execute(
        update(InvoiceState)
        .where(InvoiceState.invoice_id == invoice_id, InvoiceState.version == expected_version)
        .values(version=InvoiceState.version + 1, **values)
    ).rowcount
    if claimed == 1:
        return
    has_state = conn.execute(
        select(InvoiceState.invoice_id).where(InvoiceState.invoice_id == invoice_id)
    ).first()
    if expected_version != 0 or has_state is not None:
        raise StaleVersion(invoice_id)
    # never changed since it was loaded without a state row (CRM data): the row starts here;
    # the invoice row is already locked by this transaction, so no edit can insert it meanwhile
    conn.execute(insert(InvoiceState).values(invoice_id=invoice_id, version=1, **values))


# --------------------------------------------------------------------------- explanations


def last_change(conn: Connection, invoice_id: int):
    """The latest audit row of any kind (edits included): who changed the invoice, and when."""
    return conn.execute(
        select(AuditLog.action, AuditLog.occurred_at, AuditLog.actor_label, User.name)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .where(AuditLog.entity == "invoice", AuditLog.entity_id == invoice_id)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()


def changed_since(conn: Connection, view: InvoiceView, what: str) -> str:
    """ "INV-1 was changed by Dana at 10:42 after <what>" from the latest audit row."""
    last = last_change(conn, view.id)
    by = (last.name or last.actor_label) if last else None
    when = f"{last.occurred_at:%Y-%m-%d %H:%M}" if last and last.occurred_at else None
    return (
        f"{view.number} was changed"
        + (f" by {by}" if by else "")
        + (f" at {when}" if when else "")
        + f" {what}"
    )


def _last_action(conn: Connection, invoice_id: int):
    return conn.execute(
        select(AuditLog.action, AuditLog.occurred_at, AuditLog.actor_user_id, AuditLog.actor_label, User.name)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .where(AuditLog.entity == "invoice", AuditLog.entity_id == invoice_id, AuditLog.action != "edit")
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()


def explain_status(conn: Connection, view: InvoiceView) -> str:
    """Why an action found the invoice where it is: "already approved by Dana at 10:42"."""
    last = _last_action(conn, view.id)
    by_name = (last.name or last.actor_label) if last else None
    when = last.occurred_at.strftime("%Y-%m-%d %H:%M") if last and last.occurred_at else None
    by = f" by {by_name}" if by_name else ""
    at = f" at {when}" if when else ""
    if view.status == "approved":
        name = view.approved_by_name or by_name
        stamp = view.approved_at.strftime("%Y-%m-%d %H:%M") if view.approved_at else when
        return (
            f"{view.number} was already approved"
            + (f" by {name}" if name else "")
            + (f" at {stamp}" if stamp else "")
            + "."
        )
    if view.status == "void":
        verb = "rejected" if last is not None and last.action == "reject" else "voided"
        reason = f" ({view.rejected_reason})" if view.rejected_reason else ""
        return f"{view.number} was already {verb}{by}{at}{reason}."
    if view.status == "sent":
        return f"{view.number} was already sent{by}{at}."
    if view.status == "paid":
        return f"{view.number} is already paid."
    if view.status == "draft":
        return f"{view.number} is still a draft: submit it for approval first."
    return f"{view.number} is {view.status.replace('_', ' ')}."


def decision_notes(conn: Connection, views: list[InvoiceView]) -> dict[int, str]:
    """For invoices past approval (or voided): what was decided, by whom, when, from the records
    ("approved by Dana Manager at 2026-11-19 10:42"). Messages redrawn from the database show these
    instead of buttons."""
    notes = {}
    for view in views:
        if view.status in ("draft", "pending_approval"):
            continue
        last = _last_action(conn, view.id)
        by = (last.name or last.actor_label) if last else None
        when = last.occurred_at.strftime("%Y-%m-%d %H:%M") if last and last.occurred_at else None
        if view.status == "approved":
            by = view.approved_by_name or by
            when = view.approved_at.strftime("%Y-%m-%d %H:%M") if view.approved_at else when
        verb = {
            "approved": "approved",
            "sent": "sent",
            "paid": "marked paid",
            "void": "rejected" if last is not None and last.action == "reject" else "voided",
        }.get(view.status, view.status.replace("_", " "))
        note = f"{view.number} {verb}" + (f" by {by}" if by else "") + (f" at {when}" if when else "") + "."
        if view.status == "void" and view.rejected_reason:
            note += f" Reason: {view.rejected_reason}"
        notes[view.id] = note
    return notes
