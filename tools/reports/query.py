"""The structured query: what a question asks, independent of words and of SQL.

The offline engine fills one from a question; a follow-up ("and by region?") edits one; the
semantic layer compiles one to SQL. It round-trips through a plain dict (thread state,
verified examples).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tools.reports.timewords import Period


@dataclass
class Filter:
    """Keep rows whose ``dimension`` is (``negate``: is not) one of ``values``."""

    dimension: str
    values: list[str]
    negate: bool = False


@dataclass
class Threshold:
    """A number condition: on each record's amount (``target`` = "amount"), on what is still owed on each
    invoice ("balance"), on another column of each record ("column": "leads scoring above 75"), or on
    the metric (HAVING)."""

    op: str  # gt, ge, lt, le, eq
    value: float
    target: str = "amount"  # amount, balance, metric, column, change (a comparison's change, on each group)
    column: str | None = None  # target "column": the record's column compared ("leads.score")
    hint: str | None = None  # the word said before the number ("scoring above 75"), while reading
    after: str | None = None  # the word right after it ("with at least 1,000 employees"), while reading
    records: str | None = None  # a count bound's record word ("reps with 35+ closed deals": deals)


@dataclass
class Owner:
    """ "my" / "my team": the asker as the owner, through the metric's owner (the rep dimension)."""

    scope: str  # me, team
    user_id: int | None = None
    team: str | None = None
    name: str | None = None  # the asker's name, for the words of the answer

    def describe(self) -> str:
        if self.scope == "team":
            return f"owned by the {self.team} team" if self.team else "owned by your team"
        return f"owned by {self.name}" if self.name else "owned by you"


@dataclass
class RecordCondition:
    """A condition on the records that is not a dimension value: a date before today, no recent touch.

        kind: ``before_today`` (column < today), ``not_contacted_days`` (no activity in the last
        ``days`` days, today included), ``older_than_days`` (the record's creation date at least ``days``
        days before today), ``has_records`` (the account has records the metric ``records`` counts), ``dated`` (the
    column's date from ``since`` to ``until``: "the new customers of Q3", then "their average health score").
    """

    kind: str
    column: str | None = None
    days: int | None = None
    records: str | None = None  # has_records: the measure whose records an account has
    since: str | None = None  # dated: the column's date on or after this day (ISO)...
    until: str | None = None  # ...and on or before this one: the records a dated count picked
    label: str | None = None  # dated: the period as said ("Q3 2026")
    # has_records: conditions on those records besides the measure's own, as {column, op, value} ("with an open
    # ticket": status open)
    where: list[dict] | None = None


@dataclass
class Query:
    metric: str
    group_by: list[str] = field(default_factory=list)  # dimension names, or "time:<grain>"
    filters: list[Filter] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    period: Period | None = None
    compare_to: Period | None = None  # a second period: one column per period and the change
    owner: Owner | None = None
    conditions: list[RecordCondition] = field(default_factory=list)
    order: str | None = None  # desc, asc
    limit: int | None = None
    list_records: bool = False  # list the matching records instead of aggregating
    aggregate: str | None = None  # override of the metric's aggregate: avg, sum, max, min
    columns: list[str] = field(default_factory=list)  # extra list columns asked for ("and why": lost reason)
    sort_column: str | None = None  # what a list is ranked by, when not the table's usual order ("by score")
    also: list[str] = field(default_factory=list)  # more metrics side by side ("invoiced vs collected")
    share: bool = False  # each part's share of the total ("what % of bookings came from each rep")
    # with share, in total: the filters of the part only; the whole keeps ``filters`` ("how many tickets came in this
    # month, and how many of those are urgent": the month's tickets, the urgent ones among them)
    part_filters: list[Filter] = field(default_factory=list)
    offset: int | None = None  # rows of the ranking skipped ("the 2nd biggest", "and the one after that?")
    # a list's ties broken by its name or by a column, when said ("..., then by company name", "ties broken by
    # conversion probability")
    then_by: str | None = None
    # a ranked list this one is narrowed within ("top 10 payments this month" then "which of those came by bank
    # transfer"): that query, as a dict; only its records are candidates
    within: dict | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["period"] = self.period.to_dict() if self.period else None
        data["compare_to"] = self.compare_to.to_dict() if self.compare_to else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Query:
        thresholds = data.get("thresholds")
        if thresholds is None:
            thresholds = data.get("comparisons")  # verified examples saved before the rename
        return cls(
            metric=data["metric"],
            group_by=list(data.get("group_by") or []),
            filters=[Filter(**f) for f in data.get("filters") or []],
            thresholds=[Threshold(**c) for c in thresholds or []],
            period=Period.from_dict(data["period"]) if data.get("period") else None,
            compare_to=Period.from_dict(data["compare_to"]) if data.get("compare_to") else None,
            owner=Owner(**data["owner"]) if data.get("owner") else None,
            conditions=[RecordCondition(**c) for c in data.get("conditions") or []],
            order=data.get("order"),
            limit=data.get("limit"),
            list_records=bool(data.get("list_records")),
            aggregate=data.get("aggregate"),
            columns=list(data.get("columns") or []),
            sort_column=data.get("sort_column"),
            also=list(data.get("also") or []),
            share=bool(data.get("share")),
            part_filters=[Filter(**f) for f in data.get("part_filters") or []],
            offset=data.get("offset"),
            then_by=data.get("then_by"),
            within=data.get("within"),
        )

    def copy(self) -> Query:
        return Query.from_dict(self.to_dict())

    def drop_share(self) -> None:
        """No share of a total any more, nor the part that made one ("how many of those are urgent")."""
        self.share, self.part_filters = False, []

    def replace_filters(self, filters: list[Filter]) -> None:
        """Narrow by ``filters``: each replaces a filter on the same dimension; the others stay."""
        named = {f.dimension for f in filters}
        self.filters = [f for f in self.filters if f.dimension not in named] + list(filters)

    @property
    def time_grain(self) -> str | None:
        for g in self.group_by:
            if g.startswith("time:"):
                return g.split(":", 1)[1]
        return None

    @property
    def dimensions(self) -> list[str]:
        """The groupings that are not time."""
        return [g for g in self.group_by if not g.startswith("time:")]
