"""What `crmbot watch`, `crmbot worker` and `crmbot schedule` share: a database with their tables."""

from __future__ import annotations

from bot.cli.common import fail, open_db


def open_proactive_db(db: str | None, *, read_only: bool = False):
    """A checked engine whose database has crmbot's tables, this feature's included; else a clear error."""
    from db.proactive_models import missing_tables

    engine = open_db(db, read_only=read_only, need_project_tables=True)
    missing = missing_tables(engine)
    if missing:
        fail(
            f"This database lacks crmbot's tables for alerts and schedules ({', '.join(missing[:3])}...). "
            "Run `crmbot db upgrade` first."
        )
    return engine


def slack_client(settings):
    """The Web API client the bot uses (retries on 429), or None without SLACK_BOT_TOKEN."""
    if settings.slack_bot_token is None:
        return None
    from bot.slack.app import make_client

    return make_client(settings)
