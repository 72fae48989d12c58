"""The leads skill: score, rank and explain individual leads.

It only takes questions about particular leads or a ranked list of them ("score lead
jane@acme.io", "top 10 leads this week", "my best leads", "which leads should I call today",
"why is Jane Doe scored 82", "lead 123"). Aggregates over leads ("new leads by source this
year", "lead conversion rate by source in 2025") are reports and are left to that skill.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from bot.skill import ToolCall
from crmbot.words import ORDINALS
from tools.results import Message

NAME = "leads"

DEFAULT_LIMIT = 10
MAX_LIMIT = 50

Intent = Literal["card", "score", "why", "top", "mine", "call"]


class LeadsArgs(BaseModel):
    intent: Intent
    who: str | None = None  # a lead id, email or name (card, score, why)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    period: str | None = None  # today, this week, this month, this quarter, this year, last N days
    claimed_score: int | None = None  # "why is Jane scored 82": the 82


ARGS = LeadsArgs
DESCRIPTION = (
    "Rank, score or explain individual leads. intent: 'top' (best leads), 'mine' (the asker's own best "
    "leads), 'call' (whom to call today), 'card' (one lead: `who` is its id, email or name), 'score' "
    "(re-score that lead), 'why' (explain its score; `claimed_score` is the number the user quoted). "
    "`period`: today, this week, this month, this quarter, this year or 'last N days'. Counts or rates "
    "of leads by a dimension are reports, not this."
)


_PERIOD = r"(?P<period>today|this\s+(?:week|month|quarter|year)|last\s+\d{1,3}\s+days)"
_N = r"(?:(?P<n>\d{1,2})\s+)?"
_TAIL = r"\s*[.!?]*\s*$"

# Aggregates by a dimension, rates and counts are reports, never ours.
_REPORT_WORDS = re.compile(r"\b(by|per|rate|how many|count|number of|sources|total|average|trend)\b", re.I)

_ACCOUNT_WORDS = re.compile(r"\b(health|churn|risk|ltv|lifetime value|account|customer)\b", re.I)

_SCORE = re.compile(r"^\s*(?:please\s+)?(?:re-?)?score\s+(?:the\s+)?lead\s+(?P<who>.+?)" + _TAIL, re.I)
_CARD = re.compile(
    r"^\s*(?:show\s+(?:me\s+)?|open\s+|tell\s+me\s+about\s+)?(?:the\s+)?lead\s+(?P<who>#?\d+|\S+@\S+)"
    + _TAIL,
    re.I,
)
_WHY = re.compile(
    r"^\s*why(?:'s|s|\s+is|\s+was|\s+does|\s+did)\s+(?:the\s+)?(?:lead\s+)?(?P<who>.+?)(?:'s)?\s+"
    r"(?:(?:scored|rated|ranked)(?:\s+(?:at|as|an?|so))?(?:\s+(?P<score>\d{1,2}))?"
    r"|(?:score|scored|lead score)\s+(?:of\s+|is\s+)?(?P<score2>\d{1,2})"
    r"|(?:get|got|have|has)\s+(?:an?\s+|a\s+score\s+of\s+)?(?P<score3>\d{1,2})"
    r"|an?\s+(?P<score4>\d{1,2})"
    r"|(?:so|this|that)\s+(?:high|low)|(?:high|low)(?:\s+up)?"
    # "why did the Ironwood Dental lead score so high"
    r"|(?:score|rate|rank)\s+(?:so\s+|this\s+|that\s+)?(?:high|low|well|badly|poorly))\b.*$",
    re.I,
)
_TOP = re.compile(
    r"^\s*(?:show\s+(?:me\s+)?|list\s+|what\s+are\s+(?:the\s+)?)?(?:the\s+)?"
    r"(?:top|best|hottest|highest[- ]scor(?:ed|ing))\s+" + _N + r"(?:open\s+)?leads?"
    r"(?:\s+(?:created|from|in|of))?(?:\s+" + _PERIOD + r")?" + _TAIL,
    re.I,
)
_MINE = re.compile(
    r"^\s*(?:show\s+(?:me\s+)?|list\s+)?my\s+"
    + _N
    + r"(?:top|best|hottest|highest[- ]scor(?:ed|ing))\s+"
    + _N.replace("n>", "n2>")
    + r"(?:open\s+)?leads?(?:\s+"
    + _PERIOD
    + r")?"
    + _TAIL,
    re.I,
)
_CALL = re.compile(
    r"^\s*(?:which|what|who)\s+(?:leads?\s+)?(?:should|do|can)\s+i\s+(?:call|contact|reach out to|follow up with)"
    r"(?:\s+(?:today|first|next|this week))?" + _TAIL,
    re.I,
)


def _names_a_lead(who: str, ctx) -> bool:
    """A lead is called exactly this (first and last name), and no company is."""
    from sqlalchemy import func, literal, select

    from db.models import Company, Lead

    name = " ".join(who.lower().split())
    if ctx is None or not name or len(name) > 200:
        return False
    full = func.lower(Lead.first_name + literal(" ") + Lead.last_name)
    with ctx.read_only_engine.connect() as conn:
        lead = conn.execute(select(Lead.id).where(full == name).limit(1)).first()
        company = conn.execute(select(Company.id).where(func.lower(Company.name) == name).limit(1)).first()
    return lead is not None and company is None


def _limit(*values: str | None) -> int:
    for value in values:
        if value:
            return max(1, min(MAX_LIMIT, int(value)))
    return DEFAULT_LIMIT


def _period(match: re.Match) -> str | None:
    value = match.groupdict().get("period")
    return " ".join(value.lower().split()) if value else None


_LEAD_FIELD = r"(?:score|conversion\s+probability|conv(?:\.|ersion)?\s+prob(?:ability)?|probability(?:\s+to\s+convert)?|odds|owner|source)"
# "whats the score on the Sapphire Medical lead", "the score and conversion probability on the Metro Hawk Logic lead",
# "what's the conversion probability on that Momentum Clinics lead, and who owns it?"
_OF_A_LEAD = re.compile(
    r"^\s*(?:what(?:'s|s|\s+is|\s+are)\s+|show\s+(?:me\s+)?)?(?:the\s+)?(?:lead\s+)?"
    + _LEAD_FIELD
    + r"(?:\s*(?:,|and|&|\+)\s*(?:the\s+)?"
    + _LEAD_FIELD
    + r")*\s+(?:on|for|of)\s+(?:the\s+|that\s+|this\s+)?"
    r"(?P<who>.+?)\s+lead(?:\s*,?\s*(?:and|&|\+)\s+who\s+(?:owns|has|is\s+working)\s+(?:it|them|that\s+one))?"
    + _TAIL,
    re.I,
)
_ITS = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what(?:'s|s|\s+is|\s+about)\s+)?(?:its|their|the)\s+(?:lead\s+)?(?:score|"
    r"conversion\s+probability|probability(?:\s+to\s+convert)?)" + _TAIL + "|"
    # "whos working it", "who owns that lead" after one lead: its card, which names the owner
    r"^\s*(?:and\s+|so\s+)?who(?:'s|s|\s+is)?\s+(?:owns|owning|working(?:\s+on)?|works(?:\s+on)?|handles|handling|has)\s+"
    r"(?:it|this|that|them|him|her|(?:this|that|the)\s+(?:lead|one))\s*[?.!]*\s*$|"
    # "ok whats the source and title on it", "and their title?": what the card shows
    r"^\W*(?:ok\s+|and\s+|so\s+)?(?:what(?:'s|s|\s+is|\s+are)\s+)?(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
    r"(?:source|(?:job\s+)?title|owner|status|company(?:\s+size)?)(?:\s*(?:,|and|&|\+)\s*(?:the\s+|its\s+|their\s+)?"
    r"(?:source|(?:job\s+)?title|owner|status|company(?:\s+size)?|score|where'?d\s+(?:she|he|they|it)\s+come\s+from|"
    r"where\s+(?:she|he|they|it)\s+came\s+from))*(?:\s+(?:on|of|for)\s+(?:it|that\s+one|that\s+lead|him|her|"
    r"them))?\s*[?.!]*\s*$",
    re.I,
)


# "whats the score on mia moore", "conversion probability for Jacob Carter at Beacon Electric": a
# person's name, when a lead is called exactly that (and no company is)
_OF_A_PERSON = re.compile(
    r"^\s*(?:(?:hey|hi|ok|quick\s+one)[,\s-]+)?(?:what(?:'s|s|\s+is|\s+are)\s+|show\s+(?:me\s+)?|pls\s+|please\s+)?"
    r"(?:the\s+)?(?:lead\s+)?(?:score|conversion\s+probability|conv(?:ersion)?\s+prob|probability(?:\s+to\s+convert)?|odds)"
    r"(?:\s+and\s+(?:the\s+)?(?:lead\s+)?(?:score|conversion\s+probability))?\s+(?:on|for|of)\s+(?:the\s+lead\s+)?"
    # ("camille de vries (highpoint advisors)": three words, the company in brackets)
    r"(?P<who>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+){1,2}?)(?:\s+(?:at|from|@|of)\s+[^?]{1,60}?|\s*\([^()]{2,60}\))?"
    + _TAIL,
    re.I,
)


# "what score did Sofia Smith from Vantage Dental get", "how likely is Mia Moore to convert"
_SCORE_OF_A_PERSON = re.compile(
    r"^\s*(?:what\s+(?:lead\s+)?score\s+(?:did|does|has)|how\s+likely\s+is)\s+(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)"
    r"(?:\s+(?:at|from|@|of)\s+[^?]{1,60}?)?(?:\s+(?:get|got|have|to\s+convert))?" + _TAIL,
    re.I,
)


# "whats Elizabeth Okafor's lead score": the person's score, asked with a possessive
_PERSONS_SCORE = re.compile(
    r"^\s*(?:what(?:'s|s|\s+is)\s+|show\s+(?:me\s+)?)?(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)(?:'s|’s)\s+(?:lead\s+)?"
    r"(?:score|conversion\s+probability|probability(?:\s+to\s+convert)?)" + _TAIL,
    re.I,
)


# "the lead Diego Reddy, which score he has?", "Diego Reddy's score": a lead named as such, with a word
# about its score anywhere in the message
_THE_LEAD_NAMED = re.compile(
    r"\b(?:the\s+)?lead\s+(?:called\s+|named\s+)?(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)\b", re.I
)
_NAME_THEN_SCORE = re.compile(
    r"^\s*(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+?)(?:'s|s')?\s+(?:lead\s+)?(?:score|conversion\s+probability)\s*[?.!]*\s*$",
    re.I,
)
# "what score does the Guardian Networks lead have?", "what's the Guardian Networks lead's score"
_SCORE_OF_THE_LEAD = re.compile(
    r"^\s*(?:what|which)\s+(?:lead\s+)?score\s+(?:does|did|has)\s+(?:the\s+)?(?P<who>[a-z0-9][\w&.' -]{2,60}?)\s+lead\s+"
    r"(?:have|has|get|got)\s*[?.!]*\s*$|"
    r"^\s*what(?:'s|s|\s+is)\s+(?:the\s+)?(?P<who2>[a-z0-9][\w&.' -]{2,60}?)\s+lead'?s\s+(?:lead\s+)?score\s*[?.!]*\s*$",
    re.I,
)
_WHY_SO = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+|hm+\W+)?why\s+(?:so\s+(?:high|low)|(?:that|this)\s+(?:high|low|score)|is\s+(?:it|that)\s+so\s+"
    r"(?:high|low)|the\s+(?:high|low)\s+score)\W*$",
    re.I,
)
_WHY_NTH = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+)?why(?:'s|s|\s+is|\s+was|\s+does)\s+(?:the\s+)?(?P<nth>first|top|second|third|fourth|fifth|"
    r"1st|2nd|3rd|4th|5th|last)\s+(?:one|lead)\b",
    re.I,
)
_NTH_LEAD = {**ORDINALS, "top": 0, "last": -1}  # a row of the ranked list shown
_POINTING = {
    "it",
    "this",
    "that",
    "this one",
    "that one",
    "this lead",
    "that lead",
    "her",
    "him",
    "she",
    "he",
    "them",
    "they",
}
_ABOUT_SCORE = re.compile(r"\b(?:score[ds]?|scoring|probability|likely|chance|convert)\b", re.I)


# "sparrow carriers lead - what'd it score and who owns it", "pelican machining lead: score, source and
# conversion prob?": a lead named by its company, then what is asked about it
_COMPANY_LEAD = re.compile(
    # ("2025 lead conversion: paid ads vs referral?": a year, not a lead's number)
    r"^\s*(?:the\s+)?(?P<who>(?!(?:(?:19|20)\d{2}|q[1-4]|h[12]|ytd|qtd|mtd)\b)[a-z0-9][\w&.' -]{2,60}?)\s+lead\s*"
    r"(?:[-:,–—]\s*|\s+)"
    r"(?:(?:what(?:'d|'s|s|\s+did|\s+does|\s+is)?|how\s+did)\s+(?:it|its|they|their|the)\s+)?"
    r"(?:score[ds]?|scoring|conversion|conv|prob|probability|odds|owner|who)\b",
    re.I,
)


# what a lead's card shows, as asked after one lead ("conversion prob?", "who owns it and what's the score exactly",
# "ok who owns it and where did it come from (source)")
_CARD_FIELD = re.compile(
    r"\b(?:conv(?:ersion)?\.?\s+prob(?:ability)?\.?|probability(?:\s+(?:to|of)\s+convert(?:ing)?)?|odds|lead\s+score|"
    r"score|scored|owner|owns|owning|source|(?:job\s+)?title|status|company\s+size|employees|"
    r"where\s+(?:did|does)\s+(?:it|she|he|they)\s+come\s+from|where'?d\s+(?:it|she|he|they)\s+come\s+from|"
    r"where\s+(?:it|she|he|they)\s+came\s+from|how\s+likely\s+(?:to\s+convert|(?:is|are)\s+(?:it|she|he|they)\s+to\s+convert))\b",
    re.I,
)
_CARD_GLUE = {
    "ok",
    "okay",
    "so",
    "and",
    "&",
    "+",
    "also",
    "then",
    "what",
    "whats",
    "what's",
    "is",
    "are",
    "was",
    "the",
    "its",
    "it",
    "their",
    "his",
    "her",
    "on",
    "of",
    "for",
    "that",
    "this",
    "one",
    "lead",
    "exactly",
    "again",
    "pls",
    "please",
    "who",
    "whos",
    "who's",
    "has",
    "currently",
    "now",
    "right",
    "rn",
    "thx",
    "thanks",
    "btw",
    "just",
    "plus",
    "with",
    "me",
    "tell",
    "give",
    "show",
    "s",
}


def _asks_what_its_card_shows(text: str) -> bool:
    """Only what a lead's card shows is asked, of the lead just shown (its fields, and words that point at it)."""
    if len(text) > 120 or not _CARD_FIELD.search(text):
        return False
    rest = _CARD_FIELD.sub(" ", text.lower())
    words = re.findall(r"[a-z'&+]+", rest)
    return all(w in _CARD_GLUE for w in words)


_THE_X_LEAD = re.compile(
    r"\bthe\s+(?P<who>[a-z0-9][\w&.' -]{2,60}?)\s+lead\b(?!s)(?:\s*\((?:at\s+|from\s+)?(?P<at>[^()]{2,60})\))?",
    re.I,
)
_PERSON_THEN_COMPANY = re.compile(
    r"^\s*(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)\s*\((?:at\s+|from\s+)?(?P<at>[^()]{2,60})\)\s*[-–—:,]?\s*(?P<rest>.+)$",
    re.I,
)
# "who is owner of lead Chiara Byrne from Harborview Materials?"
_LEAD_PERSON_AT = re.compile(
    r"\blead\s+(?:called\s+|named\s+)?(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)\s+(?:from|at|@)\s+(?P<at>[^?,.;!()]{2,60}?)\s*(?:[?.,;!]|$)",
    re.I,
)
# "whats the score on Takumi Flores' lead (Fairmont Brands)?": a person's lead, its company in brackets
_SCORE_ON_PERSONS_LEAD = re.compile(
    r"^\s*(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:lead\s+)?(?:score|conversion\s+probability|conv(?:ersion)?\s+prob)\s+"
    r"(?:on|for|of)\s+(?P<who>[a-z][a-z-]+\s+[a-z][a-z-]+)(?:'s|’s|’|')\s+lead(?:\s*\((?:at\s+|from\s+)?(?P<at>[^()]{2,60})\))?"
    r"\s*[?.!]*\s*$",
    re.I,
)
# "what's Mariana Harris at Quartz Wealth scored at?": a person, at a company, and the score asked
_PERSON_AT_COMPANY_SCORED = re.compile(
    r"^\s*(?:what(?:'s|s|\s+is|\s+did|\s+has)\s+|how\s+(?:is|was|did)\s+)?(?P<who>[a-z][a-z'-]+\s+[a-z][a-z'-]+)\s+"
    r"(?:at|from|@)\s+(?P<at>[^?]{2,60}?)\s+(?:scored|score|rated|ranked)(?:\s+at)?\s*[?.!]*\s*$",
    re.I,
)


def _names_a_lead_company(who: str, ctx) -> bool:
    """Exactly one lead is at a company called this (or this and a legal suffix)."""
    from tools.leads.lookup import find_lead

    if ctx is None or not who.strip() or len(who) > 80:
        return False
    return len(find_lead(ctx.read_only_engine, who).lead_ids) == 1


def match(text, ctx):
    """A ToolCall for questions about individual leads; None for anything else (reports...)."""
    if not text:
        return None
    from tools.reports.nlq.screen import screen

    if screen(text) is not None:
        return None  # "mark the Yarrow Bank lead as converted and bump its score to 95": a change, refused by reports
    m = _COMPANY_LEAD.match(text) or _SCORE_OF_THE_LEAD.match(text)
    who = (m["who"] or m.groupdict().get("who2")) if m else None
    if who and not _REPORT_WORDS.search(text) and _names_a_lead_company(who, ctx):
        return ToolCall(NAME, LeadsArgs(intent="card", who=who))
    called = _a_lead_shown(text, ctx)
    if called is not None:
        return called
    if m := _SCORE_ON_PERSONS_LEAD.match(text):
        # "whats the score on Takumi Flores' lead (Fairmont Brands)?": that person's lead, at that company
        who = f"{m['who']} at {m['at']}" if m["at"] else m["who"]
        if _names_a_lead_company(who, ctx) if m["at"] else _names_a_lead(m["who"], ctx):
            return ToolCall(NAME, LeadsArgs(intent="card", who=who))
    if m := _OF_A_LEAD.match(text):  # "whats the score on the Sapphire Medical lead"
        return ToolCall(NAME, LeadsArgs(intent="card", who=m["who"]))
    for m in _THE_X_LEAD.finditer(text):
        # "who owns the Endeavor Biosciences lead and what status is it in", "what did the Sterling Freight lead
        # score": the one lead at that company, whatever else shares its name; "the Javier Torres lead (Nautilus
        # Cyber)": that person at that company
        named = re.split(r"\bthe\s+", m["who"], flags=re.I)[-1]  # ("the score on the X lead": X)
        who = f"{named} at {m['at']}" if m["at"] else named
        if _CARD_FIELD.search(text) and not _REPORT_WORDS.search(text) and _names_a_lead_company(who, ctx):
            return ToolCall(NAME, LeadsArgs(intent="card", who=who))
    if (
        (m := _PERSON_THEN_COMPANY.match(text))
        and _CARD_FIELD.search(m["rest"])
        and _names_a_lead_company(f"{m['who']} at {m['at']}", ctx)
    ):
        # "jacob green (kinetix industrial) - whats his lead score n who owns him": that person at that company
        return ToolCall(NAME, LeadsArgs(intent="card", who=f"{m['who']} at {m['at']}"))
    if (
        (m := _LEAD_PERSON_AT.search(text))
        and _CARD_FIELD.search(text)
        and _names_a_lead_company(f"{m['who']} at {m['at']}", ctx)
    ):
        # "who is owner of lead Chiara Byrne from Harborview Materials?": that person's lead at that company
        return ToolCall(NAME, LeadsArgs(intent="card", who=f"{m['who']} at {m['at']}"))
    if (m := _PERSON_AT_COMPANY_SCORED.match(text)) and _names_a_lead(m["who"], ctx):
        return ToolCall(NAME, LeadsArgs(intent="card", who=f"{m['who']} at {m['at']}"))
    if (
        m := _OF_A_PERSON.match(text) or _SCORE_OF_A_PERSON.match(text) or _PERSONS_SCORE.match(text)
    ) and _names_a_lead(m["who"], ctx):
        return ToolCall(NAME, LeadsArgs(intent="card", who=m["who"]))
    m = _NAME_THEN_SCORE.match(text) or (_ABOUT_SCORE.search(text) and _THE_LEAD_NAMED.search(text))
    if m and _names_a_lead(m["who"], ctx):
        return ToolCall(NAME, LeadsArgs(intent="card", who=m["who"]))
    if m := _WHY.match(text):
        claimed = _claimed_score(m)
        # "why is the whitestone machining lead scored 73": the lead at that company
        # ("why's the driftwood care one scored so high": the lead at that company)
        one = re.search(r"\s+one\s*$", m["who"], re.I)
        said = re.sub(r"\s+(?:only|just|even|really|actually)\s*$", "", m["who"], flags=re.I)
        # "why did Amanda Miller's lead (Endeavor Tooling) only score 50": that person, at that company
        paren = re.fullmatch(r"(.+?)(?:'s)?\s+lead\s*\((?:at\s+|from\s+)?([^()]{2,60})\)", said.strip(), re.I)
        said = f"{paren.group(1)} at {paren.group(2)}" if paren else said
        who = re.sub(r"^\s*the\s+|\s+(?:lead|one)\s*$", "", said, flags=re.I) or said
        # "why is Acme rated high risk" is about an account: take it only when it is clearly a lead
        clearly_a_lead = (
            claimed is not None
            or "lead" in text.lower()
            or "@" in who
            or who.lstrip("#").isdigit()
            or _names_a_lead(who, ctx)  # "why is Stephanie Lee scored so high": a lead's own name
            or (bool(one) and _names_a_lead_company(who, ctx))
        )
        if clearly_a_lead and not _ACCOUNT_WORDS.search(text):
            return ToolCall(NAME, LeadsArgs(intent="why", who=who.lstrip("#"), claimed_score=claimed))
    if "lead" not in text.lower() and not _CALL.match(text):
        return None
    if m := _SCORE.match(text):
        return ToolCall(NAME, LeadsArgs(intent="score", who=m["who"]))
    if m := _CARD.match(text):
        return ToolCall(NAME, LeadsArgs(intent="card", who=m["who"].lstrip("#")))
    if _REPORT_WORDS.search(text):
        return None
    if m := _MINE.match(text):
        return ToolCall(NAME, LeadsArgs(intent="mine", limit=_limit(m["n"], m["n2"]), period=_period(m)))
    if m := _TOP.match(text):
        return ToolCall(NAME, LeadsArgs(intent="top", limit=_limit(m["n"]), period=_period(m)))
    if _CALL.match(text):
        return ToolCall(NAME, LeadsArgs(intent="call"))
    return None


def _claimed_score(why: re.Match) -> int | None:
    """The score a "why" question quotes ("why is Jane scored 82": 82), or None."""
    return next((int(why[g]) for g in ("score", "score2", "score3", "score4") if why[g]), None)


def asks_of_a_lead_shown(text: str, ctx) -> bool:
    """The question is about the lead (or a row of the list of leads) just shown."""
    return _a_lead_shown(text, ctx) is not None


def _a_lead_shown(text: str, ctx) -> ToolCall | None:
    """A question about a lead just shown: the one lead of the last answer (a lead's card, or a report's one lead by
    its email), or a row of the last ranked list of leads."""
    thread = (ctx.thread or {}) if ctx is not None else {}
    last = thread.get("last_skill")
    listed = (
        (thread.get("lead_ids") or [])
        if last == NAME
        else (thread.get("leads_listed") or [])
        if last == "reports"
        else []
    )
    shown = (
        listed
        if last == NAME
        else [thread["lead_shown"]]
        if last == "reports" and thread.get("lead_shown")
        else []
    )
    if len(shown) == 1:
        why = _WHY.match(text)
        if (why and why["who"].lower() in _POINTING) or _WHY_SO.match(text):
            # "why is it scored like that?", "why so high?" after one lead: its reasons
            claimed = _claimed_score(why) if why else None
            return ToolCall(NAME, LeadsArgs(intent="why", who=str(shown[0]), claimed_score=claimed))
        # "and its score?", "whats the source and title on it", "conversion prob?"
        if _ITS.match(text) or _asks_what_its_card_shows(text):
            return ToolCall(NAME, LeadsArgs(intent="card", who=str(shown[0])))
    if len(listed) > 1 and ctx is not None:
        named = _listed_lead_named(text, listed, ctx)
        if named is not None and (_CARD_FIELD.search(text) or re.search(r"\bwhy\b", text, re.I)):
            # "why is Misty Point Technologies up there? whats its source, title, company size" after the top leads
            intent = "why" if re.search(r"\bwhy\b", text, re.I) else "card"
            return ToolCall(NAME, LeadsArgs(intent=intent, who=str(named)))
    nth = _WHY_NTH.match(text)
    at = _NTH_LEAD.get(nth["nth"].lower(), 0) if nth else None
    if at is not None and len(listed) > 1 and at < len(listed):
        # "why is the first one scored so high?" after a ranked list of leads: that lead's reasons
        return ToolCall(NAME, LeadsArgs(intent="why", who=str(listed[at])))
    return None


def _listed_lead_named(text: str, listed: list, ctx) -> int | None:
    """The one lead of the list just shown whose company (or full name) the text names."""
    from sqlalchemy import func, or_, select

    from db.models import Lead

    lowered = " ".join(text.lower().split())
    ids = [int(v) for v in listed[:50] if str(v).isdigit()]
    emails = [str(v).lower() for v in listed[:50] if "@" in str(v)]
    with ctx.read_only_engine.connect() as conn:
        rows = conn.execute(
            select(Lead.id, Lead.company_name, Lead.first_name, Lead.last_name).where(
                or_(Lead.id.in_(ids), func.lower(Lead.email).in_(emails))
            )
        ).all()
    named = {
        row.id
        for row in rows
        for said in (row.company_name, f"{row.first_name} {row.last_name}")
        if said and len(said) > 3 and re.search(rf"(?<!\w){re.escape(said.lower())}(?!\w)", lowered)
    }
    return next(iter(named)) if len(named) == 1 else None


def period_start(period: str | None, today: date) -> date | None:
    """The first day of a relative period (weeks start on Monday; "last N days" includes today):
    the report engine's reading of the same words."""
    if not period:
        return None
    from tools.reports.timewords import find_period

    found, _ = find_period(period, today)
    return found.start if found is not None else None


def _list_title(args: LeadsArgs, owner_name: str | None) -> str:
    scope = {
        "mine": f"{owner_name}'s best leads" if owner_name else "My best leads",
        "call": "Leads to call today",
    }
    title = scope.get(args.intent, f"Top {args.limit} leads")
    return f"{title} ({args.period})" if args.period else title


def run(call, ctx):
    args: LeadsArgs = call.args
    if args.intent in ("card", "score", "why"):
        return _one_lead(args, ctx)
    from tools.leads.cards import ranked_leads

    owner_id = None
    if args.intent == "mine" or (args.intent == "call" and ctx.actor.user_id is not None):
        if ctx.actor.user_id is None:
            return Message(
                "I don't know which CRM user you are, so I can't tell which leads are yours. "
                'Ask for the "top 10 leads" instead, or ask as a CRM user.',
                kind="refused",
            )
        owner_id = ctx.actor.user_id
    title = _list_title(args, ctx.actor.name if owner_id else None)
    owner_ids, emails_of = _scope_of(ctx)
    result = ranked_leads(
        ctx.engine,
        ctx.today,
        title=title,
        limit=args.limit,
        created_from=period_start(args.period, ctx.today),
        owner_id=owner_id,
        owner_ids=owner_ids,
        emails_of=emails_of,
    )
    if args.intent == "call" and owner_id is not None and not result.leads:
        everyone = "all owners" if owner_ids is None else ctx.scope.describe().replace("accounts", "leads")
        result = ranked_leads(
            ctx.engine,
            ctx.today,
            title=f"Leads to call today ({everyone})",
            limit=args.limit,
            owner_ids=owner_ids,
            emails_of=emails_of,
        )
    if owner_ids is not None and not result.note:
        result.note = f"Only {ctx.scope.describe().replace('accounts', 'leads')} (your data scope)."
    return result


def _scope_of(ctx) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """(the owners whose leads the asker sees, or None: all; the owners whose lead emails they see,
    or None: all): the asker's data scope and their right to people data."""
    scope = ctx.scope
    owner_ids = None if scope.is_all else scope.user_ids
    own = frozenset({ctx.actor.user_id}) if ctx.actor.user_id is not None else frozenset()
    return owner_ids, None if scope.people else own


def _one_lead(args: LeadsArgs, ctx):
    from tools.leads.cards import lead_cards
    from tools.leads.features import load_leads
    from tools.leads.lookup import find_lead
    from tools.scope import lead_problem

    who = (args.who or "").strip()
    owner_ids, emails_of = _scope_of(ctx)
    found = find_lead(ctx.engine, who, owner_ids=owner_ids, emails=emails_of is None)
    if found.unique is None:
        if found.lead_ids:
            return Message(
                f"Several leads match '{who}'. Which one?", kind="clarify", choices=found.suggestions
            )
        if found.suggestions:
            return Message(
                f"I couldn't find a lead '{who}'. Did you mean:", kind="clarify", choices=found.suggestions
            )
        return Message(
            f"I couldn't find a lead '{who}'. Try the lead's id (\"lead 123\"), email or full name.",
            kind="refused",
        )
    problem = lead_problem(ctx.engine, ctx.scope, found.unique)
    if problem:
        return Message(problem, kind="refused")
    if args.intent == "score":
        card = _score_and_store(found.unique, ctx)
    else:
        leads = load_leads(ctx.engine, lead_ids=[found.unique])
        card = lead_cards(ctx.engine, leads, ctx.today, emails_of=emails_of)[0]
    if emails_of is not None and card.email and not _owned_by(ctx.engine, found.unique, emails_of):
        card.email = None  # people data: only the lead's own owner (or the roles allowed) see it
    if args.claimed_score is not None and card.score is not None and card.score != args.claimed_score:
        card.note = (
            f"It scores {card.score} now, not {args.claimed_score}: the data or the model changed since."
        )
    if args.intent == "why":  # "why is it scored like that?": the reasons, in words, with the lead's row
        return _why_in_words(card)
    return card


def _why_in_words(card):
    """The reasons behind a lead's score, in words, with the lead's row."""
    from bot.render.leads import reasons_text
    from tools.leads.results import LeadExplanation

    if card.score is None:
        return LeadExplanation(card, f"{card.name} has no score yet: the lead model hasn't scored it.")
    chance = f", {round(card.probability * 100)}% likely to convert" if card.probability is not None else ""
    text = (
        f"{card.name} scores {card.score}/99{chance} ({card.scored_by}). What drives the score: "
        f"{reasons_text(card.reasons)}. A lead score is the lead model's estimate of how likely a lead is to "
        "convert, learnt from past leads that did or didn't; each reason is something about this lead that moved "
        "the score up (+) or down (-)."
    )
    if card.note:
        text += f" {card.note}"
    return LeadExplanation(card, text)


def _owned_by(engine, lead_id: int, owners: frozenset[int]) -> bool:
    from sqlalchemy import select

    from db.models import Lead

    with engine.connect() as conn:
        owner = conn.execute(select(Lead.owner_id).where(Lead.id == lead_id)).scalar()
    return owner is not None and int(owner) in owners


def _score_and_store(lead_id: int, ctx):
    """Score the lead and store the score; on a read-only database, answer without storing."""
    from sqlalchemy.exc import OperationalError

    from tools.leads.cards import lead_cards
    from tools.leads.features import load_leads
    from tools.leads.scoring import score_lead

    try:
        return score_lead(ctx.engine, lead_id, ctx.today)
    except OperationalError:
        return lead_cards(ctx.engine, load_leads(ctx.engine, lead_ids=[lead_id]), ctx.today)[0]


def thread_state(call, result) -> dict | None:
    """Remember which leads were shown, so a follow-up can refer to them."""
    from tools.leads.results import LeadCard, LeadExplanation, LeadList

    if isinstance(result, LeadCard):
        return {"skill": NAME, "lead_ids": [result.lead_id]}
    if isinstance(result, LeadExplanation):  # the lead explained: "who owns that one" next
        return {"skill": NAME, "lead_ids": [result.card.lead_id]}
    if isinstance(result, LeadList):
        state = {"skill": NAME, "lead_ids": [c.lead_id for c in result.leads]}
        args = getattr(call, "args", None)
        owners = {c.owner for c in result.leads}
        # ("my 3 hottest leads", then "whats the conversion probability on each": the asker's, whose name they carry)
        mine = getattr(args, "intent", None) == "mine" and len(owners) == 1 and None not in owners
        if (
            getattr(args, "intent", None) in ("top", "mine")
            and not args.period
            and (mine or args.intent == "top")
        ):
            # "top 5 leads", then "just referral ones": the same ranking, as a report can narrow it
            from bot.skills.reports import THREAD_KEY
            from tools.reports import semantic
            from tools.reports.query import Filter, Query

            still_open = semantic.model().lists["leads"].open  # the open statuses, as the model names them
            ranking = Query(
                metric="leads",
                filters=[Filter(still_open.dimension, [str(v) for v in still_open.values])]
                + ([Filter("rep", sorted(owners))] if mine else []),
                order="desc",
                limit=args.limit,
                list_records=True,
                sort_column="leads.score",
            )
            state[THREAD_KEY] = ranking.to_dict()
        return state
    return None
