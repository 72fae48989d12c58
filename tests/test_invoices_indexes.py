"""`crmbot db upgrade` on a team's own CRM database: the duplicate check's indexes are created on
its invoices table (an index changes no row), or printed for the team to run when told not to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from bot.cli import app
from db.engine import get_engine
from db.indexes import INVOICE_INDEXES, missing_invoice_indexes

CONTRACT_DDL = Path(__file__).parent / "data" / "contract_schema.sql"


def _team_db(path) -> str:
    con = sqlite3.connect(path)
    con.executescript(CONTRACT_DDL.read_text())
    con.execute(
        "INSERT INTO companies (id, name, lifecycle_stage, created_at) VALUES (1, 'Acme', 'customer', '2024-01-01')"
    )
    con.execute(
        "INSERT INTO invoices (id, number, company_id, status, currency, subtotal, total, created_at) "
        "VALUES (1, 'T-1', 1, 'sent', 'USD', 10, 10, '2024-01-01')"
    )
    con.commit()
    con.close()
    return f"sqlite:///{path}"


def _invoice_columns(url: str):
    engine = get_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM invoices")).all()
    columns = [c["name"] for c in inspect(engine).get_columns("invoices")]
    engine.dispose()
    return columns, rows


def test_upgrade_creates_the_duplicate_check_indexes_on_a_team_database(tmp_path):
    url = _team_db(tmp_path / "team.db")
    before = _invoice_columns(url)
    assert set(missing_invoice_indexes(get_engine(url))) == set(INVOICE_INDEXES)
    out = CliRunner().invoke(app, ["db", "upgrade", "--db", url])
    assert out.exit_code == 0, out.output
    assert "Created index ix_invoices_dup_check" in out.output
    assert missing_invoice_indexes(get_engine(url)) == {}
    assert _invoice_columns(url) == before  # columns and rows as they were
    again = CliRunner().invoke(app, ["db", "upgrade", "--db", url])
    assert again.exit_code == 0 and "Created index" not in again.output


def test_upgrade_prints_the_statements_when_told_not_to_create_them(tmp_path, monkeypatch):
    url = _team_db(tmp_path / "team.db")
    out = CliRunner().invoke(app, ["db", "upgrade", "--db", url, "--no-indexes"])
    assert out.exit_code == 0, out.output
    assert "CREATE INDEX IF NOT EXISTS ix_invoices_dup_check ON invoices (total, issue_date" in out.output
    assert set(missing_invoice_indexes(get_engine(url))) == set(INVOICE_INDEXES)
    monkeypatch.setenv("CRMBOT_CREATE_TEAM_INDEXES", "false")
    from crmbot.settings import get_settings

    get_settings.cache_clear()
    try:
        quiet = CliRunner().invoke(app, ["db", "upgrade", "--db", url])
    finally:
        get_settings.cache_clear()
    assert "CREATE INDEX" in quiet.output and set(missing_invoice_indexes(get_engine(url))) == set(
        INVOICE_INDEXES
    )


def test_a_database_crmbot_made_already_has_them(tmp_path):
    from db.migrate import upgrade

    engine = get_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(engine)
    assert missing_invoice_indexes(engine) == {}
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_creates_them_concurrently_on_postgres(pg_url):
    from db.models import CONTRACT_TABLES, Base

    engine = get_engine(pg_url)
    with engine.begin() as conn:  # a team's CRM: the contract tables, none of crmbot's indexes
        for name in CONTRACT_TABLES:
            Base.metadata.tables[name].create(conn)
        for name in INVOICE_INDEXES:
            conn.execute(text(f"DROP INDEX {name}"))
    assert set(missing_invoice_indexes(engine)) == set(INVOICE_INDEXES)
    out = CliRunner().invoke(app, ["db", "upgrade", "--db", pg_url])
    assert out.exit_code == 0, out.output
    assert missing_invoice_indexes(engine) == {}
    engine.dispose()
