"""The terminal chat: what Slack would show, through the same router, in a terminal.

The whole chat is one thread, so follow-ups ("and by region?") refine the last question,
as they do in a Slack thread. Files (charts, CSV) are shown as paths. With ``--json`` the
chat reads one message per line and prints one JSON answer (the envelope) per line.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from rich.console import Console

from bot.conversation import Context
from tools.actor import Actor

PROMPT = "you> "
QUIT_WORDS = ("quit", "exit", "bye")
EMPTY_LINE_ANSWER = 'Please type a question, e.g. "bookings by rep this quarter".'


def greeting(db_url: str, today: date, actor: Actor) -> str:
    who = f"{actor.name} ({actor.role})" if actor.user_id is not None else "nobody in particular"
    return f"crmbot chat on {db_url} (today = {today}), asking as {who}. Type 'help', or 'quit' to leave."


class Conversation:
    """One thread's memory across messages given one at a time (the whole chat is one thread)."""

    def __init__(self, db_url: str, today: date, actor: Actor):
        self.db_url, self.today = db_url, today
        self.actor = actor.with_source("chat")
        self.thread: dict | None = None

    def ask(self, text: str):
        from bot.router import handle

        ctx = Context(
            db_url=self.db_url,
            today=self.today,
            actor=self.actor,
            thread=self.thread,
            channel="chat",
            place="terminal",
        )
        reply = handle(text, ctx)
        if reply.thread_state is not None:
            self.thread = reply.thread_state
        return reply


def run_chat(db_url: str, today: date, actor: Actor, console: Console | None = None, lines=None) -> None:
    """Read questions (from ``lines`` or stdin) until EOF or 'quit'; print each answer."""
    from bot.render import to_text

    console = console or Console()
    conversation = Conversation(db_url, today, actor)
    console.print(greeting(db_url, today, conversation.actor), highlight=False)
    source = iter(lines) if lines is not None else None
    while True:
        try:
            text = next(source) if source is not None else console.input(PROMPT)
        except (EOFError, StopIteration, KeyboardInterrupt):
            console.print()
            break
        if text.strip().lower() in QUIT_WORDS:
            break
        if not text.strip():
            continue
        reply = conversation.ask(text)
        shown = to_text(reply.result)
        console.print(shown, markup=False, highlight=False)
        for path in reply.meta.get("files", []):
            if str(path) not in shown:
                console.print(f"[file] {path}", markup=False, highlight=False)


def run_json_chat(db_url: str, today: date, actor: Actor, stdin=None, stdout=None, stderr=None) -> None:
    """JSON Lines: one message per input line, one envelope per output line, in order.

    Every input line gets exactly one output line (an empty line gets a polite prompt to ask),
    so a program can pair questions and answers by position. The greeting goes to stderr.
    """
    from bot.envelope import envelope
    from tools.results import Message

    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    conversation = Conversation(db_url, today, actor)
    print(greeting(db_url, today, conversation.actor), file=stderr, flush=True)
    for line in stdin:
        text = line.rstrip("\r\n")
        if text.strip().lower() in QUIT_WORDS:
            break
        result = conversation.ask(text).result if text.strip() else Message(EMPTY_LINE_ANSWER)
        data = envelope(result)
        data["question"] = text
        stdout.write(json.dumps(data, default=json_default) + "\n")
        stdout.flush()


def json_default(value):
    """Decimals as numbers, dates and anything else as text."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return str(value)
