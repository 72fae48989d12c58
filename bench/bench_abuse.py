"""Hostile SQL through `crmbot sql --json`: how long each case takes and how much memory the process
needs, on SQLite and (with --pg) PostgreSQL. Prints a Markdown table.

    python bench/bench_abuse.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

The cases are those of tests/test_reports_limits.py, run in one child process per database
(tests/sql_abuse_child.py), which reports its own peak RSS after each case.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from db.engine import get_engine  # noqa: E402
from tests.reports_seed import make_small_crm  # noqa: E402
from tests.test_reports_limits import abuse_cases, run_cases_in_a_child  # noqa: E402


def outcome(result: dict) -> str:
    if result["refused"]:
        return "refused"
    if result["truncated"]:
        return f"cut at {result['rows']:,} rows"
    return f"{result['rows']:,} row(s)"


def measure(url: str, dialect: str) -> tuple[list[str], list[dict]]:
    cases = abuse_cases(dialect)
    return list(cases), run_cases_in_a_child(url, [sql for sql, _ in cases.values()])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="a PostgreSQL URL (a schema of its own is made and dropped)")
    args = parser.parse_args()
    columns = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/crm.db"
        make_small_crm(get_engine(url))
        columns["SQLite"] = measure(url, "sqlite")
    if args.pg:
        schema = f"bench_abuse_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.pg else "?"
            url = f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}"
            make_small_crm(get_engine(url))
            columns["PostgreSQL"] = measure(url, "postgres")
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    names = next(iter(columns.values()))[0]
    header = "| case | " + " | ".join(columns) + " |"
    print(header)
    print("|---|" + "---:|" * len(columns))
    for index, name in enumerate(names):
        cells = [f"{outcome(r[index])}, {r[index]['seconds']:.2f} s" for _, r in columns.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    peaks = [f"{max(r['peak_mb'] for r in results):.0f} MB" for _, results in columns.values()]
    print("| peak memory of the process, all cases | " + " | ".join(peaks) + " |")


if __name__ == "__main__":
    main()
