"""Invoice messages in Slack: redrawn whole from the database after every click or edit.

A message may show several invoices (instalments). Patching one invoice's blocks into the copy
of the message a click carried loses whatever another click changed meanwhile: two approvers
clicking two invoices at once both succeed, and the message shows one old state. So after every
transition or edit the whole message is drawn again from the database, and checked again after
the update: if any invoice changed while it was being drawn (the other click), it is drawn once
more. The last update is always drawn after the last change.

The update itself is ``bot.slack.replies.update_message``: new block ids each time, and the
click's response URL where the bot cannot update the message (a command's answer in a channel
without the bot).
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

log = logging.getLogger(__name__)
REDRAW_ATTEMPTS = 4


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
    blocks = invoice_message_blocks(views, notes, duplicates)
    summary = "; ".join(f"{v.number} {v.status.replace('_', ' ')}" for v in views)
    return blocks, summary or "Invoices", {v.id: v.version for v in views}


def _versions(engine: Engine, invoice_ids: list[int]) -> dict[int, int]:
    from tools.invoices.views import load_views

    with engine.connect() as conn:
        return {v.id: v.version for v in load_views(conn, invoice_ids)}


def redraw(
    engine: Engine,
    client: WebClient,
    channel: str | None,
    ts: str | None,
    invoice_ids: list[int],
    response_url: str | None = None,
) -> None:
    """Draw the message showing ``invoice_ids`` again from the database (see the module docstring)."""
    from bot.render import clip_escaped
    from bot.slack.replies import FALLBACK_LIMIT, update_message

    if not channel or not ts or not invoice_ids:
        return
    for _ in range(REDRAW_ATTEMPTS):
        blocks, text, drawn = _draw(engine, invoice_ids)
        try:
            text = clip_escaped(text, FALLBACK_LIMIT)
            update_message(client, channel, ts, blocks=blocks, text=text, response_url=response_url)
        except SlackApiError as exc:  # the change itself is recorded; the message stays as it was
            log.warning("could not redraw an invoice message: %s", exc.response.get("error"))
            return
        if _versions(engine, invoice_ids) == drawn:
            return
