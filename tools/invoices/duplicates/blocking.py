"""Which pairs of invoices are worth scoring, without comparing every pair (blocking).

A copy keeps its customer (company record, normalized name, web domain or deal) and nearly its
amount, and is dated close to the original, or not dated at all. So pairs are taken:

  1. per customer key, sorted by issue date, each invoice with its neighbours up to ``window``
     days later (sorted neighbourhood);
  2. the same by due date, for pairs where an issue date is missing;
  3. per customer key, currency and amount, every pair where an issue date is missing (an
     unknown date is not a reason to compare, nor a reason not to);
  4. across customers, per currency and whole amount, within ``cross_days`` days, so that a copy
     typed on an unrelated company record is still found when its number is nearly the same.
"""

from __future__ import annotations

import numpy as np

from tools.invoices.duplicates.columns import NO_DAY, InvoiceColumns

MAX_NEIGHBOURS = 500


def group_codes(*arrays: np.ndarray) -> np.ndarray:
    """One small integer code per distinct combination of values; -1 where any part is -1."""
    out = np.zeros(len(arrays[0]), dtype=np.int64)
    missing = np.zeros(len(arrays[0]), dtype=bool)
    for values in arrays:
        missing |= values < 0
        _, inverse = np.unique(values, return_inverse=True)
        out = out * (int(inverse.max(initial=0)) + 1) + inverse
        _, out = np.unique(out, return_inverse=True)  # keep the codes small
    return np.where(missing, -1, out)


def sorted_neighbour_pairs(
    keys: np.ndarray, days: np.ndarray, window: int, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) among ``rows`` with the same key and days at most ``window`` apart.

    Sorting by (key, day) puts every such pair within a run of neighbours; offsets grow until no
    row has a partner that far down the list (then none has one further either).
    """
    if rows is None:
        rows = np.arange(len(keys))
    rows = rows[keys[rows] >= 0]
    order = rows[np.lexsort((days[rows], keys[rows]))]
    sorted_keys, sorted_days = keys[order], days[order]
    left, right = [], []
    for offset in range(1, min(MAX_NEIGHBOURS, len(order)) + 1):
        near = (sorted_keys[offset:] == sorted_keys[:-offset]) & (
            sorted_days[offset:] - sorted_days[:-offset] <= window
        )
        if not near.any():
            break
        left.append(order[:-offset][near])
        right.append(order[offset:][near])
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def _amount_buckets(cols: InvoiceColumns) -> tuple[np.ndarray, np.ndarray]:
    """Two whole-unit buckets per invoice, so that amounts a cent or a rounding apart share one."""
    return (cols.cents + 50) // 100, cols.cents // 100


def candidate_pairs(cols: InvoiceColumns, window: int, cross_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs worth scoring, each once, as (lower id, higher id)."""
    n = len(cols)
    dated = cols.days != NO_DAY
    due_only = ~dated & (cols.due_days != NO_DAY)
    customer_keys = (cols.company_ids, cols.name_keys, cols.domain_keys, cols.deal_ids)
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []

    def add(pair: tuple[np.ndarray, np.ndarray], keep: np.ndarray | None = None) -> None:
        a, b = pair
        if keep is not None:
            mask = keep[a] | keep[b]
            a, b = a[mask], b[mask]
        lefts.append(a)
        rights.append(b)

    with_due = np.flatnonzero(cols.due_days != NO_DAY)
    for keys in customer_keys:
        add(sorted_neighbour_pairs(keys, cols.days, window, np.flatnonzero(dated)))
        if due_only.any():
            add(sorted_neighbour_pairs(keys, cols.due_days, window, with_due), keep=due_only)
    if (~dated).any():
        zeros = np.zeros(n, dtype=np.int64)
        for bucket in _amount_buckets(cols):
            for keys in customer_keys:
                groups = group_codes(keys, cols.currencies, bucket)
                undated_groups = np.unique(groups[~dated & (groups >= 0)])
                members = np.flatnonzero(np.isin(groups, undated_groups))
                add(sorted_neighbour_pairs(groups, zeros, 0, members), keep=~dated)
    for bucket in _amount_buckets(cols):
        # across company records only close dates count (see scoring), so a narrow window
        add(
            sorted_neighbour_pairs(
                group_codes(cols.currencies, bucket), cols.days, cross_days, np.flatnonzero(dated)
            )
        )
    a, b = np.concatenate(lefts), np.concatenate(rights)
    if not len(a):
        return a, b
    swap = cols.ids[a] > cols.ids[b]
    first, second = np.where(swap, b, a), np.where(swap, a, b)
    encoded = np.sort(first.astype(np.int64) * (n + 1) + second)
    encoded = encoded[np.concatenate(([True], encoded[1:] != encoded[:-1]))]
    return encoded // (n + 1), encoded % (n + 1)
