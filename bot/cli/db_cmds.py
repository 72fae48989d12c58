"""`crmbot demo` and `crmbot db upgrade`."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, TodayOption, fail, progress_bar, resolve_db, resolve_today

db_app = typer.Typer(help="Database administration.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(
    db: str = DbOption,
    indexes: bool = typer.Option(
        None,
        "--indexes/--no-indexes",
        help="Add the duplicate check's indexes to the invoices table (default: CRMBOT_CREATE_TEAM_INDEXES); "
        "--no-indexes prints the statements instead.",
    ),
) -> None:
    """Create or update crmbot's tables; a team's own contract tables keep their columns and rows."""
    from sqlalchemy.exc import OperationalError

    from crmbot.settings import get_settings
    from db.engine import DatabaseError, get_engine
    from db.indexes import ensure_invoice_indexes
    from db.migrate import current_revision
    from db.migrate import upgrade as run_upgrade

    url = resolve_db(db)
    try:
        engine = get_engine(url)
        run_upgrade(engine)
        typer.echo(f"Database is at revision {current_revision(engine)}.")
        create = get_settings().create_team_indexes if indexes is None else indexes
        report = ensure_invoice_indexes(engine, create=create)
    except (DatabaseError, OperationalError) as exc:
        fail(f"Could not upgrade the database: {getattr(exc, 'orig', exc)}")
    for name in report.created:
        typer.echo(f"Created index {name} on invoices (for the duplicate check).")
    for problem in report.problems:
        typer.echo(f"Could not create an index: {problem}")
    if report.suggested:
        typer.echo(
            "The duplicate check of a new draft reads the whole invoices table without these indexes; run:"
        )
        for statement in report.suggested:
            typer.echo(f"  {statement};")


def demo(
    db: str = DbOption,
    seed: int = typer.Option(42, help="Random seed: the same seed gives the same data."),
    today: str = TodayOption,
    companies: int = typer.Option(500, min=50, max=100_000, help="How many companies (50 to 100,000)."),
) -> None:
    """Make a realistic demo CRM database (three years of history up to --today)."""
    from db.demo import generate
    from db.engine import DatabaseError, get_engine

    url = resolve_db(db)
    day = resolve_today(today)
    try:
        engine = get_engine(url)
        with progress_bar("Generating") as report:
            counts = generate(engine, seed=seed, today=day, companies=companies, progress=report)
    except (ValueError, DatabaseError) as exc:
        fail(str(exc))
    summary = ", ".join(f"{n:,} {t}" for t, n in counts.items())
    typer.echo(f"Demo database ready at {url} (today = {day}): {summary}.")
