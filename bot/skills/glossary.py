"""Definitions: "what do you mean by revenue?", "how is the health score calculated", "how do you
calculate that". Answered in words from the semantic model (and the health weights in use),
never by computing the metric."""

from __future__ import annotations

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
        return ToolCall(NAME, DefineArgs(question=text.strip()))
    return None


def run(call, ctx):
    from tools.reports.glossary import explain

    previous = ((ctx.thread or {}).get("report_query") or {}).get("metric")
    explanation = explain(call.args.question, previous, health_weights=health_explanation())
    if explanation is None:
        return Message(
            "I can explain the words I answer with: revenue, invoiced, bookings, deals won or lost, win rate, "
            "pipeline, average deal size, sales cycle, outstanding, overdue, aging, DSO, customers, churn, "
            "leads, conversion rate, tickets, resolution time, CSAT, health score, churn risk and LTV. "
            'Which one? For example "what do you mean by revenue?"',
            kind="clarify",
        )
    return explanation


def health_explanation() -> str:
    """How the health score is calculated, with the weights and cut-offs in use."""
    from tools.insights.config import InsightConfig
    from tools.insights.health import WEIGHTS

    config = InsightConfig.from_settings()
    weights = ", ".join(f"{name} {weight * 100:.0f}%" for name, weight in WEIGHTS.items())
    return (
        f"Health score: 0-100 per current customer, a weighted average of three components ({weights}). "
        "Engagement looks at how recently and how often the customer was contacted (emails, calls, "
        "meetings) and the trend; payment at invoices paid on time, days late and overdue balances; "
        "support at ticket volume, urgent tickets, the open backlog, resolution time and CSAT. "
        f"Green is {config.health_green_min:g} and above, yellow {config.health_yellow_min:g} and above, "
        f"red below; a component under {config.component_floor:g} caps the band at yellow, and a balance "
        f"{config.serious_overdue_days}+ days past due makes it red."
    )
