"""Readings that would answer another question than the one asked, said instead: one measure as a share of another,
each group's share of its own total, a filter within a top N, and a period wholly ahead for what has happened. Each
is a Refusal that says what can be asked instead; a wrong figure is worse than none. ("The 2nd biggest" read as the
biggest is set right here: the one after it.)"""

from __future__ import annotations

import re
from datetime import date

from crmbot.words import ORDINALS
from tools.reports import semantic
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Query, RecordCondition, Threshold


def not_answered_yet(reading, previous: Query | None, question: str, today: date):
    """The reading, or what it can't answer yet."""
    reading = _share_of_another_measure(reading, previous, question)
    reading = _not_happened_yet(reading, today)
    reading = _share_within_each(reading, question)
    _nth_of_the_ranking(reading, question)
    return _within_a_top_n(reading, question)


_NTH = re.compile(
    r"\b(2nd|second|3rd|third|4th|fourth|5th|fifth)[\s-]+(?:biggest|largest|highest|top|best|smallest|lowest|worst|"
    r"most|least|fewest|newest|oldest|latest|earliest|riskiest|healthiest)\b",
    re.I,
)


def _nth_of_the_ranking(reading, question: str) -> None:
    """ "what's the 2nd biggest deal in the pipeline": the one after the biggest, never the biggest itself."""
    nth = _NTH.search(question)
    if not nth or not isinstance(reading, Reading):
        return
    query = reading.query
    if query.limit == 1 and query.order and not query.offset:
        query.offset = ORDINALS[nth.group(1).lower()]
        reading.notes.append(f"number {query.offset + 1} of the ranking")


_WITHIN_EACH = re.compile(
    r"\b(?:share|%|percent(?:age)?|proportion|fraction|how\s+many)\s+of\s+(?:the\s+|our\s+)?[\w\s]{0,30}?\b(?:in|per|for|of)\s+"
    r"(?:each|every)\s+\w+\s+(?:are|is|were|was|have|has|had)\b",
    re.I,
)


_WITHIN_A_TOP_N = re.compile(
    r"^\W*(?:of|among|out\s+of)\s+(?:our|the|my|those|these)?\s*(?:top\s+)?(\d{1,3}|five|ten|twenty|fifty)\s+"
    r"(?:biggest|largest|top|best|highest|lowest|worst|most\s+valuable)?\b[^,?]{0,50},\s*(?:which|what|how\s+many|who)\b",
    re.I,
)


def _within_a_top_n(reading, question: str):
    """ "of our 20 biggest customers by ltv, which are medium or high churn risk?": a filter within a ranking is no
    query I build yet (I would rank the filtered ones instead, other accounts); say so, never answer another list."""
    said = _WITHIN_A_TOP_N.search(question)
    if not said or not isinstance(reading, Reading):
        return reading
    return Refusal(
        f"I can't filter within a top {said.group(1)} yet: I would rank the filtered ones instead and show other records. "
        f"Ask for the top {said.group(1)} first; the list shows the columns to look at.",
        [],
        kind="unknown",
    )


def _share_within_each(reading, question: str):
    """ "what share of customers in each region are high churn risk?": each region's own share is no figure I compute
    yet; each region's part of all the high-risk customers would be a different number, so say so."""
    if not isinstance(reading, Reading):
        return reading
    query = reading.query
    split = [g for g in query.group_by if not g.startswith("time:")]
    if not (query.share and split and query.filters and _WITHIN_EACH.search(question)):
        return reading
    label = (
        semantic.model().dimensions_by_name[split[0]].label
        if split[0] in semantic.model().dimensions_by_name
        else split[0]
    )
    return Refusal(
        f"I can't give each {label}'s own share yet (the part of its own total). I can show how the matching records "
        f"split across {label}s, or the counts per {label} with and without the condition, to compare.",
        [],
        kind="unknown",
    )


def _not_happened_yet(reading, today: date):
    """ "ok NA reps have capacity next week. can u list the qualified leads in NA ...": a period wholly ahead of today
    for a measure of what has happened (leads created, deals won) has no records yet; it is said, never answered as an
    empty figure (and a remark that holds it can then be set aside)."""
    if not isinstance(reading, Reading):
        return reading
    query, model = reading.query, semantic.model()
    ahead = [
        p
        for p in (query.period, query.compare_to)
        if p is not None and p.start is not None and p.start > today
    ]
    if not ahead or any(model.metric(name).forward_looking for name in (query.metric, *query.also)):
        return reading
    return Refusal(
        f"{ahead[0].label[:1].upper() + ahead[0].label[1:]} hasn't happened yet, so there is nothing to count in it. "
        "Ask about a period up to today, or about what is expected then (deals expected to close, invoices coming due).",
        [],
        kind="unknown",
    )


_SHARE_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:share|percent(?:age)?|%|proportion|fraction|portion)\s+(?:of\b|is\b|are\b)|\bwhat\s+%|"
    r"\bhow\s+(?:much|many)\s+of\s+(?:it|that|this|those|them)\b[^?]*\b(?:%|percent)",
    re.I,
)


def _share_of_another_measure(reading, previous: Query | None, question: str):
    """ "what share of it is already past due?" after the outstanding amount: one measure as a share of another is no
    figure I compute yet; answering the second measure alone ($6.9M for a share) would be a wrong number, so say so."""
    if (
        previous is None
        or not isinstance(reading, Reading)
        or reading.query.share
        or reading.query.metric == previous.metric
        or not _SHARE_ASKED.search(question)
    ):
        return reading
    model = semantic.model()
    if model.metric(reading.query.metric).format in ("rate", "percent"):
        return reading  # "what % of them converted" after leads counted: their conversion rate is that share
    part, whole = model.metric(reading.query.metric).label, model.metric(previous.metric).label
    return Refusal(
        f"I can't give {part} as a share of {whole} yet. Ask for {part} on its own and compare it with the "
        f"{whole} above.",
        [part],
        kind="unknown",
    )


_ISSUED_IN = re.compile(
    r"\b(?:we\s+)?(?:issued|invoiced|billed|raised|sent(?:\s+out)?)\s+(?:in|during|on|from|since|over|this|last|so\s+far)\b"
)


def issued_in_the_period(reading, raw: str) -> None:
    """ "invoices we issued in jan that are already overdue": overdue invoices are placed in time by their due date,
    so a period said of when they were issued picks them by their issue date (kept as a condition on that date)."""
    if not isinstance(reading, Reading):
        return
    query = reading.query
    metric = semantic.model().metric(query.metric)
    period = query.period
    if metric.time_column != "invoices.due_date" or period is None or query.compare_to is not None:
        return
    if period.end is None or not _ISSUED_IN.search(raw):
        return
    query.conditions.append(
        RecordCondition(
            "dated",
            column="invoices.issue_date",
            since=period.start.isoformat() if period.start else None,
            until=period.end.isoformat(),
            label=period.label,
        )
    )
    query.period = None
    reading.notes.append(f"issued {period.label}, by the invoice's issue date")


_LESS_THAN = re.compile(
    r"\b(?:less|fewer|lower|smaller|worse|below)\b[^?.]{0,40}\bthan\b|\b(?:dropped|declined|fell|shrank|decreased|went\s+down|"
    r"is\s+down|are\s+down|were\s+down)\b"
)
_MORE_THAN = re.compile(
    r"\b(?:more|higher|bigger|larger|greater|better|above)\b[^?.]{0,40}\bthan\b|\b(?:grew|increased|rose|went\s+up)\b"
)
_WHICH_GROUPS = re.compile(r"^\W*(?:(?:so|ok|and)\W+)?(?:who'?s\s+behind\W+)?(?:which|who|what)\b|\bwho\b")


def groups_that_moved(reading, raw: str) -> None:
    """ "which reps booked less in Q1 than in Q4": of a comparison by rep, the reps whose change is below zero (above
    zero for "more ... than", "grew"), never every rep."""
    if not isinstance(reading, Reading):
        return
    query = reading.query
    if query.compare_to is None or not query.group_by or not _WHICH_GROUPS.search(raw):
        return
    if any(t.target == "change" for t in query.thresholds) or query.sort_column:
        return
    less, more = _LESS_THAN.search(raw), _MORE_THAN.search(raw)
    if bool(less) == bool(more):
        return
    query.thresholds.append(Threshold("lt" if less else "gt", 0.0, target="change"))


_FIRST_WITHOUT_BY = re.compile(r"\b(?:lowest|highest|smallest|biggest|worst|best)\s+(?:ones?\s+)?first\b")


def sorted_by_the_bound(reading, raw: str) -> None:
    """ "my customers with a health score below 80? name + score, lowest first": the list in the order of the value it
    is bounded by (the health score), not the list's usual order."""
    if not isinstance(reading, Reading):
        return
    query = reading.query
    bounds = [t for t in query.thresholds if t.target == "column" and t.column]
    if not query.list_records or query.sort_column or len(bounds) != 1 or not _FIRST_WITHOUT_BY.search(raw):
        return
    if re.search(r"\b(?:sorted|ordered|ranked|sort|order|rank)\s+(?:them\s+)?by\b", raw):
        return
    query.sort_column = bounds[0].column
    query.order = "asc" if re.search(r"\b(?:lowest|smallest|worst)\b", raw) else "desc"
