"""Ways of asking learnt from this stop's blind round (holdouts 64-66: a rev-ops lead and managers at a quarter end in
shorthand, a CFO and finance analyst closing the books in January, customer-success managers and field reps typing on
phones), each checked against SQL written here by hand on the refreshed demo (SQLite, today 2026-11-19), through the
same path as `crmbot chat --json`.

Wrong before: a count asked beside a measure was dropped ("open pipe by stage - $ and deal count", "win rate, with the
won and lost counts next to it", "# of paid ads leads, and how many of them converted" gave the converted alone); a
bar on each lead was dropped when the list was sorted; "my leads still in 'new' that I haven't worked" lost the status;
"Q3 closed-lost by reason" counted deals by their creation date; "which reps on my team have qualified leads, how many
each" gave one total; "the customer accounts he owns" listed everyone's; "what's the open balance on it" after a
proposed change gave the company's total; "do you take the full invoice total or net of partial payments?" listed
invoices.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, OWED, REP
from tests.conversation_helpers import OPEN_STAGES as OPEN
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def _columns(out: dict) -> list[list]:
    """The answer's columns, each as a sorted list of its values (rounded), to compare with a gold's."""
    return [
        sorted(round(float(v), 2) if isinstance(v, (int, float)) else str(v) for v in col)
        for col in zip(*out["rows"], strict=True)
    ]


def _gold_columns(db, sql: str) -> list[list]:
    gold = _rows(db, sql)
    return [
        sorted(round(float(v), 2) if isinstance(v, (int, float)) else str(v) for v in col)
        for col in zip(*gold, strict=True)
    ]


def test_counts_asked_beside_a_measure_are_columns(db):
    (by_method,) = _chat(
        db, "payments received this quarter broken out by method: method, # payments, total $"
    )
    gold = _gold_columns(
        db,
        "SELECT method, COUNT(*), SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-11-19' "
        "GROUP BY method",
    )
    assert all(col in _columns(by_method) for col in gold), by_method
    (pipe,) = _chat(db, "open pipe by stage - $ and deal count pls")
    gold = _gold_columns(db, f"SELECT stage, SUM(amount), COUNT(*) FROM deals WHERE {OPEN} GROUP BY stage")
    assert all(col in _columns(pipe) for col in gold), pipe
    (rate,) = _chat(db, "win rate this year? also give me the won and lost counts next to it")
    (won, lost) = _rows(
        db,
        "SELECT SUM(stage = 'closed_won'), SUM(stage = 'closed_lost') FROM deals WHERE "
        "date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )[0]
    assert rate["rows"][0][1:] == [won, lost] and rate["rows"][0][0] == pytest.approx(
        won / (won + lost), abs=1e-4
    )


def test_two_counts_of_the_same_records_side_by_side(db):
    (both,) = _chat(db, "# of referral leads created this year, and how many of them have converted so far")
    gold = _rows(
        db,
        "SELECT COUNT(*), SUM(status = 'converted') FROM leads WHERE source = 'referral' "
        "AND date(created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert both["rows"] == [list(gold[0])]
    (tickets,) = _chat(db, "tix in the last 7 days and whats the csat on them")
    gold = _rows(
        db,
        "SELECT COUNT(*), AVG(satisfaction) FROM support_tickets WHERE date(created_at) BETWEEN '2026-11-13' AND '2026-11-19'",
    )[0]
    assert tickets["rows"][0] == pytest.approx(list(gold), abs=1e-3)
    (risk,) = _chat(db, "customer count by churn risk level, and total LTV in each")
    gold = _gold_columns(
        db,
        "SELECT ci.churn_risk, COUNT(*), SUM(ci.ltv) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' GROUP BY ci.churn_risk",
    )
    assert all(col in _columns(risk) for col in gold), risk


def test_a_measure_named_after_the_ranking_is_a_column_beside_it(db):
    (top,) = _chat(db, "top 5 EMEA customers by LTV + their health scores")
    gold = _rows(
        db,
        "SELECT c.name, ci.ltv, ci.health_score FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND c.region = 'EMEA' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in top["rows"]] == [g[0] for g in gold]
    assert [r[2] for r in top["rows"]] == pytest.approx([g[2] for g in gold])
    (likely,) = _chat(db, "customers most likely to churn")
    gold = _rows(
        db,
        "SELECT ci.churn_probability FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.churn_probability DESC LIMIT 3",
    )
    assert [r[-1] for r in likely["rows"][:3]] == pytest.approx([g[0] for g in gold])


def test_how_a_measure_is_counted_is_explained_not_computed(db):
    for question in (
        "for pipe do you count closed deals too or only open ones?",
        "for the overdue amount, do you take the full invoice total or net of partial payments?",
        "lead conversion rate = converted out of what exactly",
    ):
        (out,) = _chat(db, question)
        assert out["kind"] == "explanation" and not out["rows"], (question, out)


def test_a_status_named_and_one_excluded_keep_both(db):
    (new,) = _chat(db, "my leads still in 'new' that i havent worked yet", asker=REP)
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM leads WHERE status = 'new' AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )[0][0]
    assert gold and (len(new["rows"]) == gold if new["kind"] == "list" else _figure(new) == gold), new
    (probable,) = _chat(db, "customers w churn probability over 60%, highest first")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.churn_probability > 0.6 ORDER BY ci.churn_probability DESC",
    )
    assert gold and [r[0] for r in probable["rows"]] == [g[0] for g in gold]  # the bar kept with the order


def test_which_reps_on_my_team_is_a_row_per_rep(db):
    (each,) = _chat(db, "which reps on my team have qualified leads rn, how many each", asker=MANAGER)
    gold = _gold_pairs(
        db,
        "SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status = 'qualified' "
        f"AND u.team = (SELECT team FROM users WHERE email = '{MANAGER}') GROUP BY u.name",
    )
    assert _pairs(each) == gold


def test_greetings_in_other_languages_carry_no_meaning(db):
    (out,) = _chat(
        db, "Hola, por favor can you give me the leads created last quarter, separated by status? Gracias"
    )
    gold = _gold_pairs(
        db,
        "SELECT status, COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY status",
    )
    assert _pairs(out) == gold


def test_it_is_the_invoice_just_shown_or_proposed_on(db):
    number = _rows(
        db,
        "SELECT i.number FROM invoices i WHERE i.status = 'sent' AND EXISTS (SELECT 1 FROM payments p "
        "WHERE p.invoice_id = i.id) ORDER BY i.number LIMIT 1",
    )[0][0]
    customer, due, owed = _rows(
        db,
        f"SELECT c.name, i.due_date, {OWED} FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE i.number = '{number}'",
    )[0]
    _, who = _chat(db, f"has {number} been paid? how much left on it", "who's the customer and when's it due")
    row = dict(zip(who["columns"], who["rows"][0], strict=True))
    assert len(who["rows"]) == 1 and row["customer"] == customer and row["due"] == str(due)
    proposed, balance = _chat(
        db,
        f"mark {number} as paid, they wired the rest this morning",
        "fine. what's the open balance on it then",
    )
    assert proposed["kind"] == "confirm" and not proposed["rows"]
    row = dict(zip(balance["columns"], balance["rows"][0], strict=True))
    assert len(balance["rows"]) == 1 and row["balance"] == pytest.approx(owed, abs=0.01)
    assert _rows(db, f"SELECT status FROM invoices WHERE number = '{number}'")[0][0] == "sent"


def test_invoiced_and_what_they_actually_paid(db):
    name = _rows(
        db, "SELECT c.name FROM companies c JOIN payments p ON p.company_id = c.id GROUP BY c.id LIMIT 1"
    )[0][0]
    (both,) = _chat(db, f"how much have we invoiced {name} this yr and how much have they actually paid")
    gold = _rows(
        db,
        "SELECT (SELECT SUM(i.total) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = "
        f"'{name}' AND i.status IN ('sent', 'paid') AND date(i.issue_date) BETWEEN '2026-01-01' AND '2026-11-19'), "
        f"(SELECT SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.name = '{name}' "
        "AND date(p.paid_at) BETWEEN '2026-01-01' AND '2026-11-19')",
    )[0]
    assert both["rows"][0] == pytest.approx([g or 0 for g in gold], abs=0.01)
    (paid,) = _chat(db, "how many invoices have been paid this month")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices WHERE status = 'paid' AND issue_date BETWEEN '2026-11-01' AND '2026-11-19'",
    )[0][0]
    assert _figure(paid) == gold


def test_a_value_that_is_a_measure_and_the_date_it_is_placed_by(db):
    (lost,) = _chat(db, "Q3 closed-lost by reason, count and $ value")
    gold = _gold_columns(
        db,
        "SELECT lost_reason, COUNT(*), SUM(amount) FROM deals WHERE stage = 'closed_lost' "
        "AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY lost_reason",
    )
    assert all(col in _columns(lost) for col in gold), lost
    (converted,) = _chat(
        db,
        "how many leads actually converted during Q3? going by conversion date, not when they were created",
    )
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE status = 'converted' AND date(converted_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0][0]
    assert _figure(converted) == gold
    _, _, rate = _chat(db, "leads by region QTD", "how many of those converted", "as a rate pls")
    gold = _gold_pairs(
        db,
        "SELECT region, 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads "
        "WHERE date(created_at) BETWEEN '2026-10-01' AND '2026-11-19' GROUP BY region",
    )
    assert rate["columns"][-1] == "lead_conversion_rate" and _pairs(rate) == gold


def test_deal_lists_in_sales_shorthand(db):
    (wins,) = _chat(db, "10 biggest wins of Q3 + who owned them")
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' ORDER BY d.amount DESC LIMIT 10",
    )
    assert [(r[0], r[wins["columns"].index("rep")]) for r in wins["rows"]] == [tuple(g) for g in gold]
    (slipped,) = _chat(db, "negotiation-stage deals that have already blown through their close date?")
    gold = _rows(
        db, "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation' AND expected_close_date < '2026-11-19'"
    )[0][0]
    assert slipped["kind"] == "list" and len(slipped["rows"]) == gold
    (forecast,) = _chat(
        db, "open deals >50k w/ expected close in Q1 next year - need these for the forecast call"
    )
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {OPEN} AND amount > 50000 "
        "AND expected_close_date BETWEEN '2027-01-01' AND '2027-03-31'",
    )[0][0]
    assert forecast["kind"] == "list" and len(forecast["rows"]) == gold


def test_bars_and_periods_said_the_way_people_say_them(db):
    (since,) = _chat(db, "how many deals have I lost since the start of the year?", asker=REP)
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage = 'closed_lost' AND date(closed_at) BETWEEN '2026-01-01' AND "
        f"'2026-11-19' AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )[0][0]
    assert _figure(since) == gold
    (worst,) = _chat(db, "of the customers with more than 100k LTV, which 5 have the worst health scores?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.ltv > 100000 ORDER BY ci.health_score, c.id LIMIT 5",
    )
    assert [r[0] for r in worst["rows"]] == [g[0] for g in gold]
    (aging,) = _chat(db, "AR aging as of today please - number of invoices and amount in each bucket")
    gold = _rows(
        db,
        f"SELECT COUNT(*), ROUND(SUM({OWED}), 2) FROM invoices i WHERE i.status = 'sent'",
    )[0]
    assert [sum(r[1] for r in aging["rows"]), round(sum(r[2] for r in aging["rows"]), 2)] == pytest.approx(
        list(gold)
    )
    (going,) = _chat(db, "# of high churn-risk customers by region going into Q1")
    gold = _gold_pairs(
        db,
        "SELECT c.region, COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' GROUP BY c.region",
    )
    assert _pairs(going) == gold
    (quiet,) = _chat(db, "high-risk customers nobody's touched in 30+ days?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        "'customer' AND ci.churn_risk = 'high' AND COALESCE((SELECT date(MAX(a.occurred_at)) FROM activities a "
        "WHERE a.company_id = c.id), '1900-01-01') < '2026-10-20'",
    )[0][0]
    assert quiet["kind"] == "list" and len(quiet["rows"]) == gold
    (dq,) = _chat(db, "of the leads that came in this quarter how many have been DQ'd already")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE status = 'disqualified' AND date(created_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )[0][0]
    assert _figure(dq) == gold


def test_he_is_the_person_named_or_asked_about(db):
    name = _rows(db, f"SELECT name FROM users WHERE email = '{REP}'")[0][0]
    refused, listed = _chat(
        db,
        f"{name} is leaving - reassign all his accounts to Omar Moreau",
        "ok fine, then just list the customer accounts he owns",
    )
    assert refused["refused"]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM companies WHERE lifecycle_stage = 'customer' AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )[0][0]
    assert listed["kind"] == "list" and len(listed["rows"]) == gold
    (nobody,) = _chat(db, "list the customer accounts he owns")
    assert nobody["refused"] and not nobody["rows"]


def test_a_full_name_after_a_question_back_replaces_the_short_one():
    from bot.clarify import _named_in_full

    assert _named_in_full("how did Kwame do this quarter?", "Kwame Santos - bookings", "bookings") == (
        "how did Kwame Santos do this quarter?"
    )
    assert (
        _named_in_full("how did EMEA do in march", "bookings in emea", "bookings")
        == "how did EMEA do in march"
    )
    assert _named_in_full("what did Rafael bring in last quarter?", "Becker. bookings", "bookings") == (
        "what did Rafael Becker bring in last quarter?"
    )
    assert (
        _named_in_full("how did EMEA do in March", "Bookings Please", "bookings")
        == "how did EMEA do in March"
    )


def test_an_account_card_says_what_the_account_owes_and_why_it_is_low(db):
    name = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE ci.churn_risk = 'high' "
        "AND EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = c.id AND i.status = 'sent') ORDER BY c.name LIMIT 1",
    )[0][0]
    card, why = _chat(
        db,
        f"is {name} at risk? and do they owe us anything",
        "why so low?? is it engagement payment or support thats dragging it",
    )
    owed = _rows(
        db,
        f"SELECT ROUND(SUM({OWED}), 2) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE c.name = '{name}' AND i.status = 'sent'",
    )[0][0]
    assert card["kind"] == "card" and card["rows"][0][card["columns"].index("outstanding")] == pytest.approx(
        owed
    )
    assert why["kind"] == "card" and why["rows"][0][0] == name


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


def test_a_bar_on_each_lead_is_kept_when_the_list_is_sorted(scored):
    (out,) = _chat(scored, "open leads w conversion probability over 30%, highest first")
    gold = _rows(
        scored,
        "SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND conversion_probability > 0.3",
    )[0][0]
    probabilities = [r[out["columns"].index("conversion probability")] for r in out["rows"]]
    assert gold and len(out["rows"]) == gold and probabilities == sorted(probabilities, reverse=True)


def test_a_predicted_churn_date_is_each_accounts_column(db):
    (ranked,) = _chat(db, "top 10 accounts by churn probability, with their predicted churn date")
    gold = _rows(
        db,
        "SELECT c.name, ci.predicted_churn_date FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.churn_probability DESC LIMIT 10",
    )
    assert [(r[0], r[-1]) for r in ranked["rows"]] == [(g[0], g[1]) for g in gold]
    (listed,) = _chat(db, "list the high risk customers in EMEA with their predicted churn date")
    gold = _rows(
        db,
        "SELECT c.name, ci.predicted_churn_date FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND c.region = 'EMEA'",
    )
    column = listed["columns"].index("predicted churn date")
    assert listed["kind"] == "list" and sorted((r[0], r[column]) for r in listed["rows"]) == sorted(gold)
    (counted,) = _chat(db, "how many customers have a predicted churn date in Q1 next year")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.predicted_churn_date BETWEEN '2027-01-01' AND '2027-03-31'",
    )[0][0]
    assert _figure(counted) == gold
    _, when = _chat(
        db,
        "which of my accounts are under 75 on health score?",
        "and when are they predicted to churn",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name, ci.predicted_churn_date FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.health_score < 75 "
        f"AND c.owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    column = when["columns"].index("predicted churn date")
    assert sorted((r[0], r[column]) for r in when["rows"]) == sorted(gold)


def test_counts_and_measures_only_when_both_are_asked(db):
    (one,) = _chat(db, "how many invoices r overdue right now?")
    assert one["columns"] == ["overdue_invoices"]
    (both,) = _chat(
        db,
        "For the payments received last month, could I have the number of payments and the total amount for each "
        "payment method?",
    )
    gold = _gold_columns(
        db,
        "SELECT method, COUNT(*), SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31' "
        "GROUP BY method",
    )
    assert all(col in _columns(both) for col in gold), both
    (team,) = _chat(db, "overdue $ per rep across my team's accounts, highest first", asker=MANAGER)
    gold = _gold_pairs(
        db,
        f"SELECT u.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN users u "
        "ON u.id = c.owner_id WHERE i.status = 'sent' AND i.due_date < '2026-11-19' "
        f"AND u.team = (SELECT team FROM users WHERE email = '{MANAGER}') GROUP BY u.name",
    )
    assert team["columns"][0] == "rep" and _pairs(team) == gold
    (under,) = _chat(db, "how many customers have a health score below 50, per region")
    gold = _gold_pairs(
        db,
        "SELECT c.region, COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.health_score < 50 GROUP BY c.region",
    )
    assert sorted((str(r[0]), float(r[1])) for r in under["rows"]) == gold


def test_an_invoice_nobody_owes_has_no_balance(db):
    (void,) = _chat(db, "every voided invoice pls - number, account, total, issue date. newest first")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'void' ORDER BY issue_date DESC")
    assert void["kind"] == "list" and [r[0] for r in void["rows"]] == [g[0] for g in gold]
    assert all(r[void["columns"].index("balance")] is None for r in void["rows"])


def test_follow_ups_on_a_figure_and_a_ranking(db):
    _, _, top = _chat(
        db,
        "my team's open pipeline by rep",
        "now only the negotiation stage",
        "top 3 of those deals by amount",
        asker=MANAGER,
    )
    gold = _rows(
        db,
        "SELECT d.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'negotiation' AND u.team = "
        f"(SELECT team FROM users WHERE email = '{MANAGER}') ORDER BY d.amount DESC LIMIT 3",
    )
    assert top["kind"] == "list" and [r[0] for r in top["rows"]] == [g[0] for g in gold]
    _, both = _chat(db, "top 5 customers by LTV", "what are their health scores and churn risk")
    gold = _rows(
        db,
        "SELECT c.name, ci.health_score, ci.churn_risk FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    columns = both["columns"]
    assert [(r[0], r[columns.index("health")], r[columns.index("churn_risk")]) for r in both["rows"]] == [
        tuple(g) for g in gold
    ]


def test_an_analysts_column_lists_and_rates(db):
    (rate,) = _chat(
        db, "disqualification rate by source for leads created in Q1 (disqualified / all leads created)"
    )
    gold = _gold_pairs(
        db,
        "SELECT source, 1.0 * SUM(status = 'disqualified') / COUNT(*) FROM leads "
        "WHERE date(created_at) BETWEEN '2026-01-01' AND '2026-03-31' GROUP BY source",
    )
    assert _pairs(rate) == gold
    (skus,) = _chat(db, "products by category: # of active SKUs and avg list price")
    gold = _gold_columns(
        db, "SELECT category, COUNT(*), AVG(unit_price) FROM products WHERE active = 1 GROUP BY category"
    )
    assert all(col in _columns(skus) for col in gold), skus
    (mine,) = _chat(
        db, "list my overdue invoices: inv #, account, open balance, days past due. oldest first", asker=REP
    )
    gold = _rows(
        db,
        "SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' AND "
        f"i.due_date < '2026-11-19' AND c.owner_id = (SELECT id FROM users WHERE email = '{REP}') ORDER BY i.due_date",
    )
    due = [r[mine["columns"].index("due")] for r in mine["rows"]]
    assert mine["kind"] == "list" and sorted(r[0] for r in mine["rows"]) == sorted(g[0] for g in gold)
    assert due == sorted(due) and "days overdue" in mine["columns"]
    (cash,) = _chat(db, "total cash collected in Q3? I know it's the 30th, just give me whatever has landed")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'"
    )
    assert _figure(cash) == pytest.approx(gold[0][0])


def test_a_count_behind_a_figure_keeps_the_measure_asked_beside_it(db):
    _, both = _chat(
        db, "total cash collected in Q3?", "and how many individual payments was that + the avg payment size"
    )
    gold = _rows(
        db,
        "SELECT COUNT(*), AVG(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0]
    assert both["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_when_do_they_close_after_a_total_lists_those_deals(db):
    *_, when = _chat(
        db,
        "show my open deals",
        "just the proposal stage ones",
        "total on those",
        "when r they expected to close",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT name, expected_close_date FROM deals WHERE stage = 'proposal' "
        f"AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )
    column = when["columns"].index("expected close")
    assert gold and sorted((r[0], r[column]) for r in when["rows"]) == sorted(gold)


def test_a_column_list_labelled_columns_and_whos_on_them(db):
    (by_region,) = _chat(db, "New leads created this month, by region — columns region and lead count.")
    gold = _gold_pairs(
        db,
        "SELECT region, COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2026-11-01' AND '2026-11-19' GROUP BY region",
    )
    assert _pairs(by_region) == gold
    _, whos = _chat(db, "negotiation deals that are already past expected close", "whos on them")
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'negotiation' "
        "AND d.expected_close_date < '2026-11-19'",
    )
    assert sorted((r[0], r[whos["columns"].index("rep")]) for r in whos["rows"]) == sorted(gold)


def test_day_ranges_compared_the_way_people_write_them(db):
    (out,) = _chat(
        db, "churned customers jan 1 - nov 15 this year vs the same stretch (jan 1 - nov 15) of 2025"
    )
    gold = _rows(
        db,
        "SELECT SUM(date(churned_at) BETWEEN '2026-01-01' AND '2026-11-15'), "
        "SUM(date(churned_at) BETWEEN '2025-01-01' AND '2025-11-15') FROM companies",
    )[0]
    assert out["rows"][0][:2] == list(gold)
    (ahead,) = _chat(db, "which of my open deals are expected to close between today and dec 31?", asker=REP)
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {OPEN} AND expected_close_date BETWEEN '2026-11-19' AND '2026-12-31' "
        f"AND owner_id = (SELECT id FROM users WHERE email = '{REP}')",
    )[0][0]
    assert ahead["kind"] == "list" and len(ahead["rows"]) == gold


def test_a_range_that_restates_the_period_just_said_is_no_second_period(db):
    _, out = _chat(
        db,
        "revenue this year so far",
        "how's that compare to the same point last year (jan 1 - nov 19 2025)?",
    )
    gold = _rows(
        db,
        "SELECT (SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-01-01' AND '2026-11-19'), "
        "(SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-01-01' AND '2025-11-19')",
    )[0]
    assert out["rows"][0][:2] == pytest.approx(list(gold), abs=0.01)
