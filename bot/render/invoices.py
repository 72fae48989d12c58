"""Invoices as terminal text, Slack Block Kit (message with Approve / Reject / Edit, the edit
modal) and JSON-ready data.

Slack contract (the listeners code against it):
  * buttons: action_id ``invoice_approve`` / ``invoice_reject`` / ``invoice_edit``, value =
    ``"<invoice id>:<version>"`` (the version the message shows; ``parse_button_value`` reads it,
    and reads a bare ``"<invoice id>"`` from messages drawn before versions as version 0, so such
    a button still works on an invoice never changed and is refused as stale on an edited one);
    every block of one invoice has a block_id starting ``inv<ID>:``;
  * a stale click (``TransitionResult.stale``) redraws the invoice as it is now, with a note and
    fresh buttons, in place of the old one;
  * after an outcome, ``to_blocks(TransitionResult)`` is the invoice with the outcome and who
    acted and no buttons; ``replace_invoice_blocks(message_blocks, result)`` swaps one
    invoice's blocks inside a message that shows several (installments);
  * the modal: ``edit_modal_view(invoice)`` (callback_id ``invoice_edit_modal``,
    private_metadata = invoice id) and ``parse_edit_submission(view["state"]["values"])``
    -> the changes for ``tools.invoices.flow.edit`` or Slack's ``{"response_action": "errors"}``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from bot.render import MAX_BLOCKS, base_block_id, context, mrkdwn, section, to_blocks, to_data, to_text
from db.vocab import PAYMENT_TERMS
from tools.invoices.results import (
    DraftResult,
    DuplicateMatch,
    DuplicateReport,
    EditResult,
    InvoiceDetail,
    InvoiceView,
    PendingApprovals,
    TermsSuggestion,
    TransitionResult,
)

APPROVE_ACTION = "invoice_approve"
REJECT_ACTION = "invoice_reject"
EDIT_ACTION = "invoice_edit"
EDIT_MODAL_CALLBACK = "invoice_edit_modal"
MAX_LINES_SHOWN = 15
MAX_MODAL_LINES = 20
OUTCOME_ICON = {
    "approve": ":white_check_mark:",
    "reject": ":no_entry:",
    "cancel": ":no_entry:",
    "send": ":outbox_tray:",
    "mark_paid": ":moneybag:",
    "submit": ":inbox_tray:",
}
TERMS_LABEL = {
    t: ("Due on receipt" if t == "due_on_receipt" else t.replace("net_", "Net ")) for t in PAYMENT_TERMS
}


def _money(currency: str, amount: Decimal) -> str:
    return f"{currency} {amount:,.2f}"


def _terms(value: str | None) -> str:
    return TERMS_LABEL.get(value or "", value or "-")


def _line_text(inv: InvoiceView) -> list[str]:
    shown = [
        f"{line.description} — {line.quantity.normalize():f} x {line.unit_price:,.2f} = {line.amount:,.2f}"
        for line in inv.lines[:MAX_LINES_SHOWN]
    ]
    if len(inv.lines) > MAX_LINES_SHOWN:
        shown.append(f"… and {len(inv.lines) - MAX_LINES_SHOWN} more lines")
    return shown


def _duplicates_text(matches: list[DuplicateMatch], invoice: InvoiceView | None = None) -> list[str]:
    out = []
    for m in matches:
        if invoice is not None and invoice.number not in (m.invoice_number, m.duplicate_of_number):
            continue
        other = (
            m.duplicate_of_number
            if invoice is None or m.invoice_number == invoice.number
            else m.invoice_number
        )
        out.append(f"Possible duplicate of {other} (score {m.score:.2f}): " + "; ".join(m.reasons))
    return out


def _terms_text(terms: TermsSuggestion | None) -> str | None:
    if terms is None:
        return None
    offer = f", offer {terms.early_payment_offer}" if terms.early_payment_offer else ""
    return f"Suggested terms: {_terms(terms.terms)}{offer}. {terms.reason}"


# --------------------------------------------------------------------------- terminal text


def invoice_text(inv: InvoiceView) -> str:
    head = f"{inv.number} · {inv.status.replace('_', ' ')} · {inv.company_name or 'no company'}"
    if inv.deal_name:
        head += f" · deal {inv.deal_id} ({inv.deal_name})"
    rows = [head, f"  issued {inv.issue_date}, due {inv.due_date} ({_terms(inv.payment_terms)})"]
    rows += [f"  • {text}" for text in _line_text(inv)]
    rows.append(f"  subtotal {inv.subtotal:,.2f} + tax {inv.tax:,.2f} = {_money(inv.currency, inv.total)}")
    people = f"  created by {inv.created_by_name or inv.created_by or '-'}"
    if inv.approved_by_name:
        people += f", approved by {inv.approved_by_name} at {inv.approved_at:%Y-%m-%d %H:%M}"
    rows.append(people)
    if inv.rejected_reason:
        rows.append(f"  reason: {inv.rejected_reason}")
    return "\n".join(rows)


@to_text.register
def _(result: DraftResult) -> str:
    parts = [result.message]
    if result.ok:
        terms = _terms_text(result.terms)
        if terms:
            parts.append(terms)
        parts += [invoice_text(inv) for inv in result.invoices]
        parts += _duplicates_text(result.duplicates)
        parts.append("Next: 'approve <number>', 'reject <number> because ...' (a manager or admin).")
    return "\n".join(parts)


@to_text.register
def _(result: TransitionResult) -> str:
    if (result.ok or result.stale) and result.invoice is not None:
        return result.message + "\n" + invoice_text(result.invoice)
    return result.message


@to_text.register
def _(result: EditResult) -> str:
    text = result.message
    if result.ok and result.invoice is not None:
        text += "\n" + invoice_text(result.invoice)
    return text


@to_text.register
def _(result: PendingApprovals) -> str:
    if not result.invoices:
        return (
            "Nothing is waiting for your approval."
            if result.can_approve
            else "None of your invoices is waiting for approval."
        )
    title = "Waiting for your approval:" if result.can_approve else "Your invoices waiting for approval:"
    rows = [title]
    for inv in result.invoices:
        rows.append(
            f"  {inv.number}  {inv.company_name or '-'}  {_money(inv.currency, inv.total)}  "
            f"issued {inv.issue_date}  by {inv.created_by_name or '-'}"
        )
    return "\n".join(rows)


@to_text.register
def _(result: InvoiceDetail) -> str:
    lines = [invoice_text(result.invoice)]
    lines += _duplicates_text(result.duplicates, result.invoice)
    return "\n".join(lines)


@to_text.register
def _(result: DuplicateReport) -> str:
    if result.checked_invoice is not None:
        inv = result.checked_invoice
        if not result.matches:
            return f"{inv.number} has no likely duplicates."
        return "\n".join([f"{inv.number}:"] + _duplicates_text(result.matches, inv))
    if not result.matches:
        return f"No likely duplicates among {result.scanned:,} invoices."
    rows = [f"{len(result.matches)} likely duplicate(s) among {result.scanned:,} invoices:"]
    for m in result.matches[:50]:
        rows.append(
            f"  {m.invoice_number} duplicates {m.duplicate_of_number} ({m.score:.2f}): "
            + "; ".join(m.reasons)
        )
    if len(result.matches) > 50:
        rows.append(f"  … and {len(result.matches) - 50} more (crmbot invoices duplicates --json for all).")
    return "\n".join(rows)


# --------------------------------------------------------------------------- Block Kit


def _block_id(inv: InvoiceView, name: str) -> str:
    return f"inv{inv.id}:{name}"


def button_value(inv: InvoiceView) -> str:
    """What the buttons carry: the invoice and the version the message shows."""
    return f"{inv.id}:{inv.version}"


def parse_button_value(value: str) -> tuple[int, int]:
    """(invoice id, version) from a button; a bare id (a message drawn before versions) is version 0."""
    invoice_id, _, version = str(value).partition(":")
    return int(invoice_id), int(version or 0)


def action_buttons(inv: InvoiceView) -> dict:
    value = button_value(inv)
    return {
        "type": "actions",
        "block_id": _block_id(inv, "actions"),
        "elements": [
            {
                "type": "button",
                "action_id": APPROVE_ACTION,
                "text": {"type": "plain_text", "text": "Approve"},
                "style": "primary",
                "value": value,
                "confirm": {
                    "title": {"type": "plain_text", "text": "Approve invoice?"},
                    "text": mrkdwn(f"Approve {inv.number} for {_money(inv.currency, inv.total)}?", 300),
                    "confirm": {"type": "plain_text", "text": "Approve"},
                    "deny": {"type": "plain_text", "text": "Cancel"},
                },
            },
            {
                "type": "button",
                "action_id": REJECT_ACTION,
                "text": {"type": "plain_text", "text": "Reject"},
                "style": "danger",
                "value": value,
            },
            {
                "type": "button",
                "action_id": EDIT_ACTION,
                "text": {"type": "plain_text", "text": "Edit"},
                "value": value,
            },
        ],
    }


def invoice_blocks(
    inv: InvoiceView,
    *,
    duplicates: list[DuplicateMatch] | None = None,
    outcome: TransitionResult | None = None,
    compact: bool = False,
) -> list[dict]:
    """One invoice: summary, lines, totals, duplicate warning, then buttons or the outcome."""
    head = f"*{inv.number}* · {inv.company_name or 'no company'}"
    if inv.deal_name:
        head += f" · {inv.deal_name}"
    head += f"\nIssued {inv.issue_date} · due *{inv.due_date}* ({_terms(inv.payment_terms)}) · _{inv.status.replace('_', ' ')}_"
    blocks = [dict(section(head), block_id=_block_id(inv, "head"))]
    if not compact and inv.lines:
        blocks.append(
            dict(section("\n".join(f"• {t}" for t in _line_text(inv))), block_id=_block_id(inv, "lines"))
        )
    blocks.append(
        dict(
            context(
                f"Subtotal {inv.subtotal:,.2f} · Tax {inv.tax:,.2f} · *Total {_money(inv.currency, inv.total)}*"
            ),
            block_id=_block_id(inv, "totals"),
        )
    )
    warnings = _duplicates_text(duplicates or [], inv)
    if warnings:
        blocks.append(
            dict(section(":warning: " + "\n:warning: ".join(warnings)), block_id=_block_id(inv, "dup"))
        )
    if outcome is not None and outcome.stale:  # changed since drawn: say so, and offer fresh buttons
        blocks.append(
            dict(context(f":arrows_counterclockwise: {outcome.message}"), block_id=_block_id(inv, "outcome"))
        )
        if inv.editable:
            blocks.append(action_buttons(inv))
    elif outcome is not None:
        icon = OUTCOME_ICON.get(outcome.action, ":information_source:")
        blocks.append(dict(context(f"{icon} {outcome.message}"), block_id=_block_id(inv, "outcome")))
    elif inv.editable:
        blocks.append(action_buttons(inv))
    return blocks


def _cap(blocks: list[dict]) -> list[dict]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return blocks[: MAX_BLOCKS - 1] + [section("… more in the terminal: `crmbot invoices pending`.")]


def _drafted_headline(result: DraftResult) -> str:
    """What was drafted, without its status: each invoice's own blocks say where it stands, so the
    headline stays true after an approval redraws them."""
    first, last = result.invoices[0], result.invoices[-1]
    what = (
        first.number
        if len(result.invoices) == 1
        else f"{len(result.invoices)} installments ({first.number} .. {last.number})"
    )
    total = sum((inv.total for inv in result.invoices), Decimal(0))
    deal = f" for {first.deal_name}" if first.deal_name else ""
    return f"Drafted {what}{deal}: {_money(first.currency, total)} incl. tax"


@to_blocks.register
def _(result: DraftResult) -> list[dict]:
    if not result.ok:
        return [section(result.message)]
    blocks = [section(f"*{_drafted_headline(result)}*")]
    terms = _terms_text(result.terms)
    if terms:
        blocks.append(context(terms))
    compact = len(result.invoices) > 4
    for inv in result.invoices:
        blocks.append({"type": "divider"})
        blocks += invoice_blocks(inv, duplicates=result.duplicates, compact=compact)
    return _cap(blocks)


@to_blocks.register
def _(result: TransitionResult) -> list[dict]:
    if result.invoice is None:
        return [section(result.message)]
    if not result.ok:  # the loser's view: the invoice as it now stands, and why nothing happened
        return invoice_blocks(result.invoice, outcome=result)
    return invoice_blocks(result.invoice, outcome=result)


@to_blocks.register
def _(result: EditResult) -> list[dict]:
    if not result.ok or result.invoice is None:
        return [section(result.message)]
    return [section(result.message)] + invoice_blocks(result.invoice, duplicates=result.duplicates)


@to_blocks.register
def _(result: PendingApprovals) -> list[dict]:
    if not result.invoices:
        return [section(to_text(result))]
    blocks = [section(f"*{len(result.invoices)} invoice(s) waiting for approval*")]
    for inv in result.invoices[:12]:
        blocks.append({"type": "divider"})
        blocks += (
            invoice_blocks(inv, compact=True)
            if result.can_approve
            else invoice_blocks(inv, compact=True)[:-1]
        )
    if len(result.invoices) > 12:
        blocks.append(section(f"… and {len(result.invoices) - 12} more."))
    return _cap(blocks)


@to_blocks.register
def _(result: InvoiceDetail) -> list[dict]:
    return _cap(invoice_blocks(result.invoice, duplicates=result.duplicates))


@to_blocks.register
def _(result: DuplicateReport) -> list[dict]:
    return [section(to_text(result))]


def replace_invoice_blocks(message_blocks: list[dict], result: TransitionResult) -> list[dict]:
    """The message with one invoice's blocks replaced by its outcome, or by its current version with
    fresh buttons after a stale click (the other invoices keep theirs)."""
    if result.invoice is None:
        return message_blocks
    prefix = f"inv{result.invoice.id}:"
    new = invoice_blocks(
        result.invoice,
        outcome=result,
        compact=not any(base_block_id(b) == prefix + "lines" for b in message_blocks),
    )
    out, placed = [], False
    for block in message_blocks:
        if str(block.get("block_id", "")).startswith(prefix):
            if not placed:
                out += new
                placed = True
            continue
        out.append(block)
    return _cap(out if placed else out + new)


# --------------------------------------------------------------------------- the edit modal


def _text_input(block_id: str, label: str, initial: str, optional: bool = True) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label[:150]},
        "element": {"type": "plain_text_input", "action_id": "value", "initial_value": initial},
    }


def edit_modal_view(invoice: InvoiceView) -> dict:
    """The Edit modal: payment terms, due date, and each line's description, quantity and price."""
    options = [{"text": {"type": "plain_text", "text": TERMS_LABEL[t]}, "value": t} for t in PAYMENT_TERMS]
    terms_element = {"type": "static_select", "action_id": "payment_terms", "options": options}
    if invoice.payment_terms in TERMS_LABEL:
        terms_element["initial_option"] = next(o for o in options if o["value"] == invoice.payment_terms)
    due_element = {"type": "datepicker", "action_id": "due_date"}
    if invoice.due_date:
        due_element["initial_date"] = invoice.due_date.isoformat()
    blocks = [
        section(
            f"*{invoice.number}* · {invoice.company_name or ''} · {_money(invoice.currency, invoice.total)}"
        ),
        {
            "type": "input",
            "block_id": "payment_terms",
            "label": {"type": "plain_text", "text": "Payment terms"},
            "element": terms_element,
        },
        {
            "type": "input",
            "block_id": "due_date",
            "optional": True,
            "label": {"type": "plain_text", "text": "Due date"},
            "element": due_element,
        },
    ]
    for position, line in enumerate(invoice.lines[:MAX_MODAL_LINES], 1):
        blocks.append({"type": "divider"})
        blocks.append(
            _text_input(
                f"line_{line.id}_description", f"Line {position}: description", line.description[:3000]
            )
        )
        blocks.append(
            _text_input(
                f"line_{line.id}_quantity", f"Line {position}: quantity", f"{line.quantity.normalize():f}"
            )
        )
        blocks.append(
            _text_input(
                f"line_{line.id}_unit_price", f"Line {position}: unit price", f"{line.unit_price:.2f}"
            )
        )
    return {
        "type": "modal",
        "callback_id": EDIT_MODAL_CALLBACK,
        "private_metadata": str(invoice.id),
        "title": {"type": "plain_text", "text": "Edit invoice"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def _state_value(element: dict) -> str | None:
    kind = element.get("type")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return element.get("selected_date")
    return element.get("value")


def validate_edit(values: dict) -> tuple[dict, dict]:
    """(changes for flow.edit, {block_id: message}) from a modal's ``view.state.values``."""
    from tools.invoices.money import parse_money

    changes: dict = {}
    errors: dict = {}
    for block_id, actions in (values or {}).items():
        element = next(iter(actions.values()), {}) if actions else {}
        raw = _state_value(element)
        if raw in (None, ""):
            continue
        if block_id == "payment_terms":
            if raw not in PAYMENT_TERMS:
                errors[block_id] = "Pick one of the listed terms."
            else:
                changes["payment_terms"] = raw
        elif block_id == "due_date":
            try:
                changes["due_date"] = date.fromisoformat(raw)
            except ValueError:
                errors[block_id] = "Use a date like 2026-12-31."
        elif block_id.startswith("line_"):
            _, line_id, field = block_id.split("_", 2)
            if field in ("quantity", "unit_price"):
                amount = parse_money(raw)
                if amount is None or amount < 0 or (field == "quantity" and amount == 0):
                    errors[block_id] = (
                        "Enter a number like 1250.00."
                        if field == "unit_price"
                        else "Enter a quantity above 0."
                    )
                    continue
                changes.setdefault("lines", {}).setdefault(int(line_id), {})[field] = amount
            elif field == "description":
                changes.setdefault("lines", {}).setdefault(int(line_id), {})[field] = raw.strip()
    return changes, errors


def parse_edit_submission(view_state_values: dict) -> dict:
    """The changes to pass to ``flow.edit``, or ``{"response_action": "errors", ...}`` to return to Slack."""
    changes, errors = validate_edit(view_state_values)
    if errors:
        return {"response_action": "errors", "errors": errors}
    return changes


# --------------------------------------------------------------------------- JSON


def invoice_data(inv: InvoiceView) -> dict:
    data = asdict(inv)
    data["lines"] = [asdict(line) for line in inv.lines]
    return _plain(data)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@to_data.register
def _(result: DraftResult) -> dict:
    return {
        "answer": result.message,
        "ok": result.ok,
        "invoices": [invoice_data(i) for i in result.invoices],
        "terms": _plain(asdict(result.terms)) if result.terms else None,
        "duplicates": [m.as_dict() for m in result.duplicates],
        "existing_numbers": result.existing_numbers,
        "actor": result.actor_name,
    }


@to_data.register
def _(result: TransitionResult) -> dict:
    return {
        "answer": result.message,
        "ok": result.ok,
        "action": result.action,
        "stale": result.stale,
        "invoice": invoice_data(result.invoice) if result.invoice else None,
        "actor": result.actor_name,
        "acted_at": result.acted_at.isoformat() if result.acted_at else None,
    }


@to_data.register
def _(result: EditResult) -> dict:
    return {
        "answer": result.message,
        "ok": result.ok,
        "invoice": invoice_data(result.invoice) if result.invoice else None,
        "changes": _plain(result.changes),
        "duplicates": [m.as_dict() for m in result.duplicates],
        "actor": result.actor_name,
    }


@to_data.register
def _(result: PendingApprovals) -> dict:
    return {"answer": to_text(result), "invoices": [invoice_data(i) for i in result.invoices]}


@to_data.register
def _(result: InvoiceDetail) -> dict:
    return {
        "answer": to_text(result),
        "invoice": invoice_data(result.invoice),
        "duplicates": [m.as_dict() for m in result.duplicates],
    }


@to_data.register
def _(result: DuplicateReport) -> dict:
    return {
        "answer": to_text(result).split("\n")[0],
        "scanned": result.scanned,
        "duplicates": [m.as_dict() for m in result.matches],
    }
