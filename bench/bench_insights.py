"""Benchmark `crmbot insights refresh` against a straightforward per-company loop.

    python bench/bench_insights.py --sizes 10000 100000 [--repeat 3] [--loop-sample 50]

Demo databases are generated once into --dir (seed 7, today 2026-11-19; 100,000 companies take a
few minutes) and copied before each run, so every run starts from the same data. Each refresh
runs in a fresh process; its wall time and peak resident memory (ru_maxrss) are reported, the
median over --repeat runs. The loop baseline computes the same facts and health scores one
company at a time (one set of queries per company, as a naive job would), on a sample of
--loop-sample customers, and is extrapolated to all of them: it is far too slow to run in full.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 19)
SEED = 7

REFRESH_CHILD = """
import json, resource, sys, time
from datetime import date
from db.engine import get_engine
from tools.insights.config import InsightConfig
from tools.insights.job import refresh
start = time.perf_counter()
summary = refresh(get_engine(sys.argv[1]), date.fromisoformat(sys.argv[2]), config=InsightConfig(), models_dir=sys.argv[3])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "companies": summary.companies, "model_auc": summary.model_auc, "rules_auc": summary.rules_auc,
                  "churn_method": summary.churn_method, "ltv_method": summary.ltv_method}))
"""

LOOP_CHILD = """
import json, resource, sys, time
from datetime import date
from sqlalchemy import select
from db.engine import get_engine
from db.models import Company
from tools.insights.churn import add_model_columns
from tools.insights.compute import population_norms, score_health
from tools.insights.config import InsightConfig
from tools.insights.facts import load_facts, with_norms
engine, today, sample = get_engine(sys.argv[1]), date.fromisoformat(sys.argv[2]), int(sys.argv[3])
with engine.connect() as conn:
    ids = conn.execute(select(Company.id).where(Company.lifecycle_stage == "customer").order_by(Company.id)).scalars().all()
    norms = population_norms(conn, today)
    step = max(1, len(ids) // sample)
    chosen = ids[::step][:sample]
    start = time.perf_counter()
    for cid in chosen:  # the naive job: every company's own queries, then its scores
        facts = load_facts(conn, [today], company_filter=lambda column, cid=cid: column == cid)
        score_health(add_model_columns(with_norms(facts, norms)), InsightConfig())
    seconds = time.perf_counter() - start
print(json.dumps({"seconds_per_company": seconds / len(chosen), "sampled": len(chosen), "customers": len(ids),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def demo_db(folder: Path, companies: int) -> Path:
    path = folder / f"crmbot_bench_insights_{companies}.db"
    if not path.exists():
        from db.demo import generate
        from db.engine import get_engine

        print(f"generating a {companies:,}-company demo into {path} (once)...", file=sys.stderr)
        engine = get_engine(f"sqlite:///{path}")
        generate(engine, seed=SEED, today=TODAY, companies=companies)
        engine.dispose()
    return path


def fresh_copy(source: Path, folder: Path) -> Path:
    target = folder / f"run_{source.name}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--loop-sample", type=int, default=None, help="default: 300,000 / size, at least 3")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        source = demo_db(args.dir, size)
        runs = []
        for _ in range(args.repeat):
            copy = fresh_copy(source, args.dir)
            runs.append(
                child(REFRESH_CHILD, f"sqlite:///{copy}", TODAY.isoformat(), str(args.dir / "bench_models"))
            )
        sample = args.loop_sample or max(3, 300_000 // size)
        loop = child(LOOP_CHILD, f"sqlite:///{source}", TODAY.isoformat(), str(sample))
        seconds = statistics.median(r["seconds"] for r in runs)
        loop_total = loop["seconds_per_company"] * loop["customers"]
        cpu = statistics.median(r["cpu_seconds"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        rows.append((size, runs[-1], seconds, cpu, peak, loop, loop_total))
    print(
        "| companies | customers scored | refresh wall (s) | refresh CPU (s) | peak memory (MB) "
        "| per-company loop (s, extrapolated) | loop / refresh | churn holdout AUC model / rules | LTV |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for size, last, seconds, cpu, peak, loop, loop_total in rows:
        auc = (
            f"{last['model_auc']:.3f} / {last['rules_auc']:.3f}"
            if last["model_auc"]
            else last["churn_method"]
        )
        print(
            f"| {size:,} | {last['companies']:,} | {seconds:.1f} | {cpu:.1f} | {peak:,.0f} | {loop_total:,.0f} "
            f"({loop['sampled']} sampled, {loop['seconds_per_company'] * 1000:.0f} ms each) "
            f"| {loop_total / seconds:,.0f}x | {auc} | {last['ltv_method']} |"
        )
    print(
        f"\nmedian of {args.repeat} refresh run(s) per size; SQLite; CPU = user + system time of the refresh "
        "process (wall time also counts waiting on a busy machine); the loop covers facts and health only "
        "(no training, LTV or writing), so the real gap is larger."
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
