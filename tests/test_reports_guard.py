"""The SQL guard and read-only execution, against real SQLite and real PostgreSQL.

Every hostile input must be refused (or cut off by the row limit / the timeout) and leave the
database exactly as it was: each test compares a fingerprint of every table before and after.
The engines used here can write, so it is the guard and the read-only execution that hold.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from sqlalchemy import delete

from db.engine import get_engine
from db.models import Deal
from tests.pg import fresh_schema
from tests.reports_seed import DEALS, fingerprint, make_small_crm, won_total
from tools.reports.execute import QueryError, QueryTimeout, run_select, run_user_sql
from tools.reports.guard import GuardError, check

# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory):
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('guard') / 'crm.db'}")
    make_small_crm(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def postgres_engine():
    with fresh_schema("t_guard") as (url, _, _):
        engine = get_engine(url)
        make_small_crm(engine)
        yield engine
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def unchanged(engine):
    """Yields the engine; afterwards asserts that no table, row or value changed."""
    before = fingerprint(engine)
    yield engine
    assert fingerprint(engine) == before


# --------------------------------------------------------------------------- hostile inputs

HOSTILE = [
    # more than one statement, or none
    "SELECT 1; DROP TABLE users",
    "SELECT * FROM users; DELETE FROM users",
    "BEGIN; DELETE FROM deals; COMMIT",
    "SELECT 1 /* ; */ ; DELETE FROM deals",
    "",
    " ; ; ",
    # data-changing and schema statements, plain and disguised
    "DROP TABLE users",
    "DrOp TaBlE users",
    "/* harmless */ DROP TABLE deals",
    "-- just a comment\nDELETE FROM deals",
    "UPDATE deals SET amount = 1",
    "INSERT INTO users (id, name, email, role, created_at) VALUES (99, 'x', 'x@y.z', 'rep', '2026-01-01')",
    "REPLACE INTO users (id, name) VALUES (1, 'pwned')",
    "DELETE FROM leads WHERE 1 = 1",
    "ALTER TABLE users ADD COLUMN pwned TEXT",
    "CREATE TABLE pwned AS SELECT * FROM users",
    "CREATE VIEW v AS SELECT * FROM users",
    "TRUNCATE TABLE deals",
    "MERGE INTO deals d USING users u ON d.owner_id = u.id WHEN MATCHED THEN DELETE",
    "ATTACH DATABASE '/tmp/crmbot_pwned.db' AS pwned",
    "DETACH DATABASE main",
    "PRAGMA writable_schema = ON",
    "VACUUM",
    "REINDEX",
    "COMMIT",
    "SET statement_timeout = 0",
    "GRANT ALL ON users TO PUBLIC",
    "COPY users TO '/tmp/crmbot_users.csv'",
    "EXPLAIN ANALYZE DELETE FROM deals",
    "SELECT * INTO pwned FROM users",
    "SELECT * FROM users FOR UPDATE",
    # DML hidden in CTEs and subqueries
    "WITH x AS (DELETE FROM leads RETURNING *) SELECT * FROM x",
    "WITH x AS (UPDATE deals SET amount = 1 RETURNING id) SELECT count(*) FROM x",
    "WITH x AS (INSERT INTO leads (id, status, created_at) VALUES (999, 'new', '2026-01-01') RETURNING id) "
    "SELECT * FROM x",
    "SELECT 1 FROM users WHERE EXISTS (WITH d AS (DELETE FROM deals RETURNING 1) SELECT 1 FROM d)",
    # dangerous functions
    "SELECT pg_sleep(30)",
    "SELECT (SELECT pg_sleep(10)) FROM users",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_read_binary_file('/etc/passwd')",
    "SELECT pg_ls_dir('.')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT lo_export(1, '/tmp/crmbot_x')",
    "SELECT * FROM dblink('host=evil', 'select 1') AS t(x int)",
    "SELECT dblink_exec('host=evil', 'drop table users')",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT current_setting('data_directory')",
    "SELECT pg_terminate_backend(1)",
    "SELECT version()",
    "SELECT load_extension('/tmp/evil.so')",
    "SELECT readfile('/etc/passwd')",
    "SELECT writefile('/tmp/crmbot_pwned', 'x')",
    "SELECT fts3_tokenizer('simple')",
    "SELECT randomblob(1000000000)",
    "SELECT * FROM generate_series(1, 100000000000)",
    "SELECT * FROM pragma_table_info('users')",
    # system catalogs and tables outside the contract
    "SELECT * FROM sqlite_master",
    "SELECT * FROM sqlite_schema",
    'SELECT * FROM "sqlite_master"',
    "SELECT name FROM users UNION ALL SELECT sql FROM sqlite_master",
    "SELECT * FROM pg_catalog.pg_shadow",
    "SELECT * FROM pg_user",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM main.users",
    "SELECT * FROM crmbot_audit_log",
    "SELECT * FROM crmbot_verified_questions",
    # hallucinated tables and columns
    "SELECT * FROM passwords",
    "SELECT amout FROM deals",
    "SELECT d.revenue FROM deals d",
    "SELECT name FROM users u JOIN deals d ON d.owner_id = u.id",  # ambiguous
    # string tricks and unreadable input
    "SELECT * FROM ｕsers",
    "SELECT * FROM users WHERE id = ?",
    "SELECT :name",
    "SELEC * FROM users",
    "SELECT * FROM users WHERE name = 'unterminated",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_hostile_input_is_refused_and_nothing_changes(unchanged, sql):
    result = run_user_sql(unchanged, sql, row_limit=100, timeout_s=2)
    assert result.refused, f"ran: {sql!r} -> {result.sql!r}"
    assert result.reason and result.rows == []


def test_there_are_at_least_forty_hostile_inputs():
    assert len(HOSTILE) >= 40


def test_read_only_execution_holds_even_past_the_guard(unchanged):
    """A write statement object handed straight to run_select is stopped by the database itself."""
    with pytest.raises(QueryError, match="read-only|could not run"):
        run_select(unchanged, delete(Deal), row_limit=10, timeout_s=2)


# --------------------------------------------------------------------------- cut off: rows and time


def test_huge_result_is_cut_at_the_row_limit(unchanged):
    columns, rows, truncated = run_select(
        unchanged, "SELECT a.id, b.id AS id2 FROM deals a, deals b", row_limit=1000
    )
    assert (columns, len(rows), truncated) == (["id", "id2"], 1000, True)


def test_a_larger_limit_is_lowered_to_the_row_limit(unchanged):
    result = run_user_sql(unchanged, "SELECT id FROM deals LIMIT 1000000", row_limit=50)
    assert (len(result.rows), result.truncated) == (50, True)
    assert result.sql.endswith("LIMIT 50")


def test_a_result_at_the_limit_is_not_truncated(unchanged):
    _, rows, truncated = run_select(unchanged, "SELECT id FROM deals", row_limit=DEALS)
    assert (len(rows), truncated) == (DEALS, False)


SLOW = [
    "SELECT count(*) FROM deals a, deals b, deals c, deals d WHERE a.amount + b.amount > c.amount - d.amount",
    "SELECT count(*) FROM deals a, deals b, deals c, deals d, deals e",
]


@pytest.mark.parametrize("sql", SLOW)
def test_slow_query_is_stopped_by_the_timeout(unchanged, sql):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 0.5 s"):
        run_select(unchanged, sql, timeout_s=0.5)
    assert time.monotonic() - started < 1.5


def test_connection_is_usable_after_a_timeout(engine):
    with pytest.raises(QueryTimeout):
        run_select(engine, SLOW[1], timeout_s=0.2)
    assert run_select(engine, "SELECT count(*) AS n FROM deals")[1] == [[DEALS]]


# --------------------------------------------------------------------------- what must pass

POSITIVE = {
    "cte_and_join": (
        "WITH won AS (SELECT owner_id, amount AS amt FROM deals WHERE stage = 'closed_won') "
        "SELECT u.name, SUM(w.amt) AS total FROM won w JOIN users u ON u.id = w.owner_id "
        "GROUP BY u.name ORDER BY total DESC"
    ),
    "union": "SELECT name FROM users UNION SELECT name FROM companies ORDER BY name",
    "correlated_subquery": (
        "SELECT c.name FROM companies c WHERE EXISTS "
        "(SELECT 1 FROM deals d WHERE d.company_id = c.id AND amount > 2900) ORDER BY c.name"
    ),
    "scalar_subquery": "SELECT u.name, (SELECT MAX(amount) FROM deals d WHERE d.owner_id = u.id) AS best FROM users u",
    "window": (
        "SELECT name, amount, RANK() OVER (PARTITION BY owner_id ORDER BY amount DESC) AS rnk FROM deals "
        "ORDER BY owner_id, rnk"
    ),
    "alias_in_having_and_order": (
        "SELECT stage, COUNT(*) AS n FROM deals GROUP BY stage HAVING COUNT(*) > 10 ORDER BY n DESC, stage"
    ),
    "derived_table": "SELECT t.nm FROM (SELECT id, name AS nm FROM users) t WHERE t.id = 2",
    "case_and_coalesce": (
        "SELECT SUM(CASE WHEN stage = 'closed_won' THEN 1 ELSE 0 END) * 1.0 / COUNT(*) AS win_rate "
        "FROM deals WHERE stage IN ('closed_won', 'closed_lost')"
    ),
    "quoted_identifiers": 'SELECT "name" FROM "users" WHERE "id" = 1',
    "colons_and_percents_in_strings": "SELECT name, ' :x 50%' AS note FROM users WHERE name LIKE 'A%'",
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_legitimate_queries_pass_and_run(unchanged, name):
    result = run_user_sql(unchanged, POSITIVE[name], row_limit=500)
    assert not result.refused, result.reason
    assert result.rows


def test_positive_results_are_right(engine):
    _, rows, _ = run_select(engine, POSITIVE["cte_and_join"])
    assert sum(Decimal(str(r[1])) for r in rows) == won_total(engine)
    assert run_select(engine, POSITIVE["derived_table"])[1] == [["Ben"]]
    assert run_select(engine, POSITIVE["case_and_coalesce"])[1][0][0] == pytest.approx(0.5)
    assert run_select(engine, POSITIVE["colons_and_percents_in_strings"])[1] == [["Ana", " :x 50%"]]


def test_dialect_specific_date_functions(engine):
    dialect = engine.dialect.name
    sql = {
        "sqlite": "SELECT strftime('%Y-%m-01', closed_at) AS month, COUNT(*) AS n FROM deals "
        "WHERE closed_at IS NOT NULL GROUP BY month ORDER BY month",
        "postgresql": "SELECT to_char(date_trunc('month', closed_at), 'YYYY-MM-DD') AS month, COUNT(*) AS n "
        "FROM deals WHERE closed_at IS NOT NULL GROUP BY 1 ORDER BY 1",
    }[dialect]
    _, rows, _ = run_select(engine, sql)
    assert rows[0][0] == "2026-02-01"
    assert sum(r[1] for r in rows) == DEALS // 2


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT d.amout FROM deals d", "Unknown column deals.amout (did you mean amount?)"),
        ("SELECT amout FROM deals", "did you mean amount?"),
        ("SELECT * FROM lead", "Unknown table lead (did you mean leads?)"),
        ("SELECT t.name FROM (SELECT name AS nm FROM users) t", "did you mean nm?"),
        ("SELECT 1; SELECT 2", "2 statements"),
        ("WITH x AS (DELETE FROM leads RETURNING *) SELECT * FROM x", "DELETE"),
        ("SELECT pg_sleep(5)", "function pg_sleep is not allowed"),
        ("SELECT * FROM sqlite_master", "System catalogs"),
        ("SELECT * INTO t FROM users", "INTO"),
        ("SELEC 1", "could not read that SQL"),
    ],
)
def test_refusals_say_what_is_wrong(sql, message):
    with pytest.raises(GuardError) as caught:
        check(sql)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_output_is_regenerated_without_comments_and_with_a_limit():
    out = check("SELECT name /* note */ FROM users -- trailing\n", row_limit=10)
    assert out == "SELECT name FROM users LIMIT 10"
    assert check("SELECT name FROM users LIMIT 3", row_limit=10).endswith("LIMIT 3")
    assert check("SELECT id FROM users UNION SELECT id FROM deals", row_limit=7).endswith("LIMIT 7")


def test_cte_name_is_a_table_only_where_it_is_defined():
    check("WITH crmbot_audit_log AS (SELECT id FROM users) SELECT id FROM crmbot_audit_log")
    with pytest.raises(GuardError, match="crmbot_audit_log"):
        check(
            "SELECT * FROM (WITH crmbot_audit_log AS (SELECT 1 AS id) SELECT id FROM crmbot_audit_log) x, "
            "crmbot_audit_log"
        )


def test_postgres_dialect_accepts_casts_and_intervals():
    out = check(
        "SELECT date_trunc('month', closed_at)::date AS m, SUM(amount) FROM deals "
        "WHERE closed_at >= now() - interval '90 days' GROUP BY 1",
        "postgres",
    )
    assert "CAST(" in out and "INTERVAL" in out


def test_allowed_mapping_restricts_tables():
    with pytest.raises(GuardError, match="Unknown table deals"):
        check("SELECT id FROM deals", allowed={"users": ("id", "name")})


# --------------------------------------------------------------------------- the command line


def test_crmbot_sql_json_runs_and_refuses(sqlite_engine):
    import json

    from typer.testing import CliRunner

    from bot.cli import app

    url = str(sqlite_engine.url)
    before = fingerprint(sqlite_engine)
    runner = CliRunner()
    ran = runner.invoke(
        app,
        [
            "sql",
            "--db",
            url,
            "--json",
            "SELECT stage, COUNT(*) AS n FROM deals GROUP BY stage ORDER BY stage",
        ],
    )
    assert ran.exit_code == 0, ran.output
    data = json.loads(ran.output)
    assert data["columns"] == ["stage", "n"] and data["rows"][0] == ["closed_lost", DEALS // 4]
    assert data["refused"] is False and data["interpretation"] == "your SQL" and data["chart"] is None
    assert data["sql"].startswith("SELECT stage, COUNT(*) AS n FROM deals")
    refused = runner.invoke(
        app, ["sql", "--db", url, "--json", "WITH x AS (DELETE FROM deals RETURNING *) SELECT * FROM x"]
    )
    assert refused.exit_code == 1
    data = json.loads(refused.output)
    assert data["refused"] is True and "DELETE" in data["reason"] and data["rows"] == []
    table = runner.invoke(app, ["sql", "--db", url, "SELECT name FROM users ORDER BY name"])
    assert table.exit_code == 0 and "Chloe" in table.output
    assert fingerprint(sqlite_engine) == before


def test_crmbot_sql_says_a_single_value_and_formats_money(sqlite_engine):
    from typer.testing import CliRunner

    from bot.cli import app

    url = str(sqlite_engine.url)
    with sqlite_engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT SUM(amount) FROM deals").scalar()
        count = conn.exec_driver_sql("SELECT COUNT(*) FROM deals").scalar()
    runner = CliRunner()
    money = runner.invoke(app, ["sql", "--db", url, "SELECT SUM(amount) AS total FROM deals"])
    assert money.exit_code == 0 and f"total: ${total:,.2f}." in money.output, money.output
    counted = runner.invoke(app, ["sql", "--db", url, "SELECT COUNT(*) AS n FROM deals"])
    assert f"n: {count:,}." in counted.output, counted.output
