"""The model against a real database: names exist, and every metric and dimension runs there.

Each problem names the table, column, metric or dimension and says what to change; nothing is
written (every statement runs with LIMIT 0 on the engine it is given, read-only in the CLI).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from tools.reports.semantic.model import SemanticModel


def check_against(model: SemanticModel, engine: Engine, today: date | None = None) -> tuple[list[str], str]:
    """(problems, what was checked in words)."""
    from sqlalchemy.exc import SQLAlchemyError

    from tools.reports.semantic.physical import missing_in_database

    try:
        problems = missing_in_database(engine, model.sql_tables)
    except SQLAlchemyError as exc:
        return [
            f"cannot read the database's tables: {exc.__class__.__name__}: {exc.orig if hasattr(exc, 'orig') else exc}"
        ], ""
    if problems:
        return problems, ""  # names first: every query would fail on a missing table
    today = today or date.today()
    problems += _run_metrics(model, engine, today)
    problems += _run_dimensions(model, engine, today)
    checked = (
        f"{len(model.sql_tables)} tables, {len(model.metrics)} metrics and {len(model.dimensions)} dimensions "
        "run on this database"
    )
    return problems, checked


def _run(engine: Engine, query, today: date, model: SemanticModel) -> str | None:
    from sqlalchemy.exc import SQLAlchemyError

    from tools.reports.build import QueryError, build

    try:
        built = build(query, today, model)
    except QueryError as exc:
        return f"does not compile: {exc}"
    try:
        with engine.connect() as conn:
            conn.execute(built.select.limit(0)).all()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        return f"does not run on this database: {reason}"
    return None


def _run_metrics(model: SemanticModel, engine: Engine, today: date) -> list[str]:
    from tools.reports.query import Query

    problems = []
    for metric in model.metrics:
        problem = _run(engine, Query(metric=metric.name), today, model)
        if problem:
            problems.append(f"metric {metric.name}: {problem} (check its base, column and conditions)")
    return problems


def _run_dimensions(model: SemanticModel, engine: Engine, today: date) -> list[str]:
    """Each dimension grouped once per base table it claims, with a metric of that table."""
    from tools.reports.query import Query

    by_base: dict[str, str] = {}
    for metric in model.metrics:
        if metric.base and metric.aggregate in ("count", "count_distinct", "sum"):
            by_base.setdefault(metric.base, metric.name)
    problems = []
    for dim in model.dimensions:
        for base in model.dimension_columns[dim.name]:
            metric = by_base.get(base)
            if metric is None:
                continue
            problem = _run(engine, Query(metric=metric, group_by=[dim.name]), today, model)
            if problem:
                problems.append(
                    f"dimension {dim.name} (from {base}): {problem} (check its column for {base} and the joins)"
                )
    return problems
