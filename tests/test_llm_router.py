"""The LLM router end to end: the real openai client (via langchain-openai) talks HTTP to a local
OpenAI-compatible server with scripted tool calls (tests/openai_mock.py); skills run on the demo DB."""

from __future__ import annotations

import socket

import pytest

from bot.conversation import Context
from bot.llm_router import tool_specs
from bot.router import ToolCall, handle, route
from bot.skills import invoices, leads, reports
from crmbot.settings import get_settings
from tests.openai_mock import OpenAIMock
from tools.actor import Actor
from tools.results import Message

MISSED_BY_RULES = "show me the dough each closer landed this year"


@pytest.fixture(autouse=True)
def llm_env(monkeypatch, tmp_path):
    """Settings come from the environment: no LLM unless a test points it at a mock."""
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    for name in ("OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def ctx(demo_db_url, demo_today):
    return Context(
        db_url=demo_db_url, today=demo_today, actor=Actor(user_id=1, name="Test Manager", role="manager")
    )


def use_llm(monkeypatch, mock: OpenAIMock) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", mock.base_url)
    monkeypatch.setenv("OPENAI_MODEL", "mock-router")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    get_settings.cache_clear()


def tool_call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def test_a_paraphrase_the_rules_miss_is_routed_by_the_model_and_answered_from_the_db(ctx, llm_env):
    expected = handle("bookings by rep this year", ctx).result
    assert not expected.refused and expected.rows
    offline = handle(MISSED_BY_RULES, ctx).result
    assert offline.refused  # the rules alone cannot read it

    with OpenAIMock([tool_call("reports", question="bookings by rep this year")]) as mock:
        use_llm(llm_env, mock)
        reply = handle(MISSED_BY_RULES, ctx)

    assert reply.call == ToolCall("reports", reports.ReportArgs(question="bookings by rep this year"))
    assert not reply.result.refused, reply.result.reason
    assert reply.result.source == "offline"
    assert reply.result.columns == expected.columns
    assert reply.result.rows == expected.rows
    assert len(mock.requests) == 1


def test_model_arguments_are_validated_into_the_skills_typed_models(ctx, llm_env):
    replies = [
        tool_call("leads", intent="top", limit="5"),
        tool_call("invoices_action", action="approve", invoice="INV-2026-00042"),
    ]
    with OpenAIMock(replies) as mock:
        use_llm(llm_env, mock)
        lead_call = route("who should I ring first, the hottest five", ctx)
        invoice_call = route("who should I ring first, the hottest five", ctx)

    assert lead_call == ToolCall("leads", leads.LeadsArgs(intent="top", limit=5))
    assert isinstance(lead_call.args.limit, int)
    assert invoice_call == ToolCall(
        "invoices", invoices.InvoiceActionArgs(action="approve", invoice="INV-2026-00042")
    )


def test_bad_arguments_become_a_clarifying_message_and_nothing_runs(ctx, llm_env):
    with OpenAIMock([tool_call("leads", intent="best", limit=500)]) as mock:
        use_llm(llm_env, mock)
        reply = handle("who should I ring first, the hottest five", ctx)

    assert reply.call is None
    assert isinstance(reply.result, Message) and reply.result.kind == "clarify"
    assert "intent" in reply.result.text and "limit" in reply.result.text
    assert "less than or equal to 50" in reply.result.text


@pytest.mark.parametrize(
    ("model_says", "kind", "text"),
    [
        ("Which period do you mean: this year or last year?", "clarify", "Which period do you mean"),
        ("REFUSE: I can only answer questions about your sales data.", "refused", "I can only answer"),
    ],
)
def test_a_model_without_a_tool_call_asks_back_or_declines(ctx, llm_env, model_says, kind, text):
    with OpenAIMock([model_says]) as mock:
        use_llm(llm_env, mock)
        reply = handle(MISSED_BY_RULES, ctx)

    assert reply.call is None
    assert reply.result.kind == kind
    assert reply.result.text.startswith(text)


def test_questions_the_rules_understand_never_reach_the_model(ctx, llm_env):
    with OpenAIMock([tool_call("help")]) as mock:
        use_llm(llm_env, mock)
        call = route("bookings by rep this year", ctx)
        pending = route("pending approvals", ctx)

    assert call == ToolCall("reports", reports.ReportArgs(question="bookings by rep this year"))
    assert pending.name == "invoices"
    assert mock.requests == []


def test_without_an_llm_configured_nothing_calls_the_network(ctx, llm_env):
    def no_network(*args, **kwargs):
        raise AssertionError("the router tried to open a connection")

    with OpenAIMock([tool_call("help")]) as mock:
        llm_env.setenv("OPENAI_BASE_URL", mock.base_url)  # a URL but no model: the LLM is off
        get_settings.cache_clear()
        llm_env.setattr(socket.socket, "connect", no_network)
        call = route(MISSED_BY_RULES, ctx)
        answer = handle(MISSED_BY_RULES, ctx).result

    assert not get_settings().llm_enabled
    assert call == ToolCall("reports", reports.ReportArgs(question=MISSED_BY_RULES))
    assert answer.refused and answer.source == "offline"
    assert mock.requests == []


def test_an_unreachable_model_leaves_the_rules_answer(ctx, llm_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm_env.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    llm_env.setenv("OPENAI_MODEL", "m")
    get_settings.cache_clear()

    assert route(MISSED_BY_RULES, ctx) == ToolCall("reports", reports.ReportArgs(question=MISSED_BY_RULES))


def test_the_request_lists_every_tool_with_its_json_schema(ctx, llm_env):
    with OpenAIMock([tool_call("help")]) as mock:
        use_llm(llm_env, mock)
        call = route(MISSED_BY_RULES, ctx)

    assert call.name == "help"
    request = mock.requests[0]
    assert request["model"] == "mock-router"
    tools = {t["function"]["name"]: t["function"] for t in request["tools"]}
    assert {
        "help",
        "sql",
        "reports",
        "leads",
        "invoices_draft",
        "invoices_action",
        "invoices_pending",
    } <= set(tools)
    assert tools["leads"]["parameters"] == leads.LeadsArgs.model_json_schema()
    assert tools["leads"]["parameters"]["properties"]["intent"]["enum"] == [
        "card",
        "score",
        "why",
        "top",
        "mine",
        "call",
    ]
    assert tools["invoices_draft"]["parameters"] == invoices.DraftArgs.model_json_schema()
    assert tools["reports"]["description"] == reports.DESCRIPTION
    assert all(t["type"] == "function" for t in request["tools"])
    assert len(request["tools"]) == len(tool_specs())
    system, user = request["messages"]
    assert system["role"] == "system" and "Today is 2026-11-19" in system["content"]
    assert "Test Manager (role: manager)" in system["content"]
    assert user == {"role": "user", "content": MISSED_BY_RULES}
