"""The semantic model as a file a team reads and extends: validation, overlays, physical names.

A team's overlay adds metrics and synonyms without Python, and maps the contract's tables to its
own names; the report engine, the SQL guard and `crmbot semantic check` all read the effective
model. The physical-mapping test renames tables and columns of a real demo database and asks the
same questions of both.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

import pytest
from typer.testing import CliRunner

from tools.reports import semantic
from tools.reports.semantic import SemanticError

TODAY = date(2026, 11, 19)


@pytest.fixture
def overlay(tmp_path):
    """Write an overlay file and use it for the test; the default model again afterwards."""
    written = []

    def use(text: str, name: str = "team.yaml"):
        path = tmp_path / name
        path.write_text(text)
        semantic.use_overlay(path)
        written.append(path)
        return path

    yield use
    semantic.use_overlay(None)


def ask(question: str, url: str, today: date = TODAY, previous=None):
    from sqlalchemy import create_engine

    from tools.reports.engine import answer

    engine = create_engine(url)
    try:
        return answer(question, engine, today, previous=previous, chart=False)
    finally:
        engine.dispose()


def test_the_default_model_loads_and_makes_sense():
    model = semantic.load()
    assert model.problems() == []
    assert {"revenue", "bookings", "win_rate", "dso", "overdue_amount"} <= set(model.metrics_by_name)
    # vocabularies have one home (db.vocab), found through the dimension's column
    from db import vocab

    assert model.vocabulary("stage") == vocab.DEAL_STAGES and model.vocabulary("region") == vocab.REGIONS
    # every glossary word of the contract has a description in words
    assert all(m.description for m in model.metrics)


@pytest.mark.parametrize(
    "text, says",
    [
        (
            "metrics:\n- name: arr\n  aggregate: sums\n",
            ["team.yaml", "metrics (arr).aggregate", "Input should be"],
        ),
        (
            "metrics:\n- name: arr\n  label: ARR\n  base: deals\n  aggregate: sum\n  format: money\n",
            ["needs a column"],
        ),
        (
            "metrics:\n- name: arr\n  label: ARR\n  base: deals\n  aggregate: sum\n  column: deals.amout\n  format: money\n",
            ["metrics (arr)", "deals.amout", "no column amout"],
        ),
        (
            "dimensions:\n- name: segment\n  label: segment\n  column: companies.segment\n  bases: [deals]\n",
            ["no column segment"],
        ),
        ("tables:\n  deal: {table: crm_deal}\n", ["tables.deal", "no table deal"]),
        ("metrics: [1, 2", ["not valid YAML", "line"]),
        # a key written twice: YAML would silently keep the second (the shipped file once lost "accts" so)
        (
            "words:\n  abbreviations:\n    accounts: [accts]\n    accounts: [book of business]\n",
            ["`accounts`", "twice", "line 4"],
        ),
        ("metrics:\n- label: no name\n", ["has no `name`"]),
        # a measure's owner taken through a table it doesn't reach, or one without owners
        (
            "metrics:\n- name: last_call\n  label: last call\n  base: activities\n  aggregate: max\n"
            "  column: activities.occurred_at\n  format: date\n  owned_through: products\n",
            ["metrics (last_call).owned_through", "owner_id"],
        ),
    ],
)
def test_a_bad_overlay_names_the_file_the_key_and_what_is_wrong(tmp_path, text, says):
    path = tmp_path / "team.yaml"
    path.write_text(text)
    with pytest.raises(SemanticError) as refused:
        semantic.load(path)
    for words in says:
        assert words in str(refused.value), str(refused.value)


def test_an_overlay_adds_a_metric_and_a_synonym_without_python(overlay, demo_db_url):
    overlay(
        """
metrics:
- name: enterprise_bookings
  label: enterprise bookings
  base: deals
  aggregate: sum
  column: deals.amount
  format: money
  time_column: deals.closed_at
  conditions:
  - {column: deals.stage, op: eq, value: closed_won}
  - {column: deals.amount, op: gt, value: 0}
  synonyms: [enterprise bookings, big wins]
  description: Bookings of deals won, as the enterprise team counts them.
- name: revenue
  synonyms: [revenue, collected, cash in, moolah]
- name: payment_average
  label: average payment
  aggregate: ratio
  numerator: revenue
  denominator: payments
  format: money
  synonyms: [average payment size]
"""
    )
    url = demo_db_url
    slang = ask("moolah last month", url)
    plain = ask("revenue last month", url)
    assert not slang.refused and slang.rows == plain.rows and slang.query["metric"] == "revenue"
    wins = ask("big wins by region this year", url)
    bookings = ask("bookings by region this year", url)
    assert not wins.refused, wins.reason
    assert sorted(wins.rows) == sorted(bookings.rows)  # the same figures under the team's own word
    ratio = ask("average payment size this year", url)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    (expected,) = con.execute(
        "SELECT AVG(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-01-01' AND '2026-11-19'"
    ).fetchone()
    con.close()
    assert ratio.rows[0][0] == pytest.approx(expected, abs=0.01)
    from tools.reports.glossary import explain

    assert "enterprise team" in explain("what do you mean by big wins?").answer


# --------------------------------------------------------------------------- physical names

RENAMES = [
    "ALTER TABLE deals RENAME TO crm_deal",
    "ALTER TABLE crm_deal RENAME COLUMN amount TO amount_usd",
    "ALTER TABLE crm_deal RENAME COLUMN closed_at TO closed_on",
    "ALTER TABLE companies RENAME TO crm_account",
    "ALTER TABLE crm_account RENAME COLUMN name TO account_name",
    "ALTER TABLE payments RENAME TO crm_payment",
    "ALTER TABLE crm_payment RENAME COLUMN amount TO amount_paid",
]
MAPPING = """
tables:
  deals: {table: crm_deal, columns: {amount: amount_usd, closed_at: closed_on}}
  companies: {table: crm_account, columns: {name: account_name}}
  payments: {table: crm_payment, columns: {amount: amount_paid}}
"""
QUESTIONS = [
    "bookings by region this year",
    "revenue last month",
    "revenue by customer this year top 5",
    "win rate by rep last quarter",
    "open pipeline by stage",
    "5 biggest deals we won this quarter",
    "outstanding by region",
    "how many new customers did we get in Q3",
    "revenue this quarter vs last quarter",
]


@pytest.fixture(scope="module")
def renamed_db(demo_db_path, tmp_path_factory):
    target = tmp_path_factory.mktemp("renamed") / "team_crm.db"
    shutil.copy(demo_db_path, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA legacy_alter_table = OFF")
    for statement in RENAMES:
        con.execute(statement)
    con.commit()
    con.close()
    return f"sqlite:///{target}"


def test_a_team_database_with_its_own_names_gets_the_same_answers(overlay, demo_db_url, renamed_db):
    from tools.reports import entities

    entities.clear_cache()
    contract = {q: ask(q, demo_db_url) for q in QUESTIONS}
    overlay(MAPPING)
    for question in QUESTIONS:
        mapped = ask(question, renamed_db)
        assert not mapped.refused, (question, mapped.reason)
        assert mapped.rows == contract[question].rows, question
        assert "crm_deal" in mapped.sql or "crm_payment" in mapped.sql or "crm_account" in mapped.sql


def test_semantic_check_passes_on_the_mapped_database_and_names_a_wrong_mapping(renamed_db, tmp_path):
    from bot.cli import app

    runner = CliRunner()
    good = tmp_path / "good.yaml"
    good.write_text(MAPPING)
    try:
        passed = runner.invoke(app, ["--semantic", str(good), "semantic", "check", "--db", renamed_db])
        assert passed.exit_code == 0, passed.output
        assert passed.output.startswith("OK:")
        semantic.use_overlay(None)  # one process here: forget the overlay the last command used
        unmapped = runner.invoke(app, ["semantic", "check", "--db", renamed_db])  # the default names
        assert unmapped.exit_code == 1
        assert "table deals (the contract's deals) is not in the database" in unmapped.output
        wrong = tmp_path / "wrong.yaml"
        wrong.write_text(MAPPING.replace("crm_deal,", "crm_deals,").replace("account_name", "acct_name"))
        failed = runner.invoke(app, ["--semantic", str(wrong), "semantic", "check", "--db", renamed_db])
        assert failed.exit_code == 1
        assert "table crm_deals (the contract's deals) is not in the database" in failed.output
        assert "column crm_account.acct_name (the contract's companies.name)" in failed.output
        assert "tables.deals.table" in failed.output and "tables.companies.columns.name" in failed.output
    finally:
        semantic.use_overlay(None)


def test_own_sql_and_the_guard_use_the_teams_names(overlay, renamed_db):
    from sqlalchemy import create_engine

    from tools.reports.execute import run_user_sql

    overlay(MAPPING)
    engine = create_engine(renamed_db)
    try:
        ok = run_user_sql(
            engine, "SELECT COUNT(*) AS n FROM crm_deal WHERE amount_usd > 100000", row_limit=10
        )
        assert not ok.refused and ok.rows[0][0] > 0
        refused = run_user_sql(engine, "SELECT COUNT(*) FROM deals", row_limit=10)
        assert refused.refused and "crm_deal" in refused.reason  # "did you mean" names the team's table
    finally:
        engine.dispose()
    from tools.reports.llm import schema_text

    schema = schema_text()
    assert "crm_deal(" in schema and "amount_usd" in schema and "deals(" not in schema


def test_export_prints_the_effective_model_in_the_overlays_shape(overlay):
    overlay(MAPPING)
    text = semantic.export_yaml()
    assert "crm_deal" in text and "team.yaml" in text.splitlines()[0]
    path = overlay(text, name="exported.yaml")
    assert semantic.load(path).file == semantic.model().file
