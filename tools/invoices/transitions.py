"""Moving an invoice through approval, and who may.

    draft -> pending_approval -> approved -> sent -> paid
    draft | pending_approval --reject--> void ;  approved --cancel--> void

Every transition is one conditional UPDATE (``... WHERE id = :id AND status = :from``) whose
row count says whether this click won: two managers clicking Approve at the same moment, or
one clicking twice, make exactly one transition and the other is told who was first.

Who may do what: managers and admins approve; nobody approves an invoice they created; above
``invoice_admin_only_above`` (in ``invoice_limit_currency``; an invoice in another currency is
converted with the FX table, and one in a currency the table lacks needs an admin) only admins
approve. That bound, with the currency it was converted for, is part of the UPDATE too, so an
edit that raises the total cannot slip past it.

Marking an invoice paid records the payment that settles it (what earlier payments left), in
the same transaction, so revenue (the sum of payments) and what is outstanding stay true.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, false, func, insert, or_, select, update

from db.models import Invoice, Payment
from db.vocab import PAYMENT_METHODS
from tools.actor import Actor
from tools.invoices import fx
from tools.invoices.audit import (
    PAST_TENSE,
    StaleVersion,
    audit,
    bump_version,
    changed_since,
    claim_version,
    explain_status,
    moment,
    settings,
    who,
)
from tools.invoices.results import InvoiceView, TransitionResult
from tools.invoices.views import load_view, load_views
from tools.scope import actor_company_problem, load_scope, orm_tables, row_filter

# action -> (statuses it may start from, status it leaves)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft",), "pending_approval"),
    "approve": (("pending_approval",), "approved"),
    "reject": (("draft", "pending_approval"), "void"),
    "cancel": (("approved",), "void"),
    "send": (("approved",), "sent"),
    "mark_paid": (("sent",), "paid"),
}


# --------------------------------------------------------------------------- the approval limit


def approval_limit() -> tuple[Decimal, str]:
    """(amount, currency) above which only admins approve."""
    config = settings()
    return Decimal(str(config.invoice_admin_only_above)), (config.invoice_limit_currency or "USD").upper()


def _limit_in(currency: str) -> Decimal | None:
    limit, limit_currency = approval_limit()
    return fx.limit_in(limit, limit_currency, currency)


def _above_limit_problem(view: InvoiceView) -> str | None:
    """Why only an admin may approve ``view`` (None when a manager may)."""
    limit, limit_currency = approval_limit()
    here = _limit_in(view.currency)
    if here is None:
        return (
            f"{view.number} is in {view.currency}, which has no exchange rate to {limit_currency} in the FX "
            "table, so only an admin can approve it."
        )
    if view.total <= here:
        return None
    if view.currency.upper() == limit_currency:
        return f"{view.number} is {view.currency} {view.total:,.2f}, above {limit:,.2f}: only an admin can approve it."
    return (
        f"{view.number} is {view.currency} {view.total:,.2f} (about {limit_currency} "
        f"{fx.convert(view.total, view.currency, limit_currency):,.2f}), above {limit_currency} {limit:,.2f}: "
        "only an admin can approve it."
    )


def within_limit_clause():
    """SQL: the invoice's total is within the approval limit in its own currency."""
    clauses = [
        and_(Invoice.currency == code, Invoice.total <= here)
        for code in fx.currencies()
        if (here := _limit_in(code)) is not None
    ]
    return or_(*clauses) if clauses else false()


# --------------------------------------------------------------------------- permissions


def _permission_problem(action: str, actor: Actor, view: InvoiceView) -> str | None:
    if actor.user_id is None:
        return "I don't know which CRM user you are, so I can't record who acted. Nothing was changed."
    if action == "approve":
        if not actor.is_manager:
            return f"Only managers and admins approve invoices; ask your manager to approve {view.number}."
        if view.created_by == actor.user_id:
            return f"You created {view.number}, so someone else must approve it."
        if not actor.is_admin:
            problem = _above_limit_problem(view)
            if problem:
                return problem
    if action in ("reject", "cancel", "submit", "send") and not (
        actor.is_manager or view.created_by == actor.user_id
    ):
        return f"Only managers, admins or the invoice's creator can {action} {view.number}."
    if action == "mark_paid" and not actor.is_manager:
        return f"Only managers and admins can mark {view.number} as paid."
    return None


def _wrong_state_message(action: str, view: InvoiceView, conn: Connection) -> str:
    starts, _ = TRANSITIONS[action]
    if view.status in ("approved", "void", "sent", "paid") or view.status not in starts:
        explanation = explain_status(conn, view)
        if action == "send" and view.status in ("draft", "pending_approval"):
            return f"{view.number} is not approved yet, so it can't be sent."
        if action == "mark_paid" and view.status != "sent":
            return f"{view.number} has not been sent, so it can't be marked paid. " + explanation
        return explanation
    return f"{view.number} can't be {PAST_TENSE[action]} while it is {view.status}."


def _stale_result(
    conn: Connection, action: str, view: InvoiceView, actor: Actor, now: datetime
) -> TransitionResult:
    """Nothing happened: say who changed the invoice and when, and hand back its current version."""
    message = changed_since(
        conn,
        view,
        f"after this message was drawn, so it was not {PAST_TENSE[action]}. "
        "Here is the current version; please review it.",
    )
    return TransitionResult(False, message, action, view, who(actor), now, stale=True, refusal="stale")


# --------------------------------------------------------------------------- payments


def _record_settling_payment(conn: Connection, invoice_id: int, paid_on: date, method: str) -> Decimal:
    """The payment that settles the invoice (its total less what payments already brought in)."""
    invoice = conn.execute(select(Invoice.total, Invoice.company_id).where(Invoice.id == invoice_id)).one()
    paid = conn.execute(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.invoice_id == invoice_id)
    ).scalar()
    due = (Decimal(str(invoice.total)) - Decimal(str(paid))).quantize(Decimal("0.01"))
    if due > 0:
        conn.execute(
            insert(Payment).values(
                invoice_id=invoice_id,
                company_id=invoice.company_id,
                amount=due,
                paid_at=paid_on,
                method=method,
            )
        )
    return max(due, Decimal("0.00"))


# --------------------------------------------------------------------------- the transition


def _transition(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None,
    action: str,
    reason: str | None = None,
    expected_version: int | None = None,
    payment: tuple[date | None, str] | None = None,
) -> TransitionResult:
    """Move the invoice by ``action`` if allowed; with ``expected_version``, only if it is unchanged."""
    starts, target = TRANSITIONS[action]
    now = moment(now)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        if view is None:
            return TransitionResult(
                False,
                f"There is no invoice {invoice_id}.",
                action,
                None,
                who(actor),
                now,
                refusal="not_found",
            )
        outside = actor_company_problem(conn, actor, view.company_id, view.company_name)
        if outside:  # not theirs to see: nothing of the invoice goes back
            return TransitionResult(False, outside, action, None, who(actor), now, refusal="forbidden")
        problem = _permission_problem(action, actor, view)
        refusal = "forbidden" if problem else None
        if problem is None and view.status not in starts:
            problem, refusal = _wrong_state_message(action, view, conn), "conflict"
        if problem is None and expected_version is not None and view.version != expected_version:
            return _stale_result(conn, action, view, actor, now)
    if problem:
        return TransitionResult(False, problem, action, view, who(actor), now, refusal=refusal)

    values: dict = {"status": target}
    guard = [Invoice.id == invoice_id, Invoice.status.in_(starts)]
    if action == "approve":
        values |= {"approved_by": actor.user_id, "approved_at": now}
        guard.append(or_(Invoice.created_by.is_(None), Invoice.created_by != actor.user_id))
        if not actor.is_admin:
            guard += [Invoice.currency == view.currency, Invoice.total <= _limit_in(view.currency)]
    state_values = {"rejected_reason": reason} if action in ("reject", "cancel") else {}
    stale, settled = False, None
    try:
        with engine.begin() as conn:
            won = conn.execute(update(Invoice).where(and_(*guard)).values(**values)).rowcount == 1
            if won:
                if expected_version is None:
                    bump_version(conn, invoice_id, **state_values)
                else:
                    claim_version(conn, invoice_id, expected_version, **state_values)
                changes: dict = {"status": [view.status, target]}
                if reason:
                    changes["reason"] = reason
                if payment is not None:
                    paid_on, method = payment
                    settled = _record_settling_payment(conn, invoice_id, paid_on or now.date(), method)
                    changes["payment"] = [str(settled), method]
                audit(conn, actor, now, invoice_id, action, changes)
    except StaleVersion:  # an edit landed between our read and our update: all rolled back
        won, stale = False, True
    with engine.connect() as conn:
        fresh = load_view(conn, invoice_id)
        if stale:
            return _stale_result(conn, action, fresh, actor, now)
        if not won:  # someone else moved it first (or it changed under us): say who and when
            forbidden = None if fresh.status != view.status else _permission_problem(action, actor, fresh)
            message = (
                explain_status(conn, fresh)
                if fresh.status != view.status
                else (forbidden or f"{fresh.number} changed; please look again.")
            )
            refusal = "forbidden" if forbidden else "conflict"
            return TransitionResult(False, message, action, fresh, who(actor), now, refusal=refusal)
    message = f"{fresh.number} {PAST_TENSE[action]} by {who(actor)} at {now:%Y-%m-%d %H:%M}."
    if reason:
        message += f" Reason: {reason}"
    if settled:
        message += f" Payment of {fresh.currency} {settled:,.2f} recorded."
    return TransitionResult(True, message, action, fresh, who(actor), now)


def submit(engine: Engine, invoice_id: int, actor: Actor, now: datetime | None = None) -> TransitionResult:
    return _transition(engine, invoice_id, actor, now, "submit")


def approve(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> TransitionResult:
    """Approve; with ``expected_version`` (a Slack button's), only the version the approver saw.

    ``None`` is for the chat and CLI, where the command is typed against the invoice as it is now.
    """
    return _transition(engine, invoice_id, actor, now, "approve", expected_version=expected_version)


def reject(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
) -> TransitionResult:
    """Reject (void); checks ``expected_version`` like ``approve``, so a decision is on what was seen."""
    return _transition(
        engine,
        invoice_id,
        actor,
        now,
        "reject",
        reason=(reason or "").strip() or None,
        expected_version=expected_version,
    )


def cancel(
    engine: Engine, invoice_id: int, actor: Actor, now: datetime | None = None, reason: str | None = None
) -> TransitionResult:
    return _transition(engine, invoice_id, actor, now, "cancel", reason=(reason or "").strip() or None)


def send(engine: Engine, invoice_id: int, actor: Actor, now: datetime | None = None) -> TransitionResult:
    return _transition(engine, invoice_id, actor, now, "send")


def mark_paid(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None = None,
    paid_on: date | None = None,
    method: str = "other",
) -> TransitionResult:
    """Mark a sent invoice paid and record the payment that settles it (on ``paid_on``, default
    the day of ``now``), so that revenue and outstanding amounts stay true."""
    if method not in PAYMENT_METHODS:
        return TransitionResult(
            False,
            "The payment method must be one of " + ", ".join(PAYMENT_METHODS) + f" (got {method!r}).",
            "mark_paid",
            None,
            who(actor),
            moment(now),
            refusal="invalid",
        )
    return _transition(engine, invoice_id, actor, now, "mark_paid", payment=(paid_on, method))


# --------------------------------------------------------------------------- lists


def pending_approvals(engine: Engine, actor: Actor) -> list[InvoiceView]:
    """Invoices waiting for approval that ``actor`` may approve (for a rep: their own, waiting)."""
    query = (
        select(Invoice.id)
        .where(Invoice.status == "pending_approval")
        .order_by(Invoice.issue_date, Invoice.id)
    )
    if actor.is_manager:
        query = query.where(or_(Invoice.created_by.is_(None), Invoice.created_by != actor.user_id))
        if not actor.is_admin:
            query = query.where(within_limit_clause())
    else:
        query = query.where(Invoice.created_by == actor.user_id)
    with engine.connect() as conn:
        scoped = row_filter("invoices", load_scope(conn, actor), orm_tables())
        if scoped is not None:  # only the invoices of the accounts the asker sees
            query = query.where(scoped)
        ids = list(conn.execute(query.limit(200)).scalars())
        return load_views(conn, ids)
