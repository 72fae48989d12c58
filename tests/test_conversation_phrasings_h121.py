"""Ways of asking learnt from the blind rounds of holdouts 121 onwards, each checked against SQL written here by hand on
the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import MANAGER, ME, OVERDUE, OWED, REP
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import rows as _rows

SENT = "i.status = 'sent'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


@pytest.fixture(scope="module")
def scored(scored_db_path):
    return scored_db_path


@pytest.mark.parametrize(
    "question",
    [
        "hows win rate calculated",
        "are bookings and revenue the same thing? sales keeps calling closed deals revenue",
        "what is LTV in here",
    ],
)
def test_a_definition_asked_in_these_words_is_explained_never_computed(db, question):
    (out,) = _chat(db, question)
    assert out["kind"] == "explanation", out["answer"]
    assert not out["rows"]


def _lead(db, company: str) -> tuple:
    return _rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name, u.name, l.source, l.score, l.conversion_probability "
        f"FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.company_name = '{company}'",
    )[0]


@pytest.mark.parametrize(
    ("first", "then", "asked"),
    [
        ("whats the score on the Copperline Software lead", "conversion prob?", ["conversion_probability"]),
        (
            "why is the Copperline Software lead scored so high?",
            "who owns it and what's the score exactly",
            ["owner", "score"],
        ),
        (
            "why did the Copperline Software lead score so high",
            "ok who owns it and where did it come from (source)",
            ["owner", "source"],
        ),
    ],
)
def test_a_question_about_the_lead_just_shown_is_that_leads_card(scored, first, then, asked):
    before, out = _chat(scored, first, then)
    name, owner, source, score, probability = _lead(scored, "Copperline Software")
    assert before["kind"] in ("card", "explanation") and name in before["answer"], before["answer"]
    assert out["kind"] == "card", out["answer"]
    row = dict(zip(out["columns"], out["rows"][0], strict=True))
    expected = {"owner": owner, "source": source, "score": score, "conversion_probability": probability}
    for column in asked:
        assert row[column] == pytest.approx(expected[column]) if column != "owner" else row[column] == owner


def test_the_first_words_of_two_names_name_both_never_the_closest_one():
    from tools.reports.entities import Entities
    from tools.reports.nlq.words import partial_entities, tokenize

    entities = Entities()
    for name in ("Evergreen Arrow AI", "Evergreen Arrow Systems", "Evergreen Grocers"):
        entities.add("customer", name)
    tokens = tokenize("how much does evergreen arrow owe us")
    found, _ = partial_entities(tokens, list(enumerate(tokens)), entities)
    assert [sorted(s.value for s in m.senses) for m in found] == [
        ["Evergreen Arrow AI", "Evergreen Arrow Systems"]
    ]
    tokens = tokenize("how much does evergreen arow systems owe us")  # a typo of the whole name is that name
    found, _ = partial_entities(tokens, list(enumerate(tokens)), entities)
    assert [[s.value for s in m.senses] for m in found] == [["Evergreen Arrow Systems"]]


def test_my_teams_biggest_accounts_asks_biggest_by_what(db):
    (out,) = _chat(db, "who are my team's biggest accounts?", asker=MANAGER)
    assert out["kind"] == "clarification" and not out["rows"], out["answer"]


def test_a_correction_of_the_period_keeps_the_year_over_year_comparison(db):
    _, out = _chat(db, "revenue q3 vs q3 last yr?", "sorry i meant Q2")
    paid = "SELECT ROUND(SUM(amount), 2) FROM payments WHERE date(paid_at) BETWEEN '{}' AND '{}'"
    this = _rows(db, paid.format("2026-04-01", "2026-06-30"))[0][0]
    last = _rows(db, paid.format("2025-04-01", "2025-06-30"))[0][0]
    assert this != last
    assert out["rows"][0][0] == pytest.approx(this) and out["rows"][0][1] == pytest.approx(last), out[
        "answer"
    ]


def test_how_many_open_invoices_each_of_the_ranked_accounts_has_counts_the_open_ones(db):
    _, out = _chat(
        db, "top 5 accounts by outstanding balance", "how many open invoices does each of them have"
    )
    gold = dict(
        _rows(
            db,
            f"SELECT c.name, COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
            f"GROUP BY c.name",
        )
    )
    every = dict(
        _rows(
            db,
            "SELECT c.name, COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id GROUP BY c.name",
        )
    )
    assert len(out["rows"]) == 5
    assert any(gold[r[0]] != every[r[0]] for r in out["rows"])  # (counting every invoice would differ)
    assert [r[-1] for r in out["rows"]] == [gold[r[0]] for r in out["rows"]], out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "how many invoices in november, sent or paid only",
        "how many invoices did we actually send out in november? sent or already paid, not drafts etc",
    ],
)
def test_invoices_sent_out_are_the_sent_and_paid_ones_never_every_status(db, question):
    (out,) = _chat(db, question)
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM invoices WHERE status IN ('sent', 'paid') "
        "AND date(issue_date) BETWEEN '2026-11-01' AND '2026-11-30'",
    )[0][0]
    every = _rows(
        db, "SELECT COUNT(*) FROM invoices WHERE date(issue_date) BETWEEN '2026-11-01' AND '2026-11-30'"
    )
    assert gold != every[0][0]
    assert _figure(out) == gold, out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "which of the invoices with an -A on the end of the number are still open?",
        "invoice numbers ending in 7",
    ],
)
def test_part_of_a_number_is_said_not_understood_never_dropped(db, question):
    (out,) = _chat(db, question)
    assert out["refused"] and not out["rows"], out["answer"]
    assert "part of a number" in out["answer"]


def test_an_invoice_number_with_a_letter_after_it_is_that_invoice(db):
    (out,) = _chat(db, "INV-2025-00017-A and INV-2025-00017 look like a dup - status and amount on each?")
    assert sorted(r[0] for r in out["rows"]) == ["INV-2025-00017", "INV-2025-00017-A"], out["answer"]


def test_a_company_whose_legal_form_is_dotted_words_is_read_whole(db):
    (out,) = _chat(db, "what did Odyssey Utilities S.A. de C.V. pay us in total")
    gold = _rows(
        db,
        "SELECT ROUND(SUM(p.amount), 2) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "JOIN companies c ON c.id = i.company_id WHERE c.name = 'Odyssey Utilities S.A. de C.V.'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold), out["answer"]


def test_two_reps_by_first_name_against_each_other_are_each_one(db):
    (out,) = _chat(db, "wei vs sarah, win rate last quarter?")
    gold = _rows(
        db,
        "SELECT u.name, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id "
        "WHERE d.stage IN ('closed_won', 'closed_lost') AND u.name IN ('Wei Andersson', 'Sarah Santos') "
        "AND date(d.closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY u.name",
    )
    assert sorted((r[0], round(r[-1], 4)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 4)) for g in gold
    ), out["answer"]


def test_which_invoice_is_that_after_what_an_account_owes_lists_its_open_invoices(db):
    _, out = _chat(
        db, "whats Alpine Cyber LLC's outstanding balance", "which invoice is that and when was it due"
    )
    gold = _rows(
        db,
        f"SELECT i.number, i.due_date FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {SENT} AND c.name = 'Alpine Cyber LLC'",
    )
    assert out["kind"] == "list", out["answer"]
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold] and "due" in out["columns"]


def test_how_much_a_refused_approval_was_for_is_the_amount_of_that_invoice(db):
    refused, out = _chat(
        db, "approve the pending invoice for Contoso Genomics", "ok then how much is it for?"
    )
    assert refused["refused"]
    gold = _rows(
        db,
        "SELECT SUM(i.total) FROM invoices i JOIN companies c ON c.id = i.company_id "
        "WHERE i.status = 'pending_approval' AND c.name = 'Contoso Genomics'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold), out["answer"]


def test_pending_invoices_asks_which_pending_is_meant(db):
    ask, out = _chat(db, "how many pending invoices", "pending approval")
    assert ask["kind"] == "clarification" and not ask["rows"], ask["answer"]
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM invoices WHERE status = 'pending_approval'")[0][0]


def test_open_invoices_of_two_named_accounts_are_listed(db):
    (out,) = _chat(db, "open invoices for Alder Digital K.K. and Andes Data")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        "AND c.name IN ('Alder Digital K.K.', 'Andes Data')",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_a_word_of_a_company_name_is_never_the_records_asked_for(db):
    (out,) = _chat(db, "revenue from Quillon Payments")
    gold = _rows(
        db,
        "SELECT ROUND(SUM(p.amount), 2) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
        "JOIN companies c ON c.id = i.company_id WHERE c.name = 'Quillon Payments'",
    )[0][0]
    assert out["kind"] == "report" and _figure(out) == pytest.approx(gold), out["answer"]


def test_whats_sitting_in_a_status_lists_those_records(db):
    (out,) = _chat(db, "whats sitting in draft or pending approval")
    gold = _rows(db, "SELECT number FROM invoices WHERE status IN ('draft', 'pending_approval')")
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_records_that_tie_on_the_value_ranked_come_in_the_order_they_were_added(scored):
    tied = _rows(
        scored,
        "SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND score >= "
        "(SELECT score FROM leads WHERE status IN ('new', 'working', 'qualified') GROUP BY score "
        "HAVING COUNT(*) > 1 ORDER BY score DESC LIMIT 1)",
    )[0][0]
    (out,) = _chat(scored, f"top {tied} open leads by score")
    gold = _rows(
        scored,
        "SELECT email FROM leads WHERE status IN ('new', 'working', 'qualified') ORDER BY score DESC, id "
        f"LIMIT {tied}",
    )
    shown = out["columns"].index("lead")
    assert [r[shown] for r in out["rows"]] == [g[0] for g in gold], out["answer"]


def test_scores_said_beside_health_are_the_health_scores(db):
    (out,) = _chat(db, "any customers with health below 40? show scores")
    gold = _rows(
        db,
        "SELECT c.name, ci.health_score FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.health_score < 40",
    )
    assert gold
    assert sorted((r[0], round(r[-1], 2)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2)) for g in gold
    ), out["answer"]


@pytest.mark.parametrize("between", [[], ["total ltv of those"]])
def test_when_each_account_of_a_list_was_last_touched_is_a_date_beside_each(db, between):
    *_, out = _chat(db, "Kevin Suzuki's high-risk accounts?", *between, "and when did we last touch each one")
    gold = dict(
        _rows(
            db,
            "SELECT c.name, date((SELECT MAX(a.occurred_at) FROM activities a WHERE a.company_id = c.id)) "
            "FROM customer_insights ci JOIN companies c ON c.id = ci.company_id JOIN users u ON u.id = c.owner_id "
            "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND u.name = 'Kevin Suzuki'",
        )
    )
    assert out["kind"] == "list" and len(gold) == 2, out["answer"]
    shown = out["columns"].index("last contacted")
    assert {r[0]: str(r[shown])[:10] for r in out["rows"]} == gold


def test_two_values_against_each_other_split_by_their_dimension_not_by_the_open_statuses(scored):
    (out,) = _chat(scored, "avg score of open leads, paid ads vs event?")
    gold = _rows(
        scored,
        "SELECT source, AVG(score) FROM leads WHERE status IN ('new', 'working', 'qualified') "
        "AND source IN ('paid_ads', 'event') GROUP BY source",
    )
    assert sorted((r[0], round(r[-1], 2)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2)) for g in gold
    ), out["answer"]


def test_a_reply_describing_the_records_asked_about_is_read_in_place(scored):
    ask, out = _chat(scored, "how many hot leads have we got", "open ones with a score of 50 or more")
    assert ask["kind"] == "clarification"
    gold = _rows(
        scored, "SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND score >= 50"
    )
    assert out["rows"][0][0] == gold[0][0], out["answer"]


def test_accounts_listed_with_several_measures_named_as_columns_show_each(db):
    (out,) = _chat(
        db,
        "High churn risk customers with LTV above $200k: customer, owner, LTV, churn probability. Sort by LTV "
        "descending.",
    )
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_probability FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND ci.ltv > 200000 ORDER BY ci.ltv DESC",
    )
    assert out["kind"] == "list" and "churn probability" in out["columns"], out["answer"]
    shown = out["columns"].index("churn probability")
    assert [(r[0], r[shown]) for r in out["rows"]] == [(g[0], pytest.approx(g[1])) for g in gold]


def test_a_bound_said_with_the_columns_after_a_figure_is_kept(db):
    _, out = _chat(db, "overdue by region", "list the EMEA ones over 5k - invoice #, customer, balance")
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        f"AND i.due_date < '2026-11-19' AND c.region = 'EMEA' AND {OWED} > 5000",
    )
    every = _rows(
        db,
        f"SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {SENT} "
        "AND i.due_date < '2026-11-19' AND c.region = 'EMEA'",
    )
    assert len(gold) != len(every)
    assert sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold), out["answer"]


def test_how_many_and_what_they_add_up_to_after_a_refused_change_gives_both(db):
    _, out = _chat(
        db,
        "delete all the draft invoices, they're junk",
        "fine. how many drafts are there and what do they add up to",
    )
    count, total = _rows(db, "SELECT COUNT(*), SUM(total) FROM invoices WHERE status = 'draft'")[0]
    assert out["rows"][0][0] == count and out["rows"][0][1] == pytest.approx(total), out["answer"]


def test_a_lead_of_a_reports_list_named_by_its_company_is_that_lead(scored):
    _, out = _chat(
        scored,
        "top 10 open leads by score",
        "why is Summit Digital up there? whats its source, title, company size",
    )
    name, owner, source, *_ = _lead(scored, "Summit Digital")
    assert out["kind"] in ("card", "explanation") and name in out["answer"], out["answer"]
    row = dict(zip(out["columns"], out["rows"][0], strict=True))
    assert row["source"] == source and "title" in row and "employees" in row


def test_a_lead_named_by_person_and_company_is_found_by_both():
    from sqlalchemy import create_engine, text

    from db.models import Base
    from tools.leads.lookup import find_lead

    engine = create_engine("sqlite://")
    Base.metadata.create_all(
        engine,
        tables=[
            Base.metadata.tables["users"],
            Base.metadata.tables["companies"],
            Base.metadata.tables["leads"],
        ],
    )
    with engine.begin() as conn:
        for i, company in enumerate(("Quartz Wealth Ltd", "Quartz Wealth Inc.", "Other Co"), start=1):
            conn.execute(
                text(
                    "INSERT INTO leads (id, first_name, last_name, email, company_name, source, status, created_at) "
                    "VALUES (:i, 'Mariana', 'Harris', :e, :c, 'referral', 'new', '2026-01-01')"
                ),
                {"i": i, "e": f"m{i}@x.com", "c": company},
            )
    assert len(find_lead(engine, "Mariana Harris").lead_ids) == 3
    assert find_lead(engine, "Mariana Harris at Other Co").lead_ids == [3]


def test_whats_driving_that_after_an_accounts_card_is_its_card(db):
    _, out = _chat(db, "how's Atlas Fabrication looking health-wise", "whats driving that? breakdown pls")
    assert out["kind"] == "card", out["answer"]
    assert {"engagement_score", "payment_score", "support_score"} <= set(out["columns"])


def test_predicted_ltv_for_the_next_twelve_months_is_the_predicted_measure(db):
    _, out = _chat(db, "total LTV of my customers?", "and predicted ltv next 12m", asker=REP)
    gold = _rows(
        db,
        "SELECT SUM(ci.predicted_ltv_12m) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        f"WHERE c.lifecycle_stage = 'customer' AND c.owner_id = {ME}",
    )[0][0]
    assert _figure(out) == pytest.approx(gold), out["answer"]


def test_has_a_measure_gotten_longer_between_two_years_compares_them(db):
    (out,) = _chat(db, "has our sales cycle gotten longer? 2025 vs 2024")
    cycle = (
        "SELECT AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE stage = 'closed_won' "
        "AND date(closed_at) BETWEEN '{0}-01-01' AND '{0}-12-31'"
    )
    assert out["rows"][0][0] == pytest.approx(_rows(db, cycle.format(2025))[0][0], abs=0.01), out["answer"]
    assert out["rows"][0][1] == pytest.approx(_rows(db, cycle.format(2024))[0][0], abs=0.01)


def test_deals_won_in_a_week_are_listed_and_their_number_counted(db):
    listed, counted = _chat(db, "deals won this week?", "# of deals won this week?")
    gold = _rows(
        db,
        "SELECT name FROM deals WHERE stage = 'closed_won' AND date(closed_at) BETWEEN '2026-11-16' AND '2026-11-19'",
    )
    assert listed["kind"] == "list" and sorted(r[0] for r in listed["rows"]) == sorted(g[0] for g in gold), (
        listed["answer"]
    )
    assert counted["kind"] == "report" and _figure(counted) == len(gold)


def test_payments_from_a_region_compared_between_months_are_money(db):
    (out,) = _chat(db, "payments from EMEA accts this month compared to last month")
    paid = (
        "SELECT ROUND(SUM(p.amount), 2) FROM payments p JOIN companies c ON c.id = p.company_id WHERE c.region = 'EMEA' "
        "AND date(p.paid_at) BETWEEN '{}' AND '{}'"
    )
    assert out["rows"][0][0] == pytest.approx(_rows(db, paid.format("2026-11-01", "2026-11-19"))[0][0]), out[
        "answer"
    ]
    assert out["rows"][0][1] == pytest.approx(_rows(db, paid.format("2026-10-01", "2026-10-31"))[0][0])


def test_a_closing_question_after_statements_is_read_alone_unless_it_points_back(db):
    (out,) = _chat(
        db,
        "hi all, new in ops here and still finding my way around the numbers. finance sent me a deck with a "
        "'collections' line for October and I want to tie it out against the crm. how much cash did we actually "
        "collect in october?",
    )
    gold = _rows(
        db,
        "SELECT ROUND(SUM(amount), 2) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert _figure(out) == pytest.approx(gold[0][0]), out["answer"]


def test_the_number_someone_asked_for_is_the_measure_they_asked_for(db):
    (out,) = _chat(
        db,
        "Controller asked me for DSO and I honestly don't know how it's computed here. what's the current number?",
    )
    assert out["kind"] == "report" and out["columns"] == ["dso"], out["answer"]


def test_last_years_quarter_is_that_quarter_a_year_back(db):
    (out,) = _chat(db, "csat q1 vs last yr's q4?")
    csat = "SELECT AVG(satisfaction) FROM support_tickets WHERE date(created_at) BETWEEN '{}' AND '{}'"
    assert out["rows"][0][0] == pytest.approx(
        _rows(db, csat.format("2026-01-01", "2026-03-31"))[0][0], abs=0.01
    )
    assert out["rows"][0][1] == pytest.approx(
        _rows(db, csat.format("2025-10-01", "2025-12-31"))[0][0], abs=0.01
    )


def test_a_figure_asked_after_a_question_about_words_is_the_figure(db):
    _, out, count = _chat(
        db,
        "revenue last quarter",
        "hm ok. is that the same as what we invoiced? what was invoiced in that quarter",
        "and how many invoices is that",
    )
    billed = "FROM invoices WHERE status IN ('sent', 'paid') AND date(issue_date) BETWEEN '2026-07-01' AND '2026-09-30'"
    assert _figure(out) == pytest.approx(_rows(db, f"SELECT SUM(total) {billed}")[0][0]), out["answer"]
    assert _figure(count) == _rows(db, f"SELECT COUNT(*) {billed}")[0][0], count["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "whats the score on the Deepa Brown lead (Copperline Software)",
        "why did Deepa Brown's lead (Copperline Software) only score 83?",
    ],
)
def test_a_lead_named_with_its_company_in_brackets_is_that_lead(scored, question):
    (out,) = _chat(scored, question)
    assert out["kind"] in ("card", "explanation") and "Deepa Brown" in out["answer"], out["answer"]
    row = dict(zip(out["columns"], out["rows"][0], strict=True))
    assert (
        row["industry"]
        == _rows(scored, "SELECT industry FROM leads WHERE company_name = 'Copperline Software'")[0][0]
    )


def test_a_change_to_a_lead_is_refused_never_answered_with_its_card(scored):
    (out,) = _chat(scored, "mark the Copperline Software lead as converted and bump its score to 95")
    assert out["refused"] and out["kind"] == "refusal", out["answer"]


def test_a_word_in_the_names_is_said_not_understood(db):
    (out,) = _chat(db, "ok fine, how many companies have (Billing) in the name then?")
    assert out["refused"] and "part of a number or name" in out["answer"], out["answer"]


def test_arr_is_asked_back_the_crm_keeps_no_recurring_revenue(db):
    (out,) = _chat(db, "whats our ARR right now")
    assert out["kind"] == "clarification" and out["choices"], out["answer"]


def test_two_years_next_to_each_other_are_compared(db):
    (out,) = _chat(
        db,
        "For the planning doc I need bookings per region for 2025 next to 2024. can you give me both years side by side",
    )
    won = (
        "SELECT c.region, SUM(d.amount) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '{0}-01-01' AND '{0}-12-31' GROUP BY c.region"
    )
    this, last = dict(_rows(db, won.format(2025))), dict(_rows(db, won.format(2024)))
    assert {r[0]: (round(r[1], 2), round(r[2], 2)) for r in out["rows"]} == {
        k: (round(this[k], 2), round(last.get(k, 0), 2)) for k in this
    }, out["answer"]


def test_invoices_with_a_partial_payment_are_the_partially_paid_ones(db):
    (out,) = _chat(
        db, "which sent invoices have a partial payment on them? number, total, paid so far, balance"
    )
    gold = _rows(
        db,
        f"SELECT i.number FROM invoices i WHERE {SENT} AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id)",
    )
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_his_highest_scoring_one_after_his_open_leads_is_that_lead(scored):
    _, out = _chat(scored, "how many open leads has Sarah Santos got", "and which is his highest scoring one")
    gold = _rows(
        scored,
        "SELECT l.email FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.name = 'Sarah Santos' "
        "AND l.status IN ('new', 'working', 'qualified') ORDER BY l.score DESC, l.id LIMIT 1",
    )
    assert out["kind"] == "list" and len(out["rows"]) == 1, out["answer"]
    assert out["rows"][0][out["columns"].index("lead")] == gold[0][0]


def test_churned_accounts_against_current_customers_is_a_split_by_lifecycle_stage(db):
    (out,) = _chat(db, "how much of the overdue balance is from churned accounts vs current customers?")
    gold = _rows(
        db,
        f"SELECT c.lifecycle_stage, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE {OVERDUE} GROUP BY c.lifecycle_stage",
    )
    assert {r[0]: round(r[-1], 2) for r in out["rows"]} == {g[0]: round(g[1], 2) for g in gold}, out["answer"]


def test_days_coming_due_without_a_year_are_the_ones_ahead(db):
    (out,) = _chat(db, "how much outstanding is coming due between january 5 and january 20?")
    ahead = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i WHERE {SENT} AND i.due_date BETWEEN '2027-01-05' AND '2027-01-20'",
    )[0][0]
    assert ahead and _figure(out) == pytest.approx(ahead), out["answer"]


def test_the_split_of_an_accounts_health_and_its_overdue_after_its_card(db):
    _, split, overdue = _chat(
        db,
        "health score for Atlas Fabrication?",
        "it says high risk tho - whats the engagement / payment / support split",
        "do they have anything overdue",
    )
    assert split["kind"] == "card" and split["rows"][0][0] == "Atlas Fabrication", split["answer"]
    assert [r[0] for r in overdue["rows"]] == ["INV-2026-00716"], overdue["answer"]


def test_a_measure_asked_as_all_or_just_some_is_explained(db):
    (out,) = _chat(db, "avg deal size - all deals or just the won ones?")
    assert out["kind"] == "explanation", out["answer"]


def test_a_person_then_their_company_in_brackets_is_that_lead(scored):
    (out,) = _chat(scored, "deepa brown (copperline software) - whats her lead score n who owns her")
    name, owner, *_ = _lead(scored, "Copperline Software")
    assert out["kind"] == "card" and name in out["answer"] and owner in out["answer"], out["answer"]


def test_only_whats_in_a_stage_after_a_pipeline_lists_those_deals(db):
    _, out = _chat(db, "my pipeline", "only whats in negotiation", asker=REP)
    gold = _rows(db, f"SELECT name FROM deals WHERE stage = 'negotiation' AND owner_id = {ME}")
    assert out["kind"] == "list" and sorted(r[0] for r in out["rows"]) == sorted(g[0] for g in gold), out[
        "answer"
    ]


def test_a_measure_with_its_unit_after_a_period_keeps_the_period(db):
    _, out = _chat(db, "tickets this month", "avg resolution time in hrs?")
    gold = _rows(
        db,
        "SELECT AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM support_tickets "
        "WHERE resolved_at IS NOT NULL AND date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold, abs=0.1), out["answer"]


def test_a_value_of_the_split_asked_in_more_words_keeps_the_period(db):
    *_, out = _chat(db, "deals we lost last month", "group by reason", "how much $ did we lose to price")
    gold = _rows(
        db,
        "SELECT SUM(amount) FROM deals WHERE stage = 'closed_lost' AND lost_reason = 'price' "
        "AND date(closed_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )[0][0]
    assert _figure(out) == pytest.approx(gold), out["answer"]
