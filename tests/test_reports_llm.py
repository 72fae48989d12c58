"""The LLM report engine, end to end: the real openai client (via langchain-openai) talks HTTP to
a local OpenAI-compatible server with scripted replies (tests/openai_mock.py); SQL runs on SQLite."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from crmbot.settings import Settings, get_settings
from db.engine import get_engine
from tests.openai_mock import OpenAIMock
from tests.reports_seed import DEALS, fingerprint, make_small_crm, won_total
from tools.reports.llm import answer, parse_reply

TODAY = date(2026, 11, 19)


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('llm') / 'crm.db'}")
    make_small_crm(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """An empty examples store per test (settings come from the environment)."""
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def settings_for(mock: OpenAIMock, **extra) -> Settings:
    return Settings(
        OPENAI_BASE_URL=mock.base_url, OPENAI_MODEL="mock-sql", OPENAI_API_KEY="test-key", **extra
    )


def test_good_sql_is_answered(crm):
    reply = "Here you go:\n```sql\nSELECT SUM(amount) AS bookings FROM deals WHERE stage = 'closed_won'\n```"
    with OpenAIMock([reply]) as mock:
        result = answer("total bookings ever", engine=crm, today=TODAY, settings=settings_for(mock))
    assert not result.refused, result.reason
    assert result.source == "llm"
    assert result.columns == ["bookings"]
    assert float(result.rows[0][0]) == float(won_total(crm))
    assert result.sql.startswith("SELECT SUM(amount) AS bookings FROM deals")
    assert "bookings" in result.answer
    assert len(mock.requests) == 1
    assert mock.requests[0]["model"] == "mock-sql"


def test_prompt_has_schema_glossary_dialect_and_today(crm):
    with OpenAIMock(["```sql\nSELECT COUNT(*) AS n FROM deals\n```"]) as mock:
        answer("how many deals", engine=crm, today=TODAY, settings=settings_for(mock))
    system, user = mock.messages(0)
    assert system["role"] == "system" and user["role"] == "user"
    assert "deals(id integer, name text" in system["content"]
    assert (
        "stage text [prospecting, qualification, proposal, negotiation, closed_won, closed_lost]"
        in system["content"]
    )
    assert "owner_id integer -> users.id" in system["content"]
    assert "| bookings, sales, won revenue" in system["content"]
    assert "Today is 2026-11-19" in system["content"]
    assert "The SQL dialect is sqlite" in system["content"]
    assert user["content"].strip().endswith("Question: how many deals")


def test_hallucinated_column_gets_one_repair_round_with_the_error(crm):
    replies = [
        "```sql\nSELECT d.amout FROM deals d ORDER BY d.amout DESC LIMIT 1\n```",
        "```sql\nSELECT d.amount FROM deals d ORDER BY d.amount DESC LIMIT 1\n```",
    ]
    with OpenAIMock(replies) as mock:
        result = answer("biggest deal", engine=crm, today=TODAY, settings=settings_for(mock))
    assert not result.refused, result.reason
    assert float(result.rows[0][0]) == 1000 + 10 * DEALS
    assert len(mock.requests) == 2
    repair = mock.messages(1)
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "d.amout" in repair[2]["content"]
    assert "Unknown column deals.amout (did you mean amount?)" in repair[3]["content"]


def test_database_error_also_gets_a_repair_round(crm):
    replies = [
        "```sql\nSELECT COUNT(*) AS n FROM deals a, deals b, deals c, deals d, deals e\n```",
        "```sql\nSELECT COUNT(*) AS n FROM deals\n```",
    ]
    with OpenAIMock(replies) as mock:
        settings = settings_for(mock, CRMBOT_STATEMENT_TIMEOUT_S=0.3)
        result = answer("how many deals", engine=crm, today=TODAY, settings=settings)
    assert result.rows == [[DEALS]]
    assert "took longer than 0.3 s" in mock.messages(1)[-1]["content"]


def test_dangerous_sql_twice_is_refused_and_the_database_is_unchanged(crm):
    before = fingerprint(crm)
    replies = [
        "```sql\nDELETE FROM deals\n```",
        "```sql\nWITH x AS (DELETE FROM deals RETURNING *) SELECT COUNT(*) FROM x\n```",
    ]
    with OpenAIMock(replies) as mock:
        result = answer("delete all the deals", engine=crm, today=TODAY, settings=settings_for(mock))
    assert result.refused
    assert "could not write a safe query" in result.reason
    assert result.rows == [] and result.sql is None
    assert len(mock.requests) == 2
    assert fingerprint(crm) == before


def test_model_refusal_is_passed_on(crm):
    with OpenAIMock(["REFUSE: I can only answer questions about your sales data."]) as mock:
        result = answer("write me a poem", engine=crm, today=TODAY, settings=settings_for(mock))
    assert result.refused
    assert result.reason == "I can only answer questions about your sales data."
    assert len(mock.requests) == 1


def test_retrieved_verified_examples_are_in_the_prompt(crm):
    from tools.reports.examples import save_verified

    example_sql = "SELECT u.name, SUM(d.amount) AS bookings FROM deals d JOIN users u ON u.id = d.owner_id GROUP BY u.name"
    save_verified(crm, "bookings by rep", sql=example_sql, verified_by="test")
    save_verified(
        crm,
        "number of open tickets by priority",
        sql="SELECT priority, COUNT(*) FROM support_tickets GROUP BY priority",
    )
    with OpenAIMock(["```sql\nSELECT COUNT(*) AS n FROM deals\n```"]) as mock:
        answer("bookings per rep this year", engine=crm, today=TODAY, settings=settings_for(mock))
    user = mock.messages(0)[1]["content"]
    assert "Question: bookings by rep" in user
    assert example_sql in user
    assert user.index("bookings by rep") < user.index("open tickets")  # nearest first


def test_not_configured_is_a_polite_refusal(crm):
    result = answer(
        "anything", engine=crm, today=TODAY, settings=Settings(OPENAI_BASE_URL=None, OPENAI_MODEL=None)
    )
    assert result.refused and "not configured" in result.reason


def test_unreachable_endpoint_is_a_polite_refusal(crm):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1", OPENAI_MODEL="m", OPENAI_API_KEY="k")
    result = answer("how many deals", engine=crm, today=TODAY, settings=settings)
    assert result.refused and "did not answer" in result.reason


@pytest.mark.parametrize(
    ("text", "sql", "refusal"),
    [
        ("```sql\nSELECT 1\n```", "SELECT 1", None),
        (
            "Sure! ```SQL\nWITH a AS (SELECT 1) SELECT * FROM a;``` Hope it helps",
            "WITH a AS (SELECT 1) SELECT * FROM a;",
            None,
        ),
        ("SELECT id FROM users", "SELECT id FROM users", None),
        ("REFUSE: that would change data", None, "that would change data"),
        ("I am not sure what you mean.", None, None),
    ],
)
def test_parse_reply(text, sql, refusal):
    parsed = parse_reply(text)
    assert (parsed.sql, parsed.refusal) == (sql, refusal)
