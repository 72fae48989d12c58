"""Alert delivery: Slack (a DM to the owner and a post to the alert channel) or, without a token, the log.

Small on purpose so that other jobs can reuse it: ``deliver(alerts)`` takes anything with
``text`` and ``owner_slack_id`` attributes and returns how many messages went out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)


def deliver(alerts: Iterable, settings=None, client=None) -> int:
    """Post each alert to its owner (DM by Slack user id) and to the alert channel; else log it."""
    if settings is None:
        from crmbot.settings import get_settings

        settings = get_settings()
    alerts = list(alerts)
    if not alerts:
        return 0
    if client is None and settings.slack_bot_token is None:
        for alert in alerts:
            log.warning("insight alert (Slack not configured): %s", alert.text)
        return 0
    if client is None:
        from slack_sdk import WebClient

        client = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    return _post(client, alerts, settings.slack_alert_channel)


def _post(client, alerts: list, channel: str | None) -> int:
    from slack_sdk.errors import SlackApiError

    sent = 0
    for alert in alerts:
        targets = [t for t in (getattr(alert, "owner_slack_id", None), channel) if t]
        for target in targets:
            try:
                client.chat_postMessage(channel=target, text=f":rotating_light: {alert.text}")
                sent += 1
            except SlackApiError as exc:
                log.warning("could not post an insight alert to %s: %s", target, exc.response.get("error"))
        if not targets:
            log.warning("insight alert with no owner Slack id and no alert channel: %s", alert.text)
    return sent
