"""Questions said in one of a few shapes people type, read before the rest: a field after "+" ("deals over 100k +
owner": a column, not a split), records then the columns asked as questions ("which open deals do they have, what
stage, how much?"), what the last contact was about, any number of days past due, invoices ranked by the balance
still owed on each, a list with each record's last touch ("list em + when we last touched them"), values taken back in
the same message, and periods said twice or relative to another ("the 30 days before that"). A long message's question
after its context is read in reader_context.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from tools.reports import semantic
from tools.reports.nlq.phrasings_plain import records_then_columns
from tools.reports.nlq.remarks import column_names
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query

Read = Callable[[str], "Reading | Refusal"]


def as_said(question: str, previous: Query | None) -> str:
    """The question with those shapes said in the reader's words."""
    question = corrected_in_place(question)  # "avg health for EMEA custs... actually no, make that APAC"
    question = _plus_a_column(question)  # "deals over 100k + owner": with the owner, not split by owner
    question = records_then_columns(question)  # "which open deals do they have, what stage, how much?"
    question = _coming_due(
        question
    )  # "how much is still owed on invoices falling due in february? count + amount"
    for pattern, replacement in _SAID_AS_TYPED:
        question = pattern.sub(replacement, question)
    if re.search(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against)\b", question, re.I):
        # "has our sales cycle gotten longer? 2025 vs 2024": the measure, in the two periods compared
        question = _GOTTEN_MORE.sub(r"\1", question)
    if re.search(r"\bhealth\b", question, re.I) and not re.search(r"\blead", question, re.I):
        # "any customers with health below 40? show scores": their health scores, never the leads' score
        question = _BARE_SCORE.sub(lambda m: f"health {m.group(0)}", question)
    if (
        previous is not None
        and _WHEN_DUE.match(question)
        and semantic.model().base_of(previous.metric) == "invoices"
    ):
        # "when's that due?" after what an account owes: the invoices behind it, each with its due date
        return "which invoices are those?"
    if previous is not None and _HOW_MUCH_IS_IT.match(question):
        counted = semantic.model().metric(previous.metric)
        if counted.format == "count" and counted.amount_metric and not (previous.also or previous.group_by):
            # "ok then how much is it for?" after the invoices counted (or a refused change's records): their amount
            question = "what's the amount"
    if previous is not None and _THE_SCORE.search(question):
        # "name them pls, with the score" after how many have a health score below 70: that score
        scored = [n for n in (previous.metric, *previous.also) if "score" in semantic.model().metric(n).label]
        if len(scored) == 1:
            label = semantic.model().metric(scored[0]).label.replace("average ", "")
            question = _THE_SCORE.sub(lambda m: f"{m.group(1)} {label}{m.group(2) or ''}", question)
    if previous is not None and previous.metric == "dso" and _DSO_PART.search(question):
        # "what's the invoiced figure you divided by?" after DSO: the billing of its 90 days; "and the outstanding
        # part?": what is owed today
        if re.search(r"\b(?:invoiced|billed|billing|sales|denominator|divided?\s+by)\b", question, re.I):
            return "invoiced amount in the last 90 days"
        return "outstanding"
    if previous is not None and previous.owner is not None and _OTHER_TEAMS.search(question):
        # "how does that compare to the other teams? show all of them" after my team's figure: every team, side by side
        return "and for everyone, by team"
    if previous is not None and _ONLY_OVERDUE.match(question):
        return "and overdue only?"  # "same but only counting overdue" after who owes us the most
    of_invoices = _PERIODS_INVOICES.match(question) if previous is not None else None
    # "and from 2024 invoices?" after what is still unpaid of 2025's billing: the same measure, for 2024
    if (
        of_invoices
        and semantic.model().base_of(previous.metric) == "invoices"
        and semantic.model().metric(previous.metric).aggregate not in ("count", "count_distinct")
    ):
        return f"and {of_invoices.group('when')}?"
    if previous is not None and previous.list_records and _WHEN_DUE.match(question):
        return "list them"  # "when was that due?" after an account's invoices: those, with their due dates
    corrected = _CORRECTION.match(question) if previous is not None else None
    if corrected and _same_dimension(corrected.group("new"), corrected.group("old"), previous):
        return f"what about {corrected.group('new').strip()} instead"  # "sorry, EMEA not APAC": the other one
    if previous is not None and previous.metric == "last_contacted" and _WHAT_ABOUT.match(question):
        # "what was it about" after when we last spoke to them: that activity
        return "and the latest activity?"
    return question


_THE_SCORE = re.compile(r"\b(the|their|its|each|w/|with)\s+score(s)?\b(?!\s+(?:of|for)\b)", re.I)
_OTHER_TEAMS = re.compile(
    r"\b(?:the\s+)?other\s+teams\b|\ball\s+(?:the\s+|of\s+the\s+)?(?:other\s+)?teams\b|\bevery\s+(?:other\s+)?team\b|"
    r"\beach\s+team\b|\brest\s+of\s+the\s+teams\b",
    re.I,
)
_DSO_PART = re.compile(
    r"\b(?:divided?\s+by|divide|denominator|numerator|behind\s+(?:it|that|the\s+dso)|you\s+used?|went\s+into|goes\s+into|"
    r"based\s+on)\b",
    re.I,
)
_ONLY_OVERDUE = re.compile(
    r"^\W*(?:same|ditto|and)\s*(?:thing)?\s*,?\s*(?:but|for)\s+(?:only\s+|just\s+)?(?:counting\s+|looking\s+at\s+|for\s+)?(?:the\s+)?"
    r"(?:overdue|past\s+due)(?:\s+(?:part|ones|amount|invoices|stuff))?(?:\s+only)?\W*$",
    re.I,
)
_FALLING_DUE = re.compile(
    r"\binvoices\s+(?:that\s+(?:are\s+)?|which\s+(?:are\s+)?)?(?:falling|fall|coming|come|becoming|become)\s+due\b",
    re.I,
)
_OWED_COMING_DUE = re.compile(
    r"\b(?:how\s+much\s+is\s+|what'?s\s+|what\s+is\s+)?(?:still\s+)?(?:owed|outstanding|unpaid|open)\s+on\s+(?:the\s+)?"
    r"invoices\s+coming\s+due\b",
    re.I,
)
_COUNT_AND_AMOUNT = re.compile(
    r"\s*[?,.;:-]?\s*(?:the\s+)?(?:count|number|#)\s*(?:\+|and|&|/|plus)\s*(?:the\s+)?(?:amount|total|\$|value|sum)"
    r"(?:\s+pls|\s+please)?\W*$",
    re.I,
)


def _coming_due(question: str) -> str:
    """ "how much is still owed on invoices falling due in february? count + amount": the invoices coming due then
    (by their due date, never by when they were issued), counted and with what is still owed on them."""
    text = _FALLING_DUE.sub("invoices coming due", question)
    if text == question and "coming due" not in question.lower():
        return question
    text = _OWED_COMING_DUE.sub("amount coming due", text)
    counted = _COUNT_AND_AMOUNT.search(text)
    if counted and re.search(r"\bamount\s+coming\s+due\b", text, re.I):
        text = text[: counted.start()] + "?"
        text = re.sub(
            r"\bamount\s+coming\s+due\b",
            "number of invoices coming due and the amount coming due",
            text,
            count=1,
            flags=re.I,
        )
    return text


_PERIODS_INVOICES = re.compile(
    r"^\W*(?:and|what\s+about|how\s+about)\s+(?:from|for|on|of)?\s*(?:the\s+)?(?P<when>(?:20\d\d|q[1-4](?:\s+20\d\d)?|last\s+year|"
    r"this\s+year|last\s+quarter|this\s+quarter|[a-z]+\s+20\d\d))(?:'s)?\s+invoices\W*$",
    re.I,
)
_WHEN_DUE = re.compile(
    r"^\W*(?:and\s+|so\s+)?when\s+(?:was|were|is|are)\s+(?:that|it|they|those|these)\s+due\W*$", re.I
)
_CORRECTION = re.compile(
    r"^\W*(?:(?:sorry|oops|my\s+bad|no\s+wait|wait|actually|correction|whoops)\W+)*(?:i\s+meant\s+)?(?P<new>[\w&'. -]{2,40}?)"
    r"\s*,?\s+not\s+(?P<old>[\w&'. -]{2,40}?)\W*$",
    re.I,
)


_TAKEN_BACK = re.compile(
    r"\s*(?:\.{2,}|…|[-–—,;:])?\s*\b(?:actually\s+no|no\s+actually|actually|sorry|oops|no\s+wait|wait\s+no|wait|i\s+mean|"
    r"correction|my\s+bad)\b\s*[,.:-]?\s*(?:make\s+(?:that|it)\s+|i\s+meant\s+|meant\s+|not\s+that,?\s+)?"
    r"(?P<new>[a-z][\w&'-]*(?:\s+[a-z][\w&'-]*)?)\s*(?=[.,;?!]|$)",
    re.I,
)


def corrected_in_place(question: str) -> str:
    """ "avg helth score for our EMEA custs... actually no, make that APAC", "invoices 90+ days past due in APAC -
    sorry, LATAM": the value taken back replaced by the one meant (never both)."""
    for m in _TAKEN_BACK.finditer(question):
        new = m.group("new")
        meant = _values_said(new) or _values_said(new.split()[0])
        if not meant:
            continue
        said = new if _values_said(new) else new.split()[0]
        meant_dims = {d for d, _ in meant}
        before = question[: m.start()]
        words = list(re.finditer(r"[A-Za-z][\w&'-]*", before))
        for i in reversed(range(len(words))):  # the nearest value of the same kind, said in one or two words
            two = before[words[i].start() : words[i + 1].end()] if i + 1 < len(words) else None
            for phrase in (two, words[i].group(0)):
                if phrase is None:
                    continue
                taken_back = _values_said(phrase)
                if {d for d, _ in taken_back} & meant_dims and taken_back != meant:
                    start = words[i].start()
                    return before[:start] + said + before[start + len(phrase) :] + question[m.end() :]
    return question


def _values_said(text: str) -> set[tuple[str, str]]:
    """The (dimension, value) pairs a word or two name as written ("apac": region APAC), none for other words."""
    from tools.reports.lexicon import lexicon

    return {(s.name, str(s.value)) for s in lexicon().get(text.strip().lower()) or () if s.kind == "value"}


def _same_dimension(new: str, old: str, previous: Query) -> bool:
    """Both words name values of one dimension, and the one taken back is what the previous question was about."""
    said, taken_back = _values_said(new), _values_said(old)
    dims = {d for d, _ in said} & {d for d, _ in taken_back}
    return any(
        f.dimension in dims and {str(v) for v in f.values} & {v for _, v in taken_back}
        for f in previous.filters
    )


def _columns_in_brackets(m: re.Match) -> str:
    """ "(date, type, subject)" closing a question: the columns asked; "(card, wire, check etc)": examples, kept."""
    known = column_names()
    items = [i.strip().lower() for i in m.group(1).split(",")]
    if all(i in known or i.rstrip("s") in known for i in items):
        return f" - {m.group(1)}{m.group(2)}"
    return m.group(0)


def _stars(m: re.Match) -> str:
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


_GOTTEN_MORE = re.compile(
    r"\b(?:has|have|did|is|are)\s+((?:our|the|my|your)\s+[\w\s-]{2,40}?)\s+(?:gotten|got|get|become|became|grown|grow|gone|"
    r"went)\s+(?:any\s+)?(?:longer|shorter|bigger|smaller|better|worse|up|down|higher|lower|faster|slower)\b",
    re.I,
)


_BARE_SCORE = re.compile(
    r"(?<!health\s)(?<!lead\s)(?<!engagement\s)(?<!payment\s)(?<!support\s)(?<!csat\s)(?<!satisfaction\s)"
    r"(?<!-)\bscores?\b",
    re.I,
)


_HOW_MUCH_IS_IT = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|fine)\W+)?(?:then\s+)?how\s+much\s+(?:is|are|was|were)\s+(?:it|that|they|those|these|them)"
    r"(?:\s+(?:for|worth|in\s+total|altogether))?(?:\s+then)?\W*$",
    re.I,
)


_PERIOD_WORDS = (
    r"(?:q[1-4](?:\s+(?:of\s+)?(?:\d{4}|'?\d{2}|this\s+year|last\s+year))?|h[12](?:\s+\d{4})?|\d{4}|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"(?:last|this|previous|prior|next)\s+(?:week|month|quarter|year))"
)
_WHEN_DUE = re.compile(
    r"^\W*(?:(?:and|ok|so)\W+)?when(?:'s|s|\s+is|\s+are|\s+were|\s+was)\s+(?:that|it|they|those|these|this)\s+(?:all\s+)?due\W*$",
    re.I,
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


def _two_months(m: re.Match) -> str:
    """ "april or may 2026": both months, when they follow each other (else as said)."""
    first, second = (_MONTH_NAMES_FULL.index(w.lower()) for w in (m.group(1), m.group(2)))
    if second != first + 1:
        return m.group(0)
    return f"between {m.group(1)} {m.group(3)} and {m.group(2)} {m.group(3)}"


_SAID_AS_TYPED = [
    # "which of my open leads are scoring 60 or better?"
    (re.compile(r"\b(\d+(?:\.\d+)?)\s+or\s+better\b", re.I), r"\1 or more"),
    # "how much revenue actually came in during H1 - cash, not bookings": the measure said, the other one taken back
    (
        re.compile(
            r"\s*[-—–,(]?\s*(?:i\s+mean\s+)?(?:cash|revenue|payments)\s*,?\s*not\s+(?:the\s+)?(?:bookings|booked|deals\s+won|invoiced|billings?)\b\)?",
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
        "and how much",
    ),
    # "only count proposal and negotiation" after the pipeline by rep: only those (not a count)
    (
        re.compile(r"\b(only|just)\s+count(?:ing)?\s+(?!(?:them|those|these|it|that|this)\b)(?=[a-z])", re.I),
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
    # "sorry, meant Q4 not Q1", "2025, not 2024": the period meant, never both
    (
        re.compile(
            rf"\b(?:(?:i\s+)?(?:meant|mean)\s+)?({_PERIOD_WORDS})\s*,?\s+(?:and\s+|but\s+)?not\s+(?:the\s+)?{_PERIOD_WORDS}\b",
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
    # "which accounts, and how much each? biggest first" after a figure: the accounts behind it, each with its share
    (
        re.compile(
            r"^(\W*(?:(?:ok|and|so|then)\W+)?which\s+(?:accounts|customers|companies|clients|reps|regions|teams))\s*,?\s*"
            r"(?:and\s+)?how\s+much\s+(?:for\s+)?(?:each|apiece)(?:\s+one)?\b",
            re.I,
        ),
        r"\1",
    ),
    # "total cash received this month, all payment methods included": one total, never split by them
    (
        re.compile(
            r"[,;(]?\s*(?:with\s+|and\s+)?(?:all|every|any)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:methods|regions|sources|"
            r"channels|products|types|statuses|stages|reps|teams|segments|industries|countries|currencies|priorities|"
            r"terms)\s+(?:included|combined|together|counted|considered|inclusive)\b\)?",
            re.I,
        ),
        "",
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
    # "how much is sitting in the 90+ aging bucket?": that bucket
    (
        re.compile(r"\b(90\s*\+|61\s*-\s*90|31\s*-\s*60|1\s*-\s*30)\s+(?:aging|ageing|ar)\s+bucket\b", re.I),
        r"\1 bucket",
    ),
    # "the 1-star tickets from this month": those rated 1 (ratings run 1 to 5, whole stars)
    (re.compile(r"\b(?:the\s+)?([15])[\s-]*stars?\s+(tickets?|ratings?|reviews?)\b", re.I), _stars),
]


def invoices_by_balance(question: str, read: Read) -> Reading | None:
    """ "top 5 overdue invoices by balance, w/ customer": those invoices, by what is still owed on each (never a split
    "by balance", nor the accounts ranked by what they owe)."""
    from tools.reports.build import BALANCE

    ranked = _INVOICES_BY_BALANCE.search(question)
    if ranked is None:
        return None
    listed = read(question[: ranked.start()] + " " + ranked.group("which") + ranked.group("rest"))
    if not isinstance(listed, Reading) or not listed.query.list_records:
        return None
    if semantic.model().base_of(listed.query.metric) != "invoices":
        return None
    listed.query.sort_column = BALANCE
    listed.query.order = "asc" if ranked.group("end").lower() in ("bottom", "smallest") else "desc"
    listed.query.limit = int(ranked.group("n"))
    return Reading(listed.query, [*listed.notes, "ranked by the balance still owed on each"])


def with_last_touch(question: str, previous: Query | None, read: Read) -> Reading | None:
    """ "list em + when we last touched them" after how many weren't touched: those, each with its last contact."""
    if previous is None or previous.list_records:
        return None
    touch = _WITH_LAST_TOUCH.search(question)
    if touch is None:
        return None
    listed = read(question[: touch.start()])
    model = semantic.model()
    if not isinstance(listed, Reading) or not listed.query.list_records:
        return None
    if not model.reachable(model.base_of(listed.query.metric), "companies"):
        return None
    if "last_contacted" not in listed.query.columns:
        listed.query.columns.append("last_contacted")
    return listed


_MORE_DAYS_PAST_DUE = re.compile(
    r"\b(?:(?:more\s+than|over|greater\s+than|older\s+than|>)\s*(?P<n>\d{1,4})|(?:at\s+least\s+)?(?P<m>\d{1,4})"
    r"\s*(?:\+|plus\b|or\s+more\b))\s*days?\s+(?:past\s+(?:the\s+)?due(?:\s+date)?|overdue|late)\b"
)


_AT_PERIOD_END = re.compile(
    r"\b(?:at|as\s+of|for)\s+(?:the\s+)?(year|quarter|month)[\s-]*end\b|\b(?:at|as\s+of)\s+the\s+end\s+of\s+the\s+(year|quarter|month)\b|"
    # "dso at half year?", "AR as of the half-year close" on 30 June or 31 December
    r"\b(?:at|as\s+of|for)\s+(?:the\s+)?(half)[\s-]*year(?:[\s-]*(?:end|close))?\b"
)


def at_period_end(text: str, today: date) -> str:
    """ "DSO at year end?" on 31 December: today's figure (on another day the words are left to be asked about)."""
    from tools.reports.timewords import period_start, whole_period

    def today_if_last_day(m: re.Match) -> str:
        if m.group(3):  # a half year ends on 30 June and 31 December
            return " as of today " if (today.month, today.day) in ((6, 30), (12, 31)) else m.group(0)
        grain = m.group(1) or m.group(2)
        return " as of today " if whole_period(period_start(today, grain), grain)[1] == today else m.group(0)

    return _AT_PERIOD_END.sub(today_if_last_day, text)


_PRIOR_WINDOW = re.compile(
    r"\b(?P<vs>vs\.?|versus|compared\s+(?:to|with)|against|and)\s+(?:the\s+|to\s+the\s+)?(?:(?:previous|prior|preceding)\s+"
    r"(?P<n1>\d{1,3})\s+days|(?P<n2>\d{1,3})\s+days\s+(?:before|prior|previous|preceding)(?:\s+(?:that|it|then|those))?)\b",
    re.I,
)
_LAST_N_DAYS = re.compile(r"\b(?:the\s+)?(?:last|past|trailing)\s+(\d{1,3})\s+days\b", re.I)


def prior_window(text: str, today: date) -> str:
    """ "cash in over the last 30 days vs the 30 days before that", "last 30 days vs prior 30 days": the same number of
    days just before the first window, as dates (never the same days a year earlier)."""
    from datetime import timedelta

    from tools.reports.timewords import find_period

    m = _PRIOR_WINDOW.search(text)
    first = _LAST_N_DAYS.search(text[: m.start()]) if m else None
    if m is None or first is None or int(first.group(1)) != int(m.group("n1") or m.group("n2")):
        return text
    window = find_period(first.group(0), today)[0]
    if window is None or window.start is None:
        return text
    days = (window.end - window.start).days + 1
    end = window.start - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    return f"{text[: m.start()]}{m.group('vs')} {start.isoformat()} to {end.isoformat()}{text[m.end() :]}"


_MONTHS = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sept|sep|oct|nov|dec)"
)
_MONTH_LAST_YEAR = re.compile(
    rf"\b{_MONTHS}\b(?P<mid>(?:\s+(?!(?:this|last|next|vs|versus|compared|and|or)\b)[a-z']+){{0,4}}?)\s+(?:of\s+|in\s+)?last\s+year\b",
    re.I,
)


def month_last_year(text: str, today: date) -> str:
    """ "and what did july look like last year", "march of last year": that month a year before this one's (one period,
    never the month and the whole of last year)."""
    return _MONTH_LAST_YEAR.sub(lambda m: f"{m.group('month')} {today.year - 1}{m.group('mid')}", text)


_BRACKETED = re.compile(r"\s*\(([^()]{3,40})\)")


def period_said_again(text: str, today: date) -> str:
    """ "q4 to date bookings vs the same stretch last year (oct 1 - nov 30 2025)": the dates in brackets say again the
    period just before them; read once, by its words (two periods besides would be a third one). Dates that say
    another period ("over the weekend (sat 11/14 - mon 11/16)") are left to be read."""
    from tools.reports.nlq.cues import read_periods

    for m in _BRACKETED.finditer(text):
        inside = m.group(1)
        periods, rest = read_periods(inside.lower(), today)
        if periods.period is None or re.search(r"[a-z0-9]", rest):
            continue  # (not only dates in there)
        before, _ = read_periods(text[: m.start()].lower(), today)
        said = [(p.start, p.end) for p in (before.period, before.compare_to) if p is not None]
        if (
            before.period is not None
            and before.period.start
            and re.search(r"\blast\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b", text[: m.start()], re.I)
        ):  # ("ytd vs the same point last year (jan 1 - aug 14 2025)": the same days a year earlier)
            from tools.reports.timewords import shift_period

            earlier = shift_period(before.period, -1)
            said.append((earlier.start, earlier.end))
        if (periods.period.start, periods.period.end) in said:
            return text[: m.start()] + " " + text[m.end() :]
    return text


def days_past_due(text: str, today: date) -> str:
    """ "invoices more than 180 days past due", "45+ days late": overdue, due before the day that many days ago
    (the contract's 30/60/90 are its aging buckets, read as those)."""

    def due_before(m: re.Match) -> str:
        days = int(m.group("n") or m.group("m"))
        if days in (30, 60, 90):
            return m.group(0)
        last_day = today - timedelta(days=days + (0 if m.group("n") else -1))  # past due by more than days
        return f"overdue with a due date before {last_day.isoformat()}"

    return _MORE_DAYS_PAST_DUE.sub(due_before, text)


_WHAT_ABOUT = re.compile(
    r"^\W*(?:(?:and|so|ok|okay)\W+)*(?:what\s+(?:was|is)\s+(?:it|that|this)\s+(?:about|regarding|re)|what\s+did\s+(?:we|they|you)\s+"
    r"(?:talk|speak|chat)\s+about|what\s+was\s+(?:the\s+)?(?:subject|topic)(?:\s+of\s+(?:it|that))?|about\s+what)\W*$|"
    # "what was that about, and was it a call or a meeting?"
    r"^\W*(?:(?:and|so|ok|okay)\W+)*what\s+(?:was|is)\s+(?:it|that|this)\s+about\s*[,;?-]?\s*(?:and\s+)?(?:was\s+it|what\s+type|"
    r"which\s+type|what\s+kind)\b|"
    # "what was it - call, email? and who logged it", "was it a call or an email?", "who logged it?"
    r"^\W*(?:(?:and|so|ok|okay)\W+)*(?:what\s+was\s+(?:it|that)\s*[-–—:,?]|what\s+(?:kind|type)\s+of\s+"
    r"(?:contact|activity|touch(?:point)?)\s+was\s+(?:it|that)|was\s+(?:it|that)\s+an?\s+(?:call|email|meeting)\b|"
    r"who\s+(?:logged|made|did|sent)\s+(?:it|that)\W*$)",
    re.I,
)
_INVOICES_BY_BALANCE = re.compile(
    r"\b(?P<end>top|bottom|biggest|largest|smallest)\s+(?P<n>\d{1,3})\s+(?P<which>(?:[\w-]+\s+){0,3}?invoices)\s+by\s+"
    r"(?:the\s+|their\s+)?(?:open\s+|outstanding\s+|remaining\s+|unpaid\s+)?(?:balances?|amount\s+(?:still\s+)?(?:owed|due|"
    r"outstanding|left)|outstanding\s+amount|amount\s+unpaid)\b(?P<rest>.*)$",
    re.I,
)
# "list em + when we last touched them", "show those with their last contact date"
_WITH_LAST_TOUCH = re.compile(
    r"(?<=\w)\s*(?:\+|\band\b|\bwith\b|\bw/|,)\s*(?:(?:when|the\s+date)\s+(?:we|i|you|someone|anyone)\s+last\s+(?:touched|contacted|"
    r"spoke\s+(?:to|with)|talked\s+to|called|heard\s+from)\s+(?:them|each(?:\s+one)?)|(?:their|the|its)\s+last\s+(?:touch|contact)"
    r"(?:ed)?(?:\s+dates?)?)\W*$",
    re.I,
)


def _plus_a_column(text: str) -> str:
    """ "Glacier College invoices this year + status", "deals over 100k + owner": a field added to the records'
    list ("with its status"), never a split by it; "revenue by region + segment" (a split said before) is two."""
    from tools.reports.lexicon import lexicon

    def column(m: re.Match) -> str:
        before = text[: m.start()]
        senses = lexicon().get(m.group(1).strip().lower()) or ()
        said_before = re.findall(r"[a-z]+", before.lower())[-1:]
        if said_before and any(s.kind == "dim" for s in lexicon().get(said_before[0]) or ()):
            return m.group(0)  # "- reason + owner": two columns named, read as a list of them
        if re.search(r"\b(?:by|per|each|with|including)\b|\bw/", before, re.I) or not senses:
            # ("revenue by region + segment": two splits; "w/ amount + reason": a list of columns already)
            return m.group(0)
        if all(s.kind == "dim" for s in senses):
            return f" with {m.group(1)}{m.group(2)}"
        return m.group(0)

    # ("5 biggest open deals + what stage theyre in": that field)
    text = re.sub(
        r"\+\s+(?:what|which)\s+([a-z]+)\s+(?:they'?re|theyre|they\s+are|it'?s|it\s+is)\s+(?:in|at|on)\b",
        r"+ \1",
        text,
        flags=re.I,
    )
    return re.sub(r"(?<=\w)\s+\+\s+([a-z][a-z ]*?)\s*([,?.;!]|$)", column, text, flags=re.I)


# what a long message says before its question ("I have a call with Acme at 3 -", "Patricia wants to know how bad
# EMEA looks before the regional review -", "prepping for the Maple Street renewal call -"): why the asker asks
