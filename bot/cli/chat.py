"""`crmbot chat` (the terminal chat) and `crmbot ask` (one question, one answer)."""

from __future__ import annotations

import json

import typer

from bot.cli.common import DbOption, TodayOption, cli_actor, open_db, resolve_db, resolve_today


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("ask")(ask)


def ask(
    question: str = typer.Argument(..., help="The question, in plain words."),
    db: str = DbOption,
    today: str = TodayOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    as_user: str = typer.Option(None, "--as", help="Ask as this CRM user (email)."),
) -> None:
    """Ask one question and print the answer."""
    from bot.conversation import Context
    from bot.render import to_text
    from bot.router import handle

    day = resolve_today(today)
    engine = open_db(db, read_only=True)
    ctx = Context(db_url=resolve_db(db), today=day, actor=cli_actor(as_user, engine), channel="cli")
    reply = handle(question, ctx)
    if as_json:
        from bot.envelope import envelope
        from bot.terminal import json_default

        data = {"question": question, **envelope(reply.result)}
        typer.echo(json.dumps(data, default=json_default))
    else:
        from rich.console import Console

        Console().print(to_text(reply.result), markup=False, highlight=False)


def chat(
    db: str = DbOption,
    today: str = TodayOption,
    as_user: str = typer.Option(None, "--as", help="Chat as this CRM user (email)."),
    as_json: bool = typer.Option(
        False, "--json", help="JSON Lines: one message per input line, one JSON answer per output line."
    ),
) -> None:
    """A terminal chat through the same router as Slack. Ctrl-D or 'quit' to leave."""
    from bot.terminal import run_chat, run_json_chat

    url = resolve_db(db)
    engine = open_db(db)
    actor = cli_actor(as_user, engine)
    if as_json:
        run_json_chat(url, resolve_today(today), actor)
    else:
        run_chat(url, resolve_today(today), actor)
