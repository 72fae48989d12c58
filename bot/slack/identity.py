"""Who is this Slack user in the CRM? By users.slack_user_id, else by email (users.info)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, func, select

from db.models import User
from tools.actor import Actor

log = logging.getLogger(__name__)

UNKNOWN_USER_TEXT = (
    "Sorry, I can't find you in the CRM, so I can't answer yet. Ask your sales ops admin to add "
    "your Slack account (or your email) to your CRM user."
)


def resolve_actor(engine: Engine, client: WebClient, slack_user_id: str) -> Actor | None:
    """The CRM user behind ``slack_user_id``, or None when there is none."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User.id, User.name, User.role, User.email, User.team).where(
                User.slack_user_id == slack_user_id, User.active.is_(True)
            )
        ).first()
        if row is None:
            email = _email_of(client, slack_user_id)
            if email:
                row = conn.execute(
                    select(User.id, User.name, User.role, User.email, User.team).where(
                        func.lower(User.email) == email.lower(), User.active.is_(True)
                    )
                ).first()
    if row is None:
        return None
    return Actor.of_user(row, "slack", f"slack:{slack_user_id}")


def name_of_mentioned(engine: Engine, client: WebClient, slack_user_id: str) -> str | None:
    """A mentioned person as the router should read them: their CRM name, else their Slack name."""
    actor = resolve_actor(engine, client, slack_user_id)
    if actor is not None and actor.name:
        return actor.name
    user = _user_info(client, slack_user_id)
    return user.get("real_name") or (user.get("profile") or {}).get("real_name") or None


def _email_of(client: WebClient, slack_user_id: str) -> str | None:
    return (_user_info(client, slack_user_id).get("profile") or {}).get("email")


def _user_info(client: WebClient, slack_user_id: str) -> dict:
    try:
        return client.users_info(user=slack_user_id).get("user") or {}
    except SlackApiError as exc:
        log.debug("users.info failed for a user: %s", exc.response.get("error"))
        return {}


def clicker(engine: Engine, client: WebClient, body: dict) -> Actor | None:
    """The CRM user who clicked a button; None, after telling them privately why, when there is none."""
    from bot.slack.replies import tell

    actor = resolve_actor(engine, client, body["user"]["id"])
    if actor is None:
        tell(client, body, UNKNOWN_USER_TEXT)
    return actor
