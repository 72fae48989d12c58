"""Ways of asking learnt from the blind round of holdouts 103-105 (a sales director's Monday pipeline meeting on the
first working day of March, an account manager and a billing specialist writing long messages with the context first,
the CEO and the head of finance on the last day of the year), each checked against SQL written here by hand on the
refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

THIS_YEAR = "BETWEEN '2026-01-01' AND '2026-11-19'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_this_year_early_in_the_year_is_a_year_not_a_quarter():
    from tools.reports.nlq.cues import read_periods

    periods, _ = read_periods("win rate this year vs last year", date(2026, 3, 2))
    assert (periods.compare_to.start, periods.compare_to.end) == (date(2025, 1, 1), date(2025, 12, 31))
    periods, _ = read_periods("bookings ytd vs last year", date(2026, 3, 2))
    assert periods.compare_to.end == date(2025, 3, 2)  # the year so far: the same days a year earlier


def test_the_question_after_a_meeting_is_the_accounts(db):
    (out,) = _chat(
        db,
        "I have a call with Atlas Fabrication at 3 about their renewal - how much do they owe us right now?",
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE status = 'sent' AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_who_asked_and_when_the_meeting_is_are_not_part_of_the_question(db):
    (aging,) = _chat(
        db,
        "Omar wants to know how bad EMEA receivables look before the regional review - can you give me AR aging for "
        "EMEA accounts only?",
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND c.region = 'EMEA'",
    )
    assert sum(float(r[-1]) for r in aging["rows"]) == pytest.approx(gold[0][0])
    (monthly,) = _chat(db, "finance sync at 11 - can I get revenue by month for this year?")
    gold = _gold_pairs(
        db,
        "SELECT date(paid_at, 'start of month'), SUM(amount) FROM payments WHERE date(paid_at) "
        f"{THIS_YEAR} GROUP BY 1",
    )
    assert _pairs(monthly) == gold


def test_a_context_that_names_a_value_is_still_read(db):
    (out,) = _chat(db, "for the EMEA board deck: bookings this quarter")
    everyone = _rows(
        db,
        "SELECT SUM(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )[0][0]
    assert not out["rows"] or _figure(out) != pytest.approx(everyone)


def test_a_context_before_a_card_question(db):
    card, ltv = _chat(
        db,
        "I have a call with Bramble Logic at 3 and they've been quiet lately - how healthy are they? health score and "
        "churn risk pls",
        "and whats their LTV?",
    )
    assert card["kind"] == "card" and card["rows"][0][0] == "Bramble Logic"
    assert ltv["rows"][0][0] == "Bramble Logic"
    (risky,) = _chat(
        db,
        "renewals are coming up and I'd rather not get surprised. which of my customers are flagged high churn risk?",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name FROM companies c JOIN customer_insights ci ON ci.company_id = c.id WHERE ci.churn_risk = 'high' "
        f"AND c.lifecycle_stage = 'customer' AND c.owner_id = {ME}",
    )
    assert sorted(r[0] for r in risky["rows"]) == sorted(g[0] for g in gold)


def test_a_doubt_said_before_a_comparison_is_no_definition(db):
    (out,) = _chat(db, "are our deals getting smaller or is it just me? avg deal size this year vs last year")
    gold = _rows(
        db,
        f"SELECT (SELECT AVG(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) {THIS_YEAR}), "
        "(SELECT AVG(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2025-01-01' AND "
        "'2025-12-31')",
    )
    assert [round(float(v), 2) for v in out["rows"][0][:2]] == [round(g, 2) for g in gold[0]]


def test_what_a_long_message_asks_after_its_purpose(db):
    (rate,) = _chat(
        db,
        "putting together the QBR deck for thursday and I need our overall win rate for Q3 (jul-sep). company wide, "
        "not per rep pls",
    )
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
        "AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert _figure(rate) == pytest.approx(gold[0][0])
    (split,) = _chat(
        db,
        "how many new customers have we signed so far this year? split by region if you can, the regional leads "
        "keep asking me",
    )
    gold = _gold_pairs(
        db, f"SELECT region, COUNT(*) FROM companies WHERE date(customer_since) {THIS_YEAR} GROUP BY region"
    )
    assert _pairs(split) == gold


def test_columns_in_brackets_and_what_we_issued(db):
    (activities,) = _chat(
        db, "show me the last 5 activities on Bramble Logic, most recent first (date, type, subject)"
    )
    gold = _rows(
        db,
        f"SELECT subject FROM activities WHERE company_id = {ACCOUNT.format('Bramble Logic')} "
        "ORDER BY occurred_at DESC LIMIT 5",
    )
    assert activities["kind"] == "list" and len(activities["rows"]) == 5
    assert [r[activities["columns"].index("subject")] for r in activities["rows"]] == [g[0] for g in gold]
    (issued,) = _chat(
        db, "can you list everything we've issued Bison Bank B.V. this year with the status and total?"
    )
    gold = _rows(
        db,
        f"SELECT number FROM invoices WHERE company_id = {ACCOUNT.format('Bison Bank B.V.')} "
        f"AND date(issue_date) {THIS_YEAR}",
    )
    assert sorted(r[0] for r in issued["rows"]) == sorted(g[0] for g in gold)


def test_last_years_figure_put_next_to_it_is_the_whole_year(db):
    (out,) = _chat(
        db,
        "whats my team's win rate this year so far? and put last year's next to it so I can see if we're improving",
        asker=MANAGER,
    )
    rate = (
        "SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
        f"AND owner_id IN {TEAM} AND date(closed_at) "
    )
    this_year, last_year = (
        _rows(db, rate + THIS_YEAR)[0][0],
        _rows(db, rate + "BETWEEN '2025-01-01' AND '2025-12-31'")[0][0],
    )
    assert [round(float(v), 4) for v in out["rows"][0][:2]] == [round(this_year, 4), round(last_year, 4)]


def test_the_full_year_is_this_year(db):
    (out,) = _chat(db, "total revnue for the full yr?")
    gold = _rows(db, f"SELECT SUM(amount) FROM payments WHERE date(paid_at) {THIS_YEAR}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_the_end_of_a_period_on_its_last_day_is_today():
    from tools.reports.nlq.reader_said import at_period_end

    assert "as of today" in at_period_end("dso at year end?", date(2026, 12, 31))
    assert (
        at_period_end("dso at year end?", date(2026, 12, 30)) == "dso at year end?"
    )  # asked about, never guessed


def test_total_they_owe_after_their_overdue_amount_is_everything_owed(db):
    _, out = _chat(db, "whats overdue for Atlas Fabrication", "and total they owe incl. not yet due?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE status = 'sent' AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_then_at_the_end_is_a_follow_up_in_the_same_period(db):
    _, out = _chat(db, "how many deals did i lose this year", "whats my win rate then", asker=REP)
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', 'closed_lost') "
        f"AND owner_id = {ME} AND date(closed_at) {THIS_YEAR}",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_when_exactly_did_they_churn_is_the_date(db):
    (out,) = _chat(db, "vertex therapeutics - when exactly did they churn")
    assert out["rows"] == [["2026-10-04"]]


def test_a_pick_said_with_what_to_show_of_it(db):
    asked, picked = _chat(db, "how is Helix Education doing?", "the Inc one - health score and churn risk")
    assert asked["kind"] == "clarification" and picked["rows"][0][0] == "Helix Education Inc."


def test_there_after_the_one_region_shown_is_that_region(db):
    *_, lowest, lost = _chat(
        db, "win rate by region this qtr", "which one's lowest", "how many deals did we lose there this qtr"
    )
    region = lowest["rows"][0][0]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_lost' AND "
        f"c.region = '{region}' AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert _figure(lost) == gold[0][0]


def test_the_worst_offenders_are_the_accounts_owing_the_most(db):
    _, out = _chat(db, "how much is more than 90 days past due", "who are the 5 worst offenders there")
    gold = _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        f"julianday('2026-11-19') - julianday(i.due_date) > 90 GROUP BY c.id ORDER BY SUM({OWED}) DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_which_accounts_after_any_tickets_lists_the_tickets(db):
    (out,) = _chat(db, "any high or urgent tickets still open or pending? which accounts")
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE priority IN ('high', 'urgent') AND status IN ('open', 'pending')",
    )
    assert "customer" in out["columns"] and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
    (count,) = _chat(db, "how many tickets are open or pending right now")
    assert (
        _figure(count)
        == _rows(db, "SELECT COUNT(*) FROM support_tickets WHERE status IN ('open', 'pending')")[0][0]
    )


def test_a_context_of_what_someone_said_or_what_is_coming(db):
    (paid,) = _chat(
        db,
        "Bison Bank B.V.'s CFO is saying they've 'paid us a fortune this year' lol. how much have they actually paid us "
        "so far in 2025?",
    )
    gold = _rows(
        db,
        f"SELECT SUM(amount) FROM payments WHERE company_id = {ACCOUNT.format('Bison Bank B.V.')} AND date(paid_at) "
        "BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert _figure(paid) == pytest.approx(gold[0][0])
    (old,) = _chat(
        db,
        "auditors are coming in december and they always ask about the old stuff. how much do we have sitting 90+ "
        "days past due?",
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE} AND julianday('2026-11-19') - julianday(i.due_date) > 90",
    )
    assert _figure(old) == pytest.approx(gold[0][0])
    (defined,) = _chat(
        db,
        "customer success is quoting an LTV number at me for one of my accounts - is LTV here predicted or is it "
        "actual money we've already collected?",
    )
    assert defined["kind"] == "explanation" and "collected" in defined["answer"].lower()
