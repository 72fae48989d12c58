"""A proposed money-moving action, waiting for the person's confirmation (bot/confirm.py)."""

from __future__ import annotations

from bot.confirm import Proposal
from bot.render import section, to_blocks, to_data, to_text


@to_text.register
def _(result: Proposal) -> str:
    return result.text


@to_blocks.register
def _(result: Proposal) -> list[dict]:
    return [section(f":raised_hand: {result.text}")]


@to_data.register
def _(result: Proposal) -> dict:
    pending = result.pending
    return {
        "answer": result.text,
        "kind": "confirm",
        "refused": False,
        "reason": None,
        "done": False,  # nothing has changed; the action waits for its confirmation
        "pending_action": {
            "action": pending.action,
            "on": pending.reference,
            "summary": pending.summary,
            "proposed_by": pending.proposed_by,
            "how_to_confirm": result.how_to_confirm,
        },
        "columns": [],
        "rows": [],
        "sql": None,
        "chart": None,
    }
