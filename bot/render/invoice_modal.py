"""The invoice Edit modal: the view to open, and reading Slack's submission of it.

Slack sends the whole form on submit: every input's current value, changed or not. So the
submission is read as a full state (``read_edit_form``: typed values, or an error per field for
Slack to show under it), and what changed is worked out by the tools against the invoice as the
editor was shown it (``tools.invoices.flow.form_changes``, with the version carried in the
modal's private_metadata). Amounts are read strictly: "1,5" or "１２３" get an error under the
field and nothing is saved.

The private_metadata (JSON, well under Slack's 3,000 characters): ``invoice_id``, ``version``
(what the editor was shown), ``channel``, ``ts`` and ``thread_ts`` of the message to redraw,
``ids`` (every invoice that message shows), ``issue_date`` and ``today`` (the due date's bounds).
"""

from __future__ import annotations

import json
from datetime import date

from bot.render import clip, section
from bot.render.invoices import TERMS_LABEL, _money
from db.vocab import PAYMENT_TERMS
from tools.invoices.results import InvoiceView

EDIT_MODAL_CALLBACK = "invoice_edit_modal"
MAX_MODAL_LINES = 20
FIELDS = ("description", "quantity", "unit_price")


def modal_metadata(invoice: InvoiceView, today: date, message: dict | None = None) -> str:
    """The private_metadata of the modal for ``invoice``; ``message``: channel, ts, thread_ts, ids."""
    message = message or {}
    data = {
        "invoice_id": invoice.id,
        "version": invoice.version,
        "channel": message.get("channel"),
        "ts": message.get("ts"),
        "thread_ts": message.get("thread_ts"),
        "ids": list(message.get("ids") or [invoice.id])[:30],
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "today": today.isoformat(),
    }
    return json.dumps(data, separators=(",", ":"))


def read_metadata(text: str | None) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def notice_view(text: str) -> dict:
    """A modal that only says something (no Save): while the invoice loads, or why it cannot be edited."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Edit invoice"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(text)],
    }


def _text_input(block_id: str, label: str, initial: str, optional: bool = True) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label[:150]},
        "element": {"type": "plain_text_input", "action_id": "value", "initial_value": initial},
    }


def edit_modal_view(invoice: InvoiceView, metadata: str | None = None) -> dict:
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
            "hint": {"type": "plain_text", "text": "Leave it as it is to follow the payment terms."},
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
        "private_metadata": metadata if metadata is not None else str(invoice.id),
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


def read_edit_form(values: dict, metadata: dict | None = None) -> tuple[dict, dict]:
    """(form, errors) from a modal's ``view.state.values``: the form as typed values, every field
    that was sent ({"payment_terms", "due_date", "lines": {id: {field: value}}}); errors as
    {block_id: message} for Slack to show under each field that cannot be read."""
    from tools.invoices.edits import EditError, as_date, check_due_date_window
    from tools.invoices.money import MoneyInputError, parse_amount, parse_quantity

    metadata = metadata or {}
    form: dict = {}
    errors: dict = {}
    for block_id, actions in (values or {}).items():
        element = next(iter(actions.values()), {}) if actions else {}
        raw = _state_value(element)
        if raw in (None, ""):
            continue
        raw = str(raw)
        try:
            if block_id == "payment_terms":
                if raw not in PAYMENT_TERMS:
                    raise EditError("Pick one of the listed terms.")
                form["payment_terms"] = raw
            elif block_id == "due_date":
                due = as_date(raw)
                if metadata.get("today"):
                    issue = metadata.get("issue_date")
                    check_due_date_window(
                        due,
                        date.fromisoformat(issue) if issue else None,
                        date.fromisoformat(metadata["today"]),
                    )
                form["due_date"] = due
            elif block_id.startswith("line_"):
                _, line_id, field = block_id.split("_", 2)
                if field not in FIELDS or not line_id.isdigit():
                    continue
                if field == "quantity":
                    value = parse_quantity(raw)
                elif field == "unit_price":
                    value = parse_amount(raw, "unit price")
                else:
                    value = raw.strip()
                form.setdefault("lines", {}).setdefault(int(line_id), {})[field] = value
        except (EditError, MoneyInputError) as exc:
            errors[block_id] = clip(getattr(exc, "short", None) or str(exc), 150)
    return form, errors


def submission_errors(errors: dict) -> dict:
    """What to ack Slack with so that it shows ``errors`` under their fields (nothing is saved)."""
    return {"response_action": "errors", "errors": errors}
