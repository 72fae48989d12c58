"""Ways of asking learnt from blind conversation sets (holdouts 49-51: a new sales manager's quarterly review on the
first day of a quarter, an account executive and a customer-success manager planning accounts in Slack shorthand, a
finance controller and the CEO at year-end close), and from the marketing set before them (holdout 48: accounts by the
source of the lead they came from). Each is checked against SQL written here by hand on the refreshed demo (SQLite,
today 2026-11-19), through the same path as `crmbot chat --json`.

Wrong before: "whats their combined LTV" after a top ten summed every account's; "total?" after overdue invoices with
what is owed on each summed every invoice total, of any status; "which accounts is that" after an amount listed every
company; "whats the ltv of the second one" gave every account's; "how big is that deal" with nothing before counted every
deal; "(all payment methods)" split the figure by method; "Please provide the AR aging as at today" kept invoices issued
today only; "who owns that deal" after the biggest deal ranked every rep.
"""

from __future__ import annotations

import pytest

from tests.conversation_helpers import OVERDUE, OWED
from tests.conversation_helpers import chat as _chat
from tests.conversation_helpers import figure as _figure
from tests.conversation_helpers import gold_pairs as _gold_pairs
from tests.conversation_helpers import pairs as _pairs
from tests.conversation_helpers import rows as _rows

FROM_LEAD = "SELECT l.company_id FROM leads l WHERE l.status = 'converted' AND l.source = '{}'"
CUSTOMERS = (
    "customer_insights ci JOIN companies c ON c.id = ci.company_id WHERE c.lifecycle_stage = 'customer'"
)


@pytest.fixture(scope="module")
def db(refreshed_db_path):
    return refreshed_db_path


def test_an_accounts_lead_source_filters_and_splits_their_deals_payments_and_insights(db):
    source = _rows(
        db, "SELECT source FROM leads WHERE status = 'converted' GROUP BY 1 ORDER BY COUNT(*) DESC"
    )[0][0]
    said = {"website": "the website", "referral": "referrals", "event": "events", "partner": "partners"}.get(
        source, source.replace("_", " ")
    )
    (pipeline,) = _chat(db, f"how much open pipeline is sitting with accounts we sourced from {said}")
    gold = _rows(
        db,
        "SELECT COALESCE(SUM(d.amount), 0) FROM deals d WHERE d.stage NOT IN ('closed_won', 'closed_lost') "
        f"AND d.company_id IN ({FROM_LEAD.format(source)})",
    )
    assert _figure(pipeline) == pytest.approx(gold[0][0])
    (by_source,) = _chat(db, "avg LTV by lead source for current customers")
    gold = _gold_pairs(
        db,
        "SELECT l.source, AVG(ci.ltv) FROM leads l JOIN companies c ON c.id = l.company_id JOIN customer_insights ci "
        "ON ci.company_id = c.id WHERE l.status = 'converted' AND c.lifecycle_stage = 'customer' GROUP BY l.source",
    )
    assert _pairs(by_source) == gold  # accounts that came from no lead are no group of their own
    (revenue,) = _chat(db, "revenue by lead source this year")
    gold = _gold_pairs(
        db,
        "SELECT l.source, SUM(p.amount) FROM payments p JOIN leads l ON l.company_id = p.company_id "
        "WHERE l.status = 'converted' AND date(p.paid_at) BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY 1",
    )
    assert _pairs(revenue) == gold
    # a lead's own source is still the lead's
    (leads,) = _chat(db, f"how many leads from {said} this year")
    gold = _rows(
        db, f"SELECT COUNT(*) FROM leads WHERE source = '{source}' AND date(created_at) >= '2026-01-01'"
    )
    assert _figure(leads) == gold[0][0]
    # what marketing spent is in no table: refused, never revenue by source
    (spend,) = _chat(db, "how much did we spend per lead on the trade show vs paid ads? cost per lead")
    assert spend["refused"] and not spend["rows"]


def test_one_period_words_and_no_split_asked(db):
    (ytd,) = _chat(db, "2026 YTD invoiced, split by payment terms")
    gold = _gold_pairs(
        db,
        "SELECT payment_terms, SUM(total) FROM invoices WHERE status IN ('sent', 'paid') "
        "AND issue_date BETWEEN '2026-01-01' AND '2026-11-19' GROUP BY 1",
    )
    assert _pairs(ytd) == gold
    (aging,) = _chat(db, "Please provide the AR aging as at today, by bucket.")
    owed = _rows(db, f"SELECT SUM({OWED}) FROM invoices i WHERE i.status = 'sent'")[0][0]
    assert len(aging["rows"]) == 5 and sum(r[-1] for r in aging["rows"]) == pytest.approx(owed)
    (november,) = _chat(db, "Please confirm total cash received in October 2026 (all payment methods).")
    gold = _rows(
        db, "SELECT SUM(amount) FROM payments WHERE date(paid_at) BETWEEN '2026-10-01' AND '2026-10-31'"
    )
    assert _figure(november) == pytest.approx(gold[0][0])


def test_the_accounts_behind_an_amount_and_the_total_of_a_listed_amount(db):
    _, each = _chat(db, "how much is overdue right now?", "which accounts is that, and how much each?")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, SUM({OWED}) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "GROUP BY c.id",
    )
    assert _pairs(each) == gold
    _, three = _chat(db, "how much is overdue right now?", "which 3 accounts make up most of that?")
    assert [r[0] for r in three["rows"]] == [g[0] for g in sorted(gold, key=lambda g: -g[1])[:3]]
    listed, total = _chat(db, "any overdue invoices? need number, acct and what's still owed", "total?")
    gold = _rows(db, f"SELECT COUNT(*), SUM({OWED}) FROM invoices i WHERE {OVERDUE}")[0]
    assert len(listed["rows"]) == gold[0]
    assert _figure(total) == pytest.approx(gold[1])  # what is owed on them, not every invoice's total


def test_lost_reasons_after_a_list_and_a_rate(db):
    _, counted = _chat(db, "show me the deals we lost in Q3", "why? how many went to each lost reason")
    lost_q3 = "stage = 'closed_lost' AND date(closed_at) BETWEEN '2026-07-01' AND '2026-09-30'"
    gold = _gold_pairs(db, f"SELECT lost_reason, COUNT(*) FROM deals WHERE {lost_q3} GROUP BY 1")
    assert _pairs(counted) == gold
    _, priced = _chat(db, "lost deals in q3 broken down by reason", "$ value lost to price?")
    gold = _rows(db, f"SELECT SUM(amount) FROM deals WHERE {lost_q3} AND lost_reason = 'price'")
    assert _figure(priced) == pytest.approx(gold[0][0])  # that quarter's, not all time
    _, _, why = _chat(
        db, "win rate this quarter", "per team?", "EMEA team is behind. what were their lost reasons"
    )
    gold = _gold_pairs(
        db,
        "SELECT d.lost_reason, COUNT(*) FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_lost' "
        "AND u.team = 'EMEA' AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' GROUP BY 1",
    )
    assert _pairs(why) == gold  # the deals lost, by reason (a win rate per lost reason means nothing)


def test_a_row_of_a_ranking_and_one_figure_over_the_ranking(db):
    top5 = _rows(db, f"SELECT c.name, ci.ltv FROM {CUSTOMERS} ORDER BY ci.churn_probability DESC LIMIT 5")
    _, second = _chat(db, "top 5 accts by churn probability", "whats the ltv of the second one")
    assert second["rows"] and top5[1][0] in str(second["rows"][0])
    assert top5[1][1] in second["rows"][0]
    _, combined = _chat(db, "top 5 customers by churn probability", "whats their combined LTV")
    assert _figure(combined) == pytest.approx(sum(r[1] for r in top5))
    _, sitting = _chat(db, "top 5 customers by churn probability", "how much LTV is sitting in those 5?")
    assert _figure(sitting) == pytest.approx(sum(r[1] for r in top5))


def test_which_of_a_list_of_accounts_have_overdue_invoices(db):
    owner = _rows(
        db,
        "SELECT u.email FROM users u JOIN companies c ON c.owner_id = u.id JOIN customer_insights ci ON "
        f"ci.company_id = c.id JOIN invoices i ON i.company_id = c.id WHERE ci.churn_risk = 'high' AND {OVERDUE} "
        "GROUP BY u.id ORDER BY COUNT(DISTINCT c.id) DESC LIMIT 1",
    )[0][0]
    _, which = _chat(db, "my high risk accounts", "which of them have overdue invoices", asker=owner)
    gold = _rows(
        db,
        f"SELECT DISTINCT c.name FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        f"ON ci.company_id = c.id JOIN users u ON u.id = c.owner_id WHERE {OVERDUE} AND ci.churn_risk = 'high' "
        f"AND u.email = '{owner}'",
    )
    assert sorted(r[0] for r in which["rows"]) == sorted(
        g[0] for g in gold
    )  # the accounts, not their invoices


def test_records_pointed_at_and_things_the_bot_does_not_do(db):
    (reminder,) = _chat(db, "can you send them a payment reminder for all their overdue invoices? cc me")
    assert reminder["refused"] and not reminder["rows"]
    (nothing,) = _chat(db, "ok fine, how big is that deal")
    assert not nothing["rows"] and (nothing["refused"] or nothing["kind"] == "clarification")
    biggest, owner = _chat(db, "biggest deal won this quarter", "who owns that deal")
    gold = _rows(
        db,
        "SELECT u.name FROM deals d JOIN users u ON u.id = d.owner_id WHERE d.stage = 'closed_won' "
        "AND date(d.closed_at) BETWEEN '2026-10-01' AND '2026-11-19' ORDER BY d.amount DESC LIMIT 1",
    )
    assert len(owner["rows"]) == 1 and gold[0][0] in owner["rows"][0]
    (biggest_customers,) = _chat(db, "who are our biggest customers?")
    assert biggest_customers["choices"] and not biggest_customers["rows"]


def test_partly_paid_invoices_and_accounts_nobody_contacted(db):
    (partly,) = _chat(
        db,
        "Which sent invoices have been partially paid? I need the invoice number and the remaining balance.",
    )
    gold = _rows(
        db,
        "SELECT i.number FROM invoices i WHERE i.status = 'sent' AND EXISTS "
        "(SELECT 1 FROM payments p WHERE p.invoice_id = i.id)",
    )
    assert sorted(r[0] for r in partly["rows"]) == sorted(g[0] for g in gold)
    (paid,) = _chat(
        db,
        "Which sent invoices have been partially paid? Invoice number, company, invoice total, paid to date, "
        "remaining balance; sort by remaining balance descending.",
    )
    gold = _rows(
        db,
        f"SELECT i.number, i.total - ({OWED}), {OWED} AS left FROM invoices i WHERE i.status = 'sent' AND EXISTS "
        "(SELECT 1 FROM payments p WHERE p.invoice_id = i.id) ORDER BY left DESC",
    )
    at = paid["columns"].index("paid to date")
    assert [(r[0], round(r[at], 2)) for r in paid["rows"]] == [(g[0], round(g[1], 2)) for g in gold]
    (quiet,) = _chat(db, "EMEA customers nobody's contacted in 45 days?")
    gold = _rows(
        db,
        "SELECT c.name FROM companies c WHERE c.lifecycle_stage = 'customer' AND c.region = 'EMEA' AND NOT EXISTS "
        "(SELECT 1 FROM activities a WHERE a.company_id = c.id AND date(a.occurred_at) >= '2026-10-05')",
    )
    assert sorted(r[0] for r in quiet["rows"]) == sorted(g[0] for g in gold)


def test_an_account_named_around_the_question(db):
    name = _rows(
        db,
        f"SELECT c.name FROM invoices i JOIN companies c ON c.id = i.company_id JOIN customer_insights ci "
        f"ON ci.company_id = c.id WHERE {OVERDUE} GROUP BY c.id ORDER BY COUNT(*) DESC, c.name LIMIT 1",
    )[0][0]
    invoices, owed = _chat(
        db,
        f"prepping for the call w/ {name} tmrw - can u pull their overdue invoices? invoice # and whats still open",
        "and what do they owe in total incl the stuff not due yet",
    )
    gold = _rows(
        db,
        f"SELECT i.number, {OWED} FROM invoices i JOIN companies c ON c.id = i.company_id "
        f"WHERE c.name = '{name}' AND i.status = 'sent'",
    )
    overdue = _rows(
        db,
        f"SELECT COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = '{name}' AND {OVERDUE}",
    )
    assert len(invoices["rows"]) == overdue[0][0]
    assert _figure(owed) == pytest.approx(sum(g[1] for g in gold))  # due or not
    (contacts,) = _chat(db, f"could you pull the emails for everyone we have at {name}?")
    gold = _rows(
        db,
        f"SELECT ct.email FROM contacts ct JOIN companies c ON c.id = ct.company_id WHERE c.name = '{name}'",
    )
    shown = {str(v) for r in contacts["rows"] for v in r}
    assert gold and all(g[0] in shown for g in gold)
    card, scores = _chat(
        db,
        f"how's {name} looking health-wise",
        "why so bad? show me the engagement / payment / support scores",
    )
    gold = _rows(
        db,
        "SELECT ci.engagement_score, ci.payment_score, ci.support_score FROM customer_insights ci JOIN companies c "
        f"ON c.id = ci.company_id WHERE c.name = '{name}'",
    )
    assert scores["rows"] == [pytest.approx(list(gold[0]))]  # that account's, not the average of all


def test_more_than_a_number_of_records_is_each_groups_count(db):
    # ("accounts": every account; "customers" are the customer stage, see test_conversation_phrasings_h67.py)
    (out,) = _chat(db, "which accounts have more than 2 overdue invoices")
    gold = _gold_pairs(
        db,
        f"SELECT c.name, COUNT(*) FROM invoices i JOIN companies c ON c.id = i.company_id WHERE {OVERDUE} "
        "GROUP BY c.id HAVING COUNT(*) > 2",
    )
    assert gold and _pairs(out) == gold  # was each invoice's amount over 2


def test_my_best_lead_is_mine(db):
    owner = _rows(
        db,
        "SELECT u.email FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status IN ('new', 'working', "
        "'qualified') GROUP BY u.id ORDER BY COUNT(*) DESC LIMIT 1",
    )[0][0]
    (best,) = _chat(db, "what's my single best lead right now", asker=owner)
    mine = _rows(
        db,
        "SELECT l.company_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status IN ('new', 'working', "
        f"'qualified') AND u.email = '{owner}'",
    )
    assert (
        len(best["rows"]) == 1 and "owned by" in best["interpretation"]
    )  # the asker's, not the company's best
    assert any(m[0] in best["rows"][0] for m in mine)
