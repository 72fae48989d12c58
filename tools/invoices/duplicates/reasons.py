"""A flagged pair's evidence in words, strongest first, so that finance can judge it at a glance."""

from __future__ import annotations

from tools.invoices.duplicates.columns import InvoiceColumns
from tools.invoices.duplicates.lookalikes import DealTotals
from tools.invoices.duplicates.scoring import (
    BY_DUE_DATE,
    BY_ISSUE_DATE,
    PairScores,
    is_transposition,
    with_suffix,
)


def money(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _customer(cols: InvoiceColumns, i: int, j: int, scores: PairScores, k: int) -> str:
    if cols.company_ids[i] == cols.company_ids[j] and cols.company_ids[i] >= 0:
        return "same customer"
    if scores.customer[k] > 0:
        if cols.company_names[i] and cols.company_names[j]:
            return f"same customer on two company records ({cols.company_names[i]!r} and {cols.company_names[j]!r})"
        return "same deal, so the same customer"
    return "different company records"


def _amount(cols: InvoiceColumns, i: int, j: int, scores: PairScores, k: int) -> str:
    ci, cj = int(cols.cents[i]), int(cols.cents[j])
    if ci == cj:
        return f"same amount ({money(ci)})"
    if abs(ci - cj) <= 1:
        return f"amount off by a cent ({money(ci)} vs {money(cj)})"
    if scores.amount[k] >= 0.9:
        return f"amount looks rounded ({money(ci)} vs {money(cj)})"
    return f"nearly the same amount ({money(ci)} vs {money(cj)})"


def _dates(cols: InvoiceColumns, i: int, j: int, scores: PairScores, k: int) -> str:
    apart = int(scores.days_apart[k])
    if scores.date_kind[k] == BY_ISSUE_DATE:
        return "same issue date" if apart == 0 else f"issued {_days(apart)} apart"
    undated = [cols.numbers[r] for r in (i, j) if cols.days[r] < 0]
    which = "neither is issued yet" if len(undated) == 2 else f"{undated[0]} is not issued yet"
    if scores.date_kind[k] == BY_DUE_DATE:
        return f"{which}; " + ("same due date" if apart == 0 else f"due dates {_days(apart)} apart")
    return f"{which} (dates unknown)"


def _numbers(cols: InvoiceColumns, i: int, j: int, scores: PairScores, k: int) -> str | None:
    if scores.number[k] < 1.0:
        return None
    a, b = cols.numbers[i], cols.numbers[j]
    if with_suffix(a, b):
        kind = "the same number with a suffix"
    else:
        kind = "two digits swapped" if is_transposition(a, b) else "one character differs"
    return f"invoice numbers nearly identical ({a} / {b}: {kind})"


def reasons_for(
    cols: InvoiceColumns, i: int, j: int, scores: PairScores, k: int, deals: DealTotals | None = None
) -> tuple[str, ...]:
    """Why rows i and j look like one invoice entered twice (pair index ``k`` of ``scores``)."""
    out = [_customer(cols, i, j, scores, k), _amount(cols, i, j, scores, k), _dates(cols, i, j, scores, k)]
    numbers = _numbers(cols, i, j, scores, k)
    if numbers:
        out.append(numbers)
    if scores.same_deal[k]:
        out.append("same deal")
        if scores.over_invoiced[k] and deals is not None:
            out.append(
                f"the deal is invoiced beyond its amount ({money(int(deals.invoiced[i]))} "
                f"before tax against {money(int(deals.amount[i]))})"
            )
    if scores.different_deal[k]:
        out.append("but for different deals")
    return tuple(out)
