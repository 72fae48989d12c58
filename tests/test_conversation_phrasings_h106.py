"""Ways of asking learnt from the blind round of holdouts 106-108 (a customer-success lead and her CSMs at the end of
July, sales operations closing Q1 on the first day of Q2, account executives in a busy channel writing shorthand and
correcting themselves), each checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday
2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, OPEN_STAGES, OVERDUE, OWED, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_per_csm_is_per_owner(db):
    (out,) = _chat(db, "how many high risk customers does my team have? count per csm", asker=MANAGER)
    gold = _gold_pairs(
        db,
        "SELECT u.name, COUNT(*) FROM companies c JOIN customer_insights ci ON ci.company_id = c.id JOIN users u ON "
        f"u.id = c.owner_id WHERE ci.churn_risk = 'high' AND c.lifecycle_stage = 'customer' AND c.owner_id IN {TEAM} "
        "GROUP BY u.id",
    )
    assert _pairs(out) == gold


@pytest.mark.parametrize(
    "question", ["what values can churn risk have", "is win rate by # of deals or by $ amount?"]
)
def test_what_a_measure_can_be_is_a_definition(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and not out["rows"]


def test_star_ratings_and_an_aging_bucket_said_in_full(db):
    (stars,) = _chat(db, "show me the 1-star tickets from this year, account + subject")
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE satisfaction = 1 AND date(created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert sorted(r[0] for r in stars["rows"]) == sorted(g[0] for g in gold)
    bucket, biggest = _chat(
        db, "how much is sitting in the 90+ aging bucket?", "who are the biggest 5 in there"
    )
    days = "julianday('2026-11-19') - julianday(i.due_date)"
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE} AND {days} > 90")
    assert _figure(bucket) == pytest.approx(gold[0][0])
    gold = _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND {days} > 90 "
        f"GROUP BY c.id ORDER BY SUM({OWED}) DESC LIMIT 5",
    )
    assert [r[0] for r in biggest["rows"]] == [g[0] for g in gold]


def test_nobody_picked_them_up_says_nothing_more(scored):
    (out,) = _chat(scored, "leads still in 'new' status that score over 40 - nobody's picked them up?")
    gold = _rows(scored, "SELECT id FROM leads WHERE status = 'new' AND score > 40")
    assert len(out["rows"]) == len(gold)


@pytest.mark.parametrize(
    ("turns", "region"),
    [
        (("bookings in october by region", "just APAC", "sorry, EMEA not APAC"), "EMEA"),
        (("pipe by region", "just EMEA", "sorry, APAC not EMEA"), "APAC"),
    ],
)
def test_a_correction_swaps_the_value(db, turns, region):
    *_, out = _chat(db, *turns)
    if turns[0].startswith("pipe"):
        sql = (
            f"SELECT SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{OPEN_STAGES}"
        )
    else:
        sql = (
            "SELECT SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_won' "
            "AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-10-31'"
        )
    assert _figure(out) == pytest.approx(_rows(db, f"{sql} AND c.region = '{region}'")[0][0])


def test_a_field_asked_after_plus_as_a_question(db):
    (out,) = _chat(db, "5 biggest open deals + what stage theyre in")
    gold = _rows(db, f"SELECT name FROM deals WHERE {OPEN_STAGES} ORDER BY amount DESC LIMIT 5")
    assert out["kind"] == "list" and "stage" in out["columns"]
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_a_period_said_again_in_brackets():
    from datetime import date

    from tools.reports.nlq.cues import read_periods

    periods, _ = read_periods(
        "open pipline by stage - only deals expected to close in q2 (apr-jun)", date(2026, 4, 1)
    )
    assert (periods.period.start, periods.period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert not periods.ambiguous
