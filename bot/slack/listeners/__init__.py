"""Listeners by kind, each module with a ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps


def register_all(app: App, deps: SlackDeps) -> None:
    from bot.slack.listeners import actions, commands, events, home, proactive, views

    # proactive first: its listeners match only their own requests (bolt runs the first that matches)
    for module in (proactive, events, commands, actions, views, home):
        module.register(app, deps)
