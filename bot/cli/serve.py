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
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="HTTP mode: worker processes sharing the port (pre-fork); about the number of CPU cores is right.",
    ),
    today: str = TodayOption,
    with_worker: bool = typer.Option(
        False, "--with-worker", help="Also run `crmbot worker` (insight alerts, schedules) beside the bot."
    ),
) -> None:
    """Run the Slack bot."""
    import logging
    import os
    from datetime import date

    from bot.slack.deps import SlackDeps
    from crmbot.settings import get_settings

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # checked, then closed: a worker forked later must not inherit an open database connection
    open_db(db, need_project_tables=True).dispose()
    fixed = date.fromisoformat(today) if today else None
    db_url = resolve_db(db)

    def make_deps() -> SlackDeps:
        return SlackDeps(settings=settings, db_url=db_url, today=(lambda: fixed) if fixed else date.today)

    if not settings.slack_bot_token:
        fail(
            "Set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) to run the Slack bot; see README."
        )
    socket_mode = settings.slack_app_token is not None and not http
    if not socket_mode and not settings.slack_signing_secret:
        fail("Set SLACK_SIGNING_SECRET to serve Slack over HTTP: requests are verified with it.")
    if with_worker:
        from bot.cli.worker import start_beside

        start_beside(db_url, today)
    if workers > 1:
        if socket_mode:
            fail("--workers is for HTTP mode (--http); Socket Mode runs in one process.")
        if not hasattr(os, "fork"):
            fail("--workers needs os.fork (Linux or macOS); run one process per port instead.")
        _serve_workers(make_deps, host, port, workers)
        return

    from bot.slack.app import create_app

    try:
        app = create_app(make_deps())
    except ValueError as exc:
        fail(str(exc))
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        typer.echo("crmbot is connected to Slack in Socket Mode. Ctrl-C to stop.")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    from bot.slack.http import make_http_server

    server = make_http_server(app, host, port)
    typer.echo(f"crmbot listens for Slack on http://{host}:{port}/slack/events. Ctrl-C to stop.", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def _serve_workers(make_deps, host: str, port: int, workers: int) -> None:
    """Pre-fork: each worker builds its own app, client and engine after the fork."""
    import bot.slack.listeners  # noqa: F401 - imported once in the parent, shared by every worker
    from bot.slack.app import create_app
    from bot.slack.workers import serve_workers

    typer.echo(
        f"crmbot listens for Slack on http://{host}:{port}/slack/events with {workers} workers. "
        "Ctrl-C to stop.",
        err=True,
    )
    try:
        status = serve_workers(lambda: create_app(make_deps()), host, port, workers)
    except OSError as exc:
        fail(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.")
    if status:
        raise typer.Exit(status)
