"""Invoices as JSON-ready data (`crmbot ask --json`, the CLI's --json): plain values, Decimals as
strings, dates as ISO text."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from bot.render import to_data, to_text
from tools.invoices.results import (
    DraftResult,
    DuplicateReport,
    EditResult,
    InvoiceDetail,
    InvoiceView,
    PendingApprovals,
    TransitionResult,
)


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
        "tax": {
            "rate": str(result.tax_rate) if result.tax_rate is not None else None,
            "source": result.tax_source,
            "note": result.tax_note,
        },
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
        "stale": result.stale,
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
