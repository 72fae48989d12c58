"""Legitimate look-alikes: pairs that resemble a copy but are how billing normally goes.

* Instalments: invoices of one deal whose subtotals add up to no more than the deal's amount
  are a series, whatever their numbering or description. When their dates are unknown (drafts
  not issued yet) nothing else can tell them apart, so the deal decides. Conversely a deal
  invoiced beyond its amount is evidence that one of its invoices is a copy.
* Subscriptions: one customer billed one amount at a steady rhythm (weekly, monthly); two
  invoices one period apart are consecutive periods, not a copy.
* A credit note (a negative invoice) of the same amount for the same customer between two
  invoices means the first was cancelled and the second issued in its place.
* Another currency, another sign, a void invoice: never a copy (see scoring and loading).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from tools.invoices.duplicates.blocking import group_codes
from tools.invoices.duplicates.columns import NO_DAY, InvoiceColumns
from tools.invoices.duplicates.scoring import (
    BY_ISSUE_DATE,
    DATE_UNKNOWN,
    OVER_INVOICED_WEIGHT,
    WINDOW_DAYS,
    PairScores,
)

# the days between two periods of a monthly or quarterly plan; weeks are exact (7 or 14 days)
BILLING_PERIODS = {"month": (28, 31), "quarter": (89, 92)}

INSTALMENTS, SUBSCRIPTION, CREDITED = "instalments", "subscription", "credited"


class DealTotals:
    """Per invoice row: its deal's amount and what the deal's invoices add up to (subtotals, in
    the deal's currency); unknown (-1) when the deal has no amount or is billed in another currency."""

    def __init__(self, cols: InvoiceColumns):
        has_deal = cols.deal_ids >= 0
        deal = group_codes(np.where(has_deal, cols.deal_ids, -1))
        self.amount = np.full(len(cols), -1, dtype=np.int64)
        self.invoiced = np.full(len(cols), -1, dtype=np.int64)
        if not has_deal.any():
            return
        rows = np.flatnonzero(has_deal)
        sums = np.bincount(deal[rows], weights=cols.subtotal_cents[rows].astype(np.float64))
        foreign = np.bincount(deal[rows], weights=(cols.currencies[rows] != cols.deal_currencies[rows]))
        known = has_deal & (cols.deal_amount_cents > 0)
        known[has_deal] &= foreign[deal[has_deal]] == 0
        self.amount = np.where(known, cols.deal_amount_cents, -1)
        invoiced = np.zeros(len(cols), dtype=np.int64)
        invoiced[has_deal] = np.rint(sums[deal[has_deal]]).astype(np.int64)
        self.invoiced = np.where(known, invoiced, -1)

    def tolerance(self, rows: np.ndarray) -> np.ndarray:
        return np.maximum(100, self.amount[rows] // 1000)

    def fits(self, rows: np.ndarray) -> np.ndarray:
        return (self.amount[rows] > 0) & (self.invoiced[rows] <= self.amount[rows] + self.tolerance(rows))

    def over(self, rows: np.ndarray) -> np.ndarray:
        return (self.amount[rows] > 0) & (self.invoiced[rows] > self.amount[rows] + self.tolerance(rows))


def _period_between(a: int, b: int) -> str | None:
    """Which billing period days a and b are one or two of apart: "week" (7 or 14 days), "month"
    (28-31 days each: calendar months and 30-day cycles alike) or "quarter"; else None."""
    apart = abs(a - b)
    if apart in (7, 14):
        return "week"
    for name, (lo, hi) in BILLING_PERIODS.items():
        if lo <= apart <= hi or (name == "month" and 2 * lo <= apart <= 2 * hi):
            return name
    return None


def _partners(days: list[int], row: int, other: int, period: str | None = None) -> set[int]:
    """The series members a billing period (``period``, or any) away from ``row``, ``other`` left out."""
    return {
        m
        for m, day in enumerate(days)
        if m not in (row, other) and (found := _period_between(days[row], day)) and period in (None, found)
    }


def _dominant_period(days: list[int]) -> str | None:
    """The billing period of the series where the pair is: the one most pairs of members are
    apart by (a weekly plan's members are also four weeks apart, but far more often one week)."""
    counts: dict[str, int] = {}
    for a in range(len(days)):
        for b in range(a + 1, len(days)):
            found = _period_between(days[a], days[b])
            if found:
                counts[found] = counts.get(found, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _rhythm(days: list[int], row: int, other: int, period: str) -> set[int]:
    """``row``'s partners in the series' period when it is on a steady rhythm (three members in
    step, ``other`` left out: two repeat orders a week apart are not a weekly plan); else none."""
    partners = _partners(days, row, other, period)
    if len(partners) >= 2 or any(_partners(days, p, row, period) - {other} for p in partners):
        return partners
    return set()


def _billed_twice_per_period(days: list[int], i: int, j: int, period: str) -> bool:
    """Two plans of one amount billed on the same day every period: other periods have two too."""
    doubled = {
        day
        for m, day in enumerate(days)
        if m not in (i, j) and _period_between(day, days[i]) == period and days.count(day) >= 2
    }
    return len(doubled) >= 2


def _is_next_period(days: list[int], i: int, j: int) -> bool:
    """Whether members i and j of one customer's series of one amount are two billing periods
    rather than j a copy of i: a period apart in a steady series; j on the rhythm while i is the
    odd one out (a copy that landed next to j); each on a rhythm of its own (two plans); or the
    customer billed twice every period (two plans on one day)."""
    period = _dominant_period(days)
    if period is None:
        return False
    between = _period_between(days[i], days[j])
    if between == period and (_partners(days, i, j, period) or _partners(days, j, i, period)):
        return True  # a period apart in a series of that period
    of_i, of_j = _rhythm(days, i, j, period), _rhythm(days, j, i, period)
    if of_j and not of_i:
        return True
    if of_j and of_i and not of_i & of_j:
        return True
    return days[i] == days[j] and _billed_twice_per_period(days, i, j, period)


def _periodic(cols: InvoiceColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """For each pair (original i, copy j): are they periods of a steady series of one customer and amount?"""
    out = np.zeros(len(i), dtype=bool)
    if not len(i):
        return out
    series = group_codes(cols.company_ids, cols.currencies, cols.cents)
    dated = np.flatnonzero((cols.days != NO_DAY) & (series >= 0))
    order = dated[np.lexsort((cols.ids[dated], cols.days[dated], series[dated]))]
    sorted_series, sorted_days = series[order], cols.days[order]
    reach = max(hi for _, hi in BILLING_PERIODS.values())
    for k in range(len(i)):
        group = series[j[k]]
        if group < 0 or series[i[k]] != group:
            continue
        lo, hi = np.searchsorted(sorted_series, [group, group + 1])
        if hi - lo < 3:
            continue
        first, last = sorted(int(cols.days[r]) for r in (i[k], j[k]))
        start = lo + int(np.searchsorted(sorted_days[lo:hi], first - reach))
        stop = lo + int(np.searchsorted(sorted_days[lo:hi], last + reach, side="right"))
        near = [int(r) for r in order[start:stop]]
        days = [int(cols.days[r]) for r in near]
        out[k] = _is_next_period(days, near.index(int(i[k])), near.index(int(j[k])))
    return out


def _credits_by_amount(cols: InvoiceColumns) -> dict[tuple[int, int], list[int]]:
    credits: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row in np.flatnonzero(cols.cents < 0):
        credits[(int(cols.currencies[row]), int(-cols.cents[row]))].append(int(row))
    return credits


def _cancels(cols: InvoiceColumns, credit: int, a: int, b: int) -> bool:
    """Credit note ``credit`` cancelled ``a`` (the same customer, on or after ``a``'s date), before
    ``b`` was issued."""
    same_customer = (
        (
            cols.company_ids[credit] >= 0
            and cols.company_ids[credit] in (cols.company_ids[a], cols.company_ids[b])
        )
        or (cols.name_keys[credit] >= 0 and cols.name_keys[credit] in (cols.name_keys[a], cols.name_keys[b]))
        or (cols.deal_ids[credit] >= 0 and cols.deal_ids[credit] in (cols.deal_ids[a], cols.deal_ids[b]))
    )
    if not same_customer:
        return False
    day, first, second = cols.days[credit], cols.days[a], cols.days[b]
    if day == NO_DAY or first == NO_DAY:
        return True
    return first <= day <= first + WINDOW_DAYS and (second == NO_DAY or second >= day)


def _credited(cols: InvoiceColumns, i: np.ndarray, j: np.ndarray) -> list[int | None]:
    """For each pair (i, j), the credit note that cancelled i before j replaced it, or None.

    A credit note cancels one invoice: each explains one pair at most, the earliest first.
    """
    out: list[int | None] = [None] * len(i)
    credits = _credits_by_amount(cols)
    if not credits:
        return out
    used: set[int] = set()
    order = sorted(
        range(len(i)), key=lambda k: (int(cols.days[i[k]]), int(cols.ids[i[k]]), int(cols.ids[j[k]]))
    )
    for k in order:
        a, b = int(i[k]), int(j[k])
        for credit in credits.get((int(cols.currencies[a]), int(cols.cents[a])), ()):
            if credit not in used and _cancels(cols, credit, a, b):
                out[k] = credit
                used.add(credit)
                break
    return out


def apply(
    cols: InvoiceColumns, i: np.ndarray, j: np.ndarray, scores: PairScores, threshold: float
) -> tuple[DealTotals, dict[int, tuple[str, int | None]]]:
    """Adjust ``scores`` in place for deals and look-alikes; returns the deal totals and, for pairs
    that would have been flagged, why they are look-alikes ({pair index: (kind, credit row)})."""
    deals = DealTotals(cols)
    same_deal = scores.same_deal
    over = same_deal & deals.over(i)
    scores.over_invoiced = over
    scores.score = np.where(
        over & (scores.score > 0), np.minimum(scores.score + OVER_INVOICED_WEIGHT, 1.0), scores.score
    )
    why: dict[int, tuple[str, int | None]] = {}

    series = same_deal & deals.fits(i) & (scores.date_kind == DATE_UNKNOWN)
    for k in np.flatnonzero(series & (scores.score >= threshold)):
        why[int(k)] = (INSTALMENTS, None)
    scores.score = np.where(series, 0.0, scores.score)

    # a subscription's next period is not a copy of the one before, however close a copy of that
    # one may have landed to it
    flagged = np.flatnonzero(scores.score >= threshold)
    spaced = flagged[scores.date_kind[flagged] == BY_ISSUE_DATE]
    periodic = _periodic(cols, i[spaced], j[spaced])
    for k in spaced[periodic]:
        why[int(k)] = (SUBSCRIPTION, None)
    scores.score[spaced[periodic]] = 0.0

    flagged = np.flatnonzero((scores.score >= threshold) & (cols.cents[i] > 0))
    for k, credit in zip(flagged, _credited(cols, i[flagged], j[flagged]), strict=True):
        if credit is not None:
            why[int(k)] = (CREDITED, credit)
            scores.score[k] = 0.0
    return deals, why
