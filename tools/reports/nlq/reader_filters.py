"""Filters and splits of a question: the values named (regions, stages, reps), what is excluded,
"open" records, current customers, and the words that split a measure ("by region", "which reps").

A mixin of the reader's builder (reader_builder.Builder): it reads the builder's tokens, mentions and
markers and fills the query's filters and group_by.
"""

from __future__ import annotations

import re

from tools.reports import semantic
from tools.reports.build import fixed_values
from tools.reports.lexicon import Sense, filler
from tools.reports.nlq.cues import OWNED
from tools.reports.nlq.types import Refusal
from tools.reports.nlq.words import Mention, written_exactly
from tools.reports.query import Filter, Query

_CURRENT_CUSTOMERS = re.compile(
    r"\b(?:current|existing|active|paying)\s+(?:[a-z]{2,6}\s+)?(?:customers?|accounts?|clients?|custs?)\b"
)

# "how much do my customers owe us": what the accounts in the customer stage owe (the contract's customers)
_CUSTOMERS_OWE = re.compile(
    r"\b(?:my|our|the|team'?s)\s+(?:customers|custs|clients)\s+(?:still\s+)?(?:owe|have\s+(?:outstanding|overdue|unpaid))\b"
)
# "how many of my customers have something overdue", "which customers have open tickets": the contract's customers
_CUSTOMERS_HAVE = re.compile(
    r"\b(?:how\s+many|which)\s+(?:of\s+)?(?:my\s+|our\s+|the\s+|team'?s\s+)?(?:customers|custs|clients)\s+(?:still\s+)?"
    r"(?:have|has|got)\b(?!\s+(?:churned|been|we|you|i|they|lost|left|gone|signed|joined|come|renewed)\b)"
)
# "total outstanding from customers we havent contacted in 30+ days": the contract's customers, those of them
_CUSTOMERS_THAT = re.compile(
    r"\b(?:from|for|of|by|among|across|on)\s+(?:our\s+|the\s+|my\s+)?(?:customers|custs|clients)\s+"
    r"(?:we|that|who|which|i)\s+(?:have\s+|haven'?t\s+|havent\s+|didn'?t\s+|did\s+not\s+|have\s+not\s+)?"
    r"(?:contacted|touched|talked|spoken|reached|called|emailed|met)\b"
)
_RECORDS_OF = frozenset(["on", "at", "from", "for", "of", "in", "against", "under"])
_AND_WHO_OWNS_THEM = re.compile(
    r"(?:,|\band\b|\s[-—–+]|[?.]\s)\s*(?:\band\s+)?who(?:'s|s)?\s+(?:owns|owned|has|had|handles|handled|closed|won|is\s+on|was\s+on|works|worked)\s+(?:them|those|these|each(?:\s+one)?|it)\b|"
    # "... and whose are they"
    r"(?:,|\band\b|\s[-—–+])\s*(?:\band\s+)?whose\s+(?:are\s+they|they\s+are|is\s+it|are\s+those|deals\s+are\s+they)\b"
)

_RECORDS_WITH = re.compile(
    r"\W*(?:(?:all|the|any|our|open|new|qualified|working|unpaid|overdue|won|lost)\s+)*(?:leads|deals|invoices|tickets|"
    r"payments)\s+(?:with|that|which|where|whose)\b"
)
_AND_FROM_WHOM = re.compile(
    r"(?:,|\band\b|\s[-—–+])\s*(?:\band\s+)?(?:from\s+whom|for\s+whom|who\s+(?:from|for|to|paid(?:\s+(?:them|those|these|it))?|"
    r"(?:were|was|are|is)\s+(?:they|those|these|it)\s+(?:from|for)|sent\s+(?:them|those|these|it)))"
    r"(?:\s*(?:,|and|&|\+)\s*how\s+much)?\s*[?.!]*\s*$"
)
# "which latam accounts have ...", "which of my accounts owe us money": which ones, a row each
_WHICH_ONES_DO = {
    "have",
    "has",
    "had",
    "with",
    "owe",
    "owes",
    "paid",
    "pay",
    "spent",
    "bought",
    "generated",
    "make",
    "makes",
    "made",
    "account",
    "drive",
    "drove",  # "which latam accounts make up that number"
}
_WHICH_RECORDS = re.compile(r"\s*(?:which|what)\s+(?:\w+\s+)?(?:invoices|payments|deals|tickets|leads)\b")
_EACH_VALUE = re.compile(
    r"\b(?:one\s+(?:number|figure|row|total|line)\s+(?:for\s+|per\s+)?each|(?:for\s+)?each\s+(?:one|of\s+them|separately)|"
    r"separately|respectively|individually|one\s+by\s+one|"
    # "how many leads did referrals and partners each bring in"
    r"each\s+(?:bring|brought|bring\s+in|get|got|generate|generated|produce|produced|have|had|do|did|make|made|book|booked))\b"
)

# "who's booked more this quarter, Lars or Kenji?", "which of EMEA or APAC is growing faster": the values compared
_WHO_MORE = re.compile(
    r"\b(?:who|which)\b[^?]*\b(?:more|most|better|best|higher|highest|less|least|fewer|bigger|biggest|larger|lower|"
    r"lowest|worse|worst|faster|slower|ahead|behind)\b|"
    r"\b(?:more|better|higher|less|fewer|bigger|larger|lower|worse|faster|slower)\b[^?]*,\s*[\w' -]+\s+or\s+[\w' -]+\??\s*$|"
    # "are bookings higher in EMEA or NA": the two compared, a row each (never their sum)
    r"\b(?:more|better|higher|less|fewer|bigger|larger|lower|worse|faster|slower|stronger|weaker)\s+(?:[\w-]+\s+){0,3}?(?:in|for|at|"
    r"with|from|among|on)\s+[\w' -]+?\s+or\s+[\w' -]+"
)

_NEGATED_FILLER = {
    "anything",
    "everything",
    "any",
    "all",
    "still",
    "in",
    "the",
    "stage",
    "those",
    "ones",
    "deals",
    "that",
    "is",
    "are",
    "from",
}


def _prefer_places_to_teams(m: Mention, senses: list[Sense]) -> list[Sense]:
    """Teams are often named after places ("Brazil", "EMEA"); a bare place name is the place.

    A team is meant when the question says so ("the Brazil team"), which the team's own
    alias phrase catches before this point.
    """
    if "team" in m.phrase.split() or all(s.name == "team" for s in senses):
        return senses
    return [s for s in senses if s.name != "team"]


class Filters:
    """The filters and splits a question names (see the module's docstring)."""

    def _apply_words(
        self, query: Query, base: str, dims_from_metrics, metric_mentions, *, who_groups: bool = True
    ) -> Refusal | None:
        group_positions = {m.end for m in self.markers("group")}
        negate_positions = {m.end for m in self.markers("negate")}
        for at in list(
            negate_positions
        ):  # "excluding anything still in prospecting": the value a few words on
            while at < len(self.tokens) and self.tokens[at] in _NEGATED_FILLER:
                at += 1
                negate_positions.add(at)
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
            said = next((m for m in self.mentions if m.start == position), None)
            if said is not None and position not in group_positions and self._asks_for_column(said):
                # "5 biggest payments received this month, with the customer": a column of each record
                if name not in query.columns:
                    query.columns.append(name)
                continue
            if (
                position in group_positions
                or before in ("which", "what", "each", "every")
                # ("what do my accounts owe us": what they owe, together; "which latam accounts owe ...": each)
                or (
                    lead
                    and lead[0] in ("which", "what")
                    and after in _WHICH_ONES_DO
                    and not (
                        lead[0] == "what" and lead[1:2] in (["do"], ["does"], ["did"], ["have"], ["has"])
                    )
                )
                # (ranked: "customers by LTV, top 5" ranks them; "avg health of customers by region, worst first"
                # ranks the regions)
                or (self.ranked and not self._split_elsewhere(group_positions, position))
                # ("open deals on accounts that are high churn risk": whose deals, not a split by account)
                or (
                    after in ("with", "that", "who", "whose", "having", "where") and before not in _RECORDS_OF
                )
                or after in ("most", "least")  # "customers most likely to churn": a ranking of them
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
                if m.start not in group_positions and self._names_its_value(m, dims[0], base):
                    continue  # "tickets in status open", "the Services product category": a filter's label
                if (
                    dims[0] == "customer"
                    and m.start not in group_positions
                    and self.tokens[max(0, m.start - 2) : m.start][:1]
                    in (["on"], ["of"], ["across"], ["for"])
                    and self.tokens[m.start - 1 : m.start] in (["their"], ["his"], ["her"])
                    and self._split_elsewhere(group_positions, m.start)
                ):
                    continue  # "top 10 reps by overdue balance on their accounts": whose accounts, the reps ranked
                if (
                    not who_groups
                    and not self.ranked
                    and dims[0] == "customer"
                    and m.start not in group_positions
                    and self._after_value(m)
                ):
                    continue  # "now only deals of NA companies": whose deals, not a split by company
                grouped.append((m.start, dims[0]))
            elif "value" in kinds:
                if m in metric_mentions and "metric" in kinds and not m.entity:
                    continue  # "churned" named the measure (churned customers); it is not also a filter
                said_before = max([x.end for x in self.mentions if x.end <= m.start] + [m.start - 3, 0])
                if {"including", "incl", "inclusive", "plus", "even"} & set(
                    self.tokens[said_before : m.start]
                ):
                    continue  # "total they owe including not yet due": a broadening, not a filter
                refusal = self._add_value(m, base, filters, negate_positions)
                if refusal:
                    return refusal
            elif "marker" in kinds and any(s.name == "open" for s in m.senses):
                self._open_filter(base, filters, query, status_named=self._status_beside(m, base))
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
        scoped = [  # "overdue $ per rep across my team's accounts": whose accounts, not a split by each of them
            at
            for at, name in grouped
            if name == "customer"
            and at > 1
            and self.tokens[at - 1] == OWNED
            and self.tokens[at - 2] in ("across", "over", "among", "throughout")
        ]
        if (
            scoped
            and len(seen) > 1
            and not any(name == "customer" and at not in scoped for at, name in grouped)
        ):
            seen.remove("customer")
        if who_groups and self.has_marker("who") and not seen and not filters.get("rep"):
            who = "rep" if base in ("deals", "leads", "activities") else "customer"
            entry = semantic.model().lists.get(base)
            metric = semantic.model().metric(query.metric)
            if base == "companies" and who == "customer" and entry and metric.aggregate == "count":
                query.list_records = True  # "who became a customer this month": the companies themselves
            elif (
                entry
                and entry.columns
                and (
                    metric.format == "count"
                    # "which invoices ... who for and how much", "which open leads score 75 or higher? show
                    # source and who owns them": those records
                    or _WHICH_RECORDS.match(self.raw)
                    # "open leads with a conversion probability above 65%? who owns them": those leads, each with its
                    # owner (the probability bounds each one)
                    or _RECORDS_WITH.match(self.raw)
                )
                and (_AND_WHO_OWNS_THEM if who == "rep" else _AND_FROM_WHOM).search(self.raw)
                and semantic.model().dimension_for(who, base) is not None
            ):
                # "deals won last month over 100k, and who owns them": those deals, each with its owner;
                # "the 5 biggest payments this month and from whom": those payments, each with its payer
                query.list_records = True
                if who not in query.columns:
                    query.columns.append(who)
            elif semantic.model().dimension_for(who, base) is not None:
                seen.append(who)
        query.group_by = seen
        query.filters = list(filters.values())
        together = re.search(r"\b(?:combined|together|altogether|in\s+total|total)\b", self.raw)
        compared = _WHO_MORE.search(self.raw)
        if (
            _EACH_VALUE.search(self.raw) or compared or (query.compare_to is not None and not together)
        ) and not query.list_records:
            # ... and "lead conversion rate Q2 vs Q1, just referral and partner": each compared on its own row
            # "new customers in EMEA and APAC so far this year? one number for each": a row per value named
            # ("who's booked more, Lars or Kenji?": the people named, each on a row; not "open", said as one)
            for f in query.filters:
                named = all(str(v).lower().split()[0] in self.raw for v in f.values)
                if _restates_the_measure(query, f):
                    continue  # "billed ..., 2025 vs 2024 (sent and paid invoices)": what billed is, said again
                if not f.negate and len(f.values) >= 2 and f.dimension not in query.group_by:
                    if compared and not (
                        named or _EACH_VALUE.search(self.raw) or query.compare_to is not None
                    ):
                        continue
                    if (
                        compared
                        and named
                        and query.group_by in (["customer"], ["rep"])
                        and re.search(r",\s*[\w' -]+\s+or\s+[\w' -]+\??\s*$", self.raw)
                    ):
                        # "who's paying us more this month, EMEA or NA?": the two named, not who in them
                        query.group_by = [f.dimension]
                        continue
                    if (
                        (compared or query.compare_to is not None)
                        and query.group_by
                        and not _EACH_VALUE.search(self.raw)
                    ):
                        # "which rep has the most leads that are new, working or qualified": the reps; "invoices per
                        # payment term, July vs August, counting only sent and paid": per term, those statuses
                        continue
                    query.group_by.append(f.dimension)
        if getattr(self, "versus", False) and query.compare_to is None:
            # "csat otter bank vs sentinel district", "EMEA vs APAC bookings": a row each; the values named around
            # "vs" first ("avg score of open leads, paid ads vs event": by source, never by the statuses "open" is)
            several = [
                f
                for f in query.filters
                if not f.negate and len(f.values) >= 2 and f.dimension not in query.group_by
            ]
            said = [
                f
                for f in several
                if all(str(v).lower().replace("_", " ").split()[0] in self.raw for v in f.values)
            ]
            if said or several:
                query.group_by.append((said or several)[0].dimension)
        return self._values_side_by_side(query)

    def _current_customers(self, query: Query) -> None:
        """ "which current NA customers have invoices 90+ days past due": the invoices of companies that are
        customers now (lifecycle stage customer), never silently of every company; "owed by churned accounts",
        "bookings from prospects": of the companies in that stage."""
        model = semantic.model()
        base = model.base_of(query.metric)
        if any(f.dimension == "lifecycle_stage" for f in query.filters):
            return
        if model.dimension_for("lifecycle_stage", base) is None:
            return
        if self.lifecycle and "lifecycle_stage" in query.group_by and _CURRENT_CUSTOMERS.search(self.raw):
            # "how much sits with churned accounts vs current customers? split by lifecycle stage": both rows
            query.filters.append(Filter("lifecycle_stage", [self.lifecycle, "customer"]))
            self.notes.append(f"companies in lifecycle stage {self.lifecycle} or customer")
            return
        if self.lifecycle_left_out and not self.lifecycle:
            query.filters.append(Filter("lifecycle_stage", [self.lifecycle_left_out], negate=True))
            self.notes.append(f"{self.lifecycle_left_out} companies left out")
            return
        if self.lifecycle:
            stage, note = self.lifecycle, f"companies in lifecycle stage {self.lifecycle} only"
        elif (
            _CURRENT_CUSTOMERS.search(self.raw)
            or _CUSTOMERS_OWE.search(self.raw)
            or _CUSTOMERS_THAT.search(self.raw)
            or _CUSTOMERS_HAVE.search(self.raw)
        ):
            conditions = model.metric(query.metric).conditions
            if any(c.column == "companies.lifecycle_stage" for c in conditions):
                return  # customers, health, LTV: current customers already
            if any(c.column == "companies.churned_at" for c in conditions):
                return  # "how many customers has my team lost to churn": the ones that left, never current ones
            stage, note = "customer", "current customers only (lifecycle stage customer)"
        else:
            return
        query.filters.append(Filter("lifecycle_stage", [stage]))
        self.notes.append(note)

    def _after_value(self, m: Mention) -> bool:
        """Whether a value is said right before this word ("NA companies", "German accounts")."""
        return any(x.end == m.start and any(s.kind == "value" for s in x.senses) for x in self.mentions)

    def _values_side_by_side(self, query: Query) -> Refusal | None:
        """ "calls and meetings by rep": two kinds joined by "and" beside a split by something else may
        be one count of both or a column each; one count of both would be a different figure, so ask."""
        split = [g for g in query.group_by if not g.startswith("time:")]
        if (
            not split
            or query.list_records
            or re.search(r"\b(?:together|combined|total|altogether)\b", self.raw)
        ):
            return None
        for f in query.filters:
            if (
                f.negate
                or len(f.values) < 2
                or f.dimension in split
                or not any(d.side_by_side for d in semantic.model().dimensions if d.name == f.dimension)
            ):
                continue
            said = [
                m for m in self.mentions if any(s.kind == "value" and s.name == f.dimension for s in m.senses)
            ]
            joined = any(
                a.end + 1 == b.start and self.tokens[a.end] in ("and", "&")
                for a, b in zip(said, said[1:], strict=False)
            )
            if joined:
                phrases = [m.phrase for m in said]
                both = " and ".join(phrases)
                by = split[0].replace("_", " ")
                return Refusal(
                    f"Do you want {both} counted together by {by}, or one column each? I can give them together, "
                    "or one at a time.",
                    [f"{both} together", *phrases],
                    kind="clarify",
                    phrase=both,  # a pick takes its place in the question
                )
        return None

    def _split_elsewhere(self, group_positions: set[int], position: int) -> bool:
        """Another word is split by ("avg health of our customers by region": the region) or ranked ("top 10 reps by
        overdue balance on their accounts": the reps), not this one."""
        ordered = sorted(self.mentions, key=lambda m: m.start)
        head = ordered[0] if ordered and self.ranked else None  # the words ranked ("top 10 reps ...")
        return any(
            (m.start in group_positions or m is head)
            and m.start != position
            and any(s.kind == "dim" for s in m.senses)
            and not any(s.kind == "metric" for s in m.senses)
            for m in self.mentions
        )

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
        # "just NA West and EMEA" after bookings by team: the EMEA team, beside another team named
        teams_meant = any(
            o is not m and o.senses and all(s.kind == "value" and s.name == "team" for s in o.senses)
            for o in self.mentions
        )
        team_named = next(
            (t for t in self.entities.values.get("team", []) if t.lower() == m.phrase.lower()), None
        )
        if teams_meant and team_named and semantic.model().dimension_for("team", base):
            senses = [Sense("value", "team", team_named)]  # (a place that is also a team's name: the team)
        else:
            senses = _prefer_places_to_teams(m, senses)
        dims = list(dict.fromkeys(s.name for s in senses))
        if len(dims) > 1:
            choices = [
                f"{d.replace('_', ' ')} = {next(s.value for s in senses if s.name == d)}" for d in dims
            ]
            return Refusal(f'"{m.phrase}" could mean several things: which one?', choices, kind="clarify")
        values = list(dict.fromkeys(str(s.value) for s in senses))
        twins = [v for v in values if dims == ["customer"] and v in self.entities.twin_accounts]
        if twins:
            return Refusal(  # two accounts called Kingsley Manufacturing Inc.: a figure for the name adds both up
                f"Two accounts in the CRM are called {twins[0]}: a figure for that name would add both up, and I can't "
                "tell them apart by name. Which one do you mean? The CRM tells them apart by their id.",
                kind="clarify",
            )
        shared = [v for v in values if dims == ["rep"] and v in self.entities.shared_names]
        teams = self.entities.shared_names[shared[0]] if shared else []
        team_named = any(
            s.kind == "value" and s.name == "team" and str(s.value) in teams
            for o in self.mentions
            for s in o.senses
        )
        if shared and len(set(teams)) == 1:
            where = f"both on the {teams[0]} team" if teams[0] else "neither on a team"
            return Refusal(  # two Jessica Kims on one team: neither the name nor the team tells them apart
                f"Two people in the CRM are called {shared[0]}, {where}: a figure for that name would add both up, "
                "and I can't tell them apart by name. The CRM itself tells them apart by email.",
                kind="unknown",
            )
        if shared and not (team_named and semantic.model().dimension_for("team", base)):
            # two users called Richard Nelson: a filter on the name would add both up; with their team, one
            return Refusal(
                f"Two people in the CRM are called {shared[0]}, on the teams {' and '.join(teams)}: which one?",
                [f"{shared[0]} of the {t} team" for t in teams],
                kind="clarify",
                phrase=m.phrase,  # a pick takes its place in the question
            )
        if len(values) > 1 and m.entity and dims == ["rep"] and self.asker_team:
            # "and Kenji's?" after the manager's team's figure, with one Kenji on it: that one
            ours = [v for v in values if self.entities.rep_teams.get(v) == self.asker_team]
            if len(ours) == 1:
                values = ours
                senses = [s for s in senses if str(s.value) == ours[0]]
                self.notes.append(f'"{m.phrase}" read as {ours[0]}, on your team')
        if len(values) > 1 and m.entity:
            exact = written_exactly(values, self.raw)  # "Optiva Surgical Ltd" beside "Optiva Surgical, Ltd"
            if exact is not None:
                values = [exact]
                senses = [s for s in senses if str(s.value) == str(exact)]
        if len(values) > 1 and m.entity:
            return Refusal(
                f'"{m.phrase}" matches more than one {dims[0].replace("_", " ")}: which one?',
                values[:20],  # (as many as a reply may pick from)
                kind="clarify",
                phrase=m.phrase,
            )
        negate = m.start in negate_positions or m.start - 1 in negate_positions
        existing = filters.get(dims[0])
        entry = semantic.model().lists.get(base)
        opened = entry is not None and entry.open is not None and entry.open.dimension == dims[0]
        listed = {self.tokens[i] for i in (m.start - 1, m.end) if 0 <= i < len(self.tokens)} & {
            "or",
            "and",
            "nor",
        }  # "(new, working or qualified)": naming the open ones, not narrowing them
        if (
            existing
            and opened
            and not negate
            and not listed
            and {str(v) for v in existing.values} == {str(v) for v in entry.open.values}
            and {str(v) for v in values} <= {str(v) for v in entry.open.values}
        ):
            existing.values[:] = list(
                values
            )  # "open deals sitting in negotiation": negotiation, an open stage
        elif existing and existing.negate == negate:
            existing.values.extend(v for v in values if v not in existing.values)
        elif existing:
            # "my leads in new that are not working": the values named, less those excluded (never one of the
            # two dropped for the other)
            named, excluded = (values, existing.values) if existing.negate else (existing.values, values)
            kept = [v for v in named if str(v) not in {str(x) for x in excluded}]
            if not kept:
                return Refusal(
                    f"You named {' / '.join(map(str, named))} and excluded it too: which did you mean?",
                    [str(v) for v in named],
                    kind="clarify",
                )
            filters[dims[0]] = Filter(dims[0], kept, False)
        else:
            filters[dims[0]] = Filter(dims[0], values, negate)
        return None

    def _status_beside(self, m: Mention, base: str) -> bool:
        """ "in status open", "in open status": the status word right beside "open"."""
        entry = semantic.model().lists.get(base)
        if entry is None or entry.open is None:
            return False
        return any(
            (o.end == m.start or o.start == m.end)
            and any(s.kind == "dim" and s.name == entry.open.dimension for s in o.senses)
            for o in self.mentions
        )

    def _open_filter(self, base: str, filters: dict, query: Query, *, status_named: bool = False) -> None:
        entry = semantic.model().lists.get(base)
        if entry is not None and entry.open is not None and entry.open.dimension in filters:
            dim = entry.open.dimension
            named = {str(v) for v in filters[dim].values}
            if status_named and "open" in {str(v) for v in semantic.model().vocabulary(dim)}:
                if "open" not in named:  # "status pending or open": both statuses named
                    filters[dim] = Filter(dim, [*filters[dim].values, "open"], filters[dim].negate)
                return
            if named and named <= {str(v) for v in entry.open.values}:
                return  # "open deals in negotiation": the stage named is already open; keep it
        self._open_filter_set(base, filters, query, status_named=status_named)

    def _open_filter_set(self, base: str, filters: dict, query: Query, *, status_named: bool = False) -> None:
        """ "open deals", "open tickets": the model's meaning of open for the table's records; "tickets in
        status open" is that one status, when the status has a value called open."""
        entry = semantic.model().lists.get(base)
        if entry is None or entry.open is None:
            return
        dim = entry.open.dimension
        if status_named and "open" in {str(v) for v in semantic.model().vocabulary(dim)}:
            filters[dim] = Filter(dim, ["open"])
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


def _restates_the_measure(query: Query, f: Filter) -> bool:
    """Whether a filter names exactly the values the measure is defined over (invoiced: sent and paid invoices)."""
    model = semantic.model()
    metric = model.metric(query.metric)
    own = fixed_values(
        metric.conditions, model.dimension_columns.get(f.dimension, {}).get(model.base_of(metric))
    )
    return own is not None and own == {str(v) for v in f.values}
