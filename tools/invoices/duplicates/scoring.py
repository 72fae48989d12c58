"""How alike two invoices are, as evidence in 0..1 per kind and a weighted score, for many pairs at
once (numpy; rapidfuzz's OSA distance for the numbers, where two swapped digits are one edit).

Evidence: the amount (same currency and sign only), the dates (issue dates when both are known,
else due dates when both are known, else nothing: an unknown date is unknown, not the same
date), the customer (same record, same normalized name, same web domain, or same deal), and the
number (nearly identical but not the next one in a sequence). Whether a pair is a legitimate
look-alike (instalments, a subscription, a credit note and its re-issue) is decided in
``lookalikes``; this module only measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.invoices.duplicates.columns import NO_DAY, InvoiceColumns

WINDOW_DAYS = 14
CROSS_RECORD_DAYS = 3
THRESHOLD = 0.75
ROUNDING_TOLERANCE_CENTS = 100  # "1,234.56" entered as "1,235" or "1,234"
RELATIVE_TOLERANCE = 0.005
WEIGHTS = {"amount": 0.35, "date": 0.25, "customer": 0.25, "number": 0.15}
SAME_DEAL_BONUS = 0.05
OVER_INVOICED_WEIGHT = 0.25  # the deal is invoiced beyond its amount: as strong as a close date
DIFFERENT_DEAL_FACTOR = 0.5

DATE_UNKNOWN, BY_ISSUE_DATE, BY_DUE_DATE = 0, 1, 2


@dataclass
class PairScores:
    score: np.ndarray
    amount: np.ndarray
    when: np.ndarray
    date_kind: np.ndarray  # DATE_UNKNOWN, BY_ISSUE_DATE, BY_DUE_DATE
    days_apart: np.ndarray  # -1 when unknown
    customer: np.ndarray
    number: np.ndarray
    number_distance: np.ndarray
    same_deal: np.ndarray
    different_deal: np.ndarray
    over_invoiced: np.ndarray  # set by lookalikes.apply

    def __len__(self) -> int:
        return len(self.score)


def with_suffix(a: str, b: str) -> bool:
    """'2026/0476' and '2026/0476-1' (or '/A', ' copy'): one number with a short suffix added."""
    a, b = (a or "").strip(), (b or "").strip()
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    extra = long[len(short) :]
    return (
        len(short) >= 3
        and long.startswith(short)
        and 0 < len(extra) <= 6
        and not extra[0].isdigit()
        and not (extra[0].isalpha() and short[-1].isalpha())
    )


def is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diffs = [k for k in range(len(a)) if a[k] != b[k]]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def number_distances(left: list[str], right: list[str]) -> np.ndarray:
    """OSA edit distance (a swap of two neighbouring characters is one edit) per aligned pair."""
    if not left:
        return np.empty(0, np.int64)
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cpdist

    return np.asarray(cpdist(left, right, scorer=OSA.distance, workers=1), dtype=np.int64)


def _date_evidence(cols: InvoiceColumns, i: np.ndarray, j: np.ndarray):
    both_issued = (cols.days[i] != NO_DAY) & (cols.days[j] != NO_DAY)
    both_due = (cols.due_days[i] != NO_DAY) & (cols.due_days[j] != NO_DAY)
    kind = np.select([both_issued, both_due], [BY_ISSUE_DATE, BY_DUE_DATE], DATE_UNKNOWN)
    apart = np.select(
        [both_issued, both_due],
        [np.abs(cols.days[i] - cols.days[j]), np.abs(cols.due_days[i] - cols.due_days[j])],
        -1,
    )
    when = np.select(
        [apart < 0, apart == 0, apart <= 2, apart <= 4, apart <= 7, apart <= WINDOW_DAYS],
        [0.0, 1.0, 0.9, 0.75, 0.65, 0.3],
        0.0,
    )
    return when, kind, apart


def _amount_evidence(cols: InvoiceColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    cents_i, cents_j = cols.cents[i], cols.cents[j]
    diff = np.abs(cents_i - cents_j)
    biggest = np.maximum(np.maximum(np.abs(cents_i), np.abs(cents_j)), 1)
    whole = (cents_i % 100 == 0) | (cents_j % 100 == 0)
    same_sign = np.sign(cents_i) == np.sign(cents_j)
    same_currency = cols.currencies[i] == cols.currencies[j]
    round_amount = (cents_i % 10_000 == 0) & (diff == 0)  # 1,200.00: a shared price point, weaker
    amount = np.select(
        [
            (diff == 0) & ~round_amount,
            diff == 0,
            diff <= 1,
            (diff < ROUNDING_TOLERANCE_CENTS) & whole,
            diff / biggest <= RELATIVE_TOLERANCE,
        ],
        [1.0, 0.85, 0.95, 0.9, 0.5],
        0.0,
    )
    return amount * same_currency * same_sign * (cents_i != 0)


def score_pairs(cols: InvoiceColumns, i: np.ndarray, j: np.ndarray) -> PairScores:
    """Duplicate likelihood in 0..1 for the row pairs (i, j), all at once."""
    amount = _amount_evidence(cols, i, j)
    when, date_kind, apart = _date_evidence(cols, i, j)

    same_company = (cols.company_ids[i] == cols.company_ids[j]) & (cols.company_ids[i] >= 0)
    same_name = (cols.name_keys[i] == cols.name_keys[j]) & (cols.name_keys[i] >= 0)
    same_domain = (cols.domain_keys[i] == cols.domain_keys[j]) & (cols.domain_keys[i] >= 0)
    same_deal = (cols.deal_ids[i] >= 0) & (cols.deal_ids[i] == cols.deal_ids[j])  # one deal, one customer
    customer = np.select([same_company, same_name, same_domain, same_deal], [1.0, 0.95, 0.9, 0.9], 0.0)

    # string distances only where the cheap evidence already allows a match
    close = (apart >= 0) & (apart <= CROSS_RECORD_DAYS)
    plausible = (amount > 0) & ((customer > 0) | ((amount >= 0.95) & close))
    distance = np.full(len(i), 99, dtype=np.int64)
    todo = np.flatnonzero(plausible)
    left = [cols.numbers[k] for k in i[todo]]
    right = [cols.numbers[k] for k in j[todo]]
    distance[todo] = number_distances(left, right)
    lengths, tails = cols.number_lengths, cols.number_tails
    length_gap = np.abs(lengths[i[todo]] - lengths[j[todo]])
    maybe = todo[(length_gap >= 1) & (length_gap <= 6)]  # a suffix makes a number 1 to 6 longer
    suffixed = np.zeros(len(i), dtype=bool)
    suffixed[maybe] = [
        with_suffix(cols.numbers[a], cols.numbers[b]) for a, b in zip(i[maybe], j[maybe], strict=True)
    ]
    gap = np.full(len(i), 10**9, dtype=np.int64)
    gap[todo] = np.abs(tails[i[todo]] - tails[j[todo]])
    in_sequence = gap <= 2  # numbers handed out one after the other
    number = np.select(
        [((distance <= 1) & ~in_sequence) | suffixed, distance <= 1, distance == 2], [1.0, 0.5, 0.4], 0.0
    )

    deal_i, deal_j = cols.deal_ids[i], cols.deal_ids[j]
    different_deal = (deal_i >= 0) & (deal_j >= 0) & (deal_i != deal_j)
    score = (
        WEIGHTS["amount"] * amount
        + WEIGHTS["date"] * when
        + WEIGHTS["customer"] * customer
        + WEIGHTS["number"] * number
        + SAME_DEAL_BONUS * same_deal
    )
    # On an unrelated company record only a mistyped copy of the number counts, not a neighbour in
    # the sequence (numbers handed out the same day to other customers are close too).
    retyped = ((distance <= 1) & (gap >= 100)) | suffixed
    related = (customer > 0) | (retyped & (amount >= 0.95) & close)
    # dates known and too far apart (different periods) rule a pair out; unknown dates do not
    dates_allow = (when > 0) | (date_kind == DATE_UNKNOWN)
    score = np.where(related & (amount > 0) & dates_allow, score, 0.0)
    score = np.where(different_deal, score * DIFFERENT_DEAL_FACTOR, score)
    return PairScores(
        score=score,
        amount=amount,
        when=when,
        date_kind=date_kind,
        days_apart=apart,
        customer=customer,
        number=number,
        number_distance=distance,
        same_deal=same_deal,
        different_deal=different_deal,
        over_invoiced=np.zeros(len(i), dtype=bool),
    )
