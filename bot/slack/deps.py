"""What the Slack listeners share: the database, the clock, and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import Engine

from crmbot.settings import Settings


@dataclass
class SlackDeps:
    settings: Settings
    db_url: str
    today: Callable[[], date] = field(default=date.today)  # the clock, injectable for tests

    @cached_property
    def engine(self) -> Engine:
        from db.engine import get_engine

        return get_engine(self.db_url)
