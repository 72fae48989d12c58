"""The same questions give the same rows on PostgreSQL as on SQLite (same demo data in both)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.reports.engine import answer

TODAY = date(2026, 11, 19)
SEED, COMPANIES = 11, 120

QUESTIONS = [
    "What was our total revenue last month?",
    "revenue by month this year",
    "Top 5 customers by revenue in 2025",
    "bookings by rep this year",
    "win rate by rep last year",
    "open pipeline by stage",
    "pipeline expected to close this quarter",
    "average deal size by industry",
    "new customers each month in 2025",
    "list overdue invoices",
    "total outstanding receivables",
    "Which 10 customers owe us the most?",
    "how much did we invoice last quarter",
    "lead conversion rate by source in 2025",
    "tickets by priority this month",
    "average CSAT by month this year",
    "bookings by quarter in 2025",
    "bookings by week in the last 60 days",
    "revenue by year",
    "average sales cycle in days for deals won this year",
    "average resolution time in hours by priority",
    "won deals over 50000 this year",
    "bookings by product category this year",
    "revenue by country in 2025",
    "deals lost last year by reason",
    "activities by type this quarter",
    "what % of bookings this year came from each region",  # a window over the groups
    "what % of revenue this year came in by card",  # the part over the whole, two subqueries
    "how many customers have overdue invoices",  # distinct accounts
    "what did we invoice last quarter, and how many invoices was that?",
    "bookings by lead source this year",  # an account's lead source: a derived table joined once
    "open pipeline from accounts that came in through partners",
    "which sent invoices are partially paid",  # a payment exists on a sent invoice
    "invoiced vs collected by month this year",  # two tables, each grouped, joined on the month
    "how many invoices are overdue and what's the total overdue",  # a count and an amount of the same records
    "open pipe by stage - $ and deal count",  # a count beside a measure, grouped
    "disqualification rate by source this year",  # a rate of one status
    "every voided invoice - number, account, total, issue date",  # no balance on an invoice nobody owes
    "top 10 customers by churn probability, with their predicted churn date",  # a date beside each account
    "how many customers have a health score below 50, per region",  # a bar on each account, counted per group
    "how many tickets were opened this year, and how many of them are urgent?",  # a part of a count, its share
    "bookings for nov 1-15",  # days of a month
    "bookings qtd vs where we were at the same point last quarter",  # as many days into the quarter before
    "5 biggest overdue invoices, by what's still owed",  # records ranked by their balance
    "which customers have open tickets",  # a value's records, per account
    "qualified leads - which companies + who owns each",  # a lead's company name, no account joined
    "which payments came in over the weekend",  # the Saturday and Sunday just past
    "Q3 2026 bookings, revenue and invoiced",  # three measures side by side
    "how much is sitting in the 90+ days bucket, and across how many invoices?",  # a bucket's count and what is owed
    "open leads per rep, with avg score",  # records counted beside their average
    "which customers still have an open balance with us?",  # accounts that have records of a measure (IN a subquery)
    "leads last quarter by source, with conversion rate for each",  # a count beside a rate
    "CSAT by region for 2025, and total tickets per region next to it",  # an average beside a count
    "which invoices came due earlier this month and are still unpaid?",  # by due date, up to today
    "what payments did we receive yesterday? invoice, customer and amount",  # a payment's invoice joined
]
# a follow-up on the answer before it: the groups that pass its bound, counted and summed (a subquery over them)
FOLLOW_UPS = [
    ("which accounts owe us more than 20k in overdue invoices?", "how many of those are EMEA"),
    ("which accounts owe us more than 20k in overdue invoices?", "what's the combined overdue for those"),
    ("Top 5 reps by bookings in 2025", "now rank by number of deals won instead, top 5"),
    ("deals lost last quarter by reason - count and value", "which of the price losses were over 100k?"),
    ("bookings last quarter in EMEA", "vs the quarter before that?"),  # a period against the one before it
    (
        "10 biggest payments this year",
        "which of those came by bank transfer",
    ),  # within a ranked list (IN its keys)
    ("top 5 customers by revenue this year", "add their health scores"),  # two tables per account, on its key
    ("list our high churn risk customers", "how many tickets has each logged this year"),  # none is 0
    ("how much does each customer owe us", "count them by region"),  # the accounts, counted per region
]


def _rows(result):
    assert not result.refused, (result.question, result.reason)
    return [[round(v, 2) if isinstance(v, float) else v for v in row] for row in result.rows]


def _sorted(rows):
    return sorted(rows, key=lambda r: [(v is None, str(v)) for v in r])


def test_sqlite_and_postgresql_agree(pg_url, tmp_path):
    from db.demo import generate
    from db.engine import get_engine

    sqlite_url = f"sqlite:///{tmp_path / 'parity.db'}"
    for url in (sqlite_url, pg_url):
        engine = get_engine(url)
        generate(engine, seed=SEED, today=TODAY, companies=COMPANIES)
        engine.dispose()
    lite = get_engine(sqlite_url, read_only=True)
    pg = get_engine(pg_url, read_only=True)
    asked = [(q, None) for q in QUESTIONS] + [(q, first) for first, q in FOLLOW_UPS]
    for question, first in asked:
        before = answer(first, lite, TODAY, chart=False).query if first else None
        on_sqlite = answer(question, lite, TODAY, previous=before, chart=False)
        on_pg = answer(question, pg, TODAY, previous=before, chart=False)
        assert on_sqlite.columns == on_pg.columns, question
        ordered = (on_sqlite.query or {}).get("limit") is not None
        a, b = _rows(on_sqlite), _rows(on_pg)
        if not ordered:
            a, b = _sorted(a), _sorted(b)
        assert len(a) == len(b), question
        for row_a, row_b in zip(a, b, strict=False):
            for x, y in zip(row_a, row_b, strict=False):
                if isinstance(x, float) or isinstance(y, float):
                    assert x == pytest.approx(y, abs=0.011), (question, row_a, row_b)
                else:
                    assert x == y, (question, row_a, row_b)
    # people data shown on the asker's own records only (a CASE on the owner)
    from tools.scope import DataScope

    with lite.connect() as conn:
        me = conn.exec_driver_sql(
            "SELECT owner_id FROM companies WHERE owner_id IS NOT NULL LIMIT 1"
        ).scalar()
    scope = DataScope("all", people=False, me=me)
    question = "list every contact"
    on_sqlite = answer(question, lite, TODAY, chart=False, scope=scope)
    on_pg = answer(question, pg, TODAY, chart=False, scope=scope)
    assert _sorted(_rows(on_sqlite)) == _sorted(_rows(on_pg))
    emails = [r[on_sqlite.columns.index("contact")] for r in on_sqlite.rows]
    assert any(emails) and None in emails and "people data" in on_pg.answer
    pg.dispose()
    lite.dispose()
