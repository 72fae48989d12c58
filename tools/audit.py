"""The audit trail: record every question and action, list them, forget them after the retention period.

Where it lives: the database named by ``CRMBOT_AUDIT_DATABASE_URL``; by default crmbot's own SQLite
file ``audit.db`` in ``CRMBOT_DATA_DIR``, not the CRM database. Why: answering must never change
the CRM database (it may be a read-only replica, and a question is a read: the evaluation scripts
check that a CRM database is byte for byte the same after any number of questions), while the trail
must be written even then. A team running several hosts points the setting at one shared database
(PostgreSQL, possibly the CRM's own: `crmbot db upgrade` adds the table there, migration
0006_audit); crmbot also creates the table on first use where it may.

A failure to record never stops an answer: it is logged (without the words asked, which are stored
here and nowhere else) and the next record tries again. Rows older than
``CRMBOT_AUDIT_RETENTION_DAYS`` (0: keep forever) are deleted at most once an hour by the writers,
and by `crmbot audit`.
"""

from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from db.audit_models import AuditEntry

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0
RETRY_AFTER_S = 60.0  # after a failed write (no table, database away), before trying again
MAX_TEXT = 20_000  # characters of words or SQL kept per row

# where the current request came from ("slack channel C123", "terminal"), set by each front end, so
# that actions recorded deep in the tools (an invoice approved) say where they were asked
current_place: ContextVar[str | None] = ContextVar("crmbot_audit_place", default=None)

_lock = threading.Lock()
_ready: dict[str, float] = {}  # url -> monotonic time the table was known to exist
_failed: dict[str, float] = {}  # url -> monotonic time of the last failed write
_pruned: dict[str, float] = {}  # url -> monotonic time of the last prune


@dataclass
class AuditRecord:
    """What one row says; ``occurred_at`` defaults to now (UTC)."""

    source: str
    kind: str  # question, action
    text: str
    user_id: int | None = None
    user_email: str | None = None
    user_name: str | None = None
    role: str | None = None
    slack_user_id: str | None = None
    place: str | None = None
    answer_kind: str | None = None
    sql: str | None = None
    rows: int | None = None
    duration_ms: float | None = None
    refused: bool = False
    scope: str | None = None
    error_id: str | None = None
    occurred_at: datetime | None = field(default=None)

    @classmethod
    def of_actor(cls, actor, **values) -> AuditRecord:
        """A record about something ``actor`` (tools.actor.Actor) asked or did."""
        slack_id = actor.label.split(":", 1)[1] if (actor.label or "").startswith("slack:") else None
        return cls(
            source=(actor.source or "cli")[:20],
            user_id=actor.user_id,
            user_email=actor.email,
            user_name=actor.name,
            role=actor.role,
            slack_user_id=slack_id,
            **values,
        )


def record_action(
    actor, text: str, *, refused: bool, started: float | None = None, answer_kind: str = "action"
) -> bool:
    """One row for an action ``actor`` took (or was refused): "approve INV-2026-00042"."""
    duration = round((time.monotonic() - started) * 1000, 2) if started is not None else None
    entry = AuditRecord.of_actor(
        actor,
        kind="action",
        text=text,
        place=current_place.get(),
        answer_kind=answer_kind,
        duration_ms=duration,
        refused=refused,
    )
    return record(entry)


def audit_url(settings=None) -> str:
    """The audit trail's database: the setting, else ``audit.db`` in crmbot's data folder."""
    from db.engine import normalize_url

    if settings is None:
        from crmbot.settings import get_settings

        settings = get_settings()
    if settings.audit_database_url:
        return normalize_url(settings.audit_database_url)
    return f"sqlite:///{Path(settings.data_dir).resolve() / 'audit.db'}"


def audit_engine(url: str | None = None) -> Engine:
    from db.engine import shared_engine

    url = url or audit_url()
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return shared_engine(url)


def ensure_table(engine: Engine) -> None:
    """Create the trail's table where it is missing (a no-op once it exists)."""
    AuditEntry.__table__.create(engine, checkfirst=True)


def record(entry: AuditRecord, *, url: str | None = None, settings=None) -> bool:
    """Write one row; False (and a line in the log, never the words) when it could not be written."""
    url = url or audit_url(settings)
    now = time.monotonic()
    with _lock:
        failed_at = _failed.get(url)
    if failed_at is not None and now - failed_at < RETRY_AFTER_S:
        return False
    values = asdict(entry)
    values["occurred_at"] = (entry.occurred_at or utc_now()).replace(tzinfo=None)
    values["text"] = (entry.text or "")[:MAX_TEXT]
    values["sql"] = entry.sql[:MAX_TEXT] if entry.sql else None
    values["refused"] = bool(entry.refused)
    try:
        engine = audit_engine(url)
        if url not in _ready:
            ensure_table(engine)
            with _lock:
                _ready[url] = now
        with engine.begin() as conn:
            conn.execute(insert(AuditEntry).values(**values))
    except Exception as exc:  # noqa: BLE001 - an answer is never lost for want of its audit row
        with _lock:
            _failed[url] = now
            _ready.pop(url, None)
        log.warning("could not record the audit trail (%s); the answer was given", type(exc).__name__)
        return False
    with _lock:
        _failed.pop(url, None)
    _prune_now_and_then(url, settings)
    return True


def _prune_now_and_then(url: str, settings) -> None:
    now = time.monotonic()
    with _lock:
        last = _pruned.get(url)
        if last is not None and now - last < PRUNE_EVERY_S:
            return
        _pruned[url] = now
    try:
        prune(url=url, settings=settings)
    except Exception as exc:  # noqa: BLE001 - pruning is housekeeping; the next round tries again
        log.warning("could not delete old audit rows (%s)", type(exc).__name__)


def prune(
    *, now: datetime | None = None, days: int | None = None, url: str | None = None, settings=None
) -> int:
    """Delete rows older than the retention period (``days``, default the setting; 0 keeps all)."""
    if settings is None:
        from crmbot.settings import get_settings

        settings = get_settings()
    days = settings.audit_retention_days if days is None else days
    if days <= 0:
        return 0
    engine = audit_engine(url or audit_url(settings))
    ensure_table(engine)
    cutoff = (now or utc_now()).replace(tzinfo=None) - timedelta(days=days)
    with engine.begin() as conn:
        return conn.execute(delete(AuditEntry).where(AuditEntry.occurred_at < cutoff)).rowcount or 0


def entries(
    *,
    since: date | datetime | None = None,
    user: str | None = None,
    limit: int = 1000,
    url: str | None = None,
) -> list[dict]:
    """Rows, newest first: since a day (UTC) or moment, of one user (email, Slack id or CRM id)."""
    engine = audit_engine(url)
    ensure_table(engine)
    table = AuditEntry.__table__
    query = select(table).order_by(table.c.occurred_at.desc(), table.c.id.desc()).limit(limit)
    if since is not None:
        start = since if isinstance(since, datetime) else datetime.combine(since, datetime.min.time())
        query = query.where(AuditEntry.occurred_at >= start.replace(tzinfo=None))
    if user:
        wanted = user.strip()
        if wanted.isdigit():
            query = query.where(AuditEntry.user_id == int(wanted))
        elif "@" in wanted:
            from sqlalchemy import func

            query = query.where(func.lower(AuditEntry.user_email) == wanted.lower())
        else:
            query = query.where(AuditEntry.slack_user_id == wanted)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


LISTED = (
    "occurred_at",
    "user_name",
    "place",
    "kind",
    "text",
    "answer_kind",
    "rows",
    "duration_ms",
    "refused",
)
LABELS = ("when (UTC)", "who", "where", "kind", "words", "answer", "rows", "ms", "refused")


def listing(rows: list[dict], *, shown: int, who: str | None = None, since: date | None = None):
    """The trail's rows as a table (a ReportResult every front end renders)."""
    from tools.reports.results import ReportResult

    what = "questions and actions" + (f" of {who}" if who else "") + (f" since {since}" if since else "")
    result = ReportResult(
        question="audit", interpretation=f"the audit trail: {what}, newest first", source="audit"
    )
    result.columns = list(LABELS)
    result.formats = ["text"] * len(LABELS)
    result.rows = [
        [
            f"{row['occurred_at']:%Y-%m-%d %H:%M:%S}",
            row["user_name"] or row["user_email"] or row["slack_user_id"] or "-",
            row["place"] or row["source"],
            row["kind"],
            row["text"],
            row["answer_kind"],
            row["rows"],
            round(row["duration_ms"]) if row["duration_ms"] is not None else None,
            "yes" if row["refused"] else "no",
        ]
        for row in rows
    ]
    result.answer = (
        f"The last {len(rows)} {what} (at most {shown})." if rows else f"No {what} in the audit trail."
    )
    return result


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def forget_state() -> None:
    """Forget which databases were ready or failing (tests that swap databases)."""
    with _lock:
        _ready.clear()
        _failed.clear()
        _pruned.clear()
