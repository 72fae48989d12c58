"""The insights skill: one named account's card ("how is Acme doing", "why is Acme at risk",
"what's the LTV on Acme", "what should I do about Acme"), and follow-ups about it ("its churn
risk", "and Kingsley Works?").

Companies are found by meaning: the message names an account the database knows (exactly, by a
distinctive part of its name, or with a typo) and asks about it as an account (health, risk,
churn, lifetime value, how it is doing, what to do). A name that fits several accounts gets a
question back with the choices. Rankings and counts over accounts ("top 5 riskiest accounts",
"average health by region", "my accounts at high churn risk") are reports on customer_insights.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.skill import ToolCall
from tools.results import Message

NAME = "insights"

_ACCOUNT = re.compile(
    r"\b(?:doing|doin|health|healthy|unhealthy|healthscore|risk|risky|at[- ]risk|churn\w*|ltv|clv|lifetime\s+value|"
    r"insights?|how\s+are\s+things|what\s+should\s+(?:i|we)\s+do|next\s+(?:steps?|actions?|best\s+actions?)|"
    r"recommend\w*|account\s+(?:status|summary|overview)|tell\s+me\s+about|how'?s\s+it\s+going|"
    # "why so low?? is it engagement, payment or support that's dragging it": the score's parts
    r"dragging|why\s+so\s+(?:low|high|bad|poor|weak))\b",
    re.I,
)
# words of a report over accounts, or of a figure filtered to one account: not a card
_REPORT = re.compile(
    r"\b(?:by|per|each|every|how\s+many|number\s+of|average|avg|mean|median|sum|top\s+\d+|bottom\s+\d+|"
    r"lowest|highest|riskiest|compare[ds]?|vs\.?|versus|trend|monthly|weekly|quarterly|list|all\s+(?:the\s+)?"
    r"(?:accounts|customers)|when\s+(?:exactly\s+)?did|when\s+(?:was|were)\s+(?:it|they)\s+(?:lost|churned)|since\s+when|"
    # "what have we been doing with them? last 5 activities": their records, the latest few
    # "what's open w Acme? need next steps before renewal": the deals still open with them
    r"what(?:'s|s|\s+is)\s+(?:still\s+)?open\s+(?:with|w/?|for|at|on)|"
    # "who's the account owner there, and which team are they on?": the owner's team is no part of the card
    r"(?:which|what)\s+team|"
    r"(?:last|latest|most\s+recent|recent)\s+\d{1,3}\s+(?:activities|activity|touches|touchpoints|emails|calls|meetings|"
    r"notes|tickets|deals|invoices|payments))\b",  # "when did X churn": a date, from the records
    re.I,
)
# "how is <name> doing": a name the database doesn't know still gets "no company called ..., did you mean"
# "how's Globex looking": a card only when the words name a company the database has
_LOOKING = re.compile(r"\bhow(?:'s|s|\s+is|\s+are)\s+.{1,80}?\s+(?:looking|lookin|shaping\s+up)\b", re.I)
_NAMED = tuple(
    re.compile(p, re.I)
    for p in (
        r"^how(?:'s|s| is| are)\s+(?:things (?:with|at)\s+)?(?P<name>.+?)\s+doin[g']?\s*[?.!]*$",
        r"^(?:what(?:'s| is)\s+the\s+)?(?:health(?: score)?|insights?|churn risk|ltv|lifetime value)\s+"
        r"(?:of|for|on|at)\s+(?P<name>.+?)\s*[?.!]*$",
    )
)
_NOT_NAMES = re.compile(
    r"^(?:we|us|things|it|everyone|everybody|you|sales|business|the\s+\w+|my\s+.*|our\s+.*|this\s+\w+|"
    r"revenue|pipeline|bookings)$",
    re.I,
)
_REFERS = re.compile(
    r"\b(?:its|it|it's|their|they|them|this\s+(?:one|account|customer)|that\s+(?:one|account|customer)|the\s+account|"
    # "what's actually driving the risk tho": the risk of the account just shown
    r"(?:driving|dragging|behind)\s+(?:the|its|their)\s+(?:risk|health|score|churn\s+risk))\b",
    re.I,
)
# words for what the card shows, said right after it ("the probability", "when they'd walk")
_CARD_FIELDS = re.compile(
    r"\b(?:probability|likelihood|odds|chances?|predicted|prediction|walk(?:\s+away)?|leave\s+us|jump\s+ship)\b",
    re.I,
)
# "who owns that account": the card names the owner
_OWNER = re.compile(
    r"\b(?:who\s+owns|owner|owned\s+by|account\s+(?:manager|owner|exec)|who'?s\s+(?:on|managing))\b", re.I
)
_WHAT_DRIVES_IT = re.compile(
    r"\b(?:driving|behind|dragging|causing)\s+(?:that|it|this|them)\b|\bbreak\s*down\b|\bbreakdown\b|\bsplit\b|"
    r"\bwhich\s+(?:part|component|piece|bit|score)s?\s+(?:is|are|'s)\s+(?:dragging|pulling|holding|weighing)\b|"
    r"\bbreak\s+(?:that|it|this)\s+(?:down|up)\b|"
    r"^\W*(?:and\s+|ok\s+|so\s+)?why\s*(?:tho|though)?\W*$|\bwhy\s+(?:is\s+)?(?:it|that|they|so)\b",
    re.I,
)
_SHORT_FOLLOW_UP = re.compile(
    r"^\s*(?:and|what\s+about|how\s+about|and\s+what\s+about|same\s+for|now|"
    # "sorry, I meant the billing entity - Catalyst Studios (Billing)": the same card, of the account meant
    r"(?:(?:sorry|no|nope|oops|my\s+bad|actually)\W+)*(?:i\s+)?meant)\b",
    re.I,
)


class CompanyInsightArgs(BaseModel):
    company: str
    candidates: list[str] = Field(default_factory=list)  # when the name fits several accounts


ARGS = CompanyInsightArgs
DESCRIPTION = (
    "One customer account's insight card: health score with its breakdown, churn risk with reasons and a "
    "date, lifetime value, next actions. `company`: the account's name. Rankings or counts over many "
    "accounts are reports, not this."
)


def match(text, ctx):
    text = (text or "").strip()
    if not text:
        return None
    from tools.reports.nlq.screen import screen

    if screen(text) is not None:
        return None  # "can you mark Acme as churned in the CRM?": a change to the data, refused by reports
    thread = ctx.thread or {}
    # "renewals are coming up. which of my customers are high churn risk?", "I have a call with Acme at 3 - how
    # healthy are they?": the question after the context, its "they" the account the context names
    text = _after_context(text, ctx)
    if len(thread.get("companies_named") or []) > 1:
        from tools.reports.nlq.reader_focus import EACH_OF_THE_ACCOUNTS

        if EACH_OF_THE_ACCOUNTS.search(text):
            return None  # "ltv for both of them" after two accounts' cards: a row each, from the reports
    # "whats driving that? breakdown pls", "why?", "whats the engagement / payment / support split" right after an
    # account's card: what the card shows
    drives = (
        thread.get("last_skill") == NAME
        and bool(thread.get("company"))
        and len(text.split()) <= 14
        and bool(_WHAT_DRIVES_IT.search(text))
        # ("why so bad? show me the engagement / payment / support scores": those scores, as a report gives them)
        and not re.search(r"\b(?:engagement|payment|support)\b[^?]*\bscores?\b", text, re.I)
    )
    pulled = _pulled_up(text, ctx)
    if pulled is not None:
        return pulled  # "pull up Blue Way Systems for me, got a call with them at 2", "pull up the customer card for X"
    account_words = bool(_ACCOUNT.search(text)) or drives
    if (
        thread.get("last_skill") == NAME
        and thread.get("company")
        and _CARD_FIELDS.search(text)
        and (_REFERS.search(text) or len(text.split()) <= 4)
    ):
        account_words = (
            True  # "whats the actual probability, and when do we think they'd walk": the card's figures
        )
    looking = bool(_LOOKING.search(text))
    continues = thread.get("last_skill") == NAME and bool(
        _SHORT_FOLLOW_UP.match(text)
        or len(text.split()) <= 4
        # "churn risk and predicted churn date?" right after the card: more of the same account
        or (
            len(text.split()) <= 7
            and account_words
            and not _REPORT.search(text)
            and not re.search(r"\b(?:my|our|all|which|who|region|team|customers|accounts)\b", text, re.I)
        )
    )
    if (
        not (account_words or looking)
        and not continues
        and not (thread.get("company") and _OWNER.search(text))
    ):
        return None
    named = _companies(text, ctx)
    if account_words and named:
        rest = text.lower().replace("&", " and ")
        for phrase, _ in named:
            rest = rest.replace(phrase.lower(), " ")
        account_words = bool(
            _ACCOUNT.search(rest)
        )  # "open tickets for Summit Health": a name, no account word
        if not (account_words or looking or continues):
            return None
    if looking and not account_words and not named:
        return None  # "how's the pipeline looking": a report
    if named:
        if len(named) > 1 or _REPORT.search(text):
            return None  # several accounts, or a report filtered to one: the reports skill
        phrase, names = named[0]
        from tools.reports.nlq.words import written_exactly

        exact = written_exactly(names, text)  # "Optiva Surgical Ltd" beside "Optiva Surgical, Ltd"
        names = [exact] if exact else names
        if len(names) == 1:
            return ToolCall(NAME, CompanyInsightArgs(company=names[0]))
        return ToolCall(
            NAME, CompanyInsightArgs(company=phrase, candidates=names[:20])
        )  # (as many as a reply may pick from)
    focus = thread.get("company")
    # "its churn risk", "churn probability?", "and churn risk?" right after that account's card
    about_focus = (
        _REFERS.search(text) or drives or (continues and (not _SHORT_FOLLOW_UP.match(text) or account_words))
    )
    if focus and (account_words or _OWNER.search(text)) and about_focus and not _REPORT.search(text):
        if not account_words and not _has_insights(ctx, focus):
            return None  # "who's the account owner on that one" of a churned account: its owner, from the reports
        return ToolCall(NAME, CompanyInsightArgs(company=focus))  # "its churn risk", "churn probability?"
    for pattern in _NAMED:
        found = pattern.match(text)
        name = found.group("name").strip(" '\"") if found else ""
        if name and not _NOT_NAMES.match(name) and not _REPORT.search(text) and name[:1].isupper():
            return ToolCall(NAME, CompanyInsightArgs(company=name))
    return None


_PULL_UP = re.compile(
    r"^\W*(?:(?:hey|hi|ok|pls|please|can\s+(?:you|u)|could\s+(?:you|u))\W+)*(?:pull|bring)\s+up\s+(?:the\s+)?"
    r"(?:(?:customer|account|client)\s+(?:card|profile|overview|summary|record)\s+(?:for|on|of)\s+)?(?P<rest>.+)$",
    re.I,
)


def _pulled_up(text: str, ctx) -> ToolCall | None:
    """ "pull up Blue Way Systems for me", "bring up the account card for Otter Credit": that one account's card, where
    the words after "pull up" are one account's name and nothing else."""
    found = _PULL_UP.match(text)
    if not found:
        return None
    clause = re.split(r"\s*(?:[,;.?!]|\s[-—–]\s|\bfor\s+me\b|\bpls\b|\bplease\b)", found.group("rest"))[
        0
    ].strip()
    named = _companies(clause, ctx) if clause else []
    if len(named) != 1:
        return None
    phrase, names = named[0]
    if clause.lower().replace(phrase.lower(), "").strip(" '\"") not in ("", "'s"):
        return None  # "pull up Acme's invoices": their invoices, a report
    if len(names) == 1:
        return ToolCall(NAME, CompanyInsightArgs(company=names[0]))
    return ToolCall(NAME, CompanyInsightArgs(company=phrase, candidates=names[:20]))


def _has_insights(ctx, company: str) -> bool:
    """Whether the account has a card (a current customer's insights row)."""
    from sqlalchemy import text as sql

    with ctx.read_only_engine.connect() as con:
        return bool(
            con.execute(
                sql(
                    "SELECT 1 FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
                    "WHERE c.name = :name AND c.lifecycle_stage = 'customer'"
                ),
                {"name": company},
            ).first()
        )


def _after_context(text: str, ctx) -> str:
    from tools.reports import entities
    from tools.reports.nlq.reader_context import after_context, has_context

    asked, mark, after = text.partition("?")
    if (
        mark
        and after.strip()
        and (_HOW_IS.match(asked) or _ACCOUNT.search(asked))
        and not _ACCOUNT.search(after)
        and not re.search(r"\?", after.strip())
    ):
        # "how's stone compass doing? their renewal is on the list for next week": the question, the remark set
        # aside when it names nothing the question doesn't ("when is X predicted to churn? they have gone quiet on me")
        from tools.reports.nlq.remarks import carries_meaning

        if not carries_meaning(after, ctx.today, entities.load(ctx.read_only_engine), asked):
            text = asked + "?"
    if not has_context(text):
        return text  # (most messages: no database names looked up for it)
    return after_context(text, entities.load(ctx.read_only_engine))


_HOW_IS = re.compile(r"^\W*how(?:'s|s|\s+is|\s+are)\b", re.I)


def _companies(text: str, ctx) -> list[tuple[str, list[str]]]:
    from tools.reports import entities
    from tools.reports.nlq.words import company_mentions

    return company_mentions(text, entities.load(ctx.read_only_engine))


def run(call, ctx):
    from tools.insights import service

    args = call.args
    if len(args.candidates) > 1 and not ctx.scope.is_all:  # offer only the accounts the asker may see
        from tools.scope import visible_names

        seen = visible_names(ctx.read_only_engine, ctx.scope, args.candidates)
        if not seen:
            return Message(ctx.scope.not_yours(", ".join(args.candidates[:3])), kind="refused")
        args = CompanyInsightArgs(company=seen[0] if len(seen) == 1 else args.company, candidates=seen)
    if len(args.candidates) > 1:
        return Message(
            f'Several accounts match "{args.company}". Which one did you mean?',
            kind="clarify",
            choices=list(args.candidates),
            phrase=args.company,
        )
    card = service.company_insight(ctx.engine, ctx.today, args.company, scope=ctx.scope)
    if isinstance(card, Message):
        return card
    return service.with_stored_values(ctx.engine, card)  # the same figures a report on the table shows


def thread_state(call, result) -> dict | None:
    """Remember the company a card was about, so a follow-up can refer to it ("its churn risk")."""
    from tools.insights.results import CompanyInsight

    if isinstance(result, CompanyInsight):
        # "do they have any open tickets?", "the deals we've won with them": a report about this account
        return {
            "skill": NAME,
            "company_id": result.company_id,
            "company": result.company_name,
            "focus": {"account": result.company_name},
        }
    return None
