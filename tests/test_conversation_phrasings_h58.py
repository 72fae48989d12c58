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

from tests.conversation_helpers import MANAGER, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

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


def test_the_team_of_a_manager_and_records_landed_on_me(db):
    (cw,) = _chat(db, "team cw QTD", asker=MANAGER)
    gold = _rows(
        db,
        "SELECT SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE u.team = 'NA East' "
        "AND d.stage = 'closed_won' AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert _figure(cw) == pytest.approx(gold[0][0], abs=0.01)
    (leads,) = _chat(db, "team's open leads, broken out by status", asker=MANAGER)
    assert _pairs(leads) == _gold_pairs(
        db,
        "SELECT l.status, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.team = 'NA East' "
        "AND l.status IN ('new', 'working', 'qualified') GROUP BY l.status",
    )
    (mine,) = _chat(db, "how many new leads have landed on me this month", asker=REP)
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = '{REP}' "
        "AND date(l.created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert _figure(mine) == gold[0][0]


def test_records_with_amounts_are_listed(db):
    (won,) = _chat(db, "deals closed won this week + amounts")
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-11-16' AND '2026-11-19'",
    )
    assert won["kind"] == "list" and sorted(r[0] for r in won["rows"]) == sorted(g[0] for g in gold)
    assert "amount" in won["columns"]


def test_follow_ups_that_narrow_total_and_regroup(db):
    _, narrowed = _chat(db, "open pipe by region", "only count deals over 50k")
    assert _pairs(narrowed) == _gold_pairs(
        db,
        "SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage IN "
        f"{OPEN} AND d.amount > 50000 GROUP BY c.region",
    )
    _, q4, total = _chat(db, "revenue by month for 2025", "now just Q4, by region", "and Q4 total vs Q4 '24?")
    assert _pairs(q4) == _gold_pairs(
        db,
        "SELECT c.region, SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id "
        "WHERE date(p.paid_at) BETWEEN '2025-10-01' AND '2025-12-31' GROUP BY c.region",
    )
    (gold,) = _rows(
        db,
        "SELECT (SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-10-01' AND '2025-12-31'), "
        "(SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2024-10-01' AND '2024-12-31')",
    )
    assert len(total["rows"]) == 1 and total["rows"][0][:2] == pytest.approx(list(gold), abs=0.01)


def test_the_accounts_past_a_bound_counted_and_summed(db):
    per_account = (
        f"SELECT c.id, c.region, SUM({OWED}) AS owed FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {OVERDUE} GROUP BY c.id HAVING owed > 20000"
    )
    _, count, combined = _chat(
        db,
        "which accounts owe us more than 20k in overdue invoices?",
        "how many of those are EMEA",
        "and whats the combined overdue for just those EMEA ones?",
    )
    emea = [r for r in _rows(db, per_account) if r[1] == "EMEA"]
    assert emea and _figure(count) == len(emea)
    assert _figure(combined) == pytest.approx(sum(r[2] for r in emea), abs=0.01)


def test_a_count_and_a_measure_of_the_same_records(db):
    (both,) = _chat(db, "how many invoices are overdue and what's the total overdue")
    (gold,) = _rows(db, f"SELECT COUNT(*), SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    assert both["rows"][0] == pytest.approx(list(gold), abs=0.01)
    (payments,) = _chat(db, "# of payments received in july + avg payment amount")
    (gold,) = _rows(
        db,
        "SELECT COUNT(*), AVG(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-07-31'",
    )
    assert payments["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_questions_are_not_change_requests_and_changes_keep_their_records(db):
    (csat,) = _chat(db, "csat july vs june - did it drop??")
    assert not csat["refused"] and len(csat["rows"]) == 1
    _, big = _chat(db, "open deals in EMEA", "drop the small ones - only over 150k")
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage IN {OPEN} "
        "AND c.region = 'EMEA' AND d.amount > 150000",
    )
    assert not big["refused"] and sorted(r[0] for r in big["rows"]) == sorted(g[0] for g in gold)
    refused, listed = _chat(
        db,
        "approve all the invoices in pending approval, I've reviewed them already",
        "fine, then just list them",
    )
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'pending_approval'")
    assert refused["refused"] and sorted(r[0] for r in listed["rows"]) == sorted(g[0] for g in gold)


def test_an_invoice_named_by_its_number(db):
    number = _rows(
        db,
        "SELECT number FROM invoices i WHERE status = 'sent' AND EXISTS (SELECT 1 FROM payments p "
        "WHERE p.invoice_id = i.id) LIMIT 1",
    )[0][0]
    (out,) = _chat(
        db, f"Understood. In that case, how much is still open on {number} according to the system?"
    )
    (gold,) = _rows(db, f"SELECT {OWED} FROM invoices i WHERE number = '{number}'")
    assert len(out["rows"]) == 1 and out["rows"][0][out["columns"].index("balance")] == pytest.approx(gold[0])


@pytest.mark.parametrize(
    "question, term",
    [
        ("how do u bucket AR aging", "90"),
        ("avg deal size - is that off won deals only or all of them?", "won"),
        ("quick one - is win rate won over all deals, or won over closed deals only?", "lost"),
        ("when does the sales cycle clock start and stop?", "created"),
    ],
)
def test_definitions_asked_in_passing(db, question, term):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and term in out["answer"].lower()


def test_countries_by_their_adjective_and_untouched_accounts(db):
    (german,) = _chat(db, "how many German customers do we have")
    gold = _rows(db, "SELECT COUNT(*) FROM companies WHERE country = 'DE' AND lifecycle_stage = 'customer'")
    assert _figure(german) == gold[0][0]


def test_a_pick_written_out_whole():
    from bot.clarify import _put_in, pick_choice

    choices = ["Future Orchard Analytics", "FUTURE ORCHARD ANALYTICS, Inc.", "Future Orchard Networks Corp"]
    said = "Sorry, I meant FUTURE ORCHARD ANALYTICS, Inc., the one written in capitals."
    assert pick_choice(said, choices) == "FUTURE ORCHARD ANALYTICS, Inc."
    assert pick_choice("Joseph Green, closed won", ["Joseph Green", "Joseph White"]) == "Joseph Green"
    assert (
        _put_in("how much Future Orchard still owes us?", "orchard", choices[1])
        == "how much FUTURE ORCHARD ANALYTICS, Inc. still owes us?"
    )
