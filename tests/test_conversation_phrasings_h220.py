"""Ways of asking learnt from the blind rounds of holdouts 220 to 222, each checked against SQL written here by hand on
the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OPEN_STAGES, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import column as _column
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import one as _one
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

THIS_YEAR = "BETWEEN '2026-01-01' AND '2026-11-19'"
LAST_QUARTER = "BETWEEN '2026-07-01' AND '2026-09-30'"
CUSTOMER = "c.lifecycle_stage = 'customer'"
MINE = f"(SELECT id FROM users WHERE email = '{REP}')"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# --------------------------------------------------------------------------------------------- a second language


def test_words_of_a_second_language_are_read(db):
    pipeline = _one(
        db,
        f"SELECT SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{OPEN_STAGES} AND c.country = 'DE'",
    )
    out = _chat(db, "quanto pipeline abbiamo in Deutschland right now? only the total")[-1]
    assert round(_figure(out), 2) == round(pipeline, 2), out["answer"]
    won = _one(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    out = _chat(db, "cuántos deals hemos ganado in October?? I mean closed won, all regions")[-1]
    assert _figure(out) == won, out["answer"]
    top = _rows(
        db,
        "SELECT ci.churn_probability FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND c.country = 'DE' ORDER BY ci.churn_probability DESC LIMIT 5",
    )
    out = _chat(db, "top 5 Kunden in Germany most probable to churn, the most risky first")[-1]
    assert [round(v, 4) for v in _column(out, "churn_probability")] == [round(t[0], 4) for t in top], out[
        "answer"
    ]


def test_a_country_in_its_own_language_and_a_follow_up_in_it(db):
    outs = _chat(db, "overdue invoices in France", "how much in total it is?", "y en Japón?")
    gold = _one(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.country = 'JP'",
    )
    assert gold and round(_figure(outs[-1]), 2) == round(gold, 2), outs[-1]["answer"]


# --------------------------------------------------------------------------------------------- comparisons, words


def test_two_regions_against_each_other_who_has_more_is_the_regions(db):
    out = _chat(db, "open pipeline EMEA against APAC, who has more?")[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id "
        f"WHERE d.{OPEN_STAGES} AND c.region IN ('EMEA', 'APAC') GROUP BY c.region",
    )
    assert _pairs(out) == gold, out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "cuando una factura es overdue? I mean when you consider an invoice overdue",
        "how do you guys decide if an account is low / medium / high churn risk",
        "when this bot says revenue, is that cash received or what we invoiced?",
    ],
)
def test_definitions_asked_in_other_words(db, question):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and not out["rows"], out


def test_what_is_the_difference_after_two_months_is_the_comparison(db):
    out = _chat(db, "new customers signed in october vs september, and what's the difference?")[-1]
    assert out["kind"] == "report" and out["rows"], out


def test_has_it_gotten_worse_between_two_periods_is_the_comparison(db):
    out = _chat(db, "has CSAT gotten worse? Q3 this year vs Q3 last year")[-1]
    this = _one(db, f"SELECT AVG(satisfaction) FROM support_tickets WHERE date(created_at) {LAST_QUARTER}")
    assert out["kind"] == "report" and round(out["rows"][0][0], 4) == round(this, 4), out


def test_avg_for_each_of_two_values_named_is_one_figure_each(db):
    out = _chat(
        db,
        "are our financial services customers more likely to churn than healthcare ones? avg churn probability for each",
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.industry, AVG(ci.churn_probability) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND c.industry IN ('Financial Services', 'Healthcare') GROUP BY c.industry",
    )
    assert _pairs(out) == gold, out["answer"]


# --------------------------------------------------------------------------------------------- deals


def test_open_deals_behind_their_expected_close_date(db):
    out = _chat(
        db, "which of my open deals are already behind the expected close date? name + date", asker=REP
    )[-1]
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE {OPEN_STAGES} AND owner_id = {MINE} AND expected_close_date < '2026-11-19'",
    )
    assert sorted(_column(out, "deal")) == sorted(g[0] for g in gold), out["answer"]


def test_how_many_deals_i_lost_in_it(db):
    out = _chat(db, "my win rate last quarter? and how many deals i lost in it", asker=REP)[-1]
    lost = _one(
        db,
        f"SELECT COUNT(*) FROM deals WHERE stage = 'closed_lost' AND owner_id = {MINE} AND date(closed_at) {LAST_QUARTER}",
    )
    assert "deals_lost" in out["columns"] and out["rows"][0][out["columns"].index("deals_lost")] == lost, out


def test_list_the_deals_with_amount_after_my_bookings_by_month_then_their_average(db):
    outs = _chat(
        db,
        "my bookings this year?",
        "per month pls",
        "list the deals with amount",
        "and what's my average deal size on them?",
        asker=REP,
    )
    gold = _rows(
        db,
        f"SELECT name, amount FROM deals WHERE stage = 'closed_won' AND owner_id = {MINE} AND date(closed_at) {THIS_YEAR}",
    )
    assert sorted(_column(outs[2], "deal")) == sorted(g[0] for g in gold), outs[2]["answer"]
    assert round(_figure(outs[3]), 2) == round(sum(g[1] for g in gold) / len(gold), 2), outs[3]["answer"]


def test_put_a_deal_on_closed_won_is_refused(db):
    (name,) = _rows(db, f"SELECT name FROM deals WHERE {OPEN_STAGES} ORDER BY id LIMIT 1")[0]
    out = _chat(db, f"they signed today!! put the deal '{name}' on closed won, grazie")[-1]
    assert out["refused"] and out["kind"] == "refusal", out


# --------------------------------------------------------------------------------------------- money


def test_overdue_more_than_sixty_days(db):
    out = _chat(db, "how many invoices are overdue more than 60 days?")[-1]
    gold = _one(
        db,
        "SELECT COUNT(*) FROM invoices WHERE status = 'sent' AND julianday('2026-11-19') - julianday(due_date) > 60",
    )
    assert _figure(out) == gold, out["answer"]


def test_the_most_overdue_money_is_the_overdue_amount(db):
    out = _chat(db, "top 5 companies with the most overdue money in EMEA, from the highest")[-1]
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND c.region = 'EMEA' "
        "GROUP BY c.id ORDER BY 1 DESC LIMIT 5",
    )
    assert [round(v, 2) for v in _column(out, "overdue_amount")] == [round(g[0], 2) for g in gold], out[
        "answer"
    ]


def test_payments_over_a_bound_who_paid_how_much_and_which_method_are_listed(db):
    out = _chat(db, "payments over 100k this year - who paid, how much, and which method")[-1]
    gold = _rows(db, f"SELECT id FROM payments WHERE amount > 100000 AND date(paid_at) {THIS_YEAR}")
    assert out["kind"] == "list" and sorted(_column(out, "payment")) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_falling_due_count_and_amount_after_the_question(db):
    out = _chat(db, "whats falling due in december? count + amount still owed")[-1]
    count = _one(
        db,
        "SELECT COUNT(*) FROM invoices WHERE status = 'sent' AND due_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert count in out["rows"][0] and len(out["rows"][0]) == 2, out


def test_make_it_invoice_counts_instead(db):
    out = _chat(db, "billed last quarter by payment terms", "make it invoice counts instead")[-1]
    gold = _gold_pairs(
        db,
        "SELECT payment_terms, COUNT(*) FROM invoices WHERE status IN ('sent', 'paid') "
        f"AND date(issue_date) {LAST_QUARTER} GROUP BY payment_terms",
    )
    assert _pairs(out) == gold, out["answer"]


def test_sort_them_by_a_date_after_a_list_keeps_the_list(db):
    for follow_up in ("sort them oldest due date first", "oldest due date first"):
        out = _chat(db, "show me overdue invoices in EMEA", follow_up)[-1]
        due = _column(out, "due")
        assert out["kind"] == "list" and due == sorted(due), (follow_up, out["answer"])


def test_drafts_sitting_around_for_more_than_two_weeks(db):
    out = _chat(db, "which drafts have been sitting around for more than 2 weeks, and who are they for?")[-1]
    gold = _rows(
        db, "SELECT number FROM invoices WHERE status = 'draft' AND date(created_at) <= '2026-11-04'"
    )
    assert sorted(_column(out, "invoice")) == sorted(g[0] for g in gold), out["answer"]


def test_who_approved_it_is_never_read_as_a_measure(db):
    out = _chat(db, "approved invoices: invoice number, customer, and who approved it")[-1]
    assert out["kind"] != "report", out


# --------------------------------------------------------------------------------------------- accounts


def test_ltv_top_five_then_their_health_and_churn_risk_then_the_lowest(db):
    outs = _chat(
        db,
        "top 5 EMEA customers by LTV",
        "can you show also their health score and churn risk?",
        "which one of these 5 has the lowest health?",
    )
    top = _rows(
        db,
        "SELECT c.name, ci.health_score FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND c.region = 'EMEA' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert {"health", "churn_risk"} <= set(outs[1]["columns"]) and len(outs[1]["rows"]) == 5, outs[1]
    lowest = min(top, key=lambda t: t[1])
    assert [r[0] for r in outs[2]["rows"]] == [lowest[0]], outs[2]["answer"]


def test_prepping_for_an_accounts_renewal_is_that_account(db):
    (name,) = _rows(
        db,
        f"SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE {CUSTOMER} LIMIT 1",
    )[0]
    out = _chat(db, f"prepping for the {name.lower()} renewal - health score, churn risk and LTV?")[-1]
    assert len(out["rows"]) == 1 and name in str(out["rows"]), out


def test_who_owns_them_after_a_question_is_the_owner(db):
    out = _chat(db, "which customers have a health score under 50? who owns them")[-1]
    gold = _rows(
        db,
        "SELECT c.name, u.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"JOIN users u ON u.id = c.owner_id WHERE {CUSTOMER} AND ci.health_score < 50",
    )
    assert gold and sorted((r[0], r[1]) for r in out["rows"]) == sorted(gold), out["answer"]


def test_emails_and_titles_of_the_contacts_at_an_account(db):
    (name,) = _rows(db, "SELECT c.name FROM contacts ct JOIN companies c ON c.id = ct.company_id LIMIT 1")[0]
    out = _chat(db, f"could you grab me the emails and titles for the contacts at {name}? thx")[-1]
    gold = _rows(
        db, f"SELECT ct.id FROM contacts ct JOIN companies c ON c.id = ct.company_id WHERE c.name = '{name}'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold), out["answer"]


def test_sort_by_ltv_after_a_list_of_my_high_risk_accounts(db):
    out = _chat(
        db,
        "my customers by churn risk",
        "only the high ones - names and ltv",
        "sort by ltv, biggest first",
        asker=REP,
    )[-1]
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND ci.churn_risk = 'high' AND c.owner_id = {MINE} ORDER BY ci.ltv DESC",
    )
    assert gold and _column(out, "customer") == [g[0] for g in gold], out["answer"]


def test_a_reps_book_churn_wise_is_by_churn_risk(db):
    out = _chat(db, "how's Wei Andersson's book looking churn-wise?")[-1]
    gold = _gold_pairs(
        db,
        "SELECT ci.churn_risk, COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND c.owner_id = {MINE} GROUP BY ci.churn_risk",
    )
    assert gold and _pairs(out) == gold, out["answer"]
