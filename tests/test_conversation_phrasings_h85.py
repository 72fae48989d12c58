"""Ways of asking learnt from the blind round of holdouts 85-87 (a head of revenue operations and sales managers two
weeks into Q4, an accounts-receivable team at month end, customer-success managers typing on phones), each checked
against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as
`crmbot chat --json`.

Wrong or unhelpful before: "which teams came in over $6M?" after bookings by team bounded each deal, and "the win rate
for those teams" then ranked every team; "open leads scoring 60 or higher per owner" averaged the score; "avg deal size
for closed-won deals over $25k" listed the deals; "what are u measuring" and "bookings - is that signed deals or what
we invoiced?" computed or asked back; "between today and sunday" was dropped and every invoice counted; "vs the same
months last yr" and "vs full-year 2025" gave one period; "split into the 1-30 / 31-60 / 61-90 / 90+ buckets" gave one
total; "company-wide" kept the account just asked about; "by region instead" kept the months; "push the due date out 30
days" listed the invoice; "hows X lookin" and "lost to churn" were asked back.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, OVERDUE, OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "d.stage = 'closed_won'"
THIS_YEAR = "date(d.closed_at) BETWEEN '2026-01-01' AND '2026-11-19'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_groups_over_a_bound_in_a_follow_up_and_those_groups_after(db):
    by_team = f"FROM deals d JOIN users u ON u.id = d.owner_id WHERE {WON} AND {THIS_YEAR} GROUP BY u.team"
    totals = _rows(db, f"SELECT u.team, SUM(d.amount) {by_team}")
    assert len(totals) >= 2
    bar = sorted(t for _, t in totals)[-2] + 1  # only the biggest team passes it
    _, over, rate = _chat(
        db,
        "bookings by team this year",
        f"which teams came in over ${bar:,.0f}?",
        "what's the win rate this year for those teams",
    )
    gold = _gold_pairs(db, f"SELECT u.team, SUM(d.amount) {by_team} HAVING SUM(d.amount) > {bar}")
    assert len(gold) == 1 and _pairs(over) == gold
    gold = _gold_pairs(
        db,
        "SELECT u.team, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id "
        f"WHERE d.stage IN ('closed_won', 'closed_lost') AND {THIS_YEAR} AND u.team = '{gold[0][0]}' GROUP BY u.team",
    )
    assert _pairs(rate) == gold


def test_records_counted_with_a_bar_on_each(scored):
    gold = _gold_pairs(
        scored,
        "SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id "
        "WHERE l.status IN ('new', 'working', 'qualified') AND l.score >= 60 GROUP BY u.name",
    )
    assert gold
    for question in (
        "how many open leads scoring 60 or higher per owner",
        "open leads with a score of 60 or higher - by owner, how many each?",
    ):
        (out,) = _chat(scored, question)
        assert sorted((str(r[0]), round(float(r[1]), 2)) for r in out["rows"]) == gold, question


def test_an_average_of_the_records_over_a_bound_is_a_figure(db):
    (out,) = _chat(db, "avg deal size for closed-won deals over $25k this year, company-wide")
    gold = _rows(db, f"SELECT AVG(d.amount) FROM deals d WHERE {WON} AND d.amount > 25000 AND {THIS_YEAR}")
    assert out["kind"] == "report" and _figure(out) == pytest.approx(gold[0][0])


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("resolution time = ? what are u measuring", "resolved"),
        ("what exactly are you counting as past due", "due date"),
        ("bookings - is that signed deals or what we invoiced?", "closed_won"),
    ],
)
def test_what_a_word_means_asked_in_other_words(db, question, word):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and word in out["answer"], out["answer"]


def test_a_range_from_today_to_a_weekday(db):
    (out,) = _chat(db, "open invoices coming due between today and sunday (nov 22)?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices i WHERE i.status = 'sent' AND i.due_date BETWEEN '2026-11-19' AND '2026-11-22'",
    )
    assert _figure(out) == gold[0][0]
    everything = _rows(db, "SELECT COUNT(*) FROM invoices i WHERE i.status = 'sent'")
    assert gold[0][0] != everything[0][0]  # the range is not dropped


def test_comparisons_said_in_other_words(db):
    (cash,) = _chat(db, "cash colected jan thru june this year vs the same months last yr")
    gold = _rows(
        db,
        "SELECT (SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-01-01' AND '2026-06-30'), "
        "(SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-01-01' AND '2025-06-30')",
    )
    assert cash["rows"][0][:2] == pytest.approx(list(gold[0]))
    (rate,) = _chat(db, "Company win rate YTD vs full-year 2025?")
    closed = "FROM deals d WHERE d.stage IN ('closed_won', 'closed_lost')"
    gold = _rows(
        db,
        f"SELECT (SELECT 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) {closed} AND {THIS_YEAR}), "
        f"(SELECT 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) {closed} "
        "AND date(d.closed_at) BETWEEN '2025-01-01' AND '2025-12-31')",
    )
    assert rate["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_buckets_listed_are_a_split_and_company_wide_drops_the_account(db):
    account = _rows(
        db, f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} LIMIT 1"
    )[0][0]
    *_, split = _chat(
        db,
        f"how much does {account} owe us right now?",
        "how much of that is overdue?",
        "ok now company-wide - total overdue split into the 1-30 / 31-60 / 61-90 / 90+ buckets",
    )
    days = "julianday('2026-11-19') - julianday(i.due_date)"
    gold = _gold_pairs(
        db,
        f"SELECT CASE WHEN {days} <= 30 THEN '1-30' WHEN {days} <= 60 THEN '31-60' WHEN {days} <= 90 THEN '61-90' "
        f"ELSE '90+' END AS b, SUM({OWED}) FROM invoices i WHERE {OVERDUE} GROUP BY b",
    )
    assert len(gold) > 1 and _pairs(split) == gold


def test_a_grouping_said_instead_of_the_months(db):
    _, out = _chat(db, "new customers per month this year", "by region instead")
    gold = _gold_pairs(
        db,
        "SELECT region, COUNT(*) FROM companies WHERE date(customer_since) BETWEEN '2026-01-01' AND '2026-11-19' "
        "GROUP BY region",
    )
    assert out["columns"][0] == "region" and _pairs(out) == gold


def test_moving_a_due_date_is_a_change_refused(db):
    number = _rows(db, "SELECT number FROM invoices WHERE status = 'sent' LIMIT 1")[0][0]
    (out,) = _chat(db, f"push the due date on {number} out 30 days, they asked for an extension")
    assert out["refused"] and out["kind"] == "refusal"
    (out,) = _chat(db, "pull in the numbers for q2 bookings by rep")  # a request to read, not a change
    assert not out["refused"]


def test_an_account_asked_after_in_shorthand(db):
    name = _rows(
        db, "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id LIMIT 1"
    )[0][0]
    (out,) = _chat(db, f"hows {name.lower()} lookin")
    assert out["kind"] == "card" and out["rows"][0][0] == name
    (out,) = _chat(db, "how many accts has my team lost to churn this yr", asker=MANAGER)
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM companies c WHERE date(c.churned_at) BETWEEN '2026-01-01' AND '2026-11-19' "
        "AND c.owner_id IN (SELECT id FROM users WHERE team = 'NA East')",
    )
    assert _figure(out) == gold[0][0]
