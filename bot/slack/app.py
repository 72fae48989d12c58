"""The slack-bolt App factory.

Bolt verifies each request's signature; our listeners then record it in the durable inbox and
ack at once, on the request's own thread (``process_before_response``: the HTTP answer or the
Socket Mode ack leaves when the listener returns, and the listener does nothing slow). Answers
run afterwards on the inbox's worker threads, in lanes, so a burst of slow reports never delays a
click: ``answers`` for questions, ``sql`` for people's own SQL, ``clicks`` for buttons, modal
submissions and App Home, ``modals`` for opening a modal (its trigger id lives 3 seconds).

The Web API base URL comes from settings (SLACK_API_URL), so tests run the real app against a
local mock Slack. This module does not depend on the HTTP server that carries the requests.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.slack.deps import SlackDeps
from bot.slack.inbox import Inbox
from bot.slack.logsafe import guard_slack_logs
from crmbot.settings import Settings

# Answers wait on the database and on Slack's Web API as much as they compute: more threads than
# bolt's default 5 keep a burst of events moving (measured in bench/bench_slack.py).
LISTENER_THREADS = 16
SQL_THREADS = 4
CLICK_THREADS = 4
MODAL_THREADS = 2
_OWN_SQL = re.compile(r"^\s*(?:<@\w+>\s*)*sql\b", re.IGNORECASE)  # "/crm sql ...", "@crmbot sql ..."


class CrmApp(App):
    """The bolt app, with the inbox that answers what it acked."""

    inbox: Inbox


def make_client(settings: Settings) -> WebClient:
    """A Web API client that retries on HTTP 429 (honouring Retry-After) and on connection errors."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(
        token=token, base_url=settings.slack_api_url, logger=logging.getLogger("slack_sdk.web")
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


def lane_of(kind: str, body: dict) -> str:
    """Which worker threads answer a request: people's own SQL can be slow, so it has threads of its
    own and never keeps a quick question or a click waiting."""
    if kind == "action:invoice_edit":
        return "modals"
    if kind.startswith(("action:", "view:")) or kind == "event:app_home_opened":
        return "clicks"
    text = body.get("text") if kind.startswith("command:") else (body.get("event") or {}).get("text")
    if _OWN_SQL.match(text or ""):
        return "sql"
    return "answers"


def create_app(deps: SlackDeps) -> CrmApp:
    """The bolt app with every listener registered, and its inbox started (what a stopped worker
    left is answered now)."""
    from bot.slack.listeners import Wiring, register_all
    from bot.slack.startup import SlackStartupError

    settings = deps.settings
    if not settings.slack_signing_secret and not settings.slack_app_token:
        raise ValueError(
            "Set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) to run the Slack bot."
        )
    guard_slack_logs()
    wiring: Wiring | None = None
    inbox = Inbox(
        deps.engine,
        work=lambda kind, body: wiring.run(kind, body),
        lanes={
            "answers": LISTENER_THREADS,
            "sql": SQL_THREADS,
            "clicks": CLICK_THREADS,
            "modals": MODAL_THREADS,
        },
        lane_of=lane_of,
    )
    try:
        app = CrmApp(
            client=make_client(settings),
            signing_secret=settings.slack_signing_secret.get_secret_value()
            if settings.slack_signing_secret
            else None,
            logger=logging.getLogger("crmbot.slack"),
            process_before_response=True,
            listener_executor=inbox.executors["answers"],
            # Socket Mode needs no signature; HTTP mode verifies it (missing, wrong or stale are refused).
            request_verification_enabled=settings.slack_signing_secret is not None,
        )
    except BoltError as exc:  # auth.test refused the bot token
        inbox.close()
        raise SlackStartupError(f"Slack refused SLACK_BOT_TOKEN: {str(exc).splitlines()[0][:200]}") from None
    app.inbox = inbox
    wiring = Wiring(app, deps, inbox)
    register_all(wiring)
    from bot.slack.dedupe import forget_older_than

    forget_older_than(deps.engine)  # Slack stops retrying within minutes; keep a week, not forever
    inbox.start()
    return app
