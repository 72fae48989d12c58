"""The insights skill: "how is Acme doing", "health of Acme", "who is at risk of churning", "my accounts at risk".

It takes questions about one named company, and lists of at-risk accounts ("my/our accounts at
risk", "who is about to churn", "at-risk accounts in EMEA"). Aggregate questions over a dimension
("average health score by industry", "which customers are at high churn risk?", "how many...")
are reports on customer_insights: match() leaves them to the reports skill.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from tools.results import Message

NAME = "insights"

REGIONS = ("NA", "EMEA", "APAC", "LATAM")
_AGGREGATE = re.compile(
    r"\b(average|avg|mean|median|total|sum|count|how many|number of|distribution|breakdown|per|by|"
    r"trend|over time|chart|compare|vs|versus|top \d+|which customers|which companies|what share|percent)\b",
    re.I,
)
_COMPANY_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        r"^how(?:'s| is| are)\s+(?:things (?:with|at)\s+)?(?P<name>.+?)\s+doing\s*[?.!]*$",
        r"^how(?:'s| is| are)\s+things\s+(?:with|at)\s+(?P<name>.+?)\s*[?.!]*$",
        r"^(?:what(?:'s| is)\s+the\s+)?(?:health(?: score)?|insights?|churn risk|ltv|lifetime value)\s+"
        r"(?:of|for|on|at)\s+(?P<name>.+?)\s*[?.!]*$",
        r"^(?:show\s+(?:me\s+)?)?insights?\s+(?P<name>.+?)\s*[?.!]*$",
        r"^(?P<name>[^?]+?)(?:'s)?\s+(?:health|insights|health score)\s*[?.!]*$",
    )
)
_AT_RISK = re.compile(
    r"\b(at[- ]risk|about to churn|likely to churn|going to churn|risk of churn(?:ing)?|churn risk)\b", re.I
)
_MINE = re.compile(r"\b(my|mine)\b", re.I)
_LIST_START = re.compile(
    r"^(who|(?:our|the|show(?: me)?|list)?\s*(?:at[- ]risk )?(?:accounts|customers|clients)\b|at[- ]risk\b|my\b|our\b|"
    r"(?:which|what) of my\b|any of my\b)",
    re.I,
)
_REGION = re.compile(r"\bin\s+(NA|EMEA|APAC|LATAM)\b", re.I)
_GENERIC_NAMES = {
    "we",
    "us",
    "things",
    "it",
    "everyone",
    "everybody",
    "the team",
    "sales",
    "business",
    "the business",
    "the company",
    "the pipeline",
    "pipeline",
    "revenue",
    "my accounts",
    "our accounts",
    "this quarter",
    "this month",
    "this year",
    "you",
}


_HOW_HEALTH = re.compile(
    r"^(?:how\s+(?:is|are|do you)\s+(?:the\s+)?(?:customer\s+)?health(?:\s+scores?)?\s+"
    r"(?:calculated|computed|worked out|measured|scored|made)|what\s+goes\s+into\s+(?:the\s+)?health(?:\s+score)?|"
    r"(?:explain|define)\s+(?:the\s+)?health(?:\s+score)?|how\s+do\s+you\s+(?:calculate|compute|score)\s+health)"
    r"\s*[?.!]*$",
    re.I,
)


class HealthModelArgs(BaseModel):
    """How the health score is calculated (weights, bands and caps in use)."""


class CompanyInsightArgs(BaseModel):
    company: str


class AtRiskArgs(BaseModel):
    mine: bool = False
    region: str | None = None
    limit: int = 10


def match(text, ctx):
    from bot.router import ToolCall

    text = (text or "").strip()
    if _HOW_HEALTH.match(text):
        return ToolCall(NAME, HealthModelArgs())
    if not text or _AGGREGATE.search(text):
        return None
    if _AT_RISK.search(text) and _LIST_START.match(text):
        region = _REGION.search(text)
        mine = bool(_MINE.search(text))
        if mine and ctx.actor.user_id is None:
            return Message(
                "I don't know which CRM user you are, so I can't tell which accounts are yours. "
                'Ask "who is at risk of churning" for everyone\'s, or ask your admin to link your user.',
                kind="refused",
            )
        return ToolCall(NAME, AtRiskArgs(mine=mine, region=region.group(1).upper() if region else None))
    for pattern in _COMPANY_PATTERNS:
        found = pattern.match(text)
        if found:
            name = found.group("name").strip(" '\"")
            if name and name.lower() not in _GENERIC_NAMES and not _AT_RISK.search(name):
                return ToolCall(NAME, CompanyInsightArgs(company=name))
    return None


def run(call, ctx):
    from tools.insights import service

    args = call.args
    if isinstance(args, HealthModelArgs):
        from tools.insights.health import health_model_in_use

        return health_model_in_use()
    if isinstance(args, CompanyInsightArgs):
        return service.company_insight(ctx.engine, ctx.today, args.company)
    return service.at_risk_accounts(
        ctx.engine,
        ctx.today,
        owner_id=ctx.actor.user_id if args.mine else None,
        region=args.region,
        limit=args.limit,
    )


def thread_state(call, result) -> dict | None:
    """Remember the company a card was about, so a follow-up can refer to it."""
    from tools.insights.results import CompanyInsight

    if isinstance(result, CompanyInsight):
        return {"skill": NAME, "company_id": result.company_id, "company": result.company_name}
    return None
