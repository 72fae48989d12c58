"""Choosing the measure a question asks for: from metric words, values, verbs, groupings and the previous question."""

from __future__ import annotations

import itertools
import re

from tools.reports import semantic
from tools.reports.build import LAST_CONTACTED
from tools.reports.lexicon import lexicon
from tools.reports.nlq.kinds import (
    CUSTOMER_GAIN_VERBS,
    CUSTOMER_LOSS_VERBS,
    CUSTOMER_WORDS,
    DEFAULT_METRIC_FOR_BASE,
    GENERIC_METRICS,
    RECORD_NOUNS,
    VERB_MEASURES,
    record_word_dimension,
    single_value_condition,
)
from tools.reports.nlq.types import Refusal
from tools.reports.nlq.words import (
    Mention,
)

_DEALS_WON_OR_LOST = re.compile(
    r"\bhow\s+many\s+(?:deals|opps|opportunities)\s+(?:did|have|has|had)\s+(?:we|i|you|they|the\s+team|my\s+team)\s+"
    r"(?:actually\s+)?(win|won|lose|lost)\b"
)
_HOW_MANY_AND = re.compile(
    r"\bhow\s+many\b[\s,]*\b(?:and|plus)\b|(?:\bnumber\s+of\b|#)[^?]*(?:\band\b|\+|\bplus\b)\s*(?:the\s+)?(?:avg|average)\b|"
    # "how many tickets did we get in April, and what was the average CSAT on them?"
    r"\bhow\s+many\b[^?]{0,80}?(?:,|\band\b|\+|\bplus\b)\s*(?:and\s+)?(?:what\s+(?:was|is|were|are)\s+|what'?s\s+)?"
    r"(?:the\s+|their\s+)?(?:avg|average|mean)\b(?!\s+(?:size|amount|value|deal))"
)


_WITH_COUNT = re.compile(
    r"(?:,|\band\b|\+|\s[-—–]|:)\s*(?:(?:and\s+)?also\s+)?(?:(?:across|over|spread\s+(?:across|over)|from)\s+)?"
    r"(?:the\s+)?(?:how\s+many|number\s+of|count\s+of|count)\b"
)
_LIFECYCLE_OF = re.compile(
    r"\b(?:from|by|of|at|for|with|on|to|among|across)\s+(?:our\s+|the\s+|all\s+|those\s+)?(?:(churned|lost|former|ex-?)"
    r"\s*(?:customers?|accounts?|companies|clients?|custs?)|prospects\b|prospect\s+(?:accounts?|companies)|"
    r"prospective\s+(?:customers|clients|accounts))"
)
# "drop the churned ones", "excluding churned accounts", "only accounts that are still with us": every company but the
# churned ones
_LIFECYCLE_LEFT_OUT = re.compile(
    r"\b(?:excluding|exclude|excl\.?|without|minus|leave\s+out|leaving\s+out|drop|dropping|remove|removing|ignore|"
    r"ignoring|not\s+counting|except(?:\s+for)?|other\s+than|take\s+out|no)\s+(?:the\s+|our\s+|any\s+|all\s+)?"
    r"(?:churned|lost|former|ex-?)\s*(?:ones|customers?|accounts?|companies|clients?|custs?)\b|"
    r"\b(?:accounts?|customers?|companies|clients?)\s+(?:that|who|which)\s+(?:are|is)\s+still\s+with\s+us\b|"
    r"\b(?:accounts?|customers?|companies|clients?)\s+(?:that|who|which)\s+(?:haven'?t|have\s+not|didn'?t|did\s+not)"
    r"\s+churn(?:ed)?\b|\bnot\s+churned\b"
)
_SORTED_BY = re.compile(
    r"\b(?:sorted|sort|ordered|order|ranked|rank)\s+(?:them\s+)?by\b|"
    r"\b(?:highest|lowest|biggest|smallest|best|worst|top)\s+(?:[\w-]+\s+){0,3}?first\b"
)
# words between counted records and a measure that only say what the records are ("how many invoices r overdue")
_LINKING = frozenset(
    [
        "are",
        "is",
        "r",
        "were",
        "was",
        "been",
        "being",
        "have",
        "has",
        "had",
        "that",
        "which",
        "who",
        "still",
        "currently",
        "now",
        "already",
        "right",
        "got",
        "get",
        "gone",
        "went",
        "all",
        "of",
        "them",
        "those",
    ]
)
_SECOND_ASK = re.compile(
    r"(?:,|\band\b|\+|\bplus\b|\?)\s*(?:and\s+|\+\s*)?(?:how\s+(?:many|much)\b|what'?s\b|"
    # "how much cash came in during february? and what did we invoice in the same month"
    r"what\s+(?:did|do|have|has)\s+(?:we|they|i|you)\b)"
)


def _account_columns(names: list[str]) -> list[str] | None:
    """Each measure as a column of an account's own row (its insights values, when it was last contacted), or None
    where one of them is a figure over records (revenue, tickets)."""
    model = semantic.model()
    columns = []
    for name in names:
        metric = model.metric(name)
        if name == LAST_CONTACTED:
            columns.append(LAST_CONTACTED)
        elif metric.aggregate in ("avg", "sum", "max", "min") and str(metric.column).startswith(
            "customer_insights."
        ):
            columns.append(metric.column)
        else:
            return None
    return columns


def _LISTED_APART(first: str, second: str) -> re.Pattern:  # noqa: N802 (a pattern, built for two phrases)
    """Two measures written one after the other with a comma (or ";", "/", "+") between them."""
    return re.compile(rf"\b{re.escape(first)}\s*[,;/+&]\s*(?:#\s*)?{re.escape(second)}\b")


class MetricChoice:
    """The builder's choice of metric(s)."""

    def _amount_of(self, metric: str) -> str:
        """ "how much is overdue", "how much did we win": the money of a count (its amount metric);
        "how many overdue": the count of an amount (its count metric)."""
        model = semantic.model()
        companion = _WITH_COUNT.search(self.raw)
        money_first = companion and re.search(r"\bhow\s+much\b", self.raw[: companion.start()])
        before = (
            self.raw[: companion.start()]
            if companion and (model.metric(metric).format in ("money", "rate") or money_first)
            else self.raw
        )  # "how much is overdue, and across how many invoices?": the amount, its count beside ("my win rate in Jan?
        # and how many did i lose": the rate, and a count of its own)
        if self.has_marker("count") and re.search(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b", before):
            # "what did we invoice in April, and how many invoices was that?": the amount, with the count beside
            return model.metric(metric).count_metric or metric
        target = model.metric(metric).amount_metric
        if target is None or self.has_marker("count"):
            return metric
        asks_money = bool(re.search(r"\bhow\s+much\b", self.raw)) or bool(
            set(self.tokens) & {"worth", "value", "dollars", "$"}
        )
        # "total we've won with Acme": a total of a verb, with no record word to count, is money
        record_word = set(self.tokens) & RECORD_NOUNS
        asks_money = asks_money or ("total" in self.tokens and not record_word)
        # "... more than 60 days past due? total per customer": the money of each, not how many
        asks_money = asks_money or bool(
            re.search(
                r"\btotals?\s+(?:\$\s+|amount\s+|owed\s+)?(?:per|for\s+each|for\s+every|by)\s+\w+", self.raw
            )
        )
        return target if asks_money else metric

    def _values_only_after(self, at: int) -> list[str]:
        """Filter values the message names after character ``at`` of the raw text and not before it (a second
        ask's own: "..., and how many accounts are flagged high churn risk?")."""
        before, after = self.raw[:at], self.raw[at:]
        return [
            m.phrase
            for m in self.mentions
            if any(s.kind == "value" for s in m.senses)
            and not any(s.kind == "metric" for s in m.senses)
            and m.phrase in after
            and m.phrase not in before
        ]

    def _records_ranked_by_column(
        self, metric: str, metric_mentions, limit, rank_order
    ) -> tuple[str, str] | None:
        """ "top 10 open leads by score": the leads themselves, ranked by their score (not an average)."""
        model = semantic.model()
        m = model.metric(metric)
        sorted_said = _SORTED_BY.search(
            self.raw
        )  # "my qualified leads pls, highest conversion probability first"
        # ("the lead with the highest score", "which deal has the lowest discount": that record)
        extreme = (self.has_marker("desc") or self.has_marker("asc")) and not self.has_marker("group")
        if (
            not (limit or rank_order or sorted_said or extreme)
            or m.aggregate not in ("avg", "max", "min")
            or not m.column
        ):
            return None
        if self.has_marker("avg") and not (limit or rank_order or sorted_said):
            return None  # "the highest average score": a figure per group, read elsewhere
        for mention in metric_mentions:
            for sense in mention.senses:
                if (
                    sense.kind == "metric"
                    and sense.name in GENERIC_METRICS
                    and model.base_of(sense.name) == m.base
                ):
                    return sense.name, m.column
        label = re.escape(model.base_label(m.base).rstrip("s"))
        # ("whats aisha's best lead by score?", "her single best one by score": that record)
        said_records = re.search(
            rf"\b{label}s\b|\b{label}\b(?!\s+(?:score|source|status|conversion|owner|count|volume|rate|size|amount|value|"
            r"cycle|stage|velocity|length|win|sizes|amounts|values))|"
            r"\b(?:best|top|highest|biggest|worst|lowest)\s+one\b",
            self.raw,
        )
        if (sorted_said or limit or rank_order) and said_records:
            # "my qualified leads sorted by conversion probability", "top 5 qualified leads by conversion
            # probability": the records' word was read with a value
            generic = next((g for g in GENERIC_METRICS if model.base_of(g) == m.base), None)
            if generic is not None:
                return generic, m.column
        return None

    def _applies_to(self, metric: str) -> bool:
        """Every dimension or value the message names applies to ``metric``'s table (a refinement of it)."""
        model = semantic.model()
        base = model.base_of(metric)
        said = [[s.name for s in m.senses if s.kind in ("dim", "value")] for m in self.mentions]
        said = [names for names in said if names]
        # a word with several readings ("referral": a lead's source, an account's) applies if one of them does
        return bool(said) and all(any(model.dimension_for(name, base) for name in names) for names in said)

    def _metric_from_dimensions(self) -> str | None:
        """ "AR aging": a dimension with a measure of its own (the aging buckets measure outstanding)."""
        for m in self.mentions:
            for s in m.senses:
                if s.kind == "dim":
                    dim = semantic.model().dimensions_by_name.get(s.name)
                    if dim is not None and dim.default_metric:
                        return dim.default_metric
        return None

    # ---- metric

    def _choose_metric(self, metric_mentions: list[Mention], side_by_side: bool = False, whole: bool = False):
        """One metric (several when compared: "invoiced vs collected"); generic record words beside a
        specific metric become its grouping. ``whole``: the mentions are the whole message's (counts asked
        beside a measure are read there only, never in a part of it read again)."""
        both = (
            self._count_then_measure(metric_mentions)
            or (whole and self._counts_beside(metric_mentions))
            or None
        )
        if both is not None:
            return both
        days_late = [  # "how many days overdue is the oldest unpaid invoice": a column of each invoice
            m
            for m in metric_mentions
            if m.start > 0
            and self.tokens[m.start - 1] in ("days", "day")
            and m.phrase in ("overdue", "past due", "late")
        ]
        if days_late and len(days_late) < len(metric_mentions):
            metric_mentions = [m for m in metric_mentions if m not in days_late]
        names = []
        for m in metric_mentions:
            for s in m.senses:
                if s.kind == "metric" and s.name not in names:
                    names.append(s.name)
        owed_verb = [m for m in metric_mentions if m.phrase in ("owed", "owe", "owes", "owing")]
        whole_then_part = re.search(
            r"(?:,|\band\b|\?\s*\+?|\+|;|\.)\s*(?:and\s+)?(?:also\s+)?how\s+much\s+of\s+(?:that|it|this|those)\b",
            self.raw,
        )
        if whole_then_part and "overdue_amount" in names and "outstanding" in names:
            # "total outstanding rn, and how much of that is overdue": the whole and the part, side by side
            return "outstanding", [], ["overdue_amount"], None
        if (
            "overdue_amount" in names
            and "outstanding" in names
            and (
                owed_verb
                or re.search(r"\bhow\s+much\s+of\b|\bwhat\s+(?:share|part|portion)\s+of\b", self.raw)
            )
        ):
            # "of the overdue balance, how much is owed by ...", "how much of our receivables is more than 90 days
            # past due": the overdue part
            names.remove("outstanding")
        part = {"outstanding", "overdue_amount"} & set(names)
        if (
            part
            and "invoiced" in names
            and re.search(
                r"\bhow\s+much\s+of\s+(?:what|the\s+(?:amount|money|total)|everything|all)\b", self.raw
            )
        ):
            # "how much of what we invoiced in 2025 is still unpaid?": the unpaid part of those invoices
            names.remove("invoiced")
        if (
            owed_verb
            and "overdue_amount" in names
            and "invoices" in names
            and not re.search(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|#", self.raw)
        ):
            # "who owes the most on invoices 90+ days past due": what they owe on those invoices, not how many
            names = [n for n in names if n not in ("invoices", "outstanding")]
        names = self._narrowed_by_adjective(names, metric_mentions)
        names = self._dated_as_said(names, metric_mentions)
        lifecycle = _LIFECYCLE_OF.search(self.raw)
        if lifecycle:  # "revenue from churned accounts", "bookings from prospects": those companies' records
            stage, named = (
                ("churned", "churned_customers") if lifecycle.group(1) else ("prospect", "prospects")
            )
            others = [n for n in names if n != named and n not in GENERIC_METRICS]
            # ("how much of that sits with churned accounts" after the receivables: the part owed by them)
            part_of_previous = re.search(r"\bhow\s+much\s+of\s+(?:that|it|this|those)\b", self.raw)
            if others or part_of_previous:
                names = [n for n in names if n != named]
                self.lifecycle = stage
        if _LIFECYCLE_LEFT_OUT.search(self.raw):
            # "outstanding by region, excluding churned accounts": the other companies' records; "hmm drop the
            # churned ones" after a report: that report, without them
            names = [n for n in names if n != "churned_customers"]
            self.lifecycle_left_out = "churned"
        companion = _WITH_COUNT.search(self.raw)
        if (
            companion
        ):  # "overdue amount in apac and how many invoices is that": "invoices" is the count beside
            after = {
                s.name
                for m in metric_mentions
                for s in m.senses
                if s.kind == "metric"
                and s.name in GENERIC_METRICS
                and m.phrase not in self.raw[: companion.start()]
                and m.phrase in self.raw[companion.end() :]
            }
            money = [n for n in names if n not in after and semantic.model().metric(n).format == "money"]
            if after and money:
                names = [n for n in names if n not in after]
        beside = self._named_beside(metric_mentions)
        measured = [
            n
            for n in names
            if n not in beside and n not in GENERIC_METRICS and semantic.model().metric(n).format != "count"
        ]
        if beside and measured:
            # "top 10 customers by LTV, with their predicted 12-month LTV next to it": ranked by the first, the
            # other a column beside it
            main = [n for n in names if n not in beside]
            chosen, dims, also, refusal = self._choose_metric(
                [m for m in metric_mentions if not any(s.name in beside for s in m.senses)], side_by_side
            )
            if refusal is None and chosen is not None:
                return chosen, dims, [*also, *[n for n in beside if n != chosen]][:2], None
            names = main
        names = self._customer_outcome(names, metric_mentions)
        names = self._duration(names)
        names = self._combine(list(dict.fromkeys(names)), self._said_apart(metric_mentions))
        names = self._closing_deals(names)
        specific = [n for n in names if n not in GENERIC_METRICS]
        generic = [n for n in names if n in GENERIC_METRICS]
        verbs = {  # "which region brought in the most new leads": the verb counts the leads, it is no revenue
            s.name
            for m in metric_mentions
            for s in m.senses
            if s.kind == "metric" and m.phrase in VERB_MEASURES
        }
        said = {s.name for m in metric_mentions if m.phrase not in VERB_MEASURES for s in m.senses}
        # ("which 5 industries brought in the most bookings": the measure named right after the verb is its object)
        object_named = any(
            v.phrase in VERB_MEASURES
            and any(
                o.phrase not in VERB_MEASURES
                and v.end <= o.start <= v.end + 3
                # ("did we receive from customers": who it came from, not what)
                and not {"from", "by", "with", "for", "to", "of"} & set(self.tokens[v.end : o.start])
                for o in metric_mentions
                if any(s.kind == "metric" and s.name not in verbs for s in o.senses)
            )
            for v in metric_mentions
        )
        if verbs and not (verbs & said) and (generic or object_named):
            specific = [n for n in specific if n not in verbs]
        # ("deep tiger apps - when exactly did they churn": the question after the account named)
        if specific == ["churned_customers"] and re.search(
            r"(?:^|[-—–:.?]\s*)\s*when\s+(?:exactly\s+)?(?:did|was|has|were)\b", self.raw
        ):
            specific = ["churn_date"]  # "when did Acme churn": the date, not a count of one
        dims: list[tuple[int, str]] = []
        other_records = self._records_against(specific, generic, metric_mentions)
        if isinstance(other_records, tuple):
            return other_records[0], [], other_records[1], None
        if other_records is not None:
            return None, [], [], other_records
        if specific:
            for m in metric_mentions:
                dim = record_word_dimension(m)
                before = self.tokens[m.start - 1] if m.start > 0 else ""
                after = self.tokens[m.end] if m.end < len(self.tokens) else ""
                if before in ("from", "of", "among", "at") and after in (
                    "with",
                    "that",
                    "who",
                    "whose",
                    "having",
                    "where",
                ):
                    continue  # "how much is overdue from customers with high churn risk": whose, not a split
                if dim:
                    dims.append((m.start, dim))
            if {"new_customers", "customer_since"} <= set(specific):
                # "who became a customer this month": new customers; "when did Acme become one": the date
                dated = bool({"when", "long", "date"} & set(self.tokens))
                specific = [n for n in specific if n != ("new_customers" if dated else "customer_since")]
            specific = list(dict.fromkeys(specific))  # one measure named twice is one measure
            if len(specific) > 1:
                specific = self._prefer_by_position(specific, metric_mentions)
                specific = list(dict.fromkeys(specific))
            per_account = self._per_account_side_by_side(specific, dims)
            if per_account is not None:
                # "high churn risk custs that also have overdue invoices — name, churn prob, overdue amt": per account,
                # each measure on its own table (the records' measure first: its accounts are the rows)
                return per_account[0], dims, per_account[1:], None
            if len(specific) > 1 and (side_by_side or self._joined(specific, metric_mentions)):
                return specific[0], dims, specific[1:3], None
            model = semantic.model()
            counted = [
                s.name
                for m in metric_mentions
                for s in m.senses
                if s.kind == "metric"
                and s.name in GENERIC_METRICS
                and (
                    model.base_of(s.name) == model.base_of(specific[0])
                    # ("how many customers does my team have, and what's their avg health score?": the customers
                    # counted, their scores averaged)
                    or (
                        s.name == "customers"
                        and model.base_of(specific[0]) == "customer_insights"
                        and model.metric(specific[0]).aggregate == "avg"
                    )
                )
            ]
            if len(specific) == 1 and counted and _HOW_MANY_AND.search(self.raw):
                # "jade fuels tickets this year - how many, and avg csat?": the count and the measure
                return counted[0], dims, specific[:1], None
            if len(specific) > 1 and self._names_a_customer():
                columns = _account_columns(specific)
                if columns is not None:
                    # "Maplewood Payments - health score + when did we last talk to them?": that account, with each
                    # value as a column of it
                    self.account_columns = columns
                    return "companies", dims, [], None
            if len(specific) > 1:
                choices = [f"{semantic.model().metric(n).label}" for n in specific]
                return (
                    None,
                    [],
                    [],
                    Refusal(
                        "Which one did you mean: "
                        + " or ".join(choices)
                        + "? I answer one measure at a time.",
                        choices,
                        kind="clarify",
                    ),
                )
            return specific[0], dims, [], None
        implied = self._metric_from_dimensions() if generic else None
        if (
            implied
            and len(generic) == 1
            and semantic.model().base_of(implied) == semantic.model().base_of(generic[0])
            and re.search(
                r"(?:\band|\bplus|,|&)\s+(?:the\s+)?(?:amount|amounts|value|\$|dollars|total|balance)s?\b",
                self.raw,
            )
        ):
            # "AR aging - number of invoices and amount in each bucket": the count and the bucket's own measure
            return generic[0], [], [implied], None
        if generic:
            # "deals by customer": the first record word is the metric, a later customer word a grouping;
            # "which customers have the most tickets": the customer word is the grouping, whatever its place
            first = generic[0]
            others = [n for n in generic if n not in ("customers", "companies")]
            if first in ("customers", "companies") and others:
                first = others[0]
            if first in ("customers", "companies") and not others:
                implied = self._metric_from_dimensions()
                if implied is not None:  # "AR aging for our EMEA accounts": the aging, of those accounts
                    return implied, [], [], None
                # "how much is sitting in the 31-60 day bucket for EMEA accounts": that money (never "which APAC
                # accounts are in the 90+ bucket": the accounts, not yet read)
                which = re.search(
                    r"\b(?:which|what)\s+(?:[\w-]+\s+)?(?:accounts|customers|companies|clients)\b", self.raw
                )
                implied = None if which else self._metric_of_a_bucket()
                if implied is not None:
                    return implied, [], [], None
                split = [
                    m.start
                    for m in metric_mentions
                    if m.phrase in CUSTOMER_WORDS
                    and m.start > 0
                    and self.tokens[m.start - 1] in ("by", "per", "each", "across")
                ]
                implied = self._metric_from_values() if split else None
                if implied is not None and implied not in ("customers", "companies"):
                    # "how much is in the 61-90 bucket, broken out by account": the bucket's measure, by account
                    return implied, [(split[0], "customer")], [], None
            for m in metric_mentions:
                if m.phrase in CUSTOMER_WORDS and first not in ("customers", "companies"):
                    dims.append((m.start, "customer"))
            return first, dims, [], None
        return None, [], [], None

    def _narrowed_by_adjective(self, names: list[str], metric_mentions) -> list[str]:
        """ "past due AR", "overdue receivables": a measure named right before a broader one of the same
        records (the overdue amount is the outstanding amount, restricted) is that narrower measure."""
        model = semantic.model()
        for a in metric_mentions:
            for b in metric_mentions:
                if a.end != b.start:
                    continue
                for sa in a.senses:
                    for sb in b.senses:
                        if sa.kind != "metric" or sb.kind != "metric" or sa.name == sb.name:
                            continue
                        if sa.name not in names or sb.name not in names:
                            continue
                        narrow, broad = model.metric(sa.name), model.metric(sb.name)
                        narrower = (
                            narrow.base == broad.base
                            and narrow.aggregate == broad.aggregate
                            and narrow.column == broad.column
                            and {str(c) for c in broad.conditions} < {str(c) for c in narrow.conditions}
                        )
                        if narrower:
                            names = [n for n in names if n != sb.name]
        return names

    def _dated_as_said(self, names: list[str], metric_mentions) -> list[str]:
        """ "how many leads converted in Q3, going by conversion date": one measure placed in time two ways;
        the date said picks the way (never a question back about two measures)."""
        model = semantic.model()
        for a, b in itertools.permutations(list(names), 2):
            ma, mb = model.metric(a), model.metric(b)
            same = (
                ma.base == mb.base
                and ma.aggregate == mb.aggregate
                and ma.column == mb.column
                and {str(c) for c in ma.conditions} == {str(c) for c in mb.conditions}
                and ma.time_column != mb.time_column
            )
            dated = any(
                "date" in m.phrase.split() and any(s.kind == "metric" and s.name == a for s in m.senses)
                for m in metric_mentions
            )
            if same and dated and b in names:
                names = [n for n in names if n != b]
        return names

    def _count_then_measure(self, metric_mentions: list[Mention]):
        """ "how many invoices are overdue and what's the total overdue", "for each source: how many leads this year
        + their conversion rate": a count, then a measure of the same records, each read on its own and answered
        side by side (the measure is never merged into the count)."""
        counts = [m for m in self.markers("count") if m.phrase in ("how many", "number of", "# of", "#")]
        if not counts:
            return None
        start = counts[0].end
        joiners = [i for i in range(start, len(self.tokens)) if self.tokens[i] in ("and", "plus")]
        if not joiners:
            return None
        cut = joiners[0]
        before = [m for m in metric_mentions if start <= m.start < cut]
        after = [m for m in metric_mentions if m.start > cut]
        if not before or not after or any(m.start < start for m in metric_mentions):
            return None
        if self.tokens[cut + 1 : cut + 3] == ["how", "many"]:
            return None  # "how many X, and how many Y": two counts, read elsewhere
        first = self._choose_metric(before)
        second = self._choose_metric(after)
        if first[3] is not None or second[3] is not None or first[0] is None or second[0] is None:
            return None
        model = semantic.model()
        counted = model.metric(second[0]).count_metric
        if (
            first[0] in ("customers", "companies")
            and counted
            and model.base_of(counted) == model.base_of(second[0]) != model.base_of(first[0])
        ):
            # "how many customers are flagged high churn risk, and how much LTV do they represent?": the accounts
            # the measure is kept for, counted
            first = (counted, *first[1:])
        amount = model.metric(first[0]).amount_metric
        if (
            amount
            and amount != second[0]
            and model.metric(second[0]).format == "money"
            # ("how many are partially paid, and what is still owed on them": what is owed, never their totals)
            and not (
                model.metric(second[0]).aggregate == "outstanding"
                and model.metric(amount).aggregate != "outstanding"
            )
            and model.base_of(amount) == model.base_of(second[0])
            and re.search(
                r"\b(?:on|of|for|across)\s+(?:them|those|these|it|that)\b", " ".join(self.tokens[cut:])
            )
        ):
            # "how many invoices are overdue, and what's the total owed on them?": those invoices' amount
            second = (amount, *second[1:])
        if (
            first[0] == second[0]
            or model.base_of(first[0]) != model.base_of(second[0])
            or model.metric(first[0]).format != "count"
            # ("how many meetings ..., and with how many different accounts?": the records, and the accounts among them)
            or (
                model.metric(second[0]).format == "count"
                and model.metric(second[0]).aggregate != "count_distinct"
            )
        ):
            return None
        return first[0], first[1], [second[0]], None

    def _counts_beside(self, metric_mentions: list[Mention]):
        """Counts asked for as columns beside a measure, or beside each other: "method, # payments, total $",
        "total $ and deal count", "win rate, with the won and lost counts next to it", "# of leads created in Q1,
        and how many of them converted". A count word points at the record words next to it; a count of the
        measure's own records ("# payments" beside collected) is the measure's count. Never dropped for the
        measure: the counts and the measure share the question's filters and are answered side by side."""
        model = semantic.model()
        toks = self.tokens
        cued, loose = self._count_cues(metric_mentions)
        # ("tickets by priority - count and avg resolution time": a count word alone counts the records named)
        if (not cued and not loose) or (
            len(cued) == 1 and not loose and len(metric_mentions) == len(cued[0])
        ):
            return None
        in_groups = {id(m) for g in cued for m in g}
        rest = [m for m in metric_mentions if id(m) not in in_groups]
        for group in cued:
            for m in rest:
                between = set(toks[group[-1].end : m.start])
                if m.start >= group[-1].end and between <= _LINKING:
                    return (
                        None  # "how many invoices r overdue": what the records are, not a measure beside them
                    )
        barred = {t.hint for t in getattr(self, "bars", []) if t.hint} | {
            t.after for t in getattr(self, "bars", []) if t.after
        }
        if any(set(m.phrase.split()) & barred for m in rest):
            return None  # "how many leads have a conversion probability above 50%": a bar on each, no column
        if loose:  # the record word the loose count counts
            records = [
                m for m in rest if any(s.kind == "metric" and s.name in GENERIC_METRICS for s in m.senses)
            ]
            if len(records) != 1:
                return None
            cued.insert(0, records)
            rest = [m for m in rest if m is not records[0]]
        counts = []
        for group in cued:
            names = [s.name for m in group for s in m.senses if s.kind == "metric"]
            merged = self._combine(list(dict.fromkeys(names)))
            if len(group) > 1 and len(merged) == 1:  # "deals won"
                counts.append(merged[0])
            elif len(group) > 1:  # "won and lost": a count each
                counts.extend(n for m in group for n in [self._one_metric(m)] if n)
            else:
                counts.append(self._one_metric(group[0]))
        known = {m.name for m in model.metrics}
        if None in counts or any(n not in known or model.metric(n).aggregate != "count" for n in counts):
            return None
        if rest:
            chosen = self._choose_metric(rest)
            main, dims, also, refusal = chosen
            if refusal is not None or main is None or model.metric(main).format in ("count", "date"):
                return None  # (a date is no measure beside a count: "how many have a predicted churn date in Q2")
            if any(
                model.base_of(a) != model.base_of(main) or model.metric(a).format in ("count", "date")
                for a in also
            ):
                return None
            # ("ticket count, avg CSAT and avg resolution time": the count beside both measures)
        else:
            main, dims = counts.pop(0), []
        base = model.base_of(main)
        own = model.metric(main).count_metric
        columns = []
        for name in counts:
            accounts = name in ("customers", "companies")
            if accounts and not (own and str(model.metric(own).column).endswith("company_id")):
                return None  # "how many customers have something overdue": the accounts, read elsewhere
            verb = _DEALS_WON_OR_LOST.search(self.raw) if name == "deals" else None
            if (
                verb
            ):  # "win rate this year and how many deals did we win?": the deals won, never all closed ones
                name = "deals_won" if verb.group(1) in ("win", "won") else "deals_lost"
            elif name in GENERIC_METRICS and own and (model.base_of(name) == base or accounts):
                name = own  # "# payments" beside the money collected: those payments
            if model.base_of(name) != base or name == main:
                return None
            columns.append(name)
        columns = list(dict.fromkeys(columns))
        if not columns or len(columns) > 2:
            return None
        also = also if rest else []
        if rest and min(m.start for g in cued for m in g) < min(m.start for m in rest):
            # "how many invoices are 60+ days past due, and for how much?": the count first, as asked
            return columns[0], dims, [*columns[1:], main, *also], None
        return main, dims, [*also, *columns], None

    def _records_at(self, at: int) -> bool:
        """A record word ("tickets", "deals") is said at this token."""
        return any(
            m.start == at and any(s.kind == "metric" and s.name in GENERIC_METRICS for s in m.senses)
            for m in self.mentions
        )

    def _count_cues(self, metric_mentions: list[Mention]) -> tuple[list[list[Mention]], bool]:
        """The record words a count word points at ("# payments", "deal count", "the won and lost counts", "how
        many of them converted"), each group read together; and whether a count word points at none ("by source -
        count and how many converted": the records the question is about)."""
        toks = self.tokens
        # "deal count", "customer count": the count said in the words read
        cued: list[list[Mention]] = [
            [m]
            for m in metric_mentions
            if m.phrase.split()[-1] in ("count", "counts") or m.phrase.startswith(("#", "number of "))
        ]
        loose = False  # "by source - count and how many converted": the count of the records the question is about
        for i, t in enumerate(toks):
            group: list[Mention] = []
            if any(m.start <= i < m.end for g in cued for m in g):
                continue  # read as part of "deal count"
            if t in ("count", "counts") and toks[i + 1 : i + 2] != ["of"]:
                ending = [m for m in metric_mentions if m.end == i]
                while (
                    ending
                ):  # "deal count", "the won and lost counts": the words just before, and those joined to them
                    group.insert(0, ending[0])
                    at = ending[0].start
                    joined = at > 0 and toks[at - 1] in ("and", ",", "&", "/", "+")
                    ending = [m for m in metric_mentions if joined and m.end == at - 1]
                if not group:
                    loose = True
                    continue
            elif (
                t == "#"
                or toks[i : i + 2] in (["number", "of"], ["count", "of"], ["how", "many"])
                # "..., and total tickets per region next to it": the records counted
                or (
                    t == "total"
                    and i > 0
                    and toks[i - 1] in ("and", ",", "+", "plus", "with")
                    and self._records_at(i + 1)
                )
            ):
                start = i + (
                    2 if toks[i : i + 2] in (["number", "of"], ["count", "of"], ["how", "many"]) else 1
                )
                ahead = [m for m in metric_mentions if start <= m.start <= start + 4]
                between = toks[start : ahead[0].start] if ahead else []
                if not ahead or set(between) & {"and", ",", "+", "plus", "or", "by", "per"}:
                    continue
                group = [ahead[0]]
                while True:  # "# deals won": the words read together
                    nxt = [m for m in metric_mentions if m.start == group[-1].end]
                    if not nxt:
                        break
                    group.append(nxt[0])
            if group and group not in cued:
                cued.append(group)
        ordered = sorted(metric_mentions, key=lambda m: m.start)
        if (
            not cued
            and len(ordered) >= 2
            and any(s.kind == "metric" and s.name in GENERIC_METRICS for s in ordered[0].senses)
            and "and" in toks[ordered[0].end : ordered[1].start]
            and re.search(r"\b(?:on|for|of|across)\s+(?:them|those|these)\b", self.raw)
        ):
            cued = [
                [ordered[0]]
            ]  # "tix in the last 7 days and whats the csat on them": how many, and the measure
        return cued, loose

    def _one_metric(self, mention: Mention) -> str | None:
        names = [s.name for s in mention.senses if s.kind == "metric"]
        specific = [n for n in names if n not in GENERIC_METRICS]
        return (specific or names or [None])[0]

    def _named_beside(self, metric_mentions: list[Mention]) -> list[str]:
        """Specific measures named after "with their" / "alongside" / "next to", as a column beside another."""
        beside = []
        for m in metric_mentions:
            before = self.tokens[max(0, m.start - 3) : m.start]
            after = self.tokens[m.end : m.end + 3]
            if not (
                before[-2:]
                in (["with", "their"], ["with", "its"], ["and", "their"], ["plus", "their"], ["+", "their"])
                or before[-1:] in (["alongside"], ["beside"])
                # "... and the predicted 12-month LTV next to it"
                or after[:2] in (["next", "to"], ["alongside", "it"], ["beside", "it"], ["as", "well"])
            ):
                continue
            for s in m.senses:
                if s.kind == "metric" and s.name not in GENERIC_METRICS and s.name not in beside:
                    beside.append(s.name)
        return beside

    def _records_against(
        self, specific: list[str], generic: list[str], metric_mentions: list[Mention]
    ) -> Refusal | None:
        """ "invoices issued in October vs cash collected in October": records of another table set against a measure
        are a measure of their own, the number of them or their amount; which one is asked back, never dropped."""
        if len(specific) != 1 or not generic:
            return None
        model = semantic.model()
        base = model.base_of(specific[0])
        for name in generic:
            if model.base_of(name) == base or name not in (
                "invoices",
                "deals",
                "payments",
                "tickets",
                "leads",
            ):
                continue
            phrases = [m.phrase for m in metric_mentions if any(s.name == name for s in m.senses)]
            measure = [m.phrase for m in metric_mentions if any(s.name == specific[0] for s in m.senses)]
            for phrase, said in ((p, q) for p in phrases for q in measure):
                against = r"\b(?:vs\.?|versus|against|compared\s+(?:to|with))\s+(?:[a-z]+\s+){0,2}"
                if re.search(
                    rf"\b{re.escape(phrase)}\b[^,;?]{{0,40}}?{against}{re.escape(said)}\b", self.raw
                ) or re.search(
                    rf"\b{re.escape(said)}\b[^,;?]{{0,40}}?{against}{re.escape(phrase)}\b", self.raw
                ):
                    if re.search(
                        rf"\b(?:number|count|#|how\s+many)\b[^,;?]{{0,12}}{re.escape(phrase)}", self.raw
                    ) or re.search(r"\b(?:number|count)\b", phrase):
                        return (
                            name,
                            specific,
                        )  # "number of invoices issued vs cash collected": both, side by side
                    count, other = model.metric(name), model.metric(specific[0])
                    amount = "invoiced" if name == "invoices" else count.amount_metric
                    choices = [f"{count.label.lower()} vs {other.label.lower()}"]
                    if amount:
                        choices.append(f"{model.metric(amount).label.lower()} vs {other.label.lower()}")
                    return Refusal(
                        f'By "{phrase}" do you mean how many, or their amount? Say which, e.g. "'
                        + choices[-1]
                        + '".',
                        choices,
                        kind="clarify",
                    )
        return None

    def _per_account_side_by_side(self, names: list[str], dims: list[tuple[int, str]]) -> list[str] | None:
        """Two or three measures asked per account, one or more of them an account's own insights value (health,
        churn probability, payment score, LTV) and one over its records (what it owes, its tickets): the
        records' measure first, the values beside; None unless the question is about accounts and lists them so."""
        model = semantic.model()
        if not (2 <= len(names) <= 3) or [d for _, d in dims] != ["customer"]:
            return None
        if self.has_marker("group") or re.search(
            r"\b(?:by|per|split|breakdown|vs\.?|versus|compared?)\b", self.raw
        ):
            return None  # a split or a comparison of its own: asked back as before
        values = [
            n for n in names if model.base_of(n) == "customer_insights" and model.metric(n).aggregate == "avg"
        ]
        records = [n for n in names if n not in values]
        # (a count of records is most often said as a condition: "customers most likely to churn that also have
        # overdue invoices" ranks the accounts that have them)
        if not values or len(records) != 1 or model.metric(records[0]).format != "money":
            return None
        if not model.reachable(model.base_of(records[0]), "companies"):
            return None
        return [*records, *values]

    def _joined(self, names: list[str], metric_mentions: list[Mention]) -> bool:
        """ "deals won and lost", "revenue and bookings": measures named one after the other, joined
        by "and", are wanted side by side (only these words between them, nothing else)."""
        model = semantic.model()
        grouped = self.has_marker("group") or re.search(
            r"\b(?:by|per|each|every|across|split|breakdown|daily|weekly|monthly|quarterly|yearly)\b",
            self.raw,
        )
        if len({model.base_of(n) for n in names[:3]}) > 1 and grouped:
            return False  # measures of different tables side by side only in total: ask which one
        spans, phrases = [], {}
        for name in names[:3]:
            found = [
                m for m in metric_mentions if any(s.kind == "metric" and s.name == name for s in m.senses)
            ]
            if not found:
                return False
            spans.append((found[0].start, found[0].end))
            phrases[(found[0].start, found[0].end)] = found[0].phrase
        spans.sort()
        second_ask = _SECOND_ASK.search(self.raw)
        if second_ask and len(names) == 2:
            if self._values_only_after(second_ask.start()):
                # "avg health across all customers, and how many accounts are flagged high churn risk?": "high
                # churn risk" is the second ask's own; side by side it would narrow the first one too
                return False
            # "how many new customers did we land last quarter, and how many churned?": two asks, one answer
            # (positions in the words read: a word corrected from a typo is not in the raw text)
            first: dict[
                str, int
            ] = {}  # each measure where it is first named ("receivables outstanding": once)
            for m in sorted(metric_mentions, key=lambda m: m.start):
                for s in m.senses:
                    if s.kind == "metric" and s.name in names:
                        first.setdefault(s.name, m.start)
            said = sorted(first.values())
            asks = [
                i
                for i in range(1, len(self.tokens) - 1)
                if (
                    (self.tokens[i] == "how" and self.tokens[i + 1] in ("many", "much"))
                    or self.tokens[i] in ("what's", "whats", "what")  # "..., and what's overdue within that?"
                )
                and self.tokens[i - 1] in ("and", "also", "plus")
            ]
            if len(said) == 2 and any(said[0] < i <= said[1] for i in asks):
                return True
        gaps = list(zip(spans, spans[1:], strict=False))
        # "avg deal size on the Q3 wins, and avg sales cycle": the records both are measured over, named between them
        bases = {model.base_of(n) for n in names[:3]}
        records = {
            at
            for m in metric_mentions
            if all(
                s.kind == "metric" and s.name not in names and model.base_of(s.name) in bases
                for s in m.senses
            )
            and len(bases) == 1
            # ("total bookings, number of deals won and the average deal size": a count asked is a measure of its own)
            and not (m.start > 0 and self.tokens[m.start - 1] in ("of", "#", "many", "count"))
            and not m.phrase.startswith(("number of", "# of", "#", "count", "how many", "total"))
            for at in range(m.start, m.end)
        }
        for at, ((_, end), (start, _)) in enumerate(gaps):
            between = [self.tokens[i] for i in range(end, start) if i not in records]
            if len(between) < start - end:
                between = [t for t in between if t not in ("on", "for", "across", "over", "in")]
            # "bookings, deals won and average deal size": a comma between the first ones, "and" before the last
            joiner = {"and", "&", "plus"} if at == len(gaps) - 1 else {"and", "&", "plus", ","}
            if at < len(gaps) - 1 and not between:
                continue  # ("bookings, revenue and invoiced": the comma is no word)
            if not between and _LISTED_APART(phrases[gaps[at][0]], phrases[gaps[at][1]]).search(self.raw):
                continue  # ("total bookings, # deals won, avg deal size": a list with commas only)
            if (
                not between
                or not set(between)
                <= {
                    "and",
                    "&",
                    "plus",
                    ",",
                    "as",
                    "well",
                    "total",
                    "the",
                    "our",
                    "also",
                    "their",
                    "its",
                    "what's",
                    "whats",
                    "average",
                    "avg",
                    "number",  # "number of deals won and number lost"
                    "of",
                    "count",
                    "#",
                }
                or not joiner & set(between)
            ):
                return False
        return True

    def _customer_outcome(self, names: list[str], metric_mentions: list[Mention]) -> list[str]:
        """ "customers did we lose" are churned customers, "customers we won/gained" new ones.

        Only a bare verb counts ("won", "lose", "gained"), not "deals won", so that "top customers
        by deals won" keeps its meaning.
        """
        if "customers" not in names or "deals" in names:
            return names
        phrases = {m.phrase for m in metric_mentions}
        plain_words = {t for t in self.tokens if t not in lexicon()}  # verbs the lexicon doesn't know
        said = phrases | plain_words
        if said & CUSTOMER_LOSS_VERBS:
            outcome, drop = "churned_customers", "deals_lost"
        elif said & CUSTOMER_GAIN_VERBS:
            outcome, drop = "new_customers", "deals_won"
        else:
            return names
        return list(dict.fromkeys(outcome if n == "customers" else n for n in names if n != drop))

    def _closing_deals(self, names: list[str]) -> list[str]:
        """ "deals closing this month", "deals expected to close": open deals by expected close date."""
        words = set(self.tokens)
        future = (
            words & {"closing", "expected"}
            or {"will", "close"} <= words
            or {"due", "close"} <= words
            # "deals in negotiation that close in feb", "deals set to close this month"
            or re.search(r"\b(?:that|to|which|they|should|could|would|might)\s+close\b", self.raw)
        )
        if names[:1] == ["deals"] and future:
            return ["open_deals", *names[1:]]
        return names

    def _duration(self, names: list[str]) -> list[str]:
        """ "how long do tickets take", "how many days to win a deal": the glossary's durations."""
        if not self.has_marker("duration"):
            return names
        if "tickets" in names:
            return ["resolution_time" if n == "tickets" else n for n in names]
        for record in ("deals_won", "deals"):
            if record in names:
                return ["sales_cycle" if n == record else n for n in names]
        return names

    def _said_apart(self, metric_mentions: list[Mention]) -> set[frozenset]:
        """Pairs of measures, each named whole, joined by "and" or the like: "LTV and predicted LTV" are two."""
        apart = set()
        named = [
            (m, [s.name for s in m.senses if s.kind == "metric" and s.name not in GENERIC_METRICS])
            for m in metric_mentions
        ]
        for (a, names_a), (b, names_b) in itertools.combinations(sorted(named, key=lambda x: x[0].start), 2):
            between = set(self.tokens[a.end : b.start])
            model = semantic.model()
            # "average deal size + how many deals have I won": a count and a measure of the same records still combine;
            # a count named whole ("bookings and deals won", "deals won and avg deal size") is a measure of its own
            # one right after the other, or in the same list ("bookings, avg deal size and deals won")
            listed = {
                i
                for m, names in named
                if names and a.end <= m.start and m.end <= b.start
                for i in range(m.start, m.end)
            }
            joined = {self.tokens[i] for i in range(a.end, b.start) if i not in listed} <= {
                "and",
                "plus",
                "also",
                "&",
                "the",
                "total",
            }
            counts = any(
                model.metric(n).format == "count"
                and (
                    len(m.phrase.split()) < 2
                    or not joined
                    # ("every account with overdue invoices and the amount overdue", "which invoices fell due last week
                    # and still haven't been paid": the records, not a count)
                    or (
                        m.start > 0
                        and self.tokens[m.start - 1]
                        in ("with", "have", "has", "having", "of", "on", "which", "any")
                    )
                )
                for m, names in ((a, names_a), (b, names_b))
                for n in names
            )
            if (
                names_a
                and names_b
                and not counts
                and (
                    between & {"and", "plus", "vs", "versus", "alongside", "also"}
                    # ("bookings, deals won, avg deal size": a list, each one named whole)
                    or (not between and _LISTED_APART(a.phrase, b.phrase).search(self.raw) is not None)
                    or (
                        getattr(self, "versus", False) and not between
                    )  # "ltv vs predicted ltv" ("vs" read already)
                )
            ):
                apart |= {frozenset((x, y)) for x in names_a for y in names_b}
        return apart

    def _combine(self, names: list[str], apart: set[frozenset] | None = None) -> list[str]:
        """ "deals" + "won" -> deals won; "average" + bookings -> average deal size; and so on (not two
        measures named apart)."""
        combos = [(set(c.parts), c.metric) for c in semantic.model().file.combinations]
        result = list(names)
        changed = True
        while changed:
            changed = False
            for pair, merged in combos:
                if frozenset(pair) in (apart or set()):
                    continue
                if pair <= set(result) and len(result) > 1:
                    position = min(result.index(p) for p in pair)
                    result = [n for n in result if n not in pair]
                    result.insert(position, merged)
                    changed = True
        if "avg_deal_size" in result and "deal_amount" in result:
            result.remove("deal_amount")
        return result

    def _prefer_by_position(self, specific: list[str], metric_mentions: list[Mention]) -> list[str]:
        """ "top 5 customers by revenue": the metric after a grouping marker is the measure."""
        return specific

    def _metric_of_a_bucket(self) -> str | None:
        """ "how much is sitting in the 31-60 day bucket for EMEA accounts": a value of a dimension with a measure of its
        own (an aging bucket: what is outstanding in it)."""
        for m in self.mentions:
            for s in m.senses:
                dim = semantic.model().dimensions_by_name.get(s.name)
                if (
                    s.kind == "value"
                    and dim is not None
                    and dim.default_metric
                    and not m.entity
                    and semantic.model().metric(dim.default_metric).format
                    == "money"  # (a bucket of money owed)
                ):
                    return dim.default_metric
        return None

    def _metric_from_values(self) -> str | None:
        """ "how many meetings last month": a value implies its table; count its records."""
        bases = []
        for m in self.mentions:
            for s in m.senses:
                dim = semantic.model().dimensions_by_name.get(s.name)
                if s.kind == "value" and dim is not None and dim.default_metric and dim.values_imply_metric:
                    return dim.default_metric  # "who is at risk": accounts at high churn risk
                if s.kind == "value" and not m.entity:
                    columns = semantic.model().dimension_columns.get(s.name, {})
                    if len(columns) == 1:
                        bases.append(next(iter(columns)))
        bases = list(dict.fromkeys(bases))
        if len(bases) == 1:
            return self._count_of_value(bases[0]) or DEFAULT_METRIC_FOR_BASE.get(bases[0])
        return None

    def _count_of_value(self, base: str) -> str | None:
        """ "Q3 closed-lost by reason": the one value named is a measure's own condition (deals lost, placed by
        when they closed), not the records' count by their creation date."""
        model = semantic.model()
        said = [
            (model.dimension_columns.get(s.name, {}).get(base), str(s.value))
            for m in self.mentions
            for s in m.senses
            if s.kind == "value" and not m.entity and model.dimension_columns.get(s.name, {}).get(base)
        ]
        if len(said) != 1:
            return None
        for metric in model.metrics:
            if metric.base == base and single_value_condition(metric) == said[0]:
                return metric.name
        return None

    def _metric_from_verbs(self) -> str | None:
        """ "how much did Rahul close last quarter": closing, in money, is bookings."""
        if set(self.tokens) & {"close", "closed", "closing", "closes"} and self.has_marker("total"):
            return "bookings"
        return None

    def _records_on_accounts(self, metric: str) -> str:
        """ "any open tickets on my accounts?": the records a value names (open tickets), of those
        accounts, not the accounts filtered by a value they don't have."""
        model = semantic.model()
        on_accounts = re.search(
            r"\b(?:on|for|at|from|of|across)\s+(?:(?:my|our|their|his|her|askers|the|these|those)\s+)?"
            r"(?:accounts?|customers?|companies|clients?)\b",
            self.raw,
        )
        if not on_accounts:
            return metric
        bases = set()
        for m in self.mentions:
            for s in m.senses:
                if s.kind == "value" and not m.entity and not model.dimension_for(s.name, "companies"):
                    bases |= set(model.dimension_columns.get(s.name, {}))
        if len(bases) == 1 and DEFAULT_METRIC_FOR_BASE.get(next(iter(bases))):
            return DEFAULT_METRIC_FOR_BASE[next(iter(bases))]
        return metric
