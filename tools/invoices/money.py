"""Exact money arithmetic: Decimal cents, half-up rounding, and splits that add up to the cent."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """A Decimal with two places, rounded half-up (the way invoices round)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal | None:
    """'1,234.5' or '$1234.50' -> Decimal('1234.50'); None when it is not an amount."""
    cleaned = str(text).strip().replace(",", "").lstrip("$€£").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return to_money(value)


def line_amount(quantity, unit_price, discount_pct=0) -> Decimal:
    """quantity x unit price less the discount, rounded half-up to cents."""
    gross = Decimal(str(quantity)) * Decimal(str(unit_price))
    return to_money(gross * (Decimal(100) - Decimal(str(discount_pct or 0))) / Decimal(100))


def split_evenly(amount: Decimal, parts: int) -> list[Decimal]:
    """``parts`` amounts that add up to ``amount`` exactly; the last part absorbs the remainder."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    amount = to_money(amount)
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    head = [share] * (parts - 1)
    return head + [amount - sum(head, Decimal("0.00"))]


def tax_on(subtotal: Decimal, rate: Decimal) -> Decimal:
    return to_money(Decimal(str(subtotal)) * Decimal(str(rate)))
