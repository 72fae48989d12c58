"""Follow-ups about the records behind the previous answer: list them ("which ones?", "show me the
deals"), rank them ("top 5 of those"), add a column to a list ("who owns each?"), or the money on them
("what is the total on them?").
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import DAYS_OVERDUE
from tools.reports.nlq.followup_measure import conditions_of
from tools.reports.nlq.followup_words import (
    ASCENDING,
    GENERIC_RECORD_WORDS,
    ONE_MORE_BESIDE,
    PER_ACCOUNT_DIMENSIONS,
    SORT,
    WHICH_WERE_THEY,
    asks_for_records,
    filters_said,
    in_total,
    rows_are_records,
)
from tools.reports.nlq.types import Reading
from tools.reports.query import Query


def amount_on_those(b, previous: Query, metric: str) -> Reading | None:
    """ "what is the total open amount on them?" after a count of overdue invoices: those records'
    amount (what is owed on them), not a measure of another table the words also name (the open
    pipeline)."""
    model = semantic.model()
    old = model.metric(previous.metric)
    new = model.metric(metric)
    if not old.amount_metric or model.base_of(new) == model.base_of(old) or previous.compare_to is not None:
        return None
    if not _AMOUNT_ON_THOSE.search(b.raw):
        return None
    query = previous.copy()
    query.metric, query.aggregate, query.also = old.amount_metric, None, []
    query.list_records, query.columns, query.order, query.limit = False, [], None, None
    return Reading(query, b.notes + [f"the {model.metric(old.amount_metric).label} of those {old.label}"])


HOW_MUCH_IN_THOSE = re.compile(r"\bhow\s+much\b[\w\s]{0,30}?\b(?:in|across|on|for)\s+(?:those|these|them)\b")
_A_BOUND = re.compile(
    r"\b(?:above|over|under|below|more\s+than|less\s+than|at\s+least|at\s+most|greater\s+than|higher\s+than|"
    r"lower\s+than)\s*\$?\d"
)
_AMOUNT_ON_THOSE = re.compile(
    r"\b(?:total|amount|balance|value|sum|worth)\b[\w\s]{0,20}?\b(?:on|of|for|across)\s+(?:them|those|these|it)\b"
)


_RECORD_NAMES = {"deal names", "deal name", "invoice numbers", "invoice number", "deals"}
_DAYS_LATE = re.compile(r"\bdays?\s+(?:past\s+due|overdue|late)\b|\bhow\s+(?:late|overdue)\b")
_POINTS_AT_RECORDS = re.compile(
    r"\b(?:each|each\s+one|those|these|them|they|ones|it|every\s+one)\b|"
    r"\b(?:that|this)\s+(?:deal|opp|opportunity|invoice|payment|ticket|lead|one)\b"  # after a list of one
)
_LAST_CONTACTED = re.compile(
    r"\blast\s+(?:contacted|contact|touched|touch(?:\s+base)?|spoke\s+(?:to|with)|talked\s+(?:to|with)|talk\s+(?:to|with)|"
    r"heard\s+from|reached\s+out|reach\s+out|had\s+(?:a\s+)?(?:contact|touchpoint|call))\b"
)


def _about_one_account(b, previous: Query) -> bool:
    """The previous answer was one account's records and the follow-up asks about that account, not about
    each record ("when did we last touch base with them" after one account's calls: one date)."""
    one = [f for f in previous.filters if f.dimension == "customer" and len(f.values) == 1 and not f.negate]
    return bool(one) and not re.search(r"\b(?:each|every|all)\b", b.raw)


def columns_for_list(b, previous: Query) -> Reading | None:
    """ "which stage is each in", "who are they billed to", "who owns each", "when was each last
    contacted": the previous list again, with that column beside the records (and no new filter)."""
    model = semantic.model()
    days_late = model.base_of(previous.metric) == "invoices" and _DAYS_LATE.search(b.raw)
    # "how many days past due is that?", "and days overdue?" after a list of invoices: that column
    that = days_late and re.search(
        r"\b(?:is|was)\s+that\b|^\W*(?:and|plus|with|w/)?\s*(?:the\s+)?days?\s+\w+(?:\s+due)?\W*$", b.raw
    )
    base = model.base_of(previous.metric)
    if (
        not previous.list_records
        and not (previous.group_by or previous.compare_to or previous.also)
        and _LAST_CONTACTED.search(b.raw)
        and re.search(r"\beach(?:\s+one)?\b|\bevery\s+one\b|\ball\s+of\s+them\b", b.raw)
        and base in ("companies", "customer_insights")
        and model.lists.get(base) is not None
    ):
        # "and when did we last touch each one" after the total LTV of a list of accounts: those accounts again
        previous = previous.copy()
        previous.list_records, previous.order, previous.limit = True, None, None
    if not previous.list_records or not (_POINTS_AT_RECORDS.search(b.raw) or that):
        return None
    if (getattr(b, "focus", None) or {}).get("card") and not re.search(r"\b(?:each|every|all)\b", b.raw):
        return None  # right after one account's card: about that account
    if days_late and re.search(r"\d", b.raw):
        return None  # "how many of them are more than 30 days past due?": a bound on the days, read in full
    if days_late:
        query = previous.copy()  # "how many days past due is each one": that column beside each invoice
        if DAYS_OVERDUE not in query.columns:
            query.columns.append(DAYS_OVERDUE)
        return Reading(query, b.notes + ["the previous list, with days overdue"])
    if re.search(r"\bhow\s+many\b", b.raw) and re.search(r"\b(?:each|per|every)\b", b.raw):
        return None  # "how many went to each lost reason": a count by it, not the list with a column
    base = model.base_of(previous.metric)
    last_contacted = bool(_LAST_CONTACTED.search(b.raw)) and model.reachable(base, "companies")
    if last_contacted and _about_one_account(b, previous):
        return None  # "when did we last touch base with them" about one account: its date, not a column
    wanted: list[str] = []
    for m in b.mentions:
        kinds = {s.kind for s in m.senses}
        if kinds <= {"marker"} or (
            last_contacted and ("contact" in m.phrase or any(s.name == "last_contacted" for s in m.senses))
        ):
            continue
        if kinds == {"metric"} and all(
            s.name in GENERIC_RECORD_WORDS and model.base_of(s.name) == base for s in m.senses
        ):
            continue  # "who owns that deal": the record word points back
        dims = [s.name for s in m.senses if s.kind == "dim" and model.dimension_for(s.name, base)]
        metrics = [s.name for s in m.senses if s.kind == "metric"]
        if not dims or "value" in kinds or any(name not in GENERIC_RECORD_WORDS for name in metrics):
            return None  # a value ("the negotiation ones") or a measure: another act
        wanted.append(dims[0])
    asks_who = bool(re.search(r"\bwho(?:'s|se|m|s)?\b", b.raw))
    owns = re.search(r"\b(?:owns?|owned|owner|owners|manages?|handles?|responsible|looks\s+after)\b", b.raw)
    if asks_who and (owns or not wanted) and model.dimension_for("rep", base):
        # "who owns those accounts": their owner, not the accounts again
        wanted = ["rep", *[d for d in wanted if d not in ("customer", "rep")]]
    if not wanted and not last_contacted:
        return None
    query = previous.copy()
    for dim in wanted:
        if dim not in query.columns:
            query.columns.append(dim)
    if last_contacted and "last_contacted" not in query.columns:
        query.columns.append("last_contacted")
    return Reading(query, b.notes + ["the previous list, with " + ", ".join(wanted or ["last contacted"])])


# "list the LATAM ones with their ltv" after how many high-risk customers per region: those accounts
# "list the invoices pls" after the overdue amount: the invoices behind it, not every invoice
_LIST_THE_RECORDS = re.compile(  # ("just Wei Okafor - list the deals": those of the narrowed figure)
    r"^\s*(?:(?:just|only)\s+[^-—–,;:]{1,40}?\s*[-—–,;:]\s*)?(?:and\s+|ok\s+|now\s+|so\s+)?"
    r"(?:pls\s+|please\s+|can\s+you\s+|could\s+you\s+)?(?:list|show|give|pull)\s+"
    r"(?:me\s+|us\s+)?(?:the|those|these)\s+(?:invoices|deals|payments|tickets|leads)\s*(?:pls|please|then)?\s*[?.!]*\s*$"
)
# "when r they expected to close" after the total of some deals: those deals, each with its expected close date
WHEN_DO_THEY_CLOSE = re.compile(
    r"^\W*(?:and\s+|so\s+|ok\s+)?when(?:'s|s|\s+is|\s+are|\s+r|\s+were|\s+will|\s+do|\s+does|\s+should)\s+"
    r"(?:they|those|these|those\s+deals|these\s+deals)\s+"
    r"(?:expected\s+to\s+|due\s+to\s+|set\s+to\s+|supposed\s+to\s+|going\s+to\s+)?close\b|"
    # "when was each one due?" after a list of invoices: those invoices, each with its due date
    r"^\W*(?:and\s+|so\s+|ok\s+)?when\s+(?:was|were|is|are)\s+(?:each(?:\s+one)?|each\s+of\s+(?:them|those)|they|those|"
    r"these)\s+due\b"
)
_LIST_THE_ONES = re.compile(
    r"^\s*(?:and\s+|ok\s+|now\s+)?(?:pls\s+|please\s+)?(?:list|show)\s+(?:me\s+)?(?:the|those|them|all\s+the)\s+"
    r"(?:[\w&-]+\s+){0,3}?ones\b"
)
# "show me Giulia's deals" after bookings by rep: the deals behind that row of the answer
_SHOW_ONES_RECORDS = re.compile(
    r"^\s*(?:and\s+|ok\s+|now\s+)?(?:show|list|give|pull\s+up)\s+(?:me\s+)?(?:the\s+)?(?:[\w'’.-]+\s+){1,3}?"
    r"(?:deals|invoices|payments|tickets|leads)\s*[?.!]*\s*$"
)
_WHICH_OF_THEM = re.compile(
    r"^\s*(?:and\s+|ok\s+|so\s+)?(?:which|what)\s+(?:ones\s+)?(?:of|among)\s+(?:them|those|these)\b"
)


_A_BOUND_SAID = re.compile(
    r"(?:\b(?:over|above|under|below|more\s+than|less\s+than|at\s+least|at\s+most|bigger\s+than|greater\s+than)|[<>]=?)"
    r"\s*\$?\d"
)


def records_behind(b, previous: Query, metric: str, period) -> Reading | None:
    """ "which deals were they in q3" after my bookings by quarter: the records behind the figure (in the
    period said), not the count of them by quarter."""
    model = semantic.model()
    base = model.base_of(previous.metric)
    if (
        previous.list_records
        and _WHICH_OF_THEM.search(b.raw)
        and model.base_of(metric) == base
        and metric != previous.metric
        and not re.search(r"\d", b.raw)  # "which of those are more than 90 days past due": read in full below
    ):
        # "which of them are overdue?" after an account's unpaid invoices: those of the list that are
        said = filters_said(b, metric, base)
        if said is None:
            return None
        query = previous.copy()
        query.metric = metric
        query.replace_filters(said)
        return Reading(
            query, b.notes + [f"the previous {model.base_label(base)} that are {model.metric(metric).label}"]
        )
    pointed = (
        WHICH_WERE_THEY.search(b.raw)
        or _LIST_THE_ONES.search(b.raw)
        or _LIST_THE_RECORDS.search(b.raw)
        or WHEN_DO_THEY_CLOSE.search(b.raw)
    )
    if (
        pointed
        and base not in ("companies", "customer_insights")
        and re.search(r"\b(?:accounts|customers|companies)\b", pointed.group(0))
    ):
        return None  # "which accounts is that" after the overdue amount: the amount by account, not invoices
    ranked = re.search(
        r"\b(?:top|bottom|first|last)\s+\d+\b|\b\d+\s+(?:biggest|largest|smallest|oldest|newest)\b", b.raw
    )
    # "whats in april specifically? deal names pls": the records of that row, named by their columns
    asked = bool(pointed) or (not ranked and bool(set(b.columns_asked) & _RECORD_NAMES))
    one_row = (
        bool(_SHOW_ONES_RECORDS.search(b.raw))
        and bool(previous.group_by)
        and model.metric(metric).aggregate == "count"
    )
    if previous.list_records or not (asked or one_row) or model.base_of(metric) != base:
        return None
    if not model.lists.get(base):
        return None
    if _A_BOUND_SAID.search(b.raw):
        return None  # "list the LATAM ones over 5k - invoice #, ...": the bound too, read in full

    said = filters_said(b, previous.metric, base)
    if said is None:
        return None
    if one_row and not asked and not any(f.dimension in previous.group_by for f in said):
        return (
            None  # "show me Giulia's deals" after bookings by rep: her row's deals; otherwise a new question
        )
    query = previous.copy()
    query.replace_filters(said)
    if metric != previous.metric and (
        metric in previous.also
        # "which of those invoices are overdue?" after what my accounts owe: those of them that are
        or (_WHICH_OF_THEM.search(b.raw) and _narrower(model.metric(metric), model.metric(previous.metric)))
    ):
        query.metric = metric  # "list the overdue ones" after what they owe and how much is overdue: those
    query.list_records, query.group_by, query.order, query.limit = True, [], None, None
    query.also, query.compare_to = [], None
    query.drop_share()
    if period is not None:
        query.period = period
    return Reading(query, b.notes + [f"the {model.base_label(base)} behind the previous figure"])


def _narrower(metric, than) -> bool:
    """Whether ``metric`` counts some of the records ``than`` does: the same base, every one of its conditions and more."""
    return metric.base == than.base and conditions_of(than) < conditions_of(metric)


_TOP_OF_THOSE = re.compile(
    r"\b(?P<end>top|bottom|biggest|largest|smallest)\s+(?P<n>\d+)\s+(?:of\s+)?(?:those|these|them|the)\s+"
    r"(?P<word>deals|opps|invoices|payments)\b(?:\s+by\s+(?:amount|value|size|total|\$))?\s*[?.!]*\s*$"
)


def top_records_of_those(b, previous: Query) -> Reading | None:
    """ "top 3 of those deals by amount" after the negotiation pipeline by rep: the biggest of the records behind
    the figure, each listed (not the figure again)."""
    found = _TOP_OF_THOSE.search(b.raw)
    model = semantic.model()
    base = model.base_of(previous.metric)
    if found is None or previous.list_records or previous.compare_to is not None:
        return None
    if model.base_label(base).split()[-1] != found.group("word") and not (
        base == "deals" and found.group("word") == "opps"
    ):
        return None
    if not model.lists.get(base) or model.amount_column(base) is None:
        return None
    query = previous.copy()
    query.list_records, query.group_by, query.also = True, [], []
    query.drop_share()
    query.sort_column = model.amount_column(base)
    query.order = "asc" if found.group("end") in ("bottom", "smallest") else "desc"
    query.limit = int(found.group("n"))
    return Reading(
        query, b.notes + [f"the {query.limit} {found.group('end')} {found.group('word')} behind it"]
    )


# "which of those has the lowest health score?", "which one has the highest LTV", "which one's worst": one record of
# the list just shown, the first by that measure's own column (of those: the list's filters and owner stay)
_WHICH_ONE = re.compile(
    r"^\W*(?:(?:and|ok|so|now|then)\W+)?(?:which|who|what)\s+(?:"
    r"one\s+(?:(?:of|among|in|from)\s+(?:those|them|these|the\s+list|that\s+list)\s+)?|"
    r"(?:account\s+|customer\s+|company\s+|client\s+|deal\s+|invoice\s+|lead\s+|opp\s+)?"
    r"(?:of|among|in|from)\s+(?:those|them|these|the\s+list|that\s+list)\s+)"
    r"(?:has|had|is|was|got|scores|shows|'s)\b|"
    r"^\W*(?:(?:and|ok|so|now|then)\W+)?which\s+one'?s\b"
)
# "which of those have the lowest health?": the same list, those first
_WHICH_ONES = re.compile(
    r"^\W*(?:(?:and|ok|so|now|then)\W+)?which\s+(?:ones\s+|(?:ones\s+)?(?:of|among|in|from)\s+(?:those|them|these|"
    r"the\s+list|that\s+list)\s+)(?:have|had|are|were|got|score|show)\b"
)


def the_one_of_those(b, previous: Query, metric: str | None, rank_order: str | None) -> Reading | None:
    """ "which of those has the lowest health score?" after a list of accounts: the one account of that list with
    the lowest score, shown with it (never the whole list again, nor every account's); "which of those have the
    lowest health?": that list, the lowest first."""
    if metric is None or not previous.list_records or previous.compare_to is not None:
        return None
    order = rank_order or ("desc" if b.has_marker("desc") else "asc" if b.has_marker("asc") else None)
    one = bool(_WHICH_ONE.search(b.raw))
    if order is None or not (one or _WHICH_ONES.search(b.raw)):
        return None
    model = semantic.model()
    m = model.metric(metric)
    base = model.base_of(previous.metric)
    if m.column is None or m.aggregate not in ("avg", "sum", "max", "min") or not model.lists.get(base):
        return None
    if not model.reachable(base, m.column.split(".")[0]):
        return None
    query = previous.copy()
    if m.column not in query.columns:
        query.columns.append(m.column)
    query.sort_column, query.order, query.limit = m.column, order, (1 if one else None)
    end = "highest" if order == "desc" else "lowest"
    label = m.label.replace("average ", "")
    if not one:
        return Reading(query, b.notes + [f"the previous {model.base_label(base)}, the {end} {label} first"])
    return Reading(
        query, b.notes + [f"the one of the previous {model.base_label(base)} with the {end} {label}"]
    )


def rank_previous_records(b, previous: Query, metric: str, limit, rank_order) -> Reading | None:
    """ "show me the top 3 by score" after "how many open leads": the records, ranked by that column."""
    model = semantic.model()
    m = model.metric(metric)
    base = model.base_of(previous.metric)
    if not (limit or rank_order) or m.base != base or m.aggregate not in ("avg", "sum", "max", "min"):
        return None
    if any(s.kind == "dim" for mention in b.mentions for s in mention.senses):
        return None  # "top 3 accounts in that?": a ranking of its accounts, not of its records
    counted = model.metric(previous.metric).aggregate in ("count", "count_distinct")
    if m.column is None or not model.lists.get(base) or (previous.group_by and not counted):
        return None  # ("top 3 by score?" after my open leads by status: the leads, ranked; after a split of a
        # measure, its groups)
    said = filters_said(b, previous.metric, base)
    if said is None:
        return None
    if said and not b.follow.refers:
        return None  # "top 10 NA customers by churn probability": a question of its own, not those ranked
    query = previous.copy()
    query.replace_filters(said)
    query.list_records, query.group_by = True, []
    query.sort_column = m.column
    b._apply_rank(query, limit, rank_order or "desc")
    return Reading(query, b.notes + [f"ranked the previous {model.base_label(base)} by {m.label}"])


def add_column_to_list(b, previous: Query, metric: str) -> Reading | None:
    """ "what are their health scores" after a list or a ranking of accounts: the same rows, with that
    measure beside them."""
    model = semantic.model()
    # "and churn probability?" right after "what are their health scores" was put beside a ranking: beside it too
    again = bool(previous.also) and rows_are_records(previous) and bool(ONE_MORE_BESIDE.match(b.raw))
    if (
        not (b.follow.refers or again)
        or previous.compare_to is not None
        or in_total(b)
        or HOW_MUCH_IN_THOSE.search(b.raw)
    ):
        return None  # "whats their combined LTV", "how much LTV is in those 10": one figure over them
    if _A_BOUND.search(b.raw):
        return None  # "only the ones with LTV above 50k": a bound on the records, not a new column
    m = model.metric(metric)
    base = model.base_of(previous.metric)
    counted = model.metric(previous.metric).aggregate in ("count", "count_distinct")
    # ("how many of my customers have a health score below 70?" shows the count and the average: still those customers)
    beside = all(model.base_of(a) == base or model.reachable(base, model.base_of(a)) for a in previous.also)
    if (
        counted
        and not previous.list_records
        and not (previous.group_by or (previous.also and not beside))
        and asks_for_records(b)
        and model.lists.get(base) is not None
    ):
        # "how many are at high churn risk?", then "list them w/ their health score": the records
        # counted, with that measure beside each
        previous = previous.copy()
        previous.list_records, previous.limit, previous.order, previous.also = True, None, None, []
        if m.column is None or m.aggregate not in ("avg", "sum", "max", "min") or m.base is None:
            return None
        if not model.reachable(base, m.column.split(".")[0]):
            return None
        if m.column not in previous.columns:
            previous.columns.append(m.column)
        if b.has_marker("asc") or b.has_marker("desc"):  # "..., lowest first"
            previous.sort_column = m.column
            previous.order = "asc" if b.has_marker("asc") and not b.has_marker("desc") else "desc"
        from tools.reports.nlq.numbers import extract_rank

        n, order, _ = extract_rank(b.raw)
        if n:  # "any of them already looking shaky? bottom 3 by health score": those 3 of them
            previous.limit, previous.sort_column = n, m.column
            previous.order = order or previous.order or "desc"
        return Reading(
            previous, b.notes + [f"listed the records counted, with {m.label.replace('average ', '')}"]
        )
    if previous.list_records:
        if m.column is None or m.aggregate not in ("avg", "sum", "max", "min") or m.base is None:
            return None
        if m.format == "date" and _about_one_account(b, previous):
            return None  # "when did we last touch base with them" about one account: one date
        if (
            any(b.has_marker(k) for k in ("avg", "total", "count", "max", "min"))
            or re.search(r"\b(?:avg|average|mean|total|sum)\b", b.raw)
            and not re.search(r"\b(?:each|every|per)\b", b.raw)
        ) and model.base_of(m) == base:
            return None  # "avg CSAT on those?", "what's my average deal size on them?": one figure over those records
        if not model.reachable(base, m.column.split(".")[0]):
            return None
        query = previous.copy()
        if m.column not in query.columns:
            query.columns.append(m.column)
        if SORT.search(b.raw) or b.has_marker("asc") or b.has_marker("desc"):
            # "sort them by LTV, biggest first": the same list, in that column's order
            query.sort_column = m.column
            query.order = (
                "asc"
                if (b.has_marker("asc") and not b.has_marker("desc")) or ASCENDING.search(b.raw)
                else "desc"
            )
            return Reading(
                query, b.notes + [f"sorted the previous list by {m.label.replace('average ', '')}"]
            )
        return Reading(query, b.notes + [f"added {m.label.replace('average ', '')} to the previous list"])
    if rows_are_records(previous) and model.base_of(m) == base and metric != previous.metric:
        said = filters_said(b, metric, base)
        if said is None:
            return None
        kept = {(f.dimension, tuple(f.values), f.negate) for f in previous.filters}
        said = [f for f in said if (f.dimension, tuple(f.values), f.negate) not in kept]
        if said:
            # "how many open invoices does each of them have": the measure defined as those records (open invoices),
            # never every invoice; none defined so: the full reading's to answer
            metric = _measure_of_values(m, said)
            if metric is None or metric == previous.metric:
                return None
            m = model.metric(metric)
        query = previous.copy()
        if re.search(r"\b(?:instead|rather)\b", b.raw) and previous.group_by and not previous.list_records:
            # "actually make it top 10 by overdue amount instead": ranked by that measure, never beside the other
            query.metric, query.also, query.sort_column = metric, [], None
            return Reading(query, b.notes + [f"ranked by {m.label.replace('average ', '')} instead"])
        query.also = [*query.also, metric]
        if previous.group_by == ["customer"]:
            # "what are their health scores and churn risk": an account's own value beside it too (one per account)
            for mention in b.mentions:
                for sense in mention.senses:
                    if (
                        sense.kind == "dim"
                        and sense.name not in query.group_by
                        and model.dimension_for(sense.name, base)
                        and sense.name in PER_ACCOUNT_DIMENSIONS
                    ):
                        query.group_by.append(sense.name)
        return Reading(
            query, b.notes + [f"added {m.label.replace('average ', '')} beside the previous ranking"]
        )
    return None


def _measure_of_values(metric, said: list) -> str | None:
    """The measure defined as ``metric`` over the one value said (invoices of status sent: the unpaid invoices), or None."""
    model = semantic.model()
    if len(said) != 1 or said[0].negate:
        return None
    column = model.dimension_columns.get(said[0].dimension, {}).get(metric.base)
    if column is None:
        return None
    other = model.restricted(metric, said[0].values, column)
    return other.name if other is not None else None
