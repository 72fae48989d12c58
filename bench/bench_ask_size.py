"""`crmbot ask` as a whole process on a small and a large database (target: 20,000 companies within
1.3x of 2,000).

Makes two demos (2,000 and 20,000 companies, same seed and today; insights and lead scores
computed), then times `crmbot ask --json QUESTION` end to end for a few questions, REPEATS times
each, alternating the databases so that machine load hits both alike. The entity names the
engine matches questions against grow with the database: loading them must stay linear. Prints
Markdown: medians per question and size, and the ratio large / small.

    .venv/bin/python bench/bench_ask_size.py [--small 2000] [--large 20000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRMBOT = str(Path(sys.executable).with_name("crmbot"))
TODAY = "2026-11-19"
QUESTIONS = (
    "revenue by region this year",
    "how much have we booked from Kingsley Works this year",  # a name: the entity store is used
    "top 5 customers by outstanding balance",
    "win rate by rep last quarter vs the quarter before",
)


def make_demo(folder: Path, companies: int) -> str:
    url = f"sqlite:///{folder / f'demo_{companies}.db'}"
    started = time.perf_counter()
    for args in (
        ["demo", "--companies", str(companies)],
        ["insights", "refresh"],
        ["leads", "score"],
    ):
        subprocess.run([CRMBOT, *args, "--db", url, "--today", TODAY], check=True, capture_output=True)
    print(f"made {companies:,}-company demo in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return url


def time_ask(url: str, question: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [CRMBOT, "ask", "--db", url, "--today", TODAY, "--json", question], check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, large = make_demo(folder, args.small), make_demo(folder, args.large)
        print(f"| question | {args.small:,} companies | {args.large:,} companies | ratio |")
        print("|---|---:|---:|---:|")
        ratios = []
        for question in QUESTIONS:
            times: dict[str, list[float]] = {small: [], large: []}
            time_ask(small, question), time_ask(large, question)  # warm the file cache
            for _ in range(args.repeats):
                for url in (small, large):
                    times[url].append(time_ask(url, question))
            a, b = statistics.median(times[small]), statistics.median(times[large])
            ratios.append(b / a)
            print(f"| {question} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {b / a:.2f}x |")
        print(f"\nmedian ratio {statistics.median(ratios):.2f}x (target at most 1.3x)")


if __name__ == "__main__":
    main()
