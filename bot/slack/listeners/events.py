"""Mentions and direct messages, answered once per message.

A mention is answered in its thread. A DM at the top level is answered at the top level, and the
DM remembers the last answer so the next top-level message can refine it ("and by region?").
"""

from __future__ import annotations

from bot.slack import threads
from bot.slack.answer import Where, answer
from bot.slack.listeners import Wiring


def dm_key(channel: str) -> str:
    """The memory of a DM's top level (its threads have their own)."""
    return threads.thread_key(channel, "top")


def is_question_in_dm(event: dict) -> bool:
    """Only people's plain messages in the bot's DMs: not edits, not the bot's own messages echoed back."""
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def mention(body: dict) -> None:
        event = body["event"]
        thread_ts = event.get("thread_ts") or event["ts"]
        where = Where(
            user=event["user"],
            channel=event["channel"],
            thread_ts=thread_ts,
            note_thread_ts=event.get("thread_ts"),
            memory_keys=[threads.thread_key(event["channel"], thread_ts)],
            shared=not event["channel"].startswith("D"),
        )
        answer(deps, wiring.client, where, event.get("text", ""))

    def direct_message(body: dict) -> None:
        event = body["event"]
        channel, thread_ts = event["channel"], event.get("thread_ts")
        keys = [threads.thread_key(channel, thread_ts)] if thread_ts else [dm_key(channel)]
        where = Where(
            user=event["user"],
            channel=channel,
            thread_ts=thread_ts,
            note_thread_ts=thread_ts,
            memory_keys=keys,
            shared=False,  # the asker's own DM with the app
        )
        answer(deps, wiring.client, where, event.get("text", ""))

    wiring.on("event:app_mention", app.event("app_mention"), mention)
    wiring.on(
        "event:message.im",
        app.event("message", matchers=[lambda event: is_question_in_dm(event)]),
        direct_message,
    )
    # other message events (channel chatter, edits, the bot's own posts) are acked and ignored
    app.event("message")(lambda ack: ack())
