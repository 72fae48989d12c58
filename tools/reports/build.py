"""Compile a structured query over the semantic model into a SQLAlchemy Core SELECT.

Tables come from the effective semantic model (a team's physical names, keyed by the
contract's); joins follow the model's join paths from the metric's base table; values are
bound parameters. ``to_sql_text`` renders the tree for one dialect with the values inlined,
for people to read (never to execute).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Float, and_, case, cast, exists, func, literal, not_, null, or_, select, union
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.types import DateTime

from tools.reports import semantic
from tools.reports.query import Query
from tools.reports.semantic import Metric, SemanticModel
from tools.reports.semantic.schema import Condition
from tools.reports.sqlfuncs import as_date, days_between, hours_between, period_start

BALANCE = "invoice_balance"  # a sort_column: what is still owed on each invoice
LAST_CONTACTED = "last_contacted"  # a list column of companies: the date of their latest activity
DAYS_OVERDUE = "days_overdue"  # a list column of invoices: days past the due date of what is still owed
# aggregates over the groups of a grouped answer whose figure passes a bound: how many, and their figures summed
GROUPS, OVER_GROUPS = "groups", "over_groups"
BY_CHANGE, BY_CHANGE_PCT = "change", "change_pct"  # a comparison's sort_column: ranked by its change
PAID_TO_DATE = "paid_to_date"  # a list column of invoices: what payments have paid on each so far


def fixed_values(conditions, column: str | None) -> set[str] | None:
    """The values a measure's own conditions fix ``column`` to (invoiced: status sent or paid), or None."""
    fixed = [c for c in conditions if c.column == column and c.op in ("eq", "in")]
    if not fixed:
        return None
    return {str(v) for c in fixed for v in ([c.value] if c.op == "eq" else c.value)}


def outside_the_measure(model, conditions, base: str, filters):
    """Each filter on a column the measure's own ``conditions`` fix, with none of those values ("drafts" beside coming
    due, which counts sent invoices): (filter, its column, the values the measure fixes)."""
    for f in filters:
        if f.negate:
            continue
        column = model.dimension_columns.get(f.dimension, {}).get(base)
        own = fixed_values(conditions, column)
        if own is not None and own.isdisjoint(str(v) for v in f.values):
            yield f, column, own


def same_sum(model, metric, base: str) -> list:
    """The measures over the same column of the same records, the same way (bookings, open pipeline: deal amounts
    summed), whatever their own conditions."""
    return [
        m
        for m in model.metrics
        if m.base == base and m.aggregate == metric.aggregate and m.column == metric.column
    ]


class QueryError(ValueError):
    """The structured query asks for something the semantic model cannot express."""


@dataclass
class Built:
    select: Select
    formats: list[str]  # per output column: text, date, period, money, count, rate, days, hours, score
    notes: list[str] = field(default_factory=list)


# a deal's type, as the words its name carries after " - " ("Acme - Renewal 2026")
DEAL_TYPES = (("new business", "New Business"), ("renewal", "Renewal"), ("expansion", "Expansion"))
_ON_GROUPS = ("metric", "records")  # bounds on each group (HAVING), never on one record
_COMPARE = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}
# the measures that count accounts: per account, each one once (a list of accounts, the rows of a per-account answer)
ACCOUNT_COUNTS = ("scored_customers", "customers", "companies")
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def build(query: Query, today: date, model: SemanticModel | None = None, scope=None) -> Built:
    """The SELECT answering ``query`` as of ``today`` (for "overdue" and relative periods), over the
    rows of ``scope`` (a tools.scope.DataScope: the asker's data scope; None: all rows)."""
    return _Compiler(model or semantic.model(), query, today, scope).compile()


def to_sql_text(stmt: Select, dialect) -> str:
    """The statement as SQL text with values inlined, for a person to read."""
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


class _Joins:
    """The FROM clause grown hop by hop from the base table along the model's join paths."""

    def __init__(self, model: SemanticModel, base: str, owned_through: str | None = None):
        self.model = model
        self.base = base
        self.paths = dict(model.joins.get(base, {}))
        if owned_through and owned_through in self.paths:
            # the measure's people are the owners of that table's rows (an account's owner, for last contacted)
            self.paths["users"] = [
                *self.paths[owned_through],
                semantic.Hop("users", f"{owned_through}.owner_id", "users.id"),
            ]
        self.joined: dict[str, bool] = {base: True}  # table -> inner join?
        self.order: list[semantic.Hop] = []
        self.origin = None  # accounts' lead sources, when asked for (see converted_lead_source)
        self.origin_on = None

    def need(self, ref: str, *, inner: bool) -> None:
        table = ref.split(".", 1)[0]
        if table == self.base:
            return
        path = self.paths.get(table)
        if path is None:
            raise QueryError(f"{table} cannot be reached from {self.model.base_label(self.base)}")
        for hop in path:
            if hop.table not in self.joined:
                self.order.append(hop)
                self.joined[hop.table] = inner
            elif inner and not self.joined[hop.table]:
                self.joined[hop.table] = True

    def from_clause(self):
        tables = self.model.sql_tables
        clause = tables[self.base]
        for hop in self.order:
            on = self.model.sql_column(hop.left) == self.model.sql_column(hop.right)
            target = tables[hop.table]
            clause = clause.join(target, on) if self.joined[hop.table] else clause.outerjoin(target, on)
        if self.origin is not None:
            clause = clause.outerjoin(self.origin, self.origin.c.company_id == self.origin_on)
        return clause


class _Compiler:
    def __init__(self, model: SemanticModel, query: Query, today: date, scope=None):
        self.model = model
        self.query = query
        self.today = today
        self.scope = scope
        self.notes: list[str] = []  # what the answer must say it left out or limited
        metric = model.metrics_by_name.get(query.metric)
        if metric is None:
            raise QueryError(f"unknown metric {query.metric}")
        self.metric = metric
        self.base = model.base_of(metric)
        self.joins = _Joins(model, self.base, metric.owned_through)
        self.dimensions_used: list[str] = []  # their own conditions join the WHERE (aging: open invoices)
        self.grouped_apart: list[ColumnElement] = []  # rows with no value of a computed grouping

    # ---- columns and dates

    def col(self, ref: str):
        return self.model.sql_column(ref)

    def is_timestamp(self, ref: str) -> bool:
        return isinstance(self.col(ref).type, DateTime)

    def date_of(self, ref: str) -> ColumnElement:
        col = self.col(ref)
        return as_date(col) if self.is_timestamp(ref) else col

    def dimension_ref(self, name: str) -> str:
        dim = self.model.dimension_for(name, self.base)
        if dim is None:
            raise QueryError(f"{name.replace('_', ' ')} does not apply to {self.model.base_label(self.base)}")
        return self.model.dimension_column(dim.name, self.base)

    def dimension_value(self, name: str) -> ColumnElement:
        """The value a dimension groups or filters by: its column, or its computed expression."""
        dim = self.model.dimension_for(name, self.base)
        if dim is None:
            raise QueryError(f"{name.replace('_', ' ')} does not apply to {self.model.base_label(self.base)}")
        ref = self.model.dimension_column(dim.name, self.base)
        self.joins.need(ref, inner=True)
        if dim.conditions and dim.name not in self.dimensions_used:
            self.dimensions_used.append(dim.name)
        expression = dim.expression
        if expression == "aging_bucket":
            return self.aging_bucket(ref)
        if expression == "converted_lead_source":
            return self.converted_lead_source(ref)
        if expression == "deal_type":
            return self.deal_type(ref)
        return self.col(ref)

    def deal_type(self, name_ref: str) -> ColumnElement:
        """A deal's type as its name says it ("Acme - Renewal 2026": renewal), the way the CRM names deals; a name
        that says none is "other"."""
        name = self.col(name_ref)
        return case(
            *((name.like(f"% - {label} %"), value) for value, label in DEAL_TYPES),
            else_=literal("other"),
        )

    def converted_lead_source(self, company_ref: str) -> ColumnElement:
        """The source of the lead an account was converted from ("customers that came in through
        partners", "bookings by lead source"), joined once as a table of account -> source, so the
        cost grows with the rows, not with rows times leads. An account converted from several
        leads takes the first source alphabetically; one that came from no lead has none."""
        if self.joins.origin is None:
            leads = self.model.sql_tables["leads"]
            self.joins.origin = (
                select(leads.c.company_id, func.min(leads.c.source).label("source"))
                .where(leads.c.status == "converted", leads.c.company_id.isnot(None))
                .group_by(leads.c.company_id)
                .subquery("lead_origin")
            )
            self.joins.origin_on = self.col(company_ref)
        return self.joins.origin.c.source

    def aging_bucket(self, due_ref: str) -> ColumnElement:
        """Days past due as the contract's aging buckets: current, 1-30, 31-60, 61-90, 90+."""
        due = self.date_of(due_ref)
        late = days_between(self.col(due_ref), literal(self.today.isoformat()))
        return case(
            (due >= self.today, "current"),
            (late <= 30, "1-30"),
            (late <= 60, "31-60"),
            (late <= 90, "61-90"),
            else_="90+",
        )

    # ---- what is measured

    def uses_line_items(self) -> bool:
        if self.base != "deals":
            return False
        names = self.query.dimensions + [f.dimension for f in self.query.filters]
        refs = [self.dimension_ref(n) for n in names]
        return any(r.startswith("products.") for r in refs)

    def measure(self, metric: Metric, *, line_items: bool = False, when=None, zero: bool = False):
        """The aggregate defining ``metric``; ``when`` keeps only some rows (one period of two)."""
        agg = metric.aggregate
        if metric.aggregate == "ratio":
            num = self.model.metric(metric.numerator)
            den = self.model.metric(metric.denominator)
            if self.model.base_of(num) != self.model.base_of(den):
                raise QueryError(f"{metric.label} mixes tables; it can't be computed as one query")

            def part(m: Metric):
                own = [
                    self.condition(c)
                    for c in m.conditions
                    if c not in (num.conditions if m is den else den.conditions)
                ]
                keep = and_(*own, *([when] if when is not None else [])) if own else when
                return cast(self.measure(m, line_items=line_items, when=keep), Float)

            ratio = part(num) / func.nullif(part(den), 0)
            return ratio * metric.multiplier if metric.multiplier != 1 else ratio
        if line_items:
            if metric.line_item_aggregate is None:
                raise QueryError(f"{metric.label} cannot be split by product")
            if metric.line_item_aggregate != "column":
                agg = metric.line_item_aggregate
        table_of_column = metric.column.split(".", 1)[0] if metric.column else None
        if table_of_column == "deal_line_items":
            self.joins.need(metric.column, inner=True)  # seats, discount: one row per line item

        def only(value):
            return value if when is None else case((when, value))

        def total(expr):
            summed = func.sum(expr)
            return func.coalesce(summed, 0) if zero else summed

        aggregate = self.query.aggregate if metric.name == self.metric.name else None
        table = self.model.sql_tables[self.model.base_of(metric)]
        base_id = table.c.id if "id" in table.c else None
        if aggregate == "accounts":
            # "spread across how many accounts?": the distinct companies behind the records measured
            if "company_id" not in table.c:
                raise QueryError(f"{metric.label} is not kept per account, so its accounts can't be counted")
            return func.count(only(table.c.company_id).distinct())
        if agg == "line_amount":
            li = self.model.sql_tables["deal_line_items"]
            value = li.c.quantity * li.c.unit_price * (1 - li.c.discount_pct * 0.01)
            return func.avg(only(value)) if aggregate == "avg" else total(only(value))
        if agg == "count_distinct":
            counted = base_id if line_items or metric.column is None else self.col(metric.column)
            return func.count(only(counted).distinct())
        if agg in ("rate", "rate_distinct"):
            hit = self.col(metric.column) == metric.rate_value
            if agg == "rate_distinct":
                won = func.count(case((and_(hit, *([when] if when is not None else [])), base_id)).distinct())
                return cast(won, Float) / cast(func.nullif(func.count(only(base_id).distinct()), 0), Float)
            hits = func.sum(case((and_(hit, *([when] if when is not None else [])), 1), else_=0))
            rows = func.sum(case((when, 1), else_=0)) if when is not None else func.count()
            return cast(hits, Float) / cast(func.nullif(rows, 0), Float)
        if agg == "count":
            return func.count(only(self.col(metric.column)))
        if agg == "outstanding":
            value = self.invoice_balance()
            return func.avg(only(value)) if aggregate == "avg" else total(only(value))
        if agg == "dso":
            return self.dso(metric, when)
        if agg == "days_between":
            return func.avg(only(days_between(self.col(metric.column), self.col(metric.end_column))))
        if agg == "hours_between":
            return func.avg(only(hours_between(self.col(metric.column), self.col(metric.end_column))))
        value = only(self.col(metric.column))
        chosen = aggregate if aggregate in ("avg", "sum", "max", "min") else agg
        if chosen == "sum":
            return total(value)
        return {"avg": func.avg, "max": func.max, "min": func.min}[chosen](value)

    def invoice_balance(self) -> ColumnElement:
        """An invoice's total minus what payments paid on it; none for an invoice nobody owes (a draft, one
        waiting for approval or approved and not sent, a void one)."""
        invoices = self.model.sql_tables["invoices"]
        payments = self.model.sql_tables["payments"].alias("paid")
        paid = (
            select(func.coalesce(func.sum(payments.c.amount), 0))
            .where(payments.c.invoice_id == invoices.c.id)
            .scalar_subquery()
        )
        return case((invoices.c.status.in_(("sent", "paid")), invoices.c.total - paid))

    def dso(self, metric: Metric, when) -> ColumnElement:
        """Outstanding as of today / invoiced over the last window_days (today included) * window_days."""
        invoices = self.model.sql_tables["invoices"]
        window_start = self.today - timedelta(days=metric.window_days - 1)
        issued = self.date_of("invoices.issue_date")
        open_balance = func.sum(case((invoices.c.status == "sent", self.invoice_balance())))
        billed = func.sum(
            case(
                (
                    and_(
                        invoices.c.status.in_(["sent", "paid"]),
                        issued >= window_start,
                        issued <= self.today,
                    ),
                    invoices.c.total,
                )
            )
        )
        return cast(open_balance, Float) / cast(func.nullif(billed, 0), Float) * metric.window_days

    # ---- WHERE

    def condition(self, cond) -> ColumnElement:
        self.joins.need(cond.column, inner=True)
        col = self.col(cond.column)
        op = cond.op
        if op == "eq":
            return col == cond.value
        if op == "ne":
            return col != cond.value
        if op in _COMPARE:
            return _COMPARE[op](col, cond.value)
        if op == "in":
            return col.in_(list(cond.value))
        if op == "not_in":
            return col.not_in(list(cond.value))
        if op == "not_null":
            return col.is_not(None)
        if op == "is_null":
            return col.is_(None)
        if op == "lt_today":
            return self.date_of(cond.column) < self.today
        if op == "ge_today":
            return self.date_of(cond.column) >= self.today
        raise QueryError(f"unknown condition {op}")

    def in_period(self, period) -> ColumnElement:
        time_ref = self.model.time_column_of(self.metric)
        if time_ref is None:
            raise QueryError(f"{self.metric.label} has no date to filter by")
        self.joins.need(time_ref, inner=True)
        when = self.date_of(time_ref)
        parts = []
        if period.start:
            parts.append(when >= period.start)
        if period.end:
            parts.append(when <= period.end)
        return and_(*parts) if parts else literal(True)

    def _no_contradiction(self, conditions) -> None:
        """A filter on the column a measure's own condition fixes, with none of its values ("coming due" counts sent
        invoices; "drafts" are not): an answer would be empty for a reason nobody asked, so it is said instead."""
        for flt, _, own in outside_the_measure(self.model, conditions, self.base, self.query.filters):
            raise QueryError(
                f"{self.metric.label[:1].upper()}{self.metric.label[1:]} counts only {' and '.join(sorted(own))} "
                f"{self.model.base_label(self.base)}, so none of them is {' or '.join(map(str, flt.values))}. "
                f"Ask for the {self.model.base_label(self.base)} themselves, without that measure's word"
            )

    def where(self) -> list[ColumnElement]:
        q, metric = self.query, self.metric
        if metric.aggregate == "ratio":
            # conditions both parts share filter rows; each part's own ones stay inside its measure
            num, den = self.model.metric(metric.numerator), self.model.metric(metric.denominator)
            conditions = [c for c in num.conditions if c in den.conditions]
        else:
            conditions = list(metric.conditions)
        self._no_contradiction(conditions)
        clauses = [self.condition(c) for c in conditions]
        if q.period is not None and q.compare_to is not None:
            clauses.append(or_(self.in_period(q.period), self.in_period(q.compare_to)))
        elif q.period is not None:
            clauses.append(self.in_period(q.period))
        for flt in q.filters:
            value = self.dimension_value(flt.dimension)
            test = value.in_(_typed(flt.values, value))
            clauses.append(not_(test) if flt.negate else test)
        for threshold in q.thresholds:
            if threshold.target == "column":
                table, _, name = (threshold.column or "").partition(".")
                known = table in self.model.sql_tables and name in self.model.sql_tables[table].c
                if not known or not self.model.reachable(self.base, table):
                    raise QueryError("that number can't be compared with a column I know")
                self.joins.need(threshold.column, inner=True)
                clauses.append(_COMPARE[threshold.op](self.col(threshold.column), threshold.value))
                continue
            if threshold.target == "balance":
                if self.base != "invoices":
                    raise QueryError("only invoices have an amount still owed")
                clauses.append(_COMPARE[threshold.op](self.invoice_balance(), threshold.value))
                continue
            if threshold.target != "amount":
                continue
            ref = self.model.amount_column(self.base)
            if ref is None:
                raise QueryError(f"{metric.label} has no amount to compare")
            self.joins.need(ref, inner=True)
            clauses.append(_COMPARE[threshold.op](self.col(ref), threshold.value))
        if q.owner is not None:
            clauses.append(self.owner_clause())
        for rc in q.conditions:
            clauses.append(self.record_condition(rc))
        for name in self.dimensions_used:
            for cond in self.model.dimensions_by_name[name].conditions:
                if cond not in conditions:
                    clauses.append(self.condition(cond))
        clauses.extend(self.grouped_apart)
        clauses.extend(self.scope_clauses())
        if q.within:
            clauses.append(self.within_ranked(q.within))
        return clauses

    def within_ranked(self, within: dict) -> ColumnElement:
        """Only the records of a ranked list ("which of those came by bank transfer" after the 10 biggest payments):
        the list's own query, its keys in rank order up to its limit, never correlated with this one."""
        ranked = Query.from_dict(within)
        if not ranked.list_records or not ranked.limit or self.model.base_of(ranked.metric) != self.base:
            raise QueryError("I can only narrow a ranked list of the same records")
        inner = _Compiler(self.model, ranked, self.today, self.scope)
        key = next(iter(self.model.sql_tables[self.base].primary_key.columns)).name
        keys = inner.compile_list().select.with_only_columns(self.col(f"{self.base}.{key}")).correlate(None)
        return self.col(f"{self.base}.{key}").in_(keys)

    # ---- who sees what

    def scope_clauses(self) -> list[ColumnElement]:
        """The asker's data scope on the base table's rows (what hangs off the accounts they see)."""
        from tools.scope import row_filter

        if self.scope is None:
            return []
        clause = row_filter(self.base, self.scope, self.model.sql_tables)
        return [] if clause is None else [clause]

    def hidden(self, ref: str) -> bool:
        """A people-data column (an email, a phone) the asker may not read: left out of lists."""
        return self.scope is not None and not self.scope.people and ref in self.model.people_columns

    def own_people(self, ref: str, label: str) -> ColumnElement | None:
        """A hidden people-data column shown on the records the asker owns only ("contacts at Velocity
        Financial? need their emails" from the rep who owns it), empty on the others; None where the records
        have no owner or the asker is not a CRM user. Said in the answer either way."""
        key = self.model.dimension_key("rep", self.base)
        me = self.scope.me if self.scope is not None else None
        what = ref.split(".", 1)[1].replace("_", " ")
        if key is None or me is None:
            self.notes.append(f"The {what} column is people data, which your role doesn't read: left out.")
            return None
        self.joins.need(key, inner=False)
        self.joins.need(ref, inner=False)
        self.notes.append(f"The {what} column is people data: shown only where you are the owner.")
        return case((self.col(key) == me, self.col(ref)), else_=null()).label(label)

    def owner_clause(self) -> ColumnElement:
        owner = self.query.owner
        who = "your" if owner.scope == "me" else "your team's"
        if owner.scope == "team":
            if not owner.team:
                raise QueryError("you have no team in the CRM, so I can't tell who is on your team")
            return self.dimension_value("team") == owner.team
        key = self.model.dimension_key("rep", self.base)
        if key is None or owner.user_id is None:
            raise QueryError(f"{self.model.base_label(self.base)} have no owner, so there are none of {who}")
        self.joins.need(key, inner=True)
        return self.col(key) == owner.user_id

    def record_condition(self, rc) -> ColumnElement:
        if rc.kind == "before_today":
            self.joins.need(rc.column, inner=True)
            return self.date_of(rc.column) < self.today
        if rc.kind == "older_than_days":  # created at least ``days`` days before today
            self.joins.need(rc.column, inner=True)
            return self.date_of(rc.column) <= self.today - timedelta(days=rc.days or 0)
        if rc.kind == "not_contacted_days":
            self.joins.need("companies.id", inner=True)
            activities = self.model.sql_tables["activities"].alias("touch")  # never the outer activities
            since = self.today - timedelta(days=rc.days or 0)
            touched = as_date(activities.c.occurred_at) >= since
            return not_(
                exists(
                    select(literal(1))
                    .select_from(activities)
                    .where(activities.c.company_id == self.col("companies.id"), touched)
                )
            )
        if rc.kind == "partly_paid":  # sent (not paid in full) with at least one payment on it
            self.joins.need("invoices.id", inner=True)
            payments = self.model.sql_tables["payments"].alias("part")
            return and_(
                self.col("invoices.status") == "sent",
                exists(
                    select(literal(1))
                    .select_from(payments)
                    .where(payments.c.invoice_id == self.col("invoices.id"))
                ),
            )
        if rc.kind == "dated":  # the records a dated count picked: that column's date within its period
            self.joins.need(rc.column, inner=True)
            day = self.date_of(rc.column)
            if rc.since is None:  # "predicted to churn by the end of March": up to that day
                return day <= date.fromisoformat(rc.until)
            return and_(day >= date.fromisoformat(rc.since), day <= date.fromisoformat(rc.until))
        if rc.kind == "has_records":  # the account has records that measure counts (its own conditions)
            sub = _Compiler(self.model, Query(metric=rc.records), self.today)
            key = f"{sub.base}.company_id"
            if "company_id" not in self.model.sql_tables[sub.base].c:
                raise QueryError(f"{self.model.base_label(sub.base)} are not kept per account")
            where = sub.where() + [sub.condition(Condition(**c)) for c in rc.where or []]
            having = select(sub.col(key)).select_from(sub.joins.from_clause()).where(*where).correlate(None)
            self.joins.need("companies.id", inner=True)
            return self.col("companies.id").in_(having)
        raise QueryError(f"unknown record condition {rc.kind}")

    # ---- the statements

    def compile(self) -> Built:
        q = self.query
        in_total = q.share and not (q.group_by or q.list_records or q.also or q.compare_to or q.aggregate)
        if q.part_filters and not in_total:  # a part's own filters, never dropped silently
            raise QueryError(
                "I can show a count with the part of it you named in total only, not split, listed or compared; "
                "ask for the part on its own for that"
            )
        if self.query.aggregate in (GROUPS, OVER_GROUPS):
            return self.compile_over_groups()
        if self.query.list_records:
            return self.compile_list()
        if self.query.also:
            return self.compile_side_by_side()
        if self.query.compare_to is not None:
            return self.compile_comparison()
        if self.query.share and not self.query.group_by:
            return self.compile_share_of_total()
        return self.compile_aggregate()

    def compile_over_groups(self) -> Built:
        """ "how many of those are EMEA" after the accounts owing more than 100k overdue: the groups that pass the
        bound, counted (GROUPS), or their figures summed (OVER_GROUPS, "the combined overdue for those")."""
        q = self.query
        # "count them by region" after what each high-risk customer owes: those accounts counted per region (the
        # accounts are the groups, the other groupings the split of the count)
        split = (
            [g for g in q.group_by if g != "customer"]
            if q.aggregate == GROUPS and "customer" in q.group_by
            else []
        )
        if any(g.startswith("time:") for g in split):
            raise QueryError("I can count those accounts by a grouping, but not by time")
        if not q.group_by or not (split or any(t.target in _ON_GROUPS for t in q.thresholds)):
            raise QueryError(
                "only the groups of an answer with a bound on its figure can be counted this way"
            )
        inner_query = q.copy()
        inner_query.aggregate, inner_query.order, inner_query.limit = None, None, None
        inner = _Compiler(self.model, inner_query, self.today, self.scope).compile_aggregate()
        groups = inner.select.subquery("passing")
        if split:
            labels = [groups.c[self.model.dimension_for(g, self.base).name] for g in split]
            stmt = select(*labels, func.count().label("accounts")).select_from(groups)
            stmt = stmt.group_by(*labels).order_by(*labels)
            return Built(stmt, ["text"] * len(labels) + ["count"])
        if q.aggregate == GROUPS:
            stmt = select(func.count().label("accounts" if q.group_by == ["customer"] else "groups"))
            return Built(stmt.select_from(groups), ["count"])
        value = func.sum(groups.c[self.metric.name]).label(self.metric.name)
        return Built(select(value).select_from(groups), [self.metric.format])

    def compile_share_of_total(self) -> Built:
        """ "what % of Q1 collections came in by card": the part (the query's filters), the whole (without
        them) and the part's share of it, one row. With ``part_filters`` ("how many tickets this month, and how
        many of those are urgent"), the whole keeps the query's filters and the part adds its own."""
        part_query = self.query.copy()
        part_query.filters, part_query.part_filters = [*part_query.filters, *part_query.part_filters], []
        part = _Compiler(self.model, part_query, self.today, self.scope).compile_aggregate()
        whole_query = self.query.copy()
        whole_query.drop_share()
        # "what % of Q1 collections came in by card": the filters name the part, and the whole has none
        if not self.query.part_filters:
            whole_query.filters = []
        whole = _Compiler(self.model, whole_query, self.today, self.scope).compile_aggregate()
        part_value = part.select.scalar_subquery()
        whole_value = whole.select.scalar_subquery()
        share = cast(part_value, Float) / func.nullif(cast(whole_value, Float), 0)
        if self.query.part_filters:  # "... and how many of those are urgent": the part named by its value
            named = "_".join(str(v) for f in self.query.part_filters for v in f.values)
            if [(f.dimension, list(f.values)) for f in self.query.part_filters] == [
                ("aging_bucket", [b for b in AGING_BUCKETS if b != "current"])
            ]:
                named = "overdue"  # (every bucket past due)
            part_label = re.sub(r"\W+", "_", named.lower()).strip("_")[:40] or "part"
            columns = [
                part_value.label(part_label),
                whole_value.label(self.metric.name),
                share.label("share"),
            ]
        else:
            columns = [part_value.label(self.metric.name), whole_value.label("total"), share.label("share")]
        return Built(select(*columns), [self.metric.format, self.metric.format, "rate"])

    def compile_side_by_side(self) -> Built:
        """Several metrics for the same question ("invoiced vs collected this year"): one column each.

        In total, each metric is its own scalar subquery (they may come from different tables);
        grouped, they must share a table and are measured in one pass.
        """
        q = self.query
        names = [q.metric, *[m for m in q.also if m != q.metric]]
        if q.compare_to is not None:
            raise QueryError(
                "I can compare two periods or show several measures side by side, not both at once"
            )
        if q.group_by:
            bases = {self.model.base_of(n) for n in names}
            shared_dim = (
                len(q.group_by) == 1
                and not q.group_by[0].startswith("time:")
                # (an account's own attribute: region, industry, country; never a name with a key of its own)
                and all(
                    str(self.model.dimension_columns.get(q.group_by[0], {}).get(b, "")).startswith(
                        "companies."
                    )
                    for b in bases
                )
                and q.group_by[0] != "customer"
            )
            if len(bases) > 1 and len(q.group_by) == 1 and (q.group_by[0].startswith("time:") or shared_dim):
                # "invoiced vs collected by month", "invoiced vs collected ytd by region"
                return self._side_by_side_across_tables(names)
            if len(bases) > 1 and q.group_by == ["customer"] and not q.list_records:
                # "high churn risk customers with overdue invoices: name, churn probability, overdue amount"
                return self._side_by_side_per_account(names)
            if len(bases) > 1:
                labels = " and ".join(self.model.metric(n).label for n in names)
                raise QueryError(
                    f"{labels} come from different tables; I can show them side by side in total, by month, "
                    "quarter or year, or by a grouping both have (region, industry...)"
                )
            return self._grouped_side_by_side(names)
        if any(t.target in _ON_GROUPS for t in q.thresholds):
            raise QueryError(
                "a bound on a figure applies to a split of it (by account, by rep...), not to a total"
            )
        columns, formats = [], []
        for name in names:
            single = self.query.copy()
            single.metric, single.also = name, []
            built = _Compiler(self.model, single, self.today, self.scope).compile_aggregate()
            columns.append(built.select.scalar_subquery().label(name))
            formats.append(built.formats[-1])
        return Built(select(*columns), formats)

    def _side_by_side_per_account(self, names: list[str]) -> Built:
        """ "customers with a payment score under 40 who still owe us: payment score + what they owe": each measure
        per account on its own table, joined on the account (two accounts may share a name); the accounts are those
        of the first measure, the others beside them (empty where an account has none)."""
        q = self.query
        parts, formats = [], []
        for name in names:
            single = q.copy()
            single.metric, single.also, single.order, single.limit = name, [], None, None
            if self.model.time_column_of(name) is None:
                single.period = None  # (an account's own value, as of now: "revenue this year, with health")
            if parts:  # (a bound on the figure is the first measure's: the others are shown beside it)
                single.thresholds = [t for t in single.thresholds if t.target not in _ON_GROUPS]
            compiler = _Compiler(self.model, single, self.today, self.scope)
            built = compiler.compile_aggregate(with_keys=True)
            if "account_key" not in built.select.selected_columns:
                labels = " and ".join(self.model.metric(n).label for n in names)
                raise QueryError(
                    f"{labels} come from different tables and can't be set side by side per account"
                )
            parts.append(built.select.subquery(f"part_{len(parts)}"))
            formats.append(built.formats[-1])
        first = parts[0]
        joined = first
        for part in parts[1:]:
            joined = joined.outerjoin(part, part.c.account_key == first.c.account_key)
        label = first.c.keys()[1]  # (after the key: the account's name)
        values = [
            func.coalesce(part.c[name], 0).label(name) if i and fmt == "count" else part.c[name]
            for i, (part, name, fmt) in enumerate(zip(parts, names, formats, strict=True))
        ]  # (an account with no such records has none of them: 0)
        if names[0] in ACCOUNT_COUNTS and len(names) > 1:
            # "my high churn risk accounts" then "how many tickets has each logged": the accounts are the rows, each
            # counted once (no column of its own), ranked by the figure asked
            values, formats = values[1:], formats[1:]
        stmt = select(first.c[label], *values).select_from(joined)
        ranked = values[0]
        if q.order == "asc":
            stmt = stmt.order_by(ranked.asc(), first.c[label])
        else:
            stmt = stmt.order_by(ranked.desc(), first.c[label])
        if q.limit:
            stmt = stmt.limit(q.limit)
        return Built(stmt, ["text", *formats])

    def _side_by_side_across_tables(self, names: list[str]) -> Built:
        """ "invoiced vs collected, month by month": each measure grouped on its own table (its own date,
        conditions and filters), joined on the group's value; a group only one of them has shows the
        other as empty."""
        q = self.query
        parts, formats = [], []
        for name in names:
            single = q.copy()
            single.metric, single.also, single.order, single.limit = name, [], None, None
            built = _Compiler(self.model, single, self.today, self.scope).compile_aggregate()
            parts.append(built.select.subquery(f"part_{len(parts)}"))
            formats.append(built.formats[-1])
        key = parts[0].c.keys()[0]  # the group's label, the same in every part
        keys = union(*(select(part.c[key].label(key)) for part in parts)).subquery("groups")
        stmt = select(keys.c[key], *(part.c[name] for part, name in zip(parts, names, strict=True)))
        joined = keys
        for part in parts:
            joined = joined.outerjoin(part, part.c[key] == keys.c[key])
        stmt = stmt.select_from(joined).order_by(keys.c[key])
        group = q.group_by[0]
        return Built(stmt, ["period" if group.startswith("time:") else "text", *formats])

    def _grouped_side_by_side(self, names: list[str]) -> Built:
        q = self.query
        metrics = [self.model.metric(n) for n in names]
        shared = [c for c in metrics[0].conditions if all(c in m.conditions for m in metrics)]
        values, formats = [], []
        for metric in metrics:
            own = [self.condition(c) for c in metric.conditions if c not in shared]
            if q.period is not None:
                time_ref = self.model.time_column_of(metric)
                if time_ref is None:
                    raise QueryError(f"{metric.label} has no date to filter by")
                self.joins.need(time_ref, inner=True)
                when = self.date_of(time_ref)
                own += [when >= q.period.start] if q.period.start else []
                own += [when <= q.period.end] if q.period.end else []
            values.append(self.measure(metric, when=and_(*own) if own else None).label(metric.name))
            formats.append(metric.format)
        labels, keys, group_formats, natural = self.group_columns()
        saved_period, saved_metric = q.period, self.metric
        q.period = None  # each metric's own period is inside its measure
        self.metric = metrics[0].model_copy(update={"conditions": tuple(shared)})
        try:
            where = self.where()
        finally:
            q.period, self.metric = saved_period, saved_metric
        stmt = select(*labels, *values).select_from(self.joins.from_clause())
        if where:
            stmt = stmt.where(and_(*where))
        if labels:
            stmt = stmt.group_by(*keys, *labels)
        # a bound on the first measure ("churn probability above 50% and LTV over 500k", per account): on each group's
        # value, never dropped
        having = [_COMPARE[t.op](values[0], t.value) for t in q.thresholds if t.target == "metric"]
        having += [_COMPARE[t.op](func.count(), t.value) for t in q.thresholds if t.target == "records"]
        if q.period is not None and labels:
            # (the period is inside each measure: a group with nothing in it shows no row, not a row of zeros)
            having.append(or_(*(and_(v.is_not(None), v != 0) for v in values)))
        if having:
            stmt = stmt.having(and_(*having))
        stmt = self.order(stmt, labels, keys, values[0], natural)
        return Built(stmt, group_formats + formats)

    def group_columns(self) -> tuple[list, list, list[str], list]:
        """(labels, keys, formats, natural orders) for the query's groupings."""
        labels, keys, formats, natural = [], [], [], []
        for group in self.query.group_by:
            if group.startswith("time:"):
                grain = group.split(":", 1)[1]
                time_ref = self.model.time_column_of(self.metric)
                if time_ref is None:
                    raise QueryError(f"{self.metric.label} has no date to group by")
                self.joins.need(time_ref, inner=True)
                labels.append(period_start(self.col(time_ref), grain).label(grain))
                formats.append("period")
                continue
            dim = self.model.dimension_for(group, self.base)
            if dim is None:
                raise QueryError(f"{group.replace('_', ' ')} does not apply to {self.metric.label}")
            value = self.dimension_value(dim.name)
            key = self.model.dimension_key(dim.name, self.base)
            if key:
                self.joins.need(key, inner=True)
                keys.append(self.col(key))
            labels.append(value.label(dim.name))
            formats.append("text")
            if dim.expression == "converted_lead_source":
                self.grouped_apart.append(value.isnot(None))  # accounts that came from no lead: not a group
            vocabulary = self.model.vocabulary(dim.name) or (
                AGING_BUCKETS if dim.expression == "aging_bucket" else ()
            )
            if vocabulary:
                natural.append(
                    case(*((value == v, i) for i, v in enumerate(vocabulary)), else_=len(vocabulary))
                )
        return labels, keys, formats, natural

    def compile_aggregate(self, with_keys: bool = False) -> Built:
        line_items = self.uses_line_items()
        if line_items:
            self.joins.need("deal_line_items.id", inner=True)
        name = "accounts" if self.query.aggregate == "accounts" else self.metric.name
        value = self.measure(self.metric, line_items=line_items).label(name)
        labels, keys, formats, natural = self.group_columns()
        where = self.where()
        # (with_keys: the one group's key first, "account_key", to join measures of other tables on)
        first = [keys[0].label("account_key")] if with_keys and len(keys) == 1 else []
        stmt = select(*first, *labels, value).select_from(self.joins.from_clause())
        if where:
            stmt = stmt.where(and_(*where))
        if labels:
            stmt = stmt.group_by(*keys, *labels)
        having = [
            _COMPARE[t.op](self.measure(self.metric, line_items=line_items), t.value)
            for t in self.query.thresholds
            if t.target == "metric"
        ]
        # "reps with 35+ closed deals" on a win rate: each group's number of the records the figure is over
        having += [
            _COMPARE[t.op](func.count(), t.value) for t in self.query.thresholds if t.target == "records"
        ]
        if having:
            stmt = stmt.having(and_(*having))
        stmt = self.order(stmt, labels, keys, value, natural)
        formats.append("count" if self.query.aggregate == "accounts" else self.metric.format)
        if self.query.share and labels:
            # "what % of my team's bookings came from each rep": each row's part of all rows' total
            measured = self.measure(self.metric, line_items=line_items)
            share = cast(measured, Float) / func.nullif(cast(func.sum(measured).over(), Float), 0)
            stmt = stmt.add_columns(share.label("share"))
            formats.append("rate")
        return Built(stmt, formats)

    def compile_comparison(self) -> Built:
        q = self.query
        if q.period is None:
            raise QueryError("a comparison needs two periods")
        if q.time_grain:
            raise QueryError("I can compare two periods in total or by a grouping, but not by time as well")
        if self.model.time_column_of(self.metric) is None:
            raise QueryError(f"{self.metric.label} has no date, so two periods can't be compared")
        if any(t.target in _ON_GROUPS for t in q.thresholds):  # (in which period? never dropped silently)
            raise QueryError(
                "I can't bound a figure while comparing two periods; ask for one period with the bound"
            )
        line_items = self.uses_line_items()
        if line_items:
            self.joins.need("deal_line_items.id", inner=True)
        zero = self.metric.format in ("money", "count") and self.metric.aggregate in (
            "sum",
            "count",
            "count_distinct",
            "outstanding",
        )
        first = self.measure(self.metric, line_items=line_items, when=self.in_period(q.period), zero=zero)
        second = self.measure(
            self.metric, line_items=line_items, when=self.in_period(q.compare_to), zero=zero
        )
        names = comparison_columns(q)
        change = (first - second).label(names[2])
        change_pct = (cast(first - second, Float) / func.nullif(cast(second, Float), 0)).label(names[3])
        labels, keys, formats, natural = self.group_columns()
        where = self.where()
        stmt = select(*labels, first.label(names[0]), second.label(names[1]), change, change_pct)
        stmt = stmt.select_from(self.joins.from_clause())
        if where:
            stmt = stmt.where(and_(*where))
        if labels:
            stmt = stmt.group_by(*keys, *labels)
        # "which reps booked less in Q1 than in Q4": the groups whose change is below (or above) a bound, kept
        moved = [_COMPARE[t.op](first - second, t.value) for t in q.thresholds if t.target == "change"]
        if moved:
            if not labels:
                raise QueryError("a bound on the change needs a grouping (which reps, which regions)")
            stmt = stmt.having(and_(*moved))
        first_col = first.label(names[0])
        if q.sort_column in (BY_CHANGE, BY_CHANGE_PCT) and labels:
            # "which 3 teams grew the most": ranked by the change (or the change in %), not by the latest period
            ranked = change if q.sort_column == BY_CHANGE else change_pct
            direction = ranked.asc() if q.order == "asc" else ranked.desc()
            stmt = stmt.order_by(direction.nulls_last(), *keys, *labels)
            if q.limit:
                stmt = stmt.limit(q.limit).offset(q.offset or None)
            fmt = self.metric.format
            formats += [fmt, fmt, "rate_points" if fmt == "rate" else fmt, "rate"]
            return Built(stmt, formats)
        stmt = self.order(stmt, labels, keys, first_col, natural)
        fmt = self.metric.format
        formats += [fmt, fmt, "rate_points" if fmt == "rate" else fmt, "rate"]
        return Built(stmt, formats)

    def order(self, stmt: Select, labels: list, keys: list, value, natural: list) -> Select:
        """Ranked by the value when asked (ties by the group's key); time in order; vocabularies in
        their natural order (priority low to urgent); other groups by the value."""
        q = self.query
        time_labels = [lab for lab, g in zip(labels, q.group_by, strict=False) if g.startswith("time:")]
        other_labels = [lab for lab in labels if lab not in time_labels]
        if q.then_by == "name" and not q.order and other_labels:
            # "split by region ... alphabetical by region please": the groups by their names
            stmt = stmt.order_by(*time_labels, *other_labels)
        elif q.order == "asc":
            stmt = stmt.order_by(value.asc(), *keys, *labels)
        elif q.order == "desc" or (q.limit and labels and not time_labels):
            stmt = stmt.order_by(value.desc(), *keys, *labels)
        elif time_labels:
            stmt = stmt.order_by(*time_labels, *natural, *keys, *other_labels)
        elif natural and len(natural) == len(other_labels):
            stmt = stmt.order_by(*natural, *keys, *other_labels)
        elif labels:
            stmt = stmt.order_by(value.desc(), *keys, *labels)
        if q.limit:
            stmt = stmt.limit(q.limit).offset(q.offset or None)
        return stmt

    def compile_list(self) -> Built:
        q, model, base = self.query, self.model, self.base
        if any(t.target in _ON_GROUPS for t in q.thresholds):
            # a bar on a total has no meaning for records one by one: never listed without it
            raise QueryError(
                f"I couldn't tell which value of each {model.base_label(base).rstrip('s')} the number "
                f"{q.thresholds[0].value:g} is about"
            )
        where = self.where()
        entry = model.lists.get(base)
        if entry is None:
            raise QueryError(f"I can't list {model.base_label(base)}")
        shown, formats, refs = [], [], []
        for column in entry.columns:
            if not model.reachable(base, column.column.split(".")[0]):
                continue
            if self.hidden(column.column):
                owned = self.own_people(column.column, column.label)
                if owned is not None:
                    shown.append(owned)
                    formats.append(column.format or self.column_format(column.column))
                    refs.append(column.column)
                continue
            self.joins.need(column.column, inner=False)
            if column.expression == "invoice_balance":
                shown.append(self.invoice_balance().label(column.label))
                formats.append("money")
                continue
            if column.then:  # "Jason Vargas": first and last name as people write a name
                self.joins.need(column.then, inner=False)
                value = self.col(column.column) + literal(" ") + self.col(column.then)
                shown.append(value.label(column.label))
                formats.append(column.format)
                refs += [column.column, column.then]
                continue
            shown.append(self.col(column.column).label(column.label))
            formats.append(column.format or self.column_format(column.column))
            refs.append(column.column)
        time_ref = model.time_column_of(self.metric)
        if (
            q.period is not None
            and time_ref
            and time_ref not in refs
            and model.reachable(base, time_ref.split(".")[0])
        ):
            # "predicted to churn by the end of the year": the date the period was about, beside each record
            self.joins.need(time_ref, inner=False)
            shown.append(self.date_of(time_ref).label(time_ref.split(".", 1)[1].replace("_", " ")))
            formats.append("date")
            refs.append(time_ref)
        for extra in q.columns:
            if extra == LAST_CONTACTED:
                continue  # drawn below, from activities
            if extra == DAYS_OVERDUE:
                if base != "invoices":
                    raise QueryError("only invoices have days overdue")
                invoices = model.sql_tables["invoices"]
                late = days_between(invoices.c.due_date, literal(self.today.isoformat()))
                overdue = and_(invoices.c.status == "sent", self.date_of("invoices.due_date") < self.today)
                shown.append(case((overdue, late), else_=0).label("days overdue"))
                formats.append("number")
                continue
            if extra == PAID_TO_DATE:
                if base != "invoices":
                    raise QueryError("only invoices have an amount paid to date")
                invoices = model.sql_tables["invoices"]
                shown.append((invoices.c.total - self.invoice_balance()).label("paid to date"))
                formats.append("money")
                continue
            dim = model.dimensions_by_name.get(extra)
            if (
                dim is not None
                and dim.expression == "converted_lead_source"
                and model.dimension_for(extra, base)
            ):
                # "which lead source did Acme come from": the source of the lead the account was converted from
                self.joins.need(model.dimension_column(extra, base), inner=False)
                shown.append(self.converted_lead_source(model.dimension_column(extra, base)).label(dim.label))
                formats.append("text")
                continue
            ref, label = self.extra_column(extra)
            if ref in refs or self.hidden(ref):
                continue
            self.joins.need(ref, inner=False)
            shown.append(self.col(ref).label(label))
            formats.append(self.column_format(ref))
            refs.append(ref)
        for rc in q.conditions:
            if rc.kind == "older_than_days" and rc.column and rc.column not in refs:
                # "sitting open 100+ days": how old each one is shows by the date it was created
                self.joins.need(rc.column, inner=False)
                shown.append(self.date_of(rc.column).label(rc.column.split(".", 1)[1].replace("_", " ")))
                formats.append("date")
                refs.append(rc.column)
        dated = q.sort_column if q.sort_column and "." in q.sort_column else None
        if dated and dated not in refs and model.reachable(base, dated.split(".")[0]):
            # "the oldest open deal": the date it is ordered by shows beside it
            self.joins.need(dated, inner=False)
            shown.append(self.date_of(dated).label(dated.split(".", 1)[1].replace("_", " ")))
            formats.append("date")
            refs.append(dated)
        contacted = any(rc.kind == "not_contacted_days" for rc in q.conditions) or LAST_CONTACTED in q.columns
        if contacted and model.reachable(base, "companies"):
            activities = model.sql_tables["activities"].alias("touch")
            last = (
                select(func.max(activities.c.occurred_at))
                .where(activities.c.company_id == self.col("companies.id"))
                .scalar_subquery()
            )
            shown.append(last.label("last contacted"))
            formats.append("date")
        stmt = select(*shown).select_from(self.joins.from_clause())
        if where:
            stmt = stmt.where(and_(*where))
        order_ref = q.sort_column or model.order_column(base)
        # records that tie on the value ranked come in the order they were added (their key), as a plain
        # "ORDER BY score DESC" lists them
        key = next(iter(model.sql_tables[base].primary_key.columns), None)
        tie = self.col(f"{base}.{key.name}") if key is not None and q.then_by != "name" else shown[0]
        unpaid = base == "invoices" and fixed_values(self.metric.conditions, "invoices.status") == {"sent"}
        # ("10 biggest overdue invoices": the overdue ones counted, ranked by what is still owed on each)
        owed = q.sort_column == BALANCE or (
            q.sort_column is None and (self.metric.aggregate == "outstanding" or unpaid)
        )
        if q.order and owed:
            if base != "invoices":
                raise QueryError("only invoices have an amount still owed")
            col = self.invoice_balance()  # "the single biggest overdue invoice": by what is still owed
            ordered = col.asc() if q.order == "asc" else col.desc()
            stmt = stmt.order_by(ordered.nulls_last(), tie)
        elif q.order and order_ref:
            col = self.col(order_ref)
            ordered = col.asc() if q.order == "asc" else col.desc()
            # ("..., ties broken by conversion probability": that column next)
            finer, _, way = (q.then_by or "").partition(" ")  # ("deals.amount desc": its own direction)
            if not ("." in finer and model.reachable(base, finer.split(".")[0])):
                finer = ""
            if finer:
                exact = self.col(finer)
                asc = way == "asc" if way else q.order == "asc"
                stmt = stmt.order_by(ordered.nulls_last(), (exact.asc() if asc else exact.desc()), tie)
            else:
                stmt = stmt.order_by(ordered.nulls_last(), tie)
        elif order_ref and order_ref == model.amount_column(base):
            stmt = stmt.order_by(self.col(order_ref).desc().nulls_last(), tie)
        else:
            stmt = stmt.order_by(shown[0])
        if q.limit:
            stmt = stmt.limit(q.limit).offset(q.offset or None)
        return Built(stmt, formats, self.notes)

    def extra_column(self, name: str) -> tuple[str, str]:
        """A list column asked for by dimension name ("lost_reason") or reference ("table.column")."""
        if "." in name:
            return name, name.split(".", 1)[1].replace("_", " ")
        dim = self.model.dimension_for(name, self.base)
        if dim is None or dim.expression:
            raise QueryError(
                f"{name.replace('_', ' ')} can't be shown for {self.model.base_label(self.base)}"
            )
        return self.model.dimension_column(dim.name, self.base), dim.label

    def column_format(self, ref: str) -> str:
        if any(entry.amount == ref for entry in self.model.lists.values()):
            return "money"
        if ref.endswith(".predicted_ltv_12m") or ref.endswith(".ltv"):
            return "money"
        if self.is_timestamp(ref) or ref.endswith("_date") or ref.endswith(".paid_at"):
            return "date"
        if ref.endswith(".health_score") or ref.endswith(".score"):
            return "score"
        if ref.endswith("_probability"):
            return "rate"
        return "text"


def _typed(values: list[str], column) -> list:
    """Filter values as the column stores them ("false" is False for a boolean column)."""
    from sqlalchemy.types import Boolean

    if isinstance(getattr(column, "type", None), Boolean):
        return [str(v).lower() in ("true", "1", "yes") for v in values]
    return list(values)


def comparison_columns(query: Query) -> list[str]:
    """Column names of a comparison: the two periods (told apart), the change and the change in %."""
    first, second = query.period.label, query.compare_to.label
    if first == second:
        first, second = f"{first} ({query.period.start})", f"{second} ({query.compare_to.start})"
    return [first, second, "change", "change %"]
