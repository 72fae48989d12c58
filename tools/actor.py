"""Who is asking: the CRM user behind a Slack user, the terminal or the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # users.id, None when the asker is not a known CRM user
    name: str | None = None
    role: str | None = None  # rep, manager, admin
    source: str = "cli"  # slack, chat, cli, job
    label: str = "cli"  # e.g. "slack:U0123ABCD" for the audit log

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
