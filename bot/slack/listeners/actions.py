"""Buttons: invoice Approve / Reject / Edit, and a report's Show SQL / Right / Wrong answer.

Acked by the inbox before any work (bot/slack/listeners/__init__.py); the work below runs after.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.slack import threads
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor
from bot.slack.listeners import Wiring
from bot.slack.replies import tell, update_message, where_clicked

log = logging.getLogger(__name__)

LOADING_VIEW = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Edit invoice"},
    "close": {"type": "plain_text", "text": "Cancel"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Loading the invoice…"}}],
}


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def transition(action_name: str, body: dict) -> None:
        """Approve / reject exactly the version the message showed; if it changed, redraw it."""
        from bot.render.invoices import parse_button_value, replace_invoice_blocks
        from bot.slack.replies import fallback_text
        from tools.invoices import flow

        client = wiring.client
        actor = resolve_actor(deps.engine, client, body["user"]["id"])
        if actor is None:
            tell(client, body, UNKNOWN_USER_TEXT)
            return
        invoice_id, shown_version = parse_button_value(body["actions"][0]["value"])
        act = getattr(flow, action_name)
        result = act(deps.engine, invoice_id, actor, datetime.now(), expected_version=shown_version)
        if not result.ok and not result.stale:
            tell(client, body, result.message)
            return
        channel, ts = where_clicked(body)
        blocks = replace_invoice_blocks((body.get("message") or {}).get("blocks") or [], result)
        update_message(
            client,
            channel,
            ts,
            blocks=blocks,
            text=fallback_text(result),
            response_url=body.get("response_url"),
        )
        if result.stale:
            tell(client, body, result.message)

    wiring.on(
        "action:invoice_approve", app.action("invoice_approve"), lambda body: transition("approve", body)
    )
    wiring.on("action:invoice_reject", app.action("invoice_reject"), lambda body: transition("reject", body))

    def edit(body: dict) -> None:
        """Open the modal at once (a trigger id lives 3 seconds), then fill it from the database."""
        from bot.render.invoices import edit_modal_view, parse_button_value
        from tools.invoices.views import load_view

        client = wiring.client
        try:
            opened = client.views_open(trigger_id=body["trigger_id"], view=LOADING_VIEW)["view"]
        except SlackApiError as exc:
            log.warning("could not open the edit modal: %s", exc.response.get("error"))
            tell(client, body, "That took too long to open; please click Edit again.")
            return
        invoice_id, _ = parse_button_value(body["actions"][0]["value"])
        with deps.engine.connect() as conn:
            invoice = load_view(conn, invoice_id)
        if invoice is None:
            tell(client, body, "That invoice no longer exists.")
            return
        view = edit_modal_view(invoice)
        channel, ts = where_clicked(body)
        view["private_metadata"] = json.dumps({"invoice_id": invoice_id, "channel": channel, "ts": ts})
        try:
            client.views_update(view_id=opened["id"], hash=opened.get("hash"), view=view)
        except SlackApiError as exc:  # closed meanwhile: nothing to fill
            log.info("could not fill the edit modal: %s", exc.response.get("error"))

    wiring.on("action:invoice_edit", app.action("invoice_edit"), edit)

    def show_sql(body: dict) -> None:
        saved = threads.load(deps.engine, f"answer:{body['actions'][0]['value']}")
        text = (
            f"```{saved['sql']}```" if saved else "I no longer have the SQL of that answer; please ask again."
        )
        tell(wiring.client, body, text)

    wiring.on("action:report_show_sql", app.action("report_show_sql"), show_sql)

    def feedback(verdict: str, body: dict) -> None:
        """Right / Wrong answer: recorded for known CRM users only (a verified question teaches the
        engine, so it must come from someone the team knows)."""
        from tools.reports.examples import record_feedback, save_verified

        client = wiring.client
        actor = resolve_actor(deps.engine, client, body["user"]["id"])
        if actor is None:
            tell(client, body, "Thanks, but only people in the CRM can rate answers. " + UNKNOWN_USER_TEXT)
            return
        saved = threads.load(deps.engine, f"answer:{body['actions'][0]['value']}")
        if not saved:
            tell(client, body, "I no longer have that answer; please ask again.")
            return
        who = actor.label
        record_feedback(deps.engine, saved["question"], saved["sql"], verdict, who)
        if verdict == "right":
            save_verified(
                deps.engine, saved["question"], query=saved.get("query"), sql=saved["sql"], verified_by=who
            )
            tell(client, body, "Thanks! I'll use this answer as an example for similar questions.")
        else:
            tell(client, body, "Thanks for telling me. I've noted it so the team can fix it.")

    wiring.on(
        "action:report_feedback_right",
        app.action("report_feedback_right"),
        lambda body: feedback("right", body),
    )
    wiring.on(
        "action:report_feedback_wrong",
        app.action("report_feedback_wrong"),
        lambda body: feedback("wrong", body),
    )
