"""Benchmark the proactive bot: change -> insights -> alert latency, one company's recompute, full refresh.

    python bench/bench_proactive.py [--companies 500] [--changes 20] [--repeat 3] [--pg URL] [--dir DIR]

1. Latency, end to end: a `crmbot worker` process (change capture installed, a mock Slack over
   HTTP) and a customer made unhealthy in one transaction (six urgent tickets, two overdue
   invoices); measured from the commit to its new insights row, and to its alert's post. On
   SQLite the worker polls every 0.2 s; on PostgreSQL (--pg) it is woken by NOTIFY.
2. Incremental recompute of one company (in process: claim, score with the last refresh's models,
   write, queue alerts) against a full refresh measured in the same run.
3. Full refresh with and without the Nelder-Mead polish of the lifetime-value fit (item 6 of issue
   15): "with" puts the old polish back around the fit, in a child process.

Medians (and p95 for latencies). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 19)
SEED = 42  # `crmbot demo`'s default: "the demo"

REFRESH_CHILD = """
import json, sys, time
from datetime import date
import numpy as np
from scipy import optimize
from db.engine import get_engine
from tools.insights import ltv
from tools.insights.config import InsightConfig
from tools.insights.job import refresh
if sys.argv[3] == "polish":  # the fit as it was before: L-BFGS-B, then Nelder-Mead from its optimum
    def with_polish(loglik, theta0, weights):
        total = float(weights.sum())
        def objective(t):
            ll, _ = loglik(np.exp(t), False)
            value = -float(weights @ ll) / total
            return value if np.isfinite(value) else np.inf
        def objective_grad(t):
            params = np.exp(t)
            ll, grad = loglik(params, True)
            value = -float(weights @ ll) / total
            if not np.isfinite(value):
                return np.inf, np.zeros_like(t)
            return value, -(grad * weights).sum(axis=1) * params / total
        bounds = [(-25.0, 25.0)] * len(theta0)
        res = optimize.minimize(objective_grad, theta0, jac=True, method="L-BFGS-B", bounds=bounds,
                                options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
        polish = optimize.minimize(objective, res.x, method="Nelder-Mead", bounds=bounds,
                                   options={"xatol": 1e-8, "fatol": 1e-13, "maxiter": 4000})
        best = polish.x if np.isfinite(polish.fun) and polish.fun < res.fun else res.x
        return best, -objective(best) * total
    ltv._maximize = with_polish
from tools.insights.lifetime import lifetime_values, load_daily_payments
engine, today = get_engine(sys.argv[1]), date.fromisoformat(sys.argv[2])
with engine.connect() as conn:
    payments = load_daily_payments(conn, today)
start = time.perf_counter()
lifetime_values(payments, today)  # the lifetime-value step alone
ltv_seconds = time.perf_counter() - start
start = time.perf_counter()
refresh(engine, today, config=InsightConfig(), models_dir=sys.argv[4])
print(json.dumps({"seconds": time.perf_counter() - start, "ltv_seconds": ltv_seconds}))
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def make_sqlite_demo(folder: Path, companies: int) -> str:
    from db.demo import generate
    from db.engine import get_engine

    path = folder / f"demo-{companies}.db"
    if not path.exists():
        generate(get_engine(f"sqlite:///{path}"), seed=SEED, today=TODAY, companies=companies)
    return f"sqlite:///{path}"


def copy_sqlite(url: str, folder: Path, name: str) -> str:
    source = Path(url.removeprefix("sqlite:///"))
    target = folder / name
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return f"sqlite:///{target}"


def timed_refresh(url: str, mode: str, models: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", REFRESH_CHILD, url, TODAY.isoformat(), mode, str(models)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_refresh(url: str, folder: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Median refresh and LTV-step seconds, with and without the polish, runs interleaved."""
    runs = {"polish": [], "plain": []}
    for i in range(repeat):
        for mode in ("polish", "plain"):
            copy = copy_sqlite(url, folder, f"refresh-{mode}-{i}.db") if url.startswith("sqlite") else url
            runs[mode].append(timed_refresh(copy, mode, folder / "models"))
    return {
        mode: {key: statistics.median(r[key] for r in results) for key in ("seconds", "ltv_seconds")}
        for mode, results in runs.items()
    }


def green_customers(engine, n: int) -> list[tuple[int, str]]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return [
            (r.id, r.slack_user_id)
            for r in conn.execute(
                text(
                    "SELECT c.id, u.slack_user_id FROM companies c JOIN crmbot_insight_details d ON d.company_id = c.id "
                    "JOIN customer_insights i ON i.company_id = c.id JOIN users u ON u.id = c.owner_id "
                    "WHERE d.band = 'green' AND i.churn_risk = 'low' AND u.slack_user_id IS NOT NULL "
                    "ORDER BY c.id LIMIT :n"
                ),
                {"n": n},
            )
        ]


def computed_at(engine, company_id: int):
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(
            text("SELECT computed_at FROM customer_insights WHERE company_id = :c"), {"c": company_id}
        ).scalar()


def bench_latency(url: str, folder: Path, changes: int) -> dict[str, list[float]]:
    from db.capture import install
    from db.engine import get_engine
    from tests.proactive_fixtures import make_it_unhealthy, proactive_slack, slack_users, worker_env

    engine = get_engine(url)
    install(engine)
    targets = green_customers(engine, changes)
    out = {"insights": [], "alert": []}
    with proactive_slack(slack_users(engine)) as slack:  # the alert channel, with the bot in it
        env = worker_env(slack, folder / "data", CRMBOT_LOG_LEVEL="WARNING", CRMBOT_ALERTS_PER_HOUR="1000")
        poll = "0.2" if url.startswith("sqlite") else "30"
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "worker",
                "--db",
                url,
                "--today",
                TODAY.isoformat(),
                "--poll-interval",
                poll,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(8)  # the worker's start (imports, the models) is not part of a change's latency
            for company_id, _owner in targets:
                before = computed_at(engine, company_id)
                posts = len([c for c in slack.calls_to("chat.postMessage") if c.response.get("ok")])
                start = time.perf_counter()
                make_it_unhealthy(engine, company_id)
                while computed_at(engine, company_id) == before:
                    time.sleep(0.005)
                out["insights"].append(time.perf_counter() - start)
                slack.wait_for("chat.postMessage", posts + 2, timeout=30, ok=True)
                out["alert"].append(time.perf_counter() - start)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
    engine.dispose()
    return out


def bench_one_company(url: str, repeat: int) -> list[float]:
    from sqlalchemy import text

    from db.capture import install
    from db.engine import get_engine
    from tools.insights.config import InsightConfig
    from tools.insights.incremental import load_refresh_models
    from tools.proactive.drain import drain_once

    engine = get_engine(url)
    install(engine)
    models, config = load_refresh_models(engine), InsightConfig()
    with engine.connect() as conn:
        ids = list(
            conn.execute(
                text("SELECT company_id FROM customer_insights ORDER BY company_id LIMIT :n"), {"n": repeat}
            ).scalars()
        )
    times = []
    for company_id in ids:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO activities (company_id, type, occurred_at) VALUES (:c, 'call', :t)"),
                {"c": company_id, "t": datetime(2026, 11, 18, 10)},
            )
        start = time.perf_counter()
        now = datetime.now(UTC).replace(tzinfo=None)
        result = drain_once(
            engine, models, config, worker_id="bench", today=TODAY, now=now, computed_at=datetime.now()
        )
        times.append(time.perf_counter() - start)
        assert result.companies == [company_id]
    engine.dispose()
    return times


def prepare(url: str, folder: Path) -> None:
    from db.engine import get_engine
    from db.migrate import upgrade
    from tools.insights.config import InsightConfig
    from tools.insights.job import refresh

    engine = get_engine(url)
    upgrade(engine)
    refresh(engine, TODAY, config=InsightConfig(), models_dir=folder / "models")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, nargs="+", default=[500])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", help="also on this PostgreSQL database (its demo is made in a new schema)")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-proactive-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CRMBOT_DATA_DIR", str(folder / "data"))

    print(
        "| companies | full refresh, with polish | without | ratio | LTV step, with polish | without | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    refresh_plain = {}
    for n in args.companies:
        demo = make_sqlite_demo(folder, n)
        times = bench_refresh(demo, folder, args.repeat)
        before, after = times["polish"], times["plain"]
        refresh_plain[n] = after["seconds"]
        print(
            f"| {n:,} | {before['seconds']:.2f} s | {after['seconds']:.2f} s "
            f"| {before['seconds'] / after['seconds']:.2f}x | {before['ltv_seconds']:.2f} s "
            f"| {after['ltv_seconds']:.2f} s | {before['ltv_seconds'] / after['ltv_seconds']:.1f}x |"
        )

    databases = [("SQLite", n, make_sqlite_demo(folder, n)) for n in args.companies]
    schema = None
    if args.pg:
        schema, url = pg_demo(args.pg, args.companies[0])
        databases.append(("PostgreSQL", args.companies[0], url))
    try:
        run_latencies(args, folder, databases, refresh_plain)
    finally:
        if schema:
            from sqlalchemy import create_engine, text

            with create_engine(args.pg).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def run_latencies(args, folder: Path, databases, refresh_plain: dict) -> None:
    print()
    print("| database | companies | one company recompute (median) | full refresh (same data) | ratio |")
    print("|---|---:|---:|---:|---:|")
    latency_rows = []
    for label, n, url in databases:
        work = copy_sqlite(url, folder, f"latency-{n}.db") if url.startswith("sqlite") else url
        prepare(work, folder)
        one = bench_one_company(work, max(args.changes, 10))
        full = (
            refresh_plain.get(n)
            if label == "SQLite"
            else timed_refresh(work, "plain", folder / "models")["seconds"]
        )
        print(
            f"| {label} | {n:,} | {statistics.median(one) * 1000:.0f} ms | {full:.2f} s | {full / statistics.median(one):.0f}x |"
        )
        latency_rows.append((label, n, bench_latency(work, folder, args.changes)))
    print()
    print(
        "| database | companies | change -> insights, median / p95 | change -> alert posted, median / p95 |"
    )
    print("|---|---:|---:|---:|")
    for label, n, lat in latency_rows:
        ins, alert = lat["insights"], lat["alert"]
        print(
            f"| {label} | {n:,} | {statistics.median(ins) * 1000:.0f} / {p95(ins) * 1000:.0f} ms "
            f"| {statistics.median(alert) * 1000:.0f} / {p95(alert) * 1000:.0f} ms |"
        )


def pg_demo(base: str, companies: int) -> tuple[str, str]:
    import uuid
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    from db.demo import generate
    from db.engine import get_engine

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    generate(get_engine(url), seed=SEED, today=TODAY, companies=companies)
    return schema, url


if __name__ == "__main__":
    main()
