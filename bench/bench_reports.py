"""Benchmark the report engine on the default demo database (500 companies).

Measures, as medians: question -> JSON in-process (no chart), chart rendering, and
`crmbot ask --json` as a whole process. Prints a Markdown table.

    python bench/bench_reports.py [--db /tmp/bench_reports.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 19)
QUESTIONS = [
    "What was our total revenue last month?",
    "revenue by month this year",
    "Top 5 customers by revenue in 2025",
    "bookings by rep this year",
    "win rate by industry last year",
    "Which 10 customers owe us the most?",
    "list overdue invoices",
    "bookings by product category this year",
    "average resolution time in hours by priority",
    "won deals over 50000 this year",
]


def ensure_demo(path: Path) -> None:
    if path.exists():
        return
    from db.demo import generate
    from db.engine import get_engine

    engine = get_engine(f"sqlite:///{path}")
    generate(engine, seed=42, today=TODAY, companies=500)
    engine.dispose()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_in_process(url: str, repeat: int) -> tuple[float, float]:
    from bot.render import to_data
    from db.engine import get_engine
    from tools.reports.engine import answer

    engine = get_engine(url, read_only=True)
    first = time.perf_counter()
    answer(QUESTIONS[0], engine, TODAY, chart=False)  # loads the entity vocabulary once
    cold = time.perf_counter() - first
    samples = []
    for _ in range(repeat):
        for question in QUESTIONS:
            start = time.perf_counter()
            json.dumps(to_data(answer(question, engine, TODAY, chart=False)))
            samples.append(time.perf_counter() - start)
    return median_ms(samples), cold * 1000


def bench_charts(url: str, repeat: int) -> tuple[float, int]:
    from db.engine import get_engine
    from tools.reports.charts import chart_kind, render
    from tools.reports.engine import answer

    engine = get_engine(url, read_only=True)
    results = [r for r in (answer(q, engine, TODAY, chart=False) for q in QUESTIONS) if chart_kind(r)]
    render(results[0], tempfile.mkdtemp())  # import matplotlib outside the timing
    samples = []
    for _ in range(repeat):
        folder = tempfile.mkdtemp()
        for result in results:
            start = time.perf_counter()
            render(result, folder)
            samples.append(time.perf_counter() - start)
        shutil.rmtree(folder)
    return median_ms(samples), len(results)


def bench_process(url: str, repeat: int, chart: bool) -> float:
    crmbot = shutil.which("crmbot") or str(Path(sys.executable).parent / "crmbot")
    samples = []
    data_dir = tempfile.mkdtemp()
    env = {**__import__("os").environ, "CRMBOT_DATA_DIR": data_dir}
    questions = QUESTIONS if chart else [q for q in QUESTIONS if "by" not in q]
    for _ in range(max(1, repeat // 2)):
        for question in questions:
            start = time.perf_counter()
            out = subprocess.run(
                [crmbot, "ask", "--db", url, "--today", TODAY.isoformat(), "--json", question],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            samples.append(time.perf_counter() - start)
            json.loads(out.stdout)
        shutil.rmtree(data_dir, ignore_errors=True)
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/bench_reports.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.db)
    ensure_demo(path)
    url = f"sqlite:///{path}"
    in_process, cold = bench_in_process(url, args.repeat)
    chart_ms, charts = bench_charts(url, args.repeat)
    process_all = bench_process(url, args.repeat, chart=True)
    process_plain = bench_process(url, args.repeat, chart=False)
    print("| measure | median | target |")
    print("|---|---:|---:|")
    print(
        f"| question -> JSON in-process, no chart ({len(QUESTIONS)} questions x {args.repeat}) | "
        f"{in_process:.1f} ms | < 50 ms |"
    )
    print(f"| first question in a process (loads names from the database) | {cold:.1f} ms | |")
    print(f"| chart rendering ({charts} charts x {args.repeat}) | {chart_ms:.1f} ms | < 300 ms |")
    print(
        f"| `crmbot ask --json` whole process, all questions (charts drawn where they fit) | "
        f"{process_all:.0f} ms | < 1000 ms |"
    )
    print(
        f"| `crmbot ask --json` whole process, single-figure and list answers (no chart) | "
        f"{process_plain:.0f} ms | < 1000 ms |"
    )


if __name__ == "__main__":
    main()
