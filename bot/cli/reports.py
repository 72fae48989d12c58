"""`crmbot sql` (a manager's own SQL, through the guard) and `crmbot examples` (verified questions)."""

from __future__ import annotations

import json

import typer

from bot.cli.common import DbOption, fail, open_db

examples_app = typer.Typer(
    help="Verified questions the report engine learns from (admin).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)
    app.add_typer(examples_app, name="examples")


def sql(
    query: str = typer.Argument(..., help="One SELECT query over the CRM tables."),
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (same shape as `crmbot ask`)."),
    row_limit: int = typer.Option(
        None, "--row-limit", min=1, help="Most rows to return (default from settings)."
    ),
    timeout: float = typer.Option(None, "--timeout", min=0.1, help="Seconds before the query is stopped."),
    as_user: str = typer.Option(
        None, "--as", help="Run it as this CRM user (email): their data scope and their right to people data."
    ),
) -> None:
    """Run your own SELECT through the SQL guard, read-only, within your data scope. Exit code 1 when
    it was refused."""
    import time
    from datetime import date

    from bot.audit_trail import record_question
    from bot.cli.common import cli_actor, resolve_db
    from bot.conversation import Context
    from bot.router import Reply
    from crmbot.settings import get_settings
    from tools.reports.execute import run_user_sql

    settings = get_settings()
    started = time.monotonic()
    engine = open_db(db, read_only=True)
    ctx = Context(
        db_url=resolve_db(db), today=date.today(), actor=cli_actor(as_user, engine), place="terminal"
    )
    result = run_user_sql(
        engine,
        query,
        row_limit=row_limit or settings.report_row_limit,
        timeout_s=timeout or settings.statement_timeout_s,
        scope=ctx.scope,
    )
    record_question(ctx, f"sql {query}", Reply(result=result), started)
    if as_json:
        typer.echo(json.dumps(_as_data(result), default=_json_value))
    else:
        _print_text(result)
    if result.refused:
        raise typer.Exit(1)


def _as_data(result) -> dict:
    from bot.render import to_data

    return to_data(result)


def _json_value(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _print_text(result) -> None:
    """The reports renderer's text when it is registered, else a plain table."""
    from rich.console import Console

    from bot.render import to_text

    console = Console()
    if to_text.dispatch(type(result)) is not to_text.dispatch(object):
        console.print(to_text(result), markup=False, highlight=False)
        return
    if result.refused:
        console.print(f"Refused: {result.reason}", markup=False, highlight=False)
        return
    from rich.table import Table

    table = Table(*result.columns)
    for row in result.rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    console.print(result.answer, markup=False, highlight=False)


@examples_app.command("list")
def examples_list(
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List the verified questions with their ids."""
    from tools.reports.examples import ExamplesStoreError, list_verified

    engine = open_db(db, need_project_tables=True)
    try:
        examples = list_verified(engine)
    except ExamplesStoreError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(examples, default=str))
        return
    if not examples:
        typer.echo("No verified questions yet. Mark an answer as right to add one.")
        return
    for example in examples:
        how = example["sql"] or json.dumps(example["query"], sort_keys=True)
        by = f" (by {example['verified_by']})" if example["verified_by"] else ""
        typer.echo(f"{example['id']:>5}  {example['question']}{by}\n       {how}")


@examples_app.command("remove")
def examples_remove(
    example_id: int = typer.Argument(..., help="The id shown by `crmbot examples list`."), db: str = DbOption
) -> None:
    """Remove one verified question (from the database and the search index)."""
    from tools.reports.examples import ExamplesStoreError, remove_verified

    engine = open_db(db, need_project_tables=True)
    try:
        removed = remove_verified(engine, example_id)
    except ExamplesStoreError as exc:
        fail(str(exc))
    if not removed:
        fail(f"There is no verified question with id {example_id}. See `crmbot examples list`.", code=1)
    typer.echo(f"Removed verified question {example_id}.")


@examples_app.command("add")
def examples_add(
    question: str = typer.Argument(..., help="The question, in plain words."),
    sql_text: str = typer.Option(..., "--sql", help="The SELECT that answers it (checked by the guard)."),
    db: str = DbOption,
) -> None:
    """Add a verified question by hand, with the SQL that answers it."""
    from tools.reports.examples import ExamplesStoreError, save_verified
    from tools.reports.execute import dialect_of
    from tools.reports.guard import GuardError, check

    engine = open_db(db, need_project_tables=True)
    try:
        checked = check(sql_text, dialect_of(engine))
        new_id = save_verified(engine, question, sql=checked, verified_by="cli")
    except (GuardError, ExamplesStoreError, ValueError) as exc:
        fail(str(exc))
    typer.echo(f"Saved verified question {new_id}.")


@examples_app.command("reindex")
def examples_reindex(db: str = DbOption) -> None:
    """Rebuild the search index of verified questions from the database."""
    from tools.reports.examples import ExamplesStoreError, reindex

    engine = open_db(db, need_project_tables=True)
    try:
        count = reindex(engine)
    except ExamplesStoreError as exc:
        fail(str(exc))
    typer.echo(f"Indexed {count} verified question(s).")
