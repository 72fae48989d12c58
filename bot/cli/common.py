"""What every command shares: the --db and --today options, errors in plain words, progress bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import typer

DbOption = typer.Option(None, "--db", help="Database URL (overrides DATABASE_URL); a bare path means SQLite.")
TodayOption = typer.Option(None, "--today", help="Answer as if today were YYYY-MM-DD (reproducible answers).")


def resolve_db(db: str | None) -> str:
    from crmbot.settings import get_settings
    from db.engine import normalize_url

    return normalize_url(db or get_settings().database_url)


def resolve_today(today: str | None) -> date:
    """The clock lives here, at the edge; tools are always handed "today"."""
    if not today:
        return date.today()
    try:
        return date.fromisoformat(today)
    except ValueError:
        fail(f"'{today}' is not a date. Use YYYY-MM-DD, for example --today 2026-11-19.")


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def open_db(db: str | None, *, read_only: bool = False, need_project_tables: bool = False):
    """A checked engine, or a clear error and exit: missing file, unreachable, not the contract."""
    from db.engine import DatabaseError, connect_checked

    url = resolve_db(db)
    try:
        return connect_checked(url, read_only=read_only, need_project_tables=need_project_tables)
    except DatabaseError as exc:
        fail(str(exc))


def cli_actor(as_user: str | None = None, engine=None):
    """The CLI acts as the user named by --as (email), else as the first admin, else anonymously."""
    from tools.actor import Actor

    if engine is None:
        return Actor(user_id=None, name="cli", role="admin", source="cli", label="cli")
    from sqlalchemy import select

    from db.models import User

    with engine.connect() as conn:
        q = select(User.id, User.name, User.role, User.email, User.team)
        q = q.where(User.email == as_user) if as_user else q.where(User.role == "admin").order_by(User.id)
        row = conn.execute(q.limit(1)).first()
    if as_user and row is None:
        fail(f"No CRM user has the email {as_user}.")
    if row is None:
        return Actor(user_id=None, name="cli", role="admin", source="cli", label="cli")
    return Actor(
        user_id=row.id,
        name=row.name,
        role=row.role,
        source="cli",
        label=f"cli:{row.name}",
        email=row.email,
        team=row.team,
    )


@contextmanager
def progress_bar(
    name: str, *columns, total: float | None = None, disable: bool = False
) -> Iterator[Callable[[str | None, int, int], None]]:
    """A transient progress bar while a long job runs; yields ``report(stage, done, total)`` to move it.

    A ``stage`` of None keeps the bar's name. rich is imported here: the CLI must start fast.
    """
    from rich.progress import Progress

    with Progress(*columns, transient=True, disable=disable) as progress:
        task = progress.add_task(name, total=total)

        def report(stage: str | None, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        yield report
