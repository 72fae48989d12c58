"""Answer a claimed scheduled run as its person, through the router, and post it to Slack.

The question goes through ``bot.router.handle`` with a Context for that person (their role sets
their data scope), exactly like a question typed in Slack; the answer is posted as the usual
Block Kit table, with its chart uploaded into the message's thread, under one line that says
which schedule it is (and when a run comes late, after downtime).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.render import MAX_BLOCKS, clip
from tools.proactive.conditions import check, parse_condition
from tools.proactive.schedules import RunClaim, actor_for

log = logging.getLogger(__name__)


@dataclass
class RunOutcome:
    status: str  # posted, skipped, failed
    message_ts: str | None = None
    note: str | None = None


def _header(claim: RunClaim, extra: str | None) -> dict:
    s = claim.schedule
    slot = claim.slot_at.replace(tzinfo=UTC).astimezone(ZoneInfo(s.timezone))
    text = f":calendar: Scheduled for {_escape(s.user_name or 'you')}: *{_escape(s.question)}* · {s.when}"
    if claim.late:
        text += f". Planned for {slot:%a %d %b %H:%M}; I was not running then, so here it is now"
    if extra:  # the condition's words ("value < 1,000,000 holds") are mrkdwn too
        text += f". {_escape(extra[0].upper() + extra[1:])}"
    text += f". `schedule remove {s.id}` stops it."
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 3000)}]}


def _escape(text: str) -> str:
    from bot.render.alerts import escape

    return escape(text)


def answer_and_post(engine, db_url: str, client, claim: RunClaim, today: date) -> RunOutcome:
    """Run the schedule's question as its person and post the answer (or why it was not posted)."""
    from bot.conversation import Context
    from bot.render import to_data
    from bot.router import handle
    from bot.slack.replies import blocks_for, fallback_text, upload_file

    schedule = claim.schedule
    actor = actor_for(engine, schedule.user_id, schedule.id)
    if actor is None:
        return RunOutcome("failed", note="the person it answers as is no longer an active CRM user")
    place = f"schedule {schedule.id} to {schedule.channel}"
    ctx = Context(db_url=db_url, today=today, actor=actor, channel="slack", place=place)
    reply = handle(schedule.question, ctx)
    result = reply.result
    extra = None
    if schedule.condition:
        condition = parse_condition(schedule.condition)
        data = to_data(result)
        verdict = check(condition, data.get("columns") or [], data.get("rows") or [])
        extra = verdict.words(condition)
        if verdict.checked and not verdict.holds:
            return RunOutcome("skipped", note=extra)
    blocks = [_header(claim, extra), *blocks_for(result)][:MAX_BLOCKS]
    response = client.chat_postMessage(channel=schedule.channel, text=fallback_text(result), blocks=blocks)
    ts = response.get("ts")
    for path in reply.meta.get("files", []):  # the chart (and a CSV for long answers), in the thread
        try:
            upload_file(client, schedule.channel, ts, Path(path))
        except Exception:  # noqa: BLE001 - the answer is posted; a failed upload must not repost it
            log.exception("could not upload a scheduled answer's file")
    refused = getattr(result, "refused", False) or getattr(result, "kind", "") in ("refused", "error")
    return RunOutcome("posted", ts, "posted, but the question was not answered" if refused else extra)
