"""A person's own SQL (and the language model's) under a data scope: each table reference becomes the
asker's rows, in subqueries, CTEs, unions and joins alike; people data is refused in words to the roles
that may not read it, and left out of what * gives them. Compared with SQL written here."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tools.reports.execute import run_user_sql
from tools.scope import DataScope

TODAY = date(2026, 11, 19)


@pytest.fixture(scope="module")
def engine(refreshed_db_path):
    """The session's demo with its insights refreshed (read only)."""
    from db.engine import get_engine

    engine = get_engine(f"sqlite:///{refreshed_db_path}", read_only=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def rep(engine) -> int:
    """The rep owning the most companies."""
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT owner_id FROM companies c JOIN users u ON u.id = c.owner_id WHERE u.role = 'rep' "
                "GROUP BY owner_id ORDER BY COUNT(*) DESC, owner_id LIMIT 1"
            )
        ).scalar()


def own(user_id: int, people: bool = False) -> DataScope:
    return DataScope("own", frozenset({user_id}), people=people)


def rows(engine, sql: str, **params) -> list[list]:
    with engine.connect() as conn:
        return [list(r) for r in conn.execute(text(sql), params)]


def ask(engine, sql: str, scope: DataScope):
    result = run_user_sql(engine, sql, scope=scope)
    return result


@pytest.mark.parametrize(
    "query, check",
    [
        # a subquery in WHERE, in a join, in EXISTS, a CTE, a UNION, a correlated scalar subquery
        (
            "SELECT COUNT(*) FROM deals WHERE company_id IN (SELECT id FROM companies WHERE region = 'NA')",
            "SELECT COUNT(*) FROM deals d JOIN companies c ON c.id = d.company_id WHERE c.owner_id = :r "
            "AND c.region = 'NA'",
        ),
        (
            "SELECT COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id",
            "SELECT COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE c.owner_id = :r",
        ),
        (
            "SELECT COUNT(*) FROM companies c WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = c.id)",
            "SELECT COUNT(*) FROM companies c WHERE c.owner_id = :r AND EXISTS "
            "(SELECT 1 FROM invoices i WHERE i.company_id = c.id)",
        ),
        (
            "WITH won AS (SELECT * FROM deals WHERE stage = 'closed_won') SELECT COUNT(*), SUM(amount) FROM won",
            "SELECT COUNT(*), SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id "
            "WHERE c.owner_id = :r AND d.stage = 'closed_won'",
        ),
        (
            "SELECT COUNT(*) FROM (SELECT company_id FROM invoices UNION ALL SELECT company_id FROM payments) x",
            "SELECT (SELECT COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.owner_id = :r)"
            " + (SELECT COUNT(*) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.owner_id = :r)",
        ),
        (
            "SELECT SUM((SELECT COUNT(*) FROM activities a WHERE a.company_id = c.id)) FROM companies c",
            "SELECT COUNT(*) FROM activities a JOIN companies c ON c.id = a.company_id WHERE c.owner_id = :r",
        ),
        (
            "SELECT COUNT(*) FROM deal_line_items",
            "SELECT COUNT(*) FROM deal_line_items li JOIN deals d ON d.id = li.deal_id "
            "JOIN companies c ON c.id = d.company_id WHERE c.owner_id = :r",
        ),
        (
            "SELECT COUNT(*) FROM customer_insights WHERE churn_risk = 'high'",
            "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
            "WHERE c.owner_id = :r AND ci.churn_risk = 'high'",
        ),
        (
            "SELECT COUNT(*) FROM leads",
            "SELECT COUNT(*) FROM leads WHERE owner_id = :r",
        ),
    ],
)
def test_every_table_reference_reads_only_the_askers_rows(engine, rep, query, check):
    result = ask(engine, query, own(rep))
    assert not result.refused, result.reason
    assert [[float(v or 0) for v in row] for row in result.rows] == [
        [float(v or 0) for v in row] for row in rows(engine, check, r=rep)
    ]
    everyone = ask(engine, query, DataScope())
    assert everyone.rows != result.rows  # the scope made a difference


def test_people_data_is_refused_in_words_and_left_out_of_star(engine, rep):
    rep_everything = DataScope("all", people=False)
    for query in (
        "SELECT name, email FROM users",
        "SELECT u.slack_user_id FROM users u",
        "SELECT name FROM users WHERE email LIKE '%@crmbot-demo.com'",
        "SELECT c.first_name FROM contacts c WHERE c.phone IS NOT NULL",
        "SELECT (SELECT MAX(email) FROM leads) AS x",
        "SELECT d.name, (SELECT u.email FROM users u WHERE u.id = d.owner_id) FROM deals d",
    ):
        result = ask(engine, query, rep_everything)
        assert result.refused and "people data" in result.answer and "managers" in result.answer, query
    star = ask(engine, "SELECT * FROM users", rep_everything)
    assert not star.refused and "email" not in star.columns and "slack_user_id" not in star.columns
    assert "name" in star.columns and len(star.rows) == rows(engine, "SELECT COUNT(*) FROM users")[0][0]
    contacts = ask(engine, "SELECT c.* FROM contacts c", own(rep))
    assert not contacts.refused and not {"email", "phone"} & set(contacts.columns)
    manager = ask(
        engine, "SELECT email FROM users ORDER BY id", DataScope("team", frozenset({rep}), people=True)
    )
    assert not manager.refused and len(manager.rows) == len(rows(engine, "SELECT id FROM users"))


def test_a_cte_named_like_a_table_is_refused_rather_than_left_unscoped(engine, rep):
    result = ask(engine, "WITH deals AS (SELECT * FROM companies) SELECT COUNT(*) FROM deals", own(rep))
    assert result.refused and "another name" in result.answer


def test_no_user_means_no_rows_but_words(engine):
    result = ask(engine, "SELECT COUNT(*) FROM companies", DataScope("none", people=False))
    assert result.refused and "which CRM user you are" in result.answer


def test_the_rewritten_sql_is_what_ran_and_is_shown(engine, rep):
    result = ask(engine, "SELECT COUNT(*) AS n FROM companies", own(rep))
    assert f"owner_id IN ({rep})" in result.sql
    assert "your data scope" in result.answer and "your data scope" in result.interpretation


def test_the_language_models_sql_gets_the_same_rewrite(engine, rep, tmp_path, monkeypatch):
    from crmbot.settings import Settings, get_settings
    from tests.openai_mock import OpenAIMock
    from tools.reports.llm import answer

    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    replies = [
        "```sql\nSELECT email FROM users\n```",  # refused for people data: the model is told, and repairs
        "```sql\nSELECT COUNT(*) AS n FROM companies\n```",
    ]
    try:
        with OpenAIMock(replies) as mock:
            settings = Settings(OPENAI_BASE_URL=mock.base_url, OPENAI_MODEL="m", OPENAI_API_KEY="k")
            result = answer(
                "how many accounts do I have", engine=engine, today=TODAY, settings=settings, scope=own(rep)
            )
        assert not result.refused, result.reason
        assert result.rows == rows(engine, "SELECT COUNT(*) FROM companies WHERE owner_id = :r", r=rep)
        assert "people data" in mock.messages(1)[-1]["content"]
    finally:
        get_settings.cache_clear()
