"""Ways of asking learnt from blind conversation sets (holdouts 46-48: a sales director's forecast call at month end,
finance operations in the first week of a year, a marketing lead and SDRs), each checked against SQL written here by
hand on the refreshed demo (SQLite, today 2026-11-19), through the same path as `crmbot chat --json`.

Wrong before: "pipeline by expected close month" gave one total, "90+ bucket only, by region" after the aging read a top
90, "billings for the second half of 2025 versus the first half" compared this year's first half, "the 10 largest
payments received" gave revenue per customer, "any of my referral leads still sitting in new?" dropped the status,
"how many deals is that" with nothing before it counted every deal.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import rows as _rows

OPEN = "stage NOT IN ('closed_won', 'closed_lost')"
SLIPPED = f"{OPEN} AND expected_close_date < '2026-11-19'"
CUSTOMERS = (
    "customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = 'customer'"
)


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_pipeline_by_expected_close_month(db):
    (out,) = _chat(db, "pipeline by expected close month")
    gold = _rows(
        db,
        f"SELECT strftime('%Y-%m-01', expected_close_date), SUM(amount) FROM deals WHERE {OPEN} GROUP BY 1",
    )
    assert sorted((str(r[0])[:10], round(r[1], 2)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2)) for g in gold
    )


def test_slipping_deals_their_count_and_total_and_whose_they_are(db):
    listed, both = _chat(
        db,
        "show me the slipping deals - open but expected close already passed",
        "how many is that and what's the total",
    )
    gold = _rows(db, f"SELECT COUNT(*), SUM(amount) FROM deals WHERE {SLIPPED}")[0]
    assert len(listed["rows"]) == gold[0]
    assert both["rows"][0] == [gold[0], pytest.approx(gold[1])]
    (whose,) = _chat(db, "which deals are past their expected close date and whose are they")
    assert whose["kind"] == "list" and "rep" in whose["columns"] and len(whose["rows"]) == gold[0]


def test_a_bucket_after_the_aging_and_periods_of_one_year(db):
    _, bucket = _chat(db, "aging", "90+ bucket only, by region")
    gold = _rows(
        db,
        f"SELECT c.region, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) > 90 GROUP BY 1",
    )
    assert sorted((r[0], round(r[1], 2)) for r in bucket["rows"]) == sorted(
        (g[0], round(g[1], 2)) for g in gold
    )
    (halves,) = _chat(db, "Billings for the second half of 2025 versus the first half?")
    billed = "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND issue_date BETWEEN '{}' AND '{}'"
    assert halves["rows"][0][:2] == pytest.approx(
        [
            _rows(db, billed.format("2025-07-01", "2025-12-31"))[0][0],
            _rows(db, billed.format("2025-01-01", "2025-06-30"))[0][0],
        ]
    )
    _, before = _chat(db, "revenue in october", "same month the year before?")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-10-01' AND '2025-10-31'"
    )
    assert _figure(before) == pytest.approx(gold[0][0])


def test_the_largest_payments_are_those_payments(db):
    (out,) = _chat(db, "Show me the 10 largest payments received in the third quarter of 2026.")
    gold = _rows(
        db,
        "SELECT amount FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30' ORDER BY amount DESC LIMIT 10",
    )
    amount = out["columns"].index("amount")
    assert out["kind"] == "list" and [r[amount] for r in out["rows"]] == [g[0] for g in gold]


@pytest.mark.parametrize(
    "question",
    [
        "does avg deal size include lost deals or just won ones",
        "who counts as a 'new customer'",
        "When you report 'outstanding', which invoices are included?",
        "is 'revenue' the invoiced amount or the cash we actually received?",
        "how do you decide a customer hasn't been contacted in 30 days",
        "avg deal size, which deals go into that",
    ],
)
def test_more_ways_of_asking_what_a_word_means(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation", out["answer"]


def test_a_status_said_as_in_new_and_the_records_of_one_row(db):
    (new,) = _chat(db, "any of my partner leads still sitting in new?", asker="sarah.santos@crmbot-demo.com")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = 'sarah.santos@crmbot-demo.com' "
        "AND l.source = 'partner' AND l.status = 'new'",
    )
    assert len(new["rows"]) == gold[0][0]
    _, apac = _chat(db, "high risk customers by region", "just APAC, list em w/ churn prob")
    gold = _rows(db, f"SELECT c.name FROM {CUSTOMERS} AND ci.churn_risk = 'high' AND c.region = 'APAC'")
    assert apac["kind"] == "list" and sorted(r[0] for r in apac["rows"]) == sorted(g[0] for g in gold)
    _, scoring = _chat(db, "open leads in healthcare", "just the ones scoring over 20")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE industry = 'Healthcare' AND status IN ('new', 'working', 'qualified') "
        "AND score > 20",
    )
    assert scoring["kind"] == "list" and len(scoring["rows"]) == gold[0][0]


@pytest.mark.parametrize("question", ["how many deals is that", "and the biggest 3?"])
def test_pointing_back_at_nothing_is_asked_about(db, question):
    (out,) = _chat(db, question)
    assert out["refused"] and not out["rows"], out["answer"]


def test_he_after_a_refused_message_is_the_rep_it_named(db):
    refused, count = _chat(
        db,
        "reassign all of Sarah Santos's open leads to me",
        "ok nvm. how many open leads does she have?",
        asker="wei.andersson@crmbot-demo.com",
    )
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.name = 'Sarah Santos' "
        "AND l.status IN ('new', 'working', 'qualified')",
    )
    assert refused["refused"] and _figure(count) == gold[0][0]
