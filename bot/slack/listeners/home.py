"""The App Home tab: my pipeline, my accounts at risk, my pending approvals, what to ask."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    def home_opened(event, client):
        from bot.render import section, to_blocks
        from tools.home import home_summary

        if event.get("tab", "home") != "home":
            return
        actor = resolve_actor(deps.engine, client, event["user"])
        if actor is None:
            blocks = [section(UNKNOWN_USER_TEXT)]
        else:
            blocks = to_blocks(home_summary(deps.engine, actor, deps.today()))
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": blocks})
