"""The invoice Edit modal's submission: read the whole form (no database) and ack, then edit and
redraw.

Slack sends every input's current value. The form is read strictly before the ack: an unreadable
amount or a due date out of bounds is answered in the ack itself (Slack shows the error under its
field, the modal stays open, and nothing changes). Everything that needs the database happens
after the ack: what changed is worked out against the invoice, and the edit claims the version
the editor was shown; if someone changed the invoice meanwhile nothing is saved and the editor is
told who did, privately. The whole message is then redrawn from the database.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor
from bot.slack.listeners import Wiring
from bot.slack.replies import cannot_post, note_text


def field_errors(body: dict) -> dict | None:
    """The ack's answer for input that cannot be read, or None to accept the submission."""
    from bot.render.invoice_modal import read_edit_form, read_metadata, submission_errors

    view = body["view"]
    _, errors = read_edit_form(view["state"]["values"], read_metadata(view.get("private_metadata")))
    return submission_errors(errors) if errors else None


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def edit_submitted(body: dict) -> None:
        from bot.render.invoice_modal import read_edit_form, read_metadata
        from bot.slack.invoice_messages import redraw
        from tools.invoices import flow
        from tools.invoices.views import load_view

        client = wiring.client
        view = body["view"]
        meta = read_metadata(view.get("private_metadata"))
        user = body["user"]["id"]

        def tell(text: str) -> None:
            """Privately, beside the invoice's message; in the person's DM with the bot where it can't post."""
            where = {"thread_ts": meta["thread_ts"]} if meta.get("thread_ts") else {}
            try:
                client.chat_postEphemeral(
                    channel=meta.get("channel") or user, user=user, text=note_text(text), **where
                )
            except SlackApiError as exc:
                if not cannot_post(exc):
                    raise
                client.chat_postMessage(channel=user, text=note_text(text))

        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            tell(UNKNOWN_USER_TEXT)
            return
        if not str(meta.get("invoice_id", "")).isdigit():  # a modal drawn by an older version
            tell("I could not tell which invoice that was; please click Edit on it again. Nothing was saved.")
            return
        form, _ = read_edit_form(view["state"]["values"], meta)  # checked before the ack
        invoice_id = int(meta["invoice_id"])
        with deps.engine.connect() as conn:
            current = load_view(conn, invoice_id)
        if current is None:
            tell("That invoice no longer exists.")
            return
        changes = flow.form_changes(current, form)
        if not changes:
            tell(f"Nothing changed on {current.number}.")
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
        ids = [int(i) for i in meta.get("ids") or [invoice_id]]
        redraw(deps.engine, client, meta.get("channel"), meta.get("ts"), ids)
        if not result.ok:
            tell(result.message)

    wiring.on("view:invoice_edit_modal", app.view("invoice_edit_modal"), edit_submitted, check=field_errors)
