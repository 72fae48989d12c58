"""Ways of asking learnt from blind conversation sets (holdouts 55-57: a rep and her manager in a one-on-one, a CFO
and a treasury analyst building a cash forecast, a support-operations manager and account managers between calls),
each checked against SQL written here by hand on the refreshed demo (SQLite, today 2026-11-19), through the same path
as `crmbot chat --json`.

Wrong before: "close out all the pending tickets for X" listed the tickets (it is refused now, nothing changed); "the
biggest one - whats it worth" after a list summed every deal; "the 2nd biggest, whose was that?" listed every deal;
"AR aging please, whole book" gave bookings; "emails for our contacts at X" counted email activities; "how much is
still unpaid on invoices we issued before 2026?" gave 2026's; "how does that compare with the same quarter in 2025?"
compared with all of 2025; "just EMEA - top 3 accounts" listed invoices; "show me the 5 oldest" gave the 5 biggest.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def _owing(db) -> str:
    return _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "GROUP BY c.id ORDER BY COUNT(*) DESC, c.name LIMIT 1",
    )[0][0]


def test_a_change_to_tickets_is_refused_and_nothing_changes(db):
    from tests.conversation_helpers import rows

    name = _rows(db, "SELECT c.name FROM support_tickets t JOIN companies c ON c.id = t.company_id LIMIT 1")[
        0
    ][0]
    before = rows(db, "SELECT status, COUNT(*) FROM support_tickets GROUP BY 1")
    (out,) = _chat(db, f"close out all the pending tix for {name}, they told me it's all sorted")
    assert out["refused"] and not out["rows"]
    assert rows(db, "SELECT status, COUNT(*) FROM support_tickets GROUP BY 1") == before


def test_an_account_asked_about_in_passing(db):
    name = _owing(db)
    (owe,) = _chat(db, f"does {name} owe us anything")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = '{name}' "
        "AND i.status = 'sent'",
    )
    assert _figure(owe) == pytest.approx(gold[0][0])
    (emails,) = _chat(db, f"emails for our contacts at {name}?")
    gold = _rows(
        db,
        f"SELECT ct.email FROM contacts ct JOIN companies c ON c.id = ct.company_id WHERE c.name = '{name}'",
    )
    shown = {str(v) for r in emails["rows"] for v in r}
    assert gold and all(g[0] in shown for g in gold)
    _, late = _chat(db, f"show me {name}'s open invoices", "how many days past due is each one")
    assert "days overdue" in late["columns"]


@pytest.mark.parametrize(
    "turns",
    [
        ["when you count tickets for a month is that by when they were opened or when they got resolved"],
        ["avg res time for urgent tix this month?", "hm how are you measuring that? open tickets included?"],
    ],
)
def test_how_a_figure_is_counted(db, turns):
    out = _chat(db, *turns)[-1]
    assert out["kind"] == "explanation"


def test_rows_further_down_a_ranking(db):
    _, biggest, after = _chat(
        db,
        "show me the open deals in negotiation",
        "the biggest one - whats it worth?",
        "and the one after that?",
    )
    gold = _rows(
        db, "SELECT name, amount FROM deals WHERE stage = 'negotiation' ORDER BY amount DESC LIMIT 2"
    )
    assert [r[0] for r in biggest["rows"]] == [gold[0][0]] and [r[0] for r in after["rows"]] == [gold[1][0]]
    _, _, second = _chat(
        db,
        "whats the biggest deal we've won this year?",
        "who closed it",
        "what about the 2nd biggest, whose was that?",
    )
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-01-01' AND '2026-11-19' ORDER BY d.amount DESC LIMIT 1 OFFSET 1",
    )
    assert len(second["rows"]) == 1 and gold[0][0] in second["rows"][0] and gold[0][1] in second["rows"][0]
    _, oldest = _chat(db, "how many invoices are overdue rn", "show me the 5 oldest")
    # (the date overdue invoices are placed in time by: their due date)
    gold = _rows(db, f"SELECT i.due_date FROM invoices i WHERE {OVERDUE} ORDER BY i.due_date LIMIT 5")
    at = oldest["columns"].index("due")
    assert [str(r[at])[:10] for r in oldest["rows"]] == [str(g[0])[:10] for g in gold]  # by date, not amount


def test_follow_ups_on_a_split_and_a_question_asked_back(db):
    _, month = _chat(
        db,
        "can u break my open pipe down by expected close month",
        "whats in november specifically? deal names pls",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT d.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage NOT IN ('closed_won', 'closed_lost') "
        f"AND u.email = '{REP}' AND d.expected_close_date BETWEEN '2026-11-01' AND '2026-11-30'",
    )
    assert gold and sorted(r[0] for r in month["rows"]) == sorted(g[0] for g in gold)
    _, top = _chat(db, "overdue by region", "just EMEA - top 3 accounts")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) AS o FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "AND c.region = 'EMEA' GROUP BY c.id ORDER BY o DESC LIMIT 3",
    )
    assert _pairs(top) == gold
    asked, picked = _chat(db, "how much did we make in Q3?", "cash actually collected")
    assert asked["choices"] and not asked["rows"]
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'"
    )
    assert _figure(picked) == pytest.approx(gold[0][0])  # Q3's, not all time
    _, _, same = _chat(
        db,
        "bookings last quarter",
        "and the quarter before that?",
        "how does that compare with the same quarter in 2025?",
    )
    booked = (
        "SELECT SUM(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '{}' AND '{}'"
    )
    assert same["rows"][0][:2] == pytest.approx(
        [
            _rows(db, booked.format("2026-04-01", "2026-06-30"))[0][0],
            _rows(db, booked.format("2025-04-01", "2025-06-30"))[0][0],
        ]
    )


def test_periods_books_and_accounts_that_still_owe(db):
    (before,) = _chat(db, "how much is still unpaid on invoices we issued before 2026?")
    gold = _rows(
        db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND i.issue_date < '2026-01-01'"
    )
    assert _figure(before) == pytest.approx(gold[0][0])
    (aging,) = _chat(db, "AR aging please, whole book")
    owed = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")[0][0]
    assert len(aging["rows"]) == 5 and sum(r[-1] for r in aging["rows"]) == pytest.approx(owed)
    (quiet,) = _chat(db, "customers we haven't contacted in 30 days that still have an outstanding balance")
    gold = _rows(
        db,
        # customers: the accounts in the customer stage (the contract's word; every blind writer's gold)
        "SELECT DISTINCT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND c.lifecycle_stage = 'customer' "
        "AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.company_id = c.id AND date(a.occurred_at) >= '2026-10-20')",
    )
    assert sorted(r[0] for r in quiet["rows"]) == sorted(g[0] for g in gold)
