"""Ways of asking learnt from blind conversation sets (holdouts 25-27: a VP preparing a business review,
people writing in a second language, a founder on a phone), each checked against SQL written here by
hand on the refreshed demo (SQLite), through the same path as `crmbot chat --json`.

Several were silent drops before (a filter after "90+", "current customers" on invoices, an amount
written "100k something"): the test says what is kept, or that it asks instead of answering.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"
OPEN = "stage NOT IN ('closed_won', 'closed_lost')"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_team_named_after_the_word_team_is_the_team(db):
    *_, out = _chat(db, "win rate last quarter", "per rep?", "only the people of team NA East")
    gold = _rows(
        db,
        "SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE u.team = 'NA East' "
        "AND d.stage IN ('closed_won', 'closed_lost') AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' "
        "GROUP BY u.id",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(r[0] for r in gold)
    everyone = _rows(
        db, "SELECT COUNT(DISTINCT owner_id) FROM deals WHERE stage IN ('closed_won', 'closed_lost')"
    )
    assert len(gold) < everyone[0][0]  # the team, not everyone


def test_i_mean_is_a_clarification_not_an_average(db):
    (out,) = _chat(db, "how much we sold in october? the bookings i mean")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND closed_at LIKE '2026-10%'")[0][0]
    assert _figure(out) == pytest.approx(gold)
    assert "average" not in out["interpretation"]


def test_who_is_the_owner_of_each_lists_them_with_the_owner(db):
    (out,) = _chat(db, "our customers in Germany and who is the owner of each")
    gold = _rows(
        db,
        "SELECT c.name, u.name FROM companies c JOIN users u ON u.id = c.owner_id "
        "WHERE c.country = 'DE' AND c.lifecycle_stage = 'customer'",
    )
    assert out["kind"] == "list"
    assert "owner" in out["columns"]
    pairs = {(r[out["columns"].index("customer")], r[out["columns"].index("owner")]) for r in out["rows"]}
    assert pairs == set(gold)


def test_only_deals_of_region_companies_narrows_without_splitting_by_company(db):
    _, out, top = _chat(
        db, "open pipeline by stage", "now only deals of NA companies", "the 3 biggest deals there?"
    )
    gold = _rows(
        db,
        f"SELECT d.stage, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{OPEN} "
        "AND c.region = 'NA' GROUP BY d.stage",
    )
    assert out["columns"][0] == "stage"
    assert {r[0]: r[1] for r in out["rows"]} == pytest.approx(dict(gold))
    biggest = _rows(
        db,
        f"SELECT d.name FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{OPEN} AND c.region = 'NA' "
        "ORDER BY d.amount DESC LIMIT 3",
    )
    assert top["kind"] == "list"
    assert [r[0] for r in top["rows"]] == [r[0] for r in biggest]


def test_how_much_of_this_keeps_the_account(db):
    _, overdue, paid = _chat(
        db,
        "Sequoia AI Corp, how much they owe us?",
        "how much of this is overdue?",
        "and how much did they pay us since the start of 2025?",
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = 'Sequoia AI Corp' "
        "AND i.status = 'sent' AND i.due_date < '2026-11-19'",
    )[0][0]
    assert _figure(overdue) == pytest.approx(gold)
    revenue = _rows(
        db,
        "SELECT SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.name = 'Sequoia AI Corp' "
        "AND date(p.paid_at) BETWEEN '2025-01-01' AND '2026-11-19'",
    )[0][0]
    assert _figure(paid) == pytest.approx(revenue)


@pytest.mark.parametrize(
    "question",
    [
        "what you mean with billings?",
        "DSO, what it means exactly?",
        "what means 'revenue' for you? how you calculate it",
    ],
)
def test_definitions_asked_in_a_second_language(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation", out
    assert not out["rows"]


def test_since_the_start_of_a_year_runs_to_today(db):
    (out,) = _chat(db, "how many support tickets since the start of 2025?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2025-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]
    (out,) = _chat(db, "support tickets since the beginning of last quarter")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets WHERE date(created_at) BETWEEN '2026-07-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


def test_a_filter_after_the_90_plus_bucket_is_kept(db):
    (out,) = _chat(db, "how many invoices are overdue in the 90+ bucket in EMEA")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND julianday('2026-11-19') - julianday(i.due_date) > 90 AND c.region = 'EMEA'",
    )[0][0]
    assert _figure(out) == gold
    assert "EMEA" in out["interpretation"]


def test_current_customers_on_invoices_keeps_the_current_ones(db):
    (out,) = _chat(db, "overdue invoices of current customers")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND i.due_date < '2026-11-19' AND c.lifecycle_stage = 'customer'",
    )[0][0]
    everyone = _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'sent' AND due_date < '2026-11-19'")[
        0
    ][0]
    assert gold != everyone  # the demo has churned accounts with overdue invoices: the filter matters
    assert _figure(out) == gold


def test_an_amount_with_a_plus_is_a_lower_bound_and_an_unread_one_is_asked_about(db):
    (out,) = _chat(db, "deals in negotiation worth $100k+")
    gold = _rows(db, "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation' AND amount >= 100000")[0][0]
    assert out["kind"] == "list" and len(out["rows"]) == gold
    (out,) = _chat(db, "deals in negotiation worth 100k something")
    assert not out["rows"] and (out["refused"] or out["choices"]), out


def test_by_a_day_of_a_month_is_up_to_that_day(db):
    (out,) = _chat(db, "how many open deals are expected to close by December 15")
    gold = _rows(db, f"SELECT COUNT(*) FROM deals WHERE {OPEN} AND expected_close_date <= '2026-12-15'")[0][0]
    assert _figure(out) == gold
    (out,) = _chat(db, "bookings before June 1st")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) <= '2026-05-31'")[0][0]
    assert _figure(out) == pytest.approx(gold)


def test_a_year_written_with_an_apostrophe(db):
    (out,) = _chat(db, "dec bookings vs dec '24")
    this = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND closed_at LIKE '2025-12%'")[0][0]
    before = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND closed_at LIKE '2024-12%'")[0][0]
    assert out["rows"][0][:2] == pytest.approx([this, before])


@pytest.mark.parametrize("question", ["whats our growth", "hows it looking", "how much we did last month?"])
def test_no_measure_named_asks_back_with_choices(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "clarification" and out["choices"] and not out["rows"], out


def test_the_number_one_account_of_a_ranking_is_that_account(db):
    ranking, card, contacted = _chat(
        db,
        "top 5 customers by cash collected this year",
        "what's the health score and churn risk on the #1 account there?",
        "when did we last have a touchpoint with them?",
    )
    first = ranking["rows"][0][0]
    assert card["kind"] == "card" and card["rows"][0][0] == first
    gold = _rows(
        db,
        "SELECT MAX(date(a.occurred_at)) FROM activities a JOIN companies c ON c.id = a.company_id "
        f"WHERE c.name = '{first.replace(chr(39), chr(39) * 2)}'",
    )[0][0]
    assert contacted["rows"] == [[gold]]


def test_that_month_is_the_month_just_shown(db):
    _, strongest, reps = _chat(
        db, "bookings by month for 2025", "which month was strongest?", "top 3 reps by bookings in that month"
    )
    month = strongest["rows"][0][0][:7]
    gold = _rows(
        db,
        f"SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{WON} AND d.closed_at LIKE '{month}%' "
        "GROUP BY u.id ORDER BY SUM(d.amount) DESC LIMIT 3",
    )
    assert [r[0] for r in reps["rows"]] == [r[0] for r in gold]


def test_two_regions_compared_in_one_period_are_a_row_each(db):
    (out,) = _chat(db, "how did NA and EMEA compare last quarter on bookings")
    gold = _rows(
        db,
        f"SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{WON} "
        "AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' AND c.region IN ('NA', 'EMEA') GROUP BY c.region",
    )
    assert {r[0]: r[1] for r in out["rows"]} == pytest.approx(dict(gold))


def test_two_values_of_a_split_keep_a_row_each(db):
    _, out = _chat(
        db, "lead conversion rate by source for leads created in 2025", "just referral and partner"
    )
    assert sorted(r[0] for r in out["rows"]) == ["partner", "referral"]
    _, out = _chat(db, "open pipeline by stage", "ok just proposal + negotiation, total")
    gold = _rows(db, "SELECT SUM(amount) FROM deals WHERE stage IN ('proposal', 'negotiation')")[0][0]
    assert _figure(out) == pytest.approx(gold)


def test_the_lead_named_with_a_score_word_opens_its_card(db):
    (out,) = _chat(db, "the lead Deepa Brown, which score she has?")
    assert out["kind"] == "card", out
    assert out["rows"][0][0] == "Deepa Brown"


def test_did_a_company_open_is_the_verb(db):
    (out,) = _chat(db, "how many tickets did Sequoia AI Corp open last year")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE c.name = 'Sequoia AI Corp' "
        "AND date(t.created_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )[0][0]
    assert _figure(out) == gold


def test_accounts_named_with_what_they_did_are_listed(db):
    (out,) = _chat(db, "custs that churned so far this year?")
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-01-01' AND '2026-11-19'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]
    (out,) = _chat(db, "new customers this month? names")
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(customer_since) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]
