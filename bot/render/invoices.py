"""Invoices as terminal text, Slack Block Kit and JSON-ready data.

Slack contract (the listeners code against it):
  * buttons: action_id ``invoice_approve`` / ``invoice_reject`` / ``invoice_edit``, value =
    ``"<invoice id>:<version>"`` (the version the message shows; ``parse_button_value`` reads it,
    and reads a bare ``"<invoice id>"`` from messages drawn before versions as version 0, so such
    a button still works on an invoice never changed and is refused as stale on an edited one);
  * every block of one invoice has a block_id ``inv<ID>:<part>:v<version>`` (``invoice_ids_in``
    reads the invoices a message shows back from them; ``bot.slack.replies.update_message`` gives
    every block a new suffix on each redraw, as Slack asks);
  * ``invoice_message_blocks(views, notes, ...)`` draws a whole message from the invoices as the
    database has them now: pending ones with fresh buttons, decided ones with what was decided,
    by whom and when (``notes``). After any click or edit the listeners redraw the whole message
    this way, so two approvers clicking two invoices of one message both see both outcomes;
  * the edit modal lives in ``bot.render.invoice_modal``, the JSON in ``bot.render.invoice_data``;
  * every text is escaped for mrkdwn (``bot.render.mrkdwn``): a company called "A&B <Corp>" shows
    as typed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.render import MAX_BLOCKS, context, mrkdwn, section, to_blocks, to_text
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
MAX_LINES_SHOWN = 15
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
        if result.tax_note:
            parts.append(result.tax_note)
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
    return f"inv{inv.id}:{name}:v{inv.version}"


_INVOICE_BLOCK = re.compile(r"^inv(\d+):")


def invoice_ids_in(blocks: list[dict]) -> list[int]:
    """The invoices a message shows, in order, read back from its block ids."""
    ids: list[int] = []
    for block in blocks or []:
        found = _INVOICE_BLOCK.match(str(block.get("block_id", "")))
        if found and int(found.group(1)) not in ids:
            ids.append(int(found.group(1)))
    return ids


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


STATUS_ICON = {
    "approved": ":white_check_mark:",
    "void": ":no_entry:",
    "sent": ":outbox_tray:",
    "paid": ":moneybag:",
}


def _context(inv: InvoiceView, name: str, text: str) -> dict:
    return dict(context(text), block_id=_block_id(inv, name))


def invoice_blocks(
    inv: InvoiceView,
    *,
    duplicates: list[DuplicateMatch] | None = None,
    outcome: TransitionResult | None = None,
    note: str | None = None,
    compact: bool = False,
) -> list[dict]:
    """One invoice: summary, lines, totals, duplicate warning, then buttons (while it can still be
    decided) or what happened to it (``outcome`` of this click, or ``note`` from the records)."""
    head = f"*{inv.number}* · {inv.company_name or 'no company'}"
    if inv.deal_name:
        head += f" · {inv.deal_name}"
    issued = f"Issued {inv.issue_date}" if inv.issue_date else "Not issued yet"
    due = f"due *{inv.due_date}*" if inv.due_date else "no due date yet"
    head += f"\n{issued} · {due} ({_terms(inv.payment_terms)}) · _{inv.status.replace('_', ' ')}_"
    blocks = [dict(section(head), block_id=_block_id(inv, "head"))]
    if not compact and inv.lines:
        lines = section("\n".join(f"• {t}" for t in _line_text(inv)))
        blocks.append(dict(lines, block_id=_block_id(inv, "lines")))
    totals = f"Subtotal {inv.subtotal:,.2f} · Tax {inv.tax:,.2f} · *Total {_money(inv.currency, inv.total)}*"
    blocks.append(_context(inv, "totals", totals))
    warnings = _duplicates_text(duplicates or [], inv) if inv.status != "void" else []
    if warnings:
        warning = section(":warning: " + "\n:warning: ".join(warnings))
        blocks.append(dict(warning, block_id=_block_id(inv, "dup")))
    if outcome is not None and outcome.stale:  # changed since drawn: say so, and offer fresh buttons
        blocks.append(_context(inv, "outcome", f":arrows_counterclockwise: {outcome.message}"))
    elif outcome is not None:
        icon = OUTCOME_ICON.get(outcome.action, ":information_source:")
        blocks.append(_context(inv, "outcome", f"{icon} {outcome.message}"))
        return blocks
    elif note:
        blocks.append(
            _context(inv, "outcome", f"{STATUS_ICON.get(inv.status, ':information_source:')} {note}")
        )
    if inv.editable:
        blocks.append(action_buttons(inv))
    return blocks


def _status_summary(views: list[InvoiceView]) -> str:
    counts: dict[str, int] = {}
    for view in views:
        counts[view.status] = counts.get(view.status, 0) + 1
    return ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items())


def invoice_message_blocks(
    views: list[InvoiceView],
    notes: dict[int, str] | None = None,
    duplicates: list[DuplicateMatch] | None = None,
) -> list[dict]:
    """A whole invoice message drawn from the invoices as they are now (see the module docstring)."""
    notes = notes or {}
    if len(views) == 1:
        return _cap(invoice_blocks(views[0], duplicates=duplicates, note=notes.get(views[0].id)))
    currencies = {v.currency for v in views}
    deals = {v.deal_name for v in views if v.deal_name}
    title = f"*{len(views)} invoices" + (f" for {deals.pop()}" if len(deals) == 1 else "") + "*"
    if len(currencies) == 1:
        title += f": {currencies.pop()} {sum(v.total for v in views):,.2f} incl. tax"
    blocks = [section(f"{title} · {_status_summary(views)}")]
    for view in views:
        blocks.append({"type": "divider"})
        blocks += invoice_blocks(view, duplicates=duplicates, note=notes.get(view.id), compact=len(views) > 4)
    return _cap(blocks)


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
    facts = [text for text in (_terms_text(result.terms), result.tax_note) if text]
    if facts:
        blocks.append({"type": "context", "elements": [mrkdwn(text) for text in facts]})
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
