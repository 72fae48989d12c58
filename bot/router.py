"""The router: text -> a tool call with typed arguments -> the tool's typed result.

The rules router (default, offline, deterministic) asks each skill in turn whether the text
is for it; the first that matches gets the call. The optional LLM router chooses among the
same skills with the same typed arguments. This module is the one place that knows them all.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bot.conversation import Context
from tools.results import Message

log = logging.getLogger(__name__)


@dataclass
class ToolCall:
    name: str  # the skill's NAME
    args: BaseModel  # the skill's typed arguments
    source: str = field(default="rules", compare=False)  # "llm" when the model chose it: a proposal only


@dataclass
class Reply:
    """What every front end renders: the typed result, the call that made it, the thread state."""

    result: Any
    call: ToolCall | None = None
    thread_state: dict | None = None
    meta: dict = field(default_factory=dict)


def skills():
    from bot.skills import SKILLS

    return SKILLS


def route(text: str, ctx: Context) -> ToolCall | Message:
    """The rules' choice; with an LLM configured, the model chooses when the rules understood nothing."""
    from bot import llm_router

    text = (text or "").strip()
    return llm_router.reconsider(text, ctx, route_by_rules(text, ctx))


def route_by_rules(text: str, ctx: Context) -> ToolCall | Message:
    """Pick the skill for ``text``; a Message when nothing fits (help) or it must ask back."""
    for skill in skills():
        hit = skill.match(text, ctx)
        if hit is not None:
            return hit
    from bot.skills import help as help_skill

    return help_skill.unknown(text)


def handle(text: str, ctx: Context) -> Reply:
    """Route and run; any unexpected error becomes a short message with an error id.

    A money-moving action proposed in the previous turn waits one turn only: a reply that does
    not carry it on drops it from the thread (bot/confirm.py).
    """
    from bot.confirm import expire_after_turn

    try:
        call = route(text, ctx)
        if isinstance(call, Message):
            return Reply(result=call, thread_state=expire_after_turn(ctx.thread, None))
        skill = next(s for s in skills() if call.name == s.NAME)
        result = skill.run(call, ctx)
        state = skill.thread_state(call, result) if hasattr(skill, "thread_state") else None
        files = [p for p in (getattr(result, "chart", None), getattr(result, "csv", None)) if p]
        return Reply(
            result=result,
            call=call,
            thread_state=expire_after_turn(ctx.thread, state),
            meta={"files": files} if files else {},
        )
    except Exception as exc:  # noqa: BLE001 - the user gets an error id, the log gets the trace
        reply = error_reply(exc)
        reply.thread_state = expire_after_turn(ctx.thread, None)
        return reply


def error_reply(exc: BaseException) -> Reply:
    from db.engine import DatabaseError

    if isinstance(exc, DatabaseError):
        return Reply(result=Message(str(exc), kind="error"))
    error_id = uuid.uuid4().hex[:8]
    log.exception("error %s while answering", error_id)
    return Reply(
        result=Message(
            f"Sorry, something went wrong on my side (error id {error_id}). Nothing was changed. "
            "Please try again, or tell your admin the error id.",
            kind="error",
            error_id=error_id,
        )
    )
