"""`crmbot serve`: the Slack bot, in Socket Mode when SLACK_APP_TOKEN is set, else over HTTP."""

from __future__ import annotations

import contextlib

import typer

from bot.cli.common import DbOption, TodayOption, fail, open_db, resolve_db


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: str = DbOption,
    http: bool = typer.Option(False, "--http", help="HTTP mode even when SLACK_APP_TOKEN is set."),
    host: str = typer.Option("0.0.0.0", help="HTTP mode: address to listen on."),
    port: int = typer.Option(
        3000, help="HTTP mode: port (events, commands and interactivity on /slack/events)."
    ),
    today: str = TodayOption,
) -> None:
    """Run the Slack bot."""
    import logging
    from datetime import date

    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    open_db(db, need_project_tables=True)
    fixed = date.fromisoformat(today) if today else None
    deps = SlackDeps(settings=settings, db_url=resolve_db(db), today=(lambda: fixed) if fixed else date.today)
    if not settings.slack_bot_token:
        fail(
            "Set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) to run the Slack bot; see README."
        )
    try:
        app = create_app(deps)
    except ValueError as exc:
        fail(str(exc))
    if settings.slack_app_token and not http:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        typer.echo("crmbot is connected to Slack in Socket Mode. Ctrl-C to stop.")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    from bot.slack.http import make_http_server

    server = make_http_server(app, host, port)
    typer.echo(f"crmbot listens for Slack on http://{host}:{port}/slack/events. Ctrl-C to stop.", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
