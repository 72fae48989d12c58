"""Ways of asking learnt from the blind rounds of holdouts 217 to 219, each checked against SQL written here by hand on
the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import column as _column
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import one as _one
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

THIS_YEAR = "BETWEEN '2026-01-01' AND '2026-11-19'"
THIS_QUARTER = "BETWEEN '2026-10-01' AND '2026-11-19'"
LAST_QUARTER = "BETWEEN '2026-07-01' AND '2026-09-30'"
LAST_90_DAYS = "BETWEEN '2026-08-22' AND '2026-11-19'"
CUSTOMER = "c.lifecycle_stage = 'customer'"
MINE = f"(SELECT id FROM users WHERE email = '{REP}')"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.mark.parametrize(
    "question",
    [
        "invoiced vs collected - what's the distinction?",
        "where does churn risk come from? is it something reps set?",
    ],
)
def test_definitions_asked_as_a_distinction_or_where_it_comes_from(db, question):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and not out["rows"], out


def test_the_gap_between_the_two_is_no_top_two(db):
    out = _chat(
        db,
        "how much cash did we actually collect in October?",
        "ok and what did we bill in oct? want to see the gap between the two",
    )[-1]
    gold = _one(
        db,
        "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') "
        "AND date(issue_date) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_the_average_size_of_a_won_deal(db):
    out = _chat(db, "avg size of a won deal across all of 2025 pls")[-1]
    gold = _one(
        db,
        "SELECT AVG(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_how_many_ended_up_converting_and_that_as_a_rate(db):
    out = _chat(db, "of the leads we got in Q3, how many ended up converting, and what's that as a rate?")[-1]
    total = _one(db, f"SELECT COUNT(*) FROM leads WHERE date(created_at) {LAST_QUARTER}")
    converted = _one(
        db, f"SELECT COUNT(*) FROM leads WHERE status = 'converted' AND date(created_at) {LAST_QUARTER}"
    )
    assert converted in out["rows"][0], out["answer"]
    assert round(out["rows"][0][out["columns"].index("lead_conversion_rate")], 4) == round(
        converted / total, 4
    )


def test_the_total_of_overdue_invoices_over_a_bound_stays_overdue(db):
    out = _chat(
        db,
        "list the overdue invoices",
        "only the ones with more than 50k still open",
        "whats the total of those",
    )[-1]
    gold = _one(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE} AND {OWED} > 50000")
    assert gold and round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_won_deals_newest_first_are_the_most_recently_won(db):
    out = _chat(db, "won deals over $100k this year - deal name, company, amount, close date. newest first")[
        -1
    ]
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE stage = 'closed_won' AND amount > 100000 AND date(closed_at) {THIS_YEAR} "
        "ORDER BY closed_at DESC",
    )
    assert _column(out, "deal")[:5] == [g[0] for g in gold][:5], out["answer"]


def test_split_by_another_grouping_instead_of_the_first(db):
    out = _chat(db, "bookings by region this quarter", "now split by deal type instead of region")[-1]
    assert out["columns"][0] == "deal_type" and "region" not in out["columns"], out


def test_the_total_after_a_monthly_split_is_one_figure(db):
    out = _chat(db, "revenue by month this year", "just NA", "what's the NA total ytd then")[-1]
    gold = _one(
        db,
        f"SELECT SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.region = 'NA' "
        f"AND date(p.paid_at) {THIS_YEAR}",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_outstanding_on_the_rest_keeps_the_invoices_of_the_period(db):
    out = _chat(
        db,
        "invoices issued last month",
        "how many of those are paid already?",
        "and how much is still outstanding on the rest?",
    )[-1]
    gold = _one(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND date(i.issue_date) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_add_their_health_scores_beside_a_top_five_by_revenue_and_sort_by_it(db):
    outs = _chat(
        db,
        "top 5 customers by revenue this year",
        "add their health scores",
        "now sort those 5 by health, lowest first",
    )
    top = _rows(
        db,
        f"SELECT c.name, SUM(p.amount), ci.health_score FROM payments p JOIN companies c ON c.id = p.company_id "
        f"LEFT JOIN customer_insights ci ON ci.company_id = c.id WHERE date(p.paid_at) {THIS_YEAR} "
        "GROUP BY c.id ORDER BY 2 DESC LIMIT 5",
    )
    added = outs[1]
    assert [r[0] for r in added["rows"]] == [t[0] for t in top], added["answer"]
    assert [round(r[added["columns"].index("health")] or 0, 2) for r in added["rows"]] == [
        round(t[2] or 0, 2) for t in top
    ]
    resorted = outs[2]
    assert sorted(r[0] for r in resorted["rows"]) == sorted(t[0] for t in top), resorted["answer"]
    health = [r[resorted["columns"].index("health")] for r in resorted["rows"]]
    assert health == sorted(health), resorted["answer"]


def test_just_the_high_ones_with_health_score_lists_the_accounts(db):
    out = _chat(
        db, "churn risk breakdown across our customers", "just the high ones in EMEA, with health score"
    )[-1]
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND ci.churn_risk = 'high' AND c.region = 'EMEA'",
    )
    assert out["kind"] == "list" and "health score" in out["columns"], out["answer"]
    assert sorted(_column(out, "customer")) == sorted(g[0] for g in gold)


def test_who_gave_a_one_star_rating_with_the_subject_lists_the_tickets(db):
    out = _chat(db, "who gave us a 1-star CSAT this year? account + ticket subject")[-1]
    gold = _rows(
        db, f"SELECT id FROM support_tickets WHERE satisfaction = 1 AND date(created_at) {THIS_YEAR}"
    )
    assert gold and out["kind"] == "list" and sorted(_column(out, "ticket")) == sorted(g[0] for g in gold), (
        out["answer"]
    )


def test_which_companies_became_customers_with_columns_after_the_question(db):
    out = _chat(db, "which companies became customers in the last 90 days? region + account owner")[-1]
    gold = _rows(db, f"SELECT name FROM companies WHERE date(customer_since) {LAST_90_DAYS}")
    assert out["kind"] == "list" and {"region", "owner"} <= set(out["columns"]), out
    assert sorted(_column(out, "customer")) == sorted(g[0] for g in gold)


def test_high_vs_low_risk_is_churn_risk_never_a_priority(db):
    out = _chat(
        db,
        "is CSAT actually worse at high-churn-risk customers? compare high vs low risk, tickets from the last 90 days",
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT ci.churn_risk, AVG(t.satisfaction) FROM support_tickets t JOIN companies c ON c.id = t.company_id "
        f"JOIN customer_insights ci ON ci.company_id = c.id WHERE {CUSTOMER} AND ci.churn_risk IN ('high', 'low') "
        f"AND date(t.created_at) {LAST_90_DAYS} GROUP BY ci.churn_risk",
    )
    assert _pairs(out) == gold, out["interpretation"]


def test_which_of_them_opened_tickets_keeps_the_bound_on_their_health(db):
    out = _chat(
        db,
        "customers with health under 50?",
        "which of them have opened tickets in the last 90 days, and how many",
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.name, COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id "
        f"JOIN customer_insights ci ON ci.company_id = c.id WHERE {CUSTOMER} AND ci.health_score < 50 "
        f"AND date(t.created_at) {LAST_90_DAYS} GROUP BY c.id",
    )
    assert gold and _pairs(out) == gold, out["answer"]


def test_how_many_tickets_each_of_my_accounts_logged_keeps_the_ones_with_none(db):
    out = _chat(
        db, "my high churn risk accounts", "how many tickets has each logged this quarter", asker=REP
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.name, COUNT(t.id) FROM companies c JOIN customer_insights ci ON ci.company_id = c.id "
        f"LEFT JOIN support_tickets t ON t.company_id = c.id AND date(t.created_at) {THIS_QUARTER} "
        f"WHERE {CUSTOMER} AND ci.churn_risk = 'high' AND c.owner_id = {MINE} GROUP BY c.id",
    )
    assert gold and _pairs(out) == gold, out["answer"]


def test_expected_to_close_by_the_end_of_a_month_just_gone(db):
    out = _chat(db, "open deals expected to close by end of October - name, stage, amount")[-1]
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation') "
        "AND expected_close_date <= '2026-10-31'",
    )
    assert sorted(_column(out, "deal")) == sorted(g[0] for g in gold), out["answer"]


def test_how_many_did_we_lose_asked_first_asks_back(db):
    outs = _chat(db, "how many did we lose last qtr?", "deals")
    assert outs[0]["kind"] == "clarification" and not outs[0]["rows"], outs[0]
    gold = _one(
        db, f"SELECT COUNT(*) FROM deals WHERE stage = 'closed_lost' AND date(closed_at) {LAST_QUARTER}"
    )
    assert _figure(outs[1]) == gold, outs[1]["answer"]
