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


def remember_answer(deps: SlackDeps, result) -> None:
    """Keep a report's question and SQL under its button key, for "Show SQL" and feedback."""
    if getattr(result, "sql", None) and hasattr(result, "question"):
        from bot.render.reports import answer_key

        threads.save(
            deps.engine,
            f"answer:{answer_key(result)}",
            {"question": result.question, "sql": result.sql, "query": getattr(result, "query", None)},
        )


def answer_in_thread(
    deps: SlackDeps, client: WebClient, *, user: str, channel: str, thread_ts: str | None, text: str
) -> Reply:
    """Route ``text`` as ``user`` and post the answer in the thread; errors become an error id."""
    try:
        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            reply = Reply(result=Message(UNKNOWN_USER_TEXT, kind="refused"))
        else:
            key = threads.thread_key(channel, thread_ts) if thread_ts else None
            state = threads.load(deps.engine, key) if key else None
            ctx = Context(
                db_url=deps.db_url,
                today=deps.today(),
                actor=actor,
                thread=state,
                channel="slack",
                extras={"defer_charts": True},
            )
            reply = handle(clean_text(text), ctx)
            if key and reply.thread_state is not None:
                threads.save(deps.engine, key, reply.thread_state)
            remember_answer(deps, reply.result)
    except Exception as exc:  # noqa: BLE001 - never a stack trace in Slack
        reply = error_reply(exc)
    response = post_reply(client, channel, thread_ts, reply)
    attach_chart(deps, client, channel, thread_ts or response.get("ts"), reply.result)
    return reply


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
