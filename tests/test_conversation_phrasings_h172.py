"""Ways of asking learnt from the blind rounds of holdouts 172 onwards, each checked against SQL written here by hand
on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OPEN_STAGES, OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# ------------------------------------------------------------------------------------------------------ periods


def test_the_quarter_before_last_is_two_quarters_back(db):
    out = _chat(db, "how many deals did we win the quarter before last")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-04-01' AND '2026-06-30'",
    )
    assert _figure(out) == gold[0][0]


def test_the_quarter_before_in_a_fresh_question_is_last_quarter_never_all_time(db):
    out = _chat(db, "how many deals did we win the quarter before?")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert _figure(out) == gold[0][0]


def test_the_month_before_last_after_a_figure_is_two_months_back(db):
    *_, out = _chat(db, "how many deals did we win last month", "and the month before last?")
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-09-01' AND '2026-09-30'",
    )
    assert _figure(out) == gold[0][0]


def test_a_short_month_name_anywhere_in_the_message_is_the_month(db):
    out = _chat(db, "morning! how did feb end up - total bookings + how many deals we won?")[-1]
    gold = _rows(
        db,
        f"SELECT SUM(amount), COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-02-01' AND '2026-02-28'",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_same_for_may_is_the_month(db):
    *_, out = _chat(db, "avg csat by priority last month", "same for may")
    gold = _rows(
        db,
        "SELECT priority, AVG(satisfaction) FROM support_tickets WHERE date(created_at) BETWEEN '2026-05-01' AND "
        "'2026-05-31' GROUP BY priority",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_the_same_days_of_a_month_last_year_are_as_far_into_it(db):
    out = _chat(db, "mtd bookings vs the same days last november?")[-1]
    mtd = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    before = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2025-11-01' AND '2025-11-19'",
    )
    assert out["rows"][0][:2] == pytest.approx([mtd[0][0], before[0][0]])


# ------------------------------------------------------------------------------------------------------ measures


def test_who_closed_the_most_deals_is_who_won_the_most(db):
    out = _chat(db, "who closed the most deals in q3")[-1]
    assert out["rows"][0][:2] == ["Sarah Santos", 12]  # won deals (Wei Andersson won 11)


def test_the_count_behind_an_amount_keeps_the_average_asked_beside_it(db):
    *_, out = _chat(
        db,
        "need Q3 bookings for the board deck - total pls",
        "how many deals was that and whats the avg size",
    )
    gold = _rows(
        db,
        f"SELECT COUNT(*), AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_an_amount_and_the_part_of_it_a_value_names(db):
    out = _chat(db, "total recievables, and how much of that isnt due yet")[-1]
    owed = f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'"
    whole, part = _rows(db, owed)[0][0], _rows(db, owed + " AND i.due_date >= '2026-11-19'")[0][0]
    assert sorted(out["rows"][0][:2]) == pytest.approx(sorted([whole, part]))


def test_add_the_number_of_deals_in_each_counts_the_deals_behind_the_figure(db):
    *_, out = _chat(db, "open pipeline by stage", "add the number of deals in each")
    gold = _rows(db, f"SELECT stage, SUM(amount), COUNT(*) FROM deals WHERE {OPEN_STAGES} GROUP BY stage")
    assert sorted((r[0], round(r[1], 2), r[2]) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2), g[2]) for g in gold
    )


def test_a_bound_on_the_number_of_records_behind_a_rate(db):
    *_, out = _chat(db, "win rate by rep for 2025", "only reps with 30+ closed deals")
    gold = _rows(
        db,
        "SELECT u.name, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id "
        "WHERE d.stage IN ('closed_won', 'closed_lost') AND date(d.closed_at) BETWEEN '2025-01-01' AND '2025-12-31' "
        "GROUP BY u.id HAVING COUNT(*) >= 30",
    )
    assert len(gold) == 3 and _pairs(out) == _gold_pairs_of(gold)


# ------------------------------------------------------------------------------------------------------ follow-ups


def test_the_two_accounts_of_two_cards_are_both_of_them(db):
    *_, out = _chat(
        db, "health score for Bramble Logic?", "what about Contoso Genomics", "ltv for both of them"
    )
    gold = _rows(
        db,
        "SELECT c.name, ci.ltv FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.name IN ('Bramble Logic', 'Contoso Genomics')",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_split_the_aging_by_region_keeps_the_buckets(db):
    *_, out = _chat(db, "AR aging as of today", "split that by region")
    assert {"region", "aging_bucket"} <= set(out["columns"])
    total = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")[0][0]
    assert sum(r[-1] for r in out["rows"]) == pytest.approx(total)


def test_month_by_month_for_those_two_keeps_each_of_the_two(db):
    *_, out = _chat(
        db, "revenue by region last quarter", "just apac and emea", "now month by month for those two"
    )
    assert "region" in out["columns"] and len(out["rows"]) == 6
    gold = _rows(
        db,
        "SELECT SUM(pm.amount) FROM payments pm JOIN companies c ON c.id = pm.company_id WHERE c.region = 'APAC' "
        "AND date(pm.paid_at) BETWEEN '2026-08-01' AND '2026-08-31'",
    )
    assert [r[-1] for r in out["rows"] if "APAC" in r and "2026-08-01" in r] == pytest.approx([gold[0][0]])


def test_list_just_the_ones_over_an_amount_with_columns_lists_them(db):
    *_, out = _chat(
        db, "payments last month by method", "list just the bank transfers over 50k - company, amount, date"
    )
    gold = _rows(
        db,
        "SELECT amount FROM payments WHERE method = 'bank_transfer' AND amount > 50000 AND "
        "date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold) == 4


def test_how_many_of_them_nobody_has_touched_yet_are_still_new(db):
    *_, out = _chat(db, "new leads this month?", "how many of them nobody has touched yet (still status new)")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE status = 'new' AND date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


# ------------------------------------------------------------------------------------------------------ words


def test_accounts_with_a_ticket_open_or_pending(db):
    out = _chat(
        db,
        "customers with churn prob over 50% that still have a ticket open or pending - name and churn prob",
    )[-1]
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_probability FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_probability > 0.5 AND c.id IN "
        "(SELECT company_id FROM support_tickets WHERE status IN ('open', 'pending'))",
    )
    probability = out["columns"].index(
        "churn probability" if "churn probability" in out["columns"] else "churn_probability"
    )
    assert gold and sorted((r[0], round(r[probability], 4)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 4)) for g in gold
    )


def test_a_year_before_lead_is_a_year_not_a_lead_number(db):
    out = _chat(db, "2025 lead conversion: paid ads vs referral?")[-1]
    assert out["kind"] == "report" and sorted(r[0] for r in out["rows"]) == ["paid_ads", "referral"]


def test_teh_is_the(db):
    out = _chat(db, "new leads in teh last 30 days by region")[-1]
    assert out["kind"] == "report" and out["columns"][0] == "region"


def test_contacts_with_just_emails_and_titles(db):
    out = _chat(db, "who do we have on file at Atlas Fabrication? just need emails + titles")[-1]
    assert out["kind"] == "list" and "title" in out["columns"] and len(out["rows"]) == 4


def test_when_opened_is_the_tickets_created_column(db):
    out = _chat(db, "high priority tickets still open or pending - subject, company, when opened")[-1]
    gold = _rows(
        db, "SELECT COUNT(*) FROM support_tickets WHERE priority = 'high' AND status IN ('open', 'pending')"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


@pytest.mark.parametrize(
    "question, words",
    [
        ("is 'invoiced' the same number as revenue or no", ["invoice", "payment"]),
        (
            "lead conv rate - converted over what exactly? all leads or just qualified ones?",
            ["converted", "all leads"],
        ),
        ("when I ask for pipeline for a quarter, which date are you filtering on?", ["expected close"]),
    ],
)
def test_definitions_asked_as_a_check(db, question, words):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and all(w in out["answer"].lower() for w in words), out["answer"]


def _gold_pairs_of(gold, digits: int = 2) -> list[tuple]:
    return sorted((str(g[0]), round(float(g[-1]), digits)) for g in gold)
