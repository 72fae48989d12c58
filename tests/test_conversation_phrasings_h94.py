"""Ways of asking learnt from the blind round of holdouts 94-96 (a regional manager and her reps on the last day of a
quarter, a controller and a receivables clerk closing the year, a new head of customer success and the founder
asking in plain words), each checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday
2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, ME, OPEN_STAGES, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "d.stage = 'closed_won'"
OPEN = f"d.{OPEN_STAGES}"
OCTOBER = "BETWEEN '2026-10-01' AND '2026-10-31'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


@pytest.mark.parametrize(
    "question",
    [
        "Which customers paid us by check in October?",
        "revenue by check in october",
        "cash paid via check in oct",
    ],
)
def test_a_payment_by_check_is_the_payment_method(db, question):
    (out,) = _chat(db, question)
    gold = _rows(db, f"SELECT SUM(amount) FROM payments WHERE method = 'check' AND date(paid_at) {OCTOBER}")
    assert sum(float(r[-1]) for r in out["rows"]) == pytest.approx(gold[0][0]), out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "whats the aging buckets u use",
        "When the sales team says 'bookings', what does that correspond to?",
        "when the bot says an account hasn't been contacted in 30 days, contacted how? what counts",
    ],
)
def test_what_a_word_means_is_explained_not_computed(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and not out["refused"] and not out["rows"], out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "email each rep on my team their q3 number and cc me",
        "Harborview Labs's tickets are all sorted now, please go ahead and close every one of their open tickets",
    ],
)
def test_a_message_to_people_or_a_change_to_records_is_refused(db, question):
    (out,) = _chat(db, question, asker=MANAGER)
    assert out["kind"] == "refusal" and out["refused"] and not out["rows"], out["answer"]


def test_behind_on_my_team_is_a_ranking_not_overdue_invoices(db):
    (out,) = _chat(db, "whos behind on my team? q3 bookings per rep, lowest first", asker=MANAGER)
    gold = _rows(
        db,
        f"SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE {WON} AND "
        f"date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' AND d.owner_id IN {TEAM} GROUP BY u.name "
        "ORDER BY 2 ASC",
    )
    assert [(r[0], round(float(r[-1]), 2)) for r in out["rows"]] == [(g[0], round(g[1], 2)) for g in gold]


def test_values_given_as_examples_of_a_split_are_no_filter(db):
    (out,) = _chat(db, "how did customers pay us last quarter - card, bank transfer etc, amounts per method")
    gold = _gold_pairs(
        db,
        "SELECT method, SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30' "
        "GROUP BY method",
    )
    assert _pairs(out) == gold and len(gold) > 2


def test_deals_described_by_a_clause_are_listed_and_a_past_tense_date_is_behind_us(db):
    (out,) = _chat(db, "open deals that were supposed to close in October but are still open")
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d WHERE {OPEN} AND date(d.expected_close_date) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert gold and out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


@pytest.mark.parametrize(
    "question",
    [
        "anything slipped? open deals w a close date before today",
        "open deals with a close date earlier than today",
    ],
)
def test_a_close_date_before_today_is_past_it(db, question):
    (out,) = _chat(db, question)
    gold = _rows(
        db, f"SELECT d.name FROM deals d WHERE {OPEN} AND date(d.expected_close_date) < '2026-11-19'"
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_compare_for_me_is_a_request_not_my_records(db):
    (out,) = _chat(db, "are tickets going up? compare october with september for me")
    gold = _rows(
        db,
        "SELECT (SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-10-01' AND '2026-10-31'), "
        "(SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-09-01' AND '2026-09-30')",
    )
    assert out["rows"][0][:2] == list(gold[0]) and gold[0][0] > 0


def test_the_same_quarter_last_year_alone_compares_this_quarter(db):
    (out,) = _chat(db, "and against the same qtr last yr? bookings")
    gold = _rows(
        db,
        f"SELECT (SELECT SUM(d.amount) FROM deals d WHERE {WON} AND date(d.closed_at) BETWEEN '2026-10-01' AND "
        f"'2026-11-19'), (SELECT SUM(d.amount) FROM deals d WHERE {WON} AND date(d.closed_at) BETWEEN '2025-10-01' "
        "AND '2025-11-19')",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_both_quarters_compares_the_two_periods_asked(db):
    *_, out = _chat(
        db,
        "my team's bookings this q",
        "what about q3 last yr",
        "side by side per rep, both quarters",
        asker=MANAGER,
    )
    gold = _rows(
        db,
        "SELECT u.name, SUM(CASE WHEN date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' THEN d.amount ELSE 0 END), "
        "SUM(CASE WHEN date(d.closed_at) BETWEEN '2025-07-01' AND '2025-09-30' THEN d.amount ELSE 0 END) FROM deals d "
        f"JOIN users u ON u.id = d.owner_id WHERE {WON} AND d.owner_id IN {TEAM} GROUP BY u.name",
    )
    got = sorted((r[0], round(r[1], 2), round(r[2], 2)) for r in out["rows"])
    assert got == sorted((g[0], round(g[1], 2), round(g[2], 2)) for g in gold if g[1] or g[2])


def test_top_n_by_balance_ranks_the_invoices_listed(db):
    *_, out, owners = _chat(
        db, "overdue invoices for NA accounts", "top 5 by balance", "who owns those accounts"
    )
    gold = _rows(
        db,
        "SELECT i.number, u.name FROM invoices i JOIN companies c ON c.id = i.company_id JOIN users u ON "
        "u.id = c.owner_id WHERE i.status = 'sent' AND i.due_date < '2026-11-19' AND c.region = 'NA' ORDER BY "
        "i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0) DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]
    assert sorted((r[0], r[-1]) for r in owners["rows"]) == sorted(gold)


def test_one_accounts_value_beside_its_owner(db):
    (out,) = _chat(db, "since when has Harborview Labs been a customer, and whose account is it")
    gold = _rows(
        db,
        "SELECT u.name, c.customer_since FROM companies c JOIN users u ON u.id = c.owner_id WHERE "
        "c.name = 'Harborview Labs'",
    )
    assert [tuple(r) for r in out["rows"]] == [(gold[0][0], str(gold[0][1])[:10])]


def test_the_latest_activities_of_an_account_before_a_call(db):
    (out,) = _chat(
        db, "before I call Harborview Labs tmrw, what have we been doing with them? last 5 activities"
    )
    gold = _rows(
        db,
        "SELECT a.id FROM activities a JOIN companies c ON c.id = a.company_id WHERE c.name = 'Harborview Labs' "
        "ORDER BY a.occurred_at DESC LIMIT 5",
    )
    assert out["kind"] == "list" and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_another_span_of_no_contact_keeps_the_question(db):
    *_, out, high = _chat(
        db,
        "how many customers haven't had any contact from us in 90 days",
        "and in 30 days?",
        "which of those 30-day ones are high churn risk",
    )
    stale = (
        "c.lifecycle_stage = 'customer' AND COALESCE((SELECT MAX(date(a.occurred_at)) FROM activities a WHERE "
        "a.company_id = c.id), '1900-01-01') < date('2026-11-19', '-30 days')"
    )
    gold = _rows(db, f"SELECT COUNT(*) FROM companies c WHERE {stale}")
    assert _figure(out) == gold[0][0]
    gold = _rows(
        db,
        f"SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE {stale} AND "
        "ci.churn_risk = 'high'",
    )
    assert sorted(r[0] for r in high["rows"]) == sorted(g[0] for g in gold)


def test_the_split_said_after_who_has_the_most_is_every_row_and_statuses_filter(db):
    (out,) = _chat(db, "who has the most open leads on their plate (new, working or qualified)? by rep")
    gold = _gold_pairs(
        db,
        "SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status IN "
        "('new', 'working', 'qualified') GROUP BY u.name",
    )
    assert _pairs(out) == gold and len(gold) > 1


def test_where_leads_came_from_is_their_source(db):
    (out,) = _chat(db, "leads that came in last week, by where they came from")
    gold = _gold_pairs(
        db,
        "SELECT source, COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2026-11-09' AND '2026-11-15' GROUP BY source",
    )
    assert _pairs(out) == gold


def test_only_the_people_on_a_team_narrows_the_reps_shown(db):
    *_, out = _chat(db, "what were bookings last quarter", "now by rep", "only the people on the EMEA team")
    gold = _gold_pairs(
        db,
        f"SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE {WON} AND "
        "date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' AND u.team = 'EMEA' GROUP BY u.name",
    )
    assert _pairs(out) == gold


def test_the_same_period_after_a_fiscal_year(db):
    _, out = _chat(
        db,
        "What was total cash collected for fiscal year 2025?",
        "And the amount invoiced over the same period?",
    )
    gold = _rows(
        db,
        "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND date(issue_date) BETWEEN '2025-01-01' "
        "AND '2025-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_invoice_numbers_asked_in_shorthand_list_the_invoices(db):
    (out,) = _chat(db, "whats stuck in draft or pending approval? need inv #s and amounts")
    gold = _rows(db, "SELECT number FROM invoices WHERE status IN ('draft', 'pending_approval')")
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_debtors_and_late_payers_are_what_accounts_owe(db):
    (out,) = _chat(db, "top 10 debtors rn")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "GROUP BY c.id ORDER BY 2 DESC LIMIT 10",
    )
    assert [(r[0], round(r[-1], 2)) for r in out["rows"]] == [(g[0], round(g[1], 2)) for g in gold]
    (out,) = _chat(db, "which customers are late paying us? top 10 by how much is overdue")
    assert out["kind"] == "report" and len(out["rows"]) == 10 and "overdue" in " ".join(out["columns"])


@pytest.mark.parametrize(
    ("question", "column", "first", "second"),
    [
        (
            "new customer count this quarter v last quarter",
            "customer_since",
            ("2026-10-01", "2026-11-19"),
            ("2026-07-01", "2026-09-30"),
        ),
        (
            "did more customers leave us in 2025 than in 2024?",
            "churned_at",
            ("2025-01-01", "2025-12-31"),
            ("2024-01-01", "2024-12-31"),
        ),
    ],
)
def test_customers_gained_or_lost_in_two_periods(db, question, column, first, second):
    (out,) = _chat(db, question)
    count = "SELECT COUNT(*) FROM companies WHERE date({}) BETWEEN '{}' AND '{}'"
    gold = [_rows(db, count.format(column, *span))[0][0] for span in (first, second)]
    assert out["rows"][0][:2] == gold


def test_what_the_model_thinks_will_churn_with_the_date(db):
    (out,) = _chat(
        db, "which customers does the model think will churn before the end of march? with the predicted date"
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        "'customer' AND ci.predicted_churn_date <= '2027-03-31'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
    assert "predicted churn date" in out["columns"]


def test_leads_still_in_play_and_the_ones_nobody_worked(db, scored):
    (out,) = _chat(scored, "best 5 EMEA leads by score that are still in play, not converted or disqualified")
    gold = _rows(
        scored,
        "SELECT first_name || ' ' || last_name FROM leads WHERE region = 'EMEA' AND status IN ('new', 'working', "
        "'qualified') ORDER BY score DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]
    (out,) = _chat(db, "how many leads are still status new, nobody's worked them")
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM leads WHERE status = 'new'")[0][0]


RESOLVED = "AVG((julianday(resolved_at) - julianday(created_at)) * 24)"


def test_a_yes_or_no_question_before_the_figure_asked(db):
    (out,) = _chat(
        db, "is support getting faster? avg hours to resolve tickets, last month vs the month before"
    )
    gold = _rows(
        db,
        f"SELECT (SELECT {RESOLVED} FROM support_tickets WHERE resolved_at IS NOT NULL AND date(created_at) BETWEEN "
        f"'2026-10-01' AND '2026-10-31'), (SELECT {RESOLVED} FROM support_tickets WHERE resolved_at IS NOT NULL AND "
        "date(created_at) BETWEEN '2026-09-01' AND '2026-09-30')",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]), abs=0.01)
    _, out = _chat(
        db,
        "whats the health score on Harborview Labs",
        "why do you think that is? how many support tickets have they opened this year",
    )
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE c.name = "
        "'Harborview Labs' AND date(t.created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


def test_everyday_words_for_cash_in_the_bank_and_dollar_terms(db):
    (out,) = _chat(db, "how much money actually landed in our bank account in october")
    gold = _rows(db, f"SELECT SUM(amount) FROM payments WHERE date(paid_at) {OCTOBER}")
    assert _figure(out) == pytest.approx(gold[0][0])
    (out,) = _chat(db, "what did sales close (won) in october in dollar terms?")
    gold = _rows(db, f"SELECT SUM(d.amount) FROM deals d WHERE {WON} AND date(d.closed_at) {OCTOBER}")
    assert _figure(out) == pytest.approx(gold[0][0])
    (out,) = _chat(db, "what avg satisfaction score did Harborview Labs give our support team in 2025")
    gold = _rows(
        db,
        "SELECT AVG(t.satisfaction) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE c.name = "
        "'Harborview Labs' AND date(t.created_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=1e-3)


def test_whats_still_open_after_my_bookings_is_my_open_pipeline(db):
    _, out = _chat(db, "how much have i closed won this q", "and whats still open for me, total $", asker=REP)
    gold = _rows(db, f"SELECT SUM(d.amount) FROM deals d WHERE {OPEN} AND d.owner_id = {ME}")
    assert _figure(out) == pytest.approx(gold[0][0])


@pytest.mark.parametrize(
    ("question", "part", "whole"),
    [
        (
            "what % of our tickets are urgent",
            "SELECT COUNT(*) FROM support_tickets WHERE priority = 'urgent'",
            "SELECT COUNT(*) FROM support_tickets",
        ),
        (
            "what share of open deals are in negotiation",
            "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation'",
            "SELECT COUNT(*) FROM deals d WHERE " + OPEN,
        ),
        (
            "what percentage of our customers are high churn risk",
            "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
            "c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high'",
            "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
            "c.lifecycle_stage = 'customer'",
        ),
    ],
)
def test_a_share_of_records_is_a_share_not_their_list(db, question, part, whole):
    (out,) = _chat(db, question)
    part, whole = _rows(db, part)[0][0], _rows(db, whole)[0][0]
    assert out["kind"] == "report" and out["rows"][0] == pytest.approx([part, whole, part / whole], abs=1e-6)


def test_how_many_of_my_customers_and_how_many_of_those_are_at_high_risk(db):
    (out,) = _chat(
        db,
        "how many customers am I looking after, and how many of those are flagged high churn risk?",
        asker=REP,
    )
    mine = (
        "FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = 'customer' "
        f"AND c.owner_id = {ME}"
    )
    whole = _rows(db, f"SELECT COUNT(*) {mine}")[0][0]
    high = _rows(db, f"SELECT COUNT(*) {mine} AND ci.churn_risk = 'high'")[0][0]
    assert sorted(out["rows"][0][:2]) == sorted([high, whole])
