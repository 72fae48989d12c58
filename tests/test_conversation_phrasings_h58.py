"""Ways of asking learnt from blind conversation sets (holdouts 58-60: a regional manager and her account executives
before a pipeline review at the end of February, an accounts-receivable clerk, a controller and customer-success
managers on the first Monday of August, a CRO, a sales-operations analyst and a marketing-operations lead two days
before October ends), each checked against SQL written here by hand on the refreshed demo (SQLite, today 2026-11-19),
through the same path as `crmbot chat --json`.

Wrong before: "who owes the most on invoices 90+ days past due" ranked accounts by how many invoices; "oldest open
deal" and "newest leads" counted every deal or lead; "how many deals did we win in our most recent quarter" and
"revenue for the most recent full month" gave all time.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

OWED = "i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)"
OPEN = "('prospecting', 'qualification', 'proposal', 'negotiation')"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_who_owes_the_most_on_late_invoices_is_ranked_by_the_amount(db):
    (out,) = _chat(db, "who owes the most on invoices 90+ days past due? top 10 accounts + amount")
    gold = _rows(
        db,
        f"SELECT c.name, ROUND(SUM({OWED}), 2) AS owed FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) > 90 "
        "GROUP BY c.id ORDER BY owed DESC LIMIT 10",
    )
    assert _pairs(out) == sorted((str(n), round(float(v), 2)) for n, v in gold)


def test_the_oldest_and_newest_records_by_when_they_began(db):
    (deal,) = _chat(db, "oldest open deal")
    first = _rows(db, f"SELECT name FROM deals WHERE stage IN {OPEN} ORDER BY created_at LIMIT 1")[0][0]
    assert len(deal["rows"]) == 1 and deal["rows"][0][0] == first
    (invoice,) = _chat(db, "what's our oldest unpaid invoice")
    number = _rows(
        db, "SELECT number FROM invoices WHERE status = 'sent' ORDER BY issue_date, number LIMIT 1"
    )[0][0]
    assert len(invoice["rows"]) == 1 and invoice["rows"][0][0] == number
    (late,) = _chat(db, "how many days overdue is the oldest unpaid invoice")
    days = _rows(
        db,
        "SELECT CAST(julianday('2026-11-19') - julianday(due_date) AS INTEGER) FROM invoices WHERE status = 'sent' "
        "ORDER BY issue_date, number LIMIT 1",
    )[0][0]
    assert "days overdue" in late["columns"]
    assert late["rows"][0][late["columns"].index("days overdue")] == days
    (leads,) = _chat(db, "newest leads")
    newest = _rows(db, "SELECT MAX(created_at) FROM leads")[0][0]
    assert (
        leads["kind"] == "list"
        and str(leads["rows"][0][leads["columns"].index("created")])[:10] == newest[:10]
    )


@pytest.mark.parametrize(
    "question, sql",
    [
        (
            "how many deals did we win in our most recent quarter",
            "SELECT COUNT(*) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-07-01' "
            "AND '2026-09-30'",
        ),
        (
            "revenue for the most recent full month",
            "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'",
        ),
    ],
)
def test_the_most_recent_period_is_the_last_one_that_ended(db, question, sql):
    (out,) = _chat(db, question)
    assert _figure(out) == pytest.approx(_rows(db, sql)[0][0], abs=0.01)
