"""The insights skill in conversation: what it takes, what it leaves to reports, cards and lists."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from bot.conversation import Context
from bot.router import handle
from bot.skills import insights as skill
from db.engine import get_engine
from db.models import Company, CustomerInsight, User
from tools.actor import Actor
from tools.insights.results import CompanyInsight
from tools.results import Message


def _ctx(url, today=None, user_id=3, thread=None):
    from datetime import date

    return Context(
        db_url=url,
        today=today or date(2026, 11, 19),
        actor=Actor(user_id, "Rep", "rep"),
        channel="chat",
        thread=thread,
    )


@pytest.fixture(scope="module")
def a_customer(demo_db_path):
    """A current customer whose name shares no word with another company (so no question back)."""
    with get_engine(f"sqlite:///{demo_db_path}").connect() as conn:
        names = [
            n for (n,) in conn.execute(select(Company.name).where(Company.lifecycle_stage == "customer"))
        ]
        every = [n for (n,) in conn.execute(select(Company.name))]
    words: dict[str, int] = {}
    for name in every:
        for w in name.lower().replace(",", " ").split():
            words[w] = words.get(w, 0) + 1
    return next(n for n in names if all(words[w] == 1 for w in n.lower().replace(",", " ").split()))


@pytest.mark.parametrize(
    "template",
    [
        "how is {} doing",
        "How's {} doing?",
        "health of {}",
        "what is the churn risk of {}?",
        "whats the LTV on {}",
        "why is {} at risk",
        "what should I do about {}?",
        "how's {} looking",
    ],
)
def test_matches_questions_about_one_named_account(template, a_customer, demo_db_url):
    call = skill.match(template.format(a_customer), _ctx(demo_db_url))
    assert isinstance(call.args, skill.CompanyInsightArgs) and call.args.company == a_customer


def test_follow_ups_about_the_account_in_focus(a_customer, demo_db_url):
    thread = {"company": a_customer, "last_skill": "insights"}
    call = skill.match("whats its churn risk", _ctx(demo_db_url, thread=thread))
    assert call.args.company == a_customer
    assert skill.match("and its revenue by month?", _ctx(demo_db_url, thread=thread)) is None


@pytest.mark.parametrize(
    "text",
    [
        "average health score by industry",
        "which customers are at high churn risk?",
        "how many customers are at high churn risk",
        "health score by region",
        "top 10 customers by ltv",
        "top 5 riskiest accounts",
        "who is at risk of churning",
        "my accounts at risk",
        "bookings by rep this quarter",
        "how is the business doing",
        "hows my team doing on bookings this quarter",
        "how's revenue looking this quarter",
    ],
)
def test_leaves_rankings_and_counts_over_accounts_to_reports(text, demo_db_url):
    assert skill.match(text, _ctx(demo_db_url)) is None


def test_my_accounts_needs_a_known_user(demo_db_url):
    result = handle("my accounts at risk", _ctx(demo_db_url, user_id=None)).result
    assert result.refused and "which CRM user you are" in result.reason


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


def test_card_on_the_fly_scores_like_the_refreshed_one(fresh_demo, demo_today, tmp_path):
    """One company computed alone gives the same health and LTV as the job over everyone (same code path)."""
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
    assert stored.ltv == pytest.approx(alone.ltv, abs=0.01)
    # a question never trains a model: before any refresh, churn is the rule-based estimate
    assert alone.churn_method == "rules" and stored.churn_method == "model"


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


def test_at_risk_lists_are_reports_over_current_customers(fresh_demo, demo_today, tmp_path):
    """ "at risk" is high churn risk, over current customers only; "my" is the asker's accounts."""
    from tools.insights.job import refresh
    from tools.reports.results import ReportResult

    url, _ = fresh_demo
    engine = get_engine(url)
    refresh(engine, demo_today, models_dir=tmp_path)
    with engine.connect() as conn:
        owner = conn.execute(select(User.id).where(User.role == "rep").order_by(User.id)).scalar()
        high = conn.execute(
            select(Company.name, Company.owner_id)
            .join(CustomerInsight, CustomerInsight.company_id == Company.id)
            .where(CustomerInsight.churn_risk == "high", Company.lifecycle_stage == "customer")
        ).fetchall()
    everyone = handle("who is at risk of churning", _ctx(url, demo_today, user_id=owner)).result
    assert isinstance(everyone, ReportResult) and not everyone.refused, everyone.reason
    assert sorted(r[0] for r in everyone.rows) == sorted(n for n, _ in high)
    mine = handle("which of my accounts are at risk?", _ctx(url, demo_today, user_id=owner)).result
    assert sorted(r[0] for r in mine.rows) == sorted(n for n, o in high if o == owner)
    riskiest = handle("top 3 riskiest accounts", _ctx(url, demo_today)).result
    probabilities = [r[-1] for r in riskiest.rows]
    assert len(riskiest.rows) == 3 and probabilities == sorted(probabilities, reverse=True)


def test_prospect_gets_a_polite_answer(fresh_demo, demo_today):
    from tools.insights.service import _normalized

    url, _ = fresh_demo
    with get_engine(url).connect() as conn:
        rows = conn.execute(select(Company.name, Company.lifecycle_stage)).fetchall()
    everyone = [_normalized(n) for n, _ in rows]
    unique = next(n for n, stage in rows if stage == "prospect" and everyone.count(_normalized(n)) == 1)
    reply = handle(f"how is {unique} doing", _ctx(url, demo_today)).result
    assert isinstance(reply, Message) and "current customers" in reply.text
