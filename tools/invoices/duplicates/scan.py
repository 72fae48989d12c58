"""The scan of a whole book of invoices: every invoice that looks like a later copy of another."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sqlalchemy import Connection

from tools.invoices.duplicates import lookalikes
from tools.invoices.duplicates.blocking import candidate_pairs
from tools.invoices.duplicates.columns import InvoiceColumns, load_invoices
from tools.invoices.duplicates.reasons import reasons_for
from tools.invoices.duplicates.scoring import (
    CROSS_RECORD_DAYS,
    DATE_UNKNOWN,
    THRESHOLD,
    WINDOW_DAYS,
    PairScores,
    score_pairs,
)
from tools.invoices.results import DuplicateMatch


def _best_match_per_copy(first: np.ndarray, second: np.ndarray, scores: PairScores, threshold: float) -> dict:
    """{later row: pair index of its most likely original}; ties go to the closer date, then id."""
    hits = np.flatnonzero(scores.score >= threshold)
    apart = np.where(scores.days_apart[hits] < 0, 10**6, scores.days_apart[hits])
    order = hits[np.lexsort((second[hits] - first[hits], apart, -scores.number[hits], -scores.score[hits]))]
    best: dict[int, int] = {}
    for k in order:
        best.setdefault(int(second[k]), int(k))
    return best


def _limit_to_the_excess(
    best: dict[int, int], cols: InvoiceColumns, second: np.ndarray, scores: PairScores, deals
) -> dict[int, int]:
    """A deal invoiced beyond its amount holds as many copies as the excess, not more: copies
    found by their dates explain it first, then undated ones (best first) until it is explained."""
    by_deal: dict[int, list[int]] = defaultdict(list)
    for later, k in best.items():
        if scores.over_invoiced[k]:
            by_deal[int(cols.deal_ids[later])].append(later)
    for rows in by_deal.values():
        first_row = rows[0]
        excess = int(deals.invoiced[first_row] - deals.amount[first_row])
        tolerance = int(deals.tolerance(np.array([first_row]))[0])
        dated = [r for r in rows if scores.date_kind[best[r]] != DATE_UNKNOWN]
        undated = sorted(
            (r for r in rows if scores.date_kind[best[r]] == DATE_UNKNOWN),
            key=lambda r: (-scores.score[best[r]], -int(cols.ids[r])),
        )
        excess -= sum(int(cols.subtotal_cents[r]) for r in dated)
        for row in undated:
            if excess <= tolerance:
                del best[row]
                continue
            excess -= int(cols.subtotal_cents[row])
    return best


def scan(cols: InvoiceColumns, threshold: float = THRESHOLD) -> list[DuplicateMatch]:
    """Every invoice that looks like a later copy of another, paired with the original it copies."""
    first, second = candidate_pairs(cols, WINDOW_DAYS, CROSS_RECORD_DAYS)
    scores = score_pairs(cols, first, second)
    deals, _ = lookalikes.apply(cols, first, second, scores, threshold)
    best = _limit_to_the_excess(
        _best_match_per_copy(first, second, scores, threshold), cols, second, scores, deals
    )
    original = {later: int(first[k]) for later, k in best.items()}

    def root(row: int) -> int:  # a copy of a copy is reported against the first invoice
        seen = set()
        while row in original and row not in seen:
            seen.add(row)
            row = original[row]
        return row

    matches = []
    for later, k in sorted(best.items(), key=lambda item: cols.ids[item[0]]):
        source = root(later)
        matches.append(
            DuplicateMatch(
                invoice_id=int(cols.ids[later]),
                duplicate_of=int(cols.ids[source]),
                score=float(scores.score[k]),
                reasons=reasons_for(cols, int(first[k]), later, scores, int(k), deals),
                invoice_number=cols.numbers[later],
                duplicate_of_number=cols.numbers[source],
            )
        )
    return matches


def scan_database(conn: Connection, threshold: float = THRESHOLD) -> tuple[list[DuplicateMatch], int]:
    """(matches, invoices scanned): every invoice that is not void."""
    cols = load_invoices(conn)
    return scan(cols, threshold), len(cols)
