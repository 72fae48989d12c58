"""How report values look: JSON-ready numbers in data, $1.2M and 42% on screen.

Rates are fractions in data and percentages on screen; money keeps two decimals in data.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NUMERIC_FORMATS = ("money", "count", "rate", "rate_points", "days", "hours", "score", "number")


def to_json_value(value: Any, fmt: str) -> Any:
    """A value for the JSON answer: money to the cent, rates as fractions, dates as ISO strings."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if fmt in ("date", "period") else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if fmt == "date" and isinstance(value, str) and len(value) >= 10:
        return value[:10]
    if fmt == "money" and isinstance(value, (int, float, Decimal)):
        return cents(value)
    if fmt == "count" and isinstance(value, (int, float, Decimal)):
        return int(value) if float(value).is_integer() else round(float(value), 4)
    if fmt in ("rate", "rate_points") and isinstance(value, (int, float, Decimal)):
        return round(float(value), 6)
    if fmt in ("days", "hours", "score", "number") and isinstance(value, (int, float, Decimal)):
        return round(float(value), 4)
    if isinstance(value, Decimal):
        return float(value)
    return value


def cents(value: float | int | Decimal) -> float:
    """Money to the cent, half away from zero on the value's 15 significant digits, as SQL's ROUND
    does (an average of 81527.33499999999 -> 81527.34, as SQLite and PostgreSQL's numeric give):
    Python's round() works on the float's binary value and would give 81527.33."""
    exact = value if isinstance(value, Decimal) else Decimal(format(float(value), ".15g"))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def money(value: float, short: bool = False) -> str:
    if value < 0:
        return "-" + money(-value, short)
    if short:
        for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= limit:
                return f"${value / limit:,.1f}{suffix}".replace(".0" + suffix, suffix)
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def display(value: Any, fmt: str, short: bool = False) -> str:
    """A value as people read it."""
    if value is None:
        return "–"
    if fmt == "money":
        return money(float(value), short)
    if fmt == "rate":
        return f"{float(value) * 100:.1f}%"
    if fmt == "rate_points":
        return f"{float(value) * 100:+.1f} pts"
    if fmt == "count":
        return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.2f}"
    if fmt == "days":
        return f"{float(value):,.1f} days"
    if fmt == "hours":
        return f"{float(value):,.1f} h"
    if fmt in ("score", "number"):
        return f"{float(value):,.2f}"
    return str(value)
