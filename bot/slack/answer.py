"""Answer one piece of text from a Slack user, the same way the terminal chat does.

Where the answer goes (``Where``): a mention is answered in its thread; a DM at the top level of
the DM, where the next top-level message is a follow-up of the last answer; a ``/crm`` command in
the channel, starting a thread for follow-ups, or through the command's response URL where the
bot is not a member (a channel it was not invited to, a private channel, a DM between people).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.conversation import Context
from bot.router import Reply, error_reply, handle
from bot.slack import threads
from bot.slack.delivery import private_mode, send_privately
from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, name_of_mentioned, resolve_actor
from bot.slack.inbox import answered
from bot.slack.replies import cannot_post, note_text, post_reply, respond, respond_in_channel, upload_file
from bot.slack.text import plain_text

log = logging.getLogger(__name__)


@dataclass
class Where:
    """Where a question was asked and where its answer goes."""

    user: str
    channel: str
    thread_ts: str | None  # the thread to answer in; None: the top level
    note_thread_ts: str | None = None  # an existing thread for a private note (Slack hides others)
    memory_keys: list[str] = field(default_factory=list)  # thread-state keys: read the first, write all
    response_url: str | None = None  # a command's: private notes, and answers where the bot cannot post
    shared: bool = True  # seen by others than the asker (not their own DM with the app)


def answer(deps: SlackDeps, client: WebClient, where: Where, text: str) -> Reply | None:
    """Route ``text`` as ``where.user`` and post the answer; errors become an error id.

    What the answer leaves behind (the thread's state for follow-ups, the SQL behind the buttons)
    and the chart are written after the answer is posted: they are not on the user's wait."""
    try:
        actor = resolve_actor(deps.engine, client, where.user)
        if actor is None:
            tell_privately(client, where, UNKNOWN_USER_TEXT)
            return None
        question = plain_text(
            text,
            bot_user_id=deps.bot_user_id(client),
            name_of=lambda uid: name_of_mentioned(deps.engine, client, uid),
        )
        state = threads.load(deps.engine, where.memory_keys[0]) if where.memory_keys else None
        ctx = Context(
            db_url=deps.db_url,
            today=deps.today(),
            actor=actor,
            thread=state,
            channel="slack",
            place=f"slack {'DM' if where.channel.startswith('D') else 'channel'} {where.channel}",
            extras={"defer_charts": True},
        )
        reply = handle(question, ctx)
    except Exception as exc:  # noqa: BLE001 - never a stack trace in Slack
        reply = error_reply(exc)
    policy = deps.settings.channel_answers
    mode = private_mode(policy, where.shared, reply.result)
    if mode:
        return _answer_privately(deps, client, where, reply, mode)
    try:
        response = post_reply(client, where.channel, where.thread_ts, reply)
    except SlackApiError as exc:
        if where.response_url and cannot_post(exc):
            mode = private_mode(policy, True, reply.result)  # a DM between people, a channel without me
            if mode:
                return _answer_privately(deps, client, where, reply, mode)
            respond_in_channel(where.response_url, reply)
            answered()
            remember(deps, where.memory_keys, reply)  # the SQL behind its buttons
            return reply
        raise
    answered()  # posted: a worker killed from here on must not answer it again
    # an answer at the top level starts its own thread: follow-ups there refine it too
    thread = where.thread_ts or response.get("ts")
    remember(deps, [*where.memory_keys, threads.thread_key(where.channel, thread)], reply)
    attach_chart(deps, client, where.channel, thread, reply.result)
    return reply


def _answer_privately(deps: SlackDeps, client: WebClient, where: Where, reply: Reply, mode: str) -> Reply:
    """An answer that names customers, to the asker only (bot/slack/delivery.py); follow-ups where it went."""
    sent = send_privately(deps, client, where, reply, mode)
    answered()
    keys = list(where.memory_keys)
    if sent is not None:
        channel, thread = sent
        keys.append(threads.thread_key(channel, thread))
        remember(deps, keys, reply)
        attach_chart(deps, client, channel, thread, reply.result)
    else:
        remember(deps, keys, reply)
    return reply


def tell_privately(client: WebClient, where: Where, text: str) -> None:
    """A note only the asker sees: through the command's response URL, else as an ephemeral message."""
    if where.response_url and respond(where.response_url, text=note_text(text), response_type="ephemeral"):
        return
    client.chat_postEphemeral(
        channel=where.channel, user=where.user, text=note_text(text), thread_ts=where.note_thread_ts
    )


def remember(deps: SlackDeps, keys: list[str], reply: Reply) -> None:
    """Keep the conversation's state under ``keys`` and a report's question and SQL (under its
    button key), in one write."""
    states = {}
    if reply.thread_state is not None:
        states.update({key: reply.thread_state for key in keys})
    result = reply.result
    if getattr(result, "sql", None) and hasattr(result, "question"):
        from bot.render.reports import answer_key

        states[f"answer:{answer_key(result)}"] = {
            "question": result.question,
            "sql": result.sql,
            "query": getattr(result, "query", None),
        }
    if not states:
        return
    try:
        threads.save_all(deps.engine, states)
    except Exception:  # noqa: BLE001 - the answer is already posted; say so in the log only
        log.exception("could not save the thread state")


def attach_chart(deps: SlackDeps, client: WebClient, channel: str, thread_ts: str | None, result) -> None:
    """Draw a report's chart after its answer is posted, and upload it into the same thread."""
    if (
        getattr(result, "chart", None)
        or getattr(result, "refused", True)
        or not getattr(result, "query", None)
    ):
        return
    from tools.reports.charts import chart_kind, render

    if chart_kind(result) is None:
        return
    try:
        path = render(result, Path(deps.settings.data_dir) / "charts")
    except Exception:  # noqa: BLE001 - the answer is already posted; a chart failure must not hide it
        log.exception("could not draw a chart")
        return
    if path:
        upload_file(client, channel, thread_ts, Path(path), result)
