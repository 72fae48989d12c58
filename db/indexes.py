"""Indexes the duplicate check needs on the invoices table, on a team's own CRM database too.

crmbot creates them with the table when it makes the database. On a team's existing CRM the
table is theirs: without ``ix_invoices_dup_check`` the check of one new draft reads the whole
table (about 0.9 s at a million invoices instead of milliseconds). An index changes no row and
can be dropped at any time, so ``crmbot db upgrade`` creates the missing ones (on PostgreSQL
with CREATE INDEX CONCURRENTLY, which does not block the team's writes) unless
CRMBOT_CREATE_TEAM_INDEXES=false; then, or when the database refuses (no privilege), it prints
the statements for the team's DBA instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, inspect, text

INVOICE_INDEXES: dict[str, tuple[str, ...]] = {
    # candidates for a copy: nearly the same total, a date near or none (covering: no table reads)
    "ix_invoices_dup_check": ("total", "issue_date", "status", "company_id", "deal_id"),
    # a deal's invoices: instalments, what is left to invoice, a deal invoiced beyond its amount
    "ix_invoices_deal_id": ("deal_id",),
}


@dataclass
class IndexReport:
    created: list[str] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)  # statements to run by hand
    problems: list[str] = field(default_factory=list)


def _statement(name: str, columns: tuple[str, ...], dialect: str) -> str:
    concurrently = " CONCURRENTLY" if dialect == "postgresql" else ""
    return f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON invoices ({', '.join(columns)})"


def missing_invoice_indexes(engine: Engine) -> dict[str, tuple[str, ...]]:
    """The duplicate-check indexes the invoices table lacks (by name, or by the same columns)."""
    inspector = inspect(engine)
    if "invoices" not in inspector.get_table_names():
        return {}
    present = inspector.get_indexes("invoices")
    names = {ix["name"] for ix in present}
    shapes = {tuple(ix["column_names"]) for ix in present}
    return {
        name: columns
        for name, columns in INVOICE_INDEXES.items()
        if name not in names and columns not in shapes
    }


def ensure_invoice_indexes(engine: Engine, create: bool = True) -> IndexReport:
    """Create the missing indexes (``create``), or list the statements that would."""
    report = IndexReport()
    dialect = engine.dialect.name
    for name, columns in missing_invoice_indexes(engine).items():
        statement = _statement(name, columns, dialect)
        if not create:
            report.suggested.append(statement)
            continue
        try:
            # CONCURRENTLY cannot run inside a transaction block: autocommit for this statement
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(statement))
            report.created.append(name)
        except Exception as exc:  # noqa: BLE001 - any refusal (privileges, a lock timeout) becomes advice
            report.suggested.append(statement)
            report.problems.append(f"{name}: {getattr(exc, 'orig', exc)}")
    return report
