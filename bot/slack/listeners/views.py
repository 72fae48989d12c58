"""The invoice Edit modal's submission: validate, edit, update the message in place."""

from __future__ import annotations

import json
from datetime import datetime

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor


def register(app: App, deps: SlackDeps) -> None:
    @app.view("invoice_edit_modal")
    def edit_submitted(ack, body, view, client):
        from bot.render import to_blocks
        from bot.render.invoices import parse_edit_submission
        from bot.slack.replies import fallback_text
        from tools.invoices import flow

        parsed = parse_edit_submission(view["state"]["values"])
        if parsed.get("response_action") == "errors":
            ack(response_action="errors", errors=parsed["errors"])  # malformed input: nothing changes
            return
        meta = json.loads(view.get("private_metadata") or "{}")
        actor = resolve_actor(deps.engine, client, body["user"]["id"])
        if actor is None:
            ack(response_action="errors", errors={"payment_terms": UNKNOWN_USER_TEXT[:150]})
            return
        result = flow.edit(deps.engine, int(meta["invoice_id"]), actor, datetime.now(), parsed)
        if not result.ok:
            ack(response_action="errors", errors={"payment_terms": result.message[:150]})
            return
        ack()
        if meta.get("channel") and meta.get("ts"):
            client.chat_update(
                channel=meta["channel"], ts=meta["ts"], blocks=to_blocks(result), text=fallback_text(result)
            )
