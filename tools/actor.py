"""Who is asking: the CRM user behind a Slack user, the terminal or the CLI."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # users.id, None when the asker is not a known CRM user
    name: str | None = None
    role: str | None = None  # rep, manager, admin
    source: str = "cli"  # slack, chat, cli, job, api
    label: str = "cli"  # e.g. "slack:U0123ABCD" for the audit log
    email: str | None = None
    team: str | None = None  # users.team: "my team" means the users of this team

    @classmethod
    def of_user(cls, row, source: str, label: str) -> Actor:
        """The CRM user of a ``users`` row (id, name, role, email, team) speaking through ``source``."""
        return cls(
            user_id=row.id,
            name=row.name,
            role=row.role,
            source=source,
            label=label,
            email=row.email,
            team=row.team,  # "my team", and a team's data scope
        )

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def with_source(self, source: str) -> Actor:
        """The same person speaking through another front end."""
        return replace(self, source=source, label=self.label.replace(self.source, source, 1))
