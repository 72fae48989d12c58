""" "Which of those ...": a follow-up that narrows the records behind the previous answer and lists them.

"which of them score 70 or higher" after "how many leads are in qualified status", "which of those have
more than 100k still owed" after "how many invoices are overdue", "which deals in there are over 500k"
after the open pipeline in APAC. The previous answer's records are kept: its measure's conditions (open,
overdue, qualified), its filters, period and owner. What the follow-up says narrows them: values
replace the filter on their dimension ("qualified" replaces "open"), and numbers become conditions on
each record ("score 70 or higher", "over 500k", "more than 100k still owed").

After a ranking per account ("customers with a health score below 40"), "which of those are EMEA" keeps
that ranking and its condition, narrowed to the value. This is a filter, not a list of other records.
"""

from __future__ import annotations

import dataclasses
import re

from tools.reports import semantic
from tools.reports.build import ACCOUNT_COUNTS
from tools.reports.nlq.kinds import GENERIC_METRICS
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query

_RECORDS = (
    r"(?:deals|opps|opportunities|invoices|payments|tickets|leads|accounts|customers|companies|clients|ones)"
)
_WHICH_NARROW = re.compile(
    r"^\s*(?:and\s+|ok\s+|so\s+|now\s+)?(?:which|what)\s+(?:ones\s+|" + _RECORDS + r"\s+)?"
    r"(?:of|among|from|in)\s+(?:them|those|these|there|that\s+list|the\s+list)\b|"
    r"^\s*(?:and\s+|ok\s+|so\s+|now\s+)?which\s+" + _RECORDS + r"\s+(?:in\s+there|of\s+those|there)\b|"
    r"^\s*(?:and\s+|ok\s+|so\s+|now\s+)?which\s+ones\b|"
    r"^\s*(?:and\s+|ok\s+|so\s+|now\s+)?(?:just|only)\s+(?:the\s+)?(?:ones|those)\s+(?:scoring|scored|with|over|under|above|below|"
    r"that|which|where|owing|worth)\b|"
    r"^\s*(?:and\s+|ok\s+|so\s+|now\s+)?which\s+(?:deals|invoices|payments|tickets|leads)\s+(?:are|were|have|has|is)\b"
)
# "just APAC, list them w/ churn prob" after a count by region: the records of that row, listed
_LIST_THEM = re.compile(r"\b(?:list|show)\s+(?:me\s+)?(?:them|those|these|the\s+ones|'?em)\b")


def narrow_to_records(
    b, previous: Query, metric: str | None, periods, thresholds
) -> Reading | Refusal | None:
    """The previous answer's records narrowed by what the follow-up says, listed; None when the message
    is not such a follow-up (or names a measure of its own)."""
    listed = previous is not None and bool(_LIST_THEM.search(b.raw))
    if previous is None or not (_WHICH_NARROW.search(b.raw) or listed):
        return None
    model = semantic.model()
    base = model.base_of(previous.metric)
    insights = _accounts_by_their_insights(b, previous, metric, thresholds)
    if insights is not None:
        return insights
    scored = _their_records_counted(b, previous, metric, periods)
    if scored is not None:
        return scored
    if metric is not None and model.base_of(metric) != base and metric not in ("customers", "companies"):
        return None  # "which of those have open tickets": other records, read in full
    ranked = b.has_marker("desc") or b.has_marker("asc") or re.search(r"\b(?:most|least|top|bottom)\b", b.raw)
    if metric is not None and metric not in GENERIC_METRICS and metric != previous.metric and ranked:
        return None  # "which of those have the highest LTV": a ranking by a measure, read in full
    said = model.metric(metric) if metric is not None and metric not in GENERIC_METRICS else None
    if (
        said is not None
        and metric != previous.metric
        and said.amount_metric in (previous.metric, *previous.also)
        and previous.compare_to is None
        and not (previous.group_by or previous.limit or previous.list_records)
        and periods.period is None
        and periods.compare_to is None
        and b.owner is None
        # ("which one's been overdue the longest?": one of them, ranked; read in full)
        and not re.search(
            r"\b(?:most|least|top|bottom|longest|oldest|newest|latest|earliest|biggest|largest|smallest|highest|lowest|"
            r"worst|best)\b|\bwhich\s+one\b",
            b.raw,
        )
    ):
        # "how much do my accounts owe? and how much of that is overdue" then "which invoices are overdue? number,
        # company, amount": the records behind that amount, with the first question's owner, filters and period
        return _records_behind(b, previous, metric, base, thresholds)
    dims = previous.dimensions
    per_account = dims == ["customer"]
    if previous.compare_to is not None or not model.lists.get(base):
        return None
    if periods.period is not None or periods.compare_to is not None or b.owner is not None:
        return None  # a period or an owner of its own: a new question on those words, read in full
    fresh = Query(metric=previous.metric)
    refusal = b._apply_words(fresh, base, [], [], who_groups=False)
    if refusal is not None:
        return None
    if previous.limit is not None:
        other = metric is not None and metric not in GENERIC_METRICS and metric != previous.metric
        if previous.list_records and (fresh.filters or thresholds) and not (fresh.group_by or other):
            # "10 biggest payments this month" then "which of those came by bank transfer": those ten, narrowed (each
            # of them that matches, in the ranking's order)
            query = previous.copy()
            query.within = previous.to_dict()
            query.filters = [*previous.filters, *fresh.filters]
            query.limit = query.offset = None
            _columns_said(query, fresh, base)
            _bound_each_record(b, query, base, thresholds)
            query.order, query.sort_column = (
                previous.order,
                previous.sort_column,
            )  # (shown in the ranking's order)
            return Reading(query, b.notes + [f"the top {previous.limit} {model.base_label(base)} that match"])
        if previous.list_records and (fresh.filters or thresholds or other) and not fresh.group_by:
            # "10 biggest unpaid invoices" then "which of those are already overdue": a filter within those ten by
            # another measure is no query I build yet (ranking the overdue ones would list other invoices); say so
            return Refusal(
                f"I can't filter within a top {previous.limit} yet: I would rank the matching ones instead and show "
                f"other records. The list above has the columns to look at; or ask for all of them, e.g. "
                f'"which {model.base_label(base)} are ..." without the top {previous.limit}.',
                [],
                kind="unknown",
            )
        return None  # within a top 10: those ten, not a new list of every match (read in full below)
    if fresh.group_by:
        return None  # "which of those regions ...": a split, read in full
    if dims and not per_account and not (listed and {f.dimension for f in fresh.filters} >= set(dims)):
        return None  # after a split, only "just APAC, list them": the records of one row
    query = previous.copy()
    query.replace_filters(fresh.filters)
    _columns_said(query, fresh, base)  # "w scores", "with the owner"
    if not fresh.filters and not thresholds and not fresh.columns:
        return None
    if per_account:  # keep the per-account ranking, its condition, and narrow it
        for c in thresholds:
            c.target = "metric"
        query.thresholds = [*query.thresholds, *thresholds]
        return Reading(query, b.notes + ["narrowed the previous accounts"])
    query.list_records, query.group_by, query.also = True, [], []
    query.drop_share()
    column = model.metric(metric).column if metric and metric not in GENERIC_METRICS else None
    if column and model.base_of(metric) == base and column not in query.columns:
        query.columns.append(column)  # "list them w/ churn prob": that value beside each
    _bound_each_record(b, query, base, thresholds)
    return Reading(query, b.notes + [f"the previous {model.base_label(base)} that match"])


def _accounts_by_their_insights(b, previous: Query, metric: str | None, thresholds) -> Reading | None:
    """Accounts narrowed by a value of their own insights: "list my customers" then "which ones have a health score
    below 80" (each account with that score, bounded: never the average of the ones that pass); "how many customers do
    I own" then "and which of them are flagged high churn risk? name + churn probability" (those in that band, listed
    with their insights)."""
    model = semantic.model()
    if (
        metric is None
        or model.base_of(previous.metric) != "companies"
        or model.base_of(metric) != "customer_insights"
        or previous.limit
        or previous.group_by
        or previous.compare_to
        or previous.conditions
    ):
        return None
    kept = [f for f in previous.filters if model.dimension_for(f.dimension, "customer_insights")]
    if thresholds and previous.list_records:
        query = Query(metric=metric, group_by=["customer"], owner=previous.owner, filters=kept)
        for (
            c
        ) in thresholds:  # (a bound on each account's own score: kept when the list is sorted another way)
            c.target, c.column = "column", model.metric(metric).column
        query.thresholds = list(thresholds)
        return Reading(query, b.notes + ["narrowed the previous accounts"])
    if thresholds or previous.metric != "customers":
        return None
    fresh = Query(metric="scored_customers")
    if b._apply_words(fresh, "customer_insights", [], [], who_groups=False) is not None or not fresh.filters:
        return None
    query = Query(
        metric="scored_customers", list_records=True, owner=previous.owner, filters=[*kept, *fresh.filters]
    )
    return Reading(query, b.notes + ["the previous accounts that match"])


def _their_records_counted(b, previous: Query, metric: str | None, periods) -> Reading | None:
    """ "customers with health under 45?" then "which of them have opened tickets in the last 90 days, and how many": a
    measure of other records per account, over those accounts (the bound on each one's score kept as a bound on it)."""
    model = semantic.model()
    if (
        metric is None
        or metric in ACCOUNT_COUNTS
        or previous.group_by != ["customer"]
        or previous.list_records
        or previous.limit
        or previous.compare_to is not None
        or model.base_of(previous.metric) != "customer_insights"
        or model.base_of(metric) == "customer_insights"
        or not model.reachable(model.base_of(metric), "companies")
        or not previous.thresholds
        or any(t.target not in ("metric", "column") for t in previous.thresholds)
        # ("which of those have an open deal?": the accounts that have one, read below; "..., and how many": counted)
        or not re.search(r"\bhow\s+(?:many|much)\b|\bcount\b|\bnumber\s+of\b|#", b.raw)
    ):
        return None
    column = model.metric(previous.metric).column
    if model.metric(previous.metric).aggregate != "avg" or not str(column).startswith("customer_insights."):
        return None
    query = Query(metric=metric, group_by=["customer"], owner=previous.owner, period=periods.period)
    query.filters = [f for f in previous.filters if model.dimension_for(f.dimension, model.base_of(metric))]
    query.thresholds = [dataclasses.replace(t) for t in previous.thresholds]
    for t in query.thresholds:
        if t.target == "metric":
            t.target, t.column = "column", column
    return Reading(
        query, b.notes + ["the previous accounts, each with its own " + model.metric(metric).label]
    )


def _records_behind(b, previous: Query, metric: str, base: str, thresholds) -> Reading | Refusal | None:
    """The records counted in one of the previous answer's amounts, listed under its scope."""
    model = semantic.model()
    fresh = Query(metric=metric)
    if b._apply_words(fresh, base, [], [], who_groups=False) is not None or fresh.group_by:
        return None
    query = previous.copy()
    query.metric, query.also, query.list_records = metric, [], True
    query.drop_share()
    query.replace_filters(fresh.filters)
    _columns_said(query, fresh, base)
    _bound_each_record(b, query, base, thresholds)
    return Reading(query, b.notes + [f"the {model.base_label(base)} behind the previous answer"])


def _columns_said(query: Query, fresh: Query, base: str) -> None:
    """The columns the follow-up names ("with the owner") beside each record, where the records have them."""
    model = semantic.model()
    for dim in fresh.columns:
        if dim not in query.columns and model.dimension_for(dim, base):
            query.columns.append(dim)


def _bound_each_record(b, query: Query, base: str, thresholds) -> None:
    """The list unranked, and the numbers said as bounds on each record: "score 70 or higher" on its column, "over
    500k" on its amount (what is still owed stays a balance); bounds on the groups of the answer before are dropped."""
    query.order = query.limit = None
    for c in thresholds:
        column = b.threshold_column(c, query, base)
        if column and c.target != "balance":
            c.target, c.column = "column", column
        elif c.target != "balance":
            c.target = "amount"
    query.thresholds = [t for t in query.thresholds if t.target != "metric"] + list(thresholds)
