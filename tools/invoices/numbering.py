"""Invoice numbers (INV-2026-00042) that stay unique when several drafts are made at once.

A counter row per year in crmbot_invoice_counter is advanced with one conditional
``UPDATE ... RETURNING``: the row lock (PostgreSQL) or the write lock (SQLite) makes two
drafts take different numbers. The first time a year is used, the counter starts after the
highest number already in the invoices table, so numbering continues an existing CRM's.
"""

from __future__ import annotations

import importlib
import re

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.models import Invoice, InvoiceCounter

PREFIX = "INV"
DEFAULT_WIDTH = 5
NUMBER_PATTERN = re.compile(r"^([A-Z]+)-(\d{4})-(\d+)$", re.I)


def format_number(year: int, value: int, width: int = DEFAULT_WIDTH) -> str:
    return f"{PREFIX}-{year}-{value:0{width}d}"


def _high_water(conn: Connection, year: int) -> int:
    """The highest sequence number already used in ``year`` (a scan: only when a year starts)."""
    numbers = conn.execute(select(Invoice.number).where(Invoice.number.like(f"{PREFIX}-{year}-%"))).scalars()
    values = [int(m.group(3)) for m in map(NUMBER_PATTERN.match, (n or "" for n in numbers)) if m]
    return max(values, default=0)


def _width(conn: Connection) -> int:
    """The digit width the CRM's latest invoice number uses (INV-2026-0042 -> 4)."""
    latest = conn.execute(select(Invoice.number).order_by(Invoice.id.desc()).limit(1)).scalar()
    parsed = NUMBER_PATTERN.match(latest or "")
    return len(parsed.group(3)) if parsed else DEFAULT_WIDTH


def _advance(conn: Connection, year: int, count: int) -> int | None:
    stmt = (
        update(InvoiceCounter)
        .where(InvoiceCounter.year == year)
        .values(last_value=InvoiceCounter.last_value + count)
        .returning(InvoiceCounter.last_value)
    )
    return conn.execute(stmt).scalar()


def _create_counter_if_missing(conn: Connection, year: int, start_after: int) -> None:
    """Insert the year's counter row unless a concurrent draft just did (no savepoint needed)."""
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
        conn.execute(
            module.insert(InvoiceCounter).values(year=year, last_value=start_after).on_conflict_do_nothing()
        )
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(InvoiceCounter).values(year=year, last_value=start_after))
    except IntegrityError:
        pass


def reserve_numbers(conn: Connection, year: int, count: int = 1) -> list[str]:
    """``count`` consecutive new numbers for ``year``, inside the caller's (write) transaction.

    The first statement is the counter UPDATE, so the caller holds the write lock (SQLite) or
    the counter row lock (PostgreSQL) from here on: drafts made at the same moment queue here.
    """
    last = _advance(conn, year, count)
    if last is None:
        _create_counter_if_missing(conn, year, _high_water(conn, year))
        last = _advance(conn, year, count)
    width = _width(conn)
    numbers = [format_number(year, v, width) for v in range(last - count + 1, last + 1)]
    if any(number_exists(conn, n) for n in numbers):  # numbers were added outside the counter (an import)
        jump = _high_water(conn, year) - (last - count)
        last = _advance(conn, year, jump)
        numbers = [format_number(year, v, width) for v in range(last - count + 1, last + 1)]
    return numbers


def number_exists(conn: Connection, number: str) -> bool:
    return bool(conn.execute(select(func.count()).where(Invoice.number == number)).scalar())
