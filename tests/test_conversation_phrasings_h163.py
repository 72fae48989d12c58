"""Ways of asking learnt from the blind rounds of holdouts 163 onwards (a founder and a head of sales in mid-February,
finance operations at the end of May, a sales-ops analyst's exact requests on the last day of August), each checked
against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as
`crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, ME, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
LAST_YEAR = "BETWEEN '2025-01-01' AND '2025-12-31'"
THIS_QUARTER = "BETWEEN '2026-10-01' AND '2026-11-19'"
LAST_QUARTER = "BETWEEN '2026-07-01' AND '2026-09-30'"
LAST_WEEK = "BETWEEN '2026-11-09' AND '2026-11-15'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path  # with the lead model's scores


def _conversion(db, source: str) -> float:
    return _rows(
        db,
        f"SELECT 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads WHERE source = '{source}' AND "
        f"date(created_at) {LAST_YEAR}",
    )[0][0]


# ------------------------------------------------------------------------------------------------- follow-ups


def test_what_about_other_records_of_a_value_keeps_the_rate(db):
    *_, out = _chat(db, "conv rate on paid ads leads last year?", "what about partner leads")
    assert _figure(out) == pytest.approx(_conversion(db, "partner"), abs=1e-5)


def test_for_the_quarter_after_a_month_is_this_quarter_and_for_the_year_the_year_of_the_quarter(db):
    *_, out = _chat(
        db, "what have i closed-won so far this month? $ total", "and my win rate for the qtr?", asker=REP
    )
    gold = _rows(
        db,
        f"SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
        f"AND owner_id = {ME} AND date(closed_at) {THIS_QUARTER}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    *_, year = _chat(db, "bookings in q4 2025", "and for the year?")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {LAST_YEAR}")
    assert _figure(year) == pytest.approx(gold[0][0])


def test_what_have_i_closed_with_a_dollar_total_is_the_money(db):
    (out,) = _chat(db, "what have i closed-won so far this month? $ total", asker=REP)
    gold = _rows(
        db,
        f"SELECT COALESCE(SUM(amount), 0) FROM deals WHERE {WON} AND owner_id = {ME} AND "
        "date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert out["columns"] == ["bookings"] and _figure(out) == pytest.approx(gold[0][0])


def test_the_biggest_by_amount_owed_after_a_count_ranks_those_records_and_the_second_one_is_that_row(db):
    _, top, second = _chat(
        db,
        "how many invoices are overdue right now?",
        "the 3 biggest by amount still owed",
        "which customer is the second one?",
    )
    gold = _rows(db, f"SELECT i.number FROM invoices i WHERE {OVERDUE} ORDER BY {OWED} DESC LIMIT 3")
    assert [r[0] for r in top["rows"]] == [g[0] for g in gold]
    assert [r[0] for r in second["rows"]] == [gold[1][0]]


def test_the_biggest_of_the_ones_narrowed_keeps_their_condition(db):
    *_, out = _chat(
        db,
        "how many invoices are overdue atm",
        "how many of those are NA accounts",
        "show me the 3 biggest of the na ones by remaining balance - invoice #, company, balance",
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.region = 'NA' "
        f"ORDER BY {OWED} DESC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_the_second_biggest_is_never_the_biggest(db):
    (out,) = _chat(db, "what's the 2nd biggest deal in the pipeline")
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation') "
        "ORDER BY amount DESC LIMIT 2",
    )
    assert [r[0] for r in out["rows"]] == [gold[1][0]] and "Number 2" in out["answer"]


def test_a_breakdown_after_a_card_is_that_accounts_scores(db):
    *_, out = _chat(db, "health on Paragon Analytics?", "breakdown? engagement / payment / support scores")
    gold = _rows(
        db,
        "SELECT engagement_score, payment_score, support_score FROM customer_insights WHERE company_id = "
        + ACCOUNT.format("Paragon Analytics"),
    )
    assert [round(v, 2) for v in out["rows"][0]] == [round(v, 2) for v in gold[0]]


def test_the_bottom_three_of_a_count_just_given(db):
    *_, out = _chat(
        db,
        "how many new customers did we add last quarter",
        "any of them already looking shaky? bottom 3 by health score",
    )
    gold = _rows(
        db,
        "SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE "
        f"date(c.customer_since) {LAST_QUARTER} ORDER BY ci.health_score LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_total_of_that_after_a_split_is_one_figure(db):
    *_, out = _chat(db, "open pipeline by stage", "only NA accounts", "total of that?")
    gold = _rows(
        db,
        "SELECT SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage IN ('prospecting', "
        "'qualification', 'proposal', 'negotiation') AND c.region = 'NA'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_all_of_a_dimension_together_after_a_split_is_one_figure(db):
    *_, out = _chat(
        db,
        "how many support tickets got opened last week? by priority",
        "whats the avg satisfaction on those (all priorities together)",
    )
    gold = _rows(db, f"SELECT AVG(satisfaction) FROM support_tickets WHERE date(created_at) {LAST_WEEK}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_period_corrected_as_not_this_one(db):
    *_, out = _chat(db, "payments by method this quarter", "sorry, meant last quarter not this one")
    gold = _gold_pairs(
        db, f"SELECT method, SUM(amount) FROM payments WHERE date(paid_at) {LAST_QUARTER} GROUP BY method"
    )
    assert _pairs(out) == gold


def test_how_long_are_those_deals_taking_to_close_is_the_sales_cycle(db):
    *_, out = _chat(
        db,
        "whats our avg deal size ytd",
        "and how long are those deals taking to close, avg days from creation?",
    )
    gold = _rows(
        db,
        f"SELECT AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE {WON} AND "
        "date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.05)


# ------------------------------------------------------------------------------------------ splits and columns


def test_split_by_the_accounts_industry_is_by_industry(db):
    *_, out = _chat(
        db,
        "average sales cycle in days on deals we won last quarter",
        "can you split that by the account's industry",
    )
    gold = _gold_pairs(
        db,
        "SELECT c.industry, AVG(julianday(date(d.closed_at)) - julianday(date(d.created_at))) FROM deals d JOIN "
        f"companies c ON c.id = d.company_id WHERE d.{WON} AND date(d.closed_at) {LAST_QUARTER} GROUP BY c.industry",
    )
    assert [p[0] for p in _pairs(out)] == [g[0] for g in gold]
    assert [p[1] for p in _pairs(out)] == pytest.approx([g[1] for g in gold], abs=0.05)


def test_one_row_per_priority_is_a_split(db):
    (out,) = _chat(
        db,
        "what was the average resolution time in hours for the urgent and the high priority ones this year? One row per "
        "priority please, counting only tickets that actually have a resolved timestamp.",
    )
    gold = _gold_pairs(
        db,
        "SELECT priority, AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM support_tickets WHERE "
        "priority IN ('urgent', 'high') AND resolved_at IS NOT NULL AND date(created_at) BETWEEN '2026-01-01' AND "
        "'2026-11-19' GROUP BY priority",
    )
    assert [p[0] for p in _pairs(out)] == [g[0] for g in gold]


def test_which_rep_owns_it_among_the_columns_is_the_owner_column(db):
    (out,) = _chat(db, "top 5 open NA leads by score - show the lead's company, score, and which rep owns it")
    assert "rep" in out["columns"] and len(out["rows"]) == 5
    (deals,) = _chat(
        db, "list my team's deals sitting in negotiation right now - deal, amount and who owns it", asker=REP
    )
    assert deals["kind"] == "list" and "rep" in deals["columns"]


def test_names_and_dollars_lists_the_records(db):
    (out,) = _chat(db, "na deals in negotiation - names and $")
    gold = _rows(
        db,
        "SELECT d.name FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'negotiation' AND c.region = 'NA'",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_any_of_my_accounts_which_ones_and_how_much_is_by_account(db):
    (out,) = _chat(db, "any of my accounts sitting on overdue invoices? which ones and how much", asker=REP)
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        f"c.owner_id = {ME} GROUP BY c.id",
    )
    assert _pairs(out) == gold


def test_an_aging_with_its_buckets_named_keeps_the_count_beside(db):
    (out,) = _chat(
        db,
        "Since it is month end, could you run an AR aging as of today (Nov 19)? Buckets current / 1-30 / 31-60 / 61-90 / "
        "90+, and for each bucket the outstanding amount and the number of invoices.",
    )
    assert len(out["columns"]) == 3
    gold = _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'sent'")
    assert sum(r[2] for r in out["rows"]) == gold[0][0]


def test_a_weekdays_range_in_brackets_says_the_period_again_and_leave_out_drops_a_value(db):
    (out,) = _chat(
        db,
        "how many calls, meetings and emails were logged last week (Mon 9 Nov - Sun 15 Nov)? One row per activity "
        "type, leave notes out.",
    )
    gold = _gold_pairs(
        db,
        f"SELECT type, COUNT(*) FROM activities WHERE type IN ('call', 'meeting', 'email') AND date(occurred_at) "
        f"{LAST_WEEK} GROUP BY type",
    )
    assert _pairs(out) == gold


def test_a_heading_for_a_pack_and_today_in_brackets(db):
    (out,) = _chat(
        db,
        "For my month-end pack (today being Nov 19) I need a snapshot of the open pipeline by stage: stage, number of "
        "open deals, and total amount.",
    )
    gold = _rows(
        db,
        "SELECT stage, SUM(amount), COUNT(*) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', "
        "'negotiation') GROUP BY stage",
    )
    shown = {r[0]: r for r in out["rows"]}
    assert all(count in shown[stage] for stage, _, count in gold)


# ------------------------------------------------------------------------------------------------- periods


def test_better_in_one_month_or_another_compares_them(db):
    (out,) = _chat(db, "was our win rate better in october or september?")
    assert out["columns"][:2] == ["October 2026", "September 2026"]


def test_this_month_so_far_vs_the_last(db):
    (out,) = _chat(db, "bookings for each of my team's reps, november so far vs october", asker=REP)
    assert out["columns"][1:3] == ["November 2026", "October 2026"]


def test_between_today_and_a_day_of_the_month(db):
    (out,) = _chat(
        db, "what open invoices fall due between today and the 30th? number, customer, amount still owed"
    )
    gold = _rows(
        db,
        "SELECT number FROM invoices WHERE status = 'sent' AND due_date BETWEEN '2026-11-19' AND '2026-11-30'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_split_corrected_by_sorry_i_meant(db):
    (out,) = _chat(db, "avg health score of our customers by industry - sorry, i meant by region")
    assert out["kind"] == "report" and out["columns"][0] == "region"


def test_columns_of_a_comparison_asked_again_are_the_comparison(db):
    (out,) = _chat(
        db,
        "new leads by source: october vs september. I'd like source, october count, september count, and the change",
    )
    assert out["columns"][:3] == ["source", "October 2026", "September 2026"]


# ----------------------------------------------------------------------------------------------------- words


def test_leads_we_disqualified_are_the_disqualified_ones(db):
    (out,) = _chat(db, "how many leads did we disqualify last quarter")
    gold = _rows(
        db, f"SELECT COUNT(*) FROM leads WHERE status = 'disqualified' AND date(created_at) {LAST_QUARTER}"
    )
    assert _figure(out) == gold[0][0]


def test_leads_not_converted_or_disqualified_yet_are_the_open_ones(scored):
    (out,) = _chat(
        scored, "avg lead score by source, only for leads that aren't converted or disqualified yet"
    )
    gold = _gold_pairs(
        scored,
        "SELECT source, AVG(score) FROM leads WHERE status IN ('new', 'working', 'qualified') GROUP BY source",
    )
    assert _pairs(out) == gold


def test_their_combined_total_is_the_value_beside_the_count(db):
    (out,) = _chat(db, "how many invoices are stuck waiting for approval, and what's their combined total?")
    gold = _rows(db, "SELECT COUNT(*), SUM(total) FROM invoices WHERE status = 'pending_approval'")
    assert sorted(round(float(v), 2) for v in out["rows"][0]) == sorted(round(float(v), 2) for v in gold[0])


def test_the_90_plus_one_after_the_aging_is_that_bucket(db):
    *_, out = _chat(db, "AR aging pls - amount in each bucket", "how many invoices are in the 90+ one?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices WHERE status = 'sent' AND julianday('2026-11-19') - julianday(due_date) > 90",
    )
    assert _figure(out) == gold[0][0]


def test_are_you_using_this_or_that_asks_for_the_definition(db):
    (out,) = _chat(
        db, "for the overdue amount are you using the full invoice total or whats left after payments"
    )
    assert out["kind"] == "explanation" and not out["rows"]


def test_card_numbers_and_who_created_an_invoice_are_said_not_to_be_shown(db):
    for question in (
        "whats the card number atlas fabrication pays with? need to re-run a failed charge",
        "what invoices are waiting on approval? number, customer, total, and who created it",
    ):
        (out,) = _chat(db, question)
        assert out["refused"] and not out["rows"], question


def test_customers_who_owe_more_than_an_amount_past_due_are_bounded_on_what_each_owes(db):
    (out,) = _chat(
        db, "which customers owe us more than 20k that's already past due? show the overdue amount"
    )
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        f"c.lifecycle_stage = 'customer' GROUP BY c.id HAVING SUM({OWED}) > 20000",
    )
    assert _pairs(out) == gold and gold


def test_the_last_touch_of_several_accounts_is_each_ones(db):
    names = ("Atlas Fabrication", "Paragon Analytics", "Sequoia AI Corp")
    (out,) = _chat(
        db,
        f"when did we last touch {names[0]}, {names[1]} and {names[2]}? just the date of the most recent activity for each",
    )
    gold = _rows(
        db,
        "SELECT c.name, MAX(date(a.occurred_at)) FROM activities a JOIN companies c ON c.id = a.company_id WHERE c.name "
        f"IN {names} GROUP BY c.name",
    )
    assert sorted((r[0], str(r[1])[:10]) for r in out["rows"]) == sorted(gold)


def test_how_many_different_accounts_we_touched(db):
    (out,) = _chat(db, "how many different accounts did we touch last week")
    gold = _rows(db, f"SELECT COUNT(DISTINCT company_id) FROM activities WHERE date(occurred_at) {LAST_WEEK}")
    assert _figure(out) == gold[0][0]
