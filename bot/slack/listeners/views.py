"""The invoice Edit modal's submission: checked (no database) and acked, then edited and redrawn.

Malformed input is answered in the ack itself (Slack shows the errors under the fields and the
modal stays open). Everything that needs the database happens after the ack; what goes wrong
there is told privately in the channel of the invoice's message.
"""

from __future__ import annotations

import json
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor
from bot.slack.listeners import Wiring
from bot.slack.replies import cannot_post, note_text, update_message


def field_errors(body: dict) -> dict | None:
    """The ack's answer for malformed input, or None to accept the submission."""
    from bot.render.invoices import parse_edit_submission

    parsed = parse_edit_submission(body["view"]["state"]["values"])
    if parsed.get("response_action") == "errors":
        return {"response_action": "errors", "errors": parsed["errors"]}
    return None


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def edit_submitted(body: dict) -> None:
        from bot.render import to_blocks
        from bot.render.invoices import parse_edit_submission
        from bot.slack.replies import fallback_text
        from tools.invoices import flow

        client = wiring.client
        view = body["view"]
        meta = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]["id"]

        def tell(text: str) -> None:
            """Privately, in the invoice's channel; in the person's DM with the bot where it can't post."""
            try:
                client.chat_postEphemeral(
                    channel=meta.get("channel") or user, user=user, text=note_text(text)
                )
            except SlackApiError as exc:
                if not cannot_post(exc):
                    raise
                client.chat_postMessage(channel=user, text=note_text(text))

        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            tell(UNKNOWN_USER_TEXT)
            return
        changes = parse_edit_submission(view["state"]["values"])
        result = flow.edit(deps.engine, int(meta["invoice_id"]), actor, datetime.now(), changes)
        if not result.ok:
            tell(result.message)
            return
        if meta.get("channel") and meta.get("ts"):
            update_message(
                client, meta["channel"], meta["ts"], blocks=to_blocks(result), text=fallback_text(result)
            )

    wiring.on("view:invoice_edit_modal", app.view("invoice_edit_modal"), edit_submitted, check=field_errors)
