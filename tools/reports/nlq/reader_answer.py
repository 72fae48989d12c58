"""The answer's last shape, once the measure, filters and periods are read: one person or record, a list or a
figure, its columns and order, the accounts that are meant by "customers", then the checks that ask back or refuse.
Also whether a question asks for one row or every row, and for a count.

A mixin of the reader's builder (reader_builder.Builder): it reads ``self.raw``, ``self.mentions``, ``self.tokens`` and
the markers read, and changes the query being built.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import DAYS_OVERDUE, outside_the_measure, same_sum
from tools.reports.nlq.reader_focus import ONE_FIGURE, OWNERS_TEAM
from tools.reports.nlq.reader_lists import (
    each_named_account,
    lists_lost_deals,
    most_recent_first,
    rank_open_records,
)
from tools.reports.nlq.types import Reading, Refusal
from tools.reports.query import Filter, Query
from tools.reports.timewords import Period, whole_period

ABOUT_WHAT = re.compile(
    r"\bwhat(?:'?s|\s+(?:are|were|is|was))?\s+(?:(?:they|those|these|it|each(?:\s+one)?|the\s+tickets?)\s+)?about\s*[?.!]*\s*$|"
    r"\bwhat\s+(?:they'?re|it'?s|they\s+are|it\s+is)\s+about\b|"
    # "which account + what the ticket is about"
    r"\bwhat\s+(?:the|each|that|those|these)\s+tickets?\s+(?:is|are|was|were)\s+about\b|"
    # "all high priority tickets still open, and which company they're from": each ticket, with its account
    r"\b(?:which|what)\s+(?:company|companies|account|accounts|customer|customers|client|clients)\s+"
    r"(?:they'?re|they\s+are|it'?s|it\s+is|each\s+(?:one\s+)?is|they\s+(?:come|came))\s+(?:from|with|for)\b|"
    # "list the high-priority tickets still in open status - which account is each one for?"
    r"\b(?:which|what)\s+(?:company|account|customer|client)\s+(?:is\s+)?each(?:\s+one)?\s+(?:is\s+)?(?:from|with|for)\b|"
    # "which accounts have urgent tickets still open? show the subject too": each ticket, with its subject
    r"\b(?:show|with|w/|plus|and|incl(?:uding)?)\s+(?:the\s+|their\s+|its\s+)?subjects?\b"
)


WHICH_ACCOUNTS_HAVE = re.compile(
    # "do any of my accounts have tickets still open? which ones + how many each" (a count asked per account)
    r"^\W*(?:(?:do|does|have|has)\s+)?any\s+of\s+(?:my|our|the|askers)\s+(?:customers|accounts|clients|companies)\s+"
    r"(?:still\s+|also\s+)?(?:have|has|owe)\b(?=.*\b(?:which\s+ones|how\s+many\s+each|each)\b)|"
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:[\w&'-]+\s+){0,5}?(?:customers|accounts|clients|companies|custs|accts)\s+"
    r"(?:(?:in|from|at)\s+(?:the\s+)?[\w&'-]+\s+)?(?:(?:are|is)\s+(?:[\w-]+\s+){1,4}?(?:and|&)\s+)?"
    r"(?:also\s+|still\s+)?(?:have|has|had|owe|with)\b|"
    # "which of my accounts paid by cheque last month?": the accounts, not each payment
    # ("which customers paid us by check in october": the payments, as before)
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:of\s+(?:my|our|the)\s+)?(?:accounts|companies|accts)\s+"
    r"(?:have\s+|has\s+)?(?:paid|pay|made\s+(?:a\s+)?payments?|bought|purchased)\b|"
    # "which of my accounts are overdue on invoices, and how much is each one behind?"
    r"^\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:of\s+(?:my|our|the)\s+)?(?:customers|accounts|clients|companies|custs|accts)\s+"
    r"(?:are|is)\s+(?:still\s+)?(?:(?:more\s+than|over|at\s+least)\s+\d+\s+days?\s+)?(?:overdue|behind|late|past\s+due)\b|"
    # "customers we haven't contacted in 90 days that still have an outstanding balance", "EMEA customers flagged
    # high churn risk that also have overdue invoices - how much for each"
    r"^\W*(?:(?!(?:from|of|for|with|by|to|at|on|in|about|deals|invoices|tickets|payments|leads)\b)[\w&'-]+\s+){0,4}?"
    r"(?:customers|accounts|clients|custs|accts)\b[^?.!]{0,80}?\b(?:that|who|which)\s+"
    r"(?:still\s+|also\s+)?(?:have|has|owe)\b"
)


# the dates a record's event happened on (won or lost, paid, churned, became a customer): "newest first" is by them
_WHEN_IT_HAPPENED = frozenset(
    ["deals.closed_at", "payments.paid_at", "companies.churned_at", "companies.customer_since"]
)
# "customers with 3 or more overdue invoices?", "customers with an overdue invoice that nobody has contacted in 60 days"
_CUSTOMERS_WITH = re.compile(
    r"^\W*(?:(?:list|show|pull|give\s+me|find)\s+(?:me\s+)?(?:all\s+|the\s+)?)?(?:our\s+|any\s+)?(?:[\w&'-]+\s+){0,2}?"
    r"(?:customers|custs)\s+(?:that\s+|who\s+|which\s+)?(?:with|have|has|having|owing|still\s+owing|still\s+have)\b"
)
_TOP_CUSTOMERS = re.compile(
    r"\b(?:top|bottom|biggest|largest|best|worst|\d+)\s+(?:\d+\s+|ten\s+|five\s+|three\s+)?customers\b"
)


class AnswerShape:
    """The last shape of the answer (``_shape_answer``) and how many rows a question asks for."""

    def _shape_answer(self, query: Query, base: str, thresholds, previous: Query | None) -> Reading | Refusal:
        """The answer's last shape: one person or record, a list or a figure, its columns and order; then the checks."""
        model = semantic.model()
        self._this_person(query, base)
        someone = re.search(r"\b(?:he|she|him|his|her|hers)\b", self.raw)
        if (
            someone
            and query.owner is None
            and not any(f.dimension in ("rep", "customer", "team") for f in query.filters)
            and "rep" not in query.group_by
            and not (previous is not None and any(f.dimension == "rep" for f in previous.filters))
        ):
            # "list the accounts he owns" with no one named before: never everyone's
            return Refusal(
                f'Who is "{someone.group(0)}"? Name the person, e.g. "accounts owned by Jane Doe".',
                [],
                kind="clarify",
            )
        self._single_record(query, base)
        if self.account_owner:
            query.group_by, query.order, query.limit, query.list_records = [], None, None, True
            if OWNERS_TEAM.search(self.raw) and "team" not in query.columns:
                query.columns.append("team")  # "who owns Acme and what team are they on?"
        elif self._one_accounts_value_and_owner(query, base):
            # "since when has Acme been a customer, and whose account is it": the value beside its owner
            query.group_by, query.order, query.limit = ["rep"], None, None
        self._records_with_column(query, base)
        if (
            WHICH_ACCOUNTS_HAVE.match(self.raw)
            and not (
                self.columns_asked
                or (
                    re.search(r"\b(?:amounts?|values?|how\s+much)\b|\$", self.raw)
                    and not re.search(r"\beach\b", self.raw)
                )
            )
            and base not in ("companies", "customer_insights")
            and not query.group_by
            and not query.columns
            and model.dimension_for("customer", base)
        ):
            # "which high churn risk customers have overdue invoices?": the accounts (each with its count),
            # also where the account word is part of a value ("high churn risk customers")
            query.group_by = ["customer"]
            for c in query.thresholds:
                # "... customers have more than 20k overdue": a bound on each account's overdue amount, not on each
                # invoice ("have invoices over 20k" stays on each invoice)
                if c.target == "amount" and _names_the_measure(c.after, query.metric):
                    c.target = "metric"
        which = WHICH_ACCOUNTS_HAVE.match(self.raw) or _CUSTOMERS_WITH.match(self.raw)
        if (
            which
            and query.group_by[:1] == ["customer"]
            and query.limit is None  # (a ranking, "which 5 customers owe us the most", counts every account)
            and base not in ("companies", "customer_insights")
            and re.search(r"\b(?:customers|clients|custs)\b", which.group(0))
            and model.dimension_for("lifecycle_stage", base)
            and not any(f.dimension == "lifecycle_stage" for f in query.filters)
        ):
            # "EMEA customers we haven't touched in 90 days that still have an open balance", "which customers have
            # more than 3 overdue invoices": customers are the accounts in the customer stage (the contract's word),
            # not churned ones still owing
            query.filters.append(Filter("lifecycle_stage", ["customer"]))
        elif (
            query.limit is not None
            and query.group_by[:1] == ["customer"]
            and base not in ("companies", "customer_insights")
            and _TOP_CUSTOMERS.search(self.raw)
            and model.metric(
                query.metric
            ).snapshot  # (revenue last year counts who paid then, churned since or not)
            and model.dimension_for("lifecycle_stage", base)
            and not any(f.dimension == "lifecycle_stage" for f in query.filters)
        ):
            # "top 5 customers by overdue balance": what the contract's customers (lifecycle stage customer) owe now;
            # "top 5 accounts by ..." ranks every account, churned ones still owing too
            query.filters.append(Filter("lifecycle_stage", ["customer"]))
        if ABOUT_WHAT.search(self.raw) and base in ("support_tickets", "activities") and not query.compare_to:
            # "unresolved high priority tickets - which accounts and what about": each ticket, with its subject
            query.group_by, query.list_records, query.order, query.limit = [], True, None, query.limit
        self._created_in_the_period(query)
        self._decide_list(query, thresholds)
        created = [
            c.column for c in query.conditions if c.kind == "dated" and str(c.column).endswith(".created_at")
        ]
        if query.list_records and created and created[0] not in query.columns:
            query.columns.append(
                created[0]
            )  # "open deals created before June 1": each with the day it was created
        _bounded_columns_shown(query, base)
        _the_one_record(query, self.raw)
        _accounts_listed_by_their_value(query, self.raw)
        _ranked_by_the_count_beside(query, self.raw)
        _owed_by_each_account(query, self.raw)
        if self.account_columns and base == "companies":
            query.list_records = True
            query.columns += [c for c in self.account_columns if c not in query.columns]
        if (
            query.limit
            and base == "customer_insights"
            and len(query.group_by) == 1
            and query.group_by[0] != "customer"
            and re.search(
                rf"\b(?:their|its)\s+{re.escape(model.dimensions_by_name[query.group_by[0]].label)}\b"
                if query.group_by[0] in model.dimensions_by_name
                else r"(?!)",
                self.raw,
            )
        ):
            # "biggest by ltv - top 10, and show their churn risk": the ten accounts, each with its churn risk
            query.group_by = ["customer", *query.group_by]
        if query.columns and query.group_by and not query.list_records:
            # "top 10 customers by LTV, with their churn risk": a column of each account is one more grouping
            for column in list(query.columns):
                if model.dimension_for(column, base) is not None and column not in query.group_by:
                    query.group_by.append(column)
                    query.columns.remove(column)
        if (
            query.list_records
            and model.metric(query.metric).format == "rate"
            and model.metric(query.metric).aggregate not in ("avg", "max", "min")
            and not self.columns_asked
        ):
            # "out of all the deals we wrapped up, what share did we win": the rate, never the deals listed
            query.list_records = False
        if "why" in self.tokens or re.search(r"\bwhy\b", self.raw):
            refusal = self._apply_why(query, base)
            if refusal:
                return refusal
        elif query.list_records and lists_lost_deals(query):
            self._add_reason_column(query, base)
        rank_open_records(query, base)
        most_recent_first(query, self.raw)
        _use_insights_for_risk(query)
        if not ONE_FIGURE.search(self.raw):
            each_named_account(query)
        self._current_customers(query)
        refusal = _status_named_overrides(query)
        if refusal:
            return refusal
        _whole_period_ahead(query, self.raw)
        self._month_behind(query)
        self._month_ahead(query)
        first = re.search(
            # ("oldest due date first": the column named is sorted by after the reading, see remarks.sort_asked)
            r"\b(oldest|earliest|newest|latest|soonest|most\s+recent)\s+(?:[\w-]+\s+){0,3}?(?:first|on\s+top|at\s+the\s+top)\b",
            self.raw,
        )
        if first and query.list_records and not query.sort_column and not query.limit:
            # "high-priority tickets in status open: company, subject, created date, oldest first": by their date
            listed = model.lists.get(base)
            overdue = base == "invoices" and (
                query.metric in ("overdue_invoices", "overdue_amount") or DAYS_OVERDUE in query.columns
            )
            dated = model.time_column_of(query.metric)
            order = "asc" if first.group(1) in ("oldest", "earliest", "soonest") else "desc"
            if overdue:  # "my overdue invoices ... days past due, oldest first": the longest overdue first
                query.sort_column, query.order = "invoices.due_date", order
            elif dated in _WHEN_IT_HAPPENED and dated.split(".")[0] == base:
                # "won deals over $1M this year ... newest first": the most recently won first (never created)
                query.sort_column, query.order = dated, order
            elif listed is not None and listed.age:
                query.sort_column, query.order = listed.age, order
            elif dated and dated.split(".")[0] == base:
                # "customers predicted to churn by September 30, soonest first": by that date
                query.sort_column, query.order = dated, order
        aged = self.markers("aged")
        if aged and not first and not (query.list_records and query.sort_column):
            # "... and whats the oldest due date on it": no figure of ours is the oldest of anything; the records,
            # oldest first, would show it
            word = aged[0].phrase
            return Refusal(
                f'I can\'t give "{word}" as a figure: I can list the records {word} first instead, e.g. '
                f'"{model.base_label(base)} for Acme, {word} first".',
                [],
                kind="unknown",
            )
        refusal = self._created_when(query) or self._check(query)
        if refusal:
            return refusal
        return Reading(query, self.notes + self._ignored_note())

    # ---- one row or every row, counts

    def _singular_subject(self) -> bool:
        """ "which rep won the most" / "who owes the most" ask for one row; "... for each source" asks
        for every row."""
        if re.search(
            r"\b(?:for\s+)?(?:each|every|per)\s+[a-z]+|[?.,;:]\s*(?:by|per)\s+[a-z]+\s*[?.!]*$", self.raw
        ):
            return (
                False  # ("who has the most open leads? by rep": the split said after the question, every row)
            )
        return self._one_subject()

    def _one_subject(self) -> bool:
        if re.search(
            r"\bwhich\s+(?:of\s+(?:my|our|the|those|these|askers)\s+)?(?:[a-z&-]+\s+){1,3}?(?:has|is|was|had)\s+(?:got\s+)?the\s+"
            r"(?:highest|lowest|best|worst|biggest|largest|most|least|smallest)\b",
            self.raw,
        ):
            return True  # "which of my leads has the highest score?": one
        if re.search(
            r"\b(?:what'?s|whats|what\s+is|which\s+is)\s+(?:our|the|my|your)\s+(?:single\s+)?(?:best|top|worst|biggest|"
            r"strongest|weakest|leading)\s+(?:[a-z]+\s+)?[a-z]*[a-rt-z]\b(?!\s+(?:and|&))",
            self.raw,
        ):
            return True  # "whats our best lead source?": one (a word in the plural, "best sources", asks for several)
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

    def _asks_count(self) -> bool:
        """ "how many", "number of", "#": the question counts."""
        return self.has_marker("count") or bool({"number", "#"} & set(self.tokens))


def _use_insights_for_risk(query: Query) -> None:
    """ "customers at high churn risk" are the companies the insights job scored, whatever their stage;
    "which of my accounts are flagged high churn risk" lists them with their risk and probability."""
    insight_dims = {"churn_risk"}
    if query.metric == "customers" and any(f.dimension in insight_dims for f in query.filters):
        query.metric = "scored_customers"
    if query.metric == "companies" and any(f.dimension in insight_dims for f in query.filters):
        query.metric = "scored_customers"  # only current customers have a churn risk
    if query.metric == "customers" and "churn_risk" in query.group_by:
        query.metric = "scored_customers"


def _status_named_overrides(query: Query) -> Refusal | None:
    """ "every invoice waiting on approval": a status named outright, outside the measure's own
    statuses (invoiced counts sent and paid), asks for those records, so the same measure without
    that condition (every invoice's total), never an empty answer."""
    model = semantic.model()
    current = model.metric(query.metric)
    base = model.base_of(current)
    for f, column, allowed in list(outside_the_measure(model, current.conditions, base, query.filters)):
        plain = [
            m for m in same_sum(model, current, base) if not any(c.column == column for c in m.conditions)
        ]
        if plain:
            query.metric = plain[0].name
        else:  # "which of those drafts are due before June 15": coming due counts sent invoices only, never drafts
            return Refusal(
                f"{current.label[:1].upper() + current.label[1:]} counts only {', '.join(sorted(allowed))} "
                f"{model.base_label(base)}, so it has none in {', '.join(str(v) for v in f.values)}. Ask for the "
                f'{model.base_label(base)} themselves, e.g. "{", ".join(str(v) for v in f.values)} '
                f'{model.base_label(base)} due before June 15".',
                kind="unknown",
            )
    return None


def _whole_period_ahead(query: Query, raw: str) -> None:
    """For dates in the future (expected close), "this quarter" is the whole quarter, not up to today; "earlier
    this month", "so far this quarter" stay up to today ("invoices that came due earlier this month")."""
    metric = semantic.model().metric(query.metric)
    period = query.period
    if not metric.forward_looking or period is None or not period.label.startswith("this "):
        return
    if re.search(r"\b(?:earlier|so\s+far)\s+this\b|\bto\s+date\b|\b[mqy]td\b|\bcreated\b", raw):
        return  # ("open deals created this year": up to today, the days they were created)
    grain = period.label.split(" ", 1)[1]
    if grain in ("week", "month", "quarter", "year") and period.start:
        start, end = whole_period(period.start, grain)
        query.period = Period(start, end, period.label)


def _bounded_columns_shown(query: Query, base: str) -> None:
    """ "list the prospects in APAC with more than 1000 employees": each record shows the value it was bounded on, where
    the list's usual columns don't."""
    if not query.list_records:
        return
    entry = semantic.model().lists.get(base)
    shown = {c.column for c in entry.columns} if entry is not None else set()
    for c in query.thresholds:
        if c.target == "column" and c.column and c.column not in shown and c.column not in query.columns:
            query.columns.append(c.column)


def _names_the_measure(word: str | None, metric: str) -> bool:
    """Whether the word after a number names the question's measure ("20k overdue" of the overdue amount)."""
    from tools.reports.lexicon import lexicon

    return bool(word) and any(
        sense.kind == "metric" and sense.name == metric for sense in lexicon().get(word.lower(), ())
    )


_WHICH_ONE_HAS_THE_MOST = re.compile(
    r"\b(?:which|what)\s+(?:open\s+|single\s+|one\s+)?(?:lead|deal|opportunity|opp|invoice|ticket|payment)\s+(?:has|had|is|was|got)\s+"
    r"(?:the\s+)?(highest|lowest|biggest|largest|smallest|best|worst|top|most|least)\b"
)


_LISTS_ACCOUNTS = re.compile(
    r"^\W*(?:(?:pls|please|can\s+you|could\s+you)\s+)*(?:list|show(?:\s+me)?|which|give\s+me)\b[^?]*?"
    r"\b(?:accounts|customers|clients|accts)\b"
)


def _accounts_listed_by_their_value(query: Query, raw: str) -> None:
    """ "list my accounts that are medium or high churn risk, most likely to churn first": those accounts listed
    (each with its risk, score and LTV), in the order of the value said, not one column of them ranked."""
    model = semantic.model()
    metric = model.metric(query.metric)
    entry = model.lists.get(metric.base)
    if (
        query.group_by != ["customer"]
        or query.list_records
        or query.limit is not None
        or query.compare_to is not None
        or query.also
        or query.thresholds  # ("which APAC customers have a churn probability above 60%": a bar on each, ranked)
        or entry is None
        or metric.base != "customer_insights"  # (an account's own values: health, churn, LTV)
        or entry.rank_dimension != "customer"
        or metric.column not in [c.column for c in entry.columns]
        or not query.filters
        or not _LISTS_ACCOUNTS.search(raw)
    ):
        return
    query.group_by, query.list_records, query.sort_column = [], True, metric.column
    query.order = query.order or "desc"


_BY_THE_COUNT = re.compile(
    r"\b(?:sorted|ordered|ranked|sort|order|rank)\s+(?:them\s+)?by\s+(?:the\s+)?(?:[a-z]+\s+)?(?:count|number)\b"
    r"(?!\s+of\s+\w+\s+(?:amount|value))"
)


def _ranked_by_the_count_beside(query: Query, raw: str) -> None:
    """ "the count of deals and the total amount lost per lost_reason, ordered by deal count descending": the groups
    in the order of the count beside the amount."""
    model = semantic.model()
    if not query.group_by or not query.also or not _BY_THE_COUNT.search(raw):
        return
    if model.metric(query.metric).format == "count":
        return
    counted = next((n for n in query.also if model.metric(n).format == "count"), None)
    if counted is None:
        return
    query.also = [query.metric, *[n for n in query.also if n != counted]]
    query.metric = counted
    query.order = "asc" if re.search(r"\b(?:asc|ascending|smallest|lowest|fewest)\b", raw) else "desc"


def _the_one_record(query: Query, raw: str) -> None:
    """ "which open lead has the highest conversion probability right now?": that one lead, not every lead sorted."""
    said = _WHICH_ONE_HAS_THE_MOST.search(raw)
    if not said or not query.list_records or query.limit is not None or query.group_by:
        return
    query.limit = 1
    query.order = query.order or (
        "asc" if said.group(1) in ("lowest", "smallest", "worst", "least") else "desc"
    )


_OWE = re.compile(r"\b(?:owe|owes|owing)\b")


def _owed_by_each_account(query: Query, raw: str) -> None:
    """ "which high churn risk customers owe us more than 20k past due": a bound on what each account owes in all, never
    on each of its invoices."""
    if query.group_by != ["customer"] or query.list_records or not _OWE.search(raw):
        return
    if semantic.model().metric(query.metric).aggregate != "outstanding":
        return
    for t in query.thresholds:
        if t.target == "balance":
            t.target = "metric"


WHICH_ACCOUNTS_ARE = re.compile(
    r"\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:of\s+)?(?:my|our|the)\s+(?:accounts|customers|clients)\s+(?:are|is|have|owe)\b"
)
_WHICH_OF_THEM = re.compile(r"\W*(?:and\s+|so\s+|ok\s+)?which\s+(?:of\s+(?:them|those|these)|ones)\b")
_EVERY_ROW = re.compile(
    r"[?.!,;-]\s*(?:but\s+|and\s+)?(?:pls\s+|please\s+)?(?:show|list|give|include)\s+(?:me\s+|us\s+)?(?:all|every|each)\s+"
    r"(?:of\s+)?(?:the\s+|them|those)?\s*[a-z]*\s*(?:pls|please)?\s*[?.!]*\s*$"
)


def rows_asked_for(reading: Reading, raw: str, previous: Query | None) -> None:
    """The rows a reading's words ask for: "which of my accounts are overdue and by how much" (each account, with its
    amount), "which lead source converted best in 2025? show me all the sources" (every row of the ranking)."""
    query = reading.query
    which = WHICH_ACCOUNTS_ARE.match(raw) or (
        # (after a list or a split: the records, listed again)
        previous is not None
        and not (previous.list_records or previous.group_by)
        and _WHICH_OF_THEM.match(raw)
    )
    if (
        which
        and not (query.group_by or query.list_records or query.compare_to)
        and semantic.model().base_of(query.metric) in ("invoices", "payments")
        and semantic.model().metric(query.metric).format == "money"
    ):
        # "which of them are overdue and by how much" after what my accounts owe: the accounts, each with its amount
        query.group_by, query.order = ["customer"], "desc"
        reading.notes.append("each account, with its amount")
    if query.limit == 1 and query.group_by and not query.offset and _EVERY_ROW.search(raw):
        # "which lead source converted best in 2025? show me all the sources": the ranking, every row of it
        query.limit = None
        reading.notes.append("every row, best first")
