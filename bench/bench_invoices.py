"""Benchmark of duplicate-invoice detection on SQLite; prints Markdown tables.

1. Check of one new draft against 1,000,000 existing invoices (target < 50 ms): on a team
   database without crmbot's indexes (the reference), then after what ``crmbot db upgrade`` does
   to it (``db.indexes.ensure_invoice_indexes``: creates ``ix_invoices_dup_check`` and
   ``ix_invoices_deal_id``). Half the drafts are copies of an existing invoice, a tenth undated.
2. Full scan of 100,000 invoices (target < 3 s) of each test generator, loading and scoring timed
   apart, with precision and recall against the planted copies (the first generator,
   tests/invoice_book.py; the second, tests/foreign_ledger.py, on seeds never used to build the
   rules: see the README).
3. The demo generator's labelled duplicates at 2,000 companies.

Medians of several runs; the machine's load shows in the wall times, so run it on a quiet one.

    python bench/bench_invoices.py [--check-size 1000000] [--scan-size 100000] [--seeds 21 22 23]
                                   [--demo-companies 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test generators live in tests/, not in the installed package

from sqlalchemy import text  # noqa: E402

from db.engine import get_engine  # noqa: E402
from db.indexes import INVOICE_INDEXES, ensure_invoice_indexes  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from tests.foreign_ledger import build_ledger, write_ledger  # noqa: E402
from tests.invoice_book import build_book, write_book  # noqa: E402
from tools.invoices import duplicates as dup  # noqa: E402
from tools.invoices.duplicates.columns import load_invoices  # noqa: E402


def _fresh(folder: Path, name: str):
    for stale in folder.glob(f"{name}*"):
        stale.unlink()
    engine = get_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    return engine


def _drafts(book, rng: random.Random, n: int) -> list[dup.InvoiceFacts]:
    """New drafts: half of them copies of an existing invoice, half new amounts; a tenth undated."""
    out = []
    for _ in range(n):
        base = rng.choice(book.invoices)
        cents = base.total_cents if rng.random() < 0.5 else rng.randrange(10_000, 10_000_000)
        undated = rng.random() < 0.1
        out.append(
            dup.InvoiceFacts(
                number="INV-2026-99999",
                company_id=base.company_id,
                deal_id=None,
                issue_date=None if undated else base.issue_date + timedelta(days=rng.randrange(0, 4)),
                total=Decimal(cents) / 100,
            )
        )
    return out


def _time_checks(engine, drafts) -> tuple[float, float, int]:
    timings, flagged = [], 0
    with engine.connect() as conn:
        dup.check_invoice(conn, drafts[0])  # warm the page cache
        for facts in drafts:
            started = time.perf_counter()
            flagged += bool(dup.check_invoice(conn, facts))
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], flagged


def bench_check(folder: Path, n: int, repeats: int) -> list[tuple[str, str, str]]:
    path = folder / "check.db"
    book = build_book(n, seed=1)
    if path.exists():
        engine, build_s = get_engine(f"sqlite:///{path}"), 0.0
    else:
        started = time.perf_counter()
        engine = _fresh(folder, "check.db")
        write_book(engine, book)
        build_s = time.perf_counter() - started
    with engine.begin() as conn:  # a team's CRM: none of crmbot's indexes on invoices
        for name in INVOICE_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    drafts = _drafts(book, random.Random(5), repeats)
    rows = [(f"build {len(book.invoices):,} invoices (generate + insert)", f"{build_s:.1f} s", "")]
    median, p95, flagged = _time_checks(engine, drafts[: max(20, repeats // 10)])
    rows.append(
        (
            f"check one draft vs {len(book.invoices):,} invoices, team database without crmbot's indexes",
            f"median {median:.1f} ms, p95 {p95:.1f} ms",
            "(reference)",
        )
    )
    reference = median
    started = time.perf_counter()
    report = ensure_invoice_indexes(engine)  # what `crmbot db upgrade` does on that database
    rows.append(
        (
            "`crmbot db upgrade` on it: creates " + ", ".join(report.created),
            f"{time.perf_counter() - started:.1f} s",
            "",
        )
    )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    median, p95, flagged = _time_checks(engine, drafts)
    rows.append(
        (
            f"check one draft vs {len(book.invoices):,} invoices, after `crmbot db upgrade`",
            f"median {median:.1f} ms, p95 {p95:.1f} ms ({flagged}/{len(drafts)} flagged; "
            f"{reference / median:.0f}x faster than without)",
            "< 50 ms",
        )
    )
    engine.dispose()
    return rows


def _precision_recall(matches, truth: dict[int, int]) -> tuple[float, float]:
    found = {m.invoice_id: m.duplicate_of for m in matches}
    right = sum(1 for k, v in found.items() if truth.get(k) == v)
    return right / max(1, len(found)), right / max(1, len(truth))


def _time_scan(engine, runs: int = 3):
    loads, scores, matches, scanned = [], [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        with engine.connect() as conn:
            cols = load_invoices(conn)
        loaded = time.perf_counter()
        matches = dup.scan(cols)
        loads.append(loaded - started)
        scores.append(time.perf_counter() - loaded)
        scanned = len(cols)
    return statistics.median(loads), statistics.median(scores), matches, scanned


def bench_scan(folder: Path, n: int, seeds: list[int]) -> list[tuple[str, str, str]]:
    rows = []
    engine = _fresh(folder, "book.db")
    book = build_book(n, seed=2)
    write_book(engine, book)
    load_s, score_s, matches, scanned = _time_scan(engine)
    precision, recall = _precision_recall(matches, book.duplicates)
    rows.append(
        (
            f"full scan, first generator: {scanned:,} invoices ({len(book.duplicates):,} planted copies)",
            f"{load_s + score_s:.2f} s (load {load_s:.2f} s + pairs {score_s:.2f} s); "
            f"precision {precision:.3f}, recall {recall:.3f}",
            "< 3 s; >= 0.95",
        )
    )
    engine.dispose()
    for seed in seeds:
        engine = _fresh(folder, f"ledger{seed}.db")
        ledger = build_ledger(n, seed=seed)
        write_ledger(engine, ledger)
        load_s, score_s, matches, scanned = _time_scan(engine)
        precision, recall = _precision_recall(matches, ledger.duplicates)
        rows.append(
            (
                f"full scan, second generator (seed {seed}): {scanned:,} invoices "
                f"({len(ledger.duplicates):,} planted copies)",
                f"{load_s + score_s:.2f} s (load {load_s:.2f} s + pairs {score_s:.2f} s); "
                f"precision {precision:.3f}, recall {recall:.3f}",
                "< 3 s; >= 0.95",
            )
        )
        engine.dispose()
    return rows


def bench_demo(folder: Path, companies: int) -> list[tuple[str, str, str]]:
    from db.demo import generate

    engine = get_engine(f"sqlite:///{folder / 'demo.db'}")
    if not (folder / "demo.db").exists() or not os.path.getsize(folder / "demo.db"):
        generate(engine, seed=11, today=date(2026, 11, 19), companies=companies)
    with engine.connect() as conn:
        truth = dict(
            conn.execute(text("SELECT invoice_id, duplicate_of FROM crmbot_demo_duplicate_truth")).all()
        )
    load_s, score_s, matches, scanned = _time_scan(engine)
    precision, recall = _precision_recall(matches, truth)
    engine.dispose()
    return [
        (
            f"demo at {companies:,} companies ({scanned:,} invoices, {len(truth)} labelled)",
            f"precision {precision:.3f}, recall {recall:.3f}, {load_s + score_s:.2f} s",
            ">= 0.95",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check-size", type=int, default=1_000_000)
    parser.add_argument("--check-repeats", type=int, default=200)
    parser.add_argument("--scan-size", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, nargs="*", default=[21, 22, 23])
    parser.add_argument("--demo-companies", type=int, default=2000)
    parser.add_argument(
        "--keep", help="Keep (and reuse) the databases in this folder instead of a temporary one."
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.check_size:
            rows += bench_check(folder, args.check_size, args.check_repeats)
        if args.scan_size:
            rows += bench_scan(folder, args.scan_size, args.seeds)
        if args.demo_companies:
            rows += bench_demo(folder, args.demo_companies)
    print("| measure | result | target |")
    print("|---|---|---|")
    for measure, result, target in rows:
        print(f"| {measure} | {result} | {target} |")


if __name__ == "__main__":
    main()
