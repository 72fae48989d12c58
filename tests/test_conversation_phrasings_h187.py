"""Ways of asking learnt from the blind rounds of holdouts 187 onwards, each checked against SQL written here by hand
on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OPEN_STAGES, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# ------------------------------------------------------------------------------------------------- definitions


@pytest.mark.parametrize(
    "question, word",
    [
        ("how is AR aging bucketed", "90"),
        ("what does pipeline include? like do closed deals count", "open"),
        ("how do you figure avg sales cycle?", "created"),
        ("avg deal size - average of what exactly?", "won"),
    ],
)
def test_a_definition_asked_in_these_words_is_explained_never_computed(db, question, word):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation", out
    assert word in out["answer"].lower()


def test_how_a_figure_is_split_is_still_the_figure(db):
    out = _chat(db, "how is revenue split by region")[-1]
    assert out["kind"] == "report" and len(out["rows"]) == 4


# ------------------------------------------------------------------------------------------------------- columns


def test_who_paid_how_much_which_invoice_are_the_payments_columns(db):
    out = _chat(db, "payments that came in this month - who paid, how much, which invoice")[-1]
    gold = _rows(
        db,
        "SELECT i.number, p.amount FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "WHERE date(p.paid_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and "invoice" in out["columns"] and "customer" in out["columns"]
    got = sorted(
        (r[out["columns"].index("invoice")], round(r[out["columns"].index("amount")], 2)) for r in out["rows"]
    )
    assert got == sorted((n, round(a, 2)) for n, a in gold)


def test_invoice_hash_is_the_invoice_number_column(db):
    out = _chat(
        db, "overdue invoices on my team's accounts - invoice #, customer, amt still due", asker=MANAGER
    )[-1]
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        f"AND c.owner_id IN {TEAM}",
    )
    assert out["kind"] == "list"
    assert sorted(r[out["columns"].index("invoice")] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_the_latest_activity_with_columns_after_the_question_mark_is_that_activity(db):
    out = _chat(db, "whats the latest activity with Atlas Fabrication? type, subject and who")[-1]
    gold = _rows(
        db,
        f"SELECT a.id FROM activities a WHERE a.company_id = {ACCOUNT.format('Atlas Fabrication')} "
        "ORDER BY a.occurred_at DESC LIMIT 1",
    )
    assert out["kind"] == "list" and len(out["rows"]) == 1 and out["rows"][0][0] == gold[0][0]
    assert "rep" in out["columns"]


def test_a_status_in_brackets_says_what_the_asker_s_own_word_means(db):
    out = _chat(
        db, "which reps on my team are sitting on the most untouched leads (still status new)", asker=MANAGER
    )[-1]
    gold = _gold_pairs(
        db,
        f"SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status = 'new' "
        f"AND l.owner_id IN {TEAM} GROUP BY u.name",
    )
    assert _pairs(out) == gold


# --------------------------------------------------------------------------------------------------- follow-ups


def test_which_invoices_are_overdue_after_my_accounts_amounts_are_mine(db):
    *_, out = _chat(
        db,
        "how much do my accounts owe us rn? and how much of that is overdue",
        "which invoices are overdue? number, company, amount",
        asker=REP,
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.owner_id = {ME}",
    )
    assert out["kind"] == "list"
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_which_of_those_within_a_top_10_is_never_another_list(db):
    *_, out = _chat(
        db,
        "10 biggest unpaid invoices - customer, invoice #, balance, due date",
        "which of those are overdue",
    )
    assert not out.get("rows")
    assert out.get("refused") or out["kind"] in ("refusal", "clarification")


def test_total_and_how_many_after_an_amount_split_are_that_amount_and_the_count(db):
    *_, out = _chat(db, "open pipeline by stage", "just negotiation - total and how many deals")
    gold = _rows(db, "SELECT SUM(amount), COUNT(*) FROM deals WHERE stage = 'negotiation'")
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_that_90_day_window_after_dso_is_the_last_90_days(db):
    *_, out = _chat(db, "whats our DSO", "what were total billings over that 90 day window?")
    gold = _rows(
        db,
        "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND date(issue_date) BETWEEN '2026-08-22' "
        "AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_same_comparison_but_another_measure_compares_that_measure(db):
    *_, out = _chat(
        db, "bookings this month vs last month, company total", "same comparison but # of deals won"
    )
    gold = _rows(
        db,
        f"SELECT (SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'), "
        f"(SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31')",
    )
    assert out["rows"][0][:2] == list(gold[0])


def test_only_the_urgent_ones_which_accounts_raised_them_are_the_accounts(db):
    *_, out = _chat(
        db, "tickets this month by priority", "only the urgent ones - which accounts raised them?"
    )
    gold = _rows(
        db,
        "SELECT DISTINCT c.name FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE t.priority = "
        "'urgent' AND date(t.created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_which_accounts_opened_n_or_more_after_a_count_bounds_each_account(db):
    *_, out = _chat(
        db, "how many tickets did EMEA accounts open this year", "which accounts opened 4 or more?"
    )
    gold = _gold_pairs(
        db,
        "SELECT c.name, COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE c.region = 'EMEA' "
        "AND date(t.created_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY c.id HAVING COUNT(*) >= 4",
    )
    assert _pairs(out) == gold


def test_the_last_thing_anyone_logged_with_them_is_the_account_s_latest_activity(db):
    *_, out = _chat(
        db,
        "what tickets has Atlas Fabrication raised this year? subject, priority, status",
        "whats the last thing anyone logged with them? what + who",
    )
    gold = _rows(
        db,
        f"SELECT a.id FROM activities a WHERE a.company_id = {ACCOUNT.format('Atlas Fabrication')} "
        "ORDER BY a.occurred_at DESC LIMIT 1",
    )
    assert out["kind"] == "list" and out["rows"][0][0] == gold[0][0]


def test_when_did_we_last_log_anything_with_them_is_the_last_contact(db):
    *_, out = _chat(db, "how's Bramble Logic doing?", "when did we last log anything with them")
    gold = _rows(
        db,
        f"SELECT MAX(date(occurred_at)) FROM activities WHERE company_id = {ACCOUNT.format('Bramble Logic')}",
    )
    assert str(out["rows"][0][-1])[:10] == gold[0][0]


# ---------------------------------------------------------------------------------------------------- comparisons


def test_a_comparison_s_change_is_the_exact_difference_rounded_to_the_cent(db):
    out = _chat(db, "avg deal size last quarter compared w/ the quarter before")[-1]
    gold = _rows(
        db,
        f"SELECT a, b, ROUND(a - b, 2) FROM (SELECT (SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) "
        f"BETWEEN '2026-07-01' AND '2026-09-30') AS a, (SELECT AVG(amount) FROM deals WHERE {WON} AND "
        f"date(closed_at) BETWEEN '2026-04-01' AND '2026-06-30') AS b)",
    )
    assert out["columns"][2] == "change"
    assert out["rows"][0][2] == pytest.approx(gold[0][2], abs=0.001)


# ------------------------------------------------------------------------------------------------------ round 2


def test_a_short_month_before_a_measure_is_the_month(db):
    out = _chat(db, "top 5 reps by oct bookings")[-1]
    gold = _rows(
        db,
        "SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' AND "
        "date(d.closed_at) BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY u.id ORDER BY 2 DESC LIMIT 5",
    )
    assert [(r[0], round(r[-1], 2)) for r in out["rows"]] == [(n, round(a, 2)) for n, a in gold]
    out = _chat(db, "my team's jun bookings by rep", asker=MANAGER)[-1]
    gold = _gold_pairs(
        db,
        "SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' AND "
        f"date(d.closed_at) BETWEEN '2026-06-01' AND '2026-06-30' AND d.owner_id IN {TEAM} GROUP BY u.id",
    )
    assert _pairs(out) == gold


def test_a_rate_and_how_many_of_something_else_keeps_the_rate(db):
    out = _chat(db, "my win rate in oct? and how many did i lose", asker=REP)[-1]
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*), SUM(stage = 'closed_lost') FROM deals WHERE stage IN "
        f"('closed_won', 'closed_lost') AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31' AND owner_id = {ME}",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_how_many_total_how_many_of_a_status_is_the_whole_and_the_part(db):
    out = _chat(db, "referral leads from Q3 - how many total, how many disqualified?")[-1]
    gold = _rows(
        db,
        "SELECT SUM(status = 'disqualified'), COUNT(*) FROM leads WHERE source = 'referral' AND date(created_at) "
        "BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert out["rows"][0][:2] == list(gold[0])


def test_three_counts_where_one_would_be_answered_are_said_not_answered(db):
    out = _chat(
        db, "referral leads from Q3 - how many total, how many got disqualified, how many converted?"
    )[-1]
    assert not out.get("rows") and out.get("refused")


def test_overdue_invoices_issued_in_a_month_are_picked_by_issue_date(db):
    out = _chat(
        db, "invoices we issued in october that are already overdue: invoice number, account, balance"
    )[-1]
    gold = _rows(
        db,
        f"SELECT number FROM invoices i WHERE {OVERDUE} AND date(issue_date) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_leads_converted_by_the_date_they_converted_are_placed_by_conversion_date(db):
    out = _chat(db, "which reps converted leads in october (by the date they converted) and how many each?")[
        -1
    ]
    gold = _gold_pairs(
        db,
        "SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status = 'converted' AND "
        "date(l.converted_at) BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY u.id",
    )
    assert _pairs(out) == gold


def test_the_records_said_first_in_a_list_of_averages_are_counted(db):
    out = _chat(db, "support slide: tickets opened last month, avg CSAT and avg resolution time in hours")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert out["rows"][0][0] == gold[0][0] and len(out["rows"][0]) == 3


def test_ties_broken_by_the_higher_probability_name_no_second_measure(db):
    out = _chat(
        db,
        "top 10 open leads by score: company, source, score, owner. on ties put the higher conversion probability first",
    )[-1]
    gold = _rows(
        db,
        "SELECT id FROM leads WHERE status IN ('new', 'working', 'qualified') ORDER BY score DESC, "
        "conversion_probability DESC LIMIT 10",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold)


def test_a_period_said_again_after_ie_is_the_one_meant(db):
    out = _chat(
        db,
        "how many open leads are still hanging around from last quarter, i.e. created before oct 1? split by status",
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT status, COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND date(created_at) < "
        "'2026-10-01' GROUP BY status",
    )
    assert _pairs(out) == gold


def test_the_biggest_stage_deal_in_there_is_one_deal(db):
    *_, out = _chat(
        db, "open pipeline by stage", "whats the biggest negotiation deal in there and who owns it"
    )
    gold = _rows(db, "SELECT name FROM deals WHERE stage = 'negotiation' ORDER BY amount DESC LIMIT 1")
    assert len(out["rows"]) == 1 and out["rows"][0][0] == gold[0][0]


def test_list_the_deals_after_a_figure_lists_the_deals_behind_it(db):
    *_, out = _chat(db, "how much did the NA East team book in October", "list the deals - name, rep, amount")
    gold = _rows(
        db,
        "SELECT d.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' AND u.team = "
        "'NA East' AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_with_the_dollars_we_lost_on_each_adds_the_amount(db):
    *_, out = _chat(db, "how many deals did we lose in october", "by reason, with the $ we lost on each")
    assert out["columns"] == ["lost_reason", "deals_lost", "lost_amount"]


def test_a_rating_given_is_the_tickets_rated_so(db):
    out = _chat(db, "which companies gave us a 1 star CSAT this year")[-1]
    gold = _rows(
        db,
        "SELECT DISTINCT c.name FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE t.satisfaction = 1 "
        "AND date(t.created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_how_many_of_a_cohort_have_churned_since_is_any_time_since(db):
    *_, out = _chat(db, "how many new customers did we add in 2025", "how many of those have churned since")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM companies WHERE date(customer_since) BETWEEN '2025-01-01' AND '2025-12-31' AND "
        "churned_at IS NOT NULL",
    )
    assert _figure(out) == gold[0][0]


def test_last_touch_for_each_of_someone_s_accounts_is_per_account_owned_by_them(db):
    out = _chat(db, "last touch date for each of my high risk accounts", asker=REP)[-1]
    gold = _rows(
        db,
        "SELECT c.name, (SELECT MAX(date(a.occurred_at)) FROM activities a WHERE a.company_id = c.id) FROM companies c "
        f"JOIN customer_insights ci ON ci.company_id = c.id WHERE ci.churn_risk = 'high' AND c.owner_id = {ME} "
        "AND EXISTS (SELECT 1 FROM activities a WHERE a.company_id = c.id)",
    )
    assert sorted((r[0], str(r[-1])[:10]) for r in out["rows"]) == sorted(gold)


def test_my_accounts_last_contact_counts_everyone_s_activities_on_them(db):
    out = _chat(db, "when did we last talk to each of my accounts", asker=REP)[-1]
    gold = _rows(
        db,
        "SELECT c.name, MAX(date(a.occurred_at)) FROM activities a JOIN companies c ON c.id = a.company_id "
        f"WHERE c.owner_id = {ME} GROUP BY c.id",
    )
    assert sorted((r[0], str(r[-1])[:10]) for r in out["rows"]) == sorted(gold)


def test_an_exact_name_in_a_list_of_names_is_that_account(db):
    names = [
        n
        for (n,) in _rows(
            db, "SELECT name FROM companies WHERE lifecycle_stage = 'customer' ORDER BY id LIMIT 3"
        )
    ]
    out = _chat(db, f"health scores for {names[0]}, {names[1]} and {names[2]}?")[-1]
    assert sorted(r[0] for r in out["rows"]) == sorted(names)


def test_an_invoice_named_first_then_can_you_mark_it_paid_is_proposed_never_done(db):
    (number,) = _rows(db, "SELECT number FROM invoices WHERE status = 'sent' ORDER BY id LIMIT 1")[0]
    out = _chat(db, f"they say they paid {number} last week, can u mark it paid", asker=MANAGER)[-1]
    assert out["kind"] == "confirm" and number in out["answer"]
    assert _rows(db, f"SELECT status FROM invoices WHERE number = '{number}'")[0][0] == "sent"


def test_one_measure_as_a_share_of_another_is_said_not_dropped(db):
    out = _chat(db, "oct: invoiced vs collected, and collections as a % of invoiced")[-1]
    assert not out.get("rows") and out.get("refused")
    out = _chat(db, "oct: invoiced vs collected")[-1]
    assert len(out["rows"][0]) == 2


# ------------------------------------------------------------------------------------------------------ round 3


def test_which_groups_did_less_in_one_period_than_another_are_those_whose_change_is_below_zero(db):
    out = _chat(db, "who's behind? which reps booked less in Q3 than they did in Q2")[-1]
    gold = _rows(
        db,
        "SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' GROUP BY u.id HAVING "
        "SUM(CASE WHEN date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' THEN d.amount ELSE 0 END) < "
        "SUM(CASE WHEN date(d.closed_at) BETWEEN '2026-04-01' AND '2026-06-30' THEN d.amount ELSE 0 END)",
    )
    assert out["columns"][1:3] == ["Q3 2026", "Q2 2026"]
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold) and all(
        r[3] < 0 for r in out["rows"]
    )


def test_polite_asks_with_a_purpose_after_them_are_read_as_asked(db):
    out = _chat(
        db,
        "Would you mind breaking down Q3 bookings by industry for me? I'd like to see where our wins are concentrated.",
        asker=REP,
    )[-1]
    gold = _gold_pairs(
        db,
        f"SELECT c.industry, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{WON} AND "
        "date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY c.industry",
    )
    assert _pairs(out) == gold  # the company's, not the rep's own ("for me" is asked of the bot)
    out = _chat(
        db,
        "Could you pull the 10 largest open deals for me? I'd like the deal name, account, stage, owner and amount so I can plan some exec sponsorship.",
        asker=REP,
    )[-1]
    gold = _rows(db, f"SELECT name FROM deals WHERE {OPEN_STAGES} ORDER BY amount DESC LIMIT 10")
    assert [r[0] for r in out["rows"]] == [n for (n,) in gold]


def test_a_month_by_month_view_after_the_question_splits_by_month(db):
    out = _chat(
        db,
        "how much cash have we actually collected so far this year? a month-by-month view would be ideal, thanks",
    )[-1]
    assert len(out["rows"]) == 11 and out["columns"][0] in ("month", "period")


def test_the_same_quarter_a_year_ago_is_last_year_s(db):
    out = _chat(
        db,
        "Could you compare cash collected last quarter with the same quarter a year ago, region by region?",
    )[-1]
    assert out["columns"][1:3] == ["last quarter", "Q3 2025"] and len(out["rows"]) == 4


def test_columns_said_with_is_plenty_are_the_columns(db):
    out = _chat(
        db,
        "Can you list the high and urgent priority support tickets that are still open or pending? Account, priority and status is plenty.",
    )[-1]
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE priority IN ('high', 'urgent') AND status IN ('open', 'pending')",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold)


def test_same_breakdown_keeps_the_grouping(db):
    *_, out = _chat(
        db,
        "How many customers do we have in each industry?",
        "and how many of those are high churn risk? same breakdown",
    )
    gold = _gold_pairs(
        db,
        "SELECT c.industry, COUNT(*) FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' GROUP BY c.industry",
    )
    assert _pairs(out) == gold


def test_they_after_an_account_named_in_the_same_message_is_that_account(db):
    out = _chat(
        db,
        "how much have we billed Atlas Fabrication so far this year, and how much have they paid us in that time?",
    )[-1]
    gold = _rows(
        db,
        f"SELECT (SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND company_id = {ACCOUNT.format('Atlas Fabrication')} "
        "AND date(issue_date) BETWEEN '2026-01-01' AND '2026-11-19'), (SELECT SUM(amount) FROM payments WHERE company_id = "
        f"{ACCOUNT.format('Atlas Fabrication')} AND date(paid_at) BETWEEN '2026-01-01' AND '2026-11-19')",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_just_the_ones_then_total_is_the_amount_of_those(db):
    *_, out = _chat(db, "show me overdue invoices", "just the ones more than 90 days past due - total $?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE} AND julianday('2026-11-19') - julianday(i.due_date) > 90",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_which_accounts_paid_after_a_day_s_cash_is_that_day_by_account(db):
    *_, out = _chat(db, "how much cash came in yesterday", "which accounts paid? name + amount")
    gold = _gold_pairs(
        db,
        "SELECT c.name, SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id WHERE date(p.paid_at) = "
        "'2026-11-18' GROUP BY c.id",
    )
    assert _pairs(out) == gold


def test_how_many_in_each_status_and_their_total_value_has_both(db):
    out = _chat(db, "how many invoices do we have in each status + their total value")[-1]
    gold = _rows(db, "SELECT status, COUNT(*), SUM(total) FROM invoices GROUP BY status")
    assert sorted((r[0], r[1], round(r[2], 2)) for r in out["rows"]) == sorted(
        (s, n, round(v, 2)) for s, n, v in gold
    )


def test_a_remark_in_brackets_before_the_question_mark_is_part_of_the_question(db):
    *_, out = _chat(
        db,
        "any payments from Atlas Fabrication this year? date + amount",
        "what do they still owe and since when (oldest open invoice date)?",
    )
    assert not (out.get("rows") and len(out["rows"][0]) == 1)  # never the amount alone, as if that were all


# ------------------------------------------------------------------------------------------------------ round 4


def test_a_month_and_a_bare_day_is_that_day_never_a_number(db):
    out = _chat(db, "the 5 biggest deals won since june 1")[-1]
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-06-01' AND '2026-11-19' ORDER BY amount DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [n for (n,) in gold]


def test_who_to_call_first_today_is_no_period_on_the_leads(db):
    out = _chat(db, "who should i call first today? top 5 of my leads by conversion probability", asker=REP)[
        -1
    ]
    gold = _rows(
        db,
        f"SELECT id FROM leads WHERE status IN ('new', 'working', 'qualified') AND owner_id = {ME} "
        "ORDER BY conversion_probability DESC LIMIT 5",
    )
    assert len(out["rows"]) == len(gold) > 0


def test_how_likely_they_are_to_convert_is_the_conversion_probability(scored_db_path):
    db = scored_db_path  # (leads scored by the model)
    out = _chat(db, "open leads in NA, sorted by how likely they are to convert")[-1]
    assert out["kind"] == "list" and "conversion probability" in out["columns"]
    probabilities = [r[out["columns"].index("conversion probability")] for r in out["rows"]]
    assert probabilities == sorted(probabilities, reverse=True)


def test_an_average_by_group_highest_first_ranks_the_groups(scored_db_path):
    db = scored_db_path  # (leads scored by the model)
    out = _chat(db, "avg conversion probability by industry on open leads, highest first")[-1]
    gold = _rows(
        db,
        "SELECT industry, AVG(conversion_probability) FROM leads WHERE status IN ('new', 'working', 'qualified') "
        "GROUP BY industry ORDER BY 2 DESC",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_what_an_account_owes_and_when_it_is_due_lists_its_unpaid_invoices(db):
    out = _chat(db, "how much does Atlas Fabrication owe us and when is it due")[-1]
    gold = _rows(
        db,
        f"SELECT number FROM invoices WHERE status = 'sent' AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)
    assert "due" in out["columns"] and "balance" in out["columns"]


def test_just_the_team_s_reps_is_that_team_not_a_split(db):
    *_, out = _chat(db, "win rate this qtr?", "and for just the NA East reps")
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id WHERE "
        "d.stage IN ('closed_won', 'closed_lost') AND u.team = 'NA East' AND date(d.closed_at) BETWEEN '2026-10-01' AND "
        "'2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_which_invoice_numbers_after_my_accounts_overdue_are_those_invoices(db):
    *_, out = _chat(
        db, "do any of my accounts have overdue invoices? how much each", "which invoice numbers", asker=REP
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.owner_id = {ME}",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_which_accounts_with_amounts_after_a_region_is_each_account(db):
    *_, out = _chat(db, "overdue amount by region", "ok EMEA - which accounts? with amounts")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        "c.region = 'EMEA' GROUP BY c.id",
    )
    assert _pairs(out) == gold


def test_h1_vs_h2_of_a_year_are_both_halves_of_that_year(db):
    out = _chat(db, "bookings by industry, H1 vs H2 of 2025")[-1]
    assert sorted(out["columns"][1:3]) == ["H1 2025", "H2 2025"]


def test_how_much_did_i_close_is_bookings(db):
    out = _chat(db, "how much did i close this month and how many deals was it", asker=REP)[-1]
    gold = _rows(
        db,
        f"SELECT SUM(amount), COUNT(*) FROM deals WHERE {WON} AND owner_id = {ME} AND date(closed_at) BETWEEN "
        "'2026-11-01' AND '2026-11-19'",
    )
    assert sorted(out["rows"][0][:2]) == pytest.approx(sorted(gold[0]))


def test_who_on_the_team_booked_the_most_keeps_the_period(db):
    *_, out = _chat(
        db, "my team's bookings this quarter", "who on the team booked the most? top 3", asker=MANAGER
    )
    gold = _rows(
        db,
        f"SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{WON} AND d.owner_id IN {TEAM} AND "
        "date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' GROUP BY u.id ORDER BY SUM(d.amount) DESC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [n for (n,) in gold]


def test_top_n_invoices_by_balance_ranks_them(db):
    out = _chat(db, "top 10 overdue invoices in EMEA by balance - invoice #, customer, amount owed")[-1]
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.region = 'EMEA' "
        f"ORDER BY {OWED} DESC LIMIT 10",
    )
    assert [r[0] for r in out["rows"]] == [n for (n,) in gold]


def test_what_did_i_close_total_dollars_is_the_amount(db):
    out = _chat(db, "what did i close in oct? total $", asker=REP)[-1]
    gold = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND owner_id = {ME} AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_are_deals_closing_faster_then_the_measure_compares_it(db):
    out = _chat(db, "are deals closing faster? sales cycle 2025 vs 2024")[-1]
    assert out["columns"][:2] == ["2025", "2024"]


def test_a_quarter_against_the_same_quarter_of_a_year_is_this_year_s_first(db):
    out = _chat(db, "cash collected in Q1 vs Q1 2025?")[-1]
    assert out["columns"][:2] == ["Q1 2026", "Q1 2025"]


# ------------------------------------------------------------------------------------------------------ round 5


def test_how_many_customers_and_their_average_health_has_both(db):
    out = _chat(
        db, "how many customers does my team have, and what's their avg health score?", asker=MANAGER
    )[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*), AVG(ci.health_score) FROM companies c JOIN customer_insights ci ON ci.company_id = c.id "
        f"WHERE c.lifecycle_stage = 'customer' AND c.owner_id IN {TEAM}",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_lowest_first_after_a_bound_sorts_by_the_bounded_value(db):
    out = _chat(db, "my customers with a health score below 80? name + score, lowest first", asker=REP)[-1]
    scores = [r[out["columns"].index("health score")] for r in out["rows"]]
    assert scores and scores == sorted(scores) and max(scores) < 80


def test_one_manager_s_team_vs_another_s_compares_the_two_teams(db):
    out = _chat(db, "how's omar's team doing vs charles's on bookings this quarter")[-1]
    assert out["columns"][0] == "team" and len(out["rows"]) == 2


def test_records_plus_two_columns_are_listed(db):
    out = _chat(db, "deals we won this month + owner + amount")[-1]
    gold = _rows(
        db, f"SELECT name FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(n for (n,) in gold)


def test_a_quarter_against_the_last_quarter_of_last_year_is_this_year_s(db):
    out = _chat(db, "bookings by team, Q1 vs Q4 2025")[-1]
    assert out["columns"][1:3] == ["Q1 2026", "Q4 2025"]


def test_the_ones_i_m_worried_about_is_no_owner(db):
    out = _chat(
        db,
        "any high churn risk customers whose CSAT this year is under 3? those are the ones i'm worried about",
        asker=REP,
    )[-1]
    assert "owned by" not in out["interpretation"] and out["rows"]


def test_i_d_like_to_know_how_many_is_the_question_not_a_purpose(db):
    out = _chat(db, "Quick question. I'd like to know how many deals we won last month.")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(out) == gold[0][0]
    out = _chat(db, "hi! I'd like to see where our bookings came from last quarter, by region")[-1]
    assert len(out["rows"]) == 4
