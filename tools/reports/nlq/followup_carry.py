"""What a follow-up keeps from the thread's previous query when it names a measure of its own: the period
(unless the new measure is dated otherwise), the comparison, the owner, the filters and groupings that still
apply, the one account the thread is about, a drill-down into the row just shown; and notes of what was
dropped, said in the answer.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.nlq.followup import pin_shown
from tools.reports.nlq.followup_words import in_total
from tools.reports.nlq.kinds import GENERIC_METRICS, RECORD_METRICS
from tools.reports.query import Filter, Query, RecordCondition


def period_that_defines_records(previous: Query, query: Query):
    """The previous period when it picked the very records a snapshot measure is now asked about
    ("predicted to churn by end of March", then "their combined LTV"): carry drops a period for a
    snapshot measure, which here would widen the answer to every record. None otherwise."""
    model = semantic.model()
    new, old = model.metric(query.metric), model.metric(previous.metric)
    if query.period is not None or previous.period is None or not new.snapshot or old.snapshot:
        return None
    if old.time_column and new.base and old.time_column.split(".")[0] == new.base:
        return previous.period
    return None


def records_of_a_dated_count(previous: Query, query: Query) -> RecordCondition | None:
    """ "how many new customers did we sign in Q3", then "whats the avg health score on that cohort": the accounts
    that count picked by their own date (customer since in Q3), kept as a condition on the new measure's records,
    which have no date of their own (a health score, a lifetime value). None otherwise."""
    model = semantic.model()
    new, old = model.metric(query.metric), model.metric(previous.metric)
    period = previous.period
    if query.period is not None or period is None or period.end is None:
        return None
    if previous.compare_to is not None or old.snapshot or not old.time_column:
        return None
    if old.aggregate not in ("count", "count_distinct") or (new.time_column and not new.snapshot):
        return None
    if not model.reachable(model.base_of(query.metric), old.time_column.split(".")[0]):
        return None
    return RecordCondition(
        "dated",
        column=old.time_column,
        since=period.start.isoformat() if period.start else None,
        until=period.end.isoformat(),
        label=period.label,
    )


_PART_OF_IT = re.compile(
    r"\b(?:of|on)\s+(?:that|those|them|these|it)\b(?!\s+(?:months?|weeks?|quarters?|years?|days?|periods?)\b)"
)


def _part_dated_as_before(b, previous: Query, query: Query) -> RecordCondition | None:
    """ "how much of that is already overdue" after what is owed on invoices issued in H1: those invoices (issued in
    H1), not the overdue ones due in H1; a part of the previous figure keeps its records' dates."""
    model = semantic.model()
    period = previous.period
    if (
        period is None
        or period.end is None
        or previous.compare_to is not None
        or not _PART_OF_IT.search(b.raw)
        # ("how many did we lose to churn in each of those months?": month by month, each by its own date)
        or any(g.startswith("time:") for g in query.group_by + previous.group_by)
    ):
        return None
    old, new = model.time_column_of(previous.metric), model.time_column_of(query.metric)
    if not old or not new or old == new or old.split(".")[0] != new.split(".")[0]:
        return None
    return RecordCondition(
        "dated",
        column=old,
        since=period.start.isoformat() if period.start else None,
        until=period.end.isoformat(),
        label=period.label,
    )


def records_picked_elsewhere(previous: Query, query: Query):
    """The previous list's period when it picked records of another table by their own date ("which
    customers churned last quarter", then "what did those companies pay us"): the new measure, dated
    by its own column, can't be narrowed to those records here; answering would give everyone's."""
    model = semantic.model()
    if not previous.list_records or previous.period is None:
        return None
    old, new = model.metric(previous.metric), model.metric(query.metric)
    if model.base_of(old) == model.base_of(new) or not old.time_column:
        return None
    if new.time_column and new.time_column.split(".")[0] == old.time_column.split(".")[0]:
        return None
    return previous.period


_FORWARD_DATES = {"deals.expected_close_date", "customer_insights.predicted_churn_date"}


def _names_records(b, base: str) -> bool:
    """The message names this table's records ("deals", "open deals", "invoices")."""
    model = semantic.model()
    return any(
        s.kind == "metric"
        and (s.name in GENERIC_METRICS or s.name in RECORD_METRICS)
        and model.base_of(s.name) == base
        for m in b.mentions
        for s in m.senses
    )


_COMPARE_WITH = re.compile(r"\b(?:compare[sd]?|stack(?:s)?\s+up)\s+(?:with|to|against)\b")


_NOW = re.compile(
    # "and what's in open pipe right now": as of now ("now by region" only continues the thread)
    r"\b(?:right\s+now|currently|at\s+the\s+moment|as\s+of\s+(?:today|now)|as\s+things\s+stand)\b|\bnow\s*[?.!]*\s*$"
)


# who and where a figure was about: what "the whole company" drops (never what its records are, "open" leads)
_WHO_AND_WHERE = frozenset(["rep", "team", "customer", "region", "country"])


def carry(b, previous: Query, query: Query, periods) -> list[str]:
    """Keep what still applies from the previous query when the measure changes; notes of what was dropped."""
    model = semantic.model()
    base = model.base_of(query.metric)
    notes = []
    snapshot = model.metric(query.metric).snapshot and not model.metric(previous.metric).snapshot
    # "and their open pipeline?" after last quarter's win rate: a past period was when deals closed; the
    # pipeline is dated by when its deals are expected to close, so that period is not carried
    ahead = model.metric(query.metric).time_column in _FORWARD_DATES
    past = (
        previous.period is not None
        and previous.period.end is not None
        and b.today is not None
        and previous.period.end < b.today
    )
    if ahead and _NOW.search(b.raw) and previous.period is not None:
        snapshot = True  # "bookings this qtr?" then "and what's in open pipe right now": all of it, today
        notes.append(f"{previous.period.label} is not carried: asked as of now")
    elif ahead and past and model.metric(previous.metric).time_column not in _FORWARD_DATES:
        snapshot = True
        notes.append(
            f"{previous.period.label} is not carried: {model.metric(query.metric).label} is dated ahead"
        )
    if (
        _COMPARE_WITH.search(b.raw)
        and previous.period is not None
        and previous.compare_to is None
        and query.period is not None
        and query.compare_to is None
        and query.period != previous.period
    ):
        # "sales cycle just for APAC - how does that compare with Q4 2025?" after last quarter's: last
        # quarter against Q4 2025
        query.period, query.compare_to = previous.period, query.period
    if query.period is None and query.compare_to is None and not snapshot:
        query.period = previous.period
        if previous.compare_to is not None and (periods.same_comparison or not periods.period):
            query.compare_to = previous.compare_to
        dated = _part_dated_as_before(b, previous, query)
        if dated is not None:
            query.period, query.conditions = None, [*query.conditions, dated]
            notes.append(f"the records of the previous figure ({dated.label}, by {dated.column})")
    if query.owner is None and not any(
        f.dimension in ("team", "rep") and not f.negate for f in query.filters
    ):
        query.owner = previous.owner  # (a team or a rep named instead: theirs, not the asker's)
    if (
        not query.thresholds
        and b.follow.refers
        and model.base_of(previous.metric) == base
        # ("how many open leads do i have in total" after my open leads scoring 50 or more: all of them)
        and not (in_total(b) and b.owner is not None)
    ):
        # "and the total owed on them" after "overdue invoices over 20k": the same records; "sort them lowest
        # health first" after "customers with a health score under 70": the same measure, so its bound too
        query.thresholds = [
            t for t in previous.thresholds if t.target != "metric" or query.metric == previous.metric
        ]
    too = re.search(r"\b(?:too|as\s+well|also)\b", b.raw)
    if (
        too
        and query.dimensions
        and previous.dimensions
        and not set(previous.dimensions) & set(query.dimensions)
    ):
        # "... and give me the owner too" after a list per customer: the owner beside each customer
        query.group_by = previous.group_by + [g for g in query.group_by if g not in previous.group_by]
    named = {f.dimension for f in query.filters}
    everyone = b.has_marker("everyone") and b.owner is None
    if everyone and (
        previous.owner is not None or any(f.dimension in _WHO_AND_WHERE for f in previous.filters)
    ):
        query.owner = None  # "ok now company-wide - total overdue ..." after one account's: everyone's
        notes.append("the whole company, not the previous answer's account, rep or region")
    for f in previous.filters:
        if f.dimension in named or (everyone and f.dimension in _WHO_AND_WHERE):
            continue
        if model.dimension_for(f.dimension, base) and _defines(model, query.metric, f, base):
            # "and their conversion rate?" after "open leads": the rate is over every status
            notes.append(
                f"dropped the filter on {f.dimension.replace('_', ' ')}, which the new measure is about"
            )
        elif model.dimension_for(f.dimension, base):
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
    ranks_records = (
        query.limit is not None and query.limit > 1 and not query.also and _names_records(b, base)
    )  # "the 3 biggest (open) deals there?" after pipeline by stage: the deals themselves, ranked
    if not query.group_by and not query.list_records and not in_total(b) and not ranks_records:
        query.group_by = [  # a filter this message names ends that grouping; a carried one does not
            g
            for g in previous.group_by
            if g not in named and (g.startswith("time:") or model.dimension_for(g, base))
        ]
        if query.group_by and previous.order and query.order is None:
            query.order, query.limit = previous.order, previous.limit
            if query.period != previous.period and pin_shown(b, previous, query):
                notes.append(
                    "kept the ones of the previous ranking"
                )  # "what did those three book last quarter?"
    return notes


def carry_account(previous: Query, query: Query) -> list[str]:
    """The one account the previous answer was about, for a short question on another table."""
    model = semantic.model()
    accounts = [
        f for f in previous.filters if f.dimension == "customer" and not f.negate and len(f.values) == 1
    ]
    if len(accounts) != 1 or not model.dimension_for("customer", model.base_of(query.metric)):
        return []
    query.filters.append(accounts[0])
    return [f"kept the previous account ({accounts[0].values[0]})"]


def drill_down(previous: Query, query: Query) -> list[str]:
    """ "which source converted best" right after "lead conversion rate last year": a ranking or a
    breakdown of the same records that names no period of its own looks inside the figure just
    given, so it keeps that figure's period, owner and filters (and says so). A total or a list names
    its own; a question naming an owner or a filter is one of its own."""
    model = semantic.model()
    if previous.period is None or query.period is not None or query.compare_to is not None:
        return []
    if query.owner is not None or query.filters:
        return []  # a question of its own: "which of my reps ...", "which EMEA account ..."
    same_split = (
        bool(query.group_by)
        and query.group_by == previous.group_by
        and not query.group_by[0].startswith("time:")
    )
    if not (query.group_by and (query.order or same_split)) or model.base_of(query.metric) != model.base_of(
        previous.metric
    ):
        return []  # ("how many deals did we lose per region" after the win rate by region in Q2: Q2's, split alike)
    if model.metric(query.metric).snapshot or (previous.group_by and previous.group_by != query.group_by):
        return []  # a split of its own; the same split ranked ("which source ... most" after "by source") keeps
    query.period = previous.period
    notes = [f"kept the previous period ({previous.period.label})"]
    base = model.base_of(query.metric)
    if query.owner is None and previous.owner is not None:
        query.owner = previous.owner  # "which account paid the most" after "my accounts paid us": mine
        notes.append("kept the previous owner")
    named = {f.dimension for f in query.filters}
    for f in previous.filters:
        kept = f.dimension not in named and f.dimension not in query.group_by
        if kept and model.dimension_for(f.dimension, base) and not _defines(model, query.metric, f, base):
            query.filters.append(f)
    return notes


def _defines(model, metric_name: str, f: Filter, base: str) -> bool:
    """Whether a carried filter contradicts the measure's own definition: a rate over the filtered
    column (win rate of won deals is always 100%), or a condition on it that none of the filter's
    values meet (converted leads among open leads: none)."""
    metric = model.metric(metric_name)
    column = model.dimension_column(f.dimension, base)
    if metric.aggregate in ("rate", "rate_distinct") and metric.column == column:
        return True
    for c in metric.conditions:
        if c.column != column or f.negate:
            continue
        allowed = {c.value} if c.op == "eq" else set(c.value) if c.op == "in" else None
        if allowed is not None and not allowed & set(f.values):
            return True
    return False


_SAME_IN_YEAR = re.compile(
    r"\b(?:the\s+)?same\s+(?:quarter|month|half|week|period|dates|days|stretch|time)\s+(?:in|of|for|during)\s+((?:19|20)\d{2})\b"
)
_SAME_TWO = re.compile(
    r"\b(?:for\s+|over\s+|in\s+|across\s+)?(?:the\s+)?same\s+(?:two|2|both)\s+"
    r"(?:periods|quarters|months|years|weeks|windows|ranges)\b|\b(?:for\s+|over\s+|in\s+)?both\s+periods\b"
)
SAME_ONE = re.compile(
    r"\b(?:for\s+|over\s+|in\s+|during\s+)?(?:the\s+)?same\s+(?:month|quarter|qtr|year|week|period|time\s*frame|"
    r"time\s+period|dates|window|range|days|stretch)\b(?!'s)(?!\s+(?:last|a\s+year|the\s+year|of\s+last|previous|prior|"
    r"before|year\s+before|a\s+year\s+(?:ago|earlier|before)))"
)


def same_period_said(text: str, previous: Query | None) -> str:
    """ "how many churned same month" after new customers in October: October, said again; "avg deal size,
    same two periods" after a comparison: that comparison (a new measure would otherwise start clean)."""
    if previous is None or previous.period is None or previous.period.start is None:
        return text
    in_year = _SAME_IN_YEAR.search(text)
    if in_year and previous.period.end is not None:
        # "how does that compare with the same quarter in 2025?" after Q1 2026: Q1 2025, said by name
        from tools.reports.timewords import shift_period

        other = shift_period(previous.period, int(in_year.group(1)) - previous.period.start.year)
        return text[: in_year.start()] + f" {other.label} " + text[in_year.end() :]
    two = _SAME_TWO.search(text)
    if two and previous.compare_to is not None and previous.compare_to.start is not None:
        said = f" {previous.period.label} vs {previous.compare_to.label} "
        return text[: two.start()] + said + text[two.end() :]
    one = SAME_ONE.search(text)
    said_otherwise = re.search(  # "over the same dates in 2025, so jan 1 to dec 15": their own period
        r"\b20\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bq[1-4]\b|\b(?:last|this|next)\s+\w+",
        text[: one.start()] + text[one.end() :] if one else text,
    )
    if one and previous.compare_to is None and not said_otherwise:
        label = re.sub(r"\s*\([^()]*\)", "", previous.period.label)  # "FY2025 (calendar year)": its name
        return text[: one.start()] + f" {label} " + text[one.end() :]
    return text


# "which 3 are the least healthy?", "which five are the biggest": a ranking with no noun of its own, of the records
# just counted
_WHICH_N_ARE = re.compile(
    r"^\W*(?:(?:and|ok|okay|so|now)\W+)?which\s+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:are|is|were|was|have|has|r)\b|"
    # "what are the 5 biggest by lifetime value?" after how many NA customers we have: those, ranked
    r"^\W*(?:(?:and|ok|okay|so|now)\W+)?(?:what|who|which)\s+(?:are|r|were)\s+the\s+(?:\d{1,2}|three|five|ten)\s+"
    r"(?:biggest|largest|top|best|worst|smallest|highest|lowest)\s+(?:by|on|in\s+terms\s+of)\b"
)


def ranking_of_those(raw: str, previous: Query, query: Query) -> list[str]:
    """ "which 3 are the least healthy?" after "how many customer accounts do i have": those accounts ranked, so
    the previous owner and filters stay (the new measure may be of another table about the same accounts)."""
    if not _WHICH_N_ARE.search(raw) or query.order is None or query.owner is not None or query.filters:
        return []
    model = semantic.model()
    base = model.base_of(query.metric)
    notes = []
    if previous.owner is not None and model.dimension_for("rep", base):
        query.owner = previous.owner
        notes.append("kept the previous owner")
    for f in previous.filters:
        if model.dimension_for(f.dimension, base) and not _defines(model, query.metric, f, base):
            query.filters.append(f)
            notes.append(f"kept the filter on {f.dimension.replace('_', ' ')}")
    return notes
