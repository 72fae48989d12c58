"""`crmbot semantic check` and `crmbot semantic export`: a team's model file, checked and shown.

check   loads the effective model (the default plus the overlay), checks that every mapped table
        and column exists in the database, and that every metric and dimension compiles and runs
        there (LIMIT 0); each problem is printed with its fix, exit code 1 when there is any.
export  prints the effective model as YAML, in the shape an overlay uses.
"""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, resolve_db

semantic_app = typer.Typer(
    help="The semantic model: check it against a database, or print it.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(semantic_app, name="semantic")


@semantic_app.command("export")
def export() -> None:
    """Print the effective semantic model (the default plus your overlay) as YAML."""
    from tools.reports import semantic

    try:
        typer.echo(semantic.export_yaml(semantic.model()), nl=False)
    except semantic.SemanticError as exc:
        typer.echo(f"The semantic model is not valid:\n{exc}", err=True)
        raise typer.Exit(1) from None


@semantic_app.command("check")
def check(db: str = DbOption) -> None:
    """Check the effective model against a database: names exist, every metric and dimension runs."""
    from db.engine import DatabaseError, get_engine
    from tools.reports import semantic
    from tools.reports.semantic.checking import check_against

    try:
        model = semantic.model()
    except semantic.SemanticError as exc:
        typer.echo(f"The semantic model is not valid:\n{exc}", err=True)
        raise typer.Exit(1) from None
    url = resolve_db(db)
    try:
        engine = get_engine(url, read_only=True)
        problems, checked = check_against(model, engine)
    except DatabaseError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if "engine" in locals():
            engine.dispose()
    sources = " + ".join(model.sources)
    if problems:
        typer.echo(f"{len(problems)} problem(s) with the semantic model ({sources}) on this database:")
        for problem in problems:
            typer.echo(f"- {problem}")
        raise typer.Exit(1)
    typer.echo(f"OK: {checked} ({sources}).")
