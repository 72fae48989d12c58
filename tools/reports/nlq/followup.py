"""Follow-ups: a message read as an act on the thread's previous query.

Without a measure of its own, a follow-up edits the previous query: regroup ("now by region",
"monthly?"), filter ("only EMEA", "just the NA ones" — a filter on a grouped dimension ends
that grouping), change the period ("what about last year?"), rank ("top 3"), list the records
behind a figure ("which of those are in negotiation?"), add a column ("who closed them?"), or
ask for the money behind a count ("what were they worth in total?").

With a measure of its own, a message that continues ("and ...", "what about ...") or points
back ("those", "them", "that") swaps the measure and keeps the rest: period, comparison,
owner, filters and groupings that still apply. Any other new question starts clean.
"""

from __future__ import annotations

from tools.reports import semantic
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query

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
}
_WHO_WORDS = {"who", "whom", "whose"}


def refine(b, previous: Query, periods, grain, thresholds, limit, rank_order) -> Reading | Refusal:
    """A follow-up that names no measure: an act on the previous query."""
    model = semantic.model()
    query = previous.copy()
    base = model.base_of(query.metric)
    fresh = Query(metric=query.metric)
    refusal = b._apply_words(fresh, base, [], [], who_groups=False)
    if refusal:
        return refusal
    notes = ["refined the previous question"]
    changed = False
    words = set(b.raw.replace("?", " ").split())
    if fresh.group_by or grain:
        time_groups = [f"time:{grain}"] if grain else [g for g in query.group_by if g.startswith("time:")]
        query.group_by = time_groups + [g for g in fresh.group_by if g not in time_groups]
        query.list_records = False
        query.columns = []
        changed = True
    if fresh.filters:
        replaced = {f.dimension for f in fresh.filters}
        query.filters = [f for f in query.filters if f.dimension not in replaced] + fresh.filters
        query.group_by = [g for g in query.group_by if g not in replaced]
        changed = True
    if periods.period is not None:
        query.period = periods.period
        query.compare_to = periods.compare_to
        changed = True
    elif periods.compare_to is not None:
        query.compare_to = periods.compare_to
        changed = True
    if thresholds:
        query.thresholds = thresholds
        changed = True
    if b.owner is not None:
        query.owner = b.owner if not isinstance(b.owner, Refusal) else None
        changed = True
    new_conditions = b.record_conditions(base)
    if isinstance(new_conditions, Refusal):
        return new_conditions
    if new_conditions:
        query.conditions = query.conditions + new_conditions
        changed = True
    if b.follow.or_not:
        changed = _drop_restrictions(query, b.follow.or_not) or changed
    ranked = limit or rank_order or b.has_marker("desc") or b.has_marker("asc")
    if ranked:
        if not query.group_by and not query.list_records and model.lists.get(base):
            query.list_records = True  # "top 3" after a count: the top records behind it
        b._apply_rank(query, limit, rank_order)
        changed = True
    if words & _WHO_WORDS and query.list_records:
        if model.dimension_for("rep", base) and "rep" not in query.columns:
            query.columns.append("rep")
            changed = True
    elif words & _WHO_WORDS and not query.group_by and not query.list_records:
        who = "rep" if base in ("deals", "leads", "activities") else "customer"
        if model.dimension_for(who, base):
            query.group_by = [who]
            if query.order is None:
                b._apply_rank(query, limit or 1, "desc")
            changed = True
    if _asks_for_records(b) and not query.list_records and model.lists.get(base) and not fresh.group_by:
        query.list_records = True
        query.group_by = []
        changed = True
    if words & _MONEY_WORDS and not b.has_marker("count"):
        changed = _to_money(query) or changed
    if "why" in words:
        refusal = b._apply_why(query, base)
        if refusal:
            return refusal
        changed = True
    if not changed:
        return b._not_understood()
    refusal = b._check(query)
    if refusal:
        return refusal
    return Reading(query, b.notes + notes)


def _asks_for_records(b) -> bool:
    """ "which of those", "show them", "list those", "which ones": the records behind the figure."""
    raw = b.raw
    return any(
        phrase in raw
        for phrase in (
            "which of",
            "which ones",
            "show them",
            "list them",
            "show those",
            "list those",
            "show me them",
        )
    ) or (b.has_marker("list") and b.follow.refers)


def _to_money(query: Query) -> bool:
    """The money behind a count ("worth", "in total"): the count's amount metric, or the records' sum."""
    model = semantic.model()
    metric = model.metric(query.metric)
    if metric.format == "money" and not query.list_records:
        return False
    target = metric.amount_metric
    if target is None and query.list_records:
        base = model.base_of(metric)
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
            and set(m.conditions) < set(metric.conditions)
            and word in " ".join((metric.name, metric.label, *metric.synonyms))
        ]
        if broader:
            query.metric = max(broader, key=lambda m: len(m.conditions)).name
            return True
    return False


def keep_previous_metric(b, previous: Query, metric: str) -> str:
    """ "who owes the most of that?" after the overdue amount: "owe" names the broader outstanding,
    but "that" is the overdue amount, so the previous measure stays (unless "... or not")."""
    if not (b.follow.figure or b.follow.refers) or b.follow.or_not:
        return metric
    model = semantic.model()
    new, old = model.metric(metric), model.metric(previous.metric)
    same_kind = new.base == old.base and new.format == old.format and new.aggregate == old.aggregate
    if same_kind and set(new.conditions) < set(old.conditions):
        return old.name
    return metric


def rank_previous_records(b, previous: Query, metric: str, limit, rank_order) -> Reading | None:
    """ "show me the top 3 by score" after "how many open leads": the records, ranked by that column."""
    model = semantic.model()
    m = model.metric(metric)
    base = model.base_of(previous.metric)
    if not (limit or rank_order) or m.base != base or m.aggregate not in ("avg", "sum", "max", "min"):
        return None
    if m.column is None or not model.lists.get(base) or previous.group_by:
        return None
    query = previous.copy()
    query.list_records = True
    query.sort_column = m.column
    b._apply_rank(query, limit, rank_order or "desc")
    return Reading(query, b.notes + [f"ranked the previous {model.base_label(base)} by {m.label}"])


def add_column_to_list(b, previous: Query, metric: str) -> Reading | None:
    """ "what are their health scores" after a list of accounts: the same list, with that column."""
    model = semantic.model()
    if not previous.list_records or not b.follow.refers:
        return None
    m = model.metric(metric)
    base = model.base_of(previous.metric)
    if m.column is None or m.aggregate not in ("avg", "sum", "max", "min") or m.base is None:
        return None
    if not model.reachable(base, m.column.split(".")[0]):
        return None
    query = previous.copy()
    if m.column not in query.columns:
        query.columns.append(m.column)
    return Reading(query, b.notes + [f"added {m.label.replace('average ', '')} to the previous list"])


def carry(b, previous: Query, query: Query, periods) -> list[str]:
    """Keep what still applies from the previous query when the measure changes; notes of what was dropped."""
    model = semantic.model()
    base = model.base_of(query.metric)
    notes = []
    if query.period is None and query.compare_to is None:
        query.period = previous.period
        if previous.compare_to is not None and (periods.same_comparison or not periods.period):
            query.compare_to = previous.compare_to
    if query.owner is None:
        query.owner = previous.owner
    named = {f.dimension for f in query.filters}
    for f in previous.filters:
        if f.dimension in named:
            continue
        if model.dimension_for(f.dimension, base):
            query.filters.append(f)
        else:
            notes.append(f"dropped the filter on {f.dimension.replace('_', ' ')}, which does not apply here")
    for rc in previous.conditions:
        if (
            rc.kind == "not_contacted_days"
            and model.reachable(base, "companies")
            or (rc.column and model.reachable(base, rc.column.split(".")[0]))
        ):
            query.conditions.append(rc)
    if not query.group_by and not query.list_records:
        filtered = {f.dimension for f in query.filters}
        query.group_by = [
            g
            for g in previous.group_by
            if g not in filtered and (g.startswith("time:") or model.dimension_for(g, base))
        ]
        if query.group_by and previous.order and query.order is None:
            query.order, query.limit = previous.order, previous.limit
    return notes
