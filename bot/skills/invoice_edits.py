"""Editing an invoice in the chat: "change INV-2026-00042 line 2 unit price to 1250.00", "set the
terms of INV-10792 to net 15", "set the due date of 2026/0042 to 2026-12-31".

A skill of its own, offline rules only: it declares no ARGS, so the LLM router never edits an
invoice. The typed values go to the tool as the person wrote them; the tool reads them strictly
("1,5" is refused with the form it accepts, and nothing changes).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skills.invoices import NUMBER_LIKE
from tools.results import Message

NAME = "invoice_edits"

_EDIT = re.compile(r"^\s*(?:please\s+)?(?:edit|change|set|update|correct)\b(?P<rest>.*)$", re.I)
_REF = re.compile(rf"(?:\binvoice\s+|\bof\s+|^\s*|\s)(?P<ref>{NUMBER_LIKE}|#\d+)(?![\w/-])", re.I)
_LINE = re.compile(r"\bline\s+#?(?P<line>\d+)\b", re.I)
_VALUE = r"(?:\s+(?:to|=|is|at|of)\b)?\s*[:=]?\s*(?P<value>\S+)"
_TERMS = re.compile(
    r"\b(?:payment\s+)?terms?\b(?:\s+of\s+\S+)?(?:\s+to)?\s+(?P<value>due on receipt|net[ _-]?\w+)", re.I
)
_DUE = re.compile(r"\bdue(?:\s+date)?\b(?:\s+of\s+\S+)?" + _VALUE, re.I)
_PRICE = re.compile(r"\b(?:unit\s+)?price\b(?:\s+of\s+\S+)?" + _VALUE, re.I)
_QUANTITY = re.compile(r"\b(?:quantity|qty)\b(?:\s+of\s+\S+)?" + _VALUE, re.I)
_DESCRIPTION = re.compile(r"\bdescription\b(?:\s+of\s+\S+)?(?:\s+to)?\s*[:=]?\s*(?P<value>.+)$", re.I)


class EditArgs(BaseModel):
    invoice: str
    payment_terms: str | None = None
    due_date: str | None = None
    line: int | None = None
    quantity: str | None = None
    unit_price: str | None = None
    description: str | None = None


def _terms(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("due"):
        return "due_on_receipt"
    return "net_" + re.sub(r"^net[ _-]?", "", value)


def match(text, ctx):
    from bot.router import ToolCall

    found = _EDIT.match(text or "")
    if not found:
        return None
    rest = found.group("rest")
    ref = _REF.search(rest)
    if ref is None:
        return None
    tail = rest[: ref.start("ref")] + " " + rest[ref.end("ref") :]
    args = {"invoice": ref.group("ref").lstrip("#")}
    if terms := _TERMS.search(tail):
        args["payment_terms"] = _terms(terms.group("value"))
    elif due := _DUE.search(tail):
        args["due_date"] = due.group("value").strip(".,;")
    line = _LINE.search(tail)
    for key, pattern in (("unit_price", _PRICE), ("quantity", _QUANTITY), ("description", _DESCRIPTION)):
        hit = pattern.search(tail)
        if hit:
            args[key] = (
                hit.group("value").strip() if key == "description" else hit.group("value").rstrip(".,;")
            )
    if any(k in args for k in ("unit_price", "quantity", "description")):
        if line is None:
            return Message(
                f"Which line of {args['invoice']}? Say e.g. 'change {args['invoice']} line 1 unit price to 1250.00'.",
                kind="clarify",
            )
        args["line"] = int(line.group("line"))
    if len(args) == 1:
        return Message(
            "What should I change? The terms ('set the terms of INV-2026-00042 to net 15'), the due date "
            "('… due date to 2026-12-31') or a line ('… line 2 unit price to 1250.00', '… quantity to 8').",
            kind="clarify",
        )
    return ToolCall(NAME, EditArgs(**args))


def run(call, ctx):
    from bot.skills.invoices import _missing_tables, resolve_invoice
    from tools.invoices import flow

    args = call.args
    problem = _missing_tables(ctx.engine)
    if problem:
        return problem
    invoice_id = resolve_invoice(ctx.engine, args.invoice)
    if isinstance(invoice_id, Message):
        return invoice_id
    changes: dict = {}
    if args.payment_terms:
        changes["payment_terms"] = args.payment_terms
    if args.due_date:
        changes["due_date"] = args.due_date
    fields = {k: getattr(args, k) for k in ("quantity", "unit_price", "description") if getattr(args, k)}
    if fields:
        changes["lines"] = {args.line: fields}
    return flow.edit(ctx.engine, invoice_id, ctx.actor, None, changes)


def thread_state(call, result) -> dict | None:
    invoice = getattr(result, "invoice", None)
    if invoice is not None and hasattr(invoice, "number"):
        return {"skill": "invoices", "invoice_numbers": [invoice.number]}
    return None
