"""Ways of asking learnt from the blind rounds of holdouts 133 onwards (remarks written around the question, finance
written formally, a manager's team), each checked against SQL written here by hand on the refreshed demo (SQLite,
today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OPEN_STAGES, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

SENT = "i.status = 'sent'"
REVENUE_OCTOBER = "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


# ---------------------------------------------------------------------------- remarks around the question


def test_a_remark_with_a_period_of_its_own_is_set_aside_beside_the_questions_period(db):
    (out,) = _chat(
        db,
        "support queue feels heavy this week... how many tickets have come in since monday? split by priority pls",
    )
    gold = _gold_pairs(
        db,
        "SELECT priority, COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-11-16' AND '2026-11-19' "
        "GROUP BY priority",
    )
    assert _pairs(out) == gold


def test_a_musing_asked_first_leaves_the_question_after_it(db):
    (out,) = _chat(
        db, "felt like october was a big month for new logos?? how many companies became customers in oct"
    )
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(customer_since) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(out) == gold[0][0]


@pytest.mark.parametrize(
    ("with_remark", "bare"),
    [
        ("CFO just stopped by the desk - whats our DSO sitting at today?", "whats our DSO?"),
        (
            "deciding whether to renew the trade show budget... what was the conversion rate on event leads created in "
            "2025?",
            "what was the conversion rate on event leads created in 2025?",
        ),
        (
            "how many leads are still sitting at status 'new' - i.e. nobody has even started working them?",
            "how many leads are at status new?",
        ),
        (
            "ok so the board deck is due monday and finance STILL hasnt sent over the number... how much cash did we "
            "actually collect in october? just the total $ is fine",
            "how much cash did we collect in october?",
        ),
        (
            "are our deals getting bigger or is that wishful thinking? avg won deal size Q3 vs Q2",
            "avg won deal size Q3 vs Q2",
        ),
        (
            "EMEA leadership offsite is tuesday, what are the 5 biggest open deals with EMEA accounts rn?",
            "what are the 5 biggest open deals with EMEA accounts?",
        ),
        (
            "before the forecast call can u give me bookings month by month for 2026 so far? want to eyeball the trend",
            "bookings month by month for 2026 so far",
        ),
    ],
)
def test_a_remark_that_adds_nothing_to_the_question_is_set_aside(db, with_remark, bare):
    out, plain = _chat(db, with_remark)[0], _chat(db, bare)[0]
    assert plain["rows"], plain["answer"]
    assert out["rows"] == plain["rows"], out["answer"]


def test_a_remark_that_names_what_the_question_is_about_is_never_set_aside(db):
    # ("... for the EMEA review": EMEA is no part of the question before it, so it is never dropped)
    (out,) = _chat(db, "revenue by region - for the EMEA review")
    assert not out["rows"] or len(out["rows"]) == 1 or "EMEA" in out["interpretation"]


def test_my_customers_after_a_remark_about_my_accounts(db):
    (out,) = _chat(
        db,
        "feel like ive been neglecting a few accts lately... which of my customers havent been contacted in 30 days?",
        asker=REP,
    )
    (plain,) = _chat(db, "which of my customers havent been contacted in 30 days?", asker=REP)
    assert out["kind"] == plain["kind"] == "list"
    assert out["rows"] == plain["rows"]


def test_a_deadline_ahead_in_a_remark_is_no_period_of_the_question(scored):
    (out,) = _chat(
        scored,
        "ok NA reps have capacity next week. can u list the qualified leads in NA that score over 30? company + score",
    )
    gold = _rows(
        scored, "SELECT company_name FROM leads WHERE status = 'qualified' AND region = 'NA' AND score > 30"
    )
    assert gold
    company = out["columns"].index("company")
    assert sorted(r[company] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_period_wholly_ahead_for_what_has_happened_is_said_never_an_empty_figure(db):
    (out,) = _chat(db, "bookings next month")
    assert not out["rows"] and out["kind"] in ("refusal", "clarification")
    assert "hasn't happened yet" in out["answer"]


def test_how_an_account_is_doing_with_a_remark_after_it_is_its_card(db):
    (out,) = _chat(db, "how's Atlas Fabrication doing? their renewal is on the list for next week")
    assert out["kind"] == "card" and out["rows"][0][0] == "Atlas Fabrication"


def test_quoted_words_in_a_context_name_no_value_and_they_is_the_account(db):
    (out,) = _chat(
        db,
        "Sequoia AI Corp's CFO says they're 'basically paid up'... which invoices do they still have open with us?",
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {SENT} AND i.company_id = {ACCOUNT.format('Sequoia AI Corp')}",
    )
    assert len(gold) == 3
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_what_a_flag_looks_at_is_explained(db):
    (out,) = _chat(
        db,
        "when u flag an account as 'not contacted in 30 days', what are you looking at? calls only or emails too?",
    )
    assert out["kind"] == "explanation" and not out["rows"]


def test_an_interjection_before_a_follow_up_is_no_unknown_word(db):
    _, out = _chat(db, "new customers in october", "ugh and how many did we lose to churn that month")
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(out) == gold[0][0]


# ---------------------------------------------------------------------------- periods


def test_a_quarter_whose_year_is_said_after_the_measure(db):
    (out,) = _chat(db, "Q3 bookings this year vs Q3 2025 - whats the growth, $ and %")
    gold = _rows(
        db,
        "SELECT SUM(CASE WHEN date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30' THEN amount END), "
        "SUM(CASE WHEN date(closed_at) BETWEEN '2025-07-01' AND '2025-09-30' THEN amount END) "
        "FROM deals WHERE stage = 'closed_won'",
    )[0]
    assert out["rows"][0][:2] == pytest.approx(list(gold), abs=0.01)


def test_the_period_meant_not_the_one_taken_back(db):
    _, out = _chat(db, "win rate for each rep on my team, Q3", "sorry, meant Q2 not Q3", asker=MANAGER)
    gold = _gold_pairs(
        db,
        "SELECT u.name, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id "
        f"WHERE d.stage IN ('closed_won', 'closed_lost') AND d.owner_id IN {TEAM} "
        "AND date(d.closed_at) BETWEEN '2026-04-01' AND '2026-06-30' GROUP BY u.name",
    )
    assert _pairs(out) == gold


def test_this_month_named_after_the_same_month_a_year_ago(db):
    _, out = _chat(db, "cash collected in October 2025?", "and the same for this October?")
    assert _figure(out) == pytest.approx(_rows(db, REVENUE_OCTOBER)[0][0], abs=0.01)


def test_actual_cash_is_cash(db):
    (out,) = _chat(db, "actual cash collected in october")
    assert _figure(out) == pytest.approx(_rows(db, REVENUE_OCTOBER)[0][0], abs=0.01)


def test_a_due_date_said_is_the_invoices_due_date(db):
    (out,) = _chat(db, "How many sent invoices have a due date before 1 November 2026?")
    gold = _rows(db, f"SELECT COUNT(*) FROM invoices i WHERE {SENT} AND i.due_date < '2026-11-01'")
    assert _figure(out) == gold[0][0]


# ---------------------------------------------------------------------------- finance, written formally


def test_all_methods_included_is_one_total(db):
    (out,) = _chat(db, "total cash received this month, all payment methods included?")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_how_many_and_for_what_total_amount(db):
    (out,) = _chat(db, "How many payments came in this week, and for what total amount?")
    gold = _rows(
        db,
        "SELECT COUNT(*), SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-11-16' AND '2026-11-19'",
    )[0]
    assert out["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_values_said_after_a_period_comparison_narrow_the_split(db):
    (out,) = _chat(
        db,
        "Number of invoices issued per payment term, October vs September, counting only sent and paid invoices.",
    )
    assert "invoice_status" not in out["columns"] and len(out["rows"]) == 5
    gold = _rows(
        db,
        "SELECT payment_terms, SUM(date(issue_date) BETWEEN '2026-10-01' AND '2026-10-31'), "
        "SUM(date(issue_date) BETWEEN '2026-09-01' AND '2026-09-30') FROM invoices WHERE status IN ('sent', 'paid') "
        "GROUP BY payment_terms",
    )
    assert sorted(tuple(r[:3]) for r in out["rows"]) == sorted(gold)


def test_overdue_and_not_yet_due_combined_is_all_that_is_owed(db):
    owed, share = _chat(
        db,
        "Total receivables outstanding today, overdue and not yet due combined?",
        "And what share of it is already past due?",
    )
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT}")
    assert _figure(owed) == pytest.approx(gold[0][0], abs=0.01)
    overdue = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")[0][0]
    # a share of one measure in another: said, never the overdue amount given as the share
    assert not share["rows"] or overdue not in [pytest.approx(v, abs=0.01) for v in share["rows"][0]]


def test_the_outstanding_figure_used_in_dso(db):
    _, out = _chat(db, "DSO please", "What outstanding figure did you use in that calculation?")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT}")
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_a_bound_on_the_accounts_health_is_never_a_bound_on_their_balance(db):
    (out,) = _chat(
        db,
        "List customers with a health score below 40 that still have an outstanding balance, and the balance for each.",
    )
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        f"ON ci.company_id = c.id WHERE {SENT} AND c.lifecycle_stage = 'customer' AND ci.health_score < 40 GROUP BY c.id",
    )
    assert gold and _pairs(out) == gold


def test_what_churned_accounts_still_owe(db):
    (out,) = _chat(db, "how much do accounts that already churned still owe us?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        "AND c.lifecycle_stage = 'churned'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


# ---------------------------------------------------------------------------- a manager's team, deals, leads


def test_which_accounts_after_my_teams_figure_keeps_my_team(db):
    total, each, ranked = _chat(
        db,
        "how much is overdue on my team's accounts?",
        "which accounts?",
        "which accounts, and how much each? biggest first",
        asker=MANAGER,
    )
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        f"AND c.owner_id IN {TEAM} GROUP BY c.id",
    )
    assert _pairs(each) == gold and _pairs(ranked) == gold
    assert sum(v for _, v in gold) == pytest.approx(_figure(total), abs=0.05)
    amounts = [r[-1] for r in ranked["rows"]]
    assert amounts == sorted(amounts, reverse=True)


def test_the_biggest_deal_my_team_won_is_that_deal(db):
    (out,) = _chat(db, "biggest deal my team won this quarter? name + amount", asker=MANAGER)
    gold = _rows(
        db,
        f"SELECT name, amount FROM deals WHERE stage = 'closed_won' AND owner_id IN {TEAM} "
        "AND date(closed_at) BETWEEN '2026-10-01' AND '2026-11-19' ORDER BY amount DESC LIMIT 1",
    )[0]
    assert len(out["rows"]) == 1 and out["rows"][0][0] == gold[0]


def test_who_won_the_biggest_deal_is_its_rep_never_the_rep_with_most_deals(db):
    (out,) = _chat(db, "who won the biggest deal this quarter")
    gold = _rows(
        db,
        "SELECT d.name, u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' ORDER BY d.amount DESC LIMIT 1",
    )[0]
    assert len(out["rows"]) == 1
    assert gold[0] in out["rows"][0] and gold[1] in out["rows"][0]


def test_the_highest_scoring_lead_and_which_rep_has_it(scored):
    (out,) = _chat(scored, "who's the highest scoring open lead, and which rep has it?")
    gold = _rows(
        scored,
        "SELECT l.company_name, u.name FROM leads l JOIN users u ON u.id = l.owner_id "
        "WHERE l.status IN ('new', 'working', 'qualified') ORDER BY l.score DESC, l.id LIMIT 1",
    )[0]
    assert len(out["rows"]) == 1
    assert gold[1] in out["rows"][0] and gold[0] in out["rows"][0]


def test_columns_asked_of_an_accounts_open_deal_list_it(db):
    (out,) = _chat(
        db, "do we have an open deal with Paragon Analytics right now? whats it worth and what stage"
    )
    assert out["kind"] == "list" and len(out["rows"]) == 1
    assert "Paragon Analytics - Renewal 2026" in out["rows"][0] and "prospecting" in out["rows"][0]


# ---------------------------------------------------------------------------- holdouts 136-138: an account's card, lists


def test_pull_up_an_account_is_its_card_and_a_short_ask_after_it_is_about_that_account(db):
    card, tickets, owner = _chat(
        db,
        "pull up Atlas Fabrication for me, got a call with them at 2",
        "any open tickets?",
        "who owns the account btw?",
    )
    assert card["kind"] == "card" and card["rows"][0][0] == "Atlas Fabrication"
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE status = 'open' "
        f"AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )[0][0]
    assert len(tickets["rows"]) == gold
    assert all("Atlas Fabrication" in r for r in tickets["rows"])
    assert owner["kind"] == "card" and owner["rows"][0][0] == "Atlas Fabrication"


def test_the_ones_of_a_list_narrowed_are_listed_again(db):
    _, past_due = _chat(db, "invoices for Sequoia AI Corp", "which ones are past due?")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {OVERDUE} AND i.company_id = {ACCOUNT.format('Sequoia AI Corp')}",
    )
    assert past_due["kind"] == "list"
    assert sorted(r[0] for r in past_due["rows"]) == sorted(g[0] for g in gold)
    _, just = _chat(db, "show me Sequoia AI Corp's unpaid invoices", "just the overdue ones")
    assert just["rows"] == past_due["rows"]


def test_as_a_share_of_the_total_after_a_split(db):
    _, out = _chat(db, "overdue $ by region?", "as a share of total overdue?")
    gold = _rows(
        db,
        f"SELECT c.region, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "GROUP BY c.region",
    )
    whole = sum(g[1] for g in gold)
    share = out["columns"].index("share")
    assert sorted((r[0], round(r[share], 4)) for r in out["rows"]) == sorted(
        (g[0], round(g[1] / whole, 4)) for g in gold
    )


def test_what_stage_is_each_one_at_lists_the_records(db):
    (out,) = _chat(db, "open deals over $250k - what stage is each one at?")
    gold = _rows(db, f"SELECT name FROM deals WHERE {OPEN_STAGES} AND amount > 250000")
    assert out["kind"] == "list" and "stage" in out["columns"]
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_the_healthiest_are_ranked_by_health(db):
    (out,) = _chat(db, "which EMEA customers are the healthiest? top 5 pls")
    gold = _rows(
        db,
        "SELECT ci.health_score FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND c.region = 'EMEA' ORDER BY ci.health_score DESC LIMIT 5",
    )
    assert [round(r[-1], 2) for r in out["rows"]] == [round(g[0], 2) for g in gold]


@pytest.mark.parametrize(
    ("polite", "plain"),
    [
        (
            "hi!! sorry if this is a silly question but how many new leads have we gotten so far this month?",
            "how many leads came in this month?",
        ),
        (
            "how many leads did referrals and partners each bring in this quarter?",
            "leads this quarter by source, referral and partner",
        ),
        (
            "which customers are predicted to churn b4 the end of next year?",
            "which customers are predicted to churn before the end of next year?",
        ),
    ],
)
def test_words_of_a_new_hire_read_as_the_plain_question(db, polite, plain):
    out, same = _chat(db, polite)[0], _chat(db, plain)[0]
    assert same["rows"], same["answer"]
    assert out["rows"] == same["rows"], out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "the finance ppl keep talking about 'AR aging' - what is that?",
        "wdym by 'last touch'",
        "how are the AR aging buckets split up?",
    ],
)
def test_these_definitions_are_explained(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and not out["rows"], out["answer"]


def test_all_my_accounts_with_prospects_and_churned_ones_included(db):
    _, out = _chat(
        db,
        "how many customers do i own?",
        "and how many accounts are assigned to me in total, prospects and churned ones included?",
        asker=REP,
    )
    gold = _rows(db, f"SELECT COUNT(*) FROM companies WHERE owner_id = {ME}")
    assert _figure(out) == gold[0][0]


def test_a_list_bounded_on_a_column_shows_that_column(db):
    (out,) = _chat(db, "list the prospects in NA with more than 1000 employees")
    gold = _rows(
        db,
        "SELECT name, employee_count FROM companies WHERE lifecycle_stage = 'prospect' AND region = 'NA' "
        "AND employee_count > 1000",
    )
    assert gold and "employee count" in out["columns"]
    at = out["columns"].index("employee count")
    assert sorted((r[0], r[at]) for r in out["rows"]) == sorted(gold)


def test_part_paid_but_not_settled(db):
    (out,) = _chat(db, "invoices that have been part-paid but not settled - whats left on each?")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {SENT} AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id)",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_worst_churn_probability_first_is_the_highest_first(db):
    (out,) = _chat(db, "my high-risk customers pls, worst churn probability first", asker=REP)
    probabilities = [r[-1] for r in out["rows"]]
    assert len(probabilities) >= 2 and probabilities == sorted(probabilities, reverse=True)


def test_which_accounts_paid_by_cheque_are_the_accounts(db):
    (out,) = _chat(db, "which of our accounts paid by cheque in september?")
    gold = _rows(
        db,
        "SELECT DISTINCT c.name FROM payments p JOIN companies c ON c.id = p.company_id WHERE p.method = 'check' "
        "AND date(p.paid_at) BETWEEN '2026-09-01' AND '2026-09-30'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_who_we_have_on_file_at_an_account_are_its_contacts(db):
    (out,) = _chat(
        db, "who do we have on file at Atlas Fabrication? need titles + emails for the renewal call"
    )
    gold = _rows(db, f"SELECT title FROM contacts WHERE company_id = {ACCOUNT.format('Atlas Fabrication')}")
    assert gold and "title" in out["columns"]
    assert sorted(r[out["columns"].index("title")] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_each_groups_own_share_is_said_never_its_share_of_all(db):
    (out,) = _chat(db, "what share of customers in each region are high churn risk?")
    assert not out["rows"] and out["kind"] in ("refusal", "clarification")


def test_days_from_creation_to_close_is_the_sales_cycle(db):
    (out,) = _chat(
        db, "On the deals we won in 2025, how many days did they take on average from creation to close?"
    )
    gold = _rows(
        db,
        "SELECT AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE stage = 'closed_won' "
        "AND date(closed_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_the_score_on_a_persons_lead_with_its_company_in_brackets(scored):
    (out,) = _chat(scored, "whats the score on Sarah Santos' lead (Endeavor Fleet SA)?")
    gold = _rows(scored, "SELECT score FROM leads WHERE first_name = 'Sarah' AND last_name = 'Santos'")
    assert out["kind"] == "card" and gold[0][0] in out["rows"][0]


def test_break_that_down_after_an_accounts_health(db):
    _, out = _chat(db, "health score for Atlas Fabrication?", "break that down for me")
    assert out["kind"] == "card"
    for part in ("engagement_score", "payment_score", "support_score"):
        assert part in out["columns"]


def test_gone_quiet_for_a_number_of_days_is_not_contacted_in_them(db):
    (out,) = _chat(
        db,
        "which of my customers have gone quiet? like no calls, emails, meetings, nothing logged in 30+ days",
        asker=REP,
    )
    (plain,) = _chat(db, "which of my customers havent been contacted in 30 days?", asker=REP)
    assert out["kind"] == "list" and out["rows"] == plain["rows"]


def test_what_the_last_contact_was_about_and_what_kind(db):
    _, out = _chat(
        db,
        "when did we last talk to Atlas Fabrication?",
        "what was that about, and was it a call or a meeting?",
    )
    gold = _rows(
        db,
        "SELECT subject, type FROM activities WHERE company_id = "
        f"{ACCOUNT.format('Atlas Fabrication')} ORDER BY occurred_at DESC, id DESC LIMIT 1",
    )[0]
    assert len(out["rows"]) == 1 and gold[0] in out["rows"][0] and gold[1] in out["rows"][0]


def test_which_of_those_accounts_have_an_open_deal_keeps_their_bound(db):
    *_, out = _chat(
        db,
        "list my customers with a health score under 80",
        "sort them lowest first",
        "which of those have an open deal?",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        f"'customer' AND ci.health_score < 80 AND c.owner_id = {ME} AND EXISTS (SELECT 1 FROM deals d "
        f"WHERE d.company_id = c.id AND d.{OPEN_STAGES})",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


# ---------------------------------------------------------------------------- holdouts 139-141: pipeline, collections


def test_how_many_and_whats_the_dollar_total(db):
    (out,) = _chat(db, "how many invoices are stuck waiting for approval, and what's the $ total?")
    gold = _rows(db, "SELECT COUNT(*), SUM(total) FROM invoices WHERE status = 'pending_approval'")[0]
    assert out["rows"][0] == pytest.approx(list(gold), abs=0.01)


def test_only_count_these_stages_is_a_filter_never_a_count(db):
    *_, out = _chat(
        db,
        "open pipeline expected to close next month",
        "split by rep",
        "only count proposal and negotiation",
    )
    gold = _gold_pairs(
        db,
        "SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage IN ('proposal', "
        "'negotiation') AND date(d.expected_close_date) BETWEEN '2026-12-01' AND '2026-12-31' GROUP BY u.id",
    )
    assert gold and _pairs(out) == gold


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        (
            "which customers does the model have churning in january or february 2027? predicted date",
            "which customers are predicted to churn between january 2027 and february 2027?",
        ),
        ("show me every invoice we've got on file for Atlas Fabrication", "invoices for Atlas Fabrication"),
        (
            "pls show Atlas Fabrication tickets of last 90 days, customer is complaining",
            "Atlas Fabrication tickets of last 90 days",
        ),
    ],
)
def test_said_another_way_it_is_the_same_question(db, asked, plain):
    out, same = _chat(db, asked)[0], _chat(db, plain)[0]
    assert same["rows"], same["answer"]
    assert out["rows"] == same["rows"], out["answer"]


@pytest.mark.parametrize(
    ("before", "question"),
    [
        (None, "by 'revenue' do you mean closed-won or actual cash?"),
        (None, "the LTV figure on customer insights - is that booked deals or cash actually collected?"),
        ("how much is overdue right now", "does that net off the partial payments we've already received?"),
        (None, "resolution time - it is counting from when until when? and in what unit"),
        ("what was the lead conversion rate last quarter?", "ok and how exactly you calculate this number?"),
    ],
)
def test_these_questions_about_words_are_explained(db, before, question):
    out = _chat(db, *([before] if before else []), question)[-1]
    assert out["kind"] == "explanation" and not out["rows"], out["answer"]


def test_sorted_by_amount_after_a_list_sorts_the_list(db):
    *_, out = _chat(
        db,
        "show me every open deal that's past its expected close date",
        "just the EMEA team's",
        "ok now the same for NA East, sorted by amount",
    )
    gold = _rows(
        db,
        f"SELECT d.name, d.amount FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{OPEN_STAGES} "
        "AND d.expected_close_date < '2026-11-19' AND u.team = 'NA East' ORDER BY d.amount DESC",
    )
    assert out["kind"] == "list" and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_accounts_with_more_than_an_amount_overdue_are_bounded_on_each_accounts_total(db):
    (out,) = _chat(db, "which high churn risk customers have more than 5k overdue?")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        f"ON ci.company_id = c.id WHERE {OVERDUE} AND c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' "
        f"GROUP BY c.id HAVING SUM({OWED}) > 5000",
    )
    assert gold and _pairs(out) == gold


def test_whats_left_to_collect_on_a_list_is_what_they_still_owe(db):
    _, out = _chat(db, "show me the part-paid invoices", "whats left to collect on them in total")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT} AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id)",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_churned_accounts_that_still_owe_more_than_an_amount(db):
    (out,) = _chat(db, "churned accts that still owe us more than 1k")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        f"AND c.lifecycle_stage = 'churned' GROUP BY c.id HAVING SUM({OWED}) > 1000",
    )
    assert gold and _pairs(out) == gold


def test_each_of_them_keeps_the_accounts_of_the_list(db):
    _, out = _chat(
        db, "which customers have a health score under 50?", "how much does each of them have overdue with us"
    )
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        f"ON ci.company_id = c.id WHERE {OVERDUE} AND ci.health_score < 50 GROUP BY c.id",
    )
    assert _pairs(out) == gold


def test_when_is_that_due_lists_the_invoices_behind_what_is_owed(db):
    _, out = _chat(db, "how much does Sequoia AI Corp owe us", "when's that due?")
    gold = _rows(
        db,
        f"SELECT i.due_date FROM invoices i WHERE {SENT} AND i.company_id = {ACCOUNT.format('Sequoia AI Corp')}",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold)
    due = out["columns"].index("due")
    assert sorted(str(r[due]) for r in out["rows"]) == sorted(str(g[0]) for g in gold)


def test_make_it_by_another_measure_instead_ranks_by_it(db):
    _, out = _chat(db, "who owes us the most? top 10", "actually make it top 10 by overdue amount instead")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) AS o FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "GROUP BY c.id ORDER BY o DESC LIMIT 10",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]
    assert [round(r[-1], 2) for r in out["rows"]] == [round(g[1], 2) for g in gold]


def test_a_name_of_several_accounts_in_a_question_then_a_remark_is_asked_back(db):
    (out,) = _chat(db, "how is Quillon doing? the health score i mean")
    assert not out["rows"] and out["kind"] == "clarification"


def test_since_start_of_year_for_my_team(db):
    (out,) = _chat(db, "how many customers my team lost to churn since start of year?", asker=MANAGER)
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-01-01' AND '2026-11-19' AND owner_id IN {TEAM}",
    )
    assert _figure(out) == gold[0][0]


def test_satisfaction_of_one_is_the_worst_rating(db):
    (out,) = _chat(db, "tickets that got satisfaction 1 (the worst) in last month - company and subject")
    gold = _rows(
        db,
        "SELECT subject FROM support_tickets WHERE satisfaction = 1 AND date(created_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert gold and sorted(r[out["columns"].index("subject")] for r in out["rows"]) == sorted(
        g[0] for g in gold
    )


def test_which_company_and_what_issue_lists_the_tickets(db):
    (out,) = _chat(db, "high and urgent tickets which are still not resolved - which company and what issue?")
    gold = _rows(
        db, "SELECT subject FROM support_tickets WHERE priority IN ('high', 'urgent') AND resolved_at IS NULL"
    )
    assert gold and "subject" in out["columns"]
    assert sorted(r[out["columns"].index("subject")] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_other_customers_of_this_person_leave_out_the_one_asked_about(db):
    _, out = _chat(
        db,
        "who is the account owner of Atlas Fabrication?",
        "what other customers this person has with high churn risk?",
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE ci.churn_risk = 'high' "
        "AND c.lifecycle_stage = 'customer' AND c.owner_id = (SELECT owner_id FROM companies WHERE name = 'Atlas Fabrication') "
        "AND c.name <> 'Atlas Fabrication'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_the_owner_of_a_lead_named_with_its_company(scored):
    (out,) = _chat(scored, "who is owner of lead Sarah Santos from Endeavor Fleet SA?")
    gold = _rows(
        scored,
        "SELECT u.name FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.first_name = 'Sarah' AND l.last_name = 'Santos'",
    )
    assert out["kind"] == "card" and gold[0][0] in out["rows"][0]


# ---------------------------------------------------------------------------- holdouts 142-144: periods to date, AR


def test_how_much_of_that_by_wire_is_money_never_a_count(db):
    _, out = _chat(db, "cash in ytd?", "how much of that came in as wires")
    gold = _rows(
        db,
        "SELECT SUM(amount) FROM payments WHERE method = 'bank_transfer' AND date(paid_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


@pytest.mark.parametrize(
    ("question", "asker", "owner"),
    [
        ("bookings YTD vs where we were at this date in 2025", None, ""),
        ("q4 bookings to date vs the same stretch of q4 '25", None, ""),
        (
            "how's my team tracking on bookings this qtr vs the same point in q4 last year",
            MANAGER,
            f" AND owner_id IN {TEAM}",
        ),
    ],
)
def test_to_date_against_the_same_days_of_last_year(db, question, asker, owner):
    (out,) = _chat(db, question, asker=asker)
    start = "2026-01-01" if "YTD" in question else "2026-10-01"
    gold = _rows(
        db,
        f"SELECT SUM(CASE WHEN date(closed_at) BETWEEN '{start}' AND '2026-11-19' THEN amount END), "
        f"SUM(CASE WHEN date(closed_at) BETWEEN '{start.replace('2026', '2025')}' AND '2025-11-19' THEN amount END) "
        f"FROM deals WHERE stage = 'closed_won'{owner}",
    )[0]
    assert out["rows"][0][:2] == pytest.approx(list(gold), abs=0.01)


def test_days_of_a_month_said_as_ordinals(db):
    (out,) = _chat(db, "november cash so far vs the 1st-19th of nov last year - up or down and by how much?")
    gold = _rows(
        db,
        "SELECT SUM(CASE WHEN date(paid_at) BETWEEN '2026-11-01' AND '2026-11-19' THEN amount END), "
        "SUM(CASE WHEN date(paid_at) BETWEEN '2025-11-01' AND '2025-11-19' THEN amount END) FROM payments",
    )[0]
    assert out["rows"][0][:2] == pytest.approx(list(gold), abs=0.01)


def test_a_share_with_a_plus_is_at_least_that(scored):
    (out,) = _chat(scored, "open leads with an 50%+ conversion probability?")
    gold = _rows(
        scored,
        "SELECT company_name FROM leads WHERE status IN ('new', 'working', 'qualified') AND conversion_probability >= 0.5",
    )
    company = out["columns"].index("company")
    assert gold and sorted(r[company] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_invoices_with_a_months_due_date_are_those_due_then(db):
    (out,) = _chat(db, "whats still outstanding on invoices with a december due date? trying to plan cash")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT} AND i.due_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_invoices_we_sent_out_this_month_are_those_issued(db):
    (out,) = _chat(db, "whats total unpaid on invoices we sent out this month")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT} AND date(i.issue_date) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_what_my_customers_owe_is_of_accounts_in_the_customer_stage(db):
    (out,) = _chat(db, "how much do my customers owe us right now, total", asker=REP)
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        f"AND c.lifecycle_stage = 'customer' AND c.owner_id = {ME}",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_which_lead_has_the_highest_conversion_probability_is_one_lead(scored):
    (out,) = _chat(scored, "which open lead has the highest conversion probability right now?")
    gold = _rows(
        scored,
        "SELECT company_name FROM leads WHERE status IN ('new', 'working', 'qualified') "
        "ORDER BY conversion_probability DESC LIMIT 1",
    )
    assert len(out["rows"]) == 1 and gold[0][0] in out["rows"][0]


def test_a_score_or_better(scored):
    (out,) = _chat(scored, "which of my open leads are scoring 30 or better?", asker=REP)
    gold = _rows(
        scored,
        f"SELECT company_name FROM leads WHERE status IN ('new', 'working', 'qualified') AND score >= 30 AND owner_id = {ME}",
    )
    company = out["columns"].index("company")
    assert gold and sorted(r[company] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_cash_not_bookings_is_the_cash(db):
    (out,) = _chat(db, "how much revenue actually came in during H1 - cash, not bookings")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-01-01' AND '2026-06-30'"
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_which_date_tickets_are_bucketed_on_is_explained(db):
    (out,) = _chat(db, "for ticket counts by month, which date do you bucket them on? created or closed?")
    assert out["kind"] == "explanation" and not out["rows"]


def test_a_remark_on_whose_accounts_a_rep_has_adds_nothing(db):
    (out,) = _chat(db, "csat per rep on my team for Q3, based on the accounts they own", asker=MANAGER)
    (plain,) = _chat(db, "csat per rep on my team for Q3", asker=MANAGER)
    assert plain["rows"] and out["rows"] == plain["rows"]


def test_whats_owed_on_invoices_due_by_a_date_stays_placed_by_their_due_date(db):
    _, out = _chat(
        db, "show me sent invoices due between today and dec 31", "whats still owed on those in total"
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT} AND i.due_date BETWEEN '2026-11-19' AND '2026-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_a_filter_within_a_top_n_is_said_never_another_list(db):
    (out,) = _chat(db, "of our 20 biggest customers by ltv, which are medium or high churn risk?")
    assert not out["rows"] and out["kind"] in ("refusal", "clarification")
