"""What an answer before points at: the account of a card, the rows of a ranking, the rep of one row, the
records behind a measure ("those five", "their wins", "the top one", "this person", "how many accounts is that").

A mixin of the reader's builder (reader_builder.Builder): it reads ``self.raw``, ``self.focus``, ``self.follow``,
``self.mentions`` and ``self.tokens``, and changes the query being built.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import LAST_CONTACTED
from tools.reports.nlq import context, followup_records
from tools.reports.nlq.types import Reading
from tools.reports.query import Filter, Query

ONE_FIGURE = re.compile(
    r"\b(?:combined|in\s+total|altogether|all\s+together|summed|sum\s+of|total)\b|"
    + followup_records.HOW_MUCH_IN_THOSE.pattern
)

_SHOW_ME_THE = re.compile(
    r"^\W*(?:(?:ok|so|and|now)\s+)?(?:(?:can|could)\s+you\s+)?(?:show|give|pull|get)\s+(?:me\s+|us\s+)?(?:the|its)\b|"
    r"^\W*what\s+(?:are|is|were|was)\s+the\b"
)

_THEM_SHOWN = re.compile(r"\b(?:their|those|these|them|they|'em)\b")

OWNER_OF = re.compile(
    r"\b(?:who(?:'s|s|\s+is)?\s+(?:the\s+)?(?:account\s+)?(?:owner|rep|am|ae|account\s+manager|account\s+executive|"
    r"account\s+lead|salesperson|csm)|"
    r"who\s+(?:owns|handles|manages|looks\s+after|covers|runs)|owner\s+(?:of|on|for))\b"
)
# "who's the account owner there, and which team are they on?": the owner's team too
OWNERS_TEAM = re.compile(r"\b(?:which|what)\s+team\b|\b(?:their|his|her)\s+team\b")

_ACCOUNTS_BEHIND = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:spread\s+)?(?:across|over|among|from|between)?\s*how\s+many\s+(?:different\s+|distinct\s+|unique\s+|separate\s+)?"
    r"(?:customers|accounts|companies|clients|custs|accts)\b(?:\s+(?:is\s+(?:that|this|it)|are\s+(?:those|these|they|in\s+there)|"
    r"does\s+(?:that|this|it)\s+(?:cover|come\s+from|involve)|do\s+(?:they|those|these)\s+(?:cover|come\s+from|belong\s+to)|"
    r"(?:is\s+)?(?:that|this|it)\s+(?:spread|split)\s+(?:across|over)|behind\s+(?:that|this|it|them|those)|"
    r"in\s+(?:that|there|total)|owe\s+(?:that|this|it)|make\s+(?:that|it)\s+up))?\s*[?.!]*\s*$"
)

_THIS_PERSON = re.compile(
    r"\b(?:this|that)\s+(?:person|rep|guy|owner|salesperson|seller|colleague)\b|\b(?:he|she|him)\b"
)

_EACH_OF_THOSE = re.compile(
    r"\b(?:each|every\s+one|all|any)\s+of\s+(?:those|them|these|the\s+above)\b|\btheir\b|"
    r"\b(?:was|is|were|did|does|has)\s+each\b|\beach\s+one\b|"  # "and when was each last contacted"
    r"\b(?:for|of)\s+(?:those|these|them)\b|\bthose\s+(?:(?:two|three|four|five|six|seven|eight|nine|ten|"
    r"\d+)\s+)?(?:reps?|customers?|accounts?|people|guys|sellers|ones|companies|industries|regions|countries|teams)\b"
)

_THE_TOP_ONE = re.compile(
    r"\bthe\s+(?:top|first|#\s*1|number\s+one|no\.?\s*1|leading|winning)\s+(?:one|rep|customer|account|person|guy|"
    r"company|client|seller)\b|\bthe\s+(?:winner|leader|top\s+performer)\b|\b(?:the\s+)?#\s*1\s+(?:one|rep|customer)\b"
)


EACH_OF_THE_ACCOUNTS = re.compile(
    r"\b(?:each|both|all)\s+of\s+(?:them|those|these)\b|\bthem\s+both\b|\bthe\s+two\s+of\s+them\b|"
    r"\b(?:both|the\s+two)\s+(?:accounts|customers|companies|clients)\b|"
    # "ltv for both?" after two accounts' cards
    r"\b(?:for|of|on)\s+(?:both|the\s+two)\s*[?.!]*\s*$"
)


# a short ask right after an account's card: "any open tickets?", "open deals?", "unpaid invoices?"
_SHORT_ASK_AFTER_A_CARD = re.compile(
    r"^\W*(?:(?:and|so|ok|also|any|what\s+about|how\s+about)\W+)*(?:any\s+)?(?:open|overdue|unpaid|outstanding|recent|"
    r"pending|late|past\s+due|active)\b"
)


class Focus:
    """The builder's reading of what the thread's last answer points at."""

    def _accounts_behind(self, previous: Query | None) -> Reading | None:
        """ "spread across how many accounts?", "how many customers is that" after a measure of records kept per
        account: the same records' distinct accounts."""
        if previous is None:  # a question about the account in focus, with no report before it
            return None
        model = semantic.model()
        base = model.base_of(previous.metric)
        if not _ACCOUNTS_BEHIND.search(self.raw) or base in ("companies", "customer_insights"):
            return None
        if "company_id" not in model.sql_tables[base].c or previous.compare_to is not None or previous.also:
            return None
        query = previous.copy()
        query.aggregate, query.list_records, query.columns, query.sort_column = "accounts", False, [], None
        query.order = query.limit = None
        query.drop_share()
        return Reading(query, self.notes + ["counted the accounts behind the previous answer, each once"])

    def _owner_of_previous_account(self, previous: Query | None) -> Reading | None:
        """ "whos the account owner there" after one customer's invoices (or the card of one account): that
        account, with its owner."""
        if not (
            OWNER_OF.search(self.raw)
            and re.search(r"\baccount\b|\bthere\b|\bth(?:at|is)\s+(?:customer|company|client)\b", self.raw)
        ):
            return None
        if self._names_a_customer():
            return None
        one = [
            f
            for f in (previous.filters if previous is not None else [])
            if f.dimension == "customer" and len(f.values) == 1 and not f.negate
        ]
        if not one and self.focus.get("account"):
            one = [Filter("customer", [self.focus["account"]])]
        if not one:
            return None
        query = Query(metric="companies", filters=[Filter("customer", list(one[0].values))])
        query.list_records = True
        if OWNERS_TEAM.search(self.raw):
            query.columns.append("team")  # "... and which team are they on?": the owner's team beside
        return Reading(query, self.notes + [f"the account {one[0].values[0]}, with its owner"])

    def _this_person(self, query: Query, base: str) -> None:
        """ "how many accounts does this person own?" after "who owns Acme": that rep, not Acme."""
        rep = self.focus.get("rep")
        if not rep or not _THIS_PERSON.search(self.raw) or not semantic.model().dimension_for("rep", base):
            return
        query.filters = [f for f in query.filters if f.dimension not in ("rep", "customer")] + [
            Filter("rep", [rep])
        ]
        query.group_by = [g for g in query.group_by if g not in ("rep", "customer")]
        self.notes.append(f'read "{_THIS_PERSON.search(self.raw).group(0)}" as {rep}')

    def _keep_shown(self, query: Query, base: str) -> None:
        """ "the win rate for each of those five" after a top five: those groups, each with the new
        measure; not a new top five by it. "whats their combined LTV", "how much LTV is sitting in those
        10": one figure over those ten, not over every account."""
        shown = self.focus.get("shown") if isinstance(self.focus.get("shown"), dict) else None
        if not shown:
            if (
                query.group_by == ["customer"]
                and self.follow.refers
                and ONE_FIGURE.search(self.raw)
                and not self.has_marker("group")
            ):
                # "total pipe on those" after the accounts that have open deals: one figure over them (the
                # conditions that picked them are kept)
                query.group_by, query.order, query.limit = [], None, None
                self.notes.append("one figure over the accounts of the previous answer")
            return
        model = semantic.model()
        for dim, values in shown.items():
            if not values or not model.dimension_for(dim, base):
                continue
            if dim in query.group_by and self.follow.refers and ONE_FIGURE.search(self.raw):
                query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, list(values))]
                query.group_by = [g for g in query.group_by if g != dim]
                query.order = query.limit = None
                self.notes.append(f"one figure over the {len(values)} {dim}s of the previous ranking")
                return
            one = len(values) == 1 and self.follow.refers and _THEM_SHOWN.search(self.raw)
            if dim in query.group_by and (_EACH_OF_THOSE.search(self.raw) or one):
                # ("when did we last touch them?" after the one account that raised the most: that account)
                query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, list(values))]
                query.order = query.limit = None
                self.notes.append(f"kept the {len(values)} {dim}s of the previous ranking")
                if query.metric == "last_contacted" and query.group_by == ["customer"] and not query.period:
                    # "when did we last talk to each of them?": each of those accounts, the ones never contacted too
                    # (a date per account's activities would leave them out)
                    query.metric, query.group_by, query.list_records = "companies", [], True
                    query.filters = [
                        f for f in query.filters if model.dimension_for(f.dimension, "companies")
                    ]
                    query.columns = [LAST_CONTACTED]
                return
            named = any(f.dimension == dim for f in query.filters)
            if (
                dim not in query.group_by
                and not named
                and self.follow.refers
                and _THEM_SHOWN.search(self.raw)
            ):
                query.filters = [*query.filters, Filter(dim, list(values))]
                self.notes.append(f"kept the {len(values)} {dim}s of the previous ranking")
                return

    def _apply_focus(self, query: Query, base: str) -> None:
        """ "list all of their wins" after an answer of one row: "their" is that row's rep (for deals
        and leads, which reps own) or customer (for what hangs off an account); "the top one" after a
        ranking is its first row."""
        top = self.focus.get("top") if isinstance(self.focus.get("top"), dict) else None
        if top and _THE_TOP_ONE.search(self.raw):
            model = semantic.model()
            for dim in ("rep", "customer"):
                value = top.get(dim)
                if value and dim in query.group_by and query.limit == 1 and model.dimension_for(dim, base):
                    # "the health score of the top one": that row's, not a new ranking of one
                    query.group_by = [g for g in query.group_by if g != dim]
                    query.order = query.limit = None
                if value and model.dimension_for(dim, base) and dim not in query.group_by:
                    query.filters = [f for f in query.filters if f.dimension != dim] + [Filter(dim, [value])]
                    if not query.group_by and not query.list_records:
                        query.order = query.limit = None  # "top" named the row, not a ranking
                    self.notes.append(f'read "the top one" as {value}')
                    return
        several = self.focus.get("accounts") or []  # the accounts the thread has been about, latest last
        last_one = self.focus.get("account") or self.focus.get("customer")
        if (
            len(several) > 1
            and last_one == several[-1]  # the last answer was about the last account named, not a ranking
            and EACH_OF_THE_ACCOUNTS.search(self.raw)
            and semantic.model().dimension_for("customer", base)
            and not any(f.dimension == "customer" for f in query.filters)
        ):
            # "when was each of them last contacted" after Triton Manufacturing's health, then Axion Express's
            two = 2 if re.search(r"\bboth\b|\bthe\s+two\b", self.raw) else len(several)
            query.filters.append(Filter("customer", list(several[-two:])))
            if not query.list_records and "customer" not in query.group_by:
                query.group_by = ["customer", *query.group_by]
            self.notes.append(
                f'read "{EACH_OF_THE_ACCOUNTS.search(self.raw).group(0)}" as {", ".join(several[-two:])}'
            )
            return
        account = self.focus.get("account")  # the account of the card just shown
        them = context.THEM.search(self.raw)
        one = self.focus.get("customer")  # the one account of the last answer ("which acct raised the most")
        if (
            not account
            and one
            and not self.focus.get("rep")  # (a row with its rep: "their wins" are the rep's, below)
            and them
            and semantic.model().dimension_for("customer", base)
            and not any(f.dimension == "customer" for f in query.filters)
        ):
            # "when did we last touch them?" after the account that raised the most tickets: that account
            query.filters.append(Filter("customer", [one]))
            if "customer" in query.group_by and query.limit:
                query.group_by = [g for g in query.group_by if g != "customer"]
                query.order = query.limit = None
            self.notes.append(f'read "{them.group(0)}" as {one}')
            return
        if account and them and re.match(r"th(?:is|at)\s", them.group(0)) and query.group_by == ["customer"]:
            query.group_by, query.order, query.limit = (
                [],
                None,
                None,
            )  # "that account" names it, splits nothing
        if (
            account
            and them
            and semantic.model().dimension_for("customer", base)
            and not any(f.dimension == "customer" for f in query.filters)
            and "customer" not in query.group_by
        ):
            query.filters.append(Filter("customer", [account]))
            self.notes.append(f'read "{them.group(0)}" as {account}')
            return
        if (
            account
            and base == "customer_insights"
            and not (query.group_by or query.list_records or query.owner or query.filters or query.compare_to)
            and re.search(
                r"\b(?:breakdown|break\s*down|split|components?|parts?|driving|drives|drove|made\s+up\s+of|behind\s+(?:it|that))\b",
                self.raw,
            )
            and not re.search(
                r"\b(?:avg|average|mean|median|overall|all|our|total|across|typical|every)\b", self.raw
            )
        ):
            # "breakdown? engagement / payment / support scores" right after an account's card: that account's
            query.filters.append(Filter("customer", [account]))
            self.notes.append(f"read the breakdown as {account}'s")
            return
        if (
            account
            and base not in ("customer_insights", "companies")
            and semantic.model().dimension_for("customer", base)
            and len(self.tokens) <= 5
            and _SHORT_ASK_AFTER_A_CARD.match(self.raw)
            and not (query.group_by or query.owner or query.compare_to)
            and not any(
                f.dimension in ("customer", "rep", "team", "region", "country") for f in query.filters
            )
            and not set(self.tokens)
            & {
                "our",
                "we",
                "all",
                "overall",
                "everyone",
                "company",
                "whole",
                "customers",
                "accounts",
                "my",
                "total",
            }
        ):
            # "pull up Blue Way Systems", then "any open tickets?": that account's, never everyone's
            query.filters.append(Filter("customer", [account]))
            self.notes.append(f"read it as {account}'s, the account just shown")
            return
        if (
            account
            and (base == "customer_insights" or query.metric == "last_contacted")
            and not (query.filters or query.group_by or query.list_records or query.owner)
            and (
                len(self.tokens) <= 4
                or _SHOW_ME_THE.match(self.raw)
                or re.search(r"\b(?:it|its|it's)\b", self.raw)
                # "and when did we last reach out" right after the card: to that account
                or (query.metric == "last_contacted" and re.match(r"\W*(?:and|so|ok|also)\b", self.raw))
            )
            and not (self.has_marker("avg") or self.has_marker("total"))
            and not set(self.tokens) & {"our", "all", "overall", "everyone", "company", "whole", "customers"}
        ):  # "payment score?", "show me the engagement / payment / support scores", "and when did we last reach out" right after Bramble
            # Express's card: Bramble Express's
            query.filters.append(Filter("customer", [account]))
            self.notes.append(f"read it as {account}'s")
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
