"""Who am I: the CRM user the bot takes the asker for (whose "my" it answers)."""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skill import ToolCall
from tools.results import Message

NAME = "identity"

_WHO_AM_I = re.compile(
    r"^\s*(?:who\s+am\s+i|who\s+do\s+you\s+think\s+i\s+am|whoami|what(?:'s|\s+is)\s+my\s+(?:name|user|role|team)|"
    r"which\s+user\s+am\s+i|who\s+are\s+you\s+talking\s+to|am\s+i\s+(?:a\s+)?(?:rep|manager|admin))\s*[?.!]*\s*$",
    re.I,
)


class WhoAmIArgs(BaseModel):
    pass


ARGS = WhoAmIArgs
DESCRIPTION = "Say which CRM user the asker is (name, role, team): for 'who am I'."


def match(text, ctx):
    if text and _WHO_AM_I.match(text):
        return ToolCall(NAME, WhoAmIArgs())
    return None


def run(call, ctx) -> Message:
    actor = ctx.actor
    if actor.user_id is None:
        return Message(
            "I don't know which CRM user you are, so \"my\" questions can't be answered. Ask your admin to "
            "link your user (Slack id or email) to the CRM.",
            kind="card",
        )
    team = f", team {actor.team}" if actor.team else ""
    email = f" ({actor.email})" if actor.email else ""
    scope = ctx.scope
    sees = "" if scope.is_all else f" Your data scope covers {scope.describe()}."
    return Message(
        f'You are {actor.name}{email}, {actor.role}{team}. "My" means the deals, accounts and leads you own; '
        f'"my team" means everyone in your team.{sees}',
        kind="card",
    )
