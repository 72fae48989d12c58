"""Lead scoring benchmark: scoring 1,000,000 leads and training on 100,000.

    python bench/bench_leads.py [--workdir /tmp/bench_leads] [--repeat 3]

How the data is made: a demo database (``db.demo.generate``, 25,000 companies -> about
100,000 leads, ~94,000 with a known outcome) is the training set. For scoring, the open
leads of a 5,000-company demo are resampled with replacement in pandas to 1,000,000 rows
(fresh ids, same columns), bulk-inserted as open leads into a copy of that database, and
`score_open_leads` is timed end to end: read the leads, build features as of today, predict
with the registered model, and write score / conversion_probability / scored_at back in
batches. The in-memory part (features + predict, no database) is timed separately.
Peak memory is the process's maximum resident set size (``ru_maxrss``) after each step.
CPU seconds (process time, all threads) are printed beside wall seconds: on a shared
machine wall time measures the neighbours too.
Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 19)
SCORE_ROWS = 1_000_000
TRAIN_COMPANIES = 25_000
SCORE_COMPANIES = 5_000


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_db(workdir: Path, companies: int) -> str:
    from db.demo import generate
    from db.engine import get_engine

    path = workdir / f"demo_{companies}.db"
    if not path.exists():
        print(f"generating a {companies:,}-company demo database in {path} ...", file=sys.stderr)
        engine = get_engine(f"sqlite:///{path}")
        generate(engine, seed=11, today=TODAY, companies=companies)
        engine.dispose()
    return f"sqlite:///{path}"


def million_lead_db(workdir: Path, source_url: str) -> str:
    """A copy of the scoring demo whose open leads are resampled to 1,000,000 rows."""
    import numpy as np
    from sqlalchemy import text

    from db.engine import get_engine
    from db.models import Lead
    from tools.leads.features import OPEN_STATUSES, load_leads

    path = workdir / "million_leads.db"
    if path.exists():
        return f"sqlite:///{path}"
    shutil.copy(source_url.removeprefix("sqlite:///"), path)
    engine = get_engine(f"sqlite:///{path}")
    open_leads = load_leads(engine, statuses=OPEN_STATUSES)
    rng = np.random.default_rng(0)
    sample = open_leads.iloc[rng.integers(0, len(open_leads), SCORE_ROWS - len(open_leads))].copy()
    with engine.connect() as conn:
        next_id = conn.execute(text("SELECT max(id) FROM leads")).scalar_one() + 1
    sample["id"] = np.arange(next_id, next_id + len(sample))
    columns = [c.name for c in Lead.__table__.columns if c.name in sample.columns]
    sample = sample[columns].astype(object).where(sample[columns].notna(), None)
    sample["created_at"] = [t.to_pydatetime() for t in sample["created_at"]]
    sample[["score", "conversion_probability", "scored_at", "converted_at"]] = None
    rows = sample.to_dict("records")
    print(f"inserting {len(rows):,} resampled open leads into {path} ...", file=sys.stderr)
    for start in range(0, len(rows), 100_000):
        with engine.begin() as conn:
            conn.execute(Lead.__table__.insert(), rows[start : start + 100_000])
    engine.dispose()
    return f"sqlite:///{path}"


CPU_TIMES: list[float] = []


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall seconds (and, in CPU_TIMES, median CPU seconds of this process)."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="/tmp/bench_leads")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--train-companies", type=int, default=TRAIN_COMPANIES)
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    from db.engine import get_engine
    from tools.leads.features import OPEN_STATUSES, load_context, load_leads, scoring_features
    from tools.leads.model import closed_leads, train
    from tools.leads.scoring import current_scorer, score_open_leads

    rows = []

    # --- training on ~100,000 leads (features, time-holdout evaluation, refit on all)
    train_engine = get_engine(demo_db(workdir, args.train_companies))
    n_closed = len(closed_leads(train_engine, TODAY))
    seconds, report = timed(lambda: train(train_engine, TODAY, register=False), max(1, args.repeat // 2))
    rows.append(
        (
            f"train on {n_closed:,} closed leads ({report.model_name}; eval fit + refit)",
            seconds,
            n_closed / seconds,
            peak_rss_mib(),
            f"AUC {report.auc:.3f}, ceiling {report.ceiling_auc:.3f}, ECE {report.ece:.3f}",
        )
    )

    # --- scoring 1,000,000 open leads
    score_url = million_lead_db(workdir, demo_db(workdir, SCORE_COMPANIES))
    engine = get_engine(score_url)
    train(engine, TODAY, now=datetime.combine(TODAY, datetime.min.time()), model_dir=workdir / "models")
    scorer = current_scorer(engine)
    leads = load_leads(engine, statuses=OPEN_STATUSES)
    context = load_context(engine)

    def in_memory():
        return scorer.score(scoring_features(leads, context, TODAY))

    seconds, _ = timed(in_memory, args.repeat)
    rows.append((f"features + predict, {len(leads):,} leads (in memory)", seconds, len(leads) / seconds,
                 peak_rss_mib(), scorer.registered.model.model_name_))  # fmt: skip
    seconds, run = timed(lambda: score_open_leads(engine, TODAY), args.repeat)
    rows.append((f"`score_open_leads`, {run.scored:,} leads (read, features, predict, write)", seconds,
                 run.scored / seconds, peak_rss_mib(), "SQLite, executemany batches of 20,000"))  # fmt: skip

    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| step | median wall s | median CPU s | rows/s (wall) | peak RSS MiB | notes |")
    print("|---|---:|---:|---:|---:|---|")
    for (name, secs, rate, rss, notes), cpu in zip(rows, CPU_TIMES, strict=True):
        print(f"| {name} | {secs:.2f} | {cpu:.2f} | {rate:,.0f} | {rss:,.0f} | {notes} |")


if __name__ == "__main__":
    main()
