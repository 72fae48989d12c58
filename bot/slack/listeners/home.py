"""The App Home tab: my pipeline, my accounts at risk, my pending approvals, what to ask."""

from __future__ import annotations

from decimal import Decimal

from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor
from bot.slack.listeners import Wiring


def register(wiring: Wiring) -> None:
    deps, app = wiring.deps, wiring.app

    def home_opened(body: dict) -> None:
        from bot.render import section, to_blocks
        from tools.home import home_summary

        event = body["event"]
        client = wiring.client
        actor = resolve_actor(deps.engine, client, event["user"])
        if actor is None:
            blocks = [section(UNKNOWN_USER_TEXT)]
        else:
            limit = Decimal(str(deps.settings.invoice_admin_only_above))
            blocks = to_blocks(home_summary(deps.engine, actor, deps.today(), admin_only_above=limit))
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": blocks})

    wiring.on(
        "event:app_home_opened",
        app.event("app_home_opened", matchers=[lambda event: event.get("tab", "home") == "home"]),
        home_opened,
    )
    app.event("app_home_opened")(lambda ack: ack())  # the Messages tab: nothing to draw
