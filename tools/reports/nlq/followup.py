"""Follow-ups: a message read as an act on the thread's previous query.

Without a measure of its own, a follow-up edits the previous query: regroup ("now by region",
"monthly?"), filter ("only EMEA", "just the NA ones" — a filter on a grouped dimension ends
that grouping), change the period ("what about last year?"), rank ("top 3"), list the records
behind a figure ("which of those are in negotiation?"), add a column ("who closed them?"), or
ask for the money behind a count ("what were they worth in total?").

With a measure of its own, a message that continues ("and ...", "what about ...") or points
back ("those", "them", "that") swaps the measure and keeps the rest: period, comparison,
owner, filters and groupings that still apply. Any other new question starts clean.

The acts on the records behind a figure (list, rank, add a column, the money on them) are in
`followup_records`; the measure a follow-up names, the count behind an amount and the next one in a ranking
in `followup_measure`; the words they all read are in `followup_words`.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import ACCOUNT_COUNTS, GROUPS, OVER_GROUPS
from tools.reports.nlq.followup_measure import conditions_of, count_of
from tools.reports.nlq.followup_measure import count_bound_target as count_bound
from tools.reports.nlq.followup_words import (
    ASCENDING,
    GENERIC_RECORD_WORDS,
    IN_MONEY,
    ONE_MORE_BESIDE,
    PER_ACCOUNT_DIMENSIONS,
    SORT,
    WHAT_WORTH,
    WHICH_RECORDS_OVER,
    WITH_AMOUNTS,
    asks_for_records,
    in_total,
    rows_are_records,
)
from tools.reports.nlq.kinds import GENERIC_METRICS
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Filter, Query

_MONEY_WORDS = {
    "worth",
    "value",
    "valued",
    "amount",
    "amounts",
    "sum",
    "total",
    "totals",
    "dollars",
    "revenue",
    "$",  # "$ by stage?" after open deals: their amount
    "$$",
}
_WHO_WORDS = {"who", "whom", "whose"}
_ANY_TIME = re.compile(
    r"\b(?:regardless|irrespective)\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:date|dates|time|timing|when|period)\b|"
    r"\ball[- ]time\b|\bany\s+time\b|\bever\b|\bno\s+matter\s+when\b"
)
_ADD_UP = re.compile(r"\badd(?:s|ed|ing)?\s+(?:\w+\s+){0,2}up\b|\btally\b|\bsum\s+(?:up|of|them|those|it)\b")
_CHANGE_WORDS = {
    "growth",
    "grew",
    "change",
    "changed",
    "difference",
    "diff",
    "delta",
    "increase",
    "decrease",
    "drop",
    "%",
    "percent",
    "percentage",
    "pct",
    "uplift",
    "decline",
}


_ADD_A_MEASURE = re.compile(
    r"^\s*(?:(?:and|now|ok|okay|pls|please|can\s+you|could\s+you|also)\s+)*(?:add|include|also\s+show|show\s+(?:me\s+)?also|"
    r"throw\s+in)\b"
)


# "split by payment method pls, with number of payments too" after cash collected: the count beside it, split
_WITH_A_COUNT_TOO = re.compile(
    r"\b(?:with|w/|plus|\+)\s+(?:the\s+)?(?:number|count|#)\s+of\s+[a-z]+\s+(?:too|as\s+well|also)\s*[?.!]*\s*$"
)


def with_measure_added(b, previous: Query, metric: str, periods) -> Reading | None:
    """ "add the conversion rate for each" after leads by source: the same answer, with that measure beside it."""
    model = semantic.model()
    counted_too = _WITH_A_COUNT_TOO.search(b.raw)
    if (
        counted_too
        and metric == model.metric(previous.metric).count_metric
        and not previous.list_records
        and previous.compare_to is None
        and periods.period is None
        and not any(s.kind == "value" for m in b.mentions for s in m.senses)
    ):
        query = previous.copy()
        dims = [
            s.name
            for m in b.mentions
            for s in m.senses
            if s.kind == "dim" and model.dimension_for(s.name, model.base_of(previous.metric))
        ]
        query.group_by = list(dict.fromkeys([*query.group_by, *dims]))
        query.also = [*query.also, metric]
        return Reading(query, [f"{previous.metric} with {metric} beside it"])
    if (
        not _ADD_A_MEASURE.match(b.raw)
        or previous.list_records
        or previous.compare_to is not None
        or periods.period is not None
        or metric == previous.metric
        or metric in previous.also
        or (
            model.base_of(metric) != model.base_of(previous.metric)
            and not _an_account_value(previous, metric)
        )
        # nothing else said ("per source" after leads by source: the split it already has; "and churn risk" after
        # accounts: each one's own band, beside)
        or any(
            any(s.kind == "value" for s in m.senses)
            or (
                any(s.kind == "dim" for s in m.senses)
                and not any(s.kind == "dim" and s.name in previous.group_by for s in m.senses)
                and not _account_band(previous, m)
            )
            for m in b.mentions
        )
    ):
        return None
    query = previous.copy()
    bands = [s.name for m in b.mentions if _account_band(previous, m) for s in m.senses if s.kind == "dim"]
    query.group_by = list(dict.fromkeys([*query.group_by, *bands[:1]]))
    if metric in GENERIC_RECORD_WORDS and model.metric(previous.metric).format != "count":
        # "add the number of deals in each" after the open pipeline by stage: the open deals behind it, counted
        metric = count_of(model.metric(previous.metric), model.base_of(previous.metric), query) or metric
    if metric == previous.metric or metric in query.also:
        return None
    query.also = [*query.also, metric]
    return Reading(query, [f"{previous.metric} with {metric} beside it"])


def sorted_by_beside(b, previous: Query, metric: str, rank_order) -> Reading | None:
    """ "now sort those 5 by health, lowest first" after the top 5 customers by revenue with their health beside: the
    same five, ranked by the value beside (the first figure kept beside it)."""
    ranked = re.search(r"\b(?:lowest|highest|least|most|worst|best|smallest|biggest|largest)\b", b.raw)
    if (
        metric not in previous.also
        or not previous.group_by
        or previous.compare_to is not None
        or not (SORT.search(b.raw) or rank_order or ranked)
    ):
        return None
    query = previous.copy()
    query.metric, query.also = metric, [previous.metric, *[m for m in previous.also if m != metric]]
    shown = _ranked_shown(b, previous)
    if shown:
        dim, values = next(iter(shown.items()))
        query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, list(values))]
        query.limit = None
    query.order = rank_order or (
        "asc" if re.search(r"\b(?:lowest|smallest|least|worst|asc)", b.raw) else "desc"
    )
    if re.search(r"\bwhich\s+one\b|\bthe\s+(?:lowest|highest|worst|best)\s+one\b", b.raw):
        query.limit = 1  # "which one of these 5 has the lowest health?": that one
    return Reading(
        query, b.notes + [f"the previous answer, ranked by {semantic.model().metric(metric).label}"]
    )


_EACH_ACCOUNT = re.compile(
    r"\beach(?:\s+(?:one|of\s+(?:them|those|these)|account|customer))?\b|\bper\s+(?:account|customer)\b|\bapiece\b"
)


def per_account_of_list(b, previous: Query, metric: str, periods) -> Reading | None:
    """ "my high churn risk accounts" then "how many tickets has each logged this quarter": every account of that list,
    each with its own figure of other records (none is none, never left out)."""
    model = semantic.model()
    if (
        not previous.list_records
        or previous.metric not in ACCOUNT_COUNTS
        or previous.limit
        or metric in ACCOUNT_COUNTS
        or model.base_of(metric) in ("companies", "customer_insights")
        or not model.reachable(model.base_of(metric), "companies")
        or model.metric(metric).format not in ("count", "money", "score", "rate", "days", "hours")
        or not _EACH_ACCOUNT.search(b.raw)
        # ("do any of those have overdue invoices? how much for each": the ones that have them, read below)
        or re.search(r"\b(?:any|which|who)\s+of\s+(?:them|those|these)\b|\bdo(?:es)?\s+any\b", b.raw)
        # ("each by month", "each rep": a split of its own, read as one)
        or any(s.kind == "dim" and s.name != "customer" for m in b.mentions for s in m.senses)
        or re.search(r"\b(?:by|per)\s+(?!account|customer)", b.raw)
    ):
        return None
    query = previous.copy()
    query.list_records, query.columns, query.sort_column, query.order = False, [], None, None
    query.group_by, query.also, query.period = ["customer"], [metric], periods.period
    return Reading(
        query, b.notes + [f"each account of the previous list, with its {model.metric(metric).label}"]
    )


def _account_band(previous: Query, mention) -> bool:
    """A per-account attribute named beside a ranking of accounts ("their health score and churn risk")."""
    return previous.group_by == ["customer"] and any(
        s.kind == "dim"
        and s.name in PER_ACCOUNT_DIMENSIONS
        and s.name not in ("rep", "region", "country", "industry")
        for s in mention.senses
    )


def _an_account_value(previous: Query, metric: str) -> bool:
    """ "add their health scores" after the top 5 customers by revenue: each account's own value (insights) beside
    a figure per account of another table (joined on the account)."""
    model = semantic.model()
    return (
        previous.group_by == ["customer"]
        and not previous.also
        and model.base_of(metric) == "customer_insights"
        and model.metric(metric).aggregate == "avg"
        and model.base_of(previous.metric) != "customer_insights"
        and model.metric(previous.metric).format in ("money", "count")
    )


def refine(b, previous: Query, periods, grain, thresholds, limit, rank_order) -> Reading | Refusal:
    """A follow-up that names no measure: an act on the previous query."""
    beside = _account_value_beside(b, previous)
    if beside is not None:
        return beside
    reading = _refine(b, previous, periods, grain, thresholds, limit, rank_order)
    if isinstance(reading, Reading) and _accounts_counted_by(b, previous, reading.query):
        return Reading(reading.query, reading.notes + ["counted the accounts of the previous answer"])
    if isinstance(reading, Reading) and _HOW_MANY_OF_THOSE.search(b.raw) and not b.has_marker("group"):
        query = reading.query
        if over_passing_groups(previous, query, GROUPS):
            # "how many of those are EMEA" after the accounts owing more than 100k overdue: those accounts, counted
            reading.notes.append("counted the groups of the previous answer that pass its bound")
            return reading
        if any(not g.startswith("time:") for g in query.group_by):
            # "how many of those deals are over 100k?" after the pipeline by stage: one number over them
            query.group_by = [g for g in query.group_by if g.startswith("time:")]
            query.order = query.limit = None
            reading.notes.append("counted them in total")
    return reading


_COUNT_THEM = re.compile(
    r"^\W*(?:(?:and|ok|now|so|then)\W+)?(?:count|tally)\s+(?:them|those|these|the\s+(?:accounts|customers))\b|"
    r"^\W*(?:(?:and|ok|now|so|then)\W+)?how\s+many\s+(?:of\s+(?:them|those|these)|(?:accounts|customers)\s+(?:is\s+that|are\s+there))\b"
)


def _accounts_counted_by(b, previous: Query, query: Query) -> bool:
    """ "count them by region" after what each high-risk customer owes: those accounts counted per region (the
    previous answer's figure and bounds kept, each account one). Makes ``query`` so; False when not so asked."""
    if not (
        previous.group_by == ["customer"]
        and not (
            previous.list_records
            or previous.compare_to
            or previous.also
            or previous.aggregate
            or previous.limit
        )
        and _COUNT_THEM.search(b.raw)
        and b.has_marker("group")
    ):
        return False
    split = [g for g in query.group_by if g != "customer" and not g.startswith("time:")]
    if not split or len(split) != len([g for g in query.group_by if g != "customer"]):
        return False
    query.metric, query.also, query.group_by = previous.metric, [], ["customer", *split]
    query.thresholds = [*previous.thresholds]
    query.aggregate, query.order, query.limit, query.list_records = GROUPS, None, None, False
    query.columns, query.sort_column = [], None
    return True


def _account_value_beside(b, previous: Query) -> Reading | None:
    """ "and churn risk?" after the top 5 customers by LTV (and their health scores): each of those accounts' own
    churn risk beside them, not the measure split by risk band."""
    if not (
        rows_are_records(previous) and previous.group_by == ["customer"] and ONE_MORE_BESIDE.match(b.raw)
    ):
        return None
    if b.has_marker("group") or re.search(r"\b(?:by|per|each|every|split|breakdown)\b", b.raw):
        return None  # "and by region?": a split, read as one
    model = semantic.model()
    base = model.base_of(previous.metric)
    dims = {s.name for m in b.mentions for s in m.senses if s.kind == "dim"}
    if len(dims) != 1 or any(s.kind != "dim" for m in b.mentions for s in m.senses if s.kind != "marker"):
        return None
    (dim,) = dims
    if dim not in PER_ACCOUNT_DIMENSIONS or dim in previous.group_by or not model.dimension_for(dim, base):
        return None
    query = previous.copy()
    query.group_by.append(dim)
    return Reading(
        query, b.notes + [f"added each account's {dim.replace('_', ' ')} beside the previous ranking"]
    )


def over_passing_groups(previous: Query, query: Query, aggregate: str) -> bool:
    """Make ``query`` an aggregate over the groups of ``previous`` that pass its bound on the figure ("accounts
    owing more than 100k overdue"), with ``query``'s own filters added: the count of them (GROUPS) or their figures
    summed (OVER_GROUPS). False (and ``query`` unchanged) when the previous answer had no such bound."""
    passing = [t for t in previous.thresholds if t.target == "metric"]
    grouped = [g for g in previous.group_by if not g.startswith("time:")]
    if previous.aggregate in (GROUPS, OVER_GROUPS):
        grouped = list(previous.group_by)
    if not passing or not grouped or previous.list_records or previous.compare_to is not None:
        return False
    query.metric, query.group_by, query.also = previous.metric, grouped, []
    query.thresholds = [t for t in query.thresholds if t.target != "metric"] + passing
    query.aggregate, query.order, query.limit, query.list_records = aggregate, None, None, False
    return True


_VS_LAST_YEAR = re.compile(
    r"^\W*(?:and\s+|ok\s+|how\s+about\s+|what\s+about\s+)?(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+"
    r"(?:my\s+|our\s+|the\s+)?(?:same\s+(?:period|time|days|month|quarter|week)\s+|mtd\s+|qtd\s+)?last\s+(?:year|yr)\b"
    r"(?:\s*\??\s*(?:same\s+(?:days|period|dates))?)?\W*$"
)
_OF_THOSE = re.compile(r"(?<!\ball\s)\b(?:of|among)\s+(?:those|them|these)\b")
# "now only LATAM, all of them" after a top 5: every row, the top N dropped
_ALL_OF_THEM = re.compile(
    r"(?<!across\s)(?<!over\s)(?<!for\s)\ball\s+(?:of\s+)?(?:them|those|these)\b|\bthe\s+(?:whole|full|entire)\s+list\b"
)
_THOSE_N = re.compile(
    r"\b(?:those|these|the\s+same)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b|\b(?:they|them|those|these)\b"
)


def _ranked_shown(b, previous: Query) -> dict:
    """The values of the previous ranking's groups the thread saw (its top N, by dimension)."""
    shown = b.focus.get("shown") if isinstance(b.focus.get("shown"), dict) else {}
    return {
        d: v for d, v in shown.items() if d in previous.group_by and v and len(v) <= (previous.limit or 0)
    }


def pin_shown(b, previous: Query, query: Query) -> bool:
    """ "what did those three book last quarter?" after the top 3 this quarter: the same three (filtered by name),
    not a new top 3 of the other period. True where the query was pinned."""
    within = _ranked_shown(b, previous)
    if not (within and previous.limit and _THOSE_N.search(b.raw)):
        return False
    dim, values = next(iter(within.items()))
    query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, list(values))]
    query.limit = None
    return True


# "the whole company" drops who and where a figure was about, never what its records are ("open" leads)
_WHO_AND_WHERE = frozenset(["rep", "team", "customer", "region", "country"])
_WHATS_IN_IT = re.compile(
    r"^\W*(?:(?:and|ok|so|now|just|only)\W+)*what(?:'?s|\s+is|\s+are)\s+(?:still\s+)?(?:in|sitting\s+in|stuck\s+in)\b"
)
_HOW_MANY_OF_THOSE = re.compile(r"\bhow\s+many\s+of\s+(?:those|them|these)\b")


_AS_WELL = re.compile(
    r"\b(?:as\s+well|too|also|additionally|in\s+addition|on\s+top)\s*[?.!]*\s*$|\bfurther\s+by\b"
)
_THOSE_FEW = re.compile(
    r"\b(?:those|these|the)\s+(?:two|three|four|2|3|4)\b|\bboth\b|\beach\s+of\s+(?:those|them|these)\b"
)


def _refine(b, previous: Query, periods, grain, thresholds, limit, rank_order) -> Reading | Refusal:
    model = semantic.model()
    query = previous.copy()
    if query.metric == "deals" and re.search(
        r"\b(?:expected|due|set|slated|scheduled|supposed)\s+to\s+close\b|\bclosing\b", b.raw
    ):
        query.metric = (
            "open_deals"  # "which of those are expected to close in october": open deals, by expected close
        )
    base = model.base_of(query.metric)
    fresh = Query(metric=query.metric)
    refusal = b._apply_words(fresh, base, [], [], who_groups=False)
    if refusal:
        return refusal
    notes = ["refined the previous question"]
    changed = False
    if b.lifecycle and model.dimension_for("lifecycle_stage", base):
        # "how much of that sits with accounts that already churned" after the receivables: the churned ones' part
        fresh.filters = [f for f in fresh.filters if f.dimension != "lifecycle_stage"]
        fresh.filters.append(Filter("lifecycle_stage", [b.lifecycle]))
    if b.lifecycle_left_out and model.dimension_for("lifecycle_stage", base):
        # "drop the churned ones" after the overdue balance by account: the same, without the churned companies
        fresh.filters = [f for f in fresh.filters if f.dimension != "lifecycle_stage"]
        fresh.filters.append(Filter("lifecycle_stage", [b.lifecycle_left_out], negate=True))
    if previous.compare_to is not None and any(w in _CHANGE_WORDS for w in b.unknown):
        # "what's the growth as a %" after a comparison: the comparison shows the change and the %
        kept = [
            (i, w) for i, w in zip(b.unknown_positions, b.unknown, strict=False) if w not in _CHANGE_WORDS
        ]
        b.unknown_positions, b.unknown = [i for i, _ in kept], [w for _, w in kept]
        changed = True
    from tools.reports.lexicon import lexicon

    for word in re.findall(
        r"\b(?:across|for|over|from|in|on)\s+all\s+(?:the\s+|of\s+the\s+)?([a-z]+)", b.raw
    ):
        # "and across all sources?" after the website leads: every source (the source filter goes)
        named = {s.name for w in (word, word.rstrip("s")) for s in lexicon().get(w) or () if s.kind == "dim"}
        if named & {f.dimension for f in query.filters}:
            query.filters = [f for f in query.filters if f.dimension not in named]
            notes.append(f"all {word}")
            changed = True
    words = set(re.sub(r"\bwho(?:'s|se|m)\b", "who", b.raw).replace("?", " ").split())
    per_record = rows_are_records(previous) or previous.group_by[:1] == ["customer"]  # one row per account
    asks_owner = bool(words & _WHO_WORDS) or "rep" in fresh.group_by
    owner_added = False
    points_back = b.follow.refers or words & _WHO_WORDS
    instead = re.search(r"\binstead\b|\brather\s+than\b", b.raw)
    if (
        asks_owner
        and (previous.list_records or per_record)
        and points_back
        and model.dimension_for("rep", base)
        and not (
            instead and "rep" in fresh.group_by
        )  # "break that down by account owner instead": by owner only
    ):
        # "who owns those", "which reps closed them": the same records, with their owner
        if previous.list_records and "rep" not in query.columns:
            query.columns.append("rep")
        elif per_record and "rep" not in query.group_by:
            query.group_by = [*query.group_by, "rep"]
        fresh.group_by = []  # the other words point back at the records ("those accounts")
        changed = owner_added = True
    for dim in fresh.columns:  # "list them with the owner": that column beside the records
        if dim not in query.columns and model.dimension_for(dim, base):
            query.columns.append(dim)
            changed = True
    if (
        fresh.group_by
        and not grain
        and b.follow.refers
        and query.group_by[-1:] == ["customer"]
        and not instead
    ):
        # "churn risk for each of those" after accounts with their health: one more column per account
        query.group_by = query.group_by + [g for g in fresh.group_by if g not in query.group_by]
        changed = True
    elif fresh.group_by or grain:
        # ("and how many in each region" after "which ones were in LATAM?": every region, the one named before dropped)
        regrouped = {g for g in fresh.group_by if re.search(r"\b(?:each|every|per|all)\b", b.raw)}
        query.filters = [f for f in query.filters if f.dimension not in regrouped or f.negate]
        # the groupings the new split keeps: the time split (unless said otherwise), and what the words below keep
        kept_groups = [f"time:{grain}"] if grain else [g for g in query.group_by if g.startswith("time:")]
        if (
            not grain
            and fresh.group_by
            and periods.period is not None
            and re.search(r"\b(?:now|just|only)\b", b.raw)
        ):
            kept_groups = []  # "now just Q4, by region" after revenue by month: Q4's revenue by region
        if not grain and fresh.group_by and instead:
            kept_groups = []  # "by region instead" after new customers per month: by region, no longer by month
        if grain and not fresh.group_by and not instead and _THOSE_FEW.search(b.raw):
            # "now month by month for those two" after APAC and EMEA's revenue: each of the two, month by month
            kept_groups = [
                g
                for g in query.group_by
                if not g.startswith("time:")
                and any(f.dimension == g and len(f.values) > 1 and not f.negate for f in query.filters)
            ] + kept_groups
        # "split that by region" after the AR aging: each region's buckets (the aging is the answer's shape, kept
        # like a time split; "by region instead" drops it)
        aging = [
            g
            for g in query.group_by
            if g == "aging_bucket"
            and re.search(r"\b(?:split|break|broken|cut|divide|further)\b", b.raw)
            and not instead
            and g not in fresh.group_by
        ]
        if not instead and _AS_WELL.search(b.raw):
            # "split that by stage as well" after the pipeline by region: by region and by stage
            kept_groups += [g for g in query.group_by if g not in kept_groups and g not in fresh.group_by]
        query.group_by = kept_groups + [g for g in fresh.group_by if g not in kept_groups] + aging
        query.list_records = False
        query.columns = []
        if query.dimensions and query.dimensions != previous.dimensions and not limit:
            query.limit = None  # "now just NA, by rep" after a top 2 of regions: every rep, not the top 2
        changed = True
    for dim in fresh.group_by:
        default = getattr(model.dimensions_by_name.get(dim), "default_metric", None)
        old = model.metric(query.metric)
        if default and old.aggregate in ("rate", "ratio") and model.base_of(default) == base:
            # "what were their lost reasons" after the win rate by team: the deals lost, by reason (a win rate
            # per lost reason means nothing)
            query.metric, query.also = default, []
            notes.append(f"counted {model.metric(default).label} by {dim.replace('_', ' ')}")
            changed = True
    swapped = _swap_filter_values(b, query)
    changed = changed or swapped
    within = _ranked_shown(b, previous)
    if fresh.filters and previous.limit and within and _OF_THOSE.search(b.raw):
        # "any of them high risk?" after my 5 least healthy accounts: within those five, by name
        dim, values = next(iter(within.items()))
        query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, list(values))]
        query.limit = None
        notes.append(f"kept the {len(values)} of the previous ranking")
        for f in fresh.filters:  # "which of those are medium or high churn risk": which is which, beside each
            if len(f.values) > 1 and f.dimension not in query.group_by and query.group_by[:1] == ["customer"]:
                query.group_by = [*query.group_by, f.dimension]
        changed = True
    elif (
        not limit
        and (periods.period is not None or periods.compare_to is not None)
        and pin_shown(b, previous, query)
    ):
        notes.append("kept the ones of the previous ranking")  # "and those 3 in Q3?" after a top 3
        changed = True
    elif fresh.filters and previous.limit and _OF_THOSE.search(b.raw):
        return Refusal(  # "which of those are qualified" after a top 10: within those 10, not a new top 10
            f"I can't filter within the previous top {previous.limit} yet: I would rank again among the "
            f"filtered ones and show other records. The list above has the column to look at.",
            [],
            kind="unknown",
        )
    if fresh.filters:
        replaced = {f.dimension for f in fresh.filters}
        entry = model.lists.get(base)
        open_values = {str(v) for v in entry.open.values} if entry is not None and entry.open else set()
        several = {  # values named one by one, not "open" (its stages) and not "in total"
            f.dimension
            for f in fresh.filters
            if (len(f.values) > 1 and not f.negate and {str(v) for v in f.values} != open_values)
            or f.negate  # "exclude LATAM" after win rate by region: the other regions, each a row still
        }
        if in_total(b) or b.has_marker("total"):
            several = set()
        query.filters = [f for f in query.filters if f.dimension not in replaced] + fresh.filters
        # "just referral and partner" after a split by source: those two rows; one value is one row
        query.group_by = [g for g in query.group_by if g not in replaced or g in several]
        changed = True
        if not query.group_by and entry is not None and _WHATS_IN_IT.search(b.raw):
            # "only whats in negotiation" after my pipeline: the deals there, not their amount
            query.list_records = True
    if previous.limit and not limit and _ALL_OF_THEM.search(b.raw):
        query.limit = None
        notes.append(f"all of them, not only the top {previous.limit}")
        changed = True
    if periods.year_earlier_only and query.period is not None and query.period.start is not None:
        from tools.reports.timewords import shift_period

        # "and the same month a year before?" after "what about last month": that month, a year earlier
        query.period, query.compare_to = shift_period(query.period, -1), None
        changed = True
    elif (
        _VS_LAST_YEAR.match(b.raw)
        and query.period is not None
        and query.period.start is not None
        and query.compare_to is None
        and (query.period.end - query.period.start).days < 300
    ):
        from tools.reports.timewords import shift_period

        # "vs last year" after "what've i booked mtd": this month against the same days a year earlier
        query.compare_to = shift_period(query.period, -1)
        changed = True
    elif (
        periods.year_over_year_alone
        and not periods.year_earlier_only
        and query.period is not None
        and query.period.start is not None
    ):
        from tools.reports.timewords import shift_period

        # "YoY by region pls" after "Q3 bookings?": Q3 against Q3 a year earlier
        query.compare_to = shift_period(query.period, -1)
        changed = True
    elif periods.compare_before and query.period is not None and query.period.start is not None:
        # "compare that with the quarter before" after "... last quarter": last quarter vs the one before it
        from tools.reports.timewords import shift_period

        grain_before = _grain_before(periods.compare_before, query.period)
        if grain_before:
            query.compare_to = shift_period(query.period, grain=grain_before, steps=-1)
            changed = True
    elif periods.relative_before:
        # "and the year before": the period before the previous one
        grain_before = periods.relative_before
        anchor = query.compare_to or query.period
        if anchor is not None and anchor.start is not None:
            from tools.reports.timewords import shift_period

            grain_before = _grain_before(grain_before, anchor, default="year")
            query.period, query.compare_to = shift_period(anchor, grain=grain_before, steps=-1), None
            changed = True
    elif (
        periods.compare_metrics
        and periods.period is not None
        and query.period is not None
        and (periods.period.start, periods.period.end) != (query.period.start, query.period.end)
    ):
        query.compare_to = periods.period  # "how does that compare with may": the previous period vs May
        changed = True
    elif periods.period is not None:
        query.period = periods.period
        query.compare_to = periods.compare_to or _year_over_year_again(previous, periods.period, b.raw)
        b._month_ahead(query)
        changed = True
        dated = model.time_column_of(query.metric)
        if b.today is not None and query.period.end is not None and query.period.end >= b.today:
            # "which ones are expected to close between today and march 31" after the open deals already past
            # their expected close date: that window, in place of "already past" (both can't hold)
            kept = [
                c for c in query.conditions if not (c.kind == "before_today" and str(c.column) == str(dated))
            ]
            if len(kept) != len(query.conditions):
                query.conditions = kept
                notes.append("in place of the earlier date condition")
    elif periods.compare_to is not None:
        query.compare_to = periods.compare_to
        changed = True
    elif periods.same_comparison:
        changed = True
    elif _ANY_TIME.search(b.raw) and (query.period is not None or query.compare_to is not None):
        query.period = query.compare_to = None  # "regardless of close date", "all time"
        notes.append("dropped the period")
        changed = True
    if thresholds:
        summed = model.metric(query.metric).aggregate in ("sum", "outstanding", "avg", "rate")
        split = any(not g.startswith("time:") for g in query.group_by) and not query.list_records
        # "only the big ones, over 100k - list them": the records over it
        listing = re.search(r"\blist\b|\bshow\s+(?:me\s+)?(?:them|those|these|the\s+records)\b", b.raw)
        for c in thresholds:  # "under 75" after an average: each record's value; else each record's amount
            if c.hint == "count":
                # "only reps with 35+ closed deals" after the win rate by rep: each rep's number of closed deals
                c.target = count_bound(c, model.metric(query.metric), base, split) or c.target
                continue
            column = b.threshold_column(c, query, base)
            noun = c.hint.split()[-1] if c.hint else ""
            # "only deals over 100k", "how many of those deals are over 100k?": each record's amount
            said_of_records = (noun in GENERIC_METRICS and model.base_of(noun) == base) or any(
                s.kind == "metric" and s.name in GENERIC_METRICS and model.base_of(s.name) == base
                for m in b.mentions
                for s in m.senses
            )
            if column and c.target != "balance":
                c.target, c.column = "column", column
            elif split and summed and c.target == "amount" and not said_of_records and not listing:
                c.target = (
                    "metric"  # "which teams came in over $2M?" after bookings by team: each team's total
                )
        query.thresholds = thresholds
        changed = True
    if b.owner is not None:
        query.owner = b.owner if not isinstance(b.owner, Refusal) else None
        if query.owner is not None:
            # "and for my team?" after Felix's open leads: my team's, no longer Felix's
            named = {f.dimension for f in fresh.filters}
            dropped = [
                f for f in query.filters if f.dimension in ("rep", "team") and f.dimension not in named
            ]
            if dropped:
                query.filters = [f for f in query.filters if f not in dropped]
                notes.append("yours instead of the " + " and ".join(f.dimension for f in dropped) + " before")
            if (
                query.owner.scope == "team"
                and re.search(
                    r"\b(?:everyone|everybody|each\s+(?:rep|person|one)|every\s+(?:rep|person))\b", b.raw
                )
                and "rep" not in query.group_by
                and model.dimension_for("rep", base)
            ):
                query.group_by = [*query.group_by, "rep"]  # "do it for everyone on my team": a row per person
        changed = True
    elif query.owner is not None and any(
        f.dimension in ("team", "rep") and not f.negate for f in fresh.filters
    ):
        # "what about the NA East team in May" after my team's bookings: that team's, not mine and theirs
        query.owner = None
        notes.append("the team or rep named instead of yours")
        changed = True
    new_conditions = b.record_conditions(base)
    if isinstance(new_conditions, Refusal):
        return new_conditions
    if new_conditions:
        query.conditions = query.conditions + new_conditions
        changed = True
    if b.follow.or_not:
        changed = _drop_restrictions(query, b.follow.or_not) or changed
    if b.has_marker("everyone") and (query.filters or query.owner or query.conditions) and b.owner is None:
        # "whole company": the same figure without the previous answer's who and where ("everyone on my team" is the
        # team's); what the records are ("open" leads) stays
        kept = [f for f in query.filters if f.dimension not in _WHO_AND_WHERE]
        query.filters, query.owner = kept + [f for f in fresh.filters if f not in kept], None
        if previous.owner is not None and previous.owner.scope == "team" and "rep" not in fresh.group_by:
            # "whole company last quarter?" after the win rate of each rep on my team: one figure, everyone's
            query.group_by = [g for g in query.group_by if g != "rep"]
        changed = True
    total_for = _TOTAL_FOR_PERIOD.search(b.raw) or (_TOTAL_OF.search(b.raw) and periods.period is not None)
    if total_for and query.group_by and not fresh.group_by and not grain:
        # ... and "what was my total for last year" after my bookings by month: one figure for that year
        # "total for the year?" after a split by month: one figure for the whole period
        query.group_by, query.order, query.limit = [], None, None
        kept = [(i, w) for i, w in zip(b.unknown_positions, b.unknown, strict=False) if w not in _GRAINS]
        b.unknown_positions, b.unknown = [i for i, _ in kept], [w for _, w in kept]
        changed = True
    elif (
        in_total(b)
        and not fresh.group_by
        and not grain
        and any(not g.startswith("time:") for g in query.group_by)
    ):
        query.group_by = [g for g in query.group_by if g.startswith("time:")]
        query.order = query.limit = None
        changed = True
    elif in_total(b) and not fresh.group_by and not grain and query.group_by and query.time_grain:
        # "whats that add up to" after Q4's cash by month: the quarter's one figure
        query.group_by = [g for g in query.group_by if not g.startswith("time:")]
        changed = True
    if (
        (in_total(b) or re.search(r"\b(?:the\s+)?total\s+(?:for|in|of)\b", b.raw))
        and periods.period is not None
        and not grain
        and any(g.startswith("time:") for g in query.group_by)
    ):
        # "whats the total for q1 2027" after the pipeline by expected close month: one figure for that quarter
        query.group_by = [g for g in query.group_by if not g.startswith("time:")]
        changed = True
    sort = SORT.search(b.raw)
    if sort and (query.group_by or query.list_records) and not (limit or rank_order):
        # "sort them by value", "order by amount, smallest first"
        ascending = b.has_marker("asc") and not b.has_marker("desc") or ASCENDING.search(b.raw)
        query.order = "asc" if ascending else "desc"
        changed = True
    ranked = limit or rank_order or b.has_marker("desc") or b.has_marker("asc")
    if ranked and not sort:
        if (
            not query.group_by
            and not query.list_records
            and base not in ("companies", "customer_insights")
            and model.dimension_for("customer", base)
            and words & {"accounts", "customers", "clients", "companies", "accts", "custs"}
        ):
            query.group_by = [
                "customer"
            ]  # "just EMEA - top 5 accounts" after the overdue amount: ranked by account
        elif (
            not query.group_by and not query.list_records and model.lists.get(base) and not words & _WHO_WORDS
        ):
            query.list_records = True  # "top 3" after a count: the top records behind it ("who": by whom)
            measured = model.metric(query.metric)
            entry = model.lists.get(base)
            if measured.aggregate == "avg" and measured.column in [c.column for c in entry.columns]:
                # "which 3 are the lowest?" after the avg health of my customers: ranked by their health score
                query.sort_column = measured.column
        b._apply_rank(query, limit, rank_order)
        if (
            limit is None
            and previous.limit == 1
            and query.group_by
            and re.search(
                r"\bthe\s+(?:[a-z]+est|best|worst|top|bottom|most|least)\b(?:\s+one)?\s*[?.!]*\s*$", b.raw
            )
        ):
            query.limit = 1  # "and the strongest" after "which one's the weakest?": one again, the other end
        changed = True
    if (
        words & _WHO_WORDS
        and not query.group_by
        and not query.list_records
        and asks_for_records(b)
        and model.lists.get(base)
        and model.dimension_for("rep", base)
    ):
        # "just negotiation - which deals, who owns them": the deals, each with its owner
        query.list_records = True
        if "rep" not in query.columns:
            query.columns.append("rep")
        changed = owner_added = True
    who_split = False
    if words & _WHO_WORDS and not query.group_by and not query.list_records:
        who = "rep" if base in ("deals", "leads", "activities") else "customer"
        if model.dimension_for(who, base):
            query.group_by = [who]
            who_split = True  # "who are the 5 biggest offenders" after the overdue amount: by account
            if query.order is None and (limit or b.has_marker("desc") or b.has_marker("asc")):
                b._apply_rank(query, limit or 1, None)  # "and who sold the most?": the top one
            elif query.order is None:
                query.order = "desc"  # "just negotiation - who owns it": each owner, biggest first
            changed = True
    listed = False
    counting = b.has_marker("count") or re.search(r"\bcount(?:ing|s|ed)?\b", b.raw)
    records_of_a_count = (
        thresholds and re.search(r"\b(?:the\s+)?ones\b|\bthose\b", b.raw) and not query.group_by
    )
    if (
        (asks_for_records(b) or records_of_a_count)
        and not owner_added
        and not query.list_records
        and model.lists.get(base)
        and not fresh.group_by
        and not grain  # "can you show it by quarter": the same figure by quarter, not the records
        and not counting
        and not who_split
        # "which of those 5 are high churn risk?" after the top 5 accounts by what they owe: those accounts
        and not (
            previous.group_by == ["customer"]
            and query.group_by[:1] == ["customer"]
            and _OF_THOSE.search(b.raw)
        )
        # "which ones came in above 2M" after bookings by team: the teams over it, not records ("which deals are
        # over 200k": the deals, each over it)
        and not (any(t.target == "metric" for t in thresholds or []) and not WHICH_RECORDS_OVER.search(b.raw))
    ):
        query.list_records = True
        query.group_by = []
        changed = listed = True
        for t in query.thresholds:
            if t.target == "metric" and WHICH_RECORDS_OVER.search(b.raw):
                t.target = "amount"
    beside = (
        _MONEY_BESIDE.search(b.raw)
        and model.metric(query.metric).format == "count"
        and model.metric(query.metric).amount_metric
        and not query.list_records
        and not listed
    )
    if beside:
        # "by stage w/ amounts" after how many open deals: the count, and their amount beside it
        amount = model.metric(query.metric).amount_metric
        query.also = [*query.also, amount] if amount not in query.also else query.also
        changed = True
    elif b.has_marker("avg") and not b.has_marker("count"):
        changed = _to_average(query) or changed
    elif (
        (
            words & _MONEY_WORDS
            or _ADD_UP.search(b.raw)
            or (
                previous.list_records and re.search(r"\bhow\s+much\b", b.raw)
            )  # "how much is that altogether"
        )
        and not b.has_marker("count")
        and not (
            listed or (b.has_marker("list") and not (IN_MONEY.search(b.raw) or WHAT_WORTH.search(b.raw)))
        )
        # "top 3 of those by amount" after a list: ranked by their amount, still the records
        and not (ranked and query.list_records and _BY_MONEY.search(b.raw))
    ):
        changed = _to_money(query) or changed
    if "why" in words:
        refusal = b._apply_why(query, base)
        if refusal:
            return refusal
        changed = True
    explicit_count = re.search(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b", b.raw)
    if counting and not b.has_marker("avg") and (not changed or explicit_count):
        metric = model.metric(query.metric)
        if query.list_records:  # "how many is that" after a list: how many records it has
            query.list_records, query.columns, query.sort_column = False, [], None
            query.order = query.limit = None
            changed = True
        if metric.format == "count" and query.group_by and not changed and not fresh.group_by:
            query.group_by, query.order, query.limit = [], None, None  # after a split: how many in all
            changed = True
        elif metric.format == "count" and not query.group_by:
            changed = changed or not query.list_records  # "how many is that" after a count: the same figure
        elif metric.format != "count" and (counted := count_of(metric, base, query)):
            # "how many is that" after an amount, "how many urgent ones came in" after their CSAT
            query.metric, query.aggregate = counted, None
            changed = True
        amount = model.metric(query.metric).amount_metric
        if (
            amount
            and metric.format == "count"
            and not query.also
            and (
                re.search(
                    r"\b(?:and|\+|,)\s+(?:what'?s|whats|what\s+is|the)\s+(?:the\s+)?(?:total|value|amount)\b",
                    b.raw,
                )
                or WITH_AMOUNTS.search(b.raw)  # "how many drafts are there and what do they add up to"
            )
        ):
            query.also = [amount]  # "how many is that and what's the total": the count and their amount
            changed = True
    if not changed:
        return b._not_understood()
    if query.compare_to is not None and query.time_grain and not grain:
        # "now compare the 2025 total with 2024, by region" after a split by quarter: two totals
        query.group_by = [g for g in query.group_by if not g.startswith("time:")]
        notes.append("compared the two periods in total, not by time")
    refusal = b._check(query)
    if refusal:
        return refusal
    return Reading(query, b.notes + notes)


_MONEY_BESIDE = re.compile(
    r"(?:\bwith|\bw/|\band|\bplus|\+|&)\s*(?:the\s+|their\s+|its\s+)?(?:amounts?|values?|\$+|dollars|dollar\s+amounts?)"
    r"(?=\s*[?.!]*\s*$)"
)
_BY_MONEY = re.compile(r"\b(?:by|on)\s+(?:the\s+|their\s+)?(?:amount|amounts|value|size|worth|\$|dollars)\b")
_GRAINS = {"year", "quarter", "month", "week", "period", "whole", "full", "entire"}
_TOTAL_FOR_PERIOD = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:the\s+|what'?s\s+the\s+|whats\s+the\s+)?(?:grand\s+)?totals?\s+(?:for|over|across|of)\s+"
    r"(?:the\s+)?(?:whole\s+|full\s+|entire\s+)?(?:year|quarter|month|week|period)\W*$"
)
_TOTAL_OF = re.compile(
    r"\bwhat\s+(?:was|is|were|'s)\s+(?:my|our|the|their|his|her|your)\s+(?:grand\s+|overall\s+)?total\b"
)


def _year_over_year_again(previous: Query, period, raw: str):
    """ "sorry i meant Q2", "what about Q2" after "revenue Q3 vs Q3 last year": the new period against the same
    period a year earlier, as the answer before compared; None when it compared anything else."""
    from tools.reports.timewords import shift_period

    before, against = previous.period, previous.compare_to
    if (
        against is None
        or before is None
        or before.start is None
        or period.start is None
        or len(raw.split()) > 6
        or re.search(r"\b(?:only|just|alone)\b", raw)
    ):
        return None
    a_year_before = shift_period(before, -1)
    if (a_year_before.start, a_year_before.end) != (against.start, against.end):
        return None
    if (period.start, period.end) in ((before.start, before.end), (against.start, against.end)):
        return None
    return shift_period(period, -1)


def _grain_before(said: str, period, default: str | None = None) -> str | None:
    """The grain of "the X before": the one named, or for "the one before" the period's own."""
    from tools.reports.nlq.cues import _grain_of

    return said if said != "previous" else (_grain_of(period) or default)


def _swap_filter_values(b, query: Query) -> bool:
    """ "and medium?" after "high risk customers by region": a bare value of a dimension the previous
    answer filtered on ("medium" alone means nothing else here) replaces that filter's value."""
    model = semantic.model()
    swapped = False
    for dim in {f.dimension for f in query.filters}:
        spoken = {str(v).lower().replace("_", " "): v for v in model.vocabulary(dim)}
        hits = [(i, w) for i, w in zip(b.unknown_positions, b.unknown, strict=False) if w in spoken]
        if not hits:
            continue
        query.filters = [f for f in query.filters if f.dimension != dim]
        query.filters.append(Filter(dim, [spoken[w] for _, w in hits]))
        kept = [(i, w) for i, w in zip(b.unknown_positions, b.unknown, strict=False) if w not in spoken]
        b.unknown_positions, b.unknown = [i for i, _ in kept], [w for _, w in kept]
        swapped = True
    return swapped


def _to_average(query: Query) -> bool:
    """ "what's the avg size on those": the average amount behind a count (average deal size)."""
    model = semantic.model()
    metric = model.metric(query.metric)
    target = metric.amount_metric or (metric.name if metric.format == "money" else None)
    if target is None:
        return False
    amount = model.metric(target)
    if amount.aggregate not in ("sum", "outstanding"):
        return False
    query.metric, query.aggregate = target, "avg"
    query.list_records, query.columns = False, []
    return True


def _to_money(query: Query) -> bool:
    """The money behind a count ("worth", "in total"): the count's amount metric, or the records' sum."""
    model = semantic.model()
    metric = model.metric(query.metric)
    if metric.format == "money" and not query.list_records:
        return False
    # the records of a money measure listed ("overdue invoices, with what's still owed on each"): that money
    target = metric.name if metric.format == "money" else metric.amount_metric
    base = model.base_of(metric)
    owing = {"aging_bucket"} & {f.dimension for f in query.filters} or any(
        f.dimension == "invoice_status" and f.values == ["sent"] for f in query.filters
    )
    owes = metric.amount_metric and model.metric(metric.amount_metric).aggregate == "outstanding"
    if query.list_records and owing and base == "invoices" and metric.format != "money" and not owes:
        target = "outstanding"  # invoices by how late they are, or unpaid ones: what they still owe
        # (overdue invoices keep their own: what is still owed on the overdue ones)
    if target is None and query.list_records:
        target = next(
            (
                m.name
                for m in model.metrics
                if m.base == base
                and m.aggregate == "sum"
                and m.column == model.amount_column(base)
                and not m.conditions
            ),
            None,
        )
    if target is None:
        return False
    query.metric = target
    query.list_records = False
    query.columns = []
    query.order = None if not query.group_by else query.order
    query.limit = None if not query.group_by else query.limit
    return True


def _drop_restrictions(query: Query, words: list[str]) -> bool:
    """ "overdue or not": the same measure without that restriction (e.g. outstanding, all of it)."""
    model = semantic.model()
    metric = model.metric(query.metric)
    for word in words:
        broader = [
            m
            for m in model.metrics
            if m.base == metric.base
            and m.aggregate == metric.aggregate
            and conditions_of(m) < conditions_of(metric)
            and word in " ".join((metric.name, metric.label, *metric.synonyms))
        ]
        if broader:
            query.metric = max(broader, key=lambda m: len(m.conditions)).name
            return True
    return False
