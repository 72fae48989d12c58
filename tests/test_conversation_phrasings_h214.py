"""Ways of asking learnt from the blind rounds of holdouts 214 to 216, each checked against SQL written here by hand on
the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, OVERDUE, OWED, REP, TEAM
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


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# --------------------------------------------------------------------------------------------- what words mean


@pytest.mark.parametrize(
    "question",
    [
        "LTV = ? (for an account)",
        "lead conversion rate: converted out of which leads exactly?",
        "'new customers' - is that off the signup date or first invoice or what",
    ],
)
def test_definitions_asked_in_short_forms_are_explained(db, question):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and not out["rows"], out


# --------------------------------------------------------------------------------------------- leads


def test_leads_not_converted_are_every_other_status_never_the_converted_ones(db):
    gold = _one(
        db, f"SELECT COUNT(*) FROM leads WHERE status <> 'converted' AND date(created_at) {THIS_YEAR}"
    )
    for question in (
        "how many unconverted leads came in this year?",
        "how many leads this year excluding converted",
        "how many leads this year that haven't converted",
    ):
        out = _chat(db, question)[-1]
        assert gold > 0 and _figure(out) == gold, (question, out["answer"])


def test_a_status_named_beside_not_converted_yet_is_that_status(db):
    out = _chat(db, "qualified leads in EMEA that haven't converted yet - list them w/ company and score")[-1]
    gold = _rows(db, "SELECT COUNT(*) FROM leads WHERE status = 'qualified' AND region = 'EMEA'")[0][0]
    assert out["kind"] == "list" and len(out["rows"]) == gold > 0, out["answer"]
    assert set(_column(out, "status")) == {"qualified"}


def test_paid_ads_leads_how_many_did_we_get_and_the_rate(db):
    out = _chat(db, "paid ads leads from Q3: how many did we get, and what did they convert at?")[-1]
    total = _one(
        db, f"SELECT COUNT(*) FROM leads WHERE source = 'paid_ads' AND date(created_at) {LAST_QUARTER}"
    )
    converted = _one(
        db,
        f"SELECT COUNT(*) FROM leads WHERE source = 'paid_ads' AND status = 'converted' AND date(created_at) {LAST_QUARTER}",
    )
    assert out["rows"][0][0] == total > 0, out["answer"]
    assert round(out["rows"][0][-1], 4) == round(converted / total, 4)


@pytest.mark.parametrize(
    "question",
    [
        "leads per rep on my team this year + how many converted",
        "leads and converted leads per rep on my team this year",
    ],
)
def test_leads_per_rep_and_how_many_converted_shows_both_counts(db, question):
    out = _chat(db, question, asker=MANAGER)[-1]
    gold = _rows(
        db,
        "SELECT u.name, COUNT(*), SUM(l.status = 'converted') FROM leads l JOIN users u ON u.id = l.owner_id "
        f"WHERE l.owner_id IN {TEAM} AND date(l.created_at) {THIS_YEAR} GROUP BY u.name",
    )
    got = sorted(
        (r[0], r[out["columns"].index("leads")], r[out["columns"].index("converted_leads")])
        for r in out["rows"]
    )
    assert got == sorted(gold), out["answer"]


def test_put_another_source_next_to_it_shows_both_sources(db):
    outs = _chat(
        db,
        "how many leads came from events this year?",
        "what's their conversion rate",
        "put referral next to it",
        "how many leads came from events this year?",
        "what's their conversion rate",
        "compare with referral",
    )
    gold = _gold_pairs(
        db,
        "SELECT source, 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads "
        f"WHERE source IN ('event', 'referral') AND date(created_at) {THIS_YEAR} GROUP BY source",
    )
    for out in (outs[2], outs[5]):
        assert _pairs(out) == gold, out["answer"]


# --------------------------------------------------------------------------------------------- invoices and money


def test_void_invoices_issued_this_year_are_listed_not_refused(db):
    out = _chat(db, "void invoices issued this year w/ company and amount")[-1]
    gold = _rows(db, f"SELECT number FROM invoices WHERE status = 'void' AND date(issue_date) {THIS_YEAR}")
    assert out["kind"] == "list" and sorted(_column(out, "invoice")) == sorted(g[0] for g in gold), out[
        "answer"
    ]
    assert _chat(db, "void all invoices issued this year")[-1]["refused"]


def test_switch_to_another_measure_keeps_the_split(db):
    out = _chat(db, "payments received this month", "by region", "switch to invoiced")[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.region, SUM(i.total) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status IN ('sent', 'paid') AND date(i.issue_date) BETWEEN '2026-11-01' AND '2026-11-19' GROUP BY c.region",
    )
    assert not out["refused"] and _pairs(out) == gold, out["answer"]


def test_cut_it_to_three_keeps_the_top_three(db):
    out = _chat(db, "top 10 accounts by outstanding balance", "cut it to 3")[-1]
    assert len(out["rows"]) == 3 and "outstanding" in out["columns"], out["answer"]


def test_invoices_that_have_gone_overdue_are_the_overdue_ones(db):
    out = _chat(db, "net 30 invoices that have gone overdue. inv#, company, due date")[-1]
    gold = _rows(db, f"SELECT number FROM invoices i WHERE {OVERDUE} AND payment_terms = 'net_30'")
    assert sorted(_column(out, "invoice")) == sorted(g[0] for g in gold), out["answer"]


def test_open_invoices_and_the_total_dollars_is_what_is_still_owed(db):
    out = _chat(db, "how many open invoices are out there and what's the total $")[-1]
    count = _one(db, "SELECT COUNT(*) FROM invoices WHERE status = 'sent'")
    owed = _one(db, f"SELECT ROUND(SUM({OWED}), 2) FROM invoices i WHERE i.status = 'sent'")
    assert out["rows"][0][0] == count and round(out["rows"][0][1], 2) == owed, out["answer"]


def test_dollars_received_by_cheque_is_money_not_a_count(db):
    out = _chat(db, "$ received by cheque last quarter?")[-1]
    gold = _one(
        db, f"SELECT SUM(amount) FROM payments WHERE method = 'check' AND date(paid_at) {LAST_QUARTER}"
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


def test_an_open_balance_over_a_bound_is_what_each_still_owes(db):
    out = _chat(db, "unpaid invoices with an open balance over 50k - number, account, balance")[-1]
    gold = _rows(db, f"SELECT number FROM invoices i WHERE i.status = 'sent' AND {OWED} > 50000")
    assert sorted(_column(out, "invoice")) == sorted(g[0] for g in gold), out["answer"]


def test_days_over_is_the_days_overdue_column(db):
    out = _chat(db, "biggest single overdue invoice? number, account, balance, days over")[-1]
    assert "days overdue" in out["columns"] and len(out["rows"]) == 1, out


def test_every_payment_over_a_bound_with_its_columns_is_listed(db):
    out = _chat(db, "every payment of $100k or more received this year — who paid, amount, date, method")[-1]
    gold = _rows(db, f"SELECT id FROM payments WHERE amount >= 100000 AND date(paid_at) {THIS_YEAR}")
    assert out["kind"] == "list" and sorted(_column(out, "payment")) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_accounts_with_anything_ninety_plus_and_how_much_is_ninety_plus(db):
    out = _chat(db, "EMEA accounts with anything 90+ days past due, and how much is 90+")[-1]
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND julianday('2026-11-19') - julianday(i.due_date) > 90 AND c.region = 'EMEA' GROUP BY c.id",
    )
    assert gold and _pairs(out) == gold, out["answer"]


def test_what_share_of_receivables_is_overdue(db):
    owed = _one(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")
    overdue = _one(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    for question in ("what % of our receivables is overdue?", "what share of outstanding is overdue"):
        out = _chat(db, question)[-1]
        assert round(_column(out, "share")[0], 4) == round(overdue / owed, 4), (question, out["answer"])


def test_how_much_ar_is_more_than_ninety_days_past_due(db):
    out = _chat(db, "how much AR is more than 90 days past due?")[-1]
    gold = _one(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) > 90",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]


# --------------------------------------------------------------------------------------------- accounts


def test_worst_payers_by_payment_score_are_the_lowest(db):
    out = _chat(db, "5 worst payers by payment score")[-1]
    gold = [
        round(g[0], 2)
        for g in _rows(
            db,
            "SELECT ci.payment_score FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
            f"WHERE {CUSTOMER} ORDER BY ci.payment_score ASC LIMIT 5",
        )
    ]
    assert [round(v, 2) for v in _column(out, "payment_score")] == gold, out["answer"]


def test_when_we_think_they_will_go_is_the_predicted_churn_date(db):
    out = _chat(db, "5 EMEA customers most likely to churn + when we think they'll go")[-1]
    assert "predicted_churn_date" in out["columns"] and len(out["rows"]) == 5, out


def test_who_owns_it_is_the_owner_beside_each_account(db):
    out = _chat(
        db,
        "any accounts on my team with a health score below 70? show the score and who owns it",
        asker=MANAGER,
    )[-1]
    gold = _rows(
        db,
        "SELECT c.name, u.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"JOIN users u ON u.id = c.owner_id WHERE {CUSTOMER} AND ci.health_score < 70 AND c.owner_id IN {TEAM}",
    )
    assert gold and sorted(zip(_column(out, "customer"), _column(out, "owner"), strict=True)) == sorted(
        gold
    ), out["answer"]


def test_which_ones_after_a_list_of_my_customers_lists_them(db):
    outs = _chat(
        db,
        "list my customers",
        "which ones have a health score below 80",
        "sort those by LTV, biggest first",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND ci.health_score < 80 AND c.owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    assert gold and sorted(_column(outs[1], "customer")) == sorted(g[0] for g in gold), outs[1]["answer"]
    assert sorted(_column(outs[2], "customer")) == sorted(g[0] for g in gold), outs[2]["answer"]


def test_count_them_by_region_counts_the_accounts(db):
    out = _chat(
        db,
        "list our high churn risk customers",
        "which of those owe us money? with the amount",
        "count them by region",
    )[-1]
    gold = _gold_pairs(
        db,
        "SELECT c.region, COUNT(DISTINCT c.id) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "JOIN customer_insights ci ON ci.company_id = c.id "
        f"WHERE i.status = 'sent' AND {CUSTOMER} AND ci.churn_risk = 'high' GROUP BY c.region",
    )
    assert gold and _pairs(out) == gold, out["answer"]


def test_last_contacted_for_each_of_a_top_five_keeps_accounts_never_contacted(db):
    out = _chat(
        db,
        "how much is overdue by region?",
        "just NA - which 5 accounts owe the most overdue?",
        "when did we last talk to each of them?",
    )[-1]
    assert len(out["rows"]) == 5 and "last contacted" in out["columns"], out


def test_average_health_across_customers_that_have_something_overdue(db):
    out = _chat(db, "avg health score across customers that have something overdue")[-1]
    gold = _one(
        db,
        "SELECT AVG(ci.health_score) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE {CUSTOMER} AND EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = c.id AND {OVERDUE})",
    )
    assert round(_figure(out), 2) == round(gold, 2), out["answer"]
    assert "overdue invoices" in out["interpretation"]


def test_an_account_value_beside_what_each_account_owes(db):
    gold = sorted(
        (g[0], round(g[1], 4), round(g[2], 2))
        for g in _rows(
            db,
            f"SELECT c.name, ci.churn_probability, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
            f"JOIN customer_insights ci ON ci.company_id = c.id WHERE {OVERDUE} AND {CUSTOMER} AND ci.churn_risk = 'high' "
            "GROUP BY c.id",
        )
    )
    for question in (
        "high churn risk custs that also have overdue invoices — churn prob, overdue amt",
        "high churn risk customers with overdue invoices: churn probability and overdue amount",
    ):
        out = _chat(db, question)[-1]
        got = sorted(
            (
                r[0],
                round(r[out["columns"].index("churn_probability")], 4),
                round(r[out["columns"].index("overdue_amount")], 2),
            )
            for r in out["rows"]
        )
        assert gold and got == gold, (question, out["answer"])


def test_a_bound_on_the_figure_stays_with_the_figure_beside_an_account_value(db):
    out = _chat(db, "high churn risk customers with overdue over 5k: churn probability and overdue amount")[
        -1
    ]
    gold = _rows(
        db,
        f"SELECT c.name, ci.churn_probability FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"JOIN customer_insights ci ON ci.company_id = c.id WHERE {OVERDUE} AND {CUSTOMER} AND ci.churn_risk = 'high' "
        f"GROUP BY c.id HAVING SUM({OWED}) > 5000",
    )
    got = sorted((r[0], round(r[out["columns"].index("churn_probability")], 4)) for r in out["rows"])
    assert gold and got == sorted((g[0], round(g[1], 4)) for g in gold), out["answer"]
