"""The contract's tables under a team's physical names, for the SQL layer only.

Every SQLAlchemy column keeps the contract's name as its ``key`` (so the engine writes
``tables["deals"].c.amount``) and the team's name as its ``name`` (so the SQL says
``crm_deal.amount_usd``). With no ``tables`` mapping, physical and contract names agree.
"""

from __future__ import annotations

from sqlalchemy import Column, Engine, MetaData, Table, inspect, select

from tools.reports.semantic.schema import TableMap


def mapped_tables(mapping: dict[str, TableMap]) -> dict[str, Table]:
    """Contract table name -> a Table with the physical names, columns keyed by contract names."""
    from db.models import CONTRACT_TABLES, Base

    if not any(entry.renames for entry in mapping.values()):
        return {name: Base.metadata.tables[name] for name in CONTRACT_TABLES}
    metadata = MetaData()
    tables = {}
    for name in CONTRACT_TABLES:
        source = Base.metadata.tables[name]
        entry = mapping.get(name) or TableMap()
        columns = [
            Column(
                entry.columns.get(col.name, col.name),
                col.type,
                key=col.name,
                primary_key=col.primary_key,
                nullable=col.nullable,
            )
            for col in source.columns
        ]
        tables[name] = Table(entry.table or name, metadata, *columns, schema=entry.schema_name)
    return tables


def physical_columns(tables: dict[str, Table]) -> dict[str, tuple[str, ...]]:
    """Physical table name -> its physical column names: what people and the LLM write in SQL."""
    return {t.name: tuple(c.name for c in t.columns) for t in tables.values()}


def physical_name(tables: dict[str, Table], ref: str) -> str:
    """ "deals.amount" -> "crm_deal.amount_usd"."""
    table, column = ref.split(".", 1)
    t = tables[table]
    return f"{t.name}.{t.c[column].name}"


def missing_in_database(engine: Engine, tables: dict[str, Table]) -> list[str]:
    """Each mapped table or column the database lacks, with the fix, e.g. in the overlay."""
    insp = inspect(engine)
    problems = []
    by_schema: dict[str | None, set[str]] = {}
    for contract, table in tables.items():
        names = by_schema.get(table.schema)
        if names is None:
            names = by_schema[table.schema] = set(insp.get_table_names(schema=table.schema))
        if table.name not in names:
            hint = (
                f"map it under `tables: {{{contract}: {{table: <your table>}}}}`"
                if table.name == contract
                else f"check `tables.{contract}.table` in the overlay"
            )
            problems.append(f"table {table.name} (the contract's {contract}) is not in the database: {hint}")
            continue
        have = {c["name"] for c in insp.get_columns(table.name, schema=table.schema)}
        for col in table.columns:
            if col.name not in have:
                hint = (
                    f"map it under `tables.{contract}.columns.{col.key}`"
                    if col.name == col.key
                    else f"check `tables.{contract}.columns.{col.key}` in the overlay"
                )
                problems.append(
                    f"column {table.name}.{col.name} (the contract's {contract}.{col.key}) "
                    f"is not in the database: {hint}"
                )
    return problems


def probe(engine: Engine, table: Table) -> None:
    """Touch a table once (SELECT ... LIMIT 0), so a wrong mapping fails here, not in an answer."""
    with engine.connect() as conn:
        conn.execute(select(*table.columns).limit(0)).all()
