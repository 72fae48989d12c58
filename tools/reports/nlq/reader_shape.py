"""How the reader shapes the query it has read: ranks and limits, averages and counts above a bar, the
bars themselves (on each record, on a group's measure or on an amount), and periods said of dates ahead.

A mixin of the reader's builder (reader_builder.Builder): it reads ``self.raw``, ``self.mentions``, ``self.tokens`` and
the markers read, and changes the query being built.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.nlq import followup_measure
from tools.reports.nlq.kinds import AMOUNT_METRIC_OF_RECORDS, GENERIC_METRICS
from tools.reports.nlq.phrasings import CREATED_TO_CLOSED
from tools.reports.nlq.reader_lists import column_named, per_record_column
from tools.reports.nlq.types import Refusal
from tools.reports.nlq.words import Mention
from tools.reports.query import Query, RecordCondition, Threshold
from tools.reports.timewords import Period

_THE_ONE_WITH = re.compile(
    r"\b(?:which|the|what)\s+(?:of\s+(?:my|our|the|those|these)\s+)?[a-z]+\s+(?:has|had|with|is|was|got)\s+(?:got\s+)?"
    r"the\s+(?:highest|lowest|biggest|smallest|best|worst|most|least|top)\b"
)

# "that were supposed to close in Q4", "was due to close in march": a date in the past, not the one ahead
_PAST_TENSE_DATE = re.compile(
    r"\b(?:were|was|had\s+been)\s+(?:supposed|expected|due|slated|scheduled|set|planned|forecast(?:ed)?|meant|"
    r"projected|penciled|pencilled)\s+(?:in\s+)?to\b"
)


# "created before feb 20", "were created this year": the period said of when the records were created ("regardless of
# when they were created" says no period of it)
_CREATED_IN_A_PERIOD = re.compile(
    r"\bcreated\s+(?:in|on|before|after|during|since|between|this|last|from|prior\s+to|earlier|so\s+far|over|within|"
    r"the\s+(?:last|past)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|q[1-4]\b|(?:19|20)\d{2}\b)"
)


class Shape:
    """The builder's shaping of a query read: ranks, averages, bars, periods of dates ahead."""

    def _created_in_the_period(self, query: Query) -> None:
        """ "drafts created before feb 20 that still havent gone out", "open deals created this year": where the
        measure is placed in time by another date, a period said of when the records were created picks them by
        their creation date (a condition on it), never by the measure's own date."""
        metric = semantic.model().metric(query.metric)
        raw = CREATED_TO_CLOSED.sub(" ", self.raw)
        said = _CREATED_IN_A_PERIOD.search(raw)
        if not (said and query.period and metric.time_column) or metric.time_column.endswith(".created_at"):
            return
        self._month_behind(query)  # ("created before december", in March: the December just gone)
        model = semantic.model()
        base = model.base_of(query.metric)
        period = query.period
        if (
            "created_at" in model.sql_tables[base].c
            and query.compare_to is None
            and not any(g.startswith("time:") for g in query.group_by)
            and (period.end or self.today)
        ):
            # "drafts created before feb 20 that still havent gone out": those records, by the day they were created
            end = period.end or self.today
            query.conditions.append(
                RecordCondition(
                    "dated",
                    column=f"{base}.created_at",
                    since=period.start.isoformat() if period.start else None,
                    until=end.isoformat(),
                    label=period.label,
                )
            )
            query.period = None
            self.notes.append(f"created {period.label}, by the day each was created")
            return

    def _created_when(self, query: Query) -> Refusal | None:
        """ "open deals created before march": a period on the creation date, where the measure is
        placed in time by another date (open deals: their expected close), is said, not swapped."""
        metric = semantic.model().metric(query.metric)
        raw = re.sub(r"\b(?:money|cash)\s+(?:is\s+|was\s+|has\s+)?entered\b", " ", self.raw)  # money came in
        raw = CREATED_TO_CLOSED.sub(" ", raw)
        said = re.search(r"\b(?:created|opened|entered)\b", raw)
        if not (said and query.period and metric.time_column) or metric.time_column.endswith(".created_at"):
            return None
        return Refusal(
            f"I place {metric.label} in time by {metric.time_column.split('.')[-1].replace('_', ' ')}, "
            f'not by when they were {said.group(0)}, so I can\'t answer "{said.group(0)} ..." with a period '
            "yet. Ask without the period to see them all (each with its dates).",
            [],
            kind="unknown",
        )

    def _month_behind(self, query: Query) -> None:
        """ "deals created before december" (in March): before the December just gone, a day that has been, never
        the one ahead (a date said of something done: created, signed, paid)."""
        period, today = query.period, self.today
        if (
            period is None
            or today is None
            or period.start is not None
            or period.end is None
            or period.end < today
        ):
            return
        before = re.fullmatch(r"before ([A-Z][a-z]+) (\d{4})", period.label)
        if not before or re.search(r"\b(?:19|20)\d{2}\b", self.raw):
            return
        if not re.search(
            r"\b(?:created|opened|added|signed|converted|closed|won|lost|paid|issued|logged|joined|became\s+customers?)\s+"
            r"(?:\w+\s+)?(?:before|prior\s+to)\s+" + before.group(1).lower(),
            self.raw,
        ):
            return
        from dateutil.relativedelta import relativedelta

        query.period = Period(
            None, period.end - relativedelta(years=1), f"before {before.group(1)} {int(before.group(2)) - 1}"
        )
        self.notes.append(f"read {before.group(1)} as the one just gone")

    def _month_ahead(self, query: Query) -> None:
        """ "expected to close in november" (in October): a month or a quarter named alone, for dates in
        the future, is the next such one, not the last one that has started."""
        metric = semantic.model().metric(query.metric)
        period, today = query.period, self.today
        if not metric.forward_looking or period is None or today is None or period.end is None:
            return
        if _PAST_TENSE_DATE.search(self.raw):
            return  # "open deals that were supposed to close in Q4" (in January): the one just gone
        if re.search(r"\b(?:created|opened|added|logged)\b", self.raw):
            return  # "open deals created before january": a day that has been (read by the creation date below)
        compared = query.compare_to
        if (
            compared is not None
            and compared.start is not None
            and compared.end is not None
            and compared.end < today <= period.end
            and re.fullmatch(r"[A-Z][a-z]+ \d{4}|Q[1-4] \d{4}", compared.label)
            and not re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|previous|prior|ago|since)\b", self.raw)
        ):
            # "pipeline with a close date in march vs april" (in March): the April ahead too
            from tools.reports.timewords import month_period, quarter_period

            quarter = re.fullmatch(r"Q([1-4]) \d{4}", compared.label)
            query.compare_to = (
                quarter_period(compared.start.year + 1, int(quarter.group(1)))
                if quarter
                else month_period(compared.start.year + 1, compared.start.month)
            )
            self.notes.append(f"read {compared.label.split()[0]} as {query.compare_to.label} (the next one)")
        before = re.fullmatch(r"before ([A-Z][a-z]+) (\d{4})", period.label)
        if (
            before
            and period.start is None
            and period.end < today
            and not re.search(r"\b(?:19|20)\d{2}\b", self.raw)
        ):
            # "predicted to churn before march" (in November): the March ahead
            from dateutil.relativedelta import relativedelta

            end = period.end + relativedelta(years=1, day=31)
            query.period = Period(None, end, f"before {before.group(1)} {int(before.group(2)) + 1}")
            self.notes.append(f"read {before.group(1)} as the one ahead")
            return
        days = re.fullmatch(r"\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d", period.label)
        if (
            days
            and period.start is not None
            and period.end < today
            and (today - period.end).days > 180
            and not re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|this|next|previous|prior|ago|since)\b", self.raw)
        ):
            # "coming due between march 1 and march 15" (in February): those days ahead, not last year's
            from dateutil.relativedelta import relativedelta

            start, end = period.start + relativedelta(years=1), period.end + relativedelta(years=1)
            query.period = Period(start, end, f"{start.isoformat()} to {end.isoformat()}")
            self.notes.append("read the days as the ones ahead")
            return
        quarter = re.fullmatch(r"Q([1-4]) \d{4}", period.label)
        months = re.fullmatch(r"([A-Z][a-z]+) \d{4} to ([A-Z][a-z]+) \d{4}", period.label)
        if (
            months
            and period.start is not None
            and period.end < today
            and not re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|this|next|previous|prior|ago|since)\b", self.raw)
        ):
            # "expected close dates july thru september" (in June): the months ahead
            from dateutil.relativedelta import relativedelta

            start, end = period.start + relativedelta(years=1), period.end + relativedelta(years=1, day=31)
            query.period = Period(start, end, f"{start.strftime('%B %Y')} to {end.strftime('%B %Y')}")
            self.notes.append(f"read {months.group(1)} to {months.group(2)} as the months ahead")
            return
        half = re.fullmatch(r"H([12]) \d{4}", period.label)
        if period.end >= today or not (quarter or half or re.fullmatch(r"[A-Z][a-z]+ \d{4}", period.label)):
            return
        if re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|this|next|previous|prior|ago|since)\b", self.raw):
            return  # the year or the direction was said
        from tools.reports.timewords import month_period, quarter_period

        if quarter:  # "expected to close in Q4" (in September): the Q4 ahead
            ahead = quarter_period(period.start.year + 1, int(quarter.group(1)))
        elif half:  # "open pipe expected to close in H2" (on June 30): the H2 ahead
            ahead = Period(
                period.start.replace(year=period.start.year + 1),
                period.end.replace(year=period.end.year + 1),
                f"H{half.group(1)} {period.start.year + 1}",
            )
        else:
            ahead = month_period(period.start.year + 1, period.start.month)
        query.period = ahead
        self.notes.append(f"read {period.label.split()[0]} as {ahead.label} (the next one)")

    def _apply_rank(self, query: Query, limit: int | None, rank_order: str | None) -> None:
        order = rank_order
        if order is None and self.has_marker("desc"):
            order = "desc"
        if order is None and self.has_marker("asc"):
            order = "asc"
        if order is None and limit is not None and query.group_by:
            order = "desc"
        if order is None and query.sort_column and query.list_records:
            # "my qualified leads sorted by conversion probability": the highest first, unless the lowest is asked
            order = "asc" if re.search(r"\b(?:lowest|smallest|worst|ascending|asc)\b", self.raw) else "desc"
        query.order = order
        query.limit = limit
        if (
            order
            and limit is None
            and query.sort_column
            and query.list_records
            and _THE_ONE_WITH.search(self.raw)
        ):
            query.limit = (
                1  # "which of my leads has the highest score?", "the lead with the highest score": one
            )
        if order and limit is None and query.group_by and self._singular_subject():
            query.limit = 1
        aged = re.search(r"\b(oldest|earliest)\b|\b(newest|latest|most\s+recent)\b", self.raw)
        one_aged = re.search(  # "oldest open deal", "our newest unpaid invoice": one record, by its date
            r"\b(?:oldest|earliest|newest|latest|most\s+recent)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:deal|invoice|ticket|lead|payment|opportunity|opp|activity|meeting|call)\b(?!s)",
            self.raw,
        )
        if aged and one_aged and limit is None and not query.group_by and not self.has_marker("count"):
            limit = query.limit = 1
        elif aged and limit is None and not query.group_by and not self.has_marker("count"):
            several = re.search(  # "newest leads", "the oldest open tickets": the records by their date
                r"\b(?:oldest|earliest|newest)\s+(?:[\w-]+\s+){0,2}?"
                r"(?:deals|invoices|tickets|leads|payments|opportunities|opps|activities|meetings|calls)\b",
                self.raw,
            )
            if several:
                query.list_records = True
                self._order_by_age(query, aged)
                return
        if aged and limit and not query.group_by:
            self._order_by_age(query, aged)

    def _order_by_age(self, query: Query, aged: re.Match) -> None:
        """ "show me the 5 oldest": the records by their date, not by their amount."""
        model = semantic.model()
        time_ref = model.time_column_of(model.metric(query.metric))
        listed = model.lists.get(model.base_of(query.metric))
        if time_ref and time_ref.endswith("expected_close_date") and listed and listed.age:
            time_ref = listed.age  # "the oldest open deal": the one open longest, not the one closing first
        if time_ref:
            query.list_records, query.sort_column = True, time_ref
            query.order = "asc" if aged.group(1) else "desc"

    def _apply_aggregate(self, query: Query) -> None:
        """ "average invoice amount": the mean of what the metric sums."""
        counting = self.has_marker("count") or {"number", "count", "#"} & set(self.tokens)
        if self.has_marker("avg") and query.metric in AMOUNT_METRIC_OF_RECORDS and not counting:
            query.metric = AMOUNT_METRIC_OF_RECORDS[query.metric]
        metric = semantic.model().metric(query.metric)
        if self.has_marker("avg") and metric.aggregate in ("sum", "outstanding") and metric.format == "money":
            query.aggregate = "avg"

    def _count_above(self, query: Query, base: str) -> None:
        """ "how many qualified leads have a conversion probability above 50%": the records whose own
        value passes the bar, counted; not that value's average over them."""
        metric = semantic.model().metric(query.metric)
        if not self._asks_count():
            return
        split = any(not g.startswith("time:") for g in query.group_by) and "customer" not in query.group_by
        if (
            metric.aggregate != "avg"
            or (query.group_by and not split)
            or query.list_records
            or query.compare_to
        ):
            return
        if not any(c.target == "column" and c.column == metric.column for c in query.thresholds):
            return
        count = followup_measure.count_of(metric, base, query)
        if count is not None:
            query.metric = count
            self.notes.append(f"counted the {base.replace('_', ' ')} above the bar")

    def _apply_comparisons(self, query: Query, comparisons: list[Threshold], base: str) -> None:
        metric = semantic.model().metric(query.metric)
        for c in comparisons:
            grouped = any(not g.startswith("time:") for g in query.group_by)
            if c.hint == "count":  # "reps with 3 or more leads": each group's number of records
                target = followup_measure.count_bound_target(c, metric, base, grouped)
                if target:
                    c.target = target
                    query.thresholds.append(c)
                else:  # a bound on one total, or on a sum: not read, asked about
                    self.stray_numbers.append(f"{c.value:g}")
                continue
            amount_col = semantic.model().amount_column(base)
            noun = c.hint.split()[-1] if c.hint else ""
            said_of_records = (  # "payments over 100k ... who from": each payment over 100k, even when split
                bool(amount_col) and noun in GENERIC_METRICS and semantic.model().base_of(noun) == base
            )
            if said_of_records and c.target != "balance":
                c.target = "amount"
                query.thresholds.append(c)
                if (
                    self.has_marker("who")
                    and query.dimensions == ["customer"]
                    and semantic.model().lists.get(base)
                ):
                    # "... who from, how much": those payments, each with its payer
                    query.group_by, query.list_records, query.order, query.limit = [], True, None, None
                    if "customer" not in query.columns:
                        query.columns.append("customer")
                continue
            # one row per account grouped by account: "of the customers with more than 100k LTV, which 5 have the
            # worst health": a bar on each account's own value
            per_account = query.group_by == ["customer"] and base in ("customer_insights", "companies")
            # "how many customers have a health score below 50, per region": a bar on each record, counted per region
            counted = self._asks_count() and metric.aggregate == "avg"
            named_column = column_named(c.hint, base) or column_named(c.after, base)
            # ("open leads with a score of 60 or higher by owner": each lead's score, the leads counted per owner)
            # ("customers with a health score below 40 ... and the balance for each": each account's health, never the
            # balance ranked; a bar on the measure itself stays on each group's value)
            each = per_account or bool(
                named_column and (counted or metric.aggregate == "count" or named_column != metric.column)
            )
            column = None if grouped and not each else self.threshold_column(c, query, base)
            if per_account and column is not None and not named_column:
                column = None  # only a value the words name ("LTV"), not the measure ranked
            if column and c.target != "balance":
                c.target, c.column = "column", column  # "scoring above 75", "which ones are under 75"
            elif c.target == "balance" and base == "invoices" and not grouped:
                pass  # "invoices with more than 50k still owed on them"
            elif amount_col and not (grouped and metric.aggregate in ("sum", "outstanding", "avg", "rate")):
                c.target = "amount"
            else:
                c.target = "metric"
            query.thresholds.append(c)

    def _names_its_value(self, m: Mention, dim: str, base: str) -> bool:
        """Whether a dimension's name stands right beside one of its own values ("status open", "high
        priority", "the Services product category"): the name labels the value, it asks for no split."""
        entry = semantic.model().lists.get(base)
        for other in self.mentions:
            if other is m or not (other.end == m.start or other.start == m.end):
                continue
            if any(s.kind == "value" and s.name == dim for s in other.senses):
                return True
            opens = entry is not None and entry.open is not None and entry.open.dimension == dim
            if opens and any(s.kind == "marker" and s.name == "open" for s in other.senses):
                return True
        return False

    def threshold_column(self, c: Threshold, query: Query, base: str) -> str | None:
        """The record column a number is about: the one its word names ("scoring above 75"), or, for an
        average of a column ("which ones are under 75" after average health), that column."""
        named = column_named(c.hint, base) or column_named(c.after, base)
        if not named and c.hint and " " in c.hint:  # "which of them score 70 or higher": "score"
            named = column_named(c.hint.split()[-1], base)
        if not named and c.hint:  # "conversion probability over 60%": the words read, ending in the hint
            for m in self.mentions:
                if m.phrase.split()[-1:] == [c.hint] and column_named(m.phrase, base):
                    named = column_named(m.phrase, base)
                    break
        if named:
            return named
        model = semantic.model()
        measured = [  # the one measure a list was asked to show ("list them w their health scores")
            col
            for col in query.columns
            if any(m.column == col and m.aggregate in ("avg", "sum", "min", "max") for m in model.metrics)
        ]
        if query.list_records and len(measured) == 1:
            return measured[0]  # "only the ones under 60" then: that column, not the list's amount
        if any(not g.startswith("time:") for g in query.group_by):
            return None
        return per_record_column(semantic.model().metric(query.metric), base)
