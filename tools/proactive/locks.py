"""Transactions that read, decide, then write, safely under several workers.

A transaction starts by updating a named row of ``crmbot_locks``. On PostgreSQL that row lock
serializes the transactions that name it; on SQLite the first write takes the database's
write lock at once, so nothing can change between our read and our write (and we never hit
SQLite's "database is locked" on upgrading a read transaction to a write).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, text, update
from sqlalchemy.exc import IntegrityError

from db.proactive_models import WorkLock

# pg_advisory_xact_lock(key): the high 32 bits keep our company locks apart from anyone else's
COMPANY_LOCK_CLASS = 15015 << 32


def take(conn: Connection, name: str, holder: str, now: datetime) -> None:
    """Lock ``name`` for the rest of the caller's transaction."""
    stmt = update(WorkLock).where(WorkLock.name == name).values(holder=holder, taken_at=now)
    if conn.execute(stmt).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(WorkLock).values(name=name, holder=holder, taken_at=now))
    except IntegrityError:  # another worker made the row first: lock it as it stands
        conn.execute(stmt)


def lock_companies(conn: Connection, company_ids, holder: str, now: datetime) -> None:
    """Serialize writers of the same companies: advisory locks on PostgreSQL, the write lock on SQLite."""
    if conn.dialect.name == "postgresql":
        for company_id in sorted({int(c) for c in company_ids}):  # one order: no deadlocks
            key = COMPANY_LOCK_CLASS + (company_id & 0xFFFFFFFF)
            conn.execute(text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))"), {"key": key})
    else:
        take(conn, "insights", holder, now)
