"""Which invoice a person means: "INV-10792", "2026/0042", "inv 2026 42", "#311", whatever the
numbering scheme of the CRM it is typed against.

A reference is looked up as typed, then in any case, then with separators and leading zeros
ignored ("INV-2026-42" is "INV-2026-00042"). A bare number is an invoice number or an id. When
that finds several invoices, or only numbers close to it (another prefix or year around the same
digits, one character off), nothing is guessed: the person is asked which one they meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from db.models import Invoice

MAX_CHOICES = 8
_RUNS = re.compile(r"[A-Za-z]+|\d+")


@dataclass(frozen=True)
class InvoiceReference:
    """``invoice_id`` when the reference names one invoice; else the numbers it may have meant."""

    text: str
    invoice_id: int | None = None
    choices: tuple[str, ...] = ()


def number_key(number: str) -> str:
    """The number without case, separators or leading zeros: "inv 2026/0042" -> "INV-2026-42"."""
    return "-".join(run.upper() if run.isalpha() else str(int(run)) for run in _RUNS.findall(number or ""))


def _last_digits(text: str) -> str | None:
    runs = re.findall(r"\d+", text)
    return str(int(runs[-1])) if runs else None


def _numbers_ending_with(conn: Connection, digits: str, limit: int = 200) -> list[tuple[int, str]]:
    """Invoices whose number ends with ``digits`` (leading zeros aside)."""
    rows = conn.execute(
        select(Invoice.id, Invoice.number).where(Invoice.number.like(f"%{digits}")).limit(limit * 5)
    ).all()
    return [(r.id, r.number) for r in rows if _last_digits(r.number or "") == digits][:limit]


def _close(typed: str, number: str) -> bool:
    from rapidfuzz.distance import OSA

    return OSA.distance(number_key(typed), number_key(number)) <= 1


def resolve_reference(conn: Connection, reference) -> InvoiceReference:
    """The invoice ``reference`` names, or the close numbers to ask about (see the module doc)."""
    text = str(reference or "").strip().strip(".,;:!?'\"").lstrip("#").strip()
    if not text:
        return InvoiceReference(text)
    exact = conn.execute(select(Invoice.id).where(Invoice.number == text)).scalar()
    if exact is not None:
        return InvoiceReference(text, exact)
    upper = conn.execute(
        select(Invoice.id).where(func.upper(Invoice.number) == text.upper()).limit(2)
    ).scalars()
    found = list(upper)
    if len(found) == 1:
        return InvoiceReference(text, found[0])
    digits = _last_digits(text)
    if digits is None:
        return InvoiceReference(text)
    key = number_key(text)
    nearby = _numbers_ending_with(conn, digits)
    same = [(i, n) for i, n in nearby if number_key(n) == key]
    candidates: dict[int, str] = {}
    if text.isdigit():  # a bare number: an invoice numbered so (any prefix), or an id
        candidates.update(nearby)
        by_id = conn.execute(select(Invoice.id, Invoice.number).where(Invoice.id == int(text))).first()
        if by_id is not None:
            candidates[by_id.id] = by_id.number
        if len(candidates) == 1:
            return InvoiceReference(text, next(iter(candidates)))
    elif len(same) == 1:
        return InvoiceReference(text, same[0][0])
    else:
        candidates.update(same or [(i, n) for i, n in nearby if _close(text, n) or _same_tail(text, n)])
    return InvoiceReference(text, None, tuple(sorted(candidates.values()))[:MAX_CHOICES])


def _same_tail(typed: str, number: str) -> bool:
    """The same letters prefix and final digits, another middle part (a year): INV-10792 and INV-2026-10792."""
    letters = re.match(r"[A-Za-z]*", typed).group(0).upper()
    return number.upper().startswith(letters) and _last_digits(typed) == _last_digits(number)


def find_invoice_id(conn: Connection, reference) -> int | None:
    """The id of the one invoice ``reference`` names, or None (not found, or several)."""
    return resolve_reference(conn, reference).invoice_id
