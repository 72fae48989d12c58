"""What scheduling needs to know about a person: their time zone and whether a question works for them."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def slack_timezone(client, slack_user_id: str | None) -> str | None:
    """The time zone of a Slack user's profile (users.info ``tz``), or None when unknown."""
    if client is None or not slack_user_id:
        return None
    from slack_sdk.errors import SlackApiError

    try:
        info = client.users_info(user=slack_user_id)
    except (SlackApiError, OSError) as exc:
        log.debug("users.info failed for a user: %s", type(exc).__name__)
        return None
    return (info.get("user") or {}).get("tz") or None


def why_not_answerable(db_url: str, actor, question: str, today) -> str | None:
    """None when the router answers ``question`` for this person now; else what it said instead.

    A schedule that can only ever post "I don't understand" is refused when it is made.
    """
    from bot.conversation import Context
    from bot.render import to_text
    from bot.router import handle

    ctx = Context(db_url=db_url, today=today, actor=actor, channel="slack", extras={"defer_charts": True})
    result = handle(question, ctx).result
    if getattr(result, "refused", False) or getattr(result, "kind", None) in ("clarify", "refused", "error"):
        return to_text(result)
    return None
