"""Scheduled questions: made, listed, removed, and each due slot claimed by exactly one worker.

A schedule keeps the next time it is due (``next_run_at``, naive UTC). A worker claims a due
schedule with one conditional UPDATE that moves ``next_run_at`` to the next cron time after
*now* and inserts the run row (unique per schedule and slot) in the same transaction: only one
worker's UPDATE matches, and after downtime the missed slots collapse into one run. A run whose
worker died keeps its lease; when the lease runs out another worker takes it over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from db.models import User
from db.proactive_models import Schedule, ScheduleRun
from tools.actor import Actor
from tools.proactive.clock import naive_utc
from tools.proactive.conditions import parse_condition
from tools.proactive.cron import ScheduleError, check_cron, check_timezone, describe, next_after

MAX_QUESTION = 500
RUN_LEASE_S = 300.0
_CHANNEL = r"^(?:[CGDU][A-Z0-9]{2,}|#[a-z0-9][a-z0-9._-]{0,79})$"


@dataclass
class ScheduleInfo:
    id: int
    question: str
    cron: str
    timezone: str
    user_id: int
    user_name: str | None
    channel: str
    condition: str | None
    next_run_at: datetime  # naive UTC
    last_run_at: datetime | None
    active: bool

    @property
    def when(self) -> str:
        return f"{describe(self.cron)} ({self.timezone})"

    def next_local(self) -> str:
        from zoneinfo import ZoneInfo

        local = self.next_run_at.replace(tzinfo=UTC).astimezone(ZoneInfo(self.timezone))
        return local.strftime("%a %Y-%m-%d %H:%M")


@dataclass
class RunClaim:
    run_id: int
    schedule: ScheduleInfo
    slot_at: datetime  # naive UTC: the cron time this run answers for
    late: bool  # the slot was missed (downtime): this is its one catch-up run


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_channel(channel: str) -> str:
    import re

    channel = (channel or "").strip()
    if not re.match(_CHANNEL, channel):
        raise ScheduleError(
            f"'{channel}' is not a Slack channel: use its id (C0123ABCD) or its name with a # (#sales)."
        )
    return channel


def add(
    engine: Engine,
    *,
    question: str,
    cron: str,
    timezone: str,
    user_id: int,
    channel: str,
    now: datetime,
    condition: str | None = None,
    created_by: str | None = None,
    active: bool = True,
) -> ScheduleInfo:
    """Validate everything, then store the schedule; a ScheduleError changes nothing.

    ``active=False`` stores it unseen by workers until ``activate`` (or ``discard``): for a front
    end that must first learn whether its answers can be posted where it was asked."""
    question = " ".join((question or "").split())
    if not question:
        raise ScheduleError('Say what to ask, in quotes: "pipeline by rep".')
    if len(question) > MAX_QUESTION:
        raise ScheduleError(f"That question is too long for a schedule (over {MAX_QUESTION} characters).")
    cron = check_cron(cron)
    timezone = check_timezone(timezone)
    channel = check_channel(channel)
    condition_text = str(parse_condition(condition)) if condition else None
    first = naive_utc(next_after(cron, timezone, _aware(now)))
    with engine.begin() as conn:
        user = conn.execute(select(User.id, User.active).where(User.id == user_id)).first()
        if user is None or not user.active:
            raise ScheduleError("That person is not an active CRM user, so I can't answer as them.")
        new_id = conn.execute(
            insert(Schedule)
            .values(
                question=question,
                cron=cron,
                timezone=timezone,
                user_id=user_id,
                channel=channel,
                condition=condition_text,
                active=active,
                next_run_at=first,
                created_at=naive_utc(_aware(now)),
                created_by=created_by,
            )
            .returning(Schedule.id)
        ).scalar_one()
    return get(engine, new_id)


def activate(engine: Engine, schedule_id: int) -> None:
    """Let workers run a schedule stored with ``active=False``."""
    with engine.begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id == schedule_id).values(active=True))


def discard(engine: Engine, schedule_id: int) -> None:
    """Delete a schedule stored with ``active=False`` that never ran: as if it was never made."""
    never_ran = ~select(ScheduleRun.id).where(ScheduleRun.schedule_id == schedule_id).exists()
    with engine.begin() as conn:
        conn.execute(
            delete(Schedule).where(Schedule.id == schedule_id, Schedule.active.is_(False), never_ran)
        )


def _info_query():
    return select(Schedule.__table__, User.name.label("user_name")).outerjoin(
        User, User.id == Schedule.user_id
    )


def _info(row) -> ScheduleInfo:
    return ScheduleInfo(
        row.id,
        row.question,
        row.cron,
        row.timezone,
        row.user_id,
        row.user_name,
        row.channel,
        row.condition,
        row.next_run_at,
        row.last_run_at,
        row.active,
    )


def get(engine: Engine, schedule_id: int) -> ScheduleInfo | None:
    with engine.connect() as conn:
        row = conn.execute(_info_query().where(Schedule.id == schedule_id)).first()
    return _info(row) if row else None


def list_schedules(engine: Engine, *, user_id: int | None = None) -> list[ScheduleInfo]:
    """Active schedules, all of them or one person's."""
    query = _info_query().where(Schedule.active.is_(True)).order_by(Schedule.id)
    if user_id is not None:
        query = query.where(Schedule.user_id == user_id)
    with engine.connect() as conn:
        return [_info(row) for row in conn.execute(query)]


def remove(engine: Engine, schedule_id: int, actor: Actor | None = None) -> ScheduleInfo:
    """Stop a schedule (its runs stay on record). Its owner or an admin may; the CLI (no actor) may."""
    found = get(engine, schedule_id)
    if found is None or not found.active:
        raise ScheduleError(f"There is no schedule {schedule_id}. `schedule list` shows them.")
    if actor is not None and not actor.is_admin and actor.user_id != found.user_id:
        raise ScheduleError(
            f"Schedule {schedule_id} is {found.user_name or 'someone else'}'s: only they or an admin can remove it."
        )
    with engine.begin() as conn:
        conn.execute(update(Schedule).where(Schedule.id == schedule_id).values(active=False))
    found.active = False
    return found


# ------------------------------------------------------------------ claims (the worker)


def claim_due(
    engine: Engine, worker_id: str, now: datetime, *, limit: int = 10, lease_s: float = RUN_LEASE_S
) -> list[RunClaim]:
    """Claim every due slot nobody claimed yet (one run per schedule, however many slots were missed)."""
    now_utc = naive_utc(_aware(now))
    with engine.connect() as conn:
        due = conn.execute(
            _info_query()
            .where(Schedule.active.is_(True), Schedule.next_run_at <= now_utc)
            .order_by(Schedule.next_run_at)
            .limit(limit)
        ).all()
    claims = []
    for schedule in due:
        slot = schedule.next_run_at
        following = naive_utc(next_after(schedule.cron, schedule.timezone, _aware(max(now_utc, slot))))
        try:
            with engine.begin() as conn:
                moved = conn.execute(
                    update(Schedule)
                    .where(
                        Schedule.id == schedule.id, Schedule.next_run_at == slot, Schedule.active.is_(True)
                    )
                    .values(next_run_at=following, last_run_at=now_utc)
                ).rowcount
                if not moved:
                    continue  # another worker took this slot
                run_id = conn.execute(
                    insert(ScheduleRun)
                    .values(
                        schedule_id=schedule.id,
                        slot_at=slot,
                        status="running",
                        claimed_by=worker_id,
                        lease_until=now_utc + timedelta(seconds=lease_s),
                        started_at=now_utc,
                    )
                    .returning(ScheduleRun.id)
                ).scalar_one()
        except IntegrityError:
            continue  # the slot's run exists already: it was claimed
        info = _info(schedule)
        info.next_run_at = following
        claims.append(RunClaim(run_id, info, slot, late=following - slot > _period(schedule, slot)))
    return claims


def _period(schedule: Schedule, slot: datetime) -> timedelta:
    """The normal gap after ``slot``: a following time further away means slots were skipped."""
    return naive_utc(next_after(schedule.cron, schedule.timezone, _aware(slot))) - slot


def claim_abandoned(
    engine: Engine, worker_id: str, now: datetime, *, lease_s: float = RUN_LEASE_S
) -> list[RunClaim]:
    """Runs whose worker stopped before finishing (its lease ran out): take them over."""
    now_utc = naive_utc(_aware(now))
    stale = and_(
        ScheduleRun.status == "running",
        or_(ScheduleRun.lease_until.is_(None), ScheduleRun.lease_until < now_utc),
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(ScheduleRun.id, ScheduleRun.schedule_id, ScheduleRun.slot_at, ScheduleRun.lease_until)
            .where(stale)
            .limit(10)
        ).all()
    claims = []
    for run_id, schedule_id, slot, lease in rows:
        with engine.begin() as conn:
            taken = conn.execute(
                update(ScheduleRun)
                .where(
                    ScheduleRun.id == run_id,
                    ScheduleRun.status == "running",
                    ScheduleRun.lease_until == lease,
                )
                .values(claimed_by=worker_id, lease_until=now_utc + timedelta(seconds=lease_s))
            ).rowcount
        schedule = get(engine, schedule_id) if taken else None
        if schedule is not None:
            claims.append(RunClaim(run_id, schedule, slot, True))
    return claims


RETRY_S = 60.0
GIVE_UP_AFTER = timedelta(hours=1)


def retry_later(
    engine: Engine, claim: RunClaim, worker_id: str, now: datetime, *, note: str | None = None
) -> bool:
    """Slack could not take the post: keep the run for another try in a minute (any worker), or give
    up once its slot is an hour old. Returns whether it will be tried again."""
    now_utc = naive_utc(_aware(now))
    if now_utc - claim.slot_at > GIVE_UP_AFTER:
        finish_run(engine, claim.run_id, worker_id, now, status="failed", note=f"gave up: {note}")
        return False
    with engine.begin() as conn:
        conn.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == claim.run_id, ScheduleRun.claimed_by == worker_id)
            .values(lease_until=now_utc + timedelta(seconds=RETRY_S), note=f"will try again: {note}")
        )
    return True


def finish_run(
    engine: Engine,
    run_id: int,
    worker_id: str,
    now: datetime,
    *,
    status: str,
    message_ts: str | None = None,
    note: str | None = None,
) -> None:
    """``posted``, ``skipped`` (condition false) or ``failed``, with what happened."""
    with engine.begin() as conn:
        conn.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id, ScheduleRun.claimed_by == worker_id)
            .values(
                status=status,
                finished_at=naive_utc(_aware(now)),
                lease_until=None,
                message_ts=message_ts,
                note=note,
            )
        )


def actor_for(engine: Engine, user_id: int, schedule_id: int) -> Actor | None:
    """The person a schedule answers as, with their role (their data scope), if still active."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User.id, User.name, User.role, User.email, User.team).where(
                User.id == user_id, User.active.is_(True)
            )
        ).first()
    if row is None:
        return None
    return Actor.of_user(row, "schedule", f"schedule:{schedule_id}")
