"""Help: what the bot can do, and the answer to anything it does not understand."""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skill import ToolCall
from tools.results import Message

NAME = "help"

HELP_TEXT = """I answer questions about your CRM data. Try:
• Reports: "bookings by rep this quarter", "which 10 customers owe us the most", "win rate by industry last year"
• Customers: "how is Acme doing", "who is at risk of churning", "my accounts at risk"
• Leads: "top 10 leads this week", "score lead jane@acme.io", "why is Jane Doe scored 82"
• Invoices: "draft an invoice for deal 123", "invoice deal 123 in 3 parts", "pending approvals", "approve INV-2026-00042",
  "check INV-2026-00042 for duplicates"
• SQL: "sql SELECT ..." runs your own read-only query through the same safety checks.
Add a date to any report ("in Q3 2025", "last month", "since 2026-01-01")."""

_HELP = re.compile(r"^\s*(help|\?|what can you do\??|commands|hi|hello|hey)\s*[.!?]*\s*$", re.I)


class HelpArgs(BaseModel):
    pass


ARGS = HelpArgs
DESCRIPTION = "Say what the bot can do: for greetings, 'help' and 'what can you do'."


def match(text, ctx):
    if not text or _HELP.match(text):
        return ToolCall(NAME, HelpArgs())
    return None


def run(call, ctx) -> Message:
    return Message(HELP_TEXT)


def unknown(text: str) -> Message:
    return Message("Sorry, I can't answer that. " + HELP_TEXT, kind="refused")
