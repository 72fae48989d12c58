"""Benchmark of the SQL guard and the read-only executor: prints a Markdown table of medians.

    python bench/bench_reports_guard.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Measures guard.check on the legitimate and hostile queries of tests/test_reports_guard.py and on the
oversized or deeply nested inputs of tests/test_reports_limits.py (target: each refused well under a
second), a small query end to end (guard + read-only execution) on SQLite, and how long after the
limit a slow query is stopped (timeout 1 s): SQLite's progress handler, PostgreSQL's statement_timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.engine import get_engine  # noqa: E402
from tests.reports_seed import make_small_crm  # noqa: E402
from tests.test_reports_guard import HOSTILE, POSITIVE, SLOW  # noqa: E402
from tests.test_reports_limits import OVERSIZED  # noqa: E402
from tools.reports.execute import QueryTimeout, run_select  # noqa: E402
from tools.reports.guard import GuardError, check  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def refuse(sql: str) -> None:
    with contextlib.suppress(GuardError):
        check(sql)


def stop_latency_ms(engine, timeout_s: float = 1.0, repeat: int = 3) -> float:
    """Median time past the limit before a slow query came back stopped."""
    late = []
    for _ in range(repeat):
        for sql in SLOW:
            start = time.perf_counter()
            try:
                run_select(engine, sql, timeout_s=timeout_s)
            except QueryTimeout:
                late.append((time.perf_counter() - start - timeout_s) * 1000)
    return statistics.median(late)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL URL to measure the statement timeout there too")
    args = parser.parse_args()
    rows = []
    positive = list(POSITIVE.values())
    rows.append(
        (
            "guard.check, legitimate query (median of all)",
            statistics.median(median_ms(lambda q=q: check(q), 50) for q in positive),
        )
    )
    rows.append(
        (
            "guard.check, hostile query refused (median of all)",
            statistics.median(median_ms(lambda q=q: refuse(q), 20) for q in HOSTILE),
        )
    )
    rows.append(
        (
            "guard.check, oversized or deep input refused (slowest of the inputs' medians)",
            max(median_ms(lambda q=q: refuse(q), 20) for q, _ in OVERSIZED),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{tmp}/crm.db")
        make_small_crm(engine)
        sql = POSITIVE["cte_and_join"]
        rows.append(
            ("guard + read-only run, CTE + join (SQLite)", median_ms(lambda: run_select(engine, sql), 50))
        )
        rows.append(("timeout 1 s: stopped this late (SQLite)", stop_latency_ms(engine)))
        engine.dispose()
    if args.pg:
        import uuid
        from urllib.parse import quote

        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.pg else "?"
            engine = get_engine(f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}")
            make_small_crm(engine)
            rows.append(
                (
                    "guard + read-only run, CTE + join (PostgreSQL)",
                    median_ms(lambda: run_select(engine, sql), 50),
                )
            )
            rows.append(("timeout 1 s: stopped this late (PostgreSQL)", stop_latency_ms(engine)))
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print("| measure | median (ms) |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.2f} |")


if __name__ == "__main__":
    main()
