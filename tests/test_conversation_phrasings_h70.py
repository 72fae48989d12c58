"""Ways of asking learnt from this stop's blind round (holdouts 70-72), each checked against SQL written here by
hand on the refreshed demo (SQLite, today 2026-11-19), through the same path as `crmbot chat --json`.

Wrong or unhelpful before: "when did X first pay us" named the payment's number and amount but not its date; "why
is the first one so high?" after a list of leads said the CRM holds no reasons, and "who owns that one" then listed
every lead again; "why is <lead> so high?" (without "scored") was asked back.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_when_an_account_first_paid_says_the_date(db):
    ((name, first, pid),) = _rows(
        db,
        "SELECT c.name, p.paid_at, p.id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "JOIN companies c ON c.id = i.company_id ORDER BY c.id, p.paid_at, p.id LIMIT 1",
    )
    (out,) = _chat(db, f"when did {name} first pay us?")
    assert out["rows"][0][0] == pid
    assert str(first)[:10] in out["answer"]
    assert out["answer"].startswith(f"Earliest: payment {pid} ")


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_why_is_the_first_lead_so_high_explains_that_lead(scored):
    db = scored
    top, why, owner = _chat(db, "top 5 leads by score", "why is the first one so high?", "who owns that one")
    first = top["rows"][0][0]
    ((gold_owner,),) = _rows(
        db,
        "SELECT u.name FROM leads l JOIN users u ON u.id = l.owner_id "
        f"WHERE l.first_name || ' ' || l.last_name = '{first}'",
    )
    assert why["kind"] == "card" and why["rows"][0][0] == first
    assert owner["kind"] == "card" and owner["rows"][0][0] == first and gold_owner in owner["rows"][0]
    (second,) = _chat(db, "top 5 leads by score", "why is the second one scored so high")[1:]
    assert second["kind"] == "card" and second["rows"][0][0] == top["rows"][1][0]
    (named,) = _chat(db, f"why is {first} so high?")
    assert named["kind"] == "card" and named["rows"][0][0] == first
