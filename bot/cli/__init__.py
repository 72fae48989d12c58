"""`crmbot`: the command line, the front door.

Each command group lives in its own module with a ``register(app)``; commands import their
tools inside the command so that `crmbot ask` stays quick to start.
"""

from __future__ import annotations

import typer

from bot.cli import (
    api_keys,
    audit,
    chat,
    db_cmds,
    insights,
    invoices,
    leads,
    reports,
    schedule,
    semantic,
    serve,
    watch,
    worker,
)

app = typer.Typer(
    name="crmbot",
    help="crmbot: answers from your CRM database, in Slack or in the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _everywhere(
    semantic_file: str = typer.Option(
        None,
        "--semantic",
        metavar="FILE",
        help="A semantic model overlay (YAML) merged over the default; overrides CRMBOT_SEMANTIC_FILE.",
    ),
) -> None:
    """Options that apply to every command."""
    if semantic_file:
        from pathlib import Path

        from tools.reports import semantic as model

        if not Path(semantic_file).is_file():
            typer.echo(f"Error: the semantic overlay {semantic_file} does not exist.", err=True)
            raise typer.Exit(2)
        model.use_overlay(semantic_file)


for module in (
    db_cmds,
    chat,
    reports,
    insights,
    leads,
    invoices,
    serve,
    api_keys,
    watch,
    worker,
    schedule,
    semantic,
    audit,
):
    module.register(app)


def main() -> None:
    app()
