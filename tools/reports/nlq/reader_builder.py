"""The reader's builder: the words of one question, read against the previous answer, made into a Query.

``reader.interpret`` finds the words (mentions, periods, amounts, ranks) and hands them to ``Builder.read``,
which picks the measure, decides whether the question follows up the previous answer, and shapes the query
(filters, grouping, list or figure, order). The builder's parts are mixins, each in its own module.
"""

from __future__ import annotations

import re
from datetime import date

from tools.reports import semantic
from tools.reports.build import OVER_GROUPS
from tools.reports.entities import Entities
from tools.reports.lexicon import filler, lexicon
from tools.reports.nlq import followup, followup_carry, followup_measure, followup_records, followup_which
from tools.reports.nlq.cues import FollowUpCues
from tools.reports.nlq.followup_words import WITH_AMOUNTS
from tools.reports.nlq.kinds import (
    GENERIC_METRICS,
)
from tools.reports.nlq.reader_answer import WHICH_ACCOUNTS_HAVE, AnswerShape
from tools.reports.nlq.reader_checks import Checks
from tools.reports.nlq.reader_filters import Filters
from tools.reports.nlq.reader_focus import ONE_FIGURE, OWNER_OF, Focus
from tools.reports.nlq.reader_lists import (
    ListShape,
    account_value_named,
    column_named,
    records_of_conditions,
)
from tools.reports.nlq.reader_metric import _WITH_COUNT, MetricChoice
from tools.reports.nlq.reader_previous import OnPrevious
from tools.reports.nlq.reader_shape import Shape
from tools.reports.nlq.types import MEASURE_SLOT, Reading, Refusal
from tools.reports.nlq.words import Mention
from tools.reports.query import Filter, Owner, Query, RecordCondition

_FIGURE_WORDS = {
    "amount",
    "amounts",
    "value",
    "values",
    "$",
    "total",
    "totals",
    "count",
    "number of",
    "sum",
    "how many",
}


_RECORD_AMOUNTS = re.compile(r"(?:\bw(?:ith)?/?|\+|\band)\s+(?:the\s+|their\s+)?(?:amounts|values|amts)\b")


# ("leads my team picked up last quarter by source, with conversion rate for each": the count, the rate beside)
_RECORDS_WITH_AVG = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:leads|deals|tickets|invoices|payments|opps|accounts|customers)"
    r"(?:\s+[\w']+){0,6}?\s+(?:per|by|for\s+each)\s+[^?]*?"
    r"\b(?:with|w/|and|plus)\s+(?:the\s+|their\s+)?(?:avg|average|mean|(?:[a-z]+\s+)?rate)\b"
)


_HOW_MUCH_FIRST = re.compile(r"^\W*(?:(?:so|and|ok|okay|hey|also)\W+)?how\s+much\b")


def _defined_by(metric, value, column: str | None = None):
    """The measure defined as ``metric`` restricted to one value (bookings: the deal amount of stage
    closed_won), or None."""
    return semantic.model().restricted(metric, [value], column)


def _lost_by_reason(query: Query) -> None:
    """ "the reasons why we lost deals this quarter, with the count for each": only lost deals have a
    lost reason, so deals (or their amount) split by it are the deals lost (or the amount lost)."""
    model = semantic.model()
    metric = model.metric(query.metric)
    entry = model.lists.get(metric.base)
    reason = entry.reason if entry is not None else None
    if not reason or metric.conditions or query.also:
        return
    if any(model.dimension_columns.get(g, {}).get(metric.base) == reason for g in query.group_by):
        lost = _defined_by(metric, "closed_lost")
        if lost is not None:
            query.metric = lost.name


def _metric_of_value(query: Query) -> None:
    """ "how much have I closed-won this year": the deal amount of deals in stage closed_won is the
    measure defined as exactly that (bookings, placed in time by the close date), not the amount of
    deals created this year that are now won."""
    model = semantic.model()
    metric = model.metric(query.metric)
    if metric.conditions:
        return
    for f in query.filters:
        if f.negate or len(f.values) != 1:
            continue
        column = model.dimension_columns.get(f.dimension, {}).get(metric.base)
        other = _defined_by(metric, f.values[0], column) if column else None
        if other is None:
            continue
        # "how many deals have i closed won this year and whats the total": the measure beside it too
        beside = [model.metric(name) for name in query.also]
        also = [
            _defined_by(m, f.values[0], column) if not m.conditions and m.base == metric.base else m
            for m in beside
        ]
        if any(m is None for m in also):
            return
        query.metric, query.also = other.name, [m.name for m in also]
        query.filters = [g for g in query.filters if g is not f]
        return


_THE_NUMBERS = re.compile(
    r"\b(?:the|our|my|some|their|key)\s+(?:numbers|figures|stats|statistics|metrics|kpis)\b"
)


_NUMBER_UNIT = re.compile(
    r"\d+(?!st|nd|rd|th)[a-z]{1,3}"
)  # "last 30dy", "2wks": a number whose unit wasn't read


_AMOUNT_LEFT = re.compile(r"\$?\d[\d,.]*(?:k|m|mn|bn|b|%)?")


_WHICH_OF_THEM = re.compile(
    r"\bwhich\s+(?:ones\b|of\s+(?:them|those|these)\b)|\b(?:do|does|did|have|has)\s+any\s+of\s+(?:them|those|these)\b"
)


def asker_owner(scope: str | None, asker) -> Owner | Refusal | None:
    """The asker as the owner of what "my" / "my team" names; a refusal when we don't know them."""
    if scope is None:
        return None
    if asker is None or getattr(asker, "user_id", None) is None:
        return Refusal(
            "I don't know which CRM user you are, so I can't tell which are yours. Ask for everyone's "
            '(without "my"), or ask your admin to link your user to the CRM.',
            kind="refused",
        )
    if scope == "team" and not getattr(asker, "team", None):
        return Refusal(
            f"{f'{asker.name} belongs' if asker.name else 'You belong'} to no team in the CRM, so I can't tell "
            "who is on your team. "
            "Ask about your own numbers, or for everyone's.",
            kind="refused",
        )
    return Owner(scope, user_id=asker.user_id, team=getattr(asker, "team", None), name=asker.name)


class Builder(AnswerShape, OnPrevious, MetricChoice, ListShape, Checks, Filters, Focus, Shape):
    """Turns the mentions of one question into a Query (or a refusal), rule by rule.

    Its parts live beside it, one module each: the measure chosen (reader_metric), a list's shape
    (reader_lists), the checks that ask back or refuse (reader_checks), filters (reader_filters), what an
    answer before points at (reader_focus), ranks, bars and periods ahead (reader_shape), and the answer's last shape
    with how many rows it asks for (reader_answer)."""

    def __init__(self, tokens, mentions: list[Mention], unknown, notes: list[str]):
        self.tokens = tokens
        self.mentions = mentions
        # a number not read as a period, rank, amount or value ("100k" left over is an amount not understood)
        numeric = [
            (i, t)
            for i, t in unknown
            if t.isdigit() or _AMOUNT_LEFT.fullmatch(t) or _NUMBER_UNIT.fullmatch(t)
        ]
        self.unknown = [t for i, t in unknown if t not in filler() and (i, t) not in numeric]
        self.unknown_positions = [i for i, t in unknown if t not in filler() and (i, t) not in numeric]
        self.stray_numbers = [t for _, t in numeric]
        self.notes = notes
        self.ranked = False
        self.account_owner = False  # "who owns Acme": the account itself, with its owner
        self.asker_team: str | None = None  # in a thread about the asker's team: "Kenji" is the Kenji on it
        self.account_columns: list[str] = []  # an account's own values asked side by side, as its columns
        self.lifecycle: str | None = None  # "revenue from churned accounts": companies in that stage
        self.lifecycle_left_out: str | None = (
            None  # "excluding churned accounts": companies in any other stage
        )
        self.aged: RecordCondition | None = None  # "sitting open 100+ days": created at least that long ago
        self.capitalized: set[str] = set()
        self.entities: Entities | None = None
        self.raw = " ".join(tokens)
        self.follow = FollowUpCues()
        self.owner: Owner | None = None
        self.conditions: tuple[list, list] = ([], [])
        self.shape: bool | None = None  # a follow-up's list-or-figure, when it comes from the previous answer
        self.which_time = False  # "which month ...": one period asked for
        self.columns_asked: list[str] = []  # "... - invoice #, customer, balance": the records, those shown
        self.today: date | None = None
        self.focus: dict = {}  # the rep / customer of the last one-row answer

    def markers(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if any(s.kind == "marker" and s.name == kind for s in m.senses)]

    def has_marker(self, kind: str) -> bool:
        return bool(self.markers(kind))

    def read(self, periods, grain, thresholds, limit, rank_order, previous) -> Reading | Refusal:
        model = semantic.model()
        self.versus = periods.compare_metrics  # "vs" with no second period: two measures, or two values
        self.bars = thresholds  # "a conversion probability above 50%": a bar on each record, no column
        if periods.three:
            first, second, third = (p.label for p in periods.three)
            return Refusal(
                f'I compare two periods at a time: "{first}" with "{second}", or with "{third}"? Ask for the other '
                "next.",
                [f"{first} vs {second}", f"{first} vs {third}"],
                kind="clarify",
            )
        if periods.ambiguous:
            first, second = (p.label for p in periods.ambiguous)
            return Refusal(
                f'I see two periods, "{first}" and "{second}": should I compare them, or use one?',
                [f"compare {first} with {second}", f"only {first}", f"only {second}"],
                kind="clarify",
            )
        if previous is not None:
            further = (
                followup_measure.next_in_ranking(self, previous)
                or followup_measure.as_a_rate(self, previous)
                or followup_measure.share_of_all(self, previous)
                or followup_records.top_records_of_those(self, previous)
            )
            # "the 2nd biggest", "and the one after that?"; "as a rate pls" after a count of those converted
            if further is not None:
                return further
        metric_mentions = self._measure_mentions(thresholds, previous)
        metric, dims_from_metrics, also, refusal = self._choose_metric(
            metric_mentions, periods.compare_metrics, whole=True
        )
        also = self._measure_asked_as_column(metric, also)
        dated = model.metric(metric) if metric else None
        if (
            dated is not None
            and dated.format == "date"
            and dated.count_metric
            and (periods.period is not None or self.has_marker("count"))
        ):
            # "how many customers have a predicted churn date in Q2", "customers with a predicted churn date before
            # june": the records whose date falls there (a date has no period of its own)
            metric = dated.count_metric
        if previous is not None:  # "which of them score 70 or higher": those records, narrowed and listed
            narrowed = followup_records.the_one_of_those(self, previous, metric, rank_order)
            narrowed = narrowed or followup_which.narrow_to_records(
                self, previous, metric, periods, thresholds
            )
            if narrowed is not None:
                return narrowed
        if refusal:
            return refusal
        if (
            metric in ("companies", "customers")
            and _THE_NUMBERS.search(self.raw)
            and not (self.has_marker("count") or self.has_marker("list"))
        ):
            # "can you pull the numbers for our big accounts?": which numbers (the accounts are who, not what)
            return Refusal(
                "Which numbers should I pull for them? For example revenue, bookings, open pipeline, health or "
                "lifetime value.",
                ["revenue", "bookings", "open pipeline", "average health score", "lifetime value"],
                kind="clarify",
                phrase=MEASURE_SLOT,
            )
        if previous is not None and metric is not None:
            metric, dims_from_metrics = self._previous_measure(
                metric, dims_from_metrics, metric_mentions, previous
            )
        if metric in ("companies", "customers"):
            metric = self._records_on_accounts(metric)
        if metric is None and self.has_marker("total") and _CAME_IN.search(self.raw):
            metric = "revenue"  # "how much actually came in": money received
        if periods.same_comparison and (previous is None or previous.compare_to is None):
            return Refusal(  # "same comparison?" with none before it: not the figure without one
                'Which periods should I compare? For example "this quarter vs last quarter" or "vs last year".',
                ["this quarter vs last quarter", "this year vs last year"],
                kind="clarify",
                phrase="same comparison",  # a pick takes its place in the question
            )
        if previous is not None or self.focus.get("account"):
            reading, metric = self._on_previous(
                metric, also, periods, grain, thresholds, limit, rank_order, previous
            )
            if reading is not None:
                return reading
        if metric is None:
            metric = self._metric_from_values() or self._metric_from_dimensions() or self._metric_from_verbs()
            if metric == "deals":
                # "the big ones in negotiation that are expected to close in march": open deals, by expected close
                metric = self._closing_deals([metric])[0]
        if metric is None and OWNER_OF.search(self.raw) and self._names_a_customer():
            metric = "companies"  # "who's the owner on Acme": the account, with its owner
            self.account_owner = True
        if (
            metric is None
            and self.columns_asked
            and self._names_a_customer()
            and self._account_columns_asked()
        ):
            metric = "companies"  # "A vs B side by side: health, churn risk, LTV": those accounts, with those columns
        if metric is None and self._names_a_customer():
            asked = self._account_attribute_asked()
            if (
                asked
            ):  # "where did Voyager EdTech originally come from? which lead source": that account, with it
                metric = "companies"
                self.account_columns = [asked]
        if metric is None:
            return self._not_understood()
        if metric in ("customers", "companies") and WHICH_ACCOUNTS_HAVE.match(self.raw):
            # "which customers have open tickets": the records a value names ("open tickets"), per account
            of_records = self._metric_from_values()
            table = model.base_of(of_records) if of_records else None
            # (not leads: a lead has an account only once converted)
            accounts_own = table not in (None, "companies", "customer_insights", "leads")
            if accounts_own and "company_id" in model.sql_tables[table].c:
                metric = of_records
        counted_accounts = _HOW_MANY_ACCOUNTS.search(self.raw) and model.base_of(metric) not in (
            "companies",
            "customer_insights",
        )
        if counted_accounts and "company_id" not in model.sql_tables[model.base_of(metric)].c:
            label = model.metric(metric).label
            return Refusal(  # "how many customers have open leads": leads name a company, not an account
                f"I can give {label} in total, but {model.base_label(model.base_of(metric))} are not kept per "
                f"account, so I can't count the customers that have any.",
                [label],
                kind="unknown",
            )
        ranked_records = self._records_ranked_by_column(metric, metric_mentions, limit, rank_order)
        if ranked_records is not None:
            metric, sort_column = ranked_records
        else:
            sort_column = None
        if previous is not None:
            reading = followup_records.records_behind(self, previous, metric, periods.period)
            reading = reading or followup_records.rank_previous_records(
                self, previous, metric, limit, rank_order
            )
            reading = reading or followup_records.add_column_to_list(self, previous, metric)
            if reading is not None:
                return reading
            if self.follow.any:
                metric = followup_measure.keep_previous_metric(self, previous, metric)
        # (a count already shown beside the amount stays beside it: "number of payments and the total")
        query = self._query_with_companions(metric, also, periods, dims_from_metrics, sort_column, grain)
        if isinstance(query, Refusal):
            return query
        base = model.base_of(query.metric)
        self.ranked = (
            limit is not None or rank_order is not None or self.has_marker("desc") or self.has_marker("asc")
        )
        refusal = self._apply_words(query, base, dims_from_metrics, metric_mentions)
        if refusal:
            return refusal
        if query.also == [model.metric(query.metric).amount_metric] and any(
            f.dimension == "aging_bucket" for f in query.filters
        ):
            query.also = [
                "outstanding"
            ]  # "how much is in the 90+ bucket, and how many invoices": what is owed there
        _metric_of_value(query)
        rated = model.metric(query.metric)
        if rated.aggregate == "rate" and rated.rate_value is not None:
            # "disqualification rate by source (disqualified / all leads created)": the rate's own numerator
            # named, no filter (filtered, every rate would be 100%)
            query.filters = [
                f
                for f in query.filters
                if f.negate
                or model.dimension_columns.get(f.dimension, {}).get(base) != rated.column
                or [str(v) for v in f.values] != [str(rated.rate_value)]
            ]
        period = query.period
        if (
            period is not None
            and period.start == period.end == self.today
            and model.metric(query.metric).snapshot
        ):
            query.period = None  # "total receivables today": what is owed now, not what was issued today
            self.notes.append("as of today")
        if (
            query.metric == "deals_won"
            and not metric_mentions
            and not query.list_records
            and not self.has_marker("count")
            and re.search(r"\bclosed\s+won\b", " ".join(self.tokens))
        ):
            # "team cw QTD", "total closed won this quarter": the amount won, as sales says it
            query.metric = "bookings"
        _lost_by_reason(query)
        if grain:
            query.group_by.insert(0, f"time:{grain}")
        self._rank_the_team(query, base)
        self._apply_rank(query, limit, rank_order)
        self._rank_per_record(query, base)
        self._apply_aggregate(query)
        if counted_accounts:  # "how many customers have something overdue": the accounts, each once
            query.aggregate, query.list_records, query.order, query.limit = "accounts", False, None, None
            # "... how many customers have something overdue altogether": a count beside it is the accounts' count
            query.also = [a for a in query.also if model.metric(a).format != "count"]
            if (
                query.also
            ):  # "... and what is the overdue amount": one count of accounts, not two measures counted
                return Refusal(
                    f"That's two questions: how many accounts, and the {model.metric(query.also[0]).label}. I answer "
                    "one at a time: ask the first, then the other.",
                    [],
                    kind="unknown",
                )
        self._apply_comparisons(query, thresholds, base)
        self._count_above(query, base)
        query.owner = self.owner if isinstance(self.owner, Owner) else None
        self._my_team_against(query)
        conditions = self.record_conditions(base)
        if isinstance(conditions, Refusal):
            return conditions
        query.conditions = conditions
        records_of_conditions(query)
        if query.metric == "companies" and any(rc.kind == "not_contacted_days" for rc in query.conditions):
            query.metric = (
                "customers"  # "accounts we haven't contacted in 30 days": customers, as the contract says
            )
        if base == "activities" and any(rc.kind == "not_contacted_days" for rc in query.conditions):
            return Refusal(  # "between calls - which of my customers haven't been contacted in 45 days?"
                'Not contacted in a number of days is about accounts, and I read activities here ("'
                + ", ".join(f.values[0] for f in query.filters if f.dimension == "activity_type")
                + '"). Ask for the accounts alone, e.g. "my customers not contacted in 45 days".',
                kind="unknown",
            )
        self._apply_focus(query, base)
        refusal = self._carry_thread(query, previous, periods, base)
        if refusal:
            return refusal
        self._keep_shown(query, base)
        if (
            previous is not None
            and self.follow.refers
            and ONE_FIGURE.search(self.raw)
            and not query.group_by
            and query.metric == previous.metric
            and followup.over_passing_groups(previous, query, OVER_GROUPS)
        ):  # "the combined overdue for just those EMEA ones" after the accounts owing more than 100k overdue
            self.notes.append("summed over the groups of the previous answer that pass its bound")
        return self._shape_answer(query, base, thresholds, previous)

    def _my_team_against(self, query: Query) -> None:
        """ "how does my team's open pipeline stack up against NA East's?": the two teams side by side (never my team's
        deals at accounts in a region of that name)."""
        owner = query.owner
        if not (owner and owner.scope == "team" and owner.team and _AGAINST.search(self.raw)):
            return
        teams = set((getattr(self.entities, "rep_teams", None) or {}).values())
        for f in list(query.filters):
            other = str(f.values[0]) if len(f.values) == 1 else None
            if f.negate or other is None or f.dimension not in ("team", "region") or other not in teams:
                continue
            if other == owner.team:
                continue
            query.owner = None
            query.filters = [x for x in query.filters if x is not f] + [Filter("team", [owner.team, other])]
            if "team" not in query.group_by:
                query.group_by = [*query.group_by, "team"]
            self.notes.append(f"your team ({owner.team}) against {other}")
            return

    def _one_accounts_value_and_owner(self, query: Query, base: str) -> bool:
        """A value of one named account asked with who owns it ("..., and who owns it")."""
        if (
            base not in ("companies", "customer_insights")
            or query.list_records
            or query.compare_to is not None
        ):
            return False
        if not (OWNER_OF.search(self.raw) or _WHOSE_ACCOUNT.search(self.raw)):
            return False
        named = [f for f in query.filters if f.dimension == "customer" and not f.negate]
        return len(named) == 1 and len(named[0].values) == 1 and query.group_by in ([], ["customer"])

    def _account_attribute_asked(self) -> str | None:
        """The one attribute of an account a question about it asks for with "which" / "what" ("which lead source",
        "what industry are they in"), or None."""
        if not re.search(r"\b(?:which|what)\b", self.raw):
            return None
        model = semantic.model()
        named = {
            s.name
            for m in self.mentions
            for s in m.senses
            if s.kind == "dim" and s.name not in ("customer",) and model.dimension_for(s.name, "companies")
        }
        return named.pop() if len(named) == 1 else None

    def _account_columns_asked(self) -> bool:
        """Every column named is one of an account's own ("health, churn risk, LTV"), none of its deals' or invoices'."""
        model = semantic.model()
        own = {c.label for base in ("companies", "customer_insights") for c in model.lists[base].columns}
        return all(
            item in own or item.rstrip("s") in own or account_value_named(item, "companies") is not None
            for item in self.columns_asked
        )

    def _measure_mentions(self, thresholds, previous: Query | None) -> list[Mention]:
        """The words that name the measure asked: not a value a number bounds, not a split of the previous one."""
        model = semantic.model()
        metric_mentions = [m for m in self.mentions if any(s.kind == "metric" for s in m.senses)]
        beside_numbers = {c.after for c in thresholds if c.after}
        hints = {c.hint for c in thresholds if c.hint}
        measures = [
            m
            for m in metric_mentions
            if not any(s.name in GENERIC_METRICS for s in m.senses)
            # ("health score under 50 ... w the score": the score said again, not another measure)
            and not any(m.phrase != h and re.search(rf"\b{re.escape(m.phrase)}\b", h) for h in hints)
        ]
        named = {s.name for m in measures for s in m.senses if s.kind == "metric"}
        said_records = any(  # records said beside a value of each ("leads with a score of 60")
            s.name in GENERIC_METRICS - {"customers", "companies"}
            for m in metric_mentions
            for s in m.senses
            if s.kind == "metric"
        )
        if len(named) > 1 or said_records:
            # ("open leads with a score of 60 or higher by owner": the leads, each scoring 60 or more)
            # "customers with LTV over 100k, top 5 by churn probability": the value before the number is a bar on
            # each record where another measure is asked (alone, "health score below 50" is read as before)
            beside_numbers |= {c.hint for c in thresholds if c.hint}
        bounded = [  # a per-record value named after a number ("1000+ employees"), not a count ("5 tickets")
            m
            for m in metric_mentions
            if m.phrase in beside_numbers
            and all(s.kind != "metric" or column_named(m.phrase, model.base_of(s.name)) for s in m.senses)
        ]
        others = [m for m in metric_mentions if m not in bounded]
        bounded = [  # only where the records named can carry that value ("accounts with LTV above 1M": the LTV)
            m
            for m in bounded
            if any(
                column_named(m.phrase, model.base_of(s.name))
                for o in others
                for s in o.senses
                if s.kind == "metric"
            )
        ]
        if bounded and len(bounded) < len(metric_mentions):
            # "software prospects with 1000+ employees": the records are prospects; employees is what the
            # number bounds, on each of them
            metric_mentions = [m for m in metric_mentions if m not in bounded]
        if previous is not None:
            # "EMEA by customer, top 5" after the overdue amount by region: "by customer" splits the same measure
            split_words = [
                m
                for m in metric_mentions
                if m.start > 0
                and self.tokens[m.start - 1] in ("by", "per")
                and any(s.kind == "dim" for s in m.senses)
                and all(s.name in ("customers", "companies") for s in m.senses if s.kind == "metric")
            ]
            if split_words and len(split_words) == len(metric_mentions):
                metric_mentions = []
        return metric_mentions

    def _query_with_companions(
        self, metric, also, periods, dims_from_metrics, sort_column, grain
    ) -> Query | Refusal:
        """The query of the measure chosen, with what is asked beside it: its count, its amount, its average."""
        model = semantic.model()
        swapped = self._amount_of(metric)
        if swapped not in also:
            metric = swapped
        base = model.base_of(metric)
        query = Query(metric=metric, period=periods.period, compare_to=periods.compare_to, also=also)
        # "overdue invoices by region - count and $", "w/ amounts"; "what did we invoice in April, and how
        # many invoices was that?": the same records' amount, or their count, side by side
        chosen = model.metric(metric)
        counted = chosen.count_metric if chosen.format == "money" else None
        if counted is None and chosen.aggregate in ("avg", "rate") and _RECORDS_WITH_AVG.search(self.raw):
            # "open leads per rep on my team, with avg score": the records counted, their average beside
            counted = followup_measure.count_of(chosen, base, query)
            companions_said = _RECORDS_WITH_AVG
        else:
            companions_said = _WITH_COUNT
        if counted is None and chosen.aggregate == "avg" and _WITH_COUNT.search(self.raw):
            counted = followup_measure.count_of(
                chosen, base, query
            )  # "... number of accounts and the avg churn probability"
        averaged = (
            followup_measure.average_of(chosen) if followup_measure.WITH_AVERAGE.search(self.raw) else None
        )
        # "how much is in the 90+ bucket, and how many invoices is that": the amount asked first, with the count
        amount_first = (
            chosen.amount_metric if chosen.format == "count" and _HOW_MUCH_FIRST.match(self.raw) else None
        )
        companions = (
            (chosen.amount_metric, WITH_AMOUNTS),
            (counted, companions_said),
            (amount_first, _WITH_COUNT),
            (averaged, followup_measure.WITH_AVERAGE),
        )
        # "deals we lost in feb w/ amount + reason": columns of the records listed, not a count and an amount
        columns_of_records = len(self.columns_asked) >= 2 and any(
            # ("... broken out by method: method, # payments, total $": the split's own column is no record's)
            c not in _FIGURE_WORDS
            # ("Return stage, number of deals and summed amount": a figure of the split's own records)
            and not any(c.startswith(f"{w} ") or c.endswith(f" {w}") for w in _FIGURE_WORDS)
            and not re.search(rf"\b(?:by|per)\s+{re.escape(c)}\b", self.raw)
            for c in self.columns_asked
        )
        # "deals closed won this week + amounts", "my open deals closing in March, with amounts": each record
        # with its amount (a split or a count asked keeps the amount beside the count)
        each_amount = (
            _RECORD_AMOUNTS.search(self.raw)
            and chosen.format in ("count", "money")
            and model.lists.get(base) is not None
            and not dims_from_metrics
            and not any(s.kind == "dim" for m in self.mentions for s in m.senses)
            and not grain
            and not self.has_marker("count")
            and not self.has_marker("group")
        )
        if each_amount:
            companions = ()
            query.list_records = True
        for companion, asked in companions:
            said = None if columns_of_records else asked.search(self.raw)
            outside = self.raw[: said.start()] + self.raw[said.end() :] if said else self.raw
            # "... and what are they worth": that "what are" asks for the amount, not for a list
            lists = any(re.search(rf"\b{re.escape(m.phrase)}\b", outside) for m in self.markers("list"))
            # ("which of my accounts have overdue invoices? with amounts": "which" picks the accounts, each with both)
            lists = lists and not WHICH_ACCOUNTS_HAVE.match(self.raw)
            # ("what have I closed so far this qtr? count + amount": both figures said outright, no list)
            lists = lists and not re.search(
                r"\bcount\s+(?:and|\+|&)\s+(?:\$|amount|value|total|sum)", self.raw
            )
            if companion and said and not (query.also or sort_column or lists):
                later = self._values_only_after(said.start())
                if later:
                    # "avg health across all customers, and how many accounts are flagged high churn risk?": the
                    # second ask has a filter of its own; one answer would narrow the first ask too
                    return Refusal(
                        f'That\'s two questions: "{later[0]}" belongs to the second only, and one answer would apply '
                        "it to both. Ask them one at a time.",
                        [],
                        kind="unknown",
                    )
                query.also = [companion]
        if sort_column:
            query.sort_column, query.list_records = sort_column, True
        return query

    def _carry_thread(self, query: Query, previous: Query | None, periods, base: str) -> Refusal | None:
        """What the thread gives a question that follows up the previous answer: its filters, period, records."""
        model = semantic.model()
        dated = None
        if previous is not None and self.follow.refers:
            dated = followup_carry.records_of_a_dated_count(previous, query)
        if dated is not None:  # "their average health score" after the new customers of Q3: those accounts
            query.conditions.append(dated)
            self.notes.append(f"the {model.metric(previous.metric).label}, {dated.label}")
        if previous is not None and self.follow.any:
            lost = None if dated else followup_carry.period_that_defines_records(previous, query)
            if lost is None and not dated and self.follow.refers and _THOSE_RECORDS.search(self.raw):
                lost = followup_carry.records_picked_elsewhere(previous, query)
            one_account = any(
                f.dimension == "customer" and len(f.values) == 1 and not f.negate for f in previous.filters
            )
            if lost is not None and one_account and model.base_of(previous.metric) != base:
                # "what tickets has Meridian Records raised this year?" then "whats the last thing anyone logged with
                # them?": "them" is the one account, not its tickets of this year
                lost = None
            if lost is not None and self.follow.refers:
                return Refusal(
                    f"I can't narrow {model.metric(query.metric).label} to the previous answer's "
                    f"{model.metric(previous.metric).label} ({lost.label}) yet: that date belongs to the records, "
                    f"and without it I'd give the figure for all of them. Ask for the list with its columns, "
                    f'e.g. "{model.metric(previous.metric).label} {lost.label}".',
                    kind="unknown",
                )
            self.notes += followup_carry.carry(self, previous, query, periods)
            self.shape = previous.list_records
            accounts = ("companies", "customer_insights")
            counted_accounts = model.metric(previous.metric).aggregate in ("count", "count_distinct")
            if (
                (previous.list_records or (counted_accounts and not previous.group_by))
                and model.base_of(previous.metric) in accounts
                and base not in accounts
                and not query.group_by
                and _WHICH_OF_THEM.search(self.raw)
                and model.dimension_for("customer", base)
            ):
                # "which of them have overdue invoices" after a list of accounts: those accounts, each with
                # its overdue invoices, not the invoices
                self.shape, query.group_by = False, ["customer"]
        elif previous is not None and self._short_follow_up(query, previous):
            # "how many converted" after "event leads this year": a few words, nothing of their own
            if model.base_of(query.metric) == model.base_of(previous.metric):
                # "$ value lost to price?" after lost deals by reason: a row of that split, same period
                row_of_split = bool(query.filters) and all(
                    f.dimension in previous.group_by for f in query.filters
                )
                if (
                    (not query.filters or row_of_split)
                    and not query.conditions
                    and not model.metric(query.metric).snapshot
                ):
                    self.notes += followup_carry.carry(self, previous, query, periods)
            else:  # "any unpaid invoices?" after one account's revenue: that account's
                self.notes += followup_carry.carry_account(previous, query)
                chosen = model.metric(query.metric)
                bare = len(re.findall(r"[a-z0-9]+", self.raw)) <= 3 and all(
                    s.kind in ("metric", "marker") for m in self.mentions for s in m.senses
                )
                if bare and previous.period is not None and chosen.time_column and not chosen.snapshot:
                    # "bookings?" after "rev q1?": the measure alone, for the period just asked about
                    query.period = previous.period
                    self.notes.append(f"{previous.period.label}, as in the previous question")
        elif previous is not None:
            self.notes += followup_carry.drill_down(previous, query) or followup_carry.ranking_of_those(
                self.raw, previous, query
            )
        return None

    def _measure_asked_as_column(self, metric: str | None, also: list[str]) -> list[str]:
        """ "top 5 EMEA customers by LTV and their health scores": a measure of the same records, named as the
        one column closing the question, is shown beside the one ranked (never dropped with the column words)."""
        if metric is None or len(self.columns_asked) != 1 or also:
            return also
        model = semantic.model()
        if model.metric(metric).format == "count":
            return also  # a list of records shows its own columns
        named = [
            s.name
            for s in lexicon().get(self.columns_asked[0], ())
            if s.kind == "metric" and s.name not in GENERIC_METRICS and s.name != metric
        ]
        named = [
            n
            for n in named
            if model.base_of(n) == model.base_of(metric) and model.metric(n).format != "count"
        ]
        return named[:1] or also


_AGAINST = re.compile(r"\b(?:vs\.?|versus|against|stack(?:s|ing)?\s+up|compared?\s+(?:to|with)|compare)\b")
_HOW_MANY_ACCOUNTS = re.compile(
    r"(?:^|(?<=[-–—,;:.!?])|\bme\s+)\s*(?:and\s+|so\s+|then\s+)?how\s+many\s+(?:of\s+(?:our|my|the|my\s+team'?s|our\s+team'?s)\s+)?"
    r"(?:current\s+|active\s+|existing\s+)?(?:customers|accounts|companies|clients)\s+(?:have|has|had|with|are\s+(?:behind|late|overdue))\b|"
    # "how many high churn risk customers have overdue invoices": values of the accounts said before them
    r"(?:^|(?<=[-–—,;:.!?]))\s*(?:and\s+|so\s+|then\s+)?how\s+many\s+(?:of\s+(?:our|my|the)\s+)?"
    r"(?:(?!(?:deals?|invoices?|tickets?|leads?|payments?|activities|contacts?|do|does|did|of|have|has|had)\b)[\w-]+\s+){1,4}?"
    r"(?:customers|accounts|clients)\s+(?:still\s+|also\s+)?(?:have|has|with)\b"
)


_THOSE_RECORDS = re.compile(
    r"\b(?:those|these|them|they|their)\b(?!\s+(?:days|months|weeks|periods?|quarters?|years?)\b)"
)


_CAME_IN = re.compile(r"\b(?:came|come|coming|comes)\s+in\b")


_WHOSE_ACCOUNT = re.compile(
    r"\bwhose\s+(?:account|customer|client)\s+is\s+(?:it|that|this|they)\b|\b(?:and|with|\+)\s+(?:its|their)\s+owner\b"
)
