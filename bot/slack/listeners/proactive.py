"""The proactive bot in Slack: `/crm schedule`, "schedule this weekly" in a thread, alert buttons.

Registered before the other listeners: bolt runs the first listener whose matchers accept a
request, so these take only what is theirs (a `/crm schedule ...`, a "schedule this" message)
and everything else goes on to the usual listeners.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.slack.identity import UNKNOWN_USER_TEXT, clicker, resolve_actor

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
        from bot.slack.identity import name_of_mentioned
        from bot.slack.text import plain_text
        from tools.proactive.cron import ScheduleError
        from tools.proactive.schedules import remove

        client = wiring.client
        user, channel = command["user_id"], command["channel_id"]
        where = Where(user=user, channel=channel, thread_ts=None, response_url=command.get("response_url"))
        actor = resolve_actor(deps.engine, client, user)
        typed = plain_text(  # `when value > 5` arrives as `value &gt; 5`, a mention as <@U..>
            command.get("text") or "",
            bot_user_id=deps.bot_user_id(client),
            name_of=lambda uid: name_of_mentioned(deps.engine, client, uid),
        )
        rest = typed[len("schedule") :]
        try:
            if actor is None:
                raise ScheduleError(UNKNOWN_USER_TEXT)
            request = s.read_command(rest)
            if request.action == "help":
                text = s.HELP
            elif request.action == "list":
                _tell_mrkdwn(client, where, s.listing(deps.engine, actor))
                return
            elif request.action == "remove":
                gone = remove(deps.engine, request.schedule_id, actor)
                text = f'Schedule {gone.id} ("{gone.question}") removed.'
            else:
                made = s.make(
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
                    active=False,
                )
                _confirm_where_it_will_post(client, where, made)
                return
        except ScheduleError as exc:
            text = str(exc)
        tell_privately(client, where, text)

    def _confirm_where_it_will_post(client, where, made) -> None:
        """/crm reaches the bot from any channel, but only where the bot may post will the scheduled
        answers arrive: the confirmation is an ephemeral message posted by the bot itself, in that
        channel, and the schedule runs only once Slack took it. Where Slack refuses (the bot was
        not invited, a private channel, a DM between two people), nothing is scheduled."""
        from slack_sdk.errors import SlackApiError

        from bot.proactive import slack_schedules as s
        from bot.slack.answer import tell_privately
        from bot.slack.replies import cannot_post, note_text
        from tools.proactive.schedules import activate, discard

        try:
            client.chat_postEphemeral(
                channel=where.channel, user=where.user, text=note_text(s.confirmation(made))
            )
        except SlackApiError as exc:
            discard(deps.engine, made.id)
            if cannot_post(exc):
                tell_privately(client, where, s.CANNOT_POST_HERE)
            else:
                log.warning("could not confirm a schedule: %s", exc.response.get("error"))
                tell_privately(
                    client, where, "Slack did not take my answer, so I did not schedule it. Please try again."
                )
            return
        activate(deps.engine, made.id)

    def schedule_this(body: dict) -> None:
        from bot.proactive import slack_schedules as s
        from bot.slack.replies import note_text
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
            made = s.make(
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
            text = s.confirmation(made)
        except ScheduleError as exc:
            text = str(exc)
        # in the thread of the bot's own answer: where the bot can post, and so will the schedule
        client.chat_postMessage(channel=channel, thread_ts=thread, text=note_text(text))

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
        from bot.slack.replies import blocks_for, fallback_text, respond, tell
        from tools.insights.service import company_insight_by_id

        client = wiring.client
        channel, _, company_id = _clicked(body)
        user = body["user"]["id"]
        actor = clicker(deps.engine, client, body)
        if actor is None:
            return
        from tools.results import Message
        from tools.scope import load_scope

        card = company_insight_by_id(
            deps.engine, deps.today(), company_id, scope=load_scope(deps.engine, actor)
        )
        if card is None:
            tell(client, body, "That company no longer exists in the CRM.")
            return
        if isinstance(card, Message) and card.kind == "refused":  # not theirs to see
            tell(client, body, card.text)
            return
        # only to the person who clicked: through the click's response URL (any channel, any thread)
        text, blocks = fallback_text(card), blocks_for(card)
        url = body.get("response_url")
        if url and respond(url, text=text, blocks=blocks, response_type="ephemeral", replace_original=False):
            return
        thread = (body.get("message") or {}).get(
            "thread_ts"
        )  # Slack hides a note in a thread that is not one
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread)

    def snooze(body: dict) -> None:
        from bot.render.alerts import escape, snoozed_blocks
        from bot.slack.replies import tell, update_message
        from db.models import Company
        from tools.proactive import alerts

        client = wiring.client
        channel, ts, company_id = _clicked(body)
        actor = clicker(deps.engine, client, body)
        if actor is None:
            return
        with deps.engine.connect() as conn:
            owner = conn.execute(Company.__table__.select().where(Company.id == company_id)).first()
        if owner is None:
            tell(client, body, "That company no longer exists in the CRM.")
            return
        if not actor.is_manager and owner.owner_id != actor.user_id:
            tell(client, body, "Only the company's owner, a manager or an admin can snooze its alerts.")
            return
        from tools.scope import actor_company_problem

        outside = actor_company_problem(deps.engine, actor, company_id, owner.name)
        if outside:
            tell(client, body, outside)
            return
        from tools.audit import record_action

        now = datetime.now(UTC).replace(tzinfo=None)
        until = now + timedelta(days=alerts.SNOOZE_DAYS)
        record_action(actor, f"snooze alerts of {owner.name} for {alerts.SNOOZE_DAYS} days", refused=False)
        alerts.snooze(deps.engine, company_id, until, actor, now)
        blocks = snoozed_blocks(
            (body.get("message") or {}).get("blocks") or [], actor.name or "you", f"{until:%Y-%m-%d}"
        )
        update_message(
            client,
            channel,
            ts,
            blocks=blocks,
            text=f"Alerts about {escape(owner.name)} snoozed for {alerts.SNOOZE_DAYS} days.",
            response_url=body.get("response_url"),
        )

    wiring.on("action:alert_open_card", app.action("alert_open_card"), open_card)
    wiring.on("action:alert_snooze", app.action("alert_snooze"), snooze)


def _tell_mrkdwn(client, where, mrkdwn: str) -> None:
    """A private note already written as mrkdwn (people's words escaped, channels linked), which
    ``tell_privately`` would escape once more."""
    from bot.slack.replies import respond

    if where.response_url and respond(where.response_url, text=mrkdwn, response_type="ephemeral"):
        return
    client.chat_postEphemeral(channel=where.channel, user=where.user, text=mrkdwn)
