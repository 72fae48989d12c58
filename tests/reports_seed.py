"""A small CRM database for the report tests (guard, LLM engine, examples), and its fingerprint.

Small and fast to make on SQLite or PostgreSQL, independent of the demo generator, with known
numbers: 3 reps, 6 companies, 200 deals (enough for a cross join that never finishes), leads.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert, inspect, select, text

from db.migrate import upgrade
from db.models import Company, Deal, Lead, User

DEALS = 200
STAGES = ("closed_won", "closed_lost", "proposal", "negotiation")


def make_small_crm(engine: Engine) -> None:
    """Create every table (crmbot db upgrade) and fill the contract tables with known rows."""
    upgrade(engine)
    start = datetime(2026, 1, 5, 9, 0)
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "id": i,
                    "name": name,
                    "email": f"{name.lower()}@example.com",
                    "role": "rep",
                    "created_at": start,
                }
                for i, name in enumerate(("Ana", "Ben", "Chloe"), 1)
            ],
        )
        conn.execute(
            insert(Company),
            [
                {
                    "id": i,
                    "name": f"Company {i}",
                    "industry": ("Software", "Retail")[i % 2],
                    "region": ("NA", "EMEA", "APAC")[i % 3],
                    "owner_id": 1 + i % 3,
                    "lifecycle_stage": "customer",
                    "customer_since": date(2025, 1, i),
                    "created_at": start,
                }
                for i in range(1, 7)
            ],
        )
        conn.execute(
            insert(Deal),
            [
                {
                    "id": i,
                    "name": f"Deal {i}",
                    "company_id": 1 + i % 6,
                    "owner_id": 1 + i % 3,
                    "amount": Decimal(1000 + 10 * i),
                    "stage": STAGES[i % 4],
                    "created_at": start + timedelta(days=i),
                    "closed_at": start + timedelta(days=i + 30)
                    if STAGES[i % 4].startswith("closed")
                    else None,
                    "lost_reason": "price" if STAGES[i % 4] == "closed_lost" else None,
                }
                for i in range(1, DEALS + 1)
            ],
        )
        conn.execute(
            insert(Lead),
            [
                {
                    "id": i,
                    "first_name": f"L{i}",
                    "source": "website",
                    "status": "new",
                    "owner_id": 1,
                    "created_at": start,
                }
                for i in range(1, 21)
            ],
        )


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows: equal fingerprints mean nothing changed."""
    names = sorted(inspect(engine).get_table_names())
    result = {}
    with engine.connect() as conn:
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            digest = hashlib.sha256("\n".join(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
            result[name] = (len(rows), digest)
    return result


def won_total(engine: Engine) -> Decimal:
    from sqlalchemy import func

    with engine.connect() as conn:
        return conn.execute(select(func.sum(Deal.amount)).where(Deal.stage == "closed_won")).scalar_one()
