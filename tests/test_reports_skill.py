"""The reports skill through the router: JSON shape, follow-ups in a thread, blocks, charts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.conversation import Context
from bot.render import to_blocks, to_data, to_text
from bot.router import handle
from tools.actor import Actor
from tools.reports.results import ReportResult

TODAY = date(2026, 11, 19)


@pytest.fixture
def ctx_for(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    from crmbot.settings import get_settings

    get_settings.cache_clear()

    def make(thread=None):
        return Context(
            db_url=demo_db_url, today=TODAY, actor=Actor(user_id=None, role="manager"), thread=thread
        )

    yield make
    get_settings.cache_clear()


def test_json_answer_has_every_field(ctx_for):
    reply = handle("bookings by rep this year", ctx_for())
    data = to_data(reply.result)
    json.dumps(data)
    for key in (
        "question",
        "interpretation",
        "sql",
        "columns",
        "rows",
        "answer",
        "chart",
        "refused",
        "reason",
    ):
        assert key in data
    assert data["refused"] is False and data["rows"] and data["chart"].endswith(".png")
    assert "rep" in data["interpretation"] and "2026-01-01 to 2026-11-19" in data["interpretation"]


def test_follow_ups_refine_the_previous_question(ctx_for):
    first = handle("revenue last month", ctx_for())
    assert first.thread_state and first.thread_state["report_query"]["metric"] == "revenue"
    by_region = handle("and by region?", ctx_for(first.thread_state))
    assert by_region.result.columns[0] == "region" and len(by_region.result.rows) >= 2
    total = sum(r[1] for r in by_region.result.rows)
    assert abs(total - first.result.rows[0][0]) < 0.05
    only_emea = handle("only EMEA", ctx_for(by_region.thread_state))
    emea = next(r[1] for r in by_region.result.rows if r[0] == "EMEA")
    # a filter on the grouped dimension ends that grouping: one figure, EMEA's
    assert only_emea.result.query["group_by"] == [] and only_emea.result.rows == [[emea]]
    last_year = handle("what about last year?", ctx_for(only_emea.thread_state))
    assert last_year.result.query["period"]["start"] == "2025-01-01"
    assert last_year.result.query["filters"][0]["values"] == ["EMEA"]


def test_blocks_use_a_table_and_buttons(ctx_for):
    result = handle("tickets by priority this year", ctx_for()).result
    blocks = to_blocks(result)
    assert len(blocks) <= 50
    table = next(b for b in blocks if b["type"] == "table")
    assert len(table["rows"]) == len(result.rows) + 1 and table["rows"][0][0]["type"] == "raw_text"
    actions = next(b for b in blocks if b["type"] == "actions")
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["report_show_sql", "report_feedback_right", "report_feedback_wrong"]
    assert all(len(e["value"]) <= 32 for e in actions["elements"])


def test_big_results_go_to_a_csv(ctx_for):
    result = handle("list all invoices", ctx_for()).result
    assert len(result.rows) > 100 and result.csv and result.csv.endswith(".csv")
    blocks = to_blocks(result)
    assert not any(b["type"] == "table" for b in blocks)
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


def test_refusal_renders_politely(ctx_for):
    result = handle("delete the leads from last year", ctx_for()).result
    assert isinstance(result, ReportResult) and result.refused
    assert "never change" in to_text(result)


def test_text_rendering_shows_a_table(ctx_for):
    text = to_text(handle("revenue by region last year", ctx_for()).result)
    assert "EMEA" in text and "$" in text and "SQL:" in text
