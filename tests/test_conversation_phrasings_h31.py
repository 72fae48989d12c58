"""Ways of asking learnt from blind conversation sets (holdouts 31-33: a sales director and her reps at month
end, a finance team on the first day of a quarter, a busy Slack channel in December), each checked against
SQL written here by hand on the refreshed demo (SQLite, today 2026-11-19), through the same path as
`crmbot chat --json`.

Most were wrong figures before: "this year vs last year" compared the same dates, "same month last year"
read the whole year, "revenue nov?" answered all time, "who owns our highest scoring lead" ranked reps by
their average score, "top 3 of those by amount" summed the deals, "what % ... from each rep" left out the
share.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
OPEN = "stage NOT IN ('closed_won', 'closed_lost')"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_this_year_vs_last_year_is_the_year_so_far_against_the_whole_last_year(db):
    (out,) = _chat(db, "avg deal size this year vs last year")
    this = _rows(
        db,
        f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    last = _rows(
        db,
        f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert out["rows"][0][:2] == pytest.approx([this[0][0], last[0][0]], abs=0.01)
    # the same dates when said so
    (same,) = _chat(db, "avg deal size this year vs the same period last year")
    dated = _rows(
        db,
        f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2025-01-01' AND '2025-11-19'",
    )
    assert same["rows"][0][1] == pytest.approx(dated[0][0], abs=0.01)


def test_same_month_last_year_after_a_month_is_that_month_a_year_earlier(db):
    *_, out = _chat(db, "revenue last month", "and invoiced?", "same month last year?")
    gold = _rows(
        db, "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND issue_date LIKE '2025-10%'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_short_month_name_ends_the_question_or_stands_before_vs(db):
    (alone,) = _chat(db, "revenue oct?")
    october = _rows(db, "SELECT SUM(amount) FROM payments WHERE paid_at LIKE '2026-10%'")[0][0]
    assert _figure(alone) == pytest.approx(october)
    (both,) = _chat(db, "revenue oct vs oct last year?")
    before = _rows(db, "SELECT SUM(amount) FROM payments WHERE paid_at LIKE '2025-10%'")[0][0]
    assert both["rows"][0][:2] == pytest.approx([october, before])


def test_a_month_range_with_a_dash_and_this_year(db):
    (out,) = _chat(db, "lead conversion rate by region for leads created jan-jun this year")
    gold = _rows(
        db,
        "SELECT region, 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads "
        "WHERE date(created_at) BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY region",
    )
    assert {r[0]: r[1] for r in out["rows"]} == pytest.approx(dict(gold), abs=1e-5)


def test_top_3_of_those_by_amount_keeps_the_deals(db):
    _, out = _chat(db, "which deals did we win this month?", "top 3 of those by amount")
    gold = _rows(
        db, f"SELECT name FROM deals WHERE {WON} AND closed_at >= '2026-11-01' ORDER BY amount DESC LIMIT 3"
    )
    assert out["kind"] == "list"
    assert [r[0] for r in out["rows"]] == [r[0] for r in gold]


def test_the_biggest_deal_or_invoice_is_that_one_record(db):
    (deal,) = _chat(db, "whats the biggest deal in my pipeline", asker=REP)
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{OPEN} AND u.email = '{REP}' "
        "ORDER BY d.amount DESC LIMIT 1",
    )
    assert deal["kind"] == "list" and [r[0] for r in deal["rows"]] == [gold[0][0]]
    (invoice,) = _chat(db, "the biggest invoice we sent last month?")
    biggest = _rows(
        db,
        "SELECT number FROM invoices WHERE status IN ('sent', 'paid') AND issue_date LIKE '2026-10%' "
        "ORDER BY total DESC LIMIT 1",
    )
    assert [r[0] for r in invoice["rows"]] == [biggest[0][0]]


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_who_owns_our_highest_scoring_lead_names_that_leads_owner(scored):
    db = scored
    (out,) = _chat(db, "who owns our highest scoring lead?")
    gold = _rows(
        db,
        "SELECT u.name FROM leads l JOIN users u ON u.id = l.owner_id "
        "WHERE l.status IN ('new', 'working', 'qualified') ORDER BY l.score DESC LIMIT 1",
    )
    assert len(out["rows"]) == 1
    assert gold[0][0] in out["rows"][0]


def test_my_reps_bookings_compared_is_one_row_per_rep_of_the_team(db):
    (out,) = _chat(db, "how are my reps' bookings this qtr vs last qtr", asker=MANAGER)
    gold = _rows(
        db,
        "SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE u.team = 'NA East' AND d.stage = "
        "'closed_won' AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-11-19' GROUP BY u.id",
    )
    assert out["columns"][0] == "rep"
    assert sorted(r[0] for r in out["rows"]) == sorted(r[0] for r in gold)


def test_what_share_came_from_each_rep_shows_each_share(db):
    (out,) = _chat(db, "what % of my team's bookings this quarter came from each rep?", asker=MANAGER)
    gold = _rows(
        db,
        "SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE u.team = 'NA East' "
        f"AND d.{WON} AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' GROUP BY u.id",
    )
    total = sum(r[1] for r in gold)
    assert out["columns"][-1] == "share"
    assert {r[0]: r[-1] for r in out["rows"]} == pytest.approx({n: v / total for n, v in gold}, abs=1e-6)


def test_what_share_of_a_total_one_part_makes(db):
    (out,) = _chat(db, "What % of Q3 collections came in by card?")
    card, whole = _rows(
        db,
        "SELECT SUM(CASE WHEN method = 'card' THEN amount ELSE 0 END), SUM(amount) FROM payments "
        "WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0]
    assert out["rows"][0] == pytest.approx([card, whole, card / whole], abs=1e-6)
    assert "share" in out["answer"]


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("how do the AR aging buckets work", "due"),
        ("is avg deal size over all deals or only the won ones?", "won"),
        ("when i ask about 'my deals', whose deals are those exactly?", "own"),
        ("Auditors are asking. Is 'revenue' in here cash basis or accrual?", "payment"),
    ],
)
def test_more_ways_to_ask_what_a_word_means(db, question, word):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation"
    assert word in out["answer"].lower()


def test_brought_in_beside_a_record_word_counts_those_records(db):
    (out,) = _chat(db, "which region brought in the most new leads last month?")
    gold = _rows(
        db,
        "SELECT region FROM leads WHERE created_at LIKE '2026-10%' GROUP BY region ORDER BY COUNT(*) DESC LIMIT 1",
    )
    assert [r[0] for r in out["rows"]] == [gold[0][0]]


def test_the_amount_and_how_many_in_one_message(db):
    (out,) = _chat(db, "overdue $ in EMEA rn + how many invoices is that")
    owed, count = _rows(
        db,
        f"SELECT SUM({OWED}), COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND i.due_date < '2026-11-19' AND c.region = 'EMEA'",
    )[0]
    assert out["rows"][0] == pytest.approx([owed, count])
    (billed,) = _chat(db, "what did we invoice in October, and how many invoices was that?")
    amount, n = _rows(
        db,
        "SELECT SUM(total), COUNT(*) FROM invoices WHERE status IN ('sent', 'paid') AND issue_date LIKE '2026-10%'",
    )[0]
    assert billed["rows"][0] == pytest.approx([amount, n])


def test_two_counts_asked_one_after_the_other(db):
    (out,) = _chat(db, "how many new customers did we land last quarter, and how many churned?")
    new, gone = _rows(
        db,
        "SELECT SUM(date(customer_since) BETWEEN '2026-07-01' AND '2026-09-30'), "
        "SUM(date(churned_at) BETWEEN '2026-07-01' AND '2026-09-30') FROM companies",
    )[0]
    assert out["rows"][0] == [new, gone]


def test_churned_accounts_and_prospects_narrow_another_measure(db):
    (out,) = _chat(db, "Of the overdue balance, how much is owed by churned accounts?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND i.due_date < '2026-11-19' AND c.lifecycle_stage = 'churned'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    (revenue,) = _chat(db, "revenue from churned accounts this year")
    paid = _rows(
        db,
        "SELECT SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id "
        "WHERE c.lifecycle_stage = 'churned' AND p.paid_at >= '2026-01-01'",
    )
    assert _figure(revenue) == pytest.approx(paid[0][0])


def test_a_status_word_void_is_asked_about_not_refused(db):
    (out,) = _chat(db, "any void invoices issued this year? number, customer, amount")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'void' AND issue_date >= '2026-01-01'")
    assert not out["refused"]
    assert sorted(r[0] for r in out["rows"]) == sorted(r[0] for r in gold)
    (verb,) = _chat(db, "void the invoice for Sequoia AI Corp")
    assert verb["refused"] or verb["kind"] in ("action", "clarification")  # the verb still changes nothing


def test_a_bucket_broken_out_by_account(db):
    (out,) = _chat(db, "how much is sitting in the 1-30 day bucket right now? broken out by account")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND julianday('2026-11-19') - julianday(i.due_date) BETWEEN 1 AND 30 GROUP BY c.id",
    )
    assert {r[0]: r[1] for r in out["rows"]} == pytest.approx(dict(gold))


def test_top_accounts_with_a_column_of_each(db):
    (out,) = _chat(db, "top 5 customers by LTV, with their churn risk")
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_risk FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert "churn_risk" in out["columns"]
    at = out["columns"].index("churn_risk")
    assert [(r[0], r[at]) for r in out["rows"]] == gold


def test_which_deals_and_who_owns_them_lists_the_deals_with_owners(db):
    (out,) = _chat(db, "deals won last month over 50k, and who owns them")
    gold = _rows(
        db,
        f"SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{WON} "
        "AND d.closed_at LIKE '2026-10%' AND d.amount > 50000",
    )
    assert out["kind"] == "list" and "rep" in out["columns"]
    at = out["columns"].index("rep")
    assert sorted((r[0], r[at]) for r in out["rows"]) == sorted(gold)


def test_any_of_them_after_a_ranking_filters_those_shown(db):
    _, out = _chat(db, "5 least healthy accounts", "any of them high risk?")
    five = _rows(
        db,
        "SELECT c.name, ci.churn_risk FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.health_score ASC LIMIT 5",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(n for n, risk in five if risk == "high")


def test_a_remark_about_today_is_no_period(db):
    (out,) = _chat(db, "Morning all, last day of the week. What's our total AR outstanding as of today?")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_a_remark_after_the_question_mark_leaves_the_account_card(db):
    (out,) = _chat(db, "how's Fairmont Cargo looking health-wise? they're one of our biggest accounts by LTV")
    assert out["kind"] == "card"


def test_the_account_owner_there_after_one_accounts_records(db):
    _, out = _chat(db, "pull the invoices for Sequoia AI Corp", "whos the account owner there")
    gold = _rows(
        db,
        "SELECT u.name FROM companies c JOIN users u ON u.id = c.owner_id WHERE c.name = 'Sequoia AI Corp'",
    )
    assert len(out["rows"]) == 1 and gold[0][0] in out["rows"][0]


def test_how_many_unpaid_invoices_is_a_count_not_the_money(db):
    (out,) = _chat(db, "how many unpaid invoices do we have")
    gold = _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'sent'")
    assert _figure(out) == gold[0][0]
    (both,) = _chat(
        db,
        "Total outstanding receivables as of today, and also the number of invoices that make up that balance.",
    )
    owed = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")
    assert both["rows"][0] == pytest.approx([owed[0][0], gold[0][0]])


def test_how_many_accounts_counts_each_account_once(db):
    _, out = _chat(db, "how much is overdue?", "spread across how many accounts?")
    gold = _rows(
        db,
        "SELECT COUNT(DISTINCT company_id) FROM invoices WHERE status = 'sent' AND due_date < '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]
    assert "accounts" in out["answer"].lower()
    (asked,) = _chat(db, "how many customers have overdue invoices in EMEA")
    emea = _rows(
        db,
        "SELECT COUNT(DISTINCT i.company_id) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND i.due_date < '2026-11-19' AND c.region = 'EMEA'",
    )
    assert _figure(asked) == emea[0][0]


def test_a_sort_named_after_the_columns_never_reads_the_year_as_a_count(db):
    (out,) = _chat(
        db,
        "Deals over $100k created in 2026: deal name, company, stage, amount, sorted by amount descending.",
    )
    gold = _rows(
        db, "SELECT name FROM deals WHERE amount > 100000 AND created_at >= '2026-01-01' ORDER BY amount DESC"
    )
    assert [r[0] for r in out["rows"]] == [r[0] for r in gold]


def test_a_company_named_health_is_a_name_not_a_question_about_health(db):
    (out,) = _chat(db, "show me the closed tickets for Helix Health")
    gold = _rows(
        db,
        "SELECT t.subject FROM support_tickets t JOIN companies c ON c.id = t.company_id "
        "WHERE c.name = 'Helix Health' AND t.status = 'closed'",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold)


def test_the_parts_of_the_health_score_are_measures(db):
    (out,) = _chat(db, "which 3 customers have the weakest payment scores? lowest first")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.payment_score ASC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [r[0] for r in gold]


def test_a_book_of_accounts_is_no_bookings(db):
    (out,) = _chat(db, "how's my team's book looking? avg health score per rep pls", asker=MANAGER)
    assert "bookings" not in out["interpretation"].split(";")[0]
    assert out["columns"][0] == "rep"


def test_leave_out_and_excluding_anything_still_in_negate_the_value(db):
    (out,) = _chat(db, "open pipeline by stage, leave out prospecting")
    gold = _rows(
        db, f"SELECT stage, SUM(amount) FROM deals WHERE {OPEN} AND stage != 'prospecting' GROUP BY stage"
    )
    assert {r[0]: r[1] for r in out["rows"]} == pytest.approx(dict(gold))


def test_one_number_for_each_value_named(db):
    (out,) = _chat(
        db, "How many new customers did we add in EMEA and APAC so far this year? one number for each"
    )
    gold = _rows(
        db,
        "SELECT region, COUNT(*) FROM companies WHERE region IN ('EMEA', 'APAC') AND customer_since >= '2026-01-01' "
        "GROUP BY region",
    )
    assert {r[0]: r[1] for r in out["rows"]} == dict(gold)


def test_two_ranges_that_cannot_both_hold_are_said(db):
    (out,) = _chat(db, "win rate this year on deals over $50k vs deals under $50k")
    assert out["refused"] and not out["rows"]


def test_a_measure_with_their_other_measure_beside_it(db):
    (out,) = _chat(db, "top 5 customers by LTV, with their predicted 12-month LTV next to it")
    gold = _rows(
        db,
        "SELECT c.name, ci.ltv, ci.predicted_ltv_12m FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [r[0] for r in gold]
    assert [r[-1] for r in out["rows"]] == pytest.approx([r[2] for r in gold])


def test_days_overdue_is_a_column_of_each_invoice(db):
    (out,) = _chat(db, "5 biggest overdue invoices — number, customer, balance, days late")
    gold = _rows(
        db,
        f"SELECT i.number, julianday('2026-11-19') - julianday(i.due_date) FROM invoices i WHERE i.status = 'sent' "
        f"AND i.due_date < '2026-11-19' ORDER BY {OWED} DESC LIMIT 5",
    )
    late = out["columns"].index("days overdue")
    assert [(r[0], r[late]) for r in out["rows"]] == [(n, pytest.approx(d)) for n, d in gold]


def test_billed_to_an_account_and_sorting_a_list_by_a_column_added(db):
    (out,) = _chat(db, "total billed to Fairmont Cargo in 2025?")
    gold = _rows(
        db,
        "SELECT SUM(i.total) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = 'Fairmont Cargo' "
        "AND i.status IN ('sent', 'paid') AND i.issue_date LIKE '2025%'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    *_, ranked = _chat(db, "customers at high churn risk", "sort them by LTV, biggest first")
    ltv = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' ORDER BY ci.ltv DESC",
    )
    assert [r[0] for r in ranked["rows"]] == [r[0] for r in ltv]


@pytest.mark.parametrize(
    "question",
    [
        "quick q - what exactly do you mean by LTV?",
        "what is CSAT based on in here?",
        "what buckets does the AR aging report use?",
    ],
)
def test_yet_more_ways_to_ask_what_a_word_means(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation"


def test_a_quarter_compared_with_itself_last_year_in_january():
    from datetime import date

    from tools.reports.nlq.cues import read_periods

    reading, _ = read_periods("q4 bookings by industry vs q4 last year", date(2026, 1, 2))
    assert (reading.period.start, reading.compare_to.start) == (date(2025, 10, 1), date(2024, 10, 1))


def test_values_compared_over_two_periods_keep_a_row_each_unless_combined(db):
    (each,) = _chat(db, "lead conversion rate Q3 vs Q2, just referral and partner")
    assert sorted(r[0] for r in each["rows"]) == ["partner", "referral"]
    (combined,) = _chat(db, "bookings for EMEA and APAC combined this quarter vs last quarter")
    this, last = _rows(
        db,
        "SELECT SUM(CASE WHEN d.closed_at >= '2026-10-01' THEN d.amount ELSE 0 END), "
        "SUM(CASE WHEN d.closed_at < '2026-10-01' THEN d.amount ELSE 0 END) FROM deals d JOIN companies c "
        f"ON c.id = d.company_id WHERE d.{WON} AND c.region IN ('EMEA', 'APAC') AND date(d.closed_at) "
        "BETWEEN '2026-07-01' AND '2026-11-19'",
    )[0]
    assert len(combined["rows"]) == 1 and combined["rows"][0][:2] == pytest.approx([this, last])
