"""The router: text -> a tool call with typed arguments -> the tool's typed result.

The rules router (default, offline, deterministic) asks each skill in turn whether the text
is for it; the first that matches gets the call. The optional LLM router chooses among the
same skills with the same typed arguments. This module is the one place that knows them all.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from bot.conversation import Context
from bot.skill import Reply, ToolCall
from crmbot.words import ORDINALS
from tools.results import Message

__all__ = ["Reply", "ToolCall", "handle", "route", "route_by_rules"]

log = logging.getLogger(__name__)


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
    """Answer ``text`` (``answer_text``) and record the question in the audit trail (bot/audit_trail.py)."""
    from bot.audit_trail import record_question
    from tools.audit import current_place

    started = time.monotonic()
    token = current_place.set(ctx.place or ctx.channel)  # actions the answer takes say where
    try:
        reply = answer_text(text, ctx)
    finally:
        current_place.reset(token)
    record_question(ctx, text, reply, started)
    return reply


def answer_text(text: str, ctx: Context) -> Reply:
    """Route and run; any unexpected error becomes a short message with an error id.

    A money-moving action proposed in the previous turn waits one turn only: a reply that does
    not carry it on drops it from the thread (bot/confirm.py), as a question back does.
    """
    from bot import clarify

    try:
        text = _the_period_shown(_the_top_account(text, ctx), ctx)
        call = clarify.resolve(text, ctx.thread, ctx.read_only_engine) or route(text, ctx)
        skill = None if isinstance(call, Message) else next(s for s in skills() if call.name == s.NAME)
        result = call if skill is None else skill.run(call, ctx)
        head, mark, remark = text.partition("?")
        if (
            mark
            and remark.strip()
            and _asks_back(result)
            and not (ctx.thread or {}).get("pending")
            and not _names_a_measure(remark, ctx)  # "...? And the predicted LTV next to it": asked too
        ):
            # "how's Puma Express looking health-wise? they're our biggest account by LTV": the question, the
            # remark after it set aside, when the whole message could only be asked back about
            head_call = route(head + "?", ctx)
            if not isinstance(head_call, Message):
                head_skill = next(s for s in skills() if head_call.name == s.NAME)
                head_result = head_skill.run(head_call, ctx)
                if not _asks_back(head_result) and not getattr(head_result, "refused", False):
                    call, skill, result = head_call, head_skill, head_result
        if skill is None:
            return Reply(result=call, thread_state=next_thread_state(ctx.thread, None, call, None, text))
        own = skill.thread_state(call, result) if hasattr(skill, "thread_state") else None
        if own is None and (getattr(result, "refused", False) or isinstance(result, Message)):
            # (a refusal, or a word about one account: "X is a former customer"): "that account" next is it
            own = _account_named(text, ctx)
        files = [p for p in (getattr(result, "chart", None), getattr(result, "csv", None)) if p]
        return Reply(
            result=result,
            call=call,
            thread_state=next_thread_state(ctx.thread, call, result, own, text),
            meta={"files": files} if files else {},
        )
    except Exception as exc:  # noqa: BLE001 - the user gets an error id, the log gets the trace
        reply = error_reply(exc)
        reply.thread_state = next_thread_state(ctx.thread, None, reply.result, None, text)
        return reply


def _names_a_measure(text: str, ctx: Context) -> bool:
    from tools.reports import entities
    from tools.reports.nlq.context import names_a_measure

    try:
        return names_a_measure(text, entities.load(ctx.read_only_engine))
    except Exception:  # noqa: BLE001 - unreadable: treated as a remark, as before
        return False


def _asks_back(result) -> bool:
    """A question back (nothing in the message could be answered as it stands)."""
    return getattr(result, "kind", None) == "clarify" or bool(getattr(result, "choices", None))


# "the top one", "the #1 account there", "the first customer on that list": a row just shown; "the top
# account" alone may be a new question ("who is the top account in EMEA?"), so a noun needs "there" or a list
_TOP_ACCOUNT = re.compile(
    r"\bthe\s+(?:top|first|#\s*1|number\s+one|no\.?\s*1)\s+(?:(?P<one>one)\b|(?:account|customer|company|client)"
    r"\s+(?:there|on\s+(?:that|the)\s+list|in\s+(?:that|the)\s+list|of\s+(?:those|these|them)|above)\b)",
    re.I,
)


# "the second one - whats its ltv", "the 3rd account on that list", "the last one": a row further down
_NTH_ROW = re.compile(
    r"\bthe\s+(?P<nth>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|"
    r"last|bottom)\s+(?:one\b|(?P<noun>account|customer|company|client|rep|person)\b)(?:\s+(?:there|on\s+(?:that|the)\s+"
    r"list|in\s+(?:that|the)\s+list|of\s+(?:those|these|them)|above|shown))?",
    re.I,
)
_NTH = {word: at for word, at in ORDINALS.items() if at >= 1}  # "the second one" and further down


def _the_top_account(text: str, ctx: Context) -> str:
    """ "what's the health score and churn risk on the #1 account there?" after a ranking of accounts: that
    account, by name, whichever skill answers (an account's card or a report); "the second one" after
    accounts or reps shown one per row: that row's account or rep."""
    focus = (ctx.thread or {}).get("focus") or {}
    top = focus.get("top") or {}
    found = _TOP_ACCOUNT.search(text)
    if found and top.get("customer") and not (found.group("one") and top.get("rep")):
        return text[: found.start()] + top["customer"] + text[found.end() :]
    ranked = focus.get("ranked") or {}
    if list(ranked) == ["lead"] and not re.match(r"\W*why\b", text, re.I):
        return text  # ("whats the conv probability on the top one": the report reads its own rows)
    if found and found.group("one") and list(ranked) == ["lead"] and ranked["lead"]:
        # "why is the first one so high?" after a list of leads: that lead's score explained, by name
        return text[: found.start()] + ranked["lead"][0] + text[found.end() :]
    nth = _NTH_ROW.search(text)
    if not nth or len(ranked) != 1:
        return text
    ((kind, names),) = ranked.items()
    noun = (nth.group("noun") or "").lower()
    if noun and ((noun in ("rep", "person")) != (kind == "rep") or kind == "lead"):
        return text  # "the second account" after reps: not one of them
    word = nth.group("nth").lower()
    at = len(names) - 1 if word in ("last", "bottom") else _NTH[word]
    if at >= len(names):
        return text
    return text[: nth.start()] + names[at] + text[nth.end() :]


_THAT_PERIOD = re.compile(r"\b(?:in\s+|during\s+|for\s+)?that\s+(?P<grain>month|quarter|year)\b", re.I)


def _the_period_shown(text: str, ctx: Context) -> str:
    """ "top 3 reps by bookings in that month" after "which month was strongest?": that month, by name."""
    from datetime import date

    shown = ((ctx.thread or {}).get("focus") or {}).get("period") or {}
    found = _THAT_PERIOD.search(text)
    if not found or found.group("grain").lower() != shown.get("grain"):
        return text
    try:
        start = date.fromisoformat(shown["start"])
    except (KeyError, TypeError, ValueError):
        return text
    grain = shown["grain"]
    name = {
        "month": start.strftime("%B %Y"),
        "quarter": f"Q{(start.month - 1) // 3 + 1} {start.year}",
        "year": str(start.year),
    }[grain]
    return text[: found.start()] + f"in {name}" + text[found.end() :]


def _account_named(text: str, ctx: Context) -> dict | None:
    """ "I have a call with Acme tomorrow", "quick one on Acme, renewal call tmrw": no answer, but the one
    account the message names is what "they" means next ("do they have any unpaid invoices?")."""
    from bot.skills.reports import THREAD_KEY
    from tools.reports import entities
    from tools.reports.nlq.words import one_company_named

    try:
        name = one_company_named(text, entities.load(ctx.read_only_engine))
    except Exception:  # noqa: BLE001 - a remembered account is a convenience, never a failure
        return None
    if name is None:
        return _rep_named(text, ctx)
    return {"company": name, "focus": {"account": name}, THREAD_KEY: None}


def _rep_named(text: str, ctx: Context) -> dict | None:
    """ "reassign all of Mark Fischer's open leads to me" (refused): the one rep it names is who "he" means next."""
    from bot.skills.reports import THREAD_KEY
    from tools.reports import entities

    try:
        reps = entities.load(ctx.read_only_engine).values.get("rep") or []
    except Exception:  # noqa: BLE001 - a remembered person is a convenience, never a failure
        return None
    lowered = text.lower()
    named = {r for r in reps if len(r) > 3 and re.search(rf"\b{re.escape(r.lower())}\b", lowered)}
    if len(named) != 1:
        return None
    return {"focus": {"rep": named.pop()}, THREAD_KEY: None}


NAMED_KEPT = 5  # accounts a thread remembers having been about
PERIOD_BEFORE = "period_before"


def _period_before(thread: dict | None, own: dict):
    """The period the same measure was asked for just before this answer moved it ("my team's bookings this q",
    then "what about q3 last yr"): "both quarters" next compares the two. Gone once the measure changes."""
    from bot.skills.reports import THREAD_KEY

    old, new = (thread or {}).get(THREAD_KEY), own.get(THREAD_KEY)
    if not old or not new:
        return (thread or {}).get(PERIOD_BEFORE) if THREAD_KEY not in own else None
    if old.get("metric") != new.get("metric") or new.get("compare_to") or old.get("compare_to"):
        return None
    if old.get("period") and new.get("period") and old["period"] != new["period"]:
        return old["period"]
    return (thread or {}).get(PERIOD_BEFORE)


def next_thread_state(
    thread: dict | None, call: ToolCall | None, result, own: dict | None, text: str
) -> dict:
    """The thread's memory after this answer: what the skill keeps, the last skill, a question asked back.

    What earlier answers left stays (the last report's query survives an insight card in between),
    except a question back, which only the very next message can answer.
    """
    from bot.confirm import PENDING_KEY

    # a question back and a proposed money-moving action wait one turn only: renewed, or dropped
    state = {k: v for k, v in (thread or {}).items() if k not in ("pending", PENDING_KEY)}
    if own:
        state.update(own)
        state[PERIOD_BEFORE] = _period_before(thread, own)
    company = state.get("company")
    named = [c for c in state.get("companies_named") or [] if c != company]
    # the accounts the thread has been about, latest last ("... and axion express?", then "each of them")
    if company:
        state["companies_named"] = [*named, company][-NAMED_KEPT:]
    state["last_skill"] = call.name if call else None
    choices = list(getattr(result, "choices", None) or [])
    asked_back = getattr(result, "kind", None) == "clarify" or (getattr(result, "refused", False) and choices)
    if choices and asked_back:
        question = getattr(getattr(call, "args", None), "question", None) or text
        state["pending"] = {
            "skill": call.name if call else getattr(result, "skill", None),
            "question": question,
            "choices": choices[:20],
            "phrase": getattr(result, "phrase", None),
        }
    return state


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
