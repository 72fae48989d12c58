"""Definitions: "what do you mean by revenue?", "how is the health score calculated", "how do you
calculate that". Answered in words from the semantic model (and the health weights in use),
never by computing the metric."""

from __future__ import annotations

import re

from pydantic import BaseModel

from bot.skill import ToolCall
from tools.results import Message

NAME = "glossary"


class DefineArgs(BaseModel):
    question: str


ARGS = DefineArgs
DESCRIPTION = (
    "Explain what a word or measure means and how it is calculated (revenue, bookings, win rate, DSO, "
    "health score...). `question`: the user's question. Never for computing a figure."
)


def match(text, ctx):
    from tools.reports.glossary import is_definition_question

    if text and is_definition_question(text):
        first, _, then = text.partition("?")
        if (
            re.match(r"^\W*(?:what|how\s+much|how\s+many)\b", then, re.I)
            and len(then.split()) >= 3
            and re.search(
                r"\b(?:quarter|month|year|week|q[1-4]|ytd|mtd|qtd|20\d\d|today|yesterday)\b", then, re.I
            )
            and not is_definition_question(then)
            and is_definition_question(first + "?")
        ):
            return None  # "is that the same as what we invoiced? what was invoiced in that quarter": the figure asked
        shown = ((ctx.thread or {}).get("report_query") or {}).get("metric")
        if shown == "dso" and _A_FIGURE_USED.search(text):
            return None  # "what outstanding figure did you use in that calculation?" after DSO: that figure
        from bot.skills.leads import asks_of_a_lead_shown

        if asks_of_a_lead_shown(text, ctx):
            return None  # "who owns it and where did it come from?" after one lead: that lead's card
        return ToolCall(NAME, DefineArgs(question=text.strip()))
    return None


_A_FIGURE_USED = re.compile(
    r"\b(?:what|which)\s+(?:[a-z]+\s+){0,2}(?:figure|number|amount|total|value|balance)\s+(?:did|do)\s+(?:you|u)\s+"
    r"(?:use|take|divide)",
    re.I,
)


def run(call, ctx):
    from tools.reports.glossary import explain

    query = (ctx.thread or {}).get("report_query") or {}
    dims = [g for g in query.get("group_by") or [] if not g.startswith("time:")]
    explanation = explain(
        call.args.question, query.get("metric"), health_weights=health_explanation(), previous_dimensions=dims
    )
    if explanation is None:
        return Message(
            "I can explain the words I answer with: revenue, invoiced, bookings, deals won or lost, win rate, "
            "pipeline, average deal size, sales cycle, outstanding, overdue, aging, DSO, customers, churn, "
            "leads, conversion rate, tickets, resolution time, CSAT, health score, churn risk and LTV. "
            'Which one? For example "what do you mean by revenue?"',
            kind="clarify",
        )
    return explanation


def thread_state(call, result) -> dict | None:
    """The one measure a definition explained: "ok what was it last month" next asks for it."""
    from bot.skills.reports import EXPLAINED
    from tools.reports import semantic
    from tools.reports.nlq.kinds import GENERIC_METRICS

    terms = getattr(result, "terms", None) or []
    # ("resolution time on tickets": the measure, not the records' word beside it)
    metrics = [t for t in terms if t in semantic.model().metrics_by_name and t not in GENERIC_METRICS]
    return {EXPLAINED: metrics[0] if len(metrics) == 1 else None}


def health_explanation() -> str:
    """How the health score is calculated, with the weights, bands and caps in use (a team's
    health model file included), in the words the insight card uses."""
    from bot.render import to_text
    from tools.insights.health import health_model_in_use

    return (
        to_text(health_model_in_use()).rstrip()
        + "\nThe insights job (`crmbot insights refresh`) computes it for every current customer and stores it in "
        "customer_insights, with the churn risk and LTV."
    )
