"""The effective semantic model: validated files turned into what the engine looks things up in.

Besides each file's own shape (schema.py), the whole model is checked for sense: bases and
columns exist in the data contract, a dimension can be reached from each base it claims,
ratios name metrics that exist, aliases name dimensions that exist. A problem names the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tools.reports.semantic.schema import Dimension, GlossaryEntry, Metric, ModelFile, RecordList, TableMap


@dataclass(frozen=True)
class Hop:
    """One join step: add ``table`` on ``left = right`` (contract names)."""

    table: str
    left: str
    right: str


def contract_columns() -> dict[str, tuple[str, ...]]:
    from db.models import CONTRACT_COLUMNS

    return CONTRACT_COLUMNS


def contract_vocabularies() -> dict[str, tuple[str, ...]]:
    """The contract's fixed vocabularies by column (their one home is db.vocab)."""
    from db.vocab import BY_COLUMN

    return BY_COLUMN


class SemanticModel:
    """Metrics, dimensions, joins and words of one effective model (default + overlay)."""

    def __init__(self, data: ModelFile, sources: tuple[str, ...]):
        self.file = data
        self.sources = sources
        self.metrics: tuple[Metric, ...] = data.metrics
        self.metrics_by_name: dict[str, Metric] = {m.name: m for m in data.metrics}
        self.dimensions: tuple[Dimension, ...] = data.dimensions
        self.dimensions_by_name: dict[str, Dimension] = {d.name: d for d in data.dimensions}
        self.lists: dict[str, RecordList] = dict(data.lists)
        self.glossary: tuple[GlossaryEntry, ...] = data.glossary
        self.tables: dict[str, TableMap] = dict(data.tables)
        self.joins: dict[str, dict[str, tuple[Hop, ...]]] = {
            base: {target: tuple(_hop(h) for h in hops) for target, hops in targets.items()}
            for base, targets in data.joins.items()
        }
        self.dimension_columns: dict[str, dict[str, str]] = {d.name: d.per_base() for d in data.dimensions}
        self.dimension_keys: dict[str, dict[str, str]] = {d.name: d.keys_per_base() for d in data.dimensions}

    # ---- look-ups

    def metric(self, name: str) -> Metric:
        return self.metrics_by_name[name]

    def restricted(self, metric: Metric, values, column: str | None = None) -> Metric | None:
        """The measure defined as ``metric`` over the rows whose ``column`` (any, when None) is one of
        ``values`` and nothing else (the deal amount of stage closed_won: bookings), or None."""
        wanted = {str(v) for v in values}
        for other in self.metrics:
            if (
                other.base != metric.base
                or other.aggregate != metric.aggregate
                or other.column != metric.column
                or len(other.conditions) != 1
            ):
                continue
            condition = other.conditions[0]
            if condition.op not in ("eq", "in") or column not in (None, condition.column):
                continue
            held = condition.value if condition.op == "in" else [condition.value]
            if {str(v) for v in held} == wanted:
                return other
        return None

    def base_of(self, metric: Metric | str) -> str:
        """The table a metric's rows come from (a ratio: its numerator's)."""
        m = self.metrics_by_name[metric] if isinstance(metric, str) else metric
        if m.aggregate == "ratio":
            return self.base_of(m.numerator)
        return m.base

    def time_column_of(self, metric: Metric | str) -> str | None:
        m = self.metrics_by_name[metric] if isinstance(metric, str) else metric
        if m.aggregate == "ratio" and m.time_column is None:
            return self.time_column_of(m.numerator)
        return m.time_column

    def dimension_for(self, name: str, base: str) -> Dimension | None:
        """The dimension called ``name`` as seen from ``base`` ("status" means the base's own status)."""
        if name == "status":
            name = self.lists[base].status if base in self.lists and self.lists[base].status else ""
        dim = self.dimensions_by_name.get(name)
        if dim is None or base not in self.dimension_columns[dim.name]:
            return None
        return dim

    def dimension_column(self, name: str, base: str) -> str:
        return self.dimension_columns[name][base]

    def dimension_key(self, name: str, base: str) -> str | None:
        return self.dimension_keys[name].get(base)

    def base_label(self, base: str) -> str:
        return self.lists[base].label if base in self.lists else base.replace("_", " ")

    def amount_column(self, base: str) -> str | None:
        return self.lists[base].amount if base in self.lists else None

    def order_column(self, base: str) -> str | None:
        entry = self.lists.get(base)
        return (entry.order or entry.amount) if entry else None

    def reachable(self, base: str, table: str) -> bool:
        return table == base or table in self.joins.get(base, {})

    @cached_property
    def sql_tables(self):
        """Contract name -> SQLAlchemy Table under the team's physical names (columns keyed by contract names)."""
        from tools.reports.semantic.physical import mapped_tables

        return mapped_tables(self.tables)

    @cached_property
    def allowed_columns(self) -> dict[str, tuple[str, ...]]:
        """Physical table -> physical columns: what a person's or the LLM's SQL may read."""
        from tools.reports.semantic.physical import physical_columns

        return physical_columns(self.sql_tables)

    @cached_property
    def people_columns(self) -> frozenset[str]:
        """Contract references ("users.email") of the columns marked as people data."""
        return frozenset(f"{table}.{col}" for table, entry in self.tables.items() for col in entry.people)

    @cached_property
    def physical_people_columns(self) -> dict[str, frozenset[str]]:
        """Physical table -> its physical columns that are people data (what the SQL guard checks)."""
        found: dict[str, set[str]] = {}
        for ref in self.people_columns:
            table, column = ref.split(".", 1)
            sql_table = self.sql_tables[table]
            found.setdefault(sql_table.name.lower(), set()).add(sql_table.c[column].name.lower())
        return {table: frozenset(cols) for table, cols in found.items()}

    def sql_column(self, ref: str):
        """ "deals.amount" -> the SQLAlchemy column (under its physical name)."""
        table, name = ref.split(".", 1)
        return self.sql_tables[table].c[name]

    @cached_property
    def vocabularies(self) -> dict[str, tuple[str, ...]]:
        """Dimension name -> its fixed values (given in the file, else the contract's for its column)."""
        known = contract_vocabularies()
        result = {}
        for dim in self.dimensions:
            if dim.vocabulary is not None:
                result[dim.name] = tuple(dim.vocabulary)
                continue
            for ref in self.dimension_columns[dim.name].values():
                if ref in known:
                    result[dim.name] = known[ref]
                    break
        return result

    def vocabulary(self, dimension: str) -> tuple[str, ...]:
        return self.vocabularies.get(dimension, ())

    # ---- the whole model makes sense

    def problems(self) -> list[str]:
        """Every inconsistency, each naming its key; empty when the model makes sense."""
        columns = contract_columns()
        problems: list[str] = []

        def column_ok(ref: str | None, where: str, base: str | None = None) -> None:
            if ref is None:
                return
            table, _, name = ref.partition(".")
            if table not in columns:
                problems.append(f"{where}: '{ref}': there is no table {table} in the data contract")
            elif name not in columns[table]:
                problems.append(f"{where}: '{ref}': table {table} has no column {name}")
            elif base is not None and not self.reachable(base, table):
                problems.append(
                    f"{where}: '{ref}' cannot be reached from {base}: add a join {base} -> {table}"
                )

        for base, targets in self.joins.items():
            if base not in columns:
                problems.append(f"joins.{base}: there is no table {base} in the data contract")
            for target, hops in targets.items():
                for hop in hops:
                    column_ok(hop.left, f"joins.{base}.{target}")
                    column_ok(hop.right, f"joins.{base}.{target}")
                if hops and hops[-1].table != target:
                    problems.append(f"joins.{base}.{target}: the last step must reach {target}")
        seen: set[str] = set()
        for m in self.metrics:
            where = f"metrics ({m.name})"
            if m.name in seen:
                problems.append(f"{where}: the name is used twice")
            seen.add(m.name)
            if m.aggregate == "ratio":
                for part in (m.numerator, m.denominator):
                    if part not in self.metrics_by_name:
                        problems.append(f"{where}: ratio part '{part}' is not a metric")
                    elif part == m.name or self.metrics_by_name[part].aggregate == "ratio":
                        problems.append(f"{where}: ratio part '{part}' must be a plain metric, not a ratio")
                continue
            if m.base not in columns:
                problems.append(f"{where}: base '{m.base}' is not a table of the data contract")
                continue
            for ref in (m.column, m.end_column, m.time_column):
                column_ok(ref, where, m.base)
            for cond in m.conditions:
                column_ok(cond.column, f"{where}.conditions", m.base)
        for d in self.dimensions:
            where = f"dimensions ({d.name})"
            for base, ref in self.dimension_columns[d.name].items():
                column_ok(ref, where, base)
            for base, ref in self.dimension_keys[d.name].items():
                column_ok(ref, f"{where}.key_columns", base)
        for base, entry in self.lists.items():
            where = f"lists.{base}"
            if base not in columns:
                problems.append(f"{where}: there is no table {base} in the data contract")
                continue
            for col in entry.columns:
                column_ok(col.column, where, base)
            column_ok(entry.amount, f"{where}.amount", base)
            column_ok(entry.order, f"{where}.order", base)
            column_ok(entry.reason, f"{where}.reason", base)
            if entry.open and entry.open.dimension not in self.dimensions_by_name:
                problems.append(f"{where}.open: '{entry.open.dimension}' is not a dimension")
            if entry.status and entry.status not in self.dimensions_by_name:
                problems.append(f"{where}.status: '{entry.status}' is not a dimension")
        for m in self.metrics:
            if m.count_metric and m.count_metric not in self.metrics_by_name:
                problems.append(f"metrics ({m.name}).count_metric: '{m.count_metric}' is not a metric")
            if m.amount_metric and m.amount_metric not in self.metrics_by_name:
                problems.append(f"metrics ({m.name}).amount_metric: '{m.amount_metric}' is not a metric")
            if m.owned_through and not (
                m.owned_through in self.joins.get(m.base or "", {})
                and "owner_id" in columns.get(m.owned_through, ())
            ):
                problems.append(
                    f"metrics ({m.name}).owned_through: '{m.owned_through}' must be a table joined from {m.base} that "
                    "has an owner_id"
                )
        for d in self.dimensions:
            if d.default_metric and d.default_metric not in self.metrics_by_name:
                problems.append(f"dimensions ({d.name}).default_metric: '{d.default_metric}' is not a metric")
        for combo in self.file.combinations:
            for name in (*combo.parts, combo.metric):
                if name not in self.metrics_by_name:
                    problems.append(f"combinations ({'+'.join(combo.parts)}): '{name}' is not a metric")
        for cond in self.file.conditions:
            column_ok(cond.column, f"conditions ({cond.name})", cond.base)
            if cond.metric and cond.metric not in self.metrics_by_name:
                problems.append(f"conditions ({cond.name}).metric: '{cond.metric}' is not a metric")
            if cond.kind == "has_records" and (
                cond.base != "companies" or cond.records not in self.metrics_by_name
            ):
                problems.append(
                    f"conditions ({cond.name}): has_records needs base companies and a metric in records"
                )
        for alias in self.file.value_aliases:
            if alias.dimension not in self.dimensions_by_name:
                problems.append(
                    f"value_aliases ({alias.dimension}/{alias.value}): no dimension {alias.dimension}"
                )
        for table, mapping in self.tables.items():
            if table not in columns:
                problems.append(f"tables.{table}: there is no table {table} in the data contract to map")
                continue
            for col in mapping.columns:
                if col not in columns[table]:
                    problems.append(
                        f"tables.{table}.columns.{col}: {table} has no column {col} in the contract"
                    )
            for col in mapping.people:
                if col not in columns[table]:
                    problems.append(f"tables.{table}.people: {table} has no column {col} in the contract")
        return problems


def _hop(text: str) -> Hop:
    left, _, right = (part.strip() for part in text.partition("="))
    return Hop(right.split(".", 1)[0], left, right)
