"""Checks on a reading: words not understood, measures asked 'best' of, shares that are rates, negations not read."""

from __future__ import annotations

import re

from crmbot.words import NEGATION_PATTERN
from tools.reports import semantic
from tools.reports.nlq.kinds import GENERIC_METRICS, UNKNOWN_WORDS_TO_ASK
from tools.reports.nlq.types import MEASURE_SLOT, Reading, Refusal
from tools.reports.query import Owner, Query

# words that place a question in time which no period rule reads: never ignored (the figure would be all-time)
_TIME_WORDS_NOT_READ = {
    "morning",
    "mornings",
    "afternoon",
    "evening",
    "tonight",
    "overnight",
    "night",
    "fortnight",
    "fortnights",
    "fortnightly",
    "biweekly",
    "holiday",
    "holidays",
    "season",
    "seasonal",
    "semester",
    "hour",
    "hours",
    "minutes",
    "noon",
    "midnight",
    "christmas",
    "easter",
    "thanksgiving",
    "summer",
    "winter",
    "spring",
    "autumn",
}


_QUIET = (
    'What makes an account "quiet"? I can list customers not contacted in a number of days.',
    (
        "customers not contacted in 30 days",
        "customers not contacted in 60 days",
        "customers not contacted in 90 days",
    ),
)
_UNHAPPY = (
    "Unhappy by which measure? I can use the satisfaction (CSAT) of their tickets, their health score or their "
    "churn risk.",
    (
        "customers with an average CSAT under 3",
        "customers with a health score under 50",
        "high churn risk customers",
    ),
)
_BAND = (
    "Health bands (green, yellow, red) are on each customer's card; a report can't tell them apart by band. "
    "I can list customers by health score or by churn risk.",
    (
        "customers with a health score under 45",
        "high churn risk customers",
    ),
)
# words that say how customers are doing without saying by which measure: asked, never guessed
_VAGUE = {
    "quiet": _QUIET,
    "silent": _QUIET,
    "unhappy": _UNHAPPY,
    "dissatisfied": _UNHAPPY,
    "unsatisfied": _UNHAPPY,
    "upset": _UNHAPPY,
    "disgruntled": _UNHAPPY,
    "angry": _UNHAPPY,
    "red": _BAND,  # "my customers in the red"
    "amber": _BAND,
    "yellow": _BAND,
}


# "the enterprise segment", "SMB accounts", "mid-market customers": a segment the CRM doesn't keep (a product may be
# called "Enterprise Support"); the size meant is asked, never guessed
SEGMENT = re.compile(
    r"\b(?:the\s+)?(?:enterprise|smb|smbs|mid[\s-]?market|small\s+business(?:es)?|strategic|commercial)\s+"
    r"(?:segment|accounts?|customers?|clients?|companies|tier|deals?|leads?|ones|logos)\b",
    re.I,
)


# "invoices with an -A on the end of the number", "numbers ending in 7", "names starting with 'Blue'": part of a
# record's number or name, which no filter of ours matches; said, never dropped
PART_OF_A_NAME = re.compile(
    r"\b(?:end(?:s|ing)?|finish(?:es|ing)?)\s+(?:in|with)\s+(?:an?\s+)?(?:['\"][^'\"]{1,8}['\"]|-[a-z0-9]{1,6}\b|"
    r"\d{1,8}\b(?!\s*(?:days?|weeks?|months?|years?|k\b|m\b|%)))|"
    r"\b(?:with|w/|has|have|having)\s+(?:an?\s+)?['\"]?-[a-z0-9]{1,6}['\"]?\s+(?:on|at)\s+the\s+end\b|"
    r"\b(?:on|at)\s+the\s+end\s+of\s+(?:the\s+|its\s+|their\s+)?(?:invoice\s+)?(?:numbers?|names?|ids?|emails?)\b|"
    r"\b(?:numbers?|names?|emails?|subjects?|ids?)\s+(?:that\s+)?(?:start(?:s|ing)?|begin(?:s|ning)?)\s+with\b|"
    r"\b(?:numbers?|names?|emails?|subjects?)\s+(?:that\s+)?(?:contain(?:s|ing)?|includ(?:es|ing)|like)\s+['\"]|"
    # "how many companies have (Billing) in the name"
    r"\b(?:have|has|having|with|contain(?:s|ing)?)\s+['\"(]?[\w&.-]{1,20}[)'\"]?\s+in\s+(?:the(?:ir)?|its)\s+"
    r"(?:company\s+|account\s+)?(?:names?|numbers?|emails?|subjects?)\b",
    re.I,
)


# "what's our churn rate this year": the CRM has no churn rate (of which customers, over which base?); asked, never a
# count of churned customers given as a rate
CHURN_RATE = re.compile(
    r"\b(?:churn|attrition|logo\s+churn|customer\s+churn)\s+(?:rate|%|percentage|pct)\b", re.I
)


def _value_words() -> frozenset[str]:
    """The words of the data's own values ("pending", "negotiation", "urgent"), everyday words aside: a question
    that says one is asking for those records, so the word is never dropped as noise."""
    from tools.reports.lexicon import filler

    model = semantic.model()
    words = set()
    for dim in model.dimensions:
        values = model.vocabulary(dim.name)
        if dim.expression == "deal_type":
            continue  # ("total won business from Granite"): a deal type's words are everyday words too
        if values and len(values) <= 30:
            words |= {w for v in values for w in str(v).lower().replace("_", " ").split() if w.isalpha()}
    return frozenset(w for w in words if len(w) >= 4 and w not in filler() and w not in ("true", "false"))


def best_of_what(query: Query, raw: str) -> Refusal | None:
    """ "who are our best customers": best by what? A list in its default order is not an answer."""
    base = semantic.model().base_of(query.metric)
    counted = semantic.model().metric(query.metric).aggregate in ("count", "count_distinct")
    if not counted or base not in ("companies", "customer_insights"):
        return None
    if not query.list_records and (
        not re.search(
            r"\b(?:biggest|largest|best|most\s+valuable|most\s+important|key)\s+(?:customers|accounts|clients)\b",
            raw,
        )
        or re.search(r"\b(?:by|per|for\s+each|each|every)\s+[a-z]", raw)
    ):
        return None  # ("who are my team's biggest accounts": not how many accounts each of them owns)
    if base == "customer_insights" and (
        query.sort_column
        or not re.search(
            r"\b(?:biggest|largest|best|most\s+valuable|most\s+important|key)\s+(?:customers|accounts|clients)\b",
            raw,
        )
    ):
        return None  # ("are any of our biggest customers at risk?": biggest by what; "top 5 at-risk customers": by risk)
    sized = re.search(r"\b(?:employees?|headcount|staff|size|sized|people)\b", raw)
    if query.sort_column and (sized or query.sort_column != semantic.model().order_column(base)):
        return None  # "biggest customers by headcount": ranked by what was said
    if not re.search(
        r"\b(?:best|worst|top|most\s+valuable|most\s+important|strongest|weakest|biggest|largest|key)\b", raw
    ):
        return None
    return Refusal(
        "Ranked by which measure? For example revenue this year, bookings, lifetime value or health score.",
        ["revenue this year", "bookings this year", "lifetime value", "health score"],
        kind="clarify",
        phrase=MEASURE_SLOT,
    )


# words that begin names of places and firms ("New York", "San Diego", "St Louis")
_NAME_STARTS = {
    "new",
    "san",
    "santa",
    "los",
    "las",
    "st",
    "saint",
    "north",
    "south",
    "east",
    "west",
    "old",
    "great",
    "upper",
    "lower",
    "le",
    "la",
    "el",
    "de",
    "fort",
    "port",
    "mount",
    "mt",
    "lake",
}
_SHARE = re.compile(
    r"%|\bper\s*cent\b|\bpercent(?:age)?\b|\bpct\b|\bshare\s+of\b|\bwhat\s+share\b|\bproportion\b|\bfraction\b"
)


_SHARE_OF = re.compile(
    r"\b(?:what|which)\s+(?:%|per\s*cent|percent(?:age)?|pct|share|proportion|fraction|part)\s+of\b|"
    r"\bhow\s+(?:much|many)\s+(?:%|per\s*cent|percent)\b|^\W*(?:%|percent(?:age)?|share)\s+of\b"
)


def share_is_a_rate(reading: Reading, raw: str) -> Refusal | None:
    """ "what % of them converted", "what share of deals did we win": the rate of those successes,
    not their number."""
    query = reading.query
    if query.list_records and _SHARE_OF.search(raw) and not query.limit:
        # "what % of our tickets are urgent": a share of them, never the list of the urgent ones
        query.list_records, query.columns, query.order, query.sort_column = False, [], None, None
    if not _SHARE.search(raw) or query.thresholds or query.list_records or query.compare_to is not None:
        return None
    rate = _rate_of(query.metric)
    if rate is not None:
        query.metric = rate.name
        reading.notes.append(f'read "%" as the {rate.label}')
        return None
    metric = semantic.model().metric(query.metric)
    summed = metric.format in ("money", "count") and metric.aggregate in ("sum", "count", "outstanding")
    if summed and query.dimensions and not query.also:
        query.share = True  # "what % of my team's bookings came from each rep": each one's share
        reading.notes.append("with each one's share of the total")
        return None
    named = {f.dimension for f in query.filters if not f.negate}
    if summed and len(named) == 1 and len(query.filters) == 1 and not query.group_by and not query.also:
        query.share = True  # "what % of Q1 collections came in by card": that part, of all of them
        reading.notes.append(f"as a share of all {metric.label}")
        return None
    if metric.format in ("money", "count") and (query.filters or query.owner) and not query.group_by:
        # "what % of revenue came from EMEA": a part of a total, as a share, is not the part's figure
        dims = [f.dimension.replace("_", " ") for f in query.filters] or ["rep"]
        return Refusal(
            f"I can't give a share of a total as a percentage yet. Ask for {metric.label} by {dims[0]} to see "
            "each part beside the others.",
            [f"{metric.label} by {dims[0]}"],
            kind="unknown",
        )
    return None


def _rate_of(metric_name: str):
    """The rate metric whose successes are ``metric_name``'s records (converted leads: conversion rate)."""
    model = semantic.model()
    hits = model.metric(metric_name)
    if hits.aggregate != "count" or len(hits.conditions) != 1 or hits.conditions[0].op != "eq":
        return None
    condition = hits.conditions[0]
    for rate in model.metrics:
        if (
            rate.aggregate == "rate"
            and rate.base == hits.base
            and rate.column == condition.column
            and rate.rate_value == condition.value
        ):
            return rate
    return None


def best_is_a_rate(reading: Reading, raw: str) -> None:
    """ "which source converted best", "who wins best": ranked by the rate of those successes, not
    by how many there were (a source with many leads is not the one that converts best)."""
    query = reading.query
    if not (query.group_by and query.order) or not re.search(r"\b(?:best|worst)\b", raw):
        return
    if re.search(r"\b(?:most|fewest|least|how\s+many|number\s+of|count)\b", raw):
        return
    rate = _rate_of(query.metric)
    if rate is not None:
        query.metric = rate.name
        reading.notes.append(f'read "best" as the highest {rate.label}')


# "not", "never", "haven't", "with no": a negation the reading did not use would turn the question
# into its opposite ("reps who haven't closed anything" answered with what they closed). A negation
# the engine reads ("not in EMEA", "not contacted in 60 days") is used up before this check.
_NEGATION = re.compile(
    r"\b(?:" + NEGATION_PATTERN + r"|none|nothing|nobody|without|(?:with|have|has|had|got)\s+no)\b"
    r"(?!\s+(?:know|want|care|mind|need|understand|sure|worry|bother|(?:yet\s+)?due)\b)"
)


def unread_negation(tokens: list[str], query: Query) -> Refusal | None:
    said = _NEGATION.search(" ".join(tokens))
    if said is None or any(f.negate for f in query.filters):
        return None
    return Refusal(
        f'I can\'t answer with "{said.group(0)}" in the question yet: I can show what happened, not what '
        "didn't, and answering without it would give the opposite figure. Ask for the positive side (e.g. "
        '"bookings by rep this month" to see who closed what) or name what to leave out ("revenue not from '
        'EMEA").',
        [],
        kind="unknown",
    )


def glossary_note(word: str) -> str | None:
    """The model's glossary entry for a word it names but cannot measure ("forecast"), if any."""
    for entry in semantic.model().glossary:
        if word in entry.synonyms and not any(
            word in (m.name, *m.synonyms) for m in semantic.model().metrics
        ):
            return entry.description
    return None


_RECURRING = {"arr", "mrr", "acv", "tcv", "arrs", "mrrs"}
_GROWTH_WORDS = {"growth", "growing", "grow", "grew", "trend", "trending", "trajectory", "momentum"}


class Checks:
    """The builder's checks before a reading is answered: every word that matters is used or named."""

    def _not_understood(self) -> Refusal:
        for i, token in enumerate(self.tokens):  # "Laura's salary and commission": what crmbot doesn't hold
            note = glossary_note(token)
            inside = [m for m in self.mentions if m.start <= i < m.end]
            # not a word of a longer name ("Lynx Commission"); a name matched on this word alone is no name
            if note and all(m.end - m.start == 1 for m in inside):
                return Refusal(note, [], kind="unknown")

        named = [m for m in self.mentions if m.entity or any(s.kind == "value" for s in m.senses)]
        if named:  # "how did EMEA do last month?": which measure, for EMEA last month
            names = ", ".join(
                sorted({str(s.value) for m in named for s in m.senses if s.kind == "value"})[:3]
            )
            return Refusal(
                f"What would you like to know about {names}? Pick a measure, e.g. bookings, revenue, open "
                "pipeline, deals won or win rate.",
                ["bookings", "revenue", "open pipeline", "deals won", "win rate", "outstanding invoices"],
                kind="clarify",
                phrase=MEASURE_SLOT,
            )
        metric_words = [s for m in semantic.model().metrics for s in (m.label, *m.synonyms[:3])]
        if self.unknown:
            known = next((glossary_note(w) for w in self.unknown if glossary_note(w)), None)
            if known:  # "forecast": a word crmbot knows it cannot answer, said plainly
                return Refusal(known, [], kind="unknown")
            if isinstance(self.owner, Owner):  # "how am I tracking this quarter": which of my numbers
                whose = "your team" if self.owner.scope == "team" else "you"
                return Refusal(
                    f"Which number should I show for {whose}? For example bookings, open pipeline, deals won, "
                    "win rate or revenue.",
                    ["bookings", "open pipeline", "deals won", "win rate", "revenue"],
                    kind="unknown",  # words not understood: a configured LLM may still read them
                    phrase=MEASURE_SLOT,
                )
            if set(self.unknown) & _RECURRING:  # "whats our ARR right now": no subscription terms are kept
                return Refusal(
                    "The CRM keeps no recurring-revenue figure (ARR, MRR): deals and invoices carry no subscription "
                    "term. Which number do you mean? For example bookings or revenue over the last 12 months.",
                    ["bookings in the last 12 months", "revenue in the last 12 months", "bookings this year"],
                    kind="clarify",
                )
            if set(self.unknown) <= _GROWTH_WORDS:  # "whats our growth": of which number, over which periods
                return Refusal(
                    "Growth of which number? I compare two periods of one measure, e.g. revenue this quarter "
                    "vs last quarter, or bookings this year vs last year.",
                    [
                        "revenue this quarter vs last quarter",
                        "bookings this quarter vs last quarter",
                        "revenue this year vs last year",
                        "bookings this year vs last year",
                        "new customers this year vs last year",
                    ],
                    kind="clarify",
                )
            suggestions = self._closest_terms(metric_words, per_word=3, cutoff=60)
            words = ", ".join(f'"{w}"' for w in self.unknown[:4])
            text = f"I don't know the word(s) {words} in this question, so I can't tell what to measure."
            if suggestions:
                text += " Did you mean: " + ", ".join(suggestions[:5]) + "?"
            return Refusal(text, suggestions[:5], kind="unknown")
        top = re.search(r"\b(?:top|bottom|best|worst|biggest|largest)\s+(?:\d+|ten|five|three)\b", self.raw)
        if top:
            kinds = (
                "customers by revenue this year",
                "reps by bookings this quarter",
                "open deals by amount",
            )
            return Refusal(  # "show me the top 10": of what, ranked by what (a pick completes the question)
                f"{top.group(0).capitalize()} of what, ranked by which measure? For example customers by revenue "
                "this year, reps by bookings this quarter, open deals by amount or open leads by score.",
                [f"{top.group(0)} {k}" for k in (*kinds, "open leads by score")],
                kind="clarify",
                phrase=top.group(0),
            )
        return Refusal(  # "how much we did last month?", "hows it looking": which number (a pick completes it)
            "I couldn't tell which number you want. Ask about revenue, bookings, deals won, win rate, pipeline, "
            'outstanding invoices, customers, leads, tickets, CSAT, health or LTV, e.g. "revenue by month '
            'this year".',
            ["revenue", "bookings", "open pipeline", "deals won", "win rate"],
            kind="unknown",  # words not understood: a configured LLM may still read them
            phrase=MEASURE_SLOT,
        )

    # ---- groupings and filters

    def _check(self, query: Query) -> Refusal | None:
        metric = semantic.model().metric(query.metric)
        lows = [t for t in query.thresholds if t.op in ("gt", "ge")]
        highs = [t for t in query.thresholds if t.op in ("lt", "le")]
        for low in lows:
            for high in highs:
                same = (low.target, low.column) == (high.target, high.column)
                if same and high.value <= low.value:
                    # "win rate on deals over $50k vs deals under $50k": two ranges, not both at once (none)
                    return Refusal(
                        f"That asks for {metric.label} on two ranges that don't overlap (over {low.value:,.0f} and "
                        f'under {high.value:,.0f}); I answer one range at a time. Ask for each, e.g. "{metric.label} '
                        f'on deals over {low.value:,.0f}".',
                        [],
                        kind="unknown",
                    )
        if "tomorrow" in self.tokens and query.period is None:
            # "I have a call with Acme tomorrow": no record of tomorrow yet; never everything ever
            return Refusal(
                f"I only hold what has happened so far, so I can't show {metric.label} for tomorrow. Ask about "
                'a past period ("this week", "last 30 days"), or about the account itself.',
                [],
                kind="unknown",
            )
        today_only = query.period is not None and query.period.start == query.period.end == self.today
        if today_only and semantic.model().time_column_of(metric) is None:
            query.period = None  # "where's DSO sitting today": a figure as of now is today's
        ahead = (
            query.period is not None
            and query.period.start is not None
            and self.today
            and query.period.start > self.today
        )
        if ahead and semantic.model().time_column_of(metric) is None and query.metric.startswith("predicted"):
            query.period = None  # "predicted LTV over the next 12 months": what the prediction covers
        if (
            query.period is not None
            and semantic.model().time_column_of(metric) is None
            and re.search(
                r"\b(?:going|heading|as\s+we\s+(?:go|head)|headed)\s+into\b|\bahead\s+of\b", self.raw
            )
        ):
            # "# of high churn-risk customers by region going into Q4": as they stand now, before that period
            self.notes.append(f"as of now (going into {query.period.label})")
            query.period = None
        if query.period is not None and semantic.model().time_column_of(metric) is None:
            if query.metric == "customers":
                p = query.period.label
                return Refusal(
                    f'"Customers" is a count as of now. Did you mean customers acquired {p}, or churned {p}?',
                    [f"new customers {p}", f"churned customers {p}", "customers (now)"],
                    kind="clarify",
                )
            return Refusal(
                f'{metric.label.capitalize()} has no date in the data, so "{query.period.label}" can\'t apply. '
                f"Ask without a period?",
                [metric.label],
                kind="clarify",
            )
        if query.time_grain and semantic.model().time_column_of(metric) is None:
            return Refusal(
                f"{metric.label.capitalize()} has no date, so it can't be split by {query.time_grain}.",
                [metric.label],
                kind="clarify",
            )
        if self.stray_numbers:
            number = self.stray_numbers[0]
            return Refusal(
                f'I couldn\'t tell what "{number}" stands for here, and guessing could give a wrong figure. '
                'Write it as an amount ("over 50k"), a count ("top 5"), a period ("last 30 days", "2025") '
                'or a value I know ("the 90+ bucket").',
                [],
                kind="unknown",
            )
        vague = next((w for w in self.unknown if w in _VAGUE), None)
        if vague:  # "my customers that have gone quiet", "who are my unhappy customers?": by which measure?
            question, choices = _VAGUE[vague]
            return Refusal(question, list(choices), kind="clarify")
        if self._mentions_unknown_entity():
            words = ", ".join(f'"{w}"' for w in self.unknown[:3])
            return Refusal(
                f"I couldn't find {words} among the reps, customers, countries, industries or products "
                "in the database.",
                self._closest_entities(),
                kind="unknown",
            )
        cannot = next((glossary_note(w) for w in self.unknown if glossary_note(w)), None)
        if cannot:  # "forecast for next quarter": a word crmbot knows it cannot answer, never ignored
            return Refusal(cannot, [], kind="unknown")
        # "with status open or pending" read without "pending" would be every status's records: never ignored
        # ("how many are pending" after the invoices pending approval: the word says again a value the answer keeps)
        kept = {w for f in query.filters for v in f.values for w in str(v).lower().replace("_", " ").split()}
        value = next((w for w in self.unknown if w in _value_words() and w not in kept), None)
        if value == "pending" and semantic.model().base_of(query.metric) == "invoices":
            # "the pending invoices": waiting for approval, or sent and not yet paid? Both are said so
            return Refusal(
                'Which invoices do you mean by "pending": those waiting for approval (status pending approval), '
                "or those sent and not yet paid?",
                ["pending approval", "unpaid"],
                kind="clarify",
                phrase="pending",
            )
        if value:
            return Refusal(
                f'I couldn\'t tell what "{value}" applies to here, and without it the figure could be wrong. '
                'Say it with the word it belongs to, e.g. "status pending" or "stage negotiation".',
                [],
                kind="unknown",
            )
        modifier = self._unknown_modifier() or self._unknown_predicate()
        if modifier:
            return modifier
        timeish = next((w for w in self.unknown if w in _TIME_WORDS_NOT_READ), None)
        if (
            timeish
        ):  # "leads created this morning", "won in the past fortnight": a period that would be dropped
            return Refusal(
                f'I can\'t place "{timeish}" in time, and without it the figure would cover every date. Say the '
                'dates or a period I know, e.g. "last 14 days", "since Monday", "yesterday" or "this week".',
                [],
                kind="unknown",
            )
        if len(self.unknown) >= UNKNOWN_WORDS_TO_ASK:
            return self._unknown_words()
        return None

    def _unknown_predicate(self) -> Refusal | None:
        """ "which of my deals are stalled?": an unknown word said of the records ("are X") is the whole condition;
        without it every record would be the answer, so ask what it means."""
        records = {
            m.end: m
            for m in self.mentions
            if any(s.kind == "metric" and s.name in GENERIC_METRICS for s in m.senses)
        }
        for position, word in zip(self.unknown_positions, self.unknown, strict=False):
            linked = position > 0 and self.tokens[position - 1] in (
                "are",
                "is",
                "were",
                "was",
                "r",
                "look",
                "looks",
            )
            said_of = records.get(position - 1) if linked else None
            # ("which invoices are stuck in pending approval": the word says no more than the status after it)
            named_after = any(m.start > position for m in self.mentions)
            if said_of is not None and word.isalpha() and not named_after:
                base = semantic.model().base_of(next(s.name for s in said_of.senses if s.kind == "metric"))
                label = semantic.model().base_label(base)
                choices = [f"{label} created more than 90 days ago", f"all {label}"]
                if base == "deals":
                    choices.insert(0, "open deals past their expected close date")
                return Refusal(
                    f'What makes {label} "{word}"? I do not know that word, and without it I would list all of them. '
                    "Pick one of these, or say it in terms I know.",
                    choices,
                    kind="clarify",
                    phrase=word,  # a pick takes its place in the question
                )
        return None

    def _unknown_modifier(self) -> Refusal | None:
        """ "net revenue", "recurring revenue", "average discount on deals": an unknown word right
        before a measure, or right after "average"/"total", says which number is meant; answering
        the plain measure would be a different figure, so ask."""
        starts = {m.start: m for m in self.mentions}
        for position, word in zip(self.unknown_positions, self.unknown, strict=False):
            after = starts.get(position + 1)
            before = next((m for m in self.mentions if m.end == position), None)
            names_measure = after is not None and any(s.kind == "metric" for s in after.senses)
            measured = before is not None and any(
                s.kind == "marker" and s.name in ("avg", "total", "count", "max", "min")
                for s in before.senses
            )
            if not (names_measure or measured):
                continue
            known = glossary_note(word)
            if names_measure:
                label = (
                    semantic.model().metric(next(s.name for s in after.senses if s.kind == "metric")).label
                )
                text = (
                    f'I don\'t know "{word} {after.phrase}", and {label} alone may be a different number. '
                    f'Ask for "{after.phrase}" if that is what you mean.'
                )
                choices = [after.phrase]
                phrase = f"{word} {after.phrase}"
            else:
                text = f"I don't know what \"{word}\" measures here, so I can't tell which number you mean."
                choices, phrase = [], None
            return Refusal(f"{known} {text}" if known else text, choices, kind="unknown", phrase=phrase)
        return None

    def _closest_terms(self, known: list[str], *, per_word: int, cutoff: int) -> list[str]:
        """Known terms that look like the first few unknown words, best first, without repeats."""
        from rapidfuzz import fuzz, process

        suggestions: list[str] = []
        for word in self.unknown[:3]:
            for hit in process.extract(word, known, scorer=fuzz.WRatio, limit=per_word, score_cutoff=cutoff):
                if hit[0] not in suggestions:
                    suggestions.append(hit[0])
        return suggestions

    def _unknown_words(self) -> Refusal:
        """Several words the engine doesn't know: the question may mean something else; say which."""

        known = [s for m in semantic.model().metrics for s in (m.label, *m.synonyms[:3])]
        known += [s for d in semantic.model().dimensions for s in (d.label, *d.synonyms[:1])]
        suggestions = self._closest_terms(known, per_word=2, cutoff=70)
        words = ", ".join(f'"{w}"' for w in self.unknown[:4])
        text = f"I don't know the words {words}, so I'm not sure what you are asking."
        if suggestions:
            text += " Closest terms I know: " + ", ".join(suggestions[:5]) + "."
        text += ' Try for example "bookings by rep this quarter".'
        return Refusal(text, suggestions[:5], kind="unknown")

    def _mentions_unknown_entity(self) -> bool:
        """An unknown capitalized word, or one right after "for/from/at/with/in/by", is probably a name."""
        if any(word in self.capitalized for word in self.unknown):
            return True
        dimension_starts = {m.start for m in self.mentions if any(s.kind == "dim" for s in m.senses)}
        if any(position + 1 in dimension_starts for position in self.unknown_positions):
            return True  # "the banana team", "the zorblax industry": a value of that dimension
        places = ("for", "from", "at", "with", "in", "by", "to", "of", "on", "about")
        for position, word in zip(self.unknown_positions, self.unknown, strict=False):
            if position > 0 and self.tokens[position - 1] in places:
                return len(word) >= 3 and word.isalpha()
            if (
                position > 1
                and self.tokens[position - 2] in places
                and self.tokens[position - 1] in _NAME_STARTS
                and len(word) >= 3
                and word.isalpha()
            ):
                return True  # "deals won in new york": a place or a name, never dropped
        return False

    def _closest_entities(self) -> list[str]:
        """Names in the database closest to the unknown words, as suggestions."""
        from rapidfuzz import fuzz, process

        phrases = list(self.entities.phrases) if self.entities else []
        suggestions: list[str] = []
        for word in self.unknown[:2]:
            for phrase, _score, _ in process.extract(
                word, phrases, scorer=fuzz.WRatio, limit=3, score_cutoff=70
            ):
                for value in self.entities.phrases[phrase]:
                    if value.value not in suggestions:
                        suggestions.append(value.value)
        return suggestions[:5]

    def _ignored_note(self) -> list[str]:
        if not self.unknown:
            return []
        return ["ignored the word(s) " + ", ".join(f'"{w}"' for w in self.unknown[:5])]

    # ---- follow-ups


_HOW_MANY = re.compile(r"\bhow\s+many\b")


def more_counts_than_answered(reading: Reading, raw: str) -> Refusal | None:
    """ "paid ads leads from Q4 - how many total, how many got disqualified, how many converted?": more counts asked
    than the reading answers (one filter kept, the other asks dropped) would give one of them as if it were all; say
    so, never a figure for part of the question."""
    asks = len(_HOW_MANY.findall(raw))
    query = reading.query
    if asks < 2 or query.group_by or query.list_records or query.compare_to is not None:
        return None
    figures = 1 + len(query.also) + (1 if (query.share or query.part_filters) else 0)
    if figures >= asks:
        return None
    return Refusal(
        f"That's {asks} counts in one message, and I'd answer only {figures} of them, so one figure would stand in "
        'for the others. Ask them one at a time (a count and the part of it, e.g. "how many paid ads leads from Q4, '
        'and how many of those got disqualified?", works in one).',
        [],
        kind="unknown",
    )


_ONE_AS_SHARE_OF_OTHER = re.compile(
    r"\b(?:as\s+an?\s+|in\s+)?(?:%|percent(?:age)?|share|fraction|ratio|proportion)\s+of\s+(?:the\s+|what\s+we\s+)?[a-z]"
)


def one_measure_as_share_of_another(reading: Reading, raw: str) -> Refusal | None:
    """ "jan: invoiced vs collected, and collections as a % of invoiced": two measures side by side answer the first
    part; one as a share of the other is a figure I don't compute yet, so say so (never the two alone as the answer)."""
    query = reading.query
    if not query.also or query.share or query.group_by or not _ONE_AS_SHARE_OF_OTHER.search(raw):
        return None
    model = semantic.model()
    if any(model.metric(name).aggregate in ("rate", "ratio") for name in (query.metric, *query.also)):
        return None
    labels = [model.metric(name).label for name in (query.metric, *query.also)]
    return Refusal(
        f"I can show {' and '.join(labels)} side by side, but not one as a share of the other yet, and the two alone "
        "would leave that figure out. Ask for them side by side and divide, or ask one at a time.",
        [],
        kind="unknown",
    )
