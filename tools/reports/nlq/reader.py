"""Reading a question into a structured query: the metric, groupings, filters, periods, order.

No LLM. The question is screened (writes, pasted SQL, off-topic), then read in passes:
amounts ("over 50k"), ranks ("top 5"), time words ("last quarter"), then words and phrases
matched (with typo tolerance) against the lexicon and the database's own values. What is
left decides: one reading -> a Query; two readings that both fit -> a question back with
the choices; unknown words that matter -> which words, and the closest terms known.
"""

from __future__ import annotations

import re
from datetime import date

from crmbot.words import NEGATION_PATTERN
from tools.reports import semantic
from tools.reports.build import BALANCE
from tools.reports.entities import Entities
from tools.reports.lexicon import Sense, expand_abbreviations, filler, lexicon
from tools.reports.nlq import followup
from tools.reports.nlq.cues import (
    FollowUpCues,
    extract_inactivity,
    extract_owner,
    extract_record_conditions,
    read_follow_up,
    read_periods,
)
from tools.reports.nlq.numbers import _blank, extract_comparisons, extract_rank
from tools.reports.nlq.screen import screen
from tools.reports.nlq.types import MEASURE_SLOT, Reading, Refusal
from tools.reports.nlq.words import (
    Mention,
    _without_possessive,
    correct_text,
    find_mentions,
    leftover_tokens,
    partial_entities,
    tokenize,
)
from tools.reports.query import Filter, Owner, Query, Threshold
from tools.reports.timewords import Period, find_grain, whole_period

# --------------------------------------------------------------------------- reading a question

GENERIC_METRICS = {
    "deals",
    "customers",
    "companies",
    "leads",
    "tickets",
    "invoices",
    "payments",
    "activities",
    "contacts",
    "products",
    "prospects",
}
_RECORD_NOUNS = {  # words that name records to count ("total deals won" is a number of deals)
    *(w for name in GENERIC_METRICS for w in (name, name.rstrip("s"))),
    "deal",
    "accounts",
    "account",
    "opportunities",
    "opps",
    "orders",
}
RECORD_METRICS = GENERIC_METRICS | {
    "deals_won",
    "deals_lost",
    "overdue_invoices",
    "new_customers",
    "churned_customers",
    "converted_leads",
    "pipeline",
    "open_deals",
    "closed_deals",
    "predicted_churners",
}
# "average payment", "average invoice": the mean of the records' amounts, i.e. of this money metric
AMOUNT_METRIC_OF_RECORDS = {"payments": "revenue", "invoices": "invoiced", "deals": "deal_amount"}
DEFAULT_METRIC_FOR_BASE = {
    "deals": "deals",
    "leads": "leads",
    "support_tickets": "tickets",
    "activities": "activities",
    "invoices": "invoices",
    "payments": "payments",
    "companies": "customers",
    "customer_insights": "customers",
    "contacts": "contacts",
}
CUSTOMER_WORDS = {"customers", "customer", "clients", "client", "accounts", "account", "companies", "company"}
UNKNOWN_WORDS_TO_ASK = 2  # one stray word is ignored out loud; two or more may change the meaning
CUSTOMER_LOSS_VERBS = {"lost", "lose", "losing", "churn", "churned"}
CUSTOMER_GAIN_VERBS = {
    "won",
    "win",
    "gain",
    "gained",
    "acquire",
    "acquired",
    "land",
    "landed",
    "add",
    "added",
    "sign",
    "signed",
    "onboard",
    "onboarded",
}


def _record_word_dimension(m: Mention) -> str | None:
    """A record word beside a specific metric ("top 3 products by bookings") is its grouping."""
    metrics = [s.name for s in m.senses if s.kind == "metric"]
    dims = [s.name for s in m.senses if s.kind == "dim"]
    if m.phrase in CUSTOMER_WORDS:
        return "customer"
    if metrics and dims and all(name in GENERIC_METRICS for name in metrics):
        return dims[0]
    return None


def interpret(
    question: str,
    today: date,
    entities: Entities,
    previous: Query | None = None,
    *,
    asker=None,
    focus: dict | None = None,
) -> Reading | Refusal:
    """The structured query a question asks for, or why not; ``previous`` is the thread's last query,
    ``asker`` the person asking (an Actor: "my" and "my team" are theirs), ``focus`` the rep and the
    customer of the thread's last one-row answer ("their wins" after "who closed the biggest deal")."""
    reading = _interpret(question, today, entities, previous, asker=asker, focus=focus)
    asked, _, aside = question.partition("?")
    if isinstance(reading, Refusal) and reading.kind in ("unknown", "clarify") and aside.strip():
        # "which open deals were created before march? feels like theyre dragging on": the question
        # is the part before "?", the rest a remark
        first = _interpret(asked + "?", today, entities, previous, asker=asker, focus=focus)
        if isinstance(first, Reading):
            first.notes.append(f'left aside "{aside.strip()[:60]}"')
            return first
    return reading


def _interpret(
    question: str,
    today: date,
    entities: Entities,
    previous: Query | None = None,
    *,
    asker=None,
    focus: dict | None = None,
) -> Reading | Refusal:
    refusal = screen(question)
    if refusal:
        return refusal
    raw = question.strip()
    upper_codes = {w.lower() for w in re.findall(r"\b[A-Z]{2,3}\b", raw)}
    text = raw.lower().replace("’", "'")
    text = re.sub(r"(\d)\s*\+", r"\1 plus ", text).replace(
        "+", " and "
    )  # "the 90+ bucket"; "deals + reasons"
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = expand_abbreviations(text)
    text = _listed_values_as_grouping(text)
    follow, text = read_follow_up(text)
    inactive, text = extract_inactivity(text, today)
    text = _ticket_priorities(text, previous)
    named_conditions, text = extract_record_conditions(text, semantic.model())
    text, notes = correct_text(text, entities)
    owner_scope, text = extract_owner(text)
    text = _unit_of_previous_period(text, previous)
    thresholds, text = extract_comparisons(text)
    limit, rank_order, text = extract_rank(text)
    periods, text = read_periods(text, today)
    grain, spans = find_grain(text)
    which_time = re.search(r"\b(?:which|what)\s+(day|week|month|quarter|year)\b", text)  # one row
    if which_time and grain is None:
        grain = which_time.group(1)  # "what quarter had the most revenue": by quarter
    for span in spans:
        text = _blank(text, span)
    tokens = tokenize(text)
    mentions = find_mentions(tokens, entities, upper_codes)
    partial, unknown = partial_entities(tokens, leftover_tokens(tokens, mentions), entities)
    mentions = _teams_of_reps(sorted(mentions + partial, key=lambda m: m.start), entities)
    team_word = _team_as_owner(tokens, mentions)
    if team_word is not None and owner_scope is None and getattr(asker, "team", None):
        owner_scope = "team"  # "team pipe by stage" from someone on a team: their team's
        mentions.remove(team_word)
    names = {
        _without_possessive(w.lower())
        for w in re.findall(r"(?<=\s)[A-Z][\w'-]+", " " + raw[raw.find(" ") + 1 :] if " " in raw else "")
    }
    builder = _Builder(tokens, mentions, unknown, notes + periods.notes)
    builder.capitalized = names
    builder.entities = entities
    builder.raw = raw.lower()
    builder.follow = follow
    builder.owner = _owner(owner_scope, asker)
    builder.which_time = bool(which_time)
    builder.today = today
    builder.focus = focus or {}
    builder.conditions = ([inactive] if inactive else [], named_conditions)
    reading = builder.read(periods, grain, thresholds, limit, rank_order, previous)
    if isinstance(reading, Reading) and isinstance(builder.owner, Refusal):
        return builder.owner  # understood, but "my" is someone we don't know
    if isinstance(reading, Reading):
        inside = {
            i for m in mentions if any(s.kind == "value" for s in m.senses) for i in range(m.start, m.end)
        }
        # "not yet resolved" names a value (open or pending tickets): its "not" is read
        unread = _unread_negation([t for i, t in enumerate(tokens) if i not in inside], reading.query)
        if unread:
            return unread
        _best_is_a_rate(reading, raw.lower())
        share = _share_is_a_rate(reading, raw.lower())
        if share:
            return share
        unranked = _best_of_what(reading.query, raw.lower())
        if unranked:
            return unranked
    return reading


def _best_of_what(query: Query, raw: str) -> Refusal | None:
    """ "who are our best customers": best by what? A list in its default order is not an answer."""
    base = semantic.model().base_of(query.metric)
    counted = semantic.model().metric(query.metric).aggregate in ("count", "count_distinct")
    if not (query.list_records and counted) or query.sort_column or base != "companies":
        return None
    if not re.search(r"\b(?:best|worst|top|most\s+valuable|most\s+important|strongest|weakest)\b", raw):
        return None
    return Refusal(
        "Ranked by which measure? For example revenue this year, bookings, lifetime value or health score.",
        ["revenue this year", "bookings this year", "lifetime value", "health score"],
        kind="clarify",
        phrase=MEASURE_SLOT,
    )


_SHARE = re.compile(
    r"%|\bper\s*cent\b|\bpercent(?:age)?\b|\bpct\b|\bshare\s+of\b|\bproportion\b|\bfraction\b"
)


def _share_is_a_rate(reading: Reading, raw: str) -> Refusal | None:
    """ "what % of them converted", "what share of deals did we win": the rate of those successes,
    not their number."""
    query = reading.query
    if not _SHARE.search(raw) or query.thresholds or query.list_records or query.compare_to is not None:
        return None
    rate = _rate_of(query.metric)
    if rate is not None:
        query.metric = rate.name
        reading.notes.append(f'read "%" as the {rate.label}')
        return None
    metric = semantic.model().metric(query.metric)
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


def _best_is_a_rate(reading: Reading, raw: str) -> None:
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


def _unread_negation(tokens: list[str], query: Query) -> Refusal | None:
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


def _ticket_priorities(text: str, previous: Query | None) -> str:
    """ "high or urgent", "the high ones" about tickets: the ticket's priority (a bare "high" could
    also be a churn risk, so only where tickets are what the thread is about)."""
    about_tickets = re.search(r"\b(?:tickets?|tix|tkts?|support\s+cases?)\b", text) or (
        previous is not None and semantic.model().base_of(previous.metric) == "support_tickets"
    )
    if not about_tickets:
        return text
    return re.sub(
        r"\b(high|medium|low)\b(?!\s+(?:priority|prio|churn|risk|health|value|score|ltv))",
        r"\1 priority",
        text,
    )


def _unit_of_previous_period(text: str, previous: Query | None) -> str:
    """ "what about last 90" after "revenue last 30 days": the same unit (the last 90 days)."""
    said = previous.period.label if previous is not None and previous.period is not None else ""
    unit = re.fullmatch(r"the (?:last|next) \d+ (day|week|month|quarter|year)s", said)
    if not unit:
        return text
    return re.sub(
        r"\b((?:the\s+)?(?:last|past|previous|next)\s+\d+)\b(?!\s*(?:days?|weeks?|months?|quarters?|years?|%|k\b|m\b))",
        lambda m: f"{m.group(1)} {unit.group(1)}s",
        text,
    )


def _team_as_owner(tokens: list[str], mentions: list[Mention]) -> Mention | None:
    """ "team pipe by stage", "team bookings this quarter": the word team right before a measure, not
    after "by"/"per"/"which" (those group by team)."""
    for i, m in enumerate(mentions):
        is_team = m.phrase in ("team", "team's", "teams") and all(
            s.kind == "dim" and s.name == "team" for s in m.senses
        )
        if not is_team or (m.start > 0 and tokens[m.start - 1] in _GROUPING_WORDS):
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and nxt.start == m.end and any(s.kind == "metric" for s in nxt.senses):
            return m
    return None


_GROUPING_WORDS = {"by", "per", "each", "every", "which", "what", "a", "any", "one", "whose", "across", "the"}


def _teams_of_reps(mentions: list[Mention], entities: Entities) -> list[Mention]:
    """ "Oliver Singh's team": the team that rep is on (the rep's name, then the word team)."""
    out: list[Mention] = []
    for m in mentions:
        previous = out[-1] if out else None
        reps = [s.value for s in previous.senses if s.kind == "value" and s.name == "rep"] if previous else []
        is_team_word = m.phrase == "team" and all(s.kind == "dim" and s.name == "team" for s in m.senses)
        if previous and is_team_word and previous.end == m.start and len(reps) == 1:
            team = entities.rep_teams.get(reps[0])
            if team:
                out[-1] = Mention(
                    previous.start, m.end, f"{previous.phrase} team", (Sense("value", "team", team),), True
                )
                continue
        out.append(m)
    return out


def _owner(scope: str | None, asker) -> Owner | Refusal | None:
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


class _Builder:
    """Turns the mentions of one question into a Query (or a refusal), rule by rule."""

    def __init__(self, tokens, mentions: list[Mention], unknown, notes: list[str]):
        self.tokens = tokens
        self.mentions = mentions
        self.unknown = [t for _, t in unknown if t not in filler() and not t.isdigit()]
        self.unknown_positions = [i for i, t in unknown if t not in filler() and not t.isdigit()]
        self.stray_numbers = [t for _, t in unknown if t.isdigit()]  # not a period, rank, amount or value
        self.notes = notes
        self.ranked = False
        self.account_owner = False  # "who owns Acme": the account itself, with its owner
        self.capitalized: set[str] = set()
        self.entities: Entities | None = None
        self.raw = " ".join(tokens)
        self.follow = FollowUpCues()
        self.owner: Owner | None = None
        self.conditions: tuple[list, list] = ([], [])
        self.shape: bool | None = None  # a follow-up's list-or-figure, when it comes from the previous answer
        self.which_time = False  # "which month ...": one period asked for
        self.today: date | None = None
        self.focus: dict = {}  # the rep / customer of the last one-row answer

    def markers(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if any(s.kind == "marker" and s.name == kind for s in m.senses)]

    def has_marker(self, kind: str) -> bool:
        return bool(self.markers(kind))

    def read(self, periods, grain, thresholds, limit, rank_order, previous) -> Reading | Refusal:
        model = semantic.model()
        if periods.ambiguous:
            first, second = (p.label for p in periods.ambiguous)
            return Refusal(
                f'I see two periods, "{first}" and "{second}": should I compare them, or use one?',
                [f"compare {first} with {second}", f"only {first}", f"only {second}"],
                kind="clarify",
            )
        metric_mentions = [m for m in self.mentions if any(s.kind == "metric" for s in m.senses)]
        metric, dims_from_metrics, also, refusal = self._choose_metric(
            metric_mentions, periods.compare_metrics
        )
        if refusal:
            return refusal
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
        if previous is not None:
            listed = followup.columns_for_list(self, previous)
            if listed is not None:
                return listed
        if metric is None and previous is not None:
            implied = self._metric_from_dimensions() or self._metric_from_values()
            if implied is None or _compatible(implied, previous.metric) or self._applies_to(previous.metric):
                return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
            metric = implied  # "AR aging" or "open tickets" after a list of leads: a new question
        if metric is not None and previous is not None and self._anaphoric_record_word(metric, previous):
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        if (
            metric in GENERIC_METRICS
            and previous is not None
            and re.match(r"\s*(?:and\s+)?(?:just|only)\b", self.raw)
            and model.base_of(metric) == model.base_of(previous.metric)
            and not previous.list_records
        ):  # "just for EMEA deals?" after the sales cycle: the same measure, only those deals
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        if metric is not None and previous is not None and self._owners_of_previous(metric, previous):
            return followup.refine(self, previous, periods, grain, thresholds, limit, rank_order)
        if metric is None:
            metric = self._metric_from_values() or self._metric_from_dimensions() or self._metric_from_verbs()
        if metric is None and _OWNER_OF.search(self.raw) and self._names_a_customer():
            metric = "companies"  # "who's the owner on Acme": the account, with its owner
            self.account_owner = True
        if metric is None:
            return self._not_understood()
        ranked_records = self._records_ranked_by_column(metric, metric_mentions, limit, rank_order)
        if ranked_records is not None:
            metric, sort_column = ranked_records
        else:
            sort_column = None
        if previous is not None:
            reading = followup.rank_previous_records(self, previous, metric, limit, rank_order)
            reading = reading or followup.add_column_to_list(self, previous, metric)
            if reading is not None:
                return reading
            if self.follow.any:
                metric = followup.keep_previous_metric(self, previous, metric)
        metric = self._amount_of(metric)
        base = model.base_of(metric)
        query = Query(metric=metric, period=periods.period, compare_to=periods.compare_to, also=also)
        if sort_column:
            query.sort_column, query.list_records = sort_column, True
        self.ranked = (
            limit is not None or rank_order is not None or self.has_marker("desc") or self.has_marker("asc")
        )
        refusal = self._apply_words(query, base, dims_from_metrics, metric_mentions)
        if refusal:
            return refusal
        if grain:
            query.group_by.insert(0, f"time:{grain}")
        self._rank_the_team(query, base)
        self._apply_rank(query, limit, rank_order)
        self._rank_per_record(query, base)
        self._apply_aggregate(query)
        self._apply_comparisons(query, thresholds, base)
        query.owner = self.owner if isinstance(self.owner, Owner) else None
        conditions = self.record_conditions(base)
        if isinstance(conditions, Refusal):
            return conditions
        query.conditions = conditions
        _records_of_conditions(query)
        self._apply_focus(query, base)
        if previous is not None and self.follow.any:
            lost = followup.period_that_defines_records(previous, query)
            if lost is not None and self.follow.refers:
                return Refusal(
                    f"I can't narrow {model.metric(query.metric).label} to the previous answer's "
                    f"{model.metric(previous.metric).label} ({lost.label}) yet: that date belongs to the records, "
                    f"and without it I'd give the figure for all of them. Ask for the list with its columns, "
                    f'e.g. "{model.metric(previous.metric).label} {lost.label}".',
                    kind="unknown",
                )
            self.notes += followup.carry(self, previous, query, periods)
            self.shape = previous.list_records
        elif previous is not None and self._short_follow_up(query, previous):
            # "how many converted" after "event leads this year": a few words, nothing of their own
            if model.base_of(query.metric) == model.base_of(previous.metric):
                if not query.filters and not query.conditions and not model.metric(query.metric).snapshot:
                    self.notes += followup.carry(self, previous, query, periods)
            else:  # "any unpaid invoices?" after one account's revenue: that account's
                self.notes += followup.carry_account(previous, query)
        elif previous is not None:
            self.notes += followup.drill_down(previous, query)
        self._single_record(query, base)
        if self.account_owner:
            query.group_by, query.order, query.limit, query.list_records = [], None, None, True
        self._records_with_column(query, base)
        self._decide_list(query, thresholds)
        if "why" in self.tokens or re.search(r"\bwhy\b", self.raw):
            refusal = self._apply_why(query, base)
            if refusal:
                return refusal
        elif query.list_records and _lists_lost_deals(query):
            self._add_reason_column(query, base)
        _rank_open_records(query, base)
        _most_recent_first(query, self.raw)
        _use_insights_for_risk(query)
        _whole_period_ahead(query)
        self._month_ahead(query)
        refusal = self._created_when(query) or self._check(query)
        if refusal:
            return refusal
        return Reading(query, self.notes + self._ignored_note())

    def _created_when(self, query: Query) -> Refusal | None:
        """ "open deals created before march": a period on the creation date, where the measure is
        placed in time by another date (open deals: their expected close), is said, not swapped."""
        metric = semantic.model().metric(query.metric)
        said = re.search(r"\b(?:created|opened|entered)\b", self.raw)
        if not (said and query.period and metric.time_column) or metric.time_column.endswith(".created_at"):
            return None
        return Refusal(
            f"I place {metric.label} in time by {metric.time_column.split('.')[-1].replace('_', ' ')}, "
            f'not by when they were {said.group(0)}, so I can\'t answer "{said.group(0)} ..." with a period '
            "yet. Ask without the period to see them all (each with its dates).",
            [],
            kind="unknown",
        )

    def _month_ahead(self, query: Query) -> None:
        """ "expected to close in november" (in October): a month or a quarter named alone, for dates in
        the future, is the next such one, not the last one that has started."""
        metric = semantic.model().metric(query.metric)
        period, today = query.period, self.today
        if not metric.forward_looking or period is None or today is None or period.end is None:
            return
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
        quarter = re.fullmatch(r"Q([1-4]) \d{4}", period.label)
        if period.end >= today or not (quarter or re.fullmatch(r"[A-Z][a-z]+ \d{4}", period.label)):
            return
        if re.search(r"\b(?:19|20)\d{2}\b|\b(?:last|this|next|previous|prior|ago|since)\b", self.raw):
            return  # the year or the direction was said
        from tools.reports.timewords import month_period, quarter_period

        if quarter:  # "expected to close in Q4" (in September): the Q4 ahead
            ahead = quarter_period(period.start.year + 1, int(quarter.group(1)))
        else:
            ahead = month_period(period.start.year + 1, period.start.month)
        query.period = ahead
        self.notes.append(f"read {period.label.split()[0]} as {ahead.label} (the next one)")

    def _rank_the_team(self, query: Query, base: str) -> None:
        """ "rank my team by open pipeline", "who on my team booked the most": one row per rep of the team."""
        team = isinstance(self.owner, Owner) and self.owner.scope == "team"
        ranks = self.ranked or re.search(
            r"\b(?:rank|ranked|ranking|leaderboard|who\s+on|each\s+(?:rep|person))\b", self.raw
        )
        if team and ranks and not query.group_by and semantic.model().dimension_for("rep", base):
            query.group_by = ["rep"]
            self.ranked = True

    def _rank_per_record(self, query: Query, base: str) -> None:
        """ "lowest health scores in EMEA, bottom 5": a ranked per-account measure is ranked per account;
        "5 biggest unpaid invoices": the invoices themselves, ranked (by what is still owed)."""
        entry = semantic.model().lists.get(base)
        ranked = (query.order or query.limit) and not query.group_by and query.metric not in RECORD_METRICS
        if ranked and entry and self._names_records_of(base):
            metric = semantic.model().metric(query.metric)
            if metric.aggregate in ("sum", "outstanding") and metric.format == "money":
                query.list_records = True
                if metric.aggregate == "outstanding" and base == "invoices":
                    query.sort_column = BALANCE
                if query.order is None:
                    query.order = "desc"
                return
        if (
            ranked
            and entry
            and entry.rank_dimension
            and semantic.model().dimension_for(entry.rank_dimension, base)
        ):
            query.group_by = [entry.rank_dimension]
            if query.order is None:
                query.order = "desc"

    def record_conditions(self, base: str) -> list | Refusal:
        """The conditions said in words ("not contacted in 60 days", "past their expected close date")."""
        model = semantic.model()
        inactive, named = self.conditions
        found = []
        for condition in inactive:
            if not model.reachable(base, "companies"):
                return Refusal(
                    f'"Not contacted" applies to accounts; {model.base_label(base)} can\'t be filtered by it. '
                    'Try "customers not contacted in 60 days".',
                    kind="unknown",
                )
            found.append(condition)
        for condition_base, condition in named:
            if condition_base != base:
                return Refusal(
                    f"That condition applies to {model.base_label(condition_base)}, not to "
                    f"{model.base_label(base)}.",
                    kind="unknown",
                )
            found.append(condition)
        return found

    def _apply_why(self, query: Query, base: str) -> Refusal | None:
        """ "and why": the reason column of a list, or the reasons as a grouping; else say we can't."""
        model = semantic.model()
        reason = model.lists[base].reason if base in model.lists else None
        if reason and query.list_records:
            self._add_reason_column(query, base)
            return None
        reason_dims = [
            d.name for d in model.dimensions if reason and model.dimension_columns[d.name].get(base) == reason
        ]
        counting = self.has_marker("count") or self.has_marker("total") or self.has_marker("avg")
        if reason and _lost_metric(query) and not query.group_by and not counting:
            query.list_records = True  # "deals we lost in sept and why": the deals, each with its reason
            self._add_reason_column(query, base)
            return None
        if reason_dims and _lost_metric(query) and not query.group_by:
            query.group_by = [reason_dims[0]]
            return None
        label = model.metric(query.metric).label
        return Refusal(
            f"I can't tell why from the CRM data for {label}: it records what happened, not the reasons. "
            + ("For lost deals I can show the lost reason. " if reason else "")
            + "I can split the figure by rep, region, industry or month to help find out.",
            [f"{label} by region", f"{label} by rep", f"{label} by month"],
            kind="unknown",
        )

    def _add_reason_column(self, query: Query, base: str) -> None:
        reason = semantic.model().lists[base].reason
        if reason and reason not in query.columns:
            query.columns.append(reason)

    def _amount_of(self, metric: str) -> str:
        """ "how much is overdue", "how much did we win": the money of a count (its amount metric);
        "how many overdue": the count of an amount (its count metric)."""
        model = semantic.model()
        if self.has_marker("count") and re.search(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b", self.raw):
            return model.metric(metric).count_metric or metric
        target = model.metric(metric).amount_metric
        if target is None or self.has_marker("count"):
            return metric
        asks_money = bool(re.search(r"\bhow\s+much\b", self.raw)) or bool(
            set(self.tokens) & {"worth", "value", "dollars", "$"}
        )
        # "total we've won with Acme": a total of a verb, with no record word to count, is money
        record_word = set(self.tokens) & _RECORD_NOUNS
        asks_money = asks_money or ("total" in self.tokens and not record_word)
        return target if asks_money else metric

    def _anaphoric_record_word(self, metric: str, previous: Query) -> bool:
        """ "who owns those accounts", "list those deals": the record word points back, names no new measure."""
        if metric not in GENERIC_METRICS or not self.follow.refers:
            return False
        pointers = ("those", "these", "them", "the", "their", "such")
        return any(
            any(s.kind == "metric" and s.name == metric for s in m.senses)
            and m.start > 0
            and self.tokens[m.start - 1] in pointers
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

    def _records_ranked_by_column(
        self, metric: str, metric_mentions, limit, rank_order
    ) -> tuple[str, str] | None:
        """ "top 10 open leads by score": the leads themselves, ranked by their score (not an average)."""
        model = semantic.model()
        m = model.metric(metric)
        if not (limit or rank_order) or m.aggregate not in ("avg", "max", "min") or not m.column:
            return None
        for mention in metric_mentions:
            for sense in mention.senses:
                if (
                    sense.kind == "metric"
                    and sense.name in GENERIC_METRICS
                    and model.base_of(sense.name) == m.base
                ):
                    return sense.name, m.column
        return None

    def _applies_to(self, metric: str) -> bool:
        """Every dimension or value the message names applies to ``metric``'s table (a refinement of it)."""
        model = semantic.model()
        base = model.base_of(metric)
        named = [s.name for m in self.mentions for s in m.senses if s.kind in ("dim", "value")]
        return bool(named) and all(model.dimension_for(name, base) for name in named)

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

    def _choose_metric(self, metric_mentions: list[Mention], side_by_side: bool = False):
        """One metric (several when compared: "invoiced vs collected"); generic record words beside a
        specific metric become its grouping."""
        names = []
        for m in metric_mentions:
            for s in m.senses:
                if s.kind == "metric" and s.name not in names:
                    names.append(s.name)
        names = self._customer_outcome(names, metric_mentions)
        names = self._duration(names)
        names = self._combine(list(dict.fromkeys(names)))
        names = self._closing_deals(names)
        specific = [n for n in names if n not in GENERIC_METRICS]
        generic = [n for n in names if n in GENERIC_METRICS]
        dims: list[tuple[int, str]] = []
        if specific:
            for m in metric_mentions:
                dim = _record_word_dimension(m)
                if dim:
                    dims.append((m.start, dim))
            if {"new_customers", "customer_since"} <= set(specific):
                # "who became a customer this month": new customers; "when did Acme become one": the date
                dated = bool({"when", "long", "date"} & set(self.tokens))
                specific = [n for n in specific if n != ("new_customers" if dated else "customer_since")]
            if len(specific) > 1:
                specific = self._prefer_by_position(specific, metric_mentions)
            if len(specific) > 1 and (side_by_side or self._joined(specific, metric_mentions)):
                return specific[0], dims, specific[1:3], None
            model = semantic.model()
            counted = [
                s.name
                for m in metric_mentions
                for s in m.senses
                if s.kind == "metric"
                and s.name in GENERIC_METRICS
                and model.base_of(s.name) == model.base_of(specific[0])
            ]
            if len(specific) == 1 and counted and _HOW_MANY_AND.search(self.raw):
                # "jade fuels tickets this year - how many, and avg csat?": the count and the measure
                return counted[0], dims, specific[:1], None
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
        if generic:
            # "deals by customer": the first record word is the metric, a later customer word a grouping;
            # "which customers have the most tickets": the customer word is the grouping, whatever its place
            first = generic[0]
            others = [n for n in generic if n not in ("customers", "companies")]
            if first in ("customers", "companies") and others:
                first = others[0]
            for m in metric_mentions:
                if m.phrase in CUSTOMER_WORDS and first not in ("customers", "companies"):
                    dims.append((m.start, "customer"))
            return first, dims, [], None
        return None, [], [], None

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
        spans = []
        for name in names[:3]:
            found = [
                m for m in metric_mentions if any(s.kind == "metric" and s.name == name for s in m.senses)
            ]
            if not found:
                return False
            spans.append((found[0].start, found[0].end))
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            between = self.tokens[end:start]
            if (
                not between
                or not set(between) <= {"and", "&", "plus", ",", "as", "well"}
                or "and" not in between
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
        future = words & {"closing", "expected"} or {"will", "close"} <= words or {"due", "close"} <= words
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

    def _combine(self, names: list[str]) -> list[str]:
        """ "deals" + "won" -> deals won; "average" + bookings -> average deal size; and so on."""
        combos = [(set(c.parts), c.metric) for c in semantic.model().file.combinations]
        result = list(names)
        changed = True
        while changed:
            changed = False
            for pair, merged in combos:
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

    def _metric_from_values(self) -> str | None:
        """ "how many meetings last month": a value implies its table; count its records."""
        bases = []
        for m in self.mentions:
            for s in m.senses:
                dim = semantic.model().dimensions_by_name.get(s.name)
                if s.kind == "value" and dim is not None and dim.default_metric:
                    return dim.default_metric  # "who is at risk": accounts at high churn risk
                if s.kind == "value" and not m.entity:
                    columns = semantic.model().dimension_columns.get(s.name, {})
                    if len(columns) == 1:
                        bases.append(next(iter(columns)))
        bases = list(dict.fromkeys(bases))
        if len(bases) == 1:
            return DEFAULT_METRIC_FOR_BASE.get(bases[0])
        return None

    def _metric_from_verbs(self) -> str | None:
        """ "how much did Rahul close last quarter": closing, in money, is bookings."""
        if set(self.tokens) & {"close", "closed", "closing", "closes"} and self.has_marker("total"):
            return "bookings"
        return None

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
        return Refusal(
            "I couldn't tell which number you want. Ask about revenue, bookings, deals won, win rate, pipeline, "
            'outstanding invoices, customers, leads, tickets, CSAT, health or LTV, e.g. "revenue by month '
            'this year".',
            kind="unknown",
        )

    # ---- groupings and filters

    def _apply_words(
        self, query: Query, base: str, dims_from_metrics, metric_mentions, *, who_groups: bool = True
    ) -> Refusal | None:
        group_positions = {m.end for m in self.markers("group")}
        negate_positions = {m.end for m in self.markers("negate")}
        filters: dict[str, Filter] = {}
        grouped: list[tuple[int, str]] = []
        breakdowns = [
            m for m in self.markers("group") if m.phrase.startswith(("breakdown", "split", "the breakdown"))
        ]
        for position, name in dims_from_metrics:
            before = self.tokens[position - 1] if position > 0 else ""
            after = self.tokens[position + 1] if position + 1 < len(self.tokens) else ""
            lead = self.tokens[max(0, position - 3) : position]  # "which latam accounts have ..."
            if any(b.end == position for b in breakdowns) and any(
                m.start > position for m in self.markers("group")
            ):
                continue  # "breakdown of customers by churn risk": customers are counted, split by risk
            if (
                position in group_positions
                or before in ("which", "what", "each", "every")
                or (lead and lead[0] in ("which", "what") and after in ("have", "has", "had", "with"))
                or self.ranked
                or after in ("with", "that", "who", "whose", "having", "where")
            ):
                grouped.append((position, name))
        for m in self.mentions:
            kinds = {s.kind for s in m.senses}
            if "dim" in kinds:
                dims = [
                    s.name
                    for s in m.senses
                    if s.kind == "dim" and semantic.model().dimension_for(s.name, base)
                ]
                if not dims:
                    if m.start in group_positions or m.start - 1 in group_positions:
                        label = semantic.model().metric(query.metric).label
                        return Refusal(
                            f"I can't split {label} by {m.phrase}. " + self._dimensions_hint(base),
                            self._dimension_choices(base),
                            kind="unknown",
                        )
                    continue
                if "metric" in kinds and m in metric_mentions and m.start not in group_positions:
                    continue  # the word named the metric itself ("how many customers")
                if (
                    "metric" in kinds
                    and any(b.end == m.start for b in breakdowns)
                    and any(x.start > m.start for x in self.markers("group"))
                ):
                    continue  # "breakdown of customers by churn risk": the customers are what is counted
                if self._asks_for_column(m) and m.start not in group_positions:
                    query.columns.append(dims[0])  # "deals we lost + the reason": a column of the list
                    continue
                grouped.append((m.start, dims[0]))
            elif "value" in kinds:
                if m in metric_mentions and "metric" in kinds and not m.entity:
                    continue  # "churned" named the measure (churned customers); it is not also a filter
                if {"including", "incl", "inclusive", "plus", "even"} & set(
                    self.tokens[max(0, m.start - 3) : m.start]
                ):
                    continue  # "total they owe including not yet due": a broadening, not a filter
                refusal = self._add_value(m, base, filters, negate_positions)
                if refusal:
                    return refusal
            elif "marker" in kinds and any(s.name == "open" for s in m.senses):
                self._open_filter(base, filters, query)
            elif "marker" in kinds and m.phrase == "closed" and base == "deals" and query.metric == "deals":
                query.metric = "closed_deals"  # closed deals are placed in time by when they closed
        by_unknown = [
            t for i, t in zip(self.unknown_positions, self.unknown, strict=False) if i in group_positions
        ]
        if by_unknown:
            return self._unknown_grouping(by_unknown[0], base, query)
        seen = []
        for _, name in sorted(grouped):
            if name not in seen:
                seen.append(name)
        if who_groups and self.has_marker("who") and not seen and not filters.get("rep"):
            who = "rep" if base in ("deals", "leads", "activities") else "customer"
            entry = semantic.model().lists.get(base)
            metric = semantic.model().metric(query.metric)
            if base == "companies" and who == "customer" and entry and metric.aggregate == "count":
                query.list_records = True  # "who became a customer this month": the companies themselves
            elif semantic.model().dimension_for(who, base) is not None:
                seen.append(who)
        query.group_by = seen
        query.filters = list(filters.values())
        return None

    def _add_value(self, m: Mention, base: str, filters: dict, negate_positions) -> Refusal | None:
        senses = [s for s in m.senses if s.kind == "value" and semantic.model().dimension_for(s.name, base)]
        if not senses:
            if not m.entity and m.phrase not in filler():
                # "open tickets on my accounts" read as accounts: dropping "open tickets" would answer
                # another question, so say what can't be done
                dims = sorted({s.name.replace("_", " ") for s in m.senses if s.kind == "value"})
                label = semantic.model().base_label(base)
                return Refusal(
                    f'I can\'t apply "{m.phrase}" ({" / ".join(dims)}) to {label}. Ask about one thing at a '
                    f'time, e.g. "{m.phrase}" on its own, or {label} without it.',
                    kind="unknown",
                )
            if m.entity:
                dims = sorted({s.name for s in m.senses})
                label = semantic.model().base_label(base)
                return Refusal(
                    f'I can\'t filter {label} by {" or ".join(dims)} ("{m.phrase}").',
                    kind="unknown",
                )
            return None
        senses = _prefer_places_to_teams(m, senses)
        dims = list(dict.fromkeys(s.name for s in senses))
        if len(dims) > 1:
            choices = [
                f"{d.replace('_', ' ')} = {next(s.value for s in senses if s.name == d)}" for d in dims
            ]
            return Refusal(f'"{m.phrase}" could mean several things: which one?', choices, kind="clarify")
        values = list(dict.fromkeys(str(s.value) for s in senses))
        if len(values) > 1 and m.entity:
            return Refusal(
                f'"{m.phrase}" matches more than one {dims[0].replace("_", " ")}: which one?',
                values[:10],
                kind="clarify",
                phrase=m.phrase,
            )
        negate = m.start in negate_positions or m.start - 1 in negate_positions
        existing = filters.get(dims[0])
        if existing and existing.negate == negate:
            existing.values.extend(v for v in values if v not in existing.values)
        else:
            filters[dims[0]] = Filter(dims[0], values, negate)
        return None

    def _open_filter(self, base: str, filters: dict, query: Query) -> None:
        """ "open deals", "open tickets": the model's meaning of open for the table's records."""
        entry = semantic.model().lists.get(base)
        if entry is None or entry.open is None:
            return
        if base == "deals" and query.metric == "deal_amount":
            query.metric = "pipeline"  # the open deals' amount is the open pipeline
        filters[entry.open.dimension] = Filter(entry.open.dimension, list(entry.open.values))

    def _unknown_grouping(self, word: str, base: str, query: Query) -> Refusal:
        from rapidfuzz import fuzz, process

        options = {
            s: d.name
            for d in semantic.model().dimensions
            if base in semantic.model().dimension_columns[d.name]
            for s in (d.label, *d.synonyms[:2])
        }
        hits = process.extract(word, list(options), scorer=fuzz.WRatio, limit=3, score_cutoff=50)
        suggestions = list(dict.fromkeys(h[0] for h in hits)) or self._dimension_choices(base)
        label = semantic.model().metric(query.metric).label
        return Refusal(
            f'I don\'t know how to split {label} by "{word}". Closest I know: {", ".join(suggestions)}.',
            suggestions,
            kind="unknown",
        )

    def _dimensions_hint(self, base: str) -> str:
        return "It can be split by " + ", ".join(self._dimension_choices(base)) + "."

    def _dimension_choices(self, base: str) -> list[str]:
        return [
            d.label for d in semantic.model().dimensions if base in semantic.model().dimension_columns[d.name]
        ] + ["day/week/month/quarter/year"]

    # ---- order, limits, comparisons, lists

    def _apply_rank(self, query: Query, limit: int | None, rank_order: str | None) -> None:
        order = rank_order
        if order is None and self.has_marker("desc"):
            order = "desc"
        if order is None and self.has_marker("asc"):
            order = "asc"
        if order is None and limit is not None and query.group_by:
            order = "desc"
        query.order = order
        query.limit = limit
        if order and limit is None and query.group_by and self._singular_subject():
            query.limit = 1

    def _singular_subject(self) -> bool:
        """ "which rep won the most" / "who owes the most" ask for one row."""
        if self.has_marker("who") or self.which_time:
            return True
        for m in self.mentions:
            if (
                any(s.kind == "dim" for s in m.senses)
                and m.start > 0
                and self.tokens[m.start - 1] in ("which", "what")
            ):
                return not m.phrase.endswith("s")
        return False

    def _apply_aggregate(self, query: Query) -> None:
        """ "average invoice amount": the mean of what the metric sums."""
        counting = self.has_marker("count") or {"number", "count", "#"} & set(self.tokens)
        if self.has_marker("avg") and query.metric in AMOUNT_METRIC_OF_RECORDS and not counting:
            query.metric = AMOUNT_METRIC_OF_RECORDS[query.metric]
        metric = semantic.model().metric(query.metric)
        if self.has_marker("avg") and metric.aggregate in ("sum", "outstanding") and metric.format == "money":
            query.aggregate = "avg"

    def _apply_comparisons(self, query: Query, comparisons: list[Threshold], base: str) -> None:
        metric = semantic.model().metric(query.metric)
        for c in comparisons:
            grouped = any(not g.startswith("time:") for g in query.group_by)
            amount_col = semantic.model().amount_column(base)
            column = None if grouped else self.threshold_column(c, query, base)
            if column and c.target != "balance":
                c.target, c.column = "column", column  # "scoring above 75", "which ones are under 75"
            elif c.target == "balance" and base == "invoices" and not grouped:
                pass  # "invoices with more than 50k still owed on them"
            elif amount_col and not (grouped and metric.aggregate in ("sum", "outstanding", "avg", "rate")):
                c.target = "amount"
            else:
                c.target = "metric"
            query.thresholds.append(c)

    def _apply_focus(self, query: Query, base: str) -> None:
        """ "list all of their wins" after an answer of one row: "their" is that row's rep (for deals
        and leads, which reps own) or customer (for what hangs off an account); "the top one" after a
        ranking is its first row."""
        top = self.focus.get("top") if isinstance(self.focus.get("top"), dict) else None
        if top and _THE_TOP_ONE.search(self.raw):
            model = semantic.model()
            for dim in ("rep", "customer"):
                value = top.get(dim)
                if value and model.dimension_for(dim, base) and dim not in query.group_by:
                    query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, [value])]
                    if not query.group_by and not query.list_records:
                        query.order = query.limit = None  # "top" named the row, not a ranking
                    self.notes.append(f'read "the top one" as {value}')
                    return
        pronoun = any(  # "their wins", "her open leads" (a word like "open" may come between)
            m.start > 0
            and set(self.tokens[max(0, m.start - 2) : m.start]) & {"their", "his", "her"}
            and any(s.kind in ("metric", "value") for s in m.senses)
            for m in self.mentions
        )
        if not pronoun or not self.focus or any(f.dimension in ("rep", "customer") for f in query.filters):
            return
        model = semantic.model()
        order = ("rep", "customer") if base in ("deals", "leads") else ("customer", "rep")
        for dim in order:
            value = self.focus.get(dim)
            if value and model.dimension_for(dim, base):
                query.filters.append(Filter(dim, [value]))
                self.notes.append(f'read "their" as {value}')
                return

    def _single_record(self, query: Query, base: str) -> None:
        """ "which account has the single biggest overdue invoice": the one record with the largest
        amount (what is still owed, for invoices that owe), with the asked-for grouping as a column."""
        model = semantic.model()
        ranked = self.has_marker("desc") or self.has_marker("asc")
        single = self.has_marker("max") or self.has_marker("min") or ("single" in self.tokens and ranked)
        if not single or not model.lists.get(base):
            return
        metric = model.metric(query.metric)
        if metric.aggregate not in ("sum", "outstanding", "count") or query.compare_to or query.also:
            return
        owed = metric.aggregate == "outstanding" or (
            metric.amount_metric and model.metric(metric.amount_metric).aggregate == "outstanding"
        )
        if owed and base == "invoices":
            query.sort_column = BALANCE
        elif model.amount_column(base) is None:
            return
        for dim in query.group_by:
            if not dim.startswith("time:") and dim not in query.columns:
                query.columns.append(dim)
        query.group_by, query.list_records, query.aggregate = [], True, None
        smallest = self.has_marker("min") or (self.has_marker("asc") and not self.has_marker("desc"))
        query.order = "asc" if smallest and not self.has_marker("max") else "desc"
        query.limit = query.limit or 1

    def threshold_column(self, c: Threshold, query: Query, base: str) -> str | None:
        """The record column a number is about: the one its word names ("scoring above 75"), or, for an
        average of a column ("which ones are under 75" after average health), that column."""
        named = _column_named(c.hint, base)
        if named:
            return named
        if any(not g.startswith("time:") for g in query.group_by):
            return None
        return _per_record_column(semantic.model().metric(query.metric), base)

    def _decide_list(self, query: Query, comparisons: list[Threshold]) -> None:
        """Records ("show the overdue invoices") rather than a number ("how many overdue invoices")."""
        model = semantic.model()
        entry = model.lists.get(model.base_of(query.metric))
        counts_records = (
            model.metric(query.metric).aggregate == "count" and not query.order and not query.limit
        )
        # each record is one value of the grouping (a customer's insights row, a company by its name)
        per_record = (entry.rank_dimension or "customer") if entry is not None else None
        one_per_record = (
            per_record is not None
            and bool(entry.columns)
            and entry.columns[0].column
            == model.dimension_columns.get(per_record, {}).get(model.base_of(query.metric))
        )
        if counts_records and one_per_record and query.group_by == [per_record] and not comparisons:
            # "which customers are predicted to churn": a count per customer would be 1 each; the customers
            query.group_by, query.list_records = [], True
            return
        if query.group_by or query.also or query.compare_to:
            return
        if query.metric not in RECORD_METRICS:
            # "unpaid invoices over 50k": the records a money measure sums, when a record's amount is bounded
            money_words = self.has_marker("total") or self.has_marker("avg") or self.has_marker("count")
            base = semantic.model().base_of(query.metric)
            record_word = any(
                s.kind == "metric"
                and (
                    s.name in GENERIC_METRICS
                    or s.name in RECORD_METRICS
                    and semantic.model().base_of(s.name) == base
                )
                for m in self.mentions
                for s in m.senses
            )
            record_word = record_word or self._says_base_word(base)  # "qualified leads"
            amount_filter = any(c.target in ("amount", "balance", "column") for c in comparisons)
            if (amount_filter or self.has_marker("list")) and record_word and not money_words:
                query.list_records = True  # "list the overdue invoices with more than 50k still owed on them"
            elif _asks_records(self.raw) and semantic.model().lists.get(base) and not money_words:
                query.list_records = True  # "what's in my pipeline", "anything overdue on their account?"
            return
        if self.has_marker("count") or self.has_marker("total") or self.has_marker("avg"):
            return
        asks_for_list = (
            self.has_marker("list")
            or self.has_marker("who")
            or _asks_records(self.raw)
            or self._what_records()
            or bool(re.match(r"\s*(?:what|which)\s+(?:did|has|have|does|do)\b", self.raw))
            or bool(query.conditions)  # "open deals past their expected close date": the deals themselves
        )
        amount_words = query.metric == "pipeline" and not comparisons and not asks_for_list
        if amount_words:
            return
        amount_filter = any(c.target in ("amount", "balance", "column") for c in comparisons)
        if (
            asks_for_list
            or amount_filter
            or query.limit
            or query.columns
            or _one_account(query)
            or self._bare_records(query)
        ):
            query.list_records = True
        elif (
            query.order and semantic.model().order_column(semantic.model().base_of(query.metric)) is not None
        ):
            query.list_records = True  # "the biggest deal this year"
            if query.limit is None:
                query.limit = 1 if self._metric_word_singular() else 10

    def _asks_for_column(self, m: Mention) -> bool:
        """ "with the reason", "and their owner", "including region": a column beside the records."""
        before = " ".join(self.tokens[max(0, m.start - 2) : m.start])
        return bool(
            re.search(
                r"(?:\b(?:with|and|plus|including|incl|showing)\s+(?:the|their|its)|\b(?:with|including|incl|showing))$",
                before,
            )
        )

    def _names_records_of(self, base: str) -> bool:
        """The question names the records themselves ("invoices", "deals") of this base."""
        model = semantic.model()
        return any(
            s.kind == "metric" and s.name in GENERIC_METRICS and model.base_of(s.name) == base
            for m in self.mentions
            for s in m.senses
        )

    def _says_base_word(self, base: str) -> bool:
        """The table's own word is in the question ("leads" in "qualified leads"), even where a value
        took the phrase ("qualified leads" is a status)."""
        return semantic.model().base_label(base).split()[-1] in self.tokens

    def _bare_records(self, query: Query) -> bool:
        """ "deals we lost to price last qtr", "my accounts at high churn risk?": a noun phrase naming
        records of a kind people act on one by one (``lists.<table>.bare_list``), qualified by more
        than a period, asks for the records; "new customers last quarter", "urgent tickets this month"
        are counts. A follow-up that swaps the measure keeps the previous answer's shape."""
        if self.shape is not None:
            return self.shape
        if re.match(
            r"\s*(?:how|what'?s|what\s+(?:is|was|were|are)\s+(?:the|our)\s+(?:number|count|total))\b",
            self.raw,
        ):
            return False
        model = semantic.model()
        entry = model.lists.get(model.base_of(query.metric))
        if entry is None or not entry.bare_list:
            return False
        open_dim = entry.open.dimension if entry.open else None
        qualifiers = [f for f in query.filters if f.dimension != open_dim]
        return bool(qualifiers or query.owner or query.thresholds or query.conditions)

    def _short_follow_up(self, query: Query, previous: Query) -> bool:
        """A message of a few words that names no period, owner, filter or grouping of its own."""
        words = re.findall(r"[a-z0-9]+", self.raw)
        return (
            len(words) <= 4
            and query.period is None
            and query.compare_to is None
            and query.owner is None
            and not any(f.dimension in ("customer", "rep") for f in query.filters)
            and not query.group_by
        )

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

    def _previous_measure(self, metric: str, dims, metric_mentions, previous: Query):
        """The previous measure, where this message only points at it: "top 3 EMEA accounts on that"
        (accounts ranked by it), or "which source brought in the most" after new leads by source (a
        grouping only the previous table has, with a verb that could name another measure)."""
        model = semantic.model()
        if metric in ("companies", "customers") and _ON_THAT.search(self.raw):
            spot = next((m.start for m in metric_mentions if any(s.name == metric for s in m.senses)), 0)
            return previous.metric, [*dims, (spot, "customer")]
        base, before = model.base_of(metric), model.base_of(previous.metric)
        named = [s.name for m in self.mentions for s in m.senses if s.kind == "dim"]
        if (
            base != before
            and named
            and all(model.dimension_for(d, before) and not model.dimension_for(d, base) for d in named)
        ):
            self.notes.append(f"kept the previous measure ({model.metric(previous.metric).label})")
            return previous.metric, dims
        return metric, dims

    def _names_a_customer(self) -> bool:
        return any(
            m.entity and any(s.kind == "value" and s.name == "customer" for s in m.senses)
            for m in self.mentions
        )

    def _records_with_column(self, query: Query, base: str) -> None:
        """ "my qualified leads w/ scores", "open deals with their amounts": the records, with that
        column beside them (not the column's average over them)."""
        model = semantic.model()
        metric = model.metric(query.metric)
        if query.group_by or query.list_records or query.also or query.compare_to or not metric.column:
            return
        named = self._names_records_of(base) or self._says_base_word(base)
        if metric.aggregate not in ("avg", "sum") or not model.lists.get(base) or not named:
            return
        for m in self.mentions:
            if not any(s.kind == "metric" and s.name == query.metric for s in m.senses):
                continue
            before = self.tokens[max(0, m.start - 2) : m.start]
            if before and (
                before[-1] in ("with", "including", "showing", "plus")
                or before == ["with", "their"]
                or before == ["and", "their"]
                or before == ["with", "the"]
            ):
                query.list_records = True
                if metric.column not in query.columns:
                    query.columns.append(metric.column)
                self.notes.append(
                    f"listed the {model.base_label(base)} with their {metric.label.replace('average ', '')}"
                )
                return

    def _what_records(self) -> bool:
        """ "what deals did Liam lose": "what" right before the record word asks for the records."""
        for m in self.mentions:
            if (
                any(s.kind == "metric" for s in m.senses)
                and m.start > 0
                and self.tokens[m.start - 1] == "what"
            ):
                return True
        return False

    def _metric_word_singular(self) -> bool:
        for m in self.mentions:
            if any(s.kind == "metric" for s in m.senses):
                return not m.phrase.endswith("s")
        return False

    def _check(self, query: Query) -> Refusal | None:
        metric = semantic.model().metric(query.metric)
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
        modifier = self._unknown_modifier()
        if modifier:
            return modifier
        if len(self.unknown) >= UNKNOWN_WORDS_TO_ASK:
            return self._unknown_words()
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
        for position, word in zip(self.unknown_positions, self.unknown, strict=False):
            if position > 0 and self.tokens[position - 1] in (
                "for",
                "from",
                "at",
                "with",
                "in",
                "by",
                "to",
                "of",
            ):
                return len(word) >= 3 and word.isalpha()
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


_HOW_MANY_AND = re.compile(
    r"\bhow\s+many\b[\s,]*\b(?:and|plus)\b|\bnumber\s+of\b[^?]*\band\s+(?:the\s+)?(?:avg|average)\b"
)
_ON_THAT = re.compile(
    r"\b(?:on|by|for|in)\s+(?:that|it|this|those|these)\b(?:\s+(?:number|figure|measure))?\s*[?.!]*$"
)
_OWNER_OF = re.compile(
    r"\b(?:who(?:'s|\s+is)?\s+(?:the\s+)?(?:account\s+)?(?:owner|rep|am|account\s+manager|salesperson)|"
    r"who\s+(?:owns|handles|manages|looks\s+after|covers|runs)|owner\s+(?:of|on|for))\b"
)
_THE_TOP_ONE = re.compile(
    r"\bthe\s+(?:top|first|#\s*1|number\s+one|no\.?\s*1|leading|winning)\s+(?:one|rep|customer|account|person|guy|"
    r"company|client|seller)\b|\bthe\s+(?:winner|leader|top\s+performer)\b|\b(?:the\s+)?#\s*1\s+(?:one|rep|customer)\b"
)
_ANY = re.compile(r"\b(?:any|anything)\b")  # "any deals slipping?", "anything overdue?": the records


def _asks_records(raw: str) -> bool:
    return bool(_WHATS_IN.search(raw) or _ANY.search(raw))


_CAME_IN = re.compile(r"\b(?:came|come|coming|comes)\s+in\b")
_WHATS_IN = re.compile(r"\bwhat(?:'?s|\s+is|\s+are)\s+(?:in|inside|behind)\b|\bwhat\s+makes\s+up\b")


_RECENT = re.compile(
    r"\b(?:last|latest|newest|most\s+recent|recent)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty)\s+(?!days?\b|weeks?\b|months?\b|quarters?\b|years?\b)|\b\d+\s+(?:most\s+recent|latest|newest)\b"
)


def _most_recent_first(query: Query, raw: str) -> None:
    """ "last 5 payments from Acme", "the 10 most recent deals": the records newest first (by the
    date the measure is placed in time), not the biggest."""
    if not (query.list_records and query.limit and _RECENT.search(raw)):
        return
    time_column = semantic.model().metric(query.metric).time_column
    if time_column:
        query.sort_column, query.order = time_column, "desc"


def _records_of_conditions(query: Query) -> None:
    """ "my deals past their expected close date": only open deals can be past it, so the plain count
    (or sum) of deals becomes the open deals' (the condition's ``metric`` in the model)."""
    model = semantic.model()
    current = model.metric(query.metric)
    if current.conditions or current.aggregate not in ("count", "sum"):
        return
    for rc in query.conditions:
        entry = next(
            (c for c in model.file.conditions if c.kind == rc.kind and c.column == rc.column and c.metric),
            None,
        )
        if entry is None:
            continue
        target = model.metric(entry.metric)
        if current.aggregate == "sum" and target.amount_metric:
            target = model.metric(target.amount_metric)
        if target.base == current.base:
            query.metric = target.name


def _column_named(word: str | None, base: str) -> str | None:
    """The record column a word before a number names ("scoring above 75": leads.score), on this base."""
    if not word:
        return None
    model = semantic.model()
    lex = lexicon()
    stems = [word, word.removesuffix("ing"), word.removesuffix("d"), word.removesuffix("ed"), word + "e"]
    stems += [s.removesuffix("ing") + "e" for s in stems if s.endswith("ing")]
    for stem in dict.fromkeys(stems):
        for sense in lex.get(stem, ()):
            if sense.kind != "metric":
                continue
            m = model.metric(sense.name)
            if (
                m.column
                and m.aggregate in ("avg", "max", "min")
                and model.reachable(base, m.column.split(".")[0])
            ):
                return m.column
    return None


def _per_record_column(metric, base: str) -> str | None:
    """An average of a record column ("average health") compared with a number, ungrouped, is about
    each record: "which ones are under 75" lists the accounts whose health is under 75."""
    per_record = metric.aggregate == "avg" and metric.column and metric.format != "money"
    if per_record and semantic.model().reachable(base, metric.column.split(".")[0]):
        return metric.column
    return None


def _listed_values_as_grouping(text: str) -> str:
    """ "how many customers are low / medium / high churn risk": every value of a dimension listed
    before its name asks for the split by it ("by churn risk")."""
    if "/" not in text and "," not in text and " or " not in text:
        return text
    model = semantic.model()
    for dim in model.dimensions:
        values = {str(v).lower().replace("_", " ") for v in model.vocabulary(dim.name)}
        if len(values) < 2:
            continue
        for phrase in sorted({dim.label.lower(), *dim.synonyms}, key=len, reverse=True):
            found = re.search(
                r"\b((?:[a-z0-9+-]+\s*(?:/|,|\bor\b|\band\b)\s*)+[a-z0-9+-]+)\s+" + re.escape(phrase) + r"\b",
                text,
            )
            if not found:
                continue
            listed = [
                w.strip() for w in re.split(r"\s*(?:/|,|\bor\b|\band\b)\s*", found.group(1)) if w.strip()
            ]
            if len(listed) >= 2 and all(w in values for w in listed):
                return text[: found.start()] + f"by {phrase}" + text[found.end() :]
    return text


def glossary_note(word: str) -> str | None:
    """The model's glossary entry for a word it names but cannot measure ("forecast"), if any."""
    for entry in semantic.model().glossary:
        if word in entry.synonyms and not any(
            word in (m.name, *m.synonyms) for m in semantic.model().metrics
        ):
            return entry.description
    return None


def _rank_open_records(query: Query, base: str) -> None:
    """ "top 5 leads": the open ones (a lead converted or lost is no lead to work), unless a status is named."""
    entry = semantic.model().lists.get(base)
    if not (query.list_records and query.order and entry and entry.rank_open and entry.open):
        return
    status = {entry.open.dimension, entry.status}
    if not any(f.dimension in status for f in query.filters):
        query.filters.append(Filter(entry.open.dimension, list(entry.open.values)))


def _compatible(metric: str, other: str) -> bool:
    """Measures of the same kind over the same table (outstanding and the overdue amount)."""
    model = semantic.model()
    a, b = model.metric(metric), model.metric(other)
    return model.base_of(a) == model.base_of(b) and a.format == b.format


def _lost_metric(query: Query) -> bool:
    metric = semantic.model().metric(query.metric)
    return any(c.op == "eq" and c.value == "closed_lost" for c in metric.conditions) or any(
        "closed_lost" in f.values and not f.negate for f in query.filters
    )


def _lists_lost_deals(query: Query) -> bool:
    """A list of deals that were lost shows why (the lost reason) without being asked."""
    return _lost_metric(query)


def _one_account(query: Query) -> bool:
    """ "open deals for Acme", "Acme's tickets": one account's records are few; show them."""
    return any(f.dimension == "customer" and len(f.values) == 1 and not f.negate for f in query.filters)


def _prefer_places_to_teams(m: Mention, senses: list[Sense]) -> list[Sense]:
    """Teams are often named after places ("Brazil", "EMEA"); a bare place name is the place.

    A team is meant when the question says so ("the Brazil team"), which the team's own
    alias phrase catches before this point.
    """
    if "team" in m.phrase.split() or all(s.name == "team" for s in senses):
        return senses
    return [s for s in senses if s.name != "team"]


def _use_insights_for_risk(query: Query) -> None:
    """ "customers at high churn risk" are the companies the insights job scored, whatever their stage."""
    insight_dims = {"churn_risk"}
    if query.metric == "customers" and any(f.dimension in insight_dims for f in query.filters):
        query.metric = "scored_customers"
    if query.metric == "customers" and "churn_risk" in query.group_by:
        query.metric = "scored_customers"


def _whole_period_ahead(query: Query) -> None:
    """For dates in the future (expected close), "this quarter" is the whole quarter, not up to today."""
    metric = semantic.model().metric(query.metric)
    period = query.period
    if not metric.forward_looking or period is None or not period.label.startswith("this "):
        return
    grain = period.label.split(" ", 1)[1]
    if grain in ("week", "month", "quarter", "year") and period.start:
        start, end = whole_period(period.start, grain)
        query.period = Period(start, end, period.label)
