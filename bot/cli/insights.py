"""`crmbot insights refresh` (compute and store every customer's insights) and `crmbot insights show`."""

from __future__ import annotations

import typer

from bot.cli.common import (
    DbOption,
    TodayOption,
    fail,
    job_failures,
    open_db,
    progress_bar,
    resolve_db,
    resolve_today,
)

insights_app = typer.Typer(
    help="Customer health, churn risk, lifetime value and next actions.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(insights_app, name="insights")


@insights_app.command("refresh")
def refresh(
    db: str = DbOption,
    today: str = TodayOption,
    notify: bool = typer.Option(
        False, "--notify", help="Alert owners about accounts that turned high risk or lost 15+ health points."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Train the churn model on history, score every customer and store the results (all at once:
    a run that fails or is stopped leaves the previous results as they were)."""
    import json
    from datetime import datetime
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn

    from bot.render import to_data, to_text
    from crmbot.settings import get_settings
    from db.engine import connect_checked
    from tools.insights.job import refresh as run_refresh

    day = resolve_today(today)
    settings = get_settings()
    now = datetime.combine(day, datetime.now().time())
    columns = (TextColumn("{task.description:<16}"), BarColumn(), TimeElapsedColumn())
    url = resolve_db(db)
    with job_failures("insights refresh", db_url=url, as_json=as_json):
        engine = connect_checked(url, need_project_tables=True)
        with progress_bar("insights", *columns, total=10, disable=as_json) as report:
            try:
                summary = run_refresh(
                    engine, day, models_dir=Path(settings.data_dir) / "models", now=now, progress=report
                )
            except ValueError as exc:
                fail(str(exc))
    if notify:
        from bot.notify import deliver

        sent = deliver(summary.alerts, settings)
        summary.notes.append(f"{len(summary.alerts)} alerts, {sent} Slack messages sent")
    if as_json:
        typer.echo(json.dumps(to_data(summary), default=str))
    else:
        Console().print(to_text(summary), markup=False, highlight=False)


@insights_app.command("show")
def show(
    company: str = typer.Argument(..., help="The company's name (close spellings are fine)."),
    db: str = DbOption,
    today: str = TodayOption,
    as_json: bool = typer.Option(False, "--json", help="Print the card as JSON."),
) -> None:
    """One company's insight card: health, churn risk and reasons, lifetime value, next actions."""
    import json

    from rich.console import Console

    from bot.render import to_data, to_text
    from tools.insights.service import company_insight

    engine = open_db(db, read_only=True)
    result = company_insight(engine, resolve_today(today), company)
    if as_json:
        typer.echo(json.dumps(to_data(result), default=str))
    else:
        Console().print(to_text(result), markup=False, highlight=False)
