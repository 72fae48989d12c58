"""One time budget per question on the model, and caps on the model's text.

A local OpenAI-compatible server (tests/openai_mock.py) stalls, trickles bytes or answers with
megabytes; the real openai client (through langchain-openai) talks to it over HTTP. Whatever it
does, the person gets a clear answer within the budget (CRMBOT_LLM_TIME_BUDGET_S) and never more
than the reply cap (CRMBOT_LLM_MAX_REPLY_CHARS) of model text.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from bot.conversation import Context
from bot.router import handle
from crmbot.settings import Settings, get_settings
from db.engine import get_engine
from tests.openai_mock import OpenAIMock
from tests.reports_seed import make_small_crm
from tools.actor import Actor
from tools.llm_client import LlmBudget, ModelTimeout, call_within
from tools.reports.llm import answer
from tools.results import Message

MISSED_BY_RULES = "show me the dough each closer landed this year"
OFFLINE_CANNOT_READ = "which closer has the shiniest shoes"


@pytest.fixture(autouse=True)
def llm_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    for name in ("OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_API_KEY", "CRMBOT_LLM_TIME_BUDGET_S"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def ctx(demo_db_url, demo_today):
    """A conversation on the demo, warmed up (entity names loaded, the model client imported), so
    that a measured wait is the model's part of the question."""
    import langchain_openai  # noqa: F401

    handle(MISSED_BY_RULES, Context(db_url=demo_db_url, today=demo_today, actor=Actor(1, "Warm", "manager")))
    return Context(db_url=demo_db_url, today=demo_today, actor=Actor(1, "Test Manager", "manager"))


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('budget') / 'crm.db'}")
    make_small_crm(engine)
    yield engine
    engine.dispose()


def use_llm(monkeypatch, mock: OpenAIMock, budget_s: float, **extra) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", mock.base_url)
    monkeypatch.setenv("OPENAI_MODEL", "mock")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("CRMBOT_LLM_TIME_BUDGET_S", str(budget_s))
    for name, value in extra.items():
        monkeypatch.setenv(name, str(value))
    get_settings.cache_clear()


def settings_for(mock: OpenAIMock, **extra) -> Settings:
    return Settings(OPENAI_BASE_URL=mock.base_url, OPENAI_MODEL="mock", OPENAI_API_KEY="k", **extra)


def tool_call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


# --------------------------------------------------------------------------- time


def test_a_stalled_router_model_ends_within_the_budget_with_a_clear_message(ctx, llm_env):
    with OpenAIMock([{"stall": 60}, {"stall": 60}]) as mock:
        use_llm(llm_env, mock, budget_s=2)
        started = time.monotonic()
        reply = handle(MISSED_BY_RULES, ctx)
        waited = time.monotonic() - started

    assert waited < 3.0, waited
    assert isinstance(reply.result, Message) and reply.result.kind == "error"
    assert "did not answer within 2 s" in reply.result.text
    assert len(mock.requests) == 1  # no retry past the budget


def test_router_and_sql_writer_share_one_budget(ctx, llm_env):
    """The router answers after 1.5 s; the SQL writer then stalls: the question ends at 3 s in all."""
    replies = [
        {"stall": 1.5, "then": tool_call("reports", question=OFFLINE_CANNOT_READ)},
        {"stall": 60},
        {"stall": 60},
    ]
    with OpenAIMock(replies) as mock:
        use_llm(llm_env, mock, budget_s=3)
        started = time.monotonic()
        reply = handle(MISSED_BY_RULES, ctx)
        waited = time.monotonic() - started

    assert 1.5 <= waited < 4.0, waited
    assert reply.result.refused and "did not answer within 3 s" in reply.result.reason
    assert len(mock.requests) == 2  # the router's call and the SQL writer's; no repair round after


def test_a_model_that_trickles_bytes_is_cut_off_at_the_budget(crm):
    with OpenAIMock([{"trickle": 60}]) as mock:
        started = time.monotonic()
        result = answer(
            "how many deals",
            engine=crm,
            today=date(2026, 11, 19),
            settings=settings_for(mock, CRMBOT_LLM_TIME_BUDGET_S=1.5),
        )
        waited = time.monotonic() - started

    assert waited < 2.5, waited
    assert result.refused and "did not answer within 1.5 s" in result.reason


def test_the_repair_round_gets_only_what_is_left(crm):
    """A first reply with bad SQL after 1 s, then a stalled repair: the answer ends at the budget."""
    replies = [{"stall": 1.0, "then": "```sql\nSELECT amout FROM deals\n```"}, {"stall": 60}]
    with OpenAIMock(replies) as mock:
        started = time.monotonic()
        result = answer(
            "biggest deal",
            engine=crm,
            today=date(2026, 11, 19),
            settings=settings_for(mock, CRMBOT_LLM_TIME_BUDGET_S=2),
        )
        waited = time.monotonic() - started

    assert waited < 3.0, waited
    assert result.refused and "did not answer within 2 s" in result.reason
    assert len(mock.requests) == 2


def test_call_within_gives_back_the_result_or_times_out():
    budget = LlmBudget(0.5)
    assert call_within(budget, lambda: 42) == 42
    with pytest.raises(ModelTimeout):
        call_within(budget, lambda: time.sleep(5))
    with pytest.raises(ModelTimeout):  # nothing left: the call is not even started
        call_within(budget, lambda: pytest.fail("called after the budget ran out"))


def test_a_fast_model_is_unaffected(ctx, llm_env):
    with OpenAIMock([tool_call("reports", question="bookings by rep this year")]) as mock:
        use_llm(llm_env, mock, budget_s=20)
        reply = handle(MISSED_BY_RULES, ctx)
    assert not reply.result.refused and reply.result.rows
    asked = mock.requests[0]
    assert 0 < asked.get("max_completion_tokens", asked.get("max_tokens", 0)) <= 20_000  # a bounded reply


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize("chars", [30_000, 20_000_000])
def test_a_huge_router_reply_is_not_passed_on(ctx, llm_env, chars):
    """Over the text cap, or so big that the HTTP body is cut off as it arrives."""
    with OpenAIMock([{"content_chars": chars}]) as mock:
        use_llm(llm_env, mock, budget_s=20)
        reply = handle(MISSED_BY_RULES, ctx)
    assert isinstance(reply.result, Message) and reply.result.kind == "error"
    assert "longer than 20,000 characters" in reply.result.text
    assert len(reply.result.text) < 300


@pytest.mark.parametrize("chars", [30_000, 20_000_000])
def test_a_huge_sql_writer_reply_is_refused(crm, chars):
    with OpenAIMock([{"content_chars": chars}]) as mock:
        result = answer("how many deals", engine=crm, today=date(2026, 11, 19), settings=settings_for(mock))
    assert result.refused and "longer than 20,000 characters" in result.reason
    assert len(result.answer) < 300


def test_the_models_words_are_clipped_when_shown(ctx, llm_env):
    with OpenAIMock(["Which period do you mean? " + "really " * 700]) as mock:
        use_llm(llm_env, mock, budget_s=20)
        reply = handle(MISSED_BY_RULES, ctx)
    assert reply.result.kind == "clarify" and reply.result.text.startswith("Which period do you mean?")
    assert len(reply.result.text) == 1000 and reply.result.text.endswith("…")


def test_the_reply_cap_is_a_setting(crm):
    with OpenAIMock(["```sql\nSELECT count(*) AS n FROM deals\n```"]) as mock:
        result = answer(
            "how many deals",
            engine=crm,
            today=date(2026, 11, 19),
            settings=settings_for(mock, CRMBOT_LLM_MAX_REPLY_CHARS=10),
        )
    assert result.refused and "longer than 10 characters" in result.reason
