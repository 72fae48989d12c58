"""Date arithmetic as SQL expression nodes that compile differently per dialect.

SQLite has no date types (dates are ISO strings, handled with date()/strftime()/julianday()),
PostgreSQL has real ones (date_trunc, casts, intervals). These nodes let the semantic layer
say what it means ("the first day of the quarter of closed_at") once, as a tree; each dialect
turns it into its own SQL. Period starts are always 'YYYY-MM-DD' strings, in every dialect.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date, Float, String


class as_date(FunctionElement):
    """The date part of a timestamp, so that comparisons and groups go by calendar day."""

    type = Date()
    name = "as_date"
    inherit_cache = True


class days_between(FunctionElement):
    """Whole days from the date of the first argument to the date of the second."""

    type = Float()
    name = "days_between"
    inherit_cache = True


class hours_between(FunctionElement):
    """Fractional hours from the first timestamp to the second."""

    type = Float()
    name = "hours_between"
    inherit_cache = True


class _PeriodStart(FunctionElement):
    type = String()
    inherit_cache = True
    grain = "day"


class period_day(_PeriodStart):
    name = "period_day"
    grain = "day"
    inherit_cache = True


class period_week(_PeriodStart):
    name = "period_week"
    grain = "week"
    inherit_cache = True


class period_month(_PeriodStart):
    name = "period_month"
    grain = "month"
    inherit_cache = True


class period_quarter(_PeriodStart):
    name = "period_quarter"
    grain = "quarter"
    inherit_cache = True


class period_year(_PeriodStart):
    name = "period_year"
    grain = "year"
    inherit_cache = True


PERIOD_NODES: dict[str, type[_PeriodStart]] = {
    cls.grain: cls for cls in (period_day, period_week, period_month, period_quarter, period_year)
}


def period_start(expr, grain: str) -> FunctionElement:
    """The first day ('YYYY-MM-DD') of the ``grain`` period holding ``expr``."""
    return PERIOD_NODES[grain](expr)


def _arg(compiler, element, index: int = 0, **kw) -> str:
    return compiler.process(list(element.clauses)[index], **kw)


# --------------------------------------------------------------------------- SQLite (the default)


@compiles(as_date)
def _as_date_sqlite(element, compiler, **kw):
    return f"date({_arg(compiler, element, **kw)})"


@compiles(days_between)
def _days_sqlite(element, compiler, **kw):
    start, end = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(julianday(date({end})) - julianday(date({start})))"


@compiles(hours_between)
def _hours_sqlite(element, compiler, **kw):
    start, end = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


_SQLITE_PERIOD = {
    "day": "date({x})",
    "week": "date({x}, 'weekday 0', '-6 days')",
    "month": "strftime('%Y-%m-01', {x})",
    "quarter": "printf('%s-%02d-01', strftime('%Y', {x}), ((CAST(strftime('%m', {x}) AS INTEGER) - 1) / 3) * 3 + 1)",
    "year": "strftime('%Y-01-01', {x})",
}


@compiles(_PeriodStart)
def _period_sqlite(element, compiler, **kw):
    return _SQLITE_PERIOD[element.grain].format(x=_arg(compiler, element, **kw))


# --------------------------------------------------------------------------- PostgreSQL


@compiles(as_date, "postgresql")
def _as_date_pg(element, compiler, **kw):
    return f"CAST({_arg(compiler, element, **kw)} AS DATE)"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw):
    start, end = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


@compiles(hours_between, "postgresql")
def _hours_pg(element, compiler, **kw):
    start, end = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


@compiles(_PeriodStart, "postgresql")
def _period_pg(element, compiler, **kw):
    return f"to_char(date_trunc('{element.grain}', {_arg(compiler, element, **kw)}), 'YYYY-MM-DD')"
