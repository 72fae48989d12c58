"""Invoices as aligned numpy arrays, loaded column by column: the shape the scan wants.

Turning 100,000 rows into Python objects one by one is most of a naive scan's time. Here the
database does the conversions (dates to day numbers, money to integer cents) and each column
becomes one array; company names and domains are reduced to keys once per company, not once
per invoice. Per-row Python work is left for the few candidate pairs.

Unknown is kept unknown: an invoice without an issue date has ``days == NO_DAY``, never a
date that could equal another's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

import numpy as np
from sqlalchemy import BigInteger, Connection, Date, Integer, cast, func, literal, select

from db.models import Company, Deal, Invoice
from tools.invoices.companies import company_key, domain_key

NO_DAY = -1  # an unknown date
NO_ID = -1  # no company, no deal
ORDINAL_OF_JULIAN_DAY_ZERO = 1721424.5  # date.toordinal() = julianday() - this (SQLite)
_TAIL = re.compile(r"(\d+)$")


def number_tail(number: str) -> int:
    """The number's trailing digits (its place in a sequence); -1 when it ends otherwise."""
    found = _TAIL.search(number or "")
    return int(found.group(1)[-15:]) if found else -1


@dataclass
class InvoiceColumns:
    """One row per invoice; every array has the same length and order."""

    ids: np.ndarray
    numbers: np.ndarray  # object array of str
    company_ids: np.ndarray  # NO_ID when unknown
    company_names: np.ndarray  # object array (for the reasons)
    name_keys: np.ndarray  # integer codes of company_key(); -1 when empty
    domain_keys: np.ndarray  # integer codes of domain_key(); -1 when empty or free mail
    deal_ids: np.ndarray  # NO_ID when none
    days: np.ndarray  # issue date as a day ordinal; NO_DAY when unknown
    due_days: np.ndarray  # due date as a day ordinal; NO_DAY when unknown
    cents: np.ndarray  # total in cents (negative for a credit note)
    subtotal_cents: np.ndarray
    currencies: np.ndarray  # integer codes
    deal_amount_cents: np.ndarray  # the deal's amount in cents; -1 when unknown (no deal, 0 or NULL)
    deal_currencies: np.ndarray  # integer codes (same table as ``currencies``); -1 when unknown

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def number_lengths(self) -> np.ndarray:
        return np.fromiter(map(len, self.numbers), dtype=np.int64, count=len(self.numbers))

    @cached_property
    def number_tails(self) -> np.ndarray:
        return np.fromiter(map(number_tail, self.numbers), dtype=np.int64, count=len(self.numbers))

    def take(self, rows: np.ndarray) -> InvoiceColumns:
        return InvoiceColumns(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


def codes(values, table: dict | None = None) -> np.ndarray:
    """Integer codes for strings; '' and None get -1 so that empty keys never match each other."""
    table = {} if table is None else table
    return np.fromiter(
        (table.setdefault(v, len(table)) if v else -1 for v in values), dtype=np.int64, count=len(values)
    )


def day_number(value) -> int:
    """A date (or ISO text) as a day ordinal; NO_DAY for None or text that is not a date."""
    if value is None:
        return NO_DAY
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    try:
        return date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return NO_DAY


def cents_of(value) -> int:
    return int((Decimal(str(value if value is not None else 0)) * 100).to_integral_value())


def _object_array(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def columns_from_rows(rows) -> InvoiceColumns:
    """Rows (objects) with id, number, company_id, company_name, domain, deal_id, issue_date,
    total, currency; optionally due_date, subtotal, deal_amount, deal_currency."""
    rows = list(rows)
    currency_codes: dict = {}

    def get(name, default=None):
        return [getattr(r, name, default) for r in rows]

    def ints(values) -> np.ndarray:
        return np.fromiter((NO_ID if v is None else v for v in values), dtype=np.int64, count=len(rows))

    totals = get("total")
    subtotals = [s if s is not None else t for s, t in zip(get("subtotal"), totals, strict=True)]
    deal_amounts = get("deal_amount")
    currencies = [(c or "USD").upper() for c in get("currency")]
    deal_currencies = [(c or "").upper() for c in get("deal_currency")]
    return InvoiceColumns(
        ids=ints(get("id")),
        numbers=_object_array([n or "" for n in get("number")]),
        company_ids=ints(get("company_id")),
        company_names=_object_array(get("company_name")),
        name_keys=codes([company_key(n) for n in get("company_name")]),
        domain_keys=codes([domain_key(d) for d in get("domain")]),
        deal_ids=ints(get("deal_id")),
        days=np.fromiter((day_number(v) for v in get("issue_date")), np.int64, len(rows)),
        due_days=np.fromiter((day_number(v) for v in get("due_date")), np.int64, len(rows)),
        cents=np.fromiter((cents_of(v) for v in totals), np.int64, len(rows)),
        subtotal_cents=np.fromiter((cents_of(v) for v in subtotals), np.int64, len(rows)),
        currencies=codes(currencies, currency_codes),
        deal_amount_cents=np.fromiter(
            (c if (c := cents_of(a)) > 0 else -1 for a in deal_amounts), np.int64, len(rows)
        ),
        deal_currencies=codes(deal_currencies, currency_codes),
    )


# --------------------------------------------------------------------------- from the database


def _day_expression(column, dialect: str):
    """The date as a day ordinal computed by the database (None where it cannot: Python does it)."""
    if dialect == "sqlite":
        return cast(func.julianday(column) - ORDINAL_OF_JULIAN_DAY_ZERO, Integer)
    if dialect == "postgresql":
        return cast(column, Date) - literal(date(1, 1, 1)) + 1
    return None


def _cents_expression(column):
    return cast(func.round(column * 100), BigInteger)


def _int_column(values) -> np.ndarray:
    return np.fromiter((NO_ID if v is None else int(v) for v in values), np.int64, len(values))


def _day_column(values, computed: bool) -> np.ndarray:
    if computed:
        return np.fromiter((NO_DAY if v is None else int(v) for v in values), np.int64, len(values))
    return np.fromiter((day_number(v) for v in values), np.int64, len(values))


def load_invoices(conn: Connection, where=None) -> InvoiceColumns:
    """Every invoice that is not void (or those matching ``where``), as columns."""
    dialect = conn.dialect.name
    where = Invoice.status != "void" if where is None else where
    issue, due = _day_expression(Invoice.issue_date, dialect), _day_expression(Invoice.due_date, dialect)
    computed = issue is not None
    query = select(
        Invoice.id,
        Invoice.number,
        Invoice.company_id,
        Invoice.deal_id,
        issue if computed else Invoice.issue_date,
        due if computed else Invoice.due_date,
        _cents_expression(Invoice.total),
        _cents_expression(Invoice.subtotal),
        Invoice.currency,
    ).where(where)
    rows = conn.execute(query.order_by(Invoice.id)).all()
    if not rows:
        return columns_from_rows([])
    ids, numbers, company_ids, deal_ids, days, due_days, cents, subtotals, currencies = zip(
        *rows, strict=True
    )
    cents_array = _int_column([c if c is not None else 0 for c in cents])
    subtotal_array = _int_column(subtotals)
    return _assemble(
        conn,
        where,
        ids=np.asarray(ids, dtype=np.int64),
        numbers=_object_array([n or "" for n in numbers]),
        company_ids=_int_column(company_ids),
        deal_ids=_int_column(deal_ids),
        days=_day_column(days, computed),
        due_days=_day_column(due_days, computed),
        cents=cents_array,
        subtotal_cents=np.where(subtotal_array == NO_ID, cents_array, subtotal_array),
        currencies=list(currencies),
    )


def _join(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, missing) -> np.ndarray:
    """``values`` looked up by ``wanted`` in ``keys`` (numpy, sorted search); ``missing`` where absent."""
    if not len(keys):
        return np.full(len(wanted), missing, dtype=values.dtype if len(values) else object)
    order = np.argsort(keys)
    keys, values = keys[order], values[order]
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = (wanted >= 0) & (keys[at] == wanted)
    return np.where(found, values[at], missing)


def _assemble(conn: Connection, where, currencies: list, **arrays) -> InvoiceColumns:
    """Company keys and deal amounts joined in with numpy (one query each, no per-invoice work)."""
    currency_codes: dict = {}
    currency_array = codes([(c or "USD").upper() for c in currencies], currency_codes)

    companies = conn.execute(
        select(Company.id, Company.name, Company.domain).where(
            Company.id.in_(select(Invoice.company_id).where(where))
        )
    ).all()
    company_ids = np.asarray([r.id for r in companies], dtype=np.int64)
    wanted = arrays["company_ids"]
    name_keys = _join(company_ids, codes([company_key(r.name) for r in companies]), wanted, -1)
    domain_keys = _join(company_ids, codes([domain_key(r.domain) for r in companies]), wanted, -1)
    company_names = _join(company_ids, _object_array([r.name for r in companies]), wanted, None)

    deals = conn.execute(
        select(Deal.id, _cents_expression(Deal.amount), Deal.currency).where(
            Deal.id.in_(select(Invoice.deal_id).where(where))
        )
    ).all()
    deal_ids = np.asarray([r[0] for r in deals], dtype=np.int64)
    amounts = np.asarray([r[1] if r[1] is not None and r[1] > 0 else -1 for r in deals], dtype=np.int64)
    deal_currency_codes = codes([(r[2] or "USD").upper() for r in deals], currency_codes)
    deal_amount = _join(deal_ids, amounts, arrays["deal_ids"], -1)
    deal_currency = _join(deal_ids, deal_currency_codes, arrays["deal_ids"], -1)
    return InvoiceColumns(
        company_names=company_names,
        name_keys=name_keys.astype(np.int64),
        domain_keys=domain_keys.astype(np.int64),
        currencies=currency_array,
        deal_amount_cents=deal_amount,
        deal_currencies=deal_currency,
        **arrays,
    )
