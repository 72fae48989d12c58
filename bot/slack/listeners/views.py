"""The invoice Edit modal's submission: read the whole form, ack, then edit and redraw.

Slack sends every input's current value; the form is read strictly (an unreadable amount or a
due date out of bounds is shown under its field, and nothing changes), then acknowledged before
any database work. What changed is worked out against the invoice as the editor was shown it,
and the edit claims that version: if someone changed the invoice meanwhile nothing is saved and
the editor is told who did, privately. The whole message is then redrawn from the database.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor


def register(app: App, deps: SlackDeps) -> None:
    @app.view("invoice_edit_modal")
    def edit_submitted(ack, body, view, client):
        from bot.render.invoice_modal import read_edit_form, read_metadata, submission_errors

        meta = read_metadata(view.get("private_metadata"))
        form, errors = read_edit_form(view["state"]["values"], meta)
        if errors:
            ack(**submission_errors(errors))  # malformed input: nothing changes
            return
        ack()
        _apply(meta, form, body["user"]["id"], client)

    def _apply(meta: dict, form: dict, user: str, client) -> None:
        from bot.slack.invoice_messages import redraw, tell
        from tools.invoices import flow
        from tools.invoices.views import load_view

        channel, thread_ts = meta.get("channel"), meta.get("thread_ts")
        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            tell(client, channel, user, UNKNOWN_USER_TEXT, thread_ts)
            return
        invoice_id = int(meta["invoice_id"])
        with deps.engine.connect() as conn:
            current = load_view(conn, invoice_id)
        if current is None:
            tell(client, channel, user, "That invoice no longer exists.", thread_ts)
            return
        changes = flow.form_changes(current, form)
        if not changes:
            tell(client, channel, user, f"Nothing changed on {current.number}.", thread_ts)
            return
        shown = meta.get("version")
        result = flow.edit(
            deps.engine,
            invoice_id,
            actor,
            datetime.now(),
            changes,
            expected_version=int(shown) if shown is not None else None,
        )
        redraw(
            deps.engine, client, channel, meta.get("ts"), [int(i) for i in meta.get("ids") or [invoice_id]]
        )
        if not result.ok:
            tell(client, channel, user, result.message, thread_ts)
