"""Money-moving actions wait for the person's explicit confirmation.

A skill that would approve, reject, send, void, mark paid or draft an invoice first answers
with a ``Proposal``: the exact action in words, kept in the thread's state as the pending action.
The same person then confirms it: "yes" in the same thread (terminal chat, Slack), or
``crmbot ask --yes --as EMAIL`` on the one-shot CLI. Anything else leaves it undone: a pending
action lives for one turn (``expire_after_turn``), and only for whoever it was proposed to. A
proposal the language model made from someone's words is said to be one, and ``--yes`` does not
confirm it: the person must see it first. Slack's own buttons (Approve / Reject) are
confirmations already and do not pass through here.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

PENDING_KEY = "pending_action"

_YES = re.compile(
    r"^\s*(?:yes|y|yep|yeah|confirm(?:ed)?|go ahead|do it)\b[\s,.!:-]*(?P<rest>.*?)[\s.!]*$", re.I
)
_NO = re.compile(r"^\s*(?:no|n|nope|cancel|stop|don'?t|do not|never ?mind|leave it)\b", re.I)
_FILLER = {"please", "thanks", "thank you", "do it", "go ahead", "confirm", "confirmed"}


@dataclass(frozen=True)
class PendingAction:
    """One action waiting for its confirmation: what, on what, for whom, proposed by whom."""

    skill: str  # the skill that will run it
    action: str  # approve, reject, send, cancel, mark_paid, draft
    args: dict  # the skill's typed arguments, as data
    what: str  # the action in a few words: "approve invoice INV-2026-00042"
    summary: (
        str  # the exact action with its facts: "approve invoice INV-2026-00042 (Acme, USD 9,500.00, ...)"
    )
    actor_id: int | None  # the only person who may confirm it
    reference: str  # what the action is on: an invoice number or "deal 12"
    proposed_by: str = "rules"  # "rules" (the person's own words) or "llm" (the model's reading)
    version: int | None = None  # the invoice's version when proposed: a confirmation acts on that one

    def to_state(self) -> dict:
        return asdict(self)

    @classmethod
    def from_state(cls, state: dict | None) -> PendingAction | None:
        if not isinstance(state, dict):
            return None
        try:
            return cls(**state)
        except TypeError:  # a state from another version of crmbot: nothing is pending
            return None


@dataclass
class Proposal:
    """The answer to a money-moving request: nothing done yet, and how to confirm it."""

    pending: PendingAction
    how_to_confirm: str
    thread_before: dict | None = field(default=None, repr=False)  # kept beside the pending action

    @property
    def text(self) -> str:
        model = (
            " (This is how the language model read your message; check it before you confirm.)"
            if self.pending.proposed_by == "llm"
            else ""
        )
        return f"I'm about to {self.pending.summary}.{model} Nothing has changed yet. {self.how_to_confirm}"

    def thread_state(self) -> dict:
        return {**(self.thread_before or {}), PENDING_KEY: self.pending.to_state()}


def how_to_confirm(channel: str, pending: PendingAction) -> str:
    """What to do to confirm, in the words of the front end the person is using."""
    if channel == "cli":
        return (
            "To do it, run the same command again with --yes and --as <your email> "
            "(crmbot ask --yes --as you@example.com ...)."
        )
    where = " in this thread" if channel == "slack" else ""
    return (
        f"Reply 'yes' to {pending.action.replace('_', ' ')} {pending.reference}{where}, or 'no' to leave it."
    )


def pending_in(thread: dict | None, skill: str) -> PendingAction | None:
    """The action the thread is waiting to have confirmed, if it belongs to ``skill``."""
    pending = PendingAction.from_state((thread or {}).get(PENDING_KEY))
    return pending if pending is not None and pending.skill == skill else None


def is_confirmation(text: str, pending: PendingAction) -> bool:
    """ "yes" alone (or with "please"), or "yes" and the same action on the same thing
    ("yes, approve INV-2026-00042"); "yes, reject it" to a proposed approval is not one."""
    found = _YES.match(text or "")
    if not found:
        return False
    rest = found.group("rest").lower().strip(" ,.!")
    if not rest or rest in _FILLER:
        return True
    same_thing = re.search(rf"(?<![\w-]){re.escape(pending.reference.lower())}(?![\w-])", rest)
    return bool(same_thing) and pending.action.replace("_", " ") in rest.replace("_", " ")


def is_refusal(text: str) -> bool:
    return bool(_NO.match(text or ""))


def without_pending(thread: dict | None) -> dict | None:
    """The thread's state with any pending action dropped."""
    if not thread or PENDING_KEY not in thread:
        return thread
    return {k: v for k, v in thread.items() if k != PENDING_KEY}


def expire_after_turn(thread_before: dict | None, reply_state: dict | None) -> dict | None:
    """The thread state after a turn: a pending action the turn did not renew is dropped, so
    that "yes" confirms only the action proposed just before it."""
    if reply_state is not None:
        return reply_state
    if thread_before and PENDING_KEY in thread_before:
        return without_pending(thread_before) or {}
    return None
