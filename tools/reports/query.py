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
class Comparison:
    """A number condition: on each record's amount (``target`` = "amount") or on the metric (HAVING)."""

    op: str  # gt, ge, lt, le, eq
    value: float
    target: str = "amount"  # amount, metric


@dataclass
class Query:
    metric: str
    group_by: list[str] = field(default_factory=list)  # dimension names, or "time:<grain>"
    filters: list[Filter] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    period: Period | None = None
    order: str | None = None  # desc, asc
    limit: int | None = None
    list_records: bool = False  # list the matching records instead of aggregating
    aggregate: str | None = None  # override of the metric's aggregate: avg, sum, max, min

    def to_dict(self) -> dict:
        data = asdict(self)
        data["period"] = self.period.to_dict() if self.period else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Query:
        return cls(
            metric=data["metric"],
            group_by=list(data.get("group_by") or []),
            filters=[Filter(**f) for f in data.get("filters") or []],
            comparisons=[Comparison(**c) for c in data.get("comparisons") or []],
            period=Period.from_dict(data["period"]) if data.get("period") else None,
            order=data.get("order"),
            limit=data.get("limit"),
            list_records=bool(data.get("list_records")),
            aggregate=data.get("aggregate"),
        )

    @property
    def time_grain(self) -> str | None:
        for g in self.group_by:
            if g.startswith("time:"):
                return g.split(":", 1)[1]
        return None
