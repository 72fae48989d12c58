"""Fetching a query's rows within a budget: rows, bytes of all values, bytes of any one value, time.

Rows come a few at a time (a server-side cursor on PostgreSQL), so that memory holds at most one
fetch beyond the answer, and stop at the row limit or the byte budget with the reason. On
PostgreSQL a SQL text is wrapped so that the server checks every value's size before sending
it; a deadline timer cancels whatever runs when the query's time is up (statement_timeout
restarts with each FETCH). Used by ``tools.reports.execute``, which holds the connection rules.
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

DEFAULT_MAX_BYTES = 20_000_000  # all values of one result together
DEFAULT_CELL_MAX_BYTES = 65_536  # one value
CHUNK_BYTES = 32_000_000  # at most this much is fetched per round (rows x columns x cell cap)
_SCALAR_BYTES = 16  # what a number, date or boolean counts for in the byte budget
_TOO_BIG_FLAG = "crmbot_value_too_big"


def escape_colons(sql: str) -> str:
    """SQL text for ``sqlalchemy.text``: a colon in it is data, never a bind parameter."""
    return sql.replace(":", "\\:")


class CellTooLarge(Exception):
    """A value over the cell cap arrived (or the server flagged one); the query is refused."""


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


def with_value_check(conn, guarded_sql: str, cell_bytes: int):
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
    described = conn.execute(text(escape_colons(describe.sql("postgres"))))
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
    return text(escape_colons(wrapped.sql("postgres"))), names


def fetch_rows(conn, statement, row_limit: int, limits: ResultLimits, names: list[str] | None) -> Fetched:
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
                raise CellTooLarge(f"row {len(rows) + 1}")
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
            raise CellTooLarge(f"{size:,} bytes")
        return size
    return _SCALAR_BYTES


def too_large_text(cell_bytes: int) -> str:
    return (
        f"The query builds a value larger than {cell_bytes:,} bytes, the most one value of a report may "
        "hold (CRMBOT_REPORT_CELL_MAX_BYTES), so I stopped it. Select shorter values, e.g. with substr()."
    )


@contextmanager
def cancel_at(conn, deadline: float) -> Iterator:
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
