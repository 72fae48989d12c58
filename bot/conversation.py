"""What a tool call needs to know about the conversation it happens in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import Engine

from tools.actor import Actor


@dataclass
class Context:
    """The database, "today" (from the clock at the edge), the asker and the thread's memory."""

    db_url: str
    today: date
    actor: Actor
    thread: dict | None = None  # state the previous answer in this thread left (follow-ups)
    channel: str = "cli"  # cli, chat, slack
    place: str | None = None  # for the audit trail: "slack channel C123", "slack DM D123", "terminal"
    extras: dict = field(default_factory=dict)

    @cached_property
    def engine(self) -> Engine:
        from db.engine import shared_engine

        return shared_engine(self.db_url)

    @cached_property
    def scope(self):
        """The asker's data scope (tools.scope.DataScope), from their role and the settings: once per message."""
        from tools.scope import load_scope

        return load_scope(lambda: self.read_only_engine, self.actor)  # the engine only for a team

    @cached_property
    def read_only_engine(self) -> Engine:
        from crmbot.settings import get_settings
        from db.engine import shared_engine

        return shared_engine(
            self.db_url, read_only=True, statement_timeout_s=get_settings().statement_timeout_s
        )
