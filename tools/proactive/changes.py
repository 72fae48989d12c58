"""Claiming changed companies: each company's pending changes go to one worker at a time.

A claim is one conditional UPDATE ... RETURNING: it leases every pending change of up to
``limit`` companies that no other worker holds a live lease on. The worker deletes the rows
in the transaction that writes the new insights, so a crash before that leaves them to be
claimed again once the lease runs out: nothing is lost, nothing is half done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from db.proactive_models import Change

DEFAULT_LEASE_S = 120.0


@dataclass
class Claim:
    change_ids: list[int] = field(default_factory=list)
    company_ids: list[int] = field(default_factory=list)
    first_changed_at: dict[int, datetime] = field(default_factory=dict)  # per company, the oldest change

    def __bool__(self) -> bool:
        return bool(self.change_ids)


def claim(
    engine: Engine, worker_id: str, now: datetime, *, limit: int = 50, lease_s: float = DEFAULT_LEASE_S
) -> Claim:
    """Lease the pending changes of up to ``limit`` companies nobody else is working on."""
    other = aliased(Change)
    free = or_(Change.lease_until.is_(None), Change.lease_until < now)
    held_elsewhere = exists().where(other.company_id == Change.company_id, other.lease_until >= now)
    companies = (
        select(Change.company_id)
        .where(free, Change.company_id.is_not(None), ~held_elsewhere)
        .group_by(Change.company_id)
        .order_by(func.min(Change.id))
        .limit(limit)
        .scalar_subquery()
    )
    stmt = (
        update(Change)
        .where(Change.company_id.in_(companies), free)
        .values(claimed_by=worker_id, lease_until=now + timedelta(seconds=lease_s))
        .returning(Change.id, Change.company_id, Change.changed_at)
    )
    with engine.begin() as conn:
        rows = conn.execute(stmt).fetchall()
    out = Claim()
    for change_id, company_id, changed_at in rows:
        out.change_ids.append(int(change_id))
        company_id = int(company_id)
        if company_id not in out.first_changed_at:
            out.company_ids.append(company_id)
            out.first_changed_at[company_id] = changed_at
        else:
            out.first_changed_at[company_id] = min(out.first_changed_at[company_id], changed_at)
    return out


def has_pending(engine: Engine, now: datetime) -> bool:
    """Whether any change waits unclaimed: a read, so that idle workers never take a write lock."""
    free = or_(Change.lease_until.is_(None), Change.lease_until < now)
    with engine.connect() as conn:
        return (
            conn.execute(select(Change.id).where(free, Change.company_id.is_not(None)).limit(1)).first()
            is not None
        )


def complete(conn: Connection, change_ids: Iterable[int], worker_id: str) -> int:
    """Delete the changes this worker handled (inside the transaction that wrote their results)."""
    ids = list(change_ids)
    deleted = 0
    for start in range(0, len(ids), 500):
        deleted += conn.execute(
            delete(Change).where(Change.id.in_(ids[start : start + 500]), Change.claimed_by == worker_id)
        ).rowcount
    return deleted


def drop_orphans(engine: Engine) -> int:
    """Changes without a company (a row that belongs to none) can never be handled: drop them."""
    with engine.begin() as conn:
        return conn.execute(delete(Change).where(Change.company_id.is_(None))).rowcount


def pending(engine: Engine) -> tuple[int, int]:
    """(changes, companies) waiting."""
    with engine.connect() as conn:
        row = conn.execute(select(func.count(Change.id), func.count(func.distinct(Change.company_id)))).one()
    return int(row[0]), int(row[1])
