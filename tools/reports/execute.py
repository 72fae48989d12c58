"""Run a report query read-only, bounded in rows, bytes, value size and time.

Every report query, whether the semantic layer built it, an LLM wrote it or a manager typed
it, runs here: on SQLite with ``PRAGMA query_only``, a progress handler that interrupts the
statement after ``timeout_s`` and a cap on the size of any value SQLite builds; on PostgreSQL
inside a ``READ ONLY`` transaction with ``SET LOCAL statement_timeout``, a cancel at the overall
deadline, a server-side cursor, and (for SQL text) each value's size checked on the server
before it is sent. Rows are fetched a few at a time and counted as they come: past the row
limit or the byte budget the fetch stops and the result says it was cut; a value over the cell
cap refuses the query. Both layers hold even when the engine itself could write. A SQL string
must pass the guard first, so the database is the second line of defence, not the first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tools.reports.fetch import (
    DEFAULT_CELL_MAX_BYTES,
    CellTooLarge,
    Fetched,
    ResultLimits,
    cancel_at,
    escape_colons,
    fetch_rows,
    to_plain,
    too_large_text,
    with_value_check,
)
from tools.reports.formatting import display
from tools.reports.results import ReportResult

# Fetched, ResultLimits and to_plain live in tools.reports.fetch and are part of this module's API too
__all__ = [
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIMEOUT_S",
    "Fetched",
    "QueryError",
    "QueryTimeout",
    "ResultLimits",
    "ValueTooLarge",
    "describe_rows",
    "dialect_of",
    "fetch_bounded",
    "run_select",
    "run_user_sql",
    "to_plain",
]

DEFAULT_ROW_LIMIT = 5000
DEFAULT_TIMEOUT_S = 10.0
PROGRESS_EVERY_N_OPS = 20_000  # SQLite VM steps between clock checks: ~1 ms of work


class QueryError(Exception):
    """A query that could not run, with a message a user can act on."""


class QueryTimeout(QueryError):
    """The statement ran past its time limit and was stopped."""


class ValueTooLarge(QueryError):
    """The query built a value larger than the cell cap; nothing of it was kept."""


def run_select(
    engine: Engine,
    sql_or_select: Any,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    limits: ResultLimits | None = None,
) -> tuple[list[str], list[list], bool]:
    """(columns, rows, truncated) of a SELECT, at most ``row_limit`` rows, read-only, time-limited.

    A string goes through ``guard.check`` (raising ``GuardError``); a SQLAlchemy Select is
    trusted to be a query the semantic layer built. ``truncated`` is True when more rows existed
    (or the byte budget was reached).
    """
    fetched = fetch_bounded(engine, sql_or_select, row_limit=row_limit, timeout_s=timeout_s, limits=limits)
    return fetched.columns, fetched.rows, fetched.truncated


def fetch_bounded(
    engine: Engine,
    sql_or_select: Any,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    limits: ResultLimits | None = None,
    rewrite=None,
) -> Fetched:
    """Run and fetch at most ``row_limit`` rows within ``limits`` (default: settings) and ``timeout_s``.

    ``timeout_s`` covers the whole database step, every fetch included. ``rewrite`` is passed to the
    guard for SQL text (the asker's data scope, tools.reports.guard_scope).
    """
    limits = limits or ResultLimits.from_settings()
    deadline = time.monotonic() + timeout_s
    statement, guarded = _prepare(engine, sql_or_select, row_limit, rewrite)
    try:
        with _read_only_connection(engine, timeout_s, limits.cell_bytes) as conn, cancel_at(conn, deadline):
            names = None
            if guarded is not None and engine.dialect.name == "postgresql":
                statement, names = with_value_check(conn, guarded, limits.cell_bytes)
            return fetch_rows(conn, statement, row_limit, limits, names)
    except CellTooLarge as exc:
        raise ValueTooLarge(too_large_text(limits.cell_bytes)) from exc
    except DBAPIError as exc:
        raise _explain(exc, timeout_s, limits.cell_bytes) from exc
    except SQLAlchemyError as exc:
        raise QueryError(f"The query could not run: {_one_line(exc)}") from exc


def run_user_sql(
    engine: Engine,
    sql: str,
    *,
    dialect: str | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    source: str = "sql",
    limits: ResultLimits | None = None,
    scope=None,
) -> ReportResult:
    """A person's own SQL (``crmbot sql``, ``/crm sql``) as a ReportResult; refusals, not exceptions.

    With ``scope`` (the asker's tools.scope.DataScope), every table reads only the asker's rows and
    people data is refused to those who may not read it (tools.reports.guard_scope)."""
    from tools.reports.guard import GuardError, check
    from tools.reports.guard_scope import scope_rewriter

    dialect = dialect or dialect_of(engine)
    result = ReportResult(question=sql, interpretation="your SQL", source=source)
    try:
        rewrite = scope_rewriter(scope, engine.dialect)
        result.sql = check(sql, dialect, row_limit=row_limit, rewrite=rewrite)
        fetched = fetch_bounded(
            engine, sql, row_limit=row_limit, timeout_s=timeout_s, limits=limits, rewrite=rewrite
        )
    except (GuardError, QueryError) as exc:
        result.refused = True
        result.reason = str(exc)
        result.answer = f"I did not run that query. {exc}"
        return result
    result.columns, result.rows, result.truncated = fetched.columns, fetched.rows, fetched.truncated
    result.answer = describe_rows(len(result.rows), result.truncated, row_limit, fetched.cut)
    if len(result.rows) == 1 and len(result.columns) == 1:  # one value: say it
        fmt = _value_format(result.sql, dialect, result.rows[0][0])
        result.formats = [fmt]
        result.answer = f"{result.columns[0]}: {display(result.rows[0][0], fmt)}."
    if rewrite is not None and scope is not None and not scope.is_all:
        from tools.reports.scoped import scope_words

        result.interpretation = f"your SQL, reading {scope_words(scope)}"
        result.answer += f" Your query read {scope_words(scope)}."
    return result


def _value_format(sql: str, dialect: str, value) -> str:
    """Money when the one value is computed from a money column of the semantic model (SUM(amount)
    FROM payments), a count or a number otherwise; text for anything that is not a number."""
    import sqlglot
    from sqlglot import exp

    from tools.reports import semantic

    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return "text"
    model = semantic.model()
    money = {m.column.split(".", 1)[1] for m in model.metrics if m.format == "money" and m.column}
    money |= {entry.amount.split(".", 1)[1] for entry in model.lists.values() if entry.amount}
    try:
        projection = sqlglot.parse_one(sql, read=dialect).selects[0]
    except (sqlglot.errors.ParseError, IndexError, AttributeError):
        return "number"
    if projection.find(exp.Count):
        return "count"
    names = {c.name for c in projection.find_all(exp.Column)}
    return "money" if names & money else "number"


def describe_rows(count: int, truncated: bool, row_limit: int, cut: str | None = "rows") -> str:
    """One sentence about how many rows came back, and why they stop where they do."""
    if truncated and cut == "bytes":
        return (
            f"The first {count:,} rows: the result was cut there because it reached the size limit "
            "of one answer (CRMBOT_REPORT_MAX_BYTES)."
        )
    if truncated:
        return f"The first {row_limit:,} rows (the result was cut at the row limit)."
    if count == 1:
        return "1 row."
    return f"{count:,} rows."


def dialect_of(engine: Engine) -> str:
    """The sqlglot dialect name for an engine: sqlite, postgres, ..."""
    name = engine.dialect.name
    return {"postgresql": "postgres"}.get(name, name)


# --------------------------------------------------------------------------- internals


def _prepare(engine: Engine, sql_or_select: Any, row_limit: int, rewrite=None):
    """(statement ready to execute, the guarded SQL text or None); strings are guarded and
    limited to row_limit + 1 rows."""
    from sqlalchemy import text

    if isinstance(sql_or_select, str):
        from tools.reports.guard import check

        guarded = check(sql_or_select, dialect_of(engine), row_limit=row_limit + 1, rewrite=rewrite)
        return text(escape_colons(guarded)), guarded
    limit = getattr(sql_or_select, "_limit", None)
    if hasattr(sql_or_select, "limit") and (limit is None or limit > row_limit + 1):
        return sql_or_select.limit(row_limit + 1), None
    return sql_or_select, None


@contextmanager
def _read_only_connection(engine: Engine, timeout_s: float, cell_bytes: int) -> Iterator:
    """A connection that cannot write and gives up after ``timeout_s``; always rolled back."""
    with engine.connect() as conn:
        backend = engine.dialect.name
        try:
            if backend == "sqlite":
                with _sqlite_guarded(conn, timeout_s, cell_bytes):
                    yield conn
            elif backend == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}")
                yield conn
            else:
                yield conn
        finally:
            conn.rollback()


@contextmanager
def _sqlite_guarded(conn, timeout_s: float, cell_bytes: int) -> Iterator:
    """query_only, a deadline checked every few thousand VM steps, and SQLite's own cap on the
    size of any string or blob it builds (printf, replace, group_concat, ||...)."""
    import sqlite3

    raw = conn.connection.driver_connection
    deadline = time.monotonic() + timeout_s

    def past_deadline() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw.execute("PRAGMA query_only = ON")
    raw.set_progress_handler(past_deadline, PROGRESS_EVERY_N_OPS)
    previous_length = raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max(1, cell_bytes))
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, previous_length)
        raw.set_progress_handler(None, 0)
        raw.execute("PRAGMA query_only = OFF")


def _explain(exc: DBAPIError, timeout_s: float, cell_bytes: int = DEFAULT_CELL_MAX_BYTES) -> QueryError:
    """A database error in words: timeouts, values too big, writes refused, and the database's own message."""
    orig = exc.orig
    message = _one_line(orig)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "57014" or "interrupted" in message.lower():
        return QueryTimeout(f"The query took longer than {timeout_s:g} s and was stopped.")
    if getattr(orig, "sqlite_errorname", None) == "SQLITE_TOOBIG" or "too big" in message.lower():
        return ValueTooLarge(too_large_text(cell_bytes))
    if sqlstate in ("53200", "54000") or "out of memory" in message.lower():
        return ValueTooLarge(too_large_text(cell_bytes))
    if sqlstate == "25006" or "readonly" in message.lower().replace(" ", "") or "query_only" in message:
        return QueryError("That query tried to change data; reports are read-only, so nothing was changed.")
    return QueryError(f"The database could not run the query: {message}")


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
