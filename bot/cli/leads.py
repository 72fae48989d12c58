"""`crmbot leads train | score | show`: the lead-scoring model from the command line."""

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

leads_app = typer.Typer(
    help="Lead scoring: train the model, score open leads, show a lead.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(leads_app, name="leads")


def _now(day):
    """The clock at the edge: today's date (maybe --today) with the current time of day."""
    from datetime import datetime

    return datetime.combine(day, datetime.now().time())


@leads_app.command("train")
def train(db: str = DbOption, today: str = TodayOption) -> None:
    """Train on closed leads, print holdout AUC / Brier / calibration, save and register the model."""
    from rich.console import Console

    from bot.render import to_text
    from tools.leads.model import train as train_model

    day = resolve_today(today)
    engine = open_db(db, need_project_tables=True)
    console = Console()
    with console.status("Training the lead-scoring model..."):
        report = train_model(engine, day, now=_now(day))
    console.print(to_text(report), markup=False, highlight=False)


@leads_app.command("score")
def score(
    db: str = DbOption,
    today: str = TodayOption,
    as_json: bool = typer.Option(False, "--json", help="Print the run (or the failure) as JSON."),
) -> None:
    """Score every open lead (training first if no model is registered) and store the scores (all
    at once: a run that fails or is stopped leaves every previous score as it was)."""
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

    from bot.render import to_data, to_text
    from db.engine import connect_checked
    from tools.leads.scoring import score_open_leads

    day = resolve_today(today)
    columns = (TextColumn("Scoring leads"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    url = resolve_db(db)
    with job_failures("leads score", db_url=url, as_json=as_json):
        engine = connect_checked(url, need_project_tables=True)
        with progress_bar("score", *columns, disable=as_json) as report:
            run = score_open_leads(
                engine, day, now=_now(day), progress=lambda done, total: report(None, done, total)
            )
    if as_json:
        typer.echo(json.dumps(to_data(run), default=str))
    else:
        Console().print(to_text(run), markup=False, highlight=False)


@leads_app.command("show")
def show(
    lead: str = typer.Argument(..., help="Lead id, email or full name."),
    db: str = DbOption,
    today: str = TodayOption,
) -> None:
    """Show one lead's card: score, probability, reasons, owner."""
    from rich.console import Console

    from bot.render import to_text
    from tools.leads.cards import lead_cards
    from tools.leads.features import load_leads
    from tools.leads.lookup import find_lead

    day = resolve_today(today)
    engine = open_db(db, read_only=True)
    found = find_lead(engine, lead)
    if found.unique is None:
        hint = ("; did you mean: " + "; ".join(found.suggestions)) if found.suggestions else ""
        fail(f"No single lead matches '{lead}'{hint}")
    card = lead_cards(engine, load_leads(engine, lead_ids=[found.unique]), day)[0]
    Console().print(to_text(card), markup=False, highlight=False)
