"""`audit`: the audit trail, for admins (`/crm audit` in Slack, "audit" in the chat or the API).

"audit", "audit since 2026-11-01", "audit ann@acme.com", "audit Ann Lee since 2026-11-01": the
latest questions and actions (newest first), as a table. Only admins read it; it is answered only to
the asker in Slack (bot/slack/delivery.py), whatever the channel.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from bot.skill import ToolCall
from tools.results import Message

NAME = "audit"
SHOWN = 50

_AUDIT = re.compile(r"^\s*audit(?:\s+trail|\s+log)?\b(?P<rest>.*)$", re.I | re.S)
_SINCE = re.compile(r"\bsince\s+(?P<day>\d{4}-\d{2}-\d{2})\b", re.I)


class AuditArgs(BaseModel):
    user: str | None = None  # email, Slack id, CRM user id or name
    since: date | None = None


ARGS = AuditArgs
DESCRIPTION = "Show the audit trail (who asked what, and what they got); admins only."


def match(text, ctx):
    found = _AUDIT.match(text or "")
    if found is None:
        return None
    rest = found.group("rest").strip()
    since = None
    day = _SINCE.search(rest)
    if day:
        try:
            since = date.fromisoformat(day.group("day"))
        except ValueError:
            return Message(f"{day.group('day')} is not a date. Write it as YYYY-MM-DD.", kind="refused")
        rest = (rest[: day.start()] + rest[day.end() :]).strip()
    return ToolCall(NAME, AuditArgs(user=rest.strip(" @") or None, since=since))


def run(call, ctx):
    from tools.audit import entries, listing

    if not ctx.actor.is_admin:
        return Message("Only admins can read the audit trail. Ask an admin.", kind="refused")
    user = _user_key(call.args.user, ctx)
    if isinstance(user, Message):
        return user
    rows = entries(since=call.args.since, user=user, limit=SHOWN)
    return listing(rows, shown=SHOWN, who=call.args.user, since=call.args.since)


def _user_key(user: str | None, ctx):
    """An email, Slack id or id as given; a CRM name becomes that user's id."""
    if not user or "@" in user or user.isdigit() or re.fullmatch(r"[UW][A-Z0-9]{6,}", user):
        return user
    from sqlalchemy import func, select

    from db.models import User

    with ctx.read_only_engine.connect() as conn:
        ids = list(conn.execute(select(User.id).where(func.lower(User.name) == user.lower())).scalars())
    if len(ids) != 1:
        return Message(
            f"I know no single CRM user called {user}. Use their email, e.g. 'audit ann@example.com'.",
            kind="refused",
        )
    return str(ids[0])
