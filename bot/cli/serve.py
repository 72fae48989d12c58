"""`crmbot serve`: the Slack bot in Socket Mode (SLACK_APP_TOKEN set), else the web app over HTTP.

Over HTTP one ASGI app (bot/api) carries the JSON API under /api and, when Slack is configured,
Slack's events, commands and buttons on /slack/events; uvicorn serves it (bot/api/server.py).
"""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, TodayOption, fail, open_db, resolve_db, resolve_today


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: str = DbOption,
    http: bool = typer.Option(
        False, "--http", help="Serve over HTTP (the API and Slack) even when SLACK_APP_TOKEN is set."
    ),
    host: str = typer.Option("0.0.0.0", help="HTTP: address to listen on."),
    port: int = typer.Option(
        3000, min=1, max=65535, help="HTTP: port (the API under /api, Slack on /slack/events)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="HTTP: worker processes sharing the port; about one per CPU core."
    ),
    today: str = TodayOption,
    with_worker: bool = typer.Option(
        False, "--with-worker", help="Also run `crmbot worker` (insight alerts, schedules) beside the bot."
    ),
) -> None:
    """Run the Slack bot and the HTTP API."""
    import logging

    from crmbot.settings import get_settings

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # checked, then closed: worker processes open their own connections
    open_db(db, need_project_tables=True).dispose()
    resolve_today(today)  # a clear error for a bad date, before anything starts
    db_url = resolve_db(db)
    if with_worker:
        from bot.cli.worker import start_beside

        start_beside(db_url, today)  # a child process, stopped with serve
    if settings.slack_app_token is not None and not http:
        _serve_socket_mode(settings, db_url, today)
        return
    _serve_http(settings, db_url, today, host, port, workers)


def _serve_socket_mode(settings, db_url: str, today: str | None) -> None:
    from datetime import date

    from bot.slack.app import create_app
    from bot.slack.deps import SlackDeps
    from bot.slack.startup import SlackStartupError, check_tokens, serve_socket_mode

    try:  # a bad token is one clear line, before anything starts
        socket_url = check_tokens(settings, socket_mode=True)
    except SlackStartupError as exc:
        fail(str(exc))
    fixed = date.fromisoformat(today) if today else None
    try:
        app = create_app(
            SlackDeps(settings=settings, db_url=db_url, today=(lambda: fixed) if fixed else date.today)
        )
    except ValueError as exc:
        fail(str(exc))
    connected = lambda: typer.echo("crmbot is connected to Slack in Socket Mode. Ctrl-C to stop.")  # noqa: E731
    try:
        serve_socket_mode(app, settings, socket_url, on_connected=connected)
    except SlackStartupError as exc:
        fail(str(exc))


def _serve_http(settings, db_url: str, today: str | None, host: str, port: int, workers: int) -> None:
    from bot.api.rate_limit import KeyRateLimit
    from bot.api.server import serve

    slack = settings.slack_bot_token is not None
    if slack and not settings.slack_signing_secret:
        fail("Set SLACK_SIGNING_SECRET to serve Slack over HTTP: requests are verified with it.")
    if slack:
        from bot.slack.startup import SlackStartupError, check_tokens

        try:  # a bad bot token is one clear line, before any worker starts
            check_tokens(settings, socket_mode=False)
        except SlackStartupError as exc:
            fail(str(exc))
    _check_api_keys_table(db_url)
    try:
        KeyRateLimit(settings.api_rate_limit, settings.api_rate_limit_storage)
    except Exception as exc:  # noqa: BLE001 - a bad rate or storage URI: say which, and stop
        fail(str(exc))
    _check_port_free(host, port)
    where = f"http://{host}:{port}"
    served = f"the API on {where}/api (docs: {where}/docs)"
    served += f" and Slack on {where}/slack/events" if slack else " (no Slack: SLACK_BOT_TOKEN is not set)"
    typer.echo(f"crmbot serves {served} with {workers} worker(s). Ctrl-C to stop.", err=True)
    serve(settings, host, port, workers, db_url=db_url, today=today, slack=slack)


def _check_api_keys_table(db_url: str) -> None:
    from sqlalchemy import inspect

    from db.api_keys import API_KEYS_TABLE
    from db.engine import get_engine

    engine = get_engine(db_url)
    try:
        present = API_KEYS_TABLE in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if not present:
        fail(f"This database lacks the {API_KEYS_TABLE} table. Run `crmbot db upgrade` first.")


def _check_port_free(host: str, port: int) -> None:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.")
