"""The duplicate scan on both test generators, on SQLite and on PostgreSQL.

``tests/invoice_book.py`` (the first generator) and ``tests/foreign_ledger.py`` (a second one
written apart, with another CRM's habits: two numbering schemes, undated drafts, instalments
without "part k of n", weekly and monthly subscriptions, credit notes as negative invoices,
several currencies). The bar for each: precision and recall of 0.95 or more, counting a flag as
right only when it names the copy and the very invoice it copies; and the look-alikes that must
never be flagged are checked one by one.
"""

from __future__ import annotations

from collections import Counter

import pytest

from db.engine import get_engine
from db.migrate import upgrade
from tests.foreign_ledger import build_ledger, write_ledger
from tests.invoice_book import build_book, write_book
from tools.invoices import duplicates as dup

LEDGER_SIZE, LEDGER_SEED = 30_000, 22
BOOK_SIZE, BOOK_SEED = 6_000, 3


def precision_recall(matches, truth: dict[int, int]) -> tuple[float, float]:
    found = {m.invoice_id: m.duplicate_of for m in matches}
    right = sum(1 for k, v in found.items() if truth.get(k) == v)
    return right / max(1, len(found)), right / max(1, len(truth))


def _scan(url: str) -> tuple[list, int]:
    engine = get_engine(url)
    with engine.connect() as conn:
        found = dup.scan_database(conn)
    engine.dispose()
    return found


def _check_ledger(url: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    ledger = build_ledger(LEDGER_SIZE, seed=LEDGER_SEED)
    write_ledger(engine, ledger)
    engine.dispose()
    matches, scanned = _scan(url)
    assert scanned == sum(1 for i in ledger.invoices if i["status"] != "void")
    precision, recall = precision_recall(matches, ledger.duplicates)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)

    flagged = {m.invoice_id for m in matches}
    # void copies never count
    assert ledger.voided_copies and not flagged & set(ledger.voided_copies)
    # instalments not yet issued (no dates) of a deal invoiced within its amount: never flagged
    by_id = {i["id"]: i for i in ledger.invoices}
    copied_deals = {by_id[c]["deal_id"] for c in ledger.duplicates} | {
        by_id[o]["deal_id"] for o in ledger.duplicates.values()
    }
    undated_series = [
        group
        for group in ledger.look_alikes["instalments"]
        if by_id[group[0]]["deal_id"] not in copied_deals
        and any(by_id[i]["issue_date"] is None for i in group)
    ]
    assert len(undated_series) > 10
    assert not any(flagged & set(group) for group in undated_series)
    # no flag says "same issue date" of an invoice without one
    for m in matches:
        if by_id[m.invoice_id]["issue_date"] is None or by_id[m.duplicate_of]["issue_date"] is None:
            assert "same issue date" not in m.reasons and any("issued yet" in r for r in m.reasons)
    # subscriptions, credit notes and re-issues, other currencies: legitimate, flagged at most rarely
    planted = set(ledger.duplicates) | set(ledger.duplicates.values())
    for kind in ("weekly", "monthly", "credit_and_reissue", "currencies"):
        members = {i for group in ledger.look_alikes[kind] for i in group} - planted
        assert len(flagged & members) <= 0.01 * len(members), (kind, len(flagged & members), len(members))


def test_second_generator_on_sqlite(tmp_path):
    _check_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")


@pytest.mark.postgres
def test_second_generator_on_postgres(pg_url):
    _check_ledger(pg_url)


def _check_book(url: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    book = build_book(BOOK_SIZE, seed=BOOK_SEED)
    write_book(engine, book)
    engine.dispose()
    matches, scanned = _scan(url)
    assert scanned == sum(1 for i in book.invoices if i.status != "void")
    precision, recall = precision_recall(matches, book.duplicates)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    voided = {i.id for i in book.invoices if i.status == "void"}
    assert voided and not voided & {m.invoice_id for m in matches}


def test_first_generator_on_sqlite(tmp_path):
    _check_book(f"sqlite:///{tmp_path / 'book.db'}")


@pytest.mark.postgres
def test_first_generator_on_postgres(pg_url):
    _check_book(pg_url)


def test_the_second_generator_has_the_habits_it_claims():
    ledger = build_ledger(6000, seed=1)
    numbers = [i["number"] for i in ledger.invoices]
    assert any(n.startswith("INV-1") for n in numbers) and any("/" in n for n in numbers)
    assert any(n.startswith("CN-") for n in numbers)
    assert any(i["issue_date"] is None for i in ledger.invoices)
    assert any(i["total"] < 0 for i in ledger.invoices)
    assert len({i["currency"] for i in ledger.invoices}) >= 5
    kinds = Counter(k.split("+")[0] for k in ledger.copy_kinds.values())
    assert set(kinds) >= {"imported_twice", "retyped", "sent_again"}
    descriptions = {line["description"] for line in ledger.lines}
    assert not any("part" in d.lower() for d in descriptions)  # instalments say nothing about parts
