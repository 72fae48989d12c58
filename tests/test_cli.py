"""The command line: clear errors, the read-only commands on any contract database, the chat."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

# A copy of ../shared/schema.sql (the contract as SQLite DDL), shipped with the tests.
SCHEMA_SQL = Path(__file__).resolve().parent / "data" / "contract_schema.sql"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_missing_database_file_says_how_to_make_one(tmp_path):
    result = run("ask", "--db", str(tmp_path / "nope.db"), "revenue last month")
    assert result.exit_code == 2
    assert "does not exist" in result.output and "crmbot demo" in result.output


def test_unreachable_database_is_a_clear_error():
    result = run("ask", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none", "revenue")
    assert result.exit_code == 2
    assert "Cannot reach the database" in result.output


def test_a_database_that_is_not_the_contract_names_what_is_missing(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.close()
    result = run("ask", "--db", str(path), "revenue")
    assert result.exit_code == 2
    assert "missing table(s)" in result.output and "companies" in result.output


def test_a_missing_column_is_named(tmp_path):
    if not SCHEMA_SQL.exists():
        pytest.skip("schema.sql not found")
    path = tmp_path / "team.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_SQL.read_text().replace("    lost_reason TEXT\n", "    lost_note TEXT\n"))
    con.close()
    result = run("ask", "--db", str(path), "revenue")
    assert result.exit_code == 2
    assert "deals.lost_reason" in result.output


def test_a_bad_date_is_explained(demo_db_url):
    result = run("ask", "--db", demo_db_url, "--today", "2026-02-30", "revenue")
    assert result.exit_code == 2
    assert "is not a date" in result.output


def test_read_only_commands_work_on_a_team_database_without_crmbot_tables(tmp_path):
    """`ask` and `sql` need only the contract tables, and create nothing."""
    if not SCHEMA_SQL.exists():
        pytest.skip("schema.sql not found")
    path = tmp_path / "team.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_SQL.read_text())
    con.execute("INSERT INTO payments (id, amount, paid_at, method) VALUES (1, 120.50, '2026-10-03', 'card')")
    con.commit()
    con.close()
    result = run("ask", "--db", str(path), "--today", "2026-11-19", "--json", "revenue last month")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == [[120.5]] and not data["refused"]
    result = run("sql", "--db", str(path), "--json", "SELECT COUNT(*) AS n FROM payments")
    assert json.loads(result.output)["rows"] == [[1]]
    tables = {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert not any(t.startswith("crmbot_") for t in tables)


def test_writing_commands_ask_for_db_upgrade(tmp_path):
    if not SCHEMA_SQL.exists():
        pytest.skip("schema.sql not found")
    path = tmp_path / "team.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_SQL.read_text())
    con.close()
    result = run("leads", "score", "--db", str(path), "--today", "2026-11-19")
    assert result.exit_code != 0
    assert "crmbot db upgrade" in result.output
    assert run("db", "upgrade", "--db", str(path)).exit_code == 0


def test_demo_refuses_a_database_with_data(demo_db_copy):
    result = run("demo", "--db", demo_db_copy, "--companies", "50")
    assert result.exit_code == 2
    assert "already has rows" in result.output


def test_ask_refuses_to_change_data_and_changes_nothing(demo_db_copy):
    before = (
        sqlite3.connect(demo_db_copy.removeprefix("sqlite:///"))
        .execute("SELECT COUNT(*) FROM leads")
        .fetchone()
    )
    result = run("ask", "--db", demo_db_copy, "--json", "delete all the leads from last year")
    data = json.loads(result.output)
    assert data["refused"] is True and data["reason"]
    after = (
        sqlite3.connect(demo_db_copy.removeprefix("sqlite:///"))
        .execute("SELECT COUNT(*) FROM leads")
        .fetchone()
    )
    assert before == after


def test_the_terminal_chat_answers_and_refines_follow_ups(demo_db_url, demo_today):
    from io import StringIO

    from rich.console import Console

    from bot.terminal import run_chat
    from tools.actor import Actor

    out = StringIO()
    console = Console(file=out, width=200)
    run_chat(
        demo_db_url,
        demo_today,
        Actor(None),
        console=console,
        lines=["help", "bookings by rep this year", "and by region?", "quit"],
    )
    text = out.getvalue()
    assert "I answer questions about your CRM data" in text
    assert "by rep" in text
    assert "refined the previous question" in text and "region" in text
