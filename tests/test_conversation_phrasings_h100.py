"""Ways of asking learnt from the blind round of holdouts 100-102 (a sales manager and her account executives on the
Friday forecast call in December, a revenue-operations analyst and a CFO at the end of May, customer-success managers
back from their summer holidays), each checked against SQL written here by hand on the refreshed demo (SQLite, today
Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, ME, OPEN_STAGES, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def _ids(out, column: str) -> list:
    return sorted(str(r[out["columns"].index(column)]) for r in out["rows"])


@pytest.mark.parametrize(
    "question",
    [
        "Please list high and urgent priority tickets with status open or pending. Columns: company, subject, "
        "priority, created date.",
        "high and urgent tickets with status pending or open",
    ],
)
def test_two_statuses_after_the_word_status_are_both_read(db, question):
    (out,) = _chat(db, question)
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE priority IN ('high', 'urgent') AND status IN ('open', 'pending')",
    )
    assert out["kind"] == "list" and _ids(out, "ticket") == sorted(str(g[0]) for g in gold)


def test_which_ones_been_overdue_longest_is_of_the_invoices_just_listed(db):
    *_, out = _chat(db, "do i have any overdue invoices?", "which one's been overdue the longest?", asker=REP)
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        f"AND c.owner_id = {ME} ORDER BY i.due_date LIMIT 1",
    )
    assert [r[0] for r in out["rows"]] == [gold[0][0]]


def test_the_overdue_ones_after_owed_and_overdue_are_the_overdue_invoices(db):
    _, out = _chat(
        db,
        "Atlas Fabrication - what do they owe us in total, and how much of it is overdue?",
        "list the overdue ones",
    )
    gold = _rows(
        db,
        f"SELECT number FROM invoices i WHERE {OVERDUE} AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert _ids(out, "invoice") == sorted(g[0] for g in gold)


def test_a_field_after_a_plus_is_a_column_of_the_records(db):
    (deals,) = _chat(db, "deals in negotiation over 100k + owner")
    gold = _rows(db, "SELECT name FROM deals WHERE stage = 'negotiation' AND amount > 100000")
    assert deals["kind"] == "list" and "rep" in deals["columns"]
    assert _ids(deals, "deal") == sorted(g[0] for g in gold)
    (invoices,) = _chat(db, "Bison Bank B.V. invoices this year + status")
    gold = _rows(
        db,
        f"SELECT number FROM invoices WHERE company_id = {ACCOUNT.format('Bison Bank B.V.')} "
        "AND date(issue_date) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _ids(invoices, "invoice") == sorted(g[0] for g in gold) and "status" in invoices["columns"]
    (split,) = _chat(db, "revenue this year by region + industry")
    assert split["columns"][:2] == ["region", "industry"]  # after "by", two splits


def test_a_column_list_then_a_sort_order_is_read(db, scored):
    (deals,) = _chat(
        db,
        "List open deals in negotiation with an amount above 75,000. Columns: deal name, company, owner, amount. "
        "Sort by amount, descending.",
    )
    gold = _rows(
        db, "SELECT name FROM deals WHERE stage = 'negotiation' AND amount > 75000 ORDER BY amount DESC"
    )
    assert [r[0] for r in deals["rows"]] == [g[0] for g in gold]
    (leads,) = _chat(
        scored, "Top 5 open leads in EMEA by score. Columns: company, title, score. Highest score first."
    )
    gold = _rows(
        scored,
        "SELECT score FROM leads WHERE status IN ('new', 'working', 'qualified') AND region = 'EMEA' "
        "ORDER BY score DESC LIMIT 5",
    )
    assert "title" in leads["columns"]
    assert [r[leads["columns"].index("score")] for r in leads["rows"]] == [g[0] for g in gold]


def test_a_comparisons_columns_named_as_bare_periods(db):
    (out,) = _chat(
        db,
        "Bookings by region, Q3 2026 versus Q2 2026. Columns: region, Q3 2026, Q2 2026, absolute change, % change.",
    )
    gold = _gold_pairs(
        db,
        "SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE "
        "d.stage = 'closed_won' AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY c.region",
    )
    assert sorted((str(r[0]), round(float(r[1]), 2)) for r in out["rows"]) == gold
    assert len(out["columns"]) >= 4  # both periods and the change


def test_a_column_naming_the_measure_in_its_own_words(db):
    (out,) = _chat(
        db,
        "I need the average sales cycle, in days, for deals won in 2025, broken out by region. "
        "Columns: region, avg cycle days.",
    )
    gold = _gold_pairs(
        db,
        "SELECT c.region, AVG(julianday(date(d.closed_at)) - julianday(date(d.created_at))) FROM deals d "
        "JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_won' AND date(d.closed_at) "
        "BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY c.region",
    )
    assert _pairs(out) == gold


def test_any_number_of_days_past_due_is_a_due_date_before(db):
    (out,) = _chat(
        db, "List invoices more than 45 days past due: invoice number, company, balance, days past due."
    )
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'sent' AND due_date < '2026-10-05'")
    assert _ids(out, "invoice") == sorted(g[0] for g in gold)
    (late,) = _chat(db, "invoices 120+ days late, list them")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'sent' AND due_date <= '2026-07-22'")
    assert _ids(late, "invoice") == sorted(g[0] for g in gold)


@pytest.mark.parametrize(
    "question",
    [
        "back from hols 🌴 how much money have we collected since oct 13?",
        "how much have we collected while I was away? (since 13/10)",
        "how much have we collected since 10/13",
    ],
)
def test_a_day_said_with_a_slash_or_after_a_holiday_remark(db, question):
    (out,) = _chat(db, question)
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-13' AND '2026-11-19'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_day_that_reads_both_ways_is_not_guessed(db):
    (out,) = _chat(db, "how much have we collected since 3/10")
    assert out["rows"] == []  # March 10 or October 3


def test_everyday_names_of_measures(db):
    resolve, csat, revenue = _chat(
        db,
        "how long are we taking to resolve tickets this quarter? avg hours pls",
        "whats our customer satisfaction score for october",
        "how'd october revenue do vs oct last year? growth %",
    )
    gold = _rows(
        db,
        "SELECT AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM support_tickets WHERE resolved_at IS "
        "NOT NULL AND date(created_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert _figure(resolve) == pytest.approx(gold[0][0], abs=0.01)
    gold = _rows(
        db,
        "SELECT AVG(satisfaction) FROM support_tickets WHERE date(created_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(csat) == pytest.approx(gold[0][0], abs=0.001)
    gold = _rows(
        db,
        "SELECT (SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'), "
        "(SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-10-01' AND '2025-10-31')",
    )
    assert [round(float(v), 2) for v in revenue["rows"][0][:2]] == [round(g, 2) for g in gold[0]]


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("is pipeline weighted by stage/probability or just the raw deal amount", "open"),
        ("does win rate include deals that are still open?", "lost"),
        ("is an invoice overdue the day after its due date or is there some grace period?", "due date"),
    ],
)
def test_yes_or_no_questions_about_a_measure_are_definitions(db, question, word):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and word in out["answer"].lower() and not out["rows"]


def test_is_that_paid_or_a_forecast_after_a_figure_is_a_definition(db):
    _, out = _chat(
        db,
        "whats the lifetime value on Bramble Logic?",
        "is that what they've actually paid us or a forecast?",
    )
    assert out["kind"] == "explanation" and not out["rows"]


def test_mine_after_a_definition_is_that_measure(db):
    _, out = _chat(
        db, "does win rate include deals that are still open?", "ok so whats mine for 2025", asker=REP
    )
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
        f"AND owner_id = {ME} AND date(closed_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_list_them_with_when_we_last_touched_them_after_a_count(db):
    _, out = _chat(
        db,
        "how many of my customers havent been touched in 30 days?",
        "list em + when we last touched them",
        asker=REP,
    )
    gold = _rows(
        db,
        f"SELECT c.name FROM companies c WHERE c.lifecycle_stage = 'customer' AND c.owner_id = {ME} AND NOT EXISTS "
        "(SELECT 1 FROM activities a WHERE a.company_id = c.id AND date(a.occurred_at) >= '2026-10-21')",
    )
    assert "last contacted" in out["columns"] and sorted(r[0] for r in out["rows"]) == sorted(
        g[0] for g in gold
    )


def test_who_closed_what_lists_the_deals_won_with_their_rep(db):
    (out,) = _chat(db, "who closed what this month? deal, rep, amount")
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and "rep" in out["columns"]
    assert _ids(out, "deal") == sorted(g[0] for g in gold)


def test_top_invoices_by_balance_are_ranked_by_what_is_owed_on_each(db):
    (out,) = _chat(db, "top 5 overdue invoices by balance, w/ customer")
    gold = _rows(db, f"SELECT i.number FROM invoices i WHERE {OVERDUE} ORDER BY {OWED} DESC LIMIT 5")
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_when_are_they_expected_to_go_is_the_predicted_churn_date(db):
    _, out = _chat(
        db,
        "which of my clients might leave us? the high risk ones",
        "when are they expected to go?",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE ci.churn_risk = 'high' "
        f"AND c.lifecycle_stage = 'customer' AND c.owner_id = {ME}",
    )
    assert "predicted churn date" in out["columns"] and sorted(r[0] for r in out["rows"]) == sorted(
        g[0] for g in gold
    )


def test_what_we_expect_over_the_next_12_months_is_the_predicted_ltv(db):
    _, out = _chat(
        db,
        "total lifetime value of my book?",
        "and what do we expect from them over the next 12 months?",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT SUM(ci.predicted_ltv_12m) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE c.lifecycle_stage = 'customer' AND c.owner_id = {ME}",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_a_restatement_after_ie_is_not_another_measure(db):
    (out,) = _chat(
        db, "top 5 high-risk customers by lifetime value, i.e. the ones that would hurt most to lose"
    )
    gold = _rows(
        db,
        "SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE ci.churn_risk = 'high' "
        "AND c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_product_usage_is_said_to_be_missing(db):
    (out,) = _chat(db, "how many times did people at Bramble Logic log into our product last month?")
    assert out["refused"] and "usage" in out["answer"] and not out["rows"]
    (calls,) = _chat(db, "how many calls were logged in october")
    assert not calls["refused"] and calls["rows"]


@pytest.mark.parametrize(
    "question", ["show me my customers that have gone quiet", "who are my unhappy customers?"]
)
def test_how_customers_feel_is_asked_by_which_measure(db, question):
    (out,) = _chat(db, question, asker=REP)
    assert out["kind"] == "clarification" and len(out["choices"]) == 3 and not out["rows"]


def test_what_was_it_about_after_the_last_contact_is_that_activity(db):
    _, out = _chat(db, "when did we last speak to Bramble Logic?", "what was it about")
    gold = _rows(
        db,
        f"SELECT subject FROM activities WHERE company_id = {ACCOUNT.format('Bramble Logic')} "
        "ORDER BY occurred_at DESC LIMIT 1",
    )
    assert out["rows"][0][out["columns"].index("subject")] == gold[0][0]


def test_which_records_then_what_stage_and_how_much_is_the_list(db):
    (out,) = _chat(
        db, "Oberon Financial: which open deals do they have, what stage, how much, and expected close?"
    )
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE {OPEN_STAGES} AND company_id = {ACCOUNT.format('Oberon Financial')}",
    )
    assert out["kind"] == "list" and _ids(out, "deal") == sorted(g[0] for g in gold)


def test_part_paid_with_something_left_is_the_part_paid_invoices(db):
    (out,) = _chat(db, "which invoices have been part paid but still have something left on them?")
    gold = _rows(
        db,
        f"SELECT number FROM invoices i WHERE status = 'sent' AND EXISTS (SELECT 1 FROM payments p WHERE "
        f"p.invoice_id = i.id) AND {OWED} > 0",
    )
    assert _ids(out, "invoice") == sorted(g[0] for g in gold)
