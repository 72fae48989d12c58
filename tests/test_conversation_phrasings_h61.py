"""Ways of asking learnt from the second blind round of this stop (holdouts 61-63: a VP of customer success and account
managers at a renewals review, a sales director and reps closing out the year, a finance analyst asking for several
numbers in one column list), each checked against SQL written here by hand on the refreshed demo (SQLite, today
2026-11-19), through the same path as `crmbot chat --json`.

Wrong before: "bump its health score up to 80 and set churn risk to low" showed the account (not refused); "total
receivables today" gave nothing; "avg health across all customers, and how many accounts are flagged high churn risk?"
gave the high-risk accounts' average as everyone's; "vs full year 2025" and "q4 ... this quarter vs q4 2025" compared
the wrong periods; "... last 30 days? and how many of them are qualified already" answered half; "top 3 accounts in
that?" listed payments.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_a_change_in_a_second_clause_is_refused(db):
    name = _rows(
        db, "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id LIMIT 1"
    )[0][0]
    before = _rows(db, "SELECT health_score, churn_risk FROM customer_insights ORDER BY company_id")
    (out,) = _chat(
        db, f"the model is wrong about {name}, bump its health score up to 80 and set churn risk to low"
    )
    assert out["refused"] and not out["rows"]
    assert _rows(db, "SELECT health_score, churn_risk FROM customer_insights ORDER BY company_id") == before


def test_what_is_owed_today_and_the_part_overdue(db):
    (out,) = _chat(db, "total receivables today, and how much of that is overdue?")
    (gold,) = _rows(
        db,
        f"SELECT SUM({OWED}), SUM(CASE WHEN i.due_date < '2026-11-19' THEN {OWED} END) FROM invoices i "
        "WHERE i.status = 'sent'",
    )
    assert out["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_a_second_ask_with_a_filter_of_its_own_is_never_applied_to_the_first(db):
    (mixed,) = _chat(
        db,
        "whats our avg health score across all customers right now, and how many accounts are flagged high churn risk?",
    )
    assert mixed["refused"] and not mixed["rows"]
    # the part a second "how many of them" names is counted among the first's records, beside them
    (half,) = _chat(db, "referral leads in the last 30 days? and how many of them are qualified already")
    ((total, qualified),) = _rows(
        db,
        "SELECT COUNT(*), SUM(status = 'qualified') FROM leads WHERE source = 'referral' "
        "AND date(created_at) BETWEEN '2026-10-21' AND '2026-11-19'",
    )
    assert 0 < qualified < total
    assert half["rows"][0][:2] == [qualified, total]
    (both,) = _chat(
        db, "How many customers are flagged high churn risk, and how much LTV do they represent in total?"
    )
    (gold,) = _rows(
        db,
        "SELECT COUNT(*), SUM(ci.ltv) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high'",
    )
    assert both["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_periods_said_in_full_or_twice(db):
    (year,) = _chat(db, "win rate 2026 so far vs full year 2025")
    rates = [
        _rows(
            db,
            f"SELECT 1.0 * SUM({WON}) / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
            f"AND date(closed_at) BETWEEN '{a}' AND '{b}'",
        )[0][0]
        for a, b in (("2026-01-01", "2026-11-19"), ("2025-01-01", "2025-12-31"))
    ]
    assert year["rows"][0][:2] == pytest.approx(rates, abs=1e-4)
    (q4,) = _chat(db, "q4 bookings by region, this quarter vs q4 2025")
    gold = _rows(
        db,
        "SELECT c.region, SUM(CASE WHEN date(d.closed_at) >= '2026-10-01' THEN d.amount ELSE 0 END), "
        "SUM(CASE WHEN date(d.closed_at) BETWEEN '2025-10-01' AND '2025-12-31' THEN d.amount ELSE 0 END) "
        "FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_won' GROUP BY c.region",
    )
    got = {r[0]: r[1:3] for r in q4["rows"]}
    assert {g[0]: pytest.approx(list(g[1:]), abs=0.01) for g in gold} == got


def test_definitions_asked_as_how_it_works(db):
    for question in (
        "how do the AR aging buckets work exactly",
        "pipeline means what exactly, which stages go into it",
    ):
        (out,) = _chat(db, question)
        assert out["kind"] == "explanation", question
    _, dso = _chat(db, "where's our DSO sitting as of today?", "walk me through how that number's worked out")
    assert dso["kind"] == "explanation" and "90" in dso["answer"]


def test_tickets_with_their_account_and_the_top_accounts_of_a_figure(db):
    (tickets,) = _chat(
        db, "all high priority tickets that are still open or pending, and which company they're from"
    )
    gold = _rows(
        db, "SELECT id FROM support_tickets WHERE priority = 'high' AND status IN ('open', 'pending')"
    )
    assert tickets["kind"] == "list" and sorted(r[0] for r in tickets["rows"]) == sorted(g[0] for g in gold)
    _, top = _chat(db, "revenue from EMEA last year", "top 3 accounts in that?")
    gold = _rows(
        db,
        "SELECT c.name, SUM(p.amount) AS r FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.region = 'EMEA' "
        "AND date(p.paid_at) BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY c.id ORDER BY r DESC LIMIT 3",
    )
    assert _pairs(top) == sorted((str(n), round(float(v), 2)) for n, v in gold)


def test_new_ones_after_the_customers_lost(db):
    _, new = _chat(
        db,
        "how many customers did we lose each quarter in 2025?",
        "and how many new ones did we add per quarter",
    )
    assert _pairs(new) == _gold_pairs(
        db,
        "SELECT date(customer_since, 'start of month', '-' || ((CAST(strftime('%m', customer_since) AS INTEGER) - 1) % 3) "
        "|| ' months'), COUNT(*) FROM companies WHERE date(customer_since) BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1",
    )
    assert _figure({"rows": [[sum(r[-1] for r in new["rows"])]]}) > 0
