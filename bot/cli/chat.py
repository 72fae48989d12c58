"""`crmbot chat` (the terminal chat) and `crmbot ask` (one question, one answer)."""

from __future__ import annotations

import json

import typer

from bot.cli.common import DbOption, TodayOption, cli_actor, fail, open_db, resolve_db, resolve_today


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("ask")(ask)


def ask(
    question: str = typer.Argument(..., help="The question, in plain words."),
    db: str = DbOption,
    today: str = TodayOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    as_user: str = typer.Option(None, "--as", help="Ask as this CRM user (email)."),
    yes: bool = typer.Option(
        False, "--yes", help="Confirm the action you wrote (approve, reject, draft...); needs --as."
    ),
) -> None:
    """Ask one question and print the answer. Actions that move money only say what they would
    do, unless confirmed with --yes and --as."""
    from bot.conversation import Context
    from bot.render import to_text
    from bot.router import handle

    if yes and not as_user:
        fail("--yes confirms an action as a person: add --as <your email>. Nothing was changed.")
    day = resolve_today(today)
    engine = open_db(db, read_only=True)
    ctx = Context(
        db_url=resolve_db(db), today=day, actor=cli_actor(as_user, engine), channel="cli", place="terminal"
    )
    reply = handle(question, ctx)
    if yes:
        reply = _confirmed(reply, ctx)
    if as_json:
        from bot.envelope import envelope
        from bot.terminal import json_default

        data = {"question": question, **envelope(reply.result)}
        typer.echo(json.dumps(data, default=json_default))
    else:
        from rich.console import Console

        Console().print(to_text(reply.result), markup=False, highlight=False)


def _confirmed(reply, ctx):
    """With --yes: the proposed action done, if it was read from the person's own words."""
    from dataclasses import replace

    from bot.confirm import Proposal
    from bot.router import handle
    from tools.results import Message

    if not isinstance(reply.result, Proposal):
        return reply
    if reply.result.pending.proposed_by != "rules":
        from bot.router import Reply

        return Reply(
            result=Message(
                f"The language model read your words as: {reply.result.pending.summary}. --yes does not "
                "confirm a model's reading; write the action itself (e.g. 'approve INV-2026-00042') "
                "and run again. Nothing was changed.",
                kind="refused",
            )
        )
    return handle("yes", replace(ctx, thread=reply.thread_state))


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
