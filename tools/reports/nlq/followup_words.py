"""The words and checks a follow-up is read by that more than one kind of follow-up shares: "in total",
"sort ... ascending", "which were they", a column asked beside an account, the filters a follow-up says.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.nlq.kinds import GENERIC_METRICS
from tools.reports.query import Filter, Query

IN_MONEY = re.compile(r"\b(?:in|as)\s+(?:dollars|\$|usd|eur|euros|money|value|amounts?)\b")
SORT = re.compile(r"\b(?:sort|sorted|order|ordered|rank|ranked|arrange|rearrange)\b")
ASCENDING = re.compile(
    r"\b(?:ascending|asc|smallest\s+first|lowest\s+first|least\s+first|low\s+to\s+high|lowest\s+to\s+highest|"
    r"smallest\s+to\s+(?:largest|biggest)|least\s+to\s+most|worst\s+to\s+best)\b"
)
_IN_TOTAL = re.compile(
    r"\b(?:in\s+total|overall|altogether|all\s+together|combined|all\s+up|grand\s+total|whole\s+total)\b|"
    # "how much of that is slated to close in february? one total is fine": one figure, no split
    r"\b(?:one|a\s+single|just\s+(?:the|a|one))\s+(?:total|number|figure)\b|\bno\s+(?:breakdown|split)\b|"
    # "how much is overdue across all of them" after a list of accounts: one figure for them all
    r"\b(?:across|over|for)\s+all\s+(?:of\s+)?(?:them|those|these)\b|"
    # "and the whole 90+ bucket adds up to?" after its 10 biggest accounts: the bucket's one figure
    r"\b(?:add|adds|added)\s+up\s+to\b|\bthe\s+(?:whole|entire)\s+[\w+ -]{0,12}bucket\b|"
    # "total overdue across them?", "how much is overdue across them" after a list of accounts: one figure
    r"\b(?:total|how\s+much|sum|combined)\b[^?]{0,40}\b(?:across|over|for|on)\s+(?:them|those|these)(?:\s+(?:accounts|customers))?\s*[?.!]*\s*$|"
    # "how many invoices is that" after the overdue amount by account: the records behind it, counted once
    r"^\W*(?:and\s+|so\s+|ok\s+)?how\s+many\s+(?:invoices|deals|payments|tickets|leads|accounts|customers)\s+(?:is|was)\s+"
    r"(?:that|this|it)\W*$|"
    r"^\W*(?:and\s+)?(?:the\s+|what'?s\s+the\s+|whats\s+the\s+)?totals?\W*$|"
    r"\b(?:for|of|across)\s+the\s+(?:whole|entire)\s+(?:team|company|group)\b|\bteam\s+total\b|"
    # "and Q4 total vs Q4 '24?" after Q4 by region: one figure for each quarter
    r"\b(?:q[1-4]|h[12]|quarter|month|year|ytd|qtd|mtd|fy\d*|\d{4})\s+totals?\b|\btotals?\s+(?:vs\.?|versus|compared)\b"
)  # "total?" alone: the grand total


def in_total(b) -> bool:
    """ "how many deals in total is that": one figure, not the previous answer's groups."""
    return bool(_IN_TOTAL.search(b.raw))


GENERIC_RECORD_WORDS = GENERIC_METRICS - {"activities", "products", "prospects"}  # records a list shows


def rows_are_records(query: Query) -> bool:
    """A ranking of one row per record ("top 10 customers by ltv"), not an aggregate over groups."""
    model = semantic.model()
    entry = model.lists.get(model.base_of(query.metric))
    rank_dim = entry.rank_dimension if entry else None
    return bool(
        query.order and query.limit and query.group_by and query.group_by[0] in (rank_dim, "customer")
    )


def asks_for_records(b) -> bool:
    """ "which of those", "show them", "list those", "which ones", "any of them": the records behind
    the figure."""
    raw = b.raw
    if IN_MONEY.search(raw) or WHAT_WORTH.search(raw):
        return False  # "show it in dollars instead", "what are they worth": the money, not the records
    return (
        any(
            phrase in raw
            for phrase in (
                "which of",
                "which ones",
                "show them",
                "list them",
                "show those",
                "list those",
                "show me them",
                "any of",  # "any of those flagged high risk?": yes or no is the list, empty or not
            )
        )
        or (b.has_marker("list") and b.follow.refers)
        # "list javier's" after the high-risk accounts each rep has: that rep's ones, listed
        or bool(
            re.match(
                r"\W*(?:pls\s+|please\s+)?(?:list|show(?:\s+me)?|give\s+me)\s+(?:[a-z.-]+\s+){0,2}[a-z.-]+'s"
                r"(?:\s+(?:ones|accounts|deals|leads|invoices|tickets))?\s*(?:pls|please)?\s*[?.!]*$",
                raw,
            )
        )
        # "list just the bank transfers over 200k - company, amount, date" after payments by method: those payments
        or (
            b.has_marker("list")
            and bool(b.columns_asked)
            and bool(re.match(r"\W*(?:pls\s+|please\s+)?list\b", raw))
        )
        or bool(WHICH_WERE_THEY.search(raw))
        # "who owns them" after how many leads: each of them, with its owner
        or bool(
            re.search(
                r"\bwho\s+(?:owns|handles|is\s+(?:working|on))\s+(?:them|those|these|each(?:\s+one)?)\b", raw
            )
        )
        or bool(WHICH_RECORDS_OVER.search(raw))
        # "ok, the LATAM ones then: name and health score": those records, with the columns named
        or bool(b.columns_asked and re.search(r"\bones\b|\bthem\b|\bthose\b", raw))
    )


WHAT_WORTH = re.compile(
    r"\bwhat\s+(?:are|were|is|was)\s+(?:they|those|these|it|that|them)\s+(?:all\s+)?worth\b"
)
# "which deals were they in q3", "what invoices are those": the records behind the figure
WHICH_WERE_THEY = re.compile(
    r"\b(?:which|what)\s+(?:deals?|invoices?|payments?|tickets?|leads?|accounts|customers|companies|ones)\s+"
    r"(?:were|are|was|is|made\s+up)\s+(?:they|those|these|that|it|them)\b|"
    # "just proposal - which deals": those of the narrowed figure
    r"(?:^|[-—–,;:]\s*|\band\s+)which\s+(?:deals|invoices|payments|tickets|leads|ones)\s*[?.!]*\s*$"
)
# "only negotiation - which deals are over 200k": those deals, each over it
WHICH_RECORDS_OVER = re.compile(
    r"\b(?:which|what)\s+(?:of\s+(?:those|the|these)\s+)?(?:deals|opps|opportunities|invoices|payments)\b[^?]{0,30}"
    r"\b(?:over|above|under|below|more\s+than|less\s+than|bigger\s+than|smaller\s+than|at\s+least)\b"
)


def filters_said(b, metric: str, base: str) -> list[Filter] | None:
    """The values a follow-up names ("LATAM", "proposal", "Giulia"), as filters on ``base``; None when one
    can't apply there (the refusal is the full reading's to give)."""
    fresh = Query(metric=metric)
    if b._apply_words(fresh, base, [], [], who_groups=False) is not None:
        return None
    return fresh.filters


ONE_MORE_BESIDE = re.compile(r"^\W*(?:and|also|plus|what\s+about|how\s+about)\s+(?:the\s+)?(?:\w+\W*){1,3}$")


PER_ACCOUNT_DIMENSIONS = {
    "churn_risk",
    "health_band",
    "region",
    "country",
    "industry",
    "rep",
    "lifecycle_stage",
}


# "how many ... and what do they add up to", "count + amount": the count, with the records' amount beside it
WITH_AMOUNTS = re.compile(
    r"\bw(?:ith)?/?\s+(?:the\s+|their\s+)?(?:amounts?|values?|\$)(?!\w)|\bcount\s+(?:and|\+|&)\s+(?:\$|amount|value|total|sum)|"
    r"(?:\band|\+|,)\s+(?:what'?s\s+|whats\s+|what\s+is\s+|for\s+)?(?:how\s+much|the\s+total\s+(?:still\s+)?(?:owed|value|amount)|"
    r"the\s+(?:overdue\s+|outstanding\s+|unpaid\s+|total\s+|open\s+)?(?:amount|value|balance)s?|(?:the\s+)?\$)(?!\w)|"
    r"\bhow\s+much\s+is\s+each\b|"
    r"(?:\band|\+|,)\s+what\s+(?:are|were|is|was)\s+(?:they|those|these|it|that)\s+worth\b|"
    # "how many is that and what's the total"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is)\s+the\s+total\s*[?.!]*\s*$|"
    # "how many invoices are waiting on approval and whats the total on them"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is|what\s+was)\s+the\s+(?:\$\s*)?(?:total|sum|value|amount)\s+(?:on|of|for|across)\s+"
    r"(?:them|those|these|it|that)\b|"
    r"(?:\band|\+|,)\s+(?:the\s+)?total\s+(?:\$|amount|value|dollars)(?!\w)|"
    r"(?:\band|\+|,)\s+(?:what'?s|whats|what\s+is)\s+(?:the\s+)?total\s+(?:overdue\s+|outstanding\s+|unpaid\s+|open\s+|owed\s+)?"
    r"(?:\$|amount|value|dollars)(?!\w)|"
    r"(?:\band|\+|,)\s+(?:what'?s|what\s+is|what\s+was)\s+(?:their|its|the)\s+(?:total\s+|combined\s+)?(?:value|worth|amount)\b|"
    # "how many overdue invoices ... and what do they add up to", "and how much do they come to"
    r"(?:\band|\+|,)\s+(?:what|how\s+much)\s+(?:do|does|did)\s+(?:they|those|these|it|that|them)\s+"
    r"(?:add\s+up\s+to|come\s+to|total|amount\s+to|sum\s+to)\b"
)
