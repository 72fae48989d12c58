"""Listeners by kind, each module with a ``register(wiring)``.

Every Slack request is handled in two halves. The bolt listener, on the request's own thread,
only checks what needs no database (a modal's input format), records the request in the durable
inbox and acks: no listener thread, database lock or Slack call stands between a request and its
ack. The answer (``work(body)``) runs afterwards on the inbox's worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.dedupe import request_keys
from bot.slack.deps import SlackDeps
from bot.slack.inbox import Inbox


@dataclass
class Wiring:
    app: App
    deps: SlackDeps
    inbox: Inbox
    work: dict[str, Callable[[dict], None]] = field(default_factory=dict)

    @property
    def client(self) -> WebClient:
        return self.app.client

    def on(
        self,
        kind: str,
        register: Callable,
        work: Callable[[dict], None],
        *,
        check: Callable[[dict], dict | None] | None = None,
    ) -> None:
        """Handle requests of ``kind``: ``register`` is bolt's decorator for them (``app.command("/crm")``),
        ``work(body)`` answers after the ack, and ``check(body)`` may answer at once instead with the
        ack's own payload (e.g. a modal's field errors), recording nothing."""
        self.work[kind] = work
        inbox = self.inbox

        def accept(ack, body):
            if check is not None:
                refusal = check(body)
                if refusal is not None:
                    ack(**refusal)
                    return
            # the legacy verification token is a secret and no part of the work: not stored
            item = inbox.accept(kind, {k: v for k, v in body.items() if k != "token"}, request_keys(body))
            ack()
            if item is not None:
                inbox.submit(item)

        accept.__name__ = f"accept_{kind.replace(':', '_').replace('/', '')}"
        register(accept)

    def run(self, kind: str, body: dict) -> None:
        """The inbox's worker: answer one recorded request (the audit trail knows where it came from)."""
        from tools.audit import current_place

        token = current_place.set(slack_place(body))
        try:
            self.work[kind](body)
        finally:
            current_place.reset(token)


def slack_place(body: dict) -> str:
    """Where a Slack request came from, for the audit trail: "slack channel C123", "slack DM D123"."""
    event = body.get("event") or {}
    channel = (
        event.get("channel")
        or body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
    )
    if channel:
        return f"slack {'DM' if str(channel).startswith('D') else 'channel'} {channel}"
    if body.get("view") or body.get("type") == "view_submission":
        return "slack modal"
    return "slack"


def register_all(wiring: Wiring) -> None:
    from bot.slack.listeners import actions, commands, events, home, proactive, views

    # proactive first: its listeners match only their own requests (bolt runs the first that matches)
    for module in (proactive, events, commands, actions, views, home):
        module.register(wiring)
