"""Answer one piece of text from a Slack user in a thread, the same way the terminal chat does."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from slack_sdk import WebClient

from bot.conversation import Context
from bot.router import Reply, error_reply, handle
from bot.slack import threads
from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor
from bot.slack.replies import post_reply, upload_file
from tools.results import Message

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+>")


def clean_text(text: str) -> str:
    """The question without the bot's mention and Slack's escaping."""
    text = _MENTION.sub(" ", text or "")
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", text).strip()


def answer_in_thread(
    deps: SlackDeps, client: WebClient, *, user: str, channel: str, thread_ts: str | None, text: str
) -> Reply:
    """Route ``text`` as ``user`` and post the answer in the thread; errors become an error id.

    What the answer leaves behind (the thread's state for follow-ups, the SQL behind the buttons)
    and the chart are written after the answer is posted: they are not on the user's wait.
    """
    try:
        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            reply = Reply(result=Message(UNKNOWN_USER_TEXT, kind="refused"))
        else:
            state = threads.load(deps.engine, threads.thread_key(channel, thread_ts)) if thread_ts else None
            ctx = Context(
                db_url=deps.db_url,
                today=deps.today(),
                actor=actor,
                thread=state,
                channel="slack",
                extras={"defer_charts": True},
            )
            reply = handle(clean_text(text), ctx)
    except Exception as exc:  # noqa: BLE001 - never a stack trace in Slack
        reply = error_reply(exc)
    response = post_reply(client, channel, thread_ts, reply)
    # a /crm answer starts its own thread: follow-ups there refine it too
    thread = thread_ts or response.get("ts")
    remember(deps, threads.thread_key(channel, thread), reply)
    attach_chart(deps, client, channel, thread, reply.result)
    return reply


def remember(deps: SlackDeps, key: str, reply: Reply) -> None:
    """Keep the thread's state and a report's question and SQL (under its button key), in one write."""
    states = {}
    if reply.thread_state is not None:
        states[key] = reply.thread_state
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
        upload_file(client, channel, thread_ts, Path(path))
