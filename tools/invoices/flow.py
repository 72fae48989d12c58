"""Drafting invoices from won deals and moving them through approval.

    draft -> pending_approval -> approved -> sent -> paid
    draft | pending_approval --reject--> void ;  approved --cancel--> void

Every transition is one conditional UPDATE (``... WHERE id = :id AND status = :from``) whose
row count says whether this click won: two managers clicking Approve at the same moment, or
one clicking twice, make exactly one transition and the other is told who was first. Every
action lands in crmbot_audit_log in the same transaction as the change it records.

Who may do what: managers and admins approve; nobody approves an invoice they created; above
``invoice_admin_only_above`` only admins approve (that bound is part of the UPDATE too, so an
edit that raises the total cannot slip past it).

Approving exactly what was shown: every change bumps crmbot_invoice_state.version, Slack buttons
carry the version they were drawn with, and ``approve`` / ``reject`` given ``expected_version``
move the invoice only if the version is still that one. The check is a second conditional UPDATE
(``... SET version = version + 1 WHERE version = :expected``) in the transaction that flips the
status; a mismatch rolls both back. Edits and transitions lock the invoice row first and its
state row second, so on PostgreSQL they queue instead of deadlocking, and on either database an
edit racing an approval either lands first (the approval is refused as stale) or finds the
invoice approved (the edit is refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from db.models import AuditLog, Company, Deal, DealLineItem, Invoice, InvoiceLine, InvoiceState, User
from db.vocab import PAYMENT_TERMS, PAYMENT_TERMS_DAYS
from tools.actor import Actor
from tools.invoices.duplicates import InvoiceFacts, check_invoice
from tools.invoices.money import line_amount, parse_money, split_evenly, tax_on, to_money
from tools.invoices.numbering import reserve_numbers
from tools.invoices.results import DraftResult, EditResult, InvoiceView, TransitionResult
from tools.invoices.tax import tax_rate
from tools.invoices.terms import cap_terms, suggest_terms
from tools.invoices.views import load_view, load_views

MAX_PARTS = 24
INTERVAL_MONTHS = {
    "monthly": 1,
    "quarterly": 3,
    "semiannual": 6,
    "semiannually": 6,
    "yearly": 12,
    "annual": 12,
    "annually": 12,
}

# action -> (statuses it may start from, status it leaves)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft",), "pending_approval"),
    "approve": (("pending_approval",), "approved"),
    "reject": (("draft", "pending_approval"), "void"),
    "cancel": (("approved",), "void"),
    "send": (("approved",), "sent"),
    "mark_paid": (("sent",), "paid"),
}
EDITABLE_STATUSES = ("draft", "pending_approval")
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


def _settings():
    from crmbot.settings import get_settings

    return get_settings()


def _now(now: datetime | None, today: date | None = None) -> datetime:
    if now is not None:
        return now.replace(tzinfo=None)
    moment = datetime.now()
    return datetime.combine(today, moment.time()) if today else moment


def _who(actor: Actor) -> str:
    return actor.name or actor.label or "someone"


def audit(
    conn: Connection, actor: Actor, now: datetime, invoice_id: int | None, action: str, changes: dict
) -> None:
    """One audit row: who (CRM user and where from), when, what changed (old -> new)."""
    conn.execute(
        insert(AuditLog).values(
            occurred_at=now,
            actor_user_id=actor.user_id,
            actor_label=actor.label,
            source=(actor.source or "cli")[:20],
            entity="invoice",
            entity_id=invoice_id,
            action=action,
            changes=_jsonable(changes),
        )
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _bump_version(conn: Connection, invoice_id: int, **values) -> None:
    changed = conn.execute(
        update(InvoiceState)
        .where(InvoiceState.invoice_id == invoice_id)
        .values(version=InvoiceState.version + 1, **values)
    ).rowcount
    if not changed:
        conn.execute(insert(InvoiceState).values(invoice_id=invoice_id, version=1, **values))


# --------------------------------------------------------------------------- drafting


@dataclass(frozen=True)
class _Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    product_id: int | None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


def _deal_lines(conn: Connection, deal) -> list[_Line]:
    rows = conn.execute(
        select(DealLineItem).where(DealLineItem.deal_id == deal.id).order_by(DealLineItem.id)
    ).all()
    if not rows:
        amount = to_money(deal.amount)
        return [_Line(deal.name, Decimal("1.00"), amount, amount, None)]
    lines = []
    for row in rows:
        discount = Decimal(str(row.discount_pct or 0))
        description = row.description or f"Product {row.product_id}"
        if discount:
            description += f" ({discount.normalize():f}% discount)"
        lines.append(
            _Line(
                description,
                to_money(row.quantity),
                to_money(row.unit_price),
                line_amount(row.quantity, row.unit_price, discount),
                row.product_id,
            )
        )
    return lines


def _refused(message: str, actor: Actor, refusal: str, **extra) -> DraftResult:
    return DraftResult(ok=False, message=message, actor_name=_who(actor), refusal=refusal, **extra)


def _validate_draft_request(parts, interval: str, terms: str | None) -> str | None:
    if not isinstance(parts, int) or isinstance(parts, bool) or not 1 <= parts <= MAX_PARTS:
        return f"The number of parts must be a whole number from 1 to {MAX_PARTS} (got {parts!r})."
    if parts > 1 and interval not in INTERVAL_MONTHS:
        return f"I can split invoices monthly, quarterly, semiannually or yearly, not {interval!r}."
    if terms is not None and terms not in PAYMENT_TERMS:
        return "Payment terms must be one of " + ", ".join(PAYMENT_TERMS) + f" (got {terms!r})."
    return None


def _part_lines(lines: list[_Line], part_amounts: list[list[Decimal]], part: int, parts: int) -> list[_Line]:
    if parts == 1:
        return lines
    return [
        _Line(
            f"{line.description} (part {part + 1} of {parts})",
            Decimal("1.00"),
            amounts[part],
            amounts[part],
            line.product_id,
        )
        for line, amounts in zip(lines, part_amounts, strict=True)
    ]


def draft_from_deal(
    engine: Engine,
    deal_id: int,
    actor: Actor,
    today: date,
    parts: int = 1,
    interval: str = "quarterly",
    terms: str | None = None,
    now: datetime | None = None,
) -> DraftResult:
    """Draft the invoice(s) for a closed_won deal, pending approval, with terms and duplicate warnings.

    ``parts`` > 1 makes installments, one every ``interval`` from today, that add up to the
    deal (and its tax) to the cent; the last part takes the rounding remainder.
    """
    problem = _validate_draft_request(parts, interval, terms)
    if problem:
        return _refused(problem, actor, "invalid")
    if actor.user_id is None:
        return _refused(
            "I don't know which CRM user you are, so I can't record who drafted it.", actor, "forbidden"
        )
    settings = _settings()
    now = _now(now, today)
    with engine.connect() as conn:
        deal = conn.execute(select(Deal).where(Deal.id == deal_id)).first()
        if deal is None:
            return _refused(f"There is no deal {deal_id}.", actor, "not_found")
        if deal.stage != "closed_won":
            return _refused(
                f"Deal {deal.id} ({deal.name}) is in stage '{deal.stage}': only closed_won deals can be invoiced.",
                actor,
                "conflict",
            )
        company = conn.execute(select(Company).where(Company.id == deal.company_id)).first()
        lines = _deal_lines(conn, deal)
        suggestion = suggest_terms(
            conn, deal.company_id, today, settings.default_payment_terms, deal.currency or "USD"
        )
    country = company.country if company else None
    chosen_terms, _ = cap_terms(terms or suggestion.terms, country)
    rate = tax_rate(country)
    deal_total = sum((line.amount for line in lines), Decimal("0.00"))

    try:
        invoice_ids, numbers, duplicates, existing_numbers = _insert_drafts(
            engine, deal, lines, deal_total, parts, interval, chosen_terms, rate, actor, today, now
        )
    except _AlreadyInvoiced as exc:
        return _refused(
            f"Deal {deal.id} ({deal.name}) is already fully invoiced: {', '.join(exc.numbers)}.",
            actor,
            "conflict",
            existing_numbers=exc.numbers,
        )
    with engine.connect() as conn:
        views = load_views(conn, invoice_ids)
    what = numbers[0] if parts == 1 else f"{parts} {interval} installments ({numbers[0]} .. {numbers[-1]})"
    message = (
        f"Drafted {what} for {deal.name}: {deal.currency or 'USD'} {sum(v.total for v in views):,.2f} "
        "incl. tax, pending approval."
    )
    if duplicates:
        originals = sorted({d.duplicate_of_number or str(d.duplicate_of) for d in duplicates})
        message += " Warning: this looks like a duplicate of " + ", ".join(originals) + "."
    return DraftResult(
        ok=True,
        message=message,
        invoices=views,
        terms=suggestion,
        duplicates=duplicates,
        actor_name=_who(actor),
        existing_numbers=existing_numbers,
    )


class _AlreadyInvoiced(Exception):
    def __init__(self, numbers: list[str]):
        super().__init__(numbers)
        self.numbers = numbers


def _insert_drafts(engine, deal, lines, deal_total, parts, interval, chosen_terms, rate, actor, today, now):
    """Number, split, check and insert the drafts in one transaction; (ids, numbers, duplicates, existing)."""
    with engine.begin() as conn:
        numbers = reserve_numbers(conn, today.year, parts)  # from here drafts queue behind each other
        existing = conn.execute(
            select(Invoice.number, Invoice.subtotal)
            .where(Invoice.deal_id == deal.id, Invoice.status != "void")
            .order_by(Invoice.id)
        ).all()
        invoiced = sum((to_money(row.subtotal) for row in existing), Decimal("0.00"))
        existing_numbers = [row.number for row in existing]
        if invoiced >= deal_total:
            raise _AlreadyInvoiced(existing_numbers)  # rolls back the numbers taken too
        if invoiced > 0:  # invoice what is left, as one line
            remaining = deal_total - invoiced
            lines = [
                _Line(
                    f"Balance of {deal.name} (after {', '.join(existing_numbers)})",
                    Decimal("1.00"),
                    remaining,
                    remaining,
                    None,
                )
            ]
            deal_total = remaining
        per_line = [split_evenly(line.amount, parts) for line in lines]
        total_tax = tax_on(deal_total, rate)
        invoice_ids, duplicates = [], []
        tax_so_far = Decimal("0.00")
        for part in range(parts):
            part_lines = _part_lines(lines, per_line, part, parts)
            subtotal = sum((line.amount for line in part_lines), Decimal("0.00"))
            tax = total_tax - tax_so_far if part == parts - 1 else tax_on(subtotal, rate)
            tax_so_far += tax
            issue = add_months(today, part * INTERVAL_MONTHS.get(interval, 3))
            facts = InvoiceFacts(
                number=numbers[part],
                company_id=deal.company_id,
                deal_id=deal.id,
                issue_date=issue,
                total=subtotal + tax,
                currency=deal.currency or "USD",
            )
            duplicates.extend(check_invoice(conn, facts, exclude_ids=tuple(invoice_ids)))
            invoice_id = conn.execute(
                insert(Invoice)
                .values(
                    number=numbers[part],
                    company_id=deal.company_id,
                    deal_id=deal.id,
                    status="pending_approval",
                    issue_date=issue,
                    due_date=issue + timedelta(days=PAYMENT_TERMS_DAYS[chosen_terms]),
                    payment_terms=chosen_terms,
                    currency=deal.currency or "USD",
                    subtotal=subtotal,
                    tax=tax,
                    total=subtotal + tax,
                    created_by=actor.user_id,
                    created_at=now,
                )
                .returning(Invoice.id)
            ).scalar_one()
            conn.execute(
                insert(InvoiceLine),
                [
                    {
                        "invoice_id": invoice_id,
                        "product_id": line.product_id,
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "amount": line.amount,
                    }
                    for line in part_lines
                ],
            )
            conn.execute(insert(InvoiceState).values(invoice_id=invoice_id, version=0))
            audit(
                conn,
                actor,
                now,
                invoice_id,
                "draft",
                {
                    "status": [None, "pending_approval"],
                    "number": numbers[part],
                    "deal_id": deal.id,
                    "total": str(subtotal + tax),
                    "payment_terms": chosen_terms,
                    "part": [part + 1, parts],
                    "possible_duplicates": [
                        d.duplicate_of for d in duplicates if d.invoice_number == numbers[part]
                    ],
                },
            )
            invoice_ids.append(invoice_id)
    return invoice_ids, numbers, duplicates, existing_numbers


# --------------------------------------------------------------------------- transitions


class _StaleVersion(Exception):
    """The invoice changed after the caller's view of it was drawn; rolls the transition back."""


def _claim_version(conn: Connection, invoice_id: int, expected_version: int, **values) -> None:
    """Bump the version only if it is still ``expected_version`` (a missing row means 0)."""
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
        raise _StaleVersion(invoice_id)
    # never changed since it was loaded without a state row (CRM data): the row starts here;
    # the invoice row is already locked by this transaction, so no edit can insert it meanwhile
    conn.execute(insert(InvoiceState).values(invoice_id=invoice_id, version=1, **values))


def _last_change(conn: Connection, invoice_id: int):
    """The latest audit row of any kind (edits included): who changed the invoice, and when."""
    return conn.execute(
        select(AuditLog.action, AuditLog.occurred_at, AuditLog.actor_label, User.name)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .where(AuditLog.entity == "invoice", AuditLog.entity_id == invoice_id)
        .order_by(AuditLog.id.desc())
        .limit(1)
    ).first()


def _stale_result(
    conn: Connection, action: str, view: InvoiceView, actor: Actor, now: datetime
) -> TransitionResult:
    """Nothing happened: say who changed the invoice and when, and hand back its current version."""
    last = _last_change(conn, view.id)
    who = (last.name or last.actor_label) if last else None
    when = f"{last.occurred_at:%Y-%m-%d %H:%M}" if last and last.occurred_at else None
    message = (
        f"{view.number} was changed"
        + (f" by {who}" if who else "")
        + (f" at {when}" if when else "")
        + f" after this message was drawn, so it was not {PAST_TENSE[action]}. "
        "Here is the current version; please review it."
    )
    return TransitionResult(False, message, action, view, _who(actor), now, stale=True, refusal="stale")


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
    who = (last.name or last.actor_label) if last else None
    when = last.occurred_at.strftime("%Y-%m-%d %H:%M") if last and last.occurred_at else None
    by = f" by {who}" if who else ""
    at = f" at {when}" if when else ""
    if view.status == "approved":
        name = view.approved_by_name or who
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


def _permission_problem(
    action: str, actor: Actor, view: InvoiceView, admin_only_above: Decimal
) -> str | None:
    if actor.user_id is None:
        return "I don't know which CRM user you are, so I can't record who acted. Nothing was changed."
    if action == "approve":
        if not actor.is_manager:
            return f"Only managers and admins approve invoices; ask your manager to approve {view.number}."
        if view.created_by == actor.user_id:
            return f"You created {view.number}, so someone else must approve it."
        if view.total > admin_only_above and not actor.is_admin:
            return (
                f"{view.number} is {view.currency} {view.total:,.2f}, above {admin_only_above:,.2f}: "
                "only an admin can approve it."
            )
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


def _transition(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None,
    action: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> TransitionResult:
    """Move the invoice by ``action`` if allowed; with ``expected_version``, only if it is unchanged."""
    starts, target = TRANSITIONS[action]
    limit = Decimal(str(_settings().invoice_admin_only_above))
    now = _now(now)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        if view is None:
            return TransitionResult(
                False,
                f"There is no invoice {invoice_id}.",
                action,
                None,
                _who(actor),
                now,
                refusal="not_found",
            )
        problem = _permission_problem(action, actor, view, limit)
        refusal = "forbidden" if problem else None
        if problem is None and view.status not in starts:
            problem, refusal = _wrong_state_message(action, view, conn), "conflict"
        if problem is None and expected_version is not None and view.version != expected_version:
            return _stale_result(conn, action, view, actor, now)
    if problem:
        return TransitionResult(False, problem, action, view, _who(actor), now, refusal=refusal)

    values: dict = {"status": target}
    guard = [Invoice.id == invoice_id, Invoice.status.in_(starts)]
    if action == "approve":
        values |= {"approved_by": actor.user_id, "approved_at": now}
        guard.append(or_(Invoice.created_by.is_(None), Invoice.created_by != actor.user_id))
        if not actor.is_admin:
            guard.append(Invoice.total <= limit)
    state_values = {"rejected_reason": reason} if action in ("reject", "cancel") else {}
    stale = False
    try:
        with engine.begin() as conn:
            won = conn.execute(update(Invoice).where(and_(*guard)).values(**values)).rowcount == 1
            if won:
                if expected_version is None:
                    _bump_version(conn, invoice_id, **state_values)
                else:
                    _claim_version(conn, invoice_id, expected_version, **state_values)
                changes = {"status": [view.status, target]}
                if reason:
                    changes["reason"] = reason
                audit(conn, actor, now, invoice_id, action, changes)
    except _StaleVersion:  # an edit landed between our read and our update: all rolled back
        won, stale = False, True
    with engine.connect() as conn:
        fresh = load_view(conn, invoice_id)
        if stale:
            return _stale_result(conn, action, fresh, actor, now)
        if not won:  # someone else moved it first (or it changed under us): say who and when
            forbidden = (
                None if fresh.status != view.status else _permission_problem(action, actor, fresh, limit)
            )
            message = (
                explain_status(conn, fresh)
                if fresh.status != view.status
                else (forbidden or f"{fresh.number} changed; please look again.")
            )
            refusal = "forbidden" if forbidden else "conflict"
            return TransitionResult(False, message, action, fresh, _who(actor), now, refusal=refusal)
    message = f"{fresh.number} {PAST_TENSE[action]} by {_who(actor)} at {now:%Y-%m-%d %H:%M}."
    if reason:
        message += f" Reason: {reason}"
    return TransitionResult(True, message, action, fresh, _who(actor), now)


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


def mark_paid(engine: Engine, invoice_id: int, actor: Actor, now: datetime | None = None) -> TransitionResult:
    return _transition(engine, invoice_id, actor, now, "mark_paid")


# --------------------------------------------------------------------------- edits


class EditError(ValueError):
    """A change a user asked for that cannot be applied (malformed, out of range)."""


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise EditError(f"'{value}' is not a date; use YYYY-MM-DD.") from exc


def _as_amount(value, what: str, allow_zero: bool = True) -> Decimal:
    amount = value if isinstance(value, Decimal) else parse_money(str(value))
    if amount is None or amount < 0 or (amount == 0 and not allow_zero):
        raise EditError(f"'{value}' is not a valid {what}.")
    return to_money(amount)


def _line_changes(view: InvoiceView, requested: dict) -> dict[int, dict]:
    """{line id: {field: new value}} from {line id or position: {...}}, validated."""
    by_id = {line.id: line for line in view.lines}
    out: dict[int, dict] = {}
    for key, fields in (requested or {}).items():
        line_id = int(key)
        if line_id not in by_id and 1 <= line_id <= len(view.lines):
            line_id = view.lines[line_id - 1].id  # "line 2" means the second line
        if line_id not in by_id:
            raise EditError(f"{view.number} has no line {key}.")
        clean = {}
        if fields.get("quantity") not in (None, ""):
            clean["quantity"] = _as_amount(fields["quantity"], "quantity", allow_zero=False)
        if fields.get("unit_price") not in (None, ""):
            clean["unit_price"] = _as_amount(fields["unit_price"], "unit price")
        if fields.get("description") not in (None, ""):
            clean["description"] = str(fields["description"]).strip()[:500]
        if clean:
            out[line_id] = clean
    return out


def edit(engine: Engine, invoice_id: int, actor: Actor, now: datetime | None, changes: dict) -> EditResult:
    """Change terms, due date or lines of an invoice not yet approved; re-checks for duplicates.

    ``changes``: {"payment_terms": "net_45", "due_date": date | "YYYY-MM-DD",
                  "lines": {line id (or 1-based position): {"quantity", "unit_price", "description"}}}
    """
    now = _now(now)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        if view is None:
            return EditResult(False, f"There is no invoice {invoice_id}.", actor_name=_who(actor))
        if actor.user_id is None or not (actor.is_manager or view.created_by == actor.user_id):
            return EditResult(
                False,
                f"Only managers, admins or its creator can edit {view.number}.",
                view,
                actor_name=_who(actor),
            )
        if view.status not in EDITABLE_STATUSES:
            return EditResult(
                False,
                f"{view.number} can no longer be edited: " + explain_status(conn, view),
                view,
                actor_name=_who(actor),
            )
        country = conn.execute(select(Company.country).where(Company.id == view.company_id)).scalar()
    try:
        invoice_values, line_values, diff = _planned_edit(view, changes, country)
    except EditError as exc:
        return EditResult(False, str(exc), view, actor_name=_who(actor))
    if not diff:
        return EditResult(False, "Nothing to change.", view, actor_name=_who(actor))

    with engine.begin() as conn:
        locked = conn.execute(
            update(Invoice)
            .where(Invoice.id == invoice_id, Invoice.status.in_(EDITABLE_STATUSES))
            .values(**(invoice_values or {"status": Invoice.status}))
        ).rowcount
        if locked == 1:
            for line_id, values in line_values.items():
                conn.execute(update(InvoiceLine).where(InvoiceLine.id == line_id).values(**values))
            if line_values:
                subtotal = conn.execute(
                    select(func.coalesce(func.sum(InvoiceLine.amount), 0)).where(
                        InvoiceLine.invoice_id == invoice_id
                    )
                ).scalar()
                subtotal = to_money(subtotal)
                tax = tax_on(subtotal, tax_rate(country))
                conn.execute(
                    update(Invoice)
                    .where(Invoice.id == invoice_id)
                    .values(subtotal=subtotal, tax=tax, total=subtotal + tax)
                )
                diff["total"] = [str(view.total), str(subtotal + tax)]
            _bump_version(conn, invoice_id)
            audit(conn, actor, now, invoice_id, "edit", diff)
    with engine.connect() as conn:
        fresh = load_view(conn, invoice_id)
        if locked != 1:
            return EditResult(
                False,
                f"{fresh.number} can no longer be edited: " + explain_status(conn, fresh),
                fresh,
                actor_name=_who(actor),
            )
        duplicates = check_invoice(conn, InvoiceFacts.of_view(fresh))
    changed = ", ".join(diff)
    message = f"{fresh.number} edited by {_who(actor)}: {changed}."
    if duplicates:
        message += (
            " Warning: it now looks like a duplicate of "
            + ", ".join(
                sorted(
                    {
                        d.duplicate_of_number or str(d.duplicate_of)
                        for d in duplicates
                        if d.duplicate_of != fresh.id
                    }
                    or {d.invoice_number or str(d.invoice_id) for d in duplicates}
                )
            )
            + "."
        )
    return EditResult(True, message, fresh, diff, duplicates, _who(actor))


def _planned_edit(
    view: InvoiceView, changes: dict, country: str | None
) -> tuple[dict, dict[int, dict], dict]:
    """(invoice column values, line column values, audit diff old -> new), or an EditError."""
    invoice_values: dict = {}
    diff: dict = {}
    terms = changes.get("payment_terms")
    if terms not in (None, "") and terms != view.payment_terms:
        if terms not in PAYMENT_TERMS:
            raise EditError("Payment terms must be one of " + ", ".join(PAYMENT_TERMS) + ".")
        capped, was_capped = cap_terms(terms, country)
        if was_capped:
            raise EditError(f"{terms} is beyond the 60 days allowed for an EU customer.")
        invoice_values["payment_terms"] = capped
        diff["payment_terms"] = [view.payment_terms, capped]
        if changes.get("due_date") in (None, "") and view.issue_date:
            invoice_values["due_date"] = view.issue_date + timedelta(days=PAYMENT_TERMS_DAYS[capped])
    if changes.get("due_date") not in (None, ""):
        due = _as_date(changes["due_date"])
        if view.issue_date and due < view.issue_date:
            raise EditError(f"The due date {due} is before the issue date {view.issue_date}.")
        invoice_values["due_date"] = due
    if "due_date" in invoice_values and invoice_values["due_date"] != view.due_date:
        diff["due_date"] = [view.due_date, invoice_values["due_date"]]
    else:
        invoice_values.pop("due_date", None)

    line_values: dict[int, dict] = {}
    by_id = {line.id: line for line in view.lines}
    for line_id, fields in _line_changes(view, changes.get("lines") or {}).items():
        old = by_id[line_id]
        quantity = fields.get("quantity", old.quantity)
        unit_price = fields.get("unit_price", old.unit_price)
        gross_before = old.quantity * old.unit_price
        kept_share = (old.amount / gross_before) if gross_before else Decimal(1)  # keeps a line's discount
        values = {
            "quantity": quantity,
            "unit_price": unit_price,
            "amount": to_money(quantity * unit_price * kept_share),
        }
        if "description" in fields:
            values["description"] = fields["description"]
        for name, new in values.items():
            before = getattr(old, name)
            if new != before:
                diff[f"line {line_id} {name}"] = [before, new]
        line_values[line_id] = values
    return invoice_values, line_values, diff


# --------------------------------------------------------------------------- lists


def pending_approvals(engine: Engine, actor: Actor) -> list[InvoiceView]:
    """Invoices waiting for approval that ``actor`` may approve (for a rep: their own, waiting)."""
    limit = Decimal(str(_settings().invoice_admin_only_above))
    query = (
        select(Invoice.id)
        .where(Invoice.status == "pending_approval")
        .order_by(Invoice.issue_date, Invoice.id)
    )
    if actor.is_manager:
        query = query.where(or_(Invoice.created_by.is_(None), Invoice.created_by != actor.user_id))
        if not actor.is_admin:
            query = query.where(Invoice.total <= limit)
    else:
        query = query.where(Invoice.created_by == actor.user_id)
    with engine.connect() as conn:
        ids = list(conn.execute(query.limit(200)).scalars())
        return load_views(conn, ids)
