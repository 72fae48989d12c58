"""Ways of asking learnt from the blind round of holdouts 109-111 (a finance controller and receivables clerks at the
end of January, a new VP of sales drilling down in her first week, marketing operations and SDRs on lead sources), each
checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same
path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ME, OPEN_STAGES, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

CHURNED_OWING = (
    f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
    "AND c.lifecycle_stage = 'churned' {} GROUP BY c.id"
)


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_churned_accounts_that_still_owe_are_those_accounts_with_what_they_owe(db):
    (ours,) = _chat(db, "churned companies that still owe us money")
    assert _pairs(ours) == _gold_pairs(db, CHURNED_OWING.format(""))
    (mine,) = _chat(db, "any of my churned accounts still owe us money?", asker=REP)
    gold = _gold_pairs(db, CHURNED_OWING.format(f"AND c.owner_id = {ME}"))
    assert gold and _pairs(mine) == gold


def test_has_an_account_paid_anything_is_its_payments(db):
    (out,) = _chat(db, "has Bison Bank B.V. paid anything this year?")
    gold = _rows(
        db,
        "SELECT id FROM payments WHERE company_id = (SELECT id FROM companies WHERE name = 'Bison Bank B.V.') "
        "AND date(paid_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert len(out["rows"]) == len(gold) > 0


@pytest.mark.parametrize(
    "question",
    [
        "does 'outstanding' take partial payments into account?",
        "for lead conversion rate - do you go by when the lead was created or when it converted?",
    ],
)
def test_how_a_measure_is_counted_is_a_definition(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and not out["rows"]


@pytest.mark.parametrize(
    "question",
    ["who's paying us more this month, EMEA or NA?", "is revenue higher this month in EMEA or NA?"],
)
def test_two_regions_asked_between_are_a_row_each(db, question):
    (out,) = _chat(db, question)
    gold = _gold_pairs(
        db,
        "SELECT c.region, SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.region IN "
        "('EMEA', 'NA') AND date(p.paid_at) BETWEEN '2026-11-01' AND '2026-11-19' GROUP BY c.region",
    )
    assert _pairs(out) == gold


def test_same_but_only_counting_overdue(db):
    _, out = _chat(db, "who owes us the most? top 5", "same but only counting overdue")
    gold = _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} GROUP BY c.id "
        f"ORDER BY SUM({OWED}) DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_when_was_that_due_after_an_accounts_invoices(db):
    listed, due = _chat(
        db, "what does Atlas Fabrication still owe us? invoice numbers + balance", "when was that due?"
    )
    assert due["kind"] == "list" and "due" in due["columns"]
    assert sorted(r[0] for r in due["rows"]) == sorted(r[0] for r in listed["rows"])


def test_part_paid_with_a_balance(db):
    (out,) = _chat(db, "which invoices have been part paid but still have a balance?")
    gold = _rows(
        db,
        f"SELECT number FROM invoices i WHERE status = 'sent' AND EXISTS (SELECT 1 FROM payments p WHERE "
        f"p.invoice_id = i.id) AND {OWED} > 0",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_whats_still_open_after_what_i_closed_is_open_now(db):
    _, out = _chat(
        db, "how much have I closed so far this quarter?", "and whats still open in my pipeline", asker=REP
    )
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {OPEN_STAGES} AND owner_id = {ME}")
    assert _figure(out) == pytest.approx(gold[0][0])
