"""The Slack app over HTTP in a process of its own, for tests that kill it:

    python -m tests.slack_app_process DB_URL PORT

Settings come from the environment (tests.slack_app.slack_environment). Prints "ready" once serving.
"""

from __future__ import annotations

import sys


def main() -> None:
    from datetime import date

    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from bot.slack.http import make_http_server
    from crmbot.settings import get_settings

    db_url, port = sys.argv[1], int(sys.argv[2])
    app = create_app(SlackDeps(settings=get_settings(), db_url=db_url, today=lambda: date(2026, 11, 19)))
    server = make_http_server(app, "127.0.0.1", port)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
