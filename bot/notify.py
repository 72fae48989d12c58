"""Alert delivery: Slack (a DM to the owner and a post to the alert channel) or, without a token, the log.

``deliver(alerts)`` serves `crmbot insights refresh --notify` (anything with ``text`` and
``owner_slack_id``). ``post_alert`` serves the worker: one queued alert as Block Kit, to each
target it was not yet posted to, recording each post as it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

# Slack errors that will not go away by trying again: the alert is marked failed for that target
PERMANENT_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "cannot_dm_bot",
    "invalid_blocks",
    "msg_too_long",
    "restricted_action",
    "user_disabled",
}


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

    from bot.render import clip_escaped

    sent = 0
    for alert in alerts:
        targets = [t for t in (getattr(alert, "owner_slack_id", None), channel) if t]
        text = ":rotating_light: " + clip_escaped(alert.text, 3000)  # a company "A&B <Corp>" shows as named
        for target in targets:
            try:
                client.chat_postMessage(channel=target, text=text)
                sent += 1
            except SlackApiError as exc:
                log.warning("could not post an insight alert to %s: %s", target, exc.response.get("error"))
        if not targets:
            log.warning("insight alert with no owner Slack id and no alert channel: %s", alert.text)
    return sent


class AlertPostFailed(Exception):
    """Slack refused or could not be reached; ``permanent`` says whether trying again can help."""

    def __init__(self, target: str, error: str, permanent: bool):
        super().__init__(f"{target}: {error}")
        self.target, self.error, self.permanent = target, error, permanent


def alert_targets(payload: dict, channel: str | None) -> list[str]:
    """Where an alert goes: the owner's DM (their Slack user id), then the alert channel."""
    return [t for t in (payload.get("owner_slack_id"), channel) if t]


def post_alert(
    client,
    kinds: list[str],
    payload: dict,
    targets: list[str],
    already: set[str],
    on_posted: Callable[[str, str | None], None],
) -> list[AlertPostFailed]:
    """Post one alert to each target not in ``already``; ``on_posted(target, ts)`` after each post.

    Returns the failures (an empty list when every target got it).
    """
    from slack_sdk.errors import SlackApiError

    from bot.render.alerts import alert_blocks, alert_text

    text, blocks = alert_text(kinds, payload), alert_blocks(kinds, payload)
    failures = []
    for target in targets:
        if target in already:
            continue
        try:
            response = client.chat_postMessage(channel=target, text=text, blocks=blocks)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "error")
            log.warning("could not post an insight alert to %s: %s", target, error)
            failures.append(AlertPostFailed(target, error, error in PERMANENT_ERRORS))
            continue
        except OSError as exc:  # Slack unreachable: try again later
            log.warning("could not reach Slack to post an insight alert: %s", exc)
            failures.append(AlertPostFailed(target, type(exc).__name__, False))
            continue
        on_posted(target, response.get("ts"))
    return failures


def deliver_queued(engine, client, worker_id: str, *, channel: str | None, per_hour: int) -> tuple[int, int]:
    """Deliver the alerts this worker can claim (within the hourly cap); returns (claimed, posted).

    Without a Slack client the alerts go to the log. A Slack failure that may pass (rate limit,
    network) puts the alert back in the queue for a later try, up to a few attempts; a permanent
    one (the bot is not in the channel) is recorded on the alert, whose other targets still get it.
    """
    from datetime import UTC, datetime

    from tools.proactive import alerts

    def now():
        return datetime.now(UTC).replace(tzinfo=None)

    if not alerts.has_deliveries(engine, now()):
        return 0, 0
    claimed = alerts.claim_deliveries(engine, worker_id, now(), per_hour=per_hour)
    posted = 0
    for delivery in claimed:
        if delivery.snoozed:
            alerts.finish_delivery(engine, delivery, worker_id, now(), status="snoozed")
            continue
        if client is None:
            log.warning(
                "insight alert (Slack not configured): company %s %s", delivery.company_id, delivery.kinds
            )
            alerts.finish_delivery(engine, delivery, worker_id, now(), status="logged")
            continue
        targets = alert_targets(delivery.payload, channel)
        failures = post_alert(
            client,
            delivery.kinds,
            delivery.payload,
            targets,
            {d["to"] for d in delivery.delivered},
            lambda target, ts, d=delivery: alerts.note_delivered(engine, d, worker_id, target, ts),
        )
        error = "; ".join(str(f) for f in failures) or None
        if any(not f.permanent for f in failures) and alerts.attempts_left(engine, delivery.alert_id) > 0:
            alerts.finish_delivery(
                engine, delivery, worker_id, now(), status="pending", error=error, retry_in_s=30.0
            )
            continue
        sent = bool(delivery.delivered)
        if not targets:
            error = "no owner Slack id and no alert channel"
        alerts.finish_delivery(
            engine, delivery, worker_id, now(), status="sent" if sent else "failed", error=error
        )
        posted += int(sent)
    return len(claimed), posted
