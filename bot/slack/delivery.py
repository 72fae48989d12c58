"""Answers that name customers, asked in a shared place: where they go (CRMBOT_CHANNEL_ANSWERS).

``thread`` (the default) answers in the channel's thread, as for any answer. ``ephemeral`` answers
only to the asker, in the channel (Slack's ephemeral message: no chart or CSV file, which Slack
cannot show to one person). ``dm`` answers in the asker's DM with the app, with its chart and
follow-ups there, and leaves a private note where the question was asked. A shared place is any
channel but the asker's own DM with the app: a public or private channel, a group DM, a DM between
two people. The audit trail is answered only to the asker in a shared place, whatever the setting.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.render import MAX_BLOCKS, context

NOTE_IN_DM = "I sent you the answer in a direct message: it names customers, and this channel is shared."
NOTE_EPHEMERAL = "Only you can see this answer: it names customers. Ask me in a DM for its chart or CSV file."
# results that never name a customer: words about words, who you are, help
NEUTRAL_RESULTS = frozenset({"Explanation", "HealthModel", "Identity"})


def names_customers(result) -> bool:
    """Whether an answer shows customers' names (or records that carry them): conservative."""
    name = type(result).__name__
    if name == "ReportResult":
        if getattr(result, "source", None) == "audit":
            return True
        if result.refused:
            return bool(result.choices)  # a question back may list accounts
        if result.source in ("sql", "llm"):
            return bool(result.rows)  # a person's own SQL can return anything
        if {c.lower() for c in result.columns} & {"customer", "company", "account", "lead", "contact"}:
            return True
        filters = (result.query or {}).get("filters") or []
        return any(f.get("dimension") == "customer" for f in filters)
    if name == "Message":
        return bool(result.choices)  # "which one did you mean": accounts, leads, invoices
    return name not in NEUTRAL_RESULTS


def always_private(result) -> bool:
    """The audit trail: people's words; never shown to a channel."""
    return type(result).__name__ == "ReportResult" and getattr(result, "source", None) == "audit"


def private_mode(policy: str, shared: bool, result) -> str | None:
    """ "ephemeral" or "dm" when this answer must reach the asker only; None: answer as usual."""
    if not shared:
        return None
    if always_private(result):
        return "dm" if policy == "dm" else "ephemeral"
    if policy in ("ephemeral", "dm") and names_customers(result):
        return policy
    return None


def send_privately(deps, client: WebClient, where, reply, mode: str) -> tuple[str, str | None] | None:
    """Deliver ``reply`` to the asker only; (channel, thread) where follow-ups continue, or None."""
    from bot.slack.answer import tell_privately
    from bot.slack.replies import blocks_for, fallback_text, respond

    result = reply.result
    if mode == "dm":
        response = client.chat_postMessage(
            channel=where.user, text=fallback_text(result), blocks=blocks_for(result)
        )
        channel, ts = response["channel"], response["ts"]
        for path in reply.meta.get("files", []):
            from pathlib import Path

            from bot.slack.replies import upload_file

            upload_file(client, channel, ts, Path(path), result)
        tell_privately(client, where, NOTE_IN_DM)
        return channel, ts
    blocks = blocks_for(result)
    blocks = blocks[: MAX_BLOCKS - 1] + [context(NOTE_EPHEMERAL)]
    text = fallback_text(result)
    if where.response_url and respond(
        where.response_url, text=text, blocks=blocks, response_type="ephemeral"
    ):
        return None
    client.chat_postEphemeral(
        channel=where.channel, user=where.user, text=text, blocks=blocks, thread_ts=where.note_thread_ts
    )
    return None
