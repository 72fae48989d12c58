#!/usr/bin/env python3
"""Benchmark the demo data generator: time, peak memory and rows, per size, on SQLite.

Each size runs in a fresh Python process (so that ru_maxrss is that run's peak) generating into
a new temporary SQLite file; the results are printed as a Markdown table. Wall time depends on
what else the machine runs; CPU time (user + system, of the generating process) much less.

    python bench/bench_demo.py [--sizes 500 10000 100000] [--seed 42] [--today 2026-11-19]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from datetime import date
sys.path.insert(0, {root!r})
from db.demo import generate
from db.engine import get_engine

engine = get_engine({url!r})
before = resource.getrusage(resource.RUSAGE_SELF)
cpu_before = before.ru_utime + before.ru_stime
started = time.perf_counter()
counts = generate(engine, seed={seed}, today=date.fromisoformat({today!r}), companies={size})
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu_before
peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
print(json.dumps({{"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb, "counts": counts}}))
"""


def run(size: int, seed: int, today: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        code = CHILD.format(root=str(ROOT), url=f"sqlite:///{path}", seed=seed, today=today, size=size)
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["file_mb"] = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", default="2026-11-19")
    args = parser.parse_args(argv)

    results = {}
    for size in args.sizes:
        results[size] = run(size, args.seed, args.today)
        r = results[size]
        print(
            f"companies={size:,}: {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU), peak {r['peak_mb']:.0f} MB, "
            f"{sum(r['counts'].values()):,} rows",
            file=sys.stderr,
        )

    print(
        "| companies | wall time (s) | CPU time (s) | peak memory (MB) | rows (all tables) | rows/s | SQLite file (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, r in results.items():
        rows = sum(r["counts"].values())
        print(
            f"| {size:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_mb']:.0f} | {rows:,} "
            f"| {rows / r['seconds']:,.0f} "
            f"| {r['file_mb']:.0f} |"
        )
    tables = list(next(iter(results.values()))["counts"])
    print()
    print("| table | " + " | ".join(f"{size:,}" for size in results) + " |")
    print("|---|" + "---:|" * len(results))
    for table in tables:
        print(f"| {table} | " + " | ".join(f"{r['counts'][table]:,}" for r in results.values()) + " |")


if __name__ == "__main__":
    main()
