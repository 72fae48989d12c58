"""The schema: migrations create every contract table and column, on SQLite and PostgreSQL,
and leave a team's own CRM tables and data alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from db.engine import check_contract, get_engine
from db.migrate import current_revision, head_revision, upgrade
from db.models import CONTRACT_COLUMNS, PROJECT_TABLES
from db.proactive_models import PROACTIVE_TABLES


def _head() -> str:
    """The newest revision of the migration scripts (what `crmbot db upgrade` brings a database to)."""
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# A copy of ../shared/schema.sql (the contract as SQLite DDL), shipped with the tests.
SCHEMA_SQL = Path(__file__).resolve().parent / "data" / "contract_schema.sql"


def contract_from_schema_sql() -> dict[str, list[str]]:
    """Tables and columns as ../shared/schema.sql declares them (the contract's DDL)."""
    if not SCHEMA_SQL.exists():
        pytest.skip(f"{SCHEMA_SQL} not found")
    out: dict[str, list[str]] = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", SCHEMA_SQL.read_text(), re.S):
        out[name] = [ln.strip().split()[0] for ln in body.strip().splitlines() if ln.strip()]
    return out


def test_models_match_the_contract_ddl():
    ddl = contract_from_schema_sql()
    assert set(ddl) == set(CONTRACT_COLUMNS)
    for table, columns in ddl.items():
        assert list(CONTRACT_COLUMNS[table]) == columns, table


def _assert_contract(engine):
    insp = inspect(engine)
    for table, columns in CONTRACT_COLUMNS.items():
        have = [c["name"] for c in insp.get_columns(table)]
        assert have == list(columns), table
    assert set(PROJECT_TABLES) | set(PROACTIVE_TABLES) <= set(insp.get_table_names())
    report = check_contract(engine)
    assert report.follows_contract and not report.missing_project_tables


def test_upgrade_creates_everything_on_sqlite(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    _assert_contract(engine)
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # idempotent


@pytest.mark.postgres
def test_upgrade_creates_everything_on_postgres(pg_url):
    engine = get_engine(pg_url)
    upgrade(engine)
    _assert_contract(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_upgrade_leaves_a_teams_own_crm_alone(tmp_path):
    """A team's CRM made from the contract DDL keeps its tables, columns and rows."""
    import sqlite3

    path = tmp_path / "team.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_SQL.read_text() if SCHEMA_SQL.exists() else "")
    if not SCHEMA_SQL.exists():
        pytest.skip("schema.sql not found")
    con.execute("ALTER TABLE companies ADD COLUMN team_custom TEXT")
    con.execute(
        "INSERT INTO users (id, name, email, role, created_at) VALUES (1, 'Ann', 'ann@x.io', 'rep', '2024-01-01')"
    )
    con.commit()
    before = con.execute("SELECT sql FROM sqlite_master WHERE name='companies'").fetchone()[0]
    con.close()

    engine = get_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        after = conn.execute(text("SELECT sql FROM sqlite_master WHERE name='companies'")).scalar()
        assert after == before
        assert conn.execute(text("SELECT name FROM users")).scalars().all() == ["Ann"]
    assert set(PROJECT_TABLES) <= set(inspect(engine).get_table_names())


def test_allowed_values_are_enforced(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO users (name, email, role, created_at) VALUES ('A', 'a@x', 'ceo', '2024-01-01')")
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO companies (name, lifecycle_stage, owner_id, created_at) VALUES ('C', 'customer', 999, '2024-01-01')"
            )
        )


def test_read_only_engine_cannot_write(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(get_engine(url))
    ro = get_engine(url, read_only=True)
    with pytest.raises(Exception, match="readonly"), ro.begin() as conn:
        conn.execute(text("INSERT INTO products (sku, name, unit_price) VALUES ('a', 'b', 1)"))


def test_check_contract_names_what_is_missing(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
    report = check_contract(engine)
    assert not report.follows_contract
    assert "companies" in report.problem()
