"""Benchmark of duplicate-invoice detection; prints a Markdown table.

1. Check of one new draft against 1,000,000 existing invoices (target < 50 ms): candidates come
   from one SQL range query on (total, issue_date), with and without the index
   ``ix_invoices_dup_check`` (total, issue_date, status, company_id, deal_id).
2. Full scan of 100,000 invoices (target < 30 s), with its precision and recall on the
   planted copies of the synthetic generator.
3. The demo generator's labelled duplicates at 2,000 companies (precision, recall, time).

    python bench/bench_invoices.py [--check-size 1000000] [--scan-size 100000] [--demo-companies 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from db.engine import get_engine
from db.migrate import upgrade
from tests.invoice_book import build_book, write_book
from tools.invoices import duplicates as dup

INDEX_SQL = "CREATE INDEX IF NOT EXISTS ix_invoices_dup_check ON invoices (total, issue_date, status, company_id, deal_id)"


def _database(folder: Path, name: str, n: int, seed: int):
    for stale in folder.glob(f"{name}*"):
        stale.unlink()
    engine = get_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    started = time.perf_counter()
    book = build_book(n, seed=seed)
    write_book(engine, book)
    return engine, book, time.perf_counter() - started


def _draft_like(book, rng: random.Random) -> dup.InvoiceFacts:
    """A new draft: half of them copies of an existing invoice, half new amounts."""
    base = rng.choice(book.invoices)
    cents = base.total_cents if rng.random() < 0.5 else rng.randrange(10_000, 10_000_000)
    return dup.InvoiceFacts(
        number="INV-2026-99999",
        company_id=base.company_id,
        deal_id=None,
        issue_date=base.issue_date + timedelta(days=rng.randrange(0, 4)),
        total=Decimal(cents) / 100,
    )


def bench_check(folder: Path, n: int, repeats: int = 200) -> list[tuple[str, str, str]]:
    """``folder`` may already hold check.db from an earlier run with the same size (--keep)."""
    if (folder / "check.db").exists():
        engine, book, build_s = get_engine(f"sqlite:///{folder / 'check.db'}"), build_book(n, seed=1), 0.0
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX IF EXISTS ix_invoices_total_issue_date"))
            conn.execute(text("DROP INDEX IF EXISTS ix_invoices_dup_check"))
    else:
        engine, book, build_s = _database(folder, "check.db", n, seed=1)
    rng = random.Random(5)
    drafts = [_draft_like(book, rng) for _ in range(repeats)]
    rows = [(f"build {len(book.invoices):,} invoices (generate + executemany)", f"{build_s:.1f} s", "")]
    for label, with_index in (
        ("without index", False),
        ("with covering index (total, issue_date, status, company_id, deal_id)", True),
    ):
        if with_index:
            with engine.begin() as conn:
                conn.execute(text(INDEX_SQL))
                conn.execute(text("ANALYZE"))
        timings, found = [], 0
        with engine.connect() as conn:
            dup.check_invoice(conn, drafts[0])  # warm the page cache
            for facts in drafts:
                started = time.perf_counter()
                found += bool(dup.check_invoice(conn, facts))
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        target = "< 50 ms" if with_index else "(reference)"
        rows.append(
            (
                f"check one draft vs {len(book.invoices):,} invoices, {label}",
                f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms ({found}/{repeats} flagged)",
                target,
            )
        )
    engine.dispose()
    return rows


def bench_scan(folder: Path, n: int) -> list[tuple[str, str, str]]:
    engine, book, _ = _database(folder, "scan.db", n, seed=2)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with engine.connect() as conn:
            matches, scanned = dup.scan_database(conn)
        timings.append(time.perf_counter() - started)
    found = {m.invoice_id: m.duplicate_of for m in matches}
    right = sum(1 for k, v in found.items() if book.duplicates.get(k) == v)
    engine.dispose()
    return [
        (
            f"full scan of {scanned:,} invoices (load + block + score)",
            f"median {statistics.median(timings):.2f} s",
            "< 30 s",
        ),
        (
            "scan precision / recall on synthetic planted copies",
            f"{right / max(1, len(found)):.3f} / {right / max(1, len(book.duplicates)):.3f} "
            f"({len(book.duplicates)} planted)",
            ">= 0.95",
        ),
    ]


def bench_demo(folder: Path, companies: int) -> list[tuple[str, str, str]]:
    from db.demo import generate

    engine = get_engine(f"sqlite:///{folder / 'demo.db'}")
    generate(engine, seed=11, today=date(2026, 11, 19), companies=companies)
    with engine.connect() as conn:
        truth = dict(
            conn.execute(text("SELECT invoice_id, duplicate_of FROM crmbot_demo_duplicate_truth")).all()
        )
        started = time.perf_counter()
        matches, scanned = dup.scan_database(conn)
        took = time.perf_counter() - started
    found = {m.invoice_id: m.duplicate_of for m in matches}
    right = sum(1 for k, v in found.items() if truth.get(k) == v)
    engine.dispose()
    return [
        (
            f"demo at {companies:,} companies ({scanned:,} invoices, {len(truth)} labelled)",
            f"precision {right / max(1, len(found)):.3f}, recall {right / max(1, len(truth)):.3f}, {took:.2f} s",
            ">= 0.95",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check-size", type=int, default=1_000_000)
    parser.add_argument("--scan-size", type=int, default=100_000)
    parser.add_argument("--demo-companies", type=int, default=2000)
    parser.add_argument(
        "--keep", help="Keep (and reuse) the databases in this folder instead of a temporary one."
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows += bench_check(folder, args.check_size)
        rows += bench_scan(folder, args.scan_size)
        if args.demo_companies:
            rows += bench_demo(folder, args.demo_companies)
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure, result, target in rows:
        print(f"| {measure} | {result} | {target} |")


if __name__ == "__main__":
    main()
