"""Run a report query read-only, with a row limit and a time limit.

Every report query, whether the semantic layer built it, an LLM wrote it or a manager typed
it, runs here: on SQLite with ``PRAGMA query_only`` and a progress handler that interrupts the
statement after ``timeout_s``; on PostgreSQL inside a ``READ ONLY`` transaction with
``SET LOCAL statement_timeout``. Both layers hold even when the engine itself could write.
A SQL string must pass the guard first (``run_select`` calls it), so the database is the
second line of defence, not the first.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tools.reports.results import ReportResult

DEFAULT_ROW_LIMIT = 5000
DEFAULT_TIMEOUT_S = 10.0
PROGRESS_EVERY_N_OPS = 20_000  # SQLite VM steps between clock checks: ~1 ms of work


class QueryError(Exception):
    """A query that could not run, with a message a user can act on."""


class QueryTimeout(QueryError):
    """The statement ran past its time limit and was stopped."""


def run_select(
    engine: Engine,
    sql_or_select: Any,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> tuple[list[str], list[list], bool]:
    """(columns, rows, truncated) of a SELECT, at most ``row_limit`` rows, read-only, time-limited.

    A string goes through ``guard.check`` (raising ``GuardError``); a SQLAlchemy Select is
    trusted to be a query the semantic layer built. ``truncated`` is True when more rows existed.
    """
    statement = _prepare(engine, sql_or_select, row_limit)
    try:
        with _read_only_connection(engine, timeout_s) as conn:
            result = conn.execute(statement)
            columns = list(result.keys())
            fetched = result.fetchmany(row_limit + 1)
    except DBAPIError as exc:
        raise _explain(exc, timeout_s) from exc
    except SQLAlchemyError as exc:
        raise QueryError(f"The query could not run: {_one_line(exc)}") from exc
    truncated = len(fetched) > row_limit
    rows = [[to_plain(value) for value in row] for row in fetched[:row_limit]]
    return columns, rows, truncated


def run_user_sql(
    engine: Engine,
    sql: str,
    *,
    dialect: str | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    source: str = "sql",
) -> ReportResult:
    """A manager's own SQL (``crmbot sql``, ``/crm sql``) as a ReportResult; refusals, not exceptions."""
    from tools.reports.guard import GuardError, check

    dialect = dialect or dialect_of(engine)
    result = ReportResult(question=sql, interpretation="your SQL", source=source)
    try:
        result.sql = check(sql, dialect, row_limit=row_limit)
        result.columns, result.rows, result.truncated = run_select(
            engine, sql, row_limit=row_limit, timeout_s=timeout_s
        )
    except (GuardError, QueryError) as exc:
        result.refused = True
        result.reason = str(exc)
        result.answer = f"I did not run that query. {exc}"
        return result
    result.answer = describe_rows(len(result.rows), result.truncated, row_limit)
    return result


def describe_rows(count: int, truncated: bool, row_limit: int) -> str:
    """One sentence about how many rows came back."""
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


def _prepare(engine: Engine, sql_or_select: Any, row_limit: int):
    """A statement object ready to execute; strings are guarded and limited to row_limit + 1."""
    from sqlalchemy import text

    if isinstance(sql_or_select, str):
        from tools.reports.guard import check

        guarded = check(sql_or_select, dialect_of(engine), row_limit=row_limit + 1)
        return text(guarded.replace(":", "\\:"))  # a colon is data here, never a bind parameter
    limit = getattr(sql_or_select, "_limit", None)
    if hasattr(sql_or_select, "limit") and (limit is None or limit > row_limit + 1):
        return sql_or_select.limit(row_limit + 1)
    return sql_or_select


@contextmanager
def _read_only_connection(engine: Engine, timeout_s: float) -> Iterator:
    """A connection that cannot write and gives up after ``timeout_s``; always rolled back."""
    with engine.connect() as conn:
        backend = engine.dialect.name
        try:
            if backend == "sqlite":
                with _sqlite_guarded(conn, timeout_s):
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
def _sqlite_guarded(conn, timeout_s: float) -> Iterator:
    raw = conn.connection.driver_connection
    deadline = time.monotonic() + timeout_s

    def past_deadline() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw.execute("PRAGMA query_only = ON")
    raw.set_progress_handler(past_deadline, PROGRESS_EVERY_N_OPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)
        raw.execute("PRAGMA query_only = OFF")


def _explain(exc: DBAPIError, timeout_s: float) -> QueryError:
    """A database error in words: timeouts, writes refused, and the database's own message."""
    orig = exc.orig
    message = _one_line(orig)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "57014" or "interrupted" in message.lower():
        return QueryTimeout(f"The query took longer than {timeout_s:g} s and was stopped.")
    if sqlstate == "25006" or "readonly" in message.lower().replace(" ", "") or "query_only" in message:
        return QueryError("That query tried to change data; reports are read-only, so nothing was changed.")
    return QueryError(f"The database could not run the query: {message}")


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def to_plain(value: Any) -> Any:
    """A JSON-friendly Python value: numbers, str, bool, None, Decimal, date and datetime stay."""
    if value is None or isinstance(value, (bool, int, float, str, Decimal, dt.date, dt.datetime)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (uuid.UUID, dt.time)):
        return str(value)
    return str(value)
