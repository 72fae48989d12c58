"""Ways of asking learnt from the blind round of holdouts 97-99 (a VP of sales and her managers preparing a month-end
review, SDRs and a marketing manager working the lead queue, a finance business partner and an account manager at the
end of October), each checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday
2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OPEN_STAGES, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "d.stage = 'closed_won'"
OPEN = f"d.{OPEN_STAGES}"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_what_an_account_paid_so_far_is_its_payments(db):
    first, again = _chat(db, "how much has Harborview Labs paid so far this year", "what about last year")
    for out, span in ((first, ("2026-01-01", "2026-11-19")), (again, ("2025-01-01", "2025-12-31"))):
        gold = _rows(
            db,
            f"SELECT SUM(amount) FROM payments WHERE company_id = {ACCOUNT.format('Harborview Labs')} AND "
            f"date(paid_at) BETWEEN '{span[0]}' AND '{span[1]}'",
        )
        assert _figure(out) == pytest.approx(gold[0][0])


def test_a_remark_naming_one_account_says_whose_the_question_is(db):
    first, deals = _chat(
        db,
        "renewal call w/ Harborview Labs soon - any tickets from this year?",
        "what open deals do we have with them",
    )
    gold = _rows(
        db,
        f"SELECT id FROM support_tickets WHERE company_id = {ACCOUNT.format('Harborview Labs')} AND "
        "date(created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert sorted(r[0] for r in first["rows"]) == sorted(g[0] for g in gold)
    gold = _rows(
        db, f"SELECT d.name FROM deals d WHERE {OPEN} AND d.company_id = {ACCOUNT.format('Harborview Labs')}"
    )
    assert sorted(r[0] for r in deals["rows"]) == sorted(g[0] for g in gold)


def test_an_average_named_over_an_accounts_tickets_is_the_figure(db):
    (out,) = _chat(db, "Axion Financial - csat on their tickets this year?")
    gold = _rows(
        db,
        f"SELECT AVG(satisfaction) FROM support_tickets WHERE company_id = {ACCOUNT.format('Axion Financial')} AND "
        "date(created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=1e-3)


def test_a_total_across_them_or_every_account_is_one_figure(db):
    (out,) = _chat(db, "total AR open across every account rn?")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")
    assert _figure(out) == pytest.approx(gold[0][0])
    _, out = _chat(db, "which of my accounts have overdue invoices", "total overdue across them?", asker=REP)
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' AND "
        f"i.due_date < '2026-11-19' AND c.owner_id = {ME}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_leads_in_new_of_a_rep_keep_the_status_and_a_place_is_never_dropped(db):
    (out,) = _chat(db, "how many leads in new does Wei Andersson have")
    gold = _rows(db, f"SELECT COUNT(*) FROM leads WHERE status = 'new' AND owner_id = {ME}")
    assert _figure(out) == gold[0][0]
    (out,) = _chat(db, "deals won in new york")
    assert out["kind"] in ("clarification", "refusal") and not out["rows"]


def test_month_to_date_for_the_month_is_one_period_and_the_same_window_needs_one(db):
    (out,) = _chat(db, "Need total cash collected month-to-date for November, one number please.")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    (out,) = _chat(db, "and what we billed over the same window (sent + paid invoices only)")
    assert out["kind"] == "clarification" and not out["rows"]


def test_a_comparisons_columns_named_with_the_months(db):
    (out,) = _chat(
        db,
        "Payments received by method, October vs September: method, Oct total, Sept total, change in $ and %.",
    )
    gold = _rows(
        db,
        "SELECT method, SUM(CASE WHEN date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31' THEN amount ELSE 0 END), "
        "SUM(CASE WHEN date(paid_at) BETWEEN '2026-09-01' AND '2026-09-30' THEN amount ELSE 0 END) FROM payments "
        "GROUP BY method",
    )
    got = sorted((r[0], round(r[1], 2), round(r[2], 2)) for r in out["rows"])
    assert got == sorted((g[0], round(g[1], 2), round(g[2], 2)) for g in gold)


def test_payment_history_lists_the_payments(db):
    (out,) = _chat(
        db,
        "Payment history for Harborview Labs year to date. I need payment date, invoice number, method and amount, "
        "one row per payment.",
    )
    gold = _rows(
        db,
        f"SELECT id FROM payments WHERE company_id = {ACCOUNT.format('Harborview Labs')} AND date(paid_at) BETWEEN "
        "'2026-01-01' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_change_to_the_invoices_of_a_dotted_name_is_refused(db):
    (out,) = _chat(db, "change the payment terms on every Stratus Plastics S.r.l. invoice to net_60")
    assert out["kind"] == "refusal" and out["refused"] and not out["rows"]


def test_higher_in_one_region_or_another_is_a_row_each(db):
    (out,) = _chat(db, "are bookings higher in EMEA or NA")
    gold = _gold_pairs(
        db,
        f"SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE {WON} AND "
        "c.region IN ('EMEA', 'NA') GROUP BY c.region",
    )
    assert _pairs(out) == gold


@pytest.mark.parametrize(
    "question",
    [
        "is LTV a forecast or actual money in",
        "what does 'overdue amount' actually include, the whole invoice?",
        "wht does LTV mean in here",
        "avg deal size - is that all deals or only the won ones",
    ],
)
def test_more_ways_of_asking_what_a_word_means(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and not out["rows"], out["answer"]


def test_is_that_money_received_after_a_figure_explains_the_figure(db):
    _, out = _chat(db, "cash collected YTD?", "is that money actually received or what we billed?")
    assert out["kind"] == "explanation" and "payment" in out["answer"].lower()


def test_losses_in_brackets_and_churned_logos(db):
    _, out = _chat(db, "how many new customers did we land in oct", "and how many did we lose (churn)")
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(out) == gold[0][0]
    (out,) = _chat(db, "churn last quarter vs the one before - how many logos")
    count = "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '{}' AND '{}'"
    gold = [
        _rows(db, count.format(*span))[0][0]
        for span in (("2026-07-01", "2026-09-30"), ("2026-04-01", "2026-06-30"))
    ]
    assert out["rows"][0][:2] == gold


def test_records_described_by_a_clause_are_listed(db):
    (out,) = _chat(db, "high + urgent tickets that came in this week")
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE priority IN ('high', 'urgent') AND date(created_at) BETWEEN "
        "'2026-11-16' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_an_account_named_before_a_dash_is_who_they_are(db):
    (out,) = _chat(db, "Larkspur School - what do they owe us in total")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND i.company_id = "
        f"{ACCOUNT.format('Larkspur School')}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_list_them_again_and_amounts_beside_a_count(db):
    first, again = _chat(db, "what's in my pipe for december", "list em", asker=REP)
    assert again["kind"] == "list" and again["rows"] == first["rows"] and first["rows"]
    _, out = _chat(db, "how many open opps does my team have", "by stage w/ amounts", asker=MANAGER)
    gold = _rows(
        db,
        f"SELECT d.stage, COUNT(*), SUM(d.amount) FROM deals d WHERE {OPEN} AND d.owner_id IN {TEAM} GROUP BY d.stage",
    )
    got = sorted((r[0], r[1], round(r[2], 2)) for r in out["rows"])
    assert got == sorted((g[0], g[1], round(g[2], 2)) for g in gold)


def test_any_of_my_accounts_with_overdue_invoices_and_how_much(db):
    (out,) = _chat(db, "any of my accts got overdue invoices? how much", asker=REP)
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        f"AND i.due_date < '2026-11-19' AND c.owner_id = {ME} GROUP BY c.id",
    )
    assert _pairs(out) == gold


def test_the_biggest_overdue_invoices_rank_by_what_is_owed(db):
    # (this demo has no part-paid overdue invoice, so total and balance rank alike here; holdout 97's database has
    # them, and its conversation set checks the difference)
    (out,) = _chat(db, "10 biggest overdue invoices")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE i.status = 'sent' AND i.due_date < '2026-11-19' ORDER BY {OWED} DESC "
        "LIMIT 10",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_splitting_a_list_counts_it_and_the_aging_after_dso(db):
    _, out = _chat(db, "which customers churned in october", "split those by region")
    gold = _gold_pairs(
        db,
        "SELECT region, COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY "
        "region",
    )
    assert _pairs(out) == gold
    _, aging, _, whole = _chat(
        db,
        "whats DSO looking like",
        "give me the aging too",
        "biggest 10 accounts in the 90+ bucket",
        "and the whole 90+ bucket adds up to?",
    )
    assert aging["columns"][0] == "aging_bucket" and "dso" not in aging["columns"]
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) > 90",
    )
    assert _figure(whole) == pytest.approx(gold[0][0])


def test_which_deals_are_over_an_amount_after_a_split_by_stage(db):
    *_, out = _chat(
        db,
        "open pipeline w/ expected close in december",
        "by stage",
        "only negotiation - which deals are over 50k",
    )
    gold = _rows(
        db,
        "SELECT d.name FROM deals d WHERE d.stage = 'negotiation' AND d.amount > 50000 AND date(d.expected_close_date) "
        "BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_compare_the_two_by_rep(db):
    *_, out = _chat(
        db, "my team's bookings this qtr", "and last qtr?", "compare the two by rep", asker=MANAGER
    )
    gold = _rows(
        db,
        "SELECT u.name, SUM(CASE WHEN date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' THEN d.amount ELSE 0 END), "
        "SUM(CASE WHEN date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' THEN d.amount ELSE 0 END) FROM deals d "
        f"JOIN users u ON u.id = d.owner_id WHERE {WON} AND d.owner_id IN {TEAM} GROUP BY u.name",
    )
    got = sorted((r[0], round(r[1], 2), round(r[2], 2)) for r in out["rows"])
    assert got == sorted((g[0], round(g[1], 2), round(g[2], 2)) for g in gold if g[1] or g[2])


def test_what_someone_has_got_closing_and_deals_we_could_use(db):
    (out,) = _chat(db, "what's Wei Andersson got closing in december")
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d WHERE {OPEN} AND d.owner_id = {ME} AND date(d.expected_close_date) BETWEEN "
        "'2026-12-01' AND '2026-12-31'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
    _, out = _chat(
        db, "what's the churn risk on Axion Financial", "any open deals with them we could use to save it?"
    )
    gold = _rows(
        db, f"SELECT d.name FROM deals d WHERE {OPEN} AND d.company_id = {ACCOUNT.format('Axion Financial')}"
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_persons_lead_score_then_she(scored):
    card, why, more = _chat(
        scored,
        "whats Deepa Brown's lead score",
        "why's she scored so high?",
        "what's her title, company size and where'd she come from",
    )
    gold = _rows(
        scored,
        "SELECT score, title, employee_count, source FROM leads WHERE first_name = 'Deepa' AND "
        "last_name = 'Brown'",
    )[0]
    assert card["kind"] == "card" and card["rows"][0][card["columns"].index("score")] == gold[0]
    assert why["kind"] == "explanation"
    row = dict(zip(more["columns"], more["rows"][0], strict=True))
    assert (row["title"], row["employees"], row["source"]) == gold[1:]


def test_what_came_in_by_payment_method_is_the_cash(db):
    (out,) = _chat(db, "what came in last month, by payment method")
    gold = _gold_pairs(
        db,
        "SELECT method, SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY method",
    )
    assert _pairs(out) == gold


def test_leads_over_a_score_and_leads_described_after_a_period(scored):
    (out,) = _chat(scored, "qualified leads scoring above 60?")
    gold = _rows(scored, "SELECT id FROM leads WHERE status = 'qualified' AND score > 60")
    assert out["kind"] == "list" and len(out["rows"]) == len(gold) and gold
    (out,) = _chat(scored, "event leads from this quarter that got DQ'd")
    gold = _rows(
        scored,
        "SELECT email FROM leads WHERE source = 'event' AND status = 'disqualified' AND date(created_at) BETWEEN "
        "'2026-10-01' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and sorted(r[1] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_an_accounts_payment_terms_and_another_accounts(db):
    first, second = _chat(db, "what payment terms is Harborview Labs on?", "and Larkspur School?")
    for out, name in ((first, "Harborview Labs"), (second, "Larkspur School")):
        gold = _rows(
            db, f"SELECT DISTINCT payment_terms FROM invoices WHERE company_id = {ACCOUNT.format(name)}"
        )
        assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_qualified_but_not_converted_is_the_qualified_ones(scored):
    (out,) = _chat(scored, "which of my leads are qualified but not converted yet", asker=REP)
    gold = _rows(scored, f"SELECT id FROM leads WHERE status = 'qualified' AND owner_id = {ME}")
    assert out["kind"] == "list" and len(out["rows"]) == len(gold) and gold
