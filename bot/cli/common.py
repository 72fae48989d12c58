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


def open_db(
    db: str | None,
    *,
    read_only: bool = False,
    need_project_tables: bool = False,
    contract_names: bool = False,
):
    """A checked engine, or a clear error and exit: missing file, unreachable, not the contract.

    Tables are checked under the names the semantic model gives them (a team's overlay may map the
    contract's tables to its own names: reports, `ask`, `sql` and `chat` read those). Commands that
    write the CRM's own tables through crmbot's models (``contract_names``: insights, lead scores,
    invoices) need the contract's names, and say so when an overlay renames them.
    """
    from db.engine import DatabaseError, connect_checked
    from tools.reports import semantic

    url = resolve_db(db)
    try:
        model = semantic.model()
    except semantic.SemanticError as exc:
        fail(f"The semantic model is not valid:\n{exc}")
    renamed = {
        name: m.table for name, m in model.tables.items() if (m.table and m.table != name) or m.columns
    }
    if contract_names and renamed:
        fail(
            "This command writes the CRM's tables under the data contract's names, but the semantic overlay "
            f"maps {', '.join(sorted(renamed))} to other names. Reports, `ask`, `sql` and `chat` work on your "
            "names; insights, lead scores and invoices need the contract's tables (see the README)."
        )
    try:
        return connect_checked(
            url,
            read_only=read_only,
            need_project_tables=need_project_tables,
            expected=model.allowed_columns,
        )
    except DatabaseError as exc:
        fail(str(exc))


@contextmanager
def job_failures(job: str, *, db_url: str | None = None, as_json: bool = False) -> Iterator[None]:
    """A job's database or disk failure as one clear line (a JSON error object under --json), exit 2.

    The jobs write their results in one transaction, so a failure leaves the previous results
    as they were; the line says so. A SQLite file deleted or replaced while the job ran is a
    failure too, even when the job's own writes went through (they went with the old file).
    Other errors are not caught here: they are bugs, and get a traceback.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import DatabaseError
    from db.errors import describe

    path = _sqlite_file(db_url)
    identity = _file_identity(path)
    try:
        yield
    except (SQLAlchemyError, OSError, DatabaseError) as exc:
        if identity is not None and _file_identity(path) != identity:
            _job_failed(
                job, "database_lost", f"the database file {path} was moved or deleted while it ran", as_json
            )
        failure = describe(exc, sqlite_path=path)
        _job_failed(
            job,
            failure.kind,
            f"{failure.text}. Nothing of this run was saved; the previous results stand",
            as_json,
        )
    if identity is not None and _file_identity(path) != identity:
        _job_failed(
            job,
            "database_lost",
            f"the database file {path} was moved or deleted while it ran, so what it wrote went with it; "
            "run it again on the database where it is now",
            as_json,
        )


def _job_failed(job: str, kind: str, text: str, as_json: bool) -> None:
    line = f"{job} failed: {text}."
    if as_json:
        import json

        typer.echo(json.dumps({"error": line, "kind": kind, "job": job}))
        raise typer.Exit(2)
    fail(line)


def _file_identity(path: str | None) -> tuple[int, int] | None:
    """(device, inode) of a file, None when there is no file: tells a replaced file from the same one."""
    import os

    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _sqlite_file(db_url: str | None) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        url = make_url(db_url) if db_url else None
    except Exception:  # noqa: BLE001 - a malformed URL has its own message elsewhere
        return None
    if url is None or url.get_backend_name() != "sqlite" or not url.database:
        return None
    return url.database.removeprefix("file:").split("?")[0]


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
    return Actor.of_user(row, "cli", f"cli:{row.name}")


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
