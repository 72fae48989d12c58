"""Buttons: invoice Approve / Reject / Edit, and a report's Show SQL / Right / Wrong answer.

Acked by the inbox before any work (bot/slack/listeners/__init__.py); the work below runs after.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.slack import threads
from bot.slack.identity import UNKNOWN_USER_TEXT, clicker, resolve_actor
from bot.slack.listeners import Wiring
from bot.slack.replies import tell, where_clicked

log = logging.getLogger(__name__)

LOADING_TEXT = "Loading the invoice…"


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def transition(action_name: str, body: dict) -> None:
        """Approve / reject exactly the version the message showed, then redraw the whole message
        from the database (a stale click changes nothing and shows the current version)."""
        from bot.render.invoices import invoice_ids_in, parse_button_value
        from bot.slack.invoice_messages import redraw
        from tools.invoices import flow

        client = wiring.client
        actor = clicker(deps.engine, client, body)
        if actor is None:
            return
        invoice_id, shown_version = parse_button_value(body["actions"][0]["value"])
        act = getattr(flow, action_name)
        result = act(deps.engine, invoice_id, actor, datetime.now(), expected_version=shown_version)
        out_of_date = result.invoice is not None and result.invoice.version != shown_version
        if result.ok or result.stale or out_of_date:  # a refusal on an up-to-date message changes nothing
            channel, ts = where_clicked(body)
            ids = invoice_ids_in((body.get("message") or {}).get("blocks") or []) or [invoice_id]
            ids = ids if invoice_id in ids else [*ids, invoice_id]
            redraw(deps.engine, client, channel, ts, ids, response_url=body.get("response_url"))
        if not result.ok:
            tell(client, body, result.message)

    wiring.on(
        "action:invoice_approve", app.action("invoice_approve"), lambda body: transition("approve", body)
    )
    wiring.on("action:invoice_reject", app.action("invoice_reject"), lambda body: transition("reject", body))

    def edit(body: dict) -> None:
        """Open the modal at once (a trigger id lives 3 seconds), then fill it from the database: the
        invoice as it is now, with the version shown and the message to redraw in its metadata."""
        from bot.render.invoice_modal import edit_modal_view, modal_metadata, notice_view
        from bot.render.invoices import invoice_ids_in, parse_button_value
        from tools.invoices.audit import explain_status
        from tools.invoices.views import load_view

        client = wiring.client
        try:
            opened = client.views_open(trigger_id=body["trigger_id"], view=notice_view(LOADING_TEXT))["view"]
        except SlackApiError as exc:
            log.warning("could not open the edit modal: %s", exc.response.get("error"))
            tell(client, body, "That took too long to open; please click Edit again.")
            return
        invoice_id, _ = parse_button_value(body["actions"][0]["value"])
        with deps.engine.connect() as conn:
            invoice = load_view(conn, invoice_id)
            closed = explain_status(conn, invoice) if invoice is not None and not invoice.editable else None
        outside = _outside_scope(invoice, body)
        if invoice is None or closed or outside:
            problem = outside or (
                "That invoice no longer exists."
                if invoice is None
                else f"It can no longer be edited: {closed}"
            )
            view = notice_view(problem)
        else:
            problem = None
            channel, ts = where_clicked(body)
            message = body.get("message") or {}
            ids = invoice_ids_in(message.get("blocks") or []) or [invoice_id]
            where = {"channel": channel, "ts": ts, "thread_ts": message.get("thread_ts"), "ids": ids}
            view = edit_modal_view(invoice, modal_metadata(invoice, deps.today(), where))
        try:
            client.views_update(view_id=opened["id"], hash=opened.get("hash"), view=view)
        except SlackApiError as exc:  # closed meanwhile: nothing to fill
            log.info("could not fill the edit modal: %s", exc.response.get("error"))
            if problem:
                tell(client, body, problem)

    def _outside_scope(invoice, body: dict) -> str | None:
        """Not the clicker's to see: the modal shows nothing of the invoice."""
        from tools.scope import actor_company_problem

        if invoice is None:
            return None
        actor = resolve_actor(deps.engine, wiring.client, body["user"]["id"])
        if actor is None:  # a stranger's submission is refused with its own words
            return None
        return actor_company_problem(deps.engine, actor, invoice.company_id, invoice.company_name)

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
        from tools.audit import record_action
        from tools.scope import role_scope

        who = actor.label
        record_feedback(deps.engine, saved["question"], saved["sql"], verdict, who)
        record_action(actor, f"rated {verdict}: {saved['question']}", refused=False, answer_kind="feedback")
        if verdict == "right" and role_scope(actor) != "all":
            # a scoped answer's SQL reads one person's accounts: no example for everyone else
            tell(client, body, "Thanks! I've noted that this answer was right.")
        elif verdict == "right":
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
