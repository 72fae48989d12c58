"""Invoice messages in Slack: redrawn whole from the database after every click or edit.

A message may show several invoices (instalments). Patching one invoice's blocks into the copy
of the message a click carried loses whatever another click changed meanwhile: two approvers
clicking two invoices at once both succeed, and the message shows one old state. So after every
transition or edit the whole message is drawn again from the database, and checked again after
the update: if any invoice changed while it was being drawn (the other click), it is drawn once
more. The last update is always drawn after the last change.
"""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

log = logging.getLogger(__name__)
REDRAW_ATTEMPTS = 4


def where_clicked(body: dict) -> tuple[str | None, str | None, str | None]:
    """(channel, message ts, thread ts) of the message a button was clicked on; the thread only
    when the message is in one (a private note with a thread_ts of a thread that does not exist
    is never shown)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message = body.get("message") or {}
    ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
    return channel, ts, message.get("thread_ts")


def tell(client: WebClient, channel: str | None, user: str, text: str, thread_ts: str | None = None) -> None:
    """A private note to one person (nothing else changes)."""
    if not channel:
        return
    args = {"channel": channel, "user": user, "text": text}
    if thread_ts:
        args["thread_ts"] = thread_ts
    try:
        client.chat_postEphemeral(**args)
    except SlackApiError as exc:  # the note is a courtesy: the change itself is already recorded
        log.warning("could not post a private note: %s", exc.response.get("error"))


def _draw(engine: Engine, invoice_ids: list[int]):
    """(blocks, fallback text, versions) of the message as the database has it now."""
    from bot.render.invoices import invoice_message_blocks
    from tools.invoices.audit import decision_notes
    from tools.invoices.duplicates import InvoiceFacts, check_invoice
    from tools.invoices.views import load_views

    with engine.connect() as conn:
        views = load_views(conn, invoice_ids)
        notes = decision_notes(conn, views)
        duplicates = [
            match
            for view in views
            if view.editable
            for match in check_invoice(conn, InvoiceFacts.of_view(view))
        ]
    token = format(int(time.time() * 1000) % 36**6, "x")  # new block ids on every redraw
    blocks = invoice_message_blocks(views, notes, duplicates, token=token)
    summary = "; ".join(f"{v.number} {v.status.replace('_', ' ')}" for v in views)
    return blocks, summary or "Invoices", {v.id: v.version for v in views}


def _versions(engine: Engine, invoice_ids: list[int]) -> dict[int, int]:
    from tools.invoices.views import load_views

    with engine.connect() as conn:
        return {v.id: v.version for v in load_views(conn, invoice_ids)}


def redraw(
    engine: Engine, client: WebClient, channel: str | None, ts: str | None, invoice_ids: list[int]
) -> None:
    """Draw the message showing ``invoice_ids`` again from the database (see the module docstring)."""
    if not channel or not ts or not invoice_ids:
        return
    for _ in range(REDRAW_ATTEMPTS):
        blocks, text, drawn = _draw(engine, invoice_ids)
        try:
            client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
        except SlackApiError as exc:
            log.warning("could not redraw an invoice message: %s", exc.response.get("error"))
            return
        if _versions(engine, invoice_ids) == drawn:
            return
