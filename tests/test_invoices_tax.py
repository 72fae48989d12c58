"""Which tax a new draft gets, and where it came from: the customer's consistent history (0% for a
tax-exempt or reverse-charge customer), else the country table, else the default; edits keep it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from crmbot.settings import get_settings
from db.engine import get_engine
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import flow

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 10, 42)
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")


@pytest.fixture
def engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    seed_small_crm(engine, TODAY)
    yield engine
    engine.dispose()


@pytest.fixture
def setting(monkeypatch):
    def set_(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_
    get_settings.cache_clear()


def test_a_brazilian_customer_billed_zero_percent_on_the_deal_keeps_zero_percent(engine):
    """Brasa (BR, 17% in the table) was billed 0% on the first third of its deal."""
    result = flow.draft_from_deal(engine, 7, RITA, TODAY, now=NOW)
    assert result.ok, result.message
    invoice = result.invoice
    assert invoice.subtotal == Decimal("6000.00") and invoice.tax == Decimal("0.00")  # what was left
    assert result.tax_source == "history" and result.tax_rate == 0
    assert "0%" in result.tax_note and "earlier invoice on this deal" in result.tax_note
    assert "reverse charge" in result.tax_note
    from bot.render import to_data, to_text

    assert result.tax_note in to_text(result)
    assert to_data(result)["tax"] == {"rate": "0.0000", "source": "history", "note": result.tax_note}


def test_a_customer_without_history_gets_the_country_rate_and_is_told_so(engine):
    result = flow.draft_from_deal(engine, 8, RITA, TODAY, now=NOW)  # Sabia, BR, no invoices yet
    assert result.invoice.tax == Decimal("170.00")
    assert result.tax_source == "country table" and "BR" in result.tax_note


def test_history_at_the_standard_rate_follows_the_table_when_the_table_changes(engine, tmp_path, setting):
    table = tmp_path / "rates.json"
    table.write_text('{"default": 0.0, "rates": {"DE": 0.07}, "aliases": {}}')
    setting("CRMBOT_TAX_RATES_FILE", str(table))
    result = flow.draft_from_deal(engine, 2, RITA, TODAY, now=NOW)  # Globex: 5 invoices at 19%
    assert result.invoice.tax == Decimal("70.00") and result.tax_source == "country table"
    assert "carry 19%" in result.tax_note  # the history is mentioned, not followed


def test_the_table_only_setting(engine, setting):
    setting("CRMBOT_TAX_SOURCE", "table")
    result = flow.draft_from_deal(engine, 7, RITA, TODAY, now=NOW)
    assert result.invoice.tax == Decimal("1020.00") and result.tax_source == "country table"  # 17% of 6,000


def test_the_default_rate_setting_for_a_country_not_in_the_table(engine, setting):
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("UPDATE companies SET country = 'Atlantis' WHERE id = 6"))
    setting("CRMBOT_DEFAULT_TAX_RATE", "0.05")
    result = flow.draft_from_deal(engine, 8, RITA, TODAY, now=NOW)
    assert result.invoice.tax == Decimal("50.00") and result.tax_source == "default"
    assert "Atlantis" in result.tax_note


def test_an_edit_re_taxes_at_the_rate_the_draft_was_made_with(engine):
    invoice = flow.draft_from_deal(engine, 7, RITA, TODAY, now=NOW).invoice  # 0% from history
    line = invoice.lines[0]
    edited = flow.edit(engine, invoice.id, RITA, NOW, {"lines": {line.id: {"unit_price": "7000.00"}}})
    assert edited.ok and edited.invoice.tax == Decimal("0.00") and edited.invoice.total == Decimal("7000.00")
