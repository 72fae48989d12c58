"""HTTP API benchmark: requests per second and p50/p95 latency of the insights and ask endpoints.

    python bench/bench_api.py [--companies 300] [--seconds 5] [--clients 8] [--workers 1 2]

How it runs: a demo database (``db.demo.generate``, today 2026-11-19) with insights refreshed,
an API key for a manager, then for each worker count ``crmbot serve --http --workers N`` in a
subprocess (rate limit lifted), warmed up, and ``--clients`` threads each holding one keep-alive
connection send requests for ``--seconds`` per endpoint: GET /api/health (the server's floor:
routing, no key, one SELECT 1), GET /api/crm/companies/{id}/insights (over the customers with
stored insights) and POST /api/crm/reports/ask (over ten report questions). The reference
measured in the same run is the same work called in-process, without HTTP: the tool behind
the insights endpoint and ``bot.router.handle`` for the questions. Prints Markdown.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 11, 19)
QUESTIONS = (
    "bookings by rep this year",
    "which 10 customers owe us the most",
    "win rate by industry last year",
    "revenue by month this year",
    "open pipeline by stage",
    "top 5 customers by revenue last quarter",
    "deals won this quarter",
    "outstanding invoices by country",
    "average deal size by rep in 2025",
    "tickets by priority this month",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def prepare(folder: Path, companies: int) -> tuple[str, str, list[int]]:
    """(database URL, manager's email, companies with stored insights)."""
    from sqlalchemy import text

    from db.demo import generate
    from db.engine import get_engine
    from tools.insights.job import refresh

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = get_engine(url)
    generate(engine, seed=7, today=TODAY, companies=companies)
    refresh(engine, TODAY, models_dir=folder / "models")
    with engine.connect() as conn:
        email = conn.execute(text("SELECT email FROM users WHERE role = 'manager' LIMIT 1")).scalar()
        ids = (
            conn.execute(text("SELECT company_id FROM customer_insights ORDER BY company_id")).scalars().all()
        )
    engine.dispose()
    return url, email, list(ids)


def environment(folder: Path) -> dict[str, str]:
    drop = ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "OPENAI_BASE_URL", "OPENAI_MODEL")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("CRMBOT_")}
    env.update(CRMBOT_DATA_DIR=str(folder / "data"), CRMBOT_API_RATE_LIMIT="1000000/minute")
    return env


def crmbot() -> str:
    return str(Path(sys.executable).with_name("crmbot"))


def make_key(db_url: str, email: str, env: dict) -> str:
    out = subprocess.run(
        [crmbot(), "api-key", "create", "--as", email, "--db", db_url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def start_server(db_url: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [crmbot(), "serve", "--http", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--db", db_url, "--today", TODAY.isoformat()]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    seen: set[str] = set()
    deadline = time.monotonic() + 60
    while len(seen) < workers:  # every worker answered once: all of them are up
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit("crmbot serve did not start")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            seen.add(response.getheader("X-Crmbot-Worker"))
            conn.close()
        except OSError:
            time.sleep(0.1)
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def load(port: int, make_request, seconds: float, clients: int) -> dict:
    """``clients`` threads, each on one keep-alive connection, for ``seconds``: latencies and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, n = [], number
        while time.monotonic() < stop_at:
            method, path, body, headers = make_request(n)
            n += clients
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {"n": len(latencies), "rps": len(latencies) / wall, "latencies": latencies, "errors": errors[0]}


def in_process_reference(
    db_url: str, email: str, company_ids: list[int], rounds: int = 60
) -> dict[str, float]:
    """Median seconds of the same work without HTTP: the insights tool, and the router for a question."""
    from bot.cli.common import cli_actor
    from bot.conversation import Context
    from bot.router import handle
    from db.engine import get_engine
    from tools.insights.service import company_insight_by_id

    engine = get_engine(db_url)
    actor = cli_actor(email, engine)
    insights, asks = [], []
    for i in range(rounds):
        started = time.perf_counter()
        company_insight_by_id(engine, TODAY, company_ids[i % len(company_ids)])
        insights.append(time.perf_counter() - started)
        ctx = Context(db_url=db_url, today=TODAY, actor=actor, channel="api", extras={"defer_charts": True})
        started = time.perf_counter()
        handle(QUESTIONS[i % len(QUESTIONS)], ctx)
        asks.append(time.perf_counter() - started)
    engine.dispose()
    return {"insights": statistics.median(insights[5:]), "ask": statistics.median(asks[len(QUESTIONS) :])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        folder = Path(tmp)
        print(f"preparing a {options.companies}-company demo with insights ...", file=sys.stderr)
        db_url, email, company_ids = prepare(folder, options.companies)
        env = environment(folder)
        key = make_key(db_url, email, env)
        auth = {"Authorization": f"Bearer {key}"}
        endpoints = {
            "GET /api/health": lambda n: ("GET", "/api/health", None, {}),
            "GET /api/crm/companies/{id}/insights": lambda n: (
                "GET",
                f"/api/crm/companies/{company_ids[n % len(company_ids)]}/insights",
                None,
                auth,
            ),
            "POST /api/crm/reports/ask": lambda n: (
                "POST",
                "/api/crm/reports/ask",
                json.dumps({"question": QUESTIONS[n % len(QUESTIONS)]}),
                {**auth, "Content-Type": "application/json"},
            ),
        }
        reference = in_process_reference(db_url, email, company_ids)
        rows = []
        for workers in options.workers:
            server, port = start_server(db_url, env, workers)
            try:
                for name, make in endpoints.items():
                    load(port, make, 1.0, options.clients)  # warm-up: engines, caches, entity names
                    rows.append((workers, name, load(port, make, options.seconds, options.clients)))
            finally:
                stop_server(server)

    print(
        f"{options.clients} clients on keep-alive connections, {options.seconds:.0f} s per row, "
        f"{options.companies}-company demo (SQLite)\n"
    )
    print("| workers | endpoint | requests/s | p50 | p95 | errors |\n|---:|---|---:|---:|---:|---:|")
    for workers, name, stats in rows:
        lat = stats["latencies"]
        p50, p95 = (statistics.median(lat) * 1000, percentile(lat, 0.95) * 1000) if lat else (0, 0)
        print(
            f"| {workers} | `{name}` | {stats['rps']:.0f} | {p50:.1f} ms | {p95:.1f} ms | {stats['errors']} |"
        )
    print(
        f"\nIn-process reference, one call at a time (median): insights tool {reference['insights'] * 1000:.1f} ms, "
        f"router answering a question {reference['ask'] * 1000:.1f} ms."
    )


if __name__ == "__main__":
    main()
