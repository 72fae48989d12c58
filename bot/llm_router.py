"""The LLM router: when the rules understood nothing, a model picks the skill and its typed arguments.

The rules run first (offline, deterministic, fast). Only when they found nothing (help's
"can't answer" message) or the reports engine cannot read the question does the model see the
message, with one tool per skill argument model: the same pydantic models the rules build, so
its choice becomes the same ToolCall the rules would have made. Arguments that do not validate
become a short question back; a model that declines says why; a model that cannot be reached
leaves the rules' answer as it was. The question's time budget on the model starts here and is
kept in ``ctx.extras["llm_budget"]`` for the reports tool's own calls; when it runs out the person
is told so. The model's words are shown clipped; a reply over the size cap is not used.

langchain and openai are imported inside functions: they are heavy and optional at run time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.conversation import Context
from bot.skill import ToolCall
from tools.results import Message

log = logging.getLogger(__name__)

REFUSAL_PREFIX = "REFUSE:"
WORDS_SHOWN_CHARS = 1_000  # a model's question back or reason for declining, as the person sees it


@dataclass(frozen=True)
class ToolSpec:
    """One tool as the model sees it: a name, what it is for, and a skill's argument model."""

    name: str  # the tool's name for the model, e.g. "reports" or "invoices_draft"
    skill: str  # the skill's NAME, which the ToolCall carries
    args: type[BaseModel]
    description: str

    def as_openai_tool(self) -> dict:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.args.model_json_schema(),
            },
        }


def tool_specs(skill_modules=None) -> list[ToolSpec]:
    """A tool per argument model of every skill that declares ARGS (a model, or a dict of them)."""
    if skill_modules is None:
        from bot.router import skills

        skill_modules = skills()
    specs = []
    for skill in skill_modules:
        models = getattr(skill, "ARGS", None)
        if models is None:
            continue
        description = getattr(skill, "DESCRIPTION", "")
        if isinstance(models, dict):
            for key, model in models.items():
                text = description.get(key, "") if isinstance(description, dict) else description
                specs.append(ToolSpec(f"{skill.NAME}_{key}", skill.NAME, model, text))
        else:
            specs.append(ToolSpec(skill.NAME, skill.NAME, models, description))
    return specs


def reconsider(text: str, ctx: Context, hit: ToolCall | Message) -> ToolCall | Message:
    """The rules' answer, unless an LLM is configured and the rules did not understand ``text``."""
    from crmbot.settings import get_settings

    settings = get_settings()
    if not settings.llm_enabled or not text or not rules_missed(text, ctx, hit):
        return hit
    choice = choose(text, ctx, settings)
    return hit if choice is None else choice


def question_budget(ctx: Context, settings):
    """The question's one time budget on the model, shared by every model call made for it."""
    from tools.llm_client import LlmBudget

    budget = ctx.extras.get("llm_budget")
    if budget is None:
        budget = ctx.extras["llm_budget"] = LlmBudget(settings.llm_time_budget_s)
    return budget


def rules_missed(text: str, ctx: Context, hit: ToolCall | Message) -> bool:
    """True for help's "can't answer" and for report questions the offline engine cannot read."""
    from bot.skills import help as help_skill
    from bot.skills import reports

    if isinstance(hit, Message):
        return hit.kind == "refused" and hit.text == help_skill.unknown(text).text
    if hit.name == reports.NAME:
        return _reports_cannot_read(hit.args.question, ctx)
    return False


def _reports_cannot_read(question: str, ctx: Context) -> bool:
    """The offline engine's reading (made once per message, shared with the answer): "unknown"."""
    from bot.skills.reports import cannot_read

    return cannot_read(question, ctx)


def choose(text: str, ctx: Context, settings) -> ToolCall | Message | None:
    """Ask the model; its tool call as a validated ToolCall, its words as a Message, None if unreachable.

    Out of time, or a reply over the size cap, is said in words rather than falling back quietly.
    """
    import openai

    from tools.llm_client import ModelTimeout, ReplyTooLong, too_long_text

    specs = tool_specs()
    budget = question_budget(ctx, settings)
    try:
        reply = _ask_model(text, ctx, settings, specs, budget)
    except ModelTimeout:
        return Message(budget.out_of_time_text(), kind="error")
    except ReplyTooLong:
        return Message(too_long_text(settings.llm_max_reply_chars), kind="error")
    except openai.OpenAIError as exc:
        log.warning("the router model call failed: %s", type(exc).__name__)
        return None
    return read_reply(reply, specs)


def system_prompt(ctx: Context) -> str:
    template = Template(resources.files("prompts").joinpath("router_system.txt").read_text(encoding="utf-8"))
    thread = (
        '\nThis message is a follow-up in a conversation thread: short follow-ups such as "and by region?" or '
        '"only EMEA" refine the previous report question and go to the reports tool unchanged.'
        if ctx.thread
        else ""
    )
    return template.substitute(
        today=ctx.today.isoformat(),
        asker=ctx.actor.name or "an unknown user",
        role=ctx.actor.role or "unknown",
        thread=thread,
    )


def _ask_model(text: str, ctx: Context, settings, specs: list[ToolSpec], budget):
    from langchain_core.messages import HumanMessage, SystemMessage

    from tools.llm_client import ReplyTooLong, call_within, chat_model

    chat = chat_model(settings, timeout_s=budget.remaining())
    model = chat.bind_tools([spec.as_openai_tool() for spec in specs])
    messages = [SystemMessage(content=system_prompt(ctx)), HumanMessage(content=text)]
    reply = call_within(budget, lambda: model.invoke(messages))
    if len(_text_of(reply.content)) > settings.llm_max_reply_chars:
        raise ReplyTooLong("the router model's text")
    return reply


def read_reply(reply, specs: list[ToolSpec]) -> ToolCall | Message | None:
    """The model's first tool call, validated; else its text (a refusal or a question back)."""
    if reply.tool_calls:
        first = reply.tool_calls[0]
        return to_tool_call(first["name"], first.get("args") or {}, specs)
    if getattr(reply, "invalid_tool_calls", None):
        return Message("I couldn't read that request. Could you say it again in other words?", kind="clarify")
    words = _text_of(reply.content).strip()
    if not words:
        return None
    if words.upper().startswith(REFUSAL_PREFIX):
        return Message(_clipped(words[len(REFUSAL_PREFIX) :].strip()), kind="refused")
    return Message(_clipped(words), kind="clarify")


def _clipped(words: str) -> str:
    return words if len(words) <= WORDS_SHOWN_CHARS else words[: WORDS_SHOWN_CHARS - 1] + "…"


def to_tool_call(name: str, raw_args: dict[str, Any], specs: list[ToolSpec]) -> ToolCall | Message:
    """A ToolCall with the skill's own validated arguments; a question back when they do not fit."""
    spec = next((s for s in specs if s.name == name), None)
    if spec is None:
        return Message(
            "I'm not sure what you want me to do. Could you say it again in other words?", kind="clarify"
        )
    try:
        args = spec.args.model_validate(raw_args)
    except ValidationError as exc:
        return Message(clarifying_text(spec, exc), kind="clarify")
    return ToolCall(spec.skill, args, source="llm")  # a money-moving one is only proposed (bot/confirm.py)


def clarifying_text(spec: ToolSpec, exc: ValidationError) -> str:
    """Which details did not fit, in words (the field and pydantic's reason), and what to do."""
    problems = []
    for error in exc.errors()[:3]:
        field = ".".join(str(part) for part in error["loc"]) or "the request"
        problems.append(f"{field.replace('_', ' ')}: {error['msg']}")
    return (
        f"I think you want the {spec.name.replace('_', ' ')} tool, but some details didn't fit ("
        + "; ".join(problems)
        + "). Could you say it again with those details?"
    )


def _text_of(content) -> str:
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")
