"""Reading a message against the answer before it: the owner or the accounts behind an account just shown, a
list given more columns, the records behind a figure, a measure added beside it or counted from it, and the same
measure again narrowed ("just for EMEA deals?", "of those, which are in Germany") or split by the previous
records' owners. The Builder asks here first when there is a previous answer; what is not a follow-up is
read as a new question."""

from __future__ import annotations

import re

from crmbot.words import ORDINALS
from tools.reports import semantic
from tools.reports.lexicon import Sense
from tools.reports.nlq import followup, followup_measure, followup_records
from tools.reports.nlq.kinds import CUSTOMER_WORDS, GENERIC_METRICS, RECORD_METRICS
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.nlq.words import Mention
from tools.reports.query import Query

_ON_THAT = re.compile(
    r"\b(?:on|by|for|in)\s+(?:that|it|this|those|these)\b(?:\s+(?:number|figure|measure))?\s*[?.!]*$|"
    # "which accounts is that, and how much each?", "which 3 accounts make up most of that?", "who's behind it"
    r"\bwhich\s+(?:\d+\s+|top\s+\d+\s+)?(?:accounts|customers|companies|clients)\s+(?:is|are|was|were)\s+"
    r"(?:that|it|this)\b|"
    r"\b(?:make|makes|made|making)\s+up\s+(?:most\s+of\s+|the\s+bulk\s+of\s+|the\s+most\s+of\s+|much\s+of\s+)?"
    r"(?:that|it|this)\b|"
    r"\b(?:make|makes|made|making)\s+(?:that|it|this)\s+up\b|"  # "which accounts make that up? w/ amounts"
    r"\b(?:behind|driving|account\s+for|accounts\s+for)\s+(?:most\s+of\s+|the\s+bulk\s+of\s+)?(?:that|it|this)\b|"
    # "just LATAM - which companies?" after the overdue amount by region: that amount, by account
    r"(?:^|[-–—:,;]\s*)which\s+(?:companies|accounts|customers|clients)\s*[?.!]*\s*$"
)

# "just EMEA", "and only the renewals", "for Germany only", "same thing but only for EMEA customers", "and looking only
# at deals with companies in EMEA?", "same breakdown, but only deals expected ...": the previous question, narrowed
_ONLY = re.compile(
    r"^\s*(?:and\s+)?(?:just|only)\b|"
    r"^\s*(?:and\s+|what\s+about\s+|how\s+about\s+)?(?:for\s+)?[\w\s&'-]{1,40}?\bonly\s*[?.!]*\s*$|"
    r"^\s*(?:(?:ok|okay|now|and)\s+)?(?:the\s+)?same\s+(?:thing\s+|again\s+)?(?:but\s+)?(?:only|just)\b|"
    r"\b(?:looking\s+)?(?:only|just)\s+(?:at\s+|for\s+|on\s+)?(?:the\s+)?(?:deals|ones|those)\b"
)
_RANKED_N = re.compile(
    r"\b(?:top|bottom|lowest|highest|worst|best|biggest|smallest)\s+\d{1,3}\b|\b\d{1,3}\s+(?:lowest|highest|worst|best|biggest|smallest)\b"
)
_WHICH_ACCOUNTS = re.compile(
    r"\W*(?:and\s+|ok\s+|so\s+)?which\s+(?:accounts|customers|companies|clients|accts)\b"
)
_ACCOUNT_OF_EACH = re.compile(
    r"\b(?:who|which|what)(?:'s|\s+is|\s+are|s)?\s+(?:the\s+)?(?:account|customer|company|client)s?\s+(?:on|for|of|behind)\s+"
    r"(?:each|every|them|those|these)(?:\s+one)?\b|\bwhich\s+(?:account|customer|company)\s+is\s+each\b"
)
# "how much of that is from event-sourced accounts" after the overdue amount: that amount, at those accounts
_HOW_MUCH_OF_IT = re.compile(r"\bhow\s+much\s+of\s+(?:that|it|this|the\s+total)\b")
_OF_THOSE = re.compile(r"\b(?:of|among|from)\s+(?:those|them|these|that\s+list)\b")


def _compatible(metric: str, other: str) -> bool:
    """Measures of the same kind over the same table (outstanding and the overdue amount)."""
    model = semantic.model()
    a, b = model.metric(metric), model.metric(other)
    return model.base_of(a) == model.base_of(b) and a.format == b.format


# "which customer is the second one?", "who owns the 3rd one": one row of the ranking just shown
_NTH_ONE = re.compile(
    r"\b(?:which|what|who|whose)\b.{0,40}?\bthe\s+(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+(?:one|row|"
    r"item|entry)\b"
)


class OnPrevious:
    """The Builder's reading of a message as a follow-up of the previous answer (a mixin: self is the Builder)."""

    def _on_previous(
        self, metric: str | None, also: list[str], periods, grain, thresholds, limit, rank_order, previous
    ) -> tuple[Reading | Refusal | None, str | None]:
        """The reading when the message is about the previous answer (or the account in focus), else None;
        and the measure, which a message after a list may name anew ("AR aging" after a list of leads)."""
        if previous is not None:
            model = semantic.model()
            base_before = model.base_of(previous.metric)
            if (
                _ACCOUNT_OF_EACH.search(self.raw)
                and base_before not in ("companies", "customer_insights")
                and model.dimension_for("customer", base_before)
                and model.lists.get(base_before)
            ):
                # "who's the account on each" after the total of my overdue deals: those deals, each with its account
                if previous.list_records:
                    return Reading(
                        previous.copy(), self.notes + ["the previous list, with each one's account"]
                    ), metric
                query = previous.copy()
                query.list_records, query.group_by, query.also, query.aggregate = True, [], [], None
                query.order = query.limit = None
                return Reading(
                    query, self.notes + ["the records behind the previous figure, each with its account"]
                ), metric
        nth = _NTH_ONE.search(self.raw)
        if (
            nth
            and previous is not None
            and previous.limit
            and (previous.list_records or previous.group_by)
            and ORDINALS.get(nth.group(1), 99) < previous.limit
        ):
            # "which customer is the second one?" after the 3 biggest overdue invoices: that row again, with its
            # customer (and owner) beside it
            query = previous.copy()
            query.offset, query.limit = (previous.offset or 0) + ORDINALS[nth.group(1)], 1
            return Reading(query, self.notes + [f"the {nth.group(1)} one of the previous answer"]), metric
        if metric in (None, "companies", "customers"):
            reading = self._owner_of_previous_account(previous)
            if reading is None:
                reading = self._accounts_behind(previous)
            if reading is not None:
                return reading, metric
        if previous is None:
            return None, metric
        refine = (self, previous, periods, grain, thresholds, limit, rank_order)
        if (
            previous.list_records
            and followup_records.WHEN_DO_THEY_CLOSE.search(self.raw)
            and periods.period is None
        ):
            # "when are they expected to close" after the 5 biggest open deals: those deals, each with its date
            return Reading(
                previous.copy(), self.notes + ["the previous list, with each expected close date"]
            ), metric
        listed = followup_records.columns_for_list(self, previous)
        if listed is not None:
            return listed, metric
        if (
            metric is None
            and (self.columns_asked or followup_records.WHEN_DO_THEY_CLOSE.search(self.raw))
            and limit is None
            and rank_order is None
        ):  # "whats in april specifically? deal names pls" after the pipeline by month
            behind = followup_records.records_behind(self, previous, previous.metric, periods.period)
            if behind is not None:
                return behind, metric
        if metric is None:
            implied = self._metric_from_dimensions() or self._metric_from_values()
            if implied is None or _compatible(implied, previous.metric) or self._applies_to(previous.metric):
                return followup.refine(*refine), metric
            metric = implied  # "AR aging" or "open tickets" after a list of leads: a new question
        added = (
            followup.with_measure_added(self, previous, metric, periods)
            or followup.sorted_by_beside(self, previous, metric, rank_order)
            or followup.per_account_of_list(self, previous, metric, periods)
        )
        if added is not None:
            return added, metric
        behind = followup_measure.count_behind(
            self, previous, metric, also
        ) or followup_records.amount_on_those(self, previous, metric)
        if behind is not None:  # "and how many deals does that come from?" after bookings
            return behind, metric
        if self._anaphoric_record_word(metric, previous):
            return followup.refine(*refine), metric
        if _ONLY.search(self.raw) and metric in GENERIC_METRICS and self.has_marker("list"):
            behind = followup_records.records_behind(self, previous, metric, periods.period)
            if behind is not None:  # "just Wei Okafor - list the deals" after bookings by rep: his deals
                return behind, metric
        if self._narrows_previous(metric, previous):
            return followup.refine(*refine), metric
        if self._owners_of_previous(metric, previous):
            return followup.refine(*refine), metric
        return None, metric

    def _narrows_previous(self, metric: str, previous: Query) -> bool:
        """ "just for EMEA deals?" after the sales cycle: the same measure, only those deals; "and for EMEA accounts
        only?" after bookings: their deals; "only the deals with an expected close date this quarter" after the
        pipeline (a count said of the previous amount's records)."""
        model = semantic.model()
        only, of_those = (
            _ONLY.search(self.raw),
            _OF_THOSE.search(self.raw) or _HOW_MUCH_OF_IT.search(self.raw),
        )
        same_table = model.base_of(metric) == model.base_of(previous.metric)
        counts_those = (
            only is not None
            and metric in RECORD_METRICS
            and model.metric(metric).aggregate == "count"
            and model.metric(previous.metric).aggregate != "count"
        )
        accounts = metric in ("customers", "companies")
        if not (
            (metric in GENERIC_METRICS or counts_those)
            and (only or (of_those and accounts and not same_table))
            and (same_table or accounts)
            and (not previous.list_records or of_those)
        ):
            return False
        if (
            not same_table
            and _WHICH_ACCOUNTS.match(self.raw)
            and model.dimension_for("customer", model.base_of(previous.metric))
        ):
            # "which accounts opened 3 or more of them?" after the tickets: those records, per account
            for i, m in enumerate(self.mentions):
                if m.phrase in CUSTOMER_WORDS:
                    self.mentions[i] = Mention(
                        m.start, m.end, m.phrase, (Sense("dim", "customer"),), m.entity
                    )
                    self.mentions.insert(i, Mention(m.start, m.start, "by", (Sense("marker", "group"),)))
                    break
        elif not same_table:  # "accounts" named no grouping
            self.mentions = [m for m in self.mentions if m.phrase not in CUSTOMER_WORDS]
        return True

    def _anaphoric_record_word(self, metric: str, previous: Query) -> bool:
        """ "who owns those accounts", "list those deals": the record word points back, names no new measure."""
        if metric not in GENERIC_METRICS:
            return False
        about = re.match(
            r"\W*(?:(?:and|ok|okay|so)\W+)?(?:what|how)\s+about\b|\W*(?:and\s+)?same\s+for\b", self.raw
        )
        same_table = semantic.model().base_of(metric) == semantic.model().base_of(previous.metric)
        counted = self.has_marker("count") or re.search(r"\b(?:number|count|how\s+many|#|volume)\b", self.raw)
        if same_table and not counted and about and self._value_before_record_word(metric):
            return (
                True  # "what about partner leads" after the conversion rate of paid-ads leads: partner's rate
            )
        if not self.follow.refers:
            return False
        pointers = ("those", "these", "them", "the", "their", "such")
        narrowed = re.match(
            r"\W*(?:ok\W+|and\s+)?(?:the\s+)?same\s+(?:but|thing|again)\b.*\b(?:only|just)\b", self.raw
        )
        if same_table and not counted and narrowed:
            return True  # "same but only the UK & Ireland team's deals" after open pipeline: the same measure
        return any(
            any(s.kind == "metric" and s.name == metric for s in m.senses)
            and m.start > 0
            and self.tokens[m.start - 1] in pointers
            # "who are the contacts there" after an account's revenue: new records, of that account
            and (same_table or self.tokens[m.start - 1] != "the")
            # "their invoices from last year" after who owns an account: that account's invoices, a new question
            and (
                same_table
                or semantic.model().base_of(previous.metric) not in ("companies", "customer_insights")
            )
            for m in self.mentions
        )

    def _value_before_record_word(self, metric: str) -> bool:
        """A value is said right before the record word ("partner leads", "EMEA deals")."""
        return any(
            any(s.kind == "metric" and s.name == metric for s in m.senses) and self._after_value(m)
            for m in self.mentions
        )

    def _owners_of_previous(self, metric: str, previous: Query) -> bool:
        """ "which customers have the high priority ones" after a count of tickets: the previous records,
        grouped by their customer (the record word becomes that grouping)."""
        model = semantic.model()
        base = model.base_of(previous.metric)
        if metric not in GENERIC_METRICS or model.base_of(metric) == base or previous.list_records:
            return False
        if not re.search(r"\b(?:ones|those|them|these|they)\b", self.raw):
            return False
        for i, m in enumerate(self.mentions):
            dims = [s for s in m.senses if s.kind == "dim" and model.dimension_for(s.name, base)]
            if any(s.kind == "metric" and s.name == metric for s in m.senses) and dims:
                self.mentions[i] = Mention(m.start, m.end, m.phrase, (dims[0],), m.entity)
                if not any(
                    x.start == m.start - 1 and any(s.name == "group" for s in x.senses) for x in self.mentions
                ):
                    self.mentions.insert(i, Mention(m.start, m.start, "by", (Sense("marker", "group"),)))
                return True
        return False

    def _previous_measure(self, metric: str, dims, metric_mentions, previous: Query):
        """The previous measure, where this message only points at it: "top 3 EMEA accounts on that"
        (accounts ranked by it), or "which source brought in the most" after new leads by source (a
        grouping only the previous table has, with a verb that could name another measure)."""
        model = semantic.model()
        ranked_accounts = (
            previous.group_by
            and not previous.list_records
            and len(metric_mentions) == 1
            and model.metric(previous.metric).aggregate not in ("count", "count_distinct")
            and model.dimension_for("customer", model.base_of(previous.metric))
            and _RANKED_N.search(self.raw)
        )
        if metric in ("companies", "customers") and (_ON_THAT.search(self.raw) or ranked_accounts):
            # ("latam specifically - lowest 5 customers?" after the average health score by region: ranked by it)
            spot = next((m.start for m in metric_mentions if any(s.name == metric for s in m.senses)), 0)
            return previous.metric, [*dims, (spot, "customer")]
        if (
            metric == "outstanding"
            and previous.metric == "overdue_amount"
            # ("and total they owe incl. not yet due?", "..., overdue or not?": all of it, not only the overdue part)
            and not re.search(
                r"\b(?:total|in\s+total|all\s+(?:of\s+it|in)|altogether|overall)\b|\bnot\s+(?:yet\s+)?due\b|\boverdue\s+or\s+not\b",
                self.raw.lower(),
            )
            and all(
                m.phrase in ("owe", "owes", "owed", "owing")
                for m in metric_mentions
                if not any(s.name in GENERIC_METRICS for s in m.senses)
            )
        ):
            # "EMEA - which accounts owe the most?" after the overdue amount by region: what they owe overdue
            self.notes.append("kept the previous measure (overdue amount)")
            return previous.metric, dims
        base, before = model.base_of(metric), model.base_of(previous.metric)
        named = []
        for m in self.mentions:
            said = [s.name for s in m.senses if s.kind == "dim"]
            # one word, two dimensions (a lead's source, an account's lead source): the
            # one the previous answer could use is what the word points at
            if len(said) > 1 and any(model.dimension_for(d, before) for d in said):
                said = [d for d in said if model.dimension_for(d, before)]
            named += said
        if (
            base != before
            and named
            and all(model.dimension_for(d, before) and not model.dimension_for(d, base) for d in named)
        ):
            self.notes.append(f"kept the previous measure ({model.metric(previous.metric).label})")
            return previous.metric, dims
        return metric, dims
