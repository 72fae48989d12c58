"""Follow-ups said in words of their own, said again in the reader's words before it reads them: what the previous
answer makes of "same breakdown", "which accounts paid?", "list the deals", "which accounts opened 4 or more?", "over
that 90 day window", "total and how many deals" (tools.reports.nlq.reader_said calls it when there is a previous
answer)."""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import ACCOUNT_COUNTS
from tools.reports.query import Query


def said_after(question: str, previous: Query) -> str:
    """The follow-up in the reader's words, given the answer before it."""
    ones_then_which = _ONES_THEN_WHICH.match(question)
    if ones_then_which:
        # "only the urgent ones - which accounts raised them?" after tickets by priority: those accounts, of the
        # urgent ones (never the urgent tickets listed)
        question = f"{ones_then_which.group('which')} {ones_then_which.group('value')} only"
    label = semantic.model().metric(previous.metric).label.split(" (")[0]
    now = _THE_TOTAL_NOW.match(question) if not (previous.group_by or previous.list_records) else None
    if now:
        # "what counts as pipeline?" then "got it, so what's the total right now": that measure, now
        question = f"{label} {now.group('when')}"
    for_those = _WHAT_WAS_IT_FOR.match(question)
    if for_those and semantic.model().metric(previous.metric).aggregate not in ("count", None):
        # "how is resolution time measured?" then "and what was it for tickets created last month": that measure, for
        # those records (never how many of them)
        question = f"{label} for {for_those.group('rest')}"
    unpaid = _HOW_MUCH_OF_THAT_UNPAID.match(question)
    if unpaid and previous.metric == "invoiced" and previous.period is not None and previous.period.start:
        # "what did we bill in november?" then "how much of that hasn't been paid yet": what is still owed on the
        # invoices issued then (never all that is owed)
        question = f"how much is still outstanding on invoices issued {_period_words(previous)}{unpaid.group('rest')}"
    if previous.list_records and previous.metric == "deals_lost" and _WHY_LOST.match(question):
        # "show me deals we lost last week" then "and what did we lose them on? reasons pls": each deal's reason
        question = "and why?"
    alone = _A_COLUMN_ALONE.match(question) if previous.list_records else None
    if alone:
        # "top 5 open deals by amount" then "owners?": the same records with their owners (never a split by owner)
        question = f"and their {alone.group('column')}?"
    listed = _LIST_THE_RECORDS.match(question)
    if listed and semantic.model().base_of(previous.metric) == listed.group("records").lower():
        # "how much did the Nordics team book in Jan" then "list the deals - name, rep, amount": those deals
        question = f"list them{listed.group('rest')}"
    total_of = _THE_ONES_THEN_TOTAL.match(question) if previous.list_records else None
    if total_of and semantic.model().base_of(previous.metric) == "invoices":
        # "show me overdue invoices" then "just the ones more than 90 days past due - total $?": what is owed on those
        question = f"how much is owed on the ones {total_of.group('which')}"
    paid_by = _WHICH_ACCOUNTS_DID_IT.match(question)
    if (
        paid_by
        and previous.metric in _DONE_BY.get(paid_by.group("verb").lower(), ())
        and previous.period is not None
        and not (previous.group_by or previous.list_records or previous.compare_to)
    ):
        # "how much cash came in yesterday" then "which accounts paid? name + amount": yesterday's, by account
        question = f"by account{paid_by.group('rest')}"
    same_split = _SAME_BREAKDOWN.search(question) if previous.group_by else None
    if same_split:
        # "and how many of those are high churn risk? same breakdown" after customers by industry: by industry again
        said = " and ".join(
            g.split(":", 1)[1] if g.startswith("time:") else g.replace("_", " ") for g in previous.group_by
        )
        question = (
            question[: same_split.start()].rstrip(" ,.;-") + f", by {said}" + question[same_split.end() :]
        )
    if previous.owner is not None and previous.owner.scope == "team":
        # "my team's bookings this quarter" then "who on the team booked the most? top 3": which rep of it, in that
        # quarter (the team is already the answer's)
        question = _WHO_ON_THE_TEAM.sub("which rep ", question)
    if not previous.group_by and not previous.list_records:
        # "my team's bookings this quarter" then "who booked the most? top 3": which rep, never the biggest deals
        question = _WHO_DID_THE_MOST.sub("which rep ", question)
    if previous.metric in ("new_customers", "customers", "churned_customers") and not previous.list_records:
        # "how many new customers did we add in Q2?" then "and how many did we lose in the same period": customers lost
        # (churned), never deals lost
        question = _HOW_MANY_LOST.sub(
            lambda m: f"{m.group(1) or 'and '}how many customers {m.group(2)}", question
        )  # ("and": said after the answer, its period kept)
    beside = _PUT_BESIDE.match(question) if previous.period is not None and not previous.compare_to else None
    if beside and _A_PERIOD_NAMED.search(beside.group("other")):
        # "could you put May next to it so I can compare?" after June's bookings by region: June vs May ("put collected
        # next to it" names a measure, read as such)
        question = f"compare with {beside.group('other')}"
    if (
        any(g.startswith("time:") for g in previous.group_by)
        and not previous.list_records
        and _THE_TOTAL.search(question)
        and not _A_SPLIT.search(question)
        and _only_total_words(question)
    ):
        # "revenue by month this year", "just NA", then "what's the NA total ytd then": one figure for the period
        question = _THE_TOTAL.sub("in total", question, count=1)
    with_value = _WITH_AN_ACCOUNT_VALUE.search(question)
    if (
        with_value
        and previous.metric in ACCOUNT_COUNTS
        and not previous.list_records
        and re.search(r"\b(?:just|only)\b|\bones\b", question[: with_value.start()], re.I)
        and not re.search(r"\b(?:avg|average|mean|total|sum|median)\b", question, re.I)
    ):
        # "churn risk breakdown across our customers" then "just the high ones in EMEA, with health score": those
        # accounts listed, each with its score (never their average)
        question = f"{question[: with_value.start()]}, list them with {with_value.group('value')}"
    if previous.list_records:
        # "show me my overdue invoices" then "sort them oldest due date first" / "oldest due date first" / "sort by ltv,
        # biggest first": the same list in that order (never a new figure)
        question = _SORT_COLUMN_FIRST.sub(r"sort them, sorted by \g<column> \g<which> first", question)
        question = _SORT_BY.sub("sort them, sorted by", question)
    # "my bookings this year" then "list the deals with amount": those deals (each shows its amount), never every deal
    question = _LIST_THEM_WITH_A_COLUMN.sub(r"\g<head>", question)
    other = beside.group("other") if beside else None
    compare = _COMPARE_WITH.match(question) if other is None and not previous.compare_to else None
    other = compare.group("other") if compare else other
    if other and not _A_PERIOD_NAMED.search(other):
        # "conversion rate of event leads" then "put referral next to it" / "compare with referral": the two sources
        # side by side (never referral's alone in place of the events')
        question = _another_value(previous, other) or question
    if (
        previous.metric in ("deal_amount", "deals")
        and _open_stages_only(previous)
        and _TO_CLOSE.search(question)
    ):
        # "how much do we have sitting in negotiation?" then "list the ones expected to close in July": those open
        # deals, placed by their expected close date (the July ahead), never by when they were created
        question = re.sub(
            r"\b(?:the\s+ones|those|them|these)\b", "the open deals", question, count=1, flags=re.I
        )
    if previous.metric in ("overdue_invoices", "overdue_amount"):
        # "how many invoices are overdue?" then "the 5 oldest ones (by due date)": overdue ones are oldest by due date
        # already (the longest past due first)
        question = _OLDEST_BY_DUE_DATE.sub(r"\g<1>", question)
    if previous.metric == "churned_customers" and not previous.list_records:
        # "how many customers churned in 2025?" then "which region lost the most of them": the most churned customers
        question = _LOST_THE_MOST.sub(lambda m: f"had the {m.group(1).lower()} churned customers", question)
    question = _TOP_N_IN_THAT.sub(
        r"\g<1>", question
    )  # "top 5 accounts in that" after LATAM's overdue: of that
    if "rep" in previous.group_by and previous.owner is not None and previous.owner.scope == "team":
        # "bookings by rep for my team" then "ok and the total for the team in that quarter": the team in total
        question = _TOTAL_FOR_THE_TEAM.sub("in total", question)
    if (
        previous.period is not None
        and previous.period.start
        and _RATED_STARS.search(question)
        and not _A_PERIOD.search(question)
    ):
        # "csat last week" then "which accounts gave us a 1-star rating?": that week's ratings
        question = f"{question.rstrip(' ?.!')} {_period_words(previous)}"
    make_up = _WHICH_ACCOUNTS_MAKE_UP.match(question)
    if make_up and not previous.list_records:
        # "which accounts make up the 61-90 bucket?" after the aging: what is owed there, by account
        what = make_up.group("what")
        those = re.fullmatch(r"(?:all\s+of\s+)?(?:that|it|this|those|these|them)", what)
        question = "by account" if those else f"only {what}, by account"
    if _WHICH_ACCOUNTS_N.match(question):
        # "which accounts opened 4 or more?" after how many tickets LATAM customers opened: 4 or more of those
        question = _WHICH_ACCOUNTS_N.sub(r"\g<head> of them", question)
    window = _THAT_WINDOW.search(question)
    if window:
        days = int(window.group("days"))
        said = previous.period.label.lower() if previous.period else ""
        if (previous.metric == "dso" and days == 90) or re.search(
            rf"\b(?:last|past)\s+{days}\s+days\b", said
        ):
            # "what were total billings over that 90 day window?" after DSO: the 90 days DSO's billing is over
            question = question[: window.start()] + f" in the last {days} days" + question[window.end() :]
    total = _TOTAL_AND_COUNT.search(question)
    if total and not previous.also:
        measure = semantic.model().metric(previous.metric)
        if measure.format == "money" and measure.aggregate == "sum":
            # "just negotiation - total and how many deals" after the open pipeline by stage: that amount, and the count
            question = (
                question[: total.start("total")] + measure.label.lower() + question[total.end("total") :]
            )
    return question


_ONES_THEN_WHICH = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+)?(?:only|just)\s+(?:the\s+)?(?P<value>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+ones\s*[-–—:,]\s*"
    r"(?P<which>(?:which|what)\s+(?:accounts|customers|companies|clients)\s+(?:raised|opened|logged|filed|had|have|sent|"
    r"made|placed|paid|owe|are\s+they\s+from|were\s+they\s+from)\b[^?]*?)\s*[?.!]*\s*$",
    re.I,
)
_LIST_THE_RECORDS = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+|so\s+)?(?:pls\s+|please\s+)?(?:list|show)\s+(?:me\s+)?(?:the|those|these)\s+"
    r"(?P<records>deals|invoices|payments|leads)\b(?P<rest>\s*(?:[-–—:,]\s*[^?]*)?)[?.!]*\s*$",
    re.I,
)
_THE_ONES_THEN_TOTAL = re.compile(
    r"^\W*(?:ok\s+|and\s+|now\s+)?(?:just|only)\s+(?:the\s+)?ones\s+(?P<which>[^-–—:,?]{3,60}?)\s*[-–—:,]\s*"
    r"(?:what'?s\s+|whats\s+|what\s+is\s+)?(?:the\s+)?total(?:\s+(?:\$|amount|value|owed|outstanding))?\s*\$?\s*[?.!]*\s*$",
    re.I,
)
_WHICH_ACCOUNTS_DID_IT = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:which|what|who)\s+(?:accounts|customers|companies|clients)\s+(?P<verb>paid|booked|bought|"
    r"signed)\s*[?.!]*(?P<rest>(?:\s*[-–—:,]?\s*[a-z#$][\w\s,+&$#/-]{0,50})?)\s*[?.!]*\s*$",
    re.I,
)
_DONE_BY = {
    "paid": ("revenue", "payments"),
    "booked": ("bookings", "deals_won"),
    "bought": ("bookings", "deals_won"),
    "signed": ("bookings", "deals_won"),
}
_SAME_BREAKDOWN = re.compile(
    r"[?.!,;-]?\s*(?:(?:and\s+)?(?:with\s+|using\s+|in\s+)?the\s+|and\s+)?same\s+(?:breakdown|split|grouping|cut|view|layout)"
    r"(?:\s+as\s+before)?(?:\s+(?:please|pls))?\s*[.!?]*\s*$",
    re.I,
)
_WHO_ON_THE_TEAM = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?who\s+(?:on|in|from)\s+(?:the|my|our)\s+team\s+", re.I
)
_WHO_DID_THE_MOST = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?who\s+(?=(?:booked|sold|won|closed|brought\s+in|signed)\s+the\s+most\b)",
    re.I,
)
_WHICH_ACCOUNTS_N = re.compile(
    r"^(?P<head>\W*(?:and\s+|so\s+|ok\s+)?(?:which|what)\s+(?:accounts|customers|companies|clients)\s+(?:opened|raised|logged|"
    r"filed|had|have|has|got|placed|submitted|made)\s+(?:at\s+least\s+|more\s+than\s+|over\s+)?\d{1,4}(?:\s*\+|\s+or\s+more)?)"
    r"(?=\s*[?.!]*\s*$)",
    re.I,
)
_THE_TOTAL_NOW = re.compile(
    r"^\W*(?:(?:got\s+it|ok(?:ay)?|cool|thanks|thx|great|right|makes\s+sense|so|and)[\s,.!]+)*(?:so\s+)?(?:what'?s|what\s+is|whats)\s+"
    r"(?:the\s+|our\s+)?(?:total|number|figure|amount|value)\s+(?P<when>right\s+now|now|today|currently|as\s+of\s+today)\s*[?.!]*\s*$",
    re.I,
)
_WHAT_WAS_IT_FOR = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|cool|thanks|got\s+it|and|so)[\s,.!]+)*what\s+(?:was|is|were)\s+(?:it|that)\s+(?:for|on|across)\s+"
    r"(?P<rest>(?:the\s+)?(?:tickets|deals|invoices|leads|payments|customers|accounts)\b[^?]*?)\s*[?.!]*\s*$",
    re.I,
)
_HOW_MUCH_OF_THAT_UNPAID = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?how\s+much\s+of\s+(?:that|it|this|those|these|them)\s+(?:(?:has|have|is|are)(?:n'?t|\s+not)?\s+)?"
    r"(?:still\s+|not\s+|yet\s+to\s+be\s+|been\s+)*(?:been\s+)?(?:unpaid|outstanding|open|owed|uncollected|"
    r"(?<=n't\s)(?:been\s+)?(?:paid|collected)|(?<=not\s)(?:been\s+)?(?:paid|collected)|(?<=nt\s)(?:been\s+)?(?:paid|collected))"
    r"(?:\s+yet)?(?P<rest>[^?]*)\??\s*$",
    re.I,
)


def _period_words(previous: Query) -> str:
    """The previous answer's period said as words the reader reads back ("between 2026-11-01 and 2026-11-30")."""
    p = previous.period
    return f"between {p.start.isoformat()} and {p.end.isoformat()}"


_WHY_LOST = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:what\s+did\s+we\s+lose\s+(?:them|those|these|each(?:\s+one)?)\s+(?:on|to|over)\b[^?]*\??|"
    r"why\s+did\s+we\s+lose\s+(?:them|those|these|each(?:\s+one)?)\b[^?]*\??|(?:the\s+)?(?:lost\s+)?reasons?)"
    r"\s*[?.!]*\s*(?:(?:the\s+)?reasons?\s*)?(?:pls|please|thx)?\s*[?.!]*\s*$",
    re.I,
)
_A_COLUMN_ALONE = re.compile(
    r"^\W*(?:and\s+|\+\s*)?(?P<column>owners?|reps?|account\s+owners?|stages?|amounts?|regions?|industr(?:y|ies)|"
    r"due\s+dates?|close\s+dates?|balances?|statuses|status|sources?|scores?)\s*[?.!]*\s*$",
    re.I,
)
_LOST_THE_MOST = re.compile(
    r"\b(?:lost|loses|lose|saw)\s+(?:the\s+)?(most|fewest|least)(?:\s+(?:of\s+(?:them|those|these)|customers|accounts|churn))?\b",
    re.I,
)
_HOW_MANY_LOST = re.compile(
    r"^(\W*(?:and\s+|so\s+|ok\s+|what\s+about\s+)?)how\s+many\s+((?:did|have|had|has)\s+(?:we|you|they|i|the\s+team|my\s+team)\s+"
    r"(?:lose|lost)\b)",
    re.I,
)
_TO_CLOSE = re.compile(
    r"\b(?:expected|set|due|slated|scheduled|forecast(?:ed)?|projected)\s+to\s+close\b|\bclosing\s+(?:in|by|before|this|next)\b",
    re.I,
)


def _open_stages_only(previous: Query) -> bool:
    """The previous answer was about deals in open stages only ("sitting in negotiation")."""
    stages = [f for f in previous.filters if f.dimension == "stage" and not f.negate]
    return bool(stages) and all(
        set(f.values) <= {"prospecting", "qualification", "proposal", "negotiation"} for f in stages
    )


_A_PERIOD_NAMED = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bq[1-4]\b|\bh[12]\b|\b(?:19|20)\d{2}\b|"
    r"\b(?:last|previous|prior|this|same|the)\s+(?:week|month|quarter|year|period|one|half)\b|\bthe\s+(?:month|quarter|year)\s+before\b",
    re.I,
)
_WITH_AN_ACCOUNT_VALUE = re.compile(
    r"\s*,?\s*(?:with|w/|plus|\+|incl\.?|including)\s+(?:their\s+|the\s+|its\s+)?(?P<value>health(?:\s+scores?)?|"
    r"churn\s+prob(?:ability|abilities)?|ltv|lifetime\s+values?|payment\s+scores?|engagement\s+scores?|support\s+scores?|"
    r"predicted\s+churn\s+dates?)\s*[?.!]*\s*$",
    re.I,
)
_SORT_COLUMN_FIRST = re.compile(
    r"^\W*(?:(?:and|now|ok|okay|pls|please)\W+)*(?:(?:sort|order|rank)\s+(?:them|those|these|it|the\s+list)\s+(?:by\s+)?)?"
    r"(?P<which>oldest|newest|earliest|latest|biggest|smallest|highest|lowest|largest)\s+(?P<column>[a-z][\w\s]{1,25}?)\s+first"
    r"\s*[?.!]*\s*$",
    re.I,
)
_SORT_BY = re.compile(r"^\W*(?:(?:and|now|ok|okay|pls|please)\W+)*(?:sort|order|rank)\s+by\b", re.I)
_LIST_THEM_WITH_A_COLUMN = re.compile(
    r"^(?P<head>\W*(?:(?:ok|and|now|so|pls|please)\W+)*(?:list|show)\s+(?:me\s+)?(?:the|those|these)\s+"
    r"(?:deals|invoices|payments|tickets|leads))\s+(?:with|w/|incl\.?|including)\s+(?:the\s+|their\s+|its\s+)?"
    r"(?:amounts?|values?|sizes?|owners?|dates?|stages?|customers?|accounts?)\s*[?.!]*\s*$",
    re.I,
)
_THE_TOTAL = re.compile(r"\b(?:the\s+)?total\b(?!\s+(?:of|number|count|#))", re.I)
_A_SPLIT = re.compile(
    r"\b(?:by|per|each|every|monthly|weekly|quarterly|yearly|daily|month\s+by\s+month|split|breakdown|trend|in\s+total)\b",
    re.I,
)
_TOTAL_WORDS = frozenset(
    [
        "what's",
        "whats",
        "what",
        "is",
        "the",
        "total",
        "then",
        "so",
        "ok",
        "okay",
        "and",
        "now",
        "ytd",
        "qtd",
        "mtd",
        "for",
        "year",
        "to",
        "date",
        "this",
        "far",
        "pls",
        "please",
        "overall",
        "whole",
        "period",
        "in",
        "na",
        "emea",
        "apac",
        "latam",
        "all",
        "of",
        "it",
    ]
)


def _only_total_words(question: str) -> bool:
    """Nothing but "total" and words of the period or a region ("what's the NA total ytd then"): no other measure."""
    return all(w in _TOTAL_WORDS for w in re.findall(r"[a-z']+", question.lower()))


_COMPARE_WITH = re.compile(
    r"^\W*(?:(?:ok|and|so|now|pls|please|can\s+you|could\s+you)\W+)*(?:compare|comp|benchmark)\s+(?:it\s+|that\s+|this\s+|them\s+)?"
    r"(?:with|to|against|vs\.?)\s+(?P<other>(?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}?)(?:\s+(?:ones|leads|deals))?\s*[?.!]*\s*$",
    re.I,
)


def _another_value(previous: Query, other: str) -> str | None:
    """ "<the value filtered on> vs <the value named>" when the words name another value of a dimension the previous
    answer is narrowed to one value of (the reader splits the two side by side), else None."""
    model = semantic.model()
    said = re.sub(r"^the\s+", "", other.strip().lower())
    for f in previous.filters:
        if f.negate or len(f.values) != 1:
            continue
        names = {str(v).lower(): str(v) for v in model.vocabulary(f.dimension)}
        for alias in model.file.value_aliases:
            if alias.dimension == f.dimension:
                names.update({a.lower(): str(alias.value) for a in alias.aliases})
        for form in (said, said.replace(" ", "_"), said.rstrip("s"), said.replace(" ", "_").rstrip("s")):
            value = names.get(form)
            if value is not None and value != str(f.values[0]):
                return f"{f.values[0]} vs {value}"
    return None


_PUT_BESIDE = re.compile(
    r"^\W*(?:(?:ok|and|so|now|hey|pls|please|can\s+you|could\s+you|would\s+you|can\s+u)\W+)*(?:put|add|show|drop|stick|"
    r"place|give\s+me|include)\s+(?P<other>(?:the\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+)\s+(?:next\s+to|beside|alongside|"
    r"side\s+by\s+side\s+with|against|in\s+a\s+column\s+next\s+to)\s+(?:it|that|this|them|those|these)\b"
    r"(?:[,\s]+(?:so|to)\s+(?:i|we)\s+can\s+compare)?\s*(?:,?\s*(?:please|pls|thanks|thx))?\s*[?.!]*\s*$",
    re.I,
)
_OLDEST_BY_DUE_DATE = re.compile(
    r"(\b\d+\s+(?:oldest|earliest)(?:\s+(?:ones|invoices|overdue\s+invoices))?)\s*[(,]?\s*(?:by|on)\s+(?:the\s+)?due\s+dates?\s*\)?",
    re.I,
)
_TOP_N_IN_THAT = re.compile(
    r"\b((?:top|bottom)\s+\d{1,3}\s+(?:accounts|customers|reps))\s+(?:in|of|for|within|behind)\s+"
    r"(?:that|this)\b(?=\s*(?:[?.!,;]|$|(?:by|pls|please)\b))",
    re.I,
)
_TOTAL_FOR_THE_TEAM = re.compile(
    r"\bthe\s+total\s+for\s+(?:the|my|our)\s+team(?:\s+(?:in|for)\s+(?:that|this|the\s+same)\s+(?:quarter|month|year|week|period))?",
    re.I,
)
_RATED_STARS = re.compile(
    r"\b(?:gave|given|left|got)\s+(?:us\s+)?(?:an?\s+|any\s+)?[1-5][\s-]*stars?\b|\brated\s+[1-5]\s+stars?\b",
    re.I,
)
_A_PERIOD = re.compile(
    r"\b(?:today|yesterday|this|last|past|since|in\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|q[1-4]|(?:19|20)\d{2})\b",
    re.I,
)
_WHICH_ACCOUNTS_MAKE_UP = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:which|what|who)\s+(?:accounts|customers|companies|clients)\s+(?:make|makes)\s+up\s+"
    r"(?P<what>[^?]+?)\s*[?.!]*\s*$",
    re.I,
)
_THAT_WINDOW = re.compile(
    r"\s*\b(?:over|in|during|for|across|within)\s+(?:that|the\s+same|those|this)\s+(?P<days>\d{1,3})[\s-]*days?"
    r"(?:\s+(?:window|period|stretch|range))?\b",
    re.I,
)
_TOTAL_AND_COUNT = re.compile(
    r"(?:^|[-–—:,]\s*)(?P<total>(?:the\s+)?(?:total|sum|\$\s*(?:total|amount)|amount))\s*(?:and|&|\+|plus)\s*"
    r"(?:how\s+many|#|count|number)\b",
    re.I,
)
