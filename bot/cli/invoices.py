"""`crmbot invoices ...`: draft, approve / reject / send, pending, show, and the duplicate scan."""

from __future__ import annotations

import json

import typer

from bot.cli.common import DbOption, TodayOption, cli_actor, fail, open_db, resolve_today

invoices_app = typer.Typer(
    help="Invoices: drafts from won deals, approval, duplicates.", no_args_is_help=True
)
AsOption = typer.Option(None, "--as", help="Act as this CRM user (email); default: the first admin.")
JsonOption = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(invoices_app, name="invoices")


def _print(result, as_json: bool) -> None:
    from bot.render import to_data, to_text

    if as_json:
        typer.echo(json.dumps(to_data(result), default=str))
    else:
        from rich.console import Console

        Console().print(to_text(result), markup=False, highlight=False)


def _cli_actor(as_user, engine):
    actor = cli_actor(as_user, engine)
    return actor


def _invoice_id(engine, reference: str) -> int:
    from tools.invoices.references import resolve_reference

    with engine.connect() as conn:
        found = resolve_reference(conn, reference)
    if found.invoice_id is None and found.choices:
        fail(f"Which invoice did you mean by {reference}? Several are close: {', '.join(found.choices)}.")
    if found.invoice_id is None:
        fail(f"No invoice {reference}. Use its number as written on the invoice, or its id.")
    return found.invoice_id


def _exit_code(result) -> None:
    if getattr(result, "ok", True) is False:
        raise typer.Exit(1)


@invoices_app.command("duplicates")
def duplicates(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Scan all invoices for ones entered twice; JSON: [{invoice_id, duplicate_of, score, reasons}]."""
    from tools.invoices.duplicates import scan_database
    from tools.invoices.results import DuplicateReport

    engine = open_db(db, read_only=True)
    with engine.connect() as conn:
        matches, scanned = scan_database(conn)
    if as_json:
        typer.echo(json.dumps([m.as_dict() for m in matches]))
    else:
        _print(DuplicateReport(matches, scanned), False)


@invoices_app.command("draft")
def draft(
    deal_id: int = typer.Argument(..., help="The closed_won deal to invoice."),
    parts: int = typer.Option(1, "--parts", help="Split into this many installments (1 to 24)."),
    interval: str = typer.Option("quarterly", "--interval", help="monthly, quarterly, semiannual or yearly."),
    terms: str = typer.Option(None, "--terms", help="Payment terms (default: suggested from history)."),
    db: str = DbOption,
    today: str = TodayOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Draft the invoice(s) for a won deal, pending approval."""
    from tools.invoices.flow import draft_from_deal

    engine = open_db(db, need_project_tables=True)
    result = draft_from_deal(
        engine,
        deal_id,
        _cli_actor(as_user, engine),
        resolve_today(today),
        parts=parts,
        interval=interval,
        terms=terms,
    )
    _print(result, as_json)
    _exit_code(result)


def _transition(action: str, invoice: str, db, as_user, as_json, reason=None) -> None:
    from tools.invoices import flow

    engine = open_db(db, need_project_tables=True)
    actor = _cli_actor(as_user, engine)
    invoice_id = _invoice_id(engine, invoice)
    if action == "reject":
        result = flow.reject(engine, invoice_id, actor, None, reason=reason)
    else:
        result = getattr(flow, action)(engine, invoice_id, actor, None)
    _print(result, as_json)
    _exit_code(result)


@invoices_app.command("approve")
def approve(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    db: str = DbOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Approve an invoice pending approval (managers and admins; not your own)."""
    _transition("approve", invoice, db, as_user, as_json)


@invoices_app.command("reject")
def reject(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    reason: str = typer.Option(None, "--reason", help="Why (kept in the audit log)."),
    db: str = DbOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Reject (void) an invoice that is not approved yet."""
    _transition("reject", invoice, db, as_user, as_json, reason=reason)


@invoices_app.command("send")
def send(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    db: str = DbOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Mark an approved invoice as sent."""
    _transition("send", invoice, db, as_user, as_json)


@invoices_app.command("pending")
def pending(db: str = DbOption, as_user: str = AsOption, as_json: bool = JsonOption) -> None:
    """Invoices waiting for approval that you may approve (a rep: your own)."""
    from tools.invoices.flow import pending_approvals
    from tools.invoices.results import PendingApprovals

    engine = open_db(db)
    actor = _cli_actor(as_user, engine)
    _print(PendingApprovals(pending_approvals(engine, actor), actor.name, actor.is_manager), as_json)


@invoices_app.command("show")
def show(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """One invoice with its lines and any likely duplicates."""
    from bot.skills.invoices import _run_show

    engine = open_db(db, read_only=True)
    _print(_run_show(_invoice_id(engine, invoice), engine), as_json)


@invoices_app.command("edit")
def edit(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    terms: str = typer.Option(None, "--terms", help="due_on_receipt, net_15, net_30, net_45 or net_60."),
    due_date: str = typer.Option(None, "--due-date", help="YYYY-MM-DD (default: follows the terms)."),
    line: int = typer.Option(None, "--line", help="The line to change (1 is the first)."),
    quantity: str = typer.Option(None, "--quantity", help="New quantity, like 12 or 2.5."),
    unit_price: str = typer.Option(None, "--unit-price", help="New unit price, like 1250.00 (no commas)."),
    description: str = typer.Option(None, "--description", help="New description of the line."),
    db: str = DbOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Change an invoice before approval: terms, due date, or one line (amounts are read strictly)."""
    from tools.invoices import flow

    fields = {
        k: v
        for k, v in (("quantity", quantity), ("unit_price", unit_price), ("description", description))
        if v
    }
    if fields and line is None:
        fail("Say which line with --line (1 is the first).")
    changes: dict = {}
    if terms:
        changes["payment_terms"] = terms
    if due_date:
        changes["due_date"] = due_date
    if fields:
        changes["lines"] = {line: fields}
    if not changes:
        fail(
            "Nothing to change: give --terms, --due-date, or --line with --quantity, --unit-price or --description."
        )
    engine = open_db(db, need_project_tables=True)
    result = flow.edit(engine, _invoice_id(engine, invoice), _cli_actor(as_user, engine), None, changes)
    _print(result, as_json)
    _exit_code(result)


@invoices_app.command("mark-paid")
def mark_paid(
    invoice: str = typer.Argument(..., help="Invoice number or id."),
    method: str = typer.Option("bank_transfer", "--method", help="card, bank_transfer, check or other."),
    paid_on: str = typer.Option(None, "--paid-on", help="YYYY-MM-DD (default: today)."),
    db: str = DbOption,
    as_user: str = AsOption,
    as_json: bool = JsonOption,
) -> None:
    """Mark a sent invoice paid, recording the payment that settles it (managers and admins)."""
    from datetime import date

    from tools.invoices import flow

    try:
        day = date.fromisoformat(paid_on) if paid_on else None
    except ValueError:
        fail(f"'{paid_on}' is not a date. Use YYYY-MM-DD, for example --paid-on 2026-11-19.")
    engine = open_db(db, need_project_tables=True)
    result = flow.mark_paid(
        engine, _invoice_id(engine, invoice), _cli_actor(as_user, engine), None, paid_on=day, method=method
    )
    _print(result, as_json)
    _exit_code(result)
