"""Tax by the customer's country from a rate table kept as data (tax_rates.json, or your own file).

Set CRMBOT_TAX_RATES_FILE to a JSON file of the same shape to use your own rates.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

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
