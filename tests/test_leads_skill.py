"""Leads in conversation: what the skill takes (and leaves to reports), cards, lists, cold start."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.conversation import Context
from bot.render import to_blocks, to_data, to_text
from bot.router import ToolCall, handle
from bot.skills import leads as skill
from crmbot.settings import get_settings
from tools.actor import Actor
from tools.leads.results import LeadCard, LeadExplanation, LeadList
from tools.results import Message


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def ctx_for(url, today, user_id=None, name=None):
    return Context(
        db_url=url, today=today, actor=Actor(user_id=user_id, name=name, role="rep"), channel="chat"
    )


@pytest.mark.parametrize(
    ("question", "intent", "who", "limit", "period", "claimed"),
    [
        ("score lead jane@acme.io", "score", "jane@acme.io", 10, None, None),
        ("lead 123", "card", "123", 10, None, None),
        ("show me lead #42", "card", "42", 10, None, None),
        ("why is Jane Doe scored 82", "why", "Jane Doe", 10, None, 82),
        ("why is lead 7 a 91?", "why", "7", 10, None, 91),
        ("why is jane@acme.io scored so high", "why", "jane@acme.io", 10, None, None),
        ("top 10 leads this week", "top", None, 10, "this week", None),
        ("best 5 leads", "top", None, 5, None, None),
        ("hottest leads this month", "top", None, 10, "this month", None),
        ("my best leads", "mine", None, 10, None, None),
        ("my top 3 leads", "mine", None, 3, None, None),
        ("which leads should I call today", "call", None, 10, None, None),
        ("who should I call today?", "call", None, 10, None, None),
    ],
)
def test_match_takes_questions_about_individual_leads(question, intent, who, limit, period, claimed):
    call = skill.match(question, None)
    assert isinstance(call, ToolCall) and call.name == "leads"
    args = call.args
    assert (args.intent, args.who, args.limit, args.period, args.claimed_score) == (
        intent,
        who,
        limit,
        period,
        claimed,
    )


@pytest.mark.parametrize(
    "question",
    [
        "new leads by source this year",
        "lead conversion rate by source in 2025",
        "how many leads this month",
        "top 5 lead sources",
        "leads by owner last quarter",
        "average lead score by source",
        "why is revenue down",
        "bookings by rep this quarter",
        "how is Acme doing",
        "why is Acme rated high risk",
        "why is Globex at risk",
        "why is Acme's health score 40",
    ],
)
def test_match_leaves_reports_and_other_questions_alone(question):
    assert skill.match(question, None) is None


def _some_lead(url, where="1 = 1"):
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        return conn.execute(
            text(
                f"SELECT id, first_name, last_name, email, owner_id FROM leads WHERE {where} ORDER BY id LIMIT 1"
            )
        ).one()


def test_cold_start_answers_with_a_labelled_fit_score(demo_db_copy, demo_today, data_dir):
    from db.engine import get_engine
    from tools.leads.model import train
    from tools.leads.scoring import score_open_leads

    engine = get_engine(demo_db_copy)
    with engine.begin() as conn:  # keep only a handful of closed leads
        conn.execute(text("DELETE FROM crmbot_demo_lead_truth"))
        conn.execute(
            text("DELETE FROM leads WHERE status IN ('converted', 'disqualified') AND id NOT IN "
                 "(SELECT id FROM leads WHERE status IN ('converted', 'disqualified') ORDER BY id LIMIT 150)")
        )  # fmt: skip
    report = train(engine, demo_today)
    assert not report.trained and "200 closed leads" in report.message and "40 conversions" in report.message
    run = score_open_leads(engine, demo_today)
    assert run.model_version is None and run.scored > 0 and run.scored_by == "fit score"
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT score, conversion_probability FROM leads WHERE score IS NOT NULL")
        ).all()
    assert len(rows) == run.scored and all(
        1 <= r.score <= 99 and r.conversion_probability is None for r in rows
    )

    lead = _some_lead(demo_db_copy, "status = 'new'")
    card = handle(f"lead {lead.id}", ctx_for(demo_db_copy, demo_today)).result
    assert isinstance(card, LeadCard) and card.model_version is None and card.probability is None
    assert "Fit score" in to_text(card) and card.reasons
    listing = handle("top 5 leads", ctx_for(demo_db_copy, demo_today)).result
    assert (
        isinstance(listing, LeadList)
        and "fit score" in listing.note.lower()
        and "200 closed leads" in listing.note
    )


def test_cards_lists_and_did_you_mean(demo_db_copy, demo_today, data_dir):
    lead = _some_lead(demo_db_copy, "status = 'working' AND first_name IS NOT NULL")
    ctx = ctx_for(demo_db_copy, demo_today)

    scored = handle(f"score lead {lead.email.upper()}", ctx)  # no model yet: the fit score, stored
    card = scored.result
    assert isinstance(card, LeadCard) and card.lead_id == lead.id and card.stored
    assert {k: scored.thread_state[k] for k in ("skill", "lead_ids")} == {
        "skill": "leads",
        "lead_ids": [lead.id],
    }

    from db.engine import get_engine
    from tools.leads.model import train

    train(get_engine(demo_db_copy), demo_today)
    why = handle(f"why is {lead.first_name} {lead.last_name} scored 99", ctx).result
    if (
        isinstance(why, Message) and why.kind == "clarify"
    ):  # two leads share the name: the choices name this one
        assert any(f"(lead {lead.id})" in c for c in why.choices)
        why = handle(f"why is lead {lead.id} scored 99", ctx).result
    # why: the reasons in words, with the score as it is now (not the 99 quoted), and the lead's row
    assert isinstance(why, LeadExplanation) and why.card.lead_id == lead.id
    assert "What drives the score:" in why.text and "not 99" in why.text
    data = to_data(why)
    assert data["rows"][0][0] == why.card.name and data["rows"][0][3] == why.card.score
    card = handle(f"lead {lead.id}", ctx).result
    assert isinstance(card, LeadCard) and card.model_version and card.probability is not None
    assert all(r.direction in "+-" for r in card.reasons) and 1 <= len(card.reasons) <= 3
    text_card = to_text(card)
    assert f"Lead {lead.id}" in text_card and "likely to convert" in text_card and "Owner:" in text_card
    blocks = to_blocks(card)
    assert len(blocks) <= 50 and any(b.get("fields") for b in blocks)
    assert to_data(card)["scored_by"].startswith("model ")

    typo = handle(f"lead {lead.email[:-1]}", ctx).result
    assert isinstance(typo, Message) and typo.kind == "clarify"
    assert any(f"(lead {lead.id})" in c for c in typo.choices)
    unknown = handle(f"why is {lead.first_name} {lead.last_name}q scored 50", ctx).result
    assert isinstance(unknown, Message) and unknown.kind == "clarify"
    assert any(f"{lead.first_name} {lead.last_name}" in c for c in unknown.choices)

    top = handle("top 10 leads this month", ctx).result
    assert isinstance(top, LeadList) and 0 < len(top.leads) <= 10
    scores = [c.score for c in top.leads]
    assert scores == sorted(scores, reverse=True)
    assert all(c.created_at.date() >= demo_today.replace(day=1) for c in top.leads)
    assert all(c.status in ("new", "working", "qualified") for c in top.leads)
    blocks = to_blocks(top)
    assert len(blocks) <= 50 and all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert to_data(top)["rows"][0][0] == "1"

    mine = handle("my best leads", ctx_for(demo_db_copy, demo_today, lead.owner_id, "Owner")).result
    assert isinstance(mine, LeadList) and mine.leads
    assert {c.owner for c in mine.leads} == {mine.leads[0].owner}
    refused = handle("my best leads", ctx_for(demo_db_copy, demo_today)).result
    assert isinstance(refused, Message) and refused.kind == "refused"


def test_a_leads_own_name_is_enough_and_a_reps_is_not(demo_db_url, demo_today, gold_names):
    """ "why is <lead> scored so high" without the word lead: the lead's name says it is a lead; a rep's
    name with the same words is left to other skills (people and companies told apart)."""
    lead, rep = gold_names
    ctx = ctx_for(demo_db_url, demo_today)
    call = skill.match(f"why is {lead} scored so high", ctx)
    assert call is not None and call.args.intent == "why" and call.args.who == lead
    assert skill.match(f"why is {rep} scored so high", ctx) is None


@pytest.fixture
def gold_names(demo_db_path):
    import sqlite3

    conn = sqlite3.connect(demo_db_path)
    lead = conn.execute(
        "SELECT first_name || ' ' || last_name FROM leads l WHERE NOT EXISTS (SELECT 1 FROM companies c "
        "WHERE lower(c.name) = lower(l.first_name || ' ' || l.last_name)) ORDER BY id LIMIT 1"
    ).fetchone()[0]
    rep = conn.execute(
        "SELECT name FROM users u WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE "
        "lower(l.first_name || ' ' || l.last_name) = lower(u.name)) ORDER BY id LIMIT 1"
    ).fetchone()[0]
    conn.close()
    return lead, rep


def test_a_lead_named_by_its_company_and_its_score_after(demo_db_copy, demo_today, data_dir):
    """ "whats the score on the Acme lead", then "and its conversion probability?": the one lead of that
    company, as a card with a row (score, probability), and the follow-up on the same lead."""
    from sqlalchemy import create_engine

    engine = create_engine(demo_db_copy)
    with engine.connect() as conn:
        company, lead_id = conn.execute(
            text(
                "SELECT company_name, MIN(id) FROM leads WHERE company_name IS NOT NULL AND status = 'working' "
                "GROUP BY company_name HAVING COUNT(*) = 1 ORDER BY company_name LIMIT 1"
            )
        ).one()
    engine.dispose()
    ctx = ctx_for(demo_db_copy, demo_today)
    first = handle(f"whats the score on the {company} lead", ctx)
    assert isinstance(first.result, LeadCard) and first.result.lead_id == lead_id
    from bot.envelope import envelope

    shown = envelope(first.result)
    assert shown["rows"] and shown["columns"][3] == "score" and shown["rows"][0][3] == first.result.score
    ctx.thread = first.thread_state
    again = handle("and its conversion probability?", ctx)
    assert isinstance(again.result, LeadCard) and again.result.lead_id == lead_id
