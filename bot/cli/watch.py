"""`crmbot watch install | uninstall | status`: change capture on the tables that feed insights."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, fail
from bot.cli.proactive_common import open_proactive_db

watch_app = typer.Typer(
    help="Change capture: tell crmbot's worker which customers changed, as they change.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(watch_app, name="watch")


@watch_app.command("install")
def install(
    db: str = DbOption,
    mode: str = typer.Option(
        "auto",
        "--mode",
        help="triggers (SQLite, PostgreSQL), polling (new rows by id, where triggers are not allowed), "
        "or auto: triggers, else polling.",
    ),
) -> None:
    """Install triggers on payments, invoices, support_tickets, activities, deals and companies."""
    from db.capture import CaptureError
    from db.capture import install as run_install

    engine = open_proactive_db(db)
    try:
        installed, what = run_install(engine, mode)
    except CaptureError as exc:
        fail(f"{exc} Nothing was changed; `crmbot watch install --mode polling` works without triggers.")
    if installed == "triggers":
        typer.echo(
            f"Change capture installed: {len(what)} triggers write changed companies to crmbot_changes"
            + (" and NOTIFY crmbot_changes." if engine.dialect.name == "postgresql" else ".")
        )
        return
    typer.echo(
        "Change capture installed in polling mode (new rows by id; updates reach insights at the next refresh)."
    )
    if mode == "auto":
        typer.echo("Triggers were refused by the database, so the worker polls instead.")
    for line in what:
        typer.echo(f"  {line}")


@watch_app.command("uninstall")
def uninstall(db: str = DbOption) -> None:
    """Remove crmbot's triggers; the team's tables are left exactly as they were."""
    from db.capture import uninstall as run_uninstall

    engine = open_proactive_db(db)
    with engine.begin() as conn:
        dropped = run_uninstall(conn)
    typer.echo(
        f"Change capture removed ({len(dropped)} triggers dropped). Pending changes stay until a worker drains them."
    )


@watch_app.command("status")
def status(db: str = DbOption) -> None:
    """How changes are captured, how many wait, and the workers seen lately."""
    from sqlalchemy import select

    from db.capture import status as capture_status
    from db.proactive_models import Worker

    engine = open_proactive_db(db, read_only=True)
    state = capture_status(engine)
    since = f" since {state.installed_at:%Y-%m-%d %H:%M} UTC" if state.installed_at else ""
    typer.echo(f"Change capture: {state.mode}{since}.")
    typer.echo(f"Waiting: {state.pending_changes:,} changes for {state.pending_companies:,} companies.")
    with engine.connect() as conn:
        workers = conn.execute(select(Worker.__table__).order_by(Worker.heartbeat_at.desc()).limit(5)).all()
    for w in workers:
        state_word = (
            f"stopped {w.stopped_at:%Y-%m-%d %H:%M:%S}"
            if w.stopped_at
            else f"last seen {w.heartbeat_at:%Y-%m-%d %H:%M:%S}"
        )
        typer.echo(f"  worker {w.worker_id}: {state_word} UTC, {w.stats or {}}")
