"""Time words, numbers and ranks: pure functions, checked against the calendar by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tools.reports.nlq.numbers import extract_comparisons, extract_rank, parse_amount
from tools.reports.timewords import find_grain, find_period

TODAY = date(2026, 11, 19)  # a Thursday


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("this week", "2026-11-16", "2026-11-19"),
        ("last week", "2026-11-09", "2026-11-15"),
        ("this month", "2026-11-01", "2026-11-19"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("this quarter", "2026-10-01", "2026-11-19"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("this year", "2026-01-01", "2026-11-19"),
        ("last year", "2025-01-01", "2025-12-31"),
        ("the last 30 days", "2026-10-21", "2026-11-19"),
        ("past 7 days", "2026-11-13", "2026-11-19"),
        ("in 2025", "2025-01-01", "2025-12-31"),
        ("in March 2026", "2026-03-01", "2026-03-31"),
        ("in Feb 2024", "2024-02-01", "2024-02-29"),
        ("Q3 2025", "2025-07-01", "2025-09-30"),
        ("2025-Q4", "2025-10-01", "2025-12-31"),
        ("the second quarter of 2026", "2026-04-01", "2026-06-30"),
        ("since 2026-06-15", "2026-06-15", "2026-11-19"),
        ("since March 2026", "2026-03-01", "2026-11-19"),
        ("YTD", "2026-01-01", "2026-11-19"),
        ("year to date", "2026-01-01", "2026-11-19"),
        ("between 2026-01-01 and 2026-02-15", "2026-01-01", "2026-02-15"),
        # days named with their month, either order, a year said once, today as an end
        ("jan 1 - nov 15 this year", "2026-01-01", "2026-11-15"),
        ("from 1 January to 24 September 2026", "2026-01-01", "2026-09-24"),
        ("jan 1 to nov 30 2025", "2025-01-01", "2025-11-30"),
        ("between today and dec 31", "2026-11-19", "2026-12-31"),
        ("from march 1st to may 31st last year", "2025-03-01", "2025-05-31"),
        ("the same stretch (jan 1 - nov 15) of 2025", "2025-01-01", "2025-11-15"),
        ("between dec 1 and jan 15", "2025-12-01", "2026-01-15"),
        ("since the start of the year", "2026-01-01", "2026-11-19"),
        ("since the beginning of last quarter", "2026-07-01", "2026-11-19"),
        ("next quarter", "2027-01-01", "2027-03-31"),
        ("next month", "2026-12-01", "2026-12-31"),
        ("yesterday", "2026-11-18", "2026-11-18"),
        ("the next 3 months", "2026-11-20", "2027-02-19"),  # three calendar months on, not to a month's start
        ("the last 3 months", "2026-08-20", "2026-11-19"),
    ],
)
def test_periods(words, start, end):
    period, _ = find_period(f"revenue {words} please", TODAY)
    assert period is not None, words
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_no_period():
    assert find_period("revenue by rep", TODAY)[0] is None


@pytest.mark.parametrize(
    ("words", "grain"),
    [
        ("by day", "day"),
        ("weekly", "week"),
        ("per month", "month"),
        ("each month", "month"),
        ("monthly", "month"),
        ("by quarter", "quarter"),
        ("quarterly", "quarter"),
        ("by year", "year"),
        ("annually", "year"),
    ],
)
def test_grains(words, grain):
    assert find_grain(f"revenue {words}")[0] == grain


@pytest.mark.parametrize(
    ("number", "unit", "value"),
    [
        ("50", "k", 50_000),
        ("1.2", "M", 1_200_000),
        ("50,000", None, 50_000),
        ("2", "billion", 2e9),
        ("3", "thousand", 3000),
    ],
)
def test_amounts(number, unit, value):
    assert parse_amount(number, unit) == value


def test_comparisons():
    comparisons, rest = extract_comparisons("deals over $100k and under 1.5m")
    assert [(c.op, c.value) for c in comparisons] == [("gt", 100_000), ("lt", 1_500_000)]
    assert "100k" not in rest
    comparisons, _ = extract_comparisons("invoices between 10k and 20k")
    assert [(c.op, c.value) for c in comparisons] == [("ge", 10_000), ("le", 20_000)]
    comparisons, _ = extract_comparisons("revenue over the last 30 days")
    assert comparisons == []


def test_ranks():
    assert extract_rank("top 5 customers")[:2] == (5, "desc")
    assert extract_rank("bottom three reps")[:2] == (3, "asc")
    assert extract_rank("which 10 customers owe us the most")[:2] == (10, None)
    assert extract_rank("revenue in the last 30 days")[:2] == (None, None)


@pytest.mark.parametrize(
    ("today", "words", "start", "end"),
    [
        (date(2026, 3, 31), "the last 1 month", "2026-03-01", "2026-03-31"),  # February is shorter
        (date(2024, 2, 29), "the past 12 months", "2023-03-01", "2024-02-29"),  # from a leap day
        (date(2026, 1, 31), "the next month", "2026-02-01", "2026-02-28"),
    ],
)
def test_calendar_months_at_month_ends(today, words, start, end):
    period, _ = find_period(f"revenue {words}", today)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
