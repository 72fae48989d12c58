"""Two clicks at once make exactly one transition; drafts made at once get distinct numbers.

Each thread has its own engine (its own connections), on a file SQLite database and on
PostgreSQL (with TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.engine import get_engine
from db.models import AuditLog, Invoice
from tests.invoice_crm import seed_small_crm
from tools.actor import Actor
from tools.invoices import flow

TODAY = date(2026, 11, 19)
DANA = Actor(2, "Dana Manager", "manager", source="slack", label="slack:U0DANA")
MAX = Actor(3, "Max Manager", "manager", source="slack", label="slack:U0MAX")
RITA = Actor(4, "Rita Rep", "rep", source="chat", label="chat:Rita")


def run_at_once(url: str, jobs) -> list:
    """Run each job(engine) in its own thread with its own engine, released together."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def worker(k, job):
        engine = get_engine(url)
        try:
            barrier.wait()
            results[k] = job(engine)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker, args=(k, job)) for k, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def _seeded(url: str) -> None:
    engine = get_engine(url)
    seed_small_crm(engine, TODAY)
    engine.dispose()


def _check_double_approval(url: str) -> None:
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 1, RITA, TODAY).invoice
    now = datetime(2026, 11, 19, 10, 42)
    results = run_at_once(
        url,
        [
            lambda e: flow.approve(e, invoice.id, DANA, now),
            lambda e: flow.approve(e, invoice.id, MAX, now),
            lambda e: flow.approve(e, invoice.id, DANA, now),  # Dana double-clicks
        ],
    )
    winners = [r for r in results if r.ok]
    losers = [r for r in results if not r.ok]
    assert len(winners) == 1 and len(losers) == 2
    winner = winners[0].actor_name
    for loser in losers:
        assert loser.message == f"{invoice.number} was already approved by {winner} at 2026-11-19 10:42."
    with engine.connect() as conn:
        approvals = conn.execute(
            select(func.count()).where(AuditLog.entity_id == invoice.id, AuditLog.action == "approve")
        ).scalar()
        status = conn.execute(select(Invoice.status).where(Invoice.id == invoice.id)).scalar()
    assert approvals == 1 and status == "approved"
    engine.dispose()


def _check_concurrent_numbering(url: str, threads: int = 8) -> None:
    deals = [1, 2, 4, 5, 6, 1, 2, 4][:threads]  # some deals twice: one of each pair must be refused
    results = run_at_once(url, [lambda e, d=d: flow.draft_from_deal(e, d, RITA, TODAY) for d in deals])
    numbers = [inv.number for r in results if r.ok for inv in r.invoices]
    assert len(numbers) == len(set(numbers)) == 5  # 5 distinct deals, each drafted exactly once
    refused = [r for r in results if not r.ok]
    assert len(refused) == 3 and all("already fully invoiced" in r.message for r in refused)
    engine = get_engine(url)
    with engine.connect() as conn:
        stored = (
            conn.execute(select(Invoice.number).where(Invoice.created_by == RITA.user_id)).scalars().all()
        )
    assert sorted(stored) == sorted(numbers)
    engine.dispose()


def test_double_approval_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    _seeded(url)
    _check_double_approval(url)


def test_numbering_under_concurrency_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'numbers.db'}"
    _seeded(url)
    _check_concurrent_numbering(url)


def test_many_racing_approvals_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'many.db'}"
    _seeded(url)
    engine = get_engine(url)
    invoice = flow.draft_from_deal(engine, 2, RITA, TODAY).invoice
    actors = [DANA, MAX] * 4
    results = run_at_once(url, [lambda e, a=a: flow.approve(e, invoice.id, a) for a in actors])
    assert sum(r.ok for r in results) == 1
    engine.dispose()


@pytest.mark.postgres
def test_double_approval_on_postgres(pg_url):
    _seeded(pg_url)
    _check_double_approval(pg_url)


@pytest.mark.postgres
def test_numbering_under_concurrency_on_postgres(pg_url):
    _seeded(pg_url)
    _check_concurrent_numbering(pg_url)
