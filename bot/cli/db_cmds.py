"""`crmbot demo` and `crmbot db upgrade`."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, TodayOption, fail, progress_bar, resolve_db, resolve_today

db_app = typer.Typer(help="Database administration.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(db: str = DbOption) -> None:
    """Create or update crmbot's tables; a team's own contract tables are left untouched."""
    from sqlalchemy.exc import OperationalError

    from db.engine import DatabaseError, get_engine
    from db.migrate import current_revision
    from db.migrate import upgrade as run_upgrade

    url = resolve_db(db)
    try:
        engine = get_engine(url)
        run_upgrade(engine)
        typer.echo(f"Database is at revision {current_revision(engine)}.")
    except (DatabaseError, OperationalError) as exc:
        fail(f"Could not upgrade the database: {getattr(exc, 'orig', exc)}")


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
