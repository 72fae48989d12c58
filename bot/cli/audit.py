"""`crmbot audit`: who asked what and what they got (the audit trail), and its retention."""

from __future__ import annotations

import json
from datetime import date

import typer

from bot.cli.common import fail


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    since: str = typer.Option(None, "--since", help="Only from this day on (YYYY-MM-DD, UTC)."),
    user: str = typer.Option(
        None, "--user", help="Only this person: CRM email, Slack user id or CRM user id."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, newest first."),
    limit: int = typer.Option(1000, "--limit", min=1, help="At most this many rows."),
    audit_db: str = typer.Option(
        None, "--audit-db", help="The audit trail's database (overrides CRMBOT_AUDIT_DATABASE_URL)."
    ),
) -> None:
    """List the audit trail (questions and actions, newest first). Rows older than
    CRMBOT_AUDIT_RETENTION_DAYS are deleted first."""
    from sqlalchemy.exc import SQLAlchemyError

    from tools.audit import audit_url, entries, listing, prune

    day = None
    if since:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            fail(f"'{since}' is not a date. Use YYYY-MM-DD, for example --since 2026-11-01.")
    url = audit_db or audit_url()
    try:
        prune(url=url)
        rows = entries(since=day, user=user, limit=limit, url=url)
    except SQLAlchemyError as exc:
        fail(
            f"The audit trail at {url} could not be read: {type(exc).__name__}. Check CRMBOT_AUDIT_DATABASE_URL."
        )
    if as_json:
        typer.echo(json.dumps(rows, default=_json_value))
        return
    from rich.console import Console
    from rich.table import Table

    result = listing(rows, shown=limit, who=user, since=day)
    table = Table(*result.columns)
    for row in result.rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console = Console()
    console.print(table)
    console.print(result.answer, markup=False, highlight=False)


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
