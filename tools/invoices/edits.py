"""Editing an invoice before approval: terms, due date, and each line's description, quantity and
price; the totals and tax follow.

Every typed value is read strictly (tools.invoices.money) and every date is bounded, before
anything is written. The duplicate check runs on the planned invoice before the write, with an
unknown issue date kept unknown. The write claims the version the edit was planned against (or
the one the editor was shown, from Slack's modal): if someone changed the invoice meanwhile,
nothing is saved and the editor is told who changed it, so two people editing at once never
overwrite each other silently.

A form that sends every field (Slack's modal sends each input's current value) is turned into
the fields that really changed by ``form_changes``; when the terms change and the due date does
not, the due date follows the new terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Engine, select, update

from db.models import Company, Invoice, InvoiceLine
from db.vocab import PAYMENT_TERMS, PAYMENT_TERMS_DAYS
from tools.actor import Actor
from tools.invoices.audit import (
    StaleVersion,
    audit,
    changed_since,
    claim_version,
    explain_status,
    moment,
    who,
)
from tools.invoices.duplicates import InvoiceFacts, check_invoice
from tools.invoices.money import MoneyInputError, max_amount, parse_amount, parse_quantity, tax_on, to_money
from tools.invoices.results import EditResult, InvoiceView
from tools.invoices.tax import decide_tax, tax_rate
from tools.invoices.terms import cap_terms
from tools.invoices.views import load_view
from tools.scope import actor_company_problem

EDITABLE_STATUSES = ("draft", "pending_approval")
MAX_DESCRIPTION = 500


class EditError(ValueError):
    """A change a user asked for that cannot be applied (malformed, out of range)."""


@dataclass
class PlannedEdit:
    invoice_values: dict  # invoices columns to set
    line_values: dict[int, dict]  # invoice_lines id -> columns to set
    diff: dict  # what changed, old -> new, for the audit log and the reply


# --------------------------------------------------------------------------- reading values


def as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise EditError(f"'{text[:30]}' is not a date; use YYYY-MM-DD, like 2026-12-31.") from exc


def check_due_date_window(due: date, issue_date: date | None, today: date) -> date:
    """``due`` if it lies from the issue date (today for an undated draft) to CRMBOT_MAX_DUE_DAYS
    after it; else an EditError that names the bound."""
    from crmbot.settings import get_settings

    start = issue_date or today
    latest = start + timedelta(days=get_settings().max_due_days)
    if due < start:
        what = f"the issue date {issue_date}" if issue_date else f"today ({today})"
        raise EditError(f"The due date {due} is before {what}.")
    if due > latest:
        raise EditError(f"The due date {due} is too far ahead: the latest accepted is {latest}.")
    return due


def check_due_date(due: date, view: InvoiceView, today: date) -> date:
    return check_due_date_window(due, view.issue_date, today)


def _amount(value, what: str, allow_zero: bool = True) -> Decimal:
    try:
        if what == "quantity":
            return parse_quantity(value)
        return parse_amount(value, what, allow_zero=allow_zero)
    except MoneyInputError as exc:
        raise EditError(str(exc)) from exc


# --------------------------------------------------------------------------- a full-state form


def form_changes(view: InvoiceView, form: dict) -> dict:
    """The fields of a full-state form (every field's current value) that differ from ``view``,
    the invoice as the editor was shown it. Terms changed with the due date left as it was: the
    due date is left out, so that it follows the new terms."""
    changes: dict = {}
    terms = form.get("payment_terms")
    if terms not in (None, "") and terms != view.payment_terms:
        changes["payment_terms"] = terms
    due = form.get("due_date")
    if due not in (None, "") and as_date(due) != view.due_date:
        changes["due_date"] = as_date(due)
    by_id = {line.id: line for line in view.lines}
    for line_id, fields in (form.get("lines") or {}).items():
        old = by_id.get(int(line_id))
        if old is None:
            continue
        changed = {}
        for name in ("description", "quantity", "unit_price"):
            value = fields.get(name)
            if value in (None, ""):
                continue
            before = getattr(old, name)
            if name == "description":
                if str(value).strip() != before:
                    changed[name] = str(value).strip()
            elif Decimal(str(value)) != before:
                changed[name] = value
        if changed:
            changes.setdefault("lines", {})[int(line_id)] = changed
    return changes


# --------------------------------------------------------------------------- planning


def _line_changes(view: InvoiceView, requested: dict) -> dict[int, dict]:
    """{line id: {field: new value}} from {line id or position: {...}}, validated."""
    by_id = {line.id: line for line in view.lines}
    out: dict[int, dict] = {}
    for key, fields in (requested or {}).items():
        try:
            line_id = int(key)
        except (TypeError, ValueError) as exc:
            raise EditError(f"'{key}' is not a line of {view.number}.") from exc
        if line_id not in by_id and 1 <= line_id <= len(view.lines):
            line_id = view.lines[line_id - 1].id  # "line 2" means the second line
        if line_id not in by_id:
            raise EditError(f"{view.number} has no line {key}.")
        clean = {}
        if fields.get("quantity") not in (None, ""):
            clean["quantity"] = _amount(fields["quantity"], "quantity")
        if fields.get("unit_price") not in (None, ""):
            clean["unit_price"] = _amount(fields["unit_price"], "unit price")
        if fields.get("description") not in (None, ""):
            clean["description"] = str(fields["description"]).strip()[:MAX_DESCRIPTION]
        if clean:
            out[line_id] = clean
    return out


def plan_edit(
    view: InvoiceView, changes: dict, country: str | None, today: date, rate: Decimal
) -> PlannedEdit:
    """What to write for ``changes`` to ``view``, or an EditError that says what is wrong."""
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
        invoice_values["due_date"] = check_due_date(as_date(changes["due_date"]), view, today)
    if "due_date" in invoice_values and invoice_values["due_date"] != view.due_date:
        diff["due_date"] = [view.due_date, invoice_values["due_date"]]
    else:
        invoice_values.pop("due_date", None)

    line_values: dict[int, dict] = {}
    by_id = {line.id: line for line in view.lines}
    amounts = {line.id: line.amount for line in view.lines}
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
        if values["amount"] > max_amount():
            raise EditError(
                f"Line {line_id} would come to {values['amount']:,.2f}, above the largest amount accepted "
                f"({max_amount():,.2f})."
            )
        if "description" in fields:
            values["description"] = fields["description"]
        for name, new in values.items():
            before = getattr(old, name)
            if new != before:
                diff[f"line {line_id} {name}"] = [before, new]
        line_values[line_id] = values
        amounts[line_id] = values["amount"]
    if line_values:
        subtotal = sum(amounts.values(), Decimal("0.00"))
        tax = tax_on(subtotal, rate)
        if subtotal + tax > max_amount():
            raise EditError(
                f"{view.number} would come to {view.currency} {subtotal + tax:,.2f}, above the largest amount "
                f"accepted ({max_amount():,.2f})."
            )
        invoice_values |= {"subtotal": subtotal, "tax": tax, "total": subtotal + tax}
        if subtotal + tax != view.total:
            diff["total"] = [view.total, subtotal + tax]
    return PlannedEdit(invoice_values, line_values, diff)


def _rate_of(conn: Connection, view: InvoiceView, country: str | None) -> Decimal:
    """The tax rate an edit re-taxes with: the one decided at drafting; for an invoice crmbot did
    not draft, the known rate its current tax matches to the cent (else its own ratio)."""
    if view.tax_rate is not None:
        return view.tax_rate
    decided = decide_tax(conn, view.company_id, view.deal_id, country, exclude=(view.id,)).rate
    if view.subtotal <= 0:
        return decided
    for rate in (decided, tax_rate(country), Decimal("0")):
        if tax_on(view.subtotal, rate) == view.tax:
            return rate
    return (view.tax / view.subtotal).quantize(Decimal("0.0001"))


# --------------------------------------------------------------------------- the edit


def _refused(message: str, view: InvoiceView | None, actor: Actor, stale: bool = False) -> EditResult:
    return EditResult(False, message, view, actor_name=who(actor), stale=stale)


def _duplicates_message(duplicates, view: InvoiceView) -> str:
    numbers = sorted(
        {d.duplicate_of_number or str(d.duplicate_of) for d in duplicates if d.duplicate_of != view.id}
        or {d.invoice_number or str(d.invoice_id) for d in duplicates}
    )
    return " Warning: it now looks like a duplicate of " + ", ".join(numbers) + "."


def edit(
    engine: Engine,
    invoice_id: int,
    actor: Actor,
    now: datetime | None,
    changes: dict,
    expected_version: int | None = None,
) -> EditResult:
    """Change terms, due date or lines of an invoice not yet approved; checks for duplicates first.

    ``changes``: {"payment_terms": "net_45", "due_date": date | "YYYY-MM-DD",
                  "lines": {line id (or 1-based position): {"quantity", "unit_price", "description"}}}
    ``expected_version``: the version the editor was shown (Slack's modal); None means the version
    read here (the chat and CLI type against the invoice as it is now).
    """
    now = moment(now)
    with engine.connect() as conn:
        view = load_view(conn, invoice_id)
        if view is None:
            return EditResult(False, f"There is no invoice {invoice_id}.", actor_name=who(actor))
        outside = actor_company_problem(conn, actor, view.company_id, view.company_name)
        if outside:
            return _refused(outside, view, actor)
        if actor.user_id is None or not (actor.is_manager or view.created_by == actor.user_id):
            return _refused(f"Only managers, admins or its creator can edit {view.number}.", view, actor)
        if view.status not in EDITABLE_STATUSES:
            return _refused(
                f"{view.number} can no longer be edited: " + explain_status(conn, view), view, actor
            )
        if expected_version is not None and view.version != expected_version:
            message = changed_since(conn, view, "after you opened it, so nothing was saved. " + _AGAIN)
            return _refused(message, view, actor, stale=True)
        country = conn.execute(select(Company.country).where(Company.id == view.company_id)).scalar()
        try:
            plan = plan_edit(view, changes, country, now.date(), _rate_of(conn, view, country))
        except EditError as exc:
            return _refused(str(exc), view, actor)
        if not plan.diff:
            return _refused("Nothing to change.", view, actor)
        planned = plan.invoice_values
        facts = InvoiceFacts.of_view(view)
        facts = InvoiceFacts(
            **{
                **facts.__dict__,
                "total": planned.get("total", view.total),
                "subtotal": planned.get("subtotal", view.subtotal),
                "due_date": planned.get("due_date", view.due_date),
            }
        )
        duplicates = check_invoice(conn, facts)  # before the write: a warning, not a block

    stale = False
    try:
        with engine.begin() as conn:
            locked = conn.execute(
                update(Invoice)
                .where(Invoice.id == invoice_id, Invoice.status.in_(EDITABLE_STATUSES))
                .values(**(plan.invoice_values or {"status": Invoice.status}))
            ).rowcount
            if locked == 1:
                claim_version(conn, invoice_id, view.version)
                for line_id, values in plan.line_values.items():
                    conn.execute(update(InvoiceLine).where(InvoiceLine.id == line_id).values(**values))
                audit(conn, actor, now, invoice_id, "edit", plan.diff)
    except StaleVersion:  # someone else's edit or decision landed first: ours is rolled back
        locked, stale = 0, True
    with engine.connect() as conn:
        fresh = load_view(conn, invoice_id)
        if stale:
            message = changed_since(conn, fresh, "while you were editing it, so nothing was saved. " + _AGAIN)
            return _refused(message, fresh, actor, stale=True)
        if locked != 1:
            return _refused(
                f"{fresh.number} can no longer be edited: " + explain_status(conn, fresh), fresh, actor
            )
    message = f"{fresh.number} edited by {who(actor)}: {', '.join(plan.diff)}."
    if duplicates:
        message += _duplicates_message(duplicates, fresh)
    return EditResult(True, message, fresh, plan.diff, duplicates, who(actor))


_AGAIN = "Here is the current version; please make your change again."
