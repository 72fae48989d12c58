"""Ways of asking learnt from the blind rounds of holdouts 160 onwards (a manager's one-to-ones before the quarter
closes, marketing and a controller after the half-year close, account reviews and a CFO correcting herself), each
checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same
path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, ME, OPEN_STAGES, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
Q3 = "BETWEEN '2026-07-01' AND '2026-09-30'"
H1 = "BETWEEN '2026-01-01' AND '2026-06-30'"
THIS_QUARTER = "BETWEEN '2026-10-01' AND '2026-11-19'"
THIS_YEAR = "BETWEEN '2026-01-01' AND '2026-11-19'"
NOT_CHURNED = "c.lifecycle_stage <> 'churned'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# ------------------------------------------------------------------------------------ leaving the churned ones out


def test_drop_the_churned_ones_after_a_ranking_keeps_the_ranking_without_them(db):
    *_, out = _chat(db, "top 10 accounts by overdue balance", "hmm drop the churned ones")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) AS owed FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        f"AND {NOT_CHURNED} GROUP BY c.id ORDER BY owed DESC LIMIT 10",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_drop_the_churned_accounts_from_that_is_no_write_and_no_sql(db):
    *_, out = _chat(db, "outstanding receivables by region", "drop the churned accounts from that")
    gold = _gold_pairs(
        db,
        f"SELECT c.region, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE i.status = 'sent' AND {NOT_CHURNED} GROUP BY c.region",
    )
    assert not out["refused"] and _pairs(out) == gold


def test_only_accounts_still_with_us_after_a_total_is_one_figure_without_the_churned(db):
    *_, out = _chat(
        db, "total receivables as of today?", "drop the churned ones - only accounts that are still with us"
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        f"AND {NOT_CHURNED}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_excluding_churned_accounts_in_the_question_itself(db):
    (out,) = _chat(db, "outstanding by region excluding churned accounts")
    gold = _gold_pairs(
        db,
        f"SELECT c.region, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE i.status = 'sent' AND {NOT_CHURNED} GROUP BY c.region",
    )
    assert _pairs(out) == gold


def test_a_record_dropped_by_command_is_still_refused(db):
    for question in ("please drop that deal", "drop table deals", "remove Atlas Fabrication's contacts"):
        (out,) = _chat(db, question)
        assert out["refused"], question


# --------------------------------------------------------------------------------- bounds said as what goes


def test_leave_out_anyone_under_keeps_those_at_or_above(db):
    *_, out = _chat(db, "bookings by rep in q3", "leave out anyone under 400k")
    gold = _gold_pairs(
        db,
        f"SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{WON} AND "
        f"date(d.closed_at) {Q3} GROUP BY u.name HAVING SUM(d.amount) >= 400000",
    )
    assert _pairs(out) == gold and len(gold) >= 2


def test_invoices_over_an_amount_that_are_still_unpaid_are_bounded_on_their_total(db):
    # (two november invoices are over 3k but partly paid, with less than 3k left: still invoices over 3k)
    (out,) = _chat(db, "which november invoices over 3k are still unpaid? number, customer, balance left")
    gold = _rows(
        db,
        "SELECT number FROM invoices WHERE status = 'sent' AND total > 3000 AND date(issue_date) BETWEEN "
        "'2026-11-01' AND '2026-11-19'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


# ------------------------------------------------------------------------------------- measures side by side


def test_a_count_first_among_three_measures_is_kept(db):
    (out,) = _chat(db, "ticket count, avg CSAT and avg resolution time by priority this year")
    gold = _rows(
        db,
        f"SELECT priority, COUNT(*), AVG(satisfaction) FROM support_tickets WHERE date(created_at) {THIS_YEAR} "
        "GROUP BY priority",
    )
    assert len(out["columns"]) == 4
    shown = {r[0]: r for r in out["rows"]}
    for priority, count, csat in gold:
        assert count in shown[priority] and any(
            v == pytest.approx(csat, abs=1e-3) for v in shown[priority][1:]
        )


def test_which_reps_have_the_most_outstanding_on_their_accounts_is_by_rep_only(db):
    (out,) = _chat(db, "which 3 reps have the most outstanding on their accounts")
    gold = _rows(
        db,
        f"SELECT u.name FROM invoices i JOIN companies c ON c.id = i.company_id JOIN users u ON u.id = c.owner_id "
        f"WHERE i.status = 'sent' GROUP BY u.id ORDER BY SUM({OWED}) DESC LIMIT 3",
    )
    assert len(out["columns"]) == 2 and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_which_deals_and_what_were_the_reasons_lists_each_lost_deal_with_its_reason(db):
    (out,) = _chat(db, "which deals did i lose this quarter and what were the reasons", asker=REP)
    gold = _rows(
        db,
        f"SELECT name, lost_reason FROM deals WHERE stage = 'closed_lost' AND owner_id = {ME} AND "
        f"date(closed_at) {THIS_QUARTER}",
    )
    assert out["kind"] == "list" and "lost reason" in out["columns"]
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


# ----------------------------------------------------------------------------------------------- account cards


def test_the_probability_and_when_theyd_walk_after_a_card_is_that_card(db):
    first, out = _chat(
        db,
        "churn risk on Paragon Analytics?",
        "whats the actual probability, and when do we think they'd walk",
    )
    assert first["kind"] == out["kind"] == "card"
    assert out["rows"][0][0] == "Paragon Analytics"
    assert "churn_probability" in out["columns"] and "predicted_churn_date" in out["columns"]


def test_a_remark_after_an_account_question_leaves_it_a_card(db):
    (out,) = _chat(db, "when is Paragon Analytics predicted to churn? they have gone quiet on me")
    gold = _rows(
        db,
        "SELECT predicted_churn_date FROM customer_insights WHERE company_id = "
        + ACCOUNT.format("Paragon Analytics"),
    )
    assert out["kind"] == "card" and gold[0][0] in [str(v) for v in out["rows"][0]]


# --------------------------------------------------------------------------------------------- follow-ups


def test_a_window_ahead_replaces_already_past_on_the_same_date(db):
    *_, out = _chat(
        db,
        "have i got any open deals that already blew past their expected close date?",
        "ok and which ones are expected to close between today and december 31",
        asker=REP,
    )
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE {OPEN_STAGES} AND owner_id = {ME} AND expected_close_date BETWEEN "
        "'2026-11-19' AND '2026-12-31'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold) and gold


def test_which_three_are_the_least_healthy_after_my_count_ranks_my_accounts(db):
    *_, out = _chat(db, "how many customer accounts do i have", "which 3 are the least healthy?", asker=REP)
    gold = _rows(
        db,
        f"SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        f"c.lifecycle_stage = 'customer' AND c.owner_id = {ME} ORDER BY ci.health_score LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_how_many_in_total_with_its_own_owner_drops_the_bound_before(db):
    *_, out = _chat(
        db, "my open leads scoring 50 or more?", "how many open leads do i have in total", asker=REP
    )
    gold = _rows(
        db, f"SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND owner_id = {ME}"
    )
    assert _figure(out) == gold[0][0]


def test_how_much_of_that_is_overdue_keeps_the_invoices_issued_in_the_period(db):
    *_, out = _chat(
        db, "how much is still owed on invoices we issued in H1?", "how much of that is already overdue"
    )
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE} AND date(i.issue_date) {H1}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_the_same_split_asked_anew_keeps_the_period(db):
    *_, out = _chat(db, "win rate by region in q3", "how many deals did we lose per region")
    gold = _gold_pairs(
        db,
        f"SELECT c.region, COUNT(*) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_lost' "
        f"AND date(d.closed_at) {Q3} GROUP BY c.region",
    )
    assert _pairs(out) == gold


# ---------------------------------------------------------------------------------------------- words


def test_a_corrected_period_replaces_it_on_both_sides(db):
    (out,) = _chat(db, "avg deal size in q1 vs q1 last year - sorry, I meant q2, not q1")
    now, before = (
        _rows(db, f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '{a}' AND '{b}'")[
            0
        ][0]
        for a, b in (("2026-04-01", "2026-06-30"), ("2025-04-01", "2025-06-30"))
    )
    assert out["rows"][0][:2] == [pytest.approx(now), pytest.approx(before)]


def test_leads_that_came_in_to_me_are_mine(db):
    (out,) = _chat(db, "how many leads came in to me in H1?", asker=REP)
    gold = _rows(db, f"SELECT COUNT(*) FROM leads WHERE owner_id = {ME} AND date(created_at) {H1}")
    assert _figure(out) == gold[0][0]


def test_a_split_with_the_other_named_as_not_meant(db):
    (out,) = _chat(db, "leads that came in over the last 30 days, split by region (not source)")
    gold = _gold_pairs(
        db,
        "SELECT region, COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2026-10-21' AND '2026-11-19' GROUP BY region",
    )
    assert _pairs(out) == gold


def test_a_heading_of_a_cash_chase_is_no_measure(db):
    (out,) = _chat(
        db, "quarter end cash chase: how much of what's outstanding falls due between 23 and 30 november?"
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND i.due_date BETWEEN '2026-11-23' AND '2026-11-30'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_what_competitors_offer_or_customers_pay_others_is_refused(db):
    for question in (
        "what discount is our competitor offering Atlas Fabrication on their renewal?",
        "what is Atlas Fabrication paying their other software vendors?",
    ):
        (out,) = _chat(db, question)
        assert out["refused"] and not out["rows"], question


def test_a_legal_form_in_letters_picks_its_account():
    from bot.clarify import pick_choice

    choices = ["New Lake Digital S.r.l.", "New Lake Digital Inc."]
    assert pick_choice("the srl one", choices) == choices[0]
    assert pick_choice("the inc one", choices) == choices[1]
