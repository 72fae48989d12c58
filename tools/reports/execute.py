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

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tools.reports.results import ReportResult

DEFAULT_ROW_LIMIT = 5000
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_BYTES = 20_000_000  # all values of one result together
DEFAULT_CELL_MAX_BYTES = 65_536  # one value
CHUNK_BYTES = 32_000_000  # at most this much is fetched per round (rows x columns x cell cap)
PROGRESS_EVERY_N_OPS = 20_000  # SQLite VM steps between clock checks: ~1 ms of work
_SCALAR_BYTES = 16  # what a number, date or boolean counts for in the byte budget
_TOO_BIG_FLAG = "crmbot_value_too_big"


class QueryError(Exception):
    """A query that could not run, with a message a user can act on."""


class QueryTimeout(QueryError):
    """The statement ran past its time limit and was stopped."""


class ValueTooLarge(QueryError):
    """The query built a value larger than the cell cap; nothing of it was kept."""


@dataclass(frozen=True)
class ResultLimits:
    """How much one result may hold besides its rows: bytes of all values, bytes of any one value."""

    bytes: int = DEFAULT_MAX_BYTES
    cell_bytes: int = DEFAULT_CELL_MAX_BYTES

    @classmethod
    def from_settings(cls) -> ResultLimits:
        from crmbot.settings import get_settings

        settings = get_settings()
        return cls(bytes=settings.report_max_bytes, cell_bytes=settings.report_cell_max_bytes)

    def rows_per_fetch(self, columns: int) -> int:
        """Rows per round, so that one round holds at most CHUNK_BYTES whatever the values."""
        return max(1, min(500, CHUNK_BYTES // max(1, columns * self.cell_bytes)))


@dataclass
class Fetched:
    """The rows of a query, and whether (and why) they were cut: "rows" or "bytes"."""

    columns: list[str]
    rows: list[list]
    cut: str | None = None

    @property
    def truncated(self) -> bool:
        return self.cut is not None


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
) -> Fetched:
    """Run and fetch at most ``row_limit`` rows within ``limits`` (default: settings) and ``timeout_s``.

    ``timeout_s`` covers the whole database step, every fetch included.
    """
    limits = limits or ResultLimits.from_settings()
    deadline = time.monotonic() + timeout_s
    statement, guarded = _prepare(engine, sql_or_select, row_limit)
    try:
        with _read_only_connection(engine, timeout_s, limits.cell_bytes) as conn, _cancel_at(conn, deadline):
            names = None
            if guarded is not None and engine.dialect.name == "postgresql":
                statement, names = _with_value_check(conn, guarded, limits.cell_bytes)
            return _fetch(conn, statement, row_limit, limits, names)
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
) -> ReportResult:
    """A manager's own SQL (``crmbot sql``, ``/crm sql``) as a ReportResult; refusals, not exceptions."""
    from tools.reports.guard import GuardError, check

    dialect = dialect or dialect_of(engine)
    result = ReportResult(question=sql, interpretation="your SQL", source=source)
    try:
        result.sql = check(sql, dialect, row_limit=row_limit)
        fetched = fetch_bounded(engine, sql, row_limit=row_limit, timeout_s=timeout_s, limits=limits)
    except (GuardError, QueryError) as exc:
        result.refused = True
        result.reason = str(exc)
        result.answer = f"I did not run that query. {exc}"
        return result
    result.columns, result.rows, result.truncated = fetched.columns, fetched.rows, fetched.truncated
    result.answer = describe_rows(len(result.rows), result.truncated, row_limit, fetched.cut)
    return result


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


def _prepare(engine: Engine, sql_or_select: Any, row_limit: int):
    """(statement ready to execute, the guarded SQL text or None); strings are guarded and
    limited to row_limit + 1 rows."""
    from sqlalchemy import text

    if isinstance(sql_or_select, str):
        from tools.reports.guard import check

        guarded = check(sql_or_select, dialect_of(engine), row_limit=row_limit + 1)
        return text(_escape_colons(guarded)), guarded
    limit = getattr(sql_or_select, "_limit", None)
    if hasattr(sql_or_select, "limit") and (limit is None or limit > row_limit + 1):
        return sql_or_select.limit(row_limit + 1), None
    return sql_or_select, None


def _escape_colons(sql: str) -> str:
    return sql.replace(":", "\\:")  # a colon is data here, never a bind parameter


def _with_value_check(conn, guarded_sql: str, cell_bytes: int):
    """PostgreSQL: the guarded SQL wrapped so that the server sends no value over ``cell_bytes``.

    Each output column becomes ``CASE WHEN octet_length(CAST(c AS TEXT)) > cap THEN NULL ELSE c END``
    and one more column flags the rows where that happened (which then refuse the query). The
    columns' names come from describing the query (``LIMIT 0``, nothing is computed).
    """
    from sqlalchemy import text
    from sqlglot import exp, parse_one

    guarded = parse_one(guarded_sql, read="postgres")
    inner = exp.Subquery(this=guarded, alias=exp.TableAlias(this=exp.to_identifier("crmbot_q")))
    describe = exp.select("*", copy=False).from_(inner, copy=False).limit(0, copy=False)
    described = conn.execute(text(_escape_colons(describe.sql("postgres"))))
    names = list(described.keys())
    described.close()
    aliases = [exp.to_identifier(f"c{i}") for i in range(1, len(names) + 1)]
    source = exp.Subquery(
        this=guarded, alias=exp.TableAlias(this=exp.to_identifier("crmbot_q"), columns=aliases)
    )
    projections, flags = [], []
    for alias in aliases:
        column = exp.column(alias, table="crmbot_q")
        too_big = exp.GT(
            this=exp.func("octet_length", exp.cast(column.copy(), "text")),
            expression=exp.Literal.number(cell_bytes),
        )
        projections.append(
            exp.Case(ifs=[exp.If(this=too_big.copy(), true=exp.null())], default=column.copy()).as_(
                alias.copy(), copy=False
            )
        )
        flags.append(exp.func("coalesce", too_big, exp.false()))
    flag = flags[0] if len(flags) == 1 else exp.or_(*flags, copy=False)
    wrapped = exp.select(*projections, exp.alias_(flag, _TOO_BIG_FLAG, copy=False), copy=False).from_(
        source, copy=False
    )
    return text(_escape_colons(wrapped.sql("postgres"))), names


def _fetch(conn, statement, row_limit: int, limits: ResultLimits, names: list[str] | None) -> Fetched:
    """Fetch a few rows at a time, counting them and their bytes; stop at the first limit."""
    width = len(names) if names is not None else _column_count(statement)
    result = conn.execute(statement.execution_options(yield_per=limits.rows_per_fetch(width or 1)))
    columns = names if names is not None else list(result.keys())
    rows: list[list] = []
    used = 0
    cut = None
    while cut is None:
        chunk = result.fetchmany(limits.rows_per_fetch(len(columns) or 1))
        if not chunk:
            break
        for raw in chunk:
            if names is not None and raw[-1]:
                raise ValueTooLarge(_too_large_text(limits.cell_bytes))
            values = raw[: len(columns)]
            size = sum(_size_of(value, limits.cell_bytes) for value in values)
            if len(rows) == row_limit:
                cut = "rows"
                break
            if used + size > limits.bytes:
                cut = "bytes"
                break
            used += size
            rows.append([to_plain(value) for value in values])
    result.close()
    return Fetched(columns, rows, cut)


def _column_count(statement) -> int | None:
    selected = getattr(statement, "selected_columns", None)
    return len(selected) if selected is not None else None


def _size_of(value: Any, cell_bytes: int) -> int:
    """What a value counts for in the byte budget; a value over the cell cap refuses the query."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        size = len(value)
        if size > cell_bytes:
            raise ValueTooLarge(_too_large_text(cell_bytes))
        return size
    return _SCALAR_BYTES


def _too_large_text(cell_bytes: int) -> str:
    return (
        f"The query builds a value larger than {cell_bytes:,} bytes, the most one value of a report may "
        "hold (CRMBOT_REPORT_CELL_MAX_BYTES), so I stopped it. Select shorter values, e.g. with substr()."
    )


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


@contextmanager
def _cancel_at(conn, deadline: float) -> Iterator:
    """PostgreSQL: cancel whatever runs at ``deadline``; statement_timeout restarts with each FETCH
    of a server-side cursor, so it alone does not bound the whole fetch."""
    if conn.engine.dialect.name != "postgresql":
        yield
        return
    raw = conn.connection.driver_connection
    lock = threading.Lock()
    finished = False

    def cancel() -> None:
        with lock:  # never cancel once the fetch is over: the connection may be doing other work
            if not finished:
                raw.cancel_safe()

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), cancel)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished = True
        timer.cancel()


def _explain(exc: DBAPIError, timeout_s: float, cell_bytes: int = DEFAULT_CELL_MAX_BYTES) -> QueryError:
    """A database error in words: timeouts, values too big, writes refused, and the database's own message."""
    orig = exc.orig
    message = _one_line(orig)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "57014" or "interrupted" in message.lower():
        return QueryTimeout(f"The query took longer than {timeout_s:g} s and was stopped.")
    if getattr(orig, "sqlite_errorname", None) == "SQLITE_TOOBIG" or "too big" in message.lower():
        return ValueTooLarge(_too_large_text(cell_bytes))
    if sqlstate in ("53200", "54000") or "out of memory" in message.lower():
        return ValueTooLarge(_too_large_text(cell_bytes))
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
