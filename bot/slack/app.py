"""The slack-bolt App factory.

Listeners are registered per kind from bot/slack/listeners/ and stay thin: they ack, find
who is asking, and hand the text to the router. The Web API base URL comes from settings
(SLACK_API_URL), so tests run the real app against a local mock Slack.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.slack.deps import SlackDeps
from crmbot.settings import Settings

# Answers wait on the database and on Slack's Web API as much as they compute: more threads than
# bolt's default 5 keep a burst of events moving (measured in bench/bench_slack.py).
LISTENER_THREADS = 16


def make_client(settings: Settings) -> WebClient:
    """A Web API client that retries on HTTP 429 (honouring Retry-After) and on connection errors."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


def create_app(deps: SlackDeps) -> App:
    """The bolt app with every listener registered; signatures are verified by bolt."""
    settings = deps.settings
    if not settings.slack_signing_secret and not settings.slack_app_token:
        raise ValueError(
            "Set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) to run the Slack bot."
        )
    app = App(
        client=make_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else None,
        logger=logging.getLogger("crmbot.slack"),
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="crmbot-slack"),
        # Socket Mode needs no signature; HTTP mode verifies it (missing, wrong or stale are refused).
        request_verification_enabled=settings.slack_signing_secret is not None,
    )
    from bot.slack.listeners import register_all

    register_all(app, deps)
    from bot.slack.dedupe import forget_older_than

    forget_older_than(deps.engine)  # Slack stops retrying within minutes; keep a week, not forever
    return app
