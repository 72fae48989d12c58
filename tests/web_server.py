"""The web app (API and Slack's endpoint) served by uvicorn on a thread of the test process.

For tests that drive a bolt App built in the test (tests/test_slack.py); the API's own tests
start `crmbot serve --http` as a real subprocess instead (tests/api_server.py).
"""

from __future__ import annotations

from datetime import date


def start_web_app(slack_app, db_url: str, today: date):
    """Serve ``slack_app`` on /slack/events (and the API) on 127.0.0.1; ``.url`` and ``.stop()``."""
    from bot.api.app import create_app
    from bot.api.deps import ApiDeps
    from bot.api.server import serve_in_background
    from crmbot.settings import get_settings

    settings = get_settings()
    web_app = create_app(ApiDeps(settings=settings, db_url=db_url, today=lambda: today), slack_app)
    return serve_in_background(web_app, settings)
