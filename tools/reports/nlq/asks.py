"""Every measure a question names is answered, or asked about: none is dropped on the way.

"What's the total lifetime value of our customers, and the predicted 12-month LTV next to it?" names
two measures. The reader's rules pick the main measure and, where they recognise the shape, put the
others beside it. A shape they don't recognise must not lose a measure silently: the answer would
be a figure for part of the question. This check runs on the finished reading. A measure the
question names outright that the answer leaves out is put beside the main one when the two can be
answered together (same records, or one figure each). Otherwise the person is asked which to
answer first.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.nlq.kinds import GENERIC_METRICS, VERB_MEASURES
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.nlq.words import Mention
from tools.reports.query import Query

MAX_BESIDE = 2  # measures shown beside the main one


# a measure the reader answers with another on purpose: "when did Acme churn" is the date, not a count of one
_SAID_FOR = {
    "churn_date": {"churned_customers"},
    "customer_since": {"new_customers"},
    "churned_customers": {"deals_lost"},  # "how many custs did we lose": churned, the verb is no lost deal
    "new_customers": {"deals_won"},  # "customers we won"
}


def _related(name: str) -> set[str]:
    """A measure and the ones over the very same records (its count, its amount)."""
    model = semantic.model()
    metric = model.metric(name)
    related = {name, metric.count_metric, metric.amount_metric, *_SAID_FOR.get(name, ())}
    for other in model.metrics:  # "overdue" said for the overdue amount, "won" for bookings
        if name in (other.count_metric, other.amount_metric):
            related.add(other.name)
    for combo in model.file.combinations:  # "overdue" + "invoices" read as the overdue invoices
        if combo.metric == name:
            related.update(combo.parts)
    return {r for r in related if r}


def _counted_outright(mention: Mention, tokens: list[str] | None) -> bool:
    """ "region, # won deals, bookings": a count asked as such ("number of", "how many", "count of" before it)."""
    if not tokens or mention.start < 2:
        return False
    return tuple(tokens[mention.start - 2 : mention.start]) in (
        ("number", "of"),
        ("how", "many"),
        ("count", "of"),
    )


def dropped_measures(
    reading: Reading, mentions: list[Mention], consumed: set[str], tokens: list[str] | None = None
) -> list[str]:
    """The measures named outright (words that mean a measure and nothing else) that the answer
    leaves out. ``consumed``: measures the reader used in another role (a lifecycle, a verb)."""
    query = reading.query
    if query.list_records:
        return []  # a list's measures are its columns, read with the list
    model = semantic.model()
    narrowed = query.filters or query.conditions or query.thresholds
    answered: set[str] = set()
    for name in (query.metric, *query.also):
        if name:
            answered |= _related(name)
    dropped: list[str] = []
    for mention in mentions:
        names = [s.name for s in mention.senses if s.kind == "metric"]
        if (
            not names
            or len(names) != len(mention.senses)
            or mention.entity
            or mention.phrase in VERB_MEASURES
        ):
            continue  # also a value, a grouping or a name: read in that role; "did we receive": a verb
        shown = {query.metric, *query.also}
        if _counted_outright(mention, tokens) and all(
            model.metric(n).format == "count"
            and n not in GENERIC_METRICS
            and n not in shown
            and n not in consumed
            for n in names
        ):
            pass  # "bookings by region: region, # won deals, bookings": the count of the deals won beside them
        elif any(n in GENERIC_METRICS or n in answered or n in consumed for n in names):
            continue
        if narrowed and all(model.base_of(n) != model.base_of(query.metric) for n in names):
            continue  # "the total open amount on them" after overdue invoices: said of those records, not a new measure
        if names[0] not in dropped:
            dropped.append(names[0])
    return dropped


TWO_COUNTS = re.compile(
    r"(?:\bhow\s+many\b.{3,120}?(?:,|\band\b|;)|\?)\s*(?:and\s+)?(?:how\s+many|what\s+number)\s+of\s+(?:those|them|these)\b"
    r"(?P<rest>[^?]*)"
)  # ("paid ads leads in the last 30 days? and how many of them are qualified already": the first a count too)


def two_counts(raw: str) -> Refusal | None:
    """ "How many tickets have they opened this quarter, and how many of those are still unresolved?": two counts,
    the second of a part of the first. One answer would be a figure for half the question: ask one at a time."""
    found = TWO_COUNTS.search(raw)
    if found is None:
        return None
    first = re.split(r"\s*(?:,|\?|\band\b)\s*(?:and\s+)?how\s+many\s+of\b", raw[: found.start("rest")])[
        0
    ].strip(" ,?")
    return Refusal(
        "That's two counts in one message: I answer one at a time, so I don't give half of it. Ask the first "
        f'("{first[:80]}"), then "how many of those{found.group("rest").rstrip(" ?.")}" as a follow-up.',
        [],
        kind="unknown",
    )


def answer_all(reading: Reading, dropped: list[str]) -> Reading | Refusal:
    """The reading with the dropped measures beside the main one, or a question back."""
    model = semantic.model()
    query = reading.query
    base = model.base_of(query.metric)
    together = (
        not query.list_records
        and query.aggregate is None  # "how many customers have ...": a count of accounts, one measure
        and not query.share
        and query.sort_column is None
        and len(query.also) + len(dropped) <= MAX_BESIDE
        and (not query.group_by or all(model.base_of(n) == base for n in dropped))
    )
    if together:
        query.also = [*query.also, *dropped]
        return reading
    labels = [model.metric(n).label for n in (query.metric, *dropped)]
    return Refusal(
        "You named " + " and ".join(labels) + ", and I can't show them together in this answer. "
        "Which one first? I'll answer the other after it.",
        labels,
        kind="clarify",
    )


def _halves(raw: str, read) -> tuple[Reading, Reading] | None:
    """The readings of the first "how many" and of its part ("how many <records> <the rest>"), or None."""
    found = re.search(r"\bhow\s+many\s+of\s+(?:those|them|these)\b(?P<rest>[^?]*)", raw)
    if found is None:
        return None
    whole = read(re.sub(r"[\s,;]*(?:and\s*)?$", "", raw[: found.start()]))
    if not isinstance(whole, Reading):
        return None
    noun = semantic.model().base_label(semantic.model().base_of(whole.query.metric))
    part = read(f"how many {noun}{found.group('rest')}")
    return (whole, part) if isinstance(part, Reading) else None


def _plain(q: Query) -> bool:
    """One figure over records: no split, list, comparison, second measure, bar or rank."""
    return not (
        q.group_by
        or q.list_records
        or q.compare_to
        or q.also
        or q.share
        or q.aggregate
        or q.thresholds
        or q.limit
    )


def part_filtered(raw: str, read, full: Query) -> Query | None:
    """ "how many tickets came in this month, and how many of those are urgent": the first count, with the part
    that a value names (the urgent ones among them) and its share beside it. The part only adds filters on what
    the first count doesn't filter: its period, owner and filters are the whole's, kept for both. ``full`` is the
    reading of the whole message: an account or rep it is about must be the first count's too."""
    halves = _halves(raw, read)
    if halves is None:
        return None
    model = semantic.model()
    whole, part = (h.query for h in halves)
    counted, counted_part = model.metric(whole.metric), model.metric(part.metric)
    # the part read as the same count, or as the plain count of the same records ("how many of those are in
    # retail" after customers in EMEA reads "how many companies are in retail": customers, the ones in retail)
    plain_count = counted_part.base == counted.base and not counted_part.conditions
    if counted.aggregate != "count" or counted_part.aggregate != "count":
        return None
    if part.metric != whole.metric and not plain_count:
        if not _scored_part_of_customers(whole.metric, part.metric):
            return None
        # "how many customers am I looking after, and how many of those are high churn risk": both counted over the
        # customers the insights job scored (the churn risk is theirs), said as such
        whole = whole.copy()
        whole.metric = part.metric
    return _with_part(whole, part, full)


def _with_part(whole: Query, part: Query, full: Query) -> Query | None:
    """The whole with the part's filters as its part (and the part's share), when the part only narrows it (one
    plain figure each, the part saying values of its own and nothing else)."""
    if (
        not (_plain(whole) and _plain(part))
        or part.period
        or part.owner
        or part.conditions
        or not part.filters
    ):
        return None
    said = {f.dimension: f for f in whole.filters}
    # an account or a rep the whole message was read about ("how many tickets have they opened...": the account
    # in focus) is the whole's too, or no answer
    if any(f.dimension in ("customer", "rep") and said.get(f.dimension) != f for f in full.filters):
        return None
    for f in part.filters:  # a new filter, or some of the values the whole names ("open ... in negotiation")
        before = said.get(f.dimension)
        if before is not None and (before.negate or f.negate or not set(f.values) < set(before.values)):
            return None
    query = whole.copy()
    query.share, query.part_filters = True, list(part.filters)
    return query


# (the words as read: "how much of that isn't due yet" reads "how much of  not yet due")
_PART_OF_AMOUNT = re.compile(r"\bhow\s+much\s+of\b(?:\s+(?:that|it|this|those|these|them)\b)?(?P<rest>[^?]*)")


def _aged_part_of(part: Query, whole: str) -> bool:
    """The overdue amount in buckets past due is that part of what is outstanding (the buckets say it is overdue)."""
    buckets = [f for f in part.filters if f.dimension == "aging_bucket" and not f.negate]
    return (
        part.metric == "overdue_amount"
        and whole == "outstanding"
        and bool(buckets)
        and all("current" not in f.values for f in buckets)
    )


def part_of_amount(raw: str, read, full: Query) -> Query | None:
    """ "total receivables, and how much of that isn't due yet": the amount, with the part a value names (the
    current bucket) and its share beside it, the same way as a count and a part of it."""
    found = _PART_OF_AMOUNT.search(raw)
    if found is None:
        return None
    whole = read(re.sub(r"[\s,;]*(?:and\s*)?$", "", raw[: found.start()]))
    if not isinstance(whole, Reading):
        return None
    model = semantic.model()
    amount = model.metric(whole.query.metric)
    if amount.aggregate in ("avg", "max", "min") or amount.format != "money":
        return None
    part = read(f"how much {amount.label.split(' (')[0]}{found.group('rest')}")
    if not isinstance(part, Reading) or part.query.metric != whole.query.metric:
        part = read(f"how much{found.group('rest')}")  # ("how much of it is overdue in the 90+ bucket")
    if not isinstance(part, Reading):
        return None
    if part.query.metric != whole.query.metric and not _aged_part_of(part.query, whole.query.metric):
        return None
    whole, part = whole.query, part.query
    return _with_part(whole, part, full)


def _scored_part_of_customers(whole: str, part: str) -> bool:
    """The part is a count of scored customers (health, churn risk) and the whole the same customers, counted."""
    model = semantic.model()
    scored = model.metric(part)
    return (
        scored.base == "customer_insights"
        and scored.aggregate == "count"
        and model.metric(whole).conditions == scored.conditions
        and model.metric(whole).aggregate == "count"
    )


def part_counted(query: Query, raw: str, read) -> tuple[str, str] | None:
    """The count of the records the first "how many" asks for and of the part a second "how many of those ..."
    names, when the model has both as measures of the same records placed in time the same way ("how many came
    in, and how many of those have converted": leads and converted leads), or None."""
    model = semantic.model()
    if query.list_records or query.group_by or query.compare_to:
        return None
    halves = _halves(raw, read)
    if halves is None:
        return None
    whole, second = halves
    first = model.metric(whole.query.metric)
    if first.aggregate != "count":
        return None
    if second.query.filters or second.query.period or second.query.also:
        return None
    part = model.metric(second.query.metric)
    # placed in time the same way, where a period is asked ("how many are open, and how many of those overdue":
    # none is, and the open invoices' issue date and the overdue ones' due date don't matter)
    same_time = model.time_column_of(part) == model.time_column_of(first) or query.period is None
    same_records = part.base == first.base and same_time
    narrower = {(c.column, c.op, str(c.value)) for c in first.conditions} < {
        (c.column, c.op, str(c.value)) for c in part.conditions
    }
    if part.name != first.name and part.aggregate == "count" and same_records and narrower:
        return first.name, part.name
    return None


# a second "how many" asked beside the first (not "how many of those": a part, read above)
_ANOTHER_HOW_MANY = re.compile(r"(?:,|;|\?|\band\b)\s*(?:and\s+)?(?:also\s+)?how\s+many\b(?!\s+of\b)")


def first_count_beside(query: Query, raw: str, read) -> str | None:
    """ "how many leads came in last quarter, how many converted, and what's the conversion rate?": three figures,
    the first the plain count of the records the others are about. The rules read the other two and take the
    count as said by them (the rate's records); the count asked first is put beside them. Only when the first
    clause, read alone, is a plain count of the same records for the same period, filters and owner."""
    if not re.match(r"^\W*(?:[\w']+\W+){0,4}?how\s+many\b", raw):
        return None
    found = _ANOTHER_HOW_MANY.search(raw)
    if found is None:
        return None
    first = read(raw[: found.start()].strip(" ,;"))
    if not isinstance(first, Reading):
        return None
    model, counted = semantic.model(), first.query
    if (
        not _plain(counted)
        or counted.conditions
        or model.metric(counted.metric).aggregate != "count"
        or counted.metric in (query.metric, *query.also)
        or model.base_of(counted.metric) != model.base_of(query.metric)
        or (counted.period is not None and counted.period != query.period)
        or counted.filters != query.filters
        or counted.owner != query.owner
        or len(query.also) >= MAX_BESIDE
    ):
        return None
    return counted.metric
