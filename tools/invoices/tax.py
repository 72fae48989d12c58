"""The tax on a new draft: the customer's own invoicing history when it is consistent, else the
customer's country in a rate table kept as data (tax_rates.json, or your own file), else a default.

Set CRMBOT_TAX_RATES_FILE to a JSON file of the same shape to use your own rates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, select

from db.models import Invoice
from tools.invoices.money import to_money

BUILTIN_TABLE = Path(__file__).with_name("tax_rates.json")


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[dict[str, Decimal], dict[str, str], Decimal]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    rates = {code.upper(): Decimal(str(rate)) for code, rate in data.get("rates", {}).items()}
    aliases = {name.upper(): code.upper() for name, code in data.get("aliases", {}).items()}
    return rates, aliases, Decimal(str(data.get("default", 0)))


def table_path() -> str:
    """The table named by CRMBOT_TAX_RATES_FILE (settings: environment or .env), else the built-in one."""
    from crmbot.settings import get_settings

    return get_settings().tax_rates_file or str(BUILTIN_TABLE)


def country_code(country: str | None, path: str | None = None) -> str | None:
    """ISO code of ``country`` (a code or a name the table knows), or None."""
    if not country:
        return None
    _, aliases, _ = _load(path or table_path())
    key = country.strip().upper()
    return aliases.get(key, key if len(key) == 2 else None)


def tax_rate(country: str | None, path: str | None = None) -> Decimal:
    """The rate (a fraction) for a customer in ``country``; the table's default when unknown."""
    rates, _, default = _load(path or table_path())
    code = country_code(country, path)
    return rates.get(code, default) if code else default


# --------------------------------------------------------------------------- a new draft's tax

HISTORY_LIMIT = 24  # the most recent invoices that speak for a customer's tax


@dataclass(frozen=True)
class TaxDecision:
    """The rate for a new draft, where it came from ("history", "country table", "default") and
    the sentence that says so."""

    rate: Decimal
    source: str
    explanation: str


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _consistent_rate(rows) -> Decimal | None:
    """The one rate every (subtotal, tax) pair was taxed at, to the cent; None when they differ."""
    rows = [(Decimal(str(s)), Decimal(str(t or 0))) for s, t in rows if s is not None and Decimal(str(s)) > 0]
    if not rows:
        return None
    subtotal, tax = max(rows)  # the largest invoice pins the rate down best
    rate = (tax / subtotal).quantize(Decimal("0.0001"))
    if rate < 0 or rate > 1:
        return None
    if all(abs(to_money(s * rate) - t) <= Decimal("0.01") for s, t in rows):
        return rate
    return None


def _history(conn: Connection, company_id: int | None, deal_id: int | None, exclude: tuple[int, ...]):
    """(invoices of the same deal, invoices of the customer): (subtotal, tax) of the latest ones."""
    if company_id is None:
        return [], []
    base = select(Invoice.subtotal, Invoice.tax).where(
        Invoice.status != "void", Invoice.subtotal > 0, Invoice.id.not_in(exclude or (-1,))
    )
    latest = (Invoice.issue_date.desc(), Invoice.id.desc())
    same_deal = (
        conn.execute(base.where(Invoice.deal_id == deal_id).order_by(*latest).limit(HISTORY_LIMIT)).all()
        if deal_id is not None
        else []
    )
    customer = conn.execute(
        base.where(Invoice.company_id == company_id).order_by(*latest).limit(HISTORY_LIMIT)
    ).all()
    return same_deal, customer


def decide_tax(
    conn: Connection,
    company_id: int | None,
    deal_id: int | None,
    country: str | None,
    company_name: str | None = None,
    exclude: tuple[int, ...] = (),
) -> TaxDecision:
    """The tax rate for a new draft of ``deal_id``.

    The customer's own history comes first when it is consistent and says what the country table
    cannot know: every earlier invoice at 0% (tax-exempt, or reverse charge across a border), or a
    consistent rate for a country the table does not list. A consistent history at another rate
    than the table's is mentioned, not followed (the table is where a rate change is made). Then
    the country table, then the default. CRMBOT_TAX_SOURCE=table skips the history.
    """
    from crmbot.settings import get_settings

    settings = get_settings()
    who = company_name or "the customer"
    code = country_code(country)
    rates, _, table_default = _load(table_path())
    seen: tuple[Decimal, int, str] | None = None
    if settings.tax_source == "history":
        same_deal, customer = _history(conn, company_id, deal_id, exclude)
        for rows, where, needed in ((same_deal, " on this deal", 1), (customer, "", 2)):
            rate = _consistent_rate(rows) if len(rows) >= needed else None
            if rate is None:
                continue
            seen = (rate, len(rows), where)
            if rate == 0 or code not in rates:
                kind = " (tax-exempt or reverse charge)" if rate == 0 else ""
                return TaxDecision(
                    rate,
                    "history",
                    f"Tax {_percent(rate)} as on {who}'s {_invoices(len(rows))}{where}{kind}.",
                )
            break
    if code in rates:
        rate = rates[code]
        note = f"Tax {_percent(rate)}: the rate for {code} in the tax table."
        if seen is not None and seen[0] != rate:
            note += f" Note: {who}'s {_invoices(seen[1])}{seen[2]} carry {_percent(seen[0])}."
        return TaxDecision(rate, "country table", note)
    rate = Decimal(str(settings.default_tax_rate if settings.default_tax_rate is not None else table_default))
    where = f"country {country!r} is not in the tax table" if country else "no country on the customer"
    return TaxDecision(rate, "default", f"Tax {_percent(rate)}: the default rate ({where}).")


def _invoices(n: int) -> str:
    return f"{n} earlier invoice{'s' if n != 1 else ''}"
