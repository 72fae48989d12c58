"""Post a router Reply into a Slack thread: Block Kit, a text fallback, then files (chart, CSV)."""

from __future__ import annotations

import logging
from pathlib import Path

from slack_sdk import WebClient

from bot.render import MAX_BLOCKS, clip, to_blocks, to_text
from bot.router import Reply

log = logging.getLogger(__name__)

FALLBACK_LIMIT = 3000


def blocks_for(result) -> list[dict]:
    """Block Kit for a result, never more than Slack's 50 blocks."""
    blocks = to_blocks(result)
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "(cut to fit Slack's limits)"}]}
        ]
    return blocks


def fallback_text(result) -> str:
    """The notification text: a result's one-sentence answer when it has one (the blocks carry the
    table, and drawing it as terminal text cost a third of an answer's time), else its terminal text."""
    text = getattr(result, "answer", None) or to_text(result)
    return clip(text, FALLBACK_LIMIT)


def post_reply(client: WebClient, channel: str, thread_ts: str | None, reply: Reply) -> dict:
    """Post the answer in the thread, then upload its files into the same thread."""
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=fallback_text(reply.result),
        blocks=blocks_for(reply.result),
    )
    for path in reply.meta.get("files", []):  # what the router attached: a chart, a CSV
        upload_file(client, channel, thread_ts or response.get("ts"), Path(path))
    return response.data if hasattr(response, "data") else dict(response)


def upload_file(client: WebClient, channel: str, thread_ts: str | None, path: Path) -> None:
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        file=str(path),
        filename=path.name,
        title=path.stem.replace("_", " "),
    )
