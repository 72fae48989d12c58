"""Ways of asking learnt from blind conversation sets (holdouts 13-15), each checked against SQL written
here by hand on the refreshed demo (SQLite), through the same path as `crmbot chat --json`.

A meeting named in a remark is not a measure ("for tomorrow's pipeline review: ..."); "by the end of
Q1" is any day up to that quarter's last; "incl. today" is no second period; "list them with X" after a
count lists the records counted; "each of those five" after a ranking keeps those groups; "no sorry,
I meant X" swaps the measure; "how many ... above 50%" counts; "and what are they worth" adds the
amount; "what do we sell and at what price" is the catalog; "who is on the X team" lists people;
"3 or more leads" bounds each group's count; a quoted word after "what is" asks for its definition; a
parenthesis naming every bucket is the split by them; "urgent or high priority" is a filter.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import rows as _rows


def _chat_as(db_path, email: str, *questions: str) -> list[dict]:
    return _chat(db_path, *questions, asker=email)


WON = "stage = 'closed_won'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def _bookings(db, start: str, end: str) -> float:
    sql = f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '{start}' AND '{end}'"
    return _rows(db, sql)[0][0]


def test_a_meeting_named_in_a_remark_is_not_a_measure(db):
    (out,) = _chat(db, "for tomorrow's pipeline review: bookings this quarter vs last quarter?")
    assert out["kind"] == "report", out
    values = out["rows"][0]
    assert values[0] == pytest.approx(_bookings(db, "2026-10-01", "2026-11-19"), abs=0.01)
    assert values[1] == pytest.approx(_bookings(db, "2026-07-01", "2026-09-30"), abs=0.01)
    (out,) = _chat(db, "what's the weather like tomorrow?")
    assert out["refused"]


def test_by_the_end_of_a_bare_quarter_is_the_next_one(db):
    (out,) = _chat(db, "how many customers are predicted to churn by the end of Q1?")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.predicted_churn_date <= '2027-03-31'",
    )[0][0]
    assert _figure(out) == gold
    assert "2027" in out["interpretation"]


def test_including_today_is_no_second_period(db):
    a, b = _chat(db, "new leads in the last 7 days incl. today", "new leads in the last 7 days")
    assert a["kind"] == "report" and a["rows"] == b["rows"]


def test_list_them_with_a_measure_after_a_count_lists_the_records_counted(db):
    count, listed = _chat(
        db, "how many customers are at high churn risk?", "list them with their health scores"
    )
    assert listed["kind"] == "list" and len(listed["rows"]) == _figure(count)
    assert "health score" in listed["columns"]


def test_each_of_those_after_a_ranking_keeps_those_groups(db):
    top, rates = _chat(
        db, "top 5 reps by bookings this year", "what's the win rate for each of those five, same period"
    )
    reps = {row[0] for row in top["rows"]}
    assert len(reps) == 5 and {row[0] for row in rates["rows"]} == reps
    gold = dict(
        _rows(
            db,
            "SELECT u.name, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u "
            "ON u.id = d.owner_id WHERE d.stage IN ('closed_won', 'closed_lost') AND date(d.closed_at) "
            "BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY u.name",
        )
    )
    for rep, rate in rates["rows"]:
        assert rate == pytest.approx(gold[rep], abs=1e-4)


def test_i_meant_swaps_the_measure_and_keeps_the_rest(db):
    _, won = _chat(db, "how many deals did we close last quarter?", "no sorry, I meant won deals only")
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0][0]
    assert _figure(won) == gold
    _, bookings = _chat(db, "revenue last month", "hm no, I meant bookings")
    assert _figure(bookings) == pytest.approx(_bookings(db, "2026-10-01", "2026-10-31"), abs=0.01)


def test_how_many_above_a_bar_counts_the_records(db):
    (out,) = _chat(db, "how many leads have a conversion probability above 50%?")
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM leads WHERE conversion_probability > 0.5")[0][0]


def test_and_what_are_they_worth_adds_the_amount(db):
    (out,) = _chat(db, "how many deals are in negotiation at this point and what are they worth")
    assert out["rows"] == [
        list(_rows(db, "SELECT COUNT(*), ROUND(SUM(amount), 2) FROM deals WHERE stage = 'negotiation'")[0])
    ]


def test_what_we_sell_and_at_what_price_is_the_catalog(db):
    (out,) = _chat(db, "what add-ons do we sell and at what price?")
    gold = _rows(db, "SELECT name, unit_price FROM products WHERE category = 'Add-ons'")
    assert sorted(map(tuple, out["rows"])) == sorted(gold)


def test_who_is_on_a_team_lists_its_people(db):
    (out,) = _chat(db, "who's on the EMEA team?")
    gold = {r[0] for r in _rows(db, "SELECT name FROM users WHERE team = 'EMEA'")}
    assert out["kind"] == "list" and {row[0] for row in out["rows"]} == gold


def test_n_or_more_bounds_each_groups_count(db):
    (out,) = _chat(db, "which reps have 3 or more leads in new status?")
    gold = _rows(
        db,
        "SELECT u.name, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status = 'new' "
        "GROUP BY u.name HAVING COUNT(*) >= 3",
    )
    assert sorted(map(tuple, out["rows"])) == sorted(gold)
    (out,) = _chat(db, "who owes the most in the 90+ bucket? top 5")  # a bucket, not a bound
    assert out["kind"] == "report" and len(out["rows"]) == 5


def test_a_quoted_word_after_what_is_asks_for_its_definition(db):
    (out,) = _chat(db, "quick one - what exactly is 'bookings' in here?")
    assert out["kind"] == "explanation" and "won" in out["answer"]


def test_a_parenthesis_naming_every_bucket_is_the_split_by_them(db):
    (out,) = _chat(db, "AR aging please, using the standard buckets (current, 1-30, 31-60, 61-90, 90+)")
    assert [row[0] for row in out["rows"]] == ["current", "1-30", "31-60", "61-90", "90+"]


def test_some_values_before_their_name_are_a_filter_not_a_split(db):
    (out,) = _chat(db, "urgent or high priority tickets still in open status - which company and subject")
    gold = _rows(
        db, "SELECT COUNT(*) FROM support_tickets WHERE status = 'open' AND priority IN ('urgent', 'high')"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


def test_compared_against_with_the_change_is_one_comparison(db):
    (out,) = _chat(
        db,
        "For the quarterly close pack, could you compare what we invoiced in Q3 2026 against Q2 2026, with the change?",
    )
    assert out["kind"] == "report", out
    invoiced = "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND date(issue_date) BETWEEN"
    q3 = _rows(db, f"{invoiced} '2026-07-01' AND '2026-09-30'")[0][0]
    q2 = _rows(db, f"{invoiced} '2026-04-01' AND '2026-06-30'")[0][0]
    assert out["rows"][0][:3] == pytest.approx([q3, q2, q3 - q2], abs=0.01)


def _churned_account(db) -> tuple[str, str]:
    """A churned company whose name, and whose first word, no other company has."""
    return _rows(
        db,
        "SELECT c.name, date(c.churned_at) FROM companies c WHERE c.churned_at IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM companies o WHERE o.id != c.id AND lower(substr(o.name, 1, instr(o.name || ' ', ' ') - 1)) "
        "= lower(substr(c.name, 1, instr(c.name || ' ', ' ') - 1))) ORDER BY c.id LIMIT 1",
    )[0]


def test_when_did_an_account_churn_is_its_date(db):
    name, churned = _churned_account(db)
    (out,) = _chat(db, f"when did {name} churn")
    assert out["rows"] == [[churned]], out


def test_their_first_payment_is_the_earliest(db):
    name = _rows(
        db,
        "SELECT c.name FROM payments p JOIN companies c ON c.id = p.company_id GROUP BY c.id HAVING COUNT(*) > 2 LIMIT 1",
    )[0][0]
    _, first = _chat(db, f"how much has {name} paid us in total", "when did their first payment come in?")
    earliest = _rows(
        db,
        f"SELECT MIN(date(p.paid_at)) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.name = '{name}'",
    )[0][0]
    assert len(first["rows"]) == 1 and earliest in [str(v)[:10] for v in first["rows"][0]]
    assert first["answer"].startswith("Earliest")


def test_accounts_that_did_something_are_listed(db):
    (out,) = _chat(db, "customers that churned this month + the date they churned")
    gold = _rows(
        db, "SELECT name FROM companies WHERE date(churned_at) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
    (out,) = _chat(db, "how many customers churned this month")
    assert _figure(out) == len(gold)


def test_a_leads_own_name_opens_its_card(db):
    (name,) = _rows(
        db,
        "SELECT first_name || ' ' || last_name FROM leads l WHERE NOT EXISTS (SELECT 1 FROM leads o WHERE o.id != l.id "
        "AND o.first_name = l.first_name AND o.last_name = l.last_name) AND NOT EXISTS (SELECT 1 FROM companies c "
        "WHERE lower(c.name) = lower(l.first_name || ' ' || l.last_name)) ORDER BY l.id LIMIT 1",
    )[0]
    (out,) = _chat(db, f"whats the score on {name.lower()}")
    assert out["kind"] == "card" and out["rows"][0][0] == name, out


def test_days_past_due_are_the_aging_buckets_past_them(db):
    (out,) = _chat(db, "how many invoices are more than 60 days past due, and for how much?")
    gold = _rows(
        db,
        "SELECT COUNT(*), ROUND(SUM(i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)), 2) "
        "FROM invoices i WHERE i.status = 'sent' AND julianday('2026-11-19') - julianday(i.due_date) > 60",
    )
    assert out["rows"] == [list(gold[0])]


def test_a_column_of_n_or_more_bounds_each_record(db):
    (out,) = _chat(db, "how many leads have a score of 60 or more?")
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM leads WHERE score >= 60")[0][0]


def test_high_to_low_orders_the_ranking(db):
    (out,) = _chat(db, "avg deal size by region, ranked high to low")
    values = [row[1] for row in out["rows"]]
    assert len(values) == 4 and values == sorted(values, reverse=True)


def test_a_board_update_is_no_write(db):
    (out,) = _chat(db, "for the board update: how many deals over 250k have we won this year?")
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND amount > 250000 AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


@pytest.mark.parametrize(
    "question",
    [
        "what's the DSO formula you use",
        "does 'pipeline' include closed deals or not?",
        "what makes an invoice count as overdue?",
    ],
)
def test_more_ways_of_asking_for_a_definition(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation", out


def test_they_with_nothing_before_it_asks_who(db):
    (out,) = _chat(db, "do they have any unpaid invoices?")
    assert out["refused"] and not out["rows"]
    (out,) = _chat(db, f"I have a call with {_churned_account(db)[0]} tomorrow.")
    assert out["refused"] and not out["rows"]


def test_a_list_picked_by_its_own_date_is_not_widened_on_another_table(db):
    _, out = _chat(
        db, "which customers churned last quarter?", "what's the combined amount those companies paid us?"
    )
    assert out["refused"] and not out["rows"]


def test_an_english_word_is_never_corrected_into_another():
    from tools.reports.entities import Entities
    from tools.reports.nlq.words import correct_text

    text, notes = correct_text("i meant the oldest ones, moore", Entities())
    assert text == "i meant the oldest ones, moore" and not notes


def _owed(db, name: str) -> list[tuple]:
    return _rows(
        db,
        "SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        f"AND c.name = '{name}'",
    )


def test_an_account_named_in_a_remark_is_what_they_means_next(db):
    (name,) = _rows(
        db,
        "SELECT c.name FROM companies c JOIN invoices i ON i.company_id = c.id WHERE i.status = 'sent' AND NOT EXISTS "
        "(SELECT 1 FROM companies o WHERE o.id != c.id AND lower(substr(o.name, 1, instr(o.name || ' ', ' ') - 1)) = "
        "lower(substr(c.name, 1, instr(c.name || ' ', ' ') - 1))) GROUP BY c.id ORDER BY c.id LIMIT 1",
    )[0]
    _, out = _chat(db, f"I have a call with {name} tomorrow.", "do they have any unpaid invoices?")
    assert sorted(r[0] for r in out["rows"]) == sorted(r[0] for r in _owed(db, name))


def test_only_the_ones_above_a_bound_narrows_the_list(db):
    first, narrowed = _chat(
        db,
        "which EMEA customers are at high churn risk? show churn probability and LTV",
        "only the ones with LTV above 5k",
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.region = 'EMEA' "
        "AND ci.churn_risk = 'high' AND c.lifecycle_stage = 'customer' AND ci.ltv > 5000",
    )
    assert first["kind"] == "list" and narrowed["kind"] == "list"
    assert sorted(r[0] for r in narrowed["rows"]) == sorted(g[0] for g in gold)


def test_counting_the_customers_that_have_records_counts_each_account_once(db):
    (out,) = _chat(db, "how many accounts have something overdue?")
    gold = _rows(
        db,
        "SELECT COUNT(DISTINCT company_id) FROM invoices WHERE status = 'sent' AND due_date < '2026-11-19'",
    )
    invoices = _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'sent' AND due_date < '2026-11-19'")
    assert _figure(out) == gold[0][0]
    assert gold[0][0] < invoices[0][0]  # the accounts, not the invoices


def test_two_kinds_joined_by_and_beside_a_split_ask_back(db):
    (out,) = _chat(db, "calls and meetings by rep this month")
    assert out["kind"] == "clarification" and "calls" in out["choices"]


def test_a_year_after_over_is_a_period(db):
    (email,) = _rows(
        db, "SELECT u.email FROM users u JOIN deals d ON d.owner_id = u.id GROUP BY u.id LIMIT 1"
    )[0:1][0]
    (out,) = _chat_as(db, email, "what was my win rate over 2025?")
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id WHERE "
        f"u.email = '{email}' AND d.stage IN ('closed_won', 'closed_lost') AND date(d.closed_at) BETWEEN '2025-01-01' "
        "AND '2025-12-31'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold, abs=1e-4)


def test_a_change_to_an_account_is_refused_not_answered_with_its_card(db):
    name, _ = _churned_account(db)
    (out,) = _chat(db, f"can you mark {name} as churned in the CRM? they told us they're leaving")
    assert out["refused"] and out["kind"] != "card"


def test_a_status_outside_the_measures_own_is_those_records(db):
    (out,) = _chat(db, "list every invoice waiting on approval - customer and total")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'pending_approval'")
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_the_total_open_amount_on_them_is_those_invoices(db):
    _, out = _chat(db, "how many invoices are overdue?", "what is the total open amount on them?")
    gold = _rows(
        db,
        "SELECT SUM(i.total - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)) "
        "FROM invoices i WHERE i.status = 'sent' AND i.due_date < '2026-11-19'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold, abs=0.01)


def test_this_person_after_who_owns_is_that_rep(db):
    name, owner, owned = _rows(
        db,
        "SELECT c.name, u.name, (SELECT COUNT(*) FROM companies o WHERE o.owner_id = u.id) FROM companies c "
        "JOIN users u ON u.id = c.owner_id WHERE c.lifecycle_stage = 'customer' AND NOT EXISTS (SELECT 1 FROM companies "
        "o WHERE o.id != c.id AND lower(substr(o.name, 1, instr(o.name || ' ', ' ') - 1)) = lower(substr(c.name, 1, "
        "instr(c.name || ' ', ' ') - 1))) ORDER BY c.id LIMIT 1",
    )[0]
    first, out = _chat(db, f"who owns {name}?", "how many accounts does this person own in total?")
    assert _figure(out) == owned, (first, out)


def test_two_values_compared_with_vs_are_a_row_each(db):
    (out,) = _chat(db, "EMEA vs APAC bookings so far this year")
    gold = dict(
        _rows(
            db,
            f"SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.{WON} "
            "AND c.region IN ('EMEA', 'APAC') AND date(d.closed_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY c.region",
        )
    )
    assert {row[0]: row[1] for row in out["rows"]} == pytest.approx(gold)


def test_better_than_a_percentage_is_a_bound(db):
    (out,) = _chat(db, "how many leads have better than a 50% chance of converting?")
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM leads WHERE conversion_probability > 0.5")[0][0]


def test_a_million_in_words_is_a_bound_never_dropped(db):
    (out,) = _chat(db, "deals won over half a million this year")
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND amount > 500000 AND date(closed_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )[0][0]
    assert out["kind"] == "list" and len(out["rows"]) == gold


def test_one_row_per_names_the_split(db):
    (out,) = _chat(db, "bookings this year, one row per region please")
    assert out["columns"][0] == "region" and len(out["rows"]) == 4


def test_check_as_a_verb_is_no_payment_method(db):
    (out,) = _chat(
        db,
        "before the review I'd like to check it myself: which customers haven't been contacted in 120 days?",
    )
    assert out["kind"] == "list" and "payment method" not in out["interpretation"]


def test_still_not_resolved_is_open_or_pending(db):
    (out,) = _chat(db, "which tickets are urgent and still aren't resolved?")
    gold = _rows(
        db, "SELECT COUNT(*) FROM support_tickets WHERE priority = 'urgent' AND status IN ('open', 'pending')"
    )
    assert len(out["rows"]) == gold[0][0] or _figure(out) == gold[0][0]


def test_month_over_month_within_a_year_is_the_year_by_month(db):
    (out,) = _chat(db, "bookings month-on-month this year")
    assert out["columns"][0] == "month" and len(out["rows"]) == 11
