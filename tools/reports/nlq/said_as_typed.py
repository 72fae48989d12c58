"""Shapes people type, said in the reader's words before anything else reads the question: each a pattern and
its replacement, tried in order on the question as typed ("Q1 bookings this year" is Q1 of this year, "who won the
biggest deal" is that deal and its rep, "sorry, meant Q4 not Q1" is Q4). reader_said.py applies them."""

from __future__ import annotations

import re

from tools.reports.nlq.remarks import column_names


def _columns_in_brackets(m: re.Match) -> str:
    """ "(date, type, subject)" closing a question: the columns asked; "(card, wire, check etc)": examples, kept."""
    known = column_names()
    items = [i.strip().lower() for i in m.group(1).split(",")]
    if all(i in known or i.rstrip("s") in known for i in items):
        return f" - {m.group(1)}{m.group(2)}"
    return m.group(0)


def _stars(m: re.Match) -> str:
    if re.search(
        r"\b(?:gave|given|left|leave|give|submitted)\s+(?:us\s+)?(?:an?\s+|any\s+)?$",
        m.string[: m.start()],
        re.I,
    ):
        return m.group(
            0
        )  # "which accounts gave a 1 star rating on a ticket": read with the rating given, below
    return f"{m.group(2)} with satisfaction {'below 2' if m.group(1) == '1' else 'above 4'}"


# read on the question as typed, in this order
def _by_balance(m: re.Match) -> str:
    head = m.group("head")
    if not re.match(r"\W*(?:list|show|give|pull|which|what|who)\b", head, re.I):
        head = f"list {head}"
    return f"{head}, biggest balance first{m.group('tail')}"


def _accounts_and_how_much(m: re.Match) -> str:
    which = (m.group("which") or "").strip()
    rest = m.group("rest").rstrip(" ?.!")
    return f"{m.group('lead')}{rest}{f' for {which} accounts' if which else ''}, by account"


_PERIOD_WORDS = (
    r"(?:q[1-4](?:\s+(?:of\s+)?(?:\d{4}|'?\d{2}|this\s+year|last\s+year))?|h[12](?:\s+\d{4})?|\d{4}|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"(?:last|this|previous|prior|next)\s+(?:week|month|quarter|year))"
)
_MONTH_NAMES_FULL = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


_RECORD_WORDS = {
    "payment",
    "invoice",
    "deal",
    "ticket",
    "lead",
    "account",
    "customer",
    "company",
    "activity",
    "record",
    "opp",
}


def _period_corrected(m: re.Match) -> str:
    """The question with the period it named replaced by the one meant (where it named it; else as typed)."""
    said = re.compile(rf"\b{re.escape(m.group('old'))}\b", re.I)
    if not said.search(m.group("q")):
        return m.group(0)
    return said.sub(m.group("new"), m.group("q"))


def _two_months(m: re.Match) -> str:
    """ "april or may 2026": both months, when they follow each other (else as said)."""
    first, second = (_MONTH_NAMES_FULL.index(w.lower()) for w in (m.group(1), m.group(2)))
    if second != first + 1:
        return m.group(0)
    return f"between {m.group(1)} {m.group(3)} and {m.group(2)} {m.group(3)}"


_SHORT_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _next_months(m: re.Match) -> str:
    """ "expected close in nov or dec", "just november and december": the two months together, when one follows the
    other (else as said)."""
    first, second = (_SHORT_MONTHS.index(w.lower()[:3]) for w in (m.group(1), m.group(2)))
    if second != first + 1:
        return m.group(0)
    return f"{m.group(1)} to {m.group(2)}"


def _worst_first(m: re.Match) -> str:
    """ "which of my accounts are high risk, worst first": the likeliest to churn first; "my customers by health, worst
    first": the lowest health first. Only of accounts (the worst deals or tickets are read as said)."""
    before = m.string[: m.start()]
    if not re.search(r"\b(?:accounts?|customers?|clients?|accts?|custs?)\b", before, re.I):
        return m.group(0)
    if re.search(r"\b(?:risk|risky|churn|churning)\b", before, re.I) or "risk" in m.group(0).lower():
        return ", sorted by churn probability descending"
    return ", sorted by health score ascending"


def _by_volume(m: re.Match) -> str:
    noun = m.group(1).lower().rstrip("s") + "s"
    return f"{m.group(1)}{m.group(2)}by number of {noun}"


# a record's columns as the schema spells them ("company_name, owner name, conversion_probability"): said in words
_SNAKE_COLUMNS = [
    "company_name",
    "conversion_probability",
    "churn_probability",
    "churn_risk",
    "health_score",
    "engagement_score",
    "payment_score",
    "support_score",
    "expected_close_date",
    "due_date",
    "issue_date",
    "created_at",
    "closed_at",
    "paid_at",
    "converted_at",
    "resolved_at",
    "churned_at",
    "lost_reason",
    "lifecycle_stage",
    "payment_terms",
    "predicted_churn_date",
    "customer_since",
    "employee_count",
    "discount_pct",
    "unit_price",
    "first_name",
    "last_name",
]


def _colleague_away(m: re.Match) -> str:
    name, rest = m.group("name"), m.group("rest")
    return re.sub(r"\b(?:her|his)\b", f"{name}'s", rest, count=1, flags=re.I)


_DIMENSION_WISE = (
    r"stage|region|rep|team|source|industry|country|month|quarter|week|year|product|status|priority|owner|customer|"
    r"account|segment|bucket|method"
)
_MONTH_WORD = (
    r"jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june|july|aug(?:ust)?|sept(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?"
)


def _best_period(m: re.Match) -> str:
    """ "worst month of 2025 for bookings?", "what was my best month in 2025 for closed won $": which month had the
    lowest (highest) of it."""
    low = m.group("end").lower() in ("worst", "weakest", "slowest", "lowest")
    whose = f"{m.group('whose')} " if m.group("whose") and m.group("whose").lower() == "my" else ""
    return f"which {m.group('grain')} {m.group('when')} had the {'lowest' if low else 'highest'} {whose}{m.group('what')}?"


SAID_AS_TYPED = [
    (
        re.compile(
            r"^\W*(?:what\s+was\s+|what'?s\s+|whats\s+|which\s+was\s+)?(?:(?P<whose>my|our|the)\s+)?"
            r"(?P<end>best|worst|strongest|weakest|biggest|slowest|highest|lowest|top)\s+(?P<grain>month|quarter|week)\s+"
            r"(?P<when>(?:of|in|for)\s+(?:(?:19|20)\d{2}|this\s+year|last\s+year|q[1-4](?:\s+\d{4})?))\s+(?:for|in|on|by)\s+"
            r"(?P<what>[^?]{2,40}?)\s*\??\s*$",
            re.I,
        ),
        _best_period,
    ),
    # "avg sales cycle 2024 vs 2023 - sorry, 2025 vs 2024": the comparison corrected
    (
        re.compile(
            r"\b[\w'-]+\s+(?:vs\.?|versus)\s+[\w'-]+\s*[-—–,;]+\s*(?:sorry|no|oops|actually|i\s+mean)[,\s]+(?:i\s+meant?\s+)?"
            r"(?=[\w'-]+\s+(?:vs\.?|versus)\s+[\w'-]+)",
            re.I,
        ),
        "",
    ),
    # "call list: high-risk customers that have overdue invoices": a heading, never the activity type
    (re.compile(r"^\W*(?:call(?:ing)?|collections?|chase|to-?do|outreach)\s+list\s*[:—–-]\s*", re.I), ""),
    # English as a second language: "actual open pipeline" (the current one), "stage-wise" (by stage), "April month"
    # (April), "lowest health score 5" (the lowest 5 by health score), "for whole team" (the asker's team), "and who is
    # owner" (with the owner), "y cuantos nuevos en abril? i mean new customers in april" (what they mean, said again)
    (
        re.compile(
            r"\bactual\s+(?=(?:open\s+)?(?:pipeline|pipe|outstanding|overdue|health|churn|balance|receivables|ar|status|stage|"
            r"state|number|figure)\b)",
            re.I,
        ),
        "",
    ),
    (re.compile(r"\b(" + _DIMENSION_WISE + r")[\s-]*wise\b", re.I), r"by \1"),
    (re.compile(r"\b(" + _MONTH_WORD + r")\s+month\b", re.I), r"\1"),
    (
        re.compile(
            r"\b(lowest|highest|top|bottom|biggest|smallest|worst|best)\s+([a-z][a-z ]{2,30}?)\s+(\d{1,2})\b"
            r"(?=\s*(?:please|pls|plz|bitte|\?|\.|$))",
            re.I,
        ),
        r"\1 \3 by \2",
    ),
    (re.compile(r"\bfor\s+whole\s+team\b", re.I), "for my team"),
    (
        re.compile(r",?\s*(?:and|\+|with)\s+who\s+(?:is|'s|was)\s+(?:the\s+)?owner\b", re.I),
        # (only after records listed: "when did X churn and who was the owner" asks both of one account)
        lambda m: m.group(0) if re.match(r"\W*(?:when|how|what|why)\b", m.string, re.I) else " with owner",
    ),
    (re.compile(r"^[^?]{2,80}\?\s*(?:i\s+mean|i\s+meant|meaning)\s*[:,]?\s+(?=\S.{6,})", re.I), ""),
    # "leads from events this year - how many came and how many converted?": those records counted, then their part
    (
        re.compile(
            r"^\W*((?:\w+\s+){0,2}?(?:leads|deals|tickets|invoices|customers|accounts)\b[^?:–—-]{0,60}?)\s*[-—–:]\s*how\s+many\s+"
            r"(?:came(?:\s+in)?|were\s+created|did\s+we\s+get|are\s+there|in\s+total)\s+and\s+how\s+many\s+(?!of\b)",
            re.I,
        ),
        r"how many \1 and how many of those ",
    ),
    # "how many came and how many converted": came in
    (re.compile(r"\bhow\s+many\s+(came|come)\b(?!\s+in\b)", re.I), r"how many \1 in"),
    (
        re.compile(
            r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
            r"nov(?:ember)?|dec(?:ember)?)\s+(?:or|and|&|/|\+)\s+(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
            r"july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?!\s*,?\s*(?:19|20)\d\d)",
            re.I,
        ),
        _next_months,
    ),
    # "ok now by owner instead of stage": the new split instead of the old one
    (re.compile(r"\b(by|per)\s+([a-z]+)\s+instead\s+of\s+[a-z]+\s*(?=[?.!]*\s*$)", re.I), r"\1 \2 instead"),
    # "stale deals check - open ones already past their expected close date": a heading, never the payment method
    (
        re.compile(
            r"^(\W*[a-z][\w\s'&-]{0,30}?)(?<!\bby)(?<!\bvia)(?<!\bwith)(?<!\bpaid)(?<!\ba)(?<!\bpaper)\s+"
            r"(?:sanity\s+|quick\s+)?check\s*(?=[-—–:]\s)",
            re.I,
        ),
        r"\1 ",
    ),
    # "what's open on Sofia's accounts?": the open deals there (never a count of the accounts)
    (
        re.compile(
            r"\bwhat(?:'?s|\s+is)\s+(?:still\s+)?open\s+(?=(?:on|for|with|across|in)\s+(?:[\w'.-]+\s+){0,3}?"
            r"(?:accounts|accts|book|territory|patch)\b)",
            re.I,
        ),
        "which open deals are ",
    ),
    # "Sofia is out today, what's open on her accounts?", "sofia's out this week, which of her accounts ...": hers, and
    # when she is away is no period of the question
    (
        re.compile(
            r"^\W*(?P<name>[A-Za-z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:'s|\s+is|\s+are)\s+(?:out|off|away|ooo|on\s+(?:leave|holiday|"
            r"vacation|pto|pat\s+leave|mat\s+leave))\b[^,.;:?!—–-]{0,30}[,.;:!—–-]+\s*(?P<rest>[^?]*\b(?:her|his)\b.*)$",
        ),
        _colleague_away,
    ),
    # "now per month instead of by source": the new split instead of the old one
    (
        re.compile(r"\binstead\s+of\s+(?:by|per|split\s+by)\s+[a-z]+(?:\s+[a-z]+)?\s*(?=[?.!]*\s*$)", re.I),
        "instead",
    ),
    # "which reps are behind where they were last year? bookings ytd vs the same period last year": the same
    # comparison, said exactly after the question
    (
        re.compile(
            r"\b((?:behind|ahead|up|down)(?:\s+(?:on|of))?)\s+(?:where\s+(?:they|we|i|he|she)\s+(?:were|was)\s+)?(?:(?:at\s+)?this\s+time\s+)?"
            r"last\s+(?:year|yr)\b"
            r"(?=[^?]*\?[^?]*\bsame\s+(?:period|time|stretch|dates|days|point|window)\b)",
            re.I,
        ),
        r"\1",
    ),
    # "am i ahead or behind last year? my bookings ytd vs same period 2025": the comparison said exactly after the
    # musing is the one asked (the musing's "last year" is that same comparison, said loosely)
    (
        re.compile(
            r"^(?![^?]*\b(?:which|who|whose)\b)[^?]{0,80}?\blast\s+(?:year|yr)\s*\?+\s*(?=[^?]*\b(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+"
            r"(?:the\s+)?same\s+(?:period|time|stretch|dates|days|point|window)\b)",
            re.I,
        ),
        "",
    ),
    # "5 most overdue invoices (longest past due)": the ones past due the longest
    (re.compile(r"\b(?:most|longest)\s+(?:overdue|past[\s-]due)\s+(?=invoices\b)", re.I), "oldest overdue "),
    (re.compile(r"\blongest\s+(?:overdue|past[\s-]due)\b", re.I), "oldest overdue"),
    # "EMEA high-risk customers - when are they predicted to churn? soonest first": when are those records ...
    (
        re.compile(
            r"^\W*([a-z][\w &'-]{2,60}?(?:customers|accounts|clients|deals|invoices|leads))\s+[-—–:]\s+when\s+(are|were|will)\s+"
            r"they\s+(?=(?:predicted|expected|due|set|going|likely)\b)",
            re.I,
        ),
        r"when \2 \1 ",
    ),
    # "no, bookings not revenue" after revenue for Q3: the measure said, the other one taken back
    (
        re.compile(
            r"\b(bookings|booked|invoiced|billings?|pipeline|deals\s+won|win\s+rate)\s*,?\s+not\s+(?:the\s+)?"
            r"(?:bookings|booked|revenue|cash|collections|invoiced|billings?|pipeline|deals\s+won|win\s+rate)\b",
            re.I,
        ),
        r"\1",
    ),
    # "how many deals did my team win in Feb & what were they worth": a second ask joined by "&"
    (re.compile(r"\s+&\s+(?=(?:what|how|whats|what's|which|who)\b)", re.I), " and "),
    # "same two for jan?" after Feb's bookings and deal count: the same figures, for another period
    (
        re.compile(
            r"^\W*(?:(?:and|ok|okay|now)\W+)?(?:the\s+)?same\s+(?:two|2|three|3|figures|numbers|metrics|again)\s+"
            r"(?=(?:for|in|over|during)\b)",
            re.I,
        ),
        "what about ",
    ),
    (
        re.compile(r"\b(" + "|".join(_SNAKE_COLUMNS) + r")\b", re.I),
        lambda m: m.group(1).replace("_", " "),
    ),
    # "new customers per month for 2026 so far (Jan 1 to today)": the year so far, its days said again in brackets
    (
        re.compile(
            r"\b((?:19|20)\d{2}|this\s+year)\s+(so\s+far|to\s+date|ytd)\s*\(\s*(?:from\s+)?(?:jan(?:uary)?\.?\s+1(?:st)?|"
            r"1(?:st)?\s+jan(?:uary)?)\s*(?:to|-|–|through|thru|until|till)\s*(?:today|now|date|yesterday)\s*\)",
            re.I,
        ),
        r"\1 \2",
    ),
    # "July 2026 versus July 2025 – show both figures plus the absolute change and the % change": what a comparison
    # shows anyway
    (
        re.compile(
            r"\s*[-—–,;:]?\s*(?:(?:please\s+)?(?:show|give|include|with)\s+(?:me\s+)?)?(?:both\s+(?:figures|totals|numbers|values)"
            r"\s*(?:,|plus|and|with|\+|&)\s*)?(?:the\s+)?(?:absolute|abs\.?|\$)\s+(?:change|difference|diff|delta)\s*"
            r"(?:,|plus|and|\+|&)\s*(?:the\s+)?(?:%|percent(?:age)?|pct|relative)\s*(?:change|difference|diff|delta)\b",
            re.I,
        ),
        "",
    ),
    # "what do they owe in total incl. not yet due?": all they owe, the part not yet due with it (no word of its own)
    (
        re.compile(
            r"[,(]?\s*\b(?:incl\.?|including|inc\.|plus|with)\s+(?:the\s+)?(?:not[\s-]+yet[\s-]+due|current|"
            r"what'?s\s+not\s+(?:yet\s+)?due)(?:\s+(?:ones|invoices|amounts?|bit|part))?(?:\s+(?:too|as\s+well))?\)?",
            re.I,
        ),
        "",
    ),
    # "same, but only EMEA customers" after the aging: the same answer, for those accounts (no count of customers)
    (
        re.compile(
            r"^(\W*same(?:\s+thing|\s+again)?\s*,?\s+(?:but\s+)?(?:only|just)\s+(?:for\s+)?(?:the\s+)?)"
            r"([a-z][\w &.'-]{1,40}?)\s+(?:customers|accounts|clients|accts)\s*[?.!]*\s*$",
            re.I,
        ),
        r"\1\2",
    ),
    # "whats the total balance on those" after how many invoices are overdue: what is still owed on them
    (
        re.compile(
            r"\b(?:the\s+)?(?:total\s+|combined\s+|outstanding\s+|remaining\s+)?balances?\s+(?=(?:on|of|across)\s+(?:those|them|these)\b)",
            re.I,
        ),
        "total owed ",
    ),
    # "who's on the NA West team again?", "who is in my team": the people of that team
    (
        re.compile(
            r"^\W*(?:(?:so|ok|okay|remind\s+me|sorry)\W+)*(?:who'?s|whos|who\s+is|who\s+are|who\s+all\s+is)\s+(?:on|in)\s+"
            r"(?:the\s+)?(my|[a-z][\w &]{1,30}?)\s+team\b(?:\s+(?:again|now|currently|rn))?\s*[?.!]*\s*$",
            re.I,
        ),
        lambda m: (
            "list staff on my team" if m.group(1).lower() == "my" else f"list staff on team {m.group(1)}"
        ),
    ),
    # "top 3 lead sources by volume last quarter": ranked by how many leads
    (
        re.compile(
            r"\b(leads?|deals?|tickets?|invoices?|payments?)\b([^?]{0,30}?)\bby\s+(?:volume|count)\b(?!\s+of)",
            re.I,
        ),
        _by_volume,
    ),
    # "what've I closed so far this qtr?"
    (re.compile(r"\b(what|who|where|how)'?ve\b", re.I), r"\1 have"),
    # "what did we book in Feb? total $ and # of deals pls", "$ + # of deals": the amount and how many
    (
        re.compile(
            r"(?<!\w)(?:(?:the\s+)?total\s+)?\$\s*(?:and|\+|&|,)\s*(?:the\s+)?#\s*(?:of\s+)?(?:deals|invoices|payments)?(?!\w)|"
            r"(?<!\w)#\s*(?:of\s+)?(?:deals|invoices|payments)?\s*(?:and|\+|&|,)\s*(?:the\s+)?(?:total\s+)?\$(?!\w)",
            re.I,
        ),
        "count + amount",
    ),
    # "which of my accounts are high risk, worst first", "customers by health - worst first"
    (
        re.compile(
            r",?\s*[-—–]?\s*\b(?:worst|riskiest|most\s+at[\s-]risk|highest[\s-]risk)\s+(?:ones?\s+)?(?:first|on\s+top)\b"
            r"(?=[\s?.!]*$)",
            re.I,
        ),
        _worst_first,
    ),
    # "what did i close-won last qtr, $ wise", "money-wise": in dollars
    (re.compile(r"[,\s]*(?:\$|dollars?|money)[\s-]*wise\b", re.I), " in dollars"),
    # "any new leads this week?": how many came in (the inflow), where nothing after it asks for them
    (
        re.compile(
            r"^(\W*(?:so\s+|and\s+|ok\s+)?)(?:any|got\s+any)\s+(new\s+leads\s+(?:(?:come|came|coming)\s+in\s+)?"
            r"(?:so\s+far\s+)?(?:this|last|today|yesterday|since)\b[^?,;:-]*\??)\s*$",
            re.I,
        ),
        r"\1how many \2",
    ),
    # "billed in May vs collected in May - just the two totals please": both figures, never a top 2
    (
        re.compile(
            r"\s*[-—–,(]?\s*(?:just\s+|only\s+)?(?:the\s+)?(?:two|2|both)\s+(?:totals|figures|numbers|values|amounts)\b"
            r"(?:\s+(?:please|pls|thanks|thx))?\)?",
            re.I,
        ),
        "",
    ),
    # "and actual cash collected, same two quarters?": cash is actual; "the actual conversion probability on it" stays
    (re.compile(r"\bactual\s+(?=(?:cash|revenue|collections|money|payments)\b)", re.I), ""),
    # "which of my open leads are scoring 60 or better?"
    (re.compile(r"\b(\d+(?:\.\d+)?)\s+or\s+better\b", re.I), r"\1 or more"),
    # "how much revenue actually came in during H1 - cash, not bookings": the measure said, the other one taken back
    (
        re.compile(
            r"\s*[-—–,(]?\s*(?:i\s+mean\s+)?(?:cash|revenue|payments)\s*,?\s*(?:i\s+mean\s*,?\s*)?not\s+(?:the\s+)?(?:bookings|booked|deals\s+won|invoiced|billings?)\b\)?",
            re.I,
        ),
        " cash",
    ),
    # "csat per rep on my team, based on the accounts they own": what each rep's accounts are is who the rep is
    (
        re.compile(
            r",?\s*based\s+on\s+(?:the\s+)?(?:accounts|customers|companies)\s+(?:they|he|she)\s+owns?\b", re.I
        ),
        "",
    ),
    # "open leads with an 80%+ conversion probability?", "... of 80% or more": at least that share
    (
        re.compile(
            r"\b(?:an?\s+)?(\d{1,3}(?:\.\d+)?)\s*%\s*\+\s*(conversion\s+probability|probability|chance|likelihood)\b",
            re.I,
        ),
        r"\2 of at least \1%",
    ),
    (
        re.compile(
            r"\b(\d{1,3}(?:\.\d+)?)\s*%\s*(?:\+|or\s+(?:more|higher|above|greater|over|better))", re.I
        ),
        r"at least \1%",
    ),
    # "bookings YTD vs where we were at this date in 2025": the same days of that year
    (
        re.compile(
            r"\b(vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:where|what)\s+we\s+(?:were|had|stood)\s+(?:at\s+|on\s+|by\s+)?"
            r"(?:this|the\s+same)\s+(?:date|point|time|day|stage)\s+(?:in\s+|of\s+)?((?:19|20)\d\d|last\s+year)\b",
            re.I,
        ),
        lambda m: (
            f"{m.group(1)} the same days "
            + ("last year" if "last" in m.group(2).lower() else f"in {m.group(2)}")
        ),
    ),
    # "this qtr vs the same point in q4 last year": the same days last year
    (
        re.compile(
            r"\bthe\s+same\s+(?:point|time|stage|stretch)\s+(?:in|of)\s+q[1-4]\s+(?:(last\s+year)|(?:of\s+)?(?:(?:19|20)(\d\d)|'(\d\d)))\b",
            re.I,
        ),
        lambda m: "the same days " + (m.group(1) or f"in 20{m.group(2) or m.group(3)}"),
    ),
    # "december cash so far vs the 1st-21st of dec last year": those days of that month
    (
        re.compile(
            r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|through|thru)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+of\s+"
            r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
            re.I,
        ),
        r"\3 \1-\2",
    ),
    # "whats still outstanding on invoices with a january due date?": the invoices due then
    (
        re.compile(
            r"\bwith\s+(?:a|an)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+"
            r"due\s+date\b",
            re.I,
        ),
        r"due in \1",
    ),
    # "whats total unpaid on invoices we sent out this month": issued this month
    (
        re.compile(r"\binvoices\s+(?:that\s+)?we\s+(?:sent\s+out|sent|issued|raised|billed)\b", re.I),
        "invoices issued",
    ),
    # (first: "on file" is part of its words)
    # "who do we have on file at Stratus Retail?": the contacts there
    (
        re.compile(
            r"\bwho\s+(?:do\s+we\s+have|have\s+we\s+got|do\s+we\s+know|are\s+our\s+contacts)\s+(?:on\s+file\s+|in\s+the\s+crm\s+)?"
            r"(?=(?:at|for|with|over\s+at)\b)",
            re.I,
        ),
        "contacts ",
    ),
    # "Oberon Partners, not the billing one": the one named, the other one said not to be it
    (
        re.compile(
            r",?\s*(?:and\s+|but\s+)?not\s+the\s+(?:[\w()&'-]+\s+){1,3}?(?:one|record|account)\b", re.I
        ),
        "",
    ),
    # "which customers have predicted churn date in april or may 2026?": both months of that year
    (
        re.compile(
            r"\b(?:in\s+)?("
            + "|".join(_MONTH_NAMES_FULL)
            + r")\s+(?:or|and|&)\s+("
            + "|".join(_MONTH_NAMES_FULL)
            + r")\s+(\d{4})\b",
            re.I,
        ),
        _two_months,
    ),
    # "since start of year": since the start of this year
    (
        re.compile(r"\bsince\s+start\s+of\s+(?:the\s+)?(year|quarter|month)\b", re.I),
        r"since the start of the \1",
    ),
    # "tickets that got satisfaction 1 (the worst)": rated 1 star
    (
        re.compile(
            r"\b(?:got|with|had|has|have|a)\s+(?:a\s+)?(?:satisfaction|csat)(?:\s+(?:score|rating))?\s+(?:of\s+)?([1-5])\b",
            re.I,
        ),
        r"rated \1 star",
    ),
    # "... - which company and what issue?": the ticket's subject
    (
        re.compile(r"\b(which\s+(?:company|customer|account)\s+and\s+)what\s+(?:issue|problem)\b", re.I),
        r"\1what subject",
    ),
    # "whats left to collect on them in total": what is still owed
    (
        re.compile(
            r"\b(?:left|remaining|outstanding)\s+to\s+(?:collect|be\s+collected|be\s+paid|pay)\b", re.I
        ),
        "still owed",
    ),
    # "show me every invoice we've got on file for Ironwood Dental"
    (re.compile(r"\s*\b(?:(?:that\s+)?we(?:'ve|\s+have)?\s+(?:got\s+)?|we\s+keep\s+)?on\s+file\b", re.I), ""),
    # "ok fine, how much of theirs is 90+ then?": of what they owe
    (re.compile(r"\bhow\s+much\s+of\s+theirs\b", re.I), "how much of what they owe"),
    # "churned accts that still owe us more than 50k": the churned accounts' balances
    (
        re.compile(
            r"^\W*(?:list\s+|show\s+(?:me\s+)?|which\s+)?(?:the\s+)?churned\s+(?:accounts|accts|customers|companies|clients|custs)\s+"
            r"(?:that|who|which)\s+(?:still\s+)?owe",
            re.I,
        ),
        "which churned accounts owe",
    ),
    # "how many invoices are stuck waiting for approval, and what's the $ total?": the count and how much
    (
        re.compile(
            r"\band\s+what(?:'s|s|\s+is|\s+are)\s+(?:the\s+|their\s+)?(?:\$\s*(?:total|amount|value)?|dollar\s+(?:total|amount|value)|"
            r"total\s+\$|total\s+(?:amount|value)|amount|value)\s*(?=[?.!]|$)",
            re.I,
        ),
        lambda m: "and how much" if re.search(r"\bhow\s+many\b", m.string[: m.start()], re.I) else m.group(0),
    ),
    # "only count proposal and negotiation" after the pipeline by rep: only those (not a count)
    (
        re.compile(
            r"\b(only|just)\s+count(?:ing)?\s+(?!(?:them|those|these|it|that|this|the|ones|invoices|deals|tickets|leads|payments)\b)(?=[a-z])",
            re.I,
        ),
        r"\1 ",
    ),
    # "which customers does the model have churning in June?": predicted to churn then
    (
        re.compile(
            r"\b(?:does|do|did)\s+the\s+model\s+(?:have|has|see|expect|predict|think\s+will)\s+(?:churning|to\s+churn|leaving|"
            r"going\s+to\s+churn)\b",
            re.I,
        ),
        "are predicted to churn",
    ),
    # "which of my customers have gone quiet? like no calls, emails, meetings, nothing logged in 30+ days": not contacted
    # in those days (said with a number of days only)
    (
        re.compile(
            r"\b(?:have|has)?\s*(?:gone|went|been|going)\s+(?:quiet|dark|silent|cold)\b[^0-9]{0,80}?\b(?:in|for)\s+(?:the\s+)?"
            r"(?:last\s+|past\s+)?(\d{1,3})\s*\+?\s*(?:days?|d)\b",
            re.I,
        ),
        r" have not been contacted in \1 days",
    ),
    # "how many days did they take on average from creation to close?", "days from when the opp was created to when we
    # won it": the sales cycle (the contract's: created to closed, of deals won)
    (
        re.compile(
            r"\b(?:how\s+(?:many\s+days|long)\s+(?:did|does|do)\s+(?:they|it|deals|a\s+deal|we|our\s+deals)\s+(?:take|took)\s+"
            r"(?:on\s+average\s+|on\s+avg\s+)?|(?:the\s+)?(?:number\s+of\s+)?days\s+)?from\s+(?:their\s+|its\s+)?(?:creation|"
            r"being\s+created|when\s+(?:the\s+)?(?:opp|opportunity|deal|it|they)\s+(?:was|were|got)\s+(?:created|opened))\s+to\s+"
            r"(?:(?:their\s+|its\s+)?(?:close|closing|win)|when\s+(?:we|they)\s+(?:won|closed)(?:\s+(?:it|them))?)\b",
            re.I,
        ),
        "average sales cycle",
    ),
    # "open deals over $250k - what stage is each one at?": the deals, each with its stage
    (
        re.compile(
            r"\s*[-—–,:]?\s*(?:and\s+)?what\s+(stage|status|source|priority|region|industry|country)\s+(?:is|are)\s+"
            r"(?:each(?:\s+one)?|they|those|these|each\s+of\s+them)(?:\s+(?:at|in|from))?\s*(?=[?.!]|$)",
            re.I,
        ),
        r" with their \1",
    ),
    # "my high-risk customers, worst churn probability first": the worst of a measure where more is worse is its highest
    (
        re.compile(
            r"\b(?:worst|riskiest)\s+(?=(?:churn\s+(?:probability|prob|risk|likelihood|chance)|resolution\s+times?|days\s+overdue|"
            r"days\s+past\s+due|overdue)\b)",
            re.I,
        ),
        "highest ",
    ),
    # "EMEA invoices that have been part-paid but not settled": part-paid ones are not settled yet
    (
        re.compile(
            r"\b((?:part(?:ly|ially)?[\s-]paid|partial(?:ly)?\s+paid))\s+(?:but|and)\s+(?:still\s+)?not\s+(?:yet\s+)?(?:settled|fully\s+paid|"
            r"paid\s+(?:off|in\s+full)|cleared|closed)\b",
            re.I,
        ),
        r"\1",
    ),
    # "how many accounts are assigned to me in total, prospects and churned ones included?": every lifecycle stage
    (
        re.compile(
            r",?\s*\b(?:with\s+|including\s+|incl\.?\s+)?(?:the\s+)?(?:prospects?|churned(?:\s+ones)?|customers)\s*"
            r"(?:,|and|&|\+|or)\s*(?:the\s+)?(?:prospects?|churned(?:\s+ones)?|customers|ones)(?:\s+ones)?\s+"
            r"(?:included|too|as\s+well|counted)\b",
            re.I,
        ),
        ", all included",
    ),
    # "which APAC customers are the healthiest? top 5": ranked by health score
    (re.compile(r"\b(?:the\s+)?healthiest\b", re.I), "highest health score"),
    (re.compile(r"\b(?:the\s+)?(?:least\s+healthy|unhealthiest|sickest)\b", re.I), "lowest health score"),
    # "hi!! sorry if this is a silly question but how many ...": the question
    (
        re.compile(
            r"\b(?:sorry|apologies)\s+(?:if\s+this\s+is\s+(?:a\s+)?(?:silly|dumb|stupid|basic|obvious|newbie)\s+(?:question|q)|"
            r"for\s+the\s+(?:silly|dumb|stupid|basic|newbie)\s+(?:question|q))\s*[,.!-]*\s*(?:but\s+)?",
            re.I,
        ),
        "",
    ),
    # "avg deal size in q1 vs q1 last year - sorry, I meant q2, not q1": every q1 said becomes q2
    (
        re.compile(
            rf"^(?P<q>.+?)\s*[-—–,;.]+\s*(?:(?:sorry|oops|no|actually|my\s+bad)[,\s]+)+(?:i\s+)?(?:meant|mean)\s+"
            rf"(?P<new>{_PERIOD_WORDS})\s*,?\s+(?:and\s+|but\s+)?not\s+(?:the\s+)?(?P<old>{_PERIOD_WORDS})\s*[.!?]*\s*$",
            re.I,
        ),
        _period_corrected,
    ),
    # "sorry, meant Q4 not Q1", "2025, not 2024": the period meant, never both
    (
        re.compile(
            rf"\b(?:(?:i\s+)?(?:meant|mean)\s+)?({_PERIOD_WORDS})\s*,?\s+(?:and\s+|but\s+)?not\s+(?:the\s+)?"
            rf"(?:{_PERIOD_WORDS}|(?:this|that|the\s+current)\s+one)\b",
            re.I,
        ),
        r"\1",
    ),
    # "who's the highest scoring open lead on my team, and which rep has it?": who owns it
    (
        re.compile(
            r"(,|\band\b|[?.])\s*(?:and\s+)?(?:which|what)\s+(?:rep|ae|seller|person)\s+(?:has|owns|handles|is\s+on)\s+"
            r"(it|them|those|these|each(?:\s+one)?)\b",
            re.I,
        ),
        r"\1 who owns \2",
    ),
    # "how much do accounts that already churned still owe us?": the churned accounts', one measure
    (
        re.compile(
            r"\b(accounts|customers|companies|clients|custs)\s+(?:that|who|which)\s+(?:have\s+|had\s+)?(?:already\s+)?"
            r"(?:churned|left(?:\s+us)?)\b(?=\s+(?:still\s+)?(?:owe|have\s+(?:outstanding|unpaid|open\s+invoices)))",
            re.I,
        ),
        r"churned \1",
    ),
    # "total receivables outstanding today, overdue and not yet due combined": all of it, one figure
    (
        re.compile(
            r",?\s*\b(?:both\s+)?(?:overdue|past\s+due|late)\s+(?:and|&|\+|plus)\s+(?:not\s+(?:yet\s+)?(?:due|overdue)|current|"
            r"upcoming|on\s+time)\b(?:\s+(?:combined|together|included|both|alike))?",
            re.I,
        ),
        " ",
    ),
    # "how many sent invoices have a due date before 1 June 2026": placed in time by their due date
    (
        re.compile(
            r"\b(?:that\s+|which\s+)?(?:have|has|with)\s+(?:a\s+|their\s+)?due\s+dates?\s+"
            r"(?=(?:before|after|in|on|between|from|prior\s+to|earlier\s+than|later\s+than|until|by)\b)",
            re.I,
        ),
        "due ",
    ),
    # "who won the biggest deal this month", "who on my team closed the largest deal in Q2": that one deal and its
    # rep, never the rep with the most deals
    (
        re.compile(
            r"\bwho(?:'s|\s+has)?\s+(?:on\s+(my|our|the)\s+team\s+)?(?:won|closed|signed|landed|booked|brought\s+in|got)\s+"
            r"(?:the|our)\s+((?:single\s+)?(?:biggest|largest))\s+deal\b([^?.!]*)",
            re.I,
        ),
        lambda m: (
            f"the {m.group(2)} deal {m.group(1) + ' team ' if m.group(1) else ''}won{m.group(3)}, with its rep"
        ),
    ),
    # "which accounts, and how much each? biggest first" after a figure: the figure by account (never a count of the
    # accounts, even after a list of them)
    (
        re.compile(
            r"^\W*(?:(?:ok|and|so|then)\W+)?which\s+(accounts|customers|companies|clients|reps|regions|teams)\s*"
            r"(?:,?\s*(?:and\s+)?how\s+much\s+(?:for\s+)?(?:each|apiece)(?:\s+one)?\b\s*[?,.]?|[?,.]\s*(?=(?:biggest|largest|"
            r"highest|smallest|lowest|most|least|sorted|ranked|ordered)\b))",
            re.I,
        ),
        lambda m: (
            "and by "
            + {"reps": "rep", "regions": "region", "teams": "team"}.get(m.group(1).lower(), "account")
            + ", "
        ),
    ),
    # "total cash received this month, all payment methods included": one total, never split by them
    (
        re.compile(
            r"[,;(]?\s*(?:with\s+|and\s+)?(?:all|every|any)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:methods|regions|sources|"
            r"channels|products|types|statuses|stages|reps|teams|segments|industries|countries|currencies|priorities|"
            r"terms)\s+(included|combined|together|counted|considered|inclusive)\b\)?",
            re.I,
        ),
        # ("whats the avg satisfaction on those (all priorities together)" after a split: one figure again)
        lambda m: " in total" if m.group(1).lower() in ("combined", "together") else "",
    ),
    # "how many payments today, and for what total amount?": the count and how much
    (
        re.compile(
            r"\b(?:and\s+)?(?:for\s+)?what\s+(?:total\s+)?(?:amount|value|sum|dollar\s+amount)\s*(?=[?.!]|$)",
            re.I,
        ),
        "and how much",
    ),
    # "Q1 bookings this year vs Q1 2025", "march revenue last year": the year is the quarter's (or month's), said
    # after the measure; never across a word that joins two periods ("Q1 vs this year")
    (
        re.compile(
            r"\b(q[1-4]|h[12]|january|february|march|april|june|july|august|september|october|november|december)"
            r"\s+((?:(?!(?:vs|versus|and|or|to|than|against|compared|through|thru|until|till|from|since|before|after|"
            r"in|of|for|this|last|next|previous|prior|year|ytd|q[1-4]|h[12])\b)[a-z]+\s+){1,2})(this|last)\s+year\b",
            re.I,
        ),
        r"\1 \3 year \2",
    ),
    # "how much of the overdue balance is from churned accounts vs current customers?": by lifecycle stage, those two
    (
        re.compile(
            r"\b(?:from\s+|of\s+|for\s+)?(?:the\s+)?(?:churned|former|lost)\s+(?:accounts|customers|companies|clients)\s+"
            r"(?:vs\.?|versus|compared\s+(?:to|with)|and)\s+(?:the\s+)?(?:current|active|existing)\s+(?:customers|accounts|clients)\b|"
            r"\b(?:from\s+|of\s+|for\s+)?(?:the\s+)?(?:current|active|existing)\s+(?:customers|accounts|clients)\s+"
            r"(?:vs\.?|versus|compared\s+(?:to|with)|and)\s+(?:the\s+)?(?:churned|former|lost)\s+(?:accounts|customers|companies|clients)\b",
            re.I,
        ),
        " by lifecycle stage",
    ),
    # "and which is his highest scoring one" after his open leads: the one with the highest score
    (
        re.compile(
            r"\bwhich\s+(?:is|'s)\s+(?:his|her|their|the|my|our)\s+(highest|top|best|lowest|worst)[\s-]+(?:scoring|scored|rated)\s+"
            r"(?:one|lead)\b",
            re.I,
        ),
        lambda m: (
            f"which one has the {'lowest' if m.group(1).lower() in ('lowest', 'worst') else 'highest'} score"
        ),
    ),
    # "which sent invoices have a partial payment on them?": the partially paid ones
    (
        re.compile(
            r"\b(?:that\s+|which\s+)?(?:have|has|having|with|got)\s+(?:a\s+|some\s+)?partial\s+payments?(?:\s+(?:on|against)\s+"
            r"(?:them|it))?",
            re.I,
        ),
        "partially paid",
    ),
    # "csat q1 vs last yr's q4": Q4 of last year, never Q1 of last year
    (
        re.compile(
            r"\b(?:last|previous|prior)\s+(?:yr|year)'?s\s+(q[1-4]|h[12]|january|february|march|april|may|june|july|august|"
            r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b",
            re.I,
        ),
        r"\1 last year",
    ),
    # "which paid ads leads have the best shot at converting?": those most likely to convert
    (
        re.compile(
            r"\b(?:have|has|with|got)\s+(?:the\s+)?(?:best|highest|biggest|greatest|strongest)\s+(?:shot|chance|chances|odds|"
            r"likelihood|probability)\s+(?:at|of)\s+(?:converting|conversion|closing)\b",
            re.I,
        ),
        "are most likely to convert",
    ),
    # "and predicted ltv next 12m", "ltv forecast for the next 12 months": the predicted 12-month LTV
    (
        re.compile(
            r"\b(?:predicted|projected|forecast(?:ed)?|expected)\s+(?:lifetime\s+value|ltv)\s+(?:for\s+|over\s+|in\s+)?"
            r"(?:the\s+)?next\s+(?:12|twelve)\s*(?:m|mo|mos|months?)\b",
            re.I,
        ),
        "predicted 12-month ltv",
    ),
    # "which invoice is that and when was it due" after what an account owes: the records behind the figure, with
    # their dates (the noun is the records', never the invoiced amount)
    (
        re.compile(
            r"^\W*(?:(?:and|ok|so)\W+)?which\s+(deal|invoice|payment|ticket|lead)\s+(?:is|was)\s+(?:that|it|this)\b",
            re.I,
        ),
        r"which \1s are those",
    ),
    # "for Q3 can you put revenue, invoiced and bookings next to each other": those measures, side by side
    (
        re.compile(
            r"\b(?:can\s+you\s+|could\s+you\s+|pls\s+|please\s+)?put\s+(.{3,80}?)\s+(?:next\s+to\s+each\s+other|side\s+by\s+side)\b",
            re.I,
        ),
        r"\1",
    ),
    # "event leads this year - how many came in and how many have converted?": how many came in then, and how many of them
    (
        re.compile(
            r"^\W*(?P<rec>[\w'-]+(?:\s+[\w'-]+){0,3}?\s+(?:leads|deals|tickets|opps))\s+(?P<when>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s*"
            r"[-–—:,]\s*how\s+many\s+(?P<verb>came\s+in|were\s+created|did\s+we\s+get|were\s+opened|were\s+raised)\s+and\s+"
            r"how\s+many\b",
            re.I,
        ),
        r"how many \g<rec> \g<verb> \g<when> and how many",
    ),
    # "high churn risk customers owing us more than 50k - name and balance": the accounts whose total owed is over it
    (
        re.compile(
            r"\b(customers|accounts|clients|companies|custs|accts)\s+(?:that\s+|who\s+)?(?:are\s+)?owing(\s+us)?\s+"
            r"(more\s+than|over|above|at\s+least|>)\s*(\$?\d[\d,.]*\s*[km]?)(?!\s*(?:days|overdue|past))"
            r"(?:\s*-\s*(?:name|names|customer|account)\s+(?:and|\+|&|,)\s*(?:balance|amount|total|how\s+much))?",
            re.I,
        ),
        r"\1 that owe\2 \3 \4 in total",
    ),
    # "month end: what's sitting in pending approval?", "quarter-end close - ...": when it is asked, not a period
    (
        re.compile(
            r"^\W*(?:it'?s\s+)?(?:month|quarter|year|half[\s-]?year)[\s-]*end(?:\s+close)?\s*[:\-–—,]\s+",
            re.I,
        ),
        "",
    ),
    # "5 biggest payments received this month, who paid and how much": those payments, each with its payer
    (
        re.compile(r"\b(payments?\b[^?]*?)[,-]?\s+who\s+paid\s+(?:and\s+how\s+much|how\s+much)\b", re.I),
        r"\1 and from whom",
    ),
    # "payments that came in today - who paid, how much, which invoice": the columns, said as words
    (
        re.compile(
            r"\b(payments?\b[^?]*?)\s*[-–—:]\s*who\s+paid\s*,\s*how\s+much\b(?=\s*,\s*(?:and\s+)?which\s+invoice)",
            re.I,
        ),
        r"\1 - customer, amount",
    ),
    # "what terms is Smart Stone AI on for their open invoice, and when's it due": that account's open invoices, with
    # their payment terms
    (
        re.compile(
            r"^\W*what\s+(?:payment\s+)?terms\s+(?:is|are)\s+(?P<who>.+?)\s+on\s+(?:for\s+|with\s+)?(?:their|its|the)\s+"
            r"(?P<which>open\s+|unpaid\s+|outstanding\s+|overdue\s+|latest\s+|last\s+)?invoices?\b(?P<rest>.*)$",
            re.I,
        ),
        r"\g<which>invoices for \g<who> with payment terms\g<rest>",
    ),
    # "payments by method - this quarter vs last quarter. seeing way less card?": a hunch about the split's rows, which
    # the split shows (never a filter to that row)
    (
        re.compile(
            r"^(?P<asked>.*\b(?:by|per|split\s+by|broken\s+down\s+by)\s+[a-z].*?[.?!])\s+(?:(?:i'?m|we'?re)\s+)?(?:seeing|noticing|"
            r"feels?\s+like|looks?\s+like|seems?\s+like|i\s+think|i\s+feel|guessing|i\s+suspect|suspect|wondering\s+if|"
            r"curious\s+if|pretty\s+sure|i\s+bet|my\s+guess|hunch)\b[^?.!]*[?.!]*\s*$",
            re.I,
        ),
        r"\g<asked>",
    ),
    # "whats open with Bison Warehousing? deals + stage": the open deals with them, with that column
    (
        re.compile(
            r"\bwhat(?:'s|s|\s+is)\s+(?:still\s+)?open\s+(?P<with>with|for|at|on)\b(?P<mid>[^?]*)\?\s*"
            r"(?P<rec>deals|opps|opportunities|invoices|tickets)\b(?P<rest>.*)$",
            re.I,
        ),
        r"open \g<rec> \g<with>\g<mid>\g<rest>",
    ),
    # "whats stellar compass's balance right now?", "what's their current balance", "account balance for Acme": what the
    # account still owes (a balance alone is otherwise an invoice's column)
    (
        re.compile(
            r"(?:(?<=['’]s)|(?<=s['’])|(?<=\btheir)|(?<=\bits)|(?<=\bthe))\s+(?:current\s+|account\s+|open\s+)?balance\b(?!\s+(?:first|last|due))"
            r"|\b(?:account|current)\s+balance\b",
            re.I,
        ),
        " outstanding balance",
    ),
    # "top 10 overdue invoices in EMEA by balance": ranked by what each still owes (no split "by balance")
    (
        re.compile(
            r"\b((?:top|bottom)\s+\d{1,3}|\d{1,3}\s+(?:biggest|largest|smallest|oldest))\s+([^?]*?\binvoices\b[^?]*?)\s+by\s+"
            r"(?=(?:the\s+|their\s+)?(?:balance|balances|amount\s+owed|amount\s+still\s+owed|what'?s\s+(?:still\s+)?owed)\b)",
            re.I,
        ),
        r"\1 \2 sorted by ",
    ),
    # "open invoices sorted by balance": those invoices listed, the biggest balance first (never the total owed)
    (
        re.compile(
            r"^(?P<head>.*?)\s*,?\s*\b(?:sorted|ordered|ranked|sort(?:ed)?\s+them|order(?:ed)?\s+them)\s+by\s+"
            r"(?:the\s+|their\s+)?(?:balance|balances|amount\s+owed|amount\s+still\s+owed|what'?s\s+(?:still\s+)?owed)\b"
            r"(?P<tail>.*)$",
            re.I,
        ),
        _by_balance,
    ),
    # "then just list those EMEA accounts and how much is more than 60 days overdue": that amount, by account
    (
        re.compile(
            r"^(?P<lead>\W*(?:(?:fine|ok|okay|then|so|and|just|pls|please)\W+)*)(?:list|show(?:\s+me)?|give\s+me)\s+"
            r"(?:the\s+|those\s+|these\s+|all\s+|our\s+)?(?P<which>[\w&' -]{0,30}?)\s*\b(?:accounts|customers|companies|"
            r"clients)\s+and\s+(?P<rest>how\s+much\b.*)$",
            re.I,
        ),
        _accounts_and_how_much,
    ),
    # "..., most recent first (date, type, subject)": the columns asked, in brackets at the end
    (
        re.compile(r"\s*\(\s*([a-z][a-z ]*(?:\s*,\s*[a-z][a-z ]*)+)\s*\)\s*([?.!]*)\s*$", re.I),
        _columns_in_brackets,
    ),
    # "who are the biggest 5 in there": the 5 biggest
    (
        re.compile(
            r"\b(biggest|largest|smallest|worst|best|highest|lowest)\s+(\d{1,3})\b(?!\s*(?:%|k\b|m\b|days?|weeks?|months?))",
            re.I,
        ),
        r"\2 \1",
    ),
    # "how much is sitting in the 90+ aging bucket?", "how many invoices are in the 90+ one?" after the aging: that bucket
    (
        re.compile(
            r"\b(90\s*\+|61\s*-\s*90|31\s*-\s*60|1\s*-\s*30)\s+(?:(?:aging|ageing|ar)\s+bucket|one|band|group)\b",
            re.I,
        ),
        r"\1 bucket",
    ),
    # "the 1-star tickets from this month": those rated 1 (ratings run 1 to 5, whole stars)
    (re.compile(r"\b(?:the\s+)?([15])[\s-]*stars?\s+(tickets?|ratings?|reviews?)\b", re.I), _stars),
]
SAID_AS_TYPED.append(
    # "drop the churned ones - only accounts that are still with us": every company but the churned ones (the
    # accounts are who the figure is about, no split by account)
    (
        re.compile(
            r"\s*[-—–,;:(]?\s*\b(?:only\s+|just\s+)?(?:the\s+)?(?:accounts?|customers?|companies|clients?)\s+"
            r"(?:that|who|which)\s+(?:are|is)\s+still\s+(?:with\s+us|active|around)\b\)?",
            re.I,
        ),
        lambda m: "" if re.search(r"\bchurn", m.string, re.I) else " not churned",
    )
)
SAID_AS_TYPED.append(
    # "which 3 reps have the most outstanding on their accounts": each rep's own accounts, no split by account
    (
        re.compile(
            r"\s+(?:on|across|from|in|over)\s+(?:their|his|her)\s+(?:own\s+)?(?:accounts|customers|clients|book|books|"
            r"portfolios?)\b(?=[^?]*(?:\?[^?]*)?$)",
            re.I,
        ),
        lambda m: (
            ""
            if re.search(r"\b(?:reps?|owners?|sellers?|aes?|salespeople|who)\b", m.string[: m.start()], re.I)
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "which deals did i lose this quarter and what were the reasons": those deals, each with its lost reason
    (
        re.compile(
            r"^(\W*(?:which|what)\s+(?:deals|opps|opportunities)\b[^?]*?)\s*(?:,\s*)?(?:and|\+|&)\s+what\s+(?:(?:were|was|are|r|"
            r"is)\s+(?:the|their)\s+(?:lost\s+|loss\s+)?reasons?|(?:lost\s+|loss\s+)?reasons?\s+(?:were|was)\s+(?:given|cited|"
            r"logged|recorded|entered))\s*\??\s*$",
            re.I,
        ),
        r"\1 and why",
    )
)
SAID_AS_TYPED.append(
    # "quarter end cash chase: how much of what's outstanding falls due ...": a heading, the question after it
    (
        re.compile(
            r"^\W*(?:(?:quarter|qtr|month|year|week|q[1-4])[\s-]*end\s+)?(?:cash|ar|a/r|collections?|receivables?|"
            r"payments?)\s+(?:chase|chasing|push|review|check|sweep|run|catch[\s-]*up)\s*[:—–-]\s*(?=\S)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "split by region (not source)", "by rep, not by team": the split meant, the other named only to say it isn't
    (
        re.compile(
            r"(\b(?:by|per)\s+[\w-]+)\s*(?:\(\s*(?:and\s+|but\s+)?not\s+(?:by\s+|per\s+)?[\w-]+(?:\s+[\w-]+)?\s*\)|"
            r"[,;-]\s*(?:and\s+|but\s+)?not\s+(?:by|per)\s+[\w-]+\b(?=\s*[?.!]*\s*$))",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "what have i closed-won so far this month? $ total": how much, in money
    (
        re.compile(
            r"^\W*what\s+(have|has|did)\s+([^?]{3,80}?)\s*\?\s*\$\s*(?:total|amount|value|figure|number)?\s*(?:pls|please)?"
            r"\s*[?.!]*\s*$",
            re.I,
        ),
        r"how much \1 \2?",
    )
)
SAID_AS_TYPED.append(
    # "can you split that by the account's industry": by industry (the records' account's, as every split by industry)
    (
        re.compile(
            r"\b(by|per|across)\s+(?:the\s+|their\s+|each\s+)?(?:account|customer|company|client)(?:['’]s|s['’]|s)?\s+"
            r"(industry|industries|region|regions|country|countries|segment|vertical)\b",
            re.I,
        ),
        r"\1 \2",
    )
)
SAID_AS_TYPED.append(
    # "One row per priority please", "a line for each rep": split by it
    (
        re.compile(
            r"\b(?:one|a|1)\s+(?:row|line|entry)\s+(?:per|for\s+each|for\s+every|each)\s+([a-z][\w-]*)\b",
            re.I,
        ),
        # ("one row per payment": each record listed, as said)
        lambda m: m.group(0) if m.group(1).lower().rstrip("s") in _RECORD_WORDS else f"by {m.group(1)}",
    )
)
SAID_AS_TYPED.append(
    # "..., counting only tickets that actually have a resolved timestamp": what the measure counts already
    (
        re.compile(
            r"[,;(]?\s*\b(?:counting|including|using|taking)\s+only\s+(?:the\s+)?(?:tickets|deals|invoices|leads)\s+"
            r"(?:that|which)\s+(?:actually\s+)?(?:have|has)\s+(?:a|an)\s+(?:resolved|resolution|close|closed|closing|"
            r"paid|conversion|converted)\s+(?:timestamp|date|time)s?\b\)?",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "show the lead's company, score, and which rep owns it": the owner, one more column of the list
    (
        # (a list of columns: "who's the highest scoring open lead, and which rep has it?" is one lead and its owner)
        re.compile(
            r"(,[^,?]{1,30},\s*(?:and\s+)?)who\s+owns\s+(?:it|them|each(?:\s+one)?)\s*([?.!]*)\s*$", re.I
        ),
        r"\1owner\2",
    )
)
SAID_AS_TYPED.append(
    # "... in negotiation right now - deal, amount and who owns it": the columns asked, the owner one of them
    (
        re.compile(
            r"([-—–:]\s*[a-z#$ ]+(?:,\s*[a-z#$ ]+)+)\s*,?\s+and\s+who\s+owns\s+(?:it|them|each(?:\s+one)?)\s*([?.!]*)\s*$",
            re.I,
        ),
        r"\1, owner\2",
    )
)
SAID_AS_TYPED.append(
    # "apac deals in negotiation - names and $": their names and amounts, a list
    (re.compile(r"\b(names?)\s*(?:and|\+|&|,|w/?)\s*\$(?=\s*[?.!]*\s*$)", re.I), r"\1 and amounts")
)
SAID_AS_TYPED.append(
    # "any of my accounts sitting on overdue invoices? which ones and how much": which of them, and how much each
    (
        re.compile(
            r"^\W*(?:are\s+|do\s+|does\s+|have\s+)?any\s+of\s+((?:my|our|the|my\s+team'?s)\s+(?:accounts|customers|clients|"
            r"companies))\s+([^?]+?)\s*\?\s*which\s+ones?\s*,?\s*(?:and|\+|&)\s+(?:how\s+much|for\s+how\s+much|what\s+amounts?)"
            r"\s*\??\s*$",
            re.I,
        ),
        r"which of \1 \2, and how much",
    )
)
SAID_AS_TYPED.append(
    # "total of that?" after a split: its one figure
    (
        re.compile(
            r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:what'?s\s+|whats\s+)?(?:the\s+)?(?:total|sum)\s+(?:of|for)\s+(?:that|those|"
            r"it|them|these|all\s+(?:of\s+)?(?:that|those|them))\s*([?.!]*)\s*$",
            re.I,
        ),
        r"the total\1",
    )
)
SAID_AS_TYPED.append(
    # "was our win rate better in april or march?": the two months compared
    (
        re.compile(
            rf"\b(better|worse|higher|lower|bigger|smaller|stronger|weaker)\s+(?:in\s+)?({_PERIOD_WORDS})\s+or\s+"
            rf"(?:in\s+)?({_PERIOD_WORDS})\b",
            re.I,
        ),
        r"\1 in \2 vs \3",
    )
)
SAID_AS_TYPED.append(
    # "may so far vs april": this month (to today, as every current month is) against the other
    (
        re.compile(
            r"\b((?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|may)\s+(?:so\s+far|to\s+date)\s+"
            r"(?=(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+(?!the\s+same|same|last\s+year|a\s+year)\w)",
            re.I,
        ),
        r"\1 ",
    )
)
SAID_AS_TYPED.append(
    # "how many invoices are stuck waiting for approval, and what's their combined total?": their total value
    (re.compile(r"\b(their|the)\s+combined\s+(?:total|sum|amount)\b", re.I), r"\1 total value")
)
SAID_AS_TYPED.append(
    # "how long are those deals taking to close, avg days from creation?": how long they take (the sales cycle)
    (
        re.compile(
            r"\b(take|took|taking)\s+to\s+close\s*,?\s*(?:avg|average|mean)?\s*days\s+from\s+creation\b", re.I
        ),
        r"\1 to close",
    )
)
SAID_AS_TYPED.append(
    (
        re.compile(r"\b(are|is)\s+((?:those|these|the|our|my)\s+)?deals\s+taking\s+to\s+close\b", re.I),
        r"do \2deals take to close",
    )
)
SAID_AS_TYPED.append(
    # "avg health score of our customers by industry - sorry, i meant by region": by region, not industry
    (
        re.compile(
            r"^(?P<q>.+?\b(?:by|per))\s+[\w ]{2,25}?\s*[-—–,;.]+\s*(?:(?:sorry|oops|no|actually|my\s+bad)[,\s]+)+"
            r"(?:i\s+)?(?:meant|mean)\s+(?:by|per)\s+(?P<new>[\w ]{2,25}?)\s*[.!?]*\s*$",
            re.I,
        ),
        r"\g<q> \g<new>",
    )
)
SAID_AS_TYPED.append(
    # "new leads by source: july vs june. I'd like source, july count, june count, and the change": the columns a
    # comparison shows anyway
    (
        re.compile(
            r"(\b(?:vs\.?|versus|compared\s+(?:to|with))\b[^.?!]*[.?!;])\s*(?:i'?d\s+like|i\s+would\s+like|i\s+need|i\s+want|"
            r"please\s+(?:show|give|include)|give\s+me|columns?\s*:)\s+[^.?!]*\b(?:change|difference|delta|diff)\b[^.?!]*"
            r"[.?!]*\s*$",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "For my month-end pack (today being Aug 31) I need a snapshot of ...": a heading, the ask after it
    (
        re.compile(
            r"^\W*for\s+(?:my|our|the|this|tomorrow'?s|today'?s|next\s+week'?s)\s+(?:[\w-]+\s+){0,3}?(?:pack|deck|report|"
            r"review|meeting|slides?|update|sync|call|qbr|board\s+pack)\s*(?:\([^()]*\)\s*)?[,:—–-]?\s*(?:i\s+need|i'?d\s+like|i\s+want|"
            r"can\s+(?:you|u)\s+(?:give\s+me|get\s+me|pull)|please\s+(?:give\s+me|pull|show\s+me))\s+",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "..., leave notes out": without them
    (re.compile(r"\bleave\s+(?:the\s+)?([a-z]+)\s+out\b", re.I), r"excluding \1")
)
SAID_AS_TYPED.append(
    # "Buckets current / 1-30 / 31-60 / 61-90 / 90+, and for each bucket ...": the aging buckets, named as they are
    (
        re.compile(
            r"\b(?:(?:the\s+)?(?:usual\s+)?buckets?\s*:?\s*)?current\s*[/,|]\s*1\s*-\s*30\s*[/,|]\s*31\s*-\s*60\s*[/,|]\s*"
            r"61\s*-\s*90\s*[/,|]\s*(?:and\s+)?90\s*\+\s*[,.;]?",
            re.I,
        ),
        " ",
    )
)
SAID_AS_TYPED.append((re.compile(r"\b(how\s+many|number\s+of|count\s+of|#)\s+such\s+", re.I), r"\1 "))
SAID_AS_TYPED.append(
    # "only for leads that aren't converted or disqualified yet": the open leads (new, working, qualified)
    (
        re.compile(
            r"\bleads\s+(?:that|which|who)\s+(?:aren'?t|are\s+not|haven'?t\s+been|have\s+not\s+been|were\s+not|weren'?t)\s+"
            r"(?:yet\s+)?(?:converted\s+or\s+disqualified|disqualified\s+or\s+converted)(?:\s+yet)?\b",
            re.I,
        ),
        "open leads",
    )
)
SAID_AS_TYPED.append(
    # "(going by the conversion date, not created date)": the date meant, the other named only to say it isn't
    (
        re.compile(
            r"\s*,?\s*(?:and\s+|but\s+)?not\s+(?:the\s+|by\s+)?(?:created|creation|create)\s+date\b", re.I
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "Need a list of the leads that converted ...": list them
    (
        re.compile(
            r"^\W*(?:i\s+)?(?:need|want|would\s+like|'d\s+like)\s+(?:a|the)\s+(?:full\s+)?list\s+of\s+", re.I
        ),
        "list ",
    )
)
SAID_AS_TYPED.append(
    # "when did we last touch A, B and C? just the date of the most recent activity for each": each one's last touch
    (
        re.compile(
            r"([?.])\s*(?:just|only)?\s*(?:the\s+)?dates?\s+of\s+the\s+(?:most\s+recent|latest|last)\s+(?:activity|touch|"
            r"contact|touchpoint)\s+(?:for|of|per)\s+each(?:\s+one)?\s*[.?!]*\s*$",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "how many different accounts did we touch last week": the accounts with an activity
    (
        re.compile(
            r"\bhow\s+many\s+(?:different\s+|distinct\s+|unique\s+)?(?:accounts|customers|companies|clients)\s+(?:did|have|"
            r"has)\s+(?:we|the\s+team)\s+(?:touch|touched|contact|contacted|reach\s+out\s+to|reached\s+out\s+to)\b",
            re.I,
        ),
        "how many accounts touched",
    )
)
SAID_AS_TYPED.append(
    # "what csat are my customers giving us this yr": the CSAT of my customers (a measure, not their tickets listed)
    (
        re.compile(
            r"\bwhat\s+(csat|satisfaction|sat\s+scores?|ratings?|scores?)\s+(?:are|do|did|have|has|is)\s+((?:my|our|the)\s+)?"
            r"(customers|clients|accounts)\s+(?:giving|give|gave|given|leaving|left)(?:\s+(?:us|me))?\b",
            re.I,
        ),
        r"what is the \1 from \2\3",
    )
)
SAID_AS_TYPED.append(
    # "across all customers?" after a region's figure: everyone's, the region dropped
    (
        re.compile(
            r"^\W*(?:(?:and|ok|okay|so|now)\W+)?(?:what\s+about\s+|how\s+about\s+)?(?:across|for|over|among)\s+all\s+(?:the\s+|our\s+)?"
            r"(?:customers|accounts|companies|clients|custs)(?:\s+together)?\s*([?.!]*)\s*$",
            re.I,
        ),
        r"and for everyone\1",
    )
)
SAID_AS_TYPED.append(
    # "and vs the quarter before (q4)?": the quarter before, named again in brackets
    (re.compile(r"(\bthe\s+(?:quarter|month|year|week)\s+before)\s*\(\s*[\w' ]{1,15}\)", re.I), r"\1")
)
SAID_AS_TYPED.append(
    # "sorry, meant q1 vs q4 - not q4 vs q3": the comparison meant, the other named only to say it isn't
    (
        re.compile(
            r"\s*[-—–,;]\s*(?:and\s+|but\s+)?not\s+(?:the\s+)?[\w'-]+(?:\s+\d{4})?\s+(?:vs\.?|versus)\s+[\w'-]+(?:\s+\d{4})?"
            r"\s*[.!?]*\s*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "what about chiara on her own?": hers alone
    (re.compile(r"\s+(?:on\s+(?:his|her|their)\s+own|by\s+(?:himself|herself|themselves))\b", re.I), "")
)


def _the_one_who(m: re.Match) -> str:
    """ "mark kelly's the one who's down. what did he lose in q1 and why?": the question, about that person."""
    rest = re.sub(r"\b(?:he|she)\b", m.group("name"), m.group("rest"), count=1, flags=re.I)
    return re.sub(r"\b(?:his|her)\b", f"{m.group('name')}'s", rest, count=1, flags=re.I)


SAID_AS_TYPED.append(
    (
        re.compile(
            r"^\W*(?P<name>[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?)(?:'s|\s+is)\s+the\s+one\s+(?:who'?s|that'?s|who\s+is|that\s+is)\s+"
            r"(?:down|behind|lagging|struggling|slipping|up|ahead|missing)[^.!?;]{0,30}[.!;:-]+\s*(?P<rest>\S.*)$",
            re.I,
        ),
        _the_one_who,
    )
)
SAID_AS_TYPED.append(
    # "top 5 deals we won in q1 with NA companies": the deals in NA (the companies say where, not a split)
    (
        re.compile(
            r"\b(?:with|from|at|for)\s+(?:the\s+)?(na|emea|apac|latam)\s+(?:companies|accounts|"
            r"customers|clients)\b(?=[^?]*$)",
            re.I,
        ),
        r"in \1",
    )
)
SAID_AS_TYPED.append(
    # "which of his accounts is most likely to churn?": the one with the highest churn probability
    (
        re.compile(
            r"^(\W*which\s+(?:one\s+)?(?:of\s+[^?]{2,40}?)?)\s+(?:is|'s)\s+(?:the\s+)?most\s+likely\s+to\s+churn\b",
            re.I,
        ),
        r"\1 has the highest churn probability",
    )
)
SAID_AS_TYPED.append(
    # "was the typical deal we won bigger in Q4 2025 or Q3 2025?": the average deal size
    (
        re.compile(r"\b(?:the\s+)?(?:typical|average|avg)\s+deal\s+(?:we\s+|i\s+|they\s+)?won\b", re.I),
        "the average deal size",
    )
)
SAID_AS_TYPED.append(
    # "for the forecast: what does each rep on my team still have open ...": a heading, the question after it
    (
        re.compile(
            r"^\W*(?:for\s+(?:the|my|our|this\s+week'?s|today'?s|tomorrow'?s)\s+)?(?:forecast|fcst)(?:\s+(?:call|review|"
            r"meeting|sync|prep|deck|slide))?\s*[:—–-]\s*(?=\S)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "lost deals by reason, Q1 vs Q4 - are we losing more on price?": a hunch about the rows, not a filter
    (
        re.compile(
            r"(\b(?:vs\.?|versus|compared\s+(?:to|with))\b[^?]*?)\s*[-—–,;.]+\s*(?:are|is|were)\s+(?:we|it|that|they)\s+"
            r"(?:losing|seeing|getting|winning|doing|closing|booking)\s+(?:way\s+|a\s+lot\s+)?(?:more|less|fewer|better|"
            r"worse)\b[^?]*\?\s*$",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "are deals taking longer to close? sales cycle Q1 2026 vs Q1 2025": the musing, then the ask
    (
        re.compile(
            r"^\W*(?:are|is)\s+(?:our\s+|the\s+)?deals\s+taking\s+(?:longer|less\s+time|more\s+time)\s+to\s+close\s*\?\s*(?=\S)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "win rate this qtr by team - want to see how my guys stack up against everyone else": every team, as split
    (
        re.compile(
            r"\s*[-—–,;]?\s*(?:i\s+)?(?:want\s+to|wanna|wanted\s+to|need\s+to|to)\s+see\s+how\s+(?:my|our)\s+(?:guys|team|people|"
            r"reps|folks|crew)\s+stacks?\s+up\s+(?:against|vs\.?|with)\s+(?:everyone|everybody|the\s+others|the\s+rest|"
            r"the\s+other\s+teams|other\s+teams)(?:\s+else)?\b",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "what does each rep on my team still have open with an expected close date in Q2?": the open pipeline, by rep
    (
        re.compile(
            r"^\W*what\s+(?:does|do)\s+(?:each\s+rep|every\s+rep|each\s+of\s+(?:my|our|the)\s+reps|each\s+person|everyone)\s+"
            r"((?:on|in)\s+(?:my|our|the)\s+team\s+)?(?:still\s+)?(?:have|has|got)\s+open\b",
            re.I,
        ),
        r"open pipeline by rep \1",
    )
)
SAID_AS_TYPED.append(
    # "customers we haven't been in touch with for 90+ days": no activity in the last 90 days
    (
        re.compile(
            r"(\b(?:in\s+touch|contacted|touched|spoken|talked|heard|reached|activity|activities|contact)\b[^?]{0,30}?\b"
            r"\d+)\s*\+\s*(?=(?:days?|weeks?|months?)\b)",
            re.I,
        ),
        r"\1 ",
    )
)
SAID_AS_TYPED.append(
    # "how many of my leads are still in new then?": in status new
    (
        re.compile(
            r"\b(?:still\s+)?(in|at)\s+(?:the\s+)?(new|working|qualified)\b(?!\s+(?:status|stage|leads?|deals?|business))",
            re.I,
        ),
        r"\1 status \2",
    )
)
SAID_AS_TYPED.append(
    # "how many of them nobody has touched yet (still status new)", "untouched leads": leads still in status new
    # (with a number of days it is about contact, not a status: left to the inactivity reading)
    (
        re.compile(
            r"^(?!.*\d)(?=.*\b(?:leads?|status\s+new|them|those)\b)(.*?)\b(?:(?:that|which)\s+)?(?:nobody|no\s+one|no-one)"
            r"(?:'s|\s+has|\s+have)?\s+(?:touched|worked(?:\s+on)?|picked\s+up)\s+yet\b",
            re.I,
        ),
        r"\1 in status new",
    )
)
SAID_AS_TYPED.append(
    # "negotiation deals over 50k expected to close may 11-15, any team": whichever team, not a split by team
    (
        re.compile(
            r"\s*(?:,|\s-|\()\s*(?:for\s+|from\s+|on\s+)?any\s+(?:team|region|rep|owner)\s*\)?\s*(?=[?.!]*\s*$)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "how much of that sits with accounts that already churned": with churned accounts ("customers that churned
    # this month" alone are those customers)
    (
        re.compile(
            r"\b(with|from|by|among|across|on)\s+(?:the\s+)?(?:accounts|customers|companies|clients)\s+(?:that|who|which)\s+"
            r"(?:have\s+)?(?:already\s+)?churned\b",
            re.I,
        ),
        r"\1 churned accounts",
    )
)
SAID_AS_TYPED.append(
    # "only count the overdue part" after the top accounts by outstanding balance: their overdue amount, not a count
    (
        re.compile(
            r"\b(only|just)\s+count(?:ing)?\s+(?:the\s+)?(?:overdue|past[\s-]+due|late)\s+(?:part|portion|bit|piece|amount|"
            r"balance|money)\b",
            re.I,
        ),
        r"\1 the overdue amount",
    )
)
SAID_AS_TYPED.append(
    # "how much is more then 60 days late?": "than", typed as "then"
    (
        re.compile(
            r"\b(more|less|greater|fewer|bigger|smaller|older|newer|higher|lower|later|earlier)\s+then\b",
            re.I,
        ),
        r"\1 than",
    )
)
SAID_AS_TYPED.append(
    # "anything still open on their account?" after what an account paid: what they still owe
    (
        re.compile(
            r"\b(?:is\s+there\s+)?anything\s+(?:still\s+)?(?:open|outstanding|unpaid|owing)\s+on\s+(their|the|his|her|its)\s+"
            r"account\b",
            re.I,
        ),
        r"outstanding on \1 account",
    )
)
SAID_AS_TYPED.append(
    # "top 5 accounts by overdue amount. and throw in their churn risk so we know who to push": a column beside each
    # (the reason after it is a remark)
    (
        re.compile(
            r"\s*[.,;]?\s*(?:and\s+)?(?:throw\s+in|add\s+in|also\s+include|also\s+add|tack\s+on)\s+(their|its|each\s+one'?s)\s+"
            r"((?:[a-z-]+\s+){0,2}?[a-z-]+)(?:\s+(?:so|to\s+see|so\s+that|because|since)\b[^?]*)?\s*(?=[?.!]*\s*$)",
            re.I,
        ),
        r" + \1 \2",
    )
)
SAID_AS_TYPED.append(
    # "deals sitting in proposal whose expected close date already passed": past their expected close date
    (
        re.compile(
            r"\bwhose\s+(?:expected\s+)?close\s+date\s+(?:has\s+)?(?:already\s+)?(?:passed|gone\s+by|is\s+(?:already\s+)?"
            r"(?:past|behind\s+us|in\s+the\s+past))\b",
            re.I,
        ),
        "past their expected close date",
    )
)
SAID_AS_TYPED.append(
    # "high priority tickets still open or pending - which accounts, and since when": the account and the date each
    # was opened, as columns
    (
        re.compile(
            r"(\s[-–—:]\s*|,\s*)which\s+(?:accounts?|customers?|companies|clients?)\s*(?:,|\band\b|&|\+)\s*(?:and\s+)?"
            r"since\s+when\b",
            re.I,
        ),
        r"\1customer, created",
    )
)
SAID_AS_TYPED.append(
    # "which accounts logged 4 or more urgent tickets this year? and are they still customers?": their lifecycle stage
    (
        re.compile(
            r"\s*[?.]?\s*(?:and\s+)?(?:are|r)\s+(?:they|those|these)\s+(?:all\s+)?still\s+(?:customers|clients|with\s+us|"
            r"active)\s*\??\s*$",
            re.I,
        ),
        " + lifecycle stage",
    )
)
SAID_AS_TYPED.append(
    # "need a list for the CS team: high churn risk customers ...": who it is for, a heading
    (
        re.compile(
            r"^\W*(?:i\s+)?(?:need|want|could\s+use)\s+(?:a|the)\s+(list|report|number|count|table)\s+for\s+(?:the\s+|my\s+|our\s+)?"
            r"[\w&/ -]{1,30}?\s*:\s*",
            re.I,
        ),
        r"\1 ",
    )
)
SAID_AS_TYPED.append(
    # "which 10 industries - no, top 5 is fine - brought in the most bookings": the number said last
    (
        re.compile(
            r"\b(which|what|top)\s+\d+\s+([a-z]+)\s*[-–—,]+\s*(?:no|nah|actually|sorry|wait)\b[,\s]+(?:make\s+(?:it|that)\s+|just\s+)?"
            r"(?:the\s+)?(?:top\s+)?(\d+)(?:\s+(?:is|are|'s)\s+(?:fine|ok|okay|enough|plenty))?\s*[-–—,]+\s*",
            re.I,
        ),
        lambda m: f"{'which' if m.group(1).lower() != 'top' else 'top'} {m.group(3)} {m.group(2)} ",
    )
)
SAID_AS_TYPED.append(
    # "renewal bookings 2025 vs 2024 (deals named Renewal)", "only deals with Renewal in the name": the deal type,
    # as the CRM names deals
    (
        re.compile(
            r"[(,;-]?\s*(?:only\s+|just\s+)?(?:the\s+)?(?:deals?|opps?|ones)\s+(?:with|that\s+have|having|named|called)\s+"
            r"['\"]?(renewal|expansion|new\s+business)['\"]?(?:\s+in\s+(?:the|their|its)\s+names?)?\s*\)?",
            re.I,
        ),
        r" \1 deals ",
    )
)
SAID_AS_TYPED.append(
    # "any of my accounts got unresolved tickets rn? how many each": the count for each account
    (
        re.compile(
            r"^(?=.*\b(?:any\s+of\s+(?:my|our|the)|which(?:\s+of\s+(?:my|our|the))?)\s+(?:accounts|customers|clients|companies)\b)"
            r"(?=.*\b(?:tickets|invoices|deals|leads|payments|activities|calls|meetings)\b)(?!.*\b(?:vs\.?|versus|reps?)\b)"
            r"(.*?)\s*[?.,;-]\s*(?:and\s+)?how\s+many\s+"
            r"(?:for\s+|on\s+|do\s+they\s+have\s+|does\s+each\s+have\s+)?each(?:\s+one)?\s*\??\s*$",
            re.I,
        ),
        r"\1 - how many, by account",
    )
)
SAID_AS_TYPED.append(
    # "breakdown by lost reason, w/ the $ lost too" after how many deals we lost: their amount beside the count
    (
        re.compile(
            r"\b(?:w/|with)\s*(?:the\s+)?(?:\$|dollars?|amounts?|value)\s+(?:lost|won|owed|involved|at\s+stake)"
            r"(?:\s+(?:too|as\s+well|also))?\s*(?=[?.!]*\s*$)",
            re.I,
        ),
        "w/ amounts",
    )
)
SAID_AS_TYPED.append(
    # "avg resolution hours instead of counts": what it replaces, said as such ("instead" is the word read; "totals
    # instead of averages" is left as it is)
    (
        re.compile(
            r"\binstead\s+of\s+(?:the\s+)?(?:ticket\s+|deal\s+|lead\s+|invoice\s+)?counts?\b",
            re.I,
        ),
        "instead",
    )
)
SAID_AS_TYPED.append(
    # "just high + urgent lumped together, one number": combined
    (re.compile(r"\b(?:lumped|rolled|added|bundled|grouped)\s+(?:all\s+)?together\b", re.I), "combined")
)
SAID_AS_TYPED.append(
    # "hi, sorry if this is basic :sweat_smile: how much ...": a Slack emoji code is no word of the question
    (re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,40}:(?![\w:])", re.I), " ")
)
SAID_AS_TYPED.append(
    # "ok thx. and for the whole of july?": thanks before the question
    (
        re.compile(
            r"^\W*(?:(?:ok(?:ay)?|k|cool|great|perfect|nice|got\s+it|super)\W+)*(?:thx|thanks|thank\s+you|ty|cheers|tks|"
            r"thnx|thanx|tysm)\b(?:\s+(?:so\s+much|a\s+lot|a\s+bunch))?[,.!\s]*(?=\S)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "my 3 customers with the worst health score?": the 3 with the lowest health score
    (
        re.compile(
            r"\b(my|our|the)\s+(\d{1,2})\s+((?:[a-z]+\s+)?(?:customers|accounts|clients|deals|leads|reps|invoices))\s+with\s+"
            r"the\s+(worst|lowest|best|highest|biggest|largest|smallest)\s+",
            re.I,
        ),
        r"\1 \2 \4 \3 by ",
    )
)
SAID_AS_TYPED.append(
    # "hi, sorry if this is basic :sweat_smile: how much ...": an apology before the question
    (
        re.compile(
            r"^\W*(?:(?:hi|hey|hello|hiya)(?:\s+\w+)?\W+)?(?:sorry|apologies)\s+(?:if\s+this\s+is|for\s+the|for\s+(?:a|this))\s+"
            r"(?:a\s+|such\s+a\s+)?(?:very\s+|really\s+|super\s+)?(?:basic|dumb|stupid|silly|newbie|noob|quick|simple)"
            r"(?:\s+(?:question|q))?\W*",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "renewal bookings 2025 vs 2024", "renewal pipeline": the measure over renewal deals ("renewal" alone, as in "a call
    # about their renewal", is an event, no filter)
    (
        re.compile(
            r"\brenewal\s+(bookings|pipeline|pipe|win\s+rate|deal\s+size|revenue|sales|deals?\s+(?:won|lost)|"
            r"deal|opp|opportunity)\b",
            re.I,
        ),
        lambda m: (
            f"{m.group(1)} of renewal deals"
            if not re.match(r"deal|opp", m.group(1), re.I)
            else "renewal deals"
        ),
    )
)
SAID_AS_TYPED.append(
    # "which was the best month", "what was our worst quarter" after a split by time: the one period at the top
    (
        re.compile(
            r"^\W*(?:(?:and|so|ok)\W+)?(?:which|what)(?:\s+one)?\s+(?:was|is|were)\s+(?:the|our)\s+(best|worst|biggest|"
            r"strongest|weakest|highest|lowest|busiest|slowest)\s+(month|quarter|week|year|day)\b",
            re.I,
        ),
        r"which \2 was the \1",
    )
)
SAID_AS_TYPED.append(
    # "payments $ by method oct vs sep", "payment amounts by method", "$ of payments": the money, not how many
    (
        re.compile(
            r"(?<!largest\s)(?<!biggest\s)(?<!smallest\s)(?<!top\s)(?<!\d\s)(?<!avg\s)(?<!average\s)(?<!mean\s)"
            r"(?<!typical\s)(?<!median\s)"
            r"(?:(?:(?<![\w$])\$|\bdollars?|\bamounts?|\bvalues?)\s+of\s+(?:the\s+)?(payments?)|\b(payments?)\s+(?:\$|dollars|"
            r"amounts?|values?))(?=\s|$|[?,.;:!])",
            re.I,
        ),
        "payments in $",
    )
)
SAID_AS_TYPED.append(
    # "... invoices still sitting in draft + who theyre for + amt": "who they're for", typed without its apostrophe
    (re.compile(r"\bwho\s+(?:theyre|they\s+are)\s+for\b", re.I), "who they're for")
)
SAID_AS_TYPED.append(
    # "what payments came in today? who, how much, how they paid": the customer, the amount, the method
    (re.compile(r"\bhow\s+(?:they|it|each(?:\s+one)?)\s+(?:was\s+|were\s+)?paid\b", re.I), "method")
)
SAID_AS_TYPED.append(
    (re.compile(r"(?<=[?:])\s*who\s*,\s*how\s+much\s*(?=,|\s+and\b|\+)", re.I), " customer, amount")
)
SAID_AS_TYPED.append(
    # "how many customers have open tickets": the accounts that do ("which customers have open tickets" is each one with
    # its tickets counted)
    (
        re.compile(
            r"\b(how\s+many)\s+(of\s+)?(my\s+|our\s+|the\s+)?((?:(?!(?:deals?|invoices?|tickets?|leads?|do|does|did)\b)"
            r"[\w-]+\s+){0,3}?(?:customers|accounts|clients))\s+(?:still\s+)?(?:have|has|got)\s+"
            r"(?:an?\s+|any\s+)?(open(?:\s+or\s+pending)?|unresolved)\s+(?:support\s+)?tickets?\b",
            re.I,
        ),
        lambda m: (
            f"{m.group(1)} {m.group(2) or ''}{m.group(3) or ''}{m.group(4)} with "
            f"{'an unresolved ticket' if m.group(5).lower() != 'open' else 'an open ticket'}"
        ),
    )
)
SAID_AS_TYPED.append(
    # "partner leads in 2025 - how many, and what % converted?": the conversion rate beside the count
    (
        re.compile(
            r"\bwhat\s+(?:%|percent(?:age)?|share|portion|fraction)\s+(?:of\s+(?:them|those|these)\s+)?(?:have\s+|has\s+)?"
            r"(?:got\s+|were\s+|was\s+)?converted\b",
            re.I,
        ),
        "lead conversion rate",
    )
)
SAID_AS_TYPED.append(
    # "how many paid ads leads got disqualified out of last quarter's batch": those created last quarter
    (
        re.compile(
            r"\b(?:out\s+of|from|of|in)\s+((?:last|this|previous)\s+(?:week|month|quarter|year)|q[1-4]|(?:19|20)\d{2})'?s?\s+"
            r"(?:batch|cohort|intake|crop|lot)\b",
            re.I,
        ),
        r"created \1",
    )
)
SAID_AS_TYPED.append(
    # "avg deal size 25 v 24": two years compared
    (
        re.compile(r"(?<![\d.$])\b(\d{2}|(?:19|20)\d{2})\s+v\.?\s+(\d{2}|(?:19|20)\d{2})\b(?![\d.%k])", re.I),
        r"\1 vs \2",
    )
)
SAID_AS_TYPED.append(
    # "deals in negotiation w/ close date in march and > 150k": expected to close in March
    (
        re.compile(
            r"\b(?:w/|with)\s*(?:a\s+|an\s+|the\s+|their\s+)?(?:expected\s+)?close\s+dates?\s+(?=(?:in|before|after|by|on|"
            r"this|next|during)\b)",
            re.I,
        ),
        "expected to close ",
    )
)
SAID_AS_TYPED.append(
    # "anything >100k added to the pipe today?": open deals created today
    (
        re.compile(r"\b(?:added|put|entered)\s+(?:in)?to\s+(?:the\s+)?(?:pipe|pipeline)\b", re.I),
        "deals created",
    )
)
SAID_AS_TYPED.append(
    # "ok Q4 day 1. total overdue as of this morning?": which day of the quarter it is, a remark
    (re.compile(r"\b(?:q[1-4]|h[12]|month|quarter|year|week)\s+day\s+\d{1,3}\b\.?", re.I), " ")
)
SAID_AS_TYPED.append(
    # "bookings for the first 9 months vs the same 9 months last year": the same period a year earlier
    (
        re.compile(
            r"\bthe\s+same\s+(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\s+(?:of\s+)?last\s+year\b",
            re.I,
        ),
        "the same period last year",
    )
)
SAID_AS_TYPED.append(
    # "who on my team is lagging? bookings per rep this qtr": my team's, the question after the hunch
    (
        re.compile(
            r"^\W*(?:so\s+|ok\s+)?who(?:'s|\s+is)?\s+on\s+(my|our)\s+team(?:'s|\s+is)?\s+(?:lagging|behind|struggling|slipping|"
            r"falling\s+behind|underperforming|doing\s+(?:badly|worst|best|well)|ahead|leading|crushing\s+it)\s*(?:\?|-|:|,)\s*"
            r"(?=\S)",
            re.I,
        ),
        r"\1 team: ",
    )
)
SAID_AS_TYPED.append(
    # "renewals we lost last quarter", "win rate on renewals": the renewal deals ("renewals are coming up", "a bunch of
    # renewals coming up" are events, said as such)
    (
        re.compile(
            r"\b(renewal|expansion)s\b(?!\s+(?:are\s+|is\s+)?(?:coming|due|up|upcoming|next|soon)\b)(?<!bunch\sof\s\w{7}s)",
            re.I,
        ),
        r"\1 deals",
    )
)
SAID_AS_TYPED.append(
    # "payments that came in today - who paid, how much, which invoice": a column named by the record it points to
    (
        re.compile(
            r"(?<=[,+&])\s*(?:and\s+)?which\s+(invoice|deal|account|customer|company|rep|owner|stage|region|contact)"
            r"(?:\s+it\s+was|\s+(?:it|they)\s+(?:was|were)\s+for)?\s*(?=[,?.!+]|$|\s+and\b)",
            re.I,
        ),
        r" \1",
    )
)
SAID_AS_TYPED.append(
    # "overdue invoices on my team's accounts - invoice #, customer, amt still due": the invoice's number
    (re.compile(r"\b(invoice|inv|ticket)\s*#(?!\s*\d)(?=\s*(?:[,+&?.!]|$|\s+and\b))", re.I), r"\1 number")
)
SAID_AS_TYPED.append(
    # "same comparison but # of deals won": the previous question again, with the measure said after "but"
    (
        re.compile(
            r"^\W*(?:ok\s+|and\s+|now\s+)?(?:the\s+)?same\s+(?:comparison|thing|question|breakdown|split|view|report|"
            r"table|numbers?|query)\s*,?\s+but\s+",
            re.I,
        ),
        "same but ",
    )
)
SAID_AS_TYPED.append(
    # "whats the last thing anyone logged with them?", "when did we last log anything with them": the latest activity
    # with the account, and its date (never the tickets they logged)
    (
        re.compile(
            r"\b(?:the\s+)?(?:last|latest|most\s+recent)\s+(?:thing|entry|touch(?:point)?)\s+(?:that\s+)?(?:anyone|anybody|we|"
            r"someone|somebody|the\s+team)\s+(?:logged|did|recorded|entered|noted|put\s+in)\s+(?=(?:with|for|on|against)\b)",
            re.I,
        ),
        "the latest activity ",
    )
)
SAID_AS_TYPED.append(
    (
        re.compile(
            r"\bwhen\s+did\s+(?:we|anyone|anybody|someone|somebody|the\s+team)\s+last\s+(?:log|record|enter|note)\s+"
            r"(?:anything|something|an\s+activity|a\s+touch(?:point)?|an\s+entry)\s+(?=(?:with|for|on|against)\b)",
            re.I,
        ),
        "when did we last talk ",
    )
)
SAID_AS_TYPED.append(
    # "whats the latest activity with Meridian Records? what + who": that record, with the columns said after the
    # question mark (as after a dash), never the records counted per type or per rep
    (
        re.compile(
            r"\b((?:latest|last|most\s+recent|newest)\s+(?:activity|activities|ticket|invoice|payment|deal|email|call|"
            r"meeting|note)\b[^?]{0,60})\?\s+(?=[a-z][\w\s,+&/#$-]{0,50}[?.!]?\s*$)",
            re.I,
        ),
        r"\1 - ",
    )
)
SAID_AS_TYPED.append(
    # "... latest activity with Meridian Records - type, subject and who", "... - what + who": who logged it is a
    # column (the rep), never a split by rep
    (re.compile(r"(\s[-–—]\s+[^?]*?,[^?]*?)\s+(?:and|\+|&)\s+who\s*[?.!]*\s*$", re.I), r"\1, rep")
)
SAID_AS_TYPED.append(
    (re.compile(r"(\s[-–—]\s+)what\s*(?:\+|&|and|,)\s*who\s*[?.!]*\s*$", re.I), r"\1subject, rep")
)
SAID_AS_TYPED.append(
    # "the most untouched leads (still status new)": a word of the asker's own, said as a status in brackets; the
    # brackets say what it means, so the records in that status
    (
        re.compile(
            r"\b[a-z][\w-]*\s+(leads|deals|tickets|invoices)\s*\(\s*(?:i\.?e\.?,?\s+|still\s+|meaning\s+|=\s*|so\s+)*"
            r"(?:in\s+)?(?:the\s+)?(?:status|stage)\s*(?:=|:|of)?\s*['\"]?([a-z][\w-]*)['\"]?\s*\)",
            re.I,
        ),
        r"\1 in status \2",
    )
)
SAID_AS_TYPED.append(
    # typed as heard: "havent been contaced in 45 days", "how much has X payed us"
    (re.compile(r"\b(?:contaced|contated|conacted|contactd|contaacted)\b", re.I), "contacted")
)
SAID_AS_TYPED.append((re.compile(r"\bpayed\b", re.I), "paid"))
SAID_AS_TYPED.append(
    # "tickets still open or pending that are over a week old": older than 7 days (never a company named "old")
    (
        re.compile(
            r"\b(?:that\s+are\s+|which\s+are\s+|that'?re\s+)?(?:over|more\s+than|at\s+least)\s+(?:a|one|1)\s+week\s+old\b",
            re.I,
        ),
        "older than 7 days",
    )
)
SAID_AS_TYPED.append(
    # "how many deals did we win in may, and what was the $ total": and the amount
    (
        re.compile(
            r"(,?\s+and)\s+(?:what\s+(?:was|is|were|'s)\s+|how\s+much\s+(?:was|is)\s+)(?:the\s+)?(\$|dollar|money)\s*"
            r"(?:total|amount|value|figure)\b",
            re.I,
        ),
        r"\1 the \2 total",
    )
)
SAID_AS_TYPED.append(
    # "and predicted for the next 12m?" after an account's LTV: the predicted 12-month LTV
    (
        re.compile(
            r"\bpredicted(?:\s+(?:ltv|value))?\s+(?:for\s+|over\s+|in\s+)?(?:the\s+)?next\s+(?:12|twelve)\s*(?:m|mo|mos|months?)\b",
            re.I,
        ),
        "predicted 12-month LTV",
    )
)
SAID_AS_TYPED.append(
    # "top 10 accounts by overdue balance": what is overdue (never a choice between overdue and outstanding)
    (re.compile(r"\boverdue\s+(?:balance|balances|amt|\$)\b", re.I), "overdue amount")
)
SAID_AS_TYPED.append(
    # "# of customers in each churn risk band and total LTV per band": the churn risk, low, medium or high
    (re.compile(r"\bchurn[\s-]risk\s+(?:band|bucket|tier)s?\b", re.I), "churn risk")
)
SAID_AS_TYPED.append(
    (
        re.compile(
            r"(\bchurn\s+risk\b.*?\b(?:per|by|in\s+each|for\s+each|each))\s+(?:band|bucket|tier)\b",
            re.I,
        ),
        r"\1 churn risk",
    )
)
SAID_AS_TYPED.append(
    # "which companies gave us a 1 star CSAT in the last 30 days": their tickets rated 1 (a rating given, never an
    # average of exactly 1)
    (
        re.compile(
            r"\b(?:gave|given|left|leave|give|put\s+in|submitted)\s+(?:us\s+)?(?:an?\s+|any\s+)?([1-5])[\s-]*stars?\s*"
            r"(?:csat|rating|ratings|score|review|reviews)?\b(?:\s+(?:on|for)\s+(?:an?\s+|any\s+|their\s+|one\s+of\s+(?:their|our)\s+)?"
            r"(?:support\s+)?tickets?\b)?",
            re.I,
        ),
        r"had tickets rated \1 star",
    )
)
SAID_AS_TYPED.append(
    # "paid ads leads from Q4 - how many total, how many disqualified?": the whole, and the part of it
    (
        re.compile(
            r"\bhow\s+many\s+(?:in\s+)?total\s*(?:,|;|\+|&|\band\b)\s*(?:and\s+)?how\s+many\s+(?!of\s+(?:those|them|these)\b)"
            r"(?!.*\bhow\s+many\b)",
            re.I,
        ),
        "how many in total, and how many of those ",
    )
)
SAID_AS_TYPED.append(
    # "which reps converted leads in january (by the date they converted)": placed by their conversion date
    (
        re.compile(
            r"\s*\(?\s*(?:going\s+)?by\s+(?:the\s+)?(?:date|day|time|when)\s+(?:they|it|each|the\s+lead)\s+(?:were\s+|was\s+|got\s+|"
            r"actually\s+)?converted\s*\)?",
            re.I,
        ),
        " by conversion date ",
    )
)
SAID_AS_TYPED.append(
    (
        re.compile(
            r"\b(?:converted\s+(?:any\s+|the\s+)?leads|leads\s+converted)\b(?P<mid>[^?]*?)\s*\bby\s+conversion\s+date\b",
            re.I,
        ),
        r"leads converted by conversion date\g<mid>",
    )
)
SAID_AS_TYPED.append(
    # "by reason, with the $ we lost on each": the amount lost beside the count
    (
        re.compile(
            r"\b(?:with|w/)\s+the\s+(\$|dollars|money|amount)\s+(?:we\s+)?lost\s+(?:on\s+)?(?:each|them|those)\b",
            re.I,
        ),
        "w/ amounts",
    )
)
SAID_AS_TYPED.append(
    # "support slide: tickets opened last month, avg CSAT and avg resolution time": the records said first, in a list of
    # figures, are counted (never only the records the averages run over)
    (
        re.compile(
            r"^(\W*(?:[\w\s-]{1,30}:\s*)?)(tickets|support\s+tickets|deals|leads|invoices|payments)\s+(opened|created|raised|"
            r"logged|won|lost|closed|issued|sent|received|came\s+in|submitted)\b(?=[^,?]{0,40}(?:,|\band\b|\+)\s*(?:the\s+)?"
            r"(?:avg|average|mean|median)\b)",
            re.I,
        ),
        r"\1number of \2 \3",
    )
)
SAID_AS_TYPED.append(
    # "top 10 open leads by score ... on ties put the higher conversion probability first", "A-Z on ties": how ties are
    # broken, said as such
    (
        re.compile(
            r"[.,;]?\s*\b(?:on|for|with|if)\s+(?:a\s+)?ties?,?\s+(?:put\s+|show\s+|list\s+|rank\s+)?(?:the\s+)?(?:higher|highest|"
            r"bigger)\s+(?:conversion\s+)?(?:probability|prob)\s+first\b",
            re.I,
        ),
        ", ties broken by conversion probability",
    )
)
SAID_AS_TYPED.append(
    (
        re.compile(r"[.,;]?\s*\b(?:a-z|alphabetically|by\s+name)\s+(?:on|for)\s+ties\b", re.I),
        ", then by name",
    )
)
SAID_AS_TYPED.append(
    # "open leads still hanging around from last year, i.e. created before jan 1": the period said again, exactly,
    # after "i.e." is the one meant
    (
        re.compile(
            r"\b(?:from|in|of|since|during)\s+(?:(?:last|this|the\s+previous|the\s+past)\s+(?:year|quarter|month|week)|"
            r"(?:19|20)\d{2})\s*,?\s*"
            r"\(?\s*(?:i\.?e\.?|ie|that\s+is|meaning|so)\s*,?\s+(?=(?:created|opened|issued|closed|won|lost|before|after|since|"
            r"between|from|in)\b)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "when did we last talk to each of my accounts": the last contact of each one
    (
        re.compile(
            r"\bwhen\s+(?:did|have)\s+(?:we|i|you|u|anyone)\s+last\s+(?:talk(?:ed)?|speak|spoke(?:n)?|reach(?:ed)?\s+out|"
            r"touch(?:ed)?\s+base|contact(?:ed)?)\s+(?:to|with)?\s*(?=(?:each|every\s+one|every)\s+of\b)",
            re.I,
        ),
        "last contacted for ",
    )
)
SAID_AS_TYPED.append(
    # "which reps booked less in Q1 than they did in Q4": the second period said after "than they did"
    (
        re.compile(
            r"\bthan\s+(?:they|we|he|she|it|i|you|the\s+team)\s+(?:did|had|were|was|do|got|managed)\s+(?=in\b|during\b|last\b|the\b|q[1-4]\b)",
            re.I,
        ),
        "than ",
    )
)
SAID_AS_TYPED.append(
    # "Would you mind breaking down Q2 bookings by industry for me?": the ask, said politely
    (
        re.compile(
            r"\b(?:would|could|can)\s+(?:you|u)\s+(?:possibly\s+|please\s+|kindly\s+)?mind\s+(?P<verb>break|pull|show|list|giv|send|"
            r"run|compar|prepar|shar)(?:e|ing|ing\s+out)?\b(?:\s+(?:down|out|up))?",
            re.I,
        ),
        lambda m: {
            "break": "show",
            "giv": "give",
            "compar": "compare",
            "prepar": "prepare",
            "shar": "share",
        }.get(m.group("verb").lower(), m.group("verb").lower()),
    )
)
SAID_AS_TYPED.append(
    # "... region by region? I'd like to understand where we've grown.", "... so I can plan some exec sponsorship": why
    # the asker wants it, said after the question (no measure, grouping or period of its own is read from it)
    (
        re.compile(
            # (only after a question mark, the question asked before it; "how many"/"how much" is a question of its own)
            r"(?<=\?)\s*(?:i'?d|i\s+would|we'?d)\s+(?:like|love|want)\s+to\s+(?:see|understand|know|get\s+a\s+(?:sense|feel)\s+(?:of|for)|"
            r"spot|find\s+out)\s+(?:where|how(?!\s+(?:many|much)\b)|why|whether|if|what'?s?\s+driving|which\s+areas?)\b[^?.!]*[.!]?",
            re.I,
        ),
        " ",
    )
)
SAID_AS_TYPED.append(
    (
        re.compile(
            r",?\s+so\s+(?:that\s+)?(?:i|we)\s+can\s+(?:plan|prepare|prep|see|decide|figure|work|follow|chase|reach|"
            r"schedule|share|brief|update|present|talk|call)\b[^?.!,]*",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "Account, priority and status is plenty.": the columns, and no more
    (
        re.compile(
            r"\s+(?:is|are|would\s+be|will\s+do|should\s+do|is\s+fine|are\s+fine|is\s+enough|are\s+enough)\s+(?:plenty|enough|fine|"
            r"great|perfect|all\s+i\s+need|good)\b(?:\s+(?:for\s+now|thanks|thank\s+you))?\s*[.!]?\s*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "cash collected last quarter with the same quarter a year ago": the same quarter last year
    (
        re.compile(
            r"\b(the\s+same\s+(?:quarter|qtr|month|period|week|half|days|stretch))\s+(?:a|one|1)\s+year\s+(?:ago|earlier|before|prior)\b",
            re.I,
        ),
        r"\1 last year",
    )
)
_GRAIN_SAID = {
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "quarter": "quarter",
    "quarterly": "quarter",
    "day": "day",
    "daily": "day",
}
SAID_AS_TYPED.append(
    # "... so far this year? a month-by-month view would be ideal, thanks", "... Q2? A monthly breakdown would help me see
    # the shape of the quarter.": split by month (the grouping asked for, never left aside)
    (
        re.compile(
            r"(?<=[?.!,])\s*(?:and\s+)?(?:a|an)\s+(?:(?P<grain>month|week|quarter|day)[\s-]+by[\s-]+(?:month|week|quarter|day)|"
            r"(?P<adj>monthly|weekly|quarterly|daily))\s+(?:view|breakdown|split|trend|picture|table|version|cut)\b"
            r"(?:\s+(?:would|will|could)\s+(?:be|help)\b[^?.!]*|\s+(?:please|pls|if\s+possible)\b[^?.!]*)?[.!]?",
            re.I,
        ),
        lambda m: f" by {_GRAIN_SAID[(m.group('grain') or m.group('adj')).lower()]}",
    )
)
SAID_AS_TYPED.append(
    # "how many invoices do we have in each status + their total value": the count, and the value beside it
    (
        re.compile(
            r"(?<!\w)(and|\+|plus)\s+(?:their|its|the)\s+(total\s+(?:value|amount)|value|\$\s*value)\b", re.I
        ),
        r"\1 \2",
    )
)


def _ordinal_day(m: re.Match) -> str:
    day = int(m.group(2))
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{m.group(1)} {day}{suffix}"


SAID_AS_TYPED.insert(
    0,
    # "5 biggest deals won since june 1": a month's day, read as the day ("june 1st"), never a number of its own (first:
    # "biggest ... 1" would read it as a top 1)
    (
        re.compile(
            r"\b(?<!\d\s)(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
            r"nov(?:ember)?|dec(?:ember)?)\.?\s+([1-9]|[12]\d|3[01])(?![\d.:/-]|st\b|nd\b|rd\b|th\b)"
            r"(?!\s*(?:,?\s*(?:19|20)\d{2}|k\b|m\b|%|days?\b|weeks?\b|months?\b|years?\b|deals?\b|leads?\b|invoices?\b|"
            r"accounts?\b|customers?\b|reps?\b|-\s*\d))",
            re.I,
        ),
        _ordinal_day,
    ),
)
SAID_AS_TYPED.append(
    # "who should i call first today? top 5 of my leads by conversion probability": today is when the call is, not a
    # period on the leads
    (
        re.compile(
            # (what to do next, never what was done: "who did we call today" keeps its day)
            r"\b((?:should|shall|must|to|need\s+to|gotta)\s+(?:i\s+|we\s+)?(?:call|ring|phone|contact|email|reach\s+out\s+to|ping|"
            r"chase|follow\s+up\s+(?:on|with)|work\s+on)(?:\s+first)?)\s+(?:today|this\s+morning|this\s+afternoon|now|right\s+now|"
            r"tomorrow)\b",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "open healthcare leads in NA, sorted by how likely they are to convert": their conversion probability
    (
        re.compile(
            r"\bhow\s+likely\s+(?:they|it|each(?:\s+one)?|the\s+leads?)\s+(?:are|is)\s+to\s+(?:convert|close|buy)\b",
            re.I,
        ),
        "conversion probability",
    )
)
SAID_AS_TYPED.append(
    # "how much does Coastal Gate Analytics owe us and when is it due": its unpaid invoices, each with what is owed and
    # its due date (never the amount alone)
    (
        re.compile(
            r"^\W*(?:how\s+much\s+(?:does|do)|what\s+(?:does|do))\s+(?P<who>.+?)\s+(?:still\s+)?owe(?:\s+us)?\s*,?\s*and\s+"
            r"when\s+(?:is|was|are|were)\s+(?:it|that|they|those|the\s+invoices?|the\s+payments?)\s+due\s*[?.!]*\s*$",
            re.I,
        ),
        r"unpaid invoices for \g<who> - balance, due date",
    )
)
SAID_AS_TYPED.append(
    # "and for just the DACH reps" after a figure: the people of that team, not a split by rep
    (
        re.compile(
            r"\b((?:for\s+)?(?:just|only)\s+the\s+[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s+(?:reps|team\s+members|people|sellers)\s*([?.!]*)\s*$",
            re.I,
        ),
        r"\1 team\2",
    )
)
SAID_AS_TYPED.append(
    # "which invoice numbers" after accounts with overdue invoices: the invoices behind them
    (
        re.compile(
            r"^\W*(?:and\s+|ok\s+|so\s+)?(?:which|what)\s+(?:are\s+the\s+)?invoice\s+(?:numbers|nos\.?|#s?)\s*(?:are\s+(?:they|those))?\s*[?.!]*\s*$",
            re.I,
        ),
        "which invoices are those?",
    )
)
SAID_AS_TYPED.append(
    # "avg conversion probability by industry on open leads, highest first": the groups ranked by that average (never
    # the leads listed by their own probability)
    (
        re.compile(
            r"^(?=.*\b(?:avg|average|mean)\b)(?=.*\b(?:by|per|for\s+each|each)\s+[a-z])(?P<head>.*?)[,;]?\s*\b(?P<end>highest|biggest|"
            r"largest|top|lowest|smallest|bottom)\s+(?:first|on\s+top)\b",
            re.I,
        ),
        lambda m: (
            f"{m.group('head')}, sorted "
            + ("low to high" if m.group("end").lower() in ("lowest", "smallest", "bottom") else "high to low")
        ),
    )
)
SAID_AS_TYPED.append(
    # "ok LATAM - which accounts? with amounts" after overdue amount by region: those accounts, each with its amount
    (
        re.compile(
            r"\b(which\s+(?:accounts|customers|companies|clients))\s*\?\s*(?:with|w/|and|\+)\s+(?:the\s+|their\s+)?"
            r"(?:amounts?|\$|totals?|how\s+much(?:\s+each)?)\s*[?.!]*\s*$",
            re.I,
        ),
        r"\1?",
    )
)
SAID_AS_TYPED.append(
    # "bookings by industry, H1 vs H2 of 2025": both halves of that year ("Q1 vs Q4 2025" in 2026 is this Q1 against the
    # quarter before it: only "of"/"in" says the year is both's)
    (
        re.compile(
            r"\b(h[12]|q[1-4])\s+(vs\.?|versus|v|and|compared\s+(?:to|with))\s+(h[12]|q[1-4])\s+(?:of|in)\s+((?:19|20)\d{2})\b",
            re.I,
        ),
        # ("Q1 vs Q1 2025" is this year's Q1 against last year's: the same one twice is left as said)
        lambda m: (
            m.group(0)
            if m.group(1).lower() == m.group(3).lower()
            else f"{m.group(1)} {m.group(4)} {m.group(2)} {m.group(3)} {m.group(4)}"
        ),
    )
)
SAID_AS_TYPED.append(
    # "how much did i close this month and how many deals was it": closing money is winning it (bookings), and its count
    (
        re.compile(
            r"\b(how\s+much\s+(?:did|have|has)\s+(?:i|we|you|u|the\s+team|my\s+team)\s+)(?:close|closed)\b(?!\s+(?:lost|out))",
            re.I,
        ),
        r"\1book",
    )
)
SAID_AS_TYPED.append(
    # "what did i close in jan? total $": the money won (bookings), not the count of deals
    (
        re.compile(
            r"^\W*what\s+(?:did|have|has)\s+(i|we|you|u|the\s+team|my\s+team)\s+(?:close|closed|win|won|book|booked)\b"
            r"(?P<rest>[^?]*)\?\s*(?:the\s+)?total\s*(?:\$|amount|value|dollars)\s*[?.!]*\s*$",
            re.I,
        ),
        r"how much did \1 book\g<rest>?",
    )
)
SAID_AS_TYPED.append(
    # "are deals closing faster? sales cycle 2025 vs 2024": the sales cycle, compared (a question about its trend)
    (
        re.compile(
            r"^\W*(?:are|is)\s+(?:our\s+)?(?:deals|we|things|opps)\s+closing\s+(?:any\s+)?(?:faster|quicker|slower)\s*\?\s*",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "how's jonas's team doing vs kwame's on bookings": the other manager's team, said with its owner only
    (
        re.compile(
            r"\b([a-z][\w-]*'s\s+team\b[^?]*?\b(?:vs\.?|versus|v|against|compared\s+(?:to|with))\s+)([a-z][\w-]*'s)(?!\s+team)\b",
            re.I,
        ),
        r"\1\2 team",
    )
)
SAID_AS_TYPED.append(
    # "deals we won this week + owner + amount": each deal with those columns (never a split by owner)
    (
        re.compile(
            r"\s*\+\s*(owner|rep|amount|value|stage|customer|account|close\s+date)\s*\+\s*(owner|rep|amount|value|stage|customer|account|close\s+date)\b",
            re.I,
        ),
        r" - \1, \2",
    )
)
SAID_AS_TYPED.append(
    # "of last week's leads, how many are still sitting in 'new'?", "how many leads from May are still new": the lead
    # status new (nobody has worked them), never the leads that came in (new leads)
    (
        re.compile(
            r"(?:\b(?:are\s+|is\s+)?(?:still|sitting|stuck|sat|left)\s+(?:still\s+|just\s+)?(?:sitting\s+|stuck\s+)?"
            r"(?:in\s+|at\s+)?(?:the\s+)?|\b(?:are|is)\s+(?:in|at)\s+(?:the\s+)?(?=['\"‘’“”]?new['\"‘’“”]?\s+status)|"
            r"(?<!status)(?<!stage)\s(?=['\"‘’“”]new['\"‘’“”]))['\"‘’“”]?new['\"‘’“”]?(?:\s+status)?"
            r"(?!\s+(?:leads?|customers?|accounts?|deals?|ones?)\b)",
            re.I,
        ),
        lambda m: " in status new" if re.search(r"\bleads?\b", m.string, re.I) else m.group(0),
    )
)
SAID_AS_TYPED.append(
    # "invoices that were partialy paid but still open": the word as meant
    (re.compile(r"\b(?:partialy|partally|parially|partiallly|partiall)(?=\s+paid\b)", re.I), "partially")
)
SAID_AS_TYPED.append(
    # "# of customers w/ health under 40?", "number of customers with a health score below 50": how many have it
    (
        re.compile(
            r"^(\W*)(?:#\s*of|number\s+of|count\s+of|how\s+many)\s+((?:[\w-]+\s+){0,2}?(?:customers|accounts|clients|custs|accts))\s+"
            r"(?:w/|with|that\s+have|having)\s+(?:an?\s+)?(?=(?:health|health\s+score|ltv|lifetime\s+value|churn\s+(?:probability|prob|risk\s+score))\s+"
            r"(?:under|below|over|above|less\s+than|more\s+than|greater\s+than|of\s+less|<|>|at\s+least|at\s+most))",
            re.I,
        ),
        r"\1how many \2 have ",
    )
)
SAID_AS_TYPED.append(
    # "What has Ashley Fernandez closed-won this quarter, and for how much?": the deals won, each with its amount (not
    # one total: "for how much" is asked of each)
    (
        re.compile(
            r"^\W*what\s+(?:has|have|did)\s+(?P<who>[\w' -]{2,40}?)\s+(?:closed?(?:[\s-]+won)?|won|win|booked?|signed)\b"
            r"(?P<rest>[^?]*?)\s*[?,]?\s*(?:,\s*)?and\s+for\s+how\s+much\b",
            re.I,
        ),
        r"which deals did \g<who> win\g<rest>, and for how much",
    )
)


def _first(m: re.Match) -> str:
    """The first group of the match that took part in it."""
    return next(g for g in m.groups() if g)


def _only_not_others(m: re.Match) -> str:
    """ "calls only, not emails or meetings": the values said not to count are other values of the same kind as the
    one said "only" (what "only" already leaves out), so the aside changes nothing; any other "not" is kept."""
    from tools.reports.lexicon import lexicon

    words = lexicon()

    def kinds(phrase: str) -> set[str]:
        return {s.name for s in words.get(phrase.lower().strip(), ()) if s.kind == "value"}

    kept = kinds(m.group("kept"))
    others = [p for p in re.split(r"\s*(?:,|/|\bor\b|\bnor\b|\band\b)\s*", m.group("others")) if p]
    if kept and others and all(kinds(p) & kept for p in others):
        return f"{m.group('kept')} only"
    return m.group(0)


SAID_AS_TYPED.append(
    (
        re.compile(
            r"\b(?P<kept>[a-z][\w-]*)\s+only\s*[,;:—–-]*\s*not\s+(?:any\s+)?(?P<others>[a-z][\w-]*(?:\s*(?:,|/|\bor\b|\bnor\b|\band\b)"
            r"\s*[a-z][\w-]*){0,3})\b",
            re.I,
        ),
        _only_not_others,
    )
)
SAID_AS_TYPED.append(
    # "which APAC accounts have invoices more than 60 days past due? show the past-due amount on those invoices": what
    # each of those accounts has overdue (the amount asked, never the count of invoices)
    (
        re.compile(
            r"\s*[?.]\s*(?:(?:pls|please|and|also)\s+)*(?:show|give|incl(?:ude)?|add|with)\s+(?:me\s+)?(?:the\s+)?"
            r"(?:past[\s-]due|overdue)\s+(?:amounts?|balances?|\$|totals?)(?:\s+(?:on|for|of)\s+(?:those|these|them|each|the)"
            r"(?:\s+(?:invoices|ones|accounts))?)?\s*(?:,?\s*(?:pls|please))?\s*[?.!]*\s*$",
            re.I,
        ),
        lambda m: (
            ", and how much is overdue for each?"
            if re.match(
                r"\W*(?:and\s+|so\s+)?which\b[^?.]*\b(?:accounts|customers|clients|companies)\b",
                m.string,
                re.I,
            )
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "how much cash have we collected from accounts that have since churned": from the churned accounts (the
    # companies in that stage), never a count of churned customers beside it
    (
        re.compile(
            r"\b(from|of|by|for|on|with)\s+(?:the\s+|our\s+)?(?:accounts|customers|clients|companies|accts|custs)\s+"
            r"(?:that|who|which)\s+(?:have\s+|has\s+|had\s+)?(?:since\s+|already\s+|now\s+|since\s+then\s+)?"
            r"(?:churned|left\s+us|cancell?ed)\b(?:\s+since)?",
            re.I,
        ),
        r"\1 churned accounts",
    )
)
SAID_AS_TYPED.append(
    # "avg lead score by source for open leads, highest avg first": the groups ranked by that average (never each lead)
    (
        re.compile(
            r"\b(highest|lowest|biggest|smallest|largest)\s+(?:avg|average|mean)s?\s+(?=first\b|on\s+top\b)",
            re.I,
        ),
        r"\1 ",
    )
)
SAID_AS_TYPED.append(
    # "avg churn probability by industry across customers": over all of them (a scope, never one more split), where
    # another split is said
    (
        re.compile(r"\bacross\s+(?:our\s+|the\s+)?(?=(?:customers|accounts|clients)\b)", re.I),
        lambda m: "across all " if re.search(r"\b(?:by|per)\s+[a-z]", m.string, re.I) else m.group(0),
    )
)
SAID_AS_TYPED.append(
    # "open pipeline by stage ... order it by funnel sequence (prospecting > qualification > ...)": stages in the
    # funnel's order are how a split by stage is shown already
    (
        re.compile(
            r"[.,;]?\s*(?:and\s+)?(?:please\s+|pls\s+)?(?:order|sort)(?:ed)?\s+(?:it|them|the\s+rows)?\s*(?:by|in)\s+(?:the\s+)?"
            r"(?:funnel|pipeline|stage)\s+(?:sequence|order)(?:\s*\([^)]*\))?",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "deals won and avg deal size, Q2 this year vs Q2 2025. one row, 4 cols pls": the shape a comparison has already
    (
        re.compile(
            r"[.,;]?\s*(?:in\s+)?(?:one|a\s+single|1)\s+row\s*[,&+]?\s*(?:and\s+)?(?:\d+|two|three|four|five|six)\s+(?:cols|columns)"
            r"(?:\s*(?:pls|please))?",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "which invoices are in the 61-90 day aging bucket?": the bucket's name
    (re.compile(r"\b(1-30|31-60|61-90|91-120)\s+days?\s+(?=(?:aging\s+)?bucket\b)", re.I), r"\1 ")
)
SAID_AS_TYPED.append(
    # "soonest first (ties alphabetically)", "..., ties broken alphabetically": then by name
    (
        re.compile(
            r"\s*[(,;]\s*(?:with\s+)?ties?\s+(?:broken\s+)?(?:alphabetically|a-z|by\s+name|in\s+alphabetical\s+order)\s*\)?",
            re.I,
        ),
        ", then by name",
    )
)
SAID_AS_TYPED.append(
    # "hottest 5 open leads rn": the top 5 (by score), right now
    (re.compile(r"\b(?:hottest|warmest)\s+(\d{1,3})\b", re.I), r"top \1")
)
SAID_AS_TYPED.append((re.compile(r"\s+\brn\b(?=\s*[?.!]*\s*$)", re.I), " right now"))
SAID_AS_TYPED.append(
    # "which leads have been stuck in 'new' since before april? + owner": those records, each with its owner (never a
    # count by owner)
    (
        re.compile(
            r"\s*[?.]?\s*\+\s*(?:the\s+|their\s+)?(owners?|reps?|account\s+owners?)\s*[?.!]*\s*$", re.I
        ),
        lambda m: (
            ", with owner"
            if re.match(r"\W*(?:which|list|show|pull|give\s+me)\b", m.string, re.I)
            and re.search(
                r"\b(?:leads|deals|invoices|tickets|payments|accounts|customers|opps)\b", m.string, re.I
            )
            else m.group(0)
        ),
    )
)


# the words of a measure a person may correct to another ("revenue ... sorry, bookings i mean"): each with its stem
_CORRECTABLE = {
    "revenue": "revenue",
    "cash": "cash",
    "collect": "collect",
    "collected": "collect",
    "collections": "collect",
    "bookings": "booking",
    "booked": "booking",
    "invoiced": "invoic",
    "billed": "bill",
    "billings": "bill",
    "pipeline": "pipeline",
    "converted": "convert",
    "qualified": "qualif",
    "won": "won",
    "lost": "lost",
}
_CORRECTION = re.compile(
    r"^(?P<q>.{8,}?)\s*(?:\.{2,}|…|[-—–,;]|\?)\s*(?:(?:no|nope|wait|sorry|oops|actually|scratch\s+that|my\s+bad|correction|"
    r"hmm|ugh)[\s,.!]*)+(?:i\s+mean[t]?\s+|i\s+meant\s+)?(?P<y>revenue|cash|bookings|booked|invoiced|billed|billings|"
    r"pipeline|converted|qualified|won|lost|collected|collections)\b(?:\s*\([^)]*\))?(?:\s+i\s+mean[t]?)?"
    r"(?:\s*[,;]?\s*(?:not|rather\s+than|instead\s+of)\s+(?P<x>[a-z]+))?(?P<tail>[^?]*)\??\s*$",
    re.I,
)
_CORRECTED_FORM = {  # the word said in the place of the one taken back, as a verb where that one was a verb
    ("collect", "invoiced"): "invoice",
    ("collect", "billed"): "bill",
    ("collect", "bookings"): "book",
    ("bill", "collected"): "collect",
    ("invoic", "collected"): "collect",
}


def _corrected(m: re.Match) -> str:
    """ "hows my revenue this month vs last month... sorry, bookings i mean, closed won": the question with the
    measure said in the place of the one taken back; the rest after it (why they mixed them up) set aside. Only
    where the question names the word taken back (said after "not", or the one measure word it has)."""
    q, y = m.group("q"), m.group("y").lower()
    words = [(w.start(), w.end(), w.group(0).lower()) for w in re.finditer(r"[a-z]+", q, re.I)]
    said = [(a, b, w) for a, b, w in words if w in _CORRECTABLE]
    taken_back = m.group("x").lower() if m.group("x") else None
    if taken_back:
        stem = _CORRECTABLE.get(taken_back, taken_back[:5])
        family = _FAMILY.get(stem, stem)
        said = [(a, b, w) for a, b, w in said if _FAMILY.get(_CORRECTABLE[w], _CORRECTABLE[w]) == family]
    said = [(a, b, w) for a, b, w in said if _CORRECTABLE[w] != _CORRECTABLE.get(y)]
    if len(said) != 1:
        return m.group(0)
    a, b, w = said[0]
    word = _CORRECTED_FORM.get((_CORRECTABLE[w], y), y)
    if w == "collect" and word == y:
        return m.group(0)  # (no verb form known for the word said)
    return f"{q[:a]}{word}{q[b:]}"


# words of one measure ("cash" and "revenue" are the money collected)
_FAMILY = {
    "revenue": "rev",
    "cash": "rev",
    "collect": "rev",
    "booking": "book",
    "won": "book",
    "invoic": "inv",
    "bill": "inv",
}


SAID_AS_TYPED.insert(0, (_CORRECTION, _corrected))
SAID_AS_TYPED.append(
    # "how are we doing vs the other regions on bookings": every region, side by side (never a value called "other")
    (
        re.compile(
            r"\b(?:vs\.?|versus|against|compared\s+(?:to|with)|than)\s+(?:the\s+|all\s+the\s+)?others?\s+"
            r"(region|rep|team|industr(?:y|ie)|source|countr(?:y|ie))s?\b",
            re.I,
        ),
        lambda m: (
            f"by {m.group(1).lower().replace('ie', 'y') if m.group(1).lower().endswith('ie') else m.group(1).lower()}"
        ),
    )
)
SAID_AS_TYPED.append(
    # "bookings this quarter vs last quarter, every region", "show me all four regions side by side": split by it
    (
        re.compile(
            r"(?:(?:,\s*|\s+-\s+)(?:every|each)\s+(region|team|rep|source|stage)s?|"
            r"\bshow\s+(?:me\s+)?all\s+(?:four|4|five|5|three|3)\s+(region|team|rep|source|stage)s?(?:\s+side\s+by\s+side|\s+together)?|"
            r"\bshow\s+(?:me\s+)?all\s+(?:the\s+)?(region|team|rep|source|stage)s?\s+(?:side\s+by\s+side|together))"
            r"(?=\s*[?.!]*\s*$)",
            re.I,
        ),
        lambda m: f" by {_first(m).lower()} for all {_first(m).lower()}s",
    )
)
SAID_AS_TYPED.append(
    # "cash in this month vs last month? whole company, not just one region": everyone's, said twice
    (
        re.compile(
            r"[,;.?]?\s*(?:for\s+)?(?:the\s+)?(?:whole|entire)\s+company\s*[,;-]?\s*not\s+just\s+(?:one|a|my|the|our)\s+"
            r"(?:region|team|rep)\b",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "what was my win rate last quarter? sakura's asking": who wants it, no filter of the question
    (re.compile(r"\s*[?.,;-]+\s*[a-z]+(?:'s|\s+is)\s+asking\b[^?]*$", re.I), "?")
)
SAID_AS_TYPED.append(
    # "number of high churn risk customers per region - want to see if APAC is worse than the others", "lead
    # conversion rate by region this year - is APAC behind?": why the split is asked (the split shows it), no filter
    (
        re.compile(
            r"\s*[-—–,;?.]+\s*(?:i\s+)?(?:(?:want|wanna|trying|need|just\s+want)\s+to\s+(?:see|check|know|find\s+out)\s+"
            r"(?:if|whether)\s+|(?:is|are)\s+)(?:[\w-]+\s+){1,2}?(?:is\s+|are\s+)?(?:doing\s+)?(?:worse|better|behind|ahead|lagging|"
            r"falling\s+behind|higher|lower|weaker|stronger)\b[^?]*\??\s*$",
            re.I,
        ),
        lambda m: (
            ""
            if re.search(
                r"\b(?:by|per)\s+(?:region|rep|team|source|industry|country)\b", m.string[: m.start()], re.I
            )
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "# of deals won in NA last month?": how many
    (re.compile(r"^(\W*)#\s*of\b", re.I), r"\1how many")
)
SAID_AS_TYPED.append(
    # "and whats still sitting in my open pipe": how much is there
    (
        re.compile(
            r"\bwhat'?s\s+(?:still\s+(?:sitting\s+|left\s+)?|sitting\s+|left\s+)in\s+(my|our|the|the\s+team'?s|my\s+team'?s)\s+"
            r"(?:open\s+)?(pipe|pipeline)\b",
            re.I,
        ),
        r"how much is in \1 open pipeline",
    )
)
SAID_AS_TYPED.append(
    # "How many deals did my team win and lose last quarter? Just the two counts is fine, thanks": the shape said again
    (
        re.compile(
            r"\s*[.,;-]?\s*(?:just\s+)?(?:the\s+)?(?:two|both|2|three|3)\s+(?:counts|numbers|figures|totals)\s+(?:is|are|would\s+be)?\s*"
            r"(?:fine|ok|okay|enough|great|perfect)?\s*[,.!]*\s*(?:thanks|thank\s+you|thx|ty|pls|please)?\s*[.!]*\s*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "healthcare customers in LATAM? need the list for a webinar invite": what the list is for, never a filter
    (
        re.compile(
            r"(?<=[?.!])\s*(?:i\s+)?(?:need|want|needed|wanted)\s+(?:the|a|this|that)\s+(?:list|names?|numbers?|figures?)\s+for\s+[^?]*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "whats the overdue balance for Zentrix Warehousing, they keep asking for more seats lol": chatter after the question
    (re.compile(r"\s*[,.;-]\s*(?![^,.;?]*\?)[^,.;?]*\b(?:lol|haha+|lmao|rofl)\b\s*[.!]*\s*$", re.I), "")
)
SAID_AS_TYPED.append(
    # "@crmbot bookings last quarter?", "+1 to that - can you list the LATAM ones?", "picking up Freya's q - who were the
    # top 5 reps on that?": how Slack threads open, no part of the question
    (
        re.compile(
            r"^\s*(?:@[\w.-]+[,:]?\s+|\+1\b(?:\s+to\s+(?:that|this))?\s*[-—–:,.!]*\s*|"
            r"(?:picking\s+up|following\s+up\s+on|jumping\s+on)\s+[\w']+(?:'s)?\s+(?:q|question|thread|ask)\s*[-—–:,.]+\s*)",
            re.I,
        ),
        "",
    )
)


def _weeks_as_days(m: re.Match) -> str:
    n = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}.get(m.group(2).lower())
    return f"{m.group(1)} {7 * (n or int(m.group(2)))} days ago"


SAID_AS_TYPED.append(
    # "APAC leads still in 'new' status that came in more than a week ago": more than 7 days ago
    (
        re.compile(
            r"\b(more\s+than|over|at\s+least)\s+(a|one|two|three|four|\d{1,2})\s+weeks?\s+ago\b", re.I
        ),
        _weeks_as_days,
    )
)
SAID_AS_TYPED.append(
    # "how many of those are actual customers, not prospects or churned": the customers (the other stages said not to
    # count are what "customers" leaves out already)
    (
        re.compile(
            r"\b((?:actual|current|real|paying)\s+)?customers\s*[,;:—–-]*\s*(?:and\s+)?not\s+(?:the\s+)?(?:prospects?|churned(?:\s+ones)?)"
            r"(?:\s*(?:,|or|nor|and|/)\s*(?:prospects?|churned(?:\s+ones)?))?\b",
            re.I,
        ),
        r"\1customers",
    )
)
SAID_AS_TYPED.append(
    # "new EMEA customers this month - name, country, customer since date": the column "customer since"
    (re.compile(r"\b(customer\s+since)\s+date\b(?=\s*(?:,|$|[.?!]|\band\b))", re.I), r"\1")
)
SAID_AS_TYPED.append(
    # "how much did we bill to LATAM in Q3?": billed to those accounts ("billed to date" stays a period)
    (
        re.compile(r"\b(bill|billed|invoice|invoiced)\s+to\s+(?!date\b)", re.I),
        lambda m: (
            f"{m.group(1)} "
            if re.match(r"\W*(?:how\s+much|what|did|have|has|total)\b", m.string, re.I)
            and not re.search(r"\b(?:change|set|update|move|switch|make|put)\b", m.string, re.I)
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "number of deals closed won in 2025, and number closed lost in 2025": the deals won, and the deals lost
    (
        re.compile(r"\b(?:number|#)\s+(?:of\s+)?(?:deals\s+)?closed[\s-]+(won|lost)\b", re.I),
        r"how many deals \1",
    )
)
SAID_AS_TYPED.append(
    # "whats the full-year win rate for 2025": the year named is the whole of it already
    (
        re.compile(r"\bfull[\s-]*year\s+(?=[^?]*\b(?:fy\s*)?(?:19|20)\d{2}\b)", re.I),
        "",
    )
)
SAID_AS_TYPED.append(
    # "how many invoices are overdue right now, and what's the total open on them?": what is still owed on them
    (
        re.compile(
            r"\bwhat'?s\s+the\s+total\s+(?:still\s+)?(?:open|outstanding|owed|unpaid|due|left)\s+(on|for|across)\s+(them|those|these)\b",
            re.I,
        ),
        lambda m: (
            f"how much is owed on {m.group(2)}"
            if re.search(r"\bhow\s+many\b", m.string[: m.start()], re.I)
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "of what's outstanding, how much sits on invoices issued during 2025?": what is outstanding on those invoices
    (
        re.compile(
            r"^\W*of\s+(?:what'?s|what\s+is|the\s+amount)\s+(outstanding|owed|overdue|unpaid)\s*,?\s*how\s+much\s+(?:sits|is|are)\s+"
            r"(?:on|in|from)\s+",
            re.I,
        ),
        r"how much is \1 on ",
    )
)


def _rated_either(m: re.Match) -> str:
    low, high = sorted((int(m.group(1)), int(m.group(2))))
    if high - low != 1 or (low != 1 and high != 5):
        return m.group(0)
    return "with satisfaction below 3" if low == 1 else "with satisfaction above 3"


SAID_AS_TYPED.append(
    # "how many of them got rated 1 or 2": the two lowest ratings (below 3); "4 or 5": the two highest
    (
        re.compile(
            r"\b(?:got\s+|were\s+|was\s+)?(?:rated|rating\s+of|scored)\s+(?:a\s+)?([1-5])\s+or\s+(?:a\s+)?([1-5])\b",
            re.I,
        ),
        _rated_either,
    )
)
SAID_AS_TYPED.append(
    # "are we resolving tickets faster than last quarter? avg resolution time this qtr vs last qtr": the comparison
    # said after the musing is the one asked
    (
        re.compile(
            r"^\W*(?:are|is)\s+(?:we|they|support|the\s+team|our\s+team)\s+(?:resolving|closing|handling|answering|fixing)\s+"
            r"(?:tickets|cases|issues)\s+(?:any\s+)?(?:faster|quicker|slower)(?:\s+than\s+[^?]*)?\?\s*(?=\S)",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "high + urgent tickets: last week vs the week before": the two priorities counted together
    (
        re.compile(
            r"\b(low|medium|high|urgent)\s*\+\s*(low|medium|high|urgent)\s+(?=(?:priority\s+)?tickets\b)",
            re.I,
        ),
        r"\1 and \2 ",
    )
)
SAID_AS_TYPED.append(
    # "high and urgent tickets ... " made one count above, said so
    (
        re.compile(
            r"\b((?:low|medium|high|urgent)\s+and\s+(?:low|medium|high|urgent)\s+(?:priority\s+)?tickets)(?=\s*:)",
            re.I,
        ),
        r"\1 combined",
    )
)
SAID_AS_TYPED.append(
    # "total LTV at stake across them?": the LTV of those accounts
    (re.compile(r"\s+at\s+stake\b", re.I), "")
)
SAID_AS_TYPED.append(
    # "have any of them converted yet?": how many of them have
    (
        re.compile(
            r"^\W*(?:and\s+|so\s+)?(?:have|has|did)\s+any\s+of\s+(them|those|these)\s+(?=[a-z])", re.I
        ),
        r"how many of \1 ",
    )
)
SAID_AS_TYPED.append(
    # "pull the overdue invoices for Obsidian Grocers, they're on my escalation list": why they ask, nobody's records
    (
        re.compile(
            r"\s*[,;-]\s*(?:they'?re|they\s+are|it'?s|it\s+is|that'?s)\s+on\s+(?:my|our|the)\s+[\w-]+(?:\s+[\w-]+)?\s+list\b[^?]*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "how many customers i have in my book actually?": the accounts I own (a book of business, never bookings)
    (
        re.compile(r"\s+in\s+(my|our|the\s+team'?s|my\s+team'?s)\s+book(?:\s+of\s+business)?\b", re.I),
        lambda m: (
            "" if re.search(r"\bi\s+(?:have|own|got)\b", m.string, re.I) else f" of {m.group(1)} accounts"
        ),
    )
)


_NOT_CONVERTED = re.compile(
    r"\s*\b(?:(?:that|which|who)\s+(?:have\s+not|haven'?t|has\s+not|hasn'?t|did\s+not|didn'?t|are\s+not|aren'?t|is\s+not|"
    r"isn'?t)\s+(?:yet\s+)?(?:been\s+)?convert(?:ed)?(?:\s+yet)?|not\s+(?:yet\s+)?converted(?:\s+yet)?|"
    r"(?:excluding|except|minus|without)\s+(?:the\s+)?converted(?:\s+ones)?)\b"
    r"(?P<dq>\s*(?:or|nor|/|,)\s*(?:been\s+)?(?:dq'?d|disqualified|dq)\b)?"
    r"|\b(?:unconverted|non-?converted)\s+(?=leads?\b)",
    re.I,
)
_OTHER_LEAD_STATUS = re.compile(
    r"\b(?:new|working|qualif\w*|disqualif\w*|open)\b(?!\s+(?:this|last)\b)", re.I
)


def _not_converted(m: re.Match) -> str:
    """ "qualified leads in EMEA that haven't converted yet": the status named says it already; "unconverted leads",
    "leads excluding converted": every other status (read as the converted ones before, the opposite figure)."""
    if not re.search(r"\bleads?\b", m.string, re.I):
        return m.group(0)
    if _OTHER_LEAD_STATUS.search(m.string[: m.start()] + " " + m.string[m.end() :]):
        return ""  # (an empty "()" left is dropped below)
    if m.group(0).lower().startswith(("un", "non")):
        return "status_other_than_converted "
    if m.group("dq"):  # "not converted or DQ'd": the open ones
        return " with status new, working or qualified"
    return " with status new, working, qualified or disqualified"


SAID_AS_TYPED.append((_NOT_CONVERTED, _not_converted))
SAID_AS_TYPED.append((re.compile(r"\s*\(\s*\)"), ""))  # ("still open (not converted or DQ'd)": said already)
SAID_AS_TYPED.append(
    (
        re.compile(r"\bstatus_other_than_converted\s+(leads?)\b", re.I),
        r"\1 with status new, working, qualified or disqualified",
    )
)
SAID_AS_TYPED.append(
    # "switch to invoiced" after payments by region: the same answer in another measure
    (
        re.compile(
            r"^\W*(?:ok(?:ay)?\s+|now\s+)?(?:switch|swap|flip)\s+(?:it\s+|that\s+|this\s+)?(?:over\s+)?to\s+(?:the\s+)?"
            r"([\w$ ]+?)(?:\s+instead)?\s*[?.!]*$",
            re.I,
        ),
        r"\1 instead",
    )
)
SAID_AS_TYPED.append(
    # "cut it to 3", "trim the list down to 5": the top of the same answer
    (
        re.compile(
            r"^\W*(?:ok(?:ay)?\s+|now\s+|just\s+)?(?:cut|trim|chop|narrow|shorten)\s+(?:it|that|this|them|the\s+list)?\s*"
            r"(?:down\s+)?to\s+(?:the\s+)?(?:top\s+)?(\d+)\s*[?.!]*$",
            re.I,
        ),
        r"top \1",
    )
)
SAID_AS_TYPED.append(
    # "net 60 invoices that have gone overdue": the overdue ones
    (
        re.compile(r"\b(?:have\s+|has\s+)?(?:gone|went)\s+(overdue|past\s+due|late)\b", re.I),
        r"are \1",
    )
)
SAID_AS_TYPED.append(
    # "how many open invoices are out there and what's the total $": the unpaid ones and what is still owed on them
    # (the money open invoices stand for: their totals less what was paid)
    (
        re.compile(
            r"^(\W*(?:[\w']+\s+){0,3}?how\s+many\s+)(?:open|unpaid|outstanding)(\s+(?:invoices|bills)\b[^?]*?)\s*,?\s*(?:and\s+)?"
            r"(?:what'?s\s+the\s+total(?:\s+(?:\$|amount|value|dollars|\$\s*amount|\$\s*value))?|how\s+much)\s*[?.!]*$",
            re.I,
        ),
        r"\1unpaid\2 and the outstanding amount",
    )
)
SAID_AS_TYPED.append(
    # "$ received by cheque last quarter?": the money received, never the number of payments
    (
        re.compile(
            r"^\W*\$\s+(?=(?:received|collected|billed|invoiced|booked|paid|won|came\s+in|brought\s+in)\b)",
            re.I,
        ),
        "how much was ",
    )
)
SAID_AS_TYPED.append(
    # "5 worst payers by payment score": the customers, ranked by it
    (
        re.compile(
            r"\b(worst|best|slowest|fastest|late|bad|good)\s+pay(?:e|o)rs(?=\s+(?:by|on)\s+(?:their\s+)?(?:payment\s+)?score)",
            re.I,
        ),
        r"\1 customers",
    )
)
SAID_AS_TYPED.append(
    # "5 EMEA customers most likely to churn + when we think they'll go": with the date they are predicted to churn
    (
        re.compile(
            r"\s*(?:\+|,|\band\b|\bwith\b|\bplus\b)\s*(?:and\s+)?when\s+(?:(?:do\s+)?we\s+(?:think|expect|predict|reckon)\s+(?:them\s+to\s+)?|"
            r"(?:are\s+)?they(?:'re|\s+are)?\s+(?:expected|predicted|likely)\s+to\s+)?(?:they'?ll|they\s+will|they\s+might|"
            r"they'?d|they\s+could)?\s*(?:go|leave|churn|walk|drop\s+off|cancel)\b",
            re.I,
        ),
        " with their predicted churn date",
    )
)
SAID_AS_TYPED.append(
    # "... show the score and who owns it": the owner beside each one
    (
        re.compile(
            r"\s+and\s+who\s+(?:owns|manages|looks\s+after)\s+(?:it|them|the\s+account)(?=\s*[?.!]*$)",
            re.I,
        ),
        " and the owner",
    )
)
SAID_AS_TYPED.append(
    # "paid ads leads from Q4: how many did we get, and what did they convert at?": the records named first, counted
    (
        re.compile(
            r"^\W*(?P<subj>[a-z][^:?]{2,60}?)\s*(?::|\s-|,)\s*how\s+many\s+(?:did\s+we\s+(?:get|have|receive|see|generate|bring\s+in)|"
            r"came\s+in|were\s+there|(?:do|did)\s+we\s+have|are\s+there)\b",
            re.I,
        ),
        lambda m: (
            f"how many {m.group('subj')} came in"
            if re.search(
                r"\b(?:leads|deals|tickets|invoices|payments|customers|accounts)\b", m.group("subj"), re.I
            )
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "leads per rep on my team this year + how many converted": the leads counted, and the converted ones of them
    (
        re.compile(
            r"^\W*(?P<first>(?:new\s+|inbound\s+)?leads\b(?:(?!\bcount\b)[^?+—–:])*?)\s*(?:\+|,\s*and|,|\band\b|\bplus\b)\s*"
            r"how\s+many\s+(?:of\s+(?:them|those|these)\s+)?(?=converted|were\s+converted|have\s+converted|got\s+converted)",
            re.I,
        ),
        r"how many \g<first>, and how many of those ",
    )
)
SAID_AS_TYPED.append(
    # "leads and converted leads per rep this year": both counts (the second one alone was answered before)
    (
        re.compile(
            r"^\W*(?:how\s+many\s+)?leads\s+(?:and|&|\+|vs\.?)\s+(?:converted(?:\s+leads)?|conversions)\b(?P<rest>[^?]*)",
            re.I,
        ),
        r"how many leads\g<rest>, and how many of those converted",
    )
)


_WHAT_WHO_HOW_MUCH = re.compile(
    r"\s*[-:,]?\s*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*)*\b(?:what|who(?:\s+paid)?|how\s+much|when|which)(?:\s*(?:/|,|&|\+|\band\b)\s*"
    r"(?:and\s+)?(?:what|who(?:\s+paid)?|how\s+much|when|which(?:\s+(?:method|one|day|date))?|for\s+how\s+much)){2,3}\s*[?.!]*$",
    re.I,
)


def _what_who_how_much(m: re.Match) -> str:
    """ "deals we closed-won this week 🎉 what / who / how much?": the records listed (what each is, its owner, its
    amount), never the amount per owner."""
    head = m.string[: m.start()]
    if not re.search(r"\b(?:deals?|invoices?|payments?|tickets?|leads?|opps?|opportunities)\b", head, re.I):
        return m.group(0)
    return "" if re.match(r"\W*(?:list|show|which|give|pull)\b", head, re.I) else " - list them"


SAID_AS_TYPED.append((_WHAT_WHO_HOW_MUCH, _what_who_how_much))
_WHO_PAID = re.compile(r"\bwho\s+paid\b", re.I)
SAID_AS_TYPED.append(
    # "every payment of $500k or more received this year — who paid, amount, date, method": those records listed with
    # their columns (never counted per payer and method)
    (
        re.compile(
            r"^\W*((?:every|each|all\s+(?:the\s+)?)\s*(?:payments?|invoices?|deals?|tickets?|leads?|opps?)\b[^?]*?"
            r"(?:—|–|\s-\s|:)\s*)([\w\s,/&+#]+[?.!]*)$",
            re.I,
        ),
        # (and "who paid" in those columns is the customer's)
        lambda m: "list " + m.group(1) + _WHO_PAID.sub("customer", m.group(2)),
    )
)
SAID_AS_TYPED.append(
    # "LATAM accounts with anything 90+ days past due, and how much is 90+": the bucket said again is no amount
    (
        re.compile(
            r"(?<=\bhow\smuch)\s+(?:is|in|sits\s+in)\s+(?:the\s+)?(?:\d+\s*\+|over\s+\d+|\d+\s*-\s*\d+)(?:\s+days)?"
            r"(?:\s+(?:bucket|past\s+due|overdue|late))?\s*(?=[?.!]*$)",
            re.I,
        ),
        lambda m: (
            "" if re.search(r"\d+\s*\+|over\s+\d+|\d+\s*-\s*\d+", m.string[: m.start()]) else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "LATAM accounts with anything 90+ days past due, and how much": which accounts, and how much each
    (
        re.compile(
            r"^\W*(?P<scope>(?:[\w-]+\s+){0,2}?)(?P<who>accounts|customers|clients)\s+(?:with|that\s+have|having)\s+"
            r"(?P<what>anything|something|money|invoices?|a\s+balance)\b(?P<rest>[^?,]*),\s*(?:and\s+|\+\s*)?how\s+much\b",
            re.I,
        ),
        r"which \g<scope>\g<who> have \g<what>\g<rest>, and how much",
    )
)
SAID_AS_TYPED.append(
    # "unpaid invoices with an open balance over 100k": a bound on what each still owes (never on its total)
    (
        re.compile(
            r"\b(?:an?\s+)?(?:open|remaining|outstanding|unpaid)\s+balance(?=\s+(?:of\s+)?(?:over|above|under|below|more|less|"
            r"greater|bigger|larger|>|<|at\s+least|at\s+most|\d|\$))",
            re.I,
        ),
        "a balance",
    )
)
SAID_AS_TYPED.append(
    # "number, account, balance, days over": the days overdue, a column
    (re.compile(r"\bdays\s+(?:over|od|o/d|past)(?=\s*(?:[,;&/+)?.!]|$|\band\b))", re.I), "days overdue")
)
SAID_AS_TYPED.append(
    # "what % of our receivables is overdue?": what is outstanding, the part of it overdue and that part's share (never
    # the overdue amount alone)
    (
        re.compile(
            r"^\W*(?:so\s+|and\s+)?(?:what|which)\s+(?:%|percent(?:age)?|share|portion|proportion|fraction|part)\s+of\s+"
            r"(?:(?:our|the|total|all|all\s+the)\s+)*(?:receivables|outstanding|ar|a/r|what'?s\s+owed|what\s+we'?re\s+owed|"
            r"open\s+balances?|unpaid\s+balances?|money\s+owed)\s+(?:is|are)\s+(?:now\s+|currently\s+|already\s+)?"
            r"(?:overdue|past\s+due|late)\s*[?.!]*$",
            re.I,
        ),
        "total outstanding, and how much of that is 1-30, 31-60, 61-90 or 90+ days past due",
    )
)
SAID_AS_TYPED.append(
    # "how much AR is more than 90 days past due?": what is owed that long past its due date
    (
        re.compile(
            r"\b(?:ar|a/r|receivables)\s+(?:is|are)\s+(?=(?:more\s+than|over|at\s+least|older\s+than)?\s*\d+\s*\+?\s*days?\s+"
            r"(?:past\s+due|overdue|late)\b)",
            re.I,
        ),
        "is ",
    )
)
SAID_AS_TYPED.append(
    # "avg health score across customers that have something overdue": the average over those customers (never one
    # figure per customer)
    (
        re.compile(
            r"\b((?:avg|average|mean)\s+[a-z][\w\s]{1,30}?)\s+across\s+(?:all\s+)?(?:the\s+)?(customers|accounts|clients)\s+"
            r"(?=(?:that|who|which|with)\b)",
            re.I,
        ),
        r"\1 of \2 ",
    )
)
SAID_AS_TYPED.append(
    # "ok and what did we bill in aug? want to see the gap between the two": why they ask; "the two" is no top 2
    (
        re.compile(
            r"(?<=[?.!])\s*(?:i\s+)?(?:want|wanna|need|trying)\s+to\s+(?:see|compare|check|understand|know)\s+(?:the\s+)?"
            r"(?:gap|difference|diff|delta)\s+between\s+(?:the\s+two|them|both)\s*[.!]*\s*$",
            re.I,
        ),
        "",
    )
)
SAID_AS_TYPED.append(
    # "avg size of a won deal across all of 2025": the average deal size
    (
        re.compile(
            r"\b(?:avg|average|mean)\s+(?:size|value|amount)\s+of\s+(?:an?\s+|the\s+)?(?:won|closed[\s-]*won)\s+deals?\b",
            re.I,
        ),
        "average deal size",
    )
)
SAID_AS_TYPED.append(
    # "of the leads we got in Q2, how many ended up converting, and what's that as a rate?"
    (re.compile(r"\bended\s+up\s+(?:converting|converted|being\s+converted)\b", re.I), "converted")
)
SAID_AS_TYPED.append(
    (
        re.compile(r"\bwhat'?s\s+(?:that|it|this)\s+as\s+an?\s+(?:rate|percentage|percent|%)", re.I),
        lambda m: "what's the conversion rate" if re.search(r"\bconvert", m.string, re.I) else m.group(0),
    )
)
SAID_AS_TYPED.append(
    # "now split by deal type instead of region": the new split in place of the old one (never both)
    (
        re.compile(
            r"\binstead\s+of\s+(?:by\s+|per\s+)?(?:the\s+)?(?:regions?|reps?|teams?|stages?|sources?|industr(?:y|ies)|countr(?:y|ies)|"
            r"months?|quarters?|weeks?|years?|deal\s+types?|owners?|segments?|priorit(?:y|ies)|payment\s+(?:terms|methods?)|"
            r"methods?|terms|customers?|accounts?|products?|categor(?:y|ies)|lead\s+sources?)(?=\s*[?.!]*\s*$)",
            re.I,
        ),
        "instead",
    )
)
SAID_AS_TYPED.append(
    # "how many of those are paid already?" then "and how much is still outstanding on the rest?": on those invoices
    # (the paid ones owe nothing), never on every invoice
    (
        re.compile(
            r"\b(on|for|across|from)\s+the\s+(?:rest|others|remaining(?:\s+ones)?|other\s+ones|unpaid\s+ones)\b(?!\s+of\b)",
            re.I,
        ),
        r"\1 those",
    )
)
SAID_AS_TYPED.append(
    # "who gave us a 1-star CSAT this month? account + ticket subject": those tickets, each with its account and subject
    (
        re.compile(
            r"^\W*who\s+(?:(?:gave|left|rated\s+us)\s+(?:us\s+)?(?:an?\s+)?|had\s+tickets\s+rated\s+)([1-5])[\s-]*stars?\s*"
            r"(?:csat|rating|score|review)?"
            r"(?P<rest>[^?]*)\?\s*(?P<cols>[^?]*\b(?:subject|ticket)s?\b[^?]*)$",
            re.I,
        ),
        r"tickets with a \1-star CSAT \g<rest> - \g<cols>",
    )
)


_COLUMNS_AFTER_A_QUESTION = re.compile(
    r"\?\s*(?P<cols>[a-z#][\w\s#-]*?(?:\s*(?:\+|,|&|\band\b)\s*[a-z#][\w\s#-]*?){1,4})\s*[.!]*\s*$", re.I
)


def _columns_after_a_question(m: re.Match) -> str:
    """ "which companies became customers in the last 14 days? region + account owner": the columns each one is shown
    with (never a split by region)."""
    known = column_names()
    items = [
        re.sub(r"^(?:with|w/)\s+", "", i.strip().lower())
        for i in re.split(r"\s*(?:\+|,|&|\band\b)\s*", m.group("cols"))
        if i.strip()
    ]
    if len(items) < 2 or not all(i in known or i.rstrip("s") in known for i in items):
        return m.group(0)
    if not re.match(r"\W*(?:which|what|who|list|show|any)\b", m.string, re.I):
        return m.group(0)
    return ", with " + " and ".join(items)


SAID_AS_TYPED.append((_COLUMNS_AFTER_A_QUESTION, _columns_after_a_question))
SAID_AS_TYPED.append(
    # "compare high vs low risk": both are churn risk bands (never a ticket priority "high")
    (
        re.compile(
            r"\b(high|medium|low)\s*(?:vs\.?|versus)\s*(high|medium|low)\s+(?:churn[\s-]+)?risk\b",
            re.I,
        ),
        r"\1 churn risk vs \2 churn risk",
    )
)
SAID_AS_TYPED.append((re.compile(r"\b(high|medium|low)-churn-risk\b", re.I), r"\1 churn risk"))
SAID_AS_TYPED.append(
    # "how many invoices are overdue more than 60 days?": that many days past due
    (
        re.compile(
            r"\b(overdue|past\s+due|late)\s+(?:by\s+)?(more\s+than|over|at\s+least|longer\s+than)\s+(\d+)\s+days\b",
            re.I,
        ),
        r"\2 \3 days \1",
    )
)
SAID_AS_TYPED.append(
    # "which of my open deals are already behind the expected close date?": past it
    (
        re.compile(
            r"\b(?:already\s+)?behind\s+(?:the|their|its)\s+(?:expected\s+)?close\s+dates?\b",
            re.I,
        ),
        "past their expected close date",
    )
)
SAID_AS_TYPED.append(
    # "and how many deals i lost in it": how many did I lose in that period
    (
        re.compile(r"\bhow\s+many\s+deals\s+(i|we)\s+(?:have\s+)?lost(?:\s+in\s+it)?\b", re.I),
        r"how many deals did \1 lose",
    )
)
SAID_AS_TYPED.append(
    # "top 5 companies with the most overdue money in EMEA": the overdue amount, never revenue
    (
        re.compile(r"\b(overdue|past[\s-]due|outstanding|unpaid|owed)\s+(?:money|cash|dollars|\$)\b", re.I),
        r"\1 amount",
    )
)
SAID_AS_TYPED.append(
    # "open pipeline EMEA against APAC, who has more?": which of the two (never who, a rep)
    (
        re.compile(
            r"(\b(?:vs\.?|versus|against|compared\s+(?:to|with))\s+[\w-]+)\s*[,;-]?\s*(?:so\s+)?who(?:'s|\s+has|\s+is|\s+does)\s+"
            r"(?:more|bigger|higher|better|ahead|the\s+most|the\s+bigger\s+one)\s*[?.!]*\s*$",
            re.I,
        ),
        r"\1",
    )
)


# words of the second languages people in a European team mix in ("cuántos deals hemos ganado in May?", "top 5
# Kunden in Germany", "y en España?"): said in English before anything else reads them
_SECOND_LANGUAGE = {
    "kunden": "customers",
    "clientes": "customers",
    "clienti": "customers",
    "kunde": "customer",
    "cliente": "customer",
    "quanto": "how much",
    "quanta": "how much",
    "cuánto": "how much",
    "cuanto": "how much",
    "wieviel": "how much",
    "wie viel": "how much",
    "quanti": "how many",
    "quante": "how many",
    "cuántos": "how many",
    "cuantos": "how many",
    "cuántas": "how many",
    "cuantas": "how many",
    "wie viele": "how many",
    "hemos ganado": "have we won",
    "abbiamo vinto": "have we won",
    "haben wir gewonnen": "have we won",
    "hemos perdido": "have we lost",
    "abbiamo perso": "have we lost",
    "haben wir verloren": "have we lost",
    "abbiamo": "we have",
    "tenemos": "we have",
    "factura": "invoice",
    "fattura": "invoice",
    "rechnung": "invoice",
    "facturas": "invoices",
    "fatture": "invoices",
    "rechnungen": "invoices",
    "cuando": "when",
    "quando": "when",
    "probable": "likely",
}
_SECOND_LANGUAGE_WORDS = re.compile(
    r"(?<![\w'])("
    + "|".join(sorted((re.escape(w) for w in _SECOND_LANGUAGE), key=len, reverse=True))
    + r")(?![\w'])",
    re.I,
)
SAID_AS_TYPED.insert(0, (_SECOND_LANGUAGE_WORDS, lambda m: _SECOND_LANGUAGE[m.group(1).lower()]))
SAID_AS_TYPED.insert(
    1,
    (
        re.compile(r"^\W*(?:y|und)\s+(?=en\b|in\b|el\b|la\b|für\b|fuer\b|para\b)|^\W*e\s+(?=in\b)", re.I),
        "and ",
    ),
)
SAID_AS_TYPED.insert(2, (re.compile(r"^(\W*and\s+)en\s+", re.I), r"\1in "))
SAID_AS_TYPED.append(
    # "can you show also their health score and churn risk?" after a ranking of accounts: those values beside it
    (
        re.compile(
            r"^\W*(?:(?:ok|and|now|pls|please)\W+)*(?:(?:can|could|would)\s+(?:you|u)\s+)?(?:also\s+show|show\s+(?:me\s+)?also|"
            r"also\s+give\s+me|give\s+me\s+also)\s+(?=(?:their|its|the)\b)",
            re.I,
        ),
        "add ",
    )
)
SAID_AS_TYPED.append(
    # "has CSAT gotten worse? Q1 this year vs Q1 last year": the measure in the two periods
    (
        re.compile(
            r"\b(?:has|have|did)\s+([\w\s%-]{2,30}?)\s+(?:gotten|got|become|gone)\s+(?:worse|better)\b", re.I
        ),
        r"has \1 gone down",
    )
)
SAID_AS_TYPED.append(
    # "renewals due to close in May": open renewal deals expected to close then
    (re.compile(r"\b(?:due|set|scheduled|slated)\s+to\s+close\b", re.I), "expected to close")
)
SAID_AS_TYPED.append(
    # "renewals expected to close in May where the customer is high churn risk": deals whose type is renewal
    (
        re.compile(r"^\W*renewals(?=\s+(?:expected|closing|due|set\s+to|scheduled|slated)\b)", re.I),
        "renewal deals",
    )
)
SAID_AS_TYPED.append(
    # "prepping for the keystone surgical renewal - health score, churn risk and LTV?": that account
    (
        re.compile(
            r"^\W*(?:prepping|prepping|preparing|prep|getting\s+ready|gearing\s+up)\s+for\s+(?:the|our|a|my)\s+(.+?)\s+renewal"
            r"(?:\s+(?:call|meeting|conversation|chat))?\s*(?=[-—–:,])",
            re.I,
        ),
        r"\1",
    )
)
SAID_AS_TYPED.append(
    # "which customers have a health score under 45? who owns them": the owner beside each
    (
        re.compile(r"(?:\?|,|;|\s-)\s*(?:and\s+)?who\s+owns\s+(?:them|those|these)\s*[?.!]*\s*$", re.I),
        " and the owner",
    )
)
SAID_AS_TYPED.append(
    # "how's Emily Ng's book looking churn-wise?": by churn risk
    (re.compile(r"\s*\bchurn[\s-]+wise\b", re.I), " by churn risk")
)
SAID_AS_TYPED.append(
    # "could you grab me the emails and titles for the contacts at Silent Island Systems PLC?": those contacts, with them
    (
        re.compile(
            r"\b(?:the\s+)?(?:e-?mails?|email\s+addresses|phone\s+numbers?|titles?|job\s+titles?)"
            r"(?:\s*(?:,|and|&|\+)\s*(?:e-?mails?|email\s+addresses|phone\s+numbers?|titles?|job\s+titles?))*\s+(?:for|of)\s+"
            r"(?:the\s+|all\s+(?:the\s+)?)?(contacts|people)\s+(at|from|in)\b",
            re.I,
        ),
        r"\1 \2",
    )
)
SAID_AS_TYPED.append(
    # "renewals due to close in May where the customer is high churn risk?": at the accounts in that band
    (
        re.compile(
            r"\b(?:where|whose|when|if)\s+(?:the\s+)?(?:customer|account|client|company)(?:'s\s+churn\s+risk)?\s+(?:is|are)\s+"
            r"(?:at\s+)?(high|medium|low)(?:\s+churn)?(?:\s+risk)?\b",
            re.I,
        ),
        r"at \1 churn risk customers",
    )
)
SAID_AS_TYPED.append(
    # "whats falling due in november? count + amount still owed": how many invoices, and how much is still owed
    (
        re.compile(
            r"\?\s*(?:the\s+)?(?:count|#)\s*(?:\+|and|&|,)\s*(?:the\s+)?(?:amount|total|\$|balance)(?:\s+(?:still\s+)?"
            r"(?:owed|outstanding|open|due|unpaid))?\s*[.!]*\s*$",
            re.I,
        ),
        lambda m: (
            "? how many invoices and how much is still owed"
            if re.search(
                r"\b(?:due|owed|invoices?|outstanding|unpaid|overdue)\b", m.string[: m.start()], re.I
            )
            else m.group(0)
        ),
    )
)
SAID_AS_TYPED.append(
    # "make it invoice counts instead": the number of invoices in place of the amount
    (
        re.compile(
            r"^\W*(?:(?:ok|now|and)\W+)*(?:make\s+it|switch\s+to|show)\s+(?:the\s+)?(invoice|deal|ticket|lead|payment)\s+counts?\s+instead\b",
            re.I,
        ),
        r"number of \1s instead",
    )
)
SAID_AS_TYPED.append(
    # "which drafts have been sitting around for more than 2 weeks": created that long ago
    (
        re.compile(
            r"\b(?:have\s+|has\s+)?(?:been\s+)?(?:sitting|waiting|lying)\s+(?:(?:around|there)\s+(?:for\s+)?|for\s+)(more\s+than|over|"
            r"at\s+least|longer\s+than)\s+(\d+|a|one|two|three|four)\s+(days?|weeks?|months?)\b"
            r"(?!\s*(?:past\s+due|overdue|late|behind))",
            re.I,
        ),
        r"created \1 \2 \3 ago",
    )
)
SAID_AS_TYPED.append(
    # "approved invoices: invoice number, customer, and who approved it": who approved an invoice is no column of the
    # lists; said as the column, it is refused (never read as a measure: "approved" read as invoiced split per account)
    (re.compile(r"\bwho\s+approved\s+(?:it|them|each(?:\s+one)?|those)\b", re.I), "approved by")
)
SAID_AS_TYPED.append(
    # "my qualified leads that havent converted yet - who and what company": those leads, each with its name and
    # company (never every company)
    (
        re.compile(
            r"(?<=\bleads)(\s*[-—–:,]\s*)who\s+(?:and|&|\+)\s+(?:what|which)\s+company\s*[?.!]*\s*$", re.I
        ),
        r"\1name and company",
    )
)
