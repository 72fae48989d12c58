"""The proactive bot in Slack: `/crm schedule`, "schedule this weekly" in a thread, alert buttons.

Registered before the other listeners: bolt runs the first listener whose matchers accept a
request, so these take only what is theirs (a `/crm schedule ...`, a "schedule this" message)
and everything else goes on to the usual listeners.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.slack.identity import UNKNOWN_USER_TEXT, resolve_actor

log = logging.getLogger(__name__)


def _is_schedule_command(command) -> bool:
    return (command.get("text") or "").strip().lower().split(maxsplit=1)[:1] == ["schedule"]


def clean_text(text: str) -> str:
    """What was typed after the bot's mention, with Slack's links and escaping read back."""
    import re

    from bot.slack.text import plain_text

    return plain_text(re.sub(r"^\s*(?:<@[A-Z0-9]+>\s*)+", "", text or ""))


def _is_schedule_this(event) -> bool:
    from bot.proactive.slack_schedules import THIS

    return bool(event.get("thread_ts")) and bool(THIS.match(clean_text(event.get("text", ""))))


def _is_dm(event) -> bool:
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def register(wiring) -> None:
    """Ack first (the inbox records the request), then answer: as every other listener does."""
    deps, app = wiring.deps, wiring.app

    def timezone_of(client, user: str) -> str:
        from bot.proactive.people import slack_timezone

        return slack_timezone(client, user) or deps.settings.default_timezone

    def crm_schedule(command: dict) -> None:
        from bot.proactive import slack_schedules as s
        from bot.slack.answer import Where, tell_privately
        from tools.proactive.cron import ScheduleError
        from tools.proactive.schedules import remove

        client = wiring.client
        user, channel = command["user_id"], command["channel_id"]
        actor = resolve_actor(deps.engine, client, user)
        rest = (command.get("text") or "").strip()[len("schedule") :]
        try:
            if actor is None:
                raise ScheduleError(UNKNOWN_USER_TEXT)
            request = s.read_command(rest)
            if request.action == "help":
                text = s.HELP
            elif request.action == "list":
                text = s.listing(deps.engine, actor)
            elif request.action == "remove":
                gone = remove(deps.engine, request.schedule_id, actor)
                text = f'Schedule {gone.id} ("{gone.question}") removed.'
            else:
                text = s.make(
                    deps.engine,
                    deps.db_url,
                    actor,
                    question=request.question,
                    phrase=request.phrase,
                    condition=request.condition,
                    timezone=timezone_of(client, user),
                    channel=channel,
                    today=deps.today(),
                    created_by=f"slack:{user}",
                )
        except ScheduleError as exc:
            text = str(exc)
        where = Where(user=user, channel=channel, thread_ts=None, response_url=command.get("response_url"))
        tell_privately(client, where, text)

    def schedule_this(body: dict) -> None:
        from bot.proactive import slack_schedules as s
        from bot.slack.threads import thread_key
        from tools.proactive.cron import ScheduleError

        client, event = wiring.client, body["event"]
        user, channel, thread = event["user"], event["channel"], event["thread_ts"]
        phrase, condition = s.split_condition(s.THIS.match(clean_text(event.get("text", ""))).group("rest"))
        try:
            actor = resolve_actor(deps.engine, client, user)
            if actor is None:
                raise ScheduleError(UNKNOWN_USER_TEXT)
            question = s.thread_question(
                deps.engine, deps.db_url, actor, thread_key(channel, thread), deps.today()
            )
            text = s.make(
                deps.engine,
                deps.db_url,
                actor,
                question=question,
                phrase=phrase or "weekly",
                condition=condition,
                timezone=timezone_of(client, user),
                channel=channel,
                today=deps.today(),
                created_by=f"slack:{user}",
            )
        except ScheduleError as exc:
            text = str(exc)
        client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

    wiring.on("command:/crm schedule", app.command("/crm", matchers=[_is_schedule_command]), crm_schedule)
    wiring.on(
        "event:app_mention schedule", app.event("app_mention", matchers=[_is_schedule_this]), schedule_this
    )
    wiring.on(
        "event:message.im schedule", app.event("message", matchers=[_is_dm, _is_schedule_this]), schedule_this
    )

    def _clicked(body: dict) -> tuple[str, str | None, int]:
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        return channel, (body.get("message") or {}).get("ts"), int(body["actions"][0]["value"])

    def open_card(body: dict) -> None:
        from bot.render import to_blocks, to_text
        from bot.slack.replies import tell
        from tools.insights.service import company_insight_by_id

        client = wiring.client
        channel, ts, company_id = _clicked(body)
        user = body["user"]["id"]
        if resolve_actor(deps.engine, client, user) is None:
            tell(client, body, UNKNOWN_USER_TEXT)
            return
        card = company_insight_by_id(deps.engine, deps.today(), company_id)
        if card is None:
            tell(client, body, "That company no longer exists in the CRM.")
            return
        client.chat_postEphemeral(
            channel=channel, user=user, text=to_text(card)[:3000], blocks=to_blocks(card), thread_ts=ts
        )

    def snooze(body: dict) -> None:
        from bot.render.alerts import snoozed_blocks
        from bot.slack.replies import tell
        from db.models import AuditLog, Company
        from tools.proactive import alerts

        client = wiring.client
        channel, ts, company_id = _clicked(body)
        user = body["user"]["id"]
        actor = resolve_actor(deps.engine, client, user)
        if actor is None:
            tell(client, body, UNKNOWN_USER_TEXT)
            return
        with deps.engine.connect() as conn:
            owner = conn.execute(Company.__table__.select().where(Company.id == company_id)).first()
        if owner is None:
            tell(client, body, "That company no longer exists in the CRM.")
            return
        if not actor.is_manager and owner.owner_id != actor.user_id:
            tell(client, body, "Only the company's owner, a manager or an admin can snooze its alerts.")
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        until = now + timedelta(days=alerts.SNOOZE_DAYS)
        alerts.snooze(deps.engine, company_id, until, actor.label, now)
        with deps.engine.begin() as conn:
            conn.execute(
                AuditLog.__table__.insert().values(
                    occurred_at=datetime.now(),
                    actor_user_id=actor.user_id,
                    actor_label=actor.label,
                    source="slack",
                    entity="company",
                    entity_id=company_id,
                    action="snooze_alerts",
                    changes={"until_utc": until.isoformat(timespec="minutes")},
                )
            )
        blocks = snoozed_blocks(
            (body.get("message") or {}).get("blocks") or [], actor.name or "you", f"{until:%Y-%m-%d}"
        )
        client.chat_update(
            channel=channel, ts=ts, blocks=blocks, text=f"Alerts about {owner.name} snoozed for 7 days."
        )

    wiring.on("action:alert_open_card", app.action("alert_open_card"), open_card)
    wiring.on("action:alert_snooze", app.action("alert_snooze"), snooze)
