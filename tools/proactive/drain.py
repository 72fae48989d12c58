"""One pass of the change drain: claim changed companies, re-score them, write, queue alerts.

Scoring reads outside the write transaction (it takes the time); the write transaction then
locks the companies, compares with their alert state, replaces their insight rows, queues
alerts and deletes the changes it handled, all at once. A crash anywhere before the commit
leaves the changes to be claimed again when the lease runs out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from tools.insights.config import InsightConfig
from tools.insights.incremental import RefreshModels, score_companies, write_company_insights
from tools.proactive import alerts, changes
from tools.proactive.locks import lock_companies


@dataclass
class DrainResult:
    companies: list[int] = field(default_factory=list)
    written: int = 0
    alert_ids: list[int] = field(default_factory=list)
    first_changed_at: dict[int, datetime] = field(default_factory=dict)


def drain_once(
    engine: Engine,
    models: RefreshModels,
    config: InsightConfig,
    *,
    worker_id: str,
    today: date,
    now: datetime,
    computed_at: datetime,
    limit: int = 50,
    lease_s: float = changes.DEFAULT_LEASE_S,
) -> DrainResult:
    """Claim up to ``limit`` changed companies and bring their insights up to date.

    ``now`` (naive UTC) stamps leases and alerts; ``computed_at`` stamps the insight rows, in the
    same local time as `crmbot insights refresh` writes.
    """
    claim = changes.claim(engine, worker_id, now, limit=limit, lease_s=lease_s)
    if not claim:
        return DrainResult()
    with engine.connect() as conn:
        scored = score_companies(conn, models, claim.company_ids, today, config)
    with engine.begin() as conn:
        lock_companies(conn, claim.company_ids, worker_id, now)
        previous = alerts.previous_states(conn, scored.table["company_id"].tolist())
        written = write_company_insights(conn, scored, claim.company_ids, computed_at)
        alert_ids = alerts.record(conn, previous, scored.table, scored.reasons, config.alert_health_drop, now)
        changes.complete(conn, claim.change_ids, worker_id)
    return DrainResult(claim.company_ids, written, alert_ids, claim.first_changed_at)
