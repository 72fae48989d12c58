"""The terminal chat: what Slack would show, through the same router, in a terminal.

The whole chat is one thread, so follow-ups ("and by region?") refine the last question,
as they do in a Slack thread. Files (charts, CSV) are shown as paths.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console

from bot.conversation import Context
from tools.actor import Actor

PROMPT = "you> "


def run_chat(db_url: str, today: date, actor: Actor, console: Console | None = None, lines=None) -> None:
    """Read questions (from ``lines`` or stdin) until EOF or 'quit'; print each answer."""
    from bot.render import to_text
    from bot.router import handle

    console = console or Console()
    console.print(
        f"crmbot chat on {db_url} (today = {today}). Type 'help', or 'quit' to leave.", highlight=False
    )
    thread: dict | None = None
    source = iter(lines) if lines is not None else None
    actor = Actor(
        actor.user_id, actor.name, actor.role, source="chat", label=actor.label.replace("cli", "chat")
    )
    while True:
        try:
            text = next(source) if source is not None else console.input(PROMPT)
        except (EOFError, StopIteration, KeyboardInterrupt):
            console.print()
            break
        if text.strip().lower() in ("quit", "exit", "bye"):
            break
        if not text.strip():
            continue
        ctx = Context(db_url=db_url, today=today, actor=actor, thread=thread, channel="chat")
        reply = handle(text, ctx)
        if reply.thread_state is not None:
            thread = reply.thread_state
        shown = to_text(reply.result)
        console.print(shown, markup=False, highlight=False)
        for path in reply.meta.get("files", []):
            if str(path) not in shown:
                console.print(f"[file] {path}", markup=False, highlight=False)
