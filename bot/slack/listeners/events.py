"""Mentions and direct messages: answered in a thread, once per message."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answer import answer_in_thread
from bot.slack.dedupe import first_delivery
from bot.slack.deps import SlackDeps


def register(app: App, deps: SlackDeps) -> None:
    def on_event(body: dict, event: dict, client) -> None:
        # Slack delivers a channel mention both as app_mention and as message; retries repeat the event id.
        if not first_delivery(
            deps.engine, f"event:{body.get('event_id')}", f"msg:{event.get('channel')}:{event.get('ts')}"
        ):
            return
        answer_in_thread(
            deps,
            client,
            user=event["user"],
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event.get("ts"),
            text=event.get("text", ""),
        )

    @app.event("app_mention")
    def app_mention(body, event, client):
        on_event(body, event, client)

    @app.event("message")
    def direct_message(body, event, client):
        # Only plain messages in DMs; edits, bot messages and channel chatter are not questions.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        on_event(body, event, client)
