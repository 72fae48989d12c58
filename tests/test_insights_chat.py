"""The insights skill in conversation: what it takes, what it leaves to reports, cards and lists."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from bot.conversation import Context
from bot.router import handle
from bot.skills import insights as skill
from db.engine import get_engine
from db.models import Company, User
from tools.actor import Actor
from tools.insights.results import AtRiskList, CompanyInsight
from tools.results import Message


def _ctx(url="sqlite:///unused.db", today=None, user_id=3):
    from datetime import date

    return Context(
        db_url=url, today=today or date(2026, 11, 19), actor=Actor(user_id, "Rep", "rep"), channel="chat"
    )


@pytest.mark.parametrize(
    "text, company",
    [
        ("how is Acme doing", "Acme"),
        ("How's Acme Inc doing?", "Acme Inc"),
        ("health of Acme", "Acme"),
        ("insights Acme", "Acme"),
        ("what is the churn risk of Globex Corp?", "Globex Corp"),
    ],
)
def test_matches_questions_about_one_company(text, company):
    call = skill.match(text, _ctx())
    assert isinstance(call.args, skill.CompanyInsightArgs) and call.args.company == company


@pytest.mark.parametrize(
    "text, mine, region",
    [
        ("who is at risk of churning", False, None),
        ("who is about to churn?", False, None),
        ("my accounts at risk", True, None),
        ("which of my accounts are at risk?", True, None),
        ("at-risk accounts in EMEA", False, "EMEA"),
    ],
)
def test_matches_at_risk_lists(text, mine, region):
    call = skill.match(text, _ctx())
    assert isinstance(call.args, skill.AtRiskArgs) and (call.args.mine, call.args.region) == (mine, region)


@pytest.mark.parametrize(
    "text",
    [
        "average health score by industry",
        "which customers are at high churn risk?",
        "how many customers are at high churn risk",
        "health score by region",
        "top 10 customers by ltv",
        "bookings by rep this quarter",
        "how is the business doing",
    ],
)
def test_leaves_aggregate_questions_to_reports(text):
    assert skill.match(text, _ctx()) is None


def test_my_accounts_needs_a_known_user():
    result = skill.match("my accounts at risk", _ctx(user_id=None))
    assert isinstance(result, Message) and result.kind == "refused"


@pytest.fixture
def fresh_demo(demo_db_copy):
    """A demo copy where insights were never refreshed, plus a near-duplicate company name."""
    engine = get_engine(demo_db_copy)
    with engine.begin() as conn:
        row = conn.execute(
            select(Company.name, Company.owner_id, Company.created_at)
            .where(Company.lifecycle_stage == "customer")
            .limit(1)
        ).one()
        conn.execute(
            insert(Company).values(
                name="Quillfeather Widgets Inc", lifecycle_stage="customer", created_at=row.created_at
            )
        )
        conn.execute(
            insert(Company).values(
                name="QUILLFEATHER WIDGETS, INC.", lifecycle_stage="prospect", created_at=row.created_at
            )
        )
        conn.execute(
            insert(Company).values(
                name="Quillfeather Widgets Europe", lifecycle_stage="customer", created_at=row.created_at
            )
        )
    return demo_db_copy, row.name


def test_card_computed_on_the_fly_when_never_refreshed(fresh_demo, demo_today):
    from bot.render import to_blocks, to_text

    url, name = fresh_demo
    reply = handle(f"how is {name} doing?", _ctx(url, demo_today))
    card = reply.result
    assert isinstance(card, CompanyInsight), card
    assert card.computed_now and card.company_name == name
    assert [c.name for c in card.components] == ["engagement", "payment", "support"]
    assert card.health_score == pytest.approx(
        0.4 * card.components[0].score + 0.4 * card.components[1].score + 0.2 * card.components[2].score,
        abs=0.02,
    )
    text = to_text(card)
    assert name in text and "Health:" in text and "Churn risk:" in text and "Lifetime value:" in text
    blocks = to_blocks(card)
    assert blocks[0]["type"] == "header" and len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert len(blocks[2]["fields"]) == 3
    assert reply.thread_state["company"] == name


def test_card_on_the_fly_equals_the_refreshed_one(fresh_demo, demo_today, tmp_path):
    """One company computed alone gives the same scores as the job over everyone (same code path)."""
    from tools.insights.job import refresh
    from tools.insights.service import company_insight

    url, name = fresh_demo
    engine = get_engine(url)
    alone = company_insight(engine, demo_today, name)
    refresh(engine, demo_today, models_dir=tmp_path)
    stored = company_insight(engine, demo_today, name)
    assert not stored.computed_now
    assert stored.health_score == pytest.approx(alone.health_score, abs=0.01)
    assert [c.score for c in stored.components] == pytest.approx(
        [c.score for c in alone.components], abs=0.01
    )
    assert stored.churn_probability == pytest.approx(alone.churn_probability, abs=1e-3)
    assert stored.ltv == pytest.approx(alone.ltv, abs=0.01)


def test_near_duplicates_and_unknown_names(fresh_demo, demo_today):
    url, _ = fresh_demo
    engine = get_engine(url)
    from tools.insights.service import find_company

    exact = find_company(engine, "quillfeather widgets inc")
    assert (
        not isinstance(exact, Message) and exact[1] == "Quillfeather Widgets Inc"
    )  # the customer record wins
    vague = handle("how is Quillfeather doing", _ctx(url, demo_today)).result
    assert isinstance(vague, Message) and vague.kind == "clarify"
    assert "Quillfeather Widgets Inc" in vague.choices and "Quillfeather Widgets Europe" in vague.choices
    unknown = handle("how is Qwxzvbnm Holdings doing", _ctx(url, demo_today)).result
    assert isinstance(unknown, Message) and "no company called" in unknown.text


def test_at_risk_lists_for_me_and_by_region(fresh_demo, demo_today):
    from bot.render import to_blocks, to_text

    url, _ = fresh_demo
    engine = get_engine(url)
    with engine.connect() as conn:
        owner = conn.execute(select(User.id).where(User.role == "rep").order_by(User.id)).scalar()
    everyone = handle("who is at risk of churning", _ctx(url, demo_today, user_id=owner)).result
    assert isinstance(everyone, AtRiskList) and everyone.accounts and everyone.note  # computed on the fly
    probabilities = [a.churn_probability for a in everyone.accounts]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(a.churn_risk in ("medium", "high") for a in everyone.accounts)
    mine = handle("my accounts at risk", _ctx(url, demo_today, user_id=owner)).result
    with engine.connect() as conn:
        owned = {r for (r,) in conn.execute(select(Company.name).where(Company.owner_id == owner))}
    assert all(a.company_name in owned for a in mine.accounts)
    emea = handle("at-risk accounts in EMEA", _ctx(url, demo_today)).result
    with engine.connect() as conn:
        in_emea = {r for (r,) in conn.execute(select(Company.name).where(Company.region == "EMEA"))}
    assert all(a.company_name in in_emea for a in emea.accounts)
    assert "at risk" in to_text(mine) and len(to_blocks(everyone)) <= 50


def test_prospect_gets_a_polite_answer(fresh_demo, demo_today):
    from tools.insights.service import _normalized

    url, _ = fresh_demo
    with get_engine(url).connect() as conn:
        rows = conn.execute(select(Company.name, Company.lifecycle_stage)).fetchall()
    everyone = [_normalized(n) for n, _ in rows]
    unique = next(n for n, stage in rows if stage == "prospect" and everyone.count(_normalized(n)) == 1)
    reply = handle(f"how is {unique} doing", _ctx(url, demo_today)).result
    assert isinstance(reply, Message) and "current customers" in reply.text
