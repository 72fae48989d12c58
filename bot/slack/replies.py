"""Post a router Reply into Slack: Block Kit, an escaped text fallback, then files (chart, CSV);
private notes; answers through a command's or a click's response URL where the bot cannot post."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render import MAX_BLOCKS, clip, clip_escaped, context, renew_block_ids, to_blocks, to_text
from bot.router import Reply

log = logging.getLogger(__name__)

FALLBACK_LIMIT = 3000
# chat.postMessage's answers where the bot is not a member: a public channel without it, a private
# channel or a DM between two people (Slack hides those from the bot)
CANNOT_POST = ("not_in_channel", "channel_not_found")
INVITE_NOTE = "Invite me to this channel (/invite @crmbot) to get charts, CSV files and follow-ups here."


def blocks_for(result) -> list[dict]:
    """Block Kit for a result, never more than Slack's 50 blocks."""
    blocks = to_blocks(result)
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [context("(cut to fit Slack's limits)")]
    return blocks


def fallback_text(result) -> str:
    """The notification text, escaped like any message text: a result's one-sentence answer when it
    has one (the blocks carry the table, and drawing it as terminal text cost a third of an answer's
    time), else its terminal text."""
    return clip_escaped(getattr(result, "answer", None) or to_text(result), FALLBACK_LIMIT)


def note_text(text: str) -> str:
    """A private note's text, escaped (an invoice number next to "<=" in SQL must not become a link)."""
    return clip_escaped(text, FALLBACK_LIMIT)


def cannot_post(exc: SlackApiError) -> bool:
    return exc.response.get("error") in CANNOT_POST


def post_reply(client: WebClient, channel: str, thread_ts: str | None, reply: Reply) -> dict:
    """Post the answer in the thread, then upload its files into the same thread. SlackApiError
    when Slack refuses the post (``cannot_post`` tells when a response URL should answer instead)."""
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=fallback_text(reply.result),
        blocks=blocks_for(reply.result),
    )
    for path in reply.meta.get("files", []):  # what the router attached: a chart, a CSV
        upload_file(client, channel, thread_ts or response.get("ts"), Path(path), reply.result)
    return response.data if hasattr(response, "data") else dict(response)


def respond(response_url: str, *, text: str, blocks: list[dict] | None = None, **options) -> bool:
    """Answer through a response URL (5 uses in 30 minutes; works where the bot is not a member).
    ``options``: response_type ("ephemeral" by default, or "in_channel"), replace_original."""
    from slack_sdk.webhook import WebhookClient

    payload = {"text": text, **options}
    if blocks is not None:
        payload["blocks"] = blocks
    try:
        answer = WebhookClient(response_url, timeout=10).send_dict(payload)
    except OSError as exc:
        log.warning("a response URL could not be reached: %s", type(exc).__name__)
        return False
    if answer.status_code != 200:
        log.warning("a response URL refused the answer: %s %s", answer.status_code, answer.body[:100])
    return answer.status_code == 200


def respond_in_channel(response_url: str, reply: Reply) -> bool:
    """A command's answer where the bot cannot post: visible to the channel, without files."""
    blocks = blocks_for(reply.result)
    if reply.meta.get("files") or getattr(reply.result, "query", None):
        blocks = blocks[: MAX_BLOCKS - 1] + [context(INVITE_NOTE)]
    return respond(response_url, text=fallback_text(reply.result), blocks=blocks, response_type="in_channel")


def upload_file(client: WebClient, channel: str, thread_ts: str | None, path: Path, result=None) -> None:
    """Upload a chart or a CSV into the thread, titled by the question and described for screen readers."""
    question = (getattr(result, "question", None) or "").strip()
    if path.suffix == ".png":
        title = question[:1].upper() + question[1:] if question else "Chart"
        alt = f"Chart: {question}" if question else "A chart of the answer above"
    else:
        title = f"{question[:1].upper() + question[1:]} (all rows)" if question else "All rows"
        alt = None
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        file=str(path),
        filename=path.name,
        title=clip(title, 250),
        alt_txt=clip(alt, 1000) if alt else None,
    )


def update_message(
    client: WebClient,
    channel: str,
    ts: str,
    *,
    blocks: list[dict],
    text: str,
    response_url: str | None = None,
) -> None:
    """Redraw a message with new block ids (Slack asks for new ones in each iteration of a message):
    chat.update where the bot posted it, else through the click's ``response_url`` (a command's
    answer in a channel without the bot)."""
    blocks = renew_block_ids(blocks, uuid.uuid4().hex[:8])
    try:
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
        return
    except SlackApiError as exc:
        refused = exc.response.get("error")
        if not response_url or refused not in (*CANNOT_POST, "cant_update_message", "message_not_found"):
            raise
    respond(response_url, text=text, blocks=blocks, replace_original=True)


def where_clicked(body: dict) -> tuple[str, str | None]:
    """(channel, message ts) of the message a click came from."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return channel, (body.get("message") or {}).get("ts") or container.get("message_ts")


def tell(client: WebClient, body: dict, text: str) -> None:
    """A private note to the person who clicked (nothing else changes): through the click's
    response URL, which works in any channel and thread; else an ephemeral message, in the thread
    only when the clicked message is in one (Slack hides a note in a thread that does not exist)."""
    url = body.get("response_url")
    if url and respond(url, text=note_text(text), response_type="ephemeral", replace_original=False):
        return
    channel, _ = where_clicked(body)
    message = body.get("message") or {}
    client.chat_postEphemeral(
        channel=channel, user=body["user"]["id"], text=note_text(text), thread_ts=message.get("thread_ts")
    )
