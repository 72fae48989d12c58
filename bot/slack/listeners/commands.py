"""`/crm`: help and the sub-commands (sql, insights, leads, invoice), acked at once."""

from __future__ import annotations

from bot.slack.answer import Where, answer
from bot.slack.listeners import Wiring

# /crm <sub-command> <rest>  ->  the words the router understands
SUBCOMMANDS = {
    "sql": "sql {rest}",
    "insights": "how is {rest} doing",
    "health": "how is {rest} doing",
    "leads": "{rest}",
    "lead": "score lead {rest}",
    "invoice": "{rest}",
    "invoices": "{rest}",
    "help": "help",
}
DEFAULTS = {"leads": "my best leads", "invoice": "pending approvals", "invoices": "pending approvals"}


def command_text(text: str) -> str:
    """Turn `/crm insights Acme` into 'how is Acme doing'; anything else is a plain question."""
    text = (text or "").strip()
    if not text:
        return "help"
    head, _, rest = text.partition(" ")
    template = SUBCOMMANDS.get(head.lower())
    if template is None:
        return text
    rest = rest.strip()
    if not rest:
        return DEFAULTS.get(head.lower(), "help")
    if head.lower() in ("invoice", "invoices") and not rest.lower().startswith(
        ("invoice", "draft", "approve", "reject", "check", "pending", "show", "send")
    ):
        rest = f"invoice {rest}"
    return template.format(rest=rest)


def register(wiring: Wiring) -> None:
    deps = wiring.deps

    def crm(body: dict) -> None:
        where = Where(
            user=body["user_id"],
            channel=body["channel_id"],
            thread_ts=None,
            response_url=body.get("response_url"),
            # a DM channel is the asker's own with the app when the app can post there (else: shared)
            shared=not body["channel_id"].startswith("D"),
        )
        answer(deps, wiring.client, where, command_text(body.get("text", "")))

    wiring.on("command:/crm", wiring.app.command("/crm"), crm)
