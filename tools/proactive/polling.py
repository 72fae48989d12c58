"""Polling mode: turn rows added since the last look into changes, by id, table by table.

For databases that do not allow triggers. The pollers of several workers take turns (the
``polling`` lock row), and the rows found and the cursor's move are written in one
transaction, so each new row becomes exactly one change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update

from db.capture import WATCHED
from db.models import Base
from db.proactive_models import CaptureCursor, Change
from tools.proactive.locks import take


def poll(engine: Engine, worker_id: str, now: datetime, *, batch: int = 5000) -> int:
    """Record rows added since each table's cursor as changes; returns how many."""
    found = 0
    invoices = Base.metadata.tables["invoices"]
    with engine.begin() as conn:
        take(conn, "polling", worker_id, now)
        cursors = dict(conn.execute(select(CaptureCursor.table_name, CaptureCursor.last_id)).fetchall())
        for w in WATCHED:
            if w.table not in cursors:
                continue
            table = Base.metadata.tables[w.table]
            company = table.c[w.company_column]
            query = select(table.c.id, company)
            if w.via_invoice:
                query = select(table.c.id, func.coalesce(company, invoices.c.company_id)).select_from(
                    table.outerjoin(invoices, invoices.c.id == table.c.invoice_id)
                )
            rows = conn.execute(
                query.where(table.c.id > cursors[w.table]).order_by(table.c.id).limit(batch)
            ).fetchall()
            if not rows:
                continue
            changes = [
                {"company_id": int(c), "source": w.table, "row_id": int(i), "op": "P", "changed_at": now}
                for i, c in rows
                if c is not None
            ]
            if changes:
                conn.execute(insert(Change), changes)
            conn.execute(
                update(CaptureCursor)
                .where(CaptureCursor.table_name == w.table)
                .values(last_id=max(int(i) for i, _ in rows), updated_at=now)
            )
            found += len(changes)
    return found
