"""Amounts in one currency for limits: an invoice's total expressed in the limit's currency.

The approval limit (only admins approve above it) is one number in one currency; comparing it
with a JPY or BRL total as if they were dollars lets a large invoice through or stops a small
one. The rates are a table kept as data (fx_rates.json, or CRMBOT_FX_RATES_FILE), approximate
on purpose: they decide who must approve, never what anyone pays.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

BUILTIN_TABLE = Path(__file__).with_name("fx_rates.json")


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[str, dict[str, Decimal]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rates = {code.upper(): Decimal(str(rate)) for code, rate in data.get("rates", {}).items() if rate}
    return str(data.get("base", "USD")).upper(), rates


def table_path() -> str:
    from crmbot.settings import get_settings

    return get_settings().fx_rates_file or str(BUILTIN_TABLE)


def currencies(path: str | None = None) -> list[str]:
    """The currencies the table has a rate for."""
    return sorted(_load(path or table_path())[1])


def value_in_base(currency: str, path: str | None = None) -> Decimal | None:
    """What one unit of ``currency`` is worth in the table's base currency; None when unknown."""
    _, rates = _load(path or table_path())
    return rates.get((currency or "").upper())


def convert(amount: Decimal, currency: str, target: str, path: str | None = None) -> Decimal | None:
    """``amount`` of ``currency`` in ``target``; None when either currency is not in the table."""
    if (currency or "").upper() == (target or "").upper():
        return Decimal(amount)
    source, dest = value_in_base(currency, path), value_in_base(target, path)
    if source is None or dest is None:
        return None
    return Decimal(amount) * source / dest


def limit_in(limit: Decimal, limit_currency: str, currency: str, path: str | None = None) -> Decimal | None:
    """The limit expressed in ``currency`` (to compare with a total there); None when unknown."""
    converted = convert(limit, limit_currency, currency, path)
    return None if converted is None else converted.quantize(Decimal("0.01"))
