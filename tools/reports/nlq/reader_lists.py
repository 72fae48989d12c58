"""Deciding whether a question asks for records (a list) or a figure, and which columns and order the list has."""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import BALANCE, LAST_CONTACTED
from tools.reports.lexicon import expand_abbreviations, lexicon
from tools.reports.nlq.kinds import (
    GENERIC_METRICS,
    RECORD_METRICS,
)
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.nlq.words import (
    Mention,
)
from tools.reports.query import Filter, Owner, Query, RecordCondition, Threshold

_THE_BIGGEST_RECORD = re.compile(
    r"\b(?:the|my|our|their)?\s*(?:(smallest|tiniest)|biggest|largest|single\s+biggest|single\s+largest)\s+"
    # ("whats the biggest negotiation deal in there": a word of its own between)
    r"(?:open\s+|won\s+|lost\s+|(?!(?:of|in|on|for|per|by)\b)[a-z][\w-]*\s+)?(?:deal|opportunity|opp|invoice|payment)\b(?!s)"
)

# "5 biggest overdue invoices, by what's still owed": those invoices, each ranked by its own amount
_N_BIGGEST_RECORDS = re.compile(
    r"\b(?:top\s+)?\d+\s+(?:biggest|largest|highest|smallest)\s+(?:[a-z-]+\s+){0,2}?(?:deals|invoices|payments|opps)\b"
)

_TOP_N_RECORDS = re.compile(
    r"\b(?:top|bottom|biggest|largest)\s+\d+\s+(?:[a-z-]+\s+){0,2}?(?:deals|opps|opportunities|invoices|payments)\b|"
    # "5 biggest open deals on my team"
    r"\b\d+\s+(?:biggest|largest|smallest|top|oldest|latest)\s+(?:[a-z-]+\s+){0,2}?(?:deals|opps|opportunities|invoices|payments)\b"
)

_ANY = re.compile(r"\b(?:any|anything)\b")  # "any deals slipping?", "anything overdue?": the records


def _asks_records(raw: str) -> bool:
    return bool(_WHATS_IN.search(raw) or _ANY.search(raw))


_EACH = re.compile(r"\b(?:on|for|of)\s+each(?:\s+one)?\s*[?.!]*$")  # "... how much is left on each?"
_WHATS_IN = re.compile(
    r"\bwhat(?:'?s|\s+is|\s+are)\s+(?:in|inside|behind)\b|\bwhat\s+makes\s+up\b|"
    # "whats sitting in draft or pending approval", "what's stuck in negotiation": the records there
    r"^\W*(?:(?:and|ok|so)\W+)?what(?:'?s|\s+is|\s+are)\s+(?:still\s+)?(?:sitting|stuck|waiting|parked|hanging)\s+(?:in|at|on)\b"
)


_RECENT = re.compile(
    r"\b(?:last|latest|newest|most\s+recent|recent)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty)\s+(?!days?\b|weeks?\b|months?\b|quarters?\b|years?\b)|\b\d+\s+(?:most\s+recent|latest|newest)\b"
)


def most_recent_first(query: Query, raw: str) -> None:
    """ "last 5 payments from Acme", "the 10 most recent deals": the records newest first (by the
    date the measure is placed in time), not the biggest."""
    first = _FIRST_ONE.search(raw)
    if (
        first
        and first.group(2)
        and not query.list_records
        and not query.group_by
        and query.compare_to is None
    ):
        query.list_records = True  # "when did bramble logic first pay us?": that payment, never their total
    if query.list_records and query.limit is None and query.order is None and first:
        # "when did their first payment come in", "their latest invoice": one record, by its date
        time_column = semantic.model().metric(query.metric).time_column
        if time_column:
            oldest = next(g for g in first.groups() if g) in ("first", "earliest", "oldest")
            query.sort_column, query.order, query.limit = time_column, "asc" if oldest else "desc", 1
        return
    if not (query.list_records and query.limit and _RECENT.search(raw)):
        return
    time_column = semantic.model().metric(query.metric).time_column
    if time_column:
        query.sort_column, query.order = time_column, "desc"


_WHICH_ACCOUNTS = re.compile(
    r"\s*(?:which|what)\s+(?:[a-z]+\s+){0,3}?(?:customers|accounts|companies|clients)\b"
)
# a question that is a noun phrase naming accounts with a clause of what they did ("customers that churned
# this month + the date", "new customers signed this month"): the accounts themselves
_ACCOUNTS_THAT = re.compile(
    r"^\s*(?:(?:the|all|any|new|our|my|which)\s+)*(?:customers|companies|accounts|clients)\s+"
    r"(?:that|who|which|we\s+(?:signed|won|lost|acquired|added|onboarded)|signed|churned|acquired|added|onboarded|"
    r"since|won|lost|gained|predicted|expected|likely|at\s+risk)\b"
)
# a question that is a noun phrase naming records with a clause of what we did to them ("deals we closed won
# this week?", "invoices we sent yesterday"): the records themselves
# the columns that name one record ("invoice number, company, total"): the records are asked for
_EACH_ACCOUNT = re.compile(
    r"\b(?:on|for|of|at|by)\s+(?:each|every)\s+(?:one\s+)?(?:of\s+)?(?:my|our|the|their|his|her)?\s*"
    r"(?:customers?|accounts?|companies|company|clients?|accts?)\b|\bper\s+(?:customer|account|company|client)\b"
)
_RECORD_COLUMNS = {
    "number",
    "invoice number",
    "invoice",
    "invoice #",
    "deal",
    "deal name",
    "deal names",
    "id",
    "ids",
    "ticket id",
    "subject",
    "subjects",
}
_BIGGEST_FIRST = re.compile(
    r"\b(biggest|largest|highest|smallest|lowest)\s+(balance|amount|total|value)s?\s+(?:first|on\s+top|at\s+the\s+top)\b"
)


# the computed columns of invoices, by the names people give them (shown where asked, never a dimension)
DAYS_LATE_NAMES = {"days overdue", "days late", "days past due", "days outstanding"}
PAID_SO_FAR_NAMES = {
    "paid to date",
    "paid so far",
    "amount paid",
    "already paid",
    "amount paid so far",
    "amount paid to date",
}
_COMPUTED_COLUMNS = DAYS_LATE_NAMES | PAID_SO_FAR_NAMES
_MY_RECORDS = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+)?(?:my|all\s+my|all\s+of\s+my)\s+(?:[\w-]+\s+){0,3}?(?:deals|invoices|leads|tickets|"
    r"opportunities|opps)\s*[?.!]*\s*$"
)
_RECORDS_WE = re.compile(
    r"^\s*(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?:deals|invoices|payments|tickets|leads|opportunities|opps)\s+"
    r"(?:that\s+|which\s+)?(?:we|i)\s+(?:have\s+|had\s+|just\s+)?(?:won|lost|closed|signed|sent|issued|received|booked|"
    r"created|opened|got|collected|logged)\b(?![^?]*\b(?:how\s+many|number\s+of|count|total)\b)"
)
# "open deals that were supposed to close in Q4", "deals which slipped": records described by a clause, not counted
_RECORDS_WITH_A_CLAUSE = re.compile(
    r"^\W*(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?:[\w'-]+\s+(?:and\s+)?){0,4}?(?:deals|opportunities|opps|tickets|leads|"
    r"invoices|payments)\s+(?:(?:from|in|of|for|since)\s+(?:[\w'-]+\s+){1,3}?)?(?:that|which|where|whose)\s+"
    r"(?!.*\b(?:how\s+many|number\s+of|count|total|sum|average|avg)\b)"
)
_FIRST_ONE = re.compile(
    r"\b(?:the|their|its|his|her|my|our|[a-z]+'s|[a-z]+s')\s+(first|earliest|oldest|last|latest|newest|most\s+recent)\s+"
    r"(?:payment|invoice|deal|ticket|activity|contact|order|purchase|meeting|call|email)\b|"
    # "when did lighthouse credit last pay us anything": their latest payment
    r"\bwhen\s+(?:did|has|have)\s+(?:[\w&'.-]+\s+){1,5}?(first|last)\s+(?:pay|paid)\b"
)


def records_of_conditions(query: Query) -> None:
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


def column_named(word: str | None, base: str) -> str | None:
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
            own = m.aggregate == "sum" and m.column and m.column.split(".")[0] == base  # "LTV above 50k"
            if (
                m.column
                and (m.aggregate in ("avg", "max", "min") or own)
                and model.reachable(base, m.column.split(".")[0])
            ):
                table, name = m.column.split(".", 1)
                if table != base and name in model.sql_tables[base].c:
                    # "open leads at companies with 1000+ employees": the lead's own employee count (a lead's
                    # account exists only once it converts)
                    return f"{base}.{name}"
                return m.column
    return None


def per_record_column(metric, base: str) -> str | None:
    """An average of a record column ("average health") compared with a number, ungrouped, is about
    each record: "which ones are under 75" lists the accounts whose health is under 75."""
    per_record = metric.aggregate == "avg" and metric.column and metric.format != "money"
    if per_record and semantic.model().reachable(base, metric.column.split(".")[0]):
        return metric.column
    return None


def rank_open_records(query: Query, base: str) -> None:
    """ "top 5 leads": the open ones (a lead converted or lost is no lead to work), unless a status is named."""
    entry = semantic.model().lists.get(base)
    if not (query.list_records and query.order and entry and entry.rank_open and entry.open):
        return
    status = {entry.open.dimension, entry.status}
    if not any(f.dimension in status for f in query.filters):
        query.filters.append(Filter(entry.open.dimension, list(entry.open.values)))


def _lost_metric(query: Query) -> bool:
    metric = semantic.model().metric(query.metric)
    return any(c.op == "eq" and c.value == "closed_lost" for c in metric.conditions) or any(
        "closed_lost" in f.values and not f.negate for f in query.filters
    )


def lists_lost_deals(query: Query) -> bool:
    """A list of deals that were lost shows why (the lost reason) without being asked."""
    return _lost_metric(query)


def _one_account(query: Query) -> bool:
    """ "open deals for Acme", "Acme's tickets", "open invoices for West Ridge Data and Apex Payments": one (or two or
    three named) accounts' records are few; show them."""
    return any(f.dimension == "customer" and len(f.values) <= 3 and not f.negate for f in query.filters)


# "deals in negotiation w/ rep + amount": the records, with those columns
_WITH_RECORD_COLUMNS = re.compile(
    r"\b(?:deals|opps|opportunities|invoices|tickets|leads|payments|wins)\b.*\b(?:with|w/|plus|and)\s+(?:the\s+)?(?:rep|"
    r"owner|amount|amounts|value|stage|close\s+date|due\s+date|balance|subject|source|score|who\s+(?:closed|won|owns))s?\b"
)


class ListShape:
    """The builder's list decisions: records or a figure, their columns, order and reasons."""

    def _rank_the_team(self, query: Query, base: str) -> None:
        """ "rank my team by open pipeline", "who on my team booked the most": one row per rep of the team."""
        team = isinstance(self.owner, Owner) and self.owner.scope == "team"
        ranks = self.ranked or re.search(
            r"\b(?:rank|ranked|ranking|leaderboard|who\s+on|each\s+(?:rep|person))\b|"
            # "which reps on my team have qualified leads, how many each"
            r"\b(?:which|what)\s+(?:reps|people|sellers|aes)\b|\bhow\s+(?:many|much)\s+(?:for\s+)?each\b",
            self.raw,
        )
        # "team deals in negotiation w/ rep + amount, biggest first": the deals, sorted; a rank of reps is said
        # ("top 5 open deals across my team": the team's five biggest deals, not its five reps with most deals)
        records = (
            _WITH_RECORD_COLUMNS.search(self.raw)
            or _TOP_N_RECORDS.search(self.raw)
            # "biggest deal my team won this month": that one deal, not the rep with the most deals
            or re.search(
                r"\b(?:biggest|largest|smallest|highest|lowest|oldest|newest)\s+(?:single\s+)?"
                r"(?:deal|invoice|payment|ticket|opportunity|opp)\b(?!s)",
                self.raw,
            )
        ) and not re.search(
            r"\b(?:rank|ranked|ranking|leaderboard|who\s+on|each\s+(?:rep|person)|per\s+rep|by\s+rep)\b",
            self.raw,
        )
        if (
            team
            and ranks
            and not records
            and not query.group_by
            and semantic.model().dimension_for("rep", base)
        ):
            query.group_by = ["rep"]
            self.ranked = True

    def _rank_per_record(self, query: Query, base: str) -> None:
        """ "lowest health scores in EMEA, bottom 5": a ranked per-account measure is ranked per account;
        "5 biggest unpaid invoices": the invoices themselves, ranked (by what is still owed)."""
        entry = semantic.model().lists.get(base)
        ranked = (query.order or query.limit) and not query.group_by and query.metric not in RECORD_METRICS
        the_biggest = _THE_BIGGEST_RECORD.search(self.raw)
        if (
            ranked
            and entry
            and (
                self._names_records_of(base)
                or (self.columns_asked and self._says_base_word(base))
                or the_biggest
                or _N_BIGGEST_RECORDS.search(self.raw)
            )
        ):
            metric = semantic.model().metric(query.metric)
            if metric.aggregate in ("sum", "outstanding") and metric.format == "money":
                query.list_records = True
                if query.limit is None and the_biggest:
                    query.limit = 1  # "the biggest invoice we sent last month": that one invoice
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
            # ("average health of customers who have anything past due": the accounts' own rows reach them)
            reaches = condition.kind == "has_records" and model.reachable(base, condition_base)
            if condition_base != base and not reaches:
                return Refusal(
                    f"That condition applies to {model.base_label(condition_base)}, not to "
                    f"{model.base_label(base)}.",
                    kind="unknown",
                )
            found.append(condition)
        if self.aged is not None:
            created = next(
                (
                    m.time_column
                    for m in model.metrics
                    if m.base == base and m.aggregate == "count" and not m.conditions and m.time_column
                ),
                None,
            )
            if created is None:
                return Refusal(
                    f"{model.base_label(base).capitalize()} have no creation date, so I can't tell how old they are.",
                    kind="unknown",
                )
            found.append(RecordCondition("older_than_days", column=created, days=self.aged.days))
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
        if reason_dims and any(g in reason_dims for g in query.group_by):
            return None  # "why? by reason": split by the lost reason already
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
        if (
            self.shape is True
            and entry is not None
            and not (query.group_by or query.compare_to)
            and re.search(r"\b(?:only|just)\s+(?:the\s+ones|those|these|them)\b", self.raw)
        ):
            query.list_records = True  # "only the ones with LTV above 50k" after a list: the list, narrowed
            return
        if counts_records and one_per_record and query.group_by == [per_record] and not comparisons:
            # "which customers are predicted to churn": a count per customer would be 1 each; the customers
            query.group_by, query.list_records = [], True
            return
        metric = model.metric(query.metric)
        per_account = (
            one_per_record
            and (
                query.group_by == [per_record]
                # "high churn risk customers with LTV above $500k: customer, owner, LTV, churn probability": the owner
                # named as a column, not a split
                or (
                    query.group_by[:1] == [per_record]
                    and set(query.group_by[1:]) <= {"rep"}
                    and "owner" in self.columns_asked
                )
            )
        )
        if (
            self.columns_asked
            and per_account
            and (
                metric.aggregate == "avg"
                or (
                    metric.aggregate in ("sum", "max", "min")
                    and model.base_of(query.metric) == "customer_insights"
                )
            )
            and metric.column
            and not (query.also or query.compare_to)
        ):
            for owner in query.group_by[1:]:
                if owner not in query.columns:
                    query.columns.append(owner)
            # each other measure of the account named as a column ("..., LTV, churn probability"): its value beside
            for label in self.columns_asked:
                for sense in lexicon().get(label, ()):
                    other = model.metric(sense.name) if sense.kind == "metric" else None
                    if (
                        other is not None
                        and other.column
                        and other.base == metric.base
                        and other.column != metric.column
                        and other.aggregate in ("avg", "sum", "max", "min")
                        and other.column not in query.columns
                    ):
                        query.columns.append(other.column)
                        break
            # "customers with a health score under 40 - names and account owners": each account's own
            # score, bounded; the accounts listed (an average per account is that account's value); "top 10
            # customers by churn probability, with the owner and predicted churn date": ranked by it
            for c in query.thresholds:
                if c.target == "metric":
                    c.target, c.column = "column", metric.column
            if query.limit:
                query.sort_column = metric.column
            query.group_by, query.list_records = [], True
            if metric.column not in query.columns:
                query.columns.append(metric.column)
            return
        # grouped per account only by an order ("which invoices ...; sort by remaining balance descending",
        # "show me the overdue invoices, biggest balance first"), no split by account said
        by_order_only = query.group_by == [per_record or "customer"] and not re.search(
            r"\b(?:by|per|each|every)\s+(?:(?:one\s+)?of\s+(?:my|our|the|their|his|her)\s+)?(?:customer|account|company|client)s?\b",
            self.raw,
        )
        per_account_by_order = by_order_only and set(self.columns_asked) & _RECORD_COLUMNS
        base = model.base_of(query.metric)
        if (
            self.columns_asked
            and not query.group_by
            and _EACH_ACCOUNT.search(self.raw)
            and base not in ("companies", "customer_insights")
            and model.dimension_for("customer", base)
            and metric.format == "money"
        ):
            # "what is the overdue amount on each of my accounts? company and amount": the amount per account
            query.group_by = ["customer"]
            return
        if (
            self.columns_asked
            and (not query.group_by or per_account_by_order)
            and not (query.also or query.compare_to)
            and entry is not None
        ):
            query.list_records = True  # "deals created this week - name, owner, amount": the deals
            query.group_by = []
            the_one = _THE_BIGGEST_RECORD.search(self.raw)
            if the_one and query.limit is None and not comparisons:
                # "biggest deal won this month? name + amount": that one deal, with those columns
                query.limit = 1
                query.order = query.order or ("asc" if the_one.group(1) else "desc")
            return
        first = _BIGGEST_FIRST.search(self.raw)
        if (
            first
            and self.has_marker("list")
            and entry is not None
            and by_order_only
            and not (query.also or query.compare_to or query.limit)
        ):
            # "show me the overdue invoices on my accounts, biggest balance first": those invoices, in that order
            query.list_records, query.group_by = True, []
            query.order = "asc" if first.group(1) in ("smallest", "lowest") else "desc"
            base = model.base_of(query.metric)
            owed = first.group(2).startswith("balance") and base == "invoices"
            query.sort_column = BALANCE if owed else model.amount_column(base)
            return
        if (
            entry is not None
            and entry.columns
            and _RECORDS_WE.match(self.raw)
            and not any(self.has_marker(k) for k in ("count", "total", "avg"))
            and not (query.group_by or query.also or query.compare_to or query.thresholds)
            and metric.format == "count"
        ):
            query.list_records = True  # "deals we closed won this week?": those deals, a noun phrase
            return
        if (
            entry is not None
            and entry.columns
            and _MY_RECORDS.match(self.raw)
            and not (query.group_by or query.also or query.compare_to or query.limit)
            and metric.format == "count"
        ):
            query.list_records = True  # "my qualified leads?": a noun phrase alone names the records
            return
        if (
            model.base_of(query.metric) == "customer_insights"
            and _WHICH_ACCOUNTS.match(self.raw)
            and not any(self.has_marker(k) for k in ("count", "total", "avg"))
            and not (query.group_by or query.limit or query.compare_to)
        ):
            # "which LATAM customers are at high churn risk? show churn probability and LTV": the accounts,
            # each with those measures of their own
            for name in [query.metric, *query.also]:
                column = model.metric(name).column
                if column and column not in query.columns:
                    query.columns.append(column)
            query.also, query.list_records = [], True
            return
        if query.group_by or query.also or query.compare_to:
            return
        if (
            query.columns
            and entry is not None
            and entry.columns
            and metric.aggregate in ("sum", "count")
            and not (query.limit or comparisons or query.list_records)
            and not any(self.has_marker(k) for k in ("count", "total", "avg"))
        ):
            # "do we have an open deal with Mako Biotech? whats it worth and what stage": the deals, each with
            # its stage (a column of one total is no answer); "the biggest deal won this quarter, with its rep": one
            query.list_records = True
            the_one = _THE_BIGGEST_RECORD.search(self.raw)
            if the_one:
                query.limit, query.order = 1, query.order or ("asc" if the_one.group(1) else "desc")
            return
        the_biggest = _THE_BIGGEST_RECORD.search(self.raw)
        if query.limit is None and entry is not None and entry.columns and not comparisons and the_biggest:
            # "whats the biggest deal in my pipeline": that one deal, not the pipeline's total
            query.list_records, query.limit = True, 1
            query.order = query.order or ("asc" if the_biggest.group(1) else "desc")
            return
        if query.limit and query.limit > 1 and entry is not None and entry.columns and not comparisons:
            # "10 biggest deals in the pipeline": ten of one figure is no answer; the records, ranked
            query.list_records = True
            query.order = query.order or "desc"
            return
        if semantic.model().metric(query.metric).format == "date" and not (query.limit or query.order):
            return  # "when did Acme churn": a date, not the account's record
        if query.metric not in RECORD_METRICS and re.search(r"\blook(?:s|ing)?\s+like\b", self.raw):
            return  # "what's CSAT looking like on urgent tickets this year": the figure
        if query.metric not in RECORD_METRICS:
            # "unpaid invoices over 50k": the records a money measure sums, when a record's amount is bounded
            money_words = self.has_marker("total") or self.has_marker("avg") or self.has_marker("count")
            # ("avg deal size for closed-won deals over $25k": the average, its word inside the measure's name)
            money_words = money_words or bool(re.search(r"\b(?:avg|average|mean|median)\b", self.raw))
            # ("what is the CSAT for those tickets?": the average the measure is, asked as a figure)
            money_words = money_words or bool(
                semantic.model().metric(query.metric).aggregate in ("avg", "rate")
                and re.search(
                    r"\bwhat(?:'s|s|\s+is|\s+was|\s+were|\s+are)\b(?!\s+(?:in|on|at|inside|under)\b)",
                    self.raw,
                )
            )
            # ("Pioneer Carriers - csat on their tickets this year?": the average named, over their tickets)
            money_words = money_words or bool(
                semantic.model().metric(query.metric).aggregate in ("avg", "rate")
                and any(
                    s.kind == "metric" and s.name == query.metric for m in self.mentions for s in m.senses
                )
                and not re.search(r"\b(?:each|every|per|with|showing|including)\b|\bw/", self.raw)
                and not comparisons  # ("qualified leads scoring above 60?": the leads over it)
                and bool(
                    re.search(
                        r"\b(?:on|for|of|across|over)\s+(?:their|his|her|its|the|those|these)\s+(?:[\w-]+\s+)?"
                        r"(?:tickets|deals|invoices|payments|leads)\b",
                        self.raw,
                    )
                )
            )
            base = semantic.model().base_of(query.metric)
            if base == "companies" and not money_words and self._accounts_that():
                query.list_records = True  # "custs that churned so far this month?": the accounts
                return
            record_word = any(
                s.kind == "metric"
                and (
                    s.name in GENERIC_METRICS
                    or s.name in RECORD_METRICS
                    and semantic.model().base_of(s.name) == base
                )
                for m in self.mentions
                for s in m.senses
                # ("what has that account paid us": the account pointed at, no record word)
                if not (m.start > 0 and self.tokens[m.start - 1] in ("that", "this"))
            )
            record_word = record_word or self._says_base_word(base)  # "qualified leads"
            # (a bound on the account's own size, "revenue from companies with 1,000+ employees", filters the figure)
            amount_filter = any(
                c.target in ("amount", "balance")
                or (c.target == "column" and (c.column or "").split(".")[0] in (base, ""))
                for c in comparisons
            )
            if (amount_filter or self.has_marker("list")) and record_word and not money_words:
                query.list_records = True  # "list the overdue invoices with more than 50k still owed on them"
            elif _asks_records(self.raw) and semantic.model().lists.get(base) and not money_words:
                query.list_records = True  # "what's in my pipeline", "anything overdue on their account?"
            elif (
                record_word
                and semantic.model().lists.get(base)
                and (
                    (not money_words and _one_account(query))
                    or _EACH.search(self.raw)
                    or self._what_records()
                )
            ):
                query.list_records = True  # "oakhurst brands - unpaid invoices?": one account's records
            return
        if self.has_marker("count") or self.has_marker("total") or self.has_marker("avg"):
            return
        asks_for_list = (
            self.has_marker("list")
            or self.has_marker("who")
            or _asks_records(self.raw)
            or self._what_records()
            or bool(
                re.match(r"\s*(?:what|which)\s+(?:did|has|have|does|do)\b", self.raw)
                # "what does my pipeline look like", "what does our open pipeline add up to", "what does my team have in
                # open pipeline": the figure
                and not re.search(
                    r"\blooks?\s+like\b|\badds?\s+up\b|\b(?:come|comes|amount|amounts|sum|sums)\s+to\b|\bworth\b|"
                    r"\b(?:have|has|got)\b[^?]{0,12}?\bin\s+(?:the\s+|open\s+|our\s+|my\s+)*(?:pipeline|pipe)\b",
                    self.raw,
                )
            )
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
            sorted_only = query.sort_column and re.search(
                r"\b(?:first|sorted|sort|ordered|ranked)\b", self.raw
            )
            if (
                query.limit is None and not sorted_only
            ):  # ("my leads, highest conversion probability first": all)
                query.limit = 1 if self._metric_word_singular() else 10

    def _asks_for_column(self, m: Mention) -> bool:
        """ "with the reason", "and their owner", "including region": a column beside the records."""
        before = " ".join(self.tokens[max(0, m.start - 2) : m.start])
        if re.search(
            r"(?:\b(?:with|and|plus|including|incl|showing)\s+(?:the|their|its)|\b(?:with|including|incl|showing))$",
            before,
        ):
            return True
        # "with owner and stage": the second of the columns named after "with"
        lead = " ".join(self.tokens[max(0, m.start - 5) : m.start])
        return bool(
            re.search(r"\b(?:with|including|showing)\s+(?:the\s+|their\s+)?[a-z]+(?:\s+[a-z]+)?\s+and$", lead)
        )

    def _accounts_that(self) -> bool:
        """ "customers that churned this month", "custs who signed since june": accounts named with what they did."""
        return bool(_ACCOUNTS_THAT.match(expand_abbreviations(self.raw)))

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
        word = semantic.model().base_label(base).split()[-1]
        # (never a word of a name: "revenue from Apex Payments" names no payments)
        named = {i for m in self.mentions if m.entity for i in range(m.start, m.end)}
        return any(t == word and i not in named for i, t in enumerate(self.tokens))

    def _bare_records(self, query: Query) -> bool:
        """ "deals we lost to price last qtr", "my accounts at high churn risk?": a noun phrase naming
        records of a kind people act on one by one (``lists.<table>.bare_list``), qualified by more
        than a period, asks for the records; "new customers last quarter", "urgent tickets this month"
        are counts. Records worked through as a queue (``worklist``: invoices, tickets, leads) are listed
        so only where no period is said ("invoices stuck in pending approval?"). A follow-up that swaps
        the measure keeps the previous answer's shape."""
        if self.shape is not None:
            return self.shape
        if re.match(
            r"\s*(?:how|what'?s|what\s+(?:is|was|were|are)\s+(?:the|our)\s+(?:number|count|total))\b",
            self.raw,
        ):
            return False
        if self.has_marker("count") or re.match(r"\s*(?:number|count|#|total|no\.?)\b", self.raw):
            return False  # "number of deals in proposal stage": a count
        model = semantic.model()
        entry = model.lists.get(model.base_of(query.metric))
        if entry is not None and entry.columns and _RECORDS_WITH_A_CLAUSE.match(self.raw):
            # "open deals that were supposed to close in Q4 but are still open", "high + urgent tickets that came
            # in this week": records described by a clause, those records
            return True
        if entry is None or not (entry.bare_list or (entry.worklist and query.period is None)):
            return False
        open_dim = entry.open.dimension if entry.open else None
        open_values = {str(v) for v in entry.open.values} if entry.open else set()
        # "open deals this month" is a count; "deals in negotiation expected to close in August" names
        # one stage: a qualifier like any other
        qualifiers = [
            f for f in query.filters if f.dimension != open_dim or {str(v) for v in f.values} < open_values
        ]
        if not entry.bare_list and any(
            f.dimension == open_dim and not f.negate and {str(v) for v in f.values} <= set(entry.done)
            for f in query.filters
        ):
            return False  # "paid invoices?", "closed tickets": records done with, counted
        if not entry.bare_list:  # a worklist: any status but the open ones ("stuck in pending approval")
            qualifiers = [
                f
                for f in query.filters
                if f.dimension != open_dim or {str(v) for v in f.values} != open_values
            ]
        if model.base_of(query.metric) in ("companies", "customer_insights") and self._accounts_that():
            return (
                True  # "customers that churned this month", "new customers signed since june 1": the accounts
            )
        if (
            entry.bare_list
            and query.period is not None
            and query.period.start is not None
            and query.period.end is not None
            and (query.period.end - query.period.start).days < 7
            and not query.compare_to
            and not query.group_by
            and not self._asks_count()  # ("# of deals won last week?": the count)
        ):
            return True  # "deals won this week?", "new customers this week?": a few, each worth seeing
        return bool(qualifiers or query.owner or query.thresholds or query.conditions)

    def _short_follow_up(self, query: Query, previous: Query) -> bool:
        """A message of a few words that names no period, owner, filter or grouping of its own."""
        # ("avg resolution time in hrs?": the unit is no question of its own)
        said = re.sub(
            r"\bin\s+(?:hrs|hours|hour|days|mins|minutes|percent|pct|dollars|usd|eur|k)\b", " ", self.raw
        )
        words = re.findall(r"[a-z0-9]+", said)
        # ("avg deal size per rep?" right after my team's bookings by rep: the same split, another measure)
        same_split = bool(query.group_by) and query.group_by == previous.group_by and len(words) <= 6
        # ("how much $ did we lose to competitors" after the deals lost in July by reason: that row, that month)
        row_of_split = (
            bool(query.filters)
            and not query.group_by
            and len(words) <= 8
            and all(f.dimension in previous.group_by for f in query.filters)
        )
        return (
            (len(words) <= 4 or same_split or row_of_split)
            and query.period is None
            and query.compare_to is None
            and query.owner is None
            and not any(f.dimension in ("customer", "rep") for f in query.filters)
            and (not query.group_by or same_split)
        )

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
        named = (
            self._names_records_of(base)
            or self._says_base_word(base)
            # "the high risk customers in APAC with their predicted churn date": the accounts, one per insights row
            or (base == "customer_insights" and self._names_records_of("companies"))
        )
        if metric.aggregate not in ("avg", "sum", "min", "max") or not model.lists.get(base) or not named:
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
                and self.tokens[m.start - 1] in ("what", "which")
            ):
                return True
        return False

    def _metric_word_singular(self) -> bool:
        for m in self.mentions:
            if any(s.kind == "metric" for s in m.senses):
                return not m.phrase.endswith("s")
        return False


_SORT_SAID_AS = {  # what people call a list's column when they sort by it
    "close date": "expected close",
    "expected close date": "expected close",
    "created date": "created",
    "creation date": "created",
    "due date": "due",
    "issue date": "issued",
    "company": "customer",
    "company name": "customer",
    "customer name": "customer",
    "outstanding amount": "balance",
    "amount outstanding": "balance",
    "amount still owed": "balance",
    "remaining balance": "balance",
    "balance remaining": "balance",
    "invoice total": "total",
    "value": "amount",
    "deal value": "amount",
    "lifetime value": "ltv",
    "health": "health score",
    "probability": "conversion probability",
    "lead score": "score",
}


def sort_by_named_column(reading: Reading, label: str, direction: str | None) -> None:
    """ "... - name, LTV, churn probability, sorted by churn probability descending": the list in that
    column's order (a date or a name ascending unless said; an amount or a score descending)."""
    query = reading.query
    if not query.list_records:
        return
    model = semantic.model()
    entry = model.lists.get(model.base_of(query.metric))
    if entry is None:
        return
    wanted = _SORT_SAID_AS.get(label, label)
    column = next((c for c in entry.columns if c.label == wanted), None)
    if column is None:
        # "..., customer since — sorted by customer since": a column the question added to the list
        added = next(
            (c for c in query.columns if "." in c and c.split(".", 1)[1].replace("_", " ") == wanted), None
        )
        if added is not None:
            query.sort_column, query.order = added, direction or "asc"
            reading.notes.append(
                f"sorted by {wanted}, {'ascending' if query.order == 'asc' else 'descending'}"
            )
        return
    dated = column.format in ("date", "datetime") or column.column.endswith(("_at", "_date", "_since"))
    named = column.column.endswith((".name", "first_name", "last_name", "number", "company_name"))
    query.sort_column = BALANCE if column.expression == "invoice_balance" else column.column
    query.order = direction or ("asc" if dated or named else "desc")
    reading.notes.append(f"sorted by {column.label}, {'ascending' if query.order == 'asc' else 'descending'}")


def each_named_account(query: Query) -> None:
    """ "health score and churn risk for Arbor Trust and Rosewood Goods": an account's own value, for each
    account named (an average over two accounts is nobody's score)."""
    model = semantic.model()
    named = [f for f in query.filters if f.dimension == "customer" and not f.negate and len(f.values) > 1]
    measure = model.metric(query.metric)
    # ("when did we last touch Lynx Insurance, Veritas Financial and Pelican Campus?": each one's last touch)
    dated = measure.format == "date" and measure.aggregate in ("max", "min")
    if (
        named
        and (model.base_of(query.metric) == "customer_insights" or dated)
        and "customer" not in query.group_by
        and not query.list_records
        and query.compare_to is None
    ):
        query.group_by = ["customer", *query.group_by]


def dimension_named(item: str, base: str) -> str | None:
    """The dimension a column name names ("churn risk", "regions") that applies to ``base``, or None."""
    model = semantic.model()
    return next(
        (
            d.name
            for d in model.dimensions
            if {item, item.rstrip("s")} & {d.name, d.label.lower(), *d.synonyms}
            and model.dimension_for(d.name, base)
        ),
        None,
    )


def _names_of(metric: str) -> set[str]:
    """The words the model names a measure by (its label and synonyms): "last touch" is last contacted."""
    entry = semantic.model().metric(metric)
    return {entry.label, *entry.synonyms}


def account_value_named(item: str, base: str) -> str | None:
    """The column of an account's own value a list column's name says ("health score", "LTV"): a per-record
    measure of the account's insights row (one per account), where the listed records are accounts."""
    model = semantic.model()
    if base not in ("companies", "customer_insights"):
        return None
    for metric in model.metrics:
        said = {metric.label.lower(), *(s.lower() for s in metric.synonyms)}
        table = (metric.column or "").split(".")[0]
        if item in said and metric.aggregate in ("avg", "sum", "max", "min") and table == "customer_insights":
            return metric.column
    return None


def show_named_columns(query: Query, named: list[str]) -> None:
    """The columns a list's question names that its usual columns lack ("region" beside each account)."""
    model = semantic.model()
    base = model.base_of(query.metric)
    entry = model.lists.get(base)
    usual = {c.label.lower() for c in entry.columns} if entry is not None else set()
    for item in named:
        if item in _names_of(LAST_CONTACTED) and model.reachable(base, "companies"):
            if LAST_CONTACTED not in query.columns:  # "..., with the score and when we last spoke to them"
                query.columns.append(LAST_CONTACTED)
            continue
        if item in usual or item.rstrip("s") in usual or item in _COMPUTED_COLUMNS:
            continue  # ("days past due", "paid to date": computed columns of invoices, added where asked)
        dim = dimension_named(item, base)
        if dim is not None and dim not in query.columns and dim not in ("customer",):
            query.columns.append(dim)
            continue
        own = account_value_named(item, base)
        if (
            dim is None and own is not None
        ):  # "customers A and B - name, health score, ltv": each account's own
            if own not in query.columns:
                query.columns.append(own)
            continue
        table = model.sql_tables.get(base)
        for name in (item.replace(" ", "_"), item.rstrip("s").replace(" ", "_")):
            ref = f"{base}.{name}"  # "predicted churn date": the record's own column of that name
            if dim is None and table is not None and name in table.c and ref not in query.columns:
                query.columns.append(ref)
                break
