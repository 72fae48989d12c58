"""`crmbot`: the command line, the front door.

Each command group lives in its own module with a ``register(app)``; commands import their
tools inside the command so that `crmbot ask` stays quick to start.
"""

from __future__ import annotations

import typer

from bot.cli import (
    api_keys,
    chat,
    db_cmds,
    insights,
    invoices,
    leads,
    reports,
    schedule,
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

for module in (db_cmds, chat, reports, insights, leads, invoices, serve, api_keys, watch, worker, schedule):
    module.register(app)


def main() -> None:
    app()
