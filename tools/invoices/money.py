"""Exact money arithmetic (Decimal cents, half-up rounding, splits that add up to the cent) and
strict reading of amounts people type.

Typed amounts are read in one form only: ASCII digits with an optional point and at most two
decimals ("1250" or "1250.50"). Everything that could be read two ways is refused with a message
that shows that form: "1,5" (one and a half, or fifteen?), "1.234,50", Arabic-Indic or
full-width digits, exponents ("1e5"), signs, and anything above the configured maximum, so that
a typo can never become a different invoice. No float is ever made from typed text.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_TYPED_LENGTH = 24  # longer text is refused before any parsing (a 400-digit "number")
MAX_QUANTITY = Decimal("1000000")
COLUMN_MAXIMUM = Decimal("9999999999.99")  # NUMERIC(12, 2): what the contract's columns can hold
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")  # ASCII digits only (no \d: it takes any script)
ACCEPTED_FORM = "digits with an optional point and two decimals, like 1250 or 1250.50"


class MoneyInputError(ValueError):
    """A typed amount that cannot be read safely; the message says what to type instead, and
    ``short`` says it in a line short enough to show under a form field."""

    def __init__(self, message: str, short: str | None = None):
        super().__init__(message)
        self.short = short or message


def to_money(value) -> Decimal:
    """A Decimal with two places, rounded half-up (the way invoices round)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def max_amount() -> Decimal:
    """The largest amount crmbot accepts on an invoice (setting CRMBOT_MAX_INVOICE_AMOUNT)."""
    from crmbot.settings import get_settings

    return min(Decimal(str(get_settings().max_invoice_amount)), COLUMN_MAXIMUM)


def parse_amount(
    text, what: str = "amount", maximum: Decimal | None = None, allow_zero: bool = True
) -> Decimal:
    """A typed amount as Decimal with two places, or MoneyInputError with a polite message."""
    maximum = max_amount() if maximum is None else maximum
    if isinstance(text, Decimal):
        value = text
        if not value.is_finite() or value != value.quantize(CENT):
            raise MoneyInputError(f"The {what} must have at most two decimals; use {ACCEPTED_FORM}.")
    else:
        raw = str(text if text is not None else "").strip()
        if not raw:
            raise MoneyInputError(f"Please enter the {what} as {ACCEPTED_FORM}.")
        shown = raw if len(raw) <= MAX_TYPED_LENGTH else raw[:MAX_TYPED_LENGTH] + "…"
        if len(raw) > MAX_TYPED_LENGTH or not _AMOUNT.fullmatch(raw):
            hint = ""
            if "," in raw:
                hint = (
                    " Commas are ambiguous (1,5 could be one and a half or fifteen): use a point for cents."
                )
            elif raw.startswith("-"):
                hint = " It can't be negative."
            short = f"Can't read '{shown[:12]}': type digits, a point for cents, like 1250.50"
            raise MoneyInputError(
                f"I can't read '{shown}' as the {what}.{hint} Please use {ACCEPTED_FORM}.", short
            )
        value = Decimal(raw)
    if value < 0:
        raise MoneyInputError(f"The {what} can't be negative; use {ACCEPTED_FORM}.")
    if value == 0 and not allow_zero:
        raise MoneyInputError(f"The {what} must be more than 0.")
    if value > maximum:
        raise MoneyInputError(
            f"The {what} {value:,.2f} is above the largest amount accepted ({maximum:,.2f}).",
            f"Above the largest amount accepted ({maximum:,.2f})",
        )
    return value.quantize(CENT)


def parse_quantity(text) -> Decimal:
    """A typed quantity: the same strict form as amounts, above 0, at most ``MAX_QUANTITY``."""
    return parse_amount(text, "quantity", maximum=MAX_QUANTITY, allow_zero=False)


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
