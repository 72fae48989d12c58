"""Ways of asking learnt from the blind rounds of holdouts 166 onwards (a regional director drilling from team to rep to
account after a quarter close, customer success in early September, a CRO and a finance director before year end),
and of 169 onwards (SDRs working leads in January, a forecast call before the half-year ends, finance and the CEO in
mid-November), each checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through the
same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
Q2 = "BETWEEN '2026-04-01' AND '2026-06-30'"
Q3 = "BETWEEN '2026-07-01' AND '2026-09-30'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def _bookings(db, between: str, owner: str = "") -> float:
    return _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {between}{owner}")[0][0]


# ------------------------------------------------------------------------------------------------------ periods


def test_vs_all_of_last_year_is_the_whole_year(db):
    *_, out = _chat(db, "how much have i closed this year", "vs all of last year?", asker=REP)
    mine = f" AND owner_id = {ME}"
    assert out["rows"][0][:2] == pytest.approx(
        [
            _bookings(db, "BETWEEN '2026-01-01' AND '2026-11-19'", mine),
            _bookings(db, "BETWEEN '2025-01-01' AND '2025-12-31'", mine),
        ]
    )


def test_the_total_for_a_quarter_after_a_split_by_month_is_one_figure(db):
    *_, out = _chat(db, "open pipeline broken out by expected close month", "whats the total for q1 2027")
    gold = _rows(
        db,
        "SELECT SUM(amount) FROM deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation') AND "
        "expected_close_date BETWEEN '2027-01-01' AND '2027-03-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_two_bare_quarters_compared_are_the_latest_of_each_not_the_threads_year(db):
    *_, out = _chat(db, "new customers q4 2025 vs q3 2025?", "sorry, meant q3 vs q2 - not q4 vs q3")
    assert out["columns"][:2] == ["Q3 2026", "Q2 2026"]


def test_the_quarter_before_named_again_in_brackets(db):
    *_, out = _chat(
        db, "how did q3 bookings stack up against q3 last year?", "and vs the quarter before (q2)?"
    )
    assert out["rows"][0][:2] == pytest.approx([_bookings(db, Q3), _bookings(db, Q2)])


def test_the_typical_deal_bigger_in_one_quarter_or_another_is_the_average_deal_size(db):
    (out,) = _chat(db, "was the typical deal we won bigger in Q3 or Q2? give me the avg for each")
    gold = [
        _rows(db, f"SELECT AVG(amount) FROM deals WHERE {WON} AND date(closed_at) {q}")[0][0]
        for q in (Q3, Q2)
    ]
    assert out["rows"][0][:2] == pytest.approx(gold)


# ------------------------------------------------------------------------------------------ people in the thread


def test_her_after_a_reps_figure_is_that_rep(db):
    *_, out = _chat(db, "wei andersson's q3 bookings vs q2", "what are her 3 biggest accounts by ltv")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        f"'customer' AND c.owner_id = {ME} ORDER BY ci.ltv DESC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_the_one_whos_down_then_he_and_his_accounts_most_likely_to_churn(db):
    _, lost, churn = _chat(
        db,
        "my team's bookings per rep, q3 vs q3 last year",
        "wei andersson's the one who's down. what did he lose in q3 and why?",
        "which of his accounts is most likely to churn?",
        asker=MANAGER,
    )
    gold = _rows(
        db, f"SELECT name FROM deals WHERE stage = 'closed_lost' AND owner_id = {ME} AND date(closed_at) {Q3}"
    )
    assert (
        sorted(r[0] for r in lost["rows"]) == sorted(g[0] for g in gold) and "lost reason" in lost["columns"]
    )
    top = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        f"'customer' AND c.owner_id = {ME} ORDER BY ci.churn_probability DESC LIMIT 1",
    )
    assert [r[0] for r in churn["rows"]] == [top[0][0]]


def test_one_rep_on_their_own_after_the_team(db):
    *_, out = _chat(db, "bookings for my team in q3", "what about wei andersson on his own?", asker=MANAGER)
    assert _figure(out) == pytest.approx(_bookings(db, Q3, f" AND owner_id = {ME}"))
    team = _rows(
        db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {Q3} AND owner_id IN {TEAM}"
    )
    assert _figure(out) < team[0][0]


# -------------------------------------------------------------------------------------------- accounts and words


def test_across_all_customers_after_a_regions_figure_is_everyone(db):
    *_, out = _chat(db, "avg health score for emea customers", "and latam?", "across all customers?")
    gold = _rows(
        db,
        "SELECT AVG(ci.health_score) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)


def test_outstanding_from_customers_we_havent_contacted(db):
    (out,) = _chat(db, "total outstanding from customers we havent contacted in 30+ days?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' AND "
        "c.lifecycle_stage = 'customer' AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.company_id = c.id AND "
        "date(a.occurred_at) >= date('2026-11-19', '-30 days'))",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_what_csat_my_customers_are_giving_is_their_average(db):
    (out,) = _chat(db, "what csat are my customers giving us this yr", asker=REP)
    gold = _rows(
        db,
        "SELECT AVG(t.satisfaction) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE "
        f"c.owner_id = {ME} AND date(t.created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert out["kind"] == "report" and _figure(out) == pytest.approx(gold[0][0], abs=1e-3)


def test_the_five_biggest_by_a_value_after_a_count_rank_those(db):
    *_, out = _chat(db, "how many NA customers do we have", "what are the 5 biggest by lifetime value?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        "'customer' AND c.region = 'NA' ORDER BY ci.ltv DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_deals_with_a_regions_companies_are_the_deals_there(db):
    (out,) = _chat(db, "top 5 deals we won in q3 with NA companies")
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{WON} AND c.region = 'NA' AND "
        f"date(d.closed_at) {Q3} ORDER BY d.amount DESC LIMIT 5",
    )
    assert out["kind"] == "list" and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_is_that_this_over_all_or_just_that_asks_the_definition(db):
    (out,) = _chat(
        db, "lead conversion rate: is that converted leads over all leads, or just over the qualified ones?"
    )
    assert out["kind"] == "explanation" and not out["rows"]


# --------------------------------------------------------------------------- holdouts 169 onwards: corrections, hunches


def test_a_region_taken_back_with_i_mean_after_it(db):
    (out,) = _chat(db, "5 largest open deals in apac - sorry, EMEA i mean")
    gold = _rows(
        db,
        "SELECT d.name FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage IN ('prospecting', "
        "'qualification', 'proposal', 'negotiation') AND c.region = 'EMEA' ORDER BY d.amount DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_a_hunch_after_a_comparison_by_reason_filters_nothing(db):
    (out,) = _chat(db, "lost deals by reason, Q3 2026 vs Q2 2026 - are we losing more on price?")
    gold = _rows(
        db,
        "SELECT DISTINCT lost_reason FROM deals WHERE stage = 'closed_lost' AND date(closed_at) BETWEEN '2026-04-01' "
        "AND '2026-09-30'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold) and len(gold) > 1


def test_a_musing_before_the_ask_of_a_sales_cycle(db):
    (out,) = _chat(db, "are deals taking longer to close? sales cycle Q3 2026 vs Q2 2026")
    gold = [
        _rows(
            db,
            f"SELECT AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE {WON} AND "
            f"date(closed_at) {q}",
        )[0][0]
        for q in (Q3, Q2)
    ]
    assert out["rows"][0][:2] == pytest.approx(gold, abs=0.05)


def test_my_guys_against_everyone_else_is_every_team(db):
    (out,) = _chat(
        db,
        "win rate this qtr by team - want to see how my guys stack up against everyone else",
        asker=MANAGER,
    )
    gold = _rows(
        db,
        "SELECT COUNT(DISTINCT u.team) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage IN ('closed_won', "
        "'closed_lost') AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert len(out["rows"]) == gold[0][0] > 1


def test_what_each_rep_on_my_team_still_has_open(db):
    (out,) = _chat(
        db,
        "for the forecast: what does each rep on my team still have open with an expected close date in Q4?",
        asker=MANAGER,
    )
    gold = _gold_pairs(
        db,
        "SELECT u.name, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage IN ('prospecting', "
        f"'qualification', 'proposal', 'negotiation') AND d.owner_id IN {TEAM} AND d.expected_close_date BETWEEN "
        "'2026-10-01' AND '2026-12-31' GROUP BY u.name",
    )
    assert _pairs(out) == gold


def test_when_was_each_one_due_lists_the_invoices_again(db):
    *_, out = _chat(db, "pull the overdue invoices for Atlas Fabrication", "when was each one due?")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {OVERDUE} AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert out["kind"] == "list" and "due" in out["columns"]
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_not_in_touch_for_a_number_plus_days(db):
    (out,) = _chat(db, "customers we haven't been in touch with for 90+ days")
    gold = _rows(
        db,
        "SELECT c.name FROM companies c WHERE c.lifecycle_stage = 'customer' AND NOT EXISTS (SELECT 1 FROM activities a "
        "WHERE a.company_id = c.id AND date(a.occurred_at) >= date('2026-11-19', '-90 days'))",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_leads_still_in_new_are_in_status_new(db):
    (out,) = _chat(db, "fine, how many of my leads are still in new then?", asker=REP)
    gold = _rows(db, f"SELECT COUNT(*) FROM leads WHERE status = 'new' AND owner_id = {ME}")
    assert _figure(out) == gold[0][0]


def test_how_do_you_cut_the_buckets_asks_the_definition(db):
    (out,) = _chat(db, "how do you cut the aging buckets? like what lands in 1-30 vs current")
    assert out["kind"] == "explanation" and not out["rows"]


def test_in_each_region_after_one_region_is_every_region(db):
    *_, out = _chat(
        db,
        "how many customers churned last quarter?",
        "which ones were in LATAM?",
        "and how many in each region",
    )
    gold = _gold_pairs(
        db, f"SELECT region, COUNT(*) FROM companies WHERE date(churned_at) {Q3} GROUP BY region"
    )
    assert _pairs(out) == gold


def test_list_the_records_after_one_accounts_figure_are_that_accounts(db):
    *_, out = _chat(
        db, "how much does Atlas Fabrication owe us in total", "list the open invoices w/ due dates"
    )
    gold = _rows(
        db,
        f"SELECT number FROM invoices WHERE status = 'sent' AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
