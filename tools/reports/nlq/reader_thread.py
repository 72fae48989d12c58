"""What a question takes from the thread before it is read, or after: the bucket named before ("accounts in
that bucket"), the records just shown ("why did we lose them"), a list's total ("total $ overdue?"), one
figure over the period shown ("in that time"), and the one value a name stood for in the last answer."""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.nlq.reader_lists import sort_by_named_column
from tools.reports.nlq.remarks import sort_asked
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Filter, Query
from tools.reports.timewords import find_grain

_IN_THAT_TIME = re.compile(
    r"\b(?:in|over|during|across)\s+(?:that|the\s+same|this)\s+(?:time|period|stretch|window|span|timeframe|time\s+frame)\b"
)


def in_that_time(reading, previous: Query | None, question: str) -> None:
    """ "how many churned in that time" after new customers per month this year: one figure over that period,
    not split by month again (unless a split is said)."""
    if not isinstance(reading, Reading) or previous is None or not previous.time_grain:
        return
    query, lowered = reading.query, question.lower()
    if not query.time_grain or not _IN_THAT_TIME.search(lowered) or find_grain(lowered)[0]:
        return
    query.group_by = [g for g in query.group_by if not g.startswith("time:")]
    reading.notes.append("one figure over that period")


_BOTH_PERIODS = re.compile(
    r"\b(?:both|the\s+two|each\s+of\s+the\s+two)\s+(?:quarters|qtrs|months|years|yrs|weeks|periods|halves)\b|"
    r"\bcompare\s+(?:the\s+two|both|them|those\s+two|these\s+two)\b|\b(?:the\s+two|both)\s+compared\b|"
    r"\bside\s+by\s+side\b.*\b(?:both|the\s+two)\b|\b(?:both|the\s+two)\b.*\bside\s+by\s+side\b"
)


def both_periods(reading, previous: Query | None, question: str, period_before: dict | None) -> None:
    """ "side by side per rep, both quarters" after this quarter's figure, then the same quarter last year's: the
    two periods compared (the later one first), not the last one alone."""
    from tools.reports.query import Period

    if not isinstance(reading, Reading) or previous is None or not period_before or previous.period is None:
        return
    query = reading.query
    if (
        query.compare_to is not None
        or query.period != previous.period
        or not _BOTH_PERIODS.search(question.lower())
    ):
        return
    if query.metric != previous.metric:
        return
    reading.notes.append(_both_compared(query, Period.from_dict(period_before)))


_GROWTH_ONLY = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|then)\W+)*(?:(?:what'?s|whats|what\s+is|what\s+was|show(?:\s+me)?|give\s+me)\s+)?"
    r"(?:the\s+)?(?:growth|change|difference|diff|delta|increase|uplift)(?:\s+(?:then|there|between\s+them|"
    r"between\s+the\s+two|in\s+%|%|pct))?\s*[?.!]*$"
)


def growth_between(question: str, previous: Query | None, period_before: dict | None) -> Reading | None:
    """ "so whats the growth" after Q3's bookings, then Q3 last year's: the two periods the thread showed, compared
    (the later one first), with the change."""
    from tools.reports.query import Period

    if previous is None or not period_before or previous.period is None or previous.compare_to is not None:
        return None
    if previous.list_records or previous.also or not _GROWTH_ONLY.match(question.lower()):
        return None
    before = Period.from_dict(period_before)
    if (before.start, before.end) == (previous.period.start, previous.period.end):
        return None
    query = previous.copy()
    return Reading(query, [_both_compared(query, before)])


def _both_compared(query: Query, before) -> str:
    """The query's period and the one shown before it compared, the later first; the note that says so."""
    later, earlier = (
        (before, query.period)
        if (before.start or before.end) > (query.period.start or query.period.end)
        else (query.period, before)
    )
    query.period, query.compare_to = later, earlier
    query.order, query.limit = None, None
    return f"{later.label} vs {earlier.label}, the two periods asked"


def measure_of_the_values(reading, previous: Query | None, question: str, today) -> None:
    """ "and whats still open for me, total $" after my bookings: the open stages named are another measure's own
    (open pipeline), so that measure, not bookings filtered to stages it never counts. A period carried from before
    is dropped where the new measure looks ahead (expected close) and the message names none."""
    from tools.reports.build import fixed_values, outside_the_measure, same_sum
    from tools.reports.timewords import find_period

    if not isinstance(reading, Reading) or previous is None:
        return
    query = reading.query
    model = semantic.model()
    current = model.metric(query.metric)
    base = model.base_of(current)
    lowered = question.lower()
    if (
        current.forward_looking
        and not model.metric(previous.metric).forward_looking
        and query.period is not None
        and previous.period is not None
        and query.period.start
        == previous.period.start  # (carried: a forward measure runs it to the period's end)
        and find_period(lowered, today)[0] is None
    ):
        # "and whats still open in my pipeline" after what I closed this quarter: open now, not expected to close in
        # the days of this quarter already behind us
        query.period, query.compare_to = None, None
        reading.notes.append(f"{current.label}: open now, whatever its expected close date")
    if any(re.search(rf"\b{re.escape(w.lower())}\b", lowered) for w in (current.label, *current.synonyms)):
        return  # the measure named outright ("bookings in negotiation?"): its own answer says why it has none
    for f, column, _ in list(outside_the_measure(model, current.conditions, base, query.filters)):
        values = {str(v) for v in f.values}
        same = [
            m for m in same_sum(model, current, current.base) if fixed_values(m.conditions, column) == values
        ]
        if not same:
            continue
        query.metric = same[0].name
        query.filters.remove(f)
        if (
            same[0].forward_looking
            and query.period is not None
            and find_period(question.lower(), today)[0] is None
        ):
            query.period, query.compare_to = None, None
        reading.notes.append(f"{same[0].label}: the {model.base_label(base)} in {', '.join(sorted(values))}")
        return


_LIST_THEM = re.compile(
    r"^\W*(?:(?:ok|okay|and|pls|please|now|just|can\s+you|could\s+you)\s+)*(?:list|show|give\s+me|pull\s+up|display)\s+"
    r"(?:me\s+)?(?:them|those|these|em|'em|it\s+all|them\s+all)(?:\s+(?:again|pls|please|out))?\W*$"
)


def listed_again(question: str, previous: Query | None) -> Reading | None:
    """ "list em" right after a list: the same records again (never "which number?")."""
    if previous is None or not previous.list_records or not _LIST_THEM.match(question.lower()):
        return None
    return Reading(previous.copy(), ["the same records"])


def shares_of_each(question: str, previous: Query | None) -> Reading | None:
    """ "as a share of total overdue?", "and what share of the total was each?" after a figure split by region: each
    row's share of the whole, the same figure otherwise."""
    if (
        previous is None
        or previous.share
        or previous.list_records
        or previous.compare_to
        or not [g for g in previous.group_by if not g.startswith("time:")]
        or not _SHARE_OF_EACH.match(question.lower())
    ):
        return None
    query = previous.copy()
    query.share, query.order, query.limit = True, None, None
    return Reading(query, ["each row's share of the total"])


_SHARE_OF_EACH = re.compile(
    r"^\W*(?:(?:and|ok|so|now|then|also)\W+)*(?:(?:what|which)\s+(?:share|%|percent(?:age)?|proportion|fraction)\s+of\s+"
    r"(?:the\s+)?(?:total|whole|all\s+of\s+it|it)\b[^?]{0,25}?(?:was|is|were|are|does|did|do)?\s*(?:each|each\s+one|they|that)?|"
    r"(?:as\s+)?(?:a\s+)?(?:share|%|percent(?:age)?|proportion|fraction)\s+of\s+(?:the\s+)?(?:total|whole|all)\b[^?]{0,25}|"
    r"(?:what|which)\s+%\s+(?:is|was)\s+each(?:\s+one)?|(?:as|in)\s+(?:a\s+)?(?:%|percent(?:ages?)?|shares?))\s*[?.!]*\s*$"
)


_ANOTHER_SPAN = re.compile(
    r"^\W*(?:(?:and|what\s+about|how\s+about|ok|okay|now|same\s+for|same\s+but)\s+)*(?:in|for|over|at|with|within)?\s*"
    r"(?:the\s+)?(?:last\s+|past\s+)?(\d{1,4})\s*(day|week|month)s?(?:\s+instead)?\W*$"
)


def inactivity_again(question: str, previous: Query | None, today) -> Reading | None:
    """ "and in 30 days?" after "customers not contacted in 90 days": the same question with 30 days."""
    from dataclasses import replace

    from tools.reports.nlq.cues import days_back

    said = _ANOTHER_SPAN.match(question.lower())
    if said is None or previous is None:
        return None
    if not any(c.kind == "not_contacted_days" for c in previous.conditions):
        return None
    days = days_back(today, int(said.group(1)), said.group(2))
    query = previous.copy()
    query.conditions = [
        replace(c, days=days) if c.kind == "not_contacted_days" else c for c in previous.conditions
    ]
    return Reading(query, [f"not contacted in {days} days, as before"])


_BY_BALANCE = re.compile(
    r"^\W*(?:(?:ok|okay|now|and|so|just|show\s+me|give\s+me)\s+)*(?:the\s+)?(?:(top|biggest|largest|bottom|smallest)\s+)?"
    r"(\d{1,3})?\s*(?:(biggest|largest|smallest)\s+)?(?:ones\s+|of\s+(?:those|them|these|the\s+[\w-]+\s+ones)\s+)?"
    r"(?:by|on)\s+(?:the\s+|their\s+)?(?:open\s+|outstanding\s+|remaining\s+|unpaid\s+)?"
    r"(?:balances?|amount\s+(?:still\s+)?(?:owed|outstanding|unpaid)|what'?s\s+(?:still\s+)?owed)"
    r"(?:\s+(?:owed|due|left|outstanding))?"
    # ("... by remaining balance - invoice #, company, balance": the columns a list of invoices shows)
    r"(?:\s*[-—–:,]\s*[\w#&, ]{0,60})?\W*$"
)


def ranked_by_balance(question: str, previous: Query | None) -> Reading | None:
    """ "top 5 by balance", "top 5 by outstanding balance" after a list of invoices: those invoices, by what is still
    owed on each (not the accounts ranked by what they owe, nor a split "by balance")."""
    from tools.reports.build import BALANCE

    said = _BY_BALANCE.match(question.lower())
    model = semantic.model()
    if said is None or previous is None or model.base_of(previous.metric) != "invoices":
        return None
    counted = model.metric(previous.metric).aggregate in ("count", "count_distinct") and not previous.group_by
    if not (previous.list_records or counted) or not (said.group(1) or said.group(2) or said.group(3)):
        return None
    # ("the 3 biggest of the latam ones by remaining balance" after how many overdue invoices are in LATAM: those)
    query = previous.copy()
    query.list_records, query.also = True, []
    query.sort_column = BALANCE
    query.order = "asc" if (said.group(1) or said.group(3)) in ("bottom", "smallest") else "desc"
    query.limit = int(said.group(2)) if said.group(2) else query.limit
    return Reading(query, ["those invoices by the balance still owed on each"])


_THAT_BUCKET = re.compile(r"\b(?:(?:in|from)\s+)?(?:that|this|the\s+same)\s+bucket\b|\bin\s+there\b", re.I)
_A_BUCKET = re.compile(r"(?:\b(?:90\s*\+|61\s*-\s*90|31\s*-\s*60|1\s*-\s*30)(?:\s+days?)?\s+bucket)", re.I)
_ACCOUNTS_RANKED = re.compile(
    r"\b(?:accounts|customers|companies|clients|who)\b.*\b(?:biggest|largest|most|top|highest)\b|"
    r"\b(?:biggest|largest|most|top|highest)\b.*\b(?:accounts|customers|companies|clients)\b",
    re.I,
)


def the_bucket_said(question: str, previous: Query | None) -> str:
    """ "top 10 accounts in that bucket by amount", "who are the 5 biggest in there?" after the 90+ bucket: that
    bucket, by name, and its accounts ranked by what they owe there (an amount in a bucket is what is owed)."""
    bucket = next(
        (
            f.values[0]
            for f in (previous.filters if previous else [])
            if f.dimension == "aging_bucket" and len(f.values) == 1
        ),
        None,
    )
    if bucket is not None:
        question = _THAT_BUCKET.sub(f" in the {bucket} bucket", question)
    found = _A_BUCKET.search(question)
    if not found or not _ACCOUNTS_RANKED.search(question):
        return question
    said = re.sub(
        r"\bby\s+(?:the\s+)?(?:amount|\$|value|balance|size|dollars)\b",
        "by outstanding",
        question,
        flags=re.I,
    )
    if said != question or re.search(
        r"\bby\s+\w|\b(?:owe|owes|owed|owing|outstanding|overdue)\b", question, re.I
    ):
        return said  # the measure is said ("who owes the most in the 90+ bucket")
    said = question[: found.end()] + " by outstanding" + question[found.end() :]
    if re.match(r"\W*who\b", said, re.I) and not re.search(
        r"\b(?:accounts|customers|companies|clients)\b", said, re.I
    ):
        said = re.sub(
            r"\b(biggest|largest)\b", r"\1 accounts", said, count=1, flags=re.I
        )  # "who are the 5 biggest"
    return said


_TOTAL_ALONE = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+|okay\s+)?(?:what'?s\s+|whats\s+|what\s+is\s+)?(?:the\s+)?(?:grand\s+)?(?:total|sum)\b"
    r"(?:\s+(?:\$|amount|value|dollars))?(?:\s+[\w$]+){0,2}\s*[?.!]*\s*$"
)


def total_of_the_list(reading, previous: Query | None, question: str) -> None:
    """ "total $ overdue?" right after "any overdue invoices on our team's accounts? list em": the total of that
    list (its filters and whose), not everyone's."""
    if not isinstance(reading, Reading) or previous is None or not previous.list_records:
        return
    query, model = reading.query, semantic.model()
    if (
        query.list_records
        or query.group_by
        or query.filters
        or query.owner
        or query.period
        or query.compare_to
    ):
        return
    if not _TOTAL_ALONE.match(question.lower()) or model.base_of(query.metric) != model.base_of(
        previous.metric
    ):
        return
    query.filters, query.owner, query.period = list(previous.filters), previous.owner, previous.period
    query.conditions = list(previous.conditions) or query.conditions
    if previous.filters or previous.owner or previous.period:
        reading.notes.append("the total of the list above")


_TOTAL_ACROSS = re.compile(
    r"\b(?:total|overall|altogether|combined|in\s+all|all\s+together|grand\s+total)\b.*\bacross\s+(?:all\s+(?:of\s+)?)?"
    r"(?:(?:my|our|the|his|her|their)\s+)?(?:accounts|customers|clients|companies|them|those|these|reps|regions|teams)\b|"
    r"\bacross\s+(?:all\s+(?:of\s+)?)?(?:(?:my|our|the)\s+)?(?:accounts|customers|clients|companies|them|those)\b.*"
    r"\b(?:total|overall|altogether|combined|in\s+all)\b"
)


def total_across(reading, previous: Query | None, question: str) -> None:
    """ "ok and whats the total outstanding across all my accounts" after what each of them owes: one figure, not the
    split kept from the answer before."""
    if not isinstance(reading, Reading) or previous is None or not previous.group_by:
        return
    query = reading.query
    if (
        query.group_by != previous.group_by
        or query.list_records
        or re.search(r"\b(?:by|per|each)\b", question.lower())
    ):
        return
    if not _TOTAL_ACROSS.search(question.lower()):
        return
    query.group_by, query.order, query.limit = [], None, None
    reading.notes.append("one total across them")


_THOSE_RECORDS = re.compile(r"\b(?:them|those|these|they|each(?:\s+one)?)\b")


def the_records_shown(reading, previous: Query | None, question: str) -> None:
    """ "why did we lose them" after the 5 biggest deals lost this year: those five, with their reason (the same
    records read again keep the previous ranking and cut, never every record of the period)."""
    if (
        not isinstance(reading, Reading)
        or previous is None
        or not previous.limit
        or not previous.list_records
    ):
        return
    query = reading.query
    same = (
        query.list_records
        and query.metric == previous.metric
        and query.limit is None
        and query.order is None
        and query.filters == previous.filters
        and query.period == previous.period
    )
    if same and _THOSE_RECORDS.search(question.lower()):
        query.order, query.limit, query.sort_column = previous.order, previous.limit, previous.sort_column
        reading.notes.append(f"the {previous.limit} shown before")


def still_a_list(reading, previous: Query | None, question: str) -> None:
    """ "just the overdue ones", "which ones are past due?" after an account's unpaid invoices listed: those records
    narrowed, listed again, never one total of them."""
    if not isinstance(reading, Reading) or previous is None or not previous.list_records:
        return
    query, model = reading.query, semantic.model()
    text = question.lower()
    if (
        query.list_records
        or query.group_by
        or query.compare_to
        or model.base_of(query.metric) != model.base_of(previous.metric)
        or not _THE_ONES.search(text)
        or re.search(r"\b(?:how\s+(?:many|much)|total|sum|count|number|add\s+up|altogether)\b", text)
        or model.lists.get(model.base_of(query.metric)) is None
    ):
        return
    query.list_records = True
    sorted_by = _SORTED_BY.search(text)
    measured = model.metric(query.metric)
    if (
        sorted_by
        and query.metric != previous.metric
        and measured.column
        and measured.aggregate in ("sum", "avg", "max", "min")
    ):
        # "ok now the same for NA East, sorted by amount" after a list of deals: those deals, by their amount
        query.sort_column, query.metric = measured.column, previous.metric
        query.order = "asc" if re.search(r"\b(?:asc|ascending|smallest|lowest|least)\b", text) else "desc"
    reading.notes.append("the records of the list above, narrowed")
    said = sort_asked(text)
    if said and not query.sort_column:  # "sort them oldest due date first": the list in that column's order
        sort_by_named_column(reading, *said)


_SORTED_BY = re.compile(r"\b(?:sorted|sort|ordered|order|ranked|rank)\s+(?:them\s+|it\s+|those\s+)?by\b")
_THE_ONES = re.compile(
    r"\b(?:sorted|sort|ordered|order|ranked)\s+(?:them\s+|it\s+|those\s+)?by\b|\b(?:which|what)\s+ones\b|\b(?:just|only)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?ones\b|^\W*(?:and\s+)?(?:just|only)\s+(?:the\s+)?"
    r"(?:overdue|unpaid|open|paid|late|past\s+due|won|lost|urgent|high|new)\b"
)


_THERE = re.compile(
    r"\b(?:there|in\s+(?:it|that\s+one)|that\s+(?:one|region|team|country|industry|segment|source))\b"
)


def in_the_one_shown(reading, previous: Query | None, question: str, focus: dict | None) -> None:
    """ "how many deals did we lose there this qtr" after "which one's lowest" (EMEA, of the win rate by region): in
    that region, not the regions ranked again by the new measure."""
    if (
        not isinstance(reading, Reading)
        or previous is None
        or previous.limit != 1
        or not _THERE.search(question.lower())
    ):
        return
    query = reading.query
    shown = (focus or {}).get("shown") or {}
    if len(query.group_by) != 1 or query.group_by != previous.group_by or query.limit != 1:
        return
    values = shown.get(query.group_by[0]) or []
    if len(values) != 1 or any(f.dimension == query.group_by[0] for f in query.filters):
        return
    query.filters.append(Filter(query.group_by[0], [values[0]]))
    query.group_by, query.order, query.limit = [], None, None
    reading.notes.append(f"in {values[0]}, the one shown")


def one_shown_before(reading, focus: dict | None, previous: Query | None = None) -> tuple[str, str] | None:
    """The one value a name that matches several stands for, when only it was a row of the previous answer, or
    what the previous question was about ("how much of Sara's is in negotiation" after "and Sara Romano?")."""
    if not (
        isinstance(reading, Refusal) and reading.kind == "clarify" and reading.phrase and reading.choices
    ):
        return None
    shown = [
        str(v)
        for key in ("ranked", "shown")
        if isinstance((focus or {}).get(key), dict)
        for values in focus[key].values()
        for v in values
    ]
    shown += [str(v) for f in (previous.filters if previous else []) if not f.negate for v in f.values]
    among = [c for c in reading.choices if c in shown]
    return (reading.phrase, among[0]) if len(among) == 1 else None


_RANK_AGAIN = re.compile(r"\b(?:re-?)?rank(?:ed)?\s+(?:them\s+|it\s+|that\s+|those\s+)?by\b")


def rank_again(reading, previous: Query | None, question: str) -> None:
    """ "now rank by number of deals won instead, top 5" after the top 5 reps by bookings: the same reps' ranking by
    the new measure, not a list of deals."""
    if not isinstance(reading, Reading) or previous is None or not previous.group_by or previous.list_records:
        return
    query, lowered = reading.query, question.lower()
    if (
        query.group_by
        or not _RANK_AGAIN.search(lowered)
        or not re.search(r"\b(?:instead|now)\b", lowered)
        or re.search(
            r"\blist\b|:", lowered
        )  # ("list the invoices ...: number, company - sorted by ..."): records
    ):
        return
    model = semantic.model()
    base = model.base_of(query.metric)
    if any(model.dimension_for(g, base) is None for g in previous.group_by if not g.startswith("time:")):
        return
    query.group_by, query.list_records, query.columns, query.sort_column = (
        list(previous.group_by),
        False,
        [],
        None,
    )
    query.order = query.order or "desc"
    query.limit = query.limit or previous.limit
    reading.notes.append(
        f"ranked by {model.metric(query.metric).label}, by {', '.join(previous.group_by)} as before"
    )


def those_accounts_kept(reading, previous: Query | None, question: str) -> None:
    """ "which of those have an open deal?" after my customers with a health score under 60: the open deals of those
    accounts (their bound and stage kept where the new records reach them), never of all my accounts."""
    if (
        not isinstance(reading, Reading)
        or previous is None
        or not (_OF_THE_ONES_SHOWN.search(question.lower()) or _EACH_OF_THEM.search(question.lower()))
    ):
        return
    model, query = semantic.model(), reading.query
    base = model.base_of(query.metric)
    if base == model.base_of(previous.metric) or previous.group_by[:1] != ["customer"]:
        return
    if "customer" not in query.group_by and not query.list_records:
        return
    kept = []
    for c in previous.thresholds:
        if (
            c.target == "column"
            and c.column
            and model.reachable(base, c.column.split(".")[0])
            and c not in query.thresholds
        ):
            query.thresholds.append(c)
            kept.append(c.hint or c.column)
    said = {f.dimension for f in query.filters}
    for f in previous.filters:
        if f.dimension not in said and model.dimension_for(f.dimension, base) is not None:
            query.filters.append(f)
            kept.append(f.dimension)
    if previous.owner is not None and query.owner is None:
        query.owner = previous.owner
    if kept:
        reading.notes.append(f"among those: {', '.join(kept)} as before")


def others_than_the_one_shown(reading, previous: Query | None, question: str) -> None:
    """ "what other customers this person has with high churn risk?" after who owns Synapse Analytics: that person's
    accounts but Synapse Analytics."""
    if not isinstance(reading, Reading) or previous is None or not _OTHER.search(question.lower()):
        return
    one = [f for f in previous.filters if f.dimension == "customer" and not f.negate and len(f.values) == 1]
    query, model = reading.query, semantic.model()
    if (
        len(one) != 1
        or any(f.dimension == "customer" for f in query.filters)
        or model.dimension_for("customer", model.base_of(query.metric)) is None
    ):
        return
    query.filters.append(Filter("customer", list(one[0].values), negate=True))
    reading.notes.append(f"other than {one[0].values[0]}")


_OTHER = re.compile(r"\bother\s+(?:customers|accounts|clients|companies|custs|accts)\b")
# "how much does each of them have overdue with us" after the customers with a health score under 35
_EACH_OF_THEM = re.compile(
    r"\beach\s+(?:one\s+)?of\s+(?:them|those|these)\b|\bfor\s+each\s+of\s+(?:them|those)\b"
)
_OF_THE_ONES_SHOWN = re.compile(
    r"\b(?:which|what|how\s+many|who)\s+(?:ones\s+)?(?:of|among)\s+(?:the|those|these)\b"
)


def of_the_ones_shown(reading, previous: Query | None, question: str) -> None:
    """ "which of the price losses were over 100k?" after deals lost last quarter by reason: among those, so in
    that quarter (and for whoever they were), never every price loss ever."""
    if (
        not isinstance(reading, Reading)
        or previous is None
        or not (_OF_THE_ONES_SHOWN.search(question.lower()) or _EACH_OF_THEM.search(question.lower()))
    ):
        return
    query, model = reading.query, semantic.model()
    if model.base_of(query.metric) != model.base_of(previous.metric):
        return
    # ("how many of those have churned since" after the new customers of 2025: the period picked those accounts by
    # their own date, kept as a condition; their churn is whenever it came)
    cohort = any(c.kind == "dated" for c in query.conditions)
    if previous.period is not None and query.period is None and query.compare_to is None and not cohort:
        query.period = previous.period
        reading.notes.append(f"among those: {previous.period.label}")
    if previous.owner is not None and query.owner is None:
        query.owner = previous.owner
    said = {f.dimension for f in query.filters}
    query.filters += [f for f in previous.filters if f.dimension not in said]


_LIST_THE = re.compile(
    r"^\W*(?:(?:ok|okay|and|now|so|then)\W+)*(?:list|show|pull|give)\s+(?:me\s+)?(?:the|their|its)\s+"
)


def the_accounts_records(reading, previous: Query | None, question: str) -> None:
    """ "list the open invoices w/ due dates" after what Pacifica Insurance owes in total: that account's invoices, never
    every account's."""
    lowered = question.lower()
    if not isinstance(reading, Reading) or previous is None or not _LIST_THE.search(lowered):
        return
    if re.search(r"\b(?:all|every|everyone|everybody|company[\s-]wide|across)\b", lowered):
        return  # "list the open invoices for all accounts": everyone's, as said
    query, model = reading.query, semantic.model()
    one = [f for f in previous.filters if f.dimension == "customer" and not f.negate and len(f.values) == 1]
    if (
        len(one) != 1
        or not query.list_records
        or query.owner is not None
        or any(f.dimension == "customer" for f in query.filters)
        or model.base_of(query.metric) != model.base_of(previous.metric)
    ):
        return
    query.filters.append(one[0])
    reading.notes.append(f"kept the previous account ({one[0].values[0]})")
