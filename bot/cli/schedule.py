"""`crmbot schedule add | list | remove`: questions answered on a cron schedule, posted to Slack."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, TodayOption, fail, resolve_db, resolve_today
from bot.cli.proactive_common import open_proactive_db, slack_client

schedule_app = typer.Typer(
    help="Scheduled reports: a question answered on a schedule, posted to Slack.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")


@schedule_app.command("add")
def add(
    question: str = typer.Argument(..., help='The question, e.g. "pipeline by rep".'),
    as_user: str = typer.Option(
        ..., "--as", help="Answer as this CRM user (email): their data scope applies."
    ),
    channel: str = typer.Option(..., "--channel", help="Slack channel to post to (C0123ABCD or #name)."),
    cron: str = typer.Option(
        None, "--cron", help='Standard cron, five fields: "0 9 * * MON" = Mondays 9:00.'
    ),
    every: str = typer.Option(None, "--every", help='Or in words: "monday 9am", "weekday at 8:30", "month".'),
    tz: str = typer.Option(
        None, "--tz", help="Time zone (default: the person's Slack time zone, else CRMBOT_DEFAULT_TIMEZONE)."
    ),
    when: str = typer.Option(None, "--when", help='Post only when this holds, e.g. "value < 1000000".'),
    db: str = DbOption,
    today: str = TodayOption,
) -> None:
    """Schedule a question; it is checked now, so a question crmbot cannot answer is refused."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from bot.proactive.people import slack_timezone, why_not_answerable
    from crmbot.settings import get_settings
    from db.models import User
    from tools.actor import Actor
    from tools.proactive import schedules
    from tools.proactive.cron import ScheduleError
    from tools.proactive.phrases import to_cron

    if bool(cron) == bool(every):
        fail('Give the schedule with --cron "0 9 * * MON" or --every "monday 9am" (one of the two).')
    engine = open_proactive_db(db)
    settings = get_settings()
    with engine.connect() as conn:
        user = conn.execute(
            select(
                User.id, User.name, User.role, User.email, User.team, User.slack_user_id, User.active
            ).where(func.lower(User.email) == as_user.lower())
        ).first()
    if user is None or not user.active:
        fail(f"No active CRM user has the email {as_user}.")
    try:
        expression = to_cron(cron if cron else every)
        zone = tz or slack_timezone(slack_client(settings), user.slack_user_id) or settings.default_timezone
        actor = Actor.of_user(user, "cli", f"cli:{user.name}")
        problem = why_not_answerable(resolve_db(db), actor, question, resolve_today(today))
        if problem:
            raise ScheduleError(
                f"I can't answer that question for {user.name} now, so I did not schedule it:\n{problem}"
            )
        made = schedules.add(
            engine,
            question=question,
            cron=expression,
            timezone=zone,
            user_id=user.id,
            channel=channel,
            condition=when,
            now=datetime.now(UTC),
            created_by="cli",
        )
    except ScheduleError as exc:
        fail(str(exc))
    typer.echo(
        f'Schedule {made.id}: "{made.question}" as {made.user_name}, {made.when}, to {made.channel}'
        + (f", only when {made.condition}" if made.condition else "")
        + f". Next run {made.next_local()} ({made.timezone})."
    )


@schedule_app.command("list")
def list_(
    db: str = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the schedules as JSON."),
) -> None:
    """Every active schedule, with when it runs next."""
    import json

    from tools.proactive.schedules import list_schedules

    engine = open_proactive_db(db, read_only=True)
    found = list_schedules(engine)
    if as_json:
        rows = [
            {
                "id": s.id,
                "question": s.question,
                "cron": s.cron,
                "timezone": s.timezone,
                "as": s.user_name,
                "channel": s.channel,
                "condition": s.condition,
                "next_run_utc": s.next_run_at.isoformat(),
            }
            for s in found
        ]
        typer.echo(json.dumps(rows))
        return
    if not found:
        typer.echo(
            'No schedules yet. Add one: crmbot schedule add --as EMAIL --channel C0123 --cron "0 9 * * MON" "pipeline by rep"'
        )
        return
    for s in found:
        typer.echo(
            f'{s.id:>4}  "{s.question}"  {s.when}  as {s.user_name}  to {s.channel}'
            + (f"  when {s.condition}" if s.condition else "")
            + f"  next {s.next_local()}"
        )


@schedule_app.command("remove")
def remove(
    schedule_id: int = typer.Argument(..., help="The schedule's number (see `crmbot schedule list`)."),
    db: str = DbOption,
) -> None:
    """Stop a schedule (its past runs stay on record)."""
    from tools.proactive.cron import ScheduleError
    from tools.proactive.schedules import remove as run_remove

    engine = open_proactive_db(db)
    try:
        gone = run_remove(engine, schedule_id)
    except ScheduleError as exc:
        fail(str(exc))
    typer.echo(f'Schedule {gone.id} ("{gone.question}") removed.')
