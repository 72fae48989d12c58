"""Buttons: invoice Approve / Reject / Edit, and a report's Show SQL / Right / Wrong answer."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from slack_bolt import App

from bot.slack import threads
from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor

log = logging.getLogger(__name__)


def _where(body: dict) -> tuple[str, str | None, str | None]:
    channel = (body.get("channel") or body.get("container") or {}).get("id") or body.get("container", {}).get(
        "channel_id"
    )
    message = body.get("message") or {}
    return channel, message.get("ts"), message.get("thread_ts") or message.get("ts")


def _tell(client, body: dict, text: str) -> None:
    """A private note to the person who clicked (nothing else changes)."""
    channel, _, thread_ts = _where(body)
    client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text, thread_ts=thread_ts)


def _listener(handler, choice: str):
    """A Bolt listener for one button of a pair: ``handler(choice, ack, body, client)``.

    Bolt passes arguments by parameter name, so the listener keeps exactly ``ack, body, client``.
    """

    def listener(ack, body, client):
        handler(choice, ack, body, client)

    return listener


def register(app: App, deps: SlackDeps) -> None:
    def transition(action_name: str, ack, body, client) -> None:
        """Approve / reject exactly the version the message showed; if it changed, redraw it."""
        ack()
        from bot.render.invoices import parse_button_value, replace_invoice_blocks
        from bot.slack.replies import fallback_text
        from tools.invoices import flow

        actor = resolve_actor(deps.engine, client, body["user"]["id"])
        if actor is None:
            _tell(client, body, UNKNOWN_USER_TEXT)
            return
        invoice_id, shown_version = parse_button_value(body["actions"][0]["value"])
        act = getattr(flow, action_name)
        result = act(deps.engine, invoice_id, actor, datetime.now(), expected_version=shown_version)
        if not result.ok and not result.stale:
            _tell(client, body, result.message)
            return
        channel, ts, _ = _where(body)
        blocks = replace_invoice_blocks((body.get("message") or {}).get("blocks") or [], result)
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=fallback_text(result))
        if result.stale:
            _tell(client, body, result.message)

    app.action("invoice_approve")(_listener(transition, "approve"))
    app.action("invoice_reject")(_listener(transition, "reject"))

    @app.action("invoice_edit")
    def edit(ack, body, client):
        ack()
        from bot.render.invoices import edit_modal_view, parse_button_value
        from tools.invoices.views import load_view

        invoice_id, _ = parse_button_value(body["actions"][0]["value"])
        with deps.engine.connect() as conn:
            invoice = load_view(conn, invoice_id)
        if invoice is None:
            _tell(client, body, "That invoice no longer exists.")
            return
        view = edit_modal_view(invoice)
        channel, ts, _ = _where(body)
        view["private_metadata"] = json.dumps({"invoice_id": invoice_id, "channel": channel, "ts": ts})
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("report_show_sql")
    def show_sql(ack, body, client):
        ack()
        saved = threads.load(deps.engine, f"answer:{body['actions'][0]['value']}")
        text = (
            f"```{saved['sql']}```" if saved else "I no longer have the SQL of that answer; please ask again."
        )
        _tell(client, body, text)

    def feedback(verdict: str, ack, body, client) -> None:
        ack()
        from tools.reports.examples import record_feedback, save_verified

        saved = threads.load(deps.engine, f"answer:{body['actions'][0]['value']}")
        if not saved:
            _tell(client, body, "I no longer have that answer; please ask again.")
            return
        who = f"slack:{body['user']['id']}"
        record_feedback(deps.engine, saved["question"], saved["sql"], verdict, who)
        if verdict == "right":
            save_verified(
                deps.engine, saved["question"], query=saved.get("query"), sql=saved["sql"], verified_by=who
            )
            _tell(client, body, "Thanks! I'll use this answer as an example for similar questions.")
        else:
            _tell(client, body, "Thanks for telling me. I've noted it so the team can fix it.")

    app.action("report_feedback_right")(_listener(feedback, "right"))
    app.action("report_feedback_wrong")(_listener(feedback, "wrong"))
