"""What the Slack listeners share: the database, the clock, the settings, and who the bot is."""

from __future__ import annotations

import threading
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
    _bot_user_id: str | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def engine(self) -> Engine:
        from db.engine import get_engine

        return get_engine(self.db_url)

    def bot_user_id(self, client) -> str | None:
        """The bot's own Slack user id (auth.test, asked once), to drop its mention from questions."""
        with self._lock:
            if self._bot_user_id is None:
                self._bot_user_id = client.auth_test().get("user_id")
            return self._bot_user_id
