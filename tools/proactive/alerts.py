"""Alerts: decided once per change of state, queued in the transaction that wrote the insights.

A company's last known state (band, churn risk, health, and the highest health since its last
drop alert) lives in ``crmbot_alert_state``. A recomputation compares with it and writes the new
state in the same transaction as the new insights: a second worker, a retry or a restart sees
the new state and has nothing to say. An alert is queued in ``crmbot_alerts`` (an outbox) and
delivered by whichever worker claims it; deliveries are capped per hour.

The kinds: ``turned_red`` (band becomes red), ``high_risk`` (churn risk becomes high) and
``health_drop`` (health at least ``alert_health_drop`` points below its highest since the last
such alert). A snoozed company's state is still followed; it just raises no alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, or_, select, update

from db.models import Company, CustomerInsight, InsightDetail, User
from db.proactive_models import AlertOutbox, AlertState
from tools.actor import Actor
from tools.changes import record_change
from tools.proactive.locks import take

KINDS = ("turned_red", "high_risk", "health_drop")
SNOOZE_DAYS = 7
MAX_ATTEMPTS = 5


@dataclass
class KnownState:
    band: str | None
    churn_risk: str | None
    health_score: float | None
    peak_health: float | None
    snoozed_until: datetime | None = None
    stored: bool = True  # False: read from the insights rows, no alert state yet


@dataclass
class Decision:
    company_id: int
    kinds: list[str]
    state: dict  # the new alert state row


def previous_states(conn: Connection, company_ids) -> dict[int, KnownState]:
    """Each company's alert state; where there is none yet, what its stored insights say."""
    ids = [int(c) for c in company_ids]
    out: dict[int, KnownState] = {}
    for row in conn.execute(select(AlertState.__table__).where(AlertState.company_id.in_(ids))):
        out[row.company_id] = KnownState(
            row.band, row.churn_risk, row.health_score, row.peak_health, row.snoozed_until
        )
    missing = [i for i in ids if i not in out]
    if missing:
        rows = conn.execute(
            select(
                CustomerInsight.company_id,
                CustomerInsight.health_score,
                CustomerInsight.churn_risk,
                InsightDetail.band,
            )
            .outerjoin(InsightDetail, InsightDetail.company_id == CustomerInsight.company_id)
            .where(CustomerInsight.company_id.in_(missing))
        )
        for cid, health, risk, band in rows:
            health = None if health is None else float(health)
            out[int(cid)] = KnownState(band, risk, health, health, stored=False)
    return out


def decide(
    previous: KnownState | None, band: str, risk: str, health: float, drop: float
) -> tuple[list[str], float]:
    """The alert kinds this new state raises against the previous one, and the new peak health."""
    if previous is None or previous.health_score is None:
        return [], health  # first time seen: nothing to compare with
    kinds = []
    if band == "red" and previous.band != "red":
        kinds.append("turned_red")
    if risk == "high" and previous.churn_risk != "high":
        kinds.append("high_risk")
    peak = previous.peak_health if previous.peak_health is not None else previous.health_score
    if peak - health >= drop:
        kinds.append("health_drop")
        return kinds, health
    return kinds, max(peak, health)


def _owners(conn: Connection, owner_ids) -> dict[int, tuple[str | None, str | None]]:
    ids = [int(o) for o in owner_ids if o is not None]
    if not ids:
        return {}
    rows = conn.execute(select(User.id, User.name, User.slack_user_id).where(User.id.in_(ids)))
    return {r.id: (r.name, r.slack_user_id) for r in rows}


def record(
    conn: Connection,
    previous: dict[int, KnownState],
    scored: pd.DataFrame,
    reasons: list,
    drop: float,
    now: datetime,
) -> list[int]:
    """Write each scored company's new alert state and queue its alert, if any; returns the alert ids.

    Runs in the caller's transaction, after the companies were locked (tools.proactive.locks).
    """
    queued = []
    records = scored.to_dict("records")
    owners = _owners(conn, {r["owner_id"] for r in records if r["owner_id"] == r["owner_id"]})
    for row, why in zip(records, reasons, strict=True):
        cid = int(row["company_id"])
        before = previous.get(cid)
        health = round(float(row["health_score"]), 2)
        kinds, peak = decide(before, row["band"], row["churn_risk"], health, drop)
        state = {
            "band": row["band"],
            "churn_risk": row["churn_risk"],
            "health_score": health,
            "peak_health": peak,
            "updated_at": now,
        }
        if before is not None and before.stored:
            conn.execute(update(AlertState).where(AlertState.company_id == cid).values(**state))
        else:
            conn.execute(insert(AlertState).values(company_id=cid, **state))
        snoozed = before is not None and before.snoozed_until is not None and before.snoozed_until > now
        if not kinds or snoozed:
            continue
        owner_id = (
            None if row["owner_id"] != row["owner_id"] or row["owner_id"] is None else int(row["owner_id"])
        )
        owner_name, owner_slack = owners.get(owner_id, (None, None))
        payload = {
            "company_id": cid,
            "company_name": row["company_name"],
            "owner_id": owner_id,
            "owner_name": owner_name,
            "owner_slack_id": owner_slack,
            "before": {
                "band": before.band,
                "churn_risk": before.churn_risk,
                "health_score": before.health_score,
            },
            "after": {
                "band": row["band"],
                "churn_risk": row["churn_risk"],
                "health_score": health,
                "churn_probability": round(float(row["churn_probability"]), 4),
                "band_note": row["band_note"] if isinstance(row["band_note"], str) else None,
            },
            "peak_health": before.peak_health if before.peak_health is not None else before.health_score,
            "reasons": [r.text for r in why][:3],
        }
        result = conn.execute(
            insert(AlertOutbox)
            .values(
                company_id=cid, created_at=now, kinds=kinds, payload=payload, status="pending", attempts=0
            )
            .returning(AlertOutbox.id)
        )
        queued.append(int(result.scalar_one()))
    return queued


# ------------------------------------------------------------------ snooze


def snooze(engine: Engine, company_id: int, until: datetime, actor: Actor, now: datetime) -> None:
    """No alerts about ``company_id`` until ``until`` (its state is still followed meanwhile), recorded
    in the audit log in the same transaction."""
    by = actor.label
    with engine.begin() as conn:
        take(conn, "insights", by, now)
        exists = conn.execute(
            select(AlertState.company_id).where(AlertState.company_id == company_id)
        ).first()
        values = {"snoozed_until": until, "snoozed_by": by, "updated_at": now}
        if exists:
            conn.execute(update(AlertState).where(AlertState.company_id == company_id).values(**values))
        else:
            known = previous_states(conn, [company_id]).get(company_id)
            conn.execute(
                insert(AlertState).values(
                    company_id=company_id,
                    band=known.band if known else None,
                    churn_risk=known.churn_risk if known else None,
                    health_score=known.health_score if known else None,
                    peak_health=known.peak_health if known else None,
                    **values,
                )
            )
        record_change(
            conn,
            actor,
            now,
            "company",
            company_id,
            "snooze_alerts",
            {"until_utc": until.isoformat(timespec="minutes")},
        )


def company_name(engine: Engine, company_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(Company.name).where(Company.id == company_id)).scalar()


# ------------------------------------------------------------------ delivery (the outbox)


@dataclass
class Delivery:
    alert_id: int
    company_id: int
    kinds: list[str]
    payload: dict
    delivered: list[dict] = field(default_factory=list)  # targets already posted to (a retried claim)
    snoozed: bool = False


def has_deliveries(engine: Engine, now: datetime) -> bool:
    """Whether an alert waits for delivery (a read: idle workers take no lock)."""
    free = or_(AlertOutbox.lease_until.is_(None), AlertOutbox.lease_until < now)
    with engine.connect() as conn:
        query = select(AlertOutbox.id).where(AlertOutbox.status.in_(("pending", "sending")), free).limit(1)
        return conn.execute(query).first() is not None


def claim_deliveries(
    engine: Engine, worker_id: str, now: datetime, *, per_hour: int, limit: int = 10, lease_s: float = 60.0
) -> list[Delivery]:
    """Take up to ``limit`` queued alerts to deliver, within the hourly cap (counted across workers)."""
    with engine.begin() as conn:
        take(conn, "alerts", worker_id, now)
        hour_ago = now - timedelta(hours=1)
        in_flight = or_(AlertOutbox.status == "sending", AlertOutbox.sent_at >= hour_ago)
        used = conn.execute(
            select(func.count(AlertOutbox.id)).where(
                in_flight, or_(AlertOutbox.status == "sent", AlertOutbox.lease_until >= now)
            )
        ).scalar()
        room = min(limit, max(0, per_hour - int(used or 0)))
        if not room:
            return []
        free = or_(AlertOutbox.lease_until.is_(None), AlertOutbox.lease_until < now)
        rows = conn.execute(
            select(AlertOutbox.__table__)
            .where(AlertOutbox.status.in_(("pending", "sending")), free)
            .order_by(AlertOutbox.id)
            .limit(room)
        ).all()
        if not rows:
            return []
        ids = [r.id for r in rows]
        conn.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id.in_(ids))
            .values(
                status="sending",
                claimed_by=worker_id,
                lease_until=now + timedelta(seconds=lease_s),
                attempts=AlertOutbox.attempts + 1,
            )
        )
        snoozed = set(
            conn.execute(
                select(AlertState.company_id).where(
                    AlertState.company_id.in_([r.company_id for r in rows]), AlertState.snoozed_until > now
                )
            ).scalars()
        )
        return [
            Delivery(
                r.id,
                r.company_id,
                list(r.kinds),
                dict(r.payload),
                list(r.delivered or []),
                r.company_id in snoozed,
            )
            for r in rows
        ]


def note_delivered(engine: Engine, delivery: Delivery, worker_id: str, target: str, ts: str | None) -> None:
    """Record one message posted, at once: a retry after a crash posts only where this one did not."""
    delivery.delivered.append({"to": target, "ts": ts})
    with engine.begin() as conn:
        conn.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id == delivery.alert_id, AlertOutbox.claimed_by == worker_id)
            .values(delivered=list(delivery.delivered))
        )


def finish_delivery(
    engine: Engine,
    delivery: Delivery,
    worker_id: str,
    now: datetime,
    *,
    status: str,
    error: str | None = None,
    retry_in_s: float | None = None,
) -> None:
    """``sent``, ``snoozed``, ``logged``, ``failed``; or back to ``pending`` after ``retry_in_s``."""
    values: dict = {"error": error}
    if retry_in_s is not None:
        values |= {"status": "pending", "lease_until": now + timedelta(seconds=retry_in_s)}
    else:
        values |= {"status": status, "lease_until": None, "sent_at": now}
    with engine.begin() as conn:
        conn.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id == delivery.alert_id, AlertOutbox.claimed_by == worker_id)
            .values(**values)
        )


def attempts_left(engine: Engine, alert_id: int) -> int:
    with engine.connect() as conn:
        used = conn.execute(select(AlertOutbox.attempts).where(AlertOutbox.id == alert_id)).scalar() or 0
    return MAX_ATTEMPTS - int(used)
