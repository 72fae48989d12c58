"""Schedules made from Slack: `/crm schedule "question" every monday 9am` and "schedule this weekly".

The listeners (bot/slack/listeners/proactive.py) stay thin; the reading of the command, the
question a thread answered and the replies in words live here.

"schedule this" in a thread needs the question the thread's answer came from. The thread's
saved state holds it: an insight card names its company; a report's state is its structured
query, saved in the same write as the answer's question (bot/slack/answer.py). The question is
run again on its own and must give the same query: the last answer of a thread of follow-ups
("and by region?") is not a question that stands alone, and the person is asked to say it whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from tools.actor import Actor
from tools.proactive.cron import ScheduleError
from tools.proactive.schedules import ScheduleInfo

_QUOTED = re.compile(r'^\s*[“"”](?P<question>[^“"”]+)[“"”]\s*(?P<rest>.*)$', re.S)
_CONDITION_SPLIT = re.compile(r"\s+(?:only\s+)?(?:when|if)\s+(?=value\b)", re.I)
THIS = re.compile(r"^\s*schedule\s+(?:this|it)\b\s*(?P<rest>.*)$", re.I | re.S)

HELP = (
    'Schedule a question: `/crm schedule "pipeline by rep" every monday 9am` '
    "(add `when value < 1000000` to post only when it holds). "
    "`/crm schedule list` shows yours, `/crm schedule remove 3` stops one. "
    'In the thread of any answer, say "schedule this weekly".'
)


@dataclass
class ScheduleRequest:
    action: str  # add, list, remove, help
    question: str | None = None
    phrase: str | None = None
    condition: str | None = None
    schedule_id: int | None = None


def read_command(text: str) -> ScheduleRequest:
    """`/crm schedule ...` (without the word schedule) into a request, or a ScheduleError."""
    text = (text or "").strip()
    head = text.split(maxsplit=1)[0].lower() if text else "help"
    if head in ("help", "?"):
        return ScheduleRequest("help")
    if head in ("list", "ls"):
        return ScheduleRequest("list")
    if head in ("remove", "delete", "stop", "cancel"):
        number = re.fullmatch(r"\S+\s+#?(\d+)", text)
        if not number:
            raise ScheduleError("Say which schedule to remove, by its number: `/crm schedule remove 3`.")
        return ScheduleRequest("remove", schedule_id=int(number.group(1)))
    quoted = _QUOTED.match(text)
    if not quoted:
        raise ScheduleError(f"Put the question in quotes. {HELP}")
    phrase, condition = split_condition(quoted.group("rest"))
    return ScheduleRequest(
        "add", question=quoted.group("question").strip(), phrase=phrase, condition=condition
    )


def split_condition(rest: str) -> tuple[str, str | None]:
    """("every monday 9am", "value < 1000000") from "every monday 9am when value < 1000000"."""
    parts = _CONDITION_SPLIT.split(rest.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else None)


CANNOT_POST_HERE = (
    "I can't post in this conversation, so a scheduled answer would never arrive here, and I did not "
    "schedule it. Invite me to the channel (/invite @crmbot) and schedule it again, or schedule it in "
    "a channel I'm in or in a DM with me."
)
LISTING_LIMIT = 2900  # characters of a listing in one private note (Slack's text is cut at 3,000)


def make(
    engine: Engine,
    db_url: str,
    actor: Actor,
    *,
    question: str,
    phrase: str,
    condition: str | None,
    timezone: str,
    channel: str,
    today,
    created_by: str,
    active: bool = True,
) -> ScheduleInfo:
    """Schedule ``question`` for ``actor`` (or a ScheduleError saying why not); ``active=False``:
    stored for ``schedules.activate`` once the bot knows it can post in ``channel``."""
    from bot.proactive.people import why_not_answerable
    from tools.proactive import schedules
    from tools.proactive.phrases import to_cron

    cron = to_cron(phrase or "weekly")
    problem = why_not_answerable(db_url, actor, question, today)
    if problem:
        raise ScheduleError(f"I can't answer that question now, so I did not schedule it:\n{problem}")
    return schedules.add(
        engine,
        question=question,
        cron=cron,
        timezone=timezone,
        user_id=actor.user_id,
        channel=channel,
        condition=condition,
        now=datetime.now(UTC),
        created_by=created_by,
        active=active,
    )


def confirmation(made: ScheduleInfo) -> str:
    """What a new schedule does, in plain words (escaped by whoever posts it)."""
    return (
        f'Scheduled: "{made.question}" {made.when[0].lower()}{made.when[1:]}, posted here and answered as you'
        + (f", only when {made.condition}" if made.condition else "")
        + f". Next: {made.next_local()}. `/crm schedule remove {made.id}` stops it."
    )


def listing(engine: Engine, actor: Actor) -> str:
    """The person's schedules (an admin's: everyone's) as mrkdwn: their words escaped, channels linked."""
    from bot.render.alerts import escape
    from tools.proactive.schedules import list_schedules

    found = list_schedules(engine, user_id=None if actor.is_admin else actor.user_id)
    if not found:
        return escape("You have no schedules. " + HELP)
    lines, size = [], 0
    for n, s in enumerate(found):
        where = f"<#{s.channel}>" if s.channel[:1] in "CGD" else escape(s.channel)  # a #name from the CLI
        line = (
            f'*{s.id}*  "{escape(s.question)}"  {escape(s.when)}  to {where}'
            + (f"  when {escape(s.condition)}" if s.condition else "")
            + (f"  (for {escape(s.user_name or 'someone else')})" if s.user_id != actor.user_id else "")
        )
        if size + len(line) > LISTING_LIMIT:
            lines.append(f"… and {len(found) - n} more.")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def thread_question(engine: Engine, db_url: str, actor: Actor, thread_key: str, today) -> str:
    """The stand-alone question a thread's last answer came from, or a ScheduleError saying why not."""
    from db.models import ThreadState

    with engine.connect() as conn:
        row = conn.execute(
            select(ThreadState.state, ThreadState.updated_at).where(ThreadState.thread_key == thread_key)
        ).first()
        state = dict(row.state) if row else {}
        if state.get("skill") == "insights" and state.get("company"):
            return f"how is {state['company']} doing"
        query = state.get("report_query")
        answers = []
        if query is not None:
            answers = conn.execute(
                select(ThreadState.state).where(
                    ThreadState.thread_key.like("answer:%"), ThreadState.updated_at == row.updated_at
                )
            ).scalars()
        question = next((a.get("question") for a in answers if a.get("query") == query), None)
    if not question:
        raise ScheduleError(
            "I can't tell which question this thread answered. "
            'Say it whole instead: `/crm schedule "pipeline by rep" every monday 9am`.'
        )
    if _standalone_query(db_url, actor, question, today) != query:
        raise ScheduleError(
            f'This answer came from a follow-up ("{question}"), which means nothing on its own. '
            'Schedule the whole question: `/crm schedule "bookings by region this quarter" weekly`.'
        )
    return question


def _standalone_query(db_url: str, actor: Actor, question: str, today) -> dict | None:
    from bot.conversation import Context
    from bot.router import handle

    ctx = Context(db_url=db_url, today=today, actor=actor, channel="slack", extras={"defer_charts": True})
    return getattr(handle(question, ctx).result, "query", None)
