"""Ways of asking learnt from the blind rounds of holdouts 145 onwards (a RevOps analyst's exact requests, a finance
team at month end, follow-ups that point back without a noun), each checked against SQL written here by hand on the
refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
OCTOBER = "BETWEEN '2026-10-01' AND '2026-10-31'"
Q3 = "BETWEEN '2026-07-01' AND '2026-09-30'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# ---------------------------------------------------------------------------- follow-ups without a noun of their own


def test_how_many_did_we_lose_counts_the_threads_deals(db):
    *_, out = _chat(db, "win rate in Q3", "how many did we lose?")
    gold = _rows(db, f"SELECT COUNT(*) FROM deals WHERE stage = 'closed_lost' AND date(closed_at) {Q3}")
    assert _figure(out) == gold[0][0]


def test_what_are_they_worth_after_a_count_is_their_money(db):
    *_, out = _chat(db, "how many deals did we win in october?", "what are they worth")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {OCTOBER}")
    assert out["kind"] == "report" and _figure(out) == pytest.approx(gold[0][0])


def test_which_of_those_invoices_are_overdue_narrows_what_my_accounts_owe(db):
    *_, out = _chat(
        db,
        "What do my accounts currently owe us in total?",
        "Which of those invoices are overdue? invoice number + balance pls",
        asker=REP,
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.owner_id = "
        f"(SELECT id FROM users WHERE email = '{REP}')",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_so_whats_the_growth_compares_the_two_periods_the_thread_showed(db):
    *_, out = _chat(db, "bookings in Q3", "and Q3 last year?", "so whats the growth")
    now, before = (
        _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '{a}' AND '{b}'")[
            0
        ][0]
        for a, b in (("2026-07-01", "2026-09-30"), ("2025-07-01", "2025-09-30"))
    )
    assert out["rows"][0][:2] == [pytest.approx(now), pytest.approx(before)]


def test_and_the_strongest_after_the_weakest_is_one_again(db):
    *_, out = _chat(db, "bookings by region this year", "which one's the weakest?", "and the strongest")
    gold = _rows(
        db,
        "SELECT c.region FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_won' AND "
        "date(d.closed_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY c.region ORDER BY SUM(d.amount) DESC LIMIT 1",
    )
    assert [r[0] for r in out["rows"]] == [gold[0][0]]


def test_a_measure_asked_too_keeps_the_period_before(db):
    *_, out = _chat(db, "whats our win rate been this year", "avg deal size too pls")
    gold = _rows(
        db,
        f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_same_two_for_another_month_asks_both_figures_again(db):
    *_, out = _chat(db, "what did we book in october? total $ and # of deals pls", "same two for september?")
    gold = _rows(
        db,
        "SELECT SUM(amount), COUNT(*) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-09-01' "
        "AND '2026-09-30'",
    )
    assert sorted(round(float(v), 2) for v in out["rows"][0]) == sorted(round(float(v), 2) for v in gold[0])


def test_a_count_asked_too_sits_beside_the_amount_split(db):
    *_, out = _chat(
        db, "cash collected month to date?", "split by payment method pls, with number of payments too"
    )
    gold = _rows(
        db,
        "SELECT method, SUM(amount), COUNT(*) FROM payments WHERE date(paid_at) BETWEEN '2026-11-01' AND '2026-11-19' "
        "GROUP BY method",
    )
    assert sorted((r[0], round(r[1], 2), r[2]) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2), g[2]) for g in gold
    )


def test_the_whole_total_drops_the_split(db):
    *_, out = _chat(db, "outstanding receivables by region", "ok now the whole total, overdue only")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_how_many_of_them_past_a_number_of_days_is_a_count_and_balance_on_those_is_owed(db):
    _, count, owed = _chat(
        db,
        "overdue invoices in NA",
        "how many of them are more than 30 days past due?",
        "whats the total balance on those",
    )
    where = (
        f"FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.region = 'NA' AND "
        "julianday('2026-11-19') - julianday(i.due_date) > 30"
    )
    assert _figure(count) == _rows(db, f"SELECT COUNT(*) {where}")[0][0]
    assert _figure(owed) == pytest.approx(_rows(db, f"SELECT SUM({OWED}) {where}")[0][0])


def test_sorry_i_meant_another_account_after_a_card_is_its_card(db):
    *_, out = _chat(
        db,
        "health score for Eastgate Payments?",
        "sorry, I meant the billing entity - Eastgate Payments (Billing)",
    )
    assert out["kind"] == "card" and out["rows"][0][0] == "Eastgate Payments (Billing)"


# ---------------------------------------------------------------------------- periods said in other ways


def test_this_month_vs_last_same_month_is_a_year_apart(db):
    (out,) = _chat(db, "cash in by region, this november vs last november")
    assert "November 2025" in out["columns"] and "November 2026" in out["columns"]


def test_days_of_a_month_are_a_period_never_an_amount(db):
    (out,) = _chat(
        db,
        "Which sent invoices fall due between 1 and 3 December 2026? number, customer, due date, open balance",
    )
    gold = _rows(
        db,
        "SELECT number FROM invoices WHERE status = 'sent' AND due_date BETWEEN '2026-12-01' AND '2026-12-03'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_created_before_a_month_ahead_is_the_one_just_gone(db):
    (out,) = _chat(db, "which deals created before december are still open?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation') AND "
        "date(created_at) < '2025-12-01'",
    )
    assert len(out["rows"]) == gold[0][0] and "2025" in out["answer"]


def test_both_quarters_asked_with_or_are_compared(db):
    (out,) = _chat(db, "we lost more customers in Q3 or in Q2? give me the churned count of both quarters")
    q3, q2 = (
        _rows(db, f"SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '{a}' AND '{b}'")[0][0]
        for a, b in (("2026-07-01", "2026-09-30"), ("2026-04-01", "2026-06-30"))
    )
    assert out["rows"][0][:2] == [q3, q2]


def test_full_year_before_a_measure_and_its_year_is_that_year(db):
    (out,) = _chat(db, "Full-year revenue 2025 vs 2024, by region. Absolute and % change.")
    assert "2025" in out["columns"] and "2024" in out["columns"]


def test_a_pipeline_month_ahead_is_read_ahead_on_both_sides(db):
    (out,) = _chat(db, "pipeline with a close date in november vs december - how do they compare?")
    assert "December 2026" in out["columns"]


# ---------------------------------------------------------------------------- two figures in one ask


def test_dollars_and_number_of_deals_after_a_question_are_both(db):
    (out,) = _chat(db, "what did we book in october? total $ and # of deals pls")
    gold = _rows(db, f"SELECT SUM(amount), COUNT(*) FROM deals WHERE {WON} AND date(closed_at) {OCTOBER}")
    assert sorted(round(float(v), 2) for v in out["rows"][0]) == sorted(round(float(v), 2) for v in gold[0])


def test_a_second_ask_joined_by_an_ampersand_is_answered(db):
    (out,) = _chat(db, "how many deals did we win in october & what were they worth")
    gold = _rows(db, f"SELECT COUNT(*), SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {OCTOBER}")
    assert sorted(round(float(v), 2) for v in out["rows"][0]) == sorted(round(float(v), 2) for v in gold[0])


def test_how_much_came_in_beside_what_we_invoiced_is_cash(db):
    (out,) = _chat(db, "how much did we invoice in october and how much actually came in")
    cash = _rows(db, f"SELECT SUM(amount) FROM payments WHERE date(paid_at) {OCTOBER}")[0][0]
    assert any(v == pytest.approx(cash) for v in out["rows"][0])


def test_just_the_two_totals_is_never_a_top_two(db):
    (out,) = _chat(
        db, "Invoices issued (billed) in October vs cash collected in October - just the two totals please."
    )
    assert out["kind"] == "report" and len(out["rows"]) == 1 and len(out["rows"][0]) == 2


def test_invoices_set_against_cash_ask_back_count_or_amount(db):
    (out,) = _chat(db, "Invoices issued in October vs cash collected in October")
    assert out["kind"] == "clarification" and "invoiced amount vs revenue" in out["choices"]


def test_two_averages_over_the_records_named_between_them_are_side_by_side(db):
    (out,) = _chat(db, "avg deal size on the Q3 wins, and avg sales cycle in days for them")
    size = _rows(db, f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) {Q3}")[0][0]
    assert out["kind"] == "report" and out["rows"][0][0] == pytest.approx(size, abs=0.01)


def test_a_count_and_an_amount_named_as_columns_of_a_split_are_both(db):
    (out,) = _chat(db, "Open pipeline by stage. Return stage, number of deals and summed amount.")
    gold = _rows(
        db,
        "SELECT stage, COUNT(*), SUM(amount) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', "
        "'negotiation') GROUP BY stage",
    )
    assert sorted((r[0], *sorted(round(float(v), 2) for v in r[1:])) for r in out["rows"]) == sorted(
        (g[0], *sorted(round(float(v), 2) for v in g[1:])) for g in gold
    )


def test_groups_ranked_by_the_count_beside_the_amount_when_asked(db):
    (out,) = _chat(
        db, "count of deals and total amount lost per lost reason in 2026, ordered by deal count descending"
    )
    counts = [r[out["columns"].index("deals_lost")] for r in out["rows"]]
    assert counts == sorted(counts, reverse=True) and len(counts) > 1


# ---------------------------------------------------------------------------- remarks and headings


def test_a_greeting_and_an_emoji_before_the_question_are_left_aside(db):
    (out,) = _chat(db, "morning all ☕ quick one before the 10am - whats bookings for oct?")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {OCTOBER}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_today_in_a_remark_beside_a_state_adds_nothing(db):
    (out,) = _chat(db, "chasing overdues today 😩 how much is overdue right now?")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_second_ask_that_names_nothing_we_measure_is_a_remark(db):
    (out,) = _chat(db, "overdue amount by account owner - who needs to chase what?")
    gold = _gold_pairs(
        db,
        f"SELECT u.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN users u ON "
        f"u.id = c.owner_id WHERE {OVERDUE} GROUP BY u.name",
    )
    assert _pairs(out) == gold


def test_what_is_at_stake_is_why_they_rank_it(db):
    (out,) = _chat(db, "top 5 high-risk accounts by LTV - where's the most money at stake")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE ci.churn_risk = 'high' "
        "AND c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_a_heading_naming_the_broader_measure_is_left_aside(db):
    (out,) = _chat(db, "Month-end AR: how much is overdue as of today and across how many invoices?")
    owed, count = _rows(db, f"SELECT SUM({OWED}), COUNT(*) FROM invoices i WHERE {OVERDUE}")[0]
    assert sorted(round(float(v), 2) for v in out["rows"][0]) == sorted([round(owed, 2), float(count)])


def test_i_am_chasing_an_account_is_no_owner(db):
    (out,) = _chat(db, "I'm chasing Sequoia AI Corp — list their overdue invoices", asker=REP)
    gold = _rows(
        db,
        f"SELECT number FROM invoices i WHERE {OVERDUE} AND company_id = {ACCOUNT.format('Sequoia AI Corp')}",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


# ---------------------------------------------------------------------------- words said another way


def test_money_wise_is_in_dollars(db):
    (out,) = _chat(db, "what did i close-won last qtr, $ wise", asker=REP)
    gold = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {Q3} AND owner_id = "
        f"(SELECT id FROM users WHERE email = '{REP}')",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_any_new_leads_this_week_is_how_many(db):
    (out,) = _chat(db, "any new leads this week?")
    gold = _rows(
        db, "SELECT COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2026-11-16' AND '2026-11-19'"
    )
    assert _figure(out) == gold[0][0]


def test_lead_sources_by_volume_are_ranked_by_how_many(db):
    (out,) = _chat(db, "top 3 lead sources by volume last quarter")
    gold = _rows(
        db,
        f"SELECT source FROM leads WHERE date(created_at) {Q3} GROUP BY source ORDER BY COUNT(*) DESC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_whos_on_a_team_lists_its_people(db):
    (out,) = _chat(db, "who's on the NA East team again?")
    gold = _rows(db, "SELECT name FROM users WHERE team = 'NA East'")
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_pending_about_tickets_is_their_status(db):
    (out,) = _chat(db, "which accounts have tickets that are pending")
    gold = _rows(
        db,
        "SELECT DISTINCT c.name FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE t.status = 'pending'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_worst_first_of_risky_accounts_is_the_likeliest_to_churn_first(db):
    (out,) = _chat(db, "which of my accounts are high risk, worst first", asker=REP)
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE ci.churn_risk = 'high' "
        f"AND c.lifecycle_stage = 'customer' AND c.owner_id = (SELECT id FROM users WHERE email = '{REP}') "
        "ORDER BY ci.churn_probability DESC",
    )
    assert gold and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_which_region_customer_has_the_highest_is_one(db):
    (out,) = _chat(db, "ok then, which NA customer has the highest LTV?")
    assert len(out["rows"]) == 1


def test_schema_column_names_are_read_as_words(db):
    (out,) = _chat(db, "top 5 open leads by conversion_probability. Show company_name, owner name, source.")
    assert out["kind"] == "list" and "rep" in out["columns"] and len(out["rows"]) == 5


@pytest.mark.parametrize(
    "question",
    [
        "what's your rule for an invoice to count as overdue?",
        "what is the different between bookings and billings?",
    ],
)
def test_definitions_typed_other_ways_are_explained(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation"


def test_put_that_next_to_is_no_change_to_the_data(db):
    *_, out = _chat(
        db, "outstanding receivables by region", "put that next to what we invoiced in the last 90 days"
    )
    assert out["kind"] != "refusal" or "never change" not in out["answer"]


# ---------------------------------------------------------------------------- later rounds (holdouts 151-156)


def test_invoices_pending_approval_from_the_queue_are_followed_up_as_a_report(db):
    *_, out = _chat(
        db, "invoices pending approval", "which of those are net 30", asker="omar.moreau@crmbot-demo.com"
    )
    gold = _rows(
        db, "SELECT number FROM invoices WHERE status = 'pending_approval' AND payment_terms = 'net_30'"
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_most_overdue_invoices_are_the_ones_past_due_the_longest(db):
    (out,) = _chat(db, "5 most overdue invoices (longest past due)")
    gold = _rows(db, f"SELECT number FROM invoices i WHERE {OVERDUE} ORDER BY due_date, id LIMIT 5")
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_ones_in_a_stage_expected_to_close_in_a_month_are_open_deals_by_expected_close(db):
    (out,) = _chat(db, "the big ones in negotiation (100k+) that are expected to close in december?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation' AND amount >= 100000 AND expected_close_date "
        "BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert gold[0][0] and len(out["rows"]) == gold[0][0]


def test_what_our_pipeline_adds_up_to_is_the_figure(db):
    (out,) = _chat(db, "What does our open pipeline add up to right now?")
    gold = _rows(
        db,
        "SELECT SUM(amount) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_musing_asked_first_leaves_the_ask_after_it(db):
    (out,) = _chat(db, "Which sales teams carried the number? I'd like Q3 vs Q2 bookings by team please.")
    assert out["kind"] == "report" and "Q3 2026" in out["columns"] and "Q2 2026" in out["columns"]


def test_gotten_shorter_with_compare_is_the_measure_in_the_two_periods(db):
    (out,) = _chat(
        db, "Has our sales cycle gotten any shorter? Compare Q3 this year with Q3 last year, by region."
    )
    assert "Q3 2025" in out["columns"] and "region" in out["columns"]


def test_the_askers_task_in_a_remark_is_no_measure(db):
    (out,) = _chat(
        db,
        "Hi, I'm working through collections today. What's the total overdue across all accounts right now?",
    )
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_word_quoted_after_a_contraction_is_the_one_asked_about(db):
    (out,) = _chat(
        db, "Apologies if this is basic, I'm new here. When people say 'bookings', what exactly gets counted?"
    )
    assert out["kind"] == "explanation" and "won" in out["answer"]


def test_three_periods_compared_are_asked_back(db):
    (out,) = _chat(db, "Revenue for October vs September, and vs October last year")
    assert out["kind"] == "clarification" and len(out["choices"]) == 2


def test_the_exact_comparison_after_a_loose_last_year_is_the_one_asked(db):
    (out,) = _chat(db, "am i ahead or behind last year? my bookings ytd vs same period 2025", asker=REP)
    now = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19' AND "
        f"owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )[0][0]
    assert out["rows"][0][0] == pytest.approx(now)


def test_exclude_a_value_keeps_the_split(db):
    *_, out = _chat(db, "win rate by region for last quarter", "exclude LATAM")
    assert sorted(r[0] for r in out["rows"]) == ["APAC", "EMEA", "NA"]


def test_per_month_instead_of_by_source_is_by_month_only(db):
    *_, out = _chat(db, "leads by source this year", "now per month instead of by source")
    assert "source" not in out["columns"] and out["columns"][0] == "month"


def test_the_quarter_so_far_is_this_quarter_whatever_the_threads_period(db):
    *_, out = _chat(
        db, "how much did i close in october", "and whats my win rate for the quarter so far", asker=REP
    )
    assert "this quarter" in out["answer"]


def test_a_colleague_away_is_whose_records_not_a_period(db):
    (out,) = _chat(
        db,
        "Wei is out this week, which of his accounts are high churn risk?",
        asker="omar.moreau@crmbot-demo.com",
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE ci.churn_risk = 'high' "
        f"AND c.lifecycle_stage = 'customer' AND c.owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


# ---------------------------------------------------------------------------- regressions of this stop, caught by older holdouts


def test_a_bar_on_each_accounts_value_stays_a_ranking(db):
    (out,) = _chat(db, "which APAC customers have a churn probability above 60%")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.region = 'APAC' AND "
        "c.lifecycle_stage = 'customer' AND ci.churn_probability > 0.6",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_them_right_after_an_accounts_card_is_that_account(db):
    *_, card, out = _chat(
        db,
        "list my high-risk accounts, highest churn probability first",
        "what's the LTV on the second one?",
        "when did we last talk to them?",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT MAX(date(occurred_at)) FROM activities WHERE company_id = "
        f"{ACCOUNT.format(card['rows'][0][0])}",
    )
    assert card["kind"] == "card" and [str(v) for v in out["rows"][0]] == [gold[0][0]]


# ---------------------------------------------------------------------------- the last round (holdouts 157-159)


def test_the_worst_month_of_a_year_for_a_measure_is_that_month(db):
    (out,) = _chat(db, "worst month of 2025 for bookings?")
    gold = _rows(
        db,
        "SELECT strftime('%Y-%m-01', closed_at) AS m FROM deals WHERE stage = 'closed_won' AND closed_at LIKE '2025%' "
        "GROUP BY m ORDER BY SUM(amount) LIMIT 1",
    )
    assert [str(r[0])[:10] for r in out["rows"]] == [gold[0][0]]


def test_a_comparison_corrected_after_sorry_is_the_one_asked(db):
    (out,) = _chat(db, "avg sales cycle 2024 vs 2023 - sorry, 2025 vs 2024")
    assert out["kind"] == "report" and "2025" in out["columns"] and "2023" not in out["columns"]


def test_an_everyday_word_in_a_remark_names_no_account(db):
    (out,) = _chat(db, "for the regional kickoff deck: avg deal size last year")
    gold = _rows(db, f"SELECT AVG(amount) FROM deals WHERE {WON} AND closed_at LIKE '2025%'")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_what_i_have_got_in_pipeline_is_the_figure(db):
    (out,) = _chat(db, "what have I got in pipeline that's expected to close in Q1 2027", asker=REP)
    gold = _rows(
        db,
        "SELECT SUM(amount) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation') AND "
        f"expected_close_date BETWEEN '2027-01-01' AND '2027-03-31' AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_which_of_those_expected_to_close_in_a_month_is_the_month_ahead(db):
    *_, out = _chat(
        db, "show me my deals in proposal", "which of those are expected to close in december", asker=REP
    )
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage = 'proposal' AND expected_close_date BETWEEN '2026-12-01' AND '2026-12-31' "
        f"AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_the_later_period_comes_first_so_the_change_runs_from_the_earlier(db):
    (out,) = _chat(db, "revenue q2 vs q3")
    assert out["columns"][:2] == ["Q3 2026", "Q2 2026"]
