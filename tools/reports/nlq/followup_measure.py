"""Follow-ups about the measure: the one a follow-up names read against the previous one ("who owes the
most of that?" keeps the overdue amount), the count behind an amount ("across how many invoices?"), a
count as a rate, a share of all, and the next one in a ranking ("and the 2nd biggest?").
"""

from __future__ import annotations

import re

from crmbot.words import ORDINALS
from tools.reports import semantic
from tools.reports.nlq.asks import TWO_COUNTS
from tools.reports.nlq.followup_words import GENERIC_RECORD_WORDS, filters_said, in_total
from tools.reports.nlq.kinds import GENERIC_METRICS, VERB_MEASURES, single_value_condition
from tools.reports.nlq.types import Reading
from tools.reports.query import Filter, Query

# the count of a base's records, for "how many" after an average over them (CSAT: tickets)
_BASE_COUNT = {"deals": "deals", "leads": "leads", "support_tickets": "tickets", "invoices": "invoices"}


# "how many deals did my team win this q, and what's the avg size": the count with its records' average
WITH_AVERAGE = re.compile(
    r"(?:\band|\+|,)\s+(?:what'?s\s+|whats\s+|what\s+is\s+|what\s+was\s+)?(?:the\s+|their\s+)?(?:avg|average|mean)\s+"
    r"(?:size|amount|value|deal\s+size|deal)\b"
)


def average_of(metric) -> str | None:
    """The average amount of the records a count counts (deals won: the average deal size)."""
    model = semantic.model()
    if metric.format != "count" or not metric.amount_metric:
        return None
    amount = model.metric(metric.amount_metric)
    return next(
        (
            m.name
            for m in model.metrics
            if m.base == amount.base
            and m.aggregate == "avg"
            and m.column == amount.column
            and {str(c) for c in m.conditions} == {str(c) for c in amount.conditions}
        ),
        None,
    )


_RECORD_NOUN_BASE = {
    "deal": "deals",
    "opp": "deals",
    "opportunity": "deals",
    "opportunitie": "deals",
    "invoice": "invoices",
    "bill": "invoices",
    "payment": "payments",
    "ticket": "support_tickets",
    "lead": "leads",
    "activity": "activities",
    "activitie": "activities",
    "call": "activities",
    "meeting": "activities",
    "email": "activities",
}


def count_bound_target(bound, metric, base: str, grouped: bool) -> str | None:
    """Where "reps with 35+ closed deals" bounds a split: each group's figure when the figure counts those records
    ("metric"), each group's number of the records a rate or an average is over ("records"), or None (a bound on one
    total, on an amount, or on records the figure is not over: not read here)."""
    if not grouped:
        return None
    if metric.format == "count":
        return "metric"
    if metric.aggregate not in ("rate", "avg", "ratio") or bound.op == "eq":
        # ("a 1-star CSAT on a ticket": a rating, never "accounts with exactly one ticket")
        return None  # ("customers with more than 1 overdue invoice": those invoices counted, read elsewhere)
    noun = (bound.records or "").lower().rstrip("s")
    return "records" if _RECORD_NOUN_BASE.get(noun) == base else None


def count_of(metric, base: str, query: Query) -> str | None:
    """The count of the records ``metric`` is measured over: its own count metric, a count with the
    same conditions, or the base's count with those conditions as filters (outstanding: the number
    of invoices in status sent). None when its conditions can't be said as filters."""
    model = semantic.model()
    if metric.count_metric:
        return metric.count_metric
    same = [
        m
        for m in model.metrics
        if m.base == base and m.aggregate == "count" and conditions_of(m) == conditions_of(metric)
    ]
    if same:
        return same[0].name
    plain = _BASE_COUNT.get(base)
    if plain is None:
        return None
    filters = []
    for c in metric.conditions:
        dim = next((d for d, cols in model.dimension_columns.items() if cols.get(base) == c.column), None)
        if dim is None or c.op not in ("eq", "in"):
            return None
        filters.append(Filter(dim, [c.value] if c.op == "eq" else list(c.value)))
    named = {f.dimension for f in query.filters}
    query.filters += [f for f in filters if f.dimension not in named]
    return plain


def count_behind(b, previous: Query, metric: str, also: list[str] | None = None) -> Reading | None:
    """ "and how many deals does that come from?", "across how many invoices?" after an amount: the
    number of the very records behind the previous figure (its period, owner and filters kept)."""
    model = semantic.model()
    old = model.metric(previous.metric)
    if metric not in GENERIC_RECORD_WORDS or model.base_of(metric) != model.base_of(old):
        return None
    if (
        old.aggregate in ("count", "count_distinct")
        or previous.list_records
        or previous.compare_to is not None
        or previous.group_by
        or in_total(b)  # "how many deals in total is that" after a split: refine's one figure
    ):
        return None
    if not (b.has_marker("count") and (b.follow.refers or _ACROSS.search(b.raw))):
        return None
    said = filters_said(b, previous.metric, model.base_of(old))
    if said is None:
        return None  # a word that can't apply there: the full reading says why
    query = previous.copy()
    query.replace_filters(said)  # "how many of those invoices are net 30": those, narrowed
    counted = count_of(old, model.base_of(old), query)
    if counted is None:
        return None
    # "and how many payments was that + the avg payment size": a measure asked beside the count stays
    beside = [a for a in also or [] if model.base_of(a) == model.base_of(counted) and a != counted]
    # "how many deals was that and whats the avg size" after bookings: the count and those deals' average size
    averaged = average_of(model.metric(counted)) if WITH_AVERAGE.search(b.raw) else None
    if averaged and averaged not in beside:
        beside.append(averaged)
    query.metric, query.aggregate, query.also = counted, None, beside
    return Reading(
        query, b.notes + [f"counted the {model.base_label(model.base_of(old))} behind {old.label}"]
    )


_ACROSS = re.compile(r"\b(?:across|over|from|behind|make\s+up|made\s+up)\b")


def keep_previous_metric(b, previous: Query, metric: str) -> str:
    """The measure a follow-up names, read against the previous one.

    "who owes the most of that?" after the overdue amount: "owe" names the broader outstanding,
    but "that" is the overdue amount, so the previous measure stays (unless "... or not").
    "how many deals is that" after bookings: the count of the same deals (deals won), not of all
    deals; "and the amount still owed on them" after overdue invoices: their overdue amount."""
    model = semantic.model()
    new, old = model.metric(metric), model.metric(previous.metric)
    # "and within EMEA, which three accounts owe the most?" after the overdue amount by region: "owe" is said
    # of the overdue amount too, so the thread's measure stays
    owed_verb_only = (
        b.follow.any
        and old.name != new.name
        and old.base == new.base
        and new.format == old.format == "money"
        and not _named_outright(b, new.name)
        and any(m.phrase in _OWING for m in b.mentions)
        # ("and total they owe incl. not yet due?": all they owe, not only the overdue part)
        and not _all_owed(b)
    )
    if not (b.follow.figure or b.follow.refers or owed_verb_only) or b.follow.or_not:
        return metric
    if _all_owed(b):
        return metric  # "and total they owe?" after their overdue amount: everything they owe
    if TWO_COUNTS.search(b.raw):
        return metric  # "how many deals did we close last quarter, and how many of those were won": its own "those"
    if new.name == old.name or new.base != old.base:
        return metric
    if (
        new.name in GENERIC_METRICS
        and old.aggregate in ("rate", "ratio", "avg")
        and re.search(r"\bwhat\s+(?:was|is|were)\s+(?:it|that)\s+(?:for|among|on|across|with)\b", b.raw)
        and not b.has_marker("count")
    ):
        return (
            old.name
        )  # "ok so what was it for leads that came in during 2025" after the conversion rate: that rate
    if (
        new.format == "count"
        and old.format == "money"
        and re.search(r"\bhow\s+much\b", b.raw)
        and not re.search(r"\bhow\s+many\b", b.raw)
    ):
        return (
            old.name
        )  # "how much of that came in by bank transfer?" after cash collected: that money, not a count
    if _plain(new) and new.aggregate == "count" and old.count_metric:
        return old.count_metric  # the same records, counted
    if _plain(new) and new.format == "money" and old.amount_metric:
        return old.amount_metric  # the same records' money
    if _plain(new) and new.format == "money" and old.format == "money" and not _named_outright(b, new.name):
        return old.name  # "total?" after the overdue invoices with what is owed on each: that money, summed
    if new.name not in GENERIC_METRICS and not _plain(new) and _named_outright(b, new.name):
        return metric  # "what do they owe in total, outstanding": the word said, not the narrower one before
    if (
        previous.period is not None
        and new.aggregate == old.aggregate
        and new.column == old.column
        and conditions_of(new) == conditions_of(old)
        and new.time_column != old.time_column
    ):
        # "whats still owed on those in total" after the invoices due by Dec 31: owed on those, still placed in time by
        # their due date (the period was said of it), never by when they were issued
        return old.name
    if _plain(new) and conditions_of(new) < conditions_of(old) and _BROADER.search(b.raw):
        return metric  # "and how many accounts in total, prospects and churned ones included?" after customers: all
    for candidate in (old, model.metric(old.amount_metric) if old.amount_metric else None):
        if candidate is None:
            continue
        same_kind = candidate.format == new.format and candidate.aggregate == new.aggregate
        if same_kind and conditions_of(new) < conditions_of(candidate):
            return candidate.name
    return metric


_BROADER = re.compile(r"\ball\s+included\b|\bregardless\b|\bwhatever\s+(?:their|the)\s+(?:stage|status)\b")
_OWING = {"owe", "owes", "owed", "owing", "due", "money owed"}
_ALL_OWED = re.compile(
    r"\b(?:total|in\s+total|all\s+of\s+it|altogether|overall|everything)\b|\bnot\s+(?:yet\s+)?due\b|\bincl(?:uding|\.)?\s+current\b"
)


def _all_owed(b) -> bool:
    """ "and total they owe?" after an account's overdue amount: all it owes ("total owed on those" after a list of
    overdue invoices is the total of those)."""
    raw = b.raw.lower()
    return (
        bool(_ALL_OWED.search(raw))
        and any(m.phrase in _OWING for m in b.mentions)
        and not re.search(r"\b(?:on|of|for|across|in)\s+(?:those|these|them|the\s+list)\b", raw)
    )


def _named_outright(b, metric: str) -> bool:
    """Whether the measure is named by a noun of its own ("outstanding", "receivables") besides a verb
    any narrower measure shares ("owe", "due")."""
    return any(
        m.phrase not in _OWING and m.phrase not in VERB_MEASURES
        for m in b.mentions
        if any(s.kind == "metric" and s.name == metric for s in m.senses) and len(m.senses) == 1
    )


def conditions_of(metric) -> set:
    return {
        (c.column, c.op, tuple(c.value) if isinstance(c.value, list) else c.value) for c in metric.conditions
    }


def _plain(metric) -> bool:
    """A base's own count or sum ("deals", "deal amount"), without conditions of its own."""
    return not metric.conditions and metric.aggregate in ("count", "sum")


_NTH_BIGGEST = re.compile(
    r"\b(?:the\s+)?(2nd|second|3rd|third|4th|fourth|5th|fifth)[\s-]+(biggest|largest|highest|top|best|smallest|lowest|worst)\b"
)
_NEXT_ONE = re.compile(
    r"\b(?:the\s+)?one\s+(?:after|below|under)\s+(?:that|it|this)\b|\bthe\s+next\s+(?:one|biggest|largest)\b|"
    r"^\W*(?:and\s+|ok\s+|what\s+about\s+)?(?:the\s+)?next\s+one\b"
)
_THE_BIGGEST_ONE = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+)?(?:what\s+about\s+)?the\s+(biggest|largest|smallest|top)\s+one\b"
)


_AS_A_RATE = re.compile(
    r"^\W*(?:and\s+|ok\s+|now\s+|so\s+|can\s+you\s+(?:show|give)\s+(?:it|that|me\s+that)\s+)?(?:as|in)\s+(?:a\s+)?"
    r"(?:rate|%|percent(?:age)?|ratio)(?!\w)(?:\s+(?:pls|please|plz|instead|then|too))*\W*$"
)


def as_a_rate(b, previous: Query) -> Reading | None:
    """ "as a rate pls" after "how many of those converted": the same records, the share of them that did (the
    rate whose numerator is that count: converted leads -> lead conversion rate, deals won -> win rate)."""
    if not _AS_A_RATE.match(b.raw):
        return None
    model = semantic.model()
    count = model.metric(previous.metric)
    numerator = single_value_condition(count)
    if numerator is None:
        return None
    for rate in model.metrics:
        if (
            rate.aggregate == "rate"
            and rate.base == count.base
            and (str(rate.column), str(rate.rate_value)) == numerator
            and rate.time_column == count.time_column
        ):
            query = previous.copy()
            query.metric, query.also, query.thresholds = rate.name, [], []
            return Reading(query, b.notes + [f"{count.label} as a share: {rate.label}"])
    return None


_SHARE_OF_ALL = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|what\s+about)\W+)?(?:as\s+a\s+(?:share|percentage|%|proportion|fraction|percent)\s+of\s+"
    r"(?:all|the\s+total|total|everything|all\s+of\s+them)|what\s+(?:%|percent|percentage|share)\s+(?:is\s+that|of\s+all))\b"
)


def share_of_all(b, previous: Query) -> Reading | None:
    """ "as a share of all leads created this year?" after how many of this year's leads were disqualified: that count,
    the whole it is part of, and the share (the previous filters are the part; the period and owner stay on both)."""
    if not _SHARE_OF_ALL.match(b.raw) or previous.group_by or previous.list_records or previous.compare_to:
        return None
    model = semantic.model()
    if model.metric(previous.metric).aggregate not in ("count", "count_distinct") or not previous.filters:
        return None
    query = previous.copy()
    query.part_filters, query.filters, query.share = list(previous.filters), [], True
    return Reading(query, b.notes + ["those as a share of all of them"])


def next_in_ranking(b, previous: Query) -> Reading | None:
    """A row further down the previous ranking, or the top of the previous list: "what about the 2nd biggest,
    whose was that?" after the biggest deal won, "and the one after that?", "the biggest one - whats it worth"
    after a list of deals."""
    model = semantic.model()
    base = model.base_of(previous.metric)
    amount = model.amount_column(base)
    nth = _NTH_BIGGEST.search(b.raw)
    if nth and (previous.limit == 1 or previous.list_records) and previous.compare_to is None:
        query = previous.copy()
        query.limit, query.offset = 1, ORDINALS[nth.group(1)]
        query.order = "asc" if nth.group(2) in ("smallest", "lowest", "worst") else "desc"
        if query.list_records and not query.sort_column and amount:
            query.sort_column = amount
        return Reading(query, b.notes + [f"number {query.offset + 1} of the previous ranking"])
    if _NEXT_ONE.search(b.raw) and previous.limit == 1 and previous.order:
        query = previous.copy()
        query.offset = (query.offset or 0) + 1
        return Reading(query, b.notes + [f"number {query.offset + 1} of the previous ranking"])
    big = _THE_BIGGEST_ONE.search(b.raw)
    if big and previous.list_records and previous.limit is None and amount:
        query = previous.copy()
        query.limit, query.offset = 1, None
        query.order = "asc" if big.group(1) == "smallest" else "desc"
        query.sort_column = query.sort_column or amount
        return Reading(query, b.notes + [f"the {big.group(1)} of the previous list"])
    return None
