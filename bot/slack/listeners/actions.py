"""Buttons: invoice Approve / Reject / Edit, and a report's Show SQL / Right / Wrong answer."""

from __future__ import annotations

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
        """Approve / reject exactly the version the message showed, then redraw the whole message
        from the database (a stale click changes nothing and shows the current version)."""
        ack()
        from bot.render.invoices import invoice_ids_in, parse_button_value
        from bot.slack.invoice_messages import redraw, tell, where_clicked
        from tools.invoices import flow

        channel, ts, thread_ts = where_clicked(body)
        user = body["user"]["id"]
        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            tell(client, channel, user, UNKNOWN_USER_TEXT, thread_ts)
            return
        invoice_id, shown_version = parse_button_value(body["actions"][0]["value"])
        act = getattr(flow, action_name)
        result = act(deps.engine, invoice_id, actor, datetime.now(), expected_version=shown_version)
        out_of_date = result.invoice is not None and result.invoice.version != shown_version
        if result.ok or result.stale or out_of_date:  # a refusal on an up-to-date message changes nothing
            ids = invoice_ids_in((body.get("message") or {}).get("blocks") or []) or [invoice_id]
            redraw(deps.engine, client, channel, ts, ids if invoice_id in ids else [*ids, invoice_id])
        if not result.ok:
            tell(client, channel, user, result.message, thread_ts)

    app.action("invoice_approve")(_listener(transition, "approve"))
    app.action("invoice_reject")(_listener(transition, "reject"))

    @app.action("invoice_edit")
    def edit(ack, body, client):
        ack()
        from bot.render.invoice_modal import edit_modal_view, modal_metadata
        from bot.render.invoices import invoice_ids_in, parse_button_value
        from bot.slack.invoice_messages import tell, where_clicked
        from tools.invoices.audit import explain_status
        from tools.invoices.views import load_view

        channel, ts, thread_ts = where_clicked(body)
        invoice_id, _ = parse_button_value(body["actions"][0]["value"])
        with deps.engine.connect() as conn:
            invoice = load_view(conn, invoice_id)
            closed = explain_status(conn, invoice) if invoice is not None and not invoice.editable else None
        if invoice is None or closed:
            text = (
                "That invoice no longer exists."
                if invoice is None
                else f"It can no longer be edited: {closed}"
            )
            tell(client, channel, body["user"]["id"], text, thread_ts)
            return
        ids = invoice_ids_in((body.get("message") or {}).get("blocks") or []) or [invoice_id]
        where = {"channel": channel, "ts": ts, "thread_ts": thread_ts, "ids": ids}
        view = edit_modal_view(invoice, modal_metadata(invoice, deps.today(), where))
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
