"""Ways of asking learnt from the blind rounds of this stop (holdouts 112 onwards) and from what was left of earlier
ones, each checked against SQL written here by hand on the refreshed demo (SQLite, today Thursday 2026-11-19), through
the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OPEN_STAGES, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

HIGH_RISK_ON_TEAM = (
    "SELECT c.name, {column} FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
    f"WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND c.owner_id IN {TEAM} "
    "ORDER BY {column} {order}"
)


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def _pairs_of(gold: list[tuple]) -> list[tuple]:
    """Hand-written SQL's (group, figure) rows as the answer's are compared (helpers.pairs)."""
    return sorted((str(g[0]), round(float(g[1]), 2)) for g in gold)


@pytest.mark.parametrize(
    ("question", "column", "order"),
    [
        ("which one of those has the worst health score?", "ci.health_score", "ASC"),
        ("which of those has the lowest health score?", "ci.health_score", "ASC"),
        ("which one's got the highest churn probability", "ci.churn_probability", "DESC"),
        ("and which of them has the highest ltv?", "ci.ltv", "DESC"),
    ],
)
def test_which_one_of_a_list_has_the_most_is_that_one_record_of_the_list(db, question, column, order):
    _, out = _chat(db, "which accounts on my team are high churn risk?", question, asker=MANAGER)
    gold = _rows(db, HIGH_RISK_ON_TEAM.format(column=column, order=order))
    assert len(out["rows"]) == 1, out["answer"]
    assert out["rows"][0][0] == gold[0][0] and gold[0][0] != gold[-1][0]
    shown = out["columns"].index(column.split(".")[1].replace("_", " "))
    assert out["rows"][0][shown] == pytest.approx(gold[0][1])
    said = ("Lowest", "Smallest") if order == "ASC" else ("Highest", "Largest")
    assert out["answer"].startswith(said) and gold[0][0] in out["answer"]


def test_which_of_a_list_have_the_lowest_is_that_list_lowest_first(db):
    _, out = _chat(
        db,
        "which accounts on my team are high churn risk?",
        "which of those have the lowest health",
        asker=MANAGER,
    )
    gold = _rows(db, HIGH_RISK_ON_TEAM.format(column="ci.health_score", order="ASC"))
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_which_one_of_a_companies_list_keeps_the_lists_owner(db):
    _, out = _chat(db, "list my team's customers", "which one has the highest ltv", asker=MANAGER)
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE c.lifecycle_stage = 'customer' AND c.owner_id IN {TEAM} ORDER BY ci.ltv DESC LIMIT 1",
    )
    assert [r[0] for r in out["rows"]] == [gold[0][0]]


@pytest.mark.parametrize(
    "question", ["list my team's customers in the red", "any of my accounts in the yellow?"]
)
def test_a_health_band_is_asked_back_never_dropped(db, question):
    (out,) = _chat(db, question, asker=MANAGER)
    assert out["kind"] == "clarification" and out["choices"] and not out["rows"]


def test_compare_for_me_mid_sentence_is_a_request_not_the_askers_own(db):
    _, out = _chat(
        db,
        "how are bookings looking in EMEA",
        "compare the EMEA teams for me, this quarter vs last quarter",
        asker=MANAGER,
    )
    gold = _rows(
        db,
        "SELECT u.team, SUM(CASE WHEN date(d.closed_at) >= '2026-10-01' THEN d.amount ELSE 0 END), "
        "SUM(CASE WHEN date(d.closed_at) < '2026-10-01' THEN d.amount ELSE 0 END) FROM deals d "
        "JOIN companies c ON c.id = d.company_id JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND c.region = 'EMEA' AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-11-19' GROUP BY u.team",
    )
    assert gold and [(r[0], round(r[1], 2), round(r[2], 2)) for r in out["rows"]] == [
        (g[0], round(g[1], 2), round(g[2], 2)) for g in gold
    ]


def test_anyone_asks_for_the_records_by_name(db):
    (out,) = _chat(db, "anyone predicted to churn in january?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.predicted_churn_date BETWEEN '2027-01-01' AND '2027-01-31'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_which_of_the_top_accounts_are_x_keeps_those_accounts_not_their_invoices(db):
    *_, out = _chat(
        db,
        "how much is overdue rn",
        "who owes the most of that? top 5 accounts",
        "which of those 5 are in NA?",
    )
    gold = _rows(
        db,
        f"SELECT t.name, t.owed FROM (SELECT c.name, c.region, SUM({OWED}) AS owed FROM invoices i JOIN companies c "
        f"ON c.id = i.company_id WHERE {OVERDUE} GROUP BY c.id ORDER BY owed DESC LIMIT 5) t WHERE t.region = 'NA'",
    )
    assert gold and out["columns"][0] == "customer"
    assert [(r[0], round(r[-1], 2)) for r in out["rows"]] == [(g[0], round(g[1], 2)) for g in gold]


def test_top_leads_by_conversion_probability_are_ranked_by_it(db):
    (out,) = _chat(db, "top 5 qualified leads by conversion probability")
    assert "ORDER BY leads.conversion_probability DESC" in out["sql"]


@pytest.mark.parametrize(
    "follow_up", ["whats the avg health score on that cohort", "what's the average health score of those"]
)
def test_a_measure_of_a_dated_count_is_over_the_records_it_counted(db, follow_up):
    _, out = _chat(db, "how many new customers did we sign in q3?", follow_up)
    gold = _rows(
        db,
        "SELECT AVG(ci.health_score) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.customer_since BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert len(out["rows"]) == 1 and out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_the_combined_ltv_of_those_predicted_to_churn_by_a_date(db):
    _, out = _chat(
        db, "how many customers are predicted to churn by end of march", "what's their combined ltv"
    )
    gold = _rows(
        db,
        "SELECT SUM(ci.ltv) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.predicted_churn_date <= '2027-03-31'",
    )
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


@pytest.mark.parametrize(
    "question",
    [
        "10 biggest overdue invoices - number, customer and whats still owed, largest first",
        "10 biggest overdue invoices - number, customer and what's still owed",
    ],
)
def test_whats_still_owed_closing_a_list_is_its_balance_column(db, question):
    (out,) = _chat(db, question)
    gold = _rows(db, f"SELECT i.number FROM invoices i WHERE {OVERDUE} ORDER BY {OWED} DESC LIMIT 10")
    assert out["columns"][0] == "invoice" and [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_which_accounts_make_that_up_is_the_figure_by_account(db):
    *_, out = _chat(db, "overdue by region pls", "just EMEA", "which accounts make that up? w/ amounts")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {OVERDUE} AND c.region = 'EMEA' GROUP BY c.id",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_a_context_naming_a_region_gives_the_question_that_region(db):
    (out,) = _chat(db, "prepping the EMEA review - high churn risk accounts we havent contacted in 30 days?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND c.region = 'EMEA' AND ci.churn_risk = 'high' AND NOT EXISTS ("
        "SELECT 1 FROM activities a WHERE a.company_id = c.id AND date(a.occurred_at) >= '2026-10-20')",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        (
            "Oberon Financial has an overdue invoice - do we have any open deals with them?",
            f"SELECT d.name FROM deals d WHERE d.{OPEN_STAGES} AND d.company_id = {ACCOUNT.format('Oberon Financial')}",
        ),
        (
            "exec sponsor at Atlas Fabrication pinged me - do they have tickets open with support?",
            "SELECT t.id FROM support_tickets t WHERE t.status IN ('open', 'pending') "
            f"AND t.company_id = {ACCOUNT.format('Atlas Fabrication')}",
        ),
    ],
)
def test_an_account_said_in_the_context_is_who_they_are(db, question, gold):
    (out,) = _chat(db, question)
    assert out["rows"] and len(out["rows"]) == len(_rows(db, gold))


def test_a_context_of_what_happens_today_and_an_emoji_before_the_question(db):
    (out,) = _chat(db, "morning! quarter close today 🙃 whats our total AR as of now?")
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_their_balance_after_an_invoice_change_is_the_accounts_not_the_invoices(db):
    number = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {OVERDUE} AND i.company_id = {ACCOUNT.format('Atlas Fabrication')} "
        "ORDER BY i.number LIMIT 1",
    )[0][0]
    _, out = _chat(
        db,
        f"can you mark {number} as paid so it drops off the overdue list",
        "ok fine, then what's their outstanding balance as things stand?",
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' "
        f"AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_set_a_score_to_a_value_is_a_change_and_refused(db):
    (out,) = _chat(
        db, "Atlas Fabrication health score is clearly wrong, just set it to 85 before my QBR on tuesday"
    )
    assert out["refused"] and not out["rows"]


LAST_TOUCH = "SELECT MAX(a.occurred_at) FROM activities a WHERE a.company_id = {}"


@pytest.mark.parametrize(
    "turns",
    [
        ("when was the last time anyone touched Atlas Fabrication?",),
        ("when did we last reach out to Atlas Fabrication",),
        ("atlas fabrication - what's their health score looking like?", "and when did we last reach out"),
    ],
)
def test_when_we_last_reached_an_account_is_its_last_contact(db, turns):
    *_, out = _chat(db, *turns)
    gold = _rows(db, LAST_TOUCH.format(ACCOUNT.format("Atlas Fabrication")))
    assert out["rows"] == [[gold[0][0][:10]]]


@pytest.mark.parametrize("question", ["what was it - call, email? and who logged it", "who logged it?"])
def test_what_the_last_touch_was_is_that_activity(db, question):
    _, out = _chat(db, "when was the last time anyone touched Atlas Fabrication?", question)
    gold = _rows(
        db,
        "SELECT a.type, u.name FROM activities a JOIN users u ON u.id = a.user_id WHERE a.company_id = "
        f"{ACCOUNT.format('Atlas Fabrication')} ORDER BY a.occurred_at DESC LIMIT 1",
    )
    assert len(out["rows"]) == 1 and set(gold[0]) <= set(out["rows"][0])


def test_list_the_accounts_and_how_much_is_that_amount_by_account(db):
    _, out = _chat(
        db,
        "can you email a payment reminder to every EMEA account with an invoice more than 60 days overdue? cc me",
        "fine. then just list those EMEA accounts and how much is more than 60 days overdue, I'll do the emails myself",
    )
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "AND c.region = 'EMEA' AND i.due_date < '2026-09-20' GROUP BY c.id",
    )
    assert gold and _pairs(out) == _pairs_of(gold)


def test_a_name_picked_beside_a_longer_one_is_that_account_exactly(db):
    *_, out = _chat(db, "what does helix education owe us?", "the one just called Helix Education, no Inc")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND i.company_id = "
        f"{ACCOUNT.format('Helix Education')}",
    )
    assert out["rows"] and out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_an_accounts_balance_is_what_it_still_owes(db):
    (out,) = _chat(db, "whats atlas fabrication's balance right now?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' "
        f"AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_invoices_sorted_by_balance_are_those_invoices_biggest_balance_first(db):
    (out,) = _chat(db, "open invoices sorted by balance")
    gold = _rows(
        db, f"SELECT i.number FROM invoices i WHERE i.status = 'sent' ORDER BY {OWED} DESC, i.number"
    )
    assert out["columns"][0] == "invoice" and len(out["rows"]) == len(gold)
    balance = out["columns"].index("balance")
    assert [r[balance] for r in out["rows"]] == sorted((r[balance] for r in out["rows"]), reverse=True)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("quick one: is 'revenue' in your answers cash received or what we invoiced?", "payment"),
        (
            "bookings = signed deals or what we've invoiced? getting conflicting answers from sales and finance",
            "won",
        ),
    ],
)
def test_which_of_two_things_a_measure_is_is_its_definition(db, question, word):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and word in out["answer"].lower()


def test_how_did_you_get_to_that_explains_the_figure_just_given(db):
    _, out = _chat(db, "what's our dso right now?", "how'd you get to that? what billing window is it over")
    assert out["kind"] == "explanation" and "90" in out["answer"]


def test_the_average_payment_score_is_the_insights_component(db):
    (out,) = _chat(db, "avg payment score by region? trying to see where collections behaviour is worst")
    gold = _rows(
        db,
        "SELECT c.region, AVG(ci.payment_score) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' GROUP BY c.region",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_whats_open_with_an_account_then_the_records_named(db):
    (out,) = _chat(db, "whats open with Oberon Financial? deals + stage")
    gold = _rows(
        db,
        f"SELECT d.name FROM deals d WHERE d.{OPEN_STAGES} AND d.company_id = {ACCOUNT.format('Oberon Financial')}",
    )
    assert len(gold) == 3 and len(out["rows"]) == 3 and "stage" in out["columns"]


def test_lose_to_churn_is_churned_customers(db):
    _, out = _chat(
        db,
        "How many new customers did we bring on in May?",
        "and how many did we lose to churn that same month",
    )
    gold = _rows(db, "SELECT COUNT(*) FROM companies WHERE churned_at BETWEEN '2026-05-01' AND '2026-05-31'")
    assert out["rows"] == [[gold[0][0]]]


def test_a_hunch_after_a_split_is_not_a_filter(db):
    (out,) = _chat(db, "payments by method - this quarter vs last quarter. seeing way less card?")
    assert len(out["rows"]) == len(
        _rows(db, "SELECT DISTINCT method FROM payments WHERE paid_at >= '2026-07-01'")
    )


def test_customers_with_overdue_invoices_are_current_customers(db):
    (out,) = _chat(db, "customers with 2 or more overdue invoices?")
    gold = _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "AND c.lifecycle_stage = 'customer' GROUP BY c.id HAVING COUNT(*) >= 2",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_dates_in_brackets_saying_the_period_again_are_read_once(db):
    (out,) = _chat(db, "q4 to date bookings by region vs the same stretch last year (oct 1 - nov 19 2025)")
    gold = _rows(
        db,
        "SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE "
        "d.stage = 'closed_won' AND date(d.closed_at) BETWEEN '2025-10-01' AND '2025-11-19' GROUP BY c.region",
    )
    assert sorted((r[0], round(r[2], 2)) for r in out["rows"]) == sorted((g[0], round(g[1], 2)) for g in gold)


@pytest.mark.parametrize(
    "question",
    [
        "cash in over the last 30 days vs the 30 days before that",
        "revenue last 30 days vs prior 30 days",
        "revenue last 30 days vs the previous 30 days",
    ],
)
def test_the_days_before_a_window_are_the_window_just_before_it(db, question):
    (out,) = _chat(db, question)
    gold = _rows(
        db,
        "SELECT (SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-21' AND '2026-11-19'), "
        "(SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-09-21' AND '2026-10-20')",
    )
    assert out["rows"][0][:2] == [pytest.approx(gold[0][0], abs=0.01), pytest.approx(gold[0][1], abs=0.01)]


def test_customers_the_model_expects_to_churn_are_those_predicted_to(db):
    (out,) = _chat(db, "any customers the model expects to churn by the end of january?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.predicted_churn_date <= '2027-01-31'",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


@pytest.mark.parametrize(
    "turns",
    [
        (
            "What's the total value of deals we've won with Atlas Fabrication?",
            "who's the account owner there, and which team are they on?",
        ),
        ("who owns Atlas Fabrication and what team are they on",),
    ],
)
def test_the_owner_of_an_account_and_their_team(db, turns):
    *_, out = _chat(db, *turns)
    gold = _rows(
        db,
        "SELECT u.name, u.team FROM companies c JOIN users u ON u.id = c.owner_id WHERE c.name = 'Atlas Fabrication'",
    )
    assert len(out["rows"]) == 1 and set(gold[0]) <= set(out["rows"][0])


def test_an_amount_said_of_an_account_before_the_question_and_a_guess_after_it(db):
    (out,) = _chat(
        db,
        "Atlas Fabrication has 37k sitting with us unpaid - do they have any open support tickets? maybe thats why",
    )
    gold = _rows(
        db,
        "SELECT id FROM support_tickets WHERE status IN ('open', 'pending') "
        f"AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_and_from_another_years_invoices_is_the_same_measure_for_that_year(db):
    _, out = _chat(db, "how much of what we billed in 2025 is still unpaid", "and from 2024 invoices?")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' "
        "AND date(i.issue_date) BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    assert out["rows"][0][0] == pytest.approx(gold[0][0], abs=0.01)


def test_still_owed_on_invoices_falling_due_is_by_due_date_counted_and_summed(db):
    (out,) = _chat(db, "how much is still owed on invoices falling due in december? count + amount")
    gold = _rows(
        db,
        f"SELECT COUNT(*), SUM({OWED}) FROM invoices i WHERE i.status = 'sent' "
        "AND i.due_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert out["rows"][0] == [gold[0][0], pytest.approx(gold[0][1], abs=0.01)]


def test_what_terms_an_account_is_on_for_its_open_invoice(db):
    (out,) = _chat(db, "what terms is Atlas Fabrication on for their open invoice, and when's it due")
    gold = _rows(
        db,
        "SELECT number, payment_terms, due_date FROM invoices WHERE status = 'sent' "
        f"AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    terms = out["columns"].index("payment terms")
    assert sorted((r[0], r[terms]) for r in out["rows"]) == sorted((g[0], g[1]) for g in gold)


@pytest.mark.parametrize(
    ("question", "reply", "gold"),
    [
        (
            "what's our revenue from enterprise accounts this year?",
            "let's say companies with 1,000+ employees",
            "SELECT SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id "
            "WHERE c.employee_count >= 1000 AND date(p.paid_at) BETWEEN '2026-01-01' AND '2026-11-19'",
        ),
        (
            "how many leads from the enterprise segment this year?",
            "say 1000+ employees",
            "SELECT COUNT(*) FROM leads WHERE employee_count >= 1000 AND date(created_at) >= '2026-01-01'",
        ),
    ],
)
def test_a_segment_is_asked_back_then_read_as_the_size_given(db, question, reply, gold):
    asked, out = _chat(db, question, reply)
    assert asked["kind"] == "clarification" and asked["choices"] and not asked["rows"]
    assert out["rows"][0][-1] == pytest.approx(_rows(db, gold)[0][0], abs=0.01)


@pytest.mark.parametrize(
    ("question", "region"),
    [
        ("avg helth score for our EMEA custs... actually no, make that APAC", "APAC"),
        ("revenue in north america - sorry, EMEA", "EMEA"),
    ],
)
def test_a_value_taken_back_in_the_same_message_is_replaced(db, question, region):
    (out,) = _chat(db, question)
    assert f"region = {region}" in out["interpretation"] and " in " not in out["interpretation"].split(";")[1]


def test_name_them_with_the_score_lists_the_accounts_counted_with_that_score(db):
    _, out = _chat(
        db,
        "how many of my customers have a health score below 70?",
        "name them pls, with the score",
        asker=REP,
    )
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        f"c.lifecycle_stage = 'customer' AND ci.health_score < 70 AND c.owner_id = {ME}",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)
    assert "health score" in out["columns"]


def test_how_two_measures_differ_is_both_definitions(db):
    (out,) = _chat(db, "outstanding vs overdue amount - how are they different?")
    assert (
        out["kind"] == "explanation" and "Overdue amount" in out["answer"] and "Outstanding" in out["answer"]
    )


def test_how_many_are_partly_paid_and_whats_left_on_them(db):
    (out,) = _chat(db, "how many invoices are partially paid right now, and whats left on them")
    gold = _rows(
        db,
        f"SELECT COUNT(*), SUM({OWED}) FROM invoices i WHERE i.status = 'sent' "
        "AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id)",
    )
    assert out["rows"][0] == [gold[0][0], pytest.approx(gold[0][1], abs=0.01)]


def test_break_that_down_by_owner_instead_replaces_the_accounts(db):
    *_, out = _chat(
        db,
        "overdue balance by region",
        "ok just EMEA - which accounts make that up?",
        "break that down by account owner instead",
    )
    gold = _rows(
        db,
        f"SELECT u.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN users u ON "
        f"u.id = c.owner_id WHERE {OVERDUE} AND c.region = 'EMEA' GROUP BY u.id",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_which_of_the_customers_predicted_to_churn_owe_money_and_their_total(db):
    _, each, total = _chat(
        db,
        "pull the customers predicted to churn in q1",
        "which of those owe us money right now?",
        "total across them?",
    )
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        "ON ci.company_id = c.id WHERE i.status = 'sent' AND ci.predicted_churn_date BETWEEN '2027-01-01' AND "
        "'2027-03-31' GROUP BY c.id",
    )
    assert gold and _pairs(each) == _pairs_of(gold)
    assert total["rows"][0][-1] == pytest.approx(sum(g[1] for g in gold), abs=0.01)


def test_our_biggest_customers_is_asked_back_then_ranked_as_said(db):
    asked, out = _chat(
        db, "are any of our biggest customers at risk?", "biggest by ltv - top 10, and show their churn risk"
    )
    assert asked["kind"] == "clarification" and not asked["rows"]
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_risk FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' ORDER BY ci.ltv DESC LIMIT 10",
    )
    assert [(r[0], r[1]) for r in out["rows"]] == [tuple(g) for g in gold]


def test_what_was_it_for_some_records_after_a_definition_is_that_measure(db):
    _, out = _chat(
        db, "define lead conversion rate pls", "ok so what was it for leads that came in during 2025"
    )
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2025-01-01' "
        "AND '2025-12-31'",
    )
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=1e-4)


def test_two_bounds_on_accounts_both_filter_the_accounts(db):
    (out,) = _chat(db, "customers w/ churn probability above 50% AND ltv over 500k - who are they")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.churn_probability > 0.5 AND ci.ltv > 500000",
    )
    assert gold and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_which_region_accounts_make_up_that_number_are_those_accounts(db):
    *_, out = _chat(
        db,
        "how much is overdue right now",
        "break that down by region",
        "which latam accounts make up that number",
    )
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {OVERDUE} AND c.region = 'LATAM' GROUP BY c.id",
    )
    assert _pairs(out) == _pairs_of(gold)


@pytest.mark.parametrize(
    "question",
    [
        "what do my accounts owe us, all in",
        "how much do my accounts owe us in total (everything unpaid, not just overdue)",
    ],
)
def test_what_my_accounts_owe_all_in_is_one_total(db, question):
    (out,) = _chat(db, question, asker=REP)
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        f"AND c.owner_id = {ME}",
    )
    assert len(out["rows"]) == 1 and out["rows"][0][-1] == pytest.approx(gold[0][0], abs=0.01)


def test_lowest_n_customers_of_a_region_after_a_measure_by_region_are_ranked_by_it(db):
    _, out = _chat(db, "avg health score by region", "latam specifically - lowest 5 customers?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND c.region = 'LATAM' ORDER BY ci.health_score ASC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        (
            "which customers have overdue invoices and nobody's touched them in 30+ days?",
            f"SELECT c.name FROM companies c WHERE c.lifecycle_stage = 'customer' AND EXISTS (SELECT 1 FROM invoices i "
            f"WHERE i.company_id = c.id AND {OVERDUE}) AND NOT EXISTS (SELECT 1 FROM activities a WHERE "
            "a.company_id = c.id AND date(a.occurred_at) >= '2026-10-21')",
        ),
        (
            "tickets rated 1/5 this month - which accounts?",
            "SELECT DISTINCT c.name FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE "
            "t.satisfaction = 1 AND date(t.created_at) >= '2026-11-01'",
        ),
    ],
)
def test_more_ways_of_saying_which_accounts(db, question, gold):
    (out,) = _chat(db, question)
    expected = _rows(db, gold)
    assert expected and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in expected)


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        (
            "avg payment score for high vs low churn risk customers",
            "SELECT ci.churn_risk, AVG(ci.payment_score) FROM customer_insights ci JOIN companies c ON "
            "c.id = ci.company_id WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk IN ('high', 'low') "
            "GROUP BY ci.churn_risk",
        ),
        (
            "collections q: how much do churned companies still owe us that's overdue? they're gone but the money isnt",
            f"SELECT 'all', SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
            "AND c.lifecycle_stage = 'churned'",
        ),
        (
            "quick one - win rate for the quarter that ends today?",
            "SELECT 'all', 1.0 * SUM(stage = 'closed_won') / COUNT(*) FROM deals WHERE stage IN ('closed_won', "
            "'closed_lost') AND date(closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
        ),
        (
            "on avg how many days are deals taking from creation to closed won this quarter?",
            "SELECT 'all', AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE "
            "stage = 'closed_won' AND date(closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
        ),
    ],
)
def test_more_ways_of_asking_for_a_figure(db, question, gold):
    (out,) = _chat(db, question)
    expected = _rows(db, gold)
    if expected[0][0] == "all":
        assert out["rows"][0][0] == pytest.approx(expected[0][1], abs=0.01)
    else:
        assert _pairs(out) == _pairs_of(expected)


def test_a_pick_then_a_question_about_them(db):
    names = _rows(db, "SELECT name FROM users WHERE role = 'rep' ORDER BY name")
    first = {}
    for (name,) in names:
        first.setdefault(name.split()[0], []).append(name)
    shared = next((v for v in first.values() if len(v) > 1), None)
    if (
        shared is None
    ):  # (the demo gives no two reps one first name: the pick is made by the full name anyway)
        shared = [names[0][0]]
    _, out = _chat(
        db,
        f"how's {shared[0].split()[0].lower()}'s book looking on churn risk?",
        f"{shared[0].lower()}. how many of his customers are low / medium / high?",
    )
    gold = _rows(
        db,
        "SELECT ci.churn_risk, COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id JOIN users u "
        f"ON u.id = c.owner_id WHERE c.lifecycle_stage = 'customer' AND u.name = '{shared[0]}' GROUP BY ci.churn_risk",
    )
    assert sorted((r[0], r[-1]) for r in out["rows"]) == sorted(tuple(g) for g in gold)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("LTV in the health report - what is that actually measuring?", "collected"),
    ],
)
def test_a_term_then_what_it_measures_is_its_definition(db, question, word):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation" and word in out["answer"]


def test_how_many_are_pending_after_a_refused_approval_is_of_those_invoices(db):
    _, out = _chat(
        db,
        "approve all the invoices sitting in pending approval so they go out before EOQ",
        "fine. how many are pending and whats the total $",
    )
    gold = _rows(db, "SELECT COUNT(*), SUM(total) FROM invoices WHERE status = 'pending_approval'")
    assert out["rows"][0] == [gold[0][0], pytest.approx(gold[0][1], abs=0.01)]


def test_north_american_accounts_are_the_na_region(db):
    (out,) = _chat(db, "can i get AR aging for our north american accounts only")
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        "AND c.region = 'NA'",
    )
    assert out["columns"][0] == "aging_bucket" and sum(r[-1] for r in out["rows"]) == pytest.approx(
        gold[0][0], abs=0.01
    )


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        (
            "what's total open pipe sitting at today",
            f"SELECT 'all', SUM(amount) FROM deals WHERE {OPEN_STAGES}",
        ),
        (
            "quick one before my 9am - total bookings last quarter?",
            "SELECT 'all', SUM(amount) FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN "
            "'2026-07-01' AND '2026-09-30'",
        ),
        (
            "for Q3 can you put revenue, invoiced and bookings next to each other",
            "SELECT 'all', SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'",
        ),
        (
            "how many leads did i convert last quarter?",
            f"SELECT 'all', COUNT(*) FROM leads WHERE status = 'converted' AND owner_id = {ME} AND "
            "date(converted_at) BETWEEN '2026-07-01' AND '2026-09-30'",
        ),
    ],
)
def test_round_three_figures(db, question, gold):
    (out,) = _chat(db, question, asker=REP)
    assert out["rows"][0][0] == pytest.approx(_rows(db, gold)[0][1], abs=0.01)


def test_the_biggest_payments_who_paid_and_how_much_are_those_payments(db):
    (out,) = _chat(db, "5 biggest payments received this month, who paid and how much")
    gold = _rows(
        db,
        "SELECT p.amount FROM payments p WHERE date(p.paid_at) >= '2026-11-01' ORDER BY p.amount DESC LIMIT 5",
    )
    amount = out["columns"].index("amount")
    assert "customer" in out["columns"] and [r[amount] for r in out["rows"]] == [g[0] for g in gold]


def test_month_end_then_what_is_pending_approval_with_columns_lists_them(db):
    (out,) = _chat(db, "month end: what's sitting in pending approval? invoice #, customer, total")
    gold = _rows(db, "SELECT number FROM invoices WHERE status = 'pending_approval'")
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_customers_owing_more_than_an_amount_are_the_accounts_over_it_in_total(db):
    (out,) = _chat(db, "customers owing us more than 50k - name and balance")
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' "
        f"AND c.lifecycle_stage = 'customer' GROUP BY c.id HAVING SUM({OWED}) > 50000",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_churn_rate_is_asked_back(db):
    (out,) = _chat(db, "what's our churn rate this year")
    assert out["kind"] == "clarification" and out["choices"] and not out["rows"]


def test_that_one_after_a_refused_invoice_change_is_that_invoice(db):
    _, out = _chat(
        db,
        "void INV-2026-00716 and reissue it on net 60 terms",
        "ok fine - what's still owed on that one then?",
    )
    assert [r[0] for r in out["rows"]] == ["INV-2026-00716"]


def test_a_count_as_a_share_of_all(db):
    _, out = _chat(
        db,
        "how many of this year's leads ended up disqualified?",
        "as a share of all leads created this year?",
    )
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(status = 'disqualified') / COUNT(*) FROM leads WHERE date(created_at) >= '2026-01-01'",
    )
    assert out["rows"][0][-1] == pytest.approx(gold[0][0], abs=1e-4)


def test_the_invoiced_figure_dso_divides_by(db):
    _, out = _chat(db, "where's DSO sitting today", "what's the invoiced figure you divided by?")
    gold = _rows(
        db,
        "SELECT SUM(total) FROM invoices WHERE status IN ('sent', 'paid') AND date(issue_date) BETWEEN "
        "'2026-08-22' AND '2026-11-19'",
    )
    assert out["rows"][0][0] == pytest.approx(gold[0][0], abs=0.01)


def test_volume_and_a_rate_side_by_side(db):
    (out,) = _chat(db, "website vs referral leads in 2025 - volume and conversion rate side by side")
    gold = _rows(
        db,
        "SELECT source, COUNT(*) FROM leads WHERE source IN ('website', 'referral') AND date(created_at) "
        "BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY source",
    )
    assert sorted((r[0], r[1]) for r in out["rows"]) == sorted(tuple(g) for g in gold)


@pytest.mark.parametrize(
    ("turns", "word"),
    [
        (("win rate ytd?", "is that by deal count or by dollar value? how's it calculated"), "won"),
        (
            (
                "whats our lead conversion rate for 2025",
                "how exactly is that counted? which leads are in the numerator",
            ),
            "converted",
        ),
        (("quick sanity check: 'bookings' = signed deals or cash received?",), "won"),
    ],
)
def test_how_it_is_counted_explains_the_figure(db, turns, word):
    *_, out = _chat(db, *turns)
    assert out["kind"] == "explanation" and word in out["answer"]


def test_my_team_against_another_team(db):
    (out,) = _chat(db, "how does my team's open pipeline stack up against EMEA's?", asker=MANAGER)
    gold = _rows(
        db,
        f"SELECT u.team, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.{OPEN_STAGES} "
        "AND u.team IN ('NA East', 'EMEA') GROUP BY u.team",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_the_other_teams_after_my_teams_figure_is_every_team(db):
    _, out = _chat(
        db,
        "how did my team do on bookings last qtr",
        "how does that compare to the other teams? show all of them",
        asker=MANAGER,
    )
    gold = _rows(
        db,
        "SELECT u.team, SUM(d.amount) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY u.team",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_a_reps_single_best_one_by_score(scored_db_path):
    db = scored_db_path
    _, out = _chat(
        db, "open leads per rep on my team?", "whats aisha's single best one by score?", asker=MANAGER
    )
    gold = _rows(
        db,
        "SELECT company_name FROM leads WHERE status IN ('new', 'working', 'qualified') AND owner_id = "
        "(SELECT id FROM users WHERE name = 'Aisha Andersson') ORDER BY score DESC LIMIT 1",
    )
    assert len(out["rows"]) == 1 and gold[0][0] in out["rows"][0]


def test_everything_a_rep_closed_won_then_the_total(db):
    listed, total = _chat(db, "everything Wei Andersson closed-won in october", "nice, total?")
    gold = _rows(
        db,
        f"SELECT COUNT(*), SUM(amount) FROM deals WHERE stage = 'closed_won' AND owner_id = {ME} AND "
        "date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert len(listed["rows"]) == gold[0][0] and total["rows"][0][0] == pytest.approx(gold[0][1], abs=0.01)


def test_records_of_a_period_how_many_came_in_and_how_many_converted(db):
    (out,) = _chat(db, "event leads this year - how many came in and how many have converted?")
    gold = _rows(
        db,
        "SELECT COUNT(*), SUM(status = 'converted') FROM leads WHERE source = 'event' AND date(created_at) >= '2026-01-01'",
    )
    assert out["rows"] == [list(gold[0])]


def test_on_a_call_with_an_account_then_how_much_is_past_due(db):
    owe, late = _chat(
        db, "on a call w/ atlas fabrication at 3 - what do they owe us", "how much of it is past due?"
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}), SUM(CASE WHEN i.due_date < '2026-11-19' THEN {OWED} END) FROM invoices i "
        f"WHERE i.status = 'sent' AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert owe["rows"][0][0] == pytest.approx(gold[0][0]) and late["rows"][0][0] == pytest.approx(gold[0][1])


def test_a_reps_n_accounts_most_likely_to_churn(db):
    (out,) = _chat(db, "wei's 5 accounts most likely to churn?")
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        f"c.lifecycle_stage = 'customer' AND c.owner_id = {ME} ORDER BY ci.churn_probability DESC LIMIT 5",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_a_reply_naming_the_choice_in_other_words_picks_it(db):
    _, out = _chat(
        db,
        "which of wei andersson's deals look stale?",
        "the open ones already past their expected close date",
    )
    gold = _rows(
        db,
        f"SELECT name FROM deals WHERE {OPEN_STAGES} AND owner_id = {ME} AND expected_close_date < '2026-11-19'",
    )
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold)


def test_a_month_last_year_and_all_sources_and_the_best_source(db):
    _, july = _chat(
        db, "how many leads came in last month? split by source pls", "and what did july look like last year"
    )
    gold = _rows(
        db,
        "SELECT source, COUNT(*) FROM leads WHERE date(created_at) BETWEEN '2025-07-01' AND '2025-07-31' GROUP BY source",
    )
    assert sorted((r[0], r[-1]) for r in july["rows"]) == sorted(tuple(g) for g in gold)
    _, every = _chat(db, "how many website leads this week so far", "and across all sources?")
    assert (
        every["rows"][0][0]
        == _rows(db, "SELECT COUNT(*) FROM leads WHERE date(created_at) >= '2026-11-16'")[0][0]
    )
    _, best = _chat(db, "whats our best lead source?", "best conversion rate, for leads created this year")
    rates = _rows(
        db,
        "SELECT source FROM leads WHERE date(created_at) >= '2026-01-01' GROUP BY source "
        "ORDER BY 1.0 * SUM(status = 'converted') / COUNT(*) DESC LIMIT 1",
    )
    assert [r[0] for r in best["rows"]] == [rates[0][0]]


def test_two_measures_of_two_tables_by_an_accounts_region(db):
    (out,) = _chat(db, "invoiced vs collected ytd by region")
    gold = _rows(
        db,
        "SELECT c.region, SUM(p.amount) FROM payments p JOIN companies c ON c.id = p.company_id "
        "WHERE date(p.paid_at) >= '2026-01-01' GROUP BY c.region",
    )
    assert _pairs(out) == _pairs_of(gold)


def test_an_accounts_own_attribute_asked_with_which(db):
    (out,) = _chat(db, "where did Atlas Fabrication originally come from? which lead source")
    gold = _rows(
        db,
        "SELECT MIN(source) FROM leads WHERE status = 'converted' AND company_id = "
        f"{ACCOUNT.format('Atlas Fabrication')}",
    )
    assert len(out["rows"]) == 1 and out["rows"][0][out["columns"].index("lead source")] == gold[0][0]


def test_the_same_point_last_year_then_its_dates_in_brackets(db):
    (out,) = _chat(db, "new customers by region ytd vs the same point last year (jan 1 - nov 19 2025)")
    gold = _rows(
        db,
        "SELECT region, COUNT(*) FROM companies WHERE customer_since BETWEEN '2025-01-01' AND '2025-11-19' GROUP BY region",
    )
    assert sorted((r[0], r[2]) for r in out["rows"]) == sorted(tuple(g) for g in gold)


def test_who_was_working_that_lead_is_its_owner_not_the_working_status(db):
    account = _rows(
        db,
        "SELECT c.name, u.name FROM leads l JOIN companies c ON c.name = l.company_name JOIN users u ON u.id = l.owner_id "
        "WHERE l.status = 'converted' GROUP BY c.name HAVING COUNT(*) = 1 ORDER BY c.name LIMIT 1",
    )
    name, owner = account[0]
    _, out = _chat(
        db, f"where did {name} originally come from? which lead source", "and who was working that lead"
    )
    assert [r[0] for r in out["rows"]] == [owner]
