"""Ways of asking learnt from the blind rounds of holdouts 172 onwards, each checked against SQL written here by hand
on the refreshed demo (SQLite, today Thursday 2026-11-19), through the same path as `crmbot chat --json`.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import ACCOUNT, MANAGER, ME, OPEN_STAGES, OVERDUE, OWED, REP, TEAM
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

WON = "stage = 'closed_won'"


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


# ------------------------------------------------------------------------------------------------------ periods


def test_the_quarter_before_last_is_two_quarters_back(db):
    out = _chat(db, "how many deals did we win the quarter before last")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-04-01' AND '2026-06-30'",
    )
    assert _figure(out) == gold[0][0]


def test_the_quarter_before_in_a_fresh_question_is_last_quarter_never_all_time(db):
    out = _chat(db, "how many deals did we win the quarter before?")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert _figure(out) == gold[0][0]


def test_the_month_before_last_after_a_figure_is_two_months_back(db):
    *_, out = _chat(db, "how many deals did we win last month", "and the month before last?")
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-09-01' AND '2026-09-30'",
    )
    assert _figure(out) == gold[0][0]


def test_a_short_month_name_anywhere_in_the_message_is_the_month(db):
    out = _chat(db, "morning! how did feb end up - total bookings + how many deals we won?")[-1]
    gold = _rows(
        db,
        f"SELECT SUM(amount), COUNT(*) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-02-01' AND '2026-02-28'",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_same_for_may_is_the_month(db):
    *_, out = _chat(db, "avg csat by priority last month", "same for may")
    gold = _rows(
        db,
        "SELECT priority, AVG(satisfaction) FROM support_tickets WHERE date(created_at) BETWEEN '2026-05-01' AND "
        "'2026-05-31' GROUP BY priority",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_the_same_days_of_a_month_last_year_are_as_far_into_it(db):
    out = _chat(db, "mtd bookings vs the same days last november?")[-1]
    mtd = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    before = _rows(
        db,
        f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2025-11-01' AND '2025-11-19'",
    )
    assert out["rows"][0][:2] == pytest.approx([mtd[0][0], before[0][0]])


# ------------------------------------------------------------------------------------------------------ measures


def test_who_closed_the_most_deals_is_who_won_the_most(db):
    out = _chat(db, "who closed the most deals in q3")[-1]
    assert out["rows"][0][:2] == ["Sarah Santos", 12]  # won deals (Wei Andersson won 11)


def test_the_count_behind_an_amount_keeps_the_average_asked_beside_it(db):
    *_, out = _chat(
        db,
        "need Q3 bookings for the board deck - total pls",
        "how many deals was that and whats the avg size",
    )
    gold = _rows(
        db,
        f"SELECT COUNT(*), AVG(amount) FROM deals WHERE {WON} AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert out["rows"][0][:2] == pytest.approx(list(gold[0]))


def test_an_amount_and_the_part_of_it_a_value_names(db):
    out = _chat(db, "total recievables, and how much of that isnt due yet")[-1]
    owed = f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'"
    whole, part = _rows(db, owed)[0][0], _rows(db, owed + " AND i.due_date >= '2026-11-19'")[0][0]
    assert sorted(out["rows"][0][:2]) == pytest.approx(sorted([whole, part]))


def test_add_the_number_of_deals_in_each_counts_the_deals_behind_the_figure(db):
    *_, out = _chat(db, "open pipeline by stage", "add the number of deals in each")
    gold = _rows(db, f"SELECT stage, SUM(amount), COUNT(*) FROM deals WHERE {OPEN_STAGES} GROUP BY stage")
    assert sorted((r[0], round(r[1], 2), r[2]) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 2), g[2]) for g in gold
    )


def test_a_bound_on_the_number_of_records_behind_a_rate(db):
    *_, out = _chat(db, "win rate by rep for 2025", "only reps with 30+ closed deals")
    gold = _rows(
        db,
        "SELECT u.name, 1.0 * SUM(d.stage = 'closed_won') / COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id "
        "WHERE d.stage IN ('closed_won', 'closed_lost') AND date(d.closed_at) BETWEEN '2025-01-01' AND '2025-12-31' "
        "GROUP BY u.id HAVING COUNT(*) >= 30",
    )
    assert len(gold) == 3 and _pairs(out) == _gold_pairs_of(gold)


# ------------------------------------------------------------------------------------------------------ follow-ups


def test_the_two_accounts_of_two_cards_are_both_of_them(db):
    *_, out = _chat(
        db, "health score for Bramble Logic?", "what about Contoso Genomics", "ltv for both of them"
    )
    gold = _rows(
        db,
        "SELECT c.name, ci.ltv FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.name IN ('Bramble Logic', 'Contoso Genomics')",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_split_the_aging_by_region_keeps_the_buckets(db):
    *_, out = _chat(db, "AR aging as of today", "split that by region")
    assert {"region", "aging_bucket"} <= set(out["columns"])
    total = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")[0][0]
    assert sum(r[-1] for r in out["rows"]) == pytest.approx(total)


def test_month_by_month_for_those_two_keeps_each_of_the_two(db):
    *_, out = _chat(
        db, "revenue by region last quarter", "just apac and emea", "now month by month for those two"
    )
    assert "region" in out["columns"] and len(out["rows"]) == 6
    gold = _rows(
        db,
        "SELECT SUM(pm.amount) FROM payments pm JOIN companies c ON c.id = pm.company_id WHERE c.region = 'APAC' "
        "AND date(pm.paid_at) BETWEEN '2026-08-01' AND '2026-08-31'",
    )
    assert [r[-1] for r in out["rows"] if "APAC" in r and "2026-08-01" in r] == pytest.approx([gold[0][0]])


def test_list_just_the_ones_over_an_amount_with_columns_lists_them(db):
    *_, out = _chat(
        db, "payments last month by method", "list just the bank transfers over 50k - company, amount, date"
    )
    gold = _rows(
        db,
        "SELECT amount FROM payments WHERE method = 'bank_transfer' AND amount > 50000 AND "
        "date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'",
    )
    assert out["kind"] == "list" and len(out["rows"]) == len(gold) == 4


def test_how_many_of_them_nobody_has_touched_yet_are_still_new(db):
    *_, out = _chat(db, "new leads this month?", "how many of them nobody has touched yet (still status new)")
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE status = 'new' AND date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert _figure(out) == gold[0][0]


# ------------------------------------------------------------------------------------------------------ words


def test_accounts_with_a_ticket_open_or_pending(db):
    out = _chat(
        db,
        "customers with churn prob over 50% that still have a ticket open or pending - name and churn prob",
    )[-1]
    gold = _rows(
        db,
        "SELECT c.name, ci.churn_probability FROM customer_insights ci JOIN companies c ON c.id = ci.company_id "
        "WHERE c.lifecycle_stage = 'customer' AND ci.churn_probability > 0.5 AND c.id IN "
        "(SELECT company_id FROM support_tickets WHERE status IN ('open', 'pending'))",
    )
    probability = out["columns"].index(
        "churn probability" if "churn probability" in out["columns"] else "churn_probability"
    )
    assert gold and sorted((r[0], round(r[probability], 4)) for r in out["rows"]) == sorted(
        (g[0], round(g[1], 4)) for g in gold
    )


def test_a_year_before_lead_is_a_year_not_a_lead_number(db):
    out = _chat(db, "2025 lead conversion: paid ads vs referral?")[-1]
    assert out["kind"] == "report" and sorted(r[0] for r in out["rows"]) == ["paid_ads", "referral"]


def test_teh_is_the(db):
    out = _chat(db, "new leads in teh last 30 days by region")[-1]
    assert out["kind"] == "report" and out["columns"][0] == "region"


def test_contacts_with_just_emails_and_titles(db):
    out = _chat(db, "who do we have on file at Atlas Fabrication? just need emails + titles")[-1]
    assert out["kind"] == "list" and "title" in out["columns"] and len(out["rows"]) == 4


def test_when_opened_is_the_tickets_created_column(db):
    out = _chat(db, "high priority tickets still open or pending - subject, company, when opened")[-1]
    gold = _rows(
        db, "SELECT COUNT(*) FROM support_tickets WHERE priority = 'high' AND status IN ('open', 'pending')"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


@pytest.mark.parametrize(
    "question, words",
    [
        ("is 'invoiced' the same number as revenue or no", ["invoice", "payment"]),
        (
            "lead conv rate - converted over what exactly? all leads or just qualified ones?",
            ["converted", "all leads"],
        ),
        ("when I ask for pipeline for a quarter, which date are you filtering on?", ["expected close"]),
    ],
)
def test_definitions_asked_as_a_check(db, question, words):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and all(w in out["answer"].lower() for w in words), out["answer"]


def _gold_pairs_of(gold, digits: int = 2) -> list[tuple]:
    return sorted((str(g[0]), round(float(g[-1]), digits)) for g in gold)


# ------------------------------------------------------------------------------------------------------ round 2


def test_how_many_of_one_and_how_many_of_another_value_is_a_row_each(db):
    out = _chat(db, "how many calls and how many meetings did I log last week", asker=REP)[-1]
    assert sorted(map(tuple, out["rows"])) == [("call", 7), ("meeting", 5)]


def test_list_a_reps_after_a_count_per_rep_lists_that_reps_records(db):
    *_, out = _chat(
        db, "how many high churn risk accounts does each rep on my team have", "list wei's", asker=MANAGER
    )
    assert out["kind"] == "list" and len(out["rows"]) == 10


def test_a_column_on_each_of_my_top_leads_keeps_them_mine(scored_db_path):
    db = scored_db_path  # (the leads scored by the trained model)
    *_, out = _chat(db, "my 3 hottest leads", "whats the conversion probability on each", asker=REP)
    gold = _rows(
        db,
        f"SELECT conversion_probability FROM leads WHERE owner_id = {ME} AND status IN ('new', 'working', 'qualified') "
        "ORDER BY score DESC LIMIT 3",
    )
    column = out["columns"].index("conversion probability")
    assert sorted(r[column] for r in out["rows"]) == pytest.approx(sorted(g[0] for g in gold))


def test_any_team_is_no_split(db):
    out = _chat(db, "negotiation deals over 50k expected to close in december, any team")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation' AND amount > 50000 AND "
        "expected_close_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert out["kind"] == "list" and "team" not in out["columns"] and len(out["rows"]) == gold[0][0]


def test_the_part_of_an_amount_that_sits_with_churned_accounts(db):
    *_, out = _chat(
        db, "total recievables as of rn?", "how much of that sits with accounts that already churned"
    )
    gold = _rows(
        db,
        f"SELECT SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE i.status = 'sent' AND "
        "c.lifecycle_stage = 'churned'",
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_due_tomorrow_is_coming_due_tomorrow(db):
    out = _chat(db, "invoices due tmrw")[-1]
    assert out["kind"] == "report" and out["rows"] == [[0]] and "2026-11-20" in out["interpretation"]
    out = _chat(
        db, "whats coming due today or tomorrow that's still unpaid? not counting anything already overdue"
    )[-1]
    assert "2026-11-19 to 2026-11-20" in out["interpretation"]


def test_add_a_rate_per_the_split_it_already_has(db):
    *_, out = _chat(db, "leads by source this quarter", "now add the conversion rate per source")
    assert out["columns"] == ["source", "leads", "lead_conversion_rate"]


def test_more_then_is_more_than(db):
    out = _chat(db, "how much is more then 60 days late?")[-1]
    gold = _rows(
        db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent' AND i.due_date < '2026-09-20'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_anything_still_open_on_their_account_is_what_they_owe(db):
    *_, out = _chat(
        db, "how much has Atlas Fabrication paid us this year", "anything still open on their account?"
    )
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM invoices i WHERE i.status = 'sent' AND i.company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert out["kind"] in ("list", "report") and len(out["rows"]) == max(gold[0][0], 1)


def test_only_count_the_overdue_part_is_the_overdue_amount(db):
    *_, out = _chat(db, "top 5 accounts by outstanding balance", "only count the overdue part")
    assert out["columns"][-1] == "overdue_amount"


def test_a_period_corrected_with_a_sentence_after_it(db):
    out = _chat(db, "whats our avg sales cycle on deals we won in Q2 - sorry, Q3 I mean. in days")[-1]
    gold = _rows(
        db,
        "SELECT AVG(julianday(date(closed_at)) - julianday(date(created_at))) FROM deals WHERE stage = 'closed_won' "
        "AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=0.01)
    out = _chat(
        db,
        "customers we lost this quarter - actually no, just this month so far. name, region and churn date",
    )[-1]
    gold = _rows(
        db, "SELECT COUNT(*) FROM companies WHERE date(churned_at) BETWEEN '2026-11-01' AND '2026-11-19'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


def test_a_comparison_said_again_after_wait_no(db):
    out = _chat(
        db, "collections sep 2026 vs sep 2025.. wait no, october. oct 2026 vs oct 2025, whats the growth %"
    )[-1]
    now, before = (
        _rows(
            db, f"SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '{y}-10-01' AND '{y}-10-31'"
        )[0][0]
        for y in (2026, 2025)
    )
    assert out["rows"][0][:2] == pytest.approx([now, before])


def test_the_number_said_last_in_a_ranking(db):
    out = _chat(db, "which 10 industries - no, top 3 is fine - brought in the most bookings in 2026?")[-1]
    gold = _rows(
        db,
        "SELECT c.industry, SUM(d.amount) AS b FROM deals d JOIN companies c ON c.id = d.company_id WHERE "
        f"d.{WON} AND date(d.closed_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY c.industry ORDER BY b DESC LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]


def test_every_row_of_a_ranking_when_asked_for_all(db):
    out = _chat(db, "which lead source converted best in 2025? show me all the sources")[-1]
    assert len(out["rows"]) == 6


def test_what_that_adds_up_to_after_a_split_by_month(db):
    *_, out = _chat(db, "cash collected by month this year", "just Q3", "whats that add up to")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-07-01' AND '2026-09-30'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_columns_said_as_a_remark(db):
    out = _chat(
        db,
        "for the finance sync - top 5 accounts by overdue amount. and throw in their churn risk so we know who to push "
        "vs handle gently",
    )[-1]
    assert "churn_risk" in out["columns"] and len(out["rows"]) == 5
    out = _chat(db, "high priority tickets still sitting open or pending - which accounts, and since when")[
        -1
    ]
    gold = _rows(
        db, "SELECT COUNT(*) FROM support_tickets WHERE priority = 'high' AND status IN ('open', 'pending')"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0] and "created" in out["columns"]
    out = _chat(
        db, "which accounts logged 3 or more urgent tickets this year? and are they still customers?"
    )[-1]
    assert "lifecycle_stage" in out["columns"]


def test_whose_expected_close_date_already_passed(db):
    out = _chat(db, "deals sitting in proposal whose expected close date already passed")[-1]
    gold = _rows(
        db, "SELECT COUNT(*) FROM deals WHERE stage = 'proposal' AND expected_close_date < '2026-11-19'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


def test_a_list_for_a_team_is_a_heading(db):
    out = _chat(db, "need a list for the CS team: high churn risk customers with LTV over 10k")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE "
        "c.lifecycle_stage = 'customer' AND ci.churn_risk = 'high' AND ci.ltv > 10000",
    )
    assert len(out["rows"]) == gold[0][0] > 0


@pytest.mark.parametrize(
    "question, words",
    [
        ("when you bucket AR, what exactly lands in 90+?", ["90+"]),
        ("what does 'last touch' on an account actually look at", ["activity"]),
        ("lead conversion rate = converted / what exactly? all leads or only qualified ones?", ["all leads"]),
    ],
)
def test_more_definitions_asked_as_a_check(db, question, words):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and all(w in out["answer"].lower() for w in words), out["answer"]


def test_which_of_them_after_what_my_accounts_owe_is_each_account(db):
    *_, out = _chat(
        db, "how much do my accounts owe us right now", "which of them are overdue and by how much", asker=REP
    )
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        f"c.owner_id = {ME} GROUP BY c.id",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


# ------------------------------------------------------------------------------------------------------ round 3


def _bookings(db, between: str, where: str = "") -> float:
    return _rows(db, f"SELECT SUM(amount) FROM deals WHERE {WON} AND date(closed_at) {between}{where}")[0][0]


def test_renewals_are_the_deals_named_as_renewals(db):
    out = _chat(db, "renewal bookings q3 vs q2 (deals named Renewal)")[-1]
    renewal = " AND name LIKE '% - Renewal %'"
    assert out["rows"][0][:2] == pytest.approx(
        [
            _bookings(db, "BETWEEN '2026-07-01' AND '2026-09-30'", renewal),
            _bookings(db, "BETWEEN '2026-04-01' AND '2026-06-30'", renewal),
        ]
    )
    assert out["rows"][0][0] != pytest.approx(_bookings(db, "BETWEEN '2026-07-01' AND '2026-09-30'"))
    out = _chat(db, "bookings by deal type this year")[-1]
    assert sum(r[-1] for r in out["rows"]) == pytest.approx(
        _bookings(db, "BETWEEN '2026-01-01' AND '2026-11-19'")
    )
    assert {r[0] for r in out["rows"]} <= {"new business", "renewal", "expansion", "other"}


def test_so_far_this_half_and_a_comparison_with_a_half_last_year(db):
    now, before = _chat(
        db, "how much have i closed-won so far this half?", "hows that vs H2 last year? delta + %", asker=REP
    )
    mine = f" AND owner_id = {ME}"
    assert _figure(now) == pytest.approx(_bookings(db, "BETWEEN '2026-07-01' AND '2026-11-19'", mine))
    assert before["rows"][0][:2] == pytest.approx(
        [
            _bookings(db, "BETWEEN '2026-07-01' AND '2026-11-19'", mine),
            _bookings(db, "BETWEEN '2025-07-01' AND '2025-12-31'", mine),
        ]
    )


def test_a_count_as_a_percent(db):
    *_, out = _chat(
        db, "how many referral leads have we had this year", "how many of them converted", "as a %?"
    )
    gold = _rows(
        db,
        "SELECT 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads WHERE source = 'referral' AND "
        "date(created_at) BETWEEN '2026-01-01' AND '2026-11-19'",
    )
    assert _figure(out) == pytest.approx(gold[0][0], abs=1e-4)


def test_measures_named_whole_are_each_a_column(db):
    q3 = "BETWEEN '2026-07-01' AND '2026-09-30'"
    gold = _rows(
        db, f"SELECT SUM(amount), COUNT(*), AVG(amount) FROM deals WHERE {WON} AND date(closed_at) {q3}"
    )[0]
    out = _chat(db, "bookings and deals won last quarter")[-1]
    assert out["rows"][0] == pytest.approx([gold[0], gold[1]])
    out = _chat(db, "bookings, avg deal size and deals won last quarter")[-1]
    assert out["rows"][0] == pytest.approx([gold[0], gold[2], gold[1]])
    out = _chat(db, "bookings, deals won, avg deal size for last quarter")[-1]
    assert out["rows"][0] == pytest.approx([gold[0], gold[1], gold[2]])
    out = _chat(db, "win rate, deals won and deals lost by region last quarter")[-1]
    assert out["columns"] == ["region", "win_rate", "deals_won", "deals_lost"]


def test_the_amount_lost_beside_a_count(db):
    *_, out = _chat(
        db, "how many deals did we lose last quarter", "breakdown by lost reason, w/ the $ lost too"
    )
    gold = _rows(
        db,
        "SELECT lost_reason, COUNT(*), SUM(amount) FROM deals WHERE stage = 'closed_lost' AND "
        "date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY lost_reason",
    )
    assert sorted((r[0], r[1], round(r[2], 2)) for r in out["rows"]) == sorted(
        (g[0], g[1], round(g[2], 2)) for g in gold
    )


def test_instead_of_counts_and_lumped_together(db):
    *_, instead, lumped = _chat(
        db,
        "tickets by priority last month",
        "avg resolution hours instead of counts",
        "just high + urgent lumped together, one number",
    )
    assert instead["columns"] == ["priority", "resolution_time"]
    gold = _rows(
        db,
        "SELECT AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM support_tickets WHERE "
        "resolved_at IS NOT NULL AND priority IN ('high', 'urgent') AND date(created_at) BETWEEN '2026-10-01' AND "
        "'2026-10-31'",
    )
    assert _figure(lumped) == pytest.approx(gold[0][0], abs=0.01)


def test_split_by_another_as_well_keeps_the_first(db):
    *_, out = _chat(db, "open pipeline by region", "split that by stage as well")
    assert out["columns"] == ["region", "stage", "pipeline"]


def test_an_amount_and_its_part_past_due(db):
    out = _chat(db, "total receivables right now, and how much of it is 90+ days past due?")[-1]
    owed = f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'"
    whole, part = (
        _rows(db, owed)[0][0],
        _rows(db, owed + " AND i.due_date < date('2026-11-19', '-90 days')")[0][0],
    )
    assert sorted(out["rows"][0][:2]) == pytest.approx(sorted([whole, part]))


def test_what_is_said_around_a_question(db):
    *_, out = _chat(
        db,
        "hi, sorry if this is basic :sweat_smile: how much money did we actually recieve from customers this month "
        "so far?",
        "ok thx. and for the whole of october?",
    )
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    out = _chat(db, "how many brand new leads nobody's worked yet? status new")[-1]
    assert _figure(out) == _rows(db, "SELECT COUNT(*) FROM leads WHERE status = 'new'")[0][0]
    out = _chat(db, "are we resolving urgent tickets any faster? avg resolution hrs for Q3 vs Q2")[-1]
    assert out["columns"][:2] == ["Q3 2026", "Q2 2026"]


def test_my_few_with_the_worst_and_how_many_each(db):
    out = _chat(db, "my 3 customers with the worst health score?", asker=REP)[-1]
    gold = _rows(
        db,
        "SELECT c.name FROM customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = "
        f"'customer' AND c.owner_id = {ME} ORDER BY ci.health_score LIMIT 3",
    )
    assert [r[0] for r in out["rows"]] == [g[0] for g in gold]
    out = _chat(db, "any of my accounts got unresolved tickets rn? how many each", asker=REP)[-1]
    gold = _rows(
        db,
        "SELECT c.name, COUNT(*) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE "
        f"t.status IN ('open', 'pending') AND c.owner_id = {ME} GROUP BY c.id",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_opened_is_the_tickets_created_column_and_the_cohort_date_is_a_definition(db):
    out = _chat(
        db, "high + urgent tickets that are stil open or pending: subject, customer, priority, status, opened"
    )[-1]
    assert out["kind"] == "list" and "created" in out["columns"]
    out = _chat(
        db,
        "lead conversion rate: converted / all leads, or converted / leads that got closed out? and which date do you "
        "cohort on",
    )[-1]
    assert out["kind"] == "explanation" and "created" in out["answer"]


# ------------------------------------------------------------------------------------------------------ round 4


def test_a_year_said_before_a_noun_is_no_ranking(db):
    out = _chat(db, "morning! doing the 2025 wrap up. how much cash did we actually collect last yr")[-1]
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2025-01-01' AND '2025-12-31'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])


def test_the_whole_and_the_overdue_part_after_a_question_mark(db):
    out = _chat(db, "how much are we owed in total rn? + how much of that is overdue")[-1]
    owed = f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'"
    whole, part = _rows(db, owed)[0][0], _rows(db, owed + " AND i.due_date < '2026-11-19'")[0][0]
    assert out["rows"][0][:2] == pytest.approx([whole, part])


def test_which_was_the_best_month_after_a_split_by_month(db):
    *_, out = _chat(db, "revenue by month in 2025", "which was the best month")
    gold = _rows(
        db,
        "SELECT strftime('%Y-%m-01', paid_at) m, SUM(amount) s FROM payments WHERE date(paid_at) BETWEEN '2025-01-01' "
        "AND '2025-12-31' GROUP BY m ORDER BY s DESC LIMIT 1",
    )
    assert len(out["rows"]) == 1 and str(out["rows"][0][0])[:10] == gold[0][0]


def test_payments_in_dollars_are_the_money(db):
    out = _chat(db, "payments $ by method oct vs sep - are we getting fewer cheques?")[-1]
    gold = _rows(
        db,
        "SELECT method, SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY 1",
    )
    assert sorted((r[0], round(r[1], 2)) for r in out["rows"]) == sorted((g[0], round(g[1], 2)) for g in gold)


def test_payments_with_who_how_much_and_how_they_paid_are_listed(db):
    out = _chat(db, "what payments came in last week? who, how much, how they paid")[-1]
    gold = _rows(
        db, "SELECT COUNT(*) FROM payments WHERE date(paid_at) BETWEEN '2026-11-09' AND '2026-11-15'"
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]
    assert {"customer", "amount", "method"} <= set(out["columns"])


def test_which_of_my_accounts_are_overdue_and_by_how_much(db):
    out = _chat(db, "which of my accounts are overdue and by how much?", asker=REP)[-1]
    gold = _rows(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} AND "
        f"c.owner_id = {ME} GROUP BY c.id",
    )
    assert _pairs(out) == _gold_pairs_of(gold)


def test_how_many_of_my_customers_have_something(db):
    *_, out = _chat(
        db, "how many customers do i own right now", "and how many of them have something overdue", asker=REP
    )
    gold = _rows(
        db,
        "SELECT COUNT(DISTINCT c.id) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE "
        f"{OVERDUE} AND c.owner_id = {ME} AND c.lifecycle_stage = 'customer'",
    )
    assert _figure(out) == gold[0][0]
    out = _chat(db, "how many customers have open tickets")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(DISTINCT c.id) FROM support_tickets t JOIN companies c ON c.id = t.company_id WHERE "
        "t.status = 'open' AND c.lifecycle_stage = 'customer'",
    )
    assert _figure(out) == gold[0][0]


def test_a_count_and_what_share_converted(db):
    out = _chat(db, "partner leads in 2025 - how many, and what % converted?")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*), 1.0 * SUM(status = 'converted') / COUNT(*) FROM leads WHERE source = 'partner' AND "
        "date(created_at) BETWEEN '2025-01-01' AND '2025-12-31'",
    )
    assert out["rows"][0] == pytest.approx(list(gold[0]), abs=1e-4)


def test_two_years_with_v_and_last_quarters_batch(db):
    out = _chat(db, "avg deal size 25 v 24")[-1]
    assert out["columns"][:2] == ["2025", "2024"]
    out = _chat(db, "how many paid ads leads got disqualified out of last quarter's batch")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM leads WHERE source = 'paid_ads' AND status = 'disqualified' AND "
        "date(created_at) BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    assert _figure(out) == gold[0][0]


@pytest.mark.parametrize(
    "question, words",
    [
        ("avg deal size - won deals only or everything?", ["won"]),
        ("lead conv rate = converted divided by what exactly", ["all leads"]),
    ],
)
def test_definitions_asked_as_a_choice(db, question, words):
    out = _chat(db, question)[-1]
    assert out["kind"] == "explanation" and all(w in out["answer"].lower() for w in words), out["answer"]


# ------------------------------------------------------------------------------------------------------ round 5


def test_the_first_months_of_the_year_and_the_same_months_last_year(db):
    out = _chat(db, "cash collected for the first nine months of the year?")[-1]
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-01-01' AND '2026-09-30'"
    )
    assert _figure(out) == pytest.approx(gold[0][0])
    out = _chat(
        db,
        "how are bookings for the first 9 months tracking vs the same 9 months last year? need the growth %",
    )[-1]
    assert out["rows"][0][:2] == pytest.approx(
        [
            _bookings(db, "BETWEEN '2026-01-01' AND '2026-09-30'"),
            _bookings(db, "BETWEEN '2025-01-01' AND '2025-09-30'"),
        ]
    )


def test_a_close_date_and_deals_added_to_the_pipe(db):
    out = _chat(db, "deals in negotiation w/ close date in december and > 50k")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE stage = 'negotiation' AND amount > 50000 AND expected_close_date BETWEEN "
        "'2026-12-01' AND '2026-12-31'",
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0] > 0
    out = _chat(db, "anything >10k added to the pipe this month?")[-1]
    gold = _rows(
        db,
        "SELECT COUNT(*) FROM deals WHERE amount > 10000 AND date(created_at) BETWEEN '2026-11-01' AND '2026-11-19'",
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0]


def test_who_on_my_team_is_lagging_keeps_my_team(db):
    out = _chat(db, "who on my team is lagging? bookings per rep this qtr", asker=MANAGER)[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(DISTINCT owner_id) FROM deals WHERE {WON} AND owner_id IN {TEAM} AND "
        "date(closed_at) BETWEEN '2026-10-01' AND '2026-11-19'",
    )
    assert len(out["rows"]) == gold[0][0]


def test_the_day_of_the_quarter_is_a_remark(db):
    out = _chat(db, "ok Q4 day 1. total overdue as of this morning?")[-1]
    gold = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE {OVERDUE}")
    assert _figure(out) == pytest.approx(gold[0][0])


def test_records_with_a_bound_and_who_owns_them_are_listed(scored_db_path):
    out = _chat(scored_db_path, "open leads with a conversion probability above 45%? who owns them")[-1]
    gold = _rows(
        scored_db_path,
        "SELECT COUNT(*) FROM leads WHERE status IN ('new', 'working', 'qualified') AND conversion_probability > 0.45",
    )
    assert out["kind"] == "list" and len(out["rows"]) == gold[0][0] > 0 and "rep" in out["columns"]


def test_what_makes_an_invoice_overdue_and_remind_me_are_definitions(db):
    for question in (
        "what makes an invoice overdue exactly? like 1 day late?",
        "remind me what the AR aging buckets are?",
    ):
        out = _chat(db, question)[-1]
        assert out["kind"] == "explanation", (question, out["answer"])


def test_words_that_stay_what_they_were(db):
    # "upsell" is no deal type, "business" alone no value, a 1-star rating no count of tickets, the records of a
    # list said with "which" no count beside an amount, "which customers owe the most" no lifecycle filter of its own
    out = _chat(db, "any open deals with Atlas Fabrication? checking for upsell")[-1]
    gold = _rows(
        db,
        f"SELECT COUNT(*) FROM deals WHERE {OPEN_STAGES} AND company_id = {ACCOUNT.format('Atlas Fabrication')}",
    )
    assert len(out["rows"]) == gold[0][0]
    out = _chat(db, "total won business from Atlas Fabrication, all time")[-1]
    assert out["kind"] == "report" and not out["refused"]
    out = _chat(db, "which invoices fell due last week and still haven't been paid?")[-1]
    assert out["kind"] == "list"
    out = _chat(
        db,
        "show me every account with overdue invoices and the amount overdue for each",
        "only the ones with more than 5k overdue",
    )[-1]
    assert out["rows"] and not out["refused"]
