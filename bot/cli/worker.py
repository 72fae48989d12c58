"""`crmbot worker`: keep insights current as the CRM changes, deliver alerts, run schedules."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, TodayOption, fail, resolve_db
from bot.cli.proactive_common import open_proactive_db, slack_client


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    db: str = DbOption,
    today: str = TodayOption,
    poll_interval: float = typer.Option(
        None,
        "--poll-interval",
        min=0.05,
        help="Seconds between looks for work when idle (default CRMBOT_WORKER_POLL_S).",
    ),
    batch: int = typer.Option(50, "--batch", min=1, max=1000, help="Companies re-scored per transaction."),
    schedules: bool = typer.Option(True, "--schedules/--no-schedules", help="Also run scheduled reports."),
    clock_start: str = typer.Option(
        None, "--clock-start", hidden=True, help="Tests: a scaled clock's start (ISO, UTC)."
    ),
    clock_speed: float = typer.Option(
        None, "--clock-speed", hidden=True, min=1.0, help="Tests: schedules' clock speed."
    ),
    parent_pid: int = typer.Option(None, "--parent-pid", hidden=True, help="Stop when this process is gone."),
) -> None:
    """Run until SIGTERM or Ctrl-C; several workers may share one database (each job is done once)."""
    import logging
    import signal
    import threading
    from datetime import UTC, date, datetime

    from bot.proactive.worker import Worker, WorkerOptions
    from crmbot.settings import get_settings
    from tools.proactive.clock import ScaledClock, SystemClock

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    fixed = None
    if today:
        try:
            fixed = date.fromisoformat(today)
        except ValueError:
            fail(f"'{today}' is not a date. Use YYYY-MM-DD, for example --today 2026-11-19.")
    clock = SystemClock()
    if clock_speed:
        start = datetime.fromisoformat(clock_start) if clock_start else datetime.now(UTC)
        clock = ScaledClock(start if start.tzinfo else start.replace(tzinfo=UTC), clock_speed)
    try:
        from tools.insights.config import InsightConfig

        InsightConfig.from_settings(settings)  # a broken health model file stops here, not in the loop
    except ValueError as exc:
        fail(str(exc))
    engine = open_proactive_db(db)
    client = slack_client(settings)
    if client is None:
        typer.echo("SLACK_BOT_TOKEN is not set: alerts go to the log and schedules cannot post.", err=True)
    stop = threading.Event()

    def on_signal(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    options = WorkerOptions(
        poll_interval_s=poll_interval or settings.worker_poll_s,
        batch_companies=batch,
        alerts_per_hour=settings.alerts_per_hour,
        alert_channel=settings.slack_alert_channel,
        run_schedules=schedules,
        parent_pid=parent_pid,
    )
    runner = Worker(
        engine,
        resolve_db(db),
        client=client,
        clock=clock,
        today=(lambda: fixed) if fixed else None,
        options=options,
        stop=stop,
    )
    typer.echo(f"crmbot worker {runner.worker_id} started. SIGTERM or Ctrl-C stops it.", err=True)
    stats = runner.run()
    typer.echo(f"crmbot worker stopped: {stats.as_dict()}", err=True)


def start_beside(db_url: str, today: str | None) -> None:
    """`crmbot serve --worker`: the worker in a process of its own, which stops when serve stops.

    A process, not a thread: serve forks its HTTP workers, and a forking process must run no thread.
    """
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "bot.cli", "worker", "--db", db_url, "--parent-pid", str(os.getpid())]
    if today:
        command += ["--today", today]
    subprocess.Popen(command)  # noqa: S603 - our own command line
    typer.echo("crmbot worker started beside the bot (alerts and schedules).", err=True)
