"""Compile a structured query over the semantic layer into a SQLAlchemy Core SELECT.

Tables come from the contract models; joins follow ``semantic.JOIN_PATHS`` from the metric's
base table; values are bound parameters. ``to_sql_text`` renders the tree for one dialect
with the values inlined, for people to read (never to execute).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Float, and_, case, cast, func, not_, select
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.types import DateTime

from tools.reports import semantic
from tools.reports.query import Query
from tools.reports.sqlfuncs import as_date, days_between, hours_between, period_start


class QueryError(ValueError):
    """The structured query asks for something the semantic layer cannot express."""


@dataclass
class Built:
    select: Select
    formats: list[str]  # per output column: text, date, period, money, count, rate, days, hours, score
    notes: list[str] = field(default_factory=list)


def _tables():
    from db.models import Base

    return Base.metadata.tables


def column(ref: str):
    table, name = ref.split(".", 1)
    return _tables()[table].c[name]


def is_timestamp(ref: str) -> bool:
    return isinstance(column(ref).type, DateTime)


def _date_of(ref: str) -> ColumnElement:
    col = column(ref)
    return as_date(col) if is_timestamp(ref) else col


class _Joins:
    """The FROM clause grown hop by hop from the base table along the semantic join paths."""

    def __init__(self, base: str):
        self.base = base
        self.joined: dict[str, bool] = {base: True}  # table -> inner join?
        self.order: list[tuple[str, str, str]] = []

    def need(self, ref: str, *, inner: bool) -> None:
        table = ref.split(".", 1)[0]
        if table == self.base:
            return
        path = semantic.JOIN_PATHS.get(self.base, {}).get(table)
        if path is None:
            raise QueryError(f"{table} cannot be reached from {self.base}")
        for hop in path:
            name = hop[0]
            if name not in self.joined:
                self.order.append(hop)
                self.joined[name] = inner
            elif inner and not self.joined[name]:
                self.joined[name] = True

    def from_clause(self):
        tables = _tables()
        clause = tables[self.base]
        for name, left, right in self.order:
            on = column(left) == column(right)
            clause = (
                clause.join(tables[name], on) if self.joined[name] else clause.outerjoin(tables[name], on)
            )
        return clause


def _condition(cond: semantic.Cond, today: date) -> ColumnElement:
    col = column(cond.column)
    if cond.op == "eq":
        return col == cond.value
    if cond.op == "ne":
        return col != cond.value
    if cond.op == "in":
        return col.in_(list(cond.value))
    if cond.op == "not_in":
        return col.not_in(list(cond.value))
    if cond.op == "not_null":
        return col.is_not(None)
    if cond.op == "lt_today":
        return _date_of(cond.column) < today
    raise QueryError(f"unknown condition {cond.op}")


_COMPARE = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}


def uses_line_items(query: Query) -> bool:
    metric = semantic.METRICS_BY_NAME[query.metric]
    refs = [_dimension_ref(d, metric.base) for d in _grouped_dimensions(query)]
    refs += [_dimension_ref(f.dimension, metric.base) for f in query.filters]
    return metric.base == "deals" and any(r.startswith("products.") for r in refs)


def _grouped_dimensions(query: Query) -> list[str]:
    return [g for g in query.group_by if not g.startswith("time:")]


def _dimension_ref(name: str, base: str) -> str:
    dim = semantic.dimension_for(name, base)
    if dim is None:
        raise QueryError(f"{name} does not apply to {semantic.BASE_LABELS.get(base, base)}")
    return dim.columns[base]


def measure(metric: semantic.Metric, *, line_items: bool, aggregate: str | None = None) -> ColumnElement:
    """The aggregate expression that defines ``metric`` (split per line item when by product)."""
    base_id = _tables()[metric.base].c.get("id")
    agg = metric.agg
    if line_items:
        if metric.line_item_agg is None:
            raise QueryError(f"{metric.label} cannot be split by product")
        agg = metric.line_item_agg
    if agg == "line_amount":
        li = _tables()["deal_line_items"]
        value = li.c.quantity * li.c.unit_price * (1 - li.c.discount_pct * 0.01)
        return func.avg(value) if aggregate == "avg" else func.sum(value)
    if agg == "count_distinct":
        return func.count(base_id.distinct())
    if agg in ("rate", "rate_distinct"):
        hit = column(metric.column) == metric.rate_value
        if agg == "rate_distinct":
            won = func.count(case((hit, base_id)).distinct())
            return cast(won, Float) / cast(func.nullif(func.count(base_id.distinct()), 0), Float)
        return cast(func.sum(case((hit, 1), else_=0)), Float) / cast(func.nullif(func.count(), 0), Float)
    if agg == "count":
        return func.count(column(metric.column))
    if agg == "outstanding":
        invoices = _tables()["invoices"]
        payments = _tables()["payments"].alias("paid")
        paid = (
            select(func.coalesce(func.sum(payments.c.amount), 0))
            .where(payments.c.invoice_id == invoices.c.id)
            .scalar_subquery()
        )
        value = invoices.c.total - paid
        return func.avg(value) if aggregate == "avg" else func.sum(value)
    if agg == "days_between":
        return func.avg(days_between(column("deals.created_at"), column("deals.closed_at")))
    if agg == "hours_between":
        return func.avg(
            hours_between(column("support_tickets.created_at"), column("support_tickets.resolved_at"))
        )
    value = column(metric.column)
    chosen = aggregate if aggregate in ("avg", "sum", "max", "min") else agg
    return {"sum": func.sum, "avg": func.avg, "max": func.max, "min": func.min}[chosen](value)


def build(query: Query, today: date) -> Built:
    """The SELECT answering ``query`` as of ``today`` (for "overdue" and relative periods)."""
    metric = semantic.METRICS_BY_NAME.get(query.metric)
    if metric is None:
        raise QueryError(f"unknown metric {query.metric}")
    if query.list_records:
        return _build_list(query, metric, today)
    return _build_aggregate(query, metric, today)


def _where(query: Query, metric: semantic.Metric, joins: _Joins, today: date) -> list[ColumnElement]:
    clauses = [_condition(c, today) for c in metric.conditions]
    if query.period is not None:
        if metric.time_column is None:
            raise QueryError(f"{metric.label} has no date to filter by")
        when = _date_of(metric.time_column)
        if query.period.start:
            clauses.append(when >= query.period.start)
        if query.period.end:
            clauses.append(when <= query.period.end)
    for flt in query.filters:
        ref = _dimension_ref(flt.dimension, metric.base)
        joins.need(ref, inner=True)
        test = column(ref).in_(list(flt.values))
        clauses.append(not_(test) if flt.negate else test)
    for cmp in query.comparisons:
        if cmp.target != "amount":
            continue
        ref = semantic.AMOUNT_COLUMNS.get(metric.base)
        if ref is None:
            raise QueryError(f"{metric.label} has no amount to compare")
        joins.need(ref, inner=True)
        clauses.append(_COMPARE[cmp.op](column(ref), cmp.value))
    return clauses


def _build_aggregate(query: Query, metric: semantic.Metric, today: date) -> Built:
    joins = _Joins(metric.base)
    line_items = uses_line_items(query)
    if line_items:
        joins.need("deal_line_items.id", inner=True)
    value = measure(metric, line_items=line_items, aggregate=query.aggregate).label(metric.name)
    labels, keys, formats = [], [], []
    for group in query.group_by:
        if group.startswith("time:"):
            grain = group.split(":", 1)[1]
            if metric.time_column is None:
                raise QueryError(f"{metric.label} has no date to group by")
            labels.append(period_start(column(metric.time_column), grain).label(grain))
            formats.append("period")
            continue
        dim = semantic.dimension_for(group, metric.base)
        if dim is None:
            raise QueryError(f"{group} does not apply to {metric.label}")
        ref = dim.columns[metric.base]
        joins.need(ref, inner=True)
        key = dim.key_columns.get(metric.base)
        if key:
            joins.need(key, inner=True)
            keys.append(column(key))
        labels.append(column(ref).label(dim.name))
        formats.append("text")
    where = _where(query, metric, joins, today)
    stmt = select(*labels, value).select_from(joins.from_clause())
    if where:
        stmt = stmt.where(and_(*where))
    if labels:
        stmt = stmt.group_by(*keys, *labels)
    having = [
        _COMPARE[c.op](measure(metric, line_items=line_items, aggregate=query.aggregate), c.value)
        for c in query.comparisons
        if c.target == "metric"
    ]
    if having:
        stmt = stmt.having(and_(*having))
    stmt = _order(stmt, query, labels, keys, value)
    formats.append(_value_format(metric, query))
    return Built(stmt, formats)


def _value_format(metric: semantic.Metric, query: Query) -> str:
    return metric.format


def _order(stmt: Select, query: Query, labels: list, keys: list, value) -> Select:
    """Ranked by the value (ties by the group's key, as the database groups them); time in order."""
    time_labels = [lab for lab, g in zip(labels, query.group_by, strict=False) if g.startswith("time:")]
    other_labels = [lab for lab in labels if lab not in time_labels]
    if query.order == "asc":
        stmt = stmt.order_by(value.asc(), *keys, *labels)
    elif query.order == "desc" or (labels and not time_labels):
        stmt = stmt.order_by(value.desc(), *keys, *labels)
    else:
        stmt = stmt.order_by(*time_labels, *keys, *other_labels)
    if query.limit:
        stmt = stmt.limit(query.limit)
    return stmt


def _build_list(query: Query, metric: semantic.Metric, today: date) -> Built:
    base = metric.base
    joins = _Joins(base)
    where = _where(query, metric, joins, today)
    shown, formats = [], []
    for ref, label in semantic.LIST_COLUMNS[base]:
        if ref.split(".")[0] not in (base, *semantic.JOIN_PATHS.get(base, {})):
            continue
        joins.need(ref, inner=False)
        shown.append(column(ref).label(label))
        formats.append(_column_format(ref))
    stmt = select(*shown).select_from(joins.from_clause())
    if where:
        stmt = stmt.where(and_(*where))
    order_ref = semantic.LIST_ORDER_COLUMNS.get(base)
    if query.order and order_ref:
        col = column(order_ref)
        stmt = stmt.order_by(col.asc() if query.order == "asc" else col.desc(), shown[0])
    elif order_ref and order_ref in semantic.AMOUNT_COLUMNS.values():
        stmt = stmt.order_by(column(order_ref).desc(), shown[0])
    else:
        stmt = stmt.order_by(shown[0])
    if query.limit:
        stmt = stmt.limit(query.limit)
    return Built(stmt, formats)


_MONEY_COLUMNS = {
    "deals.amount",
    "invoices.total",
    "payments.amount",
    "customer_insights.ltv",
    "products.unit_price",
    "customer_insights.predicted_ltv_12m",
}


def _column_format(ref: str) -> str:
    if ref in _MONEY_COLUMNS:
        return "money"
    col = column(ref)
    if isinstance(col.type, DateTime):
        return "date"
    if ref.endswith("_date") or ref.endswith(".paid_at"):
        return "date"
    if ref.endswith(".health_score") or ref.endswith(".score"):
        return "score"
    return "text"


def to_sql_text(stmt: Select, dialect) -> str:
    """The statement as SQL text with values inlined, for a person to read."""
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
