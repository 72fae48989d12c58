"""Ways of asking learnt from this stop's blind round (holdouts 67-69: a regional manager's Monday pipeline stand-up
with her reps in mid-April, a billing specialist, a controller and the COO at a month end, customer-success managers
and SDRs on phones in early August), each checked against SQL written here by hand on the refreshed demo (SQLite,
today 2026-11-19), through the same path as `crmbot chat --json`.

Wrong or refused before: "how many X, and how many of those are Y" was refused (or, where Y was a measure, read with
another period); "how many deals did we close" counted the deals created; invoices and tickets named as a worklist
("invoices stuck in pending approval?") were counted; "sorted from lowest to highest" ranked highest first; "UK&I"
read "I" as the asker; "new or working" dropped "new"; "the last 30 dys" was a top 30; "and churn probability?" after
a measure put beside a ranking ranked again by it; "which deals make up the qualification number" lost the asker's
"my"; "same but only the X team's deals" counted deals; "which of my accounts have overdue invoices? with amounts"
gave counts; "which customers have open tickets" was refused; "invoices that went out" counted drafts; "with the
owning rep" split by rep; "of those which have more than 50k" summed; customers "that still have a balance" included
churned accounts; "only the ones under 60" after a list with health scores barred LTV; "when did X last pay us" listed
every payment; "5 biggest overdue invoices, by what's still owed" ranked accounts; "apr 1-15" and "the same point last
quarter" were refused or asked about; "what was it last month" after a definition was asked back; a rep's own
contacts' emails were dropped without a word.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ME as MINE
from tests.conversation_helpers import OPEN_STAGES as OPEN
from tests.conversation_helpers import OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_the_part_of_a_count_is_counted_among_the_whole(db):
    both, earlier = _chat(
        db, "how many tickets were opened this month, and how many of them are urgent?", "and last month?"
    )
    for out, (start, end) in ((both, ("2026-11-01", "2026-11-19")), (earlier, ("2026-10-01", "2026-10-31"))):
        ((total, urgent),) = _rows(
            db,
            "SELECT COUNT(*), SUM(priority = 'urgent') FROM support_tickets "
            f"WHERE date(created_at) BETWEEN '{start}' AND '{end}'",
        )
        assert 0 < urgent < total
        assert out["rows"][0][:2] == [urgent, total]  # the part, of the whole, and its share
        assert out["rows"][0][2] == pytest.approx(urgent / total, abs=1e-4)
    (split,) = _chat(
        db, "how many tickets were opened this month, and how many of them are urgent?", "by priority"
    )[1:]
    assert split["refused"] and not split["rows"]  # the part is never dropped silently
    (customers,) = _chat(db, "how many customers in EMEA and how many of those are in retail?")
    ((all_emea, retail),) = _rows(
        db,
        "SELECT COUNT(*), SUM(industry = 'Retail') FROM companies WHERE lifecycle_stage = 'customer' "
        "AND region = 'EMEA'",
    )
    assert customers["rows"][0][:2] == [retail, all_emea]
    (dq,) = _chat(db, "paid ads leads this qtr - how many total and how many got DQ'd")
    ((leads, disqualified),) = _rows(
        db,
        "SELECT COUNT(*), SUM(status = 'disqualified') FROM leads WHERE source = 'paid_ads' "
        "AND date(created_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert dq["rows"][0][:2] == [disqualified, leads]


def test_the_deals_we_closed_are_the_ones_won_unless_won_is_said_apart(db):
    q3 = "date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'"
    ((closed, won),) = _rows(
        db,
        f"SELECT SUM(stage IN ('closed_won', 'closed_lost')), SUM(stage = 'closed_won') FROM deals WHERE {q3}",
    )
    alone, both, close_won = _chat(
        db,
        "how many deals did we close last quarter",
        "how many deals did we close last quarter, and how many of those were won?",
        "how many deals did we close-won in Q3",
    )
    assert _figure(alone) == won and _figure(close_won) == won
    assert both["rows"][0] == [closed, won]


def test_a_worklist_named_without_a_period_is_listed(db):
    stuck, urgent = _chat(db, "invoices stuck in pending approval?", "urgent tickets this month")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'pending_approval'")
    assert stuck["kind"] == "list" and sorted(r[0] for r in stuck["rows"]) == sorted(g[0] for g in gold)
    counted = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE priority = 'urgent' "
        "AND date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert _figure(urgent) == counted[0][0]  # with a period: counted
    (paid,) = _chat(db, "paid invoices?")  # records done with are no worklist: counted
    assert _figure(paid) == _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'paid'")[0][0]


def test_lowest_to_highest_is_one_order(db):
    (out,) = _chat(db, "Average customer health score by region, sorted from lowest to highest.")
    gold = _rows(
        db,
        "SELECT c.region FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' GROUP BY c.region ORDER BY AVG(ci.health_score)",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_a_team_named_by_its_initials_is_never_the_asker():
    from tools.reports.entities import short_names
    from tools.reports.nlq.phrasings import before_abbreviations

    assert short_names("team", "UK & Ireland") == {"uki"}
    assert "uki team" in before_abbreviations("how's the uk&i team doing")
    assert "uki doing" in before_abbreviations("how's uk & i doing")
    assert "r&d" in before_abbreviations("r&d spend")  # one letter before "&": left as written


def test_new_beside_another_lead_status_is_the_status(db):
    (mine,) = _chat(db, "any of my leads that are still new or working?", asker=REP)
    gold = _rows(db, f"SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working') AND owner_id = {MINE}")
    assert mine["kind"] == "list" and len(mine["rows"]) == gold[0][0] > 0


def test_days_typed_short_are_days(db):
    (out,) = _chat(db, "how many leads from outbound in the last 30 dys")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE source = 'outbound' AND date(created_at) BETWEEN '2026-10-21' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


def test_one_more_value_goes_beside_a_ranking_of_accounts(db):
    _, _, churn, risk = _chat(
        db,
        "top 5 customers by ltv",
        "what are their health scores",
        "and churn probability?",
        "and churn risk?",
    )
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_probability, ci.churn_risk FROM customer_insights ci JOIN companies c "
        "ON c.id = ci.company_id WHERE c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in churn["rows"]] == [g[0] for g in gold]
    assert [r[-1] for r in churn["rows"]] == pytest.approx([g[1] for g in gold])
    assert [r[0] for r in risk["rows"]] == [g[0] for g in gold]
    assert [g[2] for g in gold] == [r[1] for r in risk["rows"]]  # each account's own band, beside it


def test_the_records_that_make_up_a_number_keep_the_asker(db):
    _, deals = _chat(
        db, "my open pipeline by stage", "which deals make up the negotiation number?", asker=REP
    )
    gold = _rows(db, f"SELECT name FROM deals WHERE stage = 'negotiation' AND owner_id = {MINE}")
    assert sorted(r[0] for r in deals["rows"]) == sorted(g[0] for g in gold)


def test_same_but_only_a_team_keeps_the_measure(db):
    _, team = _chat(db, "open pipe for EMEA by stage pls", "same but only the EMEA team's deals")
    gold = _gold_pairs(
        db,
        "SELECT d.stage, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id "
        f"JOIN users u ON u.id = d.owner_id WHERE d.{OPEN} AND c.region = 'EMEA' AND u.team = 'EMEA' "
        "GROUP BY d.stage",
    )
    assert _pairs(team) == gold
    _, volume = _chat(db, "CSAT this month vs last month", "and the same comparison for ticket volume")
    tickets = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert volume["rows"][0][0] == tickets[0][0]


def test_which_of_my_accounts_owe_with_amounts(db):
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {OVERDUE} AND c.owner_id = {MINE} GROUP BY c.id",
    )
    assert gold
    amounts, behind = _chat(
        db,
        "which of my accounts have overdue invoices? with amounts pls",
        "which of my accounts are overdue on invoices, and how much is each one behind?",
        asker=REP,
    )
    assert _pairs(amounts) == gold and _pairs(behind) == gold


def test_which_customers_have_the_records_a_value_names(db):
    (out,) = _chat(db, "which customers have open tickets")
    gold = _gold_pairs(
        db,
        "SELECT c.name, COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id "
        "WHERE t.status = 'open' AND c.lifecycle_stage = 'customer' GROUP BY c.id",
    )
    assert gold and _pairs(out) == gold


def test_invoices_that_went_out_are_the_ones_billed(db):
    (out,) = _chat(db, "how many invoices went out this month and for how much total")
    gold = _rows(
        db,
        "SELECT COUNT(*), SUM(total) FROM invoices WHERE status IN ('sent', 'paid') "
        "AND issue_date BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    issued = _rows(db, "SELECT COUNT(*) FROM invoices WHERE issue_date BETWEEN '2026-11-01' AND '2026-11-19'")
    assert issued[0][0] > gold[0][0]  # drafts and invoices waiting for approval went nowhere
    assert out["rows"][0] == [gold[0][0], pytest.approx(gold[0][1])]


def test_the_owning_rep_is_a_column_of_the_deals_listed(db):
    (out,) = _chat(db, "List the deals won last month above $10,000, with the owning rep.")
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-10-31' AND d.amount > 10000",
    )
    assert out["kind"] == "list" and "rep" in out["columns"]
    assert sorted((r[0], r[out["columns"].index("rep")]) for r in out["rows"]) == sorted(gold)


def test_of_those_which_narrows_the_list_shown(db):
    _, narrowed, total = _chat(
        db,
        "show me the overdue invoices",
        "of those which have more than 10k still outstanding",
        "total owed on those",
    )
    gold = _rows(db, f"SELECT i.number, {OWED} FROM invoices i WHERE {OVERDUE} AND {OWED} > 10000")
    assert narrowed["kind"] == "list" and sorted(r[0] for r in narrowed["rows"]) == sorted(g[0] for g in gold)
    assert _figure(total) == pytest.approx(sum(g[1] for g in gold))


def test_customers_that_still_owe_are_customers(db):
    (out,) = _chat(db, "NA customers we havent touched in 30 days that still have an open balance")
    quiet = (
        "SELECT DISTINCT c.name, c.lifecycle_stage FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'sent' AND c.region = 'NA' AND NOT EXISTS (SELECT 1 FROM activities a "
        "WHERE a.company_id = c.id AND date(a.occurred_at) >= '2026-10-21')"
    )
    gold = [g for g in _rows(db, quiet) if g[1] == "customer"]
    assert len(_rows(db, quiet)) > len(gold) > 0  # churned accounts still owing are no customers
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_bar_after_a_list_with_one_measure_is_on_that_measure(db):
    _, _, under = _chat(
        db,
        "how many high churn risk customers do we have",
        "list them w their health scores",
        "only the ones under 70",
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND ci.health_score < 70",
    )
    assert gold and sorted(r[0] for r in under["rows"]) == sorted(g[0] for g in gold)


def test_when_an_account_last_paid_is_its_latest_payment(db):
    (out,) = _chat(db, "when did vertex therapeutics last pay us anything")
    assert len(out["rows"]) == 1 and "2026-10-07" in out["rows"][0]


def test_the_biggest_records_by_what_is_owed_are_the_records(db):
    (out,) = _chat(db, "5 biggest overdue invoices, by what's still owed")
    gold = _rows(db, f"SELECT i.number FROM invoices i WHERE {OVERDUE} ORDER BY {OWED} DESC LIMIT 5")
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_the_predicted_value_for_the_next_12_months(db):
    _, predicted = _chat(db, "vertex software ltv?", "and predicted for next 12 months")
    gold = _rows(
        db,
        "SELECT ci.predicted_ltv_12m FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.name = 'Vertex Software'",
    )
    assert _figure(predicted) == pytest.approx(gold[0][0])


def test_everyone_not_just_mine_is_everyone(db):
    (out,) = _chat(db, "how many calls did the team log last week? (all of us, not just mine)", asker=REP)
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM activities WHERE type = 'call' AND date(occurred_at) BETWEEN '2026-11-09' AND '2026-11-15'",
    )
    assert _figure(out) == gold[0][0]


def test_days_of_a_month_and_the_same_point_last_quarter(db):
    won = "SELECT SUM(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '{}' AND '{}'"
    days, both, point = _chat(
        db,
        "bookings for nov 1-15",
        "how do bookings for nov 1-15 this yr compare to nov 1-15 last yr",
        "bookings qtd vs where we were at the same point last quarter (so jul 1 - aug 19)?",
    )
    assert _figure(days) == pytest.approx(_rows(db, won.format("2026-11-01", "2026-11-15"))[0][0])
    assert both["rows"][0][:2] == pytest.approx(
        [
            _rows(db, won.format(*d))[0][0]
            for d in (("2026-11-01", "2026-11-15"), ("2025-11-01", "2025-11-15"))
        ]
    )
    assert point["rows"][0][:2] == pytest.approx(
        [
            _rows(db, won.format(*d))[0][0]
            for d in (("2026-10-01", "2026-11-19"), ("2026-07-01", "2026-08-19"))
        ]
    )


def test_what_was_it_after_a_definition_is_the_measure_defined(db):
    defined, figure = _chat(db, "how do you measure resolution time on tickets", "ok what was it last month")
    assert defined["kind"] == "explanation"
    gold = _rows(
        db,
        "SELECT AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM support_tickets "
        "WHERE resolved_at IS NOT NULL AND date(created_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(figure) == pytest.approx(gold[0][0], abs=0.01)


def test_a_regional_breakdown_and_an_aging_bucket_after_the_aging(db):
    *_, regional = _chat(
        db,
        "What was the win rate last quarter?",
        "Break that down by region.",
        "The same regional breakdown for Q2",
    )
    gold = _gold_pairs(
        db,
        "SELECT c.region, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN companies c "
        "ON c.id = d.company_id WHERE d.stage IN ('closed_won', 'closed_lost') "
        "AND date(d.closed_at) BETWEEN '2026-04-01' AND '2026-06-30' GROUP BY c.region",
    )
    assert [(r, round(v, 4)) for r, v in _pairs(regional)] == [(r, round(v, 4)) for r, v in gold]
    _, bucket = _chat(db, "open AR by aging bucket?", "list the 90+ ones where more than 10k is still owed")
    late = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) "
        f"> 90 AND {OWED} > 10000",
    )
    assert bucket["kind"] == "list" and sorted(r[0] for r in bucket["rows"]) == sorted(g[0] for g in late)


def test_a_reps_own_contacts_show_their_emails_and_others_say_why(db):
    own, other = _chat(
        db, "contacts at everest distribution? need their emails", "contacts at bramble logic", asker=REP
    )
    gold = _rows(
        db,
        "SELECT ct.email FROM contacts ct JOIN companies c ON c.id = ct.company_id WHERE c.name = 'Everest Distribution'",
    )
    assert sorted(r[own["columns"].index("contact")] for r in own["rows"]) == sorted(g[0] for g in gold)
    assert all(r[other["columns"].index("contact")] is None for r in other["rows"])
    assert "people data" in other["answer"]


def test_payments_received_typed_short_are_amounts(db):
    (out,) = _chat(db, "payments recvd last month")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_which_of_two_things_a_measure_is_gets_its_definition(db):
    from tools.reports.glossary import is_definition_question

    bookings, overdue = _chat(
        db,
        "Are bookings signed contract value or cash received?",
        "is the overdue amt the full invoice total or net of part payments?",
    )
    assert bookings["kind"] == overdue["kind"] == "explanation"
    assert "won" in bookings["answer"] and "payments" in overdue["answer"] and "due" in overdue["answer"]
    for figure in ("is revenue up or down this month?", "is win rate better in EMEA or NA?"):
        assert not is_definition_question(figure)


def test_leads_not_converted_nor_disqualified_are_the_open_ones(db):
    (out,) = _chat(
        db, "top 3 of my leads by score - only ones that haven't converted or been DQ'd", asker=REP
    )
    gold = _rows(
        db,
        f"SELECT id FROM leads WHERE status IN ('new', 'working', 'qualified') AND owner_id = {MINE} "
        "ORDER BY score DESC, id LIMIT 3",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold) == 3


def test_the_main_account_not_the_other_one_picks_it():
    from bot.clarify import pick_choice

    choices = ["Agile Rain Computing", "Agile Rain Computing (Billing)"]
    assert pick_choice("the main account, not the billing one", choices) == choices[0]
    assert (
        pick_choice("not the main one", choices) is None
        or pick_choice("not the main one", choices) == choices[1]
    )
    assert pick_choice("the billing one", choices) == choices[1]


def test_by_the_accounts_of_my_team_is_whose_not_a_split(db):
    (out,) = _chat(
        db,
        "How many tickets were opened last month by the accounts of my team?",
        asker="omar.moreau@crmbot-demo.com",
    )
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id JOIN users u "
        "ON u.id = c.owner_id WHERE u.team = 'NA East' AND date(t.created_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(out) == gold[0][0]


def test_in_that_time_after_a_split_by_month_is_one_figure(db):
    _, churned = _chat(db, "new customers per month this year?", "how many churned in that time")
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-01-01' AND '2026-11-19'"
    )
    assert _figure(churned) == gold[0][0]


def test_a_leads_company_is_the_name_it_was_given(db):
    (out,) = _chat(db, "qualified emea leads - which companies + who owns each")
    gold = _rows(
        db,
        "SELECT l.company_name, u.name FROM leads l JOIN users u ON u.id = l.owner_id "
        "WHERE l.status = 'qualified' AND l.region = 'EMEA'",
    )
    assert gold and sorted((r[0], r[1]) for r in out["rows"]) == sorted(gold)  # (most have no account yet)


def test_the_biggest_lost_deals_with_their_reason_and_the_reason_that_cost_most(db):
    listed, costly = _chat(
        db, "10 biggest deals we lost this year + reason", "Which reason cost us the most money?"
    )
    gold = _rows(
        db,
        "SELECT name, lost_reason FROM deals WHERE stage = 'closed_lost' "
        "AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19' ORDER BY amount DESC, id LIMIT 10",
    )
    assert [(r[0], r[-1]) for r in listed["rows"]] == gold
    most = _rows(
        db,
        "SELECT lost_reason, SUM(amount) FROM deals WHERE stage = 'closed_lost' "
        "AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )
    assert costly["rows"][0][0] == most[0][0] and costly["rows"][0][-1] == pytest.approx(most[0][1])


def test_customers_with_more_than_n_records_are_customers(db):
    customers, accounts = _chat(
        db,
        "which customers have more than 1 overdue invoice",
        "which accounts have more than 1 overdue invoice",
    )
    every = (
        f"SELECT c.name, COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
    )
    gold = _gold_pairs(db, every + "AND c.lifecycle_stage = 'customer' GROUP BY c.id HAVING COUNT(*) > 1")
    owing = _gold_pairs(db, every + "GROUP BY c.id HAVING COUNT(*) > 1")  # "accounts": churned ones too
    assert 0 < len(gold) < len(owing)
    assert _pairs(customers) == gold and _pairs(accounts) == owing


def test_each_of_them_after_two_accounts_in_turn_is_both(db):
    *_, both = _chat(
        db,
        "health score for bramble logic",
        "and contoso genomics?",
        "when was each of them last contacted",
    )
    gold = _rows(
        db,
        "SELECT c.name, date(MAX(a.occurred_at)) FROM activities a JOIN companies c ON c.id = a.company_id "
        "WHERE c.name IN ('Bramble Logic', 'Contoso Genomics') GROUP BY c.id",
    )
    assert sorted((r[0], str(r[1])[:10]) for r in both["rows"]) == sorted(gold)
    *_, ranked = _chat(
        db,
        "health score for bramble logic",
        "and contoso genomics?",
        "top 3 customers by ltv",
        "when was each of them last contacted",
    )
    top = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 3",
    )
    assert sorted(r[0] for r in ranked["rows"]) == sorted(g[0] for g in top)  # the ranking just shown


def test_the_biggest_one_of_those_is_one_record(db):
    *_, biggest = _chat(
        db,
        "open deals in negotiation",
        "which of those have an expected close date that's already passed?",
        "who owns the biggest one of those",
    )
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'negotiation' "
        "AND date(d.expected_close_date) < '2026-11-19' ORDER BY d.amount DESC LIMIT 1",
    )
    assert [(r[0], r[biggest["columns"].index("rep")]) for r in biggest["rows"]] == gold
