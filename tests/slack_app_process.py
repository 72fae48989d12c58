"""The Slack app over HTTP in a process of its own, for tests that kill it:

    python -m tests.slack_app_process DB_URL PORT

Settings come from the environment (tests.slack_app.slack_environment). Prints "ready" once serving.
"""

from __future__ import annotations

import sys


def main() -> None:
    import time
    from datetime import date

    from bot.api.app import create_app as create_web_app
    from bot.api.deps import ApiDeps
    from bot.api.server import serve_in_background
    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings

    db_url, port = sys.argv[1], int(sys.argv[2])
    settings, today = get_settings(), (lambda: date(2026, 11, 19))
    app = create_app(SlackDeps(settings=settings, db_url=db_url, today=today))
    web = create_web_app(ApiDeps(settings=settings, db_url=db_url, today=today), app)
    serve_in_background(web, settings, port=port)  # the web app `crmbot serve --http` runs (uvicorn)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
