"""What a data scope and the audit trail cost, on a large demo (20,000 companies by default).

Three measures, each against a reference measured in the same run, interleaved, as medians:

1. The scope clause in the report engine: the same questions, in process, with no scope (today's
   SQL), with a scope that covers every user (the clause in full, the same rows: its pure cost) and
   with the busiest rep's own accounts (own): build + run.
2. `crmbot ask --json` as a whole process, the same rep, all vs own (what a person waits for).
3. The audit trail: an in-process answer through the router with the trail written (a row in
   audit.db) and with the writer switched off.

    python bench/bench_scope.py [--db /tmp/bench_scope.db] [--companies 20000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 19)
QUESTIONS = [
    "revenue by customer this year",
    "top 10 customers by outstanding",
    "accounts at risk",
    "bookings by rep this year",
    "open pipeline by stage",
    "list overdue invoices",
]


def ensure_demo(path: Path, companies: int) -> None:
    if path.exists():
        return
    from db.demo import generate
    from db.engine import get_engine

    engine = get_engine(f"sqlite:///{path}")
    generate(engine, seed=42, today=TODAY, companies=companies)
    from tools.insights.job import refresh

    refresh(engine, TODAY, models_dir=path.parent / "models")
    engine.dispose()


def busiest_rep(url: str) -> tuple[int, str, int, int]:
    """(id, email, companies owned, all companies) of the rep who owns the most accounts."""
    from sqlalchemy import text

    from db.engine import get_engine

    engine = get_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT u.id, u.email, COUNT(*) FROM users u JOIN companies c ON c.owner_id = u.id "
                "WHERE u.role = 'rep' GROUP BY u.id, u.email ORDER BY COUNT(*) DESC LIMIT 1"
            )
        ).one()
        total = conn.execute(text("SELECT COUNT(*) FROM companies")).scalar()
    engine.dispose()
    return row[0], row[1], row[2], total


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_engine(url: str, rep_id: int, repeat: int) -> list[tuple]:
    """Per question: median ms with no scope, every user's scope, the largest team's, the rep's own
    (build + run, no chart)."""
    from sqlalchemy import text

    from db.engine import get_engine
    from tools.reports import entities
    from tools.reports.engine import answer
    from tools.reports.nlq import interpret
    from tools.scope import DataScope

    engine = get_engine(url, read_only=True)
    names = entities.load(engine)
    with engine.connect() as conn:
        everyone = frozenset(conn.execute(text("SELECT id FROM users")).scalars())
        team = conn.execute(
            text(
                "SELECT u.team FROM companies c JOIN users u ON u.id = c.owner_id WHERE u.team IS NOT NULL "
                "GROUP BY u.team ORDER BY COUNT(*) DESC LIMIT 1"
            )
        ).scalar()
        members = frozenset(conn.execute(text("SELECT id FROM users WHERE team = :t"), {"t": team}).scalars())
    scopes = {
        "all": None,
        "everyone": DataScope("team", everyone, people=False),
        "team": DataScope("team", members, team=team, people=False),
        "own": DataScope("own", frozenset({rep_id}), people=False),
    }
    out = []
    for question in QUESTIONS:
        reading = interpret(question, TODAY, names, None)
        samples: dict[str, list[float]] = {name: [] for name in scopes}
        for _ in range(repeat):
            for name, scope in scopes.items():  # interleaved: the same machine state for both
                start = time.perf_counter()
                result = answer(question, engine, TODAY, reading=reading, chart=False, scope=scope)
                samples[name].append(time.perf_counter() - start)
                assert not result.refused, (question, result.reason)
        out.append(
            (question, ms(samples["all"]), ms(samples["everyone"]), ms(samples["team"]), ms(samples["own"]))
        )
    engine.dispose()
    return out


def bench_ask(url: str, email: str, repeat: int, data_dir: str) -> tuple[float, float]:
    """Median ms of `crmbot ask --json` (whole process), the same rep, scope all vs own."""
    crmbot = str(Path(sys.executable).with_name("crmbot"))
    samples: dict[str, list[float]] = {"all": [], "own": []}
    for i in range(repeat):
        for scope in ("all", "own"):
            env = {**os.environ, "CRMBOT_REP_SCOPE": scope, "CRMBOT_DATA_DIR": data_dir}
            question = QUESTIONS[i % len(QUESTIONS)]
            start = time.perf_counter()
            done = subprocess.run(
                [crmbot, "ask", "--db", url, "--today", str(TODAY), "--as", email, "--json", question],
                env=env,
                capture_output=True,
                text=True,
            )
            samples[scope].append(time.perf_counter() - start)
            assert not json.loads(done.stdout)["refused"], done.stdout[:300]
    return ms(samples["all"]), ms(samples["own"])


def bench_audit(url: str, email: str, repeat: int) -> tuple[float, float]:
    """Median ms of one in-process answer through the router, with and without its audit row."""
    import tools.audit as audit
    from bot.cli.common import cli_actor
    from bot.conversation import Context
    from bot.router import handle
    from db.engine import get_engine

    engine = get_engine(url, read_only=True)
    actor = cli_actor(email, engine)
    writer = audit.record
    samples: dict[str, list[float]] = {"with": [], "without": []}
    for i in range(repeat * len(QUESTIONS)):
        question = QUESTIONS[i % len(QUESTIONS)]
        for mode in ("with", "without"):
            audit.record = writer if mode == "with" else (lambda *a, **k: True)
            ctx = Context(db_url=url, today=TODAY, actor=actor, extras={"defer_charts": True})
            start = time.perf_counter()
            handle(question, ctx)
            samples[mode].append(time.perf_counter() - start)
    audit.record = writer
    engine.dispose()
    return ms(samples["with"]), ms(samples["without"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "bench_scope.db"))
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    path = Path(args.db)
    ensure_demo(path, args.companies)
    url = f"sqlite:///{path}"
    data_dir = tempfile.mkdtemp(prefix="bench_scope_")
    os.environ["CRMBOT_DATA_DIR"] = data_dir
    rep_id, email, owned, total = busiest_rep(url)
    print(
        f"{total:,} companies; the busiest rep owns {owned:,}. Medians of {args.repeat} interleaved runs.\n"
    )
    print(
        "| question (in process, build + run) | no scope | every user (same rows) | the largest team "
        "| the rep's own |"
    )
    print("|---|---:|---:|---:|---:|")
    rows = bench_engine(url, rep_id, args.repeat)
    for question, none, *scoped in rows:
        cells = " | ".join(f"{t:.1f} ms ({t / none:.2f}x)" for t in scoped)
        print(f"| {question} | {none:.1f} ms | {cells} |")
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3, 4)]
    cells = " | ".join(f"{t:.1f} ms ({t / totals[0]:.2f}x)" for t in totals[1:])
    print(f"| all six, summed | {totals[0]:.1f} ms | {cells} |")
    all_ms, own_ms = bench_ask(url, email, args.repeat, data_dir)
    print(
        f"\n`crmbot ask --json`, whole process: no scope {all_ms:.0f} ms, own {own_ms:.0f} ms "
        f"({own_ms / all_ms:.2f}x)"
    )
    with_ms, without_ms = bench_audit(url, email, args.repeat)
    print(
        f"Router answer in process: with its audit row {with_ms:.1f} ms, without {without_ms:.1f} ms "
        f"(+{with_ms - without_ms:.1f} ms)"
    )


if __name__ == "__main__":
    main()
